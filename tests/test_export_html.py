"""HTML exports of the teacher notebooks (issue 20 item 2), for lecturers who do not run code.

``scripts/export_html.py`` converts the committed, executed notebooks with nbconvert. One
notebook is exported here (about 2 s): its page must hold every figure of the notebook,
embedded, and its text, while the hidden checks show no code.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbconvert")

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "export_html.py"
NOTEBOOK = ROOT / "notebooks" / "01_contraction_basics.ipynb"


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("html")
    run = subprocess.run([sys.executable, str(SCRIPT), str(out), NOTEBOOK.name], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, f"{SCRIPT.name} failed:\n{run.stdout}{run.stderr}"
    return out, (out / f"{NOTEBOOK.stem}.html").read_text(encoding="utf-8")


def test_html_page_embeds_every_figure_of_the_notebook(page):
    _, text = page
    nb = nbformat.read(NOTEBOOK, as_version=4)
    figures = [
        out["data"]["image/png"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if "image/png" in out.get("data", {})
    ]
    assert len(figures) >= 4, "the notebook should be committed executed, with its figures"
    for png in figures:
        data = "".join(png.split())  # base64 as nbformat stores it, line breaks removed
        assert f"data:image/png;base64,{data[:200]}" in text, "a figure is missing from the page"


def _plain(page_html: str) -> str:
    """The page's text as a reader sees it: tags (syntax highlighting) removed, unescaped."""
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


def test_html_page_shows_text_and_outputs_but_not_the_hidden_checks(page):
    _, text = page
    plain = _plain(text)
    assert "Contraction basics" in plain and "Teaching tool, not a medical device" in plain
    assert "Latent period:" in plain, "printed outputs belong on the page"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    hidden = [c for c in code if "hide-input" in c.metadata.get("tags", [])]
    shown = [c for c in code if c not in hidden]
    assert hidden and shown
    for cell in shown:
        assert cell.source.splitlines()[-1] in plain, "code of an ordinary cell is on the page"
    for cell in hidden:
        last = cell.source.splitlines()[-1]
        assert last not in plain, f"hidden input shown: {last!r}"


def test_html_index_links_the_pages(page):
    out, _ = page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{NOTEBOOK.stem}.html"' in index
