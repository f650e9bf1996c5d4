"""Synaptic inputs to the motor neurons: drive, inhibition, noise.

* The **descending (voluntary) drive** is one current in nA common to the pool. Each unit
  receives it as a current *density* through its own membrane area, saturating at a
  ceiling (:func:`drive_density`): the size principle for weak drive, rate limiting for
  strong drive (Heckman & Binder 1993). A negative drive is synaptic *inhibition*, a Cl
  conductance (:func:`drive_split`).
* **Background synaptic noise**: an Ornstein–Uhlenbeck current per unit with the decay of
  fast glutamatergic synaptic currents (:data:`NOISE_TAU_MS`).

Nerve irritation does not act here: it changes the membrane of the peripheral axon
(:func:`musclesim.axon.irritated_unit`), where ectopic discharges begin; the soma is left
alone.

Excitatory synapses reverse at :data:`E_EXC_MV`; inhibitory (glycinergic, GABA-A)
synapses at the Cl reversal potential from :mod:`musclesim.electrolytes`.

References
----------
* Heckman CJ, Binder MD (1993) J Neurophysiol 69:1005–1008 (rate limiting).
* Coombs JS, Eccles JC, Fatt P (1955) J Physiol 130:326–373 (IPSP reversal in motor
  neurons).
* Hille B (2001) *Ion Channels of Excitable Membranes*, 3rd ed. Sinauer.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: µA per nA: a current per cell (nA) over its membrane area (cm²) times this is a current
#: density (µA/cm²).
NA_TO_UA = 1e-3

#: Reversal potential of excitatory (glutamatergic) synapses, mV (≈0 mV; Hille 2001).
E_EXC_MV = 0.0

#: Time constant of the background synaptic noise, ms (teaching choice: ~5 ms, the decay of
#: fast glutamatergic synaptic currents).
NOISE_TAU_MS = 5.0

#: Charge that one synaptic event of the descending drive brings per unit of membrane,
#: nC/cm² (µA·ms/cm²). Synaptic input is a stream of events: for Poisson arrivals at rate
#: λ, each of charge q decaying with time constant τ, the mean current is λq and its
#: variance λq²/(2τ) (Campbell's theorem), so the variance grows in proportion to the mean
#: drive (:func:`shot_noise_sd`). The charge per event is taken per unit area, the same in
#: small and large cells (teaching choice: larger motor neurons carry proportionally more
#: synapses), so that the relative size of the fluctuations depends on the drive density
#: alone and falls as the drive grows. Calibrated: 2 nC/cm² gives steady voluntary firing
#: a pool-mean ISI CV of 0.18, 0.18 and 0.14 at ~12, 29 and 52 % of maximal force
#: (100-unit pool, 2, 4 and 10 nA; Tracy et al. 2005: 0.17 ± 0.08 in young adults, range
#: 0.08–0.46), one setting for every scenario; half or twice the value leaves one of the
#: three outside 0.10–0.25 or near its edge. In a mid-sized unit (0.16 mm²) that is ~3 pC
#: an event, ~30× a single-fibre EPSC (unitary EPSPs ~0.1 mV in cat motor neurons,
#: Mendell & Henneman 1971): an "event" stands for the synchronised, common input that
#: human motor units share (De Luca & Erim 1994), not for one synapse.
SYNAPTIC_EVENT_CHARGE_NC_CM2 = 2.0

#: Driving force, mV, at which the inhibitory conductance of a negative (hyperpolarising)
#: drive passes the drive's nominal current density (:func:`drive_split`). Teaching choice
#: 20 mV: about the distance from E_Cl (≈ −74 mV for the motor neuron at normal plasma
#: Cl) to the firing threshold (≈ −55 mV), so that near threshold, where inhibition
#: decides whether a cell fires, −1 nA subtracts about what +1 nA adds.
INHIBITORY_DRIVE_REF_MV = 20.0


@njit(cache=True, error_model="numpy")
def drive_density(
    current_nA: float | np.ndarray,
    area_cm2: float | np.ndarray,
    saturation_uA_cm2: float | np.ndarray,
) -> float | np.ndarray:
    """Current density (µA/cm²) that a descending drive of ``current_nA`` gives one unit.

    ``saturation · tanh(I / (A · saturation))``: for weak drive this is the injected
    current over the membrane area (``I/A``, the size principle: the same current
    depolarises a small cell more), and it levels off at ``saturation`` however strong the
    drive (the synaptic input of a cell saturates; Heckman & Binder 1993). Negative drive
    (inhibition) saturates symmetrically; :func:`drive_split` turns it into a Cl
    conductance. Pure function, compiled into the engine.

    Parameters
    ----------
    current_nA : float
        Descending drive, nA, common to the pool.
    area_cm2 : float
        Membrane area of the unit, cm².
    saturation_uA_cm2 : float
        Ceiling, µA/cm² (:attr:`musclesim.NeuronParams.drive_saturation_uA_cm2`).

    Returns
    -------
    float or ndarray
        Current density, µA/cm² (elementwise for arrays).

    References
    ----------
    Heckman CJ, Binder MD (1993) J Neurophysiol 69:1005–1008.
    """
    j = current_nA * NA_TO_UA / area_cm2
    return saturation_uA_cm2 * np.tanh(j / saturation_uA_cm2)


@njit(cache=True, error_model="numpy")
def drive_split(
    density_uA_cm2: float | np.ndarray,
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Split a drive density into a depolarising current and an inhibitory conductance.

    A positive descending drive is excitatory synaptic current (:func:`drive_density`). A
    negative drive is synaptic *inhibition*: glycinergic and GABA-A synapses open Cl
    channels, whose current ``g·(V − E_Cl)`` vanishes at the Cl reversal potential, so
    however strong the inhibition it cannot take the membrane below E_Cl (IPSPs of cat
    motor neurons reverse at about −75 to −80 mV; Coombs, Eccles & Fatt 1955, J Physiol
    130:326). Its conductance is ``|j| / INHIBITORY_DRIVE_REF_MV``. E_Cl follows
    plasma Cl (intracellular Cl fixed at 6.5 mmol/L), so in severe hypochloraemia it moves
    up toward threshold (−59 mV at Cl 60 mmol/L) and this "inhibition" shunts but also
    depolarises: a 20-unit pool then fires under −1 to −5 nA. Real neurons hold their Cl
    low by transport (KCC2), which the model does not include.

    Parameters
    ----------
    density_uA_cm2 : float or ndarray
        Signed drive density from :func:`drive_density`, µA/cm².

    Returns
    -------
    current_uA_cm2 : float or ndarray
        Depolarising current density, µA/cm² (0 for a negative drive).
    g_inh_mS_cm2 : float or ndarray
        Inhibitory (Cl) conductance density, mS/cm² (0 for a positive drive).
    """
    current = np.maximum(density_uA_cm2, 0.0)
    g_inh = np.maximum(-density_uA_cm2, 0.0) / INHIBITORY_DRIVE_REF_MV
    return current, g_inh


