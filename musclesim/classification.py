"""Label a result the way a clinician reads a record: normal, spasm-, cramp- or tetany-like.

:func:`classify` looks only at what a recording shows — force, the motor units' firing
pattern (as intramuscular EMG decomposition gives it) — plus the one thing the examiner
knows: when the person was trying to contract (the voluntary drive) or the nerve was being
stimulated. It never reads the causes (irritation, electrolytes, fatigue): a label comes
from the profile, and the causes are what the lessons then explain.

The decision, in order:

1. **Involuntary activity.** The *driven* period runs from the first moment of voluntary
   drive or nerve stimulation to the last, plus ``DRIVEN_GRACE_S`` for the force of a
   normal relaxation to fall. Force above ``ACTIVE_FORCE_THRESHOLD`` outside it for less
   than ``INVOLUNTARY_MIN_S`` in all: **normal** (activity only while driven, or none).
2. **After-discharge or spontaneous?** With a driven period and no involuntary force
   before it, the activity after it is an *after-discharge*: it continues a voluntary (or
   stimulated) contraction. Otherwise it is *spontaneous*.
3. **After-discharge:** **cramp-like** if it is a cramp's size — firing outlasts the
   trigger by ``OUTLAST_MIN_S`` or more, mean force ≥ ``CRAMP_FORCE_MIN`` and at least
   ``CRAMP_UNITS_MIN`` of the pool firing — and fires single spikes: doublets below
   ``TETANY_DOUBLET_MIN`` of the ISIs (cramp discharges: 4.1 %, Minetto et al. 2009). A
   discharge of that size in doublets and multiplets is **tetany-like** (a hypocalcaemic
   muscle after an effort). A cramp's rates and ISI CV are then compared with
   recorded cramps (reported, not decisive). **Normal** if it is brief (outlasts the
   trigger by less than ``OUTLAST_MIN_S``) or both weak and confined to a minority of units
   (below ``CRAMP_FORCE_MIN`` and ``CRAMP_UNITS_MIN``): low-threshold motor units of
   healthy people can fire on after a brief excitation (Kiehn & Eken 1997). Any other
   after-discharge (sustained, but smaller than a cramp) is judged by its firing pattern,
   as in step 4.
4. **Firing pattern** (spontaneous activity, or a sustained after-discharge smaller than a
   cramp): doublets ≥ ``TETANY_DOUBLET_MIN`` of the ISIs, with the spikes of the
   discharge groups faster than ``TETANY_INTRAGROUP_MIN_HZ`` (slower groups are myokymic
   bursts, judged below): **tetany-like**. Otherwise the first profile whose criteria all
   hold:

   - **cramp-like**: mean force ≥ ``CRAMP_FORCE_MIN``, ≥ ``CRAMP_UNITS_MIN`` of the pool,
     mean rate in ``CRAMP_RATE_HZ``, ISI CV in ``CRAMP_CV``, smoothed force at 90 % of its
     peak within ``CRAMP_ONSET_MAX_S`` of onset (sudden);
   - **spasm-like**: ISI CV ≥ ``SPASM_CV_MIN`` (irregular), discharges — or, for grouped
     discharges, their groups — recurring slower than ``SPASM_RATE_MAX_HZ`` (low),
     peak force < ``SPASM_PEAK_FORCE_MAX`` (moderate);
   - **tetany-like**: regular repetitive discharges, ISI CV < ``TETANY_CV_MAX``.

   Before the profiles, spontaneous activity is searched for a cramp arising out of
   weaker activity (a night cramp grows out of fasciculations): its strongest episode
   (:class:`Episode`: force smoothed over ``FORCE_SMOOTH_S`` at or above
   ``CRAMP_FORCE_MIN``) is **cramp-like** if it is a cramp's size — it lasts
   ``OUTLAST_MIN_S`` or more with ``CRAMP_UNITS_MIN`` of the pool firing in it — in single
   spikes (doublets below ``TETANY_DOUBLET_MIN``) as irregular as a cramp's (ISI CV in
   ``CRAMP_CV``); its rate and rise time are reported, not decisive. If none holds in
   full, the profile with the largest share of its criteria met (ties in the order
   above), and the reasons say so.

Rates, CVs and doublets are measured on the involuntary part only (ISIs between spikes
inside it). All thresholds are teaching choices; where a number comes from the literature
the constant says so.

References
----------
Minetto MA, Holobar A, Botter A, Farina D (2009) J Neurophysiol 102:1890–1901 (cramp
discharges: 14.5 ± 5.1 pps, maximum 25 ± 8 pps, ISI CV 44.6 ± 9.7 %, doublets 4.1 %).
Kiehn O, Eken T (1997) J Neurophysiol 78:3061–3068 (prolonged self-sustained firing of
low-threshold human motor units after brief excitation).
De Luca CJ, Hostage EC (2010) J Neurophysiol 104:1034–1046 (voluntary firing from ~6–8 Hz
at recruitment).
Matthews PBC (1996) J Physiol 492:597–628 (voluntary ISI CV ~0.1–0.2).
Deecke L, Müller B, Conrad B (1983) Arch Psychiatr Nervenkr 233:23–37 (tetany: repetitive
discharges as doublets, triplets and multiplets in the EMG).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypedDict

import numpy as np

from .analysis import (
    ACTIVE_FORCE_THRESHOLD,
    DOUBLET_ISI_S,
    FIRING_WINDOW_S,
    GROUP_GAP_S,
    _ms_grid,
    _sustained_runs,
    drive_window,
    firing_end_s,
    isi_statistics,
    stimulus_window,
)
from .inputs import length_trace
from .result import Result

#: The labels :func:`classify` returns.
LABELS = ("normal", "spasm-like", "cramp-like", "tetany-like")

#: Allowance after the driven period, s, before activity counts as involuntary. Teaching
#: choice: a twitch is over in ~0.3 s (contraction time 40–110 ms plus relaxation; Buller &
#: Lewis 1965) and a unit's last ISI at its ≥ 6 Hz minimum rate is < 0.17 s.
DRIVEN_GRACE_S = 0.3
#: Involuntary force (above ``ACTIVE_FORCE_THRESHOLD``) must last this long in all, s, to
#: count. Teaching choice: several unfused twitches, longer than a stray discharge.
INVOLUNTARY_MIN_S = 0.5
#: Width of the moving average applied to force before reading its onset-to-peak time, s.
#: Teaching choice: spans ≥ 2 unfused twitches at 8 Hz, so ripple does not set the peak.
FORCE_SMOOTH_S = 0.25
#: Firing must outlast the trigger (drive or stimulation) by this much, s, for an
#: after-discharge to be a cramp. Teaching choice: 5× the ≲ 0.2 s a normally relaxing pool
#: fires on (one ISI); recorded cramp discharges last seconds to minutes (units active
#: 23.6 ± 16.2 s; Minetto et al. 2009).
OUTLAST_MIN_S = 1.0
#: Smallest mean involuntary force (while above threshold) of a cramp, fraction of max.
#: Teaching choice: a cramp is "strong, well above a spasm's" (docs/science.md §1), whose force
#: is moderate ("well under half", ~5 % in this model); 10 % is twice that and below the
#: 15–30 % the cramp preset aims at.
CRAMP_FORCE_MIN = 0.10
#: Smallest share of the pool firing (≥ 3 involuntary spikes) in a cramp. Teaching choice:
#: "many units recruited" (docs/science.md §1) read as at least half the pool.
CRAMP_UNITS_MIN = 0.5
#: Range of the mean discharge rate of units in a cramp, Hz. Minetto et al. (2009): mean
#: 14.5 ± 5.1 pps, minimum 6.0 ± 0.8, maximum 25.0 ± 8.0; the band runs from the ~8 Hz
#: start of voluntary rate coding (De Luca & Hostage 2010) to 30 Hz (teaching choice,
#: above the recorded cramp maximum).
CRAMP_RATE_HZ = (8.0, 30.0)
#: Range of the mean ISI CV in a cramp: Minetto et al. (2009) 44.6 ± 9.7 %, mean ± 2 SD.
CRAMP_CV = (0.25, 0.65)
#: A spontaneous cramp's smoothed force reaches 90 % of its peak within this time of
#: onset, s: "sudden onset, peak within about a second" (docs/science.md §1), plus the smoothing
#: window and excitation–contraction delays (teaching choice).
CRAMP_ONSET_MAX_S = 1.5
#: Spasm discharges (single discharges, or the groups of grouped ones: myokymic bursts
#: recur "usually several times per second", Gutmann 1991) recur slower than this, Hz:
#: below the ~8 Hz at which voluntary
#: firing starts (De Luca & Hostage 2010), i.e. "low rates".
SPASM_RATE_MAX_HZ = 8.0
#: Spasm firing is at least this irregular (mean ISI CV): above the cramp band's upper
#: edge (``CRAMP_CV``) and far above voluntary firing (~0.1–0.2; Matthews 1996).
SPASM_CV_MIN = 0.65
#: Spasm force stays below this peak, fraction of max: "well under half of maximum"
#: (docs/science.md §1).
SPASM_PEAK_FORCE_MAX = 0.5
#: Doublets (ISIs < ``analysis.DOUBLET_ISI_S``) above this share of ISIs mark tetany.
#: Teaching choice: more than twice the 4.1 % of cramp discharges (Minetto et al. 2009);
#: tetanic discharges come as doublets, triplets and multiplets (Deecke et al. 1983).
TETANY_DOUBLET_MIN = 0.10
#: Doublets and multiplets mark tetany only when the spikes within them come faster than
#: this, Hz: myokymic discharges are bursts at ~30–60 Hz (Medscape's myokymia article; to
#: verify in the primary source) that resemble tetany's grouped discharges (Gutmann 1991,
#: Muscle Nerve 14:1043), while tetanic doublets and multiplets repeat at intervals of a
#: few ms (the doublet literature: 2.5–20 ms, ``analysis.DOUBLET_ISI_S``). So grouped
#: discharges with a median interval within the group ≥ 1/60 s are judged by their
#: pattern as a spasm's (step 4), not labelled tetany.
TETANY_INTRAGROUP_MIN_HZ = 60.0
#: Spontaneous firing more regular than this mean ISI CV is repetitive discharge, as in
#: tetany: below the cramp band (``CRAMP_CV``) and within the ~0.1–0.2 of steady voluntary
#: firing (Matthews 1996), i.e. a pacemaker-like rhythm with no voluntary input.
TETANY_CV_MAX = 0.25


@dataclass(frozen=True)
class Episode:
    """The strongest stretch of involuntary force: the longest time in which force,
    smoothed over ``FORCE_SMOOTH_S``, stays at or above ``CRAMP_FORCE_MIN``.

    A spontaneous cramp arises out of weaker activity (fasciculations, a few units firing):
    measured over the whole run its rates and ISI CV would mix the two. The episode is
    measured on its own.

    Attributes
    ----------
    start_s, end_s : float
        Where smoothed force first reaches and last holds ``CRAMP_FORCE_MIN``, s.
    peak_force : float
        Largest smoothed force in it, fraction of maximum.
    units_fraction : float
        Share of the pool with at least three spikes in it.
    mean_rate_hz, cv_isi, doublet_fraction : float
        Discharge statistics of those units within it
        (:func:`musclesim.analysis.isi_statistics`).
    rise_s : float
        From its start to the first time smoothed force reaches 90 % of ``peak_force``, s.
    """

    start_s: float
    end_s: float
    peak_force: float
    units_fraction: float
    mean_rate_hz: float
    cv_isi: float
    doublet_fraction: float
    rise_s: float

    @property
    def duration_s(self) -> float:
        """``end_s - start_s``, s."""
        return self.end_s - self.start_s


@dataclass(frozen=True)
class InvoluntaryActivity:
    """The involuntary part of a result, as :func:`classify` measures it.

    Attributes
    ----------
    kind : str
        ``"none"``, ``"spontaneous"`` or ``"after-discharge"`` (see the module docstring).
    driven_s : tuple of float or None
        The driven period (first, last moment of voluntary drive or nerve stimulation), s;
        None if there is none. Its end is ``inf`` if the drive lasts to the end of the run.
    windows_s : tuple of (float, float)
        The stretches of the run measured (start, end), s.
    active_s : float
        Time force is above ``ACTIVE_FORCE_THRESHOLD`` in the windows, s.
    pre_active_s : float
        The same, before the driven period only, s (0 without one).
    mean_force, peak_force : float
        Mean force while above the threshold, and peak force, in the windows (fraction of
        maximum; 0 if never above the threshold).
    units_fraction : float
        Share of the pool with at least three spikes in the windows.
    mean_rate_hz, cv_isi, doublet_fraction : float
        Discharge statistics of those units (see :func:`musclesim.analysis.isi_statistics`).
    group_rate_hz, intragroup_rate_hz : float
        The same units' discharges taken as groups (spikes closer than
        ``analysis.GROUP_GAP_S``; a single discharge is a group of one): the mean over units
        of 1 / mean interval between group starts, and 1 / median interval within groups
        (nan without groups of two or more). For single discharges ``group_rate_hz`` is
        about the mean rate; for myokymic bursts it is their recurrence rate.
    onset_to_peak_s : float
        From the first moment force exceeds the threshold (in the windows, or from the
        start of the driven period for an after-discharge) to the first time the force,
        smoothed over ``FORCE_SMOOTH_S``, reaches 90 % of its largest value; nan if none.
    outlasts_s : float
        How long the pool keeps firing after the driven period ends, s (see
        :func:`musclesim.analysis.firing_end_s`); nan without a finite driven period.
    firing_at_end : bool
        True if the pool is still firing in the last ``FIRING_WINDOW_S`` of the run, so
        that ``outlasts_s`` is a lower bound.
    episode : Episode or None
        The strongest stretch of the involuntary force (:class:`Episode`), None if smoothed
        force never reaches ``CRAMP_FORCE_MIN`` in the windows.
    """

    kind: str
    driven_s: tuple[float, float] | None
    windows_s: tuple[tuple[float, float], ...]
    active_s: float
    pre_active_s: float
    mean_force: float
    peak_force: float
    units_fraction: float
    mean_rate_hz: float
    cv_isi: float
    doublet_fraction: float
    group_rate_hz: float
    intragroup_rate_hz: float
    onset_to_peak_s: float
    outlasts_s: float
    firing_at_end: bool
    episode: Episode | None = None


def _stretch_window(res: Result) -> tuple[float, float] | None:
    """First and last moment the muscle is being lengthened or shortened, s: a stretch
    reflex then is a driven response, like a voluntary contraction."""
    t_ms = 1000.0 * _ms_grid(res.scenario)
    _, vel = length_trace(res.scenario, t_ms)
    moving = np.flatnonzero(np.abs(vel) > 1e-9)
    if moving.size == 0:
        return None
    return float(t_ms[moving[0]] / 1000.0), float(t_ms[moving[-1]] / 1000.0)


def _driven_period(res: Result) -> tuple[float, float] | None:
    spans = [w for w in (drive_window(res.scenario), stimulus_window(res.scenario)) if w]
    if not spans:
        # With no voluntary drive or stimulation, an imposed stretch is what drives the
        # pool (the stretch reflex); with one, the stretch only ends what follows it.
        spans = [w for w in (_stretch_window(res),) if w]
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def measure_involuntary(res: Result) -> InvoluntaryActivity:
    """Measure the involuntary part of ``res`` (outside the driven period).

    Parameters
    ----------
    res : Result
        A simulation result.

    Returns
    -------
    InvoluntaryActivity
    """
    # Active force only: the passive tension of a stretched muscle is not a contraction.
    t, f = res.time, res.active_force
    t_end = float(t[-1]) if t.size else 0.0
    dt = float(t[1] - t[0]) if t.size > 1 else 0.0
    driven = _driven_period(res)
    above = f > ACTIVE_FORCE_THRESHOLD
    if driven is None:
        pre: tuple[float, float] | None = None
        windows: list[tuple[float, float]] = [(0.0, t_end)]
    else:
        pre = (0.0, driven[0])
        windows = [pre]
        if driven[1] + DRIVEN_GRACE_S < t_end:
            windows.append((driven[1] + DRIVEN_GRACE_S, t_end))

    def mask(ws: list[tuple[float, float]]) -> np.ndarray:
        m = np.zeros(t.shape, dtype=bool)
        for a, b in ws:
            m |= (t >= a) & (t < b) if b < t_end else (t >= a)
        return m

    pre_active = float((above & mask([pre])).sum() * dt) if pre else 0.0
    if driven is None:
        kind = "spontaneous"
    elif pre_active >= INVOLUNTARY_MIN_S:
        kind = "spontaneous"
    else:
        kind = "after-discharge"
        windows = windows[1:]
    sel = mask(windows)
    active_s = float((above & sel).sum() * dt)
    if active_s < INVOLUNTARY_MIN_S:
        kind = "none"

    on = above & sel
    mean_force = float(f[on].mean()) if on.any() else 0.0
    peak_force = float(f[sel].max(initial=0.0))
    isis = []
    for s in res.spike_times:
        per_unit = [np.diff(s[(s >= a) & (s <= b)]) for a, b in windows]
        isis.append(np.concatenate(per_unit) if per_unit else np.zeros(0))
    st = isi_statistics(isis)
    group_rate, intragroup_rate = _group_rates(isis)
    n_units = max(1, len(res.spike_times))

    # Onset to peak: for an after-discharge the episode starts with its trigger.
    episode = sel.copy()
    if kind == "after-discharge" and driven is not None:
        episode |= t >= driven[0]
    onset_to_peak = math.nan
    smooth = _smoothed(f, dt)
    if (above & episode).any() and dt > 0:
        k0 = int(np.argmax(above & episode))
        peak = smooth[episode].max()
        reach = np.flatnonzero(episode & (smooth >= 0.9 * peak) & (t >= t[k0]))
        if reach.size:
            onset_to_peak = float(t[reach[0]] - t[k0])

    end = firing_end_s(res.spike_times)
    outlasts = math.nan
    if driven is not None and math.isfinite(driven[1]):
        outlasts = max(0.0, end - driven[1]) if math.isfinite(end) else 0.0
    return InvoluntaryActivity(
        kind=kind,
        driven_s=driven,
        windows_s=tuple(windows),
        active_s=active_s,
        pre_active_s=pre_active,
        mean_force=mean_force,
        peak_force=peak_force,
        units_fraction=st["units"] / n_units,
        mean_rate_hz=st["mean_rate_hz"],
        cv_isi=st["cv_isi"],
        doublet_fraction=st["doublet_fraction"],
        group_rate_hz=group_rate,
        intragroup_rate_hz=intragroup_rate,
        onset_to_peak_s=onset_to_peak,
        outlasts_s=outlasts,
        firing_at_end=math.isfinite(end) and end >= t_end - FIRING_WINDOW_S,
        episode=_strongest_episode(res, smooth, sel),
    )


def _smoothed(f: np.ndarray, dt: float) -> np.ndarray:
    """Force averaged over ``FORCE_SMOOTH_S`` (unchanged without a time step)."""
    if dt <= 0:
        return f
    # Imported on use: scipy.ndimage adds ~0.2 s to `import musclesim` otherwise.
    from scipy.ndimage import uniform_filter1d

    return uniform_filter1d(f, max(1, round(FORCE_SMOOTH_S / dt)), mode="nearest")


def _strongest_episode(res: Result, smooth: np.ndarray, sel: np.ndarray) -> Episode | None:
    """The longest stretch of ``sel`` in which ``smooth`` (force smoothed over
    ``FORCE_SMOOTH_S``) is at least ``CRAMP_FORCE_MIN``; None if there is none."""
    t = res.time
    strong = (smooth >= CRAMP_FORCE_MIN) & sel
    if not strong.any():
        return None
    runs = _sustained_runs(strong, 1)
    i0, i1 = (int(i) for i in runs[int(np.argmax(runs[:, 1] - runs[:, 0]))])
    a, b = float(t[i0]), float(t[i1 - 1])
    st = isi_statistics([np.diff(s[(s >= a) & (s <= b)]) for s in res.spike_times])
    peak = float(smooth[i0:i1].max())
    k90 = i0 + int(np.argmax(smooth[i0:i1] >= 0.9 * peak))
    return Episode(
        start_s=a,
        end_s=b,
        peak_force=peak,
        units_fraction=st["units"] / max(1, len(res.spike_times)),
        mean_rate_hz=st["mean_rate_hz"],
        cv_isi=st["cv_isi"],
        doublet_fraction=st["doublet_fraction"],
        rise_s=float(t[k90]) - a,
    )


def _group_rates(isis: list[np.ndarray]) -> tuple[float, float]:
    """(mean over units of 1 / mean interval between group starts, 1 / median interval
    within groups) of units with at least two ISIs; groups are runs of ISIs shorter than
    ``GROUP_GAP_S`` (see :class:`InvoluntaryActivity`)."""
    rates, within = [], []
    for isi in isis:
        if isi.size < 2:
            continue
        new = isi >= GROUP_GAP_S
        within.append(isi[~new])
        # Intervals between the starts of consecutive groups: the ISIs summed from one
        # group's start to the next's.
        starts = np.concatenate(([0.0], np.cumsum(isi)))[np.concatenate(([True], new))]
        if starts.size >= 2:
            rates.append(1.0 / float(np.mean(np.diff(starts))))
    w = np.concatenate(within) if within else np.zeros(0)
    return (float(np.mean(rates)) if rates else math.nan,
            1.0 / float(np.median(w)) if w.size else math.nan)  # fmt: skip


@dataclass(frozen=True)
class _Criterion:
    """One test of a profile: ``what`` ``value`` against a bound, with its unit."""

    what: str
    value: float
    lo: float = -math.inf
    hi: float = math.inf
    unit: str = ""
    scale: float = 1.0
    fmt: str = ".2f"

    @property
    def passed(self) -> bool:
        return not math.isnan(self.value) and self.lo <= self.value < self.hi

    def text(self) -> str:
        def q(x: float) -> str:
            return f"{x * self.scale:{self.fmt}}{self.unit}"

        v = "nan" if math.isnan(self.value) else q(self.value)
        if math.isinf(self.hi):
            bound = f"≥ {q(self.lo)}"
        elif math.isinf(self.lo):
            bound = f"< {q(self.hi)}"
        else:
            bound = f"in [{q(self.lo)}, {q(self.hi)})"
        return f"{self.what} {v} ({'meets' if self.passed else 'fails'} {bound})"


class _Display(TypedDict, total=False):
    """How a _Criterion prints its numbers (its ``unit``, ``scale`` and ``fmt`` fields)."""

    unit: str
    scale: float
    fmt: str


def _profiles(a: InvoluntaryActivity) -> dict[str, list[_Criterion]]:
    pct: _Display = {"unit": " %", "scale": 100.0, "fmt": ".1f"}
    hz: _Display = {"unit": " Hz", "fmt": ".1f"}
    return {
        "cramp-like": [
            _Criterion("mean involuntary force", a.mean_force, lo=CRAMP_FORCE_MIN, **pct),
            _Criterion("share of pool firing", a.units_fraction, lo=CRAMP_UNITS_MIN, **pct),
            _Criterion("mean rate", a.mean_rate_hz, *CRAMP_RATE_HZ, **hz),
            _Criterion("ISI CV", a.cv_isi, *CRAMP_CV),
            _Criterion("onset to peak", a.onset_to_peak_s, hi=CRAMP_ONSET_MAX_S, unit=" s"),
        ],
        "spasm-like": [
            _Criterion("ISI CV", a.cv_isi, lo=SPASM_CV_MIN),
            _Criterion("discharge (group) rate", a.group_rate_hz, hi=SPASM_RATE_MAX_HZ, **hz),
            _Criterion("peak force", a.peak_force, hi=SPASM_PEAK_FORCE_MAX, **pct),
        ],
        "tetany-like": [_Criterion("ISI CV", a.cv_isi, hi=TETANY_CV_MAX)],
    }


def _activity_line(a: InvoluntaryActivity) -> str:
    if a.driven_s is None:
        where = "no voluntary drive or nerve stimulation"
    else:
        where = f"driven from {a.driven_s[0]:.2f} to {a.driven_s[1]:.2f} s"
    if a.units_fraction > 0:
        firing = (
            f"{100 * a.units_fraction:.0f} % of units firing, mean rate {a.mean_rate_hz:.1f} Hz, "
            f"ISI CV {a.cv_isi:.2f}, doublets {100 * a.doublet_fraction:.1f} %"
        )
    else:
        firing = "no unit firing repetitively"
    return (
        f"{where}; involuntary force above {100 * ACTIVE_FORCE_THRESHOLD:.0f} % of max for "
        f"{a.active_s:.2f} s ({a.kind}; {firing})"
    )


def classify(res: Result) -> str:
    """Label a result ``'normal'``, ``'spasm-like'``, ``'cramp-like'`` or ``'tetany-like'``.

    The rules and thresholds are in the module docstring and its constants (teaching
    choices, with sources where they exist); :func:`classify_with_reasons` also says
    which measurements decided.

    Parameters
    ----------
    res : Result
        A simulation result.

    Returns
    -------
    str
        One of :data:`LABELS`.

    Examples
    --------
    >>> import musclesim as ms
    >>> ms.classify(ms.simulate("spasm", duration_s=5.0))  # doctest: +SKIP
    'spasm-like'
    """
    return classify_with_reasons(res)[0]


def classify_with_reasons(res: Result) -> tuple[str, list[str]]:
    r"""The label :func:`classify` gives, and the reasons for it.

    Parameters
    ----------
    res : Result
        A simulation result.

    Returns
    -------
    label : str
        One of :data:`LABELS`, the same as ``classify(res)``.
    reasons : list of str
        Readable sentences, in the order of the decision (module docstring): what the
        involuntary activity was, then each metric that decided, with its value and the
        threshold it met or failed.

    Examples
    --------
    >>> import musclesim as ms
    >>> label, why = ms.classify_with_reasons(ms.simulate("cramp"))  # doctest: +SKIP
    >>> print("\n".join(why))  # doctest: +SKIP
    """
    if not isinstance(res, Result):
        raise TypeError(f"classify needs a musclesim Result; got {type(res).__name__}")
    for name in ("force", "calcium", "voltage"):
        if not np.all(np.isfinite(getattr(res, name))):
            raise ValueError(
                f"classify needs finite traces; Result.{name} of scenario "
                f"{res.scenario.name!r} holds NaN or inf values"
            )
    if res.time.size == 0:
        raise ValueError(f"classify needs at least one sample; the result of scenario "
                         f"{res.scenario.name!r} has none")  # fmt: skip
    return _decide(measure_involuntary(res))


class _Doublets:
    """Doublets (and multiplets) as a share of the involuntary ISIs, the mark of tetany, as
    long as the spikes within the groups come faster than myokymic bursts do
    (``TETANY_INTRAGROUP_MIN_HZ``)."""

    def __init__(self, a: InvoluntaryActivity) -> None:
        self.share = _Criterion(f"doublets (ISI < {1000 * DOUBLET_ISI_S:.0f} ms)",
                                a.doublet_fraction, lo=TETANY_DOUBLET_MIN, unit=" % of ISIs",
                                scale=100.0, fmt=".1f")  # fmt: skip
        self.fast = _Criterion("rate within discharge groups", a.intragroup_rate_hz,
                               lo=TETANY_INTRAGROUP_MIN_HZ, unit=" Hz", fmt=".0f")  # fmt: skip

    @property
    def passed(self) -> bool:
        return self.share.passed and self.fast.passed

    def text(self) -> str:
        if not self.share.passed:
            return self.share.text()
        return f"{self.share.text()}; {self.fast.text()}"


def _doublet_criterion(a: InvoluntaryActivity) -> _Doublets:
    return _Doublets(a)


def _spontaneous_cramp(e: Episode) -> tuple[bool, list[str]]:
    """Is the strongest episode of spontaneous activity a cramp? The same size criteria as
    an after-discharge's (it lasts ``OUTLAST_MIN_S``, ``CRAMP_UNITS_MIN`` of the pool fire
    in it; its smoothed force is ≥ ``CRAMP_FORCE_MIN`` by construction), in single spikes
    (doublets below ``TETANY_DOUBLET_MIN``) as irregular as a cramp's (ISI CV in
    ``CRAMP_CV``)."""
    pct: _Display = {"unit": " %", "scale": 100.0, "fmt": ".1f"}
    size = [
        _Criterion("lasts", e.duration_s, lo=OUTLAST_MIN_S, unit=" s"),
        _Criterion("share of pool firing in it", e.units_fraction, lo=CRAMP_UNITS_MIN, **pct),
        _Criterion("doublets in it", e.doublet_fraction, hi=TETANY_DOUBLET_MIN, **pct),
        # Irregular as recorded cramp discharges are: a regular, pacemaker-like rhythm
        # with no voluntary input is the repetitive discharge of tetany (step 4).
        _Criterion("ISI CV in it", e.cv_isi, *CRAMP_CV),
    ]
    head = (f"strongest episode (smoothed force ≥ {100 * CRAMP_FORCE_MIN:.0f} % of max, "
            f"{e.start_s:.1f}–{e.end_s:.1f} s): ")  # fmt: skip
    why = [head + c.text() for c in size]
    if not all(c.passed for c in size):
        return False, why
    rate = _Criterion("mean rate in it", e.mean_rate_hz, *CRAMP_RATE_HZ, unit=" Hz", fmt=".1f")
    why.append(rate.text() + " [compared with recorded cramps, not decisive]")
    why.append(f"it rises to 90 % of its peak ({100 * e.peak_force:.1f} % of max) in "
               f"{e.rise_s:.1f} s")  # fmt: skip
    why.append("a strong spontaneous contraction of most of the pool in single spikes, "
               "arising out of weaker activity: cramp-like")  # fmt: skip
    return True, why


def _decide(a: InvoluntaryActivity) -> tuple[str, list[str]]:
    why = [_activity_line(a)]
    if a.kind == "none":
        why.append(
            f"involuntary force lasts {a.active_s:.2f} s < {INVOLUNTARY_MIN_S} s: activity "
            "only while driven (or none)"
        )
        return "normal", why
    if a.kind == "after-discharge":
        size = [
            _Criterion(
                "firing outlasts the trigger by", a.outlasts_s, lo=OUTLAST_MIN_S, unit=" s"
            ),
            *_profiles(a)["cramp-like"][:2],
        ]
        why += [c.text() for c in size]
        if a.firing_at_end:
            why.append("the pool was still firing when the run ended: the after-discharge "
                       "lasts at least that long")  # fmt: skip
        if all(c.passed for c in size):
            doublets = _doublet_criterion(a)
            why.append(doublets.text())
            if doublets.passed:
                why.append(
                    "a strong discharge that outlasts its trigger, but in doublets and "
                    "multiplets, not the single spikes of a cramp: tetany-like"
                )
                return "tetany-like", why
            typical = _profiles(a)["cramp-like"][2:4]
            why += [c.text() + " [compared with recorded cramps, not decisive]" for c in typical]
            why.append("a strong contraction that outlasts its trigger: cramp-like")
            return "cramp-like", why
        brief = not size[0].passed
        minor = not size[1].passed and not size[2].passed
        if brief or minor:
            why.append(
                "a brief after-discharge, or a weak one in a minority of units: normal "
                "(low-threshold units can fire on after a contraction in healthy people; "
                "Kiehn & Eken 1997)"
            )
            return "normal", why
        why.append(
            "a sustained after-discharge smaller than a cramp: judged by its firing pattern"
        )
    doublets = _doublet_criterion(a)
    why.append(doublets.text())
    if doublets.passed:
        why.append("involuntary discharges with doublets/multiplets: tetany-like")
        return "tetany-like", why
    if a.kind == "spontaneous" and a.episode is not None:
        verdict = _spontaneous_cramp(a.episode)
        why += verdict[1]
        if verdict[0]:
            return "cramp-like", why
    profiles = _profiles(a)
    for label, crits in profiles.items():
        if all(c.passed for c in crits):
            why += [f"{label}: " + c.text() for c in crits]
            why.append(f"involuntary activity meeting every {label} criterion: {label}")
            return label, why
    share = {k: sum(c.passed for c in cs) / len(cs) for k, cs in profiles.items()}
    best = max(share, key=lambda k: share[k])  # first in order among ties
    for label, crits in profiles.items():
        why += [f"{label}: " + c.text() for c in crits]
    why.append(
        f"no profile met all its criteria; closest: {best} ({share[best]:.0%} of its criteria)"
    )
    return best, why
