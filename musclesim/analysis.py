"""Measurements on results: the numbers a physiologist reads off a force record and EMG.

Every function takes a :class:`~musclesim.Result` and returns numbers; nothing here runs the
model except :func:`force_frequency`, which runs one simulation per frequency.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ._validation import check_real

#: Force above which a muscle counts as contracting, fraction of maximal force.
#: Teaching choice: 2 % of maximal, above the resting tone of this model (~0) and below a
#: single small unit's tetanus.
ACTIVE_FORCE_THRESHOLD = 0.02


@dataclass(frozen=True)
class Metrics:
    """Summary of one result. Times in s, rates in Hz, force as a fraction of maximum.

    Attributes
    ----------
    peak_force : float
        Largest force.
    onset_s : float
        First time force exceeds ``ACTIVE_FORCE_THRESHOLD`` (nan if never).
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
        Mean over active units (≥ 3 spikes) of their discharge rate (inverse mean ISI).
    peak_rate_hz : float
        Largest instantaneous rate (inverse ISI) of any unit, ignoring doublets (< 20 ms).
    cv_isi : float
        Mean over active units of the coefficient of variation of their ISIs.
    doublet_fraction : float
        Fraction of ISIs shorter than 20 ms (doublets; Minetto et al. 2009 use < 20 ms).
    emg_rms_mV : float
        RMS of the synthetic surface EMG while the muscle is active (whole run if never).
    emg_median_hz : float
        Median frequency of the EMG power spectrum over the same samples.
    metabolite_end_mM : float
        Pi (fatigue marker) at the end of the run, mM.
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

    def as_dict(self) -> dict[str, float]:
        """The metrics as a plain dict."""
        return asdict(self)


#: ISIs shorter than this are doublets, s (Minetto et al. 2009; Bawa & Calancie 1983).
DOUBLET_ISI_S = 0.020


def spike_statistics(spike_times: list[np.ndarray]) -> dict[str, float]:
    """Discharge statistics over units with at least three spikes.

    Returns mean rate (Hz), peak instantaneous rate (Hz, doublets excluded), mean ISI CV
    and doublet fraction; nan where no unit qualifies.
    """
    rates, cvs, peak = [], [], 0.0
    n_isi = n_doub = 0
    for s in spike_times:
        if s.size < 3:
            continue
        isi = np.diff(s)
        n_isi += isi.size
        n_doub += int(np.sum(isi < DOUBLET_ISI_S))
        rates.append(1.0 / isi.mean())
        cvs.append(isi.std() / isi.mean())
        normal = isi[isi >= DOUBLET_ISI_S]
        if normal.size:
            peak = max(peak, float(1.0 / normal.min()))
    return {
        "mean_rate_hz": float(np.mean(rates)) if rates else float("nan"),
        "peak_rate_hz": peak if rates else float("nan"),
        "cv_isi": float(np.mean(cvs)) if cvs else float("nan"),
        "doublet_fraction": n_doub / n_isi if n_isi else float("nan"),
    }


def compute_metrics(res) -> Metrics:
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
    else:
        onset = ttp = float("nan")
        duration = 0.0
        mean_f = 0.0
    st = spike_statistics(res.spike_times)
    from .emg import spectrum_frequencies

    if above.any():
        on = np.interp(res.emg_time, t, above.astype(float)) > 0.5
    else:
        on = np.ones(res.emg_time.shape, dtype=bool)
    sig = res.emg[on] if on.sum() >= 64 else res.emg
    rms = float(np.sqrt(np.mean(sig**2))) if sig.size else float("nan")
    median_f = spectrum_frequencies(sig)[1] if sig.size >= 64 else float("nan")
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
        metabolite_end_mM=float(res.metabolite[-1]) if res.metabolite.size else float("nan"),
        **st,
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


def twitch_metrics(res, stimulus_s: float) -> TwitchMetrics:
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


def force_ripple(res, start_s: float, end_s: float) -> float:
    """Peak-to-peak force oscillation relative to mean force in a window (0 = fused)."""
    sel = (res.time >= start_s) & (res.time <= end_s)
    if sel.sum() < 2:
        raise ValueError(f"window [{start_s}, {end_s}] s holds fewer than two samples")
    f = res.force[sel]
    return float((f.max() - f.min()) / f.mean()) if f.mean() > 0 else float("nan")
