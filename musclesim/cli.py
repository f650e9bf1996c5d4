"""The ``musclesim`` console command: list presets, run one, compare several.

Examples
--------
::

    musclesim list
    musclesim run twitch --csv twitch.csv
    musclesim compare twitch unfused tetanus --out comparison.png

Exit codes: 0 success, 1 a failed run (``SimulationError``) or a file that could not be
written, 2 bad input (unknown scenario, value out of range, a run too large for memory,
unsupported output format, an output path that is missing, a directory, or already exists
without ``--force``). Every error is one line on stderr; ``--debug`` shows the traceback.
Output paths are checked before anything is simulated.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import plot
from ._version import __version__
from .analysis import Metrics
from .classification import classify, measure_involuntary
from .errors import MusclesimError
from .presets import describe_scenarios, scenario
from .result import Result
from .simulation import simulate

#: File formats ``musclesim compare --out`` writes, by extension.
FIGURE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

#: Resolution of PNG figures, dots per inch: sharp when projected full-width on a slide.
PNG_DPI = 150

# How ``run`` prints each metric: (unit, scale, format). Unlisted fields print unscaled.
_METRIC_UNITS: dict[str, tuple[str, float, str]] = {
    "peak_force": ("% of max", 100.0, ".1f"),
    "onset_s": ("s", 1.0, ".3f"),
    "time_to_peak_s": ("s", 1.0, ".3f"),
    "duration_s": ("s", 1.0, ".3f"),
    "mean_force": ("% of max", 100.0, ".1f"),
    "active_units": ("units", 1.0, "d"),
    "total_spikes": ("spikes", 1.0, "d"),
    "mean_rate_hz": ("Hz", 1.0, ".1f"),
    "peak_rate_hz": ("Hz", 1.0, ".1f"),
    "cv_isi": ("", 1.0, ".2f"),
    "doublet_fraction": ("% of ISIs", 100.0, ".1f"),
    "emg_rms_mV": ("mV", 1.0, ".3f"),
    "emg_median_hz": ("Hz", 1.0, ".0f"),
    "metabolite_end_mM": ("mM Pi", 1.0, ".1f"),
    "rise_time_s": ("s", 1.0, ".3f"),
    "decay_s": ("s", 1.0, ".3f"),
    "sustained_after_drive_s": ("s", 1.0, ".2f"),
    "mean_burst_spikes": ("spikes per burst", 1.0, ".2f"),
    "multiplet_fraction": ("% of bursts >= 3 spikes", 100.0, ".1f"),
    "intraburst_isi_ms": ("ms", 1.0, ".1f"),
}


class _UsageError(Exception):
    """A command-line mistake: reported on stderr with exit code 2."""


def _format_value(value: object, scale: float, fmt: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if fmt == "d":
        return str(int(value))
    return format(value * scale, fmt)


def metric_lines(metrics: Metrics) -> list[str]:
    """Metrics as aligned ``name value unit`` lines (force in %, times in s, rates in Hz)."""
    rows = []
    for name, value in metrics.as_dict().items():
        unit, scale, fmt = _METRIC_UNITS.get(name, ("", 1.0, "g"))
        rows.append((name, _format_value(value, scale, fmt), unit))
    w_name = max(len(r[0]) for r in rows)
    w_val = max(len(r[1]) for r in rows)
    return [f"{n:<{w_name}}  {v:>{w_val}}  {u}".rstrip() for n, v, u in rows]


def summary_line(res: Result) -> str:
    """One line per result: class, peak force (%), active motor neurons, mean rate (Hz),
    ISI CV, and for an after-discharge its force, rate and CV after the drive."""
    m = res.metrics()

    def f(x: float, spec: str) -> str:
        return "–" if math.isnan(x) else format(x, spec)

    line = (
        f"{res.scenario.name}: {classify(res)}, peak force {100.0 * m.peak_force:.1f} %, "
        f"active MNs {m.active_units}/{len(res.spike_times)}, "
        f"mean rate {f(m.mean_rate_hz, '.1f')} Hz, ISI CV {f(m.cv_isi, '.2f')}"
    )
    inv = measure_involuntary(res)
    if inv.kind == "after-discharge":
        # What outlasts the trigger, as the comparison figure's box reports it.
        line += (f"; after the drive: {100.0 * inv.mean_force:.1f} % force, "
                 f"{f(inv.mean_rate_hz, '.1f')} Hz, ISI CV {f(inv.cv_isi, '.2f')}")  # fmt: skip
    return line


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="musclesim",
        description="Teaching simulator of muscle spasm, cramp and tetany (not a medical device).",
    )
    p.add_argument("--version", action="version", version=f"musclesim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", help="on an error, show the full traceback")
    sub.add_parser(
        "list", parents=[debug], help="list the preset scenarios with one-line descriptions"
    )

    common = argparse.ArgumentParser(add_help=False, parents=[debug])
    common.add_argument(
        "--force", action="store_true", help="overwrite output files that already exist"
    )
    common.add_argument(
        "--duration", type=float, metavar="S", help="simulated time, s (default: the preset's)"
    )
    common.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="seed of the random synaptic noise (default: the preset's)",
    )

    run = sub.add_parser("run", parents=[common], help="simulate one preset, print its metrics")
    run.add_argument("name", metavar="NAME", help="preset scenario (see 'musclesim list')")
    run.add_argument("--csv", metavar="FILE", type=Path, help="also write the traces to CSV")

    cmp_ = sub.add_parser(
        "compare", parents=[common], help="simulate presets and draw them side by side"
    )
    cmp_.add_argument("names", nargs="+", metavar="NAME", help="preset scenarios to compare")
    cmp_.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        default=Path("comparison.png"),
        help="figure file: .png, .svg or .pdf (default: comparison.png)",
    )
    return p


def _changes(args: argparse.Namespace) -> dict[str, object]:
    ch: dict[str, object] = {}
    if args.duration is not None:
        ch["duration_s"] = args.duration
    if args.seed is not None:
        ch["seed"] = args.seed
    return ch


def _simulate(name: str, changes: dict[str, object]) -> Result:
    try:
        sc = scenario(name).replace(**changes)
    except (ValueError, TypeError) as exc:
        raise _UsageError(str(exc)) from None
    try:
        return simulate(sc)
    except (ValueError, TypeError) as exc:  # bad input found when the run is set up
        raise _UsageError(str(exc)) from None


def _check_output(option: str, path: Path, force: bool) -> None:
    """Refuse an output path before simulating: its folder must exist and be writable, it
    must not be a folder, and it must not exist unless ``--force``."""
    shown = f"{option} {str(path)!r}"
    if path.is_dir():
        raise _UsageError(f"{shown} is a directory; give a file name")
    if not path.parent.is_dir():
        raise _UsageError(f"{shown}: directory {str(path.parent)!r} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise _UsageError(f"{shown}: directory {str(path.parent)!r} is not writable")
    if path.exists() and not force:
        raise _UsageError(f"{shown} already exists; use --force to overwrite it")


def _cmd_list() -> int:
    d = describe_scenarios()
    w = max((len(k) for k in d), default=0)
    for name, text in d.items():
        print(f"{name:<{w}}  {text}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    if args.csv is not None:
        _check_output("--csv", args.csv, args.force)
    res = _simulate(args.name, _changes(args))
    sc = res.scenario
    print(f"# musclesim {res.version}: {sc.name}, {sc.duration_s:g} s, seed {sc.seed}")
    for line in metric_lines(res.metrics()):
        print(line)
    if args.csv is not None:
        print(f"wrote {res.to_csv(args.csv)}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    out: Path = args.out
    fmt = FIGURE_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise _UsageError(
            f"--out {str(out)!r}: unsupported figure format {out.suffix or '(no extension)'!r};"
            f" use one of {', '.join(FIGURE_FORMATS)}"
        )
    _check_output("--out", out, args.force)
    for name in args.names:  # fail on a bad name before spending time simulating
        try:
            scenario(name)
        except (ValueError, TypeError) as exc:
            raise _UsageError(str(exc)) from None
    changes = _changes(args)
    results = [_simulate(name, changes) for name in args.names]

    import matplotlib

    # A console command has no screen to draw on; Agg writes files only.
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plot.compare(results)
    try:
        fig.savefig(out, format=fmt, dpi=PNG_DPI)
    finally:
        plt.close(fig)
    print(f"wrote {out}")
    for res in results:
        print(summary_line(res))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``musclesim`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` if None.

    Returns
    -------
    int
        Exit code: 0 success, 1 a failed simulation or file error, 2 bad input (see the
        module docstring).
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and argparse's own usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    try:
        if args.command == "list":
            return _cmd_list()
        if args.command == "run":
            return _cmd_run(args)
        return _cmd_compare(args)
    except Exception as exc:
        if args.debug:
            raise
        if isinstance(exc, _UsageError):
            code, text = 2, str(exc)
        elif isinstance(exc, MusclesimError | OSError):
            code, text = 1, str(exc)
        else:  # a bug: say so in one line, the traceback is one --debug away
            code, text = 1, (f"internal error {type(exc).__name__}: {exc} (rerun with --debug "
                             f"for the traceback, and please report it)")  # fmt: skip
        print(f"musclesim: error: {' '.join(text.split())}", file=sys.stderr)
        return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
