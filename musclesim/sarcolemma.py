"""The sarcolemma: the muscle fibre's surface membrane, its resting potential and whether it
still conducts action potentials.

Plasma K sets the fibre's resting potential, and the resting potential decides whether
the fibre's Na channels are available to carry an action potential along the fibre and
into the t-tubules. Both ends of plasma K weaken a muscle this way:

* **Hyperkalaemia** depolarises every fibre (E_K rises); sustained depolarisation
  inactivates the Na channels, action potentials shrink and fail, and fibres drop out of
  the contraction one by one (weakness, then flaccid paralysis).
* **Severe hypokalaemia** depolarises fibres *paradoxically*. The resting membrane is held
  near E_K by the inward rectifier Kir2.1, whose conductance falls with external K
  (~√[K]o) and which closes when the membrane sits more than ~10 mV above E_K. A small
  background Na conductance does not fall. Below a critical [K]o the Kir current can no
  longer outweigh the Na leak, the hyperpolarised resting state (P1) vanishes and the
  fibre jumps to a second stable state near −60 mV (P2), where its Na channels inactivate
  and it no longer conducts. Between the two there is a window of K where both states
  exist (bistability). Each fibre jumps at its own critical K; fibres differ in their
  leak relative to their Kir, so the muscle loses force over a range of K.

The steady-state current–voltage relation of one fibre (outward positive, in units of
the Kir conductance at normal K times mV)::

    I(V) = g_Kir √([K]o/4) (V − E_K) / (1 + exp((V − E_K − V_½)/k))      inward rectifier
         + s g_bK (V − E_K)                                         background K
         + s g_Na (V − E_Na)                                        background Na leak

with ``s`` the fibre's leak scale (1 on average). Cl is passively distributed in a fibre
at rest (Hodgkin & Horowicz 1959), so it carries no net current at a steady state and is
left out; the Na⁺/K⁺ pump's electrogenic current is left out too (both are named in the
docs' known limits). The resting potential is the lowest root of I(V) = 0: a fibre
coming from normal plasma stays in the hyperpolarised state while that state exists.

References
----------
* Jurkat-Rott K, Weber M-A, Fauler M, et al. (2009) Proc Natl Acad Sci USA 106:4036–4041
  (K⁺-dependent paradoxical depolarisation: myofibres rest near −85 mV at 4 mM K and
  depolarise to a second stable potential of −60 mV at [K]o < 1.0 mM; in rat myofibre
  bundles half of the fibres are in that state at 1.5 mM, and such fibres are inexcitable).
* Geukes Foppen RJ, van Mil HGJ, Siegenbeek van Heukelom J (2002) J Physiol (mouse muscle:
  bistable membrane potential at low K and the part Cl transport plays; volume and pages to
  verify); Geukes Foppen RJ (2005) "Electrical bistability of skeletal muscle membrane",
  thesis, University of Amsterdam.
* Hagiwara S, Takahashi K (1974) J Membr Biol 18:61 (inward-rectifier conductance ∝ √[K]o).
* Leech CA, Stanfield PR (1981), "The interaction of potassium with the activation of
  anomalous rectification in frog muscle membrane", J Physiol (Kir gating follows V − E_K,
  e-fold per 11.6 mV; authors, year and journal as commonly cited, to verify).
* Pedersen TH, Clausen T, Nielsen OB (2003) J Physiol 551:277 (force of rat soleus in
  raised K).
"""

from __future__ import annotations

from functools import lru_cache
from statistics import NormalDist

import numpy as np
from numba import njit

from .electrolytes import MUSCLE_FIBRE_INSIDE, Electrolytes, k_conductance_scale, nernst

