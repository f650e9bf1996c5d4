"""Bad input never gives garbage (issue 18): the run guard, sampling rules and file output.

Each test is one finding of the issue's bad-input survey, now refused with a clear error
or fixed.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import musclesim as ms
from musclesim import engine as E
from musclesim import simulation
from musclesim.engine.layout import FIBRE, NEURON
from musclesim.errors import SimulationError

TINY = ms.Scenario(name="tiny", duration_s=0.05)


# --- item 2: the guard ---------------------------------------------------------------------
def test_a_diverging_unit_stops_the_run_naming_scenario_time_unit_and_state(poison_plasma_k):
    # E_K of NaN from 20 ms on (a stand-in for a diverging integration) in a 3-unit pool.
    poison_plasma_k(0.02)
    with pytest.raises(SimulationError) as info:
        ms.simulate(ms.Scenario(name="poisoned", n_units=3, duration_s=0.1))
    err = info.value
    assert err.scenario == "poisoned"
    assert 0.02 <= err.time_s <= 0.022
    assert err.unit in (0, 1, 2)
    assert err.variable in NEURON.names
    message = str(err)
    for needle in ("'poisoned'", f"t = {err.time_s:.4f} s", f"unit {err.unit}", err.variable):
        assert needle in message


def test_a_diverging_unit_of_a_pool_run_on_all_cores_is_reported_too(poison_plasma_k):
    # Pools of PARALLEL_MIN_UNITS or more run their groups of units in parallel; a diverged
    # group there once went unreported and the traces were zeros from then on.
    poison_plasma_k(0.02)
    with pytest.raises(SimulationError) as info:
        ms.simulate(ms.Scenario(n_units=E.PARALLEL_MIN_UNITS, duration_s=0.1))
    assert 0.02 <= info.value.time_s <= 0.022


def test_a_non_finite_fibre_state_names_the_fibre_variable(monkeypatch):
    real = simulation.build_engine_input

    def poisoned(sc):
        inp = real(sc)
        inp.sf0[1, FIBRE.index("trop_uM")] = np.nan  # unit 1 of 2
        return inp

    monkeypatch.setattr(simulation, "build_engine_input", poisoned)
    with pytest.raises(SimulationError) as info:
        ms.simulate(ms.Scenario(n_units=2, duration_s=0.05))
    assert info.value.unit == 1
    assert info.value.variable in FIBRE.names
    assert info.value.time_s <= 0.001  # stopped at the first sample, not at the end


def test_a_non_finite_pool_trace_is_never_returned(monkeypatch):
    # The pool's mechanics (force–length–velocity, passive tension) act outside the units;
    # a NaN there is caught on the traces before a Result is built.
    real = E.run_fixed_step

    def nan_force(*args):
        out = real(*args)
        out.force[30:] = np.nan
        return out

    monkeypatch.setattr(simulation.E, "run_fixed_step", nan_force)
    with pytest.raises(SimulationError, match=r"force .* not finite from t = 0\.0310 s") as info:
        ms.simulate(TINY)
    assert info.value.variable == "force"
    assert info.value.unit is None


def test_classify_refuses_a_result_with_nan_force():
    res = ms.simulate(TINY)
    bad = dataclasses.replace(res, force=np.full_like(res.force, np.nan))
    with pytest.raises(ValueError, match=r"force .*NaN"):
        ms.classify(bad)


# --- item 5: sampling -------------------------------------------------------------------
def test_a_record_step_that_is_not_a_whole_number_of_steps_is_refused_not_rounded():
    with pytest.raises(ValueError, match=r"record_dt_ms = 0\.03 ms must be a whole number"):
        ms.simulate(TINY, record_dt_ms=0.03)
    res = ms.simulate(TINY, record_dt_ms=0.05)
    assert np.allclose(np.diff(res.time), 0.05e-3)


def test_a_run_shorter_than_one_sample_is_refused():
    with pytest.raises(ValueError, match="duration_s = 5e-324 s is shorter than one sample"):
        ms.simulate(ms.Scenario(duration_s=5e-324))
    with pytest.raises(ValueError, match="shorter than one sample"):
        ms.simulate(ms.Scenario(duration_s=0.004), record_dt_ms=5.0)


def test_a_unit_recorded_twice_is_refused():
    with pytest.raises(ValueError, match=r"record_units = \(0, 0\) names a unit twice"):
        ms.simulate(ms.Scenario(n_units=2, duration_s=0.05), record_units=(0, 0))


def test_csv_time_keeps_full_precision_after_1000_s(tmp_path):
    res = ms.simulate(ms.Scenario(duration_s=0.01), record_dt_ms=0.025)
    late = dataclasses.replace(res, time=res.time + 1234.0)
    path = late.to_csv(tmp_path / "late.csv")
    t = np.loadtxt(path, delimiter=",", comments="#", skiprows=4, usecols=0)
    assert np.unique(t).size == res.time.size  # %.6g collapsed 0.025-ms steps at 1234 s
    assert np.allclose(t, late.time, rtol=0, atol=1e-9)
