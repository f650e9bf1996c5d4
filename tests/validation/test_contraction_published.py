"""Twitch, summation and tetanus of the model muscle against human data (docs/science.md §5)."""

from __future__ import annotations

import numpy as np
import pytest

import musclesim as ms
from musclesim.analysis import force_ripple, twitch_metrics


def _stimulated(stimulus, n_units=100, duration_s=0.6):
    sc = ms.Scenario(n_units=n_units, duration_s=duration_s, stimulus=stimulus,
                     synaptic_noise_uA_cm2=0.0)  # fmt: skip
    return ms.simulate(sc)


@pytest.fixture(scope="module")
def whole_muscle_twitch():
    return twitch_metrics(_stimulated(ms.protocols.twitch(0.1)), 0.1)


@pytest.fixture(scope="module")
def tetanus_force():
    res = _stimulated(ms.protocols.train(100.0, 0.1, 1.0), duration_s=1.2)
    return float(res.force[(res.time > 0.8) & (res.time < 1.1)].mean())


def test_whole_muscle_twitch_contraction_time_is_human(whole_muscle_twitch):
    # Human whole-muscle twitch contraction time ~40–110 ms (Buller & Lewis 1965;
    # docs/science.md §5); the calf sits at the slow end (next test). Measured from the
    # stimulus, so it includes the 3-ms latency.
    assert 40.0 <= whole_muscle_twitch.contraction_time_ms <= 110.0


def test_twitch_half_relaxation_same_order_as_contraction(whole_muscle_twitch):
    # Human twitches relax over a time of the same order as they contract: half-relaxation
    # between 0.5× and 2× the contraction time (teaching bound; Buller & Lewis 1965 report
    # both of the same order). A model with Ca removal 10× too slow or fast breaks it.
    tw = whole_muscle_twitch
    assert 0.5 * tw.contraction_time_ms <= tw.half_relaxation_ms <= 2.0 * tw.contraction_time_ms


def test_single_units_span_calf_contraction_times():
    # Calf motor units: the slowest unit is soleus-like (whole human soleus twitch
    # contraction time 156.5 ± 14.7 ms; Vandervoort & McComas 1983), the fastest twice as
    # fast (lateral and medial gastrocnemius 100 ± 11 and 114 ± 20 ms as whole muscles,
    # holding faster units; PoolParams.contraction_time_range = 2, teaching choice). The
    # generic 90 → 30 ms of Fuglevand et al. 1993 (hand muscle) is not a calf. Asserted:
    # smallest unit within ± 25 % of 156.5 ms; the fastest 1.5–2.5× faster. In a two-unit
    # pool a half-strength stimulus excites only the large axon (electrical recruitment is
    # by axon size), so the large unit's twitch is measured alone and the small unit's is
    # the difference.
    def two_units(amplitude: float):
        stim = ms.protocols.Stimulus(times_s=(0.1,), amplitude=amplitude)
        return _stimulated(stim, n_units=2)

    both, large = two_units(1.0), two_units(0.5)
    latency_ms = 3.0  # nerve stimulus to muscle AP (engine.STIM_LATENCY_MS)
    ct_large = twitch_metrics(large, 0.1).contraction_time_ms - latency_ms
    small_only = both.force - large.force
    ct_small = (both.time[int(np.argmax(small_only))] - 0.1) * 1e3 - latency_ms
    assert 117.4 <= ct_small <= 195.6
    assert 1.5 <= ct_small / ct_large <= 2.5


def test_calf_twitch_contraction_and_half_relaxation_times(whole_muscle_twitch):
    # Human triceps surae, supramaximal nerve twitch: contraction time 112.4 ± 11.1 ms,
    # half-relaxation 99.6 ± 14.4 ms (Sale, Quinlan, Marsh, McComas & Belanger 1982, J Appl
    # Physiol 52:1636). Bounds (issue 16): 90–130 and 80–130 ms, about ± 2 SD.
    tw = whole_muscle_twitch
    assert 90.0 <= tw.contraction_time_ms <= 130.0
    assert 80.0 <= tw.half_relaxation_ms <= 130.0


def test_tetanus_to_twitch_ratio(whole_muscle_twitch, tetanus_force):
    # Human tetanus:twitch ratio ~3–10 (Edwards et al. 1977; docs/science.md §5).
    ratio = tetanus_force / whole_muscle_twitch.peak_force
    assert 3.0 <= ratio <= 10.0


