"""Scenarios: what is simulated (the body's state and the experiment), as frozen values.

A :class:`Scenario` holds the causes (electrolytes, temperature, the motor-unit pool and its
parameters) and the protocol (nerve stimulus, drive). It does nothing by itself:
:func:`musclesim.simulate` runs it and returns a :class:`musclesim.Result`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real
from pathlib import Path
from typing import Any

from . import _toml
from ._validation import check_int, check_real
from ._version import __version__
from .axon import AxonParams
from .contraction import FibreParams
from .electrolytes import Electrolytes
from .interventions import BY_KIND, Intervention
from .neuron import NeuronParams
from .pool import PoolParams
from .protocols import MAX_TIME_S, Drive, Length, Stimulus
from .reflex import ReflexParams


@dataclass(frozen=True)
class Scenario:
    """One simulation's inputs. Create with keywords; change with :meth:`replace`.

    Save and load with :meth:`to_json`/:meth:`from_json` or :meth:`to_toml`/
    :meth:`from_toml` (plain dicts: :meth:`to_dict`/:meth:`from_dict`); a CSV written by
    ``Result.to_csv`` holds its scenario too (:meth:`from_csv_header`).

    Attributes
    ----------
    name : str
        Label used in plots, CSV headers and error messages.
    electrolytes : Electrolytes
        Extracellular (plasma) ion concentrations, mmol/L.
    duration_s : float
        Simulated time, s (0 < duration ≤ 3600).
    seed : int
        Seed of the random synaptic background noise; the same seed gives the same result
        (for any thread count and trace sampling).
    n_units : int
        Number of motor units in the pool (1–2000); one unit is a mid-sized unit.
    stimulus : Stimulus or None
        Electrical nerve stimulation (see :mod:`musclesim.protocols`).
    drive : Drive or None
        Descending drive to every motor neuron, nA: positive is excitatory synaptic
        current, negative is inhibition (a Cl conductance; ``neuron.drive_split``).
    length : Length or None
        Muscle length protocol, L0 (None: held at the optimal length 1.0 L0).
    irritation : float
        Nerve irritation, 0–1 (e.g. a compressed or inflamed root): it changes the membrane
        of the irritated motor axons, which then discharge ectopically — sparse single
        discharges at ~0.2, grouped (myokymia-like) ones at ~0.5, high-frequency runs at 1
        (``axon.irritated_unit``, ``AxonParams.irritation_*``); the somata are untouched.
    irritation_fraction : float
        Fraction of the pool's units whose axons the irritation reaches (chosen by the
        seed), 0–1.
    fatigue : float
        Neuromuscular fatigue, 0–1: spindle discharge up, tendon-organ discharge down
        (Hutton & Nelson 1986; the cramp hypothesis of Schwellnus 2009) and the metabolite
        (Pi) raised at the start.
    interventions : tuple of Intervention
        Timed treatments (see :mod:`musclesim.interventions`).
    temperature_C : float
        Tissue temperature, °C (25–42). Sets reversal potentials (RT/F) and the speed of
        channel gating (Q10).
    synaptic_noise_uA_cm2 : float
        Standard deviation of the background synaptic current each motor neuron receives,
        µA/cm² (0–5), an Ornstein–Uhlenbeck current with a 5-ms time constant. Teaching
        choice: 0.2 µA/cm² keeps a resting pool silent at normal plasma and gives
        inter-spike-interval CVs of only ≈0.04–0.08 in steady current-driven firing
        (measured here), lower than the ~0.1–0.2 of human voluntary firing (Matthews
        1996). 0.6 µA/cm² reaches ≈0.1–0.16 but makes resting units fire now and then.
    neuron, axon, fibre, pool, reflex : NeuronParams, AxonParams, FibreParams, ...
        Model parameters, for experiments on the model itself (e.g. ``g_pic_mS_cm2=0``,
        ``AxonParams(g_ks_mS_cm2=4)`` for axons with less slow K, or
        ``ReflexParams(ib_gain=0)`` to cut the tendon-organ pathway).
    """

    name: str = "custom"
    electrolytes: Electrolytes = field(default_factory=Electrolytes)
    duration_s: float = 2.0
    seed: int = 0
    n_units: int = 1
    stimulus: Stimulus | None = None
    drive: Drive | None = None
    length: Length | None = None
    irritation: float = 0.0
    irritation_fraction: float = 0.3
    fatigue: float = 0.0
    interventions: tuple[Intervention, ...] = ()
    temperature_C: float = 37.0
    synaptic_noise_uA_cm2: float = 0.2
    neuron: NeuronParams = field(default_factory=NeuronParams)
    axon: AxonParams = field(default_factory=AxonParams)
    fibre: FibreParams = field(default_factory=FibreParams)
    pool: PoolParams = field(default_factory=PoolParams)
    reflex: ReflexParams = field(default_factory=ReflexParams)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"name must be a non-empty string; got {self.name!r}")
        if not self.name.isprintable():  # it becomes one line of a CSV header
            raise ValueError(f"name = {self.name!r} must be one line of printable characters")
        _check_type("electrolytes", self.electrolytes, Electrolytes)
        check_real("duration_s", self.duration_s, "s", 0.0, MAX_TIME_S, "simulated time",
                   lo_open=True)  # fmt: skip
        # Stored as Python ints (a numpy integer is accepted) so the scenario serialises.
        object.__setattr__(self, "seed", check_int("seed", self.seed, 0, 2**32 - 1,
                                                   "random seed"))  # fmt: skip
        object.__setattr__(self, "n_units", check_int("n_units", self.n_units, 1, 2000,
                                                      "number of motor units"))  # fmt: skip
        if self.stimulus is not None:
            _check_type("stimulus", self.stimulus, Stimulus)
        if self.drive is not None:
            _check_type("drive", self.drive, Drive)
        if self.length is not None:
            _check_type("length", self.length, Length)
        check_real("irritation", self.irritation, "", 0.0, 1.0, "nerve irritation level")
        check_real("irritation_fraction", self.irritation_fraction, "", 0.0, 1.0,
                   "fraction of units reached by the irritation")  # fmt: skip
        check_real("fatigue", self.fatigue, "", 0.0, 1.0, "neuromuscular fatigue level")
        if not isinstance(self.interventions, tuple):
            raise TypeError(f"interventions must be a tuple of Intervention; got "
                            f"{type(self.interventions).__name__}")  # fmt: skip
        for k, iv in enumerate(self.interventions):
            if not isinstance(iv, Intervention):
                raise TypeError(f"interventions[{k}] must be an Intervention; got "
                                f"{type(iv).__name__}")  # fmt: skip
            if iv.at_s >= self.duration_s:
                raise ValueError(f"interventions[{k}] ({iv.kind}) at_s = {iv.at_s} s is not "
                                 f"before the end of the run ({self.duration_s} s)")  # fmt: skip
        check_real("temperature_C", self.temperature_C, "°C", 25.0, 42.0, "tissue temperature")
        check_real("synaptic_noise_uA_cm2", self.synaptic_noise_uA_cm2, "µA/cm²", 0.0, 5.0,
                   "background synaptic noise")  # fmt: skip
        _check_type("neuron", self.neuron, NeuronParams)
        _check_type("axon", self.axon, AxonParams)
        _check_type("fibre", self.fibre, FibreParams)
        _check_type("pool", self.pool, PoolParams)
        _check_type("reflex", self.reflex, ReflexParams)

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (``dataclasses.replace`` semantics, validated)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            valid = ", ".join(f.name for f in dataclasses.fields(self))
            raise TypeError(f"Scenario has no field(s) {sorted(unknown)}; valid fields: {valid}")
        return dataclasses.replace(self, **changes)

    # --- scenario files ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Every field as plain Python values, with the musclesim version that wrote it.

        Nested parameter and protocol dataclasses become dicts, tuples become lists and
        numbers become ``float``/``int``, so the dict can be written as JSON or TOML.
        ``Scenario.from_dict(sc.to_dict()) == sc``.

        Returns
        -------
        dict
            ``{"musclesim_version": ..., "name": ..., "electrolytes": {...}, ...}`` in
            field order; ``None`` for an absent stimulus, drive, length or repletion target.
            Each intervention is ``{"kind": ..., "at_s": ..., ...}`` with its class's own
            fields.
        """
        d: dict[str, Any] = {VERSION_KEY: __version__}
        for f in dataclasses.fields(self):
            d[f.name] = _plain(getattr(self, f.name))
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scenario:
        """The scenario described by ``d`` (as written by :meth:`to_dict`), validated.

        Missing keys take the field's default, so a hand-written file may give only what
        differs from :class:`Scenario`'s defaults. ``musclesim_version`` is accepted and
        not checked: it records which version wrote the file.

        Parameters
        ----------
        d : Mapping
            Scenario fields; nested parameters (``electrolytes``, ``neuron``, ``axon``, ``fibre``,
            ``pool``, ``reflex``), protocols (``stimulus``, ``drive``, ``length``) as
            mappings of their own fields (lists for tuples); each item of
            ``interventions`` as a mapping of its ``kind`` (``"stretch"``, ``"heat"``, ...;
            :data:`musclesim.interventions.KINDS`) and that class's fields.

        Raises
        ------
        ValueError
            For unknown keys, at any level, or an unknown or missing intervention ``kind``
            (the message names them and lists the valid ones), or for values outside
            their ranges.
        TypeError
            For values of the wrong type.
        """
        if not isinstance(d, Mapping):
            raise TypeError(f"Scenario.from_dict needs a mapping; got {type(d).__name__}")
        version = d.get(VERSION_KEY, __version__)
        if not isinstance(version, str):
            raise TypeError(f"{VERSION_KEY} must be a string; got {version!r}")
        kwargs = _fields_from_mapping(cls, d, "scenario", ignore=(VERSION_KEY,))
        for name, kind in _NESTED.items():
            if name in kwargs and kwargs[name] is not None:
                kwargs[name] = _dataclass_from(kind, kwargs[name], name)
        if "interventions" in kwargs:
            ivs = kwargs["interventions"]
            if not isinstance(ivs, list | tuple):
                raise TypeError(
                    f"interventions must be a list of intervention tables; got {ivs!r}"
                )
            kwargs["interventions"] = tuple(
                _intervention_from(iv, f"interventions[{k}]") for k, iv in enumerate(ivs)
            )
        return cls(**kwargs)

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """The scenario as JSON text (:meth:`to_dict`); also written to ``path`` if given.

        Parameters
        ----------
        path : str or path-like, optional
            File to write (UTF-8).

        Returns
        -------
        str
            The JSON text.
        """
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @classmethod
    def from_json(
        cls, path: str | os.PathLike[str] | None = None, *, text: str | None = None
    ) -> Scenario:
        """Read a scenario from a JSON file ``path``, or from JSON ``text`` (give one).

        Raises
        ------
        ValueError
            For malformed JSON or the errors of :meth:`from_dict`.
        """
        source = _source_text(path, text, "from_json")
        try:
            data = json.loads(source)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{_where(path)}: malformed JSON: {exc}") from None
        return _naming_file(path, lambda: cls.from_dict(data))

    def to_toml(self, path: str | os.PathLike[str] | None = None) -> str:
        """The scenario as TOML text (:meth:`to_dict`); also written to ``path`` if given.

        TOML has no null: absent protocols (``None``) are left out and read back as
        absent. Interventions become ``[[interventions]]`` tables.

        Parameters
        ----------
        path : str or path-like, optional
            File to write (UTF-8).

        Returns
        -------
        str
            The TOML text.
        """
        text = _toml.dumps(self.to_dict())
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @classmethod
    def from_toml(
        cls, path: str | os.PathLike[str] | None = None, *, text: str | None = None
    ) -> Scenario:
        """Read a scenario from a TOML file ``path``, or from TOML ``text`` (give one).

        Raises
        ------
        ValueError
            For malformed TOML (``tomllib.TOMLDecodeError``) or the errors of
            :meth:`from_dict`.
        """
        source = _source_text(path, text, "from_toml")
        try:
            data = _toml.loads(source)
        except ValueError as exc:  # tomllib.TOMLDecodeError
            raise ValueError(f"{_where(path)}: malformed TOML: {exc}") from None
        return _naming_file(path, lambda: cls.from_dict(data))

    @classmethod
    def from_csv_header(cls, path: str | os.PathLike[str]) -> Scenario:
        """The scenario recorded in the header of a CSV written by ``Result.to_csv``.

        Run it again with :func:`musclesim.simulate` to regenerate the traces (the header's
        first line gives the ``method`` and ``dt_ms`` used, and the version that wrote it).

        Raises
        ------
        ValueError
            If the file has no ``# scenario_json:`` header line.
        """
        with open(path, encoding="utf-8-sig") as fh:
            for line in fh:
                if not line.startswith("#"):
                    break
                if line.startswith(CSV_SCENARIO_PREFIX):
                    text = line.removeprefix(CSV_SCENARIO_PREFIX)
                    return _naming_file(path, functools.partial(cls.from_json, text=text))
        raise ValueError(f"{os.fspath(path)!r} has no {CSV_SCENARIO_PREFIX.strip()!r} line")


