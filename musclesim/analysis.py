"""Measurements on results: the numbers a physiologist reads off a force record and EMG.

Every function takes a :class:`~musclesim.Result`, a :class:`~musclesim.Scenario` or plain
arrays and returns numbers; nothing here runs the model.

What counts as the *cause* of a contraction is read from the result's scenario, never from
the engine: the voluntary drive (``Scenario.drive``, cut by a ``rest`` intervention), the
nerve irritation (``Scenario.irritation``, lowered by heat and massage) and electrical nerve
stimulation (``Scenario.stimulus``). An electrolyte disorder has no moment at which it
"stops", so it is not a timed cause here.

References
----------
Garland SJ, Griffin L (1999) Motor unit double discharges: statistical anomaly or
functional entity? Can J Appl Physiol 24:113–130 (doublets: ISIs of 2.5–20 ms, after
Simpson 1969).
Kudina LP, Andreeva RE (2013) Motoneuron double discharges: only one or two different
entities? Front Cell Neurosci 7:75 (doublet ISIs "commonly ranging from 2.5 to 20 ms").
Minetto MA, Holobar A, Botter A, Farina D (2009) Discharge properties of motor units of the
abductor hallucis muscle during cramp contractions. J Neurophysiol 102:1890–1901.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import check_real
from .emg import spectrum_frequencies
from .inputs import irritation_level

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result
    from .scenarios import Scenario

#: Force above which a muscle counts as contracting, fraction of maximal force.
#: Teaching choice: 2 % of maximal, above the resting tone of this model (~0) and below a
#: single small unit's tetanus. Onset, duration and decay are all measured against it.
ACTIVE_FORCE_THRESHOLD = 0.02
#: Rise time runs from this fraction of peak force ...
RISE_LOW_FRACTION = 0.1
#: ... to this one: the 10–90 % rise time, the usual convention for a rising edge (it
#: ignores the slow toe and the rounded top of the curve).
RISE_HIGH_FRACTION = 0.9
#: ISIs shorter than this are doublets, s. The doublet literature puts intradoublet
#: intervals at 2.5–20 ms (Simpson 1969, reviewed by Garland & Griffin 1999; Kudina &
#: Andreeva 2013); 20 ms is its upper edge. Minetto et al. (2009) report doublets in cramps
#: as 4.1 ± 4.7 % of all discharges (their exact cut-off was not checked here: only the
#: abstract was available). The model's refractory period rules out ISIs < 2.5 ms, so no
#: lower bound is applied.
DOUBLET_ISI_S = 0.020
#: An interval longer than this between two discharges of one unit is a pause in its
#: firing (it fell silent and was recruited again), not a discharge interval, s. Recorded
#: motor units in cramps fire at minimal rates of 6.0 ± 0.8 pps (Minetto, Holobar, Botter &
#: Farina 2009, J Neurophysiol 102:1890, 48 units): they had no interval longer than
#: ~0.23 s (1 / (mean − 2 SD)); 0.25 s is a rate of 4 pps. The cramp validation measures
#: rate and ISI CV over the intervals up to it and bounds how many are longer;
#: ``metrics()`` keeps every interval (the irregularity of a spasm or of tetany includes
#: the silent gaps between its bursts, which tell it from a cramp).
DISCHARGE_PAUSE_S = 0.25
#: A unit needs at least this many spikes (two ISIs) for its rate and ISI CV to count.
MIN_SPIKES_FOR_STATS = 3
#: The pool counts as still firing at a spike if at least ``FIRING_MIN_UNITS`` units fired
#: in the ``FIRING_WINDOW_S`` before it. Teaching choice: one unit alone may be a stray
#: discharge; 0.5 s holds several ISIs at 8–25 Hz and at least one at the ~2–3 Hz of
#: irregular ectopic firing.
FIRING_WINDOW_S = 0.5
FIRING_MIN_UNITS = 2
#: Force left over from a voluntary contraction or nerve stimulation falls below
#: ``ACTIVE_FORCE_THRESHOLD`` within this time of the trigger's end, s, so the involuntary
#: contraction is looked for after it. Teaching choice: a twitch is over in ~0.3 s
#: (contraction time 40–110 ms plus relaxation; Buller & Lewis 1965), as for
#: ``classification.DRIVEN_GRACE_S``.
RELAXATION_S = 0.3
#: An involuntary contraction holds force above ``ACTIVE_FORCE_THRESHOLD`` for at least
#: this long in all, s, with motor units firing (``FIRING_MIN_UNITS`` or more with a muscle
#: action potential) after the trigger: the slow tail of a relaxation, with no new action
#: potentials, is not one. Teaching choice: several unfused twitches, longer than a stray
#: discharge (as ``classification.INVOLUNTARY_MIN_S``).
INVOLUNTARY_MIN_S = 0.5
#: Values of ``Metrics.ended_by`` other than an intervention's ``kind``.
ENDED_NONE = "none"
ENDED_ITSELF = "itself"
ENDED_RUNNING = "running"


@dataclass(frozen=True)
class Metrics:
    """Summary of one result. Times in s, rates in Hz, force as a fraction of maximum.

    Thresholds are the module constants named below (see their comments for sources).

    Attributes
    ----------
    peak_force : float
        Largest force.
    onset_s : float
        First sample time at which force exceeds ``ACTIVE_FORCE_THRESHOLD`` (nan if never).
    time_to_peak_s : float
        From onset to peak force (nan if no onset).
    duration_s : float
        Total time force stays above ``ACTIVE_FORCE_THRESHOLD``.
    mean_force : float
        Mean force while above the threshold (0 if never).
    active_units : int
        Units that fired at least one motor-neuron spike.
    total_spikes : int
        Motor-neuron spikes of all units.
    mean_rate_hz : float
        Mean over active units (≥ ``MIN_SPIKES_FOR_STATS`` spikes) of their discharge rate
        (inverse mean ISI); nan if no unit qualifies.
    peak_rate_hz : float
        Largest instantaneous rate (inverse ISI) of any such unit, doublets
        (< ``DOUBLET_ISI_S``) excluded.
    cv_isi : float
        Mean over those units of the coefficient of variation (SD/mean) of their ISIs.
    doublet_fraction : float
        Share of all their ISIs shorter than ``DOUBLET_ISI_S`` (20 ms). Minetto et al.
        (2009) count doublets as a share of discharges; with N spikes per unit the two
        differ by a factor (N − 1)/N.
    emg_rms_mV : float
        RMS of the synthetic surface EMG while the muscle is active (whole run if never).
    emg_median_hz : float
        Median frequency of the EMG power spectrum over the same samples.
    metabolite_end_mM : float
        Pi (fatigue marker) at the end of the run, mM: the metabolite level after the
        event.
    rise_time_s : float
        From the first time force reaches ``RISE_LOW_FRACTION`` (10 %) of its peak to the
        first time it reaches ``RISE_HIGH_FRACTION`` (90 %), crossings interpolated between
        samples (nan if force never exceeds ``ACTIVE_FORCE_THRESHOLD``).
    decay_s : float
        From the moment the cause stops (:func:`cause_end_s`: the end of voluntary drive,
        of nerve irritation or of nerve stimulation, whichever comes last) until force
        falls below ``ACTIVE_FORCE_THRESHOLD`` for the rest of the run; 0 if it was
        already below. ``inf`` if force is still above the threshold when the run ends;
        nan if the cause lasts to the end of the run or the scenario has no timed cause
        (an electrolyte disorder, a resting muscle): there is no decay to measure.
    sustained_after_drive_s : float
        How long motor-neuron firing outlasts the voluntary drive: from the end of the drive
        to the last spike at which the pool is still firing (at least
        ``FIRING_MIN_UNITS`` units within ``FIRING_WINDOW_S``), 0 if firing stops with the
        drive. A normal relaxation gives 0 (or, after a drive that stops abruptly, at most
        about one ISI, ≲ 0.2 s). If firing continues to the end of the run the value is a
        lower bound (the run ends first). nan if there is no voluntary drive or it lasts to
        the end of the run.
    mean_burst_spikes : float
        Mean number of spikes in a burst (a run of ISIs shorter than ``DOUBLET_ISI_S``:
        doublets, triplets, multiplets; :func:`burst_sizes`); nan without bursts.
    multiplet_fraction : float
        Share of those bursts with three spikes or more (triplets and longer multiplets,
        the grouped discharges of tetany; Macefield & Burke 1991).
    intraburst_isi_ms : float
        Median interval between spikes within bursts, ms.
    involuntary_peak_force : float
        Largest active force (``Result.active_force``: passive tension of a stretch left
        out) of the involuntary contraction: after the trigger (voluntary drive or nerve
        stimulation, :func:`trigger_window`) has ended and ``RELAXATION_S`` has passed, or
        anywhere in a run without a trigger. For a cramp set off by a contraction this is
        the cramp's own peak, not the trigger's. An involuntary contraction holds force
        above ``ACTIVE_FORCE_THRESHOLD`` for ``INVOLUNTARY_MIN_S`` or more with motor units
        firing; 0 if there is none, nan if the trigger lasts to the end of the run.
    involuntary_mean_force : float
        Mean active force of the involuntary contraction while above the threshold.
    involuntary_onset_s : float
        When the involuntary contraction starts — the first stretch of force above
        ``ACTIVE_FORCE_THRESHOLD`` lasting ``INVOLUNTARY_MIN_S`` or more; single twitches
        of fasciculating units before it do not start it —: s after the end of the trigger
        (0 if the force never fell below the threshold after it, i.e. the contraction
        continues straight from the trigger), or s from the start of a run without a
        trigger. nan if there is no involuntary contraction.
    involuntary_duration_s : float
        From its onset to its end (``involuntary_end_s``), s; while it is still running at
        the end of the run, to the end of the run (a lower bound). 0 if there is none.
    involuntary_end_s : float
        When active force falls below ``ACTIVE_FORCE_THRESHOLD`` for the rest of the run
        (the first sample after the last one above it), s from the start of the run; nan
        if it is still above at the end or there is no involuntary contraction. Brief
        crossings after it (each shorter than ``INVOLUNTARY_MIN_S``: the twitches of
        fasciculating units after a cramp) do not prolong it.
    ended_by : str
        How the involuntary contraction ended: ``"itself"``; the ``kind`` of the last
        intervention that started during it (``"stretch"``, ``"heat"``, ...), which is
        then credited with stopping it; ``"running"`` if it lasts to the end of the run;
        ``"none"`` if there is no involuntary contraction (or the trigger lasts the run).
        :func:`describe_end` puts it in words.
    involuntary_units : int
        Units with at least ``MIN_SPIKES_FOR_STATS`` motor-neuron spikes from the start
        of the involuntary window (trigger end + ``RELAXATION_S``) to its end.
    involuntary_rate_hz, involuntary_cv_isi : float
        Mean discharge rate, Hz, and mean ISI CV of those units over the same window (see
        :func:`isi_statistics`); nan if no unit qualifies.
    """

    peak_force: float
    onset_s: float
    time_to_peak_s: float
    duration_s: float
    mean_force: float
    active_units: int
    total_spikes: int
    mean_rate_hz: float
    peak_rate_hz: float
    cv_isi: float
    doublet_fraction: float
    emg_rms_mV: float
    emg_median_hz: float
    metabolite_end_mM: float
    rise_time_s: float = math.nan
    decay_s: float = math.nan
    sustained_after_drive_s: float = math.nan
    mean_burst_spikes: float = math.nan
    multiplet_fraction: float = math.nan
    intraburst_isi_ms: float = math.nan
    involuntary_peak_force: float = math.nan
    involuntary_mean_force: float = math.nan
    involuntary_onset_s: float = math.nan
    involuntary_duration_s: float = 0.0
    involuntary_end_s: float = math.nan
    ended_by: str = ENDED_NONE
    involuntary_units: int = 0
    involuntary_rate_hz: float = math.nan
    involuntary_cv_isi: float = math.nan

    def as_dict(self) -> dict[str, float | int | str]:
        """The metrics as a plain dict."""
        return asdict(self)


# --- spike trains ---------------------------------------------------------------------
def isi_statistics(isis_s: list[np.ndarray]) -> dict[str, float]:
    """Discharge statistics from inter-spike intervals, one array (s) per unit.

    Units with fewer than ``MIN_SPIKES_FOR_STATS - 1`` ISIs are skipped.

    Parameters
    ----------
    isis_s : list of ndarray
        Inter-spike intervals of each unit, s.

    Returns
    -------
    dict
        ``mean_rate_hz`` (mean over units of 1/mean ISI), ``peak_rate_hz`` (largest 1/ISI,
        doublets excluded), ``cv_isi`` (mean over units of SD/mean of the ISIs),
        ``doublet_fraction`` (share of all ISIs < ``DOUBLET_ISI_S``) and ``units`` (how
        many units qualified); nan where no unit qualifies.
    """
    rates, cvs, peak = [], [], 0.0
    n_isi = n_doub = 0
    counted = []
    for isi in isis_s:
        isi = np.asarray(isi, dtype=float)
        if isi.size < MIN_SPIKES_FOR_STATS - 1:
            continue
        counted.append(isi)
        n_isi += isi.size
        n_doub += int(np.sum(isi < DOUBLET_ISI_S))
        rates.append(1.0 / isi.mean())
        cvs.append(isi.std() / isi.mean())
        normal = isi[isi >= DOUBLET_ISI_S]
        if normal.size:
            peak = max(peak, float(1.0 / normal.min()))
    sizes = burst_sizes(counted)
    short = np.concatenate([i[i < DOUBLET_ISI_S] for i in counted]) if counted else np.zeros(0)
    return {
        "mean_rate_hz": float(np.mean(rates)) if rates else math.nan,
        "peak_rate_hz": peak if rates else math.nan,
        "cv_isi": float(np.mean(cvs)) if cvs else math.nan,
        "doublet_fraction": n_doub / n_isi if n_isi else math.nan,
        "mean_burst_spikes": float(sizes.mean()) if sizes.size else math.nan,
        "multiplet_fraction": float(np.mean(sizes >= 3)) if sizes.size else math.nan,
        "intraburst_isi_ms": float(np.median(short)) * 1000.0 if short.size else math.nan,
        "units": len(rates),
    }


def burst_sizes(isis_s: list[np.ndarray]) -> np.ndarray:
    """Spikes in each burst of every unit, from its inter-spike intervals (s).

    A burst is a run of spikes whose intervals are all shorter than ``DOUBLET_ISI_S``:
    2 is a doublet, 3 a triplet, 4 or more a multiplet (the grouped discharges of tetany;
    Macefield & Burke 1991). Single spikes are not bursts. ``np.bincount`` of the result
    gives the burst-size distribution.

    Returns
    -------
    ndarray of int
        One entry per burst (≥ 2), units in order, bursts in time order.
    """
    out: list[np.ndarray] = []
    for isi in isis_s:
        short = np.concatenate(([0], (np.asarray(isi) < DOUBLET_ISI_S).astype(np.int8), [0]))
        edges = np.diff(short)
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        out.append(ends - starts + 1)
    return np.concatenate(out).astype(np.int64) if out else np.zeros(0, dtype=np.int64)


#: Intervals shorter than this join spikes into one group (a burst) in
#: :func:`grouped_discharges`, s. Teaching choice between the two time scales of myokymic
#: discharges: spikes within a burst at ~30–60 Hz (ISIs ≤ 33 ms) and bursts recurring at
#: ~1–10 Hz (gaps ≥ 100 ms) (Gutmann 1991, Muscle Nerve 14:1043).
GROUP_GAP_S = 0.060


def grouped_discharges(
    spike_times: list[np.ndarray], start_s: float = -math.inf, end_s: float = math.inf,
    max_gap_s: float = GROUP_GAP_S,
) -> dict[str, float]:  # fmt: skip
    """Burst structure of ectopic discharges, as needle EMG describes it.

    Spikes of a unit closer than ``max_gap_s`` form one group (a single discharge is a
    group of one).

    Parameters
    ----------
    spike_times : list of ndarray
        Spike times of each unit, s.
    start_s, end_s : float
        Only spikes in ``[start_s, end_s]`` count.
    max_gap_s : float
        Longest interval within a group, s.

    Returns
    -------
    dict
        ``groups`` (number), ``mean_group_spikes`` (spikes per group), ``grouped_fraction``
        (share of groups with ≥ 2 spikes), ``grouped_spike_fraction`` (share of spikes
        that belong to such groups), ``intragroup_rate_hz`` (1 / median interval
        within groups; nan without one), ``group_rate_hz`` (1 / median interval between
        group starts of a unit; nan with fewer than two groups) and ``rate_hz`` (mean over
        firing units of spikes per second of the window).
    """
    sizes: list[int] = []
    within: list[np.ndarray] = []
    between: list[np.ndarray] = []
    rates = []
    span = end_s - start_s
    for s in spike_times:
        s = np.asarray(s, dtype=float)
        s = s[(s >= start_s) & (s <= end_s)]
        if s.size == 0:
            continue
        if math.isfinite(span):
            rates.append(s.size / span)
        isi = np.diff(s)
        new = np.concatenate(([True], isi >= max_gap_s))
        starts = np.flatnonzero(new)
        sizes.extend(np.diff(np.append(starts, s.size)).tolist())
        within.append(isi[isi < max_gap_s])
        between.append(np.diff(s[starts]))
    w = np.concatenate(within) if within else np.zeros(0)
    g = np.concatenate(between) if between else np.zeros(0)
    n = np.asarray(sizes)
    return {
        "groups": float(n.size),
        "mean_group_spikes": float(n.mean()) if n.size else math.nan,
        "grouped_fraction": float(np.mean(n >= 2)) if n.size else math.nan,
        "grouped_spike_fraction": float(n[n >= 2].sum() / n.sum()) if n.size else math.nan,
        "intragroup_rate_hz": 1.0 / float(np.median(w)) if w.size else math.nan,
        "group_rate_hz": 1.0 / float(np.median(g)) if g.size else math.nan,
        "rate_hz": float(np.mean(rates)) if rates else math.nan,
    }


def spike_statistics(
    spike_times: list[np.ndarray], start_s: float = -math.inf, end_s: float = math.inf
) -> dict[str, float]:
    """Discharge statistics over units with at least ``MIN_SPIKES_FOR_STATS`` spikes.

    Parameters
    ----------
    spike_times : list of ndarray
        Spike times of each unit, s.
    start_s, end_s : float
        Only spikes in ``[start_s, end_s]`` count (ISIs between two such spikes).

    Returns
    -------
    dict
        Mean rate (Hz), peak instantaneous rate (Hz, doublets excluded), mean ISI CV,
        doublet fraction and the number of units that qualified (see
        :func:`isi_statistics`); nan where no unit qualifies.
    """
    isis = []
    for s in spike_times:
        s = np.asarray(s, dtype=float)
        s = s[(s >= start_s) & (s <= end_s)]
        isis.append(np.diff(s))
    return isi_statistics(isis)


def firing_end_s(
    spike_times: list[np.ndarray],
    window_s: float = FIRING_WINDOW_S,
    min_units: int = FIRING_MIN_UNITS,
) -> float:
    """Time of the last spike at which the pool is still firing, s.

    The pool is firing at a spike if at least ``min_units`` different units (that one
    included) fired within the ``window_s`` before it.

    Returns
    -------
    float
        The spike time, s; nan if the pool never fires that way.
    """
    trains = [np.asarray(s, dtype=float) for s in spike_times]
    if not trains or sum(s.size for s in trains) == 0:
        return math.nan
    ts = np.concatenate(trains)
    ids = np.concatenate([np.full(s.size, i) for i, s in enumerate(trains)])
    order = np.argsort(ts, kind="stable")
    ts, ids = ts[order], ids[order]
    for k in range(ts.size - 1, -1, -1):
        k0 = int(np.searchsorted(ts, ts[k] - window_s, side="left"))
        if np.unique(ids[k0 : k + 1]).size >= min_units:
            return float(ts[k])
    return math.nan


# --- force traces ---------------------------------------------------------------------
def crossing_time_s(t_s: np.ndarray, x: np.ndarray, level: float) -> float:
    """First time ``x`` reaches ``level``, interpolated linearly between samples, s.

    Parameters
    ----------
    t_s : ndarray
        Sample times, s.
    x : ndarray
        The trace sampled at ``t_s``.
    level : float
        The level to reach, in the unit of ``x``.

    Returns
    -------
    float
        The time, s; ``t_s[0]`` if ``x`` starts at or above ``level``, nan if it never
        gets there.
    """
    t = np.asarray(t_s, dtype=float)
    x = np.asarray(x, dtype=float)
    hit = np.flatnonzero(x >= level)
    if hit.size == 0:
        return math.nan
    k = int(hit[0])
    if k == 0:
        return float(t[0])
    x0, x1 = x[k - 1], x[k]
    return float(t[k - 1] + (level - x0) / (x1 - x0) * (t[k] - t[k - 1]))


def rise_time_s(
    t_s: np.ndarray,
    force: np.ndarray,
    low: float = RISE_LOW_FRACTION,
    high: float = RISE_HIGH_FRACTION,
) -> float:
    """Rise time of a force trace: from ``low`` to ``high`` of its peak (10–90 %), s.

    Each crossing is the first time the trace reaches that level, interpolated between
    samples (``t_s``, s). nan if the peak is not above zero.
    """
    f = np.asarray(force, dtype=float)
    peak = float(f.max(initial=0.0))
    if peak <= 0.0:
        return math.nan
    return crossing_time_s(t_s, f, high * peak) - crossing_time_s(t_s, f, low * peak)


def decay_time_s(
    t_s: np.ndarray,
    force: np.ndarray,
    cause_end_s: float,
    threshold: float = ACTIVE_FORCE_THRESHOLD,
) -> float:
    """Time from ``cause_end_s`` until force falls below ``threshold`` for good, s.

    Parameters
    ----------
    t_s : ndarray
        Sample times of ``force``, s.
    force : ndarray
        Force, fraction of maximal force.
    cause_end_s : float
        When the cause of the contraction stops, s (see :func:`cause_end_s`).
    threshold : float
        Force below which the muscle counts as relaxed, fraction of maximal force.

    Returns
    -------
    float
        0 if force is at or below the threshold from ``cause_end_s`` on, ``inf`` if it is
        still above the threshold at the last sample, nan if ``cause_end_s`` is not
        finite. The fall is placed at the first sample after the last one above the
        threshold.
    """
    if not math.isfinite(cause_end_s):
        return math.nan
    t = np.asarray(t_s, dtype=float)
    f = np.asarray(force, dtype=float)
    above = np.flatnonzero((t >= cause_end_s) & (f > threshold))
    if above.size == 0:
        return 0.0
    k = int(above[-1])
    if k == t.size - 1:
        return math.inf
    return float(t[k + 1] - cause_end_s)


# --- causes, read from the scenario ---------------------------------------------------
def drive_trace(sc: Scenario, t_s: np.ndarray) -> np.ndarray:
    """Voluntary (injected) drive, nA, at times ``t_s`` (s), after any ``rest``.

    This is the drive the simulation gives the pool: ``Scenario.drive``, set to zero from
    the start of any ``rest`` intervention (each unit receives a saturating share of it,
    :func:`musclesim.neuron.drive_density`).
    """
    t_s = np.asarray(t_s, dtype=float)
    if sc.drive is None:
        return np.zeros(t_s.shape)
    d = sc.drive.sample(t_s * 1000.0)
    for iv in sc.interventions:
        if iv.cuts_drive:
            d = np.where(t_s >= iv.at_s, 0.0, d)
    return d


def _ms_grid(sc: Scenario) -> np.ndarray:
    """The simulation's 1-ms input grid, s."""
    return np.arange(int(np.ceil(sc.duration_s * 1000.0)) + 1) / 1000.0


