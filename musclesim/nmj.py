"""Neuromuscular junction: from a motor-neuron spike to a muscle action potential.

A spike that reaches the nerve terminals releases acetylcholine; the end-plate potential
normally exceeds the fibre's threshold several times over (the safety factor), so every
spike makes a muscle action potential after the axon's conduction delay. Transmission
fails when release falls below 1/:data:`NMJ_SAFETY_FACTOR` of normal (very low Ca, high
Mg: :func:`musclesim.electrolytes.nmj_release_factor`). Raised plasma K depolarises the
fibres so that fewer of them conduct (:func:`musclesim.sarcolemma.conducting_fraction`),
which weakens force without stopping transmission. A muscle action potential
that arrives within the fibre's refractory period fails.

A nerve stimulus (the electrical stimulation of a nerve in a lab practical) excites the
axons directly: their muscle action potentials follow after :data:`STIM_LATENCY_MS`.

References
----------
* Wood SJ, Slater CR (2001) Prog Neurobiol 64:393–429 (safety factor).
* Kimura J (2013) *Electrodiagnosis in Diseases of Nerve and Muscle*, 4th ed. OUP.
* Hille B (2001) *Ion Channels of Excitable Membranes*, 3rd ed. Sinauer.
"""

from __future__ import annotations

from numba import njit

from .electrolytes import Electrolytes, nmj_release_factor

#: NMJ safety factor: the end-plate potential normally exceeds the muscle fibre's threshold
#: about 3–5 times (Wood & Slater 2001, Prog Neurobiol 64:393); transmission fails only when
#: transmitter release falls below 1/3 of normal (e.g. high Mg, very low Ca).
NMJ_SAFETY_FACTOR = 4.0

#: Absolute refractory period of the muscle fibre membrane, ms (2–3 ms in mammalian
#: skeletal muscle; Hille 2001). A motor-unit AP arriving sooner fails.
MUSCLE_REFRACTORY_MS = 2.0

#: Latency from a nerve stimulus to the muscle action potential, ms. Teaching choice: 3 ms,
#: a typical distal motor latency (Kimura 2013: ~3–6 ms).
STIM_LATENCY_MS = 3.0


def transmits(el: Electrolytes) -> bool:
    """Whether a motor-neuron spike releases enough transmitter in plasma ``el`` to fire
    the muscle fibres (release × safety factor ≥ 1)."""
    return bool(nmj_release_factor(el) * NMJ_SAFETY_FACTOR >= 1.0)


@njit(cache=True, error_model="numpy")
def fibre_accepts(t_ap_ms: float, last_ap_ms: float) -> bool:
    """Whether a muscle action potential at ``t_ap_ms`` fires the fibre, whose last one
    was at ``last_ap_ms`` (it fails within :data:`MUSCLE_REFRACTORY_MS`)."""
    return t_ap_ms - last_ap_ms >= MUSCLE_REFRACTORY_MS
