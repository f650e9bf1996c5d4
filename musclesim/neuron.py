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
(Frankenhaeuser & Hodgkin 1957): low ionised Ca or Mg moves every gate toward rest.

Units: mV, ms, µA/cm², mS/cm², µF/cm². The descending drive in nA becomes a current density
through the unit's membrane area in cm², saturating at a ceiling
(:func:`musclesim.synapses.drive_density`).

References
----------
Traub RD, Miles R (1991) *Neuronal Networks of the Hippocampus*. Cambridge UP.
Destexhe A, Paré D (1999) J Neurophysiol 81:1531–1547.
Pospischil M et al. (2008) Biol Cybern 99:427–441.
Hodgkin AL, Huxley AF (1952) J Physiol 117:500–544.
Booth V, Rinzel J, Kiehn O (1997) J Neurophysiol 78:3371–3385.
Heckman CJ, Johnson M, Mottram C, Schuster J (2008) Neuroscientist 14:264–275.
Li Y, Bennett DJ (2003) J Neurophysiol 90:857–869.
Kernell D (1965) Acta Physiol Scand 65:65–73.
Powers RK, Binder MD (2001) Rev Physiol Biochem Pharmacol 143:137–263.
Heckman CJ, Binder MD (1993) J Neurophysiol 69:1005–1008 (rate limiting of motor units).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ._validation import check_real
from .synapses import drive_density, drive_split

#: Reference temperature of the Traub–Miles rate constants, °C (Destexhe & Paré 1999 and
#: Pospischil et al. 2008 ran these kinetics at 36 °C).
RATE_REFERENCE_TEMPERATURE_C = 36.0

