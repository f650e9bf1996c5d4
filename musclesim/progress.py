"""Progress on long work: the first compile, a long simulation, a sweep (``tqdm``).

Every long-running function takes ``progress``:

- ``True``: show progress, wherever the output goes;
- ``False``: silent;
- ``None`` (default): show it when a person is watching, i.e. when standard error (where
  the bars are drawn) is a terminal or the code runs in a Jupyter kernel; silent when the
  output goes to a file, a pipe or a test. The environment variable
  ``MUSCLESIM_PROGRESS`` (``1`` or ``0``) changes this default, e.g. to keep bars out of
  notebooks executed for publication.

What is shown:

- the first simulation in a fresh installation says that it compiles the kernel, and that
  this happens once (the compiled kernel is kept in the user's cache directory); once the
  kernel is ready its line says how long the compile took;
- a simulation shows simulated time against the run's duration once it has taken longer
  than :data:`SHOW_AFTER_S` of wall time (shorter runs print nothing);
- a sweep shows runs done out of the total, with the time left.

``tqdm.auto`` draws a text bar in a terminal and a widget in a notebook.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from . import _cache
from .engine.fixed import run_kernel

__all__ = ["SHOW_AFTER_S", "kernel_needs_compiling", "run_bar", "simulation_bar", "wanted"]

#: Environment variable that sets the default of ``progress=None`` (``1`` on, ``0`` off).
PROGRESS_ENV = "MUSCLESIM_PROGRESS"
#: A bar appears only after this much wall time, s: a short run stays quiet (teaching
#: choice: below ~2 s the wait is not noticed, and a bar would only flicker).
SHOW_AFTER_S = 2.0


def _in_notebook() -> bool:
    """True inside a Jupyter (ipykernel) kernel, where tqdm.auto draws a widget."""
    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipykernel always brings IPython
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def wanted(progress: bool | None) -> bool:
    """Whether to show progress: ``progress`` if it is True or False, else the default.

    Parameters
    ----------
    progress : bool or None
        True or False to decide; None for the default: ``$MUSCLESIM_PROGRESS`` if set,
        else shown when standard error is a terminal or in a Jupyter kernel.

    Raises
    ------
    TypeError
        If ``progress`` is not True, False or None.
    """
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None (automatic); got {progress!r}")
    if progress is not None:
        return progress
    env = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if env in ("0", "false", "no", "off"):
        return False
    if env in ("1", "true", "yes", "on"):
        return True
    stream = sys.stderr
    try:
        tty = stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        tty = False
    return tty or _in_notebook()


def kernel_needs_compiling() -> bool:
    """True if the next fixed-step run compiles its kernel (none in memory or on disk).

    Reads numba's dispatcher (signatures already compiled or loaded in this process) and
    the kernel cache folder (:data:`musclesim._cache.KERNEL_DIR`); with a user-chosen
    numba cache (``NUMBA_CACHE_DIR``) the folder is unknown and only the first case counts.
    """
    if run_kernel.signatures:
        return False
    kdir = _cache.KERNEL_DIR
    if kdir is None:
        return False
    return not any(kdir.rglob("*run_kernel*.nbi"))


def _tqdm() -> Any:
    """``tqdm.auto.tqdm``, or None in an environment that lacks tqdm (a core dependency,
    but an old environment may predate it): progress is then silently absent."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm


def simulation_bar(
    label: str, duration_s: float, progress: bool | None
) -> tuple[Callable[[float], None] | None, Callable[[], None]]:
    """A simulated-time bar for one run.

    Parameters
    ----------
    label : str
        Scenario name, shown before the bar.
    duration_s : float
        Simulated time of the run, s (the bar's total).
    progress : bool or None
        See :func:`wanted`.

    Returns
    -------
    (update, close)
        ``update(t_ms)`` reports the simulated time reached, ms (None when progress is
        off: the engine then runs in one call); ``close()`` ends the bar.
    """
    tqdm = _tqdm() if wanted(progress) else None
    if tqdm is None:
        return None, lambda: None
    compiling = kernel_needs_compiling()
    desc = (
        "musclesim: compiling the simulation kernel (first run only, ~10–60 s; "
        "kept in the user cache)"
        if compiling
        else f"simulating {label}"
    )
    # While compiling, the bar shows at once, so the wait is explained; otherwise only a
    # run longer than SHOW_AFTER_S draws it.
    # A description given to tqdm() is drawn as is, one set later gets ": " appended.
    bar = tqdm(total=round(duration_s, 3), desc=desc + ": ", unit="s", unit_scale=False,
               delay=0.0 if compiling else SHOW_AFTER_S, leave=compiling,
               bar_format="{desc}{percentage:3.0f}%|{bar}| {n:.1f}/{total:g} s simulated "
                          "[{elapsed}<{remaining}]")  # fmt: skip
    state = {"first": compiling}
    started = time.perf_counter()

    def update(t_ms: float) -> None:
        if state["first"]:
            # The first report comes after the compile and one chunk of simulated time
            # (PROGRESS_CHUNK_MS, a few ms of wall time): the wait is the compile.
            state["first"] = False
            compile_s = time.perf_counter() - started
            bar.set_description(
                f"simulating {label} (kernel compiled in {compile_s:.0f} s, cached)",
                refresh=False,
            )
        bar.update(min(t_ms / 1000.0, bar.total) - bar.n)

    return update, bar.close


def run_bar(total: int, progress: bool | None, desc: str = "musclesim sweep") -> Any:
    """A runs-done bar (with the time left) for ``total`` runs, or None when progress is
    off (see :func:`wanted`). Drawn after :data:`SHOW_AFTER_S`; a sweep that will compile
    the kernel says so at once."""
    tqdm = _tqdm() if wanted(progress) else None
    if tqdm is None:
        return None
    if kernel_needs_compiling():
        desc += " (the first runs compile the kernel once, ~10–60 s)"
        return tqdm(total=total, desc=desc, unit="run")
    return tqdm(total=total, desc=desc, unit="run", delay=SHOW_AFTER_S)
