"""Synthetic surface EMG: what the clinician's electrode sees.

Every muscle action potential of a motor unit adds that unit's motor-unit action potential
(MUAP) to the signal. The MUAP is a first-order Hermite–Rodriguez function,
``A·(t/λ)·exp(−(t/λ)²)``, a biphasic wave used for surface MUAPs by Lo Conte et al. (1994)
and in many EMG simulators. Its amplitude grows with the unit's size (number of fibres)
and its width with slower muscle-fibre conduction, which is what fatigue does: as the
metabolite (Pi, H⁺) rises, conduction velocity falls, MUAPs widen and the EMG spectrum
shifts to lower frequencies (the classic fall of median frequency; Merletti, Knaflitz &
De Luca 1990). Electrode noise is added.

References
----------
* Lo Conte LR, Merletti R, Sandri GV (1994) IEEE Trans Biomed Eng 41:1151–1160.
* Fuglevand AJ, Winter DA, Patla AE, Stashuk D (1992) Biol Cybern 67:143–153.
* Merletti R, Knaflitz M, De Luca CJ (1990) J Appl Physiol 69:1810–1820.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .pool import pool_properties

if TYPE_CHECKING:  # pragma: no cover
    from .scenarios import Scenario

#: Sampling rate of the synthetic EMG, Hz (surface EMG is recorded at 1–4 kHz; its power
#: lies below ~500 Hz, so 4 kHz is ample).
EMG_RATE_HZ = 4000.0
#: MUAP amplitude of the smallest and the largest unit, mV. Teaching choice: surface MUAPs
#: of ~0.02–0.5 mV (Fuglevand et al. 1992 scale amplitude with unit size); here amplitude
#: ∝ √(twitch force), 10× over a 100× force range.
MUAP_SMALLEST_MV = 0.03
#: Hermite–Rodriguez width λ of a fresh MUAP, ms (a surface MUAP lasts ~8–12 ms in total,
#: i.e. λ ≈ 2 ms; teaching choice).
MUAP_WIDTH_MS = 2.0
#: Widening of MUAPs at the maximal metabolite level: conduction velocity falls by ~25–35 %
#: in fatiguing contractions (Merletti et al. 1990), so width grows by up to ~40 %.
MUAP_FATIGUE_WIDENING = 0.4
#: Pi rise (mM above rest) at which the widening is complete (teaching choice: ~25 mM,
#: the rise in severe fatigue; Allen et al. 2008).
PI_FULL_FATIGUE_MM = 25.0
#: Standard deviation of electrode and amplifier noise, mV (teaching choice, ~5 µV).
NOISE_MV = 0.005
#: Number of MUAP widths used to represent the continuous widening (quantisation).
N_WIDTH_BINS = 8


def muap(t_ms: np.ndarray, amplitude_mV: float, width_ms: float) -> np.ndarray:
    """First-order Hermite–Rodriguez MUAP (mV) at times ``t_ms`` relative to its centre."""
    x = np.asarray(t_ms, dtype=float) / width_ms
    return amplitude_mV * x * np.exp(-x * x) * np.sqrt(2.0 * np.e)  # peak = amplitude


def synthesize_emg(
    sc: Scenario,
    muscle_ap_times_s: Sequence[np.ndarray],
    time_s: np.ndarray,
    pi_mM: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Surface EMG from the muscle action potentials of a run.

    Each unit's action potentials become impulses weighted by its MUAP amplitude; impulses
    are grouped by MUAP width (set by the metabolite level at that moment) and each group is
    convolved with its MUAP. Noise comes from the scenario's seed, so results repeat.

    Parameters
    ----------
    sc : Scenario
        The scenario that was run (pool size and parameters, duration, seed).
    muscle_ap_times_s : sequence of ndarray
        Muscle-fibre action-potential times of each unit, s.
    time_s : ndarray
        Sample times of ``pi_mM``, s.
    pi_mM : ndarray
        Myoplasmic inorganic phosphate (the fatigue marker that slows conduction), mM.

    Returns
    -------
    time_s : ndarray
        Sample times of the EMG, s (``EMG_RATE_HZ``).
    emg_mV : ndarray
        The EMG, mV.
    """
    n = round(sc.duration_s * EMG_RATE_HZ)
    t = np.arange(n) / EMG_RATE_HZ
    props = pool_properties(sc.n_units, sc.pool)
    amp = MUAP_SMALLEST_MV * np.sqrt(props.twitch_force)
    pi_rest = sc.fibre.pi_rest_mM
    trains = np.zeros((N_WIDTH_BINS, n))
    met_t = np.asarray(time_s, dtype=float)
    for i, aps in enumerate(muscle_ap_times_s):
        ts = np.asarray(aps, dtype=float)
        if ts.size == 0:
            continue
        k = np.clip(np.rint(ts * EMG_RATE_HZ).astype(int), 0, n - 1)
        if met_t.size:
            pi = np.interp(ts, met_t, pi_mM)
        else:
            pi = np.full(ts.shape, pi_rest)
        fat = np.clip((pi - pi_rest) / PI_FULL_FATIGUE_MM, 0.0, 1.0)
        b = np.minimum((fat * N_WIDTH_BINS).astype(int), N_WIDTH_BINS - 1)
        np.add.at(trains, (b, k), amp[i])
    emg = np.zeros(n)
    half = int(6 * MUAP_WIDTH_MS * (1 + MUAP_FATIGUE_WIDENING) * EMG_RATE_HZ / 1000.0)
    kt = np.arange(-half, half + 1) / EMG_RATE_HZ * 1000.0
    for b in range(N_WIDTH_BINS):
        (k,) = np.nonzero(trains[b])
        if k.size == 0:
            continue
        width = MUAP_WIDTH_MS * (1.0 + MUAP_FATIGUE_WIDENING * (b + 0.5) / N_WIDTH_BINS)
        shape = muap(kt, 1.0, width)
        if k.size * shape.size < 4 * n:
            # Few impulses: add each MUAP where it falls (the same sum as the convolution,
            # without transforming the whole record; ~10x faster for a single unit).
            idx = (k[:, None] - half + np.arange(shape.size)[None, :]).ravel()
            val = (trains[b, k][:, None] * shape[None, :]).ravel()
            keep = (idx >= 0) & (idx < n)
            emg += np.bincount(idx[keep], weights=val[keep], minlength=n)
        else:
            emg += _convolve_same(trains[b], shape)
    rng = np.random.default_rng([sc.seed, 7])  # stream separate from the synaptic noise
    emg += rng.standard_normal(n) * NOISE_MV
    return t, emg


