"""Motor-neuron membrane: channels, rate functions and their parameters.

A single-compartment, conductance-based alpha motor neuron (Hodgkin–Huxley style) with

* a transient Na current ``g_Na m³ h (V − E_Na)`` and a delayed-rectifier K current
  ``g_K n⁴ (V − E_K)`` with the Traub & Miles (1991) mammalian kinetics, as used at 36 °C by
  Destexhe & Paré (1999) and Pospischil et al. (2008), scaled to the model temperature with
  Q10 = 3 (Hodgkin & Huxley 1952 measured Q10 ≈ 3 for their rate constants);
* leak currents split by ion (K, Na) so that the resting potential follows the
  extracellular concentrations through their reversal potentials;
* a slowly activating, non-inactivating persistent inward current (PIC): the lumped
  dendritic L-type Ca / persistent Na current that makes spinal motor neurons bistable
  (Hounsgaard & Kiehn 1989; Booth, Rinzel & Kiehn 1997; Heckman et al. 2008);
* a Ca-activated K current (the afterhyperpolarisation, AHP) that sets the lowest steady
  firing rate and rate adaptation (Kernell 1965; Powers & Binder 2001).

All gating functions take the *effective* voltage ``V − shift`` where ``shift`` is the
divalent-cation surface-charge shift from :func:`musclesim.electrolytes.gating_shift_mV`
(Frankenhaeuser & Hodgkin 1957) of the fluid the soma sits in. That is CNS fluid, whose Ca
and Mg are held (:func:`musclesim.electrolytes.soma_fluid`), so plasma Ca and Mg act on the
peripheral axon (:mod:`musclesim.axon`), where tetany begins, not here.

Units: mV, ms, µA/cm², mS/cm², µF/cm². The descending drive in nA becomes a current density
through the unit's membrane area in cm², saturating at a ceiling
(:func:`musclesim.synapses.drive_density`).

References
----------
* Traub RD, Miles R (1991) *Neuronal Networks of the Hippocampus*. Cambridge UP.
* Destexhe A, Paré D (1999) J Neurophysiol 81:1531–1547.
* Pospischil M et al. (2008) Biol Cybern 99:427–441.
* Hodgkin AL, Huxley AF (1952) J Physiol 117:500–544.
* Booth V, Rinzel J, Kiehn O (1997) J Neurophysiol 78:3371–3385.
* Heckman CJ, Johnson M, Mottram C, Schuster J (2008) Neuroscientist 14:264–275.
* Li Y, Bennett DJ (2003) J Neurophysiol 90:857–869.
* Kernell D (1965) Acta Physiol Scand 65:65–73.
* Powers RK, Binder MD (2001) Rev Physiol Biochem Pharmacol 143:137–263.
* Heckman CJ, Binder MD (1993) J Neurophysiol 69:1005–1008 (rate limiting of motor units).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from ._validation import check_real
from .synapses import E_EXC_MV, drive_density, drive_split

if TYPE_CHECKING:
    from .pool import PoolProperties

#: Reference temperature of the Traub–Miles rate constants, °C (Destexhe & Paré 1999 and
#: Pospischil et al. 2008 ran these kinetics at 36 °C).
RATE_REFERENCE_TEMPERATURE_C = 36.0

#: Voltage grid of the gate look-up tables, mV. 0.05 mV spacing with linear interpolation
#: reproduces exact-rate spike counts (docs/science.md §4); the range covers hyperpolarised
#: rest under strong inhibition up to the spike peak.
TABLE_V_MIN_MV = -130.0
TABLE_V_MAX_MV = 70.0
TABLE_DV_MV = 0.05


@dataclass(frozen=True)
class NeuronParams:
    """Membrane parameters of one motor neuron (area-normalised).

    Attributes
    ----------
    c_m_uF_cm2 : float
        Specific membrane capacitance, µF/cm² (≈1 µF/cm² for biological membranes;
        Hille 2001).
    g_na_mS_cm2 : float
        Peak transient Na conductance density, mS/cm². Teaching choice (50, the value of
        Pospischil et al. 2008's regular-spiking cell) giving a ~100 mV spike at 37 °C.
    g_k_mS_cm2 : float
        Delayed-rectifier K conductance density, mS/cm². Teaching choice (10; Pospischil
        et al. 2008 use 5–10) for a spike width of ~0.5–1 ms at 37 °C.
    g_leak_k_mS_cm2, g_leak_na_mS_cm2 : float
        Resting K and Na leak conductances, mS/cm². Teaching choice: total ≈0.1 mS/cm²
        (Pospischil et al. 2008 leak) split 0.085 : 0.0145 so that rest is ≈ −72 mV at
        normal plasma ions, the resting potential of spinal motor neurons (−65 to −75 mV;
        Powers & Binder 2001). Plasma K, Ca and Mg do not reach the soma (its fluid is held,
        :func:`musclesim.electrolytes.soma_fluid`); the weakness of hyperkalaemia comes from
        the muscle fibres (:func:`musclesim.sarcolemma.conducting_fraction`).
    v_t_mV : float
        Offset of the Traub–Miles rate functions, mV (Pospischil et al. 2008 use −56.2 to
        −63; teaching choice −58 puts the voltage threshold near −55 mV, about 15 mV
        above rest as in cat motor neurons, Powers & Binder 2001).
    g_pic_mS_cm2 : float
        Maximal persistent-inward-current conductance, mS/cm², at normal (resting)
        monoaminergic tone. Calibrated 0.133 with ``g_ahp_mS_cm2`` and the pool's size
        exponents, to the targets listed there: the PIC amplifies firing and gives some
        recruitment–derecruitment hysteresis, and most units fall silent when their input
        ends, as human motor units usually do (a few keep firing for seconds after a
        contraction, as self-sustained firing does in some subjects; Gorassini et al. 2002).
        About 1.6× more (raised serotonergic/noradrenergic tone; Heckman et al. 2008) makes
        the cell bistable: firing outlasts a brief excitatory pulse until inhibition
        (Hounsgaard & Kiehn 1989).
    v_half_pic_mV, k_pic_mV : float
        Half-activation and slope of the PIC, mV. −53 mV and 3 mV: PIC onset a few mV
        below spike threshold (Li & Bennett 2003, rat motor neurons: onset ≈ −57 mV;
        teaching choice within that).
    tau_pic_ms : float
        PIC activation time constant, ms. 150 ms: the slow activation and deactivation of
        L-type PICs that lets them outlast the AHP between spikes (Li & Bennett 2003 report
        tens to hundreds of ms; teaching choice).
    g_ahp_mS_cm2 : float
        Maximal Ca-activated K (SK) conductance of the mid-pool unit, mS/cm² (smaller cells
        have more per area, larger less: ``PoolParams.ahp_size_exponent``). Calibrated 1.9,
        with ``g_pic_mS_cm2``, ``drive_saturation_uA_cm2``, the pool's size exponents and
        ``ReflexParams.ib_voluntary_half_nA`` (``scripts/recruitment_calibration.py``
        measures every target they couple), to the recruitment of a calf: the last unit
        recruited at 0.61 of maximal force, at the lower edge of the 60–90 % asked for a
        calf (issue 16; soleus units are recruited over a wide range, Hali et al. 2020;
        Kukulka & Clamann 1981: ~50 % in adductor pollicis, ~88 % in biceps), with
        onset rates rising from 7.8 Hz in the smallest tenth to 18 Hz in the largest (Moritz
        et al. 2005: ~7 → 23 pps). The mid-sized unit then fires ~10 Hz just above rheobase,
        and under the voluntary drive rises to a ceiling of 30 Hz at ~30 nA
        (``drive_saturation_uA_cm2``; with unsaturated electrode current 43 Hz at 32 nA):
        the compressed range of human motor units (De Luca & Hostage 2010). Those numbers
        are calibrations, not predictions.
    tau_ahp_ms : float
        Decay time of the AHP-activating Ca signal, ms. 80 ms: AHP durations of human
        motor units are 100–200 ms in total (Matthews 1996), cat motor neurons 50–150 ms
        (Gardiner 1993); slow units have longer AHPs.
    ahp_ca_per_ms : float
        Rate of rise of the AHP Ca signal while the membrane is above about −20 mV
        (i.e. during a spike), per ms. Teaching choice: one spike raises it by ≈0.1
        so that a single AHP is small and AHPs summate at high rates.
    kd_ahp : float
        Half-activation of the AHP conductance by its Ca signal (dimensionless; Hill
        coefficient 2, see :func:`ahp_activation`). Teaching choice 0.3: half-activated
        at ~40 Hz.
    h_shift_mV : float
        Offset of the Na inactivation (h) curves, mV (0 = Traub & Miles 1991). The
        Traub–Miles h curve inactivates only above ≈ −40 mV, more positive than in
        mammalian motor neurons; exposed so that depolarisation block can be studied
        (negative values inactivate Na channels closer to rest). Teaching parameter.
    q10 : float
        Temperature coefficient of all gating rates (Hodgkin & Huxley 1952: ≈3).
    pump_uA_cm2_per_spike : float
        Outward Na⁺/K⁺-pump current added by each spike, µA/cm². Sustained firing loads
        the cell with Na⁺ and the electrogenic pump answers with a slow hyperpolarising
        current (activity-dependent hyperpolarisation of human motor axons, Vagg et al.
        1998 J Physiol 507:919; the pump-mediated ultraslow AHP of spinal neurons, Zhang
        & Sillar 2012 Curr Biol 22:526). It gives the late adaptation of sustained firing
        (Kernell & Monster 1982), helps a fresh muscle fall silent after a strong
        contraction, and ends a cramp: cramps are "self-extinguishing within seconds to
        minutes" (Minetto et al. 2013, Exerc Sport Sci Rev 41:3). Calibrated 0.0045
        (~0.7 µA/cm² after 15 s at 12 Hz) with ``pump_tau_ms``: the default cramp ends by
        itself 36 s after its trigger (seed 0), so that is a calibration.
    pump_tau_ms : float
        Decay time of that pump current, ms. The ultraslow AHP lasts tens of seconds
        (Zhang & Sillar 2012). Calibrated: 60 s is the value at which the default cramp
        stops on its own (over ten seeds, the median end 20–150 s after its trigger and
        none running after 160 s: tests/validation/test_cramp_published.py), while runs of
        a few seconds hardly feel the difference from a 20-s decay. So the cramp's
        duration is a calibration, not a prediction.
    pump_max_uA_cm2 : float
        Largest current the membrane's Na⁺/K⁺ pumps can carry, µA/cm²: their turnover
        saturates, so each spike adds less as the current nears it. Teaching choice 10,
        about five times the ~2 µA/cm² that the smallest units build in a 35-s cramp
        (~15 Hz, ``pump_uA_cm2_per_spike`` a spike, less the decay), so that it changes
        the cramp little and matters under extreme sustained firing
        (a maximally irritated axon driving its soma at ~70 Hz for a minute), where an
        unbounded outward current would drive the membrane to −250 mV and the run would
        diverge.
    drive_saturation_uA_cm2 : float
        Ceiling of the effective synaptic current density that the descending (voluntary) drive can
        give one motor neuron, µA/cm² (see :func:`musclesim.synapses.drive_density`). A motor
        neuron has a limited number of synapses, each with a limited conductance and a driving
        force that shrinks as the cell depolarises, so the current a synaptic system delivers
        saturates; low-threshold units reach that ceiling first and their rates level off while
        larger units are still being recruited ("rate limiting", Heckman & Binder 1993, J
        Neurophysiol 69:1005; Powers & Binder 2001). The value is the mid-pool unit's; the ceiling
        density falls with cell size (``PoolParams.drive_ceiling_size_exponent``), as the
        current per cell saturates. Calibrated 10 µA/cm², with ``g_ahp_mS_cm2`` and the rest of
        that set: at a maximal drive (400 nA) the default pool's smallest units fire ~30 Hz and
        the largest, with their weaker and shorter AHP, ~50 Hz (the largest tenth 17 Hz faster
        than the smallest; human peak rates ~30 ± 10 Hz in biceps and adductor pollicis,
        Bellemare et al. 1983, J Neurophysiol 50:1380; higher in cells with a shorter AHP,
        Kernell 1965, which human population recordings within one muscle often do not show,
        docs/science.md §5). A current injected through a microelectrode (Kernell
        1965's f–I curves) does not saturate: set a large value (up to 10⁶) for that
        experiment.
    """

    c_m_uF_cm2: float = 1.0
    g_na_mS_cm2: float = 50.0
    g_k_mS_cm2: float = 10.0
    g_leak_k_mS_cm2: float = 0.085
    g_leak_na_mS_cm2: float = 0.0145
    v_t_mV: float = -58.0
    h_shift_mV: float = 0.0
    g_pic_mS_cm2: float = 0.133
    v_half_pic_mV: float = -53.0
    k_pic_mV: float = 3.0
    tau_pic_ms: float = 150.0
    g_ahp_mS_cm2: float = 1.9
    tau_ahp_ms: float = 80.0
    ahp_ca_per_ms: float = 0.1
    kd_ahp: float = 0.3
    q10: float = 3.0
    pump_uA_cm2_per_spike: float = 0.0045
    pump_tau_ms: float = 60000.0
    pump_max_uA_cm2: float = 10.0
    drive_saturation_uA_cm2: float = 10.0

    def __post_init__(self) -> None:
        limits = {
            "c_m_uF_cm2": (0.1, 10.0, "µF/cm²"),
            "g_na_mS_cm2": (0.0, 500.0, "mS/cm²"),
            "g_k_mS_cm2": (0.0, 500.0, "mS/cm²"),
            "g_leak_k_mS_cm2": (0.0, 10.0, "mS/cm²"),
            "g_leak_na_mS_cm2": (0.0, 10.0, "mS/cm²"),
            "v_t_mV": (-90.0, -30.0, "mV"),
            "h_shift_mV": (-30.0, 30.0, "mV"),
            "g_pic_mS_cm2": (0.0, 10.0, "mS/cm²"),
            "v_half_pic_mV": (-90.0, -20.0, "mV"),
            "k_pic_mV": (0.5, 20.0, "mV"),
            "tau_pic_ms": (0.1, 5000.0, "ms"),
            "g_ahp_mS_cm2": (0.0, 50.0, "mS/cm²"),
            "tau_ahp_ms": (1.0, 2000.0, "ms"),
            "ahp_ca_per_ms": (0.0, 10.0, "1/ms"),
            "kd_ahp": (1e-3, 100.0, ""),
            "q10": (1.0, 6.0, ""),
            "pump_uA_cm2_per_spike": (0.0, 1.0, "µA/cm²"),
            "pump_tau_ms": (100.0, 600000.0, "ms"),
            "pump_max_uA_cm2": (0.1, 100.0, "µA/cm²"),
            "drive_saturation_uA_cm2": (1.0, 1e6, "µA/cm²"),
        }
        for f in fields(self):
            lo, hi, unit = limits[f.name]
            check_real(f.name, getattr(self, f.name), unit, lo, hi, "NeuronParams")


def _vtrap(x: np.ndarray, y: float) -> np.ndarray:
    """x / (exp(x/y) − 1), continuous through x = 0 (where it equals y)."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x / y) < 1e-6
    safe = np.where(small, 1.0, x)
    return np.where(small, y * (1.0 - x / (2.0 * y)), safe / np.expm1(safe / y))


def traub_miles(
    u_mV: np.ndarray, h_shift_mV: float = 0.0
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Traub–Miles Na (m, h) and K (n) gates at 36 °C, at ``u = V_eff − V_T`` (mV).

    The rate functions of Traub & Miles (1991) in the form of Pospischil et al. (2008),
    Eq. 2–5; ``h_shift_mV`` moves the inactivation curves. The motor neuron
    (:func:`gate_rates`) and the peripheral axon (:func:`musclesim.axon.gate_rates`) both
    use them, each with its own ``V_T``.

    Returns
    -------
    dict
        ``{"m": (m_inf, tau_m_ms), "h": ..., "n": ...}``, time constants in ms at 36 °C.
    """
    u = np.asarray(u_mV, dtype=float)
    a_m = 0.32 * _vtrap(13.0 - u, 4.0)
    b_m = 0.28 * _vtrap(u - 40.0, 5.0)
    uh = u - h_shift_mV
    a_h = 0.128 * np.exp((17.0 - uh) / 18.0)
    b_h = 4.0 / (1.0 + np.exp((40.0 - uh) / 5.0))
    a_n = 0.032 * _vtrap(15.0 - u, 5.0)
    b_n = 0.5 * np.exp((10.0 - u) / 40.0)
    return {
        "m": (a_m / (a_m + b_m), 1.0 / (a_m + b_m)),
        "h": (a_h / (a_h + b_h), 1.0 / (a_h + b_h)),
        "n": (a_n / (a_n + b_n), 1.0 / (a_n + b_n)),
    }


def gate_rates(v_eff_mV: np.ndarray, p: NeuronParams) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Steady states and time constants of the Na, K and PIC gates at 36 °C.

    Parameters
    ----------
    v_eff_mV : array_like
        Effective membrane potential ``V − shift`` in mV.
    p : NeuronParams
        Neuron parameters (``v_t_mV`` and the PIC parameters are used).

    Returns
    -------
    dict
        ``{"m": (m_inf, tau_m_ms), "h": ..., "n": ..., "pic": ...}``; time constants in ms
        at the reference temperature (divide by the Q10 factor for other temperatures;
        the PIC time constant is taken as temperature independent, a teaching choice).

    References
    ----------
    Traub & Miles 1991 rate functions in the form of Pospischil et al. 2008, Eq. 2–5.
    """
    v = np.asarray(v_eff_mV, dtype=float)
    rates = traub_miles(v - p.v_t_mV, p.h_shift_mV)
    pic_inf = 1.0 / (1.0 + np.exp(-(v - p.v_half_pic_mV) / p.k_pic_mV))
    rates["pic"] = (pic_inf, np.full_like(v, p.tau_pic_ms))
    return rates


def q10_factor(temperature_C: float, q10: float) -> float:
    """Rate multiplier at ``temperature_C`` relative to the 36 °C reference kinetics."""
    return float(q10 ** ((temperature_C - RATE_REFERENCE_TEMPERATURE_C) / 10.0))


#: Order of the gates in the look-up tables and in :data:`STATE`.
GATE_NAMES = ("m", "h", "n", "pic")


def gate_kinetics(
    v_eff_mV: np.ndarray, p: NeuronParams, temperature_C: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steady states, reference time constants and temperature factors of the four gates.

    A gate x obeys ``dx/dt = (x∞ − x)·φ/τ``. The Traub–Miles gates (m, h, n) run faster
    with temperature by the Q10 factor φ; the PIC is left at its measured kinetics
    (φ = 1; Li & Bennett 2003, at ~37 °C; teaching choice).

    Returns
    -------
    x_inf, tau_ms : ndarray, shape (4, len(v))
        Rows in the order of :data:`GATE_NAMES`; time constants at the reference
        temperature, ms.
    phi : ndarray, shape (4,)
        Rate factor of each gate at ``temperature_C``.
    """
    rates = gate_rates(v_eff_mV, p)
    q = q10_factor(temperature_C, p.q10)
    phi = np.array([1.0 if name == "pic" else q for name in GATE_NAMES])
    x_inf = np.vstack([rates[name][0] for name in GATE_NAMES])
    tau = np.vstack([rates[name][1] for name in GATE_NAMES])
    return x_inf, tau, phi


def gate_tables(
    p: NeuronParams, temperature_C: float, dt_ms: float
) -> tuple[np.ndarray, np.ndarray]:
    """Look-up tables for the Rush–Larsen gate update on a 0.05 mV grid.

    For each gate x the fixed-step engine advances ``x ← x_inf + (x − x_inf)·exp(−dt/τ)``,
    exact for a voltage held constant over the step (Rush & Larsen 1978). Tables make that
    one interpolation instead of two exponentials per gate per step.

    Returns
    -------
    x_inf : ndarray, shape (5, n_v)
        Steady states of m, h, n, PIC gate, and (row 4) :func:`ahp_ca_influx`.
    decay : ndarray, shape (4, n_v)
        ``exp(−dt·φ/τ)`` at the model temperature (:func:`gate_kinetics`).
    """
    v = np.arange(TABLE_V_MIN_MV, TABLE_V_MAX_MV + 0.5 * TABLE_DV_MV, TABLE_DV_MV)
    x_inf, tau, phi = gate_kinetics(v, p, temperature_C)
    decay = np.exp(-dt_ms * phi[:, None] / tau)
    # One more row of x_inf: the AHP Ca influx (a function of V only, no time constant).
    return np.vstack((x_inf, np.asarray(ahp_ca_influx(v))[None, :])), decay


def ahp_ca_influx(v_eff_mV: np.ndarray | float) -> np.ndarray | float:
    """Voltage dependence of the Ca influx that drives the AHP: 0 at rest, 1 in a spike.

    A steep sigmoid at −20 mV standing for high-voltage-activated Ca channels, which open
    only during the action potential (teaching choice: half-activation −20 mV, slope 2 mV).
    """
    return 1.0 / (1.0 + np.exp(-(np.asarray(v_eff_mV, dtype=float) + 20.0) / 2.0))


# --- the membrane equation, compiled: both integrators call these ---------------------------
#: Membrane potential whose upward crossing counts as a spike, mV.
SPIKE_DETECT_MV = -20.0

#: State of one motor neuron, in the order of the engine's state rows (the layout is built
#: from this declaration): V, the four gates, the AHP Ca signal (dimensionless), the
#: Na⁺/K⁺-pump current and the spike count it was last updated at.
STATE = ("v_mV", "m", "h", "n", "pic", "ahp_ca", "pump_uA_cm2", "pump_spikes")

#: Membrane parameters shared by every unit, in the order of :func:`global_params`.
GLOBAL_PARAMS = (
    "c_m_uF_cm2", "g_na_mS_cm2", "g_k_mS_cm2", "g_leak_k_mS_cm2", "g_leak_na_mS_cm2",
    "pump_uA_cm2_per_spike", "pump_keep_per_block", "pump_max_uA_cm2",
)  # fmt: skip
G_CM, G_NA, G_K, G_LK, G_LNA, G_PUMP_PER_SPIKE, G_PUMP_KEEP, G_PUMP_MAX = (
    GLOBAL_PARAMS.index(n) for n in GLOBAL_PARAMS
)

#: Membrane parameters that differ between units (the first columns of the engine's
#: per-unit table): area (cm²), PIC and AHP conductances (mS/cm²), AHP Ca decay (ms),
#: rise (1/ms) and half-activation, and the ceiling of the drive density (µA/cm²).
UNIT_PARAMS = ("area_cm2", "g_pic_mS_cm2", "g_ahp_mS_cm2", "tau_ahp_ms", "ahp_ca_per_ms",
               "kd_ahp", "drive_saturation_uA_cm2")  # fmt: skip
U_AREA, U_GPIC, U_GAHP, U_TAUAHP, U_AHPRATE, U_KDAHP, U_DRIVE_SAT = (
    UNIT_PARAMS.index(n) for n in UNIT_PARAMS
)


def global_params(p: NeuronParams, block_ms: float) -> np.ndarray:
    """:data:`GLOBAL_PARAMS` as the array the compiled functions read.

    ``block_ms`` is the interval at which the pump current is updated (its decay factor
    per block is ``exp(−block/τ_pump)``).
    """
    values = {
        "c_m_uF_cm2": p.c_m_uF_cm2,
        "g_na_mS_cm2": p.g_na_mS_cm2,
        "g_k_mS_cm2": p.g_k_mS_cm2,
        "g_leak_k_mS_cm2": p.g_leak_k_mS_cm2,
        "g_leak_na_mS_cm2": p.g_leak_na_mS_cm2,
        "pump_uA_cm2_per_spike": p.pump_uA_cm2_per_spike,
        "pump_keep_per_block": np.exp(-block_ms / p.pump_tau_ms),
        "pump_max_uA_cm2": p.pump_max_uA_cm2,
    }
    return np.array([values[n] for n in GLOBAL_PARAMS], dtype=np.float64)


def unit_params(p: NeuronParams, props: PoolProperties) -> np.ndarray:
    """:data:`UNIT_PARAMS` of each unit (rows), from the pool's size-graded properties.

    The pool grades some densities of :class:`NeuronParams` with cell size
    (:class:`musclesim.PoolParams`): the PIC from the smallest unit's value down to
    ``pic_scale_fast`` of it in the largest, the AHP and the drive ceiling about the
    mid-pool unit's value (by ``ahp_size_exponent``, ``drive_ceiling_size_exponent``).
    """
    out = np.zeros((props.area_cm2.size, len(UNIT_PARAMS)))
    out[:, U_AREA] = props.area_cm2
    out[:, U_GPIC] = p.g_pic_mS_cm2 * props.pic_scale
    out[:, U_GAHP] = p.g_ahp_mS_cm2 * props.ahp_scale
    out[:, U_TAUAHP] = props.tau_ahp_ms
    out[:, U_AHPRATE] = p.ahp_ca_per_ms
    out[:, U_KDAHP] = p.kd_ahp
    out[:, U_DRIVE_SAT] = p.drive_saturation_uA_cm2 * props.drive_ceiling_scale
    return out


@njit(cache=True, error_model="numpy")
def unit_cell(up: np.ndarray, i: int) -> tuple[float, float, float, float]:
    """Unit ``i``'s (g_PIC, g_AHP, AHP half-activation, AHP Ca rise) from the per-unit
    table ``up`` (:func:`unit_params`), as the membrane functions take them."""
    return up[i, U_GPIC], up[i, U_GAHP], up[i, U_KDAHP], up[i, U_AHPRATE]


@njit(cache=True, error_model="numpy")
def ionic_conductance(
    gates: tuple[float, float, float, float],
    env: tuple[float, float, float],
    syn: tuple[float, float],
    gp: np.ndarray,
    g_pic_max: float,
) -> tuple[float, float]:
    """Total conductance and conductance-weighted reversal of every channel but the AHP.

    The ionic current is then ``I = g_sum·V − g_e`` (µA/cm²) with

    ``g_sum = g_Na m³h + g_K n⁴ + g_L,K + g_L,Na + g_PIC·p + g_inh + g_exc``

    where the Na-permeable channels (transient Na, Na leak, PIC) reverse at E_Na, the K
    channels at E_K, inhibitory synapses
    at E_Cl and excitatory ones at :data:`musclesim.synapses.E_EXC_MV`.

    Parameters
    ----------
    gates : (m, h, n, pic)
    env : (E_Na, E_K, E_Cl), mV
    syn : (inhibitory, excitatory) synaptic conductance, mS/cm²
    gp : ndarray
        :func:`global_params`.
    g_pic_max : float
        This unit's PIC conductance, mS/cm².

    Returns
    -------
    g_sum : float
        mS/cm².
    g_e : float
        mS/cm² × mV = µA/cm².
    """
    m, h, n, p = gates
    e_na, e_k, e_cl = env
    g_inh, g_exc = syn
    g_na = gp[G_NA] * m * m * m * h
    g_k = gp[G_K] * n * n * n * n + gp[G_LK]
    g_pic = g_pic_max * p
    g_sum = g_na + g_k + gp[G_LNA] + g_pic + g_inh + g_exc
    g_e = (g_na + gp[G_LNA] + g_pic) * e_na + g_k * e_k + g_inh * e_cl + g_exc * E_EXC_MV
    return g_sum, g_e


@njit(cache=True, error_model="numpy")
def ahp_hill(ca_signal: float, kd: float) -> float:
    """``x = (Ca/kd)²``: the SK (AHP) channels' open fraction is ``x/(1 + x)``
    (:func:`ahp_activation`)."""
    x = ca_signal / kd
    return x * x


@njit(cache=True, error_model="numpy")
def ahp_activation(ca_signal: float, kd: float) -> float:
    """Fraction of SK (AHP) channels open for a Ca signal: Hill equation, coefficient 2.

    SK channels are gated by Ca through calmodulin cooperatively (Hill coefficient ~4 for
    Ca in excised patches; Xia et al. 1998, Nature 395:503). With the lumped Ca signal here
    a coefficient of 2 (teaching choice) keeps a real AHP at low rates, which sets the
    lowest steady rate (~8–10 Hz), while summed AHPs grow steeply at high rates and hold
    firing near 50 Hz under very strong input, as in human motor units.
    """
    x = ahp_hill(ca_signal, kd)
    return x / (1.0 + x)


@njit(cache=True, error_model="numpy")
def membrane_current(
    v: float,
    gates: tuple[float, float, float, float],
    c: float,
    env: tuple[float, float, float],
    syn: tuple[float, float],
    gp: np.ndarray,
    up: np.ndarray,
) -> float:
    """Total ionic and synaptic membrane current, µA/cm² (outward positive).

    :func:`ionic_conductance` plus the AHP: ``g_AHP·q(c)·(V − E_K)``. ``up`` is this
    unit's row of :func:`unit_params`; ``env`` and ``syn`` as in :func:`ionic_conductance`.
    """
    g_sum, g_e = ionic_conductance(gates, env, syn, gp, up[U_GPIC])
    q = ahp_activation(c, up[U_KDAHP])
    return g_sum * v - g_e + up[U_GAHP] * q * (v - env[1])


@njit(cache=True, error_model="numpy")
def ahp_ca_derivative(c: float, influx: float, up: np.ndarray) -> float:
    """d(AHP Ca signal)/dt, per ms: influx during spikes, first-order decay."""
    return up[U_AHPRATE] * influx - c / up[U_TAUAHP]


@njit(cache=True, error_model="numpy", inline="always")
def membrane_step(
    v: float,
    gates: tuple[float, float, float, float],
    c: float,
    dt: float,
    table: tuple[np.ndarray, float, float],
    env: tuple[float, float, float, float],
    syn: tuple[float, float, float],
    gp: np.ndarray,
    cell: tuple[float, float, float, float],
    c_keep: float,
) -> tuple[float, tuple[float, float, float, float], float]:
    """Advance one membrane by ``dt`` ms: the fixed-step form of :func:`membrane_current`.

    Gates: Rush–Larsen from the tables of :func:`gate_tables` at the present V (gates live
    at half steps, as in NEURON's staggered scheme). AHP Ca signal: backward Euler,
    ``c_keep = 1/(1 + dt/τ)``. V: Crank–Nicolson (second order) with those gates.

    Parameters
    ----------
    table : (rows, V_min in mV, 1/ΔV in 1/mV)
        Interleaved table: row j holds each column's value at V_j and its step to V_(j+1).
    env : (gating shift, E_Na, E_K, E_Cl), mV
    syn : (inhibitory conductance, excitatory conductance in mS/cm², injected current
        density in µA/cm²)
    cell : (g_PIC, g_AHP in mS/cm², AHP half-activation, AHP Ca rise per ms)
        This unit's values of :data:`UNIT_PARAMS` (:func:`unit_cell`).

    Returns
    -------
    v, gates, c
    """
    tab, v_min, inv_dv = table
    shift, e_na, e_k, e_cl = env
    g_inh, g_exc, i_inj = syn
    x = (v - shift - v_min) * inv_dv
    if not (x >= 0.0):  # also NaN (a diverging run): never an index outside the table
        x = 0.0
    elif x > tab.shape[0] - 1.001:
        x = tab.shape[0] - 1.001
    j = int(x)
    fr = x - j
    r = tab[j]
    # Rush–Larsen: x ← x∞ + (x − x∞)·e^(−dt/τ), both factors interpolated.
    m_inf = r[0] + fr * r[1]
    h_inf = r[2] + fr * r[3]
    n_inf = r[4] + fr * r[5]
    p_inf = r[6] + fr * r[7]
    m = m_inf + (gates[0] - m_inf) * (r[10] + fr * r[11])
    h = h_inf + (gates[1] - h_inf) * (r[12] + fr * r[13])
    n = n_inf + (gates[2] - n_inf) * (r[14] + fr * r[15])
    p = p_inf + (gates[3] - p_inf) * (r[16] + fr * r[17])
    g_pic, g_ahp, kd_ahp, ahp_rate = cell
    c = (c + dt * ahp_rate * (r[8] + fr * r[9])) * c_keep
    g_sum, g_e = ionic_conductance((m, h, n, p), (e_na, e_k, e_cl), (g_inh, g_exc), gp,
                                   g_pic)  # fmt: skip
    c_m = gp[G_CM]
    hdt = 0.5 * dt
    num = v * (c_m - hdt * g_sum) + dt * (g_e + i_inj)
    den = c_m + hdt * g_sum
    # The AHP's open fraction q = x/(1 + x) enters num and den linearly; multiplying both
    # by (1 + x) leaves one division per step on the path from V to V.
    x2 = ahp_hill(c, kd_ahp)
    num = num * (1.0 + x2) + x2 * g_ahp * (dt * e_k - hdt * v)
    den = den * (1.0 + x2) + x2 * g_ahp * hdt
    return num / den, (m, h, n, p), c


@njit(cache=True, error_model="numpy")
def pump_after_block(pump: float, new_spikes: float, gp: np.ndarray) -> float:
    """Na⁺/K⁺-pump current for the next block, µA/cm²: decays over one block and grows by
    ``pump_uA_cm2_per_spike·(1 − pump/pump_max)`` for each spike of the block before, so
    that it approaches the pumps' maximal current and never passes it."""
    room = max(0.0, 1.0 - pump / gp[G_PUMP_MAX])
    return pump * gp[G_PUMP_KEEP] + gp[G_PUMP_PER_SPIKE] * new_spikes * room


def rest_state(
    p: NeuronParams,
    env: tuple[float, float, float, float],
    drive_nA: float,
    up: np.ndarray,
    gp: np.ndarray,
) -> np.ndarray:
    """Resting membrane state of each unit: the lowest root of the steady-state current.

    Hyperkalaemia or hypocalcaemia move rest; starting a run at the true rest avoids a
    spurious transient at t = 0. With a PIC the balance can have several roots (the
    bistable cell); the lowest (quiescent) one is taken, on a 0.05-mV grid.

    Parameters
    ----------
    p : NeuronParams
    env : tuple of float
        ``(shift_mV, e_na_mV, e_k_mV, e_cl_mV)``: the divalent gating shift and the Na, K
        and Cl reversal potentials.
    drive_nA : float
        Descending drive at t = 0, nA.
    up, gp : ndarray
        :func:`unit_params` (one row per unit) and :func:`global_params`.

    Returns
    -------
    ndarray, shape (n_units, len(STATE))
        V (mV), the gates at their steady states, everything else 0.
    """
    shift, e_na, e_k, e_cl = env
    out = np.zeros((up.shape[0], len(STATE)))
    v_grid = np.arange(-120.0, 0.0, 0.05)
    kin = gate_kinetics(v_grid - shift, p, RATE_REFERENCE_TEMPERATURE_C)[0]
    gates = (kin[0], kin[1], kin[2], kin[3])
    for i in range(up.shape[0]):
        i_drive, g_drive_inh = drive_split(
            drive_density(drive_nA, up[i, U_AREA], up[i, U_DRIVE_SAT])
        )
        # The compiled function's own Python body, evaluated on the whole grid at once
        # (the AHP is closed at rest).
        syn = (float(g_drive_inh), 0.0)
        g_sum, g_e = ionic_conductance.py_func(gates, (e_na, e_k, e_cl), syn, gp,
                                               up[i, U_GPIC])  # fmt: skip
        i_ion = g_sum * v_grid - g_e
        k = np.flatnonzero((i_ion[:-1] < i_drive) & (i_ion[1:] >= i_drive))
        v0 = v_grid[k[0]] if k.size else -70.0
        x0 = gate_kinetics(np.array([v0 - shift]), p, RATE_REFERENCE_TEMPERATURE_C)[0]
        out[i, 0] = v0
        out[i, 1:5] = x0[:, 0]
    return out
