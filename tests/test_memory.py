"""Memory of long pool runs (issue 3, item 5): events and down-sampled traces only."""

from __future__ import annotations

import subprocess
import sys

import pytest

import musclesim as ms
import musclesim._memory

CHILD = """
import resource, tracemalloc, musclesim as ms
ms.simulate(ms.Scenario(n_units=2, duration_s=0.05))  # kernels loaded (or compiled) first
sc = ms.Scenario(n_units=100, duration_s=60.0, drive=ms.protocols.current_step(4.0, 0.02, 59.95))
tracemalloc.start()
res = ms.simulate(sc)
peak_run = tracemalloc.get_traced_memory()[1] / 2**20
try:  # this process's own peak (Linux): VmHWM belongs to the address space made by exec
    with open("/proc/self/status") as f:
        peak = next(float(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024.0
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print(peak, peak_run, res.voltage.shape[1], res.force.size, res.emg.size)
"""


def test_a_100_unit_60_s_run_stays_well_under_500_mb():
    # Issue 3: a 100-unit, 60-s run (reflex loop and EMG) stays well under 500 MB peak.
    # Two measures, in a fresh process: its peak resident memory (measured 324–329 MB
    # here, 423 MB in a fresh CI clone; most of it is Python, numpy, scipy, numba and the
    # compiled kernels, ~206 MB for a 0.1-s run, benchmarks/bench_memory.py), asserted
    # < 500 MB; and what the run itself allocates, traced by tracemalloc (all of the
    # engine's arrays are numpy arrays made in Python): measured 122 MB, asserted < 200 MB.
    # Full-rate voltages of every unit would alone take 100 × 2.4 M steps × 8 B = 1.9 GB.
    # The peak is read from /proc/self/status (VmHWM, KiB), not from ru_maxrss: ru_maxrss
    # survives execve, so a child started from a large pytest process reports the parent's
    # resident size (652 MB after ~1400 tests of the full suite, 330 MB for the test alone).
    out = subprocess.run([sys.executable, "-c", CHILD], check=True, capture_output=True,
                         text=True, timeout=600)  # fmt: skip
    peak_mb, run_mb, n_voltage_cols, n_force, n_emg = out.stdout.split()
    assert float(peak_mb) < 500.0
    assert float(run_mb) < 200.0
    assert int(n_voltage_cols) == 1  # only the recorded unit (default: unit 0)
    assert int(n_force) <= 60_001  # force at 1 kHz, not at the 40-kHz step rate
    assert int(n_emg) <= 60 * 4000 + 1  # EMG at 4 kHz


def test_voltage_is_kept_only_for_the_units_asked_for():
    sc = ms.Scenario(n_units=20, duration_s=0.2)
    res = ms.simulate(sc, record_units=(3, 17))
    assert res.voltage.shape == (res.time.size, 2)


# --- issue 18 item 4: memory is checked before a run ----------------------------------------
MEASURE = """
import sys, tracemalloc, musclesim as ms
ms.simulate(ms.Scenario(n_units=2, duration_s=0.05))
for n, d, rdt, ru, fat in [(40, 15, 1.0, (0,), 0.0), (20, 4, 0.025, tuple(range(20)), 0.0),
                           (40, 10, 1.0, (0,), 0.5)]:
    tracemalloc.start()
    ms.simulate(ms.Scenario(n_units=n, duration_s=d, fatigue=fat), record_dt_ms=rdt,
                record_units=ru)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    est = ms._memory.estimate_run_bytes(d, n, len(ru), rdt, fatigue=fat > 0)
    print(peak, est)
"""


def test_the_memory_estimate_is_close_above_what_a_run_allocates():
    # Estimate vs tracemalloc peak (every engine array is a numpy array made in Python):
    # never below it, and at most 40 % above, so that a refusal is not far off the mark.
    out = subprocess.run([sys.executable, "-c", MEASURE], check=True, capture_output=True,
                         text=True, timeout=600)  # fmt: skip
    for line in out.stdout.split("\n")[:3]:
        peak, est = (int(x) for x in line.split())
        assert peak <= est <= 1.4 * peak, (peak, est)


def test_a_run_too_large_for_memory_is_refused_before_it_starts(monkeypatch):
    monkeypatch.setenv("MUSCLESIM_MEMORY_LIMIT_MB", "1000")
    sc = ms.Scenario(name="long pool", n_units=100, duration_s=3600.0)
    with pytest.raises(ValueError) as info:
        ms.simulate(sc)
    message = str(info.value)
    # The issue measured > 6 GB for this run before it died; the estimate is of that order.
    need_mb = float(message.split("needs about ")[1].split(" MB")[0].replace(",", ""))
    assert 4000 < need_mb < 8000
    needles = ("'long pool'", "100 units × 3600 s", "limit of 1,000 MB", "duration_s", "n_units",
               "record_units", "record_dt_ms", "MUSCLESIM_MEMORY_LIMIT_MB")  # fmt: skip
    assert not [n for n in needles if n not in message], message


def test_the_default_limit_is_half_the_available_memory(monkeypatch):
    monkeypatch.delenv("MUSCLESIM_MEMORY_LIMIT_MB", raising=False)
    monkeypatch.setattr(ms._memory, "available_bytes", lambda: 2 * 2**30)
    assert ms._memory.memory_limit_bytes() == 2**30
    with pytest.raises(ValueError, match="half the available memory"):
        ms.simulate(ms.Scenario(n_units=100, duration_s=3600.0))