#: Key of the musclesim version in :meth:`Scenario.to_dict`.
VERSION_KEY = "musclesim_version"
#: Key naming an intervention's class in :meth:`Scenario.to_dict` (its ``kind``).
INTERVENTION_KIND_KEY = "kind"
#: Start of the CSV header line (``Result.to_csv``) that holds the scenario as JSON.
CSV_SCENARIO_PREFIX = "# scenario_json: "
#: Scenario fields that hold a parameter or protocol dataclass.
_NESTED: dict[str, type] = {
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


def _plain(value: object) -> Any:
    """A field value as JSON-ready Python: dataclass -> dict, tuple -> list, numbers.

    An intervention's dict starts with its ``kind``, which names its class on reading.
    """
    if isinstance(value, Intervention):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {INTERVENTION_KIND_KEY: value.kind, **fields}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        return float(value)
    raise TypeError(f"cannot convert {value!r} of type {type(value).__name__} to a plain value")


def _fields_from_mapping(
    cls: type, d: Mapping[str, Any], where: str, ignore: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``d`` as keyword arguments of dataclass ``cls``; unknown keys raise ValueError."""
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = [k for k in d if k not in names and k not in ignore]
    if unknown:
        raise ValueError(
            f"unknown {where} key(s) {unknown!r} for {cls.__name__}; valid keys: "
            f"{', '.join((*ignore, *names))}"
        )
    # Lists from JSON/TOML become the tuples the dataclasses hold.
    return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items() if k in names}


def _dataclass_from(cls: type, value: object, where: str) -> Any:
    """An instance of ``cls`` from a mapping of its fields (or the instance itself)."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{where} must be a mapping of {cls.__name__} fields; got {value!r} of type "
            f"{type(value).__name__}"
        )
    return cls(**_fields_from_mapping(cls, value, where))


def _intervention_from(value: object, where: str) -> Intervention:
    """The intervention described by a mapping with a ``kind`` and that class's fields
    (or the intervention itself)."""
    if isinstance(value, Intervention):
        return value
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{where} must be a mapping with a 'kind' and that intervention's fields; got "
            f"{value!r} of type {type(value).__name__}"
        )
    valid = ", ".join(BY_KIND)
    if INTERVENTION_KIND_KEY not in value:
        raise ValueError(f"{where} has no 'kind' key; valid kinds: {valid}")
    kind = value[INTERVENTION_KIND_KEY]
    if not isinstance(kind, str) or kind not in BY_KIND:
        raise ValueError(f"{where} has unknown kind {kind!r}; valid kinds: {valid}")
    cls = BY_KIND[kind]
    kwargs = _fields_from_mapping(cls, value, where, ignore=(INTERVENTION_KIND_KEY,))
    if kwargs.get("target") is not None:
        kwargs["target"] = _dataclass_from(Electrolytes, kwargs["target"], f"{where}.target")
    return cls(**kwargs)


def _where(path: str | os.PathLike[str] | None) -> str:
    return "text" if path is None else repr(os.fspath(path))


def _naming_file(path: str | os.PathLike[str] | None, build: Callable[[], Scenario]) -> Scenario:
    """``build()``, with a ValueError or TypeError prefixed by the file it came from."""
    if path is None:
        return build()
    try:
        return build()
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{_where(path)}: {exc}") from None


def _source_text(path: str | os.PathLike[str] | None, text: str | None, caller: str) -> str:
    if (path is None) == (text is None):
        raise TypeError(f"{caller} needs exactly one of path or text=")
    if path is not None:
        # utf-8-sig: a file saved with a byte-order mark (Windows editors) reads the same.
        return Path(path).read_text(encoding="utf-8-sig")
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    return text


def _check_type(name: str, value: object, cls: type) -> None:
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be a {cls.__name__}; got {type(value).__name__}")
