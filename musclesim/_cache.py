"""Keep numba's on-disk kernel cache in step with the source it was compiled from.

numba keys each cached kernel on the file that defines it (its modification time and
size). The engine's kernels inline functions from the layer modules (``neuron.py``,
``contraction.py``, ``reflex.py``, ``synapses.py``, ``nmj.py``), so editing one of those
without touching ``engine/`` (an editable install,
a ``git pull``) would reload a kernel with the old equations — at worst a crash. At import,
musclesim hashes the modules the kernels are built from and, when the hash changed, deletes
its cached kernels so numba compiles them afresh.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: Modules whose code ends up inside the compiled kernels (relative to the package).
KERNEL_SOURCES = (
    "engine/fixed.py", "engine/reference.py", "engine/layout.py", "contraction.py",
    "reflex.py", "neuron.py", "synapses.py", "nmj.py",
)  # fmt: skip
#: Package folders whose ``__pycache__`` holds compiled kernels.
KERNEL_DIRS = (".", "engine")
#: File in the cache directory holding the hash the cached kernels were built from.
STAMP_NAME = "musclesim-kernels.sha1"


def kernel_source_hash(pkg_dir: Path) -> str:
    """SHA-1 of the kernel source modules in ``pkg_dir``."""
    h = hashlib.sha1()
    for name in KERNEL_SOURCES:
        h.update(name.encode())
        h.update((pkg_dir / name).read_bytes())
    return h.hexdigest()


def refresh_stale_kernels(pkg_dir: Path | None = None, cache_dir: Path | None = None) -> bool:
    """Delete cached kernels built from other sources than the present ones.

    Parameters
    ----------
    pkg_dir : Path, optional
        The package directory (default: this package).
    cache_dir : Path, optional
        numba's in-tree cache directory of the package folder (default:
        ``pkg_dir/__pycache__``; the stamp lives there); the ``__pycache__`` of every
        other folder in :data:`KERNEL_DIRS` is cleared with it. A user-set
        ``NUMBA_CACHE_DIR`` is left alone (the user manages it).

    Returns
    -------
    bool
        True if stale kernels were deleted.
    """
    if cache_dir is None and os.environ.get("NUMBA_CACHE_DIR"):
        return False
    pkg_dir = Path(__file__).parent if pkg_dir is None else pkg_dir
    cache_dir = pkg_dir / "__pycache__" if cache_dir is None else cache_dir
    try:
        digest = kernel_source_hash(pkg_dir)
        stamp = cache_dir / STAMP_NAME
        if stamp.is_file() and stamp.read_text().strip() == digest:
            return False
        dirs = [cache_dir] + [pkg_dir / d / "__pycache__" for d in KERNEL_DIRS if d != "."]
        stale = [f for d in dirs for f in (*d.glob("*.nbi"), *d.glob("*.nbc"))]
        for f in stale:
            f.unlink(missing_ok=True)
        cache_dir.mkdir(exist_ok=True)
        stamp.write_text(digest + "\n")
        return bool(stale)
    except OSError:
        # A read-only install cannot have been edited in place; numba then caches
        # elsewhere (per user), keyed on these files' own stamps.
        return False


# Run at import, before musclesim imports any module that compiles or loads a kernel.
refresh_stale_kernels()
