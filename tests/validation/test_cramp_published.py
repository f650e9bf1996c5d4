"""Spasm and cramp profiles against the recorded literature (docs/science.md §1 and §5).

The cramp preset is a fatigued (0.9), shortened (0.9 L0) muscle after a modest 1.5-s
voluntary contraction (2 nA, rising from 1.0 s; the trigger ends at 2.5 s). Several
constants were calibrated on it: the afferent-noise size so the ISI CV lands near Minetto
et al. (2009); the metaboreceptor-driven fusimotor drive so that fatigue 0.6 does not cramp
while 0.8-0.9 do; the Na/K-pump current per spike and its decay so the untreated cramp ends
within about a minute; and the motor-neuron recruitment set (NeuronParams.g_ahp_mS_cm2),
chosen among sets whose cramp also keeps its rate, CV, EMG and end in the recorded ranges.
Those tests are calibration checks. The rise above the trigger, the effect of muscle
length, stretch and tendon stimulation, and the units joining and leaving are predictions.
"""

from __future__ import annotations

import numpy as np
import pytest

import musclesim as ms
from musclesim.analysis import DISCHARGE_PAUSE_S

TRIGGER_END_S = 2.5


def test_fatigue_afferent_barrage_saturates_at_modest_metaboreceptor_levels():
    # Metaboreceptors answer low, exercise-like metabolite levels and low levels of exercise
    # already excite most group III/IV afferents of the triceps surae (Light et al. 2008;
    # Adreani, Hill & Kaufman 1997), so the barrage is at > 90 % of its full rate once the
    # metaboreceptor level reaches 0.2 and at half of it near K (0.05), while a trace level
    # of 0.01, what a relaxed half-fatigued calf keeps, gives < 5 %; the noise SD is the
    # square root of that rate (Campbell's theorem).
    from musclesim.reflex import (
        METABORECEPTOR_HALF_LEVEL,
        afferent_barrage_rate,
        afferent_noise_sd,
    )

    levels = np.linspace(0.0, 1.0, 201)
    rates = np.array([afferent_barrage_rate(m) for m in levels])
    assert rates[0] == 0.0 and abs(rates[-1] - 1.0) < 1e-12
    assert np.all(np.diff(rates) > 0.0)
    assert abs(afferent_barrage_rate(METABORECEPTOR_HALF_LEVEL) - 0.5) < 0.01
    assert afferent_barrage_rate(0.2) > 0.9 and afferent_barrage_rate(0.01) < 0.05
    hist = np.array([0.2, 0.2, 0.01])
    assert (
        abs(afferent_noise_sd(2, hist, 0, 3.0) - 3.0 * np.sqrt(afferent_barrage_rate(0.01)))
        < 1e-12
    )
    assert (
        abs(afferent_noise_sd(2, hist, 2, 3.0) - 3.0 * np.sqrt(afferent_barrage_rate(0.2))) < 1e-12
    )


def _involuntary_trains(res: ms.Result, start_s: float, end_s: float) -> list[np.ndarray]:
    return [s[(s >= start_s) & (s < end_s)] for s in res.spike_times]


def _unit_stats(trains: list[np.ndarray]) -> tuple[float, float, float, int]:
    """Mean rate (Hz), mean ISI CV and doublet share (ISI < 20 ms) of the continuous
    discharge of units with ≥ 5 spikes, and the number of such units.

    An interval longer than ``analysis.DISCHARGE_PAUSE_S`` (0.25 s) is a pause in a unit's
    firing, not a discharge interval, and is left out: Minetto et al. 2009 record minimal
    rates of 6.0 ± 0.8 pps in cramps, so their units had no interval longer than ~0.23 s;
    in the model a large unit can drop out of a cramp for a moment as it waxes and wanes,
    and each such gap would otherwise count as one interval (how many there are is
    asserted separately, :func:`_pause_share`)."""
    rates, cvs, n_dbl, n_isi, n_units = [], [], 0, 0, 0
    for s in trains:
        if s.size < 5:
            continue
        n_units += 1
        isi = np.diff(s)
        isi = isi[isi <= DISCHARGE_PAUSE_S]
        if isi.size < 4:
            continue
        rates.append(1.0 / isi.mean())
        cvs.append(isi.std() / isi.mean())
        n_dbl += int(np.sum(isi < 0.020))
        n_isi += isi.size
    return float(np.mean(rates)), float(np.mean(cvs)), n_dbl / max(n_isi, 1), n_units