def test_two_pulses_summate():
    # Summation: a second pulse 20 ms after the first, before relaxation, gives a larger
    # peak than one twitch (the basis of tetanus; any textbook, e.g. Guyton & Hall).
    one = _stimulated(ms.protocols.twitch(0.1)).force.max()
    two = _stimulated(ms.protocols.Stimulus(times_s=(0.1, 0.12))).force.max()
    assert two > 1.3 * one


def test_force_frequency_half_maximum_in_human_range(tetanus_force):
    # Half of maximal force near 10–20 Hz in human muscle (Edwards et al. 1977; Merton
    # 1954); the bound: between 8 and 25 Hz.
    freqs = np.array([5.0, 8.0, 10.0, 15.0, 20.0, 25.0, 30.0, 50.0])
    rel = []
    for f in freqs:
        res = _stimulated(ms.protocols.train(f, 0.1, 1.0), duration_s=1.2)
        rel.append(res.force[(res.time > 0.8) & (res.time < 1.1)].mean() / tetanus_force)
    rel = np.array(rel)
    assert np.all(np.diff(rel) > 0)
    f_half = float(np.interp(0.5, rel, freqs))
    assert 8.0 <= f_half <= 25.0


def test_fifty_hertz_gives_nearly_maximal_tetanic_force(tetanus_force):
    # Human motor units reach half of maximal force at 12 ± 4 Hz and maximal tetanic force
    # between 30 and 100 Hz (Thomas, Bigland-Ritchie & Johansson 1991, J Neurophysiol
    # 65:1509, thenar units), and a maximal voluntary contraction, in which units fire at
    # ~30–50 Hz, is as strong as a 100-Hz tetanus (Merton 1954). Asserted: a 50-Hz train
    # gives ≥ 90 % of the 100-Hz force. Measured: 1.00 (0.85 with the fibre parameters
    # before this bound was added).
    res = _stimulated(ms.protocols.train(50.0, 0.1, 1.0), duration_s=1.2)
    f50 = float(res.force[(res.time > 0.8) & (res.time < 1.1)].mean())
    assert f50 >= 0.9 * tetanus_force


@pytest.mark.parametrize("freq", [50.0, 100.0])
def test_tetanus_is_fused_at_high_rates(freq):
    # Fused tetanus: force ripple < 5 % of mean at 50–100 Hz (issue 2's bound).
    res = _stimulated(ms.protocols.train(freq, 0.1, 1.0), duration_s=1.2)
    assert force_ripple(res, 0.8, 1.1) < 0.05


def test_unfused_tetanus_ripples_at_low_rates():
    # At low rates the whole-muscle force visibly oscillates (unfused tetanus). The calf
    # twitch lasts ~110 ms to its peak (Sale et al. 1982), so 10-Hz stimuli already arrive
    # before it peaks and fuse in large part (the triceps surae has a low fusion frequency,
    # Sale et al. 1982); its force ripples clearly at 5 Hz (teaching bound: > 20 %).
    res = _stimulated(ms.protocols.train(5.0, 0.1, 1.0), duration_s=1.2)
    assert force_ripple(res, 0.8, 1.1) > 0.2


def test_twitch_calcium_transient_is_brief_and_micromolar():
    # The myoplasmic Ca transient of a twitch peaks at several µM and returns near rest
    # well before the force does (Baylor & Hollingworth 2003: peak ~10–20 µM at 16 °C in
    # mouse fibres, half-width a few ms).
    res = _stimulated(ms.protocols.twitch(0.1))
    k = int(np.argmax(res.calcium))
    assert 2.0 <= res.calcium[k] <= 30.0
    assert res.calcium[res.time > 0.25].max() < 0.2 * res.calcium[k]
    assert res.time[k] < res.time[int(np.argmax(res.force))]


