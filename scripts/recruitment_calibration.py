"""Check a motor-neuron parameter set against every target that issue 16 item 6 couples.

Recruitment (the last unit recruited at 60–90 % of maximal force; Kukulka & Clamann 1981)
is set by how fast the large units' rate rises once recruited: their AHP, PIC and drive
ceiling. The same parameters decide the peak rates, the f–I curve of a mid-pool unit, how
irregular the units fire in a cramp, whether a fresh or half-fatigued calf relaxes after a
modest contraction and whether the night cramp ignites out of its fasciculations. A change
that fixes one of them usually breaks another, so this script measures them together,
each the way its test in ``tests/validation`` does, and prints value, bound and verdict.
It also measures two things a recruitment fix can break: the small units keep firing at
human rates while a moderate contraction is held (the tendon-organ inhibition that grows
with force acts through the same conductance on every cell, so it weighs most on the
smallest; test_early_recruits_keep_firing_at_human_rates_while_the_contraction_is_held),
and the onset rate rises with recruitment threshold as Moritz et al. 2005 recorded
(test_units_start_firing_at_human_recruitment_rates and
test_onset_rate_rises_with_recruitment_threshold). For the cramps it measures what their
tests assert: ISI CV and rate, surface EMG against maximal voluntary EMG, and how long the
exercise cramp lasts (the Na/K-pump current that ends it grows with every spike, so a
parameter set that fires more shortens it; ``--pump`` sets that current).

Run from the repository root::

    python scripts/recruitment_calibration.py                      # the current defaults
    python scripts/recruitment_calibration.py --g-ahp 1.8 --drive-saturation 9.8 \\
        --pic-scale-fast 0.63 --ib-voluntary-half 0.33 --pump 0.005 --fusimotor 280

``--fusimotor`` and ``--afferent-noise`` replace ``reflex.FUSIMOTOR_HZ_PER_FATIGUE`` and
``reflex.AFFERENT_NOISE_UA_CM2``, ``--night-irritation`` ``presets.NIGHT_CRAMP_IRRITATION``,
for this process only (all three are calibrated constants that a new neuron parameter set
has to be calibrated against again). A full check takes 30–50 s on 2 cores. Not a test: it
prints, it does not fail.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import musclesim as ms
from musclesim import inputs, presets
from musclesim.analysis import DISCHARGE_PAUSE_S
from musclesim.classification import measure_involuntary
from musclesim.neuron import NeuronParams
from musclesim.pool import PoolParams
from musclesim.reflex import ReflexParams

#: A maximal voluntary drive, nA (tests/validation/test_pool_reflex_published.py).
MAX_VOLUNTARY_NA = 400.0
#: Minetto, Holobar, Botter & Farina 2009 (J Neurophysiol 102:1890): ISI CV in cramps
#: 44.6 ± 9.7 %, rate 14.5 ± 5.1 pps; the tests' bounds are mean ± 1 SD.
CRAMP_CV = (0.446 - 0.097, 0.446 + 0.097)
CRAMP_RATE_HZ = (14.5 - 5.1, 14.5 + 5.1)


@dataclass(frozen=True)
class Check:
    """One measured quantity, its bound and where the bound comes from."""

    what: str
    value: str
    bound: str
    ok: bool


Modify = Callable[[ms.Scenario], ms.Scenario]


def _steady(modify: Modify, drive_nA: float) -> tuple[np.ndarray, float]:
    """Per-unit rates (Hz) and mean force over 0.8–1.4 s of a 1.3-s drive step."""
    sc = ms.Scenario(n_units=100, duration_s=1.5,
                     drive=ms.protocols.current_step(drive_nA, 0.1, 1.3))  # fmt: skip
    res = ms.simulate(modify(sc))
    rates = np.array([np.sum((s > 0.8) & (s < 1.4)) / 0.6 for s in res.spike_times])
    return rates, float(res.force[(res.time > 0.8) & (res.time < 1.4)].mean())


def voluntary_checks(modify: Modify) -> list[Check]:
    """Recruitment, peak rates and the f–I curve of one mid-pool unit."""
    rates_max, f_max = _steady(modify, MAX_VOLUNTARY_NA)
    lo, hi, f_all = 0.0, 0.0, float("nan")
    for d in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 12.0):
        rates, f = _steady(modify, d)
        if np.all(rates > 0):
            hi, f_all = d, f
            break
        lo = d
    if hi > 0.0:
        for _ in range(4):  # to 1/16 nA, as the recruitment test does
            mid = 0.5 * (lo + hi)
            rates, f = _steady(modify, mid)
            if np.all(rates > 0):
                hi, f_all = mid, f
            else:
                lo = mid
    frac = f_all / f_max
    small, large = float(rates_max[:10].mean()), float(rates_max[-10:].mean())

    def mid_unit(amp: float, duration_s: float) -> np.ndarray:
        sc = ms.Scenario(n_units=1, duration_s=duration_s + 0.2, synaptic_noise_uA_cm2=0.0,
                         reflex=ReflexParams.deafferented(),
                         drive=ms.protocols.current_step(amp, 0.1, duration_s))  # fmt: skip
        return ms.simulate(modify(sc)).spike_times[0]

    rb_lo, rb_hi = 0.0, 10.0
    while rb_hi - rb_lo > 0.05:  # the rheobase, as tests/validation/cells.py finds it
        mid = 0.5 * (rb_lo + rb_hi)
        rb_lo, rb_hi = (rb_lo, mid) if mid_unit(mid, 0.5).size else (mid, rb_hi)
    fi = []
    for amp in (1.2 * rb_hi, 2.0, 8.0, 32.0, 64.0):
        s = mid_unit(amp, 2.0)
        fi.append(float(np.sum((s > 0.6) & (s < 2.1)) / 1.5))
    return [
        Check("last unit recruited, share of maximal force", f"{frac:.3f} (at {hi:.2f} nA)",
              "0.6–0.9 (calf, issue 16; Hali et al. 2020)", 0.6 <= frac <= 0.9),
        Check("peak rates at 400 nA, min–max", f"{rates_max.min():.1f}–{rates_max.max():.1f} Hz",
              "27–55 Hz (Bellemare et al. 1983: ~30 ± 10 Hz)",
              bool(rates_max.min() >= 27.0 and rates_max.max() <= 55.0)),
        Check("peak rate, largest tenth − smallest tenth", f"{large - small:.1f} Hz",
              "≥ 10 Hz (shorter AHP, faster; Kernell 1965)", large >= small + 10.0),
        Check("mid unit, 1.2× rheobase / 2 / 8 / 32 / 64 nA",
              " / ".join(f"{r:.0f}" for r in fi) + " Hz",
              "6–12, rising to 32 nA, level after, top 25–60 Hz "
              "(test_f_i_curve_spans_human_firing_rates)",
              bool(6.0 <= fi[0] <= 12.0 and 25.0 <= max(fi[1:]) <= 60.0
                   and np.all(np.diff(fi[:4]) > 0) and fi[4] >= fi[3] - 1.0)),
    ]  # fmt: skip


def sustained_checks(modify: Modify) -> list[Check]:
    """Rates of the small units in held contractions and the onset rates on a slow ramp."""
    worst: list[float] = []
    mean: list[float] = []
    for peak in (2.0, 4.0):  # ~15 and ~65 % of maximal force
        sc = ms.Scenario(n_units=100, duration_s=5.0,
                         drive=ms.protocols.ramp(peak, 0.5, 1.5, 2.0, 1.0))  # fmt: skip
        res = ms.simulate(modify(sc))
        hold = [np.sum((s >= 2.0) & (s < 4.0)) / 2.0 for s in res.spike_times[:20]]
        worst.append(float(min(hold)))
        mean.append(float(np.mean(hold)))
    sc = ms.Scenario(n_units=100, duration_s=6.5,
                     drive=ms.protocols.ramp(8.0, 0.2, 6.0, 0.0, 0.1))  # fmt: skip
    trains = ms.simulate(modify(sc)).spike_times
    onset = np.array([3.0 / (s[3] - s[0]) if s.size >= 4 else np.nan for s in trains])
    small, large = float(np.nanmedian(onset[:10])), float(np.nanmedian(onset[-10:]))
    return [
        Check("held 2 and 4 nA: smallest fifth, slowest unit",
              f"{worst[0]:.1f} and {worst[1]:.1f} Hz",
              "≥ 6 Hz, faster at 4 nA (Milner-Brown et al. 1973)",
              min(worst) >= 6.0 and mean[1] > mean[0]),
        Check("onset rate on a slow ramp, smallest and largest tenth",
              f"{small:.1f} and {large:.1f} Hz",
              "6–10 Hz; ≥ 2× that, ≤ 25 Hz (Moritz et al. 2005: 7 → 23 pps)",
              bool(6.0 <= small <= 10.0 and 2.0 * small <= large <= 25.0)),
    ]  # fmt: skip


def smoothness_check(modify: Modify) -> Check:
    """The largest force a 10 % step of the drive adds, at 2, 3, 4 and 5 nA: the bound of
    test_force_rises_smoothly_with_drive_and_grows_by_rate_coding_after_recruitment, which
    steps from 2, 4, 5 and 10 nA; 3 nA is added because parameter sets that recruit later
    end their recruitment there."""
    f_max = _steady(modify, MAX_VOLUNTARY_NA)[1]
    steps = {lo: _steady(modify, 1.1 * lo)[1] - _steady(modify, lo)[1]
             for lo in (2.0, 3.0, 4.0, 5.0)}  # fmt: skip
    lo, worst = max(steps.items(), key=lambda kv: kv[1])
    return Check("largest force of a 10 % drive step, 2–5 nA",
                 f"{worst / f_max:.3f} of maximal ({lo:g} → {1.1 * lo:g} nA)",
                 "< 0.1 (the test's smoothness bound)",
                 worst < 0.1 * f_max)  # fmt: skip


def _unit_cv_rate(trains: list[np.ndarray]) -> tuple[float, float]:
    """Mean ISI CV and mean rate of the continuous discharge of units with ≥ 5 spikes
    (pauses longer than ``analysis.DISCHARGE_PAUSE_S`` left out; the cramp tests' statistic)."""
    cvs, rates = [], []
    for s in trains:
        if s.size >= 5:
            isi = np.diff(s)
            isi = isi[isi <= DISCHARGE_PAUSE_S]
            if isi.size < 4:
                continue
            cvs.append(isi.std() / isi.mean())
            rates.append(1.0 / isi.mean())
    return float(np.mean(cvs)), float(np.mean(rates))


def _emg_rms(res: ms.Result, start_s: float, end_s: float) -> float:
    sel = (res.emg_time > start_s) & (res.emg_time < end_s)
    return float(np.sqrt(np.mean(res.emg[sel] ** 2)))


#: Miller et al. 2010 (Med Sci Sports Exerc 42:953): induced cramps reach 55–70 % of
#: maximal voluntary EMG; the cramp tests' bound is 50–75 %.
CRAMP_EMG = (0.50, 0.75)


def _late_spikes(res: ms.Result, after_s: float) -> int:
    return sum(int(np.sum(s > after_s)) for s in res.spike_times)


def cramp_checks(modify: Modify, seeds: tuple[int, ...]) -> list[Check]:
    """The exercise cramp's discharge, the relaxing benches and the night cramp."""
    window = ms.analysis.drive_window(ms.scenario("cramp"))
    assert window is not None, "the cramp preset has a voluntary trigger"
    trigger_end_s = window[1]
    maximal_drive = ms.protocols.current_step(MAX_VOLUNTARY_NA, 0.5, 2.5)
    mvc = ms.simulate(modify(ms.Scenario(name="mvc", n_units=100, duration_s=3.0,
                                         drive=maximal_drive)))  # fmt: skip
    maximal = _emg_rms(mvc, 1.5, 2.5)
    out = []
    for seed in seeds:
        res = ms.simulate(modify(ms.scenario("cramp").replace(duration_s=20.0, seed=seed)))
        trains = [s[(s >= trigger_end_s + 2.0) & (s < 20.0)] for s in res.spike_times]
        cv, rate = _unit_cv_rate(trains)
        emg = _emg_rms(res, trigger_end_s + 4.5, trigger_end_s + 8.5) / maximal
        out.append(Check(f"exercise cramp seed {seed}: ISI CV, rate, EMG",
                         f"{cv:.3f}, {rate:.1f} Hz, {emg:.2f}",
                         "CV 0.349–0.543, 9.4–19.6 Hz (Minetto et al. 2009); EMG 0.50–0.75",
                         CRAMP_CV[0] <= cv <= CRAMP_CV[1]
                         and CRAMP_RATE_HZ[0] <= rate <= CRAMP_RATE_HZ[1]
                         and CRAMP_EMG[0] <= emg <= CRAMP_EMG[1]))  # fmt: skip
    # test_untreated_cramp_ends_on_its_own_within_minutes, on one seed.
    res = ms.simulate(modify(ms.scenario("cramp").replace(duration_s=100.0)))
    end = ms.analysis.firing_end_s(res.spike_times) - trigger_end_s
    out.append(Check("exercise cramp seed 0: end after the trigger", f"{end:.1f} s",
                     "20–150 s (Minetto et al. 2013; the test's median of 10 seeds)",
                     20.0 <= end <= 150.0 and end < 95.0 - trigger_end_s))  # fmt: skip
    fresh = ms.simulate(modify(ms.scenario("cramp").replace(duration_s=8.0, fatigue=0.0)))
    n_fresh = _late_spikes(fresh, trigger_end_s + 2.0)
    firing_on = [i for i, t in enumerate(fresh.spike_times) if np.any(t > trigger_end_s + 2.0)]
    out.append(
        Check(
            "fresh calf after the trigger: spikes from 4.5 s (label, units firing on)",
            f"{n_fresh} ({ms.classify(fresh)}, units {firing_on[:6]})",
            "< 20 (Schwellnus 2009: a fresh muscle relaxes)",
            n_fresh < 20,
        )
    )
    base = ms.scenario("cramp").replace(duration_s=14.0, fatigue=0.6)
    res_base = ms.simulate(modify(base))
    n_base = _late_spikes(res_base, 9.0)
    low = base.replace(electrolytes=ms.Electrolytes(Ca=0.9, Mg=0.35))
    n_low = _late_spikes(ms.simulate(modify(low)), 9.0)
    out.append(Check("fatigue 0.6 after the trigger: spikes from 9 s, vs low Ca/Mg (label)",
                     f"{n_base} vs {n_low} ({ms.classify(res_base)})",
                     "< 5 % and > 1000 (repletion test)",
                     n_base < 0.05 * n_low and n_low > 1000))  # fmt: skip
    for seed in seeds:
        res = ms.simulate(modify(ms.scenario("night_cramp").replace(seed=seed)))
        label = ms.classify(res)
        episode = measure_involuntary(res).episode
        cv, emg = float("nan"), float("nan")
        if episode is not None:
            trains = [s[(s >= episode.start_s) & (s < episode.end_s)] for s in res.spike_times]
            cv = _unit_cv_rate(trains)[0]
            emg = _emg_rms(res, episode.start_s + 2.0, episode.start_s + 6.0) / maximal
        ended = res.metrics().ended_by
        out.append(Check(f"night cramp seed {seed}: label, ended, episode CV, EMG",
                         f"{label}, {ended}, {cv:.3f}, {emg:.2f}",
                         "cramp-like, itself, CV 0.349–0.543, EMG 0.50–0.75",
                         label == "cramp-like" and ended == "itself"
                         and CRAMP_CV[0] <= cv <= CRAMP_CV[1]
                         and CRAMP_EMG[0] <= emg <= CRAMP_EMG[1]))  # fmt: skip
    return out


#: The parameters the command line sets: flag, where the value goes ("neuron": NeuronParams,
#: "pool": PoolParams, "reflex": ReflexParams, "inputs": a module constant that
#: build_engine_input reads at each call, "presets": one the preset reads when it is built),
#: its name there and its unit.
OPTIONS = (
    ("--g-ahp", "neuron", "g_ahp_mS_cm2", "mS/cm², mid-pool unit"),
    ("--g-pic", "neuron", "g_pic_mS_cm2", "mS/cm²"),
    ("--pump", "neuron", "pump_uA_cm2_per_spike", "µA/cm² per spike"),
    ("--drive-saturation", "neuron", "drive_saturation_uA_cm2", "µA/cm², mid-pool unit"),
    ("--ahp-size-exponent", "pool", "ahp_size_exponent", "dimensionless"),
    ("--drive-ceiling-size-exponent", "pool", "drive_ceiling_size_exponent", "dimensionless"),
    ("--pic-scale-fast", "pool", "pic_scale_fast", "dimensionless"),
    ("--tau-ahp-fast", "pool", "tau_ahp_fast_ms", "ms"),
    ("--ib-voluntary-half", "reflex", "ib_voluntary_half_nA", "nA"),
    ("--fusimotor", "inputs", "FUSIMOTOR_HZ_PER_FATIGUE", "Hz, this run only"),
    ("--afferent-noise", "inputs", "AFFERENT_NOISE_UA_CM2", "µA/cm², this run only"),
    ("--night-irritation", "presets", "NIGHT_CRAMP_IRRITATION", "0–1, this run only"),
)


def main(argv: list[str] | None = None) -> None:
    defaults = {"neuron": NeuronParams(), "pool": PoolParams(), "reflex": ReflexParams(),
                "inputs": inputs, "presets": presets}  # fmt: skip
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for flag, where, name, unit in OPTIONS:
        ap.add_argument(flag, type=float, default=getattr(defaults[where], name),
                        help=f"{name} ({where}), {unit}")  # fmt: skip
    ap.add_argument("--seeds", type=int, default=3, help="cramp and night-cramp seeds (0..N-1)")
    ap.add_argument(
        "--voluntary-only",
        action="store_true",
        help="skip the cramp runs (~4 s instead of 30–50 s)",
    )
    args = ap.parse_args(argv)

    values: dict[str, dict[str, float]] = {where: {} for where in defaults}
    for flag, where, name, _ in OPTIONS:
        values[where][name] = getattr(args, flag[2:].replace("-", "_"))
    neuron = NeuronParams(**values["neuron"])
    pool = PoolParams(**values["pool"])
    reflex = ReflexParams(**values["reflex"])
    for module in ("inputs", "presets"):
        for name, value in values[module].items():
            setattr(defaults[module], name, value)

    def modify(sc: ms.Scenario) -> ms.Scenario:
        sc = sc.replace(neuron=neuron, pool=pool)
        # Only the intact reflex loop takes the Ib setting; a deafferented run stays so.
        return sc.replace(reflex=reflex) if sc.reflex == ReflexParams() else sc

    checks = voluntary_checks(modify) + sustained_checks(modify) + [smoothness_check(modify)]
    if not args.voluntary_only:
        checks += cramp_checks(modify, tuple(range(args.seeds)))
    width = max(len(c.what) for c in checks)
    for c in checks:
        print(f"{'PASS' if c.ok else 'FAIL'}  {c.what:<{width}}  {c.value:<28}  {c.bound}")
    print(f"{sum(c.ok for c in checks)} of {len(checks)} pass")


if __name__ == "__main__":
    main()
