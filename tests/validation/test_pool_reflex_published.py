"""Motor-unit pool, reflex loop and EMG against published physiology (issue 3)."""

from __future__ import annotations

import numpy as np
import pytest

import musclesim as ms
from musclesim.analysis import grouped_discharges
from musclesim.neuron import NeuronParams
from musclesim.reflex import ReflexParams


def test_recruitment_follows_size_under_slowly_rising_drive():
    # Henneman's size principle (Henneman et al. 1965): with slowly rising common drive no
    # larger unit is recruited before a smaller one (noise-free pool, so order is exact).
    sc = ms.Scenario(n_units=20, duration_s=4.0, synaptic_noise_uA_cm2=0.0,
                     drive=ms.protocols.ramp(6.0, 0.2, 3.6, 0.1, 0.05))  # fmt: skip
    res = ms.simulate(sc)
    firsts = np.array([s[0] for s in res.spike_times if s.size])
    assert firsts.size >= 15
    assert np.all(np.diff(firsts) > 0)


def test_pool_twitch_forces_span_fuglevand_range():
    # Fuglevand et al. 1993: peak twitch forces over a 100-fold range.
    from musclesim.pool import pool_properties

    tw = pool_properties(100).twitch_force
    assert abs(tw.max() / tw.min() - 100.0) < 1e-9


def test_fast_stretch_evokes_short_latency_reflex():
    # A fast stretch of a relaxed muscle excites Ia afferents (velocity-sensitive) and
    # evokes a reflex discharge; in the human calf the tendon-jerk latency is ~30–45 ms
    # (afferent ~20 ms + efferent ~10 ms; Kimura 2013). A slow stretch to the same length
    # recruits fewer units (Prochazka & Gorassini 1998: Ia ∝ v^0.6).
    def run(ramp_s: float) -> ms.Result:
        sc = ms.Scenario(n_units=100, duration_s=0.8, synaptic_noise_uA_cm2=0.0,
                         length=ms.protocols.stretch(0.3, ramp_s, 1.1))  # fmt: skip
        return ms.simulate(sc)

    fast, slow = run(0.05), run(0.5)
    # The clinical latency is measured at the muscle (EMG onset), so compare the first
    # muscle action potential, which follows the motor-neuron spike by the efferent
    # conduction delay (8–12 ms here).
    first = min(s[0] for s in fast.muscle_ap_times if s.size)
    assert 0.025 <= first - 0.3 <= 0.050
    first_mn = min(s[0] for s in fast.spike_times if s.size)
    assert first_mn - 0.3 >= 0.020  # not before the Ia volley can arrive (20-ms delay)
    assert fast.ia_rate.max() > 1.5 * slow.ia_rate.max()
    assert fast.active_units > slow.active_units


def test_tendon_organ_inhibition_lowers_firing():
    # Autogenic (Ib) inhibition: with the tendon-organ pathway intact the same drive gives
    # fewer motor-neuron spikes than with it cut (Houk & Henneman 1967; Granit 1950).
    def spikes(ib_gain: float) -> int:
        drive = ms.protocols.current_step(6.0, 0.1, 1.3)
        sc = ms.Scenario(n_units=30, duration_s=1.5, drive=drive,
                         reflex=ReflexParams(ib_gain=ib_gain))  # fmt: skip
        return sum(s.size for s in ms.simulate(sc).spike_times)

    intact, cut = spikes(1.0), spikes(0.0)
    assert intact < 0.9 * cut


def test_passive_stretch_silences_self_sustained_discharge():
    # Forcible stretch ends a cramp discharge (Ross & Thomas 1995), through tendon-organ
    # inhibition (Khan & Burne 2007). Bistable motor neurons (high PIC) in a shortened
    # muscle (0.9 L0, slack tendon) keep firing after a brief excitatory pulse; a forcible
    # passive stretch from there to 1.4 L0 silences them.
    pulse = ms.protocols.Drive(times_s=(0.0, 0.2, 0.2, 0.7, 0.7),
                               current_nA=(0.0, 0.0, 3.0, 3.0, 0.0))  # fmt: skip

    # Raised monoaminergic tone: PIC 2.5× normal makes the cells bistable (NeuronParams);
    # at 1.6× the tendon organs of the 30-unit pool's own force already silence them.
    raised_tone = NeuronParams(g_pic_mS_cm2=2.5 * NeuronParams().g_pic_mS_cm2)

    def late_spikes(length) -> int:
        sc = ms.Scenario(n_units=30, duration_s=4.0, drive=pulse, length=length,
                         neuron=raised_tone)  # fmt: skip
        return sum(int(np.sum(s > 2.5)) for s in ms.simulate(sc).spike_times)

    # Precondition, not a published number: the bistable units are still firing at 2.5–4 s.
    assert late_spikes(ms.protocols.hold_length(0.9)) > 50
    assert late_spikes(ms.protocols.stretch(1.5, 0.5, 1.4, from_l0=0.9)) == 0


