"""Progress on long work (issue 19 item 2): the first compile says so, long runs show
simulated time, sweeps show runs done; off by default when nobody watches."""

from __future__ import annotations

import numpy as np
import pytest

import musclesim as ms
from musclesim import progress

SMALL = ms.Scenario(n_units=5, duration_s=0.8, drive=ms.protocols.current_step(3.0, 0.05, 0.6))


@pytest.fixture
def shown_at_once(monkeypatch):
    """Bars appear without the ~2-s wait, so a short test run draws one."""
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)


def test_progress_is_off_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv(progress.PROGRESS_ENV, raising=False)
    assert progress.wanted(None) is False  # pytest captures stderr: not a terminal
    assert progress.wanted(True) is True
    assert progress.wanted(False) is False


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("0", False), ("off", False)])
def test_environment_variable_sets_the_default(monkeypatch, value, expected):
    monkeypatch.setenv(progress.PROGRESS_ENV, value)
    assert progress.wanted(None) is expected
    assert progress.wanted(not expected) is (not expected)  # an explicit choice wins


def test_progress_must_be_true_false_or_none():
    with pytest.raises(TypeError, match="progress must be True, False or None"):
        ms.simulate(SMALL, progress="yes")


def test_a_run_with_progress_follows_the_same_trajectory(capsys, shown_at_once):
    # The engine is then called once per chunk of simulated time instead of once.
    quiet = ms.simulate(SMALL, progress=False)
    shown = ms.simulate(SMALL, progress=True)
    assert np.array_equal(quiet.force, shown.force)
    assert np.array_equal(quiet.voltage, shown.voltage)
    for a, b in zip(quiet.spike_times, shown.spike_times, strict=True):
        assert np.array_equal(a, b)
    err = capsys.readouterr().err
    assert "simulating custom" in err and "/0.8 s simulated" in err


def test_no_output_without_progress(capsys, shown_at_once):
    ms.simulate(SMALL, progress=False)
    ms.simulate(SMALL)  # automatic: stderr is captured, not a terminal
    assert capsys.readouterr().err == ""


def test_first_compile_says_what_it_does_and_that_it_happens_once(capsys, monkeypatch):
    monkeypatch.setattr(progress, "kernel_needs_compiling", lambda: True)
    ms.simulate(SMALL, progress=True)
    err = capsys.readouterr().err
    assert "compiling the simulation kernel" in err and "first run only" in err
    # Once the kernel is ready the line says how long the compile took.
    assert "kernel compiled in" in err


def test_sweep_shows_runs_done_out_of_total(capsys, shown_at_once):
    ms.sweep(SMALL, max_workers=1, progress=True, fatigue=[0.0, 0.5])
    err = capsys.readouterr().err
    assert "2/2" in err and "run" in err
    ms.sweep(SMALL, max_workers=1, fatigue=[0.0, 0.5])
    assert capsys.readouterr().err == ""
