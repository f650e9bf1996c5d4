"""The chain-of-cause figure (scripts/chain_figure.py) is drawn from the code."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import matplotlib.image as mpimg

from musclesim import contraction, electrolytes, neuron, nmj

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "chain_figure.py"


def _load():
    spec = importlib.util.spec_from_file_location("chain_figure", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


def test_chain_figure_draws_a_png(tmp_path):
    out = _load().draw(tmp_path / "chain.png")
    img = mpimg.imread(out)
    assert img.shape[0] > 600 and img.shape[1] > 800


def test_each_box_names_the_module_that_computes_its_link():
    soma_side, plasma_side = _load().chain()
    modules = {link.title: link.module for link in soma_side + plasma_side}
    assert (
        modules["Motor-neuron soma"] == neuron.membrane_step.__module__.replace(".", "/") + ".py"
    )
    assert (
        modules["Neuromuscular junction"]
        == "musclesim/nmj.py"
        == nmj.__name__.replace(".", "/") + ".py"
    )
    fibre = contraction.conducting_fraction.__module__.replace(".", "/") + ".py"
    assert modules["Muscle-fibre membrane"] == fibre


def test_the_soma_box_states_the_cns_potassium_the_model_uses():
    soma_side, _ = _load().chain()
    soma = next(link for link in soma_side if link.title == "Motor-neuron soma")
    assert f"K held at {electrolytes.CNS_K_MM:g} mmol/L" in soma.ions
