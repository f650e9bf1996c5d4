"""Spasm from an irritated motor axon (issue 17 item 5): ectopic discharges from the axon.

The irritated axons (``Scenario.irritation_fraction`` of the pool) get less slow (Kv7) K,
more persistent Na, a smaller depolarising afterpotential and a fluctuating inward
current in proportion to the irritation (:func:`musclesim.axon.irritated_unit`); the
soma is left alone. Recorded motor-axon hyperexcitability, by needle EMG:

* fasciculation potentials: single motor-unit discharges, firing irregularly, seconds
  apart (AANEM glossary; Cleveland Clinic J Med table of spontaneous activity);
* myokymic discharges: bursts of a motor unit's potentials at ~30–60 Hz, each burst
  recurring rhythmically or semi-rhythmically, usually several times per second (Gutmann
  1991, Muscle Nerve 14:1043, AAEM minimonograph #37; the 30–60 Hz figure is from
  Medscape's myokymia article, to verify in the primary source);
* neuromyotonic discharges: a motor unit firing at 150–300 Hz (AANEM glossary, to verify);
  intervals lengthen within each run, explained by the axon's recovery cycle and its slow
  K (Kleine et al. 2008, Muscle Nerve 37:269).
"""

from __future__ import annotations

import numpy as np
import pytest

import musclesim as ms
from musclesim.analysis import grouped_discharges
from musclesim.inputs import build_engine_input

IV = ms.interventions
SEEDS = (0, 1, 2)


def _spasm(seed: int, **changes) -> ms.Scenario:
    return ms.scenario("spasm").replace(seed=seed, **changes)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_low_irritation_gives_sparse_single_irregular_discharges(seed):
    # Fasciculation-like: single discharges (no groups), < 1 Hz per firing unit, irregular
    # (seconds apart at random: ISI CV near 1, a Poisson-like train).
    res = ms.simulate(_spasm(seed, irritation=0.2))
    g = grouped_discharges(res.spike_times, 1.0, 20.0)
    assert g["groups"] > 50
    assert g["rate_hz"] < 1.0
    assert g["grouped_fraction"] < 0.05
    cv = [np.std(np.diff(s)) / np.mean(np.diff(s)) for s in res.spike_times if s.size >= 5]
    assert np.mean(cv) > 0.7


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_spasm_preset_force_is_sustained_visible_and_below_the_cramp_bound(seed):
    # Visible (≥ 5 % of maximal on average) and milder than the cramp's involuntary peak
    # (≤ 20 %, the bound of issue 17); it lasts as long as the irritation does.
    res = ms.simulate(_spasm(seed))
    t, f = res.time, res.active_force
    assert f[t > 2.0].mean() >= 0.05
    assert f.max() <= 0.20
    middle = f[(t >= 20 / 3) & (t < 40 / 3)].mean()
    assert f[t >= 40 / 3].mean() >= 0.5 * middle
    assert ms.classify(res) == "spasm-like"


@pytest.mark.slow
def test_heat_and_ending_the_irritation_lower_the_spasm():
    sc = _spasm(0)
    base = ms.simulate(sc)
    heat = ms.simulate(sc.replace(interventions=(IV.heat(at_s=5.0),)))
    off = ms.simulate(sc.replace(interventions=(IV.change_irritation(10.0, 0.5, 0.0),)))
    late = base.time > 12.0
    assert heat.active_force[late].mean() < 0.5 * base.active_force[late].mean()
    # The discharges stop with their cause (within a second of the irritation's end).
    last = max(float(s[-1]) for s in off.spike_times if s.size)
    assert last < 11.5
    assert off.active_force[late].mean() < 0.01


def test_irritation_leaves_the_soma_alone():
    # One mechanism: the irritation acts on the axons only, never on the motor neurons'
    # own input (their noise and synaptic input are those of the unirritated muscle).
    sc = _spasm(3, duration_s=1.0)
    irritated = build_engine_input(sc)
    calm = build_engine_input(sc.replace(irritation=0.0))
    np.testing.assert_array_equal(irritated.noise, calm.noise)
    assert calm.axon_noise.shape[1] == 0
    assert irritated.axon_noise.shape[1] == round(sc.irritation_fraction * sc.n_units)
    assert np.sum(irritated.upar[:, ms.engine.U_AXNOISE] >= 0) == irritated.axon_noise.shape[1]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_spasm_preset_fires_myokymic_grouped_discharges(seed):
    # Myokymic: most discharges come in groups, the spikes within a group at ~30–60 Hz,
    # the groups recurring at 1–10 Hz (Gutmann 1991; see the module docstring).
    res = ms.simulate(_spasm(seed))
    g = grouped_discharges(res.spike_times, 1.0, 20.0)
    assert g["grouped_spike_fraction"] > 0.5
    assert 30.0 <= g["intragroup_rate_hz"] <= 60.0
    assert 1.0 <= g["group_rate_hz"] <= 10.0


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_extreme_irritation_gives_neuromyotonic_runs(seed):
    # Neuromyotonic: long runs of one unit's discharges at 150–300 Hz.
    res = ms.simulate(_spasm(seed, irritation=1.0, duration_s=5.0))
    g = grouped_discharges(res.spike_times, 1.0, 5.0)
    assert 150.0 <= g["intragroup_rate_hz"] <= 300.0
    assert g["mean_group_spikes"] >= 5.0
