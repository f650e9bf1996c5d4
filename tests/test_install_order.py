"""Installs that hold in any order (issue 19 item 1): the README's two install commands
in one fresh venv — the wheel (``pip install .``), then the editable package with the
notebooks extra (``pip install -e ".[notebooks]"``) — leave a package that imports
``musclesim.plot`` and runs in a notebook kernel.

The failure this guards against: a run of the installed wheel wrote generated files (the
numba cache) inside ``site-packages/musclesim``; uninstalling the wheel left that folder
behind, and it then shadowed the editable install (``module 'musclesim' has no attribute
'plot'``). So the test runs a simulation between the two installs, checks that nothing
outside the wheel's RECORD appeared in the package, and after the editable install that the
package is imported from the source tree, in a script and in a Jupyter kernel.

The venv is a plain one (no ``--system-site-packages``). Its musclesim is installed for
real from the wheel and from the source tree; the third-party dependencies already
installed for the test run (numpy, numba, ...) are made visible to it through a ``.pth``
file that points at links to them (musclesim, pip and setuptools excluded), so the test
does not download ~150 MB of wheels each time. pip still resolves every requirement; what
is missing (e.g. ``jupyter`` of the notebooks extra, and setuptools for the build) comes
from the package index. Without network access the test is skipped, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Messages of pip that mean the package index could not be reached.
OFFLINE = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Network is unreachable",
)
#: Entries of the running site-packages not offered to the new venv: musclesim's own
#: installation, and the installer and build tools the venv brings or fetches itself.
EXCLUDED = ("musclesim", "__editable__", "_musclesim", "pip", "setuptools", "_distutils_hack",
            "pkg_resources", "distutils-precedence", "__pycache__", "wheel")  # fmt: skip

TINY_RUN = "ms.simulate('twitch', duration_s=0.2, n_units=3, progress=False)"


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)


def _pip(python: Path, *args: str, cwd: Path) -> None:
    out = _run([str(python), "-m", "pip", "install", "--disable-pip-version-check", *args],
               cwd=cwd)  # fmt: skip
    if out.returncode != 0:
        text = out.stdout + out.stderr
        if any(m in text for m in OFFLINE):
            pytest.skip(f"the package index is not reachable (pip install {' '.join(args)})")
        pytest.fail(f"pip install {' '.join(args)} failed:\n{text[-3000:]}")


def _source_copy(dest: Path) -> Path:
    """The repository's tracked files (a build writes build/ and *.egg-info beside them)."""
    files = _run(["git", "ls-files", "-z"], cwd=ROOT)
    if files.returncode != 0:
        pytest.skip("not a git checkout: cannot tell the project's files from others")
    for rel in filter(None, files.stdout.split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def _dependency_links(dest: Path) -> Path:
    site = Path(sysconfig.get_paths()["purelib"])
    dest.mkdir()
    for entry in site.iterdir():
        if not entry.name.startswith(EXCLUDED) and entry.suffix != ".pth":
            (dest / entry.name).symlink_to(entry)
    return dest


@pytest.mark.slow  # ~2 min: two installs and two kernel compilations
def test_wheel_then_editable_with_notebooks_extra_imports_plot_and_runs(tmp_path, monkeypatch):
    src = _source_copy(tmp_path / "src")
    cache = tmp_path / "kernel-cache"
    monkeypatch.setenv("MUSCLESIM_CACHE_DIR", str(cache))
    monkeypatch.delenv("PYTHONPATH", raising=False)  # the venv must find its own install
    venv = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    made = _run([base, "-m", "venv", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                      "['purelib'])"]).stdout.strip())  # fmt: skip
    (site / "_test_dependencies.pth").write_text(str(_dependency_links(tmp_path / "deps")))
    neutral = tmp_path / "elsewhere"  # not the source tree: imports must find the install
    neutral.mkdir()

    # README command 1: pip install .
    _pip(python, str(src), cwd=neutral)
    first = _run([str(python), "-c", f"import musclesim as ms; print(ms.__file__); {TINY_RUN}"],
                 cwd=neutral)  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert Path(first.stdout.strip()).is_relative_to(site)
    record = (next(site.glob("musclesim-*.dist-info")) / "RECORD").read_text()
    recorded = {line.split(",")[0] for line in record.splitlines()}
    written = {p.relative_to(site).as_posix() for p in (site / "musclesim").rglob("*")
               if p.is_file()}  # fmt: skip
    assert written <= recorded, f"generated inside the package: {sorted(written - recorded)}"
    assert any(cache.rglob("*.nbi")), "the compiled kernel is not in the user cache"

    # README command 2: pip install -e ".[notebooks]"
    _pip(python, "-e", f"{src}[notebooks]", cwd=neutral)
    assert not (site / "musclesim").exists(), "the wheel's package folder was left behind"
    second = _run([str(python), "-c", "import musclesim as ms, musclesim.plot; "
                   f"print(ms.__file__); {TINY_RUN}"], cwd=neutral)  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert Path(second.stdout.strip()).is_relative_to(src)

    # A notebook, as a student opens one: a Jupyter kernel on the venv's Python.
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = tmp_path / "kernels" / "install-order"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "install-order venv", "language": "python",
    }))  # fmt: skip
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(textwrap.dedent(f"""\
        import musclesim as ms
        res = {TINY_RUN}
        fig = ms.plot.compare([res])
        assert ms.__file__.startswith({str(src)!r}), ms.__file__
        """))])  # fmt: skip
    specs = KernelSpecManager(kernel_dirs=[str(spec.parent)])
    km = KernelManager(kernel_name="install-order", kernel_spec_manager=specs)
    run_in = {"metadata": {"path": str(neutral)}}
    nbclient.NotebookClient(nb, km=km, timeout=600, resources=run_in).execute()
