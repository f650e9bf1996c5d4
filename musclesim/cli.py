"""The ``musclesim`` console command: list scenarios, show one as TOML, run, compare.

Examples
--------
::

    musclesim list
    musclesim run cramp --seed 2 --csv cramp.csv --spikes spikes.csv --emg emg.csv
    musclesim show cramp > my_cramp.toml      # edit it, then:
    musclesim run my_cramp.toml
    musclesim compare spasm cramp --out comparison.png
    musclesim explore                         # sliders in the browser, no code

Wherever a scenario NAME is asked for, a scenario file (``.toml`` or ``.json``, as
``musclesim show`` or ``Scenario.to_toml`` writes) may be given instead.

Exit codes: 0 success, 1 a failed run (``SimulationError``) or a file that could not be
written, 2 bad input (unknown scenario — the closest names are suggested —, a scenario
file that is missing or malformed, value out of range, a run too large for memory,
unsupported output format, an output path that is missing, a directory, or already exists
without ``--force``, a port out of range or in use). Every error is one line on stderr;
``--debug`` shows the traceback.
Output paths are checked before anything is simulated.
"""

from __future__ import annotations

import argparse
import difflib
import errno
import os
import sys
import textwrap
import webbrowser
from collections.abc import Sequence
from pathlib import Path

from . import explorer, plot
from ._fields import commented_toml
from ._version import __version__
from .analysis import metric_lines, summary_rows
from .classification import classify
from .errors import MusclesimError
from .presets import describe_scenarios, scenario, scenario_names
from .result import Result
from .scenarios import Scenario
from .simulation import simulate

__all__ = ["EXIT_CODES", "main", "metric_lines", "summary_line"]

#: File formats ``musclesim compare --out`` writes, by extension.
FIGURE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

#: Resolution of PNG figures, dots per inch: sharp when projected full-width on a slide.
PNG_DPI = 150

#: Scenario file formats a NAME may be, by extension.
SCENARIO_FILES = (".toml", ".json")

#: What each exit code means (also printed by ``musclesim --help``).
EXIT_CODES = {
    0: "success",
    1: "the simulation failed, or an output file could not be written",
    2: "bad input: unknown scenario, bad scenario file, value out of range, bad output path, "
    "port out of range or in use",
}

#: Port ``musclesim explore`` listens on unless ``--port`` says otherwise. Teaching
#: choice: rarely taken by other tools (Jupyter uses 8888, Voilà 8866, Bokeh 5006).
EXPLORE_PORT = 8765


class _UsageError(Exception):
    """A command-line mistake: reported on stderr with exit code 2."""


def summary_line(res: Result) -> str:
    """One line per result: its class and the rows of the comparison figure's box
    (:func:`musclesim.analysis.summary_rows`, from the result's one ``metrics()``)."""
    rows = "; ".join(f"{k}: {v}" for k, v in summary_rows(res))
    return f"{res.scenario.name}: {classify(res)}; {rows}"


def _scenario_list(width: int = 0) -> str:
    d = describe_scenarios()
    w = max((len(k) for k in d), default=0)
    if width <= 0:
        return "\n".join(f"{name:<{w}}  {text}" for name, text in d.items())
    lines = []
    for name, text in d.items():
        wrapped = textwrap.wrap(text, max(30, width - w - 4)) or [""]
        lines.append(f"  {name:<{w}}  {wrapped[0]}")
        lines += [f"  {'':<{w}}  {more}" for more in wrapped[1:]]
    return "\n".join(lines)