#: Steepness of the inward rectifier's closure as the membrane moves above E_K, mV: its
#: conductance falls e-fold per 11.6 mV and the curve moves with E_K when external K
#: changes (frog muscle; Leech & Stanfield 1981, see References).
KIR_BLOCK_SLOPE_MV = 11.6
#: Potential above E_K at which half of the inward rectifier is closed (by internal Mg²⁺
#: and polyamines), mV. Calibrated: 13.16 mV puts the critical K of the average fibre, where
#: its hyperpolarised resting state vanishes, at 1.5 mmol/L, the K at which half of rat
#: myofibres are depolarised (Jurkat-Rott et al. 2009). Values from 5 to 20 mV put it
#: between 2.0 and 1.1 mmol/L, so the window is a property of the mechanism, not of this
#: number.
KIR_BLOCK_HALF_MV = 13.16
#: Background Na conductance relative to the inward rectifier's at normal plasma K.
#: Calibrated: 0.03346 gives a resting potential of −90 mV at normal plasma (mammalian
#: fibres rest near −85 to −90 mV; Hille 2001; −85 mV at 4 mM in Jurkat-Rott et al. 2009).
NA_LEAK_PER_KIR = 0.03346
#: Non-rectifying background K conductance relative to the inward rectifier's at normal
#: plasma K. Calibrated: 0.05817 puts the depolarised state at −60 mV at K 1.5 mmol/L, as
#: measured (Jurkat-Rott et al. 2009: P2 ≈ −60 mV).
K_BACKGROUND_PER_KIR = 0.05817
#: Spread of the background (Na and K) conductance relative to Kir among fibres: the
#: coefficient of variation of a normal distribution truncated at ±LEAK_SCALE_TRUNCATION_SD
#: standard deviations. Each fibre's critical K is close to linear in its leak scale
#: (1.10 mmol/L at 0.8, 1.5 at 1, 1.93 at 1.2, 2.37 at 1.4), so the spread sets how
#: gradually force falls in hypokalaemia. Teaching choice: CV 0.5 truncated at ±2 SD is
#: wide enough that no fibre class holding more than a fifth of the fibres switches
#: between plasma K values 0.5 mmol/L apart (issue 16: no step larger than 20 % of normal
#: force), and narrow enough that no fibre is depolarised at K ≥ 4 mmol/L and fewer than
#: 2 % at 3.5. Rat myofibre bundles show depolarised fibres "also at more physiological
#: [K]o" (Jurkat-Rott et al. 2009), consistent with a wide spread; its width is not
#: measured here.
LEAK_SCALE_CV = 0.5
LEAK_SCALE_TRUNCATION_SD = 2.0
#: Number of fibre classes the spread is sampled with (equal-probability quantiles).
N_FIBRE_CLASSES = 64
#: Fibres whose resting potential is depolarised lose Na-channel availability
#: (fast and slow inactivation), action potentials shrink and fail to propagate along the
#: fibre and into the t-tubules, and fibres drop out of the contraction: weakness, then
#: flaccid paralysis (hyperkalaemic paralysis: review of 119 cases, mean serum K
#: 8.8 mmol/L; Sanson et al. 2015, J Emerg Med). A fibre's chance of conducting is a
#: sigmoid of its resting potential with half point FIBRE_CONDUCTION_HALF_MV and slope
#: FIBRE_CONDUCTION_SLOPE_MV (a stand-in for Na availability at rest and the safety factor
#: of propagation). Calibrated to isolated rat soleus at 30 °C (Pedersen, Clausen &
#: Nielsen 2003, J Physiol 551:277): 89 % of tetanic force at K 9 mmol/L and 30 % at K 11
#: (they report 16–35 % at 11 mmol/L, 30–35 °C). Mouse soleus at 37 °C is more
#: K-sensitive (Cairns et al.), so the model is a mild case; between K 4 and 7 force is
#: unchanged, as in both preparations. A fibre in the depolarised state of hypokalaemia
#: (−60 mV) is far past the half point: it does not conduct, as measured (Jurkat-Rott et
#: al. 2009: P2 fibres are inexcitable).
FIBRE_CONDUCTION_HALF_MV = -68.36
FIBRE_CONDUCTION_SLOPE_MV = 1.12

#: Resolution of the grid on which the roots of I(V) are bracketed, mV (they are then
#: refined by bisection to about 1e-9 mV).
_GRID_MV = 1.0
_BISECTIONS = 30


