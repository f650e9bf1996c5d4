"""Shared fixtures: short, noise-free scenarios so that tests are fast and exact."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")


@pytest.fixture
def poison_plasma_k(monkeypatch):
    """Make runs blow up on purpose: ``poison(from_s, when=...)`` sets plasma K to NaN from
    ``from_s`` on in every scenario for which ``when(scenario)`` is true. A stand-in for a
    solver that diverges: no valid scenario is known to, since a negative drive became a
    Cl conductance."""
    from musclesim import engine as E
    from musclesim import simulation

    real = simulation.build_engine_input

    def poison(from_s: float, when=lambda sc: True) -> None:
        def poisoned(sc):
            inp = real(sc)
            if when(sc):
                inp.inputs[round(from_s * 1000.0 / E.INPUT_DT_MS) :, E.IN_E_K] = np.nan
            return inp

        monkeypatch.setattr(simulation, "build_engine_input", poisoned)

    return poison
