"""Draw ``docs/chain_of_cause.png``: the model's chain of cause, which fluid each layer
sees, and which plasma ions act where.

Run from the repository root::

    .venv/bin/python scripts/chain_figure.py               # rewrites docs/chain_of_cause.png
    .venv/bin/python scripts/chain_figure.py --out FILE    # writes FILE instead

The module named in each box is read from the function that implements that link, and the
ions listed beside it from the constants that route them (``CNS_K_MM``, the soma fluid), so
the figure follows the code: move an equation to another module and the box follows.
``tests/test_chain_figure.py`` runs this script.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from musclesim import (
    axon,
    contraction,
    electrolytes,
    emg,
    neuron,
    nmj,
    reflex,
    sarcolemma,
    synapses,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "chain_of_cause.png"

# Okabe–Ito colours (colour-blind safe): fluid compartments and arrows.
CNS_FILL = "#E69F0033"
PLASMA_FILL = "#56B4E933"
BOX_EDGE = "#333333"
FEEDBACK = "#D55E00"
ION = "#0072B2"


@dataclass(frozen=True)
class Link:
    """One box of the chain: what it is, the module that computes it, and the plasma ions
    that act on it (empty if none)."""

    title: str
    what: str
    module: str
    ions: str


def _module(obj: object) -> str:
    """``musclesim/x.py`` for the module that defines ``obj``."""
    name = str(getattr(obj, "__module__", None) or getattr(obj, "__name__", ""))
    return name.replace(".", "/") + ".py"


def chain() -> tuple[list[Link], list[Link]]:
    """The links inside the CNS (soma side) and outside it (plasma side), in order."""
    cns_k = electrolytes.CNS_K_MM
    soma_side = [
        Link(
            "Descending drive and synaptic noise",
            "voluntary command, inhibition, synaptic noise",
            _module(synapses.drive_density),
            "",
        ),
        Link(
            "Motor-neuron soma",
            "Na, K, leak, PIC, AHP, Na/K pump: spikes",
            _module(neuron.membrane_step),
            f"K held at {cns_k:g} mmol/L, Ca and Mg held too (blood–brain barrier);\n"
            "Na, Cl set E_Na, E_Cl",
        ),
    ]
    plasma_side = [
        Link(
            "Peripheral motor axon",
            "node + internode: relays each spike, fires on its own in tetany",
            _module(axon.axon_step),
            "Ca, Mg shift gating (tetany); plasma K left out (a limit)",
        ),
        Link(
            "Neuromuscular junction",
            "transmitter release × safety factor",
            _module(nmj.transmits),
            "Ca ↑ release, Mg ↓ release (high Mg: block)",
        ),
        Link(
            "Muscle-fibre membrane",
            "resting potential → share of fibres conducting",
            _module(sarcolemma.conducting_fraction),
            "K: depolarised fibres stop conducting (high K,\n"
            "and very low K: paradoxical depolarisation)",
        ),
        Link(
            "SR Ca release → troponin → cross-bridges",
            "Ca transient, thin-filament activation, force, Pi fatigue",
            _module(contraction.fibre_step),
            "",
        ),
        Link(
            "Spindles (Ia) and tendon organs (Ib)",
            "length, velocity, tension → reflex input to the soma",
            _module(reflex.reflex_block),
            "",
        ),
    ]
    return soma_side, plasma_side


def _box(ax: plt.Axes, x: float, y: float, w: float, h: float, link: Link) -> None:
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.008,rounding_size=0.015",
                                facecolor="white", edgecolor=BOX_EDGE, linewidth=1.2))  # fmt: skip
    ax.text(x + 0.015, y + h - 0.016, link.title, fontsize=11, fontweight="bold", va="top")
    ax.text(x + 0.015, y + h - 0.048, link.what, fontsize=9, va="top")
    if link.ions:
        ax.text(x + 0.015, y + h - 0.074, link.ions, fontsize=8.5, color=ION, va="top")
    ax.text(x + w - 0.01, y + 0.010, link.module, fontsize=8, family="monospace", color="#555555",
            va="bottom", ha="right")  # fmt: skip


def _arrow(ax: plt.Axes, start: tuple[float, float], end: tuple[float, float], colour: str,
           text: str = "", rad: float = 0.0) -> None:  # fmt: skip
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16, color=colour,
                                 linewidth=1.6, connectionstyle=f"arc3,rad={rad}"))  # fmt: skip
    if text:
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        ax.text(mx + 0.01, my, text, fontsize=8.5, color=colour, ha="left", va="center")


def draw(out: Path) -> Path:
    """Draw the figure into ``out`` (PNG) and return the path."""
    soma_side, plasma_side = chain()
    fig, ax = plt.subplots(figsize=(13, 10))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")

    # Fluid compartments.
    ax.add_patch(FancyBboxPatch((0.01, 0.06), 0.42, 0.88, boxstyle="round,pad=0.005",
                                facecolor=CNS_FILL, edgecolor="none"))  # fmt: skip
    ax.add_patch(FancyBboxPatch((0.46, 0.02), 0.53, 0.92, boxstyle="round,pad=0.005",
                                facecolor=PLASMA_FILL, edgecolor="none"))  # fmt: skip
    ax.text(0.22, 0.93, "CNS interstitial fluid (spinal cord)", ha="center", va="top",
            fontsize=12, fontweight="bold")  # fmt: skip
    ax.text(0.725, 0.93, "Plasma: nerve and muscle\n(the scenario's Electrolytes)",
            ha="center", va="top", fontsize=12, fontweight="bold")  # fmt: skip

    w_l, h = 0.38, 0.125
    left = [(0.03, 0.70), (0.03, 0.40)]
    for (x, y), link in zip(left, soma_side, strict=True):
        _box(ax, x, y, w_l, h + 0.02, link)
    _arrow(ax, (0.12, 0.70), (0.12, 0.42 + h), BOX_EDGE, "excitatory current,\ninhibitory Cl")

    w_r, x_r = 0.49, 0.48
    ys = [0.745, 0.58, 0.415, 0.25, 0.045]
    for y, link in zip(ys, plasma_side, strict=True):
        _box(ax, x_r, y, w_r, h, link)
    # Soma → axon → junction → fibre membrane → fibre.
    _arrow(ax, (0.03 + w_l, 0.40 + h * 0.7), (x_r, ys[0] + h * 0.3), BOX_EDGE, "spike")
    for k in range(3):
        _arrow(ax, (x_r + 0.12, ys[k]), (x_r + 0.12, ys[k + 1] + h), BOX_EDGE,
               ("muscle AP (delay)", "AP invades the fibres", "SR release")[k])  # fmt: skip
    # Force → spindles/tendon organs → soma (the reflex loop).
    _arrow(ax, (x_r + 0.12, ys[3]), (x_r + 0.12, ys[4] + h), FEEDBACK, "force, length")
    _arrow(ax, (x_r, ys[4] + h / 2), (0.03 + w_l * 0.5, 0.40), FEEDBACK,
           "Ia excitation,\nIb inhibition\n(delayed)", rad=-0.3)  # fmt: skip
    ax.text(x_r + 0.33, ys[3] - 0.02, "EMG: from the muscle APs\n"
            f"({_module(emg.synthesize_emg)})", fontsize=8.5, ha="center", va="top",
            color="#555555")  # fmt: skip

    ax.text(0.02, 0.025, "musclesim: a teaching model, not a medical device.", fontsize=8.5,
            color="#555555")  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="PNG to write")
    args = parser.parse_args(argv)
    print(draw(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
