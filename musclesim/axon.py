"""Peripheral motor axon: where tetany and the ectopic discharges of an irritated nerve begin.

The motor neuron's soma sits in CNS fluid (:func:`musclesim.electrolytes.soma_fluid`); its
axon leaves the spinal cord and runs in plasma. Every soma spike travels down this axon to
the muscle; the axon can also fire on its own. Recordings place the spontaneous doublets,
triplets and longer multiplets of hypocalcaemic tetany in the peripheral motor axons
(Macefield & Burke 1991, Brain 114:527), and ectopic discharges of compressed or inflamed
nerves there too (Gutmann 1991, Muscle Nerve 14:1043). An irritated stretch of axon
(:func:`irritated_unit`, ``Scenario.irritation``) is the model's spasm generator.

One compartment stands for the most excitable node of Ranvier of each motor axon, with a
passive internode coupled to it:

* transient Na (``g_Na m³h``) and a delayed-rectifier K (``g_K n⁴``) with the same
  Traub–Miles kinetics as the soma (:func:`musclesim.neuron.traub_miles`), at the axon's own
  voltage offset;
* optionally a persistent Na current, a small non-inactivating fraction of the Na channels
  (McIntyre, Richardson & Grill 2002, J Neurophysiol 87:995: 0.01 vs 3 S/cm² at the node);
  off by default (:attr:`AxonParams.g_nap_mS_cm2` says why), for hyperexcitable axons;
* a slow, Kv7 (KCNQ)-type K current, the "slow K" of the node, with the kinetics of
  McIntyre et al. 2002; each spike opens a little more of it, so a run of spikes ends;
* a leak with a fixed reversal potential (McIntyre et al. 2002 use −90 mV);
* a passive internode, charged through the paranodal seal while the node fires and
  discharging back into it afterwards: the depolarising afterpotential (DAP) of myelinated
  axons (Barrett & Barrett 1982, J Physiol 323:117), which is what brings a second spike when
  the threshold has come down.

Plasma Ca and Mg act here through the divalent gating shift
(:func:`musclesim.electrolytes.gating_shift_mV`): with less screening the gates see the
membrane as more depolarised (the K channels half as much as the Na channels). The DAP then
reaches threshold, a spike is followed by a second, a third, …, until the slow K
accumulated by the burst ends it; as Ca falls the bursts grow longer and the axon starts to
fire them on its own. So doublets and multiplets — and their growth as Ca falls — come out
of the axon's dynamics, not from a rule.

Plasma K is left out of the axon (:func:`axon_fluid`, a known limit: Krishnan et al. 2005,
Brain 128:2164, found motor axons depolarised in proportion to plasma K); it acts on the
muscle fibres.

Units: mV, ms, µA/cm², mS/cm², µF/cm².
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numba import njit

from ._validation import check_real
from .electrolytes import MOTOR_NEURON_INSIDE, Electrolytes, gating_shift_mV, reversal_potentials
from .neuron import (
    TABLE_DV_MV,
    TABLE_V_MAX_MV,
    TABLE_V_MIN_MV,
    q10_factor,
    traub_miles,
)

#: State of one axon, in the order of the engine's state rows: node V, the Na activation and
#: inactivation, the delayed-rectifier and slow-K activations, and the internode's V.
STATE = ("v_mV", "m", "h", "n", "s", "v_internode_mV")

#: Order of the gates in the look-up tables and in :data:`STATE`.
GATE_NAMES = ("m", "h", "n", "s")


def axon_fluid(plasma: Electrolytes) -> Electrolytes:
    """The fluid the model's axon sees for plasma ``plasma``: plasma Na, Cl, Ca and Mg, K
    at its normal value.

    Plasma K does reach real motor axons and depolarises them (Krishnan et al. 2005, Brain
    128:2164). This one-node axon cannot show that faithfully: raised E_K weakens its slow K,
    so hyperkalaemia would add extra discharges to every voluntary spike (and low K would
    silence it), which patients do not show. So the model leaves plasma K out of the axon
    and lets it act on the muscle fibres (:mod:`musclesim.sarcolemma`), a stated limit.
    """
    if not isinstance(plasma, Electrolytes):
        raise TypeError(f"plasma must be an Electrolytes; got {type(plasma).__name__}")
    return plasma.replace(K=Electrolytes().K)


@dataclass(frozen=True)
class AxonParams:
    """Membrane of the peripheral motor axon (one node and its internode, per cm² of node).

    Attributes
    ----------
    c_m_uF_cm2 : float
        Node capacitance, µF/cm² (≈1 for biological membranes; Hille 2001).
    g_na_mS_cm2 : float
        Transient Na conductance, mS/cm². 50, as the soma (teaching choice: the ratios of the
        conductances matter here, not their density at a real node).
    g_nap_mS_cm2 : float
        Persistent Na conductance, mS/cm². Teaching choice 0 at rest: the model's tetany does
        not need it (the DAP and the slow K make the multiplets), and with these Traub–Miles
        gates the 1 : 300 fraction of McIntyre et al. 2002 (0.17 here) turns the deepest
        hypocalcaemic bursts into tonic firing. Raise it to make an axon hyperexcitable
        (an irritated or channelopathic axon).
    nap_shift_mV : float
        How much more negative the persistent Na activates than the transient Na, mV.
        Teaching choice 0 (the non-inactivating fraction shares the transient channels'
        activation, m∞³). McIntyre et al. 2002 put its half-activation well below the
        transient current's; a few mV more negative here makes resting axons discharge on
        their own — the excess persistent Na of hyperexcitable axons.
    g_k_mS_cm2 : float
        Delayed-rectifier K conductance, mS/cm² (teaching choice 5, half the soma's: nodes of
        mammalian axons have little fast K, which sits under the myelin; Hille 2001).
    g_ks_mS_cm2 : float
        Mean slow (Kv7/KCNQ) K conductance of the pool's axons, mS/cm². Calibrated with
        ``v_t_mV``: 10 gives spontaneous doublets to quintuplets at ionised Ca 0.8–0.75
        mmol/L and longer multiplets as Ca falls further (docs/validation.md, tetany rows),
        and keeps resting axons silent up to plasma K 7 mmol/L.
    g_ks_spread : float
        Axons differ in their slow-K density: unit ``i`` has ``g_ks·(1 + spread·x_i)``
        with ``x_i`` in [−1, 1] scattered over the pool independently of size (a
        golden-ratio sequence), so small and large units alike start to discharge, at
        different Ca (teaching choice 0.2).
    ks_open_scale : float
        Opening rate of the slow K relative to McIntyre et al. 2002's, 0.1: each spike then
        opens ~3 % more of it, so the slow K builds up over several spikes of a burst instead
        of ending it after the first. Calibrated with ``g_ks_mS_cm2`` (same targets).
    g_leak_mS_cm2, e_leak_mV : float
        Leak conductance (mS/cm²) and its reversal potential (mV): 0.3 and −82 (teaching
        choice: rest at about −82 mV, held mostly by the leak, so that the slow K is not what
        keeps a resting axon quiet; McIntyre et al. 2002 use −80 mV rest and a fixed −90 mV
        leak). Because the leak does not follow E_K, raised plasma K depolarises this axon
        only a little (a known limit, see the module docstring).
    v_t_mV : float
        Offset of the Traub–Miles rate functions in the axon, mV. Calibrated: −84 puts the
        threshold ~12 mV above rest, so that a resting axon is silent at normal Ca, a spike
        is followed by a second only once ionised Ca is below ~0.85 mmol/L, and a resting
        pool starts discharging between 0.9 and 0.8 mmol/L (tetany appears below ~0.8–1.0
        mmol/L; docs/science.md §5).
    k_shift_fraction : float
        Share of the divalent gating shift that the K channels (delayed rectifier, slow K)
        see; the Na channels see all of it. 0.5: in frog nodes the K channels sit near less
        negative surface charge and shift less with external Ca than the Na channels
        (Mozhayeva & Naumov 1972, to verify; Hille 2001 on surface charge). So low Ca
        frees the Na channels more than the K channels that oppose them, while a
        depolarisation moves both alike (teaching choice of the value).
    g_internode_mS_cm2, c_internode_uF_cm2, g_internode_leak_mS_cm2 : float
        Coupling between node and internode (the paranodal seal), the internode's
        capacitance and its leak, per cm² of node: 0.6, 4 and 0.01 (teaching choice: a DAP of
        ~8 mV at normal Ca, decaying over ~20 ms, as the superexcitable period of human motor
        axons lasts ~15–20 ms; Barrett & Barrett 1982).
    orthodromic_kick_mV : float
        Depolarisation that a spike arriving from the soma gives the node, mV. 40: several
        times the ~12 mV from rest to threshold, the safety factor of conduction (teaching
        choice); a node still refractory from its own discharge does not fire again, so an
        orthodromic spike and an ectopic one collide.
    irritation_ks_loss : float
        Fraction of the slow (Kv7) K conductance lost at full irritation (0–1; at irritation
        ``x`` the fraction times ``x²``, :func:`irritated_unit`). Kv7 channels
        hold nodes quiet and end runs of spikes; losing part of them makes axons fire
        repetitively (KCNQ2 mutations give myokymia: Dedek et al. 2001, PNAS 98:12272;
        antibodies against nodal K channels give neuromyotonia: Hart et al. 2002, Brain
        125:1887). Calibrated, with the other irritation constants (see
        :func:`irritated_unit`).
    irritation_nap_mS_cm2 : float
        Persistent Na conductance added at full irritation, mS/cm², with the gating of
        :attr:`g_nap_mS_cm2` (more persistent Na
        in hyperexcitable and ectopically firing axons: Baker & Bostock 1992, J Neurophysiol
        77:1503 to verify; Bostock & Rothwell 1997, J Physiol 498:277). Teaching choice.
    irritation_seal_loss : float
        Fraction of the node–internode coupling lost per unit of irritation (0–5; the
        coupling is gone from irritation ``1/irritation_seal_loss`` on): a smaller
        depolarising afterpotential, so that the irritated node does not re-fire within a
        few ms of each spike. Human motor axons lose superexcitability when depolarised and
        in ischaemia (Kiernan & Bostock 2000, Brain 123:2542); this one-node model gets its
        superexcitability from the internode, so the loss is represented there (a stand-in,
        not a measured seal change). Calibrated (see :func:`irritated_unit`).
    irritation_depol_uA_cm2 : float
        Steady inward current into the irritated node at full irritation, µA/cm²: the
        depolarisation of a compressed or inflamed axon (ischaemic depolarisation from a
        failing Na/K pump, Kiernan & Bostock 2000; inflammatory mediators). Calibrated.
    irritation_noise_uA_cm2, irritation_noise_tau_ms : float
        SD (µA/cm² at full irritation) and correlation time (ms) of a current fluctuating
        around that depolarisation: the random opening of the node's few thousand Na
        channels makes its threshold fluctuate (Verveen & Derksen 1968; channel noise at
        the node: Sigworth 1980, J Physiol 307:97), and near threshold — more so with
        persistent Na (White et al. 1998, J Neurophysiol 80:262) — these fluctuations set
        when an ectopic spike starts. Sampled once per input block (1 ms); SD calibrated,
        τ a teaching choice.
    """

    c_m_uF_cm2: float = 1.0
    g_na_mS_cm2: float = 50.0
    g_nap_mS_cm2: float = 0.0
    nap_shift_mV: float = 0.0
    g_k_mS_cm2: float = 5.0
    g_ks_mS_cm2: float = 10.0
    g_ks_spread: float = 0.2
    ks_open_scale: float = 0.1
    g_leak_mS_cm2: float = 0.3
    e_leak_mV: float = -82.0
    v_t_mV: float = -84.0
    k_shift_fraction: float = 0.5
    g_internode_mS_cm2: float = 0.6
    c_internode_uF_cm2: float = 4.0
    g_internode_leak_mS_cm2: float = 0.01
    orthodromic_kick_mV: float = 40.0
    irritation_ks_loss: float = 0.9
    irritation_nap_mS_cm2: float = 0.0
    irritation_seal_loss: float = 1.67
    irritation_depol_uA_cm2: float = 1.0
    irritation_noise_uA_cm2: float = 3.0
    irritation_noise_tau_ms: float = 30.0

    def __post_init__(self) -> None:
        limits = {
            "c_m_uF_cm2": (0.1, 10.0, "µF/cm²"),
            "g_na_mS_cm2": (1.0, 500.0, "mS/cm²"),
            "g_nap_mS_cm2": (0.0, 10.0, "mS/cm²"),
            "nap_shift_mV": (0.0, 30.0, "mV"),
            "g_k_mS_cm2": (0.0, 500.0, "mS/cm²"),
            "g_ks_mS_cm2": (0.0, 50.0, "mS/cm²"),
            "g_ks_spread": (0.0, 0.9, ""),
            "ks_open_scale": (0.01, 10.0, ""),
            "g_leak_mS_cm2": (0.001, 10.0, "mS/cm²"),
            "e_leak_mV": (-100.0, -50.0, "mV"),
            "v_t_mV": (-100.0, -40.0, "mV"),
            "k_shift_fraction": (0.0, 1.0, ""),
            "g_internode_mS_cm2": (0.0, 10.0, "mS/cm²"),
            "c_internode_uF_cm2": (0.1, 100.0, "µF/cm²"),
            "g_internode_leak_mS_cm2": (0.001, 10.0, "mS/cm²"),
            "orthodromic_kick_mV": (0.0, 150.0, "mV"),
            "irritation_ks_loss": (0.0, 1.0, ""),
            "irritation_nap_mS_cm2": (0.0, 10.0, "mS/cm²"),
            "irritation_seal_loss": (0.0, 5.0, ""),
            "irritation_depol_uA_cm2": (0.0, 50.0, "µA/cm²"),
            "irritation_noise_uA_cm2": (0.0, 50.0, "µA/cm²"),
            "irritation_noise_tau_ms": (0.1, 1000.0, "ms"),
        }
        for f in fields(self):
            lo, hi, unit = limits[f.name]
            check_real(f.name, getattr(self, f.name), unit, lo, hi, "AxonParams")


#: Parameters the compiled step reads, in this order (:func:`global_params`).
GLOBAL_PARAMS = (
    "c_m_uF_cm2", "g_na_mS_cm2", "g_nap_mS_cm2", "g_k_mS_cm2", "g_leak_mS_cm2", "e_leak_mV",
    "g_internode_mS_cm2", "c_internode_uF_cm2", "g_internode_leak_mS_cm2",
    "orthodromic_kick_mV", "k_shift_fraction", "irritation_ks_loss", "irritation_nap_mS_cm2",
    "irritation_seal_loss",
)  # fmt: skip
(A_CM, A_NA, A_NAP, A_K, A_L, A_EL, A_GC, A_CI, A_GI, A_KICK, A_KSHIFT, A_IRR_KS, A_IRR_NAP,
 A_IRR_SEAL) = range(len(GLOBAL_PARAMS))  # fmt: skip


def global_params(p: AxonParams) -> np.ndarray:
    """:data:`GLOBAL_PARAMS` as the array the compiled functions read."""
    return np.array([getattr(p, n) for n in GLOBAL_PARAMS], dtype=np.float64)


def slow_k_conductances(p: AxonParams, n_units: int) -> np.ndarray:
    """Slow-K conductance of each unit's axon, mS/cm² (see :attr:`AxonParams.g_ks_spread`).

    ``x_i = 2·frac(i·φ) − 1`` with the golden ratio φ: evenly spread over [−1, 1] and
    uncorrelated with unit size, the same for every run.
    """
    i = np.arange(n_units)
    x = 2.0 * np.mod(i * (np.sqrt(5.0) - 1.0) / 2.0 + 0.5, 1.0) - 1.0
    return p.g_ks_mS_cm2 * (1.0 + p.g_ks_spread * x)


@njit(cache=True, error_model="numpy", inline="always")
def irritated_unit(level: float, g_ks: float, ap: np.ndarray) -> tuple[float, float, float]:
    """Slow-K, persistent-Na and node–internode conductances (mS/cm²) of an axon whose
    irritated stretch is at irritation ``level`` (0–1; 0 for an axon the irritation does
    not reach).

    The slow K loses ``irritation_ks_loss·level²`` of ``g_ks`` (teaching choice: a mild
    irritation spares most Kv7 channels, a severe one removes most of them, as the
    antibodies of acquired neuromyotonia do to the nodal K channels), the persistent Na gains
    ``irritation_nap_mS_cm2·level`` and the coupling to the internode (the depolarising
    afterpotential) loses ``irritation_seal_loss·level`` (down to none). With the inward
    current of :func:`irritation_current_uA_cm2` the quiet node becomes an ectopic
    generator whose pattern follows from its dynamics as the level rises (measured in
    tests/validation/test_spasm_axon_published.py, seeds 0–2): at 0.2 single discharges
    ~1 s apart at random (fasciculation-like, ~0.8 Hz per unit); at 0.5 (the spasm
    preset) ~70 % of the spikes in groups of 2–3 at ~31 Hz, the groups recurring at
    ~6.6 Hz (myokymia-like: the noise starts a group, the slow K ends it); at 1, runs of
    ~18 spikes at ~170 Hz recurring at ~4.6 Hz (neuromyotonia-like: with most of the
    slow K gone the node fires until its remaining slow K and Na inactivation stop it).
    The constants were calibrated together on these three patterns and the spasm
    preset's force.

    An ectopic spike travels to the muscle only: it is not sent back into the soma
    (antidromic invasion and its collision with the soma's own spikes are left out, a
    stated limit; the soma keeps firing as its own inputs make it).
    """
    g_ks_unit = g_ks * (1.0 - ap[A_IRR_KS] * level * level)
    g_nap = ap[A_NAP] + ap[A_IRR_NAP] * level
    g_c = ap[A_GC] * max(0.0, 1.0 - ap[A_IRR_SEAL] * level)
    return g_ks_unit, g_nap, g_c


def irritation_current_uA_cm2(level: np.ndarray, z: np.ndarray, p: AxonParams) -> np.ndarray:
    """Inward current into an irritated node, µA/cm²: ``level·(depol + noise_sd·z)``.

    Parameters
    ----------
    level : ndarray
        Irritation, 0–1, per sample (broadcast against ``z``).
    z : ndarray
        Unit-variance Ornstein–Uhlenbeck noise with correlation time
        :attr:`AxonParams.irritation_noise_tau_ms`, per sample (and unit).
    p : AxonParams
        The axon's parameters.

    Returns
    -------
    ndarray
        µA/cm² (positive depolarises).
    """
    return level * (p.irritation_depol_uA_cm2 + p.irritation_noise_uA_cm2 * z)


def gate_rates(v_eff_mV: np.ndarray, p: AxonParams) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Steady states and time constants (ms, 36 °C) of the axon's gates at ``V − shift``.

    m, h, n: :func:`musclesim.neuron.traub_miles` at ``V − v_t``; s (slow K): McIntyre et
    al. 2002, α = 0.3/(1 + e^((V+53)/−5)) (× ``ks_open_scale``), β = 0.03/(1 + e^((V+90)/−1))
    per ms; and ``"nap"``: the persistent Na's open fraction m∞³ at ``V +
    nap_shift`` (instantaneous, time constant 0).
    """
    v = np.asarray(v_eff_mV, dtype=float)
    rates = traub_miles(v - p.v_t_mV)
    a_s = p.ks_open_scale * 0.3 / (1.0 + np.exp((v + 53.0) / -5.0))
    b_s = 0.03 / (1.0 + np.exp((v + 90.0) / -1.0))
    rates["s"] = (a_s / (a_s + b_s), 1.0 / (a_s + b_s))
    m_p = traub_miles(v + p.nap_shift_mV - p.v_t_mV)["m"][0]
    rates["nap"] = (m_p**3, np.zeros_like(v))
    return rates


