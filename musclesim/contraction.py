"""Excitation–contraction coupling, cross-bridges and metabolic fatigue of a muscle fibre.

Each muscle action potential opens the ryanodine receptors of the sarcoplasmic reticulum
(SR) briefly (fewer of them while Ca²⁺ from earlier action potentials is still high:
Ca-dependent inactivation); Ca²⁺ floods the myoplasm, binds troponin (regulatory sites)
and parvalbumin, is pumped back by SERCA, and Ca-troponin lets cross-bridges attach.
Force is the attached fraction relative to its maximal (tetanic) value, lowered by
inorganic phosphate (Pi) that accumulates with cross-bridge cycling. Twitch, summation
and fused tetanus are not drawn: they emerge from these equations.

State of one fibre (or one motor unit's fibres, all alike):

==========  ========================================================  =====
name        meaning                                                   unit
==========  ========================================================  =====
``rel``     open fraction of SR release channels (+ k/(k+Ca) per AP)     1
``ca``      free myoplasmic Ca²⁺                                      µM
``ca_sr``   SR Ca²⁺, referred to myoplasmic volume                    µM
``trop``    Ca-bound troponin regulatory sites                        µM
``parv``    Ca-bound parvalbumin sites                                µM
``xb_pre``  attached, pre-power-stroke (non-force) cross-bridges       1
``xb``      attached, force-generating (post-power-stroke) fraction   1
``pi``      myoplasmic inorganic phosphate (fatigue metabolite)       mM
==========  ========================================================  =====

The functions here are pure and compiled with numba so that the fixed-step engine and the
scipy reference path evaluate the very same right-hand side.

References
----------
* Baylor SM, Hollingworth S (2003) J Physiol 551:125–138 (Ca release and buffering in fast
  and slow mammalian fibres).
* Baylor SM, Hollingworth S (2007) J Gen Physiol 130:283–302 (troponin, parvalbumin, SERCA
  rate constants).
* Shorten PR, O'Callaghan P, Davidson JB, Soboleva TK (2007) J Muscle Res Cell Motil
  28:293–313 (a model of E–C coupling, cross-bridges and fatigue in mammalian fibres).
* Razumova MV, Bukatina AE, Campbell KB (1999) Biophys J 77:1379–1393 (cooperative
  cross-bridge activation).
* Allen DG, Lamb GD, Westerblad H (2008) Physiol Rev 88:287–332 (Pi and fatigue).
* Fuglevand AJ, Winter DA, Patla AE (1993) J Neurophysiol 70:2470–2488.
* Thomas CK, Bigland-Ritchie B, Johansson RS (1991) J Neurophysiol 65:1509–1516
  (force–frequency relationships of human thenar motor units).
* Merton PA (1954) J Physiol 123:553–564; Bigland B, Lippold OCJ (1954) J Physiol
  125:322–335 (maximal voluntary force equals maximal tetanic force).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
from numba import njit

from ._validation import check_real

#: Pi (mM above rest) at the start of a run with fatigue 1: a muscle that has worked hard
#: (Allen et al. 2008: Pi reaches ~20–30 mM in fatigue; teaching choice 15 mM).
PI_PER_FATIGUE_MM = 15.0

#: State variables of one fibre, in the order the functions here read them (the engine's
#: state layout is built from this declaration). Units in the names; see the module table.
STATE = ("rel", "ca_uM", "ca_sr_uM", "trop_uM", "parv_uM", "xb_pre", "xb", "pi_mM")


#: Each FibreParams field may lie within this factor of its default (see __post_init__).
FIBRE_RANGE_FACTOR = 30.0
#: Fields whose upper bound is a smaller multiple of the default, and why. SR Ca content:
#: with the calf fibre's release (7.5 % per AP) 30× the default (75 mM) releases ~5.6 mM
#: per action potential and drives free Ca negative within the engine's 0.1-ms fibre step;
#: 10× (25 mM, ten times the largest content measured in rat fibres, Fryer & Stephenson
#: 1996) runs in 50- and 100-Hz trains.
_NARROWER_HI = {"ca_sr_total_uM": 10.0}


#: SERCA half-saturation of a unit ``speed`` times faster than the slowest:
#: ×speed**1.32, from the type I fibre's 0.4 µM to the type II fibre's 1 µM at speed 2
#: (2**1.32 = 2.5; see FibreParams.serca_km_uM). Teaching choice: units in between are
#: interpolated on the same logarithmic scale as their other rates.
SERCA_KM_SPEED_EXPONENT = 1.32

#: FibreParams fields for which 0 means "this mechanism off" (no Pi effect, no Pi made,
#: no parvalbumin): allowed.
_MAY_BE_ZERO = ("pi_force_max_loss", "pi_release_max_loss", "pi_per_xb_mM_ms",
                "parv_total_uM")  # fmt: skip


def _unit_of(name: str) -> str:
    """The unit a FibreParams field's name ends in (for messages)."""
    units = (("_per_uM_ms", "1/(µM·ms)"), ("_uM_ms", "µM/ms"), ("_mM_ms", "mM/ms"),
             ("_per_ms", "1/ms"), ("_ms", "ms"), ("_uM", "µM"), ("_mM", "mM"))  # fmt: skip
    for suffix, unit in units:
        if name.endswith(suffix):
            return unit
    return ""


