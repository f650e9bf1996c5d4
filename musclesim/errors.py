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

    The message names the scenario and the simulated time at which it failed.
    """
