"""Directives that put the library's own output into the documentation at build time.

Nothing here restates what the code says: the command's help text, the preset list and the
metrics table are produced by musclesim itself whenever the site is built, so they cannot
drift from the installed version.

* ``.. musclesim-cli:: ARGS`` — what ``musclesim ARGS`` prints (e.g. ``--help``,
  ``run --help``), run in-process with a fixed 88-column width.
* ``.. musclesim-scenarios::`` — a table of :func:`musclesim.describe_scenarios`.
* ``.. musclesim-metrics::`` — every field of :class:`musclesim.Metrics` with its unit in
  the dataclass, its unit on the command line and in CSV (``analysis.METRIC_UNITS``), and
  its meaning from the class docstring.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import shlex

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

#: Width the command's help is wrapped to, columns: the width the command wraps its own
#: scenario list to (the epilog of ``musclesim --help``).
HELP_COLUMNS = 88


def cli_output(args: list[str]) -> str:
    """What ``musclesim *args`` prints on stdout (help ends with SystemExit(0))."""
    from musclesim import cli

    out = io.StringIO()
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(HELP_COLUMNS)
    try:
        with contextlib.redirect_stdout(out):
            try:
                code = cli.main(args)
            except SystemExit as stop:
                code = stop.code
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    if code not in (0, None):
        raise RuntimeError(f"musclesim {shlex.join(args)} exited with {code}")
    return out.getvalue().rstrip()


def _cell(text: str) -> str:
    return " ".join(text.split())


def list_table(header: list[str], rows: list[list[str]], widths: str) -> list[str]:
    """reStructuredText of a list-table (cells given as inline rst)."""
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *rows]:
        lines.append(f"   * - {row[0]}")
        lines += [f"     - {c}" for c in row[1:]]
    return lines


def scenario_rows() -> list[list[str]]:
    import musclesim as ms

    return [[f"``{name}``", _cell(text)] for name, text in ms.describe_scenarios().items()]


def metric_rows() -> list[list[str]]:
    """Field, unit in Metrics, unit shown by the CLI and CSV, meaning."""
    from numpydoc.docscrape import ClassDoc

    from musclesim.analysis import METRIC_UNITS, Metrics

    meaning: dict[str, str] = {}
    for param in ClassDoc(Metrics, config={"show_class_members": False})["Attributes"]:
        for name in param.name.split(","):
            meaning[name.strip()] = _cell(" ".join(param.desc))
    rows = []
    for field in dataclasses.fields(Metrics):
        shown, scale, _ = METRIC_UNITS[field.name]
        if field.type in ("str", str):
            stored = "text"
        elif scale == 100.0:
            stored = "fraction of maximal force" if shown == "% of max" else "fraction (0–1)"
        else:
            stored = shown or "dimensionless"
        rows.append([f"``{field.name}``", stored, shown or "—", meaning[field.name]])
    return rows


class _Generated(SphinxDirective):
    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source="musclesim_docs"), 0, container)
        return container.children


class CliDirective(SphinxDirective):
    required_arguments = 0
    optional_arguments = 10
    final_argument_whitespace = False

    def run(self) -> list[nodes.Node]:
        text = cli_output(list(self.arguments))
        block = nodes.literal_block(text, text)
        block["language"] = "text"
        return [block]


class ScenariosDirective(_Generated):
    def run(self) -> list[nodes.Node]:
        return self._parse(list_table(["Name", "What it shows"], scenario_rows(), "20 80"))


class MetricsDirective(_Generated):
    def run(self) -> list[nodes.Node]:
        header = ["Field", "Unit in ``Metrics``", "Unit on the CLI and in CSV", "Meaning"]
        return self._parse(list_table(header, metric_rows(), "22 14 14 50"))


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("musclesim-cli", CliDirective)
    app.add_directive("musclesim-scenarios", ScenariosDirective)
    app.add_directive("musclesim-metrics", MetricsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