def test_free_calcium_in_a_tetanus_stays_in_the_twitch_range():
    # In mammalian fibres the release per AP falls during a tetanus (Ca-dependent
    # inactivation of the ryanodine receptors; Schneider & Simon 1988, J Physiol 405:727),
    # so free Ca in a train stays of the order of a twitch's peak (~10–20 µM with a
    # low-affinity indicator; Baylor & Hollingworth 2003). Asserted: the pool's free Ca
    # stays below 30 µM in a 50-Hz train. Measured: ~20 µM (~860 µM before release
    # inactivated, session 5). Without inactivation it piles up: the same train with
    # FibreParams.release_inactivation_k_uM = 1e6 exceeds 300 µM.
    res = _stimulated(ms.protocols.train(50.0, 0.1, 1.0), duration_s=1.2)
    assert res.calcium[res.time < 1.1].max() < 30.0
    off = ms.Scenario(n_units=100, duration_s=1.2, synaptic_noise_uA_cm2=0.0,
                      stimulus=ms.protocols.train(50.0, 0.1, 1.0),
                      fibre=ms.contraction.FibreParams(release_inactivation_k_uM=1e6))  # fmt: skip
    assert ms.simulate(off).calcium.max() > 300.0


# Baylor & Hollingworth 2003 (J Physiol 551:125), mouse fibres at 16 °C, one action
# potential: free-Ca peak 9.4 ± 1.0 µM (slow-twitch) and 18.5 ± 0.5 µM (fast-twitch),
# half-duration (FDHM) 7.7 ± 0.6 and 4.9 ± 0.3 ms. Temperature correction to the model's
# 37 °C: the amplitude is kept (peak isometric force and Ca release change little with
# temperature; Bennett 1984, Am J Physiol 247:R217) and the time course is divided by
# Q10 = 2 over 21 °C, ×2^2.1 = 4.29 (rate processes of mammalian muscle: Q10 ≈ 2 between
# 25 and 35 °C, Ranatunga 1984, J Physiol 351:517; 2.0–2.5, Bennett 1984). Targets: FDHM
# 1.79 ms (slow) and 1.14 ms (fast). Tolerance ± 25 % for both: the species difference
# (human vs mouse) and a Q10 taken as one number; a Q10 of 2.5 would make the targets
# ~40 % shorter. The slow fibre is the pool's slowest unit (speed 1), the fast fibre its
# fastest (speed PoolParams().contraction_time_range).
Q10_FACTOR = 2.0 ** ((37.0 - 16.0) / 10.0)


def _one_fibre_twitch(speed: float):
    fibre = ms.FibreParams().with_speed(speed)
    sc = ms.Scenario(n_units=1, duration_s=0.4, stimulus=ms.protocols.twitch(0.1),
                     synaptic_noise_uA_cm2=0.0, fibre=fibre,
                     pool=ms.PoolParams(contraction_time_range=1.0))  # fmt: skip
    return ms.simulate(sc, record_dt_ms=0.1)


def _fdhm_ms(res) -> float:
    rest = ms.FibreParams().ca_rest_uM
    t, c = res.time * 1e3, res.calcium - rest
    k = int(np.argmax(c))
    half = 0.5 * c[k]
    up = np.flatnonzero(c[: k + 1] < half)[-1]
    down = k + np.flatnonzero(c[k:] < half)[0]
    t_up = np.interp(half, [c[up], c[up + 1]], [t[up], t[up + 1]])
    t_down = np.interp(-half, [-c[down - 1], -c[down]], [t[down - 1], t[down]])
    return float(t_down - t_up)


@pytest.mark.parametrize(("kind", "peak_uM", "fdhm_16C_ms"),
                         [("slow", 9.4, 7.7), ("fast", 18.5, 4.9)])  # fmt: skip
def test_free_calcium_twitch_per_fibre_type(kind, peak_uM, fdhm_16C_ms):
    speed = 1.0 if kind == "slow" else ms.PoolParams().contraction_time_range
    res = _one_fibre_twitch(speed)
    assert 0.75 * peak_uM <= res.calcium.max() <= 1.25 * peak_uM
    target = fdhm_16C_ms / Q10_FACTOR
    assert 0.75 * target <= _fdhm_ms(res) <= 1.25 * target