@dataclass(frozen=True)
class FibreParams:
    """E–C coupling and cross-bridge parameters of one fibre type.

    The defaults describe the slowest (type I, soleus-like) fibre of a human calf
    (triceps surae) pool; the pool makes its faster units with :meth:`with_speed` (up to
    2× faster, :attr:`musclesim.PoolParams.contraction_time_range`). Rates are at body
    temperature. The per-type values, with their sources, are tabulated in
    ``docs/fibre_types.md`` (a test keeps that table equal to these defaults).

    Targets the values were calibrated to, together, with the default 100-unit pool
    (a search over release, SERCA, cross-bridge rates and k50; measured values from
    ``tests/validation/test_contraction_published.py``):

    * whole-pool supramaximal twitch of the human triceps surae: contraction time
      112 ± 11 ms, half-relaxation 100 ± 14 ms (Sale et al. 1982, J Appl Physiol
      52:1636); measured 93 and 123 ms;
    * slowest unit like the human soleus, 157 ± 15 ms (Vandervoort & McComas 1983);
      measured ~142 ms;
    * free-Ca twitch peak 9.4 µM (slow) and 18.5 µM (fast) with half-durations 7.7 and
      4.9 ms in mouse fibres at 16 °C (Baylor & Hollingworth 2003, J Physiol 551:125),
      amplitude kept and time course shortened by Q10 = 2 over 16 → 37 °C (×4.3: 1.8 and
      1.1 ms); measured 9.4 / 18.8 µM and 1.8 / 1.35 ms;
    * late decay of the slow fibre's free-Ca twitch transient (second time constant of a
      two-exponential fit over 100 ms): type I mouse fibres 52.5 ± 16.2 ms (SD) at room
      temperature (Calderón, Bolaños & Caputo 2010, J Physiol 588:267), 7.6–29.9 ms at
      37 °C with a Q10 of 2–2.5; measured 26 ms (set by the SERCA affinity below);
    * tetanus:twitch 3–8, half-maximal force at 12 ± 4 Hz in human motor units (Thomas,
      Bigland-Ritchie & Johansson 1991) and a 50-Hz train near the 100-Hz force (Merton
      1954); measured 4.6, ~12 Hz and 0.97.

    The isolated-fibre values of the sources are measured in mouse at 16–22 °C without the
    series elasticity of a whole muscle; the slow cross-bridge rates below also stand for
    that elasticity.

    Attributes
    ----------
    tau_release_ms : float
        Closing time constant of SR release after an action potential, ms, slow fibre.
        Calibrated to 0.8 ms for the free-Ca half-duration above (Baylor & Hollingworth
        2003: release-flux half-width ~1.6 ms at 16 °C, ~0.4 ms after the Q10-2
        correction; the model's single exponential stands for release and its spread).
    release_fraction : float
        Fraction of SR Ca released per action potential at rest (no fatigue), slow fibre.
        Calibrated to 0.075 (~190 µM of 2500 µM) for the slow-fibre free-Ca peak of
        9.4 µM (Baylor & Hollingworth 2003).
    ca_sr_total_uM : float
        Total releasable SR Ca referred to myoplasmic volume, µM. 2500 µM (Fryer &
        Stephenson 1996 measured 1–2.5 mM total SR Ca in rat fibres; upper end, teaching
        choice).
    serca_vmax_uM_ms : float
        Maximal SERCA uptake rate, µM/ms, of the slow fibre (faster units: ×speed).
        Calibrated to 3.0 with the cross-bridge rates for the force–frequency targets
        above: Ca from one AP is not all removed when the next arrives at 10–30 Hz, so
        force summates. Below the 4.9 µM/ms of mouse fast fibres at 16 °C (Baylor &
        Hollingworth 2007); human slow fibres have less SERCA than mouse fast ones.
    serca_km_uM : float
        SERCA half-saturation, µM, of the slow fibre (faster units: ×speed^1.32, so the
        fastest unit of the default pool, speed 2, has 1 µM, the value of Baylor &
        Hollingworth 2007 fitted to mouse fast fibres). Type I fibres pump with SERCA2a,
        the cardiac isoform, type II fibres with SERCA1a (Schiaffino & Reggiani 2011,
        Physiol Rev 91:1447). Slow fibre: 0.4 µM, a teaching choice between the SERCA2a
        forward affinity of the ventricular-myocyte model of Shannon, Wang, Puglisi, Weber
        & Bers 2004 (Biophys J 87:3351; 0.246 µM, Hill 1.787) and the 1 µM above;
        calibrated for the late decay of the slow fibre's Ca transient (type I,
        Calderón et al. 2010: measured 26 ms in 7.6–29.9 ms; 49 ms with 1 µM, and no
        SERCA Vmax brings it into range: ×5 still gives 38 ms). The tail's free Ca lies
        below 1 µM, where uptake grows as (Ca/Km)²: affinity, not pump capacity, sets
        it. 0.25 µM would give 21 ms, but its steep uptake near 0.1–0.3 µM is more than
        the engine's 0.1-ms first-order fibre step follows within the 1 %-of-maximal-force
        agreement with the reference solver (tests/test_engine.py: 1.1–1.3 %; 0.4 µM:
        0.5 %). Measured apparent affinities of human muscle SERCA in homogenate are lower
        (pCa50 5.85, ≈1.4 µM, lowered by sarcolipin and phospholamban; Fajardo et al.
        2013, PLoS One 8:e84304). One Km of 0.4 µM for every unit would also shorten the
        fast units' tails and the whole-pool twitch (contraction time 85–88 ms with 0.4 µM
        everywhere, below the calf's 90–130 ms).
    ca_rest_uM : float
        Resting free Ca, µM (0.05 µM; Baylor & Hollingworth 2003 estimate 0.05–0.1 µM).
        The SR leak is set so that this is the steady state.
    trop_total_uM, trop_kon_per_uM_ms, trop_koff_per_ms : float
        Troponin regulatory Ca sites and their rate constants: 240 µM (two sites × 120 µM),
        0.0885 µM⁻¹ms⁻¹ and 0.115 ms⁻¹ (Baylor & Hollingworth 2007).
    parv_total_uM, parv_kon_per_uM_ms, parv_koff_per_ms : float
        Parvalbumin Ca sites and effective rates. Human limb muscle has very little
        parvalbumin (Füchtbauer et al. 1991); teaching choice 100 µM sites with the slow
        effective on-rate 0.0417 µM⁻¹ms⁻¹ and off-rate 0.0005 ms⁻¹ of Baylor & Hollingworth
        2007 (the on-rate is limited by Mg²⁺ leaving the site).
    xb_attach_per_ms, xb_detach_pre_per_ms, xb_stroke_per_ms, xb_detach_per_ms : float
        Three-state cross-bridge cycle after Razumova et al. (1999): detached →
        attached pre-power-stroke (rate ``attach × activation``; back at ``detach_pre``) →
        force-generating (``stroke``) → detached (``detach``), ms⁻¹. The two-step
        attachment gives force its sigmoidal delay behind Ca. Calibrated (0.00875,
        0.0035, 0.0042, 0.0085) to the calf twitch times above; slower than
        isolated-fibre rates because they also stand for the series elasticity (a long,
        compliant Achilles tendon) that a whole-muscle twitch must stretch.
    xb_hill, xb_k50 : float
        Cooperativity (Hill coefficient) and half-activating fraction of Ca-bound troponin
        for thin-filament activation. Hill 4: force–pCa curves of skinned mammalian fibres
        have Hill coefficients ≈ 3–5 (Razumova et al. 1999 model n ≈ 3–4); k50 0.57
        calibrated (with the release per AP it sets how much of a tetanus one twitch
        reaches: tetanus:twitch 4.6 and the force–frequency half point ~12 Hz above; the
        slow fibre's high-affinity SERCA makes its active state brief, and k50 sets how
        much force that brief activation gives).
    pi_rest_mM : float
        Resting myoplasmic Pi, mM (≈3 mM; Allen, Lamb & Westerblad 2008).
    pi_per_xb_mM_ms : float
        Pi production per unit force-generating fraction, mM/ms. Teaching choice 0.0039:
        with ~26 % of bridges attached in a maximal tetanus, Pi rises by ~1 mM/s, so a
        maximal contraction held ~30 s brings it to ~20–25 mM (Allen et al. 2008: up to
        ~30 mM in fatigue).
    tau_pi_recovery_ms : float
        Pi recovery time constant at rest, ms. 40 s (PCr resynthesis after exercise has a
        time constant of ~30–60 s; Quistorff et al. 1993).
    pi_force_k_mM : float, pi_force_max_loss : float
        Force loss by Pi: ``1 − loss·ΔPi/(ΔPi + k)``; 10 mM and 0.5 (a rise to ~30 mM cuts
        force by ~25–35 %, Allen et al. 2008; teaching choice).
    pi_release_k_mM : float, pi_release_max_loss : float
        Release loss by Ca-Pi precipitation in the SR (Allen & Westerblad 2001): same form,
        20 mM and 0.5 (teaching choice).
    release_inactivation_k_uM : float
        Ca-dependent inactivation of SR release, µM: an action potential opens the
        fraction ``k/(k + Ca)`` of the release channels, where Ca is the free Ca when it
        arrives (:func:`release_availability`). Ca released by earlier action potentials
        inactivates the ryanodine receptors (Schneider & Simon 1988, J Physiol 405:727, in
        frog fibres), so release per AP falls in a fast train and free Ca stays of the order
        of a twitch's peak (Baylor & Hollingworth 2003: 9.4 µM in slow and 18.5 µM in fast
        mouse fibres at 16 °C) instead of piling up. Calibrated to 2 µM: the 100-unit
        pool's free Ca in a 50-Hz train then peaks at ~26 µM (test bound < 30 µM); the site
        sees Ca near the open channel, far above the spatial mean the model tracks, so its
        constant in terms of that mean is not a measured number. A very large value (up
        to 10⁶) turns inactivation off.
    """

    tau_release_ms: float = 0.8
    release_fraction: float = 0.075
    ca_sr_total_uM: float = 2500.0
    serca_vmax_uM_ms: float = 3.0
    serca_km_uM: float = 0.4
    ca_rest_uM: float = 0.05
    trop_total_uM: float = 240.0
    trop_kon_per_uM_ms: float = 0.0885
    trop_koff_per_ms: float = 0.115
    parv_total_uM: float = 100.0
    parv_kon_per_uM_ms: float = 0.0417
    parv_koff_per_ms: float = 0.0005
    xb_attach_per_ms: float = 0.00875
    xb_detach_pre_per_ms: float = 0.0035
    xb_stroke_per_ms: float = 0.0042
    xb_detach_per_ms: float = 0.0085
    xb_hill: float = 4.0
    xb_k50: float = 0.57
    pi_rest_mM: float = 3.0
    pi_per_xb_mM_ms: float = 0.0039
    tau_pi_recovery_ms: float = 40000.0
    pi_force_k_mM: float = 10.0
    pi_force_max_loss: float = 0.5
    pi_release_k_mM: float = 20.0
    pi_release_max_loss: float = 0.5
    release_inactivation_k_uM: float = 2.0

    def __post_init__(self) -> None:
        # Each field within a factor of FIBRE_RANGE_FACTOR of its default (the model was
        # fitted near the defaults; a factor of 30 either way spans fibre types, species and
        # temperatures); fractions at most 1. Every end and middle of these ranges was run
        # (one field at a time, 3-unit pool, 50-Hz train; also 300× for the rates that
        # with_speed scales). Far outside them the equations stop being finite: k50 → 0
        # (activation 0/0), a release or buffer constant of 1e-300 (Ca overflow).
        for f in fields(self):
            default = float(f.default)  # type: ignore[arg-type]
            lo, hi = default / FIBRE_RANGE_FACTOR, default * FIBRE_RANGE_FACTOR
            if f.name.endswith(("fraction", "max_loss", "k50")):
                hi = 1.0
            if f.name in _MAY_BE_ZERO:
                lo = 0.0
            if f.name == "release_inactivation_k_uM":
                hi = 1e6  # a very large value turns inactivation off (documented above)
            hi = min(hi, default * _NARROWER_HI.get(f.name, math.inf))
            check_real(f.name, getattr(self, f.name), _unit_of(f.name), float(f"{lo:.3g}"),
                       float(f"{hi:.3g}"), "FibreParams")  # fmt: skip

    def as_array(self) -> np.ndarray:
        """Parameters in the order the compiled functions read them."""
        return np.array([getattr(self, f.name) for f in fields(self)], dtype=np.float64)

    def with_speed(self, speed: float) -> FibreParams:
        """A fibre whose Ca handling and cross-bridge rates are ``speed`` times faster.

        Slow (type I) and fast (type II) fibres differ mostly in SERCA isoform and density,
        myosin isoform and parvalbumin (Schiaffino & Reggiani 2011); scaling the uptake,
        cross-bridge and release rates together keeps the twitch shape and moves its time
        course, as in Fuglevand et al. (1993) where contraction time alone varies.
        Release is also faster and larger, and the SERCA half-saturation higher (below).
        """
        check_real("speed", speed, "", 0.1, 10.0, "fibre speed factor")
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["serca_vmax_uM_ms"] *= speed
        # Fast fibres pump with SERCA1a, slow ones with SERCA2a: each gets the
        # half-saturation of the model it is taken from (FibreParams.serca_km_uM).
        d["serca_km_uM"] *= speed**SERCA_KM_SPEED_EXPONENT
        for name in ("xb_attach_per_ms", "xb_detach_pre_per_ms", "xb_stroke_per_ms",
                     "xb_detach_per_ms"):  # fmt: skip
            d[name] *= speed
        # Release closes faster in fast fibres (Baylor & Hollingworth 2003: release flux
        # briefer in fast than in slow mouse fibres) and releases more Ca per AP (their
        # total release differs about threefold); in the myoplasm, fast fibres' larger
        # buffer capacity makes the free-Ca peak only about twice that of slow fibres.
        # Calibrated: release ×speed^0.3 with closing ×speed^0.75 gives the pool's
        # fastest unit (speed 2) a free-Ca twitch peak of 18.8 µM against 9.4 µM in the
        # slowest (Baylor & Hollingworth 2003: 18.5 and 9.4 µM). Closing faster still
        # would shorten the fast transient further but outruns the engine's 0.1-ms
        # fibre step (tests/test_engine.py agreement bound).
        d["tau_release_ms"] /= speed**0.75
        d["release_fraction"] = min(d["release_fraction"] * speed**0.3, 1.0)
        # Not re-checked against the ranges: a fibre inside them made up to 10× faster or
        # slower may leave them, and those scaled rates were run too (up to 300× the
        # defaults, see __post_init__). Finite by construction.
        out = object.__new__(FibreParams)
        for name, value in d.items():
            object.__setattr__(out, name, float(value))
        return out


