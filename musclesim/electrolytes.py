"""Electrolytes: plasma and cytosolic ion concentrations and what they do to excitability.

This is the first link of the chain ions → reversal potentials & gating → motor-neuron
firing → muscle Ca → force. It holds

* :class:`Electrolytes`, the extracellular (plasma) concentrations in mmol/L, with the
  clinical reference ranges and named disorders (hypokalaemia, hypocalcaemia, ...);
* :class:`IntracellularIons` and two presets, a spinal motor neuron and a skeletal-muscle
  fibre;
* the Nernst and Goldman–Hodgkin–Katz (GHK) equations;
* three ways the divalent and K ions change excitability beyond the reversal potentials:
  the surface-charge shift of voltage gating (:func:`gating_shift_mV`), the dependence
  of K conductances on external K (:func:`k_conductance_scale`) and the Ca/Mg
  competition for transmitter release at the neuromuscular junction
  (:func:`nmj_release_factor`).

Ca and Mg are the *ionised* (free) concentrations, the fraction that screens membrane
charge and enters channels; roughly half of plasma Ca and a third of plasma Mg are bound
to protein or complexed and act on nothing here.

References
----------
* Hille B (2001) *Ion Channels of Excitable Membranes*, 3rd ed. Sinauer.
* Hodgkin AL, Katz B (1949) J Physiol 108:37–77.
* Goldman DE (1943) J Gen Physiol 27:37–60.
* Frankenhaeuser B, Hodgkin AL (1957) J Physiol 137:218.
* Dodge FA, Rahamimoff R (1967) J Physiol 193:419–432.
* Hagiwara S, Takahashi K (1974) J Membr Biol 18:61.
* Spasovski G et al. (2014) Eur J Endocrinol 170:G1–G47 (hyponatraemia guideline).
* Stuart GJ, Redman SJ (1990) Voltage dependence of Ia reciprocal inhibitory currents in
  cat spinal motoneurones. J Physiol.
* Forsythe ID, Redman SJ (1988) J Physiol 404:83–99.
* Sorell M, Rosen JF (1975) Ionized calcium: serum levels during symptomatic hypocalcemia.
  J Pediatr.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral
from types import MappingProxyType
from typing import overload

import numpy as np

from ._validation import check_int, check_real

__all__ = [
    "DISORDERS",
    "MOTOR_NEURON_INSIDE",
    "MUSCLE_FIBRE_INSIDE",
    "REFERENCE_RANGES",
    "RT_OVER_F_MV",
    "Electrolytes",
    "IntracellularIons",
    "ReversalPotentials",
    "disorder_names",
    "gating_shift_mV",
    "ghk_potential",
    "k_conductance_scale",
    "nernst",
    "nmj_release_factor",
    "reversal_potentials",
]

# --- physical constants -----------------------------------------------------------------
#: Molar gas constant, J/(mol K) (CODATA 2018, exact since the 2019 SI redefinition).
GAS_CONSTANT_J_PER_MOL_K = 8.314462618
#: Faraday constant, C/mol (CODATA 2018, exact).
FARADAY_C_PER_MOL = 96485.33212
#: 0 °C in kelvin (SI definition).
ZERO_CELSIUS_K = 273.15
#: Allowed temperature range, °C: teaching choice covering cold bath to fever; the
#: surface-charge and release constants below were not measured beyond it.
TEMPERATURE_RANGE_C = (0.0, 45.0)


def RT_OVER_F_MV(temperature_C: float) -> float:
    """Thermal voltage RT/F in mV (26.73 mV at 37 °C).

    Parameters
    ----------
    temperature_C : float
        Temperature, °C, in [0, 45].
    """
    t = check_real("temperature_C", temperature_C, "°C", *TEMPERATURE_RANGE_C, "temperature")
    return 1000.0 * GAS_CONSTANT_J_PER_MOL_K * (t + ZERO_CELSIUS_K) / FARADAY_C_PER_MOL


# --- plasma: validity ranges, reference ranges, disorders ---------------------------------
#: Range in which the model accepts each plasma ion, mmol/L. Teaching choice: wide enough
#: for the severe disorders in DISORDERS (and a margin beyond them), narrow enough to reject
#: unit slips (mg/dL typed as mmol/L) and values no patient survives.
VALIDITY_RANGES: Mapping[str, tuple[float, float]] = MappingProxyType(
    {"Na": (100.0, 180.0), "K": (1.0, 12.0), "Cl": (60.0, 140.0), "Ca": (0.2, 4.0),
     "Mg": (0.05, 3.0)}
)  # fmt: skip

#: Clinical adult plasma reference ranges, mmol/L (ionised Ca and Mg).
#: Na 135–145, K 3.5–5.0, Cl 98–107: common adult intervals (e.g. Tietz), not verified
#: against Tietz itself. Ca (ionised) 1.1–1.3: rounded outward from 1.16–1.32 (Davis's Lab
#: & Diagnostic Tests, ion-selective electrode) and 1.15–1.33 (NHS Tayside guideline).
#: Mg (ionised) 0.45–0.67: ion-selective-electrode reference range of 75 controls
#: (PubMed 9736811, 1998); total serum Mg is 0.7–1.0, of which ~2/3 is ionised.
REFERENCE_RANGES: Mapping[str, tuple[float, float]] = MappingProxyType(
    {"Na": (135.0, 145.0), "K": (3.5, 5.0), "Cl": (98.0, 107.0), "Ca": (1.1, 1.3),
     "Mg": (0.45, 0.67)}
)  # fmt: skip

_MEANING = {
    "Na": "extracellular sodium",
    "K": "extracellular potassium",
    "Cl": "extracellular chloride",
    "Ca": "ionised extracellular calcium",
    "Mg": "ionised extracellular magnesium",
}
_DISORDER_WORDS = {  # ion -> (low name, high name)
    "Na": ("hyponatraemia", "hypernatraemia"),
    "K": ("hypokalaemia", "hyperkalaemia"),
    "Cl": ("hypochloraemia", "hyperchloraemia"),
    "Ca": ("hypocalcaemia", "hypercalcaemia"),
    "Mg": ("hypomagnesaemia", "hypermagnesaemia"),
}

#: Named disorders: the ions they change, mmol/L (others stay normal).
DISORDERS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        # K grading (StatPearls "Hypokalemia" 2023): mild 3.0–3.4, moderate 2.5–3.0,
        # severe < 2.5 mmol/L. 2.8 is moderate (weakness, cramps); 2.0 is severe.
        "hypokalaemia": MappingProxyType({"K": 2.8}),
        "severe_hypokalaemia": MappingProxyType({"K": 2.0}),
        # UK Kidney Association grading: mild 5.5–5.9, moderate 6.0–6.4, severe >= 6.5.
        # 6.5 is the severe threshold; 8.5 is a teaching choice well inside the range of
        # QRS widening and paralysis (K > 10 mmol/L is usually fatal, RCEM learning).
        "hyperkalaemia": MappingProxyType({"K": 6.5}),
        "severe_hyperkalaemia": MappingProxyType({"K": 8.5}),
        # Ionised Ca < 0.8 mmol/L is a laboratory critical value (Davis's Lab & Diagnostic
        # Tests); docs/science.md §5: tetany appears below ~0.8–1.0. Symptomatic hypocalcaemia
        # occurred at ionised Ca <= 2.50 mg/dL = 0.62 mmol/L (Sorell & Rosen 1975) -> 0.6.
        "hypocalcaemia": MappingProxyType({"Ca": 0.8}),
        "severe_hypocalcaemia": MappingProxyType({"Ca": 0.6}),
        # Ionised Ca > 1.6 mmol/L is the critical high value (Davis's, as above).
        "hypercalcaemia": MappingProxyType({"Ca": 1.6}),
        # Ionised Mg ~= 0.66 x total + 0.039 (Koch et al., ICU patients, via
        # medicalalgorithms.com; tested for total 0.57–1.08 only). Ionised 0.3 <-> total
        # ~0.40 mmol/L, below the 0.5 at which symptoms appear. Ionised 1.4 <-> total ~2.1,
        # where deep-tendon reflexes fade (extrapolated; teaching choice).
        "hypomagnesaemia": MappingProxyType({"Mg": 0.3}),
        "hypermagnesaemia": MappingProxyType({"Mg": 1.4}),
        # Spasovski et al. 2014 European guideline: mild 130–135, moderate 125–129,
        # profound < 125 mmol/L. 125 is the moderate/profound boundary.
        "hyponatraemia": MappingProxyType({"Na": 125.0}),
    }
)


def disorder_names() -> list[str]:
    """Names accepted by :meth:`Electrolytes.disorder`, sorted."""
    return sorted(DISORDERS)


def _fmt(value: float) -> str:
    """Concentration with at least one and at most two decimals (3.0, 0.55, 140.0)."""
    s = f"{value:.2f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


def _normalise_disorder_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"disorder names must be strings; got {name!r}")
    key = "".join(ch for ch in name.lower() if ch.isalpha())
    if "aemia" not in key:  # accept US spelling: hypokalemia -> hypokalaemia
        key = key.replace("emia", "aemia")
    # Separators are ignored: "Severe hypokalaemia" and "severe-hypokalaemia" both match.
    return {n.replace("_", ""): n for n in DISORDERS}.get(key, key)


@dataclass(frozen=True)
class Electrolytes:
    """Extracellular (plasma) ion concentrations, mmol/L; defaults are normal plasma.

    Parameters
    ----------
    Na, K, Cl : float
        Sodium, potassium and chloride, mmol/L. Defaults are mid-reference values.
    Ca : float
        Ionised calcium, mmol/L (1.2: middle of 1.1–1.3).
    Mg : float
        Ionised magnesium, mmol/L (0.55: median ionised Mg of healthy controls was 0.54 in
        Nephron 1998;79:288 and 0.55 in Seo et al. 2005, Korean J Nephrol 24:957).

    Raises
    ------
    TypeError, ValueError
        If a value is not a real number, or lies outside the model's validity range
        (``VALIDITY_RANGES``); the message names the ion, value, unit, range and meaning.
    """

    Na: float = 140.0
    K: float = 4.0
    Cl: float = 104.0
    Ca: float = 1.2
    Mg: float = 0.55

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            lo, hi = VALIDITY_RANGES[f.name]
            ref_lo, ref_hi = REFERENCE_RANGES[f.name]
            meaning = (
                f"{_MEANING[f.name]}, model-validity range; "
                f"clinical reference {ref_lo:g}–{ref_hi:g} mmol/L"
            )
            value = check_real(f.name, getattr(self, f.name), "mmol/L", lo, hi, meaning)
            object.__setattr__(self, f.name, value)

    def __repr__(self) -> str:
        changed = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != f.default
        ]
        return f"Electrolytes({', '.join(changed)})"

    def replace(self, **changes: float) -> Electrolytes:
        """Return a copy with some concentrations changed (validated like the constructor)."""
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise TypeError(
                f"unknown ion(s) {unknown}; Electrolytes has Na, K, Cl, Ca, Mg (mmol/L)"
            )
        return dataclasses.replace(self, **changes)

    def out_of_range(self) -> dict[str, str]:
        """Ions outside the clinical reference range: ion -> ``"low"`` or ``"high"``."""
        flags = {}
        for f in dataclasses.fields(self):
            lo, hi = REFERENCE_RANGES[f.name]
            value = getattr(self, f.name)
            if value < lo:
                flags[f.name] = "low"
            elif value > hi:
                flags[f.name] = "high"
        return flags

    def describe(self) -> str:
        """Plain-words summary, e.g. ``"hypokalaemia (K 3.0 mmol/L)"``, or ``"normal"``."""
        parts = []
        for ion, side in self.out_of_range().items():
            word = _DISORDER_WORDS[ion][0 if side == "low" else 1]
            ionised = "ionised " if ion in ("Ca", "Mg") else ""
            parts.append(f"{word} ({ionised}{ion} {_fmt(getattr(self, ion))} mmol/L)")
        return ", ".join(parts) if parts else "normal"

    def dehydrated(self, body_mass_loss_pct: float) -> Electrolytes:
        """Plasma after losing ``body_mass_loss_pct`` % of body mass as water.

        Teaching model: the loss is free water taken evenly from total body water (~60 %
        of body mass in adults; Guyton & Hall, *Textbook of Medical Physiology*), so every
        extracellular concentration rises by ``1/(1 − w)`` with ``w = loss / 60``. Sweat is
        hypotonic, so this is the upper bound of the change:
        3 % of body mass raises Na by ~7 mmol/L and ionised Ca by ~0.06 mmol/L. (Measured
        after exercise dehydration of 3–4 %: plasma Na up ~3–5 mmol/L; Sawka et al. 2007,
        ACSM position stand, Med Sci Sports Exerc 39:377.) Concentrating the divalent
        ions makes nerve slightly *less* excitable, which is why, in the model as in the
        trials (Braulick et al. 2013, Br J Sports Med 47:710), dehydration alone does not
        bring on cramps.

        Parameters
        ----------
        body_mass_loss_pct : float
            Body mass lost as water, % (0–10; beyond ~10 % is a medical emergency).

        Returns
        -------
        Electrolytes
            The concentrated plasma.
        """
        check_real("body_mass_loss_pct", body_mass_loss_pct, "%", 0.0, 10.0,
                   "Electrolytes.dehydrated")  # fmt: skip
        k = 1.0 / (1.0 - body_mass_loss_pct / 60.0)
        return Electrolytes(Na=self.Na * k, K=self.K * k, Cl=self.Cl * k, Ca=self.Ca * k,
                            Mg=self.Mg * k)  # fmt: skip

    @classmethod
    def disorder(cls, *names: str) -> Electrolytes:
        """Normal plasma with one or more named disorders applied.

        ``Electrolytes.disorder("hypocalcaemia", "hypomagnesaemia")``. Names are case- and
        hyphen-insensitive and accept US spelling ("hypokalemia").

        Raises
        ------
        ValueError
            For an unknown name (the message lists the valid ones) or two disorders that
            set the same ion to different values.
        """
        changes: dict[str, float] = {}
        source: dict[str, str] = {}
        for name in names:
            key = _normalise_disorder_name(name)
            if key not in DISORDERS:
                raise ValueError(
                    f"unknown disorder {name!r}; valid names are {', '.join(disorder_names())}"
                )
            for ion, value in DISORDERS[key].items():
                if ion in changes and changes[ion] != value:
                    raise ValueError(
                        f"disorders {source[ion]!r} and {key!r} both set {ion} "
                        f"({changes[ion]:g} vs {value:g} mmol/L); choose one"
                    )
                changes[ion] = value
                source[ion] = key
        return cls(**changes)


_NORMAL = Electrolytes()


# --- cytosol ----------------------------------------------------------------------------
@dataclass(frozen=True)
class IntracellularIons:
    """Free cytosolic ion concentrations.

    Parameters
    ----------
    Na, K, Cl : float
        mmol/L.
    Ca_uM : float
        Free resting cytosolic calcium, µmol/L.
    """

    Na: float
    K: float
    Cl: float
    Ca_uM: float

    # Teaching-choice validity ranges: span the cytosol of excitable cells (e.g. immature
    # neurons reach Cl ~30 mmol/L) and reject unit slips (Ca in mmol/L instead of µmol/L).
    _RANGES = MappingProxyType(
        {"Na": (1.0, 50.0, "mmol/L"), "K": (50.0, 200.0, "mmol/L"),
         "Cl": (1.0, 60.0, "mmol/L"), "Ca_uM": (0.01, 10.0, "µmol/L")}
    )  # fmt: skip

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            lo, hi, unit = self._RANGES[f.name]
            value = check_real(f.name, getattr(self, f.name), unit, lo, hi, "cytosolic")
            object.__setattr__(self, f.name, value)


#: Spinal alpha motor neuron. K 105 mmol/L: Forsythe & Redman (1988) estimated K_i
#: ~106 mmol/L in rat motoneurons from the AHP reversal (which also contains some non-K
#: current); with the CNS fluid's K of 3 mmol/L (:data:`CNS_K_MM`) it puts E_K at −95 mV
#: at 37 °C. Na 10 mmol/L: teaching choice, a typical mammalian neuron value. Cl
#: 6.5 mmol/L: from the Ia IPSC reversal in cat motoneurons (Stuart & Redman 1990;
#: Forsythe & Redman 1988: 6.6). Ca 0.1 µmol/L: resting free Ca of neurons (~100 nmol/L,
#: Hille 2001).
MOTOR_NEURON_INSIDE = IntracellularIons(Na=10.0, K=105.0, Cl=6.5, Ca_uM=0.1)

#: Potassium of the CNS interstitial fluid around the spinal motor-neuron somata and
#: dendrites, mmol/L. The blood–brain barrier and glia hold it near 3 mmol/L whatever
#: plasma K does: CSF K is 2.6–3.2 mmol/L and barely moves when plasma K is raised or
#: lowered for hours (Katzman 1976, Fed Proc 35:1244; Bradbury & Kleeman 1967, Am J
#: Physiol 213:519). So plasma potassium acts on the peripheral axon, the junction and
#: the muscle fibres, not on the cell that decides to fire (:func:`soma_fluid`).
CNS_K_MM = 3.0


#: Ionised Ca and Mg of the CNS fluid around the somata, mmol/L: the blood–brain barrier and
#: choroid plexus regulate CSF Ca and Mg too, so they barely follow plasma (docs/science.md
#: §5, "where plasma ions act"). Held at the model's normal plasma values (teaching choice:
#: the soma's divalent gating shift is then zero, and its excitability is what the
#: normal-plasma calibration of the motor neuron set).
CNS_CA_MM = Electrolytes().Ca
CNS_MG_MM = Electrolytes().Mg


def soma_fluid(plasma: Electrolytes) -> Electrolytes:
    """The fluid a motor-neuron soma sees for plasma ``plasma``: K held at
    :data:`CNS_K_MM`, Ca and Mg at :data:`CNS_CA_MM` and :data:`CNS_MG_MM`; Na and Cl as in
    plasma (CSF Na and Cl follow plasma over hours).

    Plasma Ca and Mg act on the peripheral axon (:mod:`musclesim.axon`), where the
    discharges of tetany begin (Macefield & Burke 1991), and on the junction.
    """
    _check_type("plasma", plasma, Electrolytes)
    return plasma.replace(K=CNS_K_MM, Ca=CNS_CA_MM, Mg=CNS_MG_MM)


#: Mammalian skeletal-muscle fibre: Na 12, K 155, Cl 4 mmol/L, Ca 0.1 µmol/L, as commonly
#: quoted from Hille 2001, Table 1.1 (mammalian skeletal muscle); not verified against
#: the book itself.
MUSCLE_FIBRE_INSIDE = IntracellularIons(Na=12.0, K=155.0, Cl=4.0, Ca_uM=0.1)


# --- Nernst and GHK ---------------------------------------------------------------------
#: Upper bound for a concentration passed to nernst(), mmol/L: teaching choice, above any
#: physiological solution; rejects unit slips (µmol/L typed as mmol/L).
MAX_CONCENTRATION_MM = 10_000.0


def _check_concentration(name: str, value: object) -> float | np.ndarray:
    if isinstance(value, (np.ndarray, list, tuple)):
        arr = np.asarray(value)
        if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"{name} must hold real numbers in mmol/L; got dtype {arr.dtype}")
        arr = arr.astype(float)
        bad = arr[~(np.isfinite(arr) & (arr > 0) & (arr <= MAX_CONCENTRATION_MM))]
        if bad.size:
            raise ValueError(
                f"{name} contains {bad[0]!r} mmol/L; every value must be finite and in "
                f"(0, {MAX_CONCENTRATION_MM:g}] mmol/L (concentration)"
            )
        return arr
    return check_real(
        name, value, "mmol/L", 0.0, MAX_CONCENTRATION_MM, "concentration", lo_open=True
    )


@overload
def nernst(z: int, c_out: float, c_in: float, temperature_C: float = ...) -> float: ...
@overload
def nernst(
    z: int, c_out: np.ndarray, c_in: float, temperature_C: float = ...
) -> float | np.ndarray: ...
def nernst(
    z: int, c_out: float | np.ndarray, c_in: float, temperature_C: float = 37.0
) -> float | np.ndarray:
    """Equilibrium (Nernst) potential of one ion, mV: E = (RT/zF) ln(c_out/c_in).

    Parameters
    ----------
    z : int
        Valence, nonzero, -3..3 (K+ 1, Ca2+ 2, Cl- -1).
    c_out : float or array_like
        Extracellular concentration, mmol/L, > 0. An array gives an array of potentials.
    c_in : float
        Intracellular concentration, mmol/L, > 0 (same unit as ``c_out``).
    temperature_C : float
        °C, in [0, 45].

    Returns
    -------
    float or numpy.ndarray
        Inside-minus-outside potential at which the ion is at equilibrium, mV.

    References
    ----------
    Hille 2001, ch. 1. At 37 °C, RT/F = 26.73 mV: 61.5 mV per tenfold ratio for z = 1.
    """
    if isinstance(z, Integral) and not isinstance(z, bool):
        z = int(z)
    z = check_int("z", z, -3, 3, "ionic valence")
    if z == 0:
        raise ValueError("z = 0 is not an ion; valence must be a nonzero integer in [-3, 3]")
    out = _check_concentration("c_out", c_out)
    inside = _check_concentration("c_in", c_in)
    e = RT_OVER_F_MV(temperature_C) / z * (np.log(out) - np.log(inside))
    return float(e) if np.ndim(e) == 0 else e


@dataclass(frozen=True)
class ReversalPotentials:
    """Nernst potentials of the main ions, mV."""

    E_Na: float
    E_K: float
    E_Cl: float
    E_Ca: float


def _check_type(name: str, value: object, cls: type) -> None:
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be a {cls.__name__}; got {type(value).__name__}")


def reversal_potentials(
    e: Electrolytes, inside: IntracellularIons, temperature_C: float = 37.0
) -> ReversalPotentials:
    """Nernst potentials of Na, K, Cl and Ca across a membrane, mV.

    Parameters
    ----------
    e : Electrolytes
        Plasma concentrations (ionised Ca).
    inside : IntracellularIons
        Cytosolic concentrations (Ca in µmol/L, converted here to mmol/L).
    temperature_C : float
        °C, in [0, 45].
    """
    _check_type("e", e, Electrolytes)
    _check_type("inside", inside, IntracellularIons)
    t = temperature_C
    return ReversalPotentials(
        E_Na=nernst(1, e.Na, inside.Na, t),
        E_K=nernst(1, e.K, inside.K, t),
        E_Cl=nernst(-1, e.Cl, inside.Cl, t),
        E_Ca=nernst(2, e.Ca, inside.Ca_uM * 1e-3, t),
    )


def ghk_potential(
    e: Electrolytes,
    inside: IntracellularIons,
    p_K: float = 1.0,
    p_Na: float = 0.04,
    p_Cl: float = 0.45,
    temperature_C: float = 37.0,
) -> float:
    """Resting potential from the Goldman–Hodgkin–Katz voltage equation, mV.

    V = (RT/F) ln[(p_K K_o + p_Na Na_o + p_Cl Cl_i) / (p_K K_i + p_Na Na_i + p_Cl Cl_o)]

    Parameters
    ----------
    e, inside : Electrolytes, IntracellularIons
        Concentrations, mmol/L.
    p_K, p_Na, p_Cl : float
        Permeabilities relative to one another, dimensionless, each in [0, 100], not all
        zero. Defaults 1 : 0.04 : 0.45 are Hodgkin & Katz's (1949) resting ratios for the
        squid giant axon; mammalian skeletal muscle has a much larger Cl permeability
        (Cl carries most of its resting conductance; Hille 2001).
    temperature_C : float
        °C, in [0, 45].

    References
    ----------
    Goldman 1943; Hodgkin & Katz 1949.
    """
    _check_type("e", e, Electrolytes)
    _check_type("inside", inside, IntracellularIons)
    pk = check_real("p_K", p_K, "", 0.0, 100.0, "relative K permeability")
    pna = check_real("p_Na", p_Na, "", 0.0, 100.0, "relative Na permeability")
    pcl = check_real("p_Cl", p_Cl, "", 0.0, 100.0, "relative Cl permeability")
    if pk + pna + pcl == 0.0:
        raise ValueError("p_K, p_Na and p_Cl are all 0; at least one permeability must be > 0")
    # Cl is an anion: its inside concentration sits with the cations' outside ones.
    num = pk * e.K + pna * e.Na + pcl * inside.Cl
    den = pk * inside.K + pna * inside.Na + pcl * e.Cl
    return RT_OVER_F_MV(temperature_C) * math.log(num / den)


# --- divalent screening of gating ---------------------------------------------------------
#: Slope of the gating shift, mV per tenfold change of the screening concentration.
#: Frankenhaeuser & Hodgkin (1957) found a fivefold fall in external Ca acts on squid-axon
#: gating like a 10–15 mV depolarisation (as commonly quoted and in docs/science.md; the paper
#: itself was not retrieved), i.e. 14–21 mV per decade. 24 mV/decade on the Ca-equivalent
#: concentration below gives a local slope of 21 mV per decade of Ca at normal plasma and
#: -12.7 mV for a fivefold Ca fall. It stays under the Gouy–Chapman ceiling for screening
#: by divalents alone, (RT/2F) ln 10 = 30.8 mV/decade at 37 °C (Hille 2001, surface charge).
GATING_SLOPE_MV_PER_DECADE = 24.0
#: Mg screens/binds the gating surface charge less than Ca, counted as 0.3 Ca-equivalent
#: per ion. Teaching choice bracketed by squid-axon data: adding 50 mmol/L Mg to 10 Ca shifted
#: Na inactivation less than raising Ca to 30 (Shoukimas, J Membr Biol, 1978; abstract
#: read, attribution not verified), so Mg is worth < 0.4 Ca.
MG_SCREENING_WEIGHT = 0.3


def _screening_mM(e: Electrolytes) -> float:
    return e.Ca + MG_SCREENING_WEIGHT * e.Mg


def gating_shift_mV(e: Electrolytes) -> float:
    """Shift of all voltage-gating curves by divalent surface-charge screening, mV.

    External Ca and Mg bind and screen fixed negative charge on the outer face of the
    membrane. With less of them the outer surface is more negative, so the channel voltage
    sensors feel the membrane as more depolarised: every gate moves toward rest and the
    cell becomes more excitable — the mechanism of hypocalcaemic tetany.

    shift = S · log10(C / C_normal),  C = [Ca] + w·[Mg]

    with S = ``GATING_SLOPE_MV_PER_DECADE`` and w = ``MG_SCREENING_WEIGHT``. The shift is
    0 at normal plasma and negative when Ca or Mg fall; a model neuron evaluates its rate
    functions at ``V - shift``.

    Parameters
    ----------
    e : Electrolytes

    Returns
    -------
    float
        mV; about -12.7 for a fivefold fall in ionised Ca alone.

    References
    ----------
    Frankenhaeuser & Hodgkin 1957; Hille 2001 (surface charge and divalent ions).
    """
    _check_type("e", e, Electrolytes)
    return GATING_SLOPE_MV_PER_DECADE * math.log10(_screening_mM(e) / _screening_mM(_NORMAL))


# --- K-dependence of K conductances -------------------------------------------------------
#: Reference external K for the conductance scaling, mmol/L (the normal plasma default).
K_REFERENCE_MM = 4.0


def k_conductance_scale(e: Electrolytes) -> float:
    """Factor on K conductances from external K: sqrt([K]o / 4 mmol/L), 1 at normal.

    Inward-rectifier (and many other) K channels conduct more when external K rises,
    close to the square root of [K]o (Hagiwara & Takahashi 1974; Hille 2001). So high K
    both depolarises (E_K) and shunts; low K hyperpolarises E_K but lowers the K
    conductance that holds the membrane at rest.
    """
    _check_type("e", e, Electrolytes)
    return math.sqrt(e.K / K_REFERENCE_MM)


# --- neuromuscular transmitter release ----------------------------------------------------
#: Dissociation constants of Ca and Mg from the release site X, mmol/L, and the number
#: of Ca ions acting together. Dodge & Rahamimoff (1967, frog NMJ, room temperature):
#: release ∝ W^4 with a log-log slope of 3.78 ± 0.2 at low Ca (abstract verified).
#: K_Ca 1.1 and K_Mg 3.0 mmol/L are the values as commonly quoted from that paper;
#: the original table was not retrieved, so they are not verified. Frog, not human.
NMJ_K_CA_MM = 1.1
NMJ_K_MG_MM = 3.0
NMJ_COOPERATIVITY = 4


def _release_occupancy(e: Electrolytes) -> float:
    ca = e.Ca / NMJ_K_CA_MM
    return ca / (1.0 + ca + e.Mg / NMJ_K_MG_MM)


def nmj_release_factor(e: Electrolytes) -> float:
    """Transmitter released per nerve impulse at the NMJ, relative to normal plasma.

    Ca and Mg compete for a site X on the nerve terminal; release needs about four Ca
    ions bound together (Dodge & Rahamimoff 1967):

    release ∝ W^4,  W = ([Ca]/K_Ca) / (1 + [Ca]/K_Ca + [Mg]/K_Mg)

    So low Ca or high Mg reduce release steeply (hypermagnesaemic weakness), and low Mg
    raises it.

    Parameters
    ----------
    e : Electrolytes

    Returns
    -------
    float
        Dimensionless, 1 at normal plasma.
    """
    _check_type("e", e, Electrolytes)
    return (_release_occupancy(e) / _release_occupancy(_NORMAL)) ** NMJ_COOPERATIVITY