def _leak_scales() -> np.ndarray:
    nd = NormalDist()
    tail = nd.cdf(-LEAK_SCALE_TRUNCATION_SD)
    q = tail + (np.arange(N_FIBRE_CLASSES) + 0.5) / N_FIBRE_CLASSES * (1.0 - 2.0 * tail)
    return np.array([1.0 + LEAK_SCALE_CV * nd.inv_cdf(float(p)) for p in q])


#: The leak scale of each fibre class, mean 1 (equal-probability quantiles).
LEAK_SCALES = _leak_scales()


def _current(v: np.ndarray, e_k: float, e_na: float, kir: float, s: np.ndarray) -> np.ndarray:
    x = v - e_k
    gate = 1.0 / (1.0 + np.exp((x - KIR_BLOCK_HALF_MV) / KIR_BLOCK_SLOPE_MV))
    return kir * x * gate + s * (K_BACKGROUND_PER_KIR * x + NA_LEAK_PER_KIR * (v - e_na))


def _reversals(e: Electrolytes, temperature_C: float) -> tuple[float, float]:
    inside = MUSCLE_FIBRE_INSIDE
    return (
        nernst(1, e.K, inside.K, temperature_C),
        nernst(1, e.Na, inside.Na, temperature_C),
    )


def membrane_current(
    v_mV: float | np.ndarray, e: Electrolytes, leak_scale: float = 1.0,
    temperature_C: float = 37.0,
) -> float | np.ndarray:  # fmt: skip
    """Steady-state net ionic current of the fibre membrane at ``v_mV``, outward positive.

    Parameters
    ----------
    v_mV : float or array_like
        Membrane potential, mV.
    e : Electrolytes
        Plasma, mmol/L (K and Na act here).
    leak_scale : float
        The fibre's background (Na and K) conductance relative to the average fibre's.
    temperature_C : float
        °C, for the Nernst potentials.

    Returns
    -------
    float or numpy.ndarray
        Current in units of the inward rectifier's conductance at normal plasma K times
        mV (only its zeros and sign matter).
    """
    e_k, e_na = _reversals(e, temperature_C)
    i = _current(np.asarray(v_mV, dtype=float), e_k, e_na, k_conductance_scale(e),
                 np.asarray(leak_scale, dtype=float))  # fmt: skip
    return float(i) if np.ndim(i) == 0 else i


def _roots(e_k: float, e_na: float, kir: float, s: np.ndarray, first_only: bool) -> list:
    """Zeros of I(V) between E_K and E_Na for each leak scale in ``s`` (column vector)."""
    # I < 0 at E_K (only the Na leak flows) and I > 0 at E_Na: every zero lies between.
    v = np.arange(e_k, e_na + _GRID_MV, _GRID_MV)
    i = _current(v[None, :], e_k, e_na, kir, s)
    crossings = np.diff(np.sign(i), axis=1) != 0
    out = []
    for row, sc in zip(crossings, s[:, 0], strict=True):
        idx = np.flatnonzero(row)
        roots = []
        for j in idx[:1] if first_only else idx:
            lo, hi = v[j], v[j + 1]
            i_lo = _current(np.array(lo), e_k, e_na, kir, sc)
            for _ in range(_BISECTIONS):
                mid = 0.5 * (lo + hi)
                i_mid = _current(np.array(mid), e_k, e_na, kir, sc)
                if (i_mid > 0) == (i_lo > 0):
                    lo, i_lo = mid, i_mid
                else:
                    hi = mid
            roots.append(0.5 * (lo + hi))
        out.append(roots)
    return out


def _first_roots(e_k: float, e_na: float, kir: float, s: np.ndarray) -> np.ndarray:
    """The lowest zero of I(V) for every leak scale in ``s`` at once (vectorised bisection)."""
    v = np.arange(e_k, e_na + _GRID_MV, _GRID_MV)
    i = _current(v[None, :], e_k, e_na, kir, s[:, None])
    j = np.argmax(i > 0.0, axis=1)  # first grid point with outward current
    lo, hi = v[j - 1], v[j]
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        up = _current(mid, e_k, e_na, kir, s) > 0.0
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    return 0.5 * (lo + hi)