def test_force_length_and_passive_tension():
    # Active force peaks at optimal length and falls on either side (Gordon et al. 1966);
    # passive tension appears only beyond it.
    def tetanus(length_l0: float) -> float:
        sc = ms.Scenario(n_units=10, duration_s=0.8, synaptic_noise_uA_cm2=0.0,
                         stimulus=ms.protocols.train(100.0, 0.1, 0.6),
                         length=ms.protocols.hold_length(length_l0),
                         reflex=ReflexParams.deafferented())  # fmt: skip
        res = ms.simulate(sc)
        return float(res.force[(res.time > 0.5) & (res.time < 0.7)].mean())

    f_short, f_opt, f_long = tetanus(0.7), tetanus(1.0), tetanus(1.3)
    assert f_short < 0.8 * f_opt
    rest_long = ms.simulate(ms.Scenario(n_units=10, duration_s=0.2, synaptic_noise_uA_cm2=0.0,
                                        length=ms.protocols.hold_length(1.3),
                                        reflex=ReflexParams.deafferented()))  # fmt: skip
    assert rest_long.force.min() > 0.1  # passive tension of a stretched resting muscle
    assert f_long - rest_long.force.mean() < f_opt  # active part is smaller off optimum


def test_emg_rms_rises_with_force():
    # Surface EMG amplitude grows with contraction force (Lippold 1952; Bigland & Lippold
    # 1954): more units and higher rates add more MUAPs.
    rms, force = [], []
    for amp in (1.0, 2.5, 5.0):
        res = ms.simulate(ms.Scenario(n_units=50, duration_s=1.5,
                                      drive=ms.protocols.current_step(amp, 0.2, 1.3)))  # fmt: skip
        sel = res.emg_time > 0.7
        rms.append(np.sqrt(np.mean(res.emg[sel] ** 2)))
        force.append(res.force[res.time > 0.7].mean())
    assert np.all(np.diff(force) > 0) and np.all(np.diff(rms) > 0)


def test_emg_spectrum_in_surface_emg_band():
    # Surface EMG power lies mostly in 20–250 Hz with median frequencies ~60–130 Hz
    # (Merletti & Farina 2016; De Luca 1997).
    res = ms.simulate(ms.Scenario(n_units=50, duration_s=1.5,
                                  drive=ms.protocols.current_step(4.0, 0.2, 1.3)))  # fmt: skip
    m = res.metrics()
    assert 60.0 <= m.emg_median_hz <= 150.0
    assert res.emg_time[1] - res.emg_time[0] <= 1.0 / 2000.0  # ≥ 2 kHz sampling


# --- causes and treatments (issue 4, first part) ------------------------------------------
def test_nerve_irritation_gives_irregular_low_rate_moderate_sustained_contraction():
    # Spasm-like profile (docs/science.md §1): irritated axons discharging irregularly, alone
    # or in groups, for as long as the irritation lasts; unfused force well under half of
    # maximum. Bounds: discharges (or, for grouped discharges, their groups: myokymic bursts
    # recur at ~1–10 Hz, Gutmann 1991) recurring below the ~8 Hz recruitment rate of
    # voluntary firing (De Luca & Hostage 2010), ISI CV above the ~0.1–0.2 of voluntary
    # firing (Matthews 1996).
    res = ms.simulate("spasm")
    m = res.metrics()
    assert m.active_units >= 20
    assert grouped_discharges(res.spike_times, 1.0, 20.0)["group_rate_hz"] < 8.0
    assert m.cv_isi > 0.3
    assert 0.02 < m.peak_force < 0.5
    assert m.duration_s > 0.8 * ms.scenario("spasm").duration_s


def test_heat_lowers_irritation_driven_firing():
    base = ms.scenario("spasm").replace(duration_s=12.0)
    treated = base.replace(interventions=(ms.interventions.heat(at_s=4.0, over_s=2.0),))

    def late_spikes(sc):
        return sum(int(np.sum(s > 8.0)) for s in ms.simulate(sc).spike_times)

    assert late_spikes(treated) < 0.7 * late_spikes(base)