def _pause_share(trains: list[np.ndarray]) -> float:
    """Share of the intervals of units with ≥ 5 spikes that are pauses (longer than
    ``analysis.DISCHARGE_PAUSE_S``)."""
    isis = [np.diff(s) for s in trains if s.size >= 5]
    n = sum(i.size for i in isis)
    return sum(int(np.sum(i > DISCHARGE_PAUSE_S)) for i in isis) / max(n, 1)


@pytest.fixture(scope="module")
def cramps() -> list[ms.Result]:
    return [
        ms.simulate(ms.scenario("cramp").replace(duration_s=20.0, seed=seed)) for seed in (0, 1, 2)
    ]


@pytest.fixture(scope="module")
def spasm() -> ms.Result:
    return ms.simulate("spasm")


def test_cramp_is_a_self_sustained_discharge_with_recorded_rates(cramps):
    # Minetto, Holobar, Botter & Farina 2009 (J Neurophysiol 102:1890): motor units in
    # cramps fire at 14.5 ± 5.1 pps (max 25 ± 8), ISI CV 44.6 ± 9.7 %, doublets 4.1 %;
    # bounds are mean ± 1 SD. Ross & Thomas 1995: the discharge outlasts the trigger.
    for res in cramps:
        trains = _involuntary_trains(res, TRIGGER_END_S + 2.0, res.scenario.duration_s)
        rate, cv, doublets, n_active = _unit_stats(trains)
        assert n_active >= 50, "most of the pool keeps firing after the trigger"
        assert 14.5 - 5.1 <= rate <= 14.5 + 5.1
        assert 0.446 - 0.097 <= cv <= 0.446 + 0.097
        # The recorded units did not fall below ~4.4 pps (minimal rates 6.0 ± 0.8 pps):
        # pauses longer than DISCHARGE_PAUSE_S, which the rate and CV leave out, stay rare
        # (under 2 %, a teaching choice; measured 0.2–0.3 %).
        assert _pause_share(trains) < 0.02
        # Doublets occur but stay rare (model ~1 %, recorded 4.1 %).
        assert 0.0 < doublets < 0.10
        # Firing persists to the end of the 20-s run: the trigger lasted 1.5 s.
        late = sum(int(np.sum(s > res.scenario.duration_s - 2.0)) for s in res.spike_times)
        assert late > 1000


