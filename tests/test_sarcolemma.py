"""The fibre membrane's resting state: one root of the steady-state I–V relation at
normal and raised K, two stable roots (bistability) in a window of low K, and a jump to
the depolarised state when the hyperpolarised one vanishes.

Source: Jurkat-Rott et al. (2009) PNAS 106:4036 — myofibres rest at about −85 mV at
4 mM K, hyperpolarise as K falls, and below a critical K jump to a second stable
potential of about −60 mV (P2); in rat myofibre bundles half of the fibres are in P2 at
1.5 mM.
"""

from __future__ import annotations

import numpy as np
import pytest

import musclesim as ms
from musclesim import sarcolemma as S


def _el(k: float) -> ms.Electrolytes:
    return ms.Electrolytes(K=k)


def test_one_resting_state_at_normal_and_raised_potassium():
    for k in (4.0, 7.0, 10.0):
        assert len(S.resting_potential_roots(_el(k))) == 1
    # Mammalian fibres rest near −85 to −90 mV (Hille 2001; Jurkat-Rott et al. 2009: −85).
    assert -92.0 <= S.muscle_resting_potential(_el(4.0)) <= -85.0


def test_low_potassium_makes_the_resting_potential_bistable():
    # K 2.0 mmol/L lies inside the window for the average fibre: two stable states with an
    # unstable threshold between them; the current is outward just above each stable root
    # and inward just below (restoring), the opposite at the threshold.
    roots = S.resting_potential_roots(_el(2.0))
    assert len(roots) == 3
    p1, threshold, p2 = roots
    assert p1 < -95.0  # hyperpolarised below its value at normal K
    assert -65.0 <= p2 <= -55.0  # the depolarised state, P2 ≈ −60 mV (Jurkat-Rott et al.)
    for v, stable in ((p1, True), (threshold, False), (p2, True)):
        below = S.membrane_current(v - 0.5, _el(2.0))
        above = S.membrane_current(v + 0.5, _el(2.0))
        assert (below < 0 < above) is stable
        assert (above < 0 < below) is (not stable)


def test_hyperpolarised_state_vanishes_and_the_fibre_jumps_at_the_critical_potassium():
    # Half of rat myofibres are depolarised at 1.5 mM (Jurkat-Rott et al. 2009): the
    # average fibre's hyperpolarised state is calibrated to vanish there. Just above the
    # critical K the fibre sits below −95 mV; just below it has jumped by > 30 mV to P2.
    above = S.muscle_resting_potential(_el(1.55))
    below = S.muscle_resting_potential(_el(1.45))
    assert above < -95.0
    assert -65.0 <= below <= -55.0
    assert len(S.resting_potential_roots(_el(1.45))) == 1


def test_resting_potential_hyperpolarises_as_potassium_falls_until_the_jump():
    ks = np.arange(1.6, 4.01, 0.1)
    v = np.array([S.muscle_resting_potential(_el(k)) for k in ks])
    # Monotone only down to ~2 mmol/L: closer to the critical K the Kir current weakens and
    # the fibre drifts up towards the threshold before it jumps.
    assert np.all(np.diff(v[ks >= 2.2]) > 0.0)
    assert v[0] < -95.0


def test_a_leakier_fibre_depolarises_at_a_higher_potassium():
    # The critical K rises with the fibre's background conductance relative to its Kir.
    assert len(S.resting_potential_roots(_el(2.2), leak_scale=1.4)) == 1
    assert S.muscle_resting_potential(_el(2.2), leak_scale=1.4) > -65.0
    assert S.muscle_resting_potential(_el(2.2), leak_scale=1.0) < -95.0


def test_fibre_classes_are_a_positive_spread_around_one():
    assert S.LEAK_SCALES.size == S.N_FIBRE_CLASSES
    assert S.LEAK_SCALES.min() > 0.0
    assert np.mean(S.LEAK_SCALES) == pytest.approx(1.0, abs=1e-9)


def test_membrane_current_accepts_arrays():
    v = np.linspace(-120.0, -40.0, 5)
    i = S.membrane_current(v, _el(4.0))
    assert isinstance(i, np.ndarray) and i.shape == v.shape
    assert isinstance(S.membrane_current(-90.0, _el(4.0)), float)
