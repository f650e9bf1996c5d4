"""Throughput of ``ms.sweep``: a 20 x 20 regime map of 5-s, 100-unit simulations.

Run from the repository root::

    python benchmarks/bench_sweep.py [OUT.png] [--quick] [--workers N] [--map NAME]

Issue 6's benchmark. The default map sweeps ionised Mg (0.2–0.8 mmol/L) against fatigue
(0–1) over the ``cramp`` preset shortened to 5 s (the trigger contraction ends at 2.5 s, so
a cramp has 2.5 s to show that it outlasts it); ``--map irritation-ca`` sweeps nerve
irritation (0–1) against ionised Ca (0.6–1.3 mmol/L) over a resting 100-unit muscle.
``--quick`` runs 5 x 5. The same sweep runs serially (``max_workers=1``: this
process, numba's default thread count), serially on one numba thread, and then on the
default process pool with 2 workers and with one per core, in the same run. The script
prints each wall time, the throughput, the speed-up over serial and over serial on one
thread, the serial sweep's CPU time per simulation and how many cores were free just
before the pools ran (:func:`free_cores`: on a shared machine the pool of 2 can be no
faster than that), checks that every table equals the serial one, prints the class
counts and saves the regime map to OUT.png (default: a new temporary directory). Not a
test: it prints, it does not fail.

A pool's time includes the start of its worker processes (fork, numba cache load); the
serial sweep pays the kernel load in this process. The load average is printed at start
and end, since other work on the machine shows up directly in the figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numba
import numpy as np

import musclesim as ms

MAPS = {
    "mg-fatigue": ("electrolytes.Mg", (0.2, 0.8), "fatigue", (0.0, 1.0)),
    "irritation-ca": ("irritation", (0.0, 1.0), "electrolytes.Ca", (0.6, 1.3)),
}


def base_scenario(name: str) -> ms.Scenario:
    if name == "mg-fatigue":
        return ms.scenario("cramp").replace(name="cramp 5 s", duration_s=5.0)
    return ms.Scenario(name="rest 5 s", n_units=100, duration_s=5.0)


@dataclass
class SweepTiming:
    """Wall times (s) of one sweep serially and on pools of each size, same run."""

    runs: int
    serial_s: float
    pool_s: dict[int, float]
    table: Any
    serial_cpu_s: float = float("nan")  # CPU time of this process during the serial sweep
    free_cores: float = float("nan")  # cores this user got just before the pools ran
    serial_1_thread_s: float = float("nan")  # serial again, numba on one thread

    def speedup_1_thread(self, workers: int) -> float:
        return self.serial_1_thread_s / self.pool_s[workers]

    def speedup(self, workers: int) -> float:
        return self.serial_s / self.pool_s[workers]


#: Child: spin on one core for ~1 s; print its CPU time and wall time.
SPIN_CODE = """
import time
t0, c0 = time.perf_counter(), time.process_time()
x = 0
while time.perf_counter() - t0 < 1.0:
    x += 1