#: Voltage grid of the gate look-up tables, mV. 0.05 mV spacing with linear interpolation
#: reproduces exact-rate spike counts (DESIGN.md §4); the range covers hyperpolarised
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
        Powers & Binder 2001), and ionised Ca must fall to ~0.8 mmol/L before the cell
        fires on its own (hypocalcaemic tetany appears below ~0.8–1.0 mmol/L).
        Known limitation: the same sensitivity makes the cell fire on its own from plasma
        K ≈ 5 mmol/L (default 100-unit pool, 3 s at rest: 3 units fire at 4.8 mmol/L, 30 at
        5.0, all at 5.5), which overstates the hyperexcitability of mild hyperkalaemia;
        the paralysis of severe hyperkalaemia comes from the muscle fibre
        (:data:`musclesim.contraction.MUSCLE_BLOCK_MV`).
    v_t_mV : float
        Offset of the Traub–Miles rate functions, mV (Pospischil et al. 2008 use −56.2 to
        −63; teaching choice −58 puts the voltage threshold near −55 mV, about 15 mV
        above rest as in cat motor neurons, Powers & Binder 2001).
    g_pic_mS_cm2 : float
        Maximal persistent-inward-current conductance, mS/cm², at normal (resting)
        monoaminergic tone. Teaching choice 0.15: the PIC amplifies firing and gives some
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
        Maximal Ca-activated K (SK) conductance, mS/cm². Teaching choice 3, tuned with
        ``kd_ahp`` so that a mid-sized unit fires ~10 Hz just above rheobase and ~50 Hz at
        ~50× rheobase with unsaturated (electrode) current (the saturating voluntary drive
        caps it lower, ``drive_saturation_uA_cm2``): the compressed 8–50 Hz range of human
        motor units (De Luca & Hostage 2010).
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
        minutes" (Minetto et al. 2013, Exerc Sport Sci Rev 41:3). Teaching choice 0.005
        (~1.2 µA/cm² after 15 s at 15 Hz): the default cramp then stops on its own 45–70 s
        after its trigger (seeds 0–2), with its ISI CV in the recorded range (0.48–0.49;
        Minetto et al. 2009: 0.45 ± 0.10). With 0.004 it never stopped; with 0.006 it
        stopped after 20–35 s but the CV of a fading cramp reached 0.64.
    pump_tau_ms : float
        Decay time of that pump current, ms (20 s; the ultraslow AHP lasts tens of
        seconds, Zhang & Sillar 2012; teaching choice).
    dap_mS_cm2_per_mV : float
        Depolarising afterpotential (DAP): an excitatory conductance (reversal 0 mV) added
        by each spike, per mV by which low Ca/Mg shift gating negative (zero at normal
        plasma), mS/cm²/mV. Low divalent ions make membranes oscillate and fire
        repetitively after a spike (Frankenhaeuser & Hodgkin 1957); the DAP is what turns
        single discharges into doublets (Kudina & Andreeva 2013, Front Cell Neurosci
        7:75). Teaching choice 0.1: in the tetany preset about half the intervals are
        doublets (< 20 ms; tetanic discharges come as doublets and multiplets, Kugelberg
        1948); at normal plasma the DAP is zero.
    dap_tau_ms : float
        Decay time of the DAP conductance, ms (5 ms: a DAP lasts a few ms after the
        spike, Kudina & Andreeva 2013; teaching choice).
    drive_saturation_uA_cm2 : float
        Ceiling of the effective synaptic current density that the descending (voluntary) drive can
        give one motor neuron, µA/cm² (see :func:`musclesim.synapses.drive_density`). A motor
        neuron has a limited number of synapses, each with a limited conductance and a driving
        force that shrinks as the cell depolarises, so the current a synaptic system delivers
        saturates; low-threshold units reach that ceiling first and their rates level off while
        larger units are still being recruited ("rate limiting", Heckman & Binder 1993, J
        Neurophysiol 69:1005; Powers & Binder 2001). Teaching choice 30 µA/cm²: at a maximal drive
        (400 nA) the smallest units of the default pool fire ~35–37 Hz and the largest, with their
        shorter AHP, ~50–53 Hz (human peak rates ~30–50 Hz, fast units higher; De Luca & Hostage
        2010; Duchateau & Enoka 2011). A current injected through a microelectrode (Kernell 1965's
        f–I curves) does not saturate: set a large value (up to 10⁶) for that experiment.
    """

    c_m_uF_cm2: float = 1.0
    g_na_mS_cm2: float = 50.0
    g_k_mS_cm2: float = 10.0
    g_leak_k_mS_cm2: float = 0.085
    g_leak_na_mS_cm2: float = 0.0145
    v_t_mV: float = -58.0
    h_shift_mV: float = 0.0
    g_pic_mS_cm2: float = 0.15
    v_half_pic_mV: float = -53.0
    k_pic_mV: float = 3.0
    tau_pic_ms: float = 150.0
    g_ahp_mS_cm2: float = 3.0
    tau_ahp_ms: float = 80.0
    ahp_ca_per_ms: float = 0.1
    kd_ahp: float = 0.3
    q10: float = 3.0
    pump_uA_cm2_per_spike: float = 0.005
    pump_tau_ms: float = 20000.0
    dap_mS_cm2_per_mV: float = 0.1
    dap_tau_ms: float = 5.0
    drive_saturation_uA_cm2: float = 30.0

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
            "dap_mS_cm2_per_mV": (0.0, 5.0, "mS/cm²/mV"),
            "dap_tau_ms": (0.5, 100.0, "ms"),
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
    u = np.asarray(v_eff_mV, dtype=float) - p.v_t_mV
    a_m = 0.32 * _vtrap(13.0 - u, 4.0)
    b_m = 0.28 * _vtrap(u - 40.0, 5.0)
    uh = u - p.h_shift_mV
    a_h = 0.128 * np.exp((17.0 - uh) / 18.0)
    b_h = 4.0 / (1.0 + np.exp((40.0 - uh) / 5.0))
    a_n = 0.032 * _vtrap(15.0 - u, 5.0)
    b_n = 0.5 * np.exp((10.0 - u) / 40.0)
    v = np.asarray(v_eff_mV, dtype=float)
    pic_inf = 1.0 / (1.0 + np.exp(-(v - p.v_half_pic_mV) / p.k_pic_mV))
    return {
        "m": (a_m / (a_m + b_m), 1.0 / (a_m + b_m)),
        "h": (a_h / (a_h + b_h), 1.0 / (a_h + b_h)),
        "n": (a_n / (a_n + b_n), 1.0 / (a_n + b_n)),
        "pic": (pic_inf, np.full_like(v, p.tau_pic_ms)),
    }


def q10_factor(temperature_C: float, q10: float) -> float:
    """Rate multiplier at ``temperature_C`` relative to the 36 °C reference kinetics."""
    return float(q10 ** ((temperature_C - RATE_REFERENCE_TEMPERATURE_C) / 10.0))


#: Order of the gates in the look-up tables and in the engine's state vector.
GATE_NAMES = ("m", "h", "n", "pic")


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
        ``exp(−dt/τ)`` at the model temperature.
    """
    v = np.arange(TABLE_V_MIN_MV, TABLE_V_MAX_MV + 0.5 * TABLE_DV_MV, TABLE_DV_MV)
    rates = gate_rates(v, p)
    phi = q10_factor(temperature_C, p.q10)
    x_inf = np.empty((len(GATE_NAMES), v.size))
    decay = np.empty_like(x_inf)
    for k, name in enumerate(GATE_NAMES):
        inf, tau = rates[name]
        # PIC kinetics are left at their measured value (Li & Bennett 2003 at ~37 °C).
        scale = 1.0 if name == "pic" else phi
        x_inf[k] = inf
        decay[k] = np.exp(-dt_ms * scale / tau)
    # One more row of x_inf: the AHP Ca influx (a function of V only, no time constant).
    x_inf = np.vstack((x_inf, ahp_ca_influx(v)[None, :]))
    return x_inf, decay


