"""How much memory a run needs, checked before it starts.

A run's memory grows with simulated time × units (event buffers and per-unit noise), with
simulated time (input channels) and with the number of samples kept (traces, and the
voltage of each recorded unit). :func:`estimate_run_bytes` adds those up;
:func:`check_run_memory` refuses a run whose estimate exceeds :func:`memory_limit_bytes`
(half the memory available now, or ``$MUSCLESIM_MEMORY_LIMIT_MB``) with a message that
says how to make it smaller, instead of letting it die in the middle.
"""

from __future__ import annotations

import ctypes
import os
import sys

#: Environment variable: the memory limit of one run, MB (default: half of what is available).
LIMIT_ENV = "MUSCLESIM_MEMORY_LIMIT_MB"
#: Fraction of the available memory one run may use when no limit is set.
DEFAULT_FRACTION = 0.5

# Bytes, each from the arrays the engine makes (musclesim.engine.fixed, musclesim.inputs)
# and checked against tracemalloc peaks of 1–60-unit, 5–60-s runs (tests/test_memory.py):
#: Per unit and simulated second: spike and muscle-AP buffers (2 × 400 events/s × 8 B) and
#: the unit's synaptic noise (1000 blocks/s × 4 B), plus the generators' temporaries.
PER_UNIT_SECOND = 11_000
#: ... extra with fatigue: a second noise column per unit (1000 blocks/s × 4 B); its
#: float64 temporaries are made after the synaptic noise's are freed, so they add little
#: to the peak (measured 3.3–3.8 kB per unit-second over 20–100 units and 5–30 s).
PER_UNIT_SECOND_FATIGUE = 4_500
#: ... extra with nerve irritation, for a pool it reaches entirely: the irritated axons'
#: node current (1000 blocks/s × 4 B) and its float64 temporaries (2 × 8 kB).
PER_UNIT_SECOND_IRRITATION = 20_000
#: Per simulated second: input channels and reflex history (1000 blocks/s × (18 input
#: channels + 4 history arrays) × 8 B).
PER_SECOND = 176_000
#: Per recorded sample: force, Ca, Ia, Ib, Pi and the time arrays with their temporaries
#: (8 × 8 B), and per recorded unit its voltage (8 B).
PER_SAMPLE = 64
PER_SAMPLE_PER_UNIT = 8
#: Fixed part: parameter arrays, gate tables.
FIXED = 300_000


def estimate_run_bytes(
    duration_s: float,
    n_units: int,
    n_recorded: int,
    record_dt_ms: float,
    *,
    fatigue: bool = False,
    irritation: bool = False,
) -> int:
    """Peak memory a run allocates, bytes (not counting Python and the compiled kernels).

    Parameters
    ----------
    duration_s : float
        Simulated time, s.
    n_units : int
        Motor units in the pool.
    n_recorded : int
        Units whose voltage is recorded.
    record_dt_ms : float
        Sampling interval of the traces, ms.
    fatigue, irritation : bool
        Whether the scenario has fatigue > 0 or nerve irritation (more noise columns).
    """
    per_unit_s = PER_UNIT_SECOND
    if fatigue:
        per_unit_s += PER_UNIT_SECOND_FATIGUE
    if irritation:
        per_unit_s += PER_UNIT_SECOND_IRRITATION
    samples = duration_s * 1000.0 / record_dt_ms
    return int(
        FIXED
        + duration_s * (PER_SECOND + n_units * per_unit_s)
        + samples * (PER_SAMPLE + PER_SAMPLE_PER_UNIT * n_recorded)
    )


def available_bytes() -> int | None:
    """Memory available to a new allocation now, bytes (None if it cannot be told).

    Linux: ``MemAvailable`` of ``/proc/meminfo``; Windows: ``GlobalMemoryStatusEx``;
    elsewhere (macOS): the physical memory, as no portable call gives what is free.
    """
    try:
        if sys.platform.startswith("linux"):
            with open("/proc/meminfo") as f:
                for line in f:
                    if line.startswith("MemAvailable:"):
                        return int(line.split()[1]) * 1024
        if sys.platform == "win32":

            class _Status(ctypes.Structure):
                _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                            ("ullTotalPhys", ctypes.c_ulonglong),
                            ("ullAvailPhys", ctypes.c_ulonglong),
                            ("ullTotalPageFile", ctypes.c_ulonglong),
                            ("ullAvailPageFile", ctypes.c_ulonglong),
                            ("ullTotalVirtual", ctypes.c_ulonglong),
                            ("ullAvailVirtual", ctypes.c_ulonglong),
                            ("ullAvailExtendedVirtual", ctypes.c_ulonglong)]  # fmt: skip

            st = _Status()
            st.dwLength = ctypes.sizeof(_Status)
            if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(st)):  # type: ignore[attr-defined]
                return int(st.ullAvailPhys)
            return None
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (OSError, ValueError, AttributeError):
        return None


def memory_limit_bytes() -> int | None:
    """The most one run may allocate: ``$MUSCLESIM_MEMORY_LIMIT_MB`` if set, else
    :data:`DEFAULT_FRACTION` of :func:`available_bytes` (None: no limit known)."""
    env = os.environ.get(LIMIT_ENV)
    if env:
        try:
            mb = float(env)
        except ValueError:
            raise ValueError(f"{LIMIT_ENV} = {env!r} must be a number of MB") from None
        if not mb > 0:
            raise ValueError(f"{LIMIT_ENV} = {env!r} must be a positive number of MB")
        return int(mb * 2**20)
    avail = available_bytes()
    return None if avail is None else int(DEFAULT_FRACTION * avail)


def check_run_memory(
    label: str,
    duration_s: float,
    n_units: int,
    n_recorded: int,
    record_dt_ms: float,
    *,
    fatigue: bool = False,
    irritation: bool = False,
) -> int:
    """Raise ValueError if the run's estimate exceeds the limit; return the estimate."""
    need = estimate_run_bytes(duration_s, n_units, n_recorded, record_dt_ms,
                              fatigue=fatigue, irritation=irritation)  # fmt: skip
    limit = memory_limit_bytes()
    if limit is not None and need > limit:
        source = f"${LIMIT_ENV}" if os.environ.get(LIMIT_ENV) else "half the available memory"
        raise ValueError(
            f"scenario {label!r} needs about {need / 2**20:,.0f} MB ({n_units} units × "
            f"{duration_s:g} s, {n_recorded} recorded unit(s), record_dt_ms = "
            f"{record_dt_ms:g}), more than the limit of {limit / 2**20:,.0f} MB ({source}); "
            f"make it smaller: a shorter duration_s or fewer n_units (memory grows with "
            f"their product), fewer record_units, a longer record_dt_ms; or raise "
            f"{LIMIT_ENV}"
        )
    return need