# Indices into FibreParams.as_array(), read by the compiled functions; derived from the
# dataclass, so a field added or moved cannot shift them.
_COLUMN = {f.name: k for k, f in enumerate(fields(FibreParams))}
P_TAU_REL = _COLUMN["tau_release_ms"]
P_REL_FRAC = _COLUMN["release_fraction"]
P_SR_TOTAL = _COLUMN["ca_sr_total_uM"]
P_SERCA_V = _COLUMN["serca_vmax_uM_ms"]
P_SERCA_K = _COLUMN["serca_km_uM"]
P_CA_REST = _COLUMN["ca_rest_uM"]
P_TROP_TOT = _COLUMN["trop_total_uM"]
P_TROP_KON = _COLUMN["trop_kon_per_uM_ms"]
P_TROP_KOFF = _COLUMN["trop_koff_per_ms"]
P_PARV_TOT = _COLUMN["parv_total_uM"]
P_PARV_KON = _COLUMN["parv_kon_per_uM_ms"]
P_PARV_KOFF = _COLUMN["parv_koff_per_ms"]
P_XB_F = _COLUMN["xb_attach_per_ms"]
P_XB_G1 = _COLUMN["xb_detach_pre_per_ms"]
P_XB_FP = _COLUMN["xb_stroke_per_ms"]
P_XB_G = _COLUMN["xb_detach_per_ms"]
P_XB_HILL = _COLUMN["xb_hill"]
P_XB_K50 = _COLUMN["xb_k50"]
P_PI_REST = _COLUMN["pi_rest_mM"]
P_PI_RATE = _COLUMN["pi_per_xb_mM_ms"]
P_PI_TAU = _COLUMN["tau_pi_recovery_ms"]
P_PI_FORCE_K = _COLUMN["pi_force_k_mM"]
P_PI_FORCE_LOSS = _COLUMN["pi_force_max_loss"]
P_PI_REL_K = _COLUMN["pi_release_k_mM"]
P_PI_REL_LOSS = _COLUMN["pi_release_max_loss"]
P_REL_INACT_K = _COLUMN["release_inactivation_k_uM"]
N_FIBRE_PARAMS = len(fields(FibreParams))
N_FIBRE_STATES = len(STATE)


