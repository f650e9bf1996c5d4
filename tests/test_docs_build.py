"""The documentation site builds with warnings as errors (issue 20 item 1).

``sphinx-build -W --keep-going -b html docs <tmp>`` runs in a child process, as CI and
docs/README.md run it: any warning (a docstring numpydoc cannot parse, a broken
cross-reference, a page outside every toctree, a gallery script that raises) fails the
test with Sphinx's own messages. The API reference must have a page for every public name
of ``musclesim`` and for the public functions of ``ms.plot``, ``ms.protocols`` and
``ms.interventions``; the gallery must have drawn its figures.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import musclesim as ms

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _public_functions(module: ModuleType) -> list[str]:
    return [
        f"{module.__name__}.{name}"
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(obj)
        and obj.__module__ == module.__name__
    ]


@pytest.mark.slow  # ~40 s on 2 cores with a warm numba cache: the gallery scripts simulate
def test_docs_site_builds_without_warnings_and_documents_every_public_name(tmp_path):
    out = tmp_path / "html"
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", str(DOCS), str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    log = run.stdout + run.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert run.returncode == 0, "sphinx-build -W failed:\n" + "\n".join(warnings or [log[-6000:]])

    names = [f"musclesim.{n}" for n in ms.__all__ if n != "__version__"]
    for module in (ms.plot, ms.protocols, ms.interventions):
        names += _public_functions(module)
    missing = [n for n in names if not (out / "generated" / f"{n}.html").exists()]
    assert not missing, f"no API page for {missing}; add them to docs/api.rst"
    api = (out / "api.html").read_text(encoding="utf-8")
    assert 'id="musclesim.__version__"' in api, "docs/api.rst no longer documents __version__"

    figures = list((out / "_images").glob("sphx_glr_plot_*_001.png"))
    scripts = list((DOCS / "gallery").glob("plot_*.py"))
    assert len(figures) >= len(scripts) > 0, "a gallery script drew no figure"
