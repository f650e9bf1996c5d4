"""Regenerate the speed table of ``benchmarks/README.md`` (issue 21) from the benchmarks.

Run from the repository root::

    python benchmarks/table.py [--quick] [--print]

Runs the measuring functions of ``bench_startup.py``, ``bench_sweep.py``,
``bench_kernel.py`` and ``bench_notebooks.py`` one after the other in this run and rewrites
the table between the ``<!-- speed-table -->`` markers of ``benchmarks/README.md``
(``--print``: print it instead). Each row gives what is measured, the figure now, its
target, and the reference it is compared with, measured in the same run. ``--quick`` runs
the kernel for 2 s instead of 10 s (the other rows are the same). Takes ~5–7 min on an idle
2-core machine. Not a test: a figure over its target is printed as such, not failed.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_kernel  # noqa: E402
import bench_notebooks  # noqa: E402
import bench_startup  # noqa: E402
import bench_sweep  # noqa: E402
import bench_tables  # noqa: E402

README = HERE / "README.md"
START = "<!-- speed-table -->"
END = "<!-- /speed-table -->"

#: Child: import numpy and numba only (what any numba package pays), time it.
DEPS_CODE = """
import json, time
t0 = time.perf_counter()
import numpy, numba
print(json.dumps({"import_s": time.perf_counter() - t0}))
"""


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"


def _verdict(ok: bool) -> str:
    return "meets" if ok else "**misses**"


def _deps_import_s(repeats: int) -> float:
    import statistics

    env = bench_startup._env(None)
    bench_startup._child_json(DEPS_CODE, env)
    return statistics.median(
        bench_startup._child_json(DEPS_CODE, env)["import_s"] for _ in range(repeats)
    )


def _readme_simulations_s() -> float:
    """The README job's two simulations alone, in this (warm) process, wall s."""
    import musclesim as ms

    ms.simulate("twitch", n_units=1, progress=False)  # kernel loaded before timing
    t0 = time.perf_counter()
    for name in ("spasm", "cramp"):
        ms.simulate(name, progress=False)
    return time.perf_counter() - t0