@njit(cache=True, error_model="numpy", inline="always")
def serca_flux(ca: float, vmax: float, km: float) -> float:
    """SERCA uptake, µM/ms: Hill coefficient 2 (Baylor & Hollingworth 2007)."""
    c2 = ca * ca
    return vmax * c2 / (km * km + c2)


@njit(cache=True, error_model="numpy", inline="always")
def thin_filament_activation(trop: float, trop_total: float, hill: float, k50: float) -> float:
    """Fraction of thin-filament regulatory units switched on by Ca-troponin (Hill)."""
    theta = trop / trop_total
    if theta <= 0.0:
        return 0.0
    # (theta/k50)^hill: one power instead of two per call (the hot loop calls this).
    r = theta / k50
    if hill == 4.0:  # the default: two multiplications instead of a libm pow call
        r = r * r
        r = r * r
    else:
        r = r**hill
    return r / (r + 1.0)


@njit(cache=True, error_model="numpy", inline="always")
def pi_loss(pi: float, pi_rest: float, k: float, max_loss: float) -> float:
    """Multiplicative loss factor (≤ 1) caused by Pi above its resting level."""
    d = pi - pi_rest
    if d <= 0.0:
        return 1.0
    return 1.0 - max_loss * d / (d + k)


@njit(cache=True, error_model="numpy", inline="always")
def release_availability(ca: float, k_inact: float) -> float:
    """Fraction of the SR release channels an action potential opens at free Ca ``ca``.

    ``k/(k + Ca)``: ≈1 at rest (0.99 at 0.05 µM), lower while Ca from earlier action
    potentials is still high (Ca-dependent inactivation;
    :attr:`FibreParams.release_inactivation_k_uM`).
    """
    return k_inact / (k_inact + ca)