def gate_tables(p: AxonParams, temperature_C: float, dt_ms: float) -> np.ndarray:
    """Interleaved Rush–Larsen table of the axon on the neuron's voltage grid.

    One row per grid voltage, 18 columns: (value at V_j, step to V_(j+1)) for m∞, h∞, the
    persistent-Na open fraction, e^(−dt·φ/τ) of m and h (the Na channels, read at
    ``V − shift``), then n∞, s∞ and e^(−dt·φ/τ) of n and s (the K channels, read at
    ``V − k_shift_fraction·shift``). Every gate runs faster with temperature by the
    neuron's Q10 of 3 (Hodgkin & Huxley 1952; McIntyre et al. 2002 use 3 for the slow K).
    """
    v = np.arange(TABLE_V_MIN_MV, TABLE_V_MAX_MV + 0.5 * TABLE_DV_MV, TABLE_DV_MV)
    rates = gate_rates(v, p)
    phi = q10_factor(temperature_C, 3.0)

    def decay(g: str) -> np.ndarray:
        return np.exp(-dt_ms * phi / rates[g][1])

    cols = [rates["m"][0], rates["h"][0], rates["nap"][0], decay("m"), decay("h"),
            rates["n"][0], rates["s"][0], decay("n"), decay("s")]  # fmt: skip
    c = np.vstack(cols).T
    tab = np.zeros((c.shape[0], 2 * c.shape[1]))
    tab[:, 0::2] = c
    tab[:-1, 1::2] = np.diff(c, axis=0)
    tab.setflags(write=False)
    return tab