@pytest.mark.slow  # ten 100-s runs of the 100-unit pool
def test_untreated_cramp_ends_on_its_own_within_minutes():
    # Cramps are "self-extinguishing within seconds to minutes" (Minetto, Holobar, Botter &
    # Farina 2013, Exerc Sport Sci Rev 41:3); induced cramps last ~150 s, nocturnal ones up
    # to < 10 min (Miller et al. 2010). Issue 17 item 3: over ten seeds the median
    # discharge ends 20-150 s after the trigger and none lasts 5 minutes (every run here
    # ends within 100 s; measured, seeds 0 and 1: the last discharge 36.2 and 35.8 s after
    # the trigger, the involuntary force above threshold for 31.6 and 31.1 s).
    # Mechanism: the Na/K-pump current that builds up with the discharge
    # (NeuronParams.pump_uA_cm2_per_spike, pump_tau_ms; calibrated on this preset).
    #
    # Issue 17 item 1 on the same runs: units join and leave. Single motor units are active
    # for 23.6 ± 16.2 s within a cramp (Minetto, Holobar, Botter & Farina 2009, J
    # Neurophysiol 102:1890); recorded cramps build up as units are added and subside as
    # they drop out. A unit's active time here is its first to last discharge after the
    # trigger. Asserted: the mean over units and seeds within 23.6 ± 16.2 s; the largest
    # tenth of the pool joins later and leaves sooner than the smallest tenth (the
    # direction of the size principle, Henneman, Somjen & Carpenter 1965, for the afferent
    # input: reflex.AFFERENT_NOISE_UA_CM2; a recorded cramp is a slowly moving fraction of
    # the muscle, not all of it at once, Roeleveld et al. 2000, J Appl Physiol 88:1698).
    ends, active, first_small, first_large, active_small, active_large = [], [], [], [], [], []
    for seed in range(10):
        res = ms.simulate(ms.scenario("cramp").replace(duration_s=100.0, seed=seed))
        end = ms.analysis.firing_end_s(res.spike_times)
        assert end < 95.0, f"seed {seed}: still firing at the end of the run"
        ends.append(end - TRIGGER_END_S)
        trains = [s[s > TRIGGER_END_S] for s in res.spike_times]
        first = np.array([s[0] if s.size > 1 else np.nan for s in trains])
        span = np.array([s[-1] - s[0] if s.size > 1 else 0.0 for s in trains])
        active.append(span.mean())
        first_small.append(np.nanmean(first[:10]))
        first_large.append(np.nanmean(first[-10:]))
        active_small.append(span[:10].mean())
        active_large.append(span[-10:].mean())
    assert 20.0 <= float(np.median(ends)) <= 150.0, ends
    assert 23.6 - 16.2 <= float(np.mean(active)) <= 23.6 + 16.2, active
    assert np.mean(first_large) > np.mean(first_small), (first_small, first_large)
    assert np.mean(active_large) < np.mean(active_small), (active_small, active_large)


def test_cramp_rises_after_its_trigger_above_the_trigger_force(cramps, spasm):
    # Issue 17 item 1: after a modest trigger (<= 30 % of maximal force, <= 2 s) the
    # involuntary contraction rises to a peak above the force during the trigger
    # (recorded cramps build up as units join; Minetto et al. 2009; Roeleveld et al. 2000),
    # within seconds (a cramp is sudden: 90 % of its peak within 10 s of the trigger's end,
    # a teaching bound; the model's rise follows ReflexParams.metabo_tau_ms, 3 s).
    # Strong: the spasm is "milder than the cramp's involuntary peak" (issue 17 item 5),
    # here with a 2x margin (a model-to-model comparison, as the literature gives no cramp
    # force in % of maximum). The peak, not the mean: a recorded cramp builds up and then
    # subsides gradually (Minetto et al. 2009), so its mean over a run includes its fade.
    spasm_force = spasm.force[spasm.time > 2.0].mean()
    for res in cramps:
        t, f = res.time, res.force
        window = ms.analysis.drive_window(res.scenario)
        assert window is not None and window[1] - window[0] <= 2.0
        during = f[(t >= window[0]) & (t <= window[1])].max()
        assert during <= 0.30
        after = t > window[1] + 0.3
        peak = f[after].max()
        assert peak > during
        t_peak = t[after][np.argmax(f[after] >= 0.9 * peak)]
        assert t_peak - window[1] <= 10.0
        assert peak >= 2.0 * spasm_force
        assert peak < 0.5  # a cramp in a fatigued muscle is not maximal force


def _emg_rms(res: ms.Result, start_s: float, end_s: float) -> float:
    sel = (res.emg_time > start_s) & (res.emg_time < end_s)
    return float(np.sqrt(np.mean(res.emg[sel] ** 2)))


