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
    n_header = sum(ln.startswith("#") for ln in path.read_text(encoding="utf-8").splitlines())
    t = np.loadtxt(path, delimiter=",", skiprows=n_header + 1, usecols=0)
    assert np.unique(t).size == res.time.size  # %.6g collapsed 0.025-ms steps at 1234 s
    assert np.allclose(t, late.time, rtol=0, atol=1e-9)


# --- item 5: files, names, Nernst -----------------------------------------------------------
def test_a_scenario_file_with_a_utf8_bom_reads_and_errors_name_the_file(tmp_path):
    path = tmp_path / "sc.json"
    path.write_bytes(b"\xef\xbb\xbf" + ms.Scenario(name="bom", seed=3).to_json().encode())
    assert ms.Scenario.from_json(path).seed == 3
    toml = tmp_path / "sc.toml"
    toml.write_bytes(b"\xef\xbb\xbf" + ms.Scenario(seed=4).to_toml().encode())
    assert ms.Scenario.from_toml(toml).seed == 4
    bad = tmp_path / "bad.json"
    bad.write_text('{"seed": 1,}')
    with pytest.raises(ValueError, match=r"bad\.json.*malformed JSON"):
        ms.Scenario.from_json(bad)
    out_of_range = tmp_path / "range.toml"
    out_of_range.write_text("duration_s = -1.0\n")
    with pytest.raises(ValueError, match=r"range\.toml.*duration_s = -1\.0"):
        ms.Scenario.from_toml(out_of_range)


@pytest.mark.parametrize("name", ["cost $5 or $6", "_hidden", "a_b^c"])
def test_scenario_names_are_drawn_as_plain_text(tmp_path, name):
    import matplotlib.pyplot as plt

    res = ms.simulate(ms.Scenario(name=name, duration_s=0.05))
    fig = ms.plot.compare([res])
    fig.savefig(tmp_path / "fig.png")  # mathtext raised on an unbalanced '$'
    titles = [ax.get_title() for ax in fig.axes]
    assert name in titles
    plt.close(fig)


def test_nernst_of_the_smallest_positive_concentration_is_finite():
    # ln(5e-324 / 140) underflowed to ln(0) = -inf; as a difference of logs it is finite.
    e = ms.nernst(1, 5e-324, 140.0)
    assert np.isfinite(e) and e < -1000.0


@pytest.mark.parametrize("target", [ms.Electrolytes(Mg=0.05), ms.Electrolytes(Ca=0.2)])
def test_repletion_to_the_edge_of_the_valid_range_runs(target):
    iv = ms.interventions.replete(0.1, 0.3, target)
    res = ms.simulate(ms.Scenario(duration_s=0.5, interventions=(iv,)))
    assert np.all(np.isfinite(res.force))


# --- item 1: ranges that run --------------------------------------------------------------
@pytest.mark.parametrize("field", ["vmax_l0_per_s", "hill_curvature", "fl_width_l0"])
def test_mechanics_parameters_that_divide_by_zero_are_refused(field):
    # At 0 each gave an all-NaN force that classify called 'normal'.
    with pytest.raises(ValueError, match=rf"{field} = 0 .*is outside"):
        ms.ReflexParams(**{field: 0})


def test_fibre_ranges_name_unit_and_range_and_with_speed_keeps_any_allowed_fibre():
    with pytest.raises(ValueError, match=r"xb_stroke_per_ms = 5e-324 1/ms is outside \["):
        ms.FibreParams(xb_stroke_per_ms=5e-324)
    with pytest.raises(ValueError, match=r"serca_vmax_uM_ms = 1000000.0 µM/ms is outside"):
        ms.FibreParams(serca_vmax_uM_ms=1e6)
    edge = ms.FibreParams(serca_vmax_uM_ms=45.0)  # the top of its range
    fast = edge.with_speed(10.0)
    assert fast.serca_vmax_uM_ms == pytest.approx(450.0)
    res = ms.simulate(ms.Scenario(n_units=3, duration_s=0.3, fibre=edge,
                                  stimulus=ms.protocols.twitch(0.05)))  # fmt: skip
    assert np.all(np.isfinite(res.force))


def test_sr_calcium_content_range_ends_where_the_fixed_step_still_runs():
    # 30x the default SR content with the calf fibre's release drove free Ca negative
    # (found by the fuzz suite); the range stops at 10x (25 mM), which runs.
    with pytest.raises(
        ValueError, match=r"ca_sr_total_uM = 75000.0 µM is outside \[83.3, 25000\]"
    ):
        ms.FibreParams(ca_sr_total_uM=75000.0)
    sc = ms.Scenario(n_units=3, duration_s=0.6, fibre=ms.FibreParams(ca_sr_total_uM=25000.0),
                     stimulus=ms.protocols.train(100.0, 0.1, 0.5))  # fmt: skip
    res = ms.simulate(sc)
    assert np.all(np.isfinite(res.force)) and float(res.calcium.min()) >= 0.0


@pytest.mark.slow  # one 60-s run of the 100-unit pool
def test_a_maximally_irritated_night_cramp_runs_its_minute():
    # irritation 1.0 is the top of its documented range. The irritated axons then fire at
    # ~70 Hz for a minute and their spikes load the somata's Na⁺/K⁺ pumps; the pump current
    # saturates (NeuronParams.pump_max_uA_cm2). An electrogenic pump can hold a membrane
    # below E_K (~−100 mV in the CNS fluid); an unbounded one would take unit 97 to
    # −250 mV at ~55 s and the run would diverge. Measured: lowest −121 mV.
    sc = ms.scenario("night_cramp").replace(irritation=1.0)
    res = ms.simulate(sc, record_units=(0, 97))
    assert res.spike_times[97].size > 3000
    assert np.min(res.voltage) > -130.0
