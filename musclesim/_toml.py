"""A small TOML writer for scenario files, and the reader of the running Python.

Reading uses the standard library's :mod:`tomllib` (Python ≥ 3.11) or its back-port
``tomli`` (Python 3.10). Writing needs only what :meth:`musclesim.Scenario.to_dict`
produces: tables of strings, numbers and booleans, arrays of numbers, nested tables and
arrays of tables (``[[interventions]]``). TOML has no null, so a key whose value is
``None`` is left out; a reader gives the field its default, which for every optional
scenario field is ``None``.

References
----------
TOML v1.0.0 specification, https://toml.io/en/v1.0.0
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from typing import Any, TypeGuard

if sys.version_info >= (3, 11):
    import tomllib as _reader
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as _reader

__all__ = ["dumps", "loads"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Characters a TOML basic string must escape: quote, backslash and control characters
# other than tab (U+0000–U+001F, U+007F).
_ESCAPE = re.compile(r'["\\\x00-\x08\x0a-\x1f\x7f]')
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text into a dict (``tomllib.loads``)."""
    return _reader.loads(text)


def dumps(data: Mapping[str, Any]) -> str:
    """TOML text for a mapping of scalars, arrays of scalars, tables and arrays of tables.

    Parameters
    ----------
    data : Mapping
        Keys are strings. Values are ``str``, ``bool``, integers, real numbers (finite or
        not), ``None`` (the key is omitted), sequences of those scalars, mappings (tables)
        or non-empty sequences of mappings (arrays of tables).

    Returns
    -------
    str
        TOML v1.0 text that :func:`loads` reads back to an equal dict (less ``None`` keys).

    Raises
    ------
    TypeError
        For a value of another type, a ``None`` inside an array, or an array that mixes
        tables with scalars.
    """
    lines: list[str] = []
    _emit_table(lines, data, ())
    return "\n".join(lines).lstrip("\n") + "\n"


def _emit_table(lines: list[str], table: Mapping[str, Any], path: tuple[str, ...]) -> None:
    if not isinstance(table, Mapping):
        raise TypeError(f"TOML table {'.'.join(path) or '(root)'} must be a mapping")
    subtables: list[tuple[str, Mapping[str, Any]]] = []
    arrays_of_tables: list[tuple[str, Sequence[Mapping[str, Any]]]] = []
    # Plain key/value pairs must come before the first [table] header of this table.
    for key, value in table.items():
        if not isinstance(key, str):
            raise TypeError(f"TOML keys must be strings; got {key!r}")
        if value is None:
            continue
        if isinstance(value, Mapping):
            subtables.append((key, value))
        elif _is_array(value) and value and all(isinstance(v, Mapping) for v in value):
            arrays_of_tables.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value, (*path, key))}")
    for key, sub in subtables:
        lines += ["", f"[{_dotted((*path, key))}]"]
        _emit_table(lines, sub, (*path, key))
    for key, items in arrays_of_tables:
        for item in items:
            lines += ["", f"[[{_dotted((*path, key))}]]"]
            _emit_table(lines, item, (*path, key))


def _is_array(value: object) -> TypeGuard[Sequence[Any]]:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(_key(k) for k in path)


def _string(s: str) -> str:
    def escape(m: re.Match[str]) -> str:
        ch = m.group(0)
        return _SHORT_ESCAPES.get(ch, f"\\u{ord(ch):04X}")

    return '"' + _ESCAPE.sub(escape, s) + '"'


def _value(value: object, path: tuple[str, ...]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        x = float(value)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return repr(x)  # shortest repr that reads back to the same double
    if isinstance(value, str):
        return _string(value)
    if _is_array(value):
        if any(isinstance(v, Mapping) for v in value):
            raise TypeError(f"TOML array {'.'.join(path)} mixes tables and plain values")
        if any(v is None for v in value):
            raise TypeError(f"TOML array {'.'.join(path)} contains None (TOML has no null)")
        return "[" + ", ".join(_value(v, path) for v in value) + "]"
    raise TypeError(
        f"cannot write {'.'.join(path)} = {value!r} of type {type(value).__name__} as TOML"
    )
