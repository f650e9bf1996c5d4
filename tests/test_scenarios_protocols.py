"""Scenario, protocol and result behaviour: validation, replace, CSV."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import musclesim as ms


def test_scenario_is_frozen_and_replace_validates():
    sc = ms.Scenario()
    with pytest.raises(AttributeError):
        sc.duration_s = 3.0  # type: ignore[misc]
    assert sc.replace(duration_s=3.0).duration_s == 3.0
    with pytest.raises(ValueError, match=r"duration_s = -1\.0 s is outside"):
        sc.replace(duration_s=-1.0)


@pytest.mark.parametrize(
    ("field", "value", "exc", "pattern"),
    [
        ("duration_s", 0.0, ValueError, "duration_s = 0.0 s"),
        ("duration_s", math.nan, ValueError, "not finite"),
        ("duration_s", "ten", TypeError, "duration_s must be a real number"),
        ("n_units", 0, ValueError, "n_units = 0"),
        ("n_units", 2.5, TypeError, "n_units must be an integer"),
        ("seed", -1, ValueError, "seed = -1"),
        ("temperature_C", 50.0, ValueError, "temperature_C = 50.0 °C is outside"),
        ("electrolytes", {"K": 4}, TypeError, "electrolytes must be a Electrolytes"),
    ],
)
def test_bad_scenario_fields(field, value, exc, pattern):
    with pytest.raises(exc, match=pattern):
        ms.Scenario(**{field: value})


def test_train_pulse_times():
    tr = ms.protocols.train(frequency_hz=20.0, start_s=0.1, duration_s=0.5)
    assert len(tr.times_s) == 10
    assert np.allclose(np.diff(tr.times_s), 0.05)
    assert tr.times_s[0] == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: ms.protocols.train(frequency_hz=0.0), "frequency_hz = 0.0 Hz is outside"),
        (lambda: ms.protocols.train(frequency_hz=500.0), "frequency_hz = 500.0 Hz"),
        (lambda: ms.protocols.twitch(at_s=-0.1), "at_s = -0.1 s is outside"),
        (lambda: ms.protocols.twitch(amplitude=1.5), "amplitude = 1.5"),
        (lambda: ms.protocols.current_step(600.0, 0.1, 1.0), "amplitude_nA = 600.0 nA"),
    ],
)
def test_bad_protocol_arguments(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_drive_step_and_ramp_sampling():
    step = ms.protocols.current_step(5.0, 0.1, 0.2)
    t = np.array([0.0, 99.0, 100.0, 200.0, 299.0, 300.0, 400.0])
    assert np.allclose(step.sample(t), [0, 0, 5, 5, 5, 0, 0])
    r = ms.protocols.ramp(10.0, start_s=0.0, rise_s=1.0, hold_s=1.0)
    assert np.allclose(r.sample(np.array([500.0, 1500.0, 2500.0, 3500.0])), [5, 10, 5, 0])


def test_submaximal_stimulus_recruits_large_axons_first():
    # Electrical stimulation recruits large (low-threshold) axons first (Kimura 2013).
    sc = ms.Scenario(n_units=10, duration_s=0.2, synaptic_noise_uA_cm2=0.0,
                     stimulus=ms.protocols.twitch(0.05, amplitude=0.3))  # fmt: skip
    res = ms.simulate(sc)
    fired = [s.size > 0 for s in res.muscle_ap_times]
    assert fired == [False] * 7 + [True] * 3


def test_result_csv_header_and_rows(tmp_path):
    res = ms.simulate(ms.scenario("twitch").replace(n_units=2, duration_s=0.2))
    path = res.to_csv(tmp_path / "r.csv")
    lines = path.read_text().splitlines()
    assert lines[0].startswith(f"# musclesim {ms.__version__}")
    assert "seed=0" in lines[1]
    header = next(ln for ln in lines if not ln.startswith("#"))
    assert header.split(",")[:4] == ["time_s", "force_pct_max", "active_force_pct_max", "ca_uM"]
    assert len([ln for ln in lines if not ln.startswith("#")]) == 1 + res.time.size


def test_result_dataframe_matches_arrays():
    res = ms.simulate(ms.scenario("twitch").replace(n_units=2, duration_s=0.2))
    df = res.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert np.array_equal(df["force_pct_max"].to_numpy(), 100.0 * res.force)


def test_scenario_names_and_presets():
    names = ms.scenario_names()
    assert names[0] == "normal" and "twitch" in names and "tetanus" in names
    for n in names:
        assert ms.scenario(n).name == n


def test_plasma_changes_chain_in_time_order():
    # Ca falls 1.2 -> 0.75 over 0-2 s, then repletion from 5 s over 2 s starts from 0.75:
    # at 6 s ionised Ca is half-way back (0.975 mmol/L), at 8 s normal again.
    from musclesim import engine as E
    from musclesim.electrolytes import gating_shift_mV
    from musclesim.inputs import build_engine_input

    sc = ms.Scenario(
        duration_s=9.0,
        interventions=(
            ms.interventions.replete(at_s=5.0, over_s=2.0),
            ms.interventions.change_electrolytes(0.0, 2.0, ms.Electrolytes(Ca=0.75)),
        ),
    )
    # Plasma Ca acts on the peripheral axon (the soma's fluid is held).
    shift = build_engine_input(sc).inputs[:, E.IN_AX_SHIFT_MV]
    assert shift[3000] == pytest.approx(gating_shift_mV(ms.Electrolytes(Ca=0.75)))
    assert shift[6000] == pytest.approx(gating_shift_mV(ms.Electrolytes(Ca=0.975)), abs=0.05)
    assert shift[8500] == pytest.approx(0.0, abs=1e-9)


def test_interventions_must_start_before_the_end():
    with pytest.raises(ValueError, match=r"interventions\[0\] \(stretch\) at_s = 5.0 s"):
        ms.Scenario(duration_s=2.0, interventions=(ms.interventions.stretch(at_s=5.0),))
    with pytest.raises(ValueError, match="unknown kind 'ice'; valid kinds: stretch"):
        ms.Scenario.from_dict({"interventions": [{"kind": "ice", "at_s": 1.0}]})


def test_irritation_time_course_builds_and_stops_a_spasm():
    # Nerve irritation has a time course. From 0, it builds over 3 s from 1 s,
    # and stops at 8 s; firing follows it (gradual onset, then decay once the cause ends).
    from musclesim.analysis import irritation_end_s

    build = ms.interventions.change_irritation(at_s=1.0, over_s=3.0, level=0.6)
    stop = ms.interventions.change_irritation(at_s=8.0, over_s=0.5, level=0.0)
    sc = ms.Scenario(n_units=30, duration_s=11.0, irritation=0.0, irritation_fraction=0.5,
                     interventions=(build, stop))  # fmt: skip
    assert irritation_end_s(sc) == pytest.approx(8.5, abs=0.002)
    res = ms.simulate(sc)

    def spikes(a: float, b: float) -> int:
        return sum(int(np.sum((s > a) & (s < b))) for s in res.spike_times)

    assert spikes(0.0, 1.0) == 0
    assert spikes(1.0, 2.5) < spikes(5.0, 6.5)
    assert spikes(9.5, 11.0) < 0.2 * spikes(5.0, 6.5)
    with pytest.raises(ValueError, match=r"level.*1\.5.*\[0, 1\]"):
        ms.interventions.change_irritation(at_s=1.0, over_s=1.0, level=1.5)


def test_scenario_names_with_descriptions():
    # The presets with one-line descriptions, the cramp family among them.
    named = ms.describe_scenarios()
    assert list(named) == ms.scenario_names()
    assert all(isinstance(n, str) for n in ms.scenario_names())
    for name in ("normal", "spasm", "cramp", "night_cramp", "tetany", "hypokalaemia",
                 "hyperkalaemia"):  # fmt: skip
        assert name in named and "\n" not in named[name] and len(named[name]) > 20