def rms_envelope(emg: np.ndarray, window_s: float = 0.1) -> np.ndarray:
    """Moving RMS of the EMG over ``window_s`` seconds (mV), same length as ``emg``."""
    w = max(1, round(window_s * EMG_RATE_HZ))
    power = np.convolve(np.asarray(emg) ** 2, np.ones(w) / w, mode="same")
    return np.sqrt(power)


# The two signal-processing steps below use scipy.fft directly: importing scipy.signal for
# them would cost ~0.6 s in every process that synthesises an EMG (~0.14 s for scipy.fft).
def _convolve_same(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Convolution of ``x`` with ``kernel`` by FFT, the central ``len(x)`` samples
    (``scipy.signal.fftconvolve(x, kernel, mode="same")``)."""
    from scipy import fft

    n_full = x.size + kernel.size - 1
    n_fft = fft.next_fast_len(n_full, real=True)
    full = fft.irfft(fft.rfft(x, n_fft) * fft.rfft(kernel, n_fft), n_fft)[:n_full]
    start = (kernel.size - 1) // 2
    return full[start : start + x.size]


def _welch(x: np.ndarray, fs: float, nperseg: int) -> tuple[np.ndarray, np.ndarray]:
    """One-sided power spectral density by Welch's method: periodic Hann window, half
    overlap, each segment's mean removed, segments averaged (Welch 1967; the defaults of
    ``scipy.signal.welch``). Returns (frequencies, Hz; density, mV²/Hz)."""
    from scipy import fft

    step = nperseg - nperseg // 2
    starts = np.arange(0, x.size - nperseg + 1, step)
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(nperseg) / nperseg)
    segs = x[starts[:, None] + np.arange(nperseg)[None, :]]
    segs = (segs - segs.mean(axis=1, keepdims=True)) * window
    p = np.abs(fft.rfft(segs, axis=1)) ** 2 / (fs * np.sum(window**2))
    p[:, 1 : None if nperseg % 2 else -1] *= 2.0  # one-sided: all but DC (and Nyquist)
    return fft.rfftfreq(nperseg, 1.0 / fs), p.mean(axis=0)


def spectrum_frequencies(emg: np.ndarray) -> tuple[float, float]:
    """Mean and median frequency (Hz) of the EMG power spectrum (Welch, 0.25-s segments)."""
    x = np.asarray(emg, dtype=float)
    if x.size < 2:
        return float("nan"), float("nan")
    f, p = _welch(x, EMG_RATE_HZ, min(1000, len(x)))
    total = p.sum()
    if total <= 0:
        return float("nan"), float("nan")
    mean_f = float((f * p).sum() / total)
    median_f = float(f[np.searchsorted(np.cumsum(p), 0.5 * total)])
    return mean_f, median_f
