"""The motor-unit pool: how unit properties are distributed by size.

Henneman's size principle: small motor neurons (high input resistance) are recruited first
and innervate few, slow, fatigue-resistant fibres; large ones are recruited last and
innervate many fast fibres. Fuglevand, Winter & Patla (1993) summarised the human data as
exponential distributions over the unit index, which this module follows:

* recruitment threshold range ``RR`` ≈ 30 (here through membrane area: the same current
  depolarises a small cell more);
* peak twitch force range ``RP`` ≈ 100;
* contraction time range ``RT``: 3 in Fuglevand's hand-muscle pool (90 → 30 ms); here 2,
  for a calf (soleus-like ~160 ms → gastrocnemius-like ~80 ms).

Motor-neuron properties graded with size: AHP duration is longer in small, slow units
(Gardiner 1993; Bakels & Kernell 1993), persistent inward currents are relatively larger in
low-threshold units (Lee & Heckman 1998), and large axons conduct faster.

References
----------
Fuglevand AJ, Winter DA, Patla AE (1993) J Neurophysiol 70:2470–2488.
Henneman E, Somjen G, Carpenter DO (1965) J Neurophysiol 28:560–580.
Gardiner PF (1993) J Neurophysiol 69:1160–1170.
Lee RH, Heckman CJ (1998) J Neurophysiol 80:583–593.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ._validation import check_int, check_real
from .contraction import FibreParams


@dataclass(frozen=True)
class PoolParams:
    """Size-principle distribution of a motor-unit pool.

    Attributes
    ----------
    recruitment_range : float
        Ratio of largest to smallest recruitment threshold (Fuglevand et al. 1993: 30).
        Realised as the ratio of membrane areas.
    twitch_force_range : float
        Ratio of largest to smallest peak twitch force (Fuglevand et al. 1993: 100).
    contraction_time_range : float
        Ratio of slowest to fastest contraction time. 2 for a calf (teaching choice):
        whole human soleus, mostly slow units, twitches in 156.5 ± 14.7 ms, lateral and
        medial gastrocnemius in 100 ± 11 and 114 ± 20 ms (Vandervoort & McComas 1983,
        journal to verify), and the pool's fastest units are faster than these mixed
        muscles. Fuglevand et al. 1993 use 3 (90 to 30 ms) for a hand muscle.
    smallest_area_cm2 : float
        Membrane area of the smallest motor neuron, cm². Teaching choice: 3×10⁻⁴ cm²
        (0.03 mm²; whole-cell areas of cat motor neurons are ~0.1–0.5 mm², Burke et al.
        1982, so the largest here, 30× bigger, is 0.9 mm²: on the large side, to keep the
        30× threshold range of Fuglevand et al. with one area-scaled membrane).
    tau_ahp_slow_ms, tau_ahp_fast_ms : float
        AHP Ca-signal decay in the smallest and largest units, ms. AHP duration is about
        twice as long in slow as in fast units (Gardiner 1993; Bakels & Kernell 1993).
        100 ms for the smallest (teaching choice); 34.3 ms for the largest, calibrated with
        the recruitment set (``NeuronParams.g_ahp_mS_cm2``): ~3× shorter, more than the
        recorded ~2×, which with the size-scaled AHP lets the largest units' rate climb
        fast once they are recruited.
    pic_scale_fast : float
        PIC conductance density of the largest unit relative to the smallest. PICs are
        relatively larger and more often self-sustaining in low-threshold units (Lee &
        Heckman 1998). Calibrated 0.65 with the recruitment set, to the targets listed at
        :attr:`musclesim.NeuronParams.g_ahp_mS_cm2`.
    delay_slow_ms, delay_fast_ms : float
        Spike-to-muscle-AP delay of the smallest and largest units, ms: axons of
        ~0.5 m conducting at ~45–70 m/s plus ~1 ms at the junction (conduction
        velocities of human motor axons 40–70 m/s; Kimura 2013).
    ahp_size_exponent : float
        How the AHP (SK) conductance density falls with cell size: a unit of area ``A`` has
        ``g_AHP · (A / A_mid)^−ahp_size_exponent``, ``A_mid`` the mid-pool unit's area.
        0: the same density in every cell; 1: the same conductance per cell, which is
        about what fast and slow rat motor neurons carry (Cormery et al. 2005, J Physiol
        568:841, Table 1: AHP amplitude over input resistance ~0.9 vs ~1.1 nA).
        Calibrated 0.368 with the recruitment set (``NeuronParams.g_ahp_mS_cm2``): the
        direction is the recorded one, the size a calibration that stops short of
        Cormery et al.'s.
    drive_ceiling_size_exponent : float
        The same for the ceiling of the drive density
        (:attr:`musclesim.NeuronParams.drive_saturation_uA_cm2`): the current a synaptic
        system delivers saturates per cell (Heckman & Binder 1993), so the ceiling density
        is lower in larger cells. Calibrated 0.56 with the recruitment set, to the targets
        listed at :attr:`musclesim.NeuronParams.g_ahp_mS_cm2`.
    """

    recruitment_range: float = 30.0
    twitch_force_range: float = 100.0
    contraction_time_range: float = 2.0
    smallest_area_cm2: float = 3e-4
    tau_ahp_slow_ms: float = 100.0
    tau_ahp_fast_ms: float = 34.3
    pic_scale_fast: float = 0.65
    delay_slow_ms: float = 12.0
    delay_fast_ms: float = 8.0
    ahp_size_exponent: float = 0.368
    drive_ceiling_size_exponent: float = 0.56

    def __post_init__(self) -> None:
        ranges = {
            "recruitment_range": (1.0, 200.0, ""),
            "twitch_force_range": (1.0, 1000.0, ""),
            "contraction_time_range": (1.0, 10.0, ""),
            "smallest_area_cm2": (1e-5, 1e-2, "cm²"),
            "tau_ahp_slow_ms": (5.0, 1000.0, "ms"),
            "tau_ahp_fast_ms": (5.0, 1000.0, "ms"),
            "pic_scale_fast": (0.0, 5.0, ""),
            "delay_slow_ms": (1.0, 50.0, "ms"),
            "delay_fast_ms": (1.0, 50.0, "ms"),
            "ahp_size_exponent": (0.0, 2.0, ""),
            "drive_ceiling_size_exponent": (0.0, 2.0, ""),
        }
        for f in fields(self):
            lo, hi, unit = ranges[f.name]
            check_real(f.name, getattr(self, f.name), unit, lo, hi, "PoolParams")


def size_positions(n_units: int) -> np.ndarray:
    """Position of each unit in the pool, 0 (smallest) to 1 (largest).

    A pool of one unit is a mid-sized unit (position 0.5), so single-unit experiments use a
    typical unit rather than an extreme one.
    """
    n = check_int("n_units", n_units, 1, 2000, "number of motor units")
    if n == 1:
        return np.array([0.5])
    return np.linspace(0.0, 1.0, n)


@dataclass(frozen=True)
class PoolProperties:
    """Per-unit properties (arrays of length ``n_units``), smallest unit first."""

    area_cm2: np.ndarray
    twitch_force: np.ndarray
    force_weight: np.ndarray
    fibre_speed: np.ndarray
    tau_ahp_ms: np.ndarray
    pic_scale: np.ndarray
    delay_ms: np.ndarray
    ahp_scale: np.ndarray
    drive_ceiling_scale: np.ndarray


def pool_properties(n_units: int, p: PoolParams | None = None) -> PoolProperties:
    """Distribute unit properties by size after Fuglevand et al. (1993).

    Parameters
    ----------
    n_units : int
        Number of motor units (1–2000).
    p : PoolParams, optional
        Distribution parameters; defaults if omitted.

    Returns
    -------
    PoolProperties
        ``twitch_force`` is relative to the smallest unit (1 … RP); ``force_weight`` is
        the same normalised to sum to 1, so that pool force is a fraction of maximal
        tetanic force; ``fibre_speed`` is 1 for the slowest unit and
        ``contraction_time_range`` for the fastest.
    """
    p = p or PoolParams()
    x = size_positions(n_units)
    area = p.smallest_area_cm2 * p.recruitment_range**x
    twitch = p.twitch_force_range**x
    speed = p.contraction_time_range**x
    # Size relative to the mid-pool unit, whose densities are NeuronParams' own.
    rel_area = p.recruitment_range ** (x - 0.5)
    return PoolProperties(
        area_cm2=area,
        twitch_force=twitch,
        force_weight=twitch / twitch.sum(),
        fibre_speed=speed,
        tau_ahp_ms=p.tau_ahp_slow_ms + (p.tau_ahp_fast_ms - p.tau_ahp_slow_ms) * x,
        pic_scale=1.0 + (p.pic_scale_fast - 1.0) * x,
        delay_ms=p.delay_slow_ms + (p.delay_fast_ms - p.delay_slow_ms) * x,
        ahp_scale=rel_area**-p.ahp_size_exponent,
        drive_ceiling_scale=rel_area**-p.drive_ceiling_size_exponent,
    )


def unit_fibre_params(props: PoolProperties, base: FibreParams | None = None) -> list[FibreParams]:
    """Fibre parameters of each unit: the base (slowest) fibre sped up by ``fibre_speed``."""
    base = base or FibreParams()
    return [base.with_speed(float(s)) for s in props.fibre_speed]