def _tetany_before_and_after_repletion(seed: int = 0) -> tuple[int, int]:
    tetany = ms.scenario("tetany")
    sc = tetany.replace(
        seed=seed,
        duration_s=10.0,
        interventions=(*tetany.interventions, ms.interventions.replete(at_s=5.0, over_s=1.0)),
    )
    res = ms.simulate(sc)
    before = sum(int(np.sum((s > 3.0) & (s < 5.0))) for s in res.spike_times)
    after = sum(int(np.sum(s > 8.0)) for s in res.spike_times)
    return before, after


def test_restoring_calcium_ends_nearly_all_of_the_tetanic_discharge():
    # Tetany stops when ionised Ca is restored (docs/science.md §1; clinical IV calcium): the
    # same 2-s window holds at least 95 % fewer spikes 2 s after repletion.
    before, after = _tetany_before_and_after_repletion()
    assert before > 100
    assert after < 0.05 * before


def test_restoring_calcium_ends_every_tetanic_discharge():
    # Several seeds. Tetany's discharges come from the axons, which regain their resting
    # state as soon as Ca is back; the somata, in CNS fluid, never took part, so no
    # bistable unit is left firing.
    for seed in range(4):
        _, after = _tetany_before_and_after_repletion(seed)
        assert after == 0, f"seed {seed}: {after} spikes after 8 s"


def test_fatigue_raises_spindle_and_lowers_tendon_organ_discharge():
    # Hutton & Nelson 1986: fatigue raises Ia and lowers Ib discharge for the same state.
    # The fatigue's fusimotor drive follows the metaboreceptor level, which builds over
    # ReflexParams.metabo_tau_ms (3 s) of contraction, so the rates are compared over
    # 2.5–3.0 s of a 30-Hz tetanus from 0.1 to 2.9 s (measured: Ia 29 → 55 Hz, Ib 109 →
    # 44 Hz).
    def rates(fatigue: float) -> tuple[float, float]:
        open_loop = ReflexParams(ia_weight_nS_per_hz=0.0, ib_weight_nS_per_hz=0.0)
        sc = ms.Scenario(
            n_units=20,
            duration_s=3.0,
            fatigue=fatigue,
            synaptic_noise_uA_cm2=0.0,
            stimulus=ms.protocols.train(30.0, 0.1, 2.8),
            reflex=open_loop,
        )
        res = ms.simulate(sc)
        sel = res.time > 2.5
        return float(res.ia_rate[sel].mean()), float(res.ib_rate[sel].mean())

    ia0, ib0 = rates(0.0)
    ia1, ib1 = rates(0.8)
    assert ia1 > 1.3 * ia0
    assert ib1 < 0.8 * ib0


def test_stretch_intervention_lengthens_the_muscle_and_raises_tendon_organ_firing():
    stretch = ms.interventions.stretch(at_s=1.0, to_l0=1.3, ramp_s=0.5)
    sc = ms.Scenario(n_units=10, duration_s=3.0, length=ms.protocols.hold_length(0.85),
                     interventions=(stretch,))  # fmt: skip
    res = ms.simulate(sc)
    assert res.ib_rate[res.time < 0.9].max() < 1.0
    assert res.ib_rate[res.time > 2.0].min() > 10.0


def test_emg_median_frequency_falls_with_fatigue():
    # Fatigue slows muscle-fibre conduction, widening MUAPs and compressing the EMG
    # spectrum: mean and median frequency fall through a sustained contraction together
    # with conduction velocity (Merletti, Knaflitz & De Luca 1990, J Appl Physiol 69:1810;
    # Petrofsky & Lind 1980). Typical falls by the end of a fatiguing contraction are tens
    # of per cent; the bound here, a 10–40 % fall for a heavily fatigued muscle (Pi raised
    # ~13 mM), is a teaching bound in that range. The same 25-Hz nerve stimulation is used
    # at both fatigue levels, so the recruitment and rates are identical.
    def median(fatigue: float) -> float:
        sc = ms.Scenario(n_units=50, duration_s=2.0, fatigue=fatigue, synaptic_noise_uA_cm2=0.0,
                         stimulus=ms.protocols.train(25.0, 0.1, 1.8))  # fmt: skip
        return ms.simulate(sc).metrics().emg_median_hz

    fresh, tired = median(0.0), median(0.9)
    assert 0.6 * fresh <= tired <= 0.9 * fresh