@njit(cache=True, error_model="numpy")
def open_release_channels(s: np.ndarray, par: np.ndarray) -> None:
    """A muscle action potential: open the available SR release channels (in place).

    Adds :func:`release_availability` at the present free Ca to the open fraction ``rel``.
    """
    s[0] += release_availability(s[1], par[P_REL_INACT_K])


@njit(cache=True, error_model="numpy", inline="always")
def max_attached_fraction(par: np.ndarray) -> float:
    """Force-generating fraction in a fully activated fibre at steady state.

    With activation 1: ``f·D = (g1 + fp)·A1`` and ``fp·A1 = g·A2`` with ``D + A1 + A2 = 1``.
    """
    f, g1, fp, g = par[P_XB_F], par[P_XB_G1], par[P_XB_FP], par[P_XB_G]
    return 1.0 / ((g1 + fp) * g / (fp * f) + g / fp + 1.0)


@njit(cache=True, error_model="numpy")
def sr_leak_rate(par: np.ndarray) -> float:
    """SR leak rate constant (ms⁻¹) that holds free Ca at its resting value.

    At rest SERCA uptake equals the leak ``k_leak·(Ca_SR − Ca)``; with Ca_SR ≈ its total
    (almost all Ca is in the SR at rest), this fixes ``k_leak``.
    """
    up = serca_flux(par[P_CA_REST], par[P_SERCA_V], par[P_SERCA_K])
    return up / (par[P_SR_TOTAL] - par[P_CA_REST])