@pytest.mark.slow  # a maximal contraction and three 14-s cramps of the 100-unit pool
def test_cramp_emg_is_over_half_of_maximal_voluntary_emg():
    # Miller et al. 2010 (Med Sci Sports Exerc 42:953): electrically induced cramps of
    # flexor hallucis brevis reach 55-70 % of maximal voluntary EMG; issue 17 item 1 asks
    # for 50-75 %. Maximal voluntary EMG: the fresh muscle driven far past full recruitment
    # (400 nA); the cramp's EMG from 4.5 to 8.5 s after its trigger.
    mvc = ms.simulate(ms.Scenario(name="mvc", n_units=100, duration_s=3.0,
                                  drive=ms.protocols.current_step(400.0, 0.5, 2.5)))  # fmt: skip
    maximal = _emg_rms(mvc, 1.5, 2.5)
    for seed in (0, 1, 2):
        cramp = ms.simulate(ms.scenario("cramp").replace(duration_s=14.0, seed=seed))
        ratio = _emg_rms(cramp, TRIGGER_END_S + 4.5, TRIGGER_END_S + 8.5) / maximal
        assert 0.50 <= ratio <= 0.75, (seed, ratio)


@pytest.mark.slow  # a maximal contraction, three 60-s and three 30-s runs of the 100-unit pool
def test_night_cramp_builds_out_of_fasciculations_without_a_trigger():
    # Issue 17 item 1: for night_cramp no trigger beyond the shortened posture and its
    # other causes. Here nothing voluntary: a few hyperexcitable motor axons fasciculate
    # (the peripheral account, Layzer 1994, Muscle Nerve 17:1243: cramps from motor-nerve
    # terminals, favoured by shortening), and the fatigued, shortened calf's loop ignites.
    # Asserted against recordings: the cramp's units fire at 14.5 ± 5.1 pps with ISI CV
    # 44.6 ± 9.7 % (Minetto et al. 2009, mean ± 1 SD); its EMG is 50-75 % of maximal
    # voluntary EMG (Miller et al. 2010: 55-70 %); it ends by itself within seconds to
    # minutes (Minetto et al. 2013; nocturnal cramps < 10 min, Miller et al. 2010), here
    # 20-150 s as issue 17 item 3 asks of the exercise cramp. The preset's irritation is
    # calibrated so that a cramp starts within 60 s (presets.NIGHT_CRAMP_IRRITATION); when
    # and how strongly it starts, its rates, EMG and end are not.
    # Measured (seeds 0-2): cramp-like, episodes from 12.9/27.9/15.6 s for ~23 s, peak
    # 38-41 %, 16.5 Hz, CV 0.39-0.40 (0.49-0.52 with the pauses counted; pauses 0.3-0.4 %
    # of the intervals), EMG 66-67 %, ended by itself at 36-51 s.
    night = ms.scenario("night_cramp")
    assert night.drive is None and not night.stimulus
    mvc = ms.simulate(ms.Scenario(name="mvc", n_units=100, duration_s=3.0,
                                  drive=ms.protocols.current_step(400.0, 0.5, 2.5)))  # fmt: skip
    maximal = _emg_rms(mvc, 1.5, 2.5)
    for seed in (0, 1, 2):
        res = ms.simulate(night.replace(seed=seed))
        assert ms.classify(res) == "cramp-like"
        episode = ms.classification.measure_involuntary(res).episode
        assert episode is not None
        # It grows out of weaker activity: the first seconds are fasciculations only.
        assert res.active_force[res.time < 3.0].max() < 0.10
        assert episode.start_s > 3.0
        trains = _involuntary_trains(res, episode.start_s, episode.end_s)
        rate, cv, _, n_active = _unit_stats(trains)
        assert n_active >= 50
        assert 14.5 - 5.1 <= rate <= 14.5 + 5.1
        assert 0.446 - 0.097 <= cv <= 0.446 + 0.097
        assert _pause_share(trains) < 0.02  # as for the exercise cramp; measured 0.3-0.4 %
        ratio = _emg_rms(res, episode.start_s + 2.0, episode.start_s + 6.0) / maximal
        assert 0.50 <= ratio <= 0.75, (seed, ratio)
        m = res.metrics()
        assert m.ended_by == "itself"
        assert 20.0 <= m.involuntary_duration_s <= 150.0
    # The same irritation in a rested calf fasciculates without a cramp. With the leg
    # straight (1.0 L0) the pool fires on weakly (~2 Hz, peak 6-10 %, never above 10 %;
    # seeds 0-2): issue 17 item 2, shortened muscles cramp more.
    rested = ms.classification.measure_involuntary(
        ms.simulate(night.replace(fatigue=0.0, duration_s=30.0))
    )
    assert rested.episode is None and rested.peak_force < 0.10
    at_rest_length = ms.classification.measure_involuntary(
        ms.simulate(night.replace(length=ms.protocols.hold_length(1.0), duration_s=30.0))
    )
    assert at_rest_length.episode is None or at_rest_length.episode.duration_s < 8.0
    assert at_rest_length.peak_force < 0.6 * episode.peak_force