def drive_window(sc: Scenario) -> tuple[float, float] | None:
    """First and last moment of depolarising voluntary drive, s (on the 1-ms input grid).

    Returns
    -------
    (start_s, end_s) or None
        ``start_s`` is the first time the drive is above 0 nA and ``end_s`` the time it
        returns to 0 (``inf`` if it is still on at the end of the run); None if the
        scenario has no depolarising drive.
    """
    t = _ms_grid(sc)
    on = np.flatnonzero(drive_trace(sc, t) > 0.0)
    if on.size == 0:
        return None
    last = int(on[-1])
    end = math.inf if last == t.size - 1 else float(t[last + 1])
    return float(t[on[0]]), end


def stimulus_window(sc: Scenario) -> tuple[float, float] | None:
    """First and last nerve-stimulus pulse, s; None without a stimulus."""
    if sc.stimulus is None or not sc.stimulus.times_s:
        return None
    return float(sc.stimulus.times_s[0]), float(sc.stimulus.times_s[-1])


def irritation_end_s(sc: Scenario) -> float | None:
    """When nerve irritation stops, s: ``inf`` if it lasts the run, None if there is none.

    Read from the irritation time course the simulation uses
    (:func:`musclesim.inputs.irritation_level`): ``change_irritation`` events move it,
    heat and massage scale it by ``1 − amount·ramp``, so it stops when a change brings it
    to 0 or a heat/massage with ``amount`` = 1 has fully acted.
    """
    if sc.irritation_fraction == 0.0:
        return None
    t_ms = 1000.0 * _ms_grid(sc)
    on = np.flatnonzero(irritation_level(sc, t_ms) > 0.0)
    if on.size == 0:
        return None
    if on[-1] == t_ms.size - 1:
        return math.inf
    return float(t_ms[on[-1] + 1] / 1000.0)


