"""Where numba keeps musclesim's compiled kernels, and how a broken cache heals itself.

numba compiles the kernels on first use (~10–30 s) and caches them on disk. By default it
writes them into the package's own ``__pycache__``, and keys each on the file that
defines it only, although the engine's kernels inline functions from the layer modules.
musclesim instead keeps them in the user's cache directory (:func:`user_cache_root`), in a
folder named by the package version and a hash of every module that numba compiles
(:func:`kernel_cache_dir`): an edited, upgraded or second installation gets a folder of
its own, and nothing is written inside the installed package.

A cache entry that cannot be read (a truncated file after a full disk or a killed
process, a file from an incompatible build) is detected twice: before the first run, where
every index and data file is unpickled (~2 MB, milliseconds), and during a run, where an
error raised while numba loads a kernel (LLVM refusing the object code) is caught by
:func:`call_healing`. Either way the broken entries are removed, one
:class:`KernelCacheWarning` says so, and numba compiles them afresh.

A ``NUMBA_CACHE_DIR`` or ``NUMBA_CACHE_LOCATOR_CLASSES`` set by the user wins: the cache is
then the user's to manage.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ._version import __version__

#: Environment variable naming the cache root (default: :func:`user_cache_root`).
CACHE_ENV = "MUSCLESIM_CACHE_DIR"
#: A kernel folder unused for this long (days) is removed when another version starts.
KEEP_UNUSED_DAYS = 30
#: File in a kernel folder whose modification time records its last use.
LAST_USED = "last-used"

_PKG_DIR = Path(__file__).parent
T = TypeVar("T")


class KernelCacheWarning(UserWarning):
    """A compiled-kernel cache entry could not be read; it was removed and is rebuilt."""


def user_cache_root() -> Path:
    """The folder musclesim caches in: ``$MUSCLESIM_CACHE_DIR`` if set, else the
    platform's per-user cache directory.

    ``$XDG_CACHE_HOME/musclesim`` (default ``~/.cache/musclesim``) on Linux and other
    Unix systems (XDG Base Directory Specification), ``~/Library/Caches/musclesim`` on
    macOS (Apple's File System Programming Guide), ``%LOCALAPPDATA%\\musclesim\\Cache`` on
    Windows (the layout of ``platformdirs``).
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        base = Path(local) if local else Path.home() / "AppData" / "Local"
        return base / "musclesim" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "musclesim"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The specification says to ignore a relative path.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "musclesim"


def kernel_sources(pkg_dir: Path = _PKG_DIR) -> list[Path]:
    """Every module of the package that numba compiles (its text mentions numba), sorted.

    Found by reading the files rather than listed by hand, so that a new layer module
    with compiled functions is part of the key without anyone remembering to add it.
    """
    return sorted(p for p in pkg_dir.rglob("*.py") if b"numba" in p.read_bytes())


def kernel_source_hash(pkg_dir: Path = _PKG_DIR) -> str:
    """SHA-1 of the relative names and contents of :func:`kernel_sources`."""
    h = hashlib.sha1()
    for path in kernel_sources(pkg_dir):
        h.update(path.relative_to(pkg_dir).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def kernel_cache_dir(root: Path | None = None, pkg_dir: Path = _PKG_DIR) -> Path:
    """The folder of this installation's kernels: ``<root>/kernels/<version>-<hash>``."""
    root = user_cache_root() if root is None else root
    return root / "kernels" / f"{__version__}-{kernel_source_hash(pkg_dir)[:16]}"


def _entry_base(path: Path) -> str:
    """The entry a cache file belongs to: ``fixed.run_kernel-612.py311`` for its index
    ``….nbi`` and its data files ``….1.nbc``, ``….2.nbc``."""
    name = path.name
    if name.endswith(".nbi"):
        return name[: -len(".nbi")]
    return name[: -len(".nbc")].rsplit(".", 1)[0]


def _entry_is_readable(index: Path) -> bool:
    """True if the index file and every data file it lists unpickle."""
    try:
        with open(index, "rb") as f:
            pickle.load(f)  # numba's version
            _stamp, overloads = pickle.loads(f.read())
        for name in overloads.values():
            pickle.loads((index.parent / name).read_bytes())
    except Exception:  # any failure to read is a broken entry, whatever raised it
        return False
    return True


def remove_unreadable_entries(kernel_dir: Path) -> list[str]:
    """Remove the cache entries under ``kernel_dir`` that cannot be read.

    An entry is an index file (``.nbi``) and its data files (``.nbc``); a data file with
    no index is removed too. Returns the names of the removed entries.
    """
    removed: list[str] = []
    if not kernel_dir.is_dir():
        return removed
    for folder in [kernel_dir, *(p for p in kernel_dir.iterdir() if p.is_dir())]:
        indexed = {_entry_base(p) for p in folder.glob("*.nbi")}
        broken = {_entry_base(p) for p in folder.glob("*.nbi") if not _entry_is_readable(p)}
        orphans = {_entry_base(p) for p in folder.glob("*.nbc")} - indexed
        for base in sorted(broken | orphans):
            for f in (*folder.glob(f"{base}.nbi"), *folder.glob(f"{base}.*.nbc")):
                f.unlink(missing_ok=True)
            if base in broken:
                removed.append(base)
    return removed


def _warn(what: str, where: Path) -> None:
    """One warning line (no source line below it: the "file" is the package's name)."""
    warnings.warn_explicit(
        f"{what} in the compiled-kernel cache {where} could not be read; removed, "
        f"recompiling (this run takes ~10–30 s longer)",
        KernelCacheWarning,
        filename="musclesim",
        lineno=0,
    )


def _prune_unused(kernels: Path, keep: Path) -> None:
    """Remove kernel folders of other versions/sources unused for KEEP_UNUSED_DAYS."""
    limit = time.time() - KEEP_UNUSED_DAYS * 86400.0
    for d in kernels.iterdir():
        stamp = d / LAST_USED
        if d != keep and d.is_dir() and (not stamp.exists() or stamp.stat().st_mtime < limit):
            shutil.rmtree(d, ignore_errors=True)


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
    except OSError:
        return False
    return True


#: The kernel folder in use (None: numba's own locations, chosen by the user).
KERNEL_DIR: Path | None = None


def install() -> Path | None:
    """Point numba's cache for musclesim's modules at :func:`kernel_cache_dir`.

    Called once at import, before any compiled function is defined (numba picks the
    cache location when a function is decorated). Falls back to the temporary directory
    if the user cache directory is not writable. Returns the folder, or None if the user
    set ``NUMBA_CACHE_DIR`` or ``NUMBA_CACHE_LOCATOR_CLASSES``.
    """
    global KERNEL_DIR
    if os.environ.get("NUMBA_CACHE_DIR") or os.environ.get("NUMBA_CACHE_LOCATOR_CLASSES"):
        return None
    for root in (user_cache_root(), Path(tempfile.gettempdir()) / "musclesim-cache"):
        kdir = kernel_cache_dir(root)
        if _writable(kdir):
            break
    else:
        return None
    try:
        (kdir / LAST_USED).touch()
        _prune_unused(kdir.parent, kdir)
    except OSError:
        pass
    _Locator.kernel_dir = kdir
    from numba.core import caching

    if _Locator not in caching.CacheImpl._locator_classes:
        caching.CacheImpl._locator_classes.insert(0, _Locator)
    KERNEL_DIR = kdir
    return kdir


def _loading_a_kernel(exc: BaseException) -> bool:
    """True if ``exc`` was raised inside numba's cache machinery (loading a kernel)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return any(f.filename.replace("\\", "/").endswith("numba/core/caching.py") for f in frames)


_checked: list[Path] = []


def check_entries() -> None:
    """Remove unreadable cache entries (with one warning), once per process.

    Run before the first simulation, not at import: unpickling a kernel's data imports
    the modules it refers to, which must not happen while musclesim is being imported.
    """
    kdir = KERNEL_DIR
    if kdir is None or kdir in _checked:
        return
    _checked.append(kdir)
    removed = remove_unreadable_entries(kdir)
    if removed:
        _warn(f"{len(removed)} entr{'y' if len(removed) == 1 else 'ies'} ({removed[0]}, ...)",
              kdir)  # fmt: skip


def call_healing(fn: Callable[[], T]) -> T:
    """``fn()``; if it fails while numba loads a cached kernel, clear the cache, warn
    once and call it again (numba then compiles). The first call checks every entry
    (:func:`check_entries`)."""
    check_entries()
    try:
        return fn()
    except Exception as exc:
        kdir = KERNEL_DIR
        if kdir is None or not _loading_a_kernel(exc):
            raise
        shutil.rmtree(kdir, ignore_errors=True)
        kdir.mkdir(parents=True, exist_ok=True)
        _warn(f"a kernel ({type(exc).__name__}: {str(exc)[:80]})", kdir)
        return fn()


def _locator_base() -> tuple[type, ...]:
    from numba.core import caching

    return (caching._SourceFileBackedLocatorMixin, caching._CacheLocator)


class _Locator(*_locator_base()):  # type: ignore[misc]
    """numba cache locator for the package's own modules: ``KERNEL_DIR/<folder>``."""

    kernel_dir: Path | None = None

    def __init__(self, py_func: Any, py_file: str) -> None:
        self._py_file = py_file
        self._lineno = py_func.__code__.co_firstlineno
        kdir = type(self).kernel_dir
        if kdir is None:
            raise RuntimeError("musclesim's kernel cache locator used before install()")
        rel = Path(py_file).resolve().parent.relative_to(_PKG_DIR.resolve())
        self._cache_path = str(kdir / ("_".join(rel.parts) or "musclesim"))

    def get_cache_path(self) -> str:
        return self._cache_path

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> Any:
        if cls.kernel_dir is None:
            return None
        try:
            Path(py_file).resolve().relative_to(_PKG_DIR.resolve())
        except ValueError:  # not one of musclesim's modules
            return None
        return super().from_function(py_func, py_file)


# Run at import, before musclesim defines any compiled function.
install()
