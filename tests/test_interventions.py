"""Interventions: one class per treatment, validated fields, and the protocol inputs.py reads."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import musclesim as ms
from musclesim import engine as E
from musclesim.inputs import build_engine_input, irritation_level, length_trace
from musclesim.interventions import (
    HEAT_INHIBITION_MS_CM2,
    RELAXANT_FUSIMOTOR_CUT,
    ChangeElectrolytes,
    ChangeIrritation,
    Heat,
    Intervention,
    Massage,
    Quinine,
    Relaxant,
    Replete,
    Rest,
    Stretch,
)

IV = ms.interventions


@pytest.mark.parametrize(
    ("build", "pattern"),
    [
        (lambda: Stretch(at_s=1.0, to_l0=10.0), r"to_l0 = 10\.0 L0 is outside \[0\.6, 1\.4\] L0"),
        (lambda: Stretch(at_s=1.0, ramp_s=0.0), r"ramp_s = 0\.0 s is outside \(0, 3600\] s"),
        (lambda: Replete(at_s=-1.0), r"at_s = -1\.0 s is outside \[0, 3600\] s \(replete"),
        (lambda: Replete(at_s=1.0, over_s=0.0), r"over_s = 0\.0 s is outside \(0, 3600\] s"),
        (
            lambda: ChangeElectrolytes(at_s=0.0, over_s=-2.0, target=ms.Electrolytes()),
            r"over_s = -2\.0 s is outside \(0, 3600\] s",
        ),
        (
            lambda: ChangeIrritation(at_s=0.0, over_s=1.0, level=1.5),
            r"level = 1\.5 is outside \[0, 1\] \(nerve irritation level\)",
        ),
        (
            lambda: Heat(at_s=1.0, fraction=1.5),
            r"fraction = 1\.5 is outside \[0, 1\] \(fraction of the .* removed by heat\)",
        ),
        (
            lambda: Massage(at_s=1.0, fraction=-0.1),
            r"fraction = -0\.1 is outside \[0, 1\] \(fraction of the .* removed by massage\)",
        ),
        (
            lambda: Relaxant(at_s=1.0, g_inh_mS_cm2=2.0),
            r"g_inh_mS_cm2 = 2\.0 mS/cm² is outside \[0, 1\] mS/cm² \(relaxant",
        ),
        (
            lambda: Quinine(at_s=1.0, g_inh_mS_cm2=float("nan")),
            r"g_inh_mS_cm2 = nan mS/cm² is not finite; allowed range is \[0, 1\] mS/cm²",
        ),
        (lambda: Rest(at_s=4000.0), r"at_s = 4000\.0 s is outside \[0, 3600\] s \(rest start"),
    ],
)
def test_each_class_validates_its_fields_when_built_directly(build, pattern):
    with pytest.raises(ValueError, match=pattern):
        build()


def test_the_base_class_is_not_a_treatment():
    with pytest.raises(TypeError, match="Intervention is a base class with no effect"):
        Intervention(at_s=1.0)


def test_shorthands_build_the_classes_with_the_documented_defaults():
    el = ms.Electrolytes(Ca=0.9)
    assert IV.stretch(2.0) == Stretch(at_s=2.0, to_l0=1.4, ramp_s=1.0)
    assert IV.replete(2.0) == Replete(at_s=2.0, over_s=60.0, target=None)
    assert IV.change_electrolytes(0.0, 2.0, el) == ChangeElectrolytes(0.0, 2.0, el)
    assert IV.change_irritation(1.0, 3.0, 0.6) == ChangeIrritation(1.0, 3.0, 0.6)
    assert IV.heat(2.0) == Heat(at_s=2.0, over_s=10.0, fraction=0.5)
    assert IV.massage(2.0) == Massage(at_s=2.0, over_s=10.0, fraction=0.4)
    assert IV.relaxant(2.0) == Relaxant(at_s=2.0, over_s=5.0, g_inh_mS_cm2=0.05)
    assert IV.quinine(2.0) == Quinine(at_s=2.0, over_s=5.0, g_inh_mS_cm2=0.03)
    assert IV.rest(2.0) == Rest(at_s=2.0)
    assert type(IV.heat(2.0)) is Heat and type(IV.massage(2.0)) is Massage


def test_fields_are_stored_as_floats_and_frozen():
    s = Stretch(at_s=np.float32(2.5), to_l0=1)
    assert type(s.at_s) is float and type(s.to_l0) is float
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.at_s = 3.0  # type: ignore[misc]


def test_every_kind_names_one_class():
    classes = IV.TREATMENTS + IV.CHANGES
    assert len({c.kind for c in classes}) == len(classes)
    assert IV.KINDS == tuple(c.kind for c in classes)
    assert all(IV.BY_KIND[c.kind] is c for c in classes)


# --- the protocol: what each treatment does at full effect, and when -------------------
def test_effects_at_full_strength_follow_the_physiology_table():
    heat, massage = Heat(1.0), Massage(1.0)
    relaxant, quinine = Relaxant(1.0), Quinine(1.0)
    # Heat and massage: irritation falls, a little afferent inhibition is added.
    assert heat.irritation_cut == 0.5 and massage.irritation_cut == 0.4
    assert heat.inhibition_mS_cm2 == massage.inhibition_mS_cm2 == HEAT_INHIBITION_MS_CM2
    # Drugs: an inhibitory conductance; only the GABAergic relaxant also cuts fusimotor drive.
    assert relaxant.inhibition_mS_cm2 == 0.05 and quinine.inhibition_mS_cm2 == 0.03
    assert relaxant.fusimotor_cut == RELAXANT_FUSIMOTOR_CUT and quinine.fusimotor_cut == 0.0
    assert Rest(1.0).cuts_drive and not heat.cuts_drive
    assert Stretch(1.0, to_l0=1.2).length_target_L0 == 1.2 and heat.length_target_L0 is None
    assert Replete(1.0).plasma_target == ms.Electrolytes()
    assert ChangeIrritation(1.0, 1.0, 0.3).irritation_target == 0.3
    assert Stretch(1.0).plasma_target is None and Rest(1.0).irritation_target is None


def test_progress_ramps_linearly_from_the_start_time():
    t_ms = np.array([0.0, 999.0, 1000.0, 2000.0, 3000.0, 9000.0])
    assert np.array_equal(Heat(1.0, over_s=2.0).progress(t_ms), [0, 0, 0, 0.5, 1, 1])
    assert np.array_equal(Rest(1.0).progress(t_ms), [0, 0, 1, 1, 1, 1])  # a step


def test_relaxant_adds_inhibition_and_halves_fusimotor_drive_in_the_engine_input():
    base = ms.Scenario(duration_s=4.0, fatigue=0.5)
    sc = base.replace(interventions=(Relaxant(at_s=1.0, over_s=2.0, g_inh_mS_cm2=0.1),))
    before, after = build_engine_input(base).inputs, build_engine_input(sc).inputs
    assert after[500, E.IN_G_INH] == 0.0 and after[2000, E.IN_G_INH] == pytest.approx(0.05)
    assert after[3500, E.IN_G_INH] == pytest.approx(0.1)
    assert after[3500, E.IN_IA_MULT] == pytest.approx(0.5 * before[3500, E.IN_IA_MULT])


def test_rest_stops_the_voluntary_drive_and_heat_lowers_irritation():
    sc = ms.Scenario(
        duration_s=4.0,
        irritation=0.8,
        drive=ms.protocols.current_step(5.0, 0.0, 4.0),
        interventions=(Rest(at_s=2.0), Heat(at_s=1.0, over_s=1.0, fraction=0.5)),
    )
    t_ms = np.arange(4001.0)
    drive = build_engine_input(sc).inputs[:, E.IN_DRIVE_NA]
    assert drive[1999] == 5.0 and np.all(drive[2000:] == 0.0)
    level = irritation_level(sc, t_ms)
    assert level[900] == 0.8 and level[3000] == pytest.approx(0.4)


def test_stretch_moves_the_length_from_its_value_at_the_start():
    sc = ms.Scenario(duration_s=3.0, length=ms.protocols.hold_length(0.8),
                     interventions=(Stretch(at_s=1.0, to_l0=1.2, ramp_s=1.0),))  # fmt: skip
    length, vel = length_trace(sc, np.arange(3001.0))
    assert length[999] == 0.8 and length[1500] == pytest.approx(1.0) and length[2500] == 1.2
    assert vel[1500] == pytest.approx(0.4)  # 0.4 L0 over 1 s


def test_a_new_treatment_needs_only_a_subclass():
    @dataclasses.dataclass(frozen=True)
    class Ice(Intervention):
        kind = "ice"

        @property
        def irritation_cut(self) -> float:
            return 0.25

    sc = ms.Scenario(duration_s=2.0, irritation=0.4, interventions=(Ice(at_s=0.5),))
    level = irritation_level(sc, np.arange(2001.0))
    assert level[0] == 0.4 and level[1000] == pytest.approx(0.3)