def resting_potential_roots(
    e: Electrolytes, leak_scale: float = 1.0, temperature_C: float = 37.0
) -> tuple[float, ...]:
    """Every steady state of one fibre's membrane in plasma ``e``, mV, lowest first.

    One value where the fibre has a single resting state; three in the bistable window
    of low K: the hyperpolarised state (P1), an unstable threshold between them, and the
    depolarised state (P2, near −60 mV).

    Parameters
    ----------
    e : Electrolytes
        Plasma, mmol/L.
    leak_scale : float
        The fibre's background conductance relative to the average fibre's (> 0).
    temperature_C : float
        °C.
    """
    e_k, e_na = _reversals(e, temperature_C)
    s = np.array([[float(leak_scale)]])
    return tuple(float(r) for r in _roots(e_k, e_na, k_conductance_scale(e), s, False)[0])


def muscle_resting_potential(
    e: Electrolytes, temperature_C: float = 37.0, leak_scale: float = 1.0
) -> float:
    """Resting potential of a muscle fibre in plasma ``e``, mV.

    The lowest steady state of the membrane's I–V relation: the hyperpolarised state
    while it exists (a fibre coming from normal plasma stays in it), else the
    depolarised state of severe hypokalaemia. −90 mV at normal plasma, following E_K up
    in hyperkalaemia and down in hypokalaemia until, for the average fibre below
    1.5 mmol/L, it jumps to about −60 mV.
    """
    e_k, e_na = _reversals(e, temperature_C)
    return float(_first_roots(e_k, e_na, k_conductance_scale(e), np.array([float(leak_scale)]))[0])


def fibre_resting_potentials(e: Electrolytes, temperature_C: float = 37.0) -> np.ndarray:
    """Resting potential of each fibre class (:data:`LEAK_SCALES`) in plasma ``e``, mV."""
    e_k, e_na = _reversals(e, temperature_C)
    return _first_roots(e_k, e_na, k_conductance_scale(e), LEAK_SCALES)


def conducting_fraction(e: Electrolytes, temperature_C: float = 37.0) -> float:
    """Fraction of the muscle fibres that still conduct action potentials in plasma ``e``.

    The mean, over the fibre classes, of each class's chance of conducting at its resting
    potential (:data:`FIBRE_CONDUCTION_HALF_MV`). 1 from K 4 to 6 mmol/L and ≥ 0.98
    from 3.5 to 7. Hyperkalaemia depolarises every fibre: 0.89 at K 9, 0.64 at 10, 0.30
    at 11 and 0.08 at 12 mmol/L. Hypokalaemia depolarises fibres paradoxically, one class
    after another: 0.94 at K 3.0, 0.83 at 2.5, 0.69 at 2.0, 0.50 at 1.5 and 0.31 at
    1.0 mmol/L.
    """
    return _conducting_fraction(e.K, e.Na, float(temperature_C))


# A pure function of three numbers, remembered: a plasma change in time (an infusion in
# 100-ms steps) asks for the same K and Na again and again.
@lru_cache(maxsize=4096)
def _conducting_fraction(k_mM: float, na_mM: float, temperature_C: float) -> float:
    v = fibre_resting_potentials(Electrolytes(K=k_mM, Na=na_mM), temperature_C)
    z = np.clip((v - FIBRE_CONDUCTION_HALF_MV) / FIBRE_CONDUCTION_SLOPE_MV, -700.0, 700.0)
    return float(np.mean(1.0 / (1.0 + np.exp(z))))


@njit(cache=True, error_model="numpy", inline="always")
def conducting_mean(value: float, value_at_rest: float, fraction: float) -> float:
    """Pool mean of a fibre quantity when only ``fraction`` of the fibres conduct: the
    others stay at rest (no force, resting Ca)."""
    return fraction * value + (1.0 - fraction) * value_at_rest
