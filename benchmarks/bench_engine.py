"""Speed of the musclesim engine against the figures of docs/science.md §4 and the issues.

Run from the repository root::

    python benchmarks/bench_engine.py           # full run, a few minutes
    python benchmarks/bench_engine.py --quick   # smoke test, < 30 s, shortened runs

Everything is timed with ``time.perf_counter`` in this one process (plus two kinds of
child process for the start-up figures). The figures printed:

import / first simulate, fresh process, warm cache
    A child process runs ``import musclesim`` and then ``ms.simulate('twitch', n_units=1)``
    and reports both times. It is run twice and the second run is reported, so numba's
    on-disk cache (``cache=True``) is warm: this is what a student sees when starting a
    notebook after the first ever run.
first simulate, fresh process, empty cache
    The same child process with ``NUMBA_CACHE_DIR`` pointing at a new empty directory:
    every compiled function is compiled from scratch (the first run after installing or
    after the engine changed). Skipped with ``--quick``.
first simulate in this process
    The first ``ms.simulate`` of this benchmark process (loading or compiling the kernel
    plus one short run); says whether numba found the kernel in its cache.
fixed step, 1 unit × 10 s and 100 units × 10 s
    ``ms.simulate`` end to end (building inputs, the compiled kernel, wrapping the Result),
    median of repeats after one untimed warm-up run. The drive is a current step into
    every motor neuron, strong enough to recruit nearly the whole 100-unit pool, with the
    default synaptic noise; the spike count says how much firing was simulated.
    ns per unit-step = time / (n_units × steps), steps = duration / dt (dt = 0.025 ms).
reference (solve_ivp, Radau)
    ``ms.simulate(..., method="reference")`` on the same scenario, shortened (it is a
    Python right-hand side and runs tens of seconds per simulated second). Its time per
    simulated second is scaled to the fixed-step run's duration to give the ratio
    reference / fixed; the output says which figures are extrapolated and from what.
where the time goes
    The 100-unit run split into setup (inputs, noise, rest state, Result) and the compiled
    kernel, and the kernel again with no drive (no spikes), to show whether spikes or the
    per-step work of every unit dominate. ``profile_engine.py`` splits the kernel further
    into the neuron and the muscle-fibre parts.

Targets (the issues are newer than docs/science.md and win): 1 unit × 10 s ≤ 20 ms;
100 units × 10 s ≤ 1.5 s (issue 2), ≤ 1 s (issue 3); first simulate in a fresh process with
a warm cache ≤ 3 s; import ≤ 1 s; first simulate with compilation ≤ 5 s (docs/science.md §4).
Targets assume a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

import numpy as np

DT_MS = 0.025
#: Drive of the speed runs: a current step (nA) into every motor neuron. 4 nA recruits
#: nearly the whole default 100-unit pool (the output prints how many units fired) and
#: drives the single, mid-sized unit of a 1-unit pool at ~8–9 Hz.
DRIVE_NA = 4.0
DRIVE_START_S = 0.02

#: The child process of the start-up figures (the command quoted in the issue).
COLD_START_CODE = (
    "import time; t=time.perf_counter(); import musclesim as ms; t1=time.perf_counter(); "
    "ms.simulate('twitch', n_units=1); print(t1-t, time.perf_counter()-t1)"
)


@dataclass(frozen=True)
class Settings:
    """Sizes of one benchmark run (full or quick)."""

    duration_s: float  # fixed-step runs
    repeats_1: int  # repeats of the 1-unit run
    repeats_100: int  # repeats of the 100-unit run
    ref_runs: tuple[tuple[int, float], ...]  # reference runs: (n_units, duration_s)
    compile_from_scratch: bool


FULL = Settings(10.0, 7, 3, ((1, 0.5), (3, 0.2)), True)
QUICK = Settings(0.5, 3, 3, ((1, 0.05),), False)


@dataclass
class Row:
    """One line of the results table."""

    figure: str
    seconds: float | None
    extra: str = ""
    target_s: float | None = None
    target_label: str = ""

    def verdict(self) -> str:
        if self.target_s is None or self.seconds is None:
            return ""
        return "PASS" if self.seconds <= self.target_s else "OVER"


# --------------------------------------------------------------------------- measurements


def machine_lines() -> list[str]:
    """Platform, CPU count and library versions."""
    import numba
    import scipy

    import musclesim as ms

    cpus = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = cpus
    cpu_name = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu_name = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return [
        f"machine : {platform.platform()}, {cpu_name}",
        f"          {cpus} CPUs ({usable} usable by this process)",
        f"python  : {platform.python_version()} ({sys.executable})",
        f"versions: musclesim {ms.__version__}, numpy {np.__version__}, "
        f"numba {numba.__version__}, scipy {scipy.__version__}",
    ]


def load_average() -> str:
    """1-, 5- and 15-minute load averages, or n/a where the OS has none."""
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


def numba_threading() -> str:
    """How the kernel uses several cores: its own threads, as many as numba's thread count
    (``numba.set_num_threads``), for pools of at least ``PARALLEL_MIN_UNITS`` units."""
    import numba

    from musclesim.engine import fixed

    how = (
        "POSIX threads, each over a share of the unit groups"
        if fixed.TEAM_THREADS
        else "one thread (no POSIX threads on this platform)"
    )
    return (
        f"{how}; numba.get_num_threads() = {numba.get_num_threads()} "
        f"(NUMBA_NUM_THREADS={numba.config.NUMBA_NUM_THREADS}); pools of >= "
        f"{fixed.PARALLEL_MIN_UNITS} units"
    )


def first_simulate_in_process() -> tuple[float, str]:
    """Time the first ms.simulate of this process; say if numba used its on-disk cache."""
    import musclesim as ms

    t0 = time.perf_counter()
    ms.simulate("twitch", n_units=1)
    seconds = time.perf_counter() - t0
    try:
        from musclesim.engine.fixed import run_kernel

        stats = run_kernel.stats
        hits, misses = sum(stats.cache_hits.values()), sum(stats.cache_misses.values())
        if hits and not misses:
            how = "kernel loaded from numba's disk cache"
        else:
            how = "kernel compiled (cache missing or stale)"
    except Exception:
        how = "cache status unknown"
    return seconds, how


def cold_start(runs: int = 2, cache_dir: str | None = None) -> tuple[float, float]:
    """(import s, first simulate s) of a fresh ``python -c`` child; the last of ``runs``."""
    env = dict(os.environ)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = cache_dir
    result = (float("nan"), float("nan"))
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", COLD_START_CODE],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        t_import, t_first = (float(x) for x in out.stdout.split()[-2:])
        result = (t_import, t_first)
    return result


def compile_from_scratch() -> tuple[float, float]:
    """Cold start with an empty numba cache directory: every function is compiled."""
    with tempfile.TemporaryDirectory(prefix="musclesim-numba-cache-") as d:
        return cold_start(runs=1, cache_dir=d)


def pool_scenario(n_units: int, duration_s: float, drive_nA: float = DRIVE_NA):
    """The benchmark scenario: a current step into every unit from DRIVE_START_S on."""
    import musclesim as ms

    drive = None
    if drive_nA:
        drive = ms.protocols.current_step(drive_nA, DRIVE_START_S, duration_s)
    return ms.Scenario(
        name=f"bench-{n_units}u", n_units=n_units, duration_s=duration_s, drive=drive
    )


def spike_count(res) -> int:
    return int(sum(s.size for s in res.spike_times))


def time_simulate(sc, repeats: int, method: str = "fixed") -> tuple[float, list[float], object]:
    """Median wall time of ``ms.simulate(sc)`` over ``repeats`` runs (after a warm-up)."""
    import musclesim as ms

    # Warm-up: the same kernel signature, short, so first-call costs (numba dispatch,
    # scipy.signal import for the noise) stay out of the timed runs.
    warm_s = 0.05 if method == "fixed" else 0.005
    ms.simulate(sc.replace(duration_s=min(sc.duration_s, warm_s)), method=method, dt_ms=DT_MS)
    times = []
    res = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = ms.simulate(sc, method=method, dt_ms=DT_MS)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, res


def kernel_split(sc, repeats: int) -> tuple[float, float] | None:
    """(setup s, kernel s) of ``ms.simulate(sc)``, medians; None if the internals changed.

    Uses the engine's internal entry points (``build_engine_input``, ``run_fixed_step``),
    which are not public API; the benchmark reports n/a rather than fail if they move.
    """
    try:
        from musclesim import engine as E
        from musclesim.inputs import build_engine_input

        inp = build_engine_input(sc)
        rec = np.array([0], dtype=np.int64)
        E.run_fixed_step(inp, DT_MS, 1.0, rec, sc.name)
        kernel = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            E.run_fixed_step(inp, DT_MS, 1.0, rec, sc.name)
            kernel.append(time.perf_counter() - t0)
        setup = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            build_engine_input(sc)
            setup.append(time.perf_counter() - t0)
        return statistics.median(setup), statistics.median(kernel)
    except Exception as exc:
        print(f"  (kernel split not available: {type(exc).__name__}: {exc})")
        return None


# --------------------------------------------------------------------------- formatting


def fmt_s(seconds: float | None) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "n/a"
    if seconds < 1.0:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def ns_per_unit_step(seconds: float, n_units: int, duration_s: float) -> float:
    return seconds / (n_units * round(duration_s * 1000.0 / DT_MS)) * 1e9


def print_table(rows: list[Row]) -> None:
    w_fig = max(len(r.figure) for r in rows)
    w_val = max(len(fmt_s(r.seconds)) for r in rows)
    w_ext = max(len(r.extra) for r in rows)
    w_tgt = max(len(r.target_label) for r in rows)
    header = (
        f"{'figure':<{w_fig}}  {'measured':>{w_val}}  {'detail':<{w_ext}}  "
        f"{'target':<{w_tgt}}  verdict"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.figure:<{w_fig}}  {fmt_s(r.seconds):>{w_val}}  {r.extra:<{w_ext}}  "
            f"{r.target_label:<{w_tgt}}  {r.verdict()}"
        )


# --------------------------------------------------------------------------- the report


def startup_rows(cfg: Settings) -> list[Row]:
    """Import and first-simulate times of fresh child processes."""
    imp, first = cold_start(runs=2)
    rows = [
        Row("import musclesim, fresh process, warm cache", imp, "2nd of 2 child runs",
            target_s=1.0, target_label="<= 1 s"),
        Row("first simulate('twitch', n_units=1), fresh, warm", first, "2nd of 2 child runs",
            target_s=3.0, target_label="<= 3 s"),
    ]  # fmt: skip
    if cfg.compile_from_scratch:
        imp0, first0 = compile_from_scratch()
        rows.append(
            Row("first simulate, fresh process, EMPTY cache", first0,
                f"compiles all; import {fmt_s(imp0)}", target_s=5.0,
                target_label="<= 5 s (DESIGN 4)")
        )  # fmt: skip
    return rows


@dataclass
class FixedRuns:
    """Medians and results of the fixed-step runs (for the ratios and the breakdown)."""

    duration_s: float
    scenarios: dict  # n_units -> Scenario
    median_s: dict  # n_units -> median seconds
    results: dict  # n_units -> Result of the last repeat


def fixed_rows(cfg: Settings) -> tuple[list[Row], FixedRuns]:
    """1 unit and 100 units with the fixed-step engine, against the 10-s targets."""
    d = cfg.duration_s
    scale = 10.0 / d  # the targets are for 10 s simulated
    tag = "" if d == 10.0 else f" [x{scale:g} -> 10 s]"
    runs = FixedRuns(d, {}, {}, {})
    for n, repeats in ((1, cfg.repeats_1), (100, cfg.repeats_100)):
        sc = pool_scenario(n, d)
        med, _, res = time_simulate(sc, repeats)
        runs.scenarios[n], runs.median_s[n], runs.results[n] = sc, med, res
    rows = []
    med1, res1 = runs.median_s[1], runs.results[1]
    rows.append(
        Row(f"fixed 1 unit x {d:g} s, median of {cfg.repeats_1}{tag}", med1 * scale,
            f"{ns_per_unit_step(med1, 1, d):.0f} ns/unit-step, {spike_count(res1)} spikes",
            target_s=0.020, target_label="<= 20 ms")
    )  # fmt: skip
    med100, res100 = runs.median_s[100], runs.results[100]
    detail = (
        f"{ns_per_unit_step(med100, 100, d):.0f} ns/unit-step, {spike_count(res100)} spikes, "
        f"{res100.active_units}/100 active"
    )
    rows.append(
        Row(f"fixed 100 units x {d:g} s, median of {cfg.repeats_100}{tag}", med100 * scale,
            detail, target_s=1.5, target_label="<= 1.5 s (issue 2)")
    )  # fmt: skip
    rows.append(
        Row("  same, against issue 3", med100 * scale, "", target_s=1.0,
            target_label="<= 1 s (issue 3)")
    )  # fmt: skip
    return rows, runs


def reference_rows(cfg: Settings, fixed: FixedRuns) -> tuple[list[Row], list[str]]:
    """The solve_ivp path on shortened copies of the scenario, extrapolated; with notes."""
    d = fixed.duration_s
    rows: list[Row] = []
    notes: list[str] = []
    for n_ref, d_ref in cfg.ref_runs:
        sc_ref = pool_scenario(n_ref, d_ref)
        t_ref, _, res_ref = time_simulate(sc_ref, 1, method="reference")
        _, _, res_fix = time_simulate(sc_ref, 1)  # spike count of the same window
        per_s = t_ref / d_ref
        rows.append(
            Row(f"reference (Radau) {n_ref} unit(s) x {d_ref:g} s", t_ref,
                f"{per_s:.1f} s per simulated s; spikes ref {spike_count(res_ref)}, "
                f"fixed {spike_count(res_fix)}")
        )  # fmt: skip
        if n_ref == 1:
            ratio = per_s * d / fixed.median_s[1]
            rows.append(
                Row(f"  -> 1 unit x {d:g} s, extrapolated", per_s * d,
                    f"ratio reference/fixed = {ratio:.0f}x")
            )  # fmt: skip
            notes.append(
                f"The 1-unit reference time for {d:g} s is EXTRAPOLATED linearly from "
                f"one {d_ref:g}-s run ({fmt_s(t_ref)}), i.e. {per_s:.1f} s per "
                f"simulated second x {d:g} s."
            )
        else:
            per_unit_s = per_s / n_ref
            est = per_unit_s * 100 * d
            ratio = est / fixed.median_s[100]
            rows.append(
                Row(f"  -> 100 units x {d:g} s, extrapolated", est,
                    f"ratio reference/fixed >= {ratio:.0f}x")
            )  # fmt: skip
            notes.append(
                f"The 100-unit reference time is EXTRAPOLATED from one {n_ref}-unit "
                f"x {d_ref:g}-s run ({per_unit_s:.1f} s per unit per simulated "
                f"second) x 100 units x {d:g} s, assuming cost linear in units. It "
                f"grows faster than that with more units (Radau builds a dense "
                f"finite-difference Jacobian of 14 states per unit and stops at every "
                f"spike of any unit), so the figure and ratio are lower bounds."
            )
    return rows, notes


def breakdown_lines(fixed: FixedRuns, repeats: int) -> list[str]:
    """Setup against kernel, and the kernel with and without spikes."""
    d = fixed.duration_s
    lines = [f"where the time goes ({d:g} s simulated, medians):"]
    for n in (1, 100):
        split = kernel_split(fixed.scenarios[n], repeats)
        if split is None:
            continue
        setup, kernel = split
        label = "1 unit" if n == 1 else f"{n} units"
        lines.append(
            f"  {label:>9}: setup (inputs, noise, rest state) {fmt_s(setup):>9}, "
            f"compiled kernel {fmt_s(kernel):>9} = {ns_per_unit_step(kernel, n, d):.0f} "
            f"ns/unit-step (ms.simulate total {fmt_s(fixed.median_s[n])})"
        )
        if n == 100:
            quiet = kernel_split(pool_scenario(100, d, drive_nA=0.0), repeats)
            if quiet is not None:
                lines.append(
                    f"  100 units, no drive (0 spikes): kernel {fmt_s(quiet[1]):>9} = "
                    f"{ns_per_unit_step(quiet[1], 100, d):.0f} ns/unit-step, against "
                    f"{ns_per_unit_step(kernel, 100, d):.0f} with the drive "
                    f"({spike_count(fixed.results[100])} spikes)"
                )
    lines.append("  (benchmarks/profile_engine.py splits the kernel into neuron and fibre)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: shortened runs, < 30 s")
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    wall0 = time.perf_counter()

    # First things first: nothing of musclesim may have run before these two figures.
    t0 = time.perf_counter()
    import musclesim  # noqa: F401 - timed (numpy is already imported by this script)

    t_import_here = time.perf_counter() - t0
    t_first_here, cache_note = first_simulate_in_process()

    print(f"musclesim engine benchmark ({'QUICK: shortened runs' if args.quick else 'full run'})")
    print(f"load average at start: {load_average()} (other processes share the CPUs)")
    for line in machine_lines():
        print(line)
    print()

    rows = startup_rows(cfg)
    rows.append(Row("first simulate in this process", t_first_here, cache_note))
    rows.append(Row("import musclesim in this process", t_import_here, "numpy already imported"))
    fixed_r, fixed = fixed_rows(cfg)
    ref_r, notes = reference_rows(cfg, fixed)
    rows += fixed_r + ref_r
    breakdown = breakdown_lines(fixed, repeats=1 if args.quick else 3)

    print(
        f"fixed-step scenario: {DRIVE_NA:g}-nA current step into every motor neuron from "
        f"{DRIVE_START_S:g} s to the end, default synaptic noise, dt = {DT_MS} ms, "
        f"voltage of unit 0 recorded every 1 ms; times are ms.simulate end to end."
    )
    if cfg.duration_s != 10.0:
        print(
            f"QUICK: runs are {cfg.duration_s:g} s; rows marked [x... -> 10 s] are scaled "
            f"linearly to 10 s before comparing with the targets. Not a real measurement."
        )
    print(f"kernel threads: {numba_threading()}")
    print()
    print_table(rows)
    for n in notes:
        print(f"note: {n}")
    print()
    for line in breakdown:
        print(line)
    print(f"load average at end: {load_average()}")
    print(f"(benchmark wall time {time.perf_counter() - wall0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
