"""Published numbers that musclesim.electrolytes must reproduce (docs/science.md §5).

Each test cites its source. Clinical thresholds were checked against the cited guideline
or abstract text; where a constant could only be checked in secondary sources the module
says so beside it.
"""

from __future__ import annotations

import math

import pytest

from musclesim.electrolytes import (
    DISORDERS,
    REFERENCE_RANGES,
    RT_OVER_F_MV,
    Electrolytes,
    gating_shift_mV,
    nernst,
    nmj_release_factor,
)


# --- Nernst at body temperature (docs/science.md §5; CODATA 2018 R and F) ----------------------
def test_thermal_voltage_at_body_temperature():
    # RT/F = 8.314462618 x 310.15 / 96485.33212 = 26.7267 mV; tolerance is the rounding
    # of the quoted 26.73.
    assert RT_OVER_F_MV(37.0) == pytest.approx(26.73, abs=0.005)


def test_potassium_equilibrium_potential_at_body_temperature():
    # docs/science.md §5: E_K at [K]o 4, [K]i 140 mmol/L, 37 °C is -95.0 mV
    # (26.7267 x ln(4/140) = -95.02). Tolerance 0.1 mV: the quoted precision.
    assert nernst(1, 4.0, 140.0, 37.0) == pytest.approx(-95.0, abs=0.1)


def test_monovalent_nernst_slope_is_61_5_mv_per_decade():
    # docs/science.md §5: 61.5 mV per tenfold change at 37 °C (26.7267 x ln 10 = 61.54).
    slope = nernst(1, 40.0, 140.0) - nernst(1, 4.0, 140.0)
    assert slope == pytest.approx(61.5, abs=0.1)


# --- clinical reference ranges -----------------------------------------------------------
def test_reference_ranges_are_the_clinical_plasma_values():
    # Na 135–145, K 3.5–5.0, Cl 98–107 mmol/L (common adult intervals, docs/science.md §5);
    # ionised Ca 1.1–1.3 (1.16–1.32 in Davis's Lab & Diagnostic Tests, rounded);
    # ionised Mg 0.45–0.67 mmol/L (ion-selective electrode, 75 controls, PubMed 9736811).
    assert dict(REFERENCE_RANGES) == {
        "Na": (135.0, 145.0),
        "K": (3.5, 5.0),
        "Cl": (98.0, 107.0),
        "Ca": (1.1, 1.3),
        "Mg": (0.45, 0.67),
    }


def test_normal_plasma_lies_inside_every_reference_range():
    assert Electrolytes().out_of_range() == {}


# --- named disorders sit in the grade their source gives ---------------------------------
def test_potassium_disorders_match_clinical_grading():
    # StatPearls "Hypokalemia" (2023): moderate 2.5–3.0, severe < 2.5 mmol/L.
    assert 2.5 <= DISORDERS["hypokalaemia"]["K"] < 3.0
    assert DISORDERS["severe_hypokalaemia"]["K"] < 2.5
    # UK Kidney Association grading (NHS pathways): severe hyperkalaemia >= 6.5 mmol/L.
    assert DISORDERS["hyperkalaemia"]["K"] >= 6.5
    assert DISORDERS["severe_hyperkalaemia"]["K"] > DISORDERS["hyperkalaemia"]["K"]


def test_hyponatraemia_is_at_least_moderate_by_european_guideline():
    # Spasovski et al. 2014 (Eur J Endocrinol 170:G1): moderate 125–129, profound < 125.
    assert DISORDERS["hyponatraemia"]["Na"] <= 129.0


def test_calcium_disorders_reach_symptomatic_levels():
    # Ionised Ca critical values < 0.8 and > 1.6 mmol/L (Davis's Lab & Diagnostic Tests);
    # symptomatic hypocalcaemia at ionised Ca <= 2.50 mg/dL = 0.624 mmol/L
    # (Sorell & Rosen, J Pediatr; 1 mmol/L Ca = 4.008 mg/dL).
    assert DISORDERS["hypocalcaemia"]["Ca"] <= 0.8
    assert DISORDERS["severe_hypocalcaemia"]["Ca"] <= 2.50 / 4.008
    assert DISORDERS["hypercalcaemia"]["Ca"] >= 1.6


