"""Bad-input matrix: every public argument, every kind of bad value, one row per case.

Each row calls a public constructor or function with one bad argument and expects a
``ValueError`` or ``TypeError`` whose message names the parameter, the value, the unit
and the valid range (the style of ``STYLE.md``: never clip, never guess). Kinds of bad
value: negative, zero where zero is meaningless, NaN, ±inf, wrong type, out of range and
unknown names.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pytest

import musclesim as ms
from musclesim.contraction import FibreParams
from musclesim.electrolytes import VALIDITY_RANGES
from musclesim.interventions import Intervention
from musclesim.neuron import NeuronParams
from musclesim.pool import PoolParams
from musclesim.protocols import MAX_TIME_S, Drive, Length, Stimulus
from musclesim.reflex import ReflexParams

P = ms.protocols
IV = ms.interventions
TINY = ms.Scenario(duration_s=0.05)  # the cheapest valid scenario for simulate() rows


class Case(NamedTuple):
    id: str
    call: Callable[[], Any]
    exc: type[Exception]
    needles: tuple[str, ...]  # substrings the message must contain


def _range(lo: float, hi: float, lo_open: bool = False) -> str:
    return f"{'(' if lo_open else '['}{lo:g}, {hi:g}]"


def real_cases(
    label: str,
    make: Callable[[Any], Any],
    name: str,
    unit: str,
    lo: float,
    hi: float,
    *,
    lo_open: bool = False,
    none_ok: bool = False,
) -> list[Case]:
    """Rows for a real-valued parameter with the closed (or left-open) range [lo, hi]
    (``none_ok``: None is a valid value, so it is not a row)."""
    rng = _range(lo, hi, lo_open)
    unit_needles = (unit,) if unit else ()
    below = -1.0 if lo >= 0 else lo - abs(lo) - 1.0
    bad_values: list[tuple[str, Any, type[Exception]]] = [
        ("below-range" if lo < 0 else "negative", below, ValueError),
        ("above-range", hi * 2 + 1.0 if hi > 0 else hi + 1.0, ValueError),
        ("nan", math.nan, ValueError),
        ("+inf", math.inf, ValueError),
        ("-inf", -math.inf, ValueError),
        ("str", "1", TypeError),
        ("bool", True, TypeError),
    ]
    if not none_ok:
        bad_values.append(("None", None, TypeError))
    if lo_open or lo > 0:
        bad_values.insert(0, ("zero", 0.0, ValueError))
    if lo > 0:  # just below a positive lower bound: the smallest out-of-range value
        bad_values.insert(0, ("just-below", lo * 0.5, ValueError))
    return [
        Case(f"{label}-{kind}", lambda v=v: make(v), exc, (name, repr(v), *unit_needles, rng))
        for kind, v, exc in bad_values
    ]


def int_cases(label: str, make: Callable[[Any], Any], name: str, lo: int, hi: int) -> list[Case]:
    """Rows for an integer parameter in [lo, hi]."""
    rng = f"[{lo}, {hi}]"
    bad_values: list[tuple[str, Any, type[Exception]]] = [
        ("below-range", lo - 1, ValueError),
        ("above-range", hi + 1, ValueError),
        ("float", lo + 0.5, TypeError),
        ("nan", math.nan, TypeError),
        ("str", str(lo), TypeError),
        ("None", None, TypeError),
        ("bool", True, TypeError),
    ]
    if lo > 0:
        bad_values.insert(0, ("zero", 0, ValueError))
    return [
        Case(f"{label}-{kind}", lambda v=v: make(v), exc, (name, repr(v), rng))
        for kind, v, exc in bad_values
    ]


def type_case(label: str, call: Callable[[], Any], *needles: str) -> Case:
    return Case(label, call, TypeError, needles)


def value_case(label: str, call: Callable[[], Any], *needles: str) -> Case:
    return Case(label, call, ValueError, needles)


CASES: list[Case] = []

# --- Electrolytes, disorders, nernst ------------------------------------------------------
for ion, (lo, hi) in VALIDITY_RANGES.items():
    CASES += real_cases(
        f"Electrolytes.{ion}",
        lambda v, ion=ion: ms.Electrolytes(**{ion: v}),
        ion,
        "mmol/L",
        lo,
        hi,
    )
CASES += [
    type_case("Electrolytes-unknown-ion", lambda: ms.Electrolytes(P=1.0), "P"),
    type_case(
        "Electrolytes.replace-unknown-ion",
        lambda: ms.Electrolytes().replace(P=1.0),
        "'P'",
        "Na, K, Cl, Ca, Mg",
        "mmol/L",
    ),
    value_case(
        "Electrolytes.replace-K-range",
        lambda: ms.Electrolytes().replace(K=20.0),
        "K = 20.0 mmol/L",
        "[1, 12]",
    ),
    value_case(
        "Electrolytes.disorder-unknown",
        lambda: ms.Electrolytes.disorder("scurvy"),
        "'scurvy'",
        "hypokalaemia",
    ),
    type_case("Electrolytes.disorder-type", lambda: ms.Electrolytes.disorder(3), "3"),
    value_case(
        "Electrolytes.disorder-conflict",
        lambda: ms.Electrolytes.disorder("hypokalaemia", "hyperkalaemia"),
        "hypokalaemia",
        "hyperkalaemia",
        "K",
    ),
]
for bad_z, exc in [
    (0, ValueError),
    (4, ValueError),
    (-4, ValueError),
    (1.5, TypeError),
    ("1", TypeError),
    (True, TypeError),
    (None, TypeError),
]:
    CASES.append(
        Case(
            f"nernst.z-{bad_z!r}",
            lambda z=bad_z: ms.nernst(z, 4.0, 140.0),
            exc,
            ("z", repr(bad_z), "-3, 3"),
        )
    )
CASES += real_cases(
    "nernst.c_out",
    lambda v: ms.nernst(1, v, 140.0),
    "c_out",
    "mmol/L",
    0.0,
    10_000.0,
    lo_open=True,
)
CASES += real_cases(
    "nernst.c_in", lambda v: ms.nernst(1, 4.0, v), "c_in", "mmol/L", 0.0, 10_000.0, lo_open=True
)
CASES += real_cases(
    "nernst.temperature_C", lambda v: ms.nernst(1, 4.0, 140.0, v), "temperature_C", "°C", 0.0, 45.0
)
CASES += [
    value_case(
        "nernst.c_out-array-negative",
        lambda: ms.nernst(1, np.array([4.0, -1.0]), 140.0),
        "c_out",
        "-1.0",
        "mmol/L",
        "(0, 10000]",
    ),
    value_case(
        "nernst.c_out-array-nan",
        lambda: ms.nernst(1, [4.0, math.nan], 140.0),
        "c_out",
        "nan",
        "mmol/L",
        "(0, 10000]",
    ),
    type_case(
        "nernst.c_out-array-str", lambda: ms.nernst(1, np.array(["4"]), 140.0), "c_out", "mmol/L"
    ),
]

# --- Scenario -----------------------------------------------------------------------------
CASES += [
    type_case("Scenario.name-empty", lambda: ms.Scenario(name=""), "name", "''"),
    type_case("Scenario.name-int", lambda: ms.Scenario(name=3), "name", "3"),
    value_case("Scenario.name-newline", lambda: ms.Scenario(name="a\nb"), "name", "'a\\nb'"),
]
CASES += real_cases(
    "Scenario.duration_s",
    lambda v: ms.Scenario(duration_s=v),
    "duration_s",
    "s",
    0.0,
    MAX_TIME_S,
    lo_open=True,
)
CASES += int_cases("Scenario.seed", lambda v: ms.Scenario(seed=v), "seed", 0, 2**32 - 1)
CASES += int_cases("Scenario.n_units", lambda v: ms.Scenario(n_units=v), "n_units", 1, 2000)
for _f in ("irritation", "irritation_fraction", "fatigue"):
    CASES += real_cases(f"Scenario.{_f}", lambda v, f=_f: ms.Scenario(**{f: v}), _f, "", 0.0, 1.0)
CASES += real_cases(
    "Scenario.temperature_C",
    lambda v: ms.Scenario(temperature_C=v),
    "temperature_C",
    "°C",
    25.0,
    42.0,
)
CASES += real_cases(
    "Scenario.synaptic_noise_uA_cm2",
    lambda v: ms.Scenario(synaptic_noise_uA_cm2=v),
    "synaptic_noise_uA_cm2",
    "µA/cm²",
    0.0,
    5.0,
)
CASES += [
    type_case(
        "Scenario.electrolytes-dict",
        lambda: ms.Scenario(electrolytes={"K": 4.0}),
        "electrolytes",
        "Electrolytes",
        "dict",
    ),
    type_case(
        "Scenario.stimulus-str",
        lambda: ms.Scenario(stimulus="twitch"),
        "stimulus",
        "Stimulus",
        "str",
    ),
    type_case(
        "Scenario.drive-stimulus",
        lambda: ms.Scenario(drive=P.twitch()),
        "drive",
        "Drive",
        "Stimulus",
    ),
    type_case(
        "Scenario.length-float", lambda: ms.Scenario(length=1.2), "length", "Length", "float"
    ),
    type_case(
        "Scenario.interventions-list",
        lambda: ms.Scenario(interventions=[IV.rest(at_s=0.5)]),
        "interventions",
        "tuple",
        "list",
    ),
    type_case(
        "Scenario.interventions-item-str",
        lambda: ms.Scenario(interventions=("rest",)),
        "interventions[0]",
        "Intervention",
        "str",
    ),
    value_case(
        "Scenario.interventions-after-end",
        lambda: ms.Scenario(duration_s=1.0, interventions=(IV.rest(at_s=1.0),)),
        "interventions[0]",
        "rest",
        "at_s = 1.0 s",
        "1.0 s",
    ),
    type_case(
        "Scenario.neuron-wrong-class",
        lambda: ms.Scenario(neuron=ReflexParams()),
        "neuron",
        "NeuronParams",
        "ReflexParams",
    ),
    type_case("Scenario.fibre-dict", lambda: ms.Scenario(fibre={}), "fibre", "FibreParams"),
    type_case("Scenario.pool-None", lambda: ms.Scenario(pool=None), "pool", "PoolParams"),
    type_case("Scenario.reflex-str", lambda: ms.Scenario(reflex="off"), "reflex", "ReflexParams"),
    type_case("Scenario-unknown-field", lambda: ms.Scenario(irritaton=0.2), "irritaton"),
    type_case(
        "Scenario.replace-unknown-field",
        lambda: ms.Scenario().replace(irritaton=0.2),
        "irritaton",
        "valid fields",
        "irritation",
    ),
    value_case(
        "Scenario.from_dict-unknown-key",
        lambda: ms.Scenario.from_dict({"seeds": 1}),
        "seeds",
        "valid keys",
        "seed",
    ),
]

# --- model parameter dataclasses: every field ---------------------------------------------
for _cls in (NeuronParams, FibreParams, PoolParams, ReflexParams):
    for _fld in dataclasses.fields(_cls):
        for _kind, _v, _exc in [
            ("nan", math.nan, ValueError),
            ("-inf", -math.inf, ValueError),
            ("below", -1e9, ValueError),
            ("above", 1e9, ValueError),
            ("str", "1", TypeError),
        ]:
            CASES.append(
                Case(
                    f"{_cls.__name__}.{_fld.name}-{_kind}",
                    lambda c=_cls, n=_fld.name, v=_v: c(**{n: v}),
                    _exc,
                    (_fld.name, repr(_v), _cls.__name__),
                )
            )

# --- protocols ----------------------------------------------------------------------------
CASES += [
    type_case(
        "Stimulus.times_s-list", lambda: Stimulus(times_s=[0.1]), "times_s", "tuple", "list"
    ),
    value_case(
        "Stimulus.times_s-decreasing",
        lambda: Stimulus(times_s=(0.2, 0.1)),
        "times_s",
        "0.2",
        "0.1",
        "s",
        "strictly increasing",
    ),
    value_case(
        "Stimulus.times_s-repeated",
        lambda: Stimulus(times_s=(0.1, 0.1)),
        "times_s",
        "0.1",
        "strictly increasing",
    ),
]
CASES += real_cases(
    "Stimulus.times_s[0]", lambda v: Stimulus(times_s=(v,)), "times_s[0]", "s", 0.0, MAX_TIME_S
)
CASES += real_cases(
    "Stimulus.amplitude",
    lambda v: Stimulus(times_s=(0.1,), amplitude=v),
    "amplitude",
    "× supramaximal",
    0.0,
    1.0,
    lo_open=True,
)
CASES += real_cases("twitch.at_s", lambda v: P.twitch(at_s=v), "at_s", "s", 0.0, MAX_TIME_S)
CASES += real_cases(
    "twitch.amplitude",
    lambda v: P.twitch(amplitude=v),
    "amplitude",
    "× supramaximal",
    0.0,
    1.0,
    lo_open=True,
)
CASES += real_cases(
    "train.frequency_hz", lambda v: P.train(frequency_hz=v), "frequency_hz", "Hz", 0.1, 200.0
)
CASES += real_cases(
    "train.start_s", lambda v: P.train(20.0, start_s=v), "start_s", "s", 0.0, MAX_TIME_S
)
CASES += real_cases(
    "train.duration_s",
    lambda v: P.train(20.0, duration_s=v),
    "duration_s",
    "s",
    0.0,
    MAX_TIME_S,
    lo_open=True,
)
CASES += real_cases(
    "train.amplitude",
    lambda v: P.train(20.0, amplitude=v),
    "amplitude",
    "× supramaximal",
    0.0,
    1.0,
    lo_open=True,
)
CASES += [
    value_case(
        "train-ends-after-max-time",
        lambda: P.train(20.0, start_s=3599.99, duration_s=1.0),
        "times_s[1]",
        "s",
        "[0, 3600]",
    ),
    type_case(
        "Drive-lists",
        lambda: Drive(times_s=[0.0], current_nA=[1.0]),
        "times_s",
        "current_nA",
        "tuple",
        "list",
    ),
    value_case(
        "Drive-length-mismatch",
        lambda: Drive(times_s=(0.0, 1.0), current_nA=(1.0,)),
        "2 times",
        "1 currents",
    ),
    value_case("Drive-empty", lambda: Drive(times_s=(), current_nA=()), "at least one"),
    value_case(
        "Drive.times_s-decreasing",
        lambda: Drive(times_s=(1.0, 0.5), current_nA=(1, 2)),
        "times_s",
        "1.0",
        "0.5",
        "s",
        "non-decreasing",
    ),
    type_case(
        "Length-lists",
        lambda: Length(times_s=[0.0], length_l0=[1.0]),
        "times_s",
        "length_l0",
        "tuple",
        "list",
    ),
    value_case(
        "Length-length-mismatch",
        lambda: Length(times_s=(0.0,), length_l0=(1.0, 1.1)),
        "1 times",
        "2 lengths",
    ),
    value_case(
        "Length.times_s-decreasing",
        lambda: Length(times_s=(1.0, 0.5), length_l0=(1.0, 1.0)),
        "times_s",
        "1.0",
        "0.5",
        "s",
        "non-decreasing",
    ),
    value_case(
        "Length-jump-in-zero-time",
        lambda: Length(times_s=(1.0, 1.0), length_l0=(1.0, 1.2)),
        "times_s[0]",
        "times_s[1]",
        "zero time",
    ),
]
CASES += real_cases(
    "Drive.times_s[0]",
    lambda v: Drive(times_s=(v,), current_nA=(1.0,)),
    "times_s[0]",
    "s",
    0.0,
    MAX_TIME_S,
)
CASES += real_cases(
    "Drive.current_nA[0]",
    lambda v: Drive(times_s=(0.0,), current_nA=(v,)),
    "current_nA[0]",
    "nA",
    P.MIN_DRIVE_NA,
    P.MAX_DRIVE_NA,
)
CASES += real_cases(
    "Length.times_s[0]",
    lambda v: Length(times_s=(v,), length_l0=(1.0,)),
    "times_s[0]",
    "s",
    0.0,
    MAX_TIME_S,
)
CASES += real_cases(
    "Length.length_l0[0]",
    lambda v: Length(times_s=(0.0,), length_l0=(v,)),
    "length_l0[0]",
    "L0",
    0.6,
    1.4,
)
CASES += real_cases("hold_length.length_l0", P.hold_length, "length_l0", "L0", 0.6, 1.4)
CASES += real_cases(
    "protocols.stretch.start_s", lambda v: P.stretch(v, 0.5, 1.2), "start_s", "s", 0.0, MAX_TIME_S
)
CASES += real_cases(
    "protocols.stretch.duration_s",
    lambda v: P.stretch(0.1, v, 1.2),
    "duration_s",
    "s",
    0.0,
    MAX_TIME_S,
    lo_open=True,
)
CASES += real_cases(
    "protocols.stretch.to_l0", lambda v: P.stretch(0.1, 0.5, v), "to_l0", "L0", 0.6, 1.4
)
CASES += real_cases(
    "protocols.stretch.from_l0",
    lambda v: P.stretch(0.1, 0.5, 1.2, from_l0=v),
    "from_l0",
    "L0",
    0.6,
    1.4,
)
CASES += real_cases(
    "current_step.amplitude_nA",
    lambda v: P.current_step(v, 0.1, 0.5),
    "amplitude_nA",
    "nA",
    P.MIN_DRIVE_NA,
    P.MAX_DRIVE_NA,
)
CASES += real_cases(
    "current_step.start_s", lambda v: P.current_step(1.0, v, 0.5), "start_s", "s", 0.0, MAX_TIME_S
)
CASES += real_cases(
    "current_step.duration_s",
    lambda v: P.current_step(1.0, 0.1, v),
    "duration_s",
    "s",
    0.0,
    MAX_TIME_S,
    lo_open=True,
)
CASES += real_cases("ramp.peak_nA", lambda v: P.ramp(v, 0.1, 0.5), "peak_nA", "nA",
                    P.MIN_DRIVE_NA, P.MAX_DRIVE_NA)  # fmt: skip
CASES += real_cases("ramp.start_s", lambda v: P.ramp(1.0, v, 0.5), "start_s", "s", 0.0, MAX_TIME_S)
CASES += real_cases(
    "ramp.rise_s", lambda v: P.ramp(1.0, 0.1, v), "rise_s", "s", 0.0, MAX_TIME_S, lo_open=True
)
CASES += real_cases(
    "ramp.hold_s", lambda v: P.ramp(1.0, 0.1, 0.5, hold_s=v), "hold_s", "s", 0.0, MAX_TIME_S
)
CASES += real_cases(
    "ramp.fall_s",
    lambda v: P.ramp(1.0, 0.1, 0.5, fall_s=v),
    "fall_s",
    "s",
    0.0,
    MAX_TIME_S,
    lo_open=True,
    none_ok=True,
)

# --- interventions ------------------------------------------------------------------------
# Every field is checked the same way whether the class is built directly, by its
# lower-case shorthand, or from a scenario file (which calls the class).
_IV_SHORTHAND = {
    IV.Stretch: IV.stretch,
    IV.Replete: IV.replete,
    IV.ChangeElectrolytes: IV.change_electrolytes,
    IV.ChangeIrritation: IV.change_irritation,
    IV.Heat: IV.heat,
    IV.Massage: IV.massage,
    IV.Relaxant: IV.relaxant,
    IV.Quinine: IV.quinine,
    IV.Rest: IV.rest,
}
#: Arguments each class needs besides the one under test.
_IV_REQUIRED: dict[type, dict[str, Any]] = {
    IV.ChangeElectrolytes: {"over_s": 1.0, "target": ms.Electrolytes()},
    IV.ChangeIrritation: {"over_s": 1.0, "level": 0.5},
}
#: (class, field, unit, lo, hi, lo_open) for every real-valued field.
_IV_FIELDS: list[tuple[type, str, str, float, float, bool]] = [
    *((cls, "at_s", "s", 0.0, MAX_TIME_S, False) for cls in _IV_SHORTHAND),
    *(
        (cls, "over_s", "s", 0.0, MAX_TIME_S, True)
        for cls in _IV_SHORTHAND
        if cls not in (IV.Stretch, IV.Rest)
    ),
    (IV.Stretch, "to_l0", "L0", 0.6, 1.4, False),
    (IV.Stretch, "ramp_s", "s", 0.0, MAX_TIME_S, True),
    (IV.ChangeIrritation, "level", "", 0.0, 1.0, False),
    (IV.Heat, "fraction", "", 0.0, 1.0, False),
    (IV.Massage, "fraction", "", 0.0, 1.0, False),
    (IV.Relaxant, "g_inh_mS_cm2", "mS/cm²", 0.0, 1.0, False),
    (IV.Quinine, "g_inh_mS_cm2", "mS/cm²", 0.0, 1.0, False),
]
for _cls, _name, _unit, _lo, _hi, _open in _IV_FIELDS:
    for _make in (_cls, _IV_SHORTHAND[_cls]):
        CASES += real_cases(
            f"{_make.__name__}.{_name}",
            lambda v, make=_make, cls=_cls, name=_name: make(
                **{"at_s": 1.0, **_IV_REQUIRED.get(cls, {}), name: v}
            ),
            _name,
            _unit,
            _lo,
            _hi,
            lo_open=_open,
        )
CASES += [
    type_case(
        "Intervention-base-class",
        lambda: Intervention(at_s=1.0),
        "Intervention",
        "base class",
        "Stretch",
    ),
    type_case(
        "Replete.target-dict",
        lambda: IV.Replete(1.0, target={"K": 4.0}),
        "target",
        "Electrolytes",
        "dict",
    ),
    type_case(
        "replete.target-dict",
        lambda: IV.replete(1.0, target={"K": 4.0}),
        "target",
        "Electrolytes",
        "dict",
    ),
    type_case(
        "ChangeElectrolytes.target-None",
        lambda: IV.ChangeElectrolytes(1.0, 1.0, None),
        "target",
        "Electrolytes",
        "NoneType",
    ),
    type_case(
        "change_electrolytes.target-None",
        lambda: IV.change_electrolytes(1.0, 1.0, None),
        "target",
        "Electrolytes",
        "NoneType",
    ),
    value_case(
        "Scenario.from_dict-intervention-kind-unknown",
        lambda: ms.Scenario.from_dict({"interventions": [{"kind": "ice", "at_s": 1.0}]}),
        "interventions[0]",
        "'ice'",
        "valid kinds",
        "stretch",
        "rest",
    ),
    value_case(
        "Scenario.from_dict-intervention-kind-int",
        lambda: ms.Scenario.from_dict({"interventions": [{"kind": 3, "at_s": 1.0}]}),
        "3",
        "valid kinds",
    ),
    value_case(
        "Scenario.from_dict-intervention-kind-missing",
        lambda: ms.Scenario.from_dict({"interventions": [{"at_s": 1.0}]}),
        "interventions[0]",
        "'kind'",
        "valid kinds",
    ),
    value_case(
        "Scenario.from_dict-intervention-field-unknown",
        lambda: ms.Scenario.from_dict(
            {"interventions": [{"kind": "heat", "at_s": 1.0, "amount": 0.3}]}
        ),
        "interventions[0]",
        "'amount'",
        "Heat",
        "fraction",
    ),
]

# --- scenario(name) and simulate ----------------------------------------------------------
CASES += [
    value_case(
        "scenario-unknown-name", lambda: ms.scenario("crampp"), "'crampp'", "valid names", "normal"
    ),
    value_case("scenario-empty-name", lambda: ms.scenario(""), "''", "valid names"),
    value_case("scenario-wrong-case", lambda: ms.scenario("Normal"), "'Normal'", "valid names"),
    type_case("scenario-int", lambda: ms.scenario(3), "scenario name", "int"),
    type_case("scenario-None", lambda: ms.scenario(None), "scenario name", "NoneType"),
    value_case(
        "simulate-unknown-preset", lambda: ms.simulate("crampp"), "'crampp'", "valid names"
    ),
    type_case("simulate-scenario-int", lambda: ms.simulate(3), "scenario", "int"),
    type_case("simulate-scenario-dict", lambda: ms.simulate({"name": "x"}), "scenario", "dict"),
    type_case("simulate-unknown-change", lambda: ms.simulate(TINY, irritaton=0.2), "irritaton"),
    value_case(
        "simulate-bad-change", lambda: ms.simulate(TINY, fatigue=-0.5), "fatigue", "-0.5", "[0, 1]"
    ),
    value_case(
        "simulate.dt_ms-not-dividing-1ms",
        lambda: ms.simulate(TINY, dt_ms=0.03),
        "dt_ms",
        "0.03",
        "ms",
        "divide 1 ms",
    ),
    value_case(
        "simulate.record_dt_ms-below-dt",
        lambda: ms.simulate(TINY, dt_ms=0.05, record_dt_ms=0.025),
        "record_dt_ms",
        "0.025",
        "ms",
        "dt_ms",
        "0.05",
    ),
    type_case(
        "simulate.record_units-int", lambda: ms.simulate(TINY, record_units=0), "record_units", "0"
    ),
    type_case(
        "simulate.record_units-str",
        lambda: ms.simulate(TINY, record_units="0"),
        "record_units",
        "'0'",
    ),
    value_case(
        "simulate.record_units-negative",
        lambda: ms.simulate(TINY, record_units=(-1,)),
        "record_units",
        "-1",
        "0 to 0",
    ),
    value_case(
        "simulate.record_units-too-large",
        lambda: ms.simulate(TINY, record_units=(1,)),
        "record_units",
        "1",
        "0 to 0",
    ),
    value_case(
        "simulate.record_units-float",
        lambda: ms.simulate(TINY, record_units=(0.0,)),
        "record_units",
        "0.0",
        "0 to 0",
    ),
    value_case(
        "simulate.record_units-bool",
        lambda: ms.simulate(TINY, record_units=(True,)),
        "record_units",
        "True",
        "0 to 0",
    ),
    value_case(
        "simulate.method-unknown",
        lambda: ms.simulate(TINY, method="euler"),
        "method",
        "'euler'",
        "'fixed'",
        "'reference'",
    ),
    value_case(
        "simulate.method-None", lambda: ms.simulate(TINY, method=None), "method", "None", "'fixed'"
    ),
]
CASES += real_cases(
    "simulate.dt_ms", lambda v: ms.simulate(TINY, dt_ms=v), "dt_ms", "ms", 0.001, 0.1
)
CASES += real_cases(
    "simulate.record_dt_ms",
    lambda v: ms.simulate(TINY, record_dt_ms=v),
    "record_dt_ms",
    "ms",
    0.025,
    100.0,
)


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_raises_a_message_naming_it(case: Case):
    with pytest.raises((ValueError, TypeError)) as info:
        case.call()
    assert type(info.value) is case.exc, f"{type(info.value).__name__}: {info.value}"
    message = str(info.value)
    missing = [n for n in case.needles if n not in message]
    assert not missing, f"message {message!r} lacks {missing}"
