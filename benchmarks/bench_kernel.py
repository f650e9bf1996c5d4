"""The fixed-step kernel against a floor: a plain Hodgkin–Huxley cell, and threads.

Run from the repository root::

    python benchmarks/bench_kernel.py [--duration-s 10] [--n-units 100] [--repeats 3]

Issue 21's kernel rows, measured in one process, one after the other:

- **kernel, 1 thread**: ``engine.run_fixed_step`` on ``bench_engine.py``'s scenario (a
  4-nA current step into every motor neuron, default noise, dt = 0.025 ms) with the
  serial path (no threads); ns per unit-step = CPU time / (units × steps);
- **plain HH cell**: the reference floor, :func:`hh_cells` below: the squid-axon
  Hodgkin–Huxley membrane (Hodgkin & Huxley 1952, J Physiol 117:500; the 6.3 °C
  parameters with V measured from −65 mV rest) for the same number of cells, same dt,
  same duration, compiled with numba, rates from tables on a 0.1-mV grid with linear
  interpolation (the kernel's own way of reading its gates), Rush–Larsen gates and a
  forward-Euler membrane, driven at 10 µA/cm² so that every cell fires repetitively; ns
  per cell-step likewise. The ratio kernel / HH is what a motor unit (soma, axon, fibre,
  bookkeeping) costs over the simplest spiking cell;
- **threads**: the kernel's parallel path on 1 and on 2 numba threads, wall time; the
  ratio is the speed-up of 2 threads.

CPU time (``time.process_time``) is used for the per-step costs, wall time for the
threads; medians of ``--repeats`` after a warm-up. Not a test: it prints, it does not fail.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numba
import numpy as np
from numba import njit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_engine as B

from musclesim.engine import fixed as E
from musclesim.inputs import build_engine_input

#: HH (1952) squid axon, 6.3 °C: mS/cm², mV, µF/cm²; V is the absolute potential
#: (rest −65 mV).
HH_G_NA, HH_G_K, HH_G_L = 120.0, 36.0, 0.3
HH_E_NA, HH_E_K, HH_E_L = 50.0, -77.0, -54.387
HH_C_M = 1.0
#: Drive, µA/cm²: above the ~6.2 µA/cm² of repetitive firing at 6.3 °C.
HH_I = 10.0
HH_V_MIN, HH_DV, HH_N_GRID = -100.0, 0.1, 2001


def hh_tables(dt_ms: float) -> np.ndarray:
    """Per grid voltage: (m∞, e^(−dt/τm), h∞, e^(−dt/τh), n∞, e^(−dt/τn))."""
    v = HH_V_MIN + HH_DV * np.arange(HH_N_GRID)
    u = v + 65.0
    with np.errstate(divide="ignore", invalid="ignore"):
        am = np.where(np.abs(25.0 - u) < 1e-9, 1.0, 0.1 * (25.0 - u) / np.expm1((25.0 - u) / 10))
        an = np.where(np.abs(10.0 - u) < 1e-9, 0.1,
                      0.01 * (10.0 - u) / np.expm1((10.0 - u) / 10))  # fmt: skip
    bm = 4.0 * np.exp(-u / 18.0)
    ah = 0.07 * np.exp(-u / 20.0)
    bh = 1.0 / (np.exp((30.0 - u) / 10.0) + 1.0)
    bn = 0.125 * np.exp(-u / 80.0)
    cols = []
    for a, b in ((am, bm), (ah, bh), (an, bn)):
        cols += [a / (a + b), np.exp(-dt_ms * (a + b))]
    return np.ascontiguousarray(np.array(cols).T)


@njit(cache=False, error_model="numpy", fastmath=False)
def hh_cells(n_steps, dt, tab, v, m, h, n):
    """Advance every cell ``n_steps`` steps (cells in the inner loop, like the kernel's
    lockstep groups); return the spike count."""
    spikes = 0
    inv_dv = 1.0 / HH_DV
    for _ in range(n_steps):
        for i in range(v.shape[0]):
            x = (v[i] - HH_V_MIN) * inv_dv
            j = min(max(int(x), 0), HH_N_GRID - 2)
            f = x - j
            r0 = tab[j]
            r1 = tab[j + 1]
            mi = r0[0] + f * (r1[0] - r0[0])
            km = r0[1] + f * (r1[1] - r0[1])
            hi = r0[2] + f * (r1[2] - r0[2])
            kh = r0[3] + f * (r1[3] - r0[3])
            ni = r0[4] + f * (r1[4] - r0[4])
            kn = r0[5] + f * (r1[5] - r0[5])
            m[i] = mi + (m[i] - mi) * km
            h[i] = hi + (h[i] - hi) * kh
            n[i] = ni + (n[i] - ni) * kn
            m3 = m[i] * m[i] * m[i]
            n4 = n[i] * n[i] * n[i] * n[i]
            i_ion = (HH_G_NA * m3 * h[i] * (v[i] - HH_E_NA) + HH_G_K * n4 * (v[i] - HH_E_K)
                     + HH_G_L * (v[i] - HH_E_L))  # fmt: skip
            v_new = v[i] + dt * (HH_I - i_ion) / HH_C_M
            if v[i] < 0.0 <= v_new:
                spikes += 1
            v[i] = v_new
    return spikes


def _timed(fn, repeats: int) -> tuple[float, float, object]:
    """(wall s, CPU s) medians of ``repeats`` after one warm-up, and the last result."""
    out = fn()
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu), out


@dataclass
class KernelTiming:
    n_units: int
    duration_s: float
    kernel_ns: float  # CPU ns per unit-step, 1 thread
    hh_ns: float  # CPU ns per cell-step
    hh_spikes_per_cell_s: float
    wall_1_thread_s: float
    wall_2_threads_s: float
    cpu_2_threads_s: float

    @property
    def hh_ratio(self) -> float:
        return self.kernel_ns / self.hh_ns

    @property
    def thread_speedup(self) -> float:
        return self.wall_1_thread_s / self.wall_2_threads_s


def measure(n_units: int = 100, duration_s: float = 10.0, repeats: int = 3) -> KernelTiming:
    dt = B.DT_MS
    n_steps = round(duration_s * 1000.0 / dt)
    rec = np.array([0], dtype=np.int64)
    inp = build_engine_input(B.pool_scenario(n_units, duration_s))

    def kernel(parallel: bool, threads: int):
        def run():
            saved, saved_threads = E.PARALLEL_MIN_UNITS, numba.get_num_threads()
            E.PARALLEL_MIN_UNITS = 1 if parallel else 10**9
            numba.set_num_threads(threads)
            try:
                return E.run_fixed_step(inp, dt, 1.0, rec, "bench")
            finally:
                E.PARALLEL_MIN_UNITS = saved
                numba.set_num_threads(saved_threads)

        return run

    _, cpu_serial, _ = _timed(kernel(False, 1), repeats)
    tab = hh_tables(dt)

    def hh():
        v = np.full(n_units, -65.0)
        return hh_cells(n_steps, dt, tab, v, np.full(n_units, 0.053), np.full(n_units, 0.596),
                        np.full(n_units, 0.318))  # fmt: skip

    _, cpu_hh, spikes = _timed(hh, repeats)
    threads = min(2, numba.config.NUMBA_NUM_THREADS)
    wall_1, _, _ = _timed(kernel(True, 1), repeats)
    wall_2, cpu_2, _ = _timed(kernel(True, threads), repeats)
    steps = n_units * n_steps
    return KernelTiming(n_units, duration_s, cpu_serial / steps * 1e9, cpu_hh / steps * 1e9,
                        int(spikes) / n_units / duration_s, wall_1, wall_2, cpu_2)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration-s", type=float, default=10.0)
    ap.add_argument("--n-units", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    print(f"{os.cpu_count()} CPUs, numba threads {numba.config.NUMBA_NUM_THREADS}; "
          f"load average at start {B.load_average()}")  # fmt: skip
    r = measure(args.n_units, args.duration_s, args.repeats)
    print(f"{r.n_units} units x {r.duration_s:g} s, dt {B.DT_MS} ms; medians of {args.repeats}")
    print(f"kernel, 1 thread (CPU)      {r.kernel_ns:7.1f} ns/unit-step")
    print(f"plain HH cell (CPU)         {r.hh_ns:7.1f} ns/cell-step "
          f"({r.hh_spikes_per_cell_s:.0f} spikes/s per cell)")  # fmt: skip
    print(f"kernel / HH                 {r.hh_ratio:7.2f}x")
    print(f"kernel wall, 1 thread       {r.wall_1_thread_s:7.3f} s")
    print(f"kernel wall, 2 threads      {r.wall_2_threads_s:7.3f} s  "
          f"(speed-up {r.thread_speedup:.2f}x; {r.cpu_2_threads_s:.3f} CPU-s)")  # fmt: skip
    print(f"load average at end {B.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