@njit(cache=True, error_model="numpy", inline="always")
def _row(tab: np.ndarray, v_eff: float, v_min: float, inv_dv: float) -> tuple[int, float]:
    """Row of ``tab`` and the fraction towards the next for effective voltage ``v_eff``."""
    x = (v_eff - v_min) * inv_dv
    if not (x >= 0.0):  # also NaN: never an index outside the table
        x = 0.0
    elif x > tab.shape[0] - 1.001:
        x = tab.shape[0] - 1.001
    j = int(x)
    return j, x - j


@njit(cache=True, error_model="numpy")
def axon_conductance(gates: tuple[Any, Any, Any, Any], nap: Any, g_unit: tuple[Any, Any],
                     env: tuple[float, float], ap: np.ndarray) -> tuple[Any, Any]:  # fmt: skip
    """Total conductance (mS/cm²) and conductance-weighted reversal (µA/cm²) of the node's
    own channels: ``I = g_sum·V − g_e``. ``env`` is (E_Na, E_K) in mV, ``nap`` the persistent
    Na's open fraction, ``g_unit`` this axon's slow-K and persistent-Na conductances
    (:func:`unit_conductances`; floats in the compiled step, arrays over units or voltages
    in the Python callers)."""
    m, h, n, s = gates
    e_na, e_k = env
    g_ks, g_nap = g_unit
    g_na = ap[A_NA] * m * m * m * h + g_nap * nap
    g_k = ap[A_K] * n * n * n * n + g_ks * s
    g_sum = g_na + g_k + ap[A_L]
    return g_sum, g_na * e_na + g_k * e_k + ap[A_L] * ap[A_EL]


