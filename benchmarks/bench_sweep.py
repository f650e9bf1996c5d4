"""Throughput of ``ms.sweep``: a 20 x 20 regime map of 5-s, 100-unit simulations.

Run from the repository root::

    python benchmarks/bench_sweep.py [OUT.png] [--quick] [--workers N] [--map NAME]

Issue 6's benchmark. The default map sweeps ionised Mg (0.2–0.8 mmol/L) against fatigue
(0–1) over the ``cramp`` preset shortened to 5 s (the trigger contraction ends at 3 s, so a
cramp has 2 s to show that it outlasts it); ``--map irritation-ca`` sweeps nerve
irritation (0–1) against ionised Ca (0.6–1.3 mmol/L) over a resting 100-unit muscle.
``--quick`` runs 5 x 5. The script prints the wall time, the throughput in simulations per
second and per second per core, and the class counts, and saves the regime map to OUT.png
(default: a new temporary directory). Not a test: it prints, it does not fail.

The time includes the start of the worker processes (import and numba cache load, a few
seconds each); the load average is printed at start and end, since other work on the
machine shows up directly in the figures.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", help="PNG file for the regime map")
    ap.add_argument("--quick", action="store_true", help="5 x 5 instead of 20 x 20")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    ap.add_argument("--map", choices=sorted(MAPS), default="mg-fatigue")
    args = ap.parse_args()
    n = 5 if args.quick else 20
    x, (x0, x1), y, (y0, y1) = MAPS[args.map]
    base = base_scenario(args.map)
    values = {x: np.round(np.linspace(x0, x1, n), 4), y: np.round(np.linspace(y0, y1, n), 4)}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = args.workers or cores
    print(f"musclesim {ms.__version__}; {cores} cores, {workers} worker processes; "
          f"load average at start {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"sweep: {n} x {n} = {n * n} runs of {base.name!r} ({base.n_units} units, "
          f"{base.duration_s:g} s), {x} x {y}")  # fmt: skip

    t0 = time.perf_counter()
    table = ms.sweep(base, max_workers=workers, **values)
    wall = time.perf_counter() - t0

    runs = len(table)
    print(f"wall time               {wall:8.1f} s")
    print(f"throughput              {runs / wall:8.3f} simulations/s")
    print(f"per core                {runs / wall / workers:8.3f} simulations/s/core "
          f"({wall * workers / runs:.2f} core-s per simulation)")  # fmt: skip
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
