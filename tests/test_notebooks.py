"""Every teaching notebook, and its student copy, runs top to bottom from a clean kernel.

The notebooks hold hidden ``assert`` cells on the teaching points they state, so a model
change that breaks a lesson fails here. The kernel is started with the interpreter that
runs pytest (an explicit kernelspec in a temporary directory), so it is the venv's Python
with musclesim installed, whatever kernelspecs the machine has (ipykernel comes with the
``dev`` extra). Notebooks are executed in memory; the committed files are not rewritten.
How long a notebook takes is not checked here: timings belong in ``benchmarks/``.

The student copies (``notebooks/student/``, written by ``scripts/strip_solutions.py``) lack
the solution cells, so a later cell that needs a name only a solution cell defined would fail
in class; running them here catches that. Their hidden checks are gone, so they add run time
but no teaching assert (``tests/test_student_notebooks.py`` checks what they contain).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
STUDENT_NOTEBOOKS = sorted((NOTEBOOK_DIR / "student").glob("*.ipynb"))
#: Per-cell timeout, s: only so that a hung cell fails the run instead of blocking CI;
#: far above what any cell needs (the slowest notebook takes ~12 s in all on 2 cores).
CELL_TIMEOUT_S = 600.0
KERNEL_NAME = "musclesim-test-python"


def test_notebook_directory_holds_notebooks():
    assert NOTEBOOKS, f"no notebooks found in {NOTEBOOK_DIR}"
    assert [p.name for p in STUDENT_NOTEBOOKS] == [p.name for p in NOTEBOOKS], (
        "every notebook needs its student copy: run scripts/strip_solutions.py"
    )


@pytest.fixture(scope="module")
def kernel_spec_manager(tmp_path_factory):
    """A kernelspec that runs ipykernel with this interpreter (sys.executable)."""
    kernels = tmp_path_factory.mktemp("kernels")
    spec_dir = kernels / KERNEL_NAME
    spec_dir.mkdir()
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (musclesim tests)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return KernelSpecManager(kernel_dirs=[str(kernels)])


def _execute(path: Path, kernel_spec_manager) -> None:
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=kernel_spec_manager)
    client = nbclient.NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        # We made the kernel manager, so ask the client to shut the kernel down after.
        client.execute(cleanup_kc=True)
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name} raised while executing:\n{exc}", pytrace=False)
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes_from_a_clean_kernel(path, kernel_spec_manager):
    _execute(path, kernel_spec_manager)


@pytest.mark.slow
@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=[p.name for p in STUDENT_NOTEBOOKS])
def test_student_notebook_executes_from_a_clean_kernel(path, kernel_spec_manager):
    _execute(path, kernel_spec_manager)
