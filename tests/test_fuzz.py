"""Property-based fuzzing of the validation rule (issue 18 item 7).

One parameter at a time, every other at its default: a value inside its documented range
runs and gives finite force, Ca and voltage and a class; a value outside raises the
documented error, naming the parameter. The range of each parameter is read from the
error message of an absurd value, so the test checks what the message says.

A short profile (``FUZZ_EXAMPLES``, default 100 draws per test, seconds) runs with the
suite; the long one runs on demand::

    MUSCLESIM_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py -m fuzz -s

which also prints the outcome counts (tried / clear errors / unclear / garbage / crashes).
"""

from __future__ import annotations

import collections
import dataclasses
import math
import os
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musclesim as ms
from musclesim.contraction import FibreParams
from musclesim.electrolytes import VALIDITY_RANGES
from musclesim.errors import SimulationError
from musclesim.reflex import ReflexParams

FUZZ_EXAMPLES = int(os.environ.get("MUSCLESIM_FUZZ_EXAMPLES", "100"))
LONG = FUZZ_EXAMPLES >= 500
P = ms.protocols
COUNTS: collections.Counter[str] = collections.Counter()
_RANGE = re.compile(r"([\[(])(-?[\d.e+-]+), (-?[\d.e+-]+)\]")


def _documented_range(make, name: str) -> tuple[float, float, bool]:
    """(lo, hi, lo_open) from the message of an absurd value."""
    with pytest.raises(ValueError) as info:
        make(-1e300)
    m = _RANGE.search(str(info.value))
    assert m, f"{name}: no range in {info.value}"
    return float(m[2]), float(m[3]), m[1] == "("


def _model_fields():
    out = []
    classes = ((ms.NeuronParams, "neuron"), (ms.AxonParams, "axon"), (FibreParams, "fibre"),
               (ms.PoolParams, "pool"), (ReflexParams, "reflex"))  # fmt: skip
    for cls, key in classes:
        for f in dataclasses.fields(cls):
            out.append(
                (f"{key}.{f.name}", f.name, lambda v, c=cls, n=f.name, k=key: {k: c(**{n: v})})
            )
    for ion in VALIDITY_RANGES:
        out.append((f"electrolytes.{ion}", ion,
                    lambda v, i=ion: {"electrolytes": ms.Electrolytes(**{i: v})}))  # fmt: skip
    for name in ("temperature_C", "irritation", "irritation_fraction", "fatigue",
                 "synaptic_noise_uA_cm2"):  # fmt: skip
        out.append((f"scenario.{name}", name,
                    lambda v, n=name: (ms.Scenario(**{n: v}), {n: v})[1]))  # fmt: skip
    return out


FIELDS = _model_fields()
RANGES = {label: _documented_range(make, name) for label, name, make in FIELDS}


def _run(changes: dict) -> ms.Result:
    sc = ms.Scenario(name="fuzz", n_units=3, duration_s=0.4,
                     stimulus=P.train(50.0, start_s=0.1, duration_s=0.2), **changes)  # fmt: skip
    return ms.simulate(sc)


def _inside(lo: float, hi: float, lo_open: bool):
    edge = [hi] if lo_open else [lo, hi]
    pos = lo > 0 and hi / lo > 100
    inner = (st.floats(math.log(lo), math.log(hi)).map(math.exp) if pos
             else st.floats(lo, hi, exclude_min=lo_open))  # fmt: skip
    return st.one_of(st.sampled_from(edge), inner).filter(
        lambda v: lo < v <= hi or (v == lo and not lo_open)
    )


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])  # fmt: skip
@given(st.sampled_from(FIELDS).flatmap(
    lambda f: st.tuples(st.just(f), _inside(*RANGES[f[0]]))))  # fmt: skip
def _check_inside(case):
    (label, _name, make), value = case
    COUNTS["tried"] += 1
    try:
        res = _run(make(value))
        ms.classify(res)
    except SimulationError as exc:  # a documented value that does not run
        COUNTS["unclear"] += 1
        raise AssertionError(f"{label} = {value!r} (inside) failed: {exc}") from exc
    except Exception as exc:
        COUNTS["crash"] += 1
        raise AssertionError(f"{label} = {value!r} (inside) raised {exc!r}") from exc
    finite = all(np.all(np.isfinite(a)) for a in (res.force, res.calcium, res.voltage))
    if not finite or res.force.max() > 100.0:
        COUNTS["garbage"] += 1
        raise AssertionError(f"{label} = {value!r} gave non-finite or absurd traces")
    COUNTS["ran"] += 1


def _outside(lo: float, hi: float, lo_open: bool):
    below = (
        st.floats(max_value=lo, exclude_max=not lo_open, allow_nan=False)
        if lo > -1e308
        else st.nothing()
    )
    above = st.floats(min_value=hi, exclude_min=True, allow_nan=False)
    return st.one_of(below, above, st.just(math.nan), st.just(10**400),
                     st.sampled_from(["1", None, True]))  # fmt: skip


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.sampled_from(FIELDS).flatmap(
    lambda f: st.tuples(st.just(f), _outside(*RANGES[f[0]]))))  # fmt: skip
def _check_outside(case):
    (label, name, make), value = case
    COUNTS["tried"] += 1
    expected = TypeError if isinstance(value, str | bool) or value is None else ValueError
    try:
        make(value)
    except (ValueError, TypeError) as exc:
        if type(exc) is expected and name in str(exc):
            COUNTS["clear error"] += 1
            return
        COUNTS["unclear"] += 1
        raise AssertionError(f"{label} = {value!r}: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        COUNTS["crash"] += 1
        raise AssertionError(f"{label} = {value!r} raised {exc!r}") from exc
    COUNTS["garbage"] += 1  # accepted although outside the documented range
    raise AssertionError(f"{label} = {value!r} is outside {RANGES[label]} but was accepted")


@pytest.mark.skipif(LONG, reason="the long profile runs under -m fuzz")
def test_every_documented_value_runs_short_profile():
    _check_inside()


@pytest.mark.skipif(LONG, reason="the long profile runs under -m fuzz")
def test_every_other_value_is_refused_naming_the_parameter_short_profile():
    _check_outside()


@pytest.mark.fuzz
@pytest.mark.skipif(not LONG, reason="set MUSCLESIM_FUZZ_EXAMPLES >= 500")
def test_long_fuzz_profile():
    _check_inside()
    _check_outside()
    print("\nfuzz outcomes:", dict(COUNTS))
    assert COUNTS["garbage"] == 0 and COUNTS["crash"] == 0 and COUNTS["unclear"] == 0