def build_table(quick: bool) -> str:
    load_start = _load()
    free_start = bench_sweep.free_cores(2)
    started = time.perf_counter()
    su = bench_startup.measure(repeats=3, cold=True)
    deps = _deps_import_s(5)
    sims = _readme_simulations_s()
    sw = bench_sweep.time_sweep(5, "mg-fatigue", [2])
    kt = bench_kernel.measure(100, 2.0 if quick else 10.0, 3)
    gate_err = max(e.max_abs for e in bench_tables.gate_errors())
    tab = bench_tables.end_to_end(20, 2.0)
    nbt = bench_notebooks.measure()
    slowest = max(nbt, key=nbt.__getitem__)
    minutes = (time.perf_counter() - started) / 60.0
    load_end = _load()
    free_end = bench_sweep.free_cores(2)
    assert su.cold_first_simulate_s is not None and su.readme_cold_s is not None
    assert su.readme_warm_s is not None
    rows = [
        ("first `ms.simulate` in a fresh process, empty kernel cache (compile)",
         f"{su.cold_first_simulate_s:.1f} s", "≤ 5 s", _verdict(su.cold_first_simulate_s <= 5),
         f"{su.cold_compiled} numba compilations"),
        ("README main job (`musclesim compare spasm cramp --out X --force`), empty cache",
         f"{su.readme_cold_s:.1f} s", "≤ 15 s", _verdict(su.readme_cold_s <= 15),
         f"same job, warm cache: {su.readme_warm_s:.1f} s"),
        ("same, warm cache (whole process)", f"{su.readme_warm_s:.1f} s", "≤ 3 s",
         _verdict(su.readme_warm_s <= 3),
         f"its two simulations alone, warm, in one process: {sims:.1f} s"),
        ("`import musclesim`, fresh process (median of 3)", f"{su.import_s:.2f} s", "≤ 0.3 s",
         _verdict(su.import_s <= 0.3), f"`import numpy, numba` alone: {deps:.2f} s"),
        ("`ms.sweep` 5 × 5 × 5-s 100-unit cramp runs, default pool of 2 vs serial",
         f"{sw.speedup(2):.2f}×", "≥ 1.8×", _verdict(sw.speedup(2) >= 1.8),
         f"serial (max_workers=1) {sw.serial_s:.1f} s wall ({sw.serial_cpu_s / sw.runs:.2f} "
         f"CPU-s per run), pool {sw.pool_s[2]:.1f} s; serial on 1 numba thread "
         f"{sw.serial_1_thread_s:.1f} s: pool {sw.speedup_1_thread(2):.2f}× that; cores free "
         f"just before the pool: {sw.free_cores:.1f} of 2"),
        (f"100 units × {kt.duration_s:g} s, kernel CPU per unit-step vs a plain numba HH cell "
         f"with tabulated rates (same dt, 1 thread)", f"{kt.hh_ratio:.2f}×", "≤ 1.3×",
         _verdict(kt.hh_ratio <= 1.3),
         f"kernel {kt.kernel_ns:.1f} ns/unit-step, HH {kt.hh_ns:.1f} ns/cell-step"),
        (f"the kernel's gate tables ({bench_tables.neuron.TABLE_DV_MV:g}-mV grid) vs exact "
         "rates: spike shift, median, 20 units × 2 s at 4 nA",
         f"{tab.tables_median_ms:.1g} ms", "< halving dt",
         _verdict(tab.exactness_kept),
         f"halving dt: {tab.half_dt_median_ms:.2g} ms; largest error of any tabulated x∞ or "
         f"e^(−dt/τ): {gate_err:.1e} (`bench_tables.py`)"),
        (f"kernel 100 units × {kt.duration_s:g} s, 2 threads vs 1 (wall)",
         f"{kt.thread_speedup:.2f}×", "≥ 1.8×", _verdict(kt.thread_speedup >= 1.8),
         f"1 thread {kt.wall_1_thread_s:.2f} s, 2 threads {kt.wall_2_threads_s:.2f} s "
         f"({kt.cpu_2_threads_s:.2f} CPU-s)"),
        ("slowest teaching notebook, top to bottom from a clean kernel (warm kernel cache)",
         f"{nbt[slowest]:.0f} s", f"≤ {bench_notebooks.TARGET_S:g} s",
         _verdict(nbt[slowest] <= bench_notebooks.TARGET_S),
         f"{slowest}; all: " + ", ".join(f"{n[:2]} {t:.0f} s" for n, t in nbt.items())),
    ]  # fmt: skip
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, cwd=HERE, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit = "?"
    lines = [
        START,
        f"Generated by `python benchmarks/table.py{' --quick' if quick else ''}` on "
        f"{_dt.date.today().isoformat()} (commit {commit}), {os.cpu_count()} CPUs "
        f"({platform.processor() or platform.machine()}), Python "
        f"{platform.python_version()}; load average {load_start} at start, {load_end} at "
        f"end ({minutes:.1f} min); cores free to this run (two processes spinning for 1 s, "
        f"`bench_sweep.free_cores`) {free_start:.1f} of 2 at start, {free_end:.1f} at end. "
        f"Every figure is one run of this script: on a shared machine, other work changes "
        f"them, and no ratio of 2 cores to 1 can exceed the cores free.",
        "",
        "| what | now | target | verdict | reference, same run |",
        "|---|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows),
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="kernel rows on 2 s, not 10 s")
    ap.add_argument("--print", action="store_true", help="print, do not rewrite README.md")
    args = ap.parse_args(argv)
    table = build_table(args.quick)
    if args.print:
        print(table)
        return 0
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{README}: the markers {START} and {END} are missing")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(head + table + tail, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