def _after_discharge(length_l0: float, seed: int = 0) -> int:
    """Spikes 2-10 s after the cramp preset's trigger, with the muscle held at ``length_l0``."""
    sc = ms.scenario("cramp").replace(duration_s=TRIGGER_END_S + 10.0, seed=seed,
                                      length=ms.protocols.hold_length(length_l0))  # fmt: skip
    res = ms.simulate(sc)
    return sum(int(np.sum(s > TRIGGER_END_S + 2.0)) for s in res.spike_times)


@pytest.mark.slow  # eight 12.5-s runs of the 100-unit pool
def test_a_shortened_muscle_cramps_more_and_a_lengthened_one_hardly_at_all():
    # Cramps are brought on by contracting the shortened muscle (Ross & Thomas 1995;
    # Bertolasi et al. 1993; Khan & Burne 2007 induced them in the shortened gastrocnemius)
    # and cannot be induced when the muscle cannot shorten. Mechanism in the model: a slack
    # tendon loads its tendon organs less (reflex.tendon_organ_sensitivity), so Ib
    # inhibition is weaker at 0.85-0.9 L0 and stronger at 1.1 L0.
    for seed in (0, 1):
        short, shorter = _after_discharge(0.9, seed), _after_discharge(0.85, seed)
        optimal, long_ = _after_discharge(1.0, seed), _after_discharge(1.1, seed)
        assert min(short, shorter) > 1.5 * optimal
        assert long_ < 0.3 * short


@pytest.mark.slow  # two seeds, four 14-s runs of the 100-unit pool
@pytest.mark.parametrize("seed", [0, 1])
def test_gentle_stretch_interrupts_the_cramp_within_seconds(seed):
    # Issue 17 item 4: stretch back to 1.1 L0 (over 1 s, from 3 s after the trigger)
    # interrupts the cramp (Bertolasi et al. 1993) within seconds, with the tendon carrying
    # less than the cramp's own peak; the time to relief is a modelling assumption.
    cramp = ms.scenario("cramp").replace(duration_s=14.0, seed=seed)
    at = TRIGGER_END_S + 3.0
    res = ms.simulate(cramp.replace(interventions=(ms.interventions.stretch(at, 1.1, 1.0),)))
    untreated = ms.simulate(cramp)
    t = res.time

    def spikes(r: ms.Result, a: float, b: float) -> int:
        return sum(int(np.sum((s > a) & (s < b))) for s in r.spike_times)

    before = spikes(res, at - 2.0, at)
    assert before > 1000
    assert spikes(res, at + 3.0, at + 5.0) < 0.3 * spikes(untreated, at + 3.0, at + 5.0)
    assert res.force[t > at + 2.0].max() < untreated.force[t > TRIGGER_END_S].max()


