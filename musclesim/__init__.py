"""musclesim: why a muscle spasm and a muscle cramp are different things.

A teaching model of motor-neuron excitability and calcium-driven contraction, tuned by
electrolytes. Not a medical device: do not use it to diagnose or treat anyone.
"""

# First: numba caches the kernels where musclesim._cache says (set before any is defined).
from . import _cache  # noqa: F401  isort: skip
from . import interventions, plot, protocols
from ._version import __version__
from .analysis import Metrics
from .axon import AxonParams
from .claims import claims_table
from .classification import classify, classify_with_reasons
from .contraction import FibreParams
from .electrolytes import Electrolytes, nernst
from .errors import MusclesimError, SimulationError
from .neuron import NeuronParams
from .pool import PoolParams
from .presets import describe_scenarios, scenario, scenario_names
from .reflex import ReflexParams
from .result import Result
from .scenarios import Scenario
from .simulation import simulate
from .sweeps import sweep
from .triggers import triggers_table

__all__ = [
    "AxonParams",
    "Electrolytes",
    "FibreParams",
    "Metrics",
    "MusclesimError",
    "NeuronParams",
    "PoolParams",
    "ReflexParams",
    "Result",
    "Scenario",
    "SimulationError",
    "__version__",
    "claims_table",
    "classify",
    "classify_with_reasons",
    "describe_scenarios",
    "interventions",
    "nernst",
    "plot",
    "protocols",
    "scenario",
    "scenario_names",
    "simulate",
    "sweep",
    "triggers_table",
]
