"""Exceptions raised by musclesim.

Bad arguments raise the built-in ``ValueError`` or ``TypeError`` with a message that names
the parameter, the value, its unit and the valid range. Failures of the model itself derive
from :class:`MusclesimError`.
"""

from __future__ import annotations


class MusclesimError(Exception):
    """Root of the errors that musclesim raises about its own model runs."""


class SimulationError(MusclesimError):
    """An integration failed (diverged or produced non-finite values).

    The message names the scenario and the simulated time at which it failed and, where
    the integrator can tell, the unit and the state variable that left its range; the same
    facts are attributes, ``None`` where unknown.

    Attributes
    ----------
    scenario : str or None
        Name of the scenario.
    time_s : float or None
        Simulated time of the failure, s.
    unit : int or None
        Motor unit (0 = smallest) whose state failed; None for a pool-level quantity.
    variable : str or None
        Name of the state variable or trace (``"ca_uM"``, ``"v_mV"``, ``"force"``).
    """

    def __init__(
        self,
        message: str,
        *,
        scenario: str | None = None,
        time_s: float | None = None,
        unit: int | None = None,
        variable: str | None = None,
    ) -> None:
        super().__init__(message)
        self.scenario = scenario
        self.time_s = time_s
        self.unit = unit
        self.variable = variable
