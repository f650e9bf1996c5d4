"""Named scenarios: the experiments and conditions a class runs by name.

Each preset is a function returning a :class:`~musclesim.Scenario`, with a one-line
description. ``scenario(name)`` returns one; ``scenario_names()`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable

from .electrolytes import Electrolytes
from .interventions import change_electrolytes
from .protocols import current_step, ramp, train, twitch
from .reflex import ReflexParams
from .scenarios import Scenario

_PRESETS: dict[str, tuple[str, Callable[[], Scenario]]] = {}


def _preset(name: str, description: str):
    def register(fn: Callable[[], Scenario]) -> Callable[[], Scenario]:
        _PRESETS[name] = (description, fn)
        return fn

    return register


@_preset(
    "normal", "voluntary contraction of a 100-unit pool: rise, hold and relax (normal plasma)"
)
def _normal() -> Scenario:
    return Scenario(
        name="normal",
        n_units=100,
        duration_s=6.0,
        drive=ramp(peak_nA=4.0, start_s=0.5, rise_s=1.5, hold_s=2.0, fall_s=1.0),
    )


@_preset("rest", "a resting muscle: normal plasma, no input (no spikes, no force)")
def _rest() -> Scenario:
    return Scenario(name="rest", n_units=100, duration_s=2.0)


def _nerve_stimulation(name: str, stimulus, duration_s: float) -> Scenario:
    """A noise-free 100-unit muscle driven only by supramaximal nerve stimulation."""
    return Scenario(name=name, n_units=100, duration_s=duration_s, stimulus=stimulus,
                    synaptic_noise_uA_cm2=0.0)  # fmt: skip


@_preset("twitch", "one supramaximal nerve pulse at 0.1 s: a single twitch of the whole muscle")
def _twitch() -> Scenario:
    return _nerve_stimulation("twitch", twitch(at_s=0.1), 0.6)


@_preset("tetanus", "50 Hz supramaximal nerve stimulation for 1 s: fused tetanus")
def _tetanus() -> Scenario:
    return _nerve_stimulation(
        "tetanus", train(frequency_hz=50.0, start_s=0.1, duration_s=1.0), 1.6
    )


@_preset("unfused", "10 Hz supramaximal nerve stimulation for 1 s: unfused tetanus")
def _unfused() -> Scenario:
    return _nerve_stimulation(
        "unfused", train(frequency_hz=10.0, start_s=0.1, duration_s=1.0), 1.6
    )


@_preset(
    "spasm",
    "nerve irritation (sciatica-like) reaching half the pool: irregular, low-rate, sustained",
)
def _spasm() -> Scenario:
    return Scenario(
        name="spasm", n_units=100, duration_s=20.0, irritation=0.6, irritation_fraction=0.5
    )


@_preset(
    "tetany", "ionised Ca falls from 1.2 to 0.75 mmol/L over 2 s: spontaneous discharges, doublets"
)
def _tetany() -> Scenario:
    # Start from normal plasma and let Ca fall, so discharges begin as they do in a patient
    # (gradually) rather than as one synchronous burst from an unstable starting state.
    fall = change_electrolytes(at_s=0.0, over_s=2.0, target=Electrolytes(Ca=0.75))
    return Scenario(name="tetany", n_units=100, duration_s=8.0, interventions=(fall,))


@_preset("hypocalcaemia", "same as tetany (ionised Ca 0.75 mmol/L), under its biochemical name")
def _hypocalcaemia() -> Scenario:
    return _tetany().replace(name="hypocalcaemia")


@_preset("step_current", "one motor neuron given a 1-s, 3-nA current step (f–I experiment)")
def _step() -> Scenario:
    return Scenario(
        name="step_current",
        n_units=1,
        reflex=ReflexParams.deafferented(),
        duration_s=1.5,
        drive=current_step(amplitude_nA=3.0, start_s=0.25, duration_s=1.0),
    )


def scenario_names() -> list[str]:
    """Names of the preset scenarios, in a teaching order."""
    return list(_PRESETS)


def describe_scenarios() -> dict[str, str]:
    """Preset names with their one-line descriptions."""
    return {k: d for k, (d, _) in _PRESETS.items()}


def scenario(name: str) -> Scenario:
    """The preset scenario called ``name``.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid names.
    """
    if not isinstance(name, str):
        raise TypeError(f"scenario name must be a string; got {type(name).__name__}")
    try:
        return _PRESETS[name][1]()
    except KeyError:
        raise ValueError(
            f"unknown scenario {name!r}; valid names: {', '.join(_PRESETS)}"
        ) from None