@pytest.mark.parametrize("seed", [0, 1])
def test_achilles_tendon_stimulation_inhibits_the_cramp_transiently(seed):
    # Khan & Burne 2007 (J Neurophysiol 98:1102): electrical stimulation of the Achilles
    # tendon inhibits cramp EMG after each pulse (first inhibitory period from ~47 ms,
    # lasting ~67 ms, in voluntary EMG of the same subjects' muscle), and the cramp goes on.
    stim = ms.interventions.tendon_stimulation(at_s=8.0, duration_s=3.0, frequency_hz=2.0)
    cramp = ms.scenario("cramp").replace(duration_s=14.0, seed=seed, interventions=(stim,))
    res = ms.simulate(cramp)
    sp = np.concatenate(res.spike_times)
    pulses = stim.pulse_times_s()
    silent = sum(int(np.sum((sp > p + 0.030) & (sp < p + 0.080))) for p in pulses)
    baseline = sum(int(np.sum((sp > p - 0.100) & (sp < p - 0.050))) for p in pulses)
    assert silent < 0.2 * baseline
    after = int(np.sum((sp > 12.0) & (sp < 14.0)))
    before = int(np.sum((sp > 6.0) & (sp < 8.0)))
    assert after > 0.7 * before


def test_cramp_needs_fatigue_and_a_trigger():
    # Schwellnus 2009: the cramp arises from fatigue-altered reflex control; the same
    # contraction in a fresh muscle relaxes, and the fatigued muscle at rest stays quiet.
    cramp = ms.scenario("cramp").replace(duration_s=8.0)
    fresh = ms.simulate(cramp.replace(fatigue=0.0))
    untriggered = ms.simulate(cramp.replace(drive=None))
    assert sum(int(np.sum(s > TRIGGER_END_S + 2.0)) for s in fresh.spike_times) < 20
    assert sum(s.size for s in untriggered.spike_times) < 20


def test_forcible_stretch_ends_the_cramp_within_seconds():
    # Ross & Thomas 1995: forcible stretch breaks a cramp; Khan & Burne 2007: through
    # tendon-afferent (Ib) inhibition. Stretch at 8 s over 1 s to 1.4 L0.
    cramp = ms.scenario("cramp").replace(duration_s=14.0)
    res = ms.simulate(cramp.replace(interventions=(ms.interventions.stretch(at_s=8.0),)))
    before = sum(int(np.sum((s > 6.0) & (s < 8.0))) for s in res.spike_times)
    after = sum(int(np.sum(s > 11.0)) for s in res.spike_times)
    assert before > 1000
    assert after == 0
    # The ache: the cramp itself leaves Pi raised after it has ended, above the same
    # fatigued muscle that did not cramp (Pi starts raised with fatigue).
    no_cramp = ms.simulate(cramp.replace(drive=None))
    assert res.metabolite[-1] > no_cramp.metabolite[-1] + 0.5


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_forcible_stretch_first_raises_activity_then_ends_the_cramp(seed):
    # Ross & Thomas 1995 (Brain 118:983): when the cramped calf was stretched forcibly to
    # break the cramp, motor-unit activity *increased* in all the triceps surae muscles.
    # In the model the cramp's fusimotor drive holds the spindles' static discharge at its
    # ceiling, but their velocity response has a ceiling of its own and grows with that
    # drive (ReflexParams.ia_dynamic_max_hz, ia_dynamic_gain), so the stretch sends a
    # reflex volley: more spikes in the first 100 ms of the stretch than in the 100 ms
    # before it. Then tendon-organ inhibition wins and the cramp ends within seconds. The
    # recorded account gives no duration for the rise; the model's is brief: the tendon,
    # drawn taut, raises Ib inhibition within ~0.1 s, and a 0.5-s window holds only
    # 0.45-0.49 of the spikes of the 0.5 s before (measured, seeds 0-5; 100-ms ratio
    # 1.27-1.47). Stretch: 1.4 L0 over 1 s.
    at = 8.0
    cramp = ms.scenario("cramp").replace(duration_s=at + 4.0, seed=seed)
    res = ms.simulate(cramp.replace(interventions=(ms.interventions.stretch(at_s=at),)))
    sp = np.concatenate(res.spike_times)

    def spikes(a: float, b: float) -> int:
        return int(np.sum((sp > a) & (sp < b)))

    assert spikes(at - 2.0, at) > 1000  # an established cramp
    assert spikes(at, at + 0.1) > spikes(at - 0.1, at)
    assert spikes(at + 3.0, at + 4.0) == 0