def shot_noise_sd(density_uA_cm2: float | np.ndarray, base_sd_uA_cm2: float) -> float | np.ndarray:
    """SD of the synaptic noise current of each unit, µA/cm², for its descending drive.

    ``√(base² + j·q/(2·τ))``: a background part (``base_sd_uA_cm2``, the scenario's
    :attr:`~musclesim.Scenario.synaptic_noise_uA_cm2`) and the shot noise of the drive
    itself, whose variance grows with its mean density ``j`` (Campbell's theorem for
    Poisson events of charge density ``q`` = :data:`SYNAPTIC_EVENT_CHARGE_NC_CM2` decaying
    with :data:`NOISE_TAU_MS`). Inhibitory (negative) drive adds no shot noise here.

    Parameters
    ----------
    density_uA_cm2 : ndarray
        Drive density of each unit (:func:`drive_density`), µA/cm².
    base_sd_uA_cm2 : float
        Background noise SD, µA/cm².

    Returns
    -------
    ndarray
        Noise SD, µA/cm².
    """
    var = np.maximum(density_uA_cm2, 0.0) * SYNAPTIC_EVENT_CHARGE_NC_CM2 / (2.0 * NOISE_TAU_MS)
    return np.sqrt(base_sd_uA_cm2**2 + var)