@njit(cache=True, error_model="numpy", inline="always")
def fibre_rates(s: np.ndarray, par: np.ndarray, k_leak: float) -> tuple:
    """Right-hand side of the fibre ODEs and the stiff diagonal of their Jacobian.

    Parameters
    ----------
    s : ndarray, shape (8,)
        Fibre state in the order of :data:`STATE`.
    par : ndarray
        :meth:`FibreParams.as_array`.
    k_leak : float
        SR leak rate constant from :func:`sr_leak_rate`, ms⁻¹.

    Returns
    -------
    tuple of 16 floats
        The 8 time derivatives (per ms), then the 8 values ``−∂f_i/∂y_i`` (≥ 0, ms⁻¹)
        that the engine's linearly implicit step uses so that fast Ca binding cannot make
        the fixed step unstable. A tuple, not arrays, so that the compiled step keeps them
        in registers and drops the ones it does not need.
    """
    rel, ca, ca_sr, trop, parv, pre, xb, pi = s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
    rel_gain = pi_loss(pi, par[P_PI_REST], par[P_PI_REL_K], par[P_PI_REL_LOSS])
    # Release rate constant chosen so that one AP (rel = 1 decaying with tau) releases
    # release_fraction of the SR content.
    k_rel = par[P_REL_FRAC] / par[P_TAU_REL] * rel * rel_gain
    j_rel = k_rel * ca_sr
    j_up = serca_flux(ca, par[P_SERCA_V], par[P_SERCA_K])
    j_leak = k_leak * (ca_sr - ca)
    free_t = par[P_TROP_TOT] - trop
    free_p = par[P_PARV_TOT] - parv
    j_trop = par[P_TROP_KON] * ca * free_t - par[P_TROP_KOFF] * trop
    j_parv = par[P_PARV_KON] * ca * free_p - par[P_PARV_KOFF] * parv
    act = thin_filament_activation(trop, par[P_TROP_TOT], par[P_XB_HILL], par[P_XB_K50])
    km = par[P_SERCA_K]
    dup = par[P_SERCA_V] * 2.0 * ca * km * km / ((km * km + ca * ca) ** 2)
    return (
        -rel / par[P_TAU_REL],
        j_rel + j_leak - j_up - j_trop - j_parv,
        j_up - j_leak - j_rel,
        j_trop,
        j_parv,
        par[P_XB_F] * act * (1.0 - pre - xb) - (par[P_XB_G1] + par[P_XB_FP]) * pre,
        par[P_XB_FP] * pre - par[P_XB_G] * xb,
        par[P_PI_RATE] * xb - (pi - par[P_PI_REST]) / par[P_PI_TAU],
        1.0 / par[P_TAU_REL],
        par[P_TROP_KON] * free_t + par[P_PARV_KON] * free_p + dup + k_leak,
        k_rel + k_leak,
        par[P_TROP_KON] * ca + par[P_TROP_KOFF],
        par[P_PARV_KON] * ca + par[P_PARV_KOFF],
        par[P_XB_F] * act + par[P_XB_G1] + par[P_XB_FP],
        par[P_XB_G],
        1.0 / par[P_PI_TAU],
    )