def test_stretch_leaves_an_axonal_spasm_firing():
    # The spasm's discharges start in the irritated axons (docs/science.md §1), beyond the
    # spinal cord, so the tendon-organ inhibition of a held stretch, which acts on the
    # motor neurons, does not silence them: facial myokymia persisted after spinal
    # anaesthesia (Wasserstrom & Starr 1977, Arch Neurol 34:576) and myokymic discharges
    # arise along the motor axon (Gutmann 1991, Muscle Nerve 14:1043).
    stretch_and_release = ms.protocols.Length(
        times_s=(0.0, 6.0, 7.0, 11.0, 12.0), length_l0=(1.0, 1.0, 1.4, 1.4, 1.0)
    )
    res = ms.simulate(ms.scenario("spasm").replace(duration_s=17.0, length=stretch_and_release))

    def spikes(a: float, b: float) -> int:
        return sum(int(np.sum((s > a) & (s < b))) for s in res.spike_times)

    before, held, released = spikes(2.0, 6.0), spikes(7.5, 11.0), spikes(13.0, 17.0)
    assert held > 0.7 * before * (3.5 / 4.0)
    assert released > 0.7 * before


def test_repletion_shortens_a_cramp_that_low_calcium_and_magnesium_made_possible():
    # Where electrolytes contributed, restoring them shortens the cramp (issue 4). With
    # fatigue 0.6 the trigger leaves a normal-plasma muscle without a cramp; with ionised
    # Ca 0.9 and Mg 0.35 (divalent screening lowers threshold; Frankenhaeuser & Hodgkin
    # 1957) the same muscle cramps; repleting from 5 s over 2 s takes away the axons' extra
    # discharges and the loop that the cramp had started then runs down (measured, seed 0:
    # 3967, 3921, 3881 spikes in 8-10, 10-12, 12-14 s without repletion; 1723, 1589, 1261
    # with it).
    base = ms.scenario("cramp").replace(duration_s=14.0, fatigue=0.6)
    low = base.replace(electrolytes=ms.Electrolytes(Ca=0.9, Mg=0.35))
    replete = low.replace(interventions=(ms.interventions.replete(at_s=5.0, over_s=2.0),))

    def late(sc: ms.Scenario) -> int:
        return sum(int(np.sum(s > 9.0)) for s in ms.simulate(sc).spike_times)

    # No cramp at normal plasma: at most the stray discharges of a few of the smallest units
    # (measured 94 spikes in 5 s of the 100-unit pool), under 5 % of the cramp's discharge.
    assert late(low) > 1000
    assert late(base) < 0.05 * late(low)
    assert late(replete) < 0.5 * late(low)


def test_massage_lowers_a_spasm_and_a_relaxant_does_not():
    # docs/science.md §1: massage lowers the nerve irritation, so the irritated axons' firing
    # falls; a relaxant inhibits the motor neurons, which does not reach discharges that
    # start in the axons (see test_stretch_leaves_an_axonal_spasm_firing).
    spasm = ms.scenario("spasm").replace(duration_s=16.0)

    def early_late(treatment) -> tuple[int, int]:
        res = ms.simulate(spasm.replace(interventions=(treatment,)))

        def spikes(a: float, b: float) -> int:
            return sum(int(np.sum((s > a) & (s < b))) for s in res.spike_times)

        return spikes(1.0, 6.0), spikes(11.0, 16.0)

    early, late = early_late(ms.interventions.massage(at_s=6.0, over_s=4.0))
    assert late < 0.7 * early
    early, late = early_late(ms.interventions.relaxant(at_s=6.0))
    assert late > 0.7 * early