@njit(cache=True, error_model="numpy", inline="always")
def axon_step(
    v: float,
    gates: tuple[float, float, float, float],
    vi: float,
    dt: float,
    table: tuple[np.ndarray, float, float],
    env: tuple[float, float, float],
    unit: tuple[float, float, float, float],
    ap: np.ndarray,
) -> tuple[float, tuple[float, float, float, float], float]:
    """Advance one axon by ``dt`` ms: gates by Rush–Larsen from :func:`gate_tables` at the
    present V (Na gates at ``V − shift``, K gates at ``V − k_shift_fraction·shift``), the
    node by Crank–Nicolson with those gates and the internode's present V, then the
    internode by backward Euler. ``env`` is (gating shift, E_Na, E_K), mV; ``unit`` is this
    axon's slow-K, persistent-Na and node–internode conductances (mS/cm²,
    :func:`irritated_unit`) and the current injected into its node (µA/cm², positive
    inward).

    Returns
    -------
    v, gates, vi
    """
    tab, v_min, inv_dv = table
    shift, e_na, e_k = env
    j, fr = _row(tab, v - shift, v_min, inv_dv)
    r = tab[j]
    m_inf = r[0] + fr * r[1]
    h_inf = r[2] + fr * r[3]
    nap = r[4] + fr * r[5]
    m = m_inf + (gates[0] - m_inf) * (r[6] + fr * r[7])
    h = h_inf + (gates[1] - h_inf) * (r[8] + fr * r[9])
    j, fr = _row(tab, v - ap[A_KSHIFT] * shift, v_min, inv_dv)
    r = tab[j]
    n_inf = r[10] + fr * r[11]
    s_inf = r[12] + fr * r[13]
    n = n_inf + (gates[2] - n_inf) * (r[14] + fr * r[15])
    s = s_inf + (gates[3] - s_inf) * (r[16] + fr * r[17])
    g_ks, g_nap, g_c, i_inj = unit
    g_sum, g_e = axon_conductance((m, h, n, s), nap, (g_ks, g_nap), (e_na, e_k), ap)
    g_sum += g_c
    g_e += g_c * vi + i_inj
    hdt = 0.5 * dt
    c_m = ap[A_CM]
    v_new = (v * (c_m - hdt * g_sum) + dt * g_e) / (c_m + hdt * g_sum)
    c_i = ap[A_CI]
    vi = (c_i * vi + dt * (g_c * v_new + ap[A_GI] * ap[A_EL])) / (c_i + dt * (g_c + ap[A_GI]))
    return v_new, (m, h, n, s), vi