# --- voluntary drive: recruitment, rate coding and the force it reaches (issue 3) -------
#: Maximal voluntary drive of the default pool, nA (protocols.MAX_DRIVE_NA leaves room).
MAX_VOLUNTARY_NA = 400.0


def _steady(drive_nA: float) -> tuple[np.ndarray, float]:
    """Per-unit rates (Hz) and mean force over 0.8–1.4 s of a 1.3-s drive step."""
    sc = ms.Scenario(n_units=100, duration_s=1.5,
                     drive=ms.protocols.current_step(drive_nA, 0.1, 1.3))  # fmt: skip
    res = ms.simulate(sc)
    rates = np.array([np.sum((s > 0.8) & (s < 1.4)) / 0.6 for s in res.spike_times])
    force = float(res.force[(res.time > 0.8) & (res.time < 1.4)].mean())
    return rates, force


def _onset_rates() -> np.ndarray:
    """Each unit's onset rate on a drive rising 8 nA over 6 s (all 100 units recruited):
    3 / (its first three interspike intervals), NaN for a unit with fewer than 4 spikes."""
    sc = ms.Scenario(n_units=100, duration_s=6.5,
                     drive=ms.protocols.ramp(8.0, 0.2, 6.0, 0.0, 0.1))  # fmt: skip
    trains = ms.simulate(sc).spike_times
    return np.array([3.0 / (s[3] - s[0]) if s.size >= 4 else np.nan for s in trains])


def test_units_start_firing_at_human_recruitment_rates():
    # Human motor units start firing at ~6–10 Hz when recruited by a slowly rising
    # contraction, the low-threshold ones near 7 pps (Moritz, Barry, Pascoe & Enoka 2005,
    # J Neurophysiol 93:2449; De Luca & Hostage 2010). Asserted: the smallest tenth's median
    # onset rate in 6–10 Hz. Measured: 8.1 Hz.
    onset = _onset_rates()
    assert np.sum(np.isfinite(onset)) >= 95
    assert 6.0 <= np.nanmedian(onset[:10]) <= 10.0


def test_onset_rate_rises_with_recruitment_threshold():
    # The rate at which a unit starts rises with its recruitment threshold, from ~7 pps in
    # low-threshold units to ~23 pps in high-threshold ones (Moritz et al. 2005, ~3.3×).
    # Asserted: the largest tenth's median onset rate at least twice the smallest tenth's
    # (the factor a teaching choice, below the recorded one) and at most 25 Hz. Measured:
    # 7.8 and 18.3 Hz.
    onset = _onset_rates()
    small, large = np.nanmedian(onset[:10]), np.nanmedian(onset[-10:])
    assert 2.0 * small <= large <= 25.0, (small, large)


def test_early_recruits_keep_firing_at_human_rates_while_the_contraction_is_held():
    # Once recruited, a unit keeps discharging while the force is held above its
    # threshold, and as force rises it fires faster, not slower: units start at 8.4 ± 1.3
    # impulses/s and gain 1.4 ± 0.6 per 100 g of force, whatever their threshold
    # (Milner-Brown, Stein & Yemm 1973, J Physiol 230:371); low-threshold units start near
    # 7 pps (Moritz et al. 2005, J Neurophysiol 93:2449). The tendon-organ inhibition that
    # grows with force reaches every cell through the same conductance, so it weighs most
    # on the smallest: a parameter set that recruits the large units later by letting them
    # fire faster can make it silence the small ones. Drive held 2 s at 2 and 4 nA (~15 and
    # ~65 % of maximal force); the smallest fifth of the pool, recruited well below both.
    # Bounds: every one of them fires ≥ 6 Hz over each hold (the starting rate's mean less
    # two SD), and faster at 4 nA than at 2 nA. Measured: slowest 7.5 and 10 Hz (seed 0).
    held = []
    for drive_nA in (2.0, 4.0):
        sc = ms.Scenario(n_units=100, duration_s=5.0,
                         drive=ms.protocols.ramp(drive_nA, 0.5, 1.5, 2.0, 1.0))  # fmt: skip
        trains = ms.simulate(sc).spike_times[:20]
        held.append(np.array([np.sum((s >= 2.0) & (s < 4.0)) / 2.0 for s in trains]))
    assert held[0].min() >= 6.0 and held[1].min() >= 6.0, held
    assert held[1].mean() > held[0].mean(), held


