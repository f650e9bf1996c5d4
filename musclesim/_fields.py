"""What each field of a scenario file means: read from the dataclasses themselves.

A scenario file (TOML or JSON) holds the fields of :class:`~musclesim.Scenario` and of its
nested parameter, protocol and intervention dataclasses. This module reads, for each
field, its meaning from the class docstring (the numpy ``Attributes``/``Parameters``
section), its default from the dataclass, and its unit and allowed range from the class's
own validation (the message a value far out of range raises), so that the commented TOML
of ``musclesim show`` and the page ``docs/scenario_files.md``
(``scripts/scenario_files.py``) cannot drift from the code.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ._toml import dumps
from .axon import AxonParams
from .contraction import FibreParams
from .electrolytes import Electrolytes
from .interventions import BY_KIND
from .neuron import NeuronParams
from .pool import PoolParams
from .protocols import Drive, Length, Stimulus
from .reflex import ReflexParams
from .scenarios import INTERVENTION_KIND_KEY, VERSION_KEY, Scenario

__all__ = ["FieldDoc", "changed_dict", "commented_toml", "field_docs", "plain", "sections"]

#: Tables of a scenario file and the class each holds (``interventions`` by ``kind``).
TABLES: dict[str, type] = {
    "electrolytes": Electrolytes,
    "stimulus": Stimulus,
    "drive": Drive,
    "length": Length,
    "neuron": NeuronParams,
    "axon": AxonParams,
    "fibre": FibreParams,
    "pool": PoolParams,
    "reflex": ReflexParams,
}

# "... is outside [lo, hi] unit (meaning)" from _validation.check_real / check_int.
_RANGE = re.compile(r"is outside ([\[(])([^,\]]+), ([^\]]+)\](.*?)(?: \(|$)")
_ENTRY = re.compile(r"^    (\w[\w, ]*? : .+)$")
#: Width of the comment lines of :func:`commented_toml`, characters.
COMMENT_WIDTH = 88
#: Words after which a full stop does not end a sentence.
_ABBREVIATIONS = ("e.g", "i.e", "al", "cf", "vs", "approx", "Fig", "ca")


@dataclass(frozen=True)
class FieldDoc:
    """One field of a scenario file.

    Attributes
    ----------
    name : str
        Key in the file.
    type : str
        Type as the docstring gives it (``float``, ``tuple of float``, ...).
    default : object
        Default value (None: absent unless given; ``"required"`` for a field without one).
    unit : str
        Unit from the class's range check ("" if none or not checked there).
    range : str
        Allowed range from the class's range check, e.g. ``[0, 1]`` (``(`` excludes the
        bound); "" if the class does not check this field on its own.
    description : str
        The docstring's text for the field (all of it).
    """

    name: str
    type: str
    default: Any
    unit: str
    range: str
    description: str

    @property
    def summary(self) -> str:
        """The first sentence of the description (a full stop or semicolon outside
        brackets, not after an abbreviation such as "e.g." or "et al.")."""
        text = " ".join(self.description.split())
        depth = 0
        for k, ch in enumerate(text):
            depth += (ch in "([") - (ch in ")]")
            at_end = k + 1 == len(text) or text[k + 1] == " "
            if ch in ".;" and depth == 0 and at_end:
                word = text[:k].rsplit(" ", 1)[-1]
                if ch == ";" or word not in _ABBREVIATIONS:
                    return text[:k]
        return text.rstrip(".")


def _docstring_entries(cls: type) -> dict[str, tuple[str, str]]:
    """name → (type, description) from the numpy sections of ``cls`` and its bases."""
    out: dict[str, tuple[str, str]] = {}
    for klass in reversed(cls.__mro__):
        doc = klass.__doc__ or ""
        lines = doc.expandtabs().splitlines()
        current: list[str] = []
        for line in lines:
            m = _ENTRY.match(line)
            if m:
                # "a, b : float" or "a : float, b : float"
                parts = m.group(1).split(" : ")
                current = [n.strip() for n in parts[0].split(",")]
                current += [p.rsplit(",", 1)[-1].strip() for p in parts[1:-1]]
                for n in current:
                    out[n] = (parts[-1].strip(), "")
            elif current and line.startswith("        "):
                for n in current:
                    typ, text = out[n]
                    out[n] = (typ, f"{text} {line.strip()}".strip())
            elif line.strip() and not line.startswith("        "):
                current = []
    return out


def _instance(cls: type) -> Any:
    """A valid instance with defaults (protocols and interventions need a few values)."""
    if cls is Stimulus:
        return Stimulus(times_s=(0.1,))
    if cls is Drive:
        return Drive(times_s=(0.0,), current_nA=(0.0,))
    if cls is Length:
        return Length(times_s=(0.0,), length_l0=(1.0,))
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            kwargs[f.name] = Electrolytes() if "Electrolytes" in str(f.type) else 1.0
    try:
        return cls(**kwargs)
    except (TypeError, ValueError):
        return None


def _probe(instance: Any, name: str, value: Any) -> tuple[str, str]:
    """(range, unit) from the message a value far out of range raises, or ("", "")."""
    try:
        dataclasses.replace(instance, **{name: value})
    except (TypeError, ValueError) as exc:
        m = _RANGE.search(str(exc))
        if m:
            return f"{m.group(1)}{m.group(2)}, {m.group(3)}]", m.group(4).strip()
    return "", ""


def field_docs(cls: type) -> list[FieldDoc]:
    """Every field of dataclass ``cls`` (an intervention's ``kind`` excluded), in order."""
    entries = _docstring_entries(cls)
    inst = _instance(cls)
    out = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default: Any = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = "required"
        rng = unit = ""
        if inst is not None:
            current = getattr(inst, f.name)
            if isinstance(current, bool):
                pass
            elif isinstance(current, int):
                rng, unit = _probe(inst, f.name, 10**12)
            elif isinstance(current, float):
                rng, unit = _probe(inst, f.name, 1e300)
                if not rng:
                    rng, unit = _probe(inst, f.name, -1e300)
        typ, text = entries.get(f.name, ("", ""))
        out.append(FieldDoc(f.name, typ, default, unit, rng, text))
    return out


def sections() -> Iterator[tuple[str, type]]:
    """(section, class) of a scenario file: the top level, each table, each intervention
    kind (``[[interventions]]`` with ``kind = "..."``)."""
    yield "", Scenario
    yield from TABLES.items()
    for kind, cls in BY_KIND.items():
        yield f"interventions.{kind}", cls


def plain(text: str) -> str:
    """Docstring text without reStructuredText markup (``x``, :mod:`x` → x)."""
    return re.sub(r":\w+:`~?([^`]+)`", r"\1", text).replace("``", "")


def _comment(doc: FieldDoc) -> list[str]:
    lines = textwrap.wrap(plain(doc.summary), COMMENT_WIDTH, initial_indent="# ",
                          subsequent_indent="#   ", break_on_hyphens=False)  # fmt: skip
    if doc.range:
        lines.append(f"#   allowed: {doc.range}{' ' + doc.unit if doc.unit else ''}")
    return lines


def changed_dict(sc: Scenario) -> dict[str, Any]:
    """``sc.to_dict()`` with only what differs from :class:`Scenario`'s defaults (and the
    version and name): a parameter table keeps only its changed keys.

    ``Scenario.from_dict`` fills the rest with the defaults, so the result reads back to
    ``sc`` as long as the defaults are those of this version.
    """
    full = sc.to_dict()
    default = Scenario(name=sc.name).to_dict()
    out: dict[str, Any] = {}
    for key, value in full.items():
        base = default.get(key)
        if key in (VERSION_KEY, "name"):
            out[key] = value
        elif isinstance(value, dict) and isinstance(base, dict):
            changed = {k: v for k, v in value.items() if base.get(k) != v}
            if changed:
                out[key] = changed
        elif value != base:
            out[key] = value
    return out


def commented_toml(sc: Scenario, description: str = "", *, full: bool = False) -> str:
    """The scenario as TOML, each key after a comment: what it is, unit, range.

    ``Scenario.from_toml`` (and ``musclesim run FILE.toml``) reads it back to an equal
    scenario.

    Parameters
    ----------
    sc : Scenario
        The scenario to write.
    description : str
        A line describing it (e.g. the preset's), written as the first comment.
    full : bool
        False (default): only the keys that differ from the defaults
        (:func:`changed_dict`), so the file shows what makes the scenario; the others
        take this version's defaults when it is read. True: every key, which pins every
        model parameter.
    """
    docs = {sec: {d.name: d for d in field_docs(cls)} for sec, cls in sections()}
    title = f"musclesim scenario {sc.name!r}" + (f": {description}" if description else "")
    header = textwrap.wrap(title, COMMENT_WIDTH, initial_indent="# ", subsequent_indent="# ")
    header += textwrap.wrap(
        "Run it with 'musclesim run FILE.toml'; edit any value (the comment above each key "
        "gives its meaning, unit and allowed range). "
        + ("Every key is given. " if full else "Keys left out take their defaults. ")
        + "Every field is listed in docs/scenario_files.md.",
        COMMENT_WIDTH, initial_indent="# ", subsequent_indent="# ",
    )  # fmt: skip
    out = [*header, ""]
    section = ""
    data = sc.to_dict() if full else changed_dict(sc)
    for line in dumps(data).splitlines():
        if line.startswith("[["):
            section = "interventions"
        elif line.startswith("["):
            section = line.strip("[]")
        m = re.match(r"^([A-Za-z0-9_-]+) = (.*)$", line)
        if m and section == "interventions" and m.group(1) == INTERVENTION_KIND_KEY:
            section = "interventions." + m.group(2).strip('"')
        if not m or m.group(1) in (VERSION_KEY, INTERVENTION_KIND_KEY):
            out.append(line)
            continue
        doc = docs.get(section, {}).get(m.group(1))
        if doc is not None:
            out += _comment(doc)
        out.append(line)
    return "\n".join(out) + "\n"
