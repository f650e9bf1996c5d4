"""Unit tests for musclesim.electrolytes: equations against hand calculations, errors.

Hand calculations use RT/F = 26.72666 mV at 37 °C (R = 8.314462618 J/(mol K),
F = 96485.33212 C/mol, T = 310.15 K; CODATA 2018). Tolerances of 0.01 mV cover rounding
of the hand-computed literals; the equations themselves are exact.
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest

from musclesim.electrolytes import (
    DISORDERS,
    MOTOR_NEURON_INSIDE,
    MUSCLE_FIBRE_INSIDE,
    REFERENCE_RANGES,
    VALIDITY_RANGES,
    Electrolytes,
    IntracellularIons,
    ReversalPotentials,
    disorder_names,
    gating_shift_mV,
    ghk_potential,
    k_conductance_scale,
    nernst,
    nmj_release_factor,
    reversal_potentials,
)

RT_F_37 = 26.72666  # mV, see module docstring
IONS = ("Na", "K", "Cl", "Ca", "Mg")


# --- Nernst -------------------------------------------------------------------------------
def test_calcium_equilibrium_potential_is_large_and_positive():
    # Hand: E_Ca = (26.72666/2) ln(1.2 / 1e-4) = 13.36333 x 9.392662 = 125.517 mV
    # (ionised Ca 1.2 mmol/L outside, 0.1 µmol/L free inside).
    assert nernst(2, 1.2, 1e-4) == pytest.approx(125.517, abs=0.01)


def test_chloride_equilibrium_potential_sign_follows_anion_valence():
    # Hand: E_Cl = -(26.72666) ln(104 / 6.5) = -26.72666 x 2.772589 = -74.102 mV
    assert nernst(-1, 104.0, 6.5) == pytest.approx(-74.102, abs=0.01)


def test_equilibrium_potential_scales_with_absolute_temperature():
    # E ∝ T (kelvin): 20 °C vs 37 °C ratio 293.15/310.15.
    ratio = nernst(1, 4.0, 140.0, 20.0) / nernst(1, 4.0, 140.0, 37.0)
    assert ratio == pytest.approx(293.15 / 310.15, rel=1e-12)


def test_nernst_is_vectorised_over_outside_concentration():
    c_out = np.array([2.0, 4.0, 8.0])
    e = nernst(1, c_out, 140.0)
    assert isinstance(e, np.ndarray) and e.shape == (3,)
    assert e == pytest.approx([nernst(1, c, 140.0) for c in c_out], abs=1e-12)


def test_nernst_returns_plain_float_for_scalars():
    assert type(nernst(1, 4.0, 140.0)) is float


@pytest.mark.parametrize(
    ("kwargs", "exc", "pattern"),
    [
        ({"z": 1, "c_out": 4.0, "c_in": 0.0}, ValueError, r"c_in = 0\.0 mmol/L"),
        ({"z": 1, "c_out": -4.0, "c_in": 140.0}, ValueError, r"c_out = -4\.0 mmol/L"),
        ({"z": 1, "c_out": math.nan, "c_in": 140.0}, ValueError, r"c_out = nan mmol/L"),
        ({"z": 0, "c_out": 4.0, "c_in": 140.0}, ValueError, r"z = 0"),
        ({"z": 4, "c_out": 4.0, "c_in": 140.0}, ValueError, r"z = 4"),
        ({"z": 1.5, "c_out": 4.0, "c_in": 140.0}, TypeError, r"z must be an integer"),
        ({"z": True, "c_out": 4.0, "c_in": 140.0}, TypeError, r"z must be an integer"),
        (
            {"z": 1, "c_out": 4.0, "c_in": 140.0, "temperature_C": 100.0},
            ValueError,
            r"temperature_C = 100\.0 °C",
        ),
        ({"z": 1, "c_out": np.array([4.0, 0.0]), "c_in": 140.0}, ValueError, r"c_out contains"),
        ({"z": 1, "c_out": "4", "c_in": 140.0}, TypeError, r"c_out must be a real number"),
    ],
)
def test_nernst_rejects_bad_arguments(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        nernst(**kwargs)


def test_reversal_potentials_use_micromolar_cytosolic_calcium():
    rp = reversal_potentials(Electrolytes(), MOTOR_NEURON_INSIDE)
    assert isinstance(rp, ReversalPotentials)
    # Hand: E_Na = 26.72666 ln(140/10) = 26.72666 x 2.639057 = 70.533 mV
    assert rp.E_Na == pytest.approx(70.533, abs=0.01)
    assert rp.E_Ca == pytest.approx(nernst(2, 1.2, 0.1e-3), abs=1e-12)
    assert rp.E_Cl == pytest.approx(nernst(-1, 104.0, 6.5), abs=1e-12)


def test_muscle_fibre_potassium_potential_is_more_negative_than_motor_neurons():
    # Higher cytosolic K in muscle (155 vs 140 mmol/L) -> more negative E_K.
    e = Electrolytes()
    assert (
        reversal_potentials(e, MUSCLE_FIBRE_INSIDE).E_K
        < reversal_potentials(e, MOTOR_NEURON_INSIDE).E_K
    )


# --- GHK ----------------------------------------------------------------------------------
INSIDE = IntracellularIons(Na=10.0, K=140.0, Cl=6.5, Ca_uM=0.1)


def test_ghk_resting_potential_matches_hand_calculation():
    # Hand, p = 1 : 0.04 : 0.45, outside Na 140, K 4, Cl 104; inside Na 10, K 140, Cl 6.5:
    # num = 4 + 0.04*140 + 0.45*6.5 = 12.525; den = 140 + 0.04*10 + 0.45*104 = 187.2
    # V = 26.72666 ln(12.525/187.2) = 26.72666 x (-2.704446) = -72.281 mV
    assert ghk_potential(Electrolytes(), INSIDE) == pytest.approx(-72.281, abs=0.01)


def test_ghk_reduces_to_potassium_nernst_when_only_potassium_permeates():
    e = Electrolytes(K=6.0)
    v = ghk_potential(e, INSIDE, p_K=1.0, p_Na=0.0, p_Cl=0.0)
    assert v == pytest.approx(nernst(1, 6.0, 140.0), abs=1e-9)


def test_raised_plasma_potassium_depolarises_rest_by_hand_computed_amount():
    # Hand: K 4 -> 8 raises num from 12.525 to 16.525, den unchanged:
    # dV = 26.72666 ln(16.525/12.525) = 26.72666 x 0.277190 = +7.408 mV
    v4 = ghk_potential(Electrolytes(K=4.0), INSIDE)
    v8 = ghk_potential(Electrolytes(K=8.0), INSIDE)
    assert v8 - v4 == pytest.approx(7.408, abs=0.01)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"p_K": 0.0, "p_Na": 0.0, "p_Cl": 0.0}, r"all 0"),
        ({"p_Na": -0.1}, r"p_Na = -0\.1"),
        ({"p_Cl": math.inf}, r"p_Cl = inf"),
    ],
)
def test_ghk_rejects_bad_permeabilities(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        ghk_potential(Electrolytes(), INSIDE, **kwargs)


def test_functions_reject_a_non_electrolytes_argument():
    for fn in (gating_shift_mV, k_conductance_scale, nmj_release_factor):
        with pytest.raises(TypeError, match="must be a Electrolytes"):
            fn({"K": 4.0})
    with pytest.raises(TypeError, match="inside must be a IntracellularIons"):
        ghk_potential(Electrolytes(), {"K": 140.0})


# --- gating shift -------------------------------------------------------------------------
def test_gating_shift_is_zero_in_normal_plasma():
    assert gating_shift_mV(Electrolytes()) == 0.0


def test_magnesium_screens_less_than_calcium_for_the_same_fractional_fall():
    ca_fall = gating_shift_mV(Electrolytes(Ca=1.2 / 5))
    mg_fall = gating_shift_mV(Electrolytes(Mg=0.55 / 5))
    assert ca_fall < mg_fall < 0.0


def test_gating_shift_rises_monotonically_with_calcium_and_magnesium():
    ca = np.linspace(*VALIDITY_RANGES["Ca"], 60)
    mg = np.linspace(*VALIDITY_RANGES["Mg"], 60)
    assert np.all(np.diff([gating_shift_mV(Electrolytes(Ca=c)) for c in ca]) > 0)
    assert np.all(np.diff([gating_shift_mV(Electrolytes(Mg=m)) for m in mg]) > 0)


def test_hypocalcaemia_moves_gating_toward_rest_and_hypercalcaemia_away():
    assert gating_shift_mV(Electrolytes.disorder("hypocalcaemia")) < 0.0
    assert gating_shift_mV(Electrolytes.disorder("hypercalcaemia")) > 0.0


def test_gating_shift_ignores_monovalent_ions():
    assert gating_shift_mV(Electrolytes(K=2.0, Na=125.0, Cl=90.0)) == 0.0


# --- K-conductance scaling ----------------------------------------------------------------
def test_potassium_conductance_scale_is_one_in_normal_plasma():
    assert k_conductance_scale(Electrolytes()) == pytest.approx(1.0, abs=1e-15)


def test_doubling_plasma_potassium_raises_k_conductance_by_root_two():
    assert k_conductance_scale(Electrolytes(K=8.0)) == pytest.approx(math.sqrt(2.0), abs=1e-12)


# --- NMJ release --------------------------------------------------------------------------
def test_nmj_release_is_one_in_normal_plasma():
    assert nmj_release_factor(Electrolytes()) == pytest.approx(1.0, abs=1e-15)


def test_nmj_release_falls_with_low_calcium_and_with_high_magnesium():
    assert nmj_release_factor(Electrolytes(Ca=0.8)) < 1.0
    assert nmj_release_factor(Electrolytes(Mg=1.4)) < 1.0
    assert nmj_release_factor(Electrolytes(Mg=0.3)) > 1.0


def test_nmj_release_matches_hand_calculation_in_hypocalcaemia():
    # Hand, K_Ca 1.1, K_Mg 3.0 mmol/L, Mg 0.55:
    # W0 = (1.2/1.1)/(1 + 1.2/1.1 + 0.55/3) = 1.090909/2.274242 = 0.479680
    # W  = (0.8/1.1)/(1 + 0.8/1.1 + 0.55/3) = 0.727273/1.910606 = 0.380650
    # (W/W0)^4 = 0.793547^4 = 0.39655
    assert nmj_release_factor(Electrolytes(Ca=0.8)) == pytest.approx(0.39655, abs=1e-4)


# --- Electrolytes: ranges, description, disorders -----------------------------------------
def test_defaults_are_inside_every_reference_range():
    e = Electrolytes()
    for ion in IONS:
        lo, hi = REFERENCE_RANGES[ion]
        assert lo <= getattr(e, ion) <= hi
    assert e.out_of_range() == {}
    assert e.describe() == "normal"


def test_low_potassium_is_named_hypokalaemia():
    e = Electrolytes(K=3.0)
    assert e.out_of_range() == {"K": "low"}
    assert e.describe() == "hypokalaemia (K 3.0 mmol/L)"


def test_description_lists_every_disorder_in_ion_order():
    e = Electrolytes(K=3.0, Mg=0.3, Na=150.0)
    assert e.out_of_range() == {"Na": "high", "K": "low", "Mg": "low"}
    assert e.describe() == (
        "hypernatraemia (Na 150.0 mmol/L), hypokalaemia (K 3.0 mmol/L), "
        "hypomagnesaemia (ionised Mg 0.3 mmol/L)"
    )


@pytest.mark.parametrize("name", sorted(DISORDERS))
def test_each_named_disorder_is_out_of_range_and_described(name):
    e = Electrolytes.disorder(name)
    (ion,) = DISORDERS[name]
    side = "low" if "hypo" in name else "high"
    assert e.out_of_range() == {ion: side}
    assert name.removeprefix("severe_") in e.describe()


def test_disorders_combine_and_accept_us_spelling():
    e = Electrolytes.disorder("Hypocalcemia", "hypo-magnesemia")
    assert (e.Ca, e.Mg) == (DISORDERS["hypocalcaemia"]["Ca"], DISORDERS["hypomagnesaemia"]["Mg"])
    assert Electrolytes.disorder() == Electrolytes()


def test_disorder_names_are_sorted_and_cover_the_required_set():
    names = disorder_names()
    assert names == sorted(names)
    required = {
        "hypokalaemia",
        "severe_hypokalaemia",
        "hyperkalaemia",
        "severe_hyperkalaemia",
        "hypocalcaemia",
        "severe_hypocalcaemia",
        "hypomagnesaemia",
        "hypercalcaemia",
        "hypermagnesaemia",
        "hyponatraemia",
    }
    assert required <= set(names)


def test_unknown_disorder_lists_the_valid_names():
    with pytest.raises(
        ValueError, match=r"unknown disorder 'cramps'.*hypokalaemia.*hyponatraemia"
    ):
        Electrolytes.disorder("cramps")


def test_conflicting_disorders_are_rejected():
    with pytest.raises(ValueError, match=r"both set K"):
        Electrolytes.disorder("hypokalaemia", "hyperkalaemia")


def test_replace_returns_a_validated_copy():
    e = Electrolytes()
    e2 = e.replace(K=3)
    assert e2.K == 3.0 and isinstance(e2.K, float) and e.K == 4.0
    with pytest.raises(ValueError, match=r"K = -1"):
        e.replace(K=-1)
    with pytest.raises(TypeError, match=r"unknown ion\(s\) \['Zn'\]"):
        e.replace(Zn=0.01)


def test_electrolytes_are_frozen_and_repr_shows_only_changes():
    e = Electrolytes(K=3.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.K = 5.0  # type: ignore[misc]
    assert repr(e) == "Electrolytes(K=3.0)"
    assert repr(Electrolytes()) == "Electrolytes()"


def test_module_tables_are_read_only():
    with pytest.raises(TypeError):
        REFERENCE_RANGES["K"] = (1.0, 2.0)  # type: ignore[index]
    with pytest.raises(TypeError):
        DISORDERS["hypokalaemia"]["K"] = 1.0  # type: ignore[index]


def _bad_values(ion: str) -> list[object]:
    lo, hi = VALIDITY_RANGES[ion]
    return [-1.0, 0.0, math.nan, math.inf, -math.inf, "abc", True, lo * 0.9, hi * 1.5]


@pytest.mark.parametrize(("ion", "value"), [(ion, v) for ion in IONS for v in _bad_values(ion)])
def test_bad_plasma_value_raises_naming_ion_value_and_unit(ion, value):
    # The message starts with the ion's name and contains the value as typed and the unit.
    pattern = rf"(?s)^{ion}\b(?=.*{re.escape(repr(value))})(?=.*mmol/L)"
    with pytest.raises((ValueError, TypeError), match=pattern) as info:
        Electrolytes(**{ion: value})
    if info.type is ValueError:  # a value error also states the allowed range
        lo, hi = VALIDITY_RANGES[ion]
        assert f"{lo:g}, {hi:g}]" in str(info.value)


def test_intracellular_ions_reject_calcium_in_the_wrong_unit():
    # 100 would be 100 µmol/L: a resting cytosol given in nmol/L by mistake.
    with pytest.raises(ValueError, match=r"Ca_uM = 100\.0 µmol/L"):
        IntracellularIons(Na=10.0, K=140.0, Cl=6.5, Ca_uM=100.0)