def cause_end_s(sc: Scenario) -> float:
    """When the timed cause of a contraction stops, s.

    The causes are voluntary drive (:func:`drive_window`), nerve irritation
    (:func:`irritation_end_s`) and nerve stimulation (last pulse); with several, the
    latest end counts.

    Returns
    -------
    float
        The time, s; ``inf`` if a cause lasts to the end of the run; nan if the scenario
        has none of these causes (e.g. a resting muscle, or an electrolyte disorder such as
        the tetany preset, which does not stop at a moment).
    """
    ends = []
    dw = drive_window(sc)
    if dw is not None:
        ends.append(dw[1])
    irr = irritation_end_s(sc)
    if irr is not None:
        ends.append(irr)
    sw = stimulus_window(sc)
    if sw is not None:
        ends.append(sw[1])
    return max(ends) if ends else math.nan


def trigger_window(sc: Scenario) -> tuple[float, float] | None:
    """First and last moment of the trigger, s: voluntary drive (:func:`drive_window`)
    and nerve stimulation (:func:`stimulus_window`) together.

    Returns
    -------
    (start_s, end_s) or None
        The earliest start and latest end (``inf`` if the drive lasts the run); None if the
        scenario has neither.
    """
    spans = [w for w in (drive_window(sc), stimulus_window(sc)) if w is not None]
    if not spans:
        return None
    return min(a for a, _ in spans), max(b for _, b in spans)