def ahp_ca_influx(v_eff_mV: np.ndarray | float) -> np.ndarray | float:
    """Voltage dependence of the Ca influx that drives the AHP: 0 at rest, 1 in a spike.

    A steep sigmoid at −20 mV standing for high-voltage-activated Ca channels, which open
    only during the action potential (teaching choice: half-activation −20 mV, slope 2 mV).
    """
    return 1.0 / (1.0 + np.exp(-(np.asarray(v_eff_mV, dtype=float) + 20.0) / 2.0))


def ahp_activation(ca_signal: np.ndarray | float, kd: np.ndarray | float) -> np.ndarray | float:
    """Fraction of SK (AHP) channels open for a Ca signal: Hill equation, coefficient 2.

    SK channels are gated by Ca through calmodulin cooperatively (Hill coefficient ~4 for
    Ca in excised patches; Xia et al. 1998, Nature 395:503). With the lumped Ca signal here
    a coefficient of 2 (teaching choice) keeps a real AHP at low rates, which sets the
    lowest steady rate (~8–10 Hz), while summed AHPs grow steeply at high rates and hold
    firing near 50 Hz under very strong input, as in human motor units.
    """
    x = (np.asarray(ca_signal, dtype=float) / kd) ** 2
    return x / (1.0 + x)


def rest_state(
    p: NeuronParams,
    env: tuple[float, float, float, float, float],
    drive_nA: float,
    area_cm2: np.ndarray,
    g_pic_mS_cm2: np.ndarray,
) -> np.ndarray:
    """Resting membrane state of each unit: the lowest root of the steady-state current.

    Hyperkalaemia or hypocalcaemia move rest; starting a run at the true rest avoids a
    spurious transient at t = 0. With a PIC the balance can have several roots (the
    bistable cell); the lowest (quiescent) one is taken, on a 0.05-mV grid.

    Parameters
    ----------
    p : NeuronParams
    env : tuple of float
        ``(shift_mV, e_na_mV, e_k_mV, e_cl_mV, k_scale)``: the divalent gating shift, the
        Na, K and Cl reversal potentials and the K-conductance scale of the plasma.
    drive_nA : float
        Descending drive at t = 0, nA.
    area_cm2, g_pic_mS_cm2 : ndarray
        Membrane area (cm²) and PIC conductance (mS/cm²) of each unit.

    Returns
    -------
    ndarray, shape (n_units, 6)
        V (mV), the m, h, n and PIC gates at their steady states, and the AHP Ca signal (0).
    """
    shift, e_na, e_k, e_cl, ks = env
    n = area_cm2.size
    out = np.zeros((n, 6))
    v_grid = np.arange(-120.0, 0.0, 0.05)
    rates = gate_rates(v_grid - shift, p)
    m, h, nn, pic = (rates[k][0] for k in ("m", "h", "n", "pic"))
    # Steady-state currents shared by every unit; only the PIC density and the injected
    # current density differ between units.
    i_na = (p.g_na_mS_cm2 * m**3 * h + p.g_leak_na_mS_cm2) * (v_grid - e_na)
    i_k = (p.g_k_mS_cm2 * ks * nn**4 + p.g_leak_k_mS_cm2 * ks) * (v_grid - e_k)
    for i in range(n):
        i_drive, g_drive_inh = drive_split(
            drive_density(drive_nA, area_cm2[i], p.drive_saturation_uA_cm2)
        )
        i_ion = (
            i_na
            + i_k
            + g_pic_mS_cm2[i] * pic * (v_grid - e_na)
            + g_drive_inh * (v_grid - e_cl)
            - i_drive
        )
        k = np.flatnonzero((i_ion[:-1] < 0.0) & (i_ion[1:] >= 0.0))
        v0 = v_grid[k[0]] if k.size else -70.0
        r0 = gate_rates(np.array([v0 - shift]), p)
        out[i] = [v0, r0["m"][0][0], r0["h"][0][0], r0["n"][0][0], r0["pic"][0][0], 0.0]
    return out
