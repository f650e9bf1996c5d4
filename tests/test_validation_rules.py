"""The shared argument checks: huge numbers and numpy integers get clear answers."""

from __future__ import annotations

import numpy as np
import pytest

import musclesim as ms


@pytest.mark.parametrize(
    ("build", "pattern"),
    [
        (
            lambda: ms.Electrolytes(K=10**400),
            r"K = 1000.*characters\) mmol/L is outside \[1, 12\]",
        ),
        (
            lambda: ms.Scenario(duration_s=-(10**400)),
            r"duration_s = -100.* is outside \(0, 3600\]",
        ),
        (lambda: ms.Scenario(n_units=10**400), r"n_units = 100.* is outside \[1, 2000\]"),
        (lambda: ms.interventions.Stretch(at_s=1.0, to_l0=10**400), r"to_l0 = .* is outside"),
    ],
)
def test_an_integer_too_large_for_a_float_is_refused_as_out_of_range(build, pattern):
    # 10**400 cannot become a float; it must not surface as a raw OverflowError.
    with pytest.raises(ValueError, match=pattern):
        build()


def test_numpy_integers_are_accepted_and_stored_as_python_ints():
    sc = ms.Scenario(n_units=np.int64(5), seed=np.int32(3), duration_s=np.float64(0.2))
    assert type(sc.n_units) is int and type(sc.seed) is int
    assert ms.Scenario.from_json(text=sc.to_json()) == sc
    assert ms.simulate(sc).force.size == 200