def involuntary_contraction(res: Result) -> dict[str, float | int | str]:
    """The involuntary contraction of a result: the ``involuntary_*`` and ``ended_by``
    fields of :class:`Metrics` (see there for each definition).

    Parameters
    ----------
    res : Result
        A simulation result.

    Returns
    -------
    dict
        ``involuntary_peak_force``, ``involuntary_mean_force``, ``involuntary_onset_s``,
        ``involuntary_duration_s``, ``involuntary_end_s``, ``ended_by``,
        ``involuntary_units``, ``involuntary_rate_hz``, ``involuntary_cv_isi``.
    """
    out: dict[str, float | int | str] = {
        "involuntary_peak_force": math.nan, "involuntary_mean_force": math.nan,
        "involuntary_onset_s": math.nan, "involuntary_duration_s": 0.0,
        "involuntary_end_s": math.nan, "ended_by": ENDED_NONE, "involuntary_units": 0,
        "involuntary_rate_hz": math.nan, "involuntary_cv_isi": math.nan,
    }  # fmt: skip
    t = np.asarray(res.time, dtype=float)
    if t.size == 0:
        return out
    trig = trigger_window(res.scenario)
    if trig is None:
        ref = search_from = 0.0
    elif not math.isfinite(trig[1]):
        return out  # the trigger lasts the run: nothing after it to measure
    else:
        ref, search_from = trig[1], trig[1] + RELAXATION_S
    f = np.asarray(res.active_force, dtype=float)
    above = f > ACTIVE_FORCE_THRESHOLD
    window = t >= search_from
    st = spike_statistics(res.spike_times, search_from, math.inf)
    out["involuntary_peak_force"] = float(f[window].max(initial=0.0))
    hits = np.flatnonzero(above & window)
    dt = float(t[1] - t[0]) if t.size > 1 else 0.0
    firing = sum(bool(np.any(np.asarray(a) >= search_from)) for a in res.muscle_ap_times)
    if hits.size * dt < INVOLUNTARY_MIN_S or firing < FIRING_MIN_UNITS:
        out["involuntary_peak_force"] = 0.0
        return out
    # Onset: back from the first involuntary sample of the first sustained stretch (single
    # twitches before it do not start the contraction) to where that stretch of force
    # above threshold began, but not before the trigger ended.
    runs = _sustained_runs(above & window, INVOLUNTARY_MIN_S / dt if dt > 0 else 1.0)
    k0 = int(runs[0][0]) if runs.size else int(hits[0])
    while k0 > 0 and above[k0 - 1] and t[k0 - 1] >= ref:
        k0 -= 1
    onset_abs = float(t[k0])
    last = int(runs[-1][1]) - 1 if runs.size else int(hits[-1])
    running = last == t.size - 1
    end_abs = float(t[-1]) if running else float(t[last + 1])
    ended_by = ENDED_RUNNING if running else ENDED_ITSELF
    if not running:
        during = [iv for iv in res.scenario.interventions if onset_abs <= iv.at_s <= end_abs]
        if during:
            ended_by = max(during, key=lambda iv: iv.at_s).kind
        st = spike_statistics(res.spike_times, search_from, end_abs)
    sel = above & window & (t <= end_abs)
    out.update(
        involuntary_mean_force=float(f[sel].mean()),
        involuntary_onset_s=onset_abs - ref,
        involuntary_duration_s=end_abs - onset_abs,
        involuntary_end_s=math.nan if running else end_abs,
        ended_by=ended_by,
        involuntary_units=int(st["units"]),
        involuntary_rate_hz=st["mean_rate_hz"],
        involuntary_cv_isi=st["cv_isi"],
    )
    return out


