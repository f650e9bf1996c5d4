"""Export the executed teacher notebooks as HTML pages, for lecturers who do not run code.

Run from the repository root::

    .venv/bin/python scripts/export_html.py                 # writes build/notebooks-html/
    .venv/bin/python scripts/export_html.py DIR             # writes DIR/NN_*.html instead
    .venv/bin/python scripts/export_html.py DIR 01_contraction_basics.ipynb   # only these

The notebooks are committed with their outputs, so nothing is run: each page shows the
notebook as last executed, with its figures embedded in the file (one self-contained HTML
file per notebook that can be sent by e-mail; equations are typeset by MathJax, loaded
from the web when the page is opened). Code cells tagged ``hide-input`` (the
hidden checks of the teaching points) show their output only, as in JupyterLab. An
``index.html`` lists the pages. Needs ``nbconvert`` (the ``dev`` extra).
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "build" / "notebooks-html"


def teacher_notebooks() -> list[Path]:
    """The numbered teaching notebooks (``NN_topic.ipynb``), in order."""
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def exporter() -> HTMLExporter:
    """An HTML exporter (JupyterLab look) that hides the input of ``hide-input`` cells."""
    config = Config()
    config.TagRemovePreprocessor.remove_input_tags = {"hide-input"}
    config.TagRemovePreprocessor.enabled = True
    # TagRemovePreprocessor is one of the exporter's default preprocessors; config enables it.
    return HTMLExporter(config=config, template_name="lab")


def export(paths: list[Path], out_dir: Path) -> list[Path]:
    """Write ``out_dir/<name>.html`` for each notebook and an ``index.html``; return the pages."""
    out_dir.mkdir(parents=True, exist_ok=True)
    exp = exporter()
    pages = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        page = out_dir / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append(page)
    items = "\n".join(
        f'<li><a href="{p.name}">{html.escape(p.stem.replace("_", " "))}</a></li>' for p in pages
    )
    (out_dir / "index.html").write_text(
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>musclesim notebooks</title>"
        "</head><body><h1>musclesim notebooks (teacher versions, with outputs)</h1>\n"
        "<p>Teaching tool, not a medical device.</p>\n"
        f"<ul>\n{items}\n</ul></body></html>\n",
        encoding="utf-8",
    )
    return pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT,
                        help="folder to write (default: %(default)s)")  # fmt: skip
    parser.add_argument("notebooks", nargs="*", help="notebook file names (default: all)")
    args = parser.parse_args(argv)
    paths = [NOTEBOOK_DIR / n for n in args.notebooks] if args.notebooks else teacher_notebooks()
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    for page in export(paths, args.out):
        print(page)


if __name__ == "__main__":
    main()