def test_magnesium_disorders_lie_outside_the_ionised_reference_range():
    # Ionised Mg reference 0.45–0.67 mmol/L (PubMed 9736811).
    assert DISORDERS["hypomagnesaemia"]["Mg"] < 0.45
    assert DISORDERS["hypermagnesaemia"]["Mg"] > 0.67


# --- divalent screening of gating ---------------------------------------------------------
def test_fivefold_calcium_fall_shifts_gating_like_10_to_15_mv_depolarisation():
    # Frankenhaeuser & Hodgkin 1957 (J Physiol 137:218), squid axon: a fivefold fall in
    # external Ca acts like a 10–15 mV depolarisation (as quoted in docs/science.md §5).
    shift = gating_shift_mV(Electrolytes(Ca=1.2 / 5.0))
    assert -15.0 <= shift <= -10.0


def test_local_calcium_slope_stays_below_the_gouy_chapman_ceiling():
    # Screening by divalent ions alone cannot shift the surface potential faster than
    # (RT/2F) ln 10 per decade (Gouy–Chapman–Grahame; Hille 2001, surface charge):
    # 30.8 mV/decade at 37 °C.
    d = 1e-4
    slope = (
        gating_shift_mV(Electrolytes(Ca=1.2 * 10**d)) - gating_shift_mV(Electrolytes(Ca=1.2))
    ) / d
    assert 0.0 < slope < RT_OVER_F_MV(37.0) * math.log(10.0) / 2.0


def test_magnesium_screens_more_weakly_than_calcium():
    # Squid axon: adding 50 mmol/L Mg to 10 mmol/L Ca shifted Na inactivation less than
    # raising Ca to 30 mmol/L (Shoukimas, J Membr Biol 1978, abstract): Mg < Ca per ion.
    assert abs(gating_shift_mV(Electrolytes(Mg=0.55 / 5.0))) < abs(
        gating_shift_mV(Electrolytes(Ca=1.2 / 5.0))
    )


# --- Ca/Mg competition for release (Dodge & Rahamimoff 1967, J Physiol 193:419) -----------
def _log_log_slope(ca: float, mg: float = 0.55) -> float:
    d = 1e-5
    hi = nmj_release_factor(Electrolytes(Ca=ca * math.exp(d), Mg=mg))
    lo = nmj_release_factor(Electrolytes(Ca=ca, Mg=mg))
    return math.log(hi / lo) / d


def test_release_rises_nearly_as_fourth_power_of_calcium_at_low_calcium():
    # Abstract: log e.p.p. vs log [Ca] slope 3.78 ± 0.2 (S.D., 28 experiments) at low Ca.
    # The model's slope is 4(1 - W), approaching 4 only as Ca -> 0; at the lowest Ca the
    # model accepts (0.2 mmol/L) it must lie within 2 S.D. of the mean.
    assert 3.78 - 0.4 <= _log_log_slope(0.2) <= 3.78 + 0.4


def test_release_slope_diminishes_as_calcium_approaches_normal():
    # Abstract point 3: the slope of the log-log relation falls as [Ca] rises toward normal.
    assert _log_log_slope(1.2) < _log_log_slope(0.6) < _log_log_slope(0.2)


def test_magnesium_depresses_release_without_changing_the_low_calcium_slope_much():
    # Abstract point 2: added Mg lowers e.p.p. but leaves the log-log slope nearly unchanged.
    assert nmj_release_factor(Electrolytes(Ca=0.3, Mg=2.0)) < nmj_release_factor(
        Electrolytes(Ca=0.3, Mg=0.55)
    )
    assert _log_log_slope(0.2, mg=2.0) == pytest.approx(_log_log_slope(0.2, mg=0.55), abs=0.3)