def axon_derivatives(
    state: np.ndarray, kin: tuple[np.ndarray, np.ndarray, float], env: tuple[float, float],
    unit: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], ap: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Time derivatives (per ms) of every unit's axon state (rows of :data:`STATE`), with
    exact gate rates: ``kin`` is (x∞ rows m, h, n, s, nap; τ rows m, h, n, s; Q10 factor)
    at each unit's V (:func:`kinetics`); ``unit`` holds each axon's slow-K, persistent-Na
    and coupling conductances and injected current (as in :func:`axon_step`). For the
    reference integrator; the node's current is :func:`axon_conductance`, evaluated for
    all units at once."""
    x_inf, tau, phi = kin
    g_ks, g_nap, g_c, i_inj = unit
    v, vi = state[:, 0], state[:, 5]
    gates = (state[:, 1], state[:, 2], state[:, 3], state[:, 4])
    g_sum, g_e = axon_conductance.py_func(gates, x_inf[4], (g_ks, g_nap), env, ap)
    out = np.empty_like(state)
    out[:, 0] = -(g_sum * v - g_e + g_c * (v - vi) - i_inj) / ap[A_CM]
    for k in range(4):
        out[:, 1 + k] = (x_inf[k] - gates[k]) * phi / tau[k]
    out[:, 5] = (g_c * (v - vi) - ap[A_GI] * (vi - ap[A_EL])) / ap[A_CI]
    return out


def kinetics(v_mV: np.ndarray, shift_mV: float, p: AxonParams, temperature_C: float):
    """(x∞ rows m, h, n, s, nap; τ rows m, h, n, s; Q10 factor) for :func:`axon_derivatives`
    at membrane potentials ``v_mV``: Na gates at ``V − shift``, K gates at
    ``V − k_shift_fraction·shift``."""
    na = gate_rates(np.asarray(v_mV) - shift_mV, p)
    k = gate_rates(np.asarray(v_mV) - p.k_shift_fraction * shift_mV, p)
    src = {"m": na, "h": na, "nap": na, "n": k, "s": k}
    x_inf = np.vstack([src[g][g][0] for g in (*GATE_NAMES, "nap")])
    tau = np.vstack([src[g][g][1] for g in GATE_NAMES])
    return x_inf, tau, q10_factor(temperature_C, 3.0)


def rest_state(p: AxonParams, env: tuple[float, float, float], g_ks: np.ndarray) -> np.ndarray:
    """Resting state of each unit's axon: the lowest root of the steady-state current (the
    internode at the node's V), gates at their steady states; rows of :data:`STATE`.
    ``env`` is (gating shift, E_Na, E_K), mV."""
    shift, e_na, e_k = env
    v_grid = np.arange(-120.0, -30.0, 0.02)
    x_inf = kinetics(v_grid, shift, p, 37.0)[0]
    ap = global_params(p)
    gc, gi = p.g_internode_mS_cm2, p.g_internode_leak_mS_cm2
    g_series = gc * gi / (gc + gi)
    out = np.zeros((g_ks.size, len(STATE)))
    for i in range(g_ks.size):
        gates = (x_inf[0], x_inf[1], x_inf[2], x_inf[3])
        g_unit = (float(g_ks[i]), p.g_nap_mS_cm2)
        g_sum, g_e = axon_conductance.py_func(gates, x_inf[4], g_unit, (e_na, e_k), ap)
        i_ss = g_sum * v_grid - g_e + g_series * (v_grid - p.e_leak_mV)
        k = np.flatnonzero((i_ss[:-1] < 0.0) & (i_ss[1:] >= 0.0))
        j = int(k[0]) if k.size else int(np.argmin(np.abs(v_grid - p.e_leak_mV)))
        out[i, 0] = v_grid[j]
        out[i, 1:5] = x_inf[:4, j]
        # The internode at rest: its coupling current balances its leak.
        out[i, 5] = (gc * v_grid[j] + gi * p.e_leak_mV) / (gc + gi)
    return out


#: Highest membrane potential of a quiet resting node, mV: above it the steady state is the
#: depolarised one that only exists once the resting state has vanished, and the axon
#: discharges on its own (see :func:`threshold_depolarisation_mV`).
RESTING_AXON_MAX_MV = -65.0


@njit(cache=True, error_model="numpy")
def _fires_after_kick(rest: np.ndarray, kick_mV: float, dt: float, n_steps: int,
                      table: tuple[np.ndarray, float, float], env: tuple[float, float, float],
                      g_ks: float, ap: np.ndarray) -> bool:  # fmt: skip
    """Whether an axon at ``rest`` fires within ``n_steps`` steps of ``dt`` ms after its
    node is depolarised by ``kick_mV`` at once."""
    v = rest[0] + kick_mV
    gates = (rest[1], rest[2], rest[3], rest[4])
    vi = rest[5]
    for _ in range(n_steps):
        v_new, gates, vi = axon_step(
            v, gates, vi, dt, table, env, (g_ks, ap[A_NAP], ap[A_GC], 0.0), ap
        )
        if v < -20.0 <= v_new:
            return True
        v = v_new
    return False


def threshold_depolarisation_mV(
    electrolytes: Electrolytes, p: AxonParams | None = None, temperature_C: float = 37.0
) -> float:
    """Smallest sudden depolarisation of the resting node that fires an axon, mV.

    The excitability that nerve-excitability testing tracks (the threshold charge of a brief
    stimulus is this depolarisation times the node's capacitance; Bostock, Cikurel & Burke
    1998, Muscle Nerve 21:137): lower means more excitable. For an axon with the pool's mean
    slow K, in plasma ``electrolytes``, to 0.01 mV; 0 if the axon fires on its own.

    Parameters
    ----------
    electrolytes : Electrolytes
        Plasma.
    p : AxonParams, optional
        Axon parameters (default: ``AxonParams()``).
    temperature_C : float
        °C.

    Returns
    -------
    float
        mV.
    """
    p = AxonParams() if p is None else p
    if not isinstance(electrolytes, Electrolytes):
        raise TypeError(f"electrolytes must be an Electrolytes; got {type(electrolytes).__name__}")
    fluid = axon_fluid(electrolytes)
    rev = reversal_potentials(fluid, MOTOR_NEURON_INSIDE, temperature_C)
    env = (gating_shift_mV(fluid), rev.E_Na, rev.E_K)
    g_ks = p.g_ks_mS_cm2
    rest = rest_state(p, env, np.array([g_ks]))[0]
    if rest[0] > RESTING_AXON_MAX_MV:
        return 0.0  # no quiet resting state left: the axon discharges on its own
    dt = 0.005
    table = (gate_tables(p, temperature_C, dt), TABLE_V_MIN_MV, 1.0 / TABLE_DV_MV)
    ap = global_params(p)
    n_steps = int(10.0 / dt)
    if _fires_after_kick(rest, 0.0, dt, n_steps, table, env, g_ks, ap):
        return 0.0
    lo, hi = 0.0, 60.0
    while hi - lo > 0.01:
        mid = 0.5 * (lo + hi)
        if _fires_after_kick(rest, mid, dt, n_steps, table, env, g_ks, ap):
            hi = mid
        else:
            lo = mid
    return hi
