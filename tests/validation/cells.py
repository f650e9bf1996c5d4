"""Single-cell measurements shared by the validation tests (not a test module)."""

from __future__ import annotations

import musclesim as ms
from musclesim.reflex import ReflexParams


def one_unit(**kw: object) -> ms.Scenario:
    """One mid-sized motor unit, no synaptic noise, deafferented: intrinsic properties are
    measured without afferent feedback, as in the classic preparation."""
    base: dict[str, object] = dict(n_units=1, duration_s=1.0, synaptic_noise_uA_cm2=0.0,
                                   reflex=ReflexParams.deafferented())  # fmt: skip
    base.update(kw)
    return ms.Scenario(**base)  # type: ignore[arg-type]


def fires(sc: ms.Scenario) -> int:
    """Spikes of the first unit."""
    return int(ms.simulate(sc).spike_times[0].size)


def rheobase_nA(electrolytes: ms.Electrolytes) -> float:
    """Smallest 0.5-s step (nA, to 0.05 nA) that makes one mid-sized unit fire."""
    lo, hi = 0.0, 10.0
    while hi - lo > 0.05:
        mid = 0.5 * (lo + hi)
        sc = one_unit(electrolytes=electrolytes,
                      drive=ms.protocols.current_step(mid, 0.1, 0.5), duration_s=0.7)  # fmt: skip
        lo, hi = (lo, mid) if fires(sc) else (mid, hi)
    return hi