def test_peak_rates_at_maximal_drive_are_human_and_higher_in_fast_units():
    # Peak rates in maximal voluntary contractions: 31.1 ± 10.1 Hz in biceps and 29.9 ± 8.6
    # in adductor pollicis, each muscle's mean in proportion to its contraction speed (slow
    # soleus 10.7 ± 2.9 Hz; Bellemare, Woods, Johansson & Bigland-Ritchie 1983, J
    # Neurophysiol 50:1380), and cat motor neurons with shorter AHPs reach higher rates
    # (Kernell 1965). So the later-recruited, faster units are asked to fire faster; within
    # one human muscle population recordings often show the reverse (De Luca & Hostage
    # 2010; docs/science.md §5), and the calf model fires faster than soleus units do (the
    # same section). Bounds: every unit in 27–55 Hz, and the largest tenth at least 10 Hz
    # faster than the smallest tenth. Measured: 30–50 Hz, smallest tenth ~31 Hz, largest
    # ~48 Hz. No unit in depolarisation block (the drive each cell receives saturates;
    # neuron.drive_density).
    rates, _ = _steady(MAX_VOLUNTARY_NA)
    assert rates.min() >= 27.0 and rates.max() <= 55.0
    assert rates[-10:].mean() >= rates[:10].mean() + 10.0


def test_force_rises_smoothly_with_drive_and_grows_by_rate_coding_after_recruitment():
    # Force grows smoothly with the drive, first by recruitment and then, once every unit
    # is active, by rate coding alone (Milner-Brown, Stein & Yemm 1973; Kukulka & Clamann
    # 1981: recruitment is complete at ~50 % of maximal force in adductor pollicis and
    # ~88 % in biceps, so rate coding adds force beyond full recruitment in both, at least
    # 1.1×). "Smoothly": no 10 % step of the drive adds 10 % of maximal force or more (the
    # largest unit alone is 4.5 % of the pool's twitch force, Fuglevand et al. 1993's
    # 100-fold range). A bound on steps of a doubling grid (2, 5, 10 nA) would contradict
    # the recruitment target: while units are still being recruited, twitch forces 100×
    # apart over a ~30-fold threshold range make force grow about as drive^1.3, so with
    # recruitment complete at ≥ 50 % of maximal force one doubling of the drive just before
    # it adds ≥ 0.3 of maximal force. Measured: steps ≤ 0.07 (4 → 4.4 nA); 5 nA (every
    # unit firing, median 17 Hz) 0.65, 400 nA 0.86.
    drives = (2.0, 2.2, 4.0, 4.4, 5.0, 5.5, 10.0, 11.0, 40.0, 150.0, MAX_VOLUNTARY_NA)
    runs = {d: _steady(d) for d in drives}
    forces = np.array([runs[d][1] for d in drives])
    assert np.all(np.diff(forces) > 0.0), forces
    for lo, hi in ((2.0, 2.2), (4.0, 4.4), (5.0, 5.5), (10.0, 11.0)):
        assert runs[hi][1] - runs[lo][1] < 0.1 * forces[-1], (lo, runs[lo][1], runs[hi][1])
    rates_recruited, f_recruited = runs[5.0]
    assert np.all(rates_recruited > 0)
    assert forces[-1] > 1.1 * f_recruited


