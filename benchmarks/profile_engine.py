"""Where the fixed-step kernel spends its time: motor neuron or muscle fibre?

Run from the repository root::

    python benchmarks/profile_engine.py [--duration-s 2] [--n-units 100]

The engine's kernel advances, for every unit and every 0.025-ms step, the motor-neuron
membrane (gates from tables, V, AHP), a scan of the unit's muscle APs in flight, and the
muscle fibre (Ca release and buffering, cross-bridges, Pi: ``contraction.fibre_derivatives``
and a linearly implicit update, plus ``fibre_force``). This script times

* the whole kernel (``engine.run_fixed_step``) on the benchmark scenario of
  ``bench_engine.py``, with and without drive (spikes or none);
* the fibre block alone: a small numba loop that calls the same compiled
  ``fibre_derivatives`` / ``fibre_force`` functions of the package for every unit and step,
  exactly as the kernel does;
* within it, ``thin_filament_activation`` alone (two ``x**hill`` powers per call);
* the scan of the muscle-AP ring buffer alone (16 slots per unit per step);

and prints the neuron part as the remainder (kernel − fibre − ring scan). Uses engine
internals (``build_engine_input``, ``run_fixed_step``): a profiling aid, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from numba import njit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_engine as B

from musclesim import engine as E
from musclesim.contraction import (
    N_FIBRE_STATES,
    P_TROP_TOT,
    P_XB_HILL,
    P_XB_K50,
    fibre_derivatives,
    fibre_force,
    sr_leak_rate,
    thin_filament_activation,
)
from musclesim.simulation import build_engine_input

PENDING = 16


@njit(cache=False)
def fibre_block(n_steps, dt, fpar, k_leak, sf, w):
    """The kernel's fibre part, verbatim, for every unit and step."""
    dy = np.empty(N_FIBRE_STATES)
    lam = np.empty(N_FIBRE_STATES)
    total = 0.0
    for _ in range(n_steps):
        force = 0.0
        for i in range(sf.shape[0]):
            fibre_derivatives(sf[i], fpar[i], k_leak[i], dy, lam)
            for s in range(N_FIBRE_STATES):
                sf[i, s] += dt * dy[s] / (1.0 + dt * lam[s])
            force += w[i] * fibre_force(sf[i], fpar[i])
        total += force
    return total


@njit(cache=False)
def activation_only(n_steps, fpar, sf):
    """``thin_filament_activation`` once per unit and step (as fibre_derivatives does)."""
    total = 0.0
    for _ in range(n_steps):
        for i in range(sf.shape[0]):
            total += thin_filament_activation(
                sf[i, 3] * (1.0 + 1e-12 * total),
                fpar[i, P_TROP_TOT],
                fpar[i, P_XB_HILL],
                fpar[i, P_XB_K50],
            )
    return total


@njit(cache=False)
def ring_scan(n_steps, dt, n_units):
    """The per-unit, per-step scan of the muscle-AP ring buffer (nothing ever due)."""
    pending = np.full((n_units, PENDING), np.inf)
    hits = 0
    for step in range(n_steps):
        t_end = step * dt + dt
        for i in range(n_units):
            for slot in range(PENDING):
                if pending[i, slot] <= t_end:
                    hits += 1
    return hits


def best_of(fn, repeats: int = 3) -> float:
    fn()  # compile / warm up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration-s", type=float, default=2.0)
    ap.add_argument("--n-units", type=int, default=100)
    args = ap.parse_args(argv)
    d, n = args.duration_s, args.n_units
    dt = B.DT_MS
    n_steps = round(d * 1000.0 / dt)
    unit_steps = n * n_steps

    def ns(seconds: float) -> float:
        return seconds / unit_steps * 1e9

    rec = np.array([0], dtype=np.int64)
    inp = build_engine_input(B.pool_scenario(n, d))
    inp_quiet = build_engine_input(B.pool_scenario(n, d, drive_nA=0.0))
    k_leak = np.array([sr_leak_rate(inp.fpar[i]) for i in range(n)])
    w = inp.upar[:, E.U_WEIGHT].copy()

    t_kernel = best_of(lambda: E.run_fixed_step(inp, dt, 1.0, rec, "p"))
    t_quiet = best_of(lambda: E.run_fixed_step(inp_quiet, dt, 1.0, rec, "p"))
    out = E.run_fixed_step(inp, dt, 1.0, rec, "p")
    spikes = sum(s.size for s in out.spikes_ms)
    t_fibre = best_of(lambda: fibre_block(n_steps, dt, inp.fpar, k_leak, inp.sf0.copy(), w))
    t_act = best_of(lambda: activation_only(n_steps, inp.fpar, inp.sf0.copy()))
    t_ring = best_of(lambda: ring_scan(n_steps, dt, n))
    t_neuron = t_kernel - t_fibre - t_ring

    print(f"{n} units x {d:g} s, dt {dt} ms = {unit_steps:,} unit-steps; medians of 3")
    rows = [
        (f"whole kernel, {B.DRIVE_NA:g}-nA drive ({spikes} spikes)", t_kernel),
        ("whole kernel, no drive (no spikes)", t_quiet),
        ("fibre block alone (fibre_derivatives + update + force)", t_fibre),
        ("  of which thin_filament_activation (2 pow calls)", t_act),
        ("muscle-AP ring-buffer scan alone", t_ring),
        ("neuron + bookkeeping = kernel - fibre - ring scan", t_neuron),
    ]
    for label, t in rows:
        print(f"  {label:<58} {t:8.3f} s  {ns(t):6.0f} ns/unit-step  {100 * t / t_kernel:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
