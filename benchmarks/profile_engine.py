"""Where the fixed-step kernel spends its time: motor neuron or muscle fibre?

Run from the repository root::

    python benchmarks/profile_engine.py [--duration-s 2] [--n-units 100]

The engine's kernel advances, for every unit and every 0.025-ms step, the motor-neuron
membrane (gates from tables, V, AHP; five sub-steps while V > −40 mV) and, every fourth
step (0.1 ms), the muscle fibre (``contraction.fibre_step``: Ca release, the coupled
Ca–buffer solve, cross-bridges, Pi; then ``fibre_force``). This script times

* the whole kernel (``engine.run_fixed_step``) on the benchmark scenario of
  ``bench_engine.py``, with and without drive (spikes or none), on one core and on all;
* the fibre part alone: a small numba loop that calls the package's own compiled
  ``fibre_step`` and ``fibre_force`` for every unit at the kernel's fibre interval;

and prints the neuron part (with the per-step bookkeeping) as the remainder. CPU time
(``time.process_time``) is printed beside wall time because other processes share the
machine: on one core it is the cost of the work itself. Uses engine internals
(``build_engine_input``, ``run_fixed_step``): a profiling aid, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from numba import njit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_engine as B

from musclesim.contraction import P_TAU_REL, fibre_force, fibre_step, sr_leak_rate
from musclesim.engine import fixed as E
from musclesim.inputs import build_engine_input


@njit(cache=False)
def fibre_block(n_fibre_steps, dt_f, fpar, k_leak, sf, w, rel_mean, rel_keep):
    """The kernel's fibre part: fibre_step and fibre_force for every unit and fibre step."""
    total = 0.0
    for _ in range(n_fibre_steps):
        for i in range(sf.shape[0]):
            fibre_step(sf[i], fpar[i], k_leak[i], dt_f, rel_mean[i], rel_keep[i])
            total += w[i] * fibre_force(sf[i], fpar[i])
    return total


def timed(fn, repeats: int = 3) -> tuple[float, float]:
    """(wall s, CPU s), medians of ``repeats`` runs after one warm-up."""
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration-s", type=float, default=2.0)
    ap.add_argument("--n-units", type=int, default=100)
    args = ap.parse_args(argv)
    d, n = args.duration_s, args.n_units
    dt = B.DT_MS
    n_steps = round(d * 1000.0 / dt)
    unit_steps = n * n_steps
    fibre_every = max(1, round(E.FIBRE_DT_MS / dt))
    dt_f = dt * fibre_every

    def ns(seconds: float) -> float:
        return seconds / unit_steps * 1e9

    rec = np.array([0], dtype=np.int64)
    inp = build_engine_input(B.pool_scenario(n, d))
    inp_quiet = build_engine_input(B.pool_scenario(n, d, drive_nA=0.0))
    k_leak = np.array([sr_leak_rate(inp.fpar[i]) for i in range(n)])
    w = inp.upar[:, E.U_WEIGHT].copy()
    rel_keep = np.exp(-dt_f / inp.fpar[:, P_TAU_REL])
    rel_mean = inp.fpar[:, P_TAU_REL] / dt_f * (1.0 - rel_keep)

    def kernel(engine_input, parallel: bool):
        def run():
            saved = E.PARALLEL_MIN_UNITS
            E.PARALLEL_MIN_UNITS = 1 if parallel else 10**9
            try:
                return E.run_fixed_step(engine_input, dt, 1.0, rec, "profile")
            finally:
                E.PARALLEL_MIN_UNITS = saved

        return run

    out = kernel(inp, False)()
    spikes = sum(s.size for s in out.spikes_ms)
    one = timed(kernel(inp, False))
    quiet = timed(kernel(inp_quiet, False))
    n_fibre = n_steps // fibre_every
    fibre = timed(
        lambda: fibre_block(n_fibre, dt_f, inp.fpar, k_leak, inp.sf0.copy(), w, rel_mean, rel_keep)
    )
    rows = [
        (f"whole kernel, one core, {B.DRIVE_NA:g}-nA drive ({spikes} spikes)", one),
        ("whole kernel, one core, no drive (no spikes)", quiet),
        ("fibre part alone (fibre_step + fibre_force every 0.1 ms)", fibre),
        ("neuron + bookkeeping = kernel - fibre part", (one[0] - fibre[0], one[1] - fibre[1])),
    ]
    if n >= 2:
        rows.append((f"whole kernel, all cores ({os.cpu_count()} CPUs)", timed(kernel(inp, True))))
    print(f"{n} units x {d:g} s, dt {dt} ms = {unit_steps:,} unit-steps; medians of 3")
    print(f"load average at start: {B.load_average()}")
    print(f"  {'':<58} {'wall':>8} {'CPU':>8}  CPU ns/unit-step  share of one-core CPU")
    for label, (t_wall, t_cpu) in rows:
        print(
            f"  {label:<58} {t_wall:7.3f}s {t_cpu:7.3f}s  {ns(t_cpu):8.1f}"
            f"          {100 * t_cpu / one[1]:5.1f} %"
        )
    print(f"load average at end: {B.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
