"""How long each teaching notebook takes, run top to bottom from a clean kernel (issue 21).

Run from the repository root::

    python benchmarks/bench_notebooks.py

Each notebook of ``notebooks/`` (the teacher copies, which hold every solution) is executed
in memory with ``nbclient`` in a new kernel of this interpreter, as
``tests/test_notebooks.py`` runs them, and the wall time from kernel start to the last
cell is printed; nothing is written back. The kernel cache is warmed first (one
``ms.simulate`` in a child process), so the figures are what a class pays once musclesim
is installed, not the one-off compile. Issue 21's target: ≤ 60 s each. Not a test: it
prints, it does not fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
#: Issue 21: a notebook runs in at most this many seconds.
TARGET_S = 60.0
KERNEL_NAME = "musclesim-bench-python"


def _kernel_spec_manager(directory: Path):
    """A kernelspec that runs ipykernel with this interpreter."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec_dir = directory / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (musclesim benchmark)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return KernelSpecManager(kernel_dirs=[str(directory)])


def measure() -> dict[str, float]:
    """Wall time, s, of each teacher notebook from a clean kernel, by file name."""
    import nbclient
    import nbformat
    from jupyter_client.manager import KernelManager

    subprocess.run(
        [sys.executable, "-c", "import musclesim as ms; ms.simulate('twitch', progress=False)"],
        check=True,
    )  # fmt: skip
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        ksm = _kernel_spec_manager(Path(tmp))
        for path in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=ksm)
            client = nbclient.NotebookClient(
                nb, km=km, timeout=600, resources={"metadata": {"path": str(path.parent)}}
            )
            t0 = time.perf_counter()
            try:
                client.execute(cleanup_kc=True)
            finally:
                if km.has_kernel:
                    km.shutdown_kernel(now=True)
            times[path.name] = time.perf_counter() - t0
    return times


def main() -> int:
    times = measure()
    for name, t in times.items():
        print(f"{name:40s} {t:6.1f} s  {'meets' if t <= TARGET_S else 'OVER'} ≤ {TARGET_S:g} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