# How the pool recruits to 60 % of its force. With one membrane per unit area every cell
# has the same f–I curve in current *density*, so per nA of drive a large unit gains rate
# ~30× slower than a small one, and the units that hold most of the force (with a 100-fold
# twitch range the top fifth hold ~60 % of it) would still fire ~5–8 Hz when the last is
# recruited: recruitment would end at about a third of maximal force. Fast motor neurons
# carry about the same AHP conductance per cell rather than per area (Cormery et al. 2005,
# J Physiol 568:841, Table 1: AHP amplitude over input resistance ~0.9 vs ~1.1 nA in fast
# vs slow rat motor neurons), and the current a synaptic system delivers saturates per cell
# (Heckman & Binder 1993), so both densities fall with size
# (PoolParams.ahp_size_exponent, drive_ceiling_size_exponent) and a large unit's rate
# climbs fast once it is recruited. The same AHP and PIC parameters decide whether a calf
# relaxes after a contraction, how irregularly its units fire in a cramp and whether the
# night cramp ignites; scripts/recruitment_calibration.py measures every target they
# couple, each as its test does.
def test_recruitment_completes_at_sixty_to_ninety_percent_of_maximal_force():
    # Kukulka & Clamann 1981 (Brain Res 219:45): the last units of adductor pollicis are
    # recruited at ~50 % of maximal voluntary force, of biceps at ~88 %; soleus units are
    # recruited over a wide range, up to ~90 % (Hali et al. 2020, Neuroscience 428:192).
    # Asserted for this calf-like pool: the drive that first has every unit firing gives
    # 60–90 % of the maximal-drive force (issue 16). That drive is found to 1/16 nA (a
    # whole-nA grid overshoots it and reads a later force).
    lo = 0.0
    for d in (1.0, 2.0, 3.0, 4.0, 5.0):
        rates, f = _steady(d)
        if np.all(rates > 0):
            break
        lo = d
    assert np.all(rates > 0)
    hi = d
    for _ in range(4):
        mid = 0.5 * (lo + hi)
        rates_mid, f_mid = _steady(mid)
        if np.all(rates_mid > 0):
            hi, f = mid, f_mid
        else:
            lo = mid
    _, f_max = _steady(MAX_VOLUNTARY_NA)
    assert 0.6 * f_max <= f <= 0.9 * f_max, f / f_max


@pytest.mark.slow
def test_steady_voluntary_firing_is_as_irregular_as_human_motor_units():
    # Tracy, Maluf, Stephenson, Hunter & Enoka 2005 (Muscle Nerve 32:533): discharge-rate
    # CV of steady voluntary contractions 7.6–46 %, young adults 17 ± 8 %. Asserted: the
    # pool-mean ISI CV in 0.10–0.25 at three forces, with the default noise (one setting
    # for every scenario; synapses.SYNAPTIC_EVENT_CHARGE_NC_CM2). Measured 0.18 / 0.18 /
    # 0.14 at ~12 / 29 / 52 % of maximal force.
    from musclesim.analysis import spike_statistics

    for d in (2.0, 4.0, 10.0):
        sc = ms.Scenario(n_units=100, duration_s=3.4,
                         drive=ms.protocols.current_step(d, 0.2, 3.0))  # fmt: skip
        cv = spike_statistics(ms.simulate(sc).spike_times, 1.2, 3.2)["cv_isi"]
        assert 0.10 <= cv <= 0.25, (d, cv)


def test_maximal_voluntary_force_equals_tetanic_force():
    # Merton 1954 (J Physiol 123:553): a maximal voluntary contraction of adductor pollicis
    # is as strong as a tetanus evoked by nerve stimulation; asserted ≥ 90 %. Measured:
    # about 0.97 of the 100-Hz tetanus (docs/validation.md).
    _, f_voluntary = _steady(MAX_VOLUNTARY_NA)
    sc = ms.Scenario(n_units=100, duration_s=1.5, synaptic_noise_uA_cm2=0.0,
                     stimulus=ms.protocols.train(100.0, 0.1, 1.3))  # fmt: skip
    res = ms.simulate(sc)
    f_tetanic = float(res.force[(res.time > 0.8) & (res.time < 1.4)].mean())
    assert f_voluntary >= 0.9 * f_tetanic


def test_rheobase_of_the_largest_unit_is_tens_of_times_the_smallest():
    # The size principle pinned at its cause: recruitment thresholds span ~30x across a
    # pool (Fuglevand, Winter & Patla 1993 use a 30-fold range, after human first dorsal
    # interosseus data). Each unit's rheobase in a noise-free, deafferented 100-unit pool
    # (bisection on a 0.5-s drive step, 2 %): the largest must need 20-60x the smallest's
    # (measured ~44x: the 30-fold area range, widened by the saturating drive). Equal cell
    # sizes would give ~1x.
    def rheobase(unit: int) -> float:
        lo, hi = 0.01, 20.0
        while hi / lo > 1.02:
            mid = (lo * hi) ** 0.5
            sc = ms.Scenario(n_units=100, duration_s=0.7, synaptic_noise_uA_cm2=0.0,
                             reflex=ReflexParams.deafferented(),
                             drive=ms.protocols.current_step(mid, 0.1, 0.5))  # fmt: skip
            lo, hi = (lo, mid) if ms.simulate(sc).spike_times[unit].size else (mid, hi)
        return hi

    assert 20.0 <= rheobase(99) / rheobase(0) <= 60.0
