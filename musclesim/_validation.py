"""Argument checks shared by the public constructors.

Every check raises ``TypeError`` for a wrong type and ``ValueError`` for a value outside its
range, naming the parameter, the value, the unit and the allowed range, never clipping.
"""

from __future__ import annotations

import math
from numbers import Integral, Real


def check_real(
    name: str,
    value: object,
    unit: str,
    lo: float,
    hi: float,
    meaning: str = "",
    *,
    lo_open: bool = False,
) -> float:
    """Return ``value`` as a float if it is a finite real number in ``[lo, hi]``.

    Parameters
    ----------
    name : str
        Parameter name as the user typed it.
    value : object
        The value to check.
    unit : str
        Unit of the value, shown in the message ("mmol/L", "s", "Hz", "" for none).
    lo, hi : float
        Allowed closed range.
    meaning : str
        Short description, shown in the message ("extracellular potassium").
    lo_open : bool
        If True the lower bound is excluded (for quantities that must be > lo).
    """
    what = f" ({meaning})" if meaning else ""
    u = f" {unit}" if unit else ""
    lo_bracket = "(" if lo_open else "["
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(
            f"{name} must be a real number in {unit or 'no unit'}, in "
            f"{lo_bracket}{lo:g}, {hi:g}]{u}{what}; got {value!r} of type {type(value).__name__}"
        )
    try:
        v = float(value)
    except OverflowError:  # an integer beyond the float range, e.g. 10**400
        raise ValueError(
            f"{name} = {_short(value)}{u} is outside {lo_bracket}{lo:g}, {hi:g}]{u}{what}"
        ) from None
    if math.isnan(v) or math.isinf(v):
        raise ValueError(
            f"{name} = {_short(value)}{u} is not finite; allowed range is "
            f"{lo_bracket}{lo:g}, {hi:g}]{u}{what}"
        )
    if v < lo or v > hi or (lo_open and v == lo):
        raise ValueError(
            f"{name} = {_short(value)}{u} is outside {lo_bracket}{lo:g}, {hi:g}]{u}{what}"
        )
    return v


def _short(value: object) -> str:
    """``repr(value)``, shortened for a message when it is very long (a huge integer)."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:12]}…({len(text)} characters)"


def check_int(name: str, value: object, lo: int, hi: int, meaning: str = "") -> int:
    """Return ``value`` as an ``int`` if it is an integer in ``[lo, hi]`` (Python or numpy
    integers; bools rejected)."""
    what = f" ({meaning})" if meaning else ""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be an integer in [{lo}, {hi}]{what}; got {value!r} of type "
            f"{type(value).__name__}"
        )
    iv = int(value)
    if iv < lo or iv > hi:
        raise ValueError(f"{name} = {_short(value)} is outside [{lo}, {hi}]{what}")
    return iv
