"""Experimental protocols: nerve stimulation and the drive to the motor-neuron pool.

Two kinds of input, as in a physiology lab:

* :class:`Stimulus` — electrical pulses to the motor nerve (the PhysioEx-style skeletal
  muscle experiments). Supramaximal by default: every motor axon fires, whatever the state
  of the motor neurons. ``twitch`` gives one pulse, ``train`` a regular train.
* :class:`Drive` — current into the motor neurons (nA), piecewise linear in time: what a
  microelectrode injects in an experiment, or (the same current to every unit) the common
  excitatory drive behind a voluntary contraction. ``current_step`` and ``ramp`` build one.

All times are in seconds at this public boundary; the engine works in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_real

#: Longest protocol the library accepts, s (one hour: longer runs are not a lesson).
MAX_TIME_S = 3600.0

#: Range of the descending drive, nA. The drive is the effective synaptic current that a
#: small, unsaturated motor neuron receives (Heckman & Binder 1991, J Neurophysiol
#: 65:952, describe pool input this way); each unit's share saturates
#: (:func:`musclesim.neuron.drive_density`). All units of the default pool are recruited
#: by ~5 nA; above that force grows by rate coding, and about 400 nA brings even the
#: largest units near their ceiling (~50 Hz): a maximal voluntary contraction. 500 nA
#: leaves room above that. A negative drive is inhibition, down to −100 nA: a Cl
#: conductance that holds the membrane near E_Cl however strong it is
#: (:func:`musclesim.neuron.drive_split`).
MIN_DRIVE_NA = -100.0
MAX_DRIVE_NA = 500.0


@dataclass(frozen=True)
class Stimulus:
    """Nerve-stimulus pulse times.

    Attributes
    ----------
    times_s : tuple of float
        Pulse times, s, strictly increasing.
    amplitude : float
        Stimulus strength as a fraction of the supramaximal stimulus (0 < amplitude ≤ 1).
        At 1 every axon fires. Below 1 only the axons with the lowest electrical
        threshold fire; large axons have the lowest threshold (reverse of physiological
        recruitment; Henneman 1957, Kimura 2013), so they are recruited first.
    """

    times_s: tuple[float, ...]
    amplitude: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.times_s, tuple):
            raise TypeError(
                f"times_s must be a tuple of floats (s); got {type(self.times_s).__name__}"
            )
        for k, t in enumerate(self.times_s):
            check_real(f"times_s[{k}]", t, "s", 0.0, MAX_TIME_S, "stimulus pulse time")
        _check_order("times_s", self.times_s, strict=True)
        check_real("amplitude", self.amplitude, "× supramaximal", 0.0, 1.0,
                   "stimulus strength", lo_open=True)  # fmt: skip

    def times_ms(self) -> np.ndarray:
        """Pulse times in ms."""
        return np.asarray(self.times_s, dtype=float) * 1000.0


def twitch(at_s: float = 0.1, amplitude: float = 1.0) -> Stimulus:
    """One supramaximal nerve pulse at ``at_s`` seconds: a single twitch.

    Parameters
    ----------
    at_s : float
        Pulse time, s (0–3600).
    amplitude : float
        Fraction of the supramaximal stimulus (0–1].
    """
    check_real("at_s", at_s, "s", 0.0, MAX_TIME_S, "twitch time")
    return Stimulus(times_s=(float(at_s),), amplitude=amplitude)


def train(
    frequency_hz: float, start_s: float = 0.1, duration_s: float = 1.0, amplitude: float = 1.0
) -> Stimulus:
    """A regular train of nerve pulses: summation, unfused or fused tetanus.

    Parameters
    ----------
    frequency_hz : float
        Pulse rate, Hz (0.1–200; the muscle fibre's refractory period makes higher rates
        meaningless).
    start_s : float
        Time of the first pulse, s.
    duration_s : float
        Length of the train, s; pulses at ``start_s + k/frequency_hz`` for times before
        ``start_s + duration_s``.
    amplitude : float
        Fraction of the supramaximal stimulus (0–1].
    """
    f = check_real("frequency_hz", frequency_hz, "Hz", 0.1, 200.0, "stimulus rate")
    t0 = check_real("start_s", start_s, "s", 0.0, MAX_TIME_S, "train start")
    d = check_real("duration_s", duration_s, "s", 0.0, MAX_TIME_S, "train length", lo_open=True)
    n = max(1, int(np.ceil(d * f - 1e-9)))
    times = tuple(round(t0 + k / f, 9) for k in range(n))
    return Stimulus(times_s=times, amplitude=amplitude)


@dataclass(frozen=True)
class Drive:
    """Descending drive to every motor neuron, nA, linear between breakpoints (positive:
    excitatory synaptic current; negative: inhibition, a Cl conductance).

    Attributes
    ----------
    times_s : tuple of float
        Breakpoint times, s, non-decreasing (two equal times make a step).
    current_nA : tuple of float
        Current at each breakpoint, nA (−100 to 500; negative is inhibition, a Cl
        conductance that cannot take the membrane below E_Cl). Before the
        first breakpoint the current is the first value, after the last the last value.
    """

    times_s: tuple[float, ...]
    current_nA: tuple[float, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.times_s, tuple) or not isinstance(self.current_nA, tuple):
            raise TypeError(
                f"Drive.times_s (s) and Drive.current_nA (nA) must be tuples of floats; got "
                f"{type(self.times_s).__name__} and {type(self.current_nA).__name__}"
            )
        if len(self.times_s) != len(self.current_nA) or not self.times_s:
            raise ValueError(
                f"Drive needs as many currents as times (got {len(self.times_s)} times, "
                f"{len(self.current_nA)} currents), at least one"
            )
        for k, t in enumerate(self.times_s):
            check_real(f"times_s[{k}]", t, "s", 0.0, MAX_TIME_S, "drive breakpoint")
        for k, c in enumerate(self.current_nA):
            check_real(f"current_nA[{k}]", c, "nA", MIN_DRIVE_NA, MAX_DRIVE_NA, "drive current")
        _check_order("Drive.times_s", self.times_s, strict=False)

    def sample(self, t_ms: np.ndarray) -> np.ndarray:
        """Current (nA) at times ``t_ms`` (ms); at a step (two equal times) the later value."""
        return _sample_piecewise(self.times_s, self.current_nA, t_ms)


def _check_order(name: str, times_s: tuple[float, ...], *, strict: bool) -> None:
    """Raise ValueError naming the first pair of ``times_s`` out of order."""
    for k in range(len(times_s) - 1):
        a, b = times_s[k], times_s[k + 1]
        if b < a or (strict and b == a):
            rule = "strictly increasing" if strict else "non-decreasing"
            raise ValueError(
                f"{name} must be {rule} (s); {name}[{k}] = {a!r} s is followed by "
                f"{name}[{k + 1}] = {b!r} s"
            )


def _sample_piecewise(
    times_s: tuple[float, ...], values: tuple[float, ...], t_ms: np.ndarray
) -> np.ndarray:
    """Piecewise-linear protocol at ``t_ms``; two equal times make a step (later value)."""
    ts = np.asarray(times_s, dtype=float) * 1000.0
    cs = np.asarray(values, dtype=float)
    t = np.asarray(t_ms, dtype=float)
    # Last breakpoint at or before t; with side="right" equal times resolve to the later.
    k = np.searchsorted(ts, t, side="right") - 1
    out = np.where(k < 0, cs[0], cs[np.clip(k, 0, len(cs) - 1)])
    inside = (k >= 0) & (k < len(ts) - 1)
    ki = k[inside]
    frac = (t[inside] - ts[ki]) / (ts[ki + 1] - ts[ki])
    out[inside] = cs[ki] + frac * (cs[ki + 1] - cs[ki])
    return out


@dataclass(frozen=True)
class Length:
    """Muscle length, in optimal lengths L0, linear between breakpoints.

    Attributes
    ----------
    times_s : tuple of float
        Breakpoint times, s, non-decreasing.
    length_l0 : tuple of float
        Length at each breakpoint, L0 (0.6–1.4; a calf muscle with the ankle plantar-flexed
        (pointed toes, as in bed at night) sits near 0.85 L0).
    """

    times_s: tuple[float, ...]
    length_l0: tuple[float, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.times_s, tuple) or not isinstance(self.length_l0, tuple):
            raise TypeError(
                f"Length.times_s (s) and Length.length_l0 (L0) must be tuples of floats; got "
                f"{type(self.times_s).__name__} and {type(self.length_l0).__name__}"
            )
        if len(self.times_s) != len(self.length_l0) or not self.times_s:
            raise ValueError(
                f"Length needs as many lengths as times (got {len(self.times_s)} times, "
                f"{len(self.length_l0)} lengths), at least one"
            )
        for k, t in enumerate(self.times_s):
            check_real(f"times_s[{k}]", t, "s", 0.0, MAX_TIME_S, "length breakpoint")
        for k, v in enumerate(self.length_l0):
            check_real(f"length_l0[{k}]", v, "L0", 0.6, 1.4, "muscle length")
        _check_order("Length.times_s", self.times_s, strict=False)
        for k in range(len(self.times_s) - 1):
            if (
                self.times_s[k] == self.times_s[k + 1]
                and self.length_l0[k] != self.length_l0[k + 1]
            ):
                raise ValueError(
                    f"a muscle cannot change length in zero time: times_s[{k}] == "
                    f"times_s[{k + 1}] with different lengths"
                )

    def sample(self, t_ms: np.ndarray) -> np.ndarray:
        """Length (L0) at times ``t_ms`` (ms)."""
        return _sample_piecewise(self.times_s, self.length_l0, t_ms)

    def velocity(self, t_ms: np.ndarray) -> np.ndarray:
        """Lengthening velocity (L0/s, positive when stretching) over each ms from ``t_ms``."""
        t = np.asarray(t_ms, dtype=float)
        return (self.sample(t + 1.0) - self.sample(t)) * 1000.0


def hold_length(length_l0: float) -> Length:
    """The muscle held at one length (L0), e.g. 0.85 for a shortened calf."""
    v = check_real("length_l0", length_l0, "L0", 0.6, 1.4, "muscle length")
    return Length(times_s=(0.0,), length_l0=(v,))


def stretch(start_s: float, duration_s: float, to_l0: float, from_l0: float = 1.0) -> Length:
    """A passive stretch: hold ``from_l0``, ramp to ``to_l0`` over ``duration_s``, hold.

    Parameters
    ----------
    start_s : float
        Start of the ramp, s.
    duration_s : float
        Ramp time, s (> 0; shorter is a faster stretch: velocity = Δlength/duration).
    to_l0, from_l0 : float
        Final and initial length, L0 (0.6–1.4).
    """
    t0 = check_real("start_s", start_s, "s", 0.0, MAX_TIME_S, "stretch onset")
    d = check_real("duration_s", duration_s, "s", 0.0, MAX_TIME_S, "stretch ramp time",
                   lo_open=True)  # fmt: skip
    a = check_real("from_l0", from_l0, "L0", 0.6, 1.4, "initial muscle length")
    b = check_real("to_l0", to_l0, "L0", 0.6, 1.4, "final muscle length")
    return Length(times_s=(t0, round(t0 + d, 9)), length_l0=(a, b))


def current_step(amplitude_nA: float, start_s: float, duration_s: float) -> Drive:
    """A rectangular current pulse into every motor neuron.

    Parameters
    ----------
    amplitude_nA : float
        Step amplitude, nA (−100 to 500).
    start_s, duration_s : float
        Onset and length of the step, s.
    """
    a = check_real("amplitude_nA", amplitude_nA, "nA", MIN_DRIVE_NA, MAX_DRIVE_NA,
                   "step current")  # fmt: skip
    t0 = check_real("start_s", start_s, "s", 0.0, MAX_TIME_S, "step onset")
    d = check_real("duration_s", duration_s, "s", 0.0, MAX_TIME_S, "step length", lo_open=True)
    # Round to 1 ns so that 0.1 + 0.2 ends the step at 0.3 s, not 0.30000000000000004 s.
    t1 = round(t0 + d, 9)
    return Drive(times_s=(t0, t0, t1, t1), current_nA=(0.0, a, a, 0.0))


def ramp(peak_nA: float, start_s: float, rise_s: float, hold_s: float = 0.0,
         fall_s: float | None = None) -> Drive:  # fmt: skip
    """A trapezoid of current: rise to ``peak_nA``, hold, fall back to zero.

    Parameters
    ----------
    peak_nA : float
        Peak current, nA (−100 to 500).
    start_s, rise_s, hold_s : float
        Onset, rise time and plateau length, s.
    fall_s : float, optional
        Fall time, s; equal to ``rise_s`` if omitted (a symmetric triangle or trapezoid).
    """
    a = check_real("peak_nA", peak_nA, "nA", MIN_DRIVE_NA, MAX_DRIVE_NA, "ramp peak")
    t0 = check_real("start_s", start_s, "s", 0.0, MAX_TIME_S, "ramp onset")
    r = check_real("rise_s", rise_s, "s", 0.0, MAX_TIME_S, "ramp rise time", lo_open=True)
    h = check_real("hold_s", hold_s, "s", 0.0, MAX_TIME_S, "plateau length")
    f = r if fall_s is None else check_real("fall_s", fall_s, "s", 0.0, MAX_TIME_S,
                                            "ramp fall time", lo_open=True)  # fmt: skip
    ts = tuple(round(x, 9) for x in (t0, t0 + r, t0 + r + h, t0 + r + h + f))
    return Drive(times_s=ts, current_nA=(0.0, a, a, 0.0))
