"""Metric definitions (issue 4, item 4) checked on hand-built spike trains and force traces,
then on small simulations where the physiology fixes the answer."""

from __future__ import annotations

import math

import numpy as np
import pytest

import musclesim as ms
from musclesim import analysis as A
from musclesim.neuron import NeuronParams
from musclesim.reflex import ReflexParams


def _train(isis: list[float], start_s: float = 1.0) -> np.ndarray:
    return start_s + np.concatenate([[0.0], np.cumsum(isis)])


# --- spike trains ---------------------------------------------------------------------
def test_known_isi_sequences_give_known_rate_cv_and_doublet_fraction():
    # Unit A: ISIs 100, 100, 200, 200 ms -> mean 150 ms (6.67 Hz), SD 50 ms, CV 1/3.
    # Unit B: doublets of 10 ms every 100 ms (10, 90, 10, 90 ms) -> mean 50 ms (20 Hz),
    # SD 40 ms, CV 0.8; 2 of its 4 ISIs are doublets (< 20 ms).
    a = _train([0.1, 0.1, 0.2, 0.2])
    b = _train([0.01, 0.09, 0.01, 0.09])
    st = A.spike_statistics([a, b])
    assert st["mean_rate_hz"] == pytest.approx((1 / 0.15 + 1 / 0.05) / 2)
    assert st["cv_isi"] == pytest.approx((1 / 3 + 0.8) / 2)
    assert st["doublet_fraction"] == pytest.approx(2 / 8)
    # Peak instantaneous rate ignores the doublets: 1/90 ms from unit B beats 1/100 ms.
    assert st["peak_rate_hz"] == pytest.approx(1 / 0.09)
    assert st["units"] == 2


def test_doublet_threshold_is_strictly_below_20_ms():
    # An ISI of exactly 20 ms is not a doublet (doublets are 2.5–20 ms; the bound is open).
    st = A.spike_statistics([_train([0.019, 0.020, 0.021])])
    assert st["doublet_fraction"] == pytest.approx(1 / 3)


def test_units_with_fewer_than_three_spikes_are_left_out():
    st = A.spike_statistics([np.array([1.0, 1.005]), np.array([2.0])])
    assert math.isnan(st["mean_rate_hz"]) and math.isnan(st["cv_isi"])
    assert math.isnan(st["doublet_fraction"]) and st["units"] == 0
    st = A.spike_statistics([np.array([1.0, 1.005]), _train([0.1, 0.1])])
    assert st["doublet_fraction"] == 0.0 and st["units"] == 1


def test_regular_firing_has_zero_cv():
    st = A.spike_statistics([_train([0.07] * 20)])
    assert st["cv_isi"] == pytest.approx(0.0, abs=1e-12)
    assert st["mean_rate_hz"] == pytest.approx(1 / 0.07)


def test_spike_statistics_window_uses_only_intervals_inside_it():
    s = np.concatenate([_train([0.01] * 5, 0.0), _train([0.1] * 5, 2.0)])
    st = A.spike_statistics([s], start_s=1.0)
    assert st["doublet_fraction"] == 0.0 and st["mean_rate_hz"] == pytest.approx(10.0)


def test_firing_end_needs_two_units_together():
    # Units 0 and 1 fire together until ~3 s; unit 2 alone fires on to 5 s: a single unit
    # (a stray discharge) does not keep the pool "firing" beyond one window after the others.
    u0, u1 = _train([0.1] * 20, 1.0), _train([0.1] * 20, 1.05)
    u2 = _train([0.1] * 40, 1.0)
    end = A.firing_end_s([u0, u1, u2])
    assert u1[-1] <= end <= u1[-1] + A.FIRING_WINDOW_S
    assert math.isnan(A.firing_end_s([u2]))
    assert math.isnan(A.firing_end_s([np.zeros(0), np.zeros(0)]))


# --- force traces ---------------------------------------------------------------------
def test_linear_ramp_rise_time_is_80_percent_of_ramp():
    # Force rises linearly from 0 to 0.4 between 1 and 2 s: 10 % of peak at 1.1 s, 90 % at
    # 1.9 s. Coarse 50-ms samples check that crossings are interpolated.
    for dt in (0.001, 0.05):
        t = np.arange(0.0, 3.0 + dt / 2, dt)
        f = 0.4 * np.clip(t - 1.0, 0.0, 1.0)
        assert A.rise_time_s(t, f) == pytest.approx(0.8, abs=1e-9)


def test_exponential_rise_time_is_tau_ln9():
    # First-order rise 1 − exp(−t/τ): 10–90 % takes τ·ln 9 ≈ 2.2 τ.
    tau = 0.05
    t = np.arange(0.0, 2.0, 1e-4)
    assert A.rise_time_s(t, 1.0 - np.exp(-t / tau)) == pytest.approx(tau * np.log(9), rel=1e-3)


def test_decay_time_of_exponential_relaxation():
    # Force 0.2·exp(−(t − 1)/0.1) after the cause stops at 1 s crosses 2 % at 0.1·ln 10 s.
    t = np.arange(0.0, 3.0, 1e-3)
    f = np.where(t < 1.0, 0.2, 0.2 * np.exp(-(t - 1.0) / 0.1))
    assert A.decay_time_s(t, f, 1.0) == pytest.approx(0.1 * np.log(10), abs=2e-3)