def _epilog() -> str:
    codes = "\n".join(f"  {k}  {v}" for k, v in EXIT_CODES.items())
    return (
        f"scenarios (NAME):\n{_scenario_list(width=88)}\n\n"
        f"A scenario file (FILE.toml or FILE.json) may be given wherever a NAME is:\n"
        f"  musclesim show cramp > my_cramp.toml   (edit it, then)\n"
        f"  musclesim run my_cramp.toml\n\n"
        f"exit codes:\n{codes}\n\n"
        f"'musclesim COMMAND --help' gives the options of a command."
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="musclesim",
        description="Teaching simulator of muscle spasm, cramp and tetany (not a medical device).",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"musclesim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", help="on an error, show the full traceback")
    sub.add_parser(
        "list", parents=[debug], help="list the preset scenarios with one-line descriptions"
    )

    changes = argparse.ArgumentParser(add_help=False)
    changes.add_argument(
        "--duration", type=float, metavar="S", help="simulated time, s (default: the scenario's)"
    )
    changes.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="seed of the random synaptic noise (default: the scenario's)",
    )
    common = argparse.ArgumentParser(add_help=False, parents=[debug, changes])
    common.add_argument(
        "--force", action="store_true", help="overwrite output files that already exist"
    )
    common.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress bars (default: only when stderr is a terminal)",
    )

    run = sub.add_parser(
        "run",
        parents=[common],
        help="simulate a preset or a scenario file, print its metrics",
        description="Simulate one scenario (a preset or a scenario file) and print its metrics "
        "(force in % of maximal) and a summary line; optionally write CSV files.",
    )
    run.add_argument("name", metavar="NAME", help="preset (see 'musclesim list') or FILE.toml")
    run.add_argument(
        "--csv", metavar="FILE", type=Path,
        help="write the traces: time_s, force_pct_max, ca_uM, ... (units in every header)",
    )  # fmt: skip
    run.add_argument(
        "--spikes", metavar="FILE", type=Path,
        help="write the motor-neuron spikes, one row per spike: unit, time_s",
    )  # fmt: skip
    run.add_argument(
        "--emg", metavar="FILE", type=Path, help="write the surface EMG: time_s, emg_mV"
    )

    show = sub.add_parser(
        "show",
        parents=[debug, changes],
        help="print a scenario as commented TOML, to edit and give back to 'run'",
        description="Print a scenario as commented TOML. Save it (musclesim show cramp > "
        "my.toml), edit it and run it (musclesim run my.toml).",
    )
    show.add_argument("name", metavar="NAME", help="preset (see 'musclesim list') or FILE.toml")
    show.add_argument(
        "--all",
        action="store_true",
        help="every field, model parameters included (default: only what differs from "
        "the defaults)",
    )

    cmp_ = sub.add_parser(
        "compare", parents=[common], help="simulate scenarios and draw them side by side"
    )
    cmp_.add_argument(
        "names", nargs="+", metavar="NAME", help="presets or scenario files to compare"
    )
    cmp_.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        default=Path("comparison.png"),
        help="figure file: .png, .svg or .pdf (default: comparison.png)",
    )

    exp = sub.add_parser(
        "explore",
        parents=[debug],
        help="open the explorer in the web browser: sliders, live panels, no code",
        description="Serve the explorer on this computer (http://127.0.0.1:PORT/) and open "
        "it in the web browser: two muscles side by side (spasm and cramp to start with), "
        "sliders for plasma ions, nerve irritation, fatigue, length and a treatment; every "
        "move re-runs the model. Stop it with Ctrl+C.",
    )
    exp.add_argument(
        "--port", type=int, default=EXPLORE_PORT, metavar="N",
        help=f"TCP port, 0-65535; 0 takes any free port (default: {EXPLORE_PORT})",
    )  # fmt: skip
    exp.add_argument(
        "--no-browser", action="store_true",
        help="do not open a browser; only print the address",
    )  # fmt: skip
    return p


def _changes(args: argparse.Namespace) -> dict[str, object]:
    ch: dict[str, object] = {}
    if args.duration is not None:
        ch["duration_s"] = args.duration
    if args.seed is not None:
        ch["seed"] = args.seed
    return ch


def _unknown_name(name: str) -> str:
    names = scenario_names()
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    guess = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    return (
        f"unknown scenario {name!r}; {guess}valid names: {', '.join(names)} "
        f"('musclesim list' describes them; a scenario file must end in .toml or .json)"
    )


def _load(name: str, changes: dict[str, object] | None = None) -> Scenario:
    """The scenario a NAME stands for (a preset or a scenario file), with ``changes``."""
    path = Path(name)
    try:
        if path.suffix.lower() in SCENARIO_FILES:
            if not path.is_file():
                raise _UsageError(f"scenario file {name!r} does not exist")
            reader = Scenario.from_toml if path.suffix.lower() == ".toml" else Scenario.from_json
            sc = reader(path)
        elif name in scenario_names():
            sc = scenario(name)
        else:
            raise _UsageError(_unknown_name(name))
        return sc.replace(**(changes or {}))
    except (ValueError, TypeError) as exc:
        raise _UsageError(str(exc)) from None


def _simulate(sc: Scenario, progress: bool | None) -> Result:
    try:
        return simulate(sc, progress=progress)
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
    print(_scenario_list())
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    sc = _load(args.name, _changes(args))
    sys.stdout.write(commented_toml(sc, describe_scenarios().get(args.name, ""), full=args.all))
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    outputs = [("--csv", args.csv, "traces"), ("--spikes", args.spikes, "spikes"),
               ("--emg", args.emg, "emg")]  # fmt: skip
    for option, path, _ in outputs:
        if path is not None:
            _check_output(option, path, args.force)
    res = _simulate(_load(args.name, _changes(args)), args.progress)
    sc = res.scenario
    print(f"# musclesim {res.version}: {sc.name}, {sc.duration_s:g} s, seed {sc.seed}")
    for line in metric_lines(res.metrics()):
        print(line)
    print(summary_line(res))
    for _, path, what in outputs:
        if path is not None:
            print(f"wrote {res.to_csv(path, what=what)}")
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
    changes = _changes(args)
    # Every name is checked before time is spent simulating.
    scenarios = [_load(name, changes) for name in args.names]
    results = [_simulate(sc, args.progress) for sc in scenarios]

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


def _cmd_explore(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise _UsageError(f"--port {args.port} is outside 0-65535 (0: any free port)")
    print("musclesim explore: loading the model...", flush=True)
    try:
        server = explorer.make_server(args.port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise _UsageError(
                f"port {args.port} is in use (another explorer?); choose "
                f"another with --port N, or --port 0 for any free one"
            ) from None
        if exc.errno == errno.EACCES:
            raise _UsageError(
                f"port {args.port} needs administrator rights; choose one above 1023 with --port N"
            ) from None
        raise
    url = server.url
    print(f"musclesim explorer running at {url}  (Ctrl+C to stop)", flush=True)
    if not args.no_browser and not webbrowser.open(url):
        print(f"no web browser could be opened: open {url} in one", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("musclesim explore: stopped", flush=True)
    finally:
        server.server_close()
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
        if args.command == "show":
            return _cmd_show(args)
        if args.command == "run":
            return _cmd_run(args)
        if args.command == "explore":
            return _cmd_explore(args)
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