def ornstein_uhlenbeck(
    rng: np.random.Generator, n_ms: int, n_units: int, tau_ms: float, sd: float, dt_ms: float
) -> np.ndarray:
    """Stationary Ornstein–Uhlenbeck noise, one column per unit, sampled every ``dt_ms``.

    Exact discretisation ``x_(k+1) = a·x_k + sd·√(1 − a²)·ξ_k`` with ``a = e^(−dt/τ)``,
    started from the stationary distribution, so its SD is ``sd`` from the first sample.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream (the caller seeds it, so runs are reproducible).
    n_ms, n_units : int
        Number of samples and of independent columns.
    tau_ms : float
        Correlation time, ms.
    sd : float
        Standard deviation (in the unit of the result).
    dt_ms : float
        Sampling interval, ms.

    Returns
    -------
    ndarray, shape (n_ms, n_units), float64
    """
    a = np.exp(-dt_ms / tau_ms)
    kicks = rng.standard_normal((n_ms, n_units)) * sd * np.sqrt(1.0 - a * a)
    x0 = rng.standard_normal(n_units) * sd
    _ou_recursion(kicks, a, x0)
    return kicks


@njit(cache=True, error_model="numpy")
def _ou_recursion(x: np.ndarray, a: float, x0: np.ndarray) -> None:
    """In place: ``x[k] ← x[k] + a·x[k − 1]``, with ``x[−1] = x0`` (a first-order filter)."""
    prev = x0.copy()
    for k in range(x.shape[0]):
        for j in range(x.shape[1]):
            prev[j] = x[k, j] + a * prev[j]
            x[k, j] = prev[j]


@njit(cache=True, error_model="numpy")
def synaptic_input(
    drive_nA: float, g_ia_nS: float, g_ib_nS: float, g_treat_mS_cm2: float, area_cm2: float,
    saturation_uA_cm2: float, afferent_noise_uA_cm2: float,
) -> tuple[float, float, float]:  # fmt: skip
    """The synaptic input of one motor neuron in one input block.

    The fatigue-afferent noise is synaptic input too: its excitatory excursions add
    current, its inhibitory ones Cl conductance (:func:`drive_split`), so that however
    large the barrage it cannot take the membrane below E_Cl.

    Parameters
    ----------
    drive_nA : float
        Descending drive, nA (negative: inhibition).
    g_ia_nS, g_ib_nS : float
        Ia excitation and Ib inhibition reaching the cell, nS
        (:func:`musclesim.reflex.afferent_input`).
    g_treat_mS_cm2 : float
        Inhibitory conductance added by treatments, mS/cm².
    area_cm2 : float
        Membrane area, cm² (synaptic conductances in nS become densities through it).
    saturation_uA_cm2 : float
        Ceiling of the drive density (:func:`drive_density`).
    afferent_noise_uA_cm2 : float
        Signed fatigue-afferent noise density in this block, µA/cm²
        (:data:`musclesim.reflex.AFFERENT_NOISE_UA_CM2`).

    Returns
    -------
    i_drive : float
        Depolarising current density, µA/cm².
    g_exc, g_inh : float
        Excitatory and inhibitory conductance densities, mS/cm².
    """
    per_area = 1e-6 / area_cm2  # nS → mS/cm²
    i_drive, g_drive_inh = drive_split(drive_density(drive_nA, area_cm2, saturation_uA_cm2))
    i_aff, g_aff_inh = drive_split(afferent_noise_uA_cm2)
    g_inh = g_treat_mS_cm2 + g_ib_nS * per_area + float(g_drive_inh) + float(g_aff_inh)
    return float(i_drive) + float(i_aff), g_ia_nS * per_area, g_inh