@njit(cache=True, error_model="numpy", inline="always")
def fibre_derivatives(
    s: np.ndarray, par: np.ndarray, k_leak: float, dy: np.ndarray, lam: np.ndarray
) -> None:
    """:func:`fibre_rates` written into arrays: ``dy`` (8 time derivatives, per ms) and
    ``lam`` (8 values ``−∂f_i/∂y_i``, ms⁻¹)."""
    r = fibre_rates(s, par, k_leak)
    for k in range(8):
        dy[k] = r[k]
        lam[k] = r[8 + k]


@njit(cache=True, error_model="numpy", inline="always")
def fibre_step(
    s: np.ndarray,
    par: np.ndarray,
    k_leak: float,
    dt: float,
    rel_mean: float,
    rel_keep: float,
) -> None:
    """Advance one fibre by ``dt`` ms in place (the fixed-step engine's fibre update).

    * Release channels close exponentially, so they are advanced exactly
      (``rel_keep = exp(−dt/τ)``) and release uses their mean open fraction over the step
      (``rel_mean = τ/dt·(1 − rel_keep)``): the Ca released per AP does not depend on dt.
    * Free Ca and its buffers (troponin, parvalbumin) exchange Ca at up to ~20 ms⁻¹; they
      take one linearly implicit (Rosenbrock–Euler) step together, solved exactly for
      this arrow-shaped Jacobian, so buffering conserves Ca and stays stable at 0.1 ms.
    * SR Ca changes by exactly what free Ca and its buffers lose or gain (Ca moves only
      between myoplasm and SR), so total Ca is conserved by the step.
    * The slower states (cross-bridges, Pi) take a diagonally implicit step.
    """
    rel = s[0]
    s[0] = rel * rel_mean
    (_, dy1, _, dy3, dy4, dy5, dy6, dy7,
     _, lam1, _, _, _, lam5, lam6, lam7) = fibre_rates(s, par, k_leak)  # fmt: skip
    ca, trop, parv = s[1], s[3], s[4]
    a_t = dt * (par[P_TROP_KON] * ca + par[P_TROP_KOFF])
    a_p = dt * (par[P_PARV_KON] * ca + par[P_PARV_KOFF])
    b_t = dt * par[P_TROP_KON] * (par[P_TROP_TOT] - trop)
    b_p = dt * par[P_PARV_KON] * (par[P_PARV_TOT] - parv)
    # lam1 is the Ca self-decay rate including buffering; remove buffering to keep only
    # SERCA and leak, which the coupled solve does not cover.
    other = (
        lam1
        - par[P_TROP_KON] * (par[P_TROP_TOT] - trop)
        - par[P_PARV_KON] * (par[P_PARV_TOT] - parv)
    )
    rhs = dt * dy1 + a_t * dt * dy3 / (1.0 + a_t) + a_p * dt * dy4 / (1.0 + a_p)
    d_ca = rhs / (1.0 + b_t / (1.0 + a_t) + b_p / (1.0 + a_p) + dt * other)
    d_trop = (dt * dy3 + b_t * d_ca) / (1.0 + a_t)
    d_parv = (dt * dy4 + b_p * d_ca) / (1.0 + a_p)
    s[1] = ca + d_ca
    s[3] = trop + d_trop
    s[4] = parv + d_parv
    # Ca leaves or enters the myoplasm only through the SR (release, leak, SERCA): the SR
    # gains exactly what free Ca and its buffers lose in this step, so total Ca is kept.
    s[2] -= d_ca + d_trop + d_parv
    s[5] += dt * dy5 / (1.0 + dt * lam5)
    s[6] += dt * dy6 / (1.0 + dt * lam6)
    s[7] += dt * dy7 / (1.0 + dt * lam7)
    s[0] = rel * rel_keep


