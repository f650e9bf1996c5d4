"""What the install provides: every import a notebook makes is a core dependency, in the
``notebooks`` extra, or in the standard library (issue 19: the README's install path must
be enough to run every notebook)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

#: Import name → distribution name, where they differ.
DISTRIBUTION = {"IPython": "ipython", "musclesim": "musclesim"}


def _requirement_names(reqs: list[str]) -> set[str]:
    return {re.split(r"[\s<>=;\[!~]", r, maxsplit=1)[0].lower() for r in reqs}


def _notebook_imports(path: Path) -> set[str]:
    names = set()
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        for line in "".join(cell["source"]).splitlines():
            m = re.match(r"\s*(?:from|import)\s+([\w.]+)", line)
            if m:
                names.add(m.group(1).split(".")[0])
    return names


@pytest.mark.parametrize("nb", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_notebook_import_is_installed_by_the_notebooks_extra(nb):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    provided = _requirement_names(project["dependencies"]) | _requirement_names(
        project["optional-dependencies"]["notebooks"]
    )
    provided.add("musclesim")
    missing = {
        name
        for name in _notebook_imports(nb)
        if name not in sys.stdlib_module_names
        and DISTRIBUTION.get(name, name).lower() not in provided
    }
    assert not missing, f"{nb.name} imports {sorted(missing)}, not in the notebooks extra"