# Late decay of the free-Ca twitch transient. Calderón, Bolaños & Caputo 2010 (J Physiol
# 588:267), enzymatically dissociated mouse soleus and EDL fibres, MagFluo-4 AM, one field
# stimulus, fibres typed by myosin heavy chain afterwards; the decay fitted with two
# exponentials (mean ± s.e.m.). Type I fibres (group 1, n = 17: 13 type I, 4 type IC):
# tau1 3.33 ± 0.13 ms, tau2 52.48 ± 3.93 ms; IIA (group 2, n = 6) tau2 41.06 ± 9.13 ms;
# IIX (group 3, n = 5) 12.88 ± 1.93 ms; IIB (group 4, n = 11) tau1 1.56 ± 0.11 ms, tau2
# 9.45 ± 1.03 ms. Their half-amplitude width of type I, 19.12 ± 1.85 ms, is far longer than
# Baylor & Hollingworth's slow fibres at 16 °C (7.7 ms, above), so the two labs' slow
# transients differ in shape; this test uses only the late constant tau2, the phase that SR
# uptake and the unloading of the Ca buffers set. Temperature: room temperature, taken as
# 20–25 °C (the abstract does not state it: to verify). Target for the pool's slowest unit
# (speed 1, a type I fibre; the calf's soleus is mostly type I): tau2 mean ± SD (SD =
# s.e.m. × √17 = 16.2 ms), 36.3–68.7 ms, made shorter for 37 °C by a Q10 of 2–2.5 over
# 12–17 °C (rate processes of mammalian muscle, Ranatunga 1984, J Physiol 351:517; Bennett
# 1984, Am J Physiol 247:R217; a Q10 measured for SR uptake itself: to verify): the
# shortest (36.3 ms, Q10 2.5 over 17 °C) to the longest (68.7 ms, Q10 2 over 12 °C) gives
# 7.6–29.9 ms. The model's transient is fitted the same way (two exponentials from the
# peak, over 100 ms after it, ~300 ms at room temperature, which covers the published
# tau2 several times over; the fit window of the paper: to verify).
# Measured (record_dt 0.1 ms): tau2 26.1 ms, tau1 1.6 ms. The tail is the Ca that troponin
# gives back, pumped at free Ca below 1 µM, where SERCA uptake grows as (Ca/Km)²: the slow
# fibre's SERCA half-saturation (FibreParams.serca_km_uM, 0.4 µM, calibrated for this test)
# sets it. With the 1 µM of Baylor & Hollingworth 2007 the tail takes 48.7 ms, and no SERCA
# Vmax brings it into the band (×5 still 37.6 ms). Mechanism pinned: the pump's Km ×1.25
# (0.5 µM) gives 29.86 ms, just inside; ×1.5 and Vmax ×0.67 fall outside. The fast unit's
# 27.6 ms lies between the IIA (41 ms) and IIX (12.9 ms) means at room temperature and is
# not tested.
TYPE_I_TAU2_MS = 52.48
TYPE_I_TAU2_SD_MS = 3.93 * 17**0.5
LATE_TAU_37C_MS = (
    (TYPE_I_TAU2_MS - TYPE_I_TAU2_SD_MS) / 2.5 ** ((37.0 - 20.0) / 10.0),
    (TYPE_I_TAU2_MS + TYPE_I_TAU2_SD_MS) / 2.0 ** ((37.0 - 25.0) / 10.0),
)


def _decay_time_constants_ms(res, window_ms: float = 100.0) -> tuple[float, float]:
    """Fast and slow time constants (ms) of a two-exponential fit to the free-Ca decay
    from its peak over ``window_ms``, normalised to the peak above rest."""
    from scipy.optimize import curve_fit

    rest = ms.FibreParams().ca_rest_uM
    t, c = res.time * 1e3, res.calcium - rest
    k = int(np.argmax(c))
    tt, cc = t[k:] - t[k], c[k:] / c[k]
    keep = tt <= window_ms

    def two_exp(x, a, tau1, tau2):
        return a * np.exp(-x / tau1) + (1.0 - a) * np.exp(-x / tau2)

    p, _ = curve_fit(two_exp, tt[keep], cc[keep], p0=(0.8, 1.0, 20.0),
                     bounds=([0.0, 0.01, 0.1], [1.0, 100.0, 1000.0]))  # fmt: skip
    tau1, tau2 = sorted((float(p[1]), float(p[2])))
    return tau1, tau2


def test_free_calcium_late_decay_of_slow_fibre():
    _, tau2 = _decay_time_constants_ms(_one_fibre_twitch(1.0))
    lo, hi = LATE_TAU_37C_MS
    assert lo <= tau2 <= hi