@njit(cache=True, error_model="numpy", inline="always")
def fibre_force(s: np.ndarray, par: np.ndarray) -> float:
    """Force of the fibre as a fraction of its unfatigued maximal tetanic force."""
    return fibre_force_scaled(s, par, max_attached_fraction(par))


@njit(cache=True, error_model="numpy", inline="always")
def fibre_force_scaled(s: np.ndarray, par: np.ndarray, xb_max: float) -> float:
    """:func:`fibre_force` with ``xb_max = max_attached_fraction(par)`` given (the engine
    computes it once per unit instead of at every fibre step)."""
    f_pi = pi_loss(s[7], par[P_PI_REST], par[P_PI_FORCE_K], par[P_PI_FORCE_LOSS])
    return s[6] / xb_max * f_pi


def fibre_rest_state(par: FibreParams) -> np.ndarray:
    """Steady state of a resting fibre (free Ca at rest, buffers in equilibrium)."""
    ca = par.ca_rest_uM
    trop = (
        par.trop_total_uM
        * par.trop_kon_per_uM_ms
        * ca
        / (par.trop_kon_per_uM_ms * ca + par.trop_koff_per_ms)
    )
    parv = (
        par.parv_total_uM
        * par.parv_kon_per_uM_ms
        * ca
        / (par.parv_kon_per_uM_ms * ca + par.parv_koff_per_ms)
    )
    act = thin_filament_activation(trop, par.trop_total_uM, par.xb_hill, par.xb_k50)
    f = par.xb_attach_per_ms * act
    g1, fp, g = par.xb_detach_pre_per_ms, par.xb_stroke_per_ms, par.xb_detach_per_ms
    xb = 1.0 / ((g1 + fp) * g / (fp * f) + g / fp + 1.0) if f > 0 else 0.0
    pre = g * xb / fp
    pi = par.pi_rest_mM + par.pi_per_xb_mM_ms * xb * par.tau_pi_recovery_ms
    return np.array([0.0, ca, par.ca_sr_total_uM - ca, trop, parv, pre, xb, pi])