def _sustained_runs(on: np.ndarray, min_samples: float) -> np.ndarray:
    """(start, stop) index pairs, shape (n, 2), of the runs of ``on`` at least
    ``min_samples`` long. Before and after a contraction, single twitches of fasciculating
    units lift force above the threshold for a few tens of ms: they neither start nor
    prolong it."""
    edges = np.diff(np.concatenate(([0], on.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    keep = ends - starts >= min_samples
    return np.stack([starts[keep], ends[keep]], axis=1)


#: How each metric is shown (command line, CSV header): (unit, scale, format). Force
#: fractions are shown in % of maximal force; unlisted fields print unscaled.
METRIC_UNITS: dict[str, tuple[str, float, str]] = {
    "peak_force": ("% of max", 100.0, ".1f"),
    "onset_s": ("s", 1.0, ".3f"),
    "time_to_peak_s": ("s", 1.0, ".3f"),
    "duration_s": ("s", 1.0, ".3f"),
    "mean_force": ("% of max", 100.0, ".1f"),
    "active_units": ("units", 1.0, "d"),
    "total_spikes": ("spikes", 1.0, "d"),
    "mean_rate_hz": ("Hz", 1.0, ".1f"),
    "peak_rate_hz": ("Hz", 1.0, ".1f"),
    "cv_isi": ("", 1.0, ".2f"),
    "doublet_fraction": ("% of ISIs", 100.0, ".1f"),
    "emg_rms_mV": ("mV", 1.0, ".3f"),
    "emg_median_hz": ("Hz", 1.0, ".0f"),
    "metabolite_end_mM": ("mM Pi", 1.0, ".1f"),
    "rise_time_s": ("s", 1.0, ".3f"),
    "decay_s": ("s", 1.0, ".3f"),
    "sustained_after_drive_s": ("s", 1.0, ".2f"),
    "mean_burst_spikes": ("spikes per burst", 1.0, ".2f"),
    "multiplet_fraction": ("% of bursts >= 3 spikes", 100.0, ".1f"),
    "intraburst_isi_ms": ("ms", 1.0, ".1f"),
    "involuntary_peak_force": ("% of max", 100.0, ".1f"),
    "involuntary_mean_force": ("% of max", 100.0, ".1f"),
    "involuntary_onset_s": ("s", 1.0, ".2f"),
    "involuntary_duration_s": ("s", 1.0, ".2f"),
    "involuntary_end_s": ("s", 1.0, ".2f"),
    "ended_by": ("", 1.0, "s"),
    "involuntary_units": ("units", 1.0, "d"),
    "involuntary_rate_hz": ("Hz", 1.0, ".1f"),
    "involuntary_cv_isi": ("", 1.0, ".2f"),
}


def _format_metric(value: object, scale: float, fmt: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if fmt == "d":
        return str(int(value))
    return format(value * scale, fmt)


def metric_lines(m: Metrics) -> list[str]:
    """Metrics as aligned ``name  value  unit`` lines (force in % of maximal, times in s,
    rates in Hz; :data:`METRIC_UNITS`), as the command line and the CSV header show them.
    """
    rows = []
    for name, value in m.as_dict().items():
        unit, scale, fmt = METRIC_UNITS.get(name, ("", 1.0, "g"))
        rows.append((name, _format_metric(value, scale, fmt), unit))
    w_name = max(len(r[0]) for r in rows)
    w_val = max(len(r[1]) for r in rows)
    return [f"{n:<{w_name}}  {v:>{w_val}}  {u}".rstrip() for n, v, u in rows]


def describe_end(m: Metrics) -> str:
    """How the involuntary contraction ended, in words: "ended by itself at 34.2 s",
    "stopped by stretch at 12.0 s", "still running at end of run" or "none"."""
    if m.ended_by == ENDED_NONE:
        return "none"
    if m.ended_by == ENDED_RUNNING:
        return "still running at end of run"
    if m.ended_by == ENDED_ITSELF:
        return f"ended by itself at {m.involuntary_end_s:.1f} s"
    return f"stopped by {m.ended_by} at {m.involuntary_end_s:.1f} s"


def summary_rows(res: Result) -> list[tuple[str, str]]:
    """The key numbers of a result as (name, text) rows, for the comparison figure's box
    and the command line's summary: one wording, from the result's one :class:`Metrics`
    (``Result.metrics()``, computed once and kept).

    Parameters
    ----------
    res : Result
        A simulation result.

    Returns
    -------
    list of (str, str)
        Peak force; for an involuntary contraction its peak, onset, duration, end, the
        units firing in it and their rate and ISI CV; otherwise the active motor neurons,
        mean rate and ISI CV of the whole run.
    """

    def f(x: float, spec: str) -> str:
        return "–" if math.isnan(x) else format(x, spec)

    m = res.metrics()
    n_units = len(res.spike_times)
    rows = [("peak force", f"{f(100.0 * m.peak_force, '.1f')} %")]
    if m.ended_by == ENDED_NONE:
        return [
            *rows,
            ("active MNs", f"{m.active_units}/{n_units}"),
            ("mean rate", f"{f(m.mean_rate_hz, '.1f')} Hz"),
            ("ISI CV", f(m.cv_isi, ".2f")),
        ]
    bound = "≥ " if m.ended_by == ENDED_RUNNING else ""
    return [
        *rows,
        ("involuntary peak", f"{f(100.0 * m.involuntary_peak_force, '.1f')} %"),
        ("onset", f"{f(m.involuntary_onset_s, '.1f')} s "
                  + ("after trigger" if trigger_window(res.scenario) else "into run")),
        ("duration", f"{bound}{f(m.involuntary_duration_s, '.1f')} s"),
        ("end", describe_end(m)),
        ("units firing", f"{m.involuntary_units}/{n_units}"),
        ("mean rate", f"{f(m.involuntary_rate_hz, '.1f')} Hz"),
        ("ISI CV", f(m.involuntary_cv_isi, ".2f")),
    ]  # fmt: skip


def sustained_after_drive_s(res: Result) -> float:
    """How long motor-neuron firing outlasts the voluntary drive, s (see ``Metrics``)."""
    dw = drive_window(res.scenario)
    if dw is None or not math.isfinite(dw[1]):
        return math.nan
    end = firing_end_s(res.spike_times)
    return max(0.0, end - dw[1]) if math.isfinite(end) else 0.0


def compute_metrics(res: Result) -> Metrics:
    """Compute :class:`Metrics` for a result (see ``Result.metrics``)."""
    f = res.force
    t = res.time
    above = f > ACTIVE_FORCE_THRESHOLD
    dt = float(t[1] - t[0]) if t.size > 1 else 0.0
    if above.any():
        k0 = int(np.argmax(above))
        onset = float(t[k0])
        k_pk = int(np.argmax(f))
        ttp = float(t[k_pk] - onset)
        duration = float(above.sum() * dt)
        mean_f = float(f[above].mean())
        rise = rise_time_s(t, f)
    else:
        onset = ttp = rise = math.nan
        duration = 0.0
        mean_f = 0.0
    st = spike_statistics(res.spike_times)
    st.pop("units")
    # Statistics of the whole run and of its involuntary part (Any: a mix of types).
    extra: dict[str, Any] = {**st, **involuntary_contraction(res)}
    if above.any():
        on = np.interp(res.emg_time, t, above.astype(float)) > 0.5
    else:
        on = np.ones(res.emg_time.shape, dtype=bool)
    sig = res.emg[on] if on.sum() >= 64 else res.emg
    rms = float(np.sqrt(np.mean(sig**2))) if sig.size else math.nan
    median_f = spectrum_frequencies(sig)[1] if sig.size >= 64 else math.nan
    return Metrics(
        peak_force=float(f.max(initial=0.0)),
        onset_s=onset,
        time_to_peak_s=ttp,
        duration_s=duration,
        mean_force=mean_f,
        active_units=res.active_units,
        total_spikes=int(sum(s.size for s in res.spike_times)),
        emg_rms_mV=rms,
        emg_median_hz=median_f,
        metabolite_end_mM=float(res.metabolite[-1]) if res.metabolite.size else math.nan,
        rise_time_s=rise,
        decay_s=decay_time_s(t, f, cause_end_s(res.scenario)),
        sustained_after_drive_s=sustained_after_drive_s(res),
        **extra,
    )


@dataclass(frozen=True)
class TwitchMetrics:
    """Shape of an isolated twitch.

    Attributes
    ----------
    peak_force : float
        Twitch amplitude, fraction of maximal tetanic force.
    contraction_time_ms : float
        From the stimulus to the force peak, ms (as measured clinically: Buller & Lewis
        1965 time to peak from the stimulus).
    half_relaxation_ms : float
        From the peak to the fall to half of it, ms.
    latency_ms : float
        From the stimulus to 2 % of the peak, ms.
    """

    peak_force: float
    contraction_time_ms: float
    half_relaxation_ms: float
    latency_ms: float


def twitch_metrics(res: Result, stimulus_s: float) -> TwitchMetrics:
    """Measure the twitch that follows a nerve pulse at ``stimulus_s`` seconds."""
    t0 = check_real("stimulus_s", stimulus_s, "s", 0.0, float(res.time[-1]), "stimulus time")
    sel = res.time >= t0
    t = res.time[sel]
    f = res.force[sel] - res.force[sel][0]
    k = int(np.argmax(f))
    pk = float(f[k])
    if pk <= 0:
        raise ValueError("no twitch: force never rose after stimulus_s")
    after = np.flatnonzero(f[k:] <= 0.5 * pk)
    half = float(t[k + after[0]] - t[k]) * 1e3 if after.size else float("nan")
    lat = float(t[np.argmax(f >= 0.02 * pk)] - t0) * 1e3
    return TwitchMetrics(
        peak_force=pk + float(res.force[sel][0]),
        contraction_time_ms=float(t[k] - t0) * 1e3,
        half_relaxation_ms=half,
        latency_ms=lat,
    )


def force_ripple(res: Result, start_s: float, end_s: float) -> float:
    """Peak-to-peak force oscillation relative to mean force in a window (0 = fused)."""
    sel = (res.time >= start_s) & (res.time <= end_s)
    if sel.sum() < 2:
        raise ValueError(f"window [{start_s}, {end_s}] s holds fewer than two samples")
    f = res.force[sel]
    return float((f.max() - f.min()) / f.mean()) if f.mean() > 0 else float("nan")