def test_decay_time_edge_cases():
    t = np.arange(0.0, 2.0, 1e-3)
    assert A.decay_time_s(t, np.zeros_like(t), 1.0) == 0.0  # already relaxed
    assert A.decay_time_s(t, np.full_like(t, 0.1), 1.0) == math.inf  # never relaxes
    assert math.isnan(A.decay_time_s(t, np.zeros_like(t), math.inf))  # cause never stops
    # A dip below threshold that rises again is not the end of the contraction.
    f = np.where((t > 1.2) & (t < 1.3), 0.0, 0.1) * (t < 1.5)
    assert A.decay_time_s(t, f, 1.0) == pytest.approx(0.5, abs=2e-3)


# --- causes read from the scenario ----------------------------------------------------
def test_drive_window_and_cause_end_from_the_scenario():
    normal = ms.scenario("normal")  # ramp 0.5 s on, back to 0 at 5.0 s
    assert A.drive_window(normal) == pytest.approx((0.501, 5.0))
    assert A.cause_end_s(normal) == pytest.approx(5.0)
    rested = normal.replace(interventions=(ms.interventions.rest(at_s=3.0),))
    assert A.drive_window(rested)[1] == pytest.approx(3.0)
    held = ms.Scenario(duration_s=2.0, drive=ms.protocols.current_step(2.0, 0.5, 5.0))
    assert A.drive_window(held) == (0.5, math.inf)
    assert A.cause_end_s(held) == math.inf


def test_irritation_stops_only_when_heat_removes_all_of_it():
    spasm = ms.scenario("spasm")
    assert A.cause_end_s(spasm) == math.inf
    partly = spasm.replace(interventions=(ms.interventions.heat(at_s=5.0, fraction=0.5),))
    assert A.irritation_end_s(partly) == math.inf
    fully = spasm.replace(interventions=(ms.interventions.heat(5.0, over_s=2.0, fraction=1.0),))
    assert A.irritation_end_s(fully) == pytest.approx(7.0)


def test_electrolyte_disorder_and_rest_have_no_timed_cause():
    assert math.isnan(A.cause_end_s(ms.scenario("tetany")))
    assert math.isnan(A.cause_end_s(ms.scenario("rest")))
    assert A.cause_end_s(ms.scenario("tetanus")) == pytest.approx(1.08)  # last 50-Hz pulse


# --- on simulations -------------------------------------------------------------------
@pytest.fixture(scope="module")
def relaxing():
    """A 30-unit pool that follows its input: a 1-s step of drive, then nothing.

    Without persistent inward currents and reflex loop, nothing can keep the motor neurons
    firing once the drive stops (Hounsgaard et al. 1988 showed plateau potentials need the
    PIC), so this is a normal relaxation by construction.
    """
    sc = ms.Scenario(
        n_units=30,
        duration_s=2.0,
        drive=ms.protocols.current_step(4.0, 0.3, 1.0),
        neuron=NeuronParams(g_pic_mS_cm2=0.0),
        reflex=ReflexParams.deafferented(),
    )
    return ms.simulate(sc)


def test_normal_relaxation_metrics(relaxing):
    m = relaxing.metrics()
    assert 0.3 < m.onset_s < 0.5  # force follows the drive within a twitch's latency
    assert 0.0 < m.rise_time_s < 1.0
    assert m.time_to_peak_s <= 1.0 + 0.2  # peak while driven (plus a twitch's delay)
    # Firing stops with the drive (at most one ISI later) and force falls within ~0.3 s,
    # a twitch's contraction and relaxation (Buller & Lewis 1965).
    assert m.sustained_after_drive_s < 0.2
    assert 0.0 <= m.decay_s < 0.4
    assert m.mean_rate_hz > 5.0 and m.doublet_fraction < 0.05


def test_metrics_without_a_voluntary_drive_are_nan_where_undefined():
    res = ms.simulate("spasm", n_units=20, duration_s=2.0)
    m = res.metrics()
    assert math.isnan(m.sustained_after_drive_s)  # no drive to outlast
    assert math.isnan(m.decay_s)  # the irritation lasts to the end
    assert m.metabolite_end_mM == pytest.approx(float(res.metabolite[-1]))


def test_resting_muscle_has_no_onset_and_no_rates():
    m = ms.simulate("rest", duration_s=0.5).metrics()
    assert math.isnan(m.onset_s) and math.isnan(m.rise_time_s)
    assert m.duration_s == 0.0 and m.active_units == 0
    assert math.isnan(m.mean_rate_hz) and math.isnan(m.cv_isi)


def test_burst_sizes_count_doublets_triplets_and_multiplets():
    from musclesim.analysis import burst_sizes

    # ISIs (s): a doublet, a single spike, a triplet, then a quadruplet.
    isi = np.array([0.005, 0.1, 0.1, 0.004, 0.006, 0.2, 0.003, 0.003, 0.003])
    assert burst_sizes([isi]).tolist() == [2, 3, 4]
    assert burst_sizes([np.array([0.1, 0.1])]).size == 0
    assert burst_sizes([isi, np.array([0.01])]).tolist() == [2, 3, 4, 2]


def test_metrics_report_burst_size_and_intraburst_interval():
    from musclesim.analysis import isi_statistics

    isi = np.array([0.005, 0.1, 0.1, 0.004, 0.006, 0.2, 0.003, 0.003, 0.003])
    st = isi_statistics([isi])
    assert st["mean_burst_spikes"] == pytest.approx(3.0)
    assert st["multiplet_fraction"] == pytest.approx(2 / 3)
    # Short intervals 5, 4, 6, 3, 3, 3 ms: median 3.5 ms.
    assert st["intraburst_isi_ms"] == pytest.approx(3.5)
    assert math.isnan(isi_statistics([np.array([0.1, 0.1])])["mean_burst_spikes"])