print(time.process_time() - c0, time.perf_counter() - t0)
"""


def free_cores(n: int) -> float:
    """Cores this user gets right now: ``n`` processes spin at once for ~1 s; the sum of
    their CPU time over the wall time. On an idle machine it is ``n``; other work on
    the machine takes its share, and a pool of ``n`` workers can go no faster."""
    procs = [subprocess.Popen([sys.executable, "-c", SPIN_CODE], stdout=subprocess.PIPE,
                              text=True) for _ in range(n)]  # fmt: skip
    total = 0.0
    for p in procs:
        cpu, wall = (float(x) for x in p.communicate()[0].split())
        total += cpu / wall
    return total


def local_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def time_sweep(n: int, map_name: str = "mg-fatigue", workers: Sequence[int] = (2,),
               serial: bool = True) -> SweepTiming:  # fmt: skip
    """The ``n`` x ``n`` map serially (``max_workers=1``, this process, default numba
    threads) and on default pools of each size in ``workers``, one after the other.

    The serial sweep runs first in this process, so it pays the kernel load and the
    first-use imports (as a user's first sweep would); each pool pays its workers' start.
    """
    x, (x0, x1), y, (y0, y1) = MAPS[map_name]
    base = base_scenario(map_name)
    values = {x: np.round(np.linspace(x0, x1, n), 4), y: np.round(np.linspace(y0, y1, n), 4)}
    timings: dict[int, float] = {}
    table = None
    serial_s = serial_cpu = float("nan")
    if serial:
        t0, c0 = time.perf_counter(), time.process_time()
        table = ms.sweep(base, max_workers=1, progress=False, **values)
        serial_s, serial_cpu = time.perf_counter() - t0, time.process_time() - c0
    serial_1 = float("nan")
    if serial:
        # The same, one run at a time on one core: what the pool's workers each do.
        threads = numba.get_num_threads()
        numba.set_num_threads(1)
        try:
            t0 = time.perf_counter()
            ms.sweep(base, max_workers=1, progress=False, **values)
            serial_1 = time.perf_counter() - t0
        finally:
            numba.set_num_threads(threads)
    free = free_cores(max(workers))
    for w in workers:
        t0 = time.perf_counter()
        t = ms.sweep(base, max_workers=w, progress=False, **values)
        timings[w] = time.perf_counter() - t0
        if table is not None and not t.equals(table):
            raise AssertionError(f"the {w}-worker table differs from the serial one")
        table = t
    return SweepTiming(n * n, serial_s, timings, table, serial_cpu, free, serial_1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", help="PNG file for the regime map")
    ap.add_argument("--quick", action="store_true", help="5 x 5 instead of 20 x 20")
    ap.add_argument("--workers", type=int, default=None,
                    help="one pool size instead of 2 and all cores")  # fmt: skip
    ap.add_argument("--no-serial", action="store_true", help="skip the serial reference")
    ap.add_argument("--map", choices=sorted(MAPS), default="mg-fatigue")
    args = ap.parse_args()
    n = 5 if args.quick else 20
    x, _, y, _ = MAPS[args.map]
    base = base_scenario(args.map)
    cores = local_cores()
    sizes = [args.workers] if args.workers else sorted({2, cores})
    print(f"musclesim {ms.__version__}; {cores} cores; pools of {sizes} workers; "
          f"load average at start {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"sweep: {n} x {n} = {n * n} runs of {base.name!r} ({base.n_units} units, "
          f"{base.duration_s:g} s), {x} x {y}")  # fmt: skip

    r = time_sweep(n, args.map, sizes, serial=not args.no_serial)
    table = r.table
    runs = r.runs
    if not args.no_serial:
        print(f"serial (max_workers=1)  {r.serial_s:8.1f} s wall  {runs / r.serial_s:6.3f} "
              f"simulations/s  {r.serial_cpu_s / runs:.2f} CPU-s per simulation")  # fmt: skip
        print(f"serial, 1 numba thread  {r.serial_1_thread_s:8.1f} s wall")
    for w, wall in r.pool_s.items():
        line = f"{w} workers               {wall:8.1f} s wall  {runs / wall:6.3f} simulations/s"
        if not args.no_serial:
            line += (f"  speed-up over serial {r.speedup(w):.2f}x, over serial on one "
                     f"thread {r.speedup_1_thread(w):.2f}x")  # fmt: skip
        print(line)
    print(f"cores free just before the pools: {r.free_cores:.1f} (a pool of 2 can gain no more)")
    print(f"load average at end     {os.getloadavg()[0]:8.2f}")
    counts = table["class"].value_counts()
    print("classes: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

    import matplotlib

    matplotlib.use("Agg")
    ax = ms.plot.regime_map(table, x, y)
    ax.set_title(f"{base.name}: {n} x {n} runs, {base.n_units} units")
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp()) / f"regime_{args.map}.png"
    ax.figure.savefig(out, dpi=120, bbox_inches="tight")
    csv = out.with_suffix(".csv")
    table.to_csv(csv, index=False)
    print(f"regime map: {out}\ntable:      {csv}")


if __name__ == "__main__":
    main()
