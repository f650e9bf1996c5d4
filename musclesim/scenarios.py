"""Scenarios: what is simulated (the body's state and the experiment), as frozen values.

A :class:`Scenario` holds the causes (electrolytes, temperature, the motor-unit pool and its
parameters) and the protocol (nerve stimulus, drive). It does nothing by itself:
:func:`musclesim.simulate` runs it and returns a :class:`musclesim.Result`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ._validation import check_int, check_real
from .contraction import FibreParams
from .electrolytes import Electrolytes
from .interventions import Intervention
from .neuron import NeuronParams
from .pool import PoolParams
from .protocols import MAX_TIME_S, Drive, Length, Stimulus
from .reflex import ReflexParams


@dataclass(frozen=True)
class Scenario:
    """One simulation's inputs. Create with keywords; change with :meth:`replace`.

    Attributes
    ----------
    name : str
        Label used in plots, CSV headers and error messages.
    electrolytes : Electrolytes
        Extracellular (plasma) ion concentrations, mmol/L.
    duration_s : float
        Simulated time, s (0 < duration ≤ 3600).
    seed : int
        Seed of the random synaptic background noise; the same seed gives the same result.
    n_units : int
        Number of motor units in the pool (1–2000); one unit is a mid-sized unit.
    stimulus : Stimulus or None
        Electrical nerve stimulation (see :mod:`musclesim.protocols`).
    drive : Drive or None
        Current injected into every motor neuron, nA.
    length : Length or None
        Muscle length protocol, L0 (None: held at the optimal length 1.0 L0).
    irritation : float
        Nerve irritation, 0–1 (e.g. a compressed or inflamed root): a noisy, ectopic
        depolarising drive to some motor neurons (see ``simulation.IRRITATION_*``).
    irritation_fraction : float
        Fraction of the pool's units the irritated nerve fibres reach, 0–1.
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
    neuron, fibre, pool, reflex : NeuronParams, FibreParams, PoolParams, ReflexParams
        Model parameters, for experiments on the model itself (e.g. ``g_pic_mS_cm2=0``,
        or ``ReflexParams(ib_gain=0)`` to cut the tendon-organ pathway).
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
    fibre: FibreParams = field(default_factory=FibreParams)
    pool: PoolParams = field(default_factory=PoolParams)
    reflex: ReflexParams = field(default_factory=ReflexParams)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"name must be a non-empty string; got {self.name!r}")
        _check_type("electrolytes", self.electrolytes, Electrolytes)
        check_real("duration_s", self.duration_s, "s", 0.0, MAX_TIME_S, "simulated time",
                   lo_open=True)  # fmt: skip
        check_int("seed", self.seed, 0, 2**32 - 1, "random seed")
        check_int("n_units", self.n_units, 1, 2000, "number of motor units")
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
        _check_type("fibre", self.fibre, FibreParams)
        _check_type("pool", self.pool, PoolParams)
        _check_type("reflex", self.reflex, ReflexParams)

    def replace(self, **changes: object) -> Scenario:
        """A copy with some fields changed (``dataclasses.replace`` semantics, validated)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            valid = ", ".join(f.name for f in dataclasses.fields(self))
            raise TypeError(f"Scenario has no field(s) {sorted(unknown)}; valid fields: {valid}")
        return dataclasses.replace(self, **changes)


def _check_type(name: str, value: object, cls: type) -> None:
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be a {cls.__name__}; got {type(value).__name__}")
