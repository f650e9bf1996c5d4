"""Figures people would rather look at (issue 20 item 4): every public plot function of
``musclesim.plot``, drawn from small, short runs, is checked as it would be saved.

- every Axes that shows data has an x and a y label (for panels that share an axis, on the
  panel that carries the shared label), and a label of a physical quantity gives its unit
  in brackets or parentheses;
- every Figure carries the teaching-tool footer;
- no two texts (titles, labels, tick labels, notes, legends) overlap, no text or legend
  lies on a panel it does not belong to, no two panels overlap, and nothing sticks out of
  the figure, read from the drawn bounding boxes (``get_window_extent``) with a tolerance
  of 2 px at 100 dpi;
- lines, ticks and fills use the Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008,
  ``plot.OKABE_ITO``) or a grey, which has no hue to confuse;
- every text is at least 9 pt at the saved size, legible on a projector.
"""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

import musclesim as ms
from musclesim import plot

FOOTER = "teaching model, not a medical device"
MIN_FONT_PT = 9.0
TOLERANCE_PX = 2.0
DPI = 100.0
#: Axis labels that name a count or a category, not a physical quantity: no unit to give.
UNITLESS_LABELS = {"seed", "motor units", "class", "scenario"}


def build_figures() -> dict[str, Figure]:
    """One figure per public plot function (and per layout it draws), from short runs."""
    with plt.style.context("default"):
        twitch = ms.simulate("twitch", n_units=5, duration_s=0.3)
        tetanus = ms.simulate("tetanus", n_units=5, duration_s=0.5)
        pool = ms.simulate("tetanus", n_units=40, duration_s=0.3)
        step = ms.simulate(ms.scenario("step_current").replace(duration_s=0.5), record_units=(0,))
        spasm = ms.simulate("spasm", n_units=12, duration_s=2.0)
        cramp = ms.simulate("cramp", n_units=12, duration_s=4.0)
        stretched = ms.simulate(
            ms.scenario("cramp").replace(
                n_units=12, duration_s=4.0, interventions=(ms.interventions.stretch(3.0),)
            )
        )
        figs: dict[str, Figure] = {}
        figs["force"] = plot.force(tetanus).figure
        ax = plot.force(twitch, label="twitch")
        plot.force(tetanus, ax=ax, label="tetanus")
        figs["force_overlaid"] = ax.figure
        figs["calcium"] = plot.calcium(tetanus).figure
        figs["raster"] = plot.raster(spasm).figure
        figs["raster_subsampled"] = plot.raster(pool, max_units=10, events="muscle").figure
        figs["raster_empty"] = plot.raster(ms.simulate("rest", n_units=5, duration_s=0.2)).figure
        figs["voltage"] = plot.voltage(step).figure
        figs["compare"] = plot.compare([spasm, cramp])
        figs["compare_one"] = plot.compare([stretched])
        figs["compare_three_no_metrics"] = plot.compare([twitch, spasm, cramp], metrics=False)
        # A regime map is a drawing of a sweep table: a hand-made table covers every class
        # and a cell where runs disagree without the minutes a real sweep takes.
        table = pd.DataFrame(
            {
                "fatigue": [0.0, 0.0, 0.5, 0.5, 0.9, 0.9, 0.9],
                "electrolytes.Mg": [0.4, 0.8, 0.4, 0.8, 0.4, 0.8, 0.8],
                "class": ["tetany-like", "normal", "spasm-like", "normal", "cramp-like",
                          "cramp-like", "normal"],
            }
        )  # fmt: skip
        figs["regime_map"] = plot.regime_map(table, "fatigue", "electrolytes.Mg").figure
        for fig in figs.values():
            fig.set_dpi(DPI)
            fig.canvas.draw()
    return figs


@pytest.fixture(scope="module")
def figures():
    figs = build_figures()
    yield figs
    for fig in figs.values():
        plt.close(fig)


NAMES = [
    "force", "force_overlaid", "calcium", "raster", "raster_subsampled", "raster_empty",
    "voltage", "compare", "compare_one", "compare_three_no_metrics", "regime_map",
]  # fmt: skip


def test_every_public_plot_function_is_drawn(figures):
    functions = [
        n
        for n in dir(plot)
        if not n.startswith("_")
        and callable(getattr(plot, n))
        and getattr(getattr(plot, n), "__module__", "") == plot.__name__
    ]
    assert len(functions) >= 6, functions
    for f in functions:
        assert any(k == f or k.startswith(f + "_") for k in figures), f"{f} is not drawn"
    assert set(NAMES) == set(figures)


# --- helpers ------------------------------------------------------------------------------
def _visible(artist) -> bool:
    while artist is not None:
        if not artist.get_visible():
            return False
        artist = getattr(artist, "axes", None) if not isinstance(artist, Axes) else None
    return True


def _data_axes(fig: Figure) -> list[Axes]:
    """Visible panels that draw data (lines, events, fills or meshes)."""
    return [
        ax
        for ax in fig.axes
        if ax.get_visible() and (any(line.get_visible() for line in ax.lines) or ax.collections)
    ]


def _label(ax: Axes, which: str) -> str:
    return ax.get_xlabel() if which == "x" else ax.get_ylabel()


def _shared_label(ax: Axes, which: str) -> str:
    """The label that names ``ax``'s x or y axis: its own; or a panel's it shares the axis
    with (shared panels label the outer one only; a twin shares x); or, in a grid of
    panels, the one labelled panel of its column (x) or row (y), as a grid of small
    multiples labels the bottom row and the first column only."""
    if _label(ax, which):
        return _label(ax, which)
    group = ax.get_shared_x_axes() if which == "x" else ax.get_shared_y_axes()
    for other in group.get_siblings(ax):
        if other.get_visible() and _label(other, which):
            return _label(other, which)
    spec = ax.get_subplotspec()
    if spec is None:
        return ""
    span = spec.colspan if which == "x" else spec.rowspan
    labels = set()
    for other in ax.figure.axes:
        o = other.get_subplotspec()
        if o is None or not other.get_visible() or o.get_gridspec() is not spec.get_gridspec():
            continue
        if (o.colspan if which == "x" else o.rowspan) == span and _label(other, which):
            labels.add(_label(other, which))
    return labels.pop() if len(labels) == 1 else ""


def _texts(fig: Figure) -> list[tuple[Text, Axes | None]]:
    """Every visible, non-empty text with the panel it belongs to (None: the figure)."""
    out: list[tuple[Text, Axes | None]] = [(t, None) for t in fig.texts]
    for name in ("_suptitle", "_supxlabel", "_supylabel"):
        t = getattr(fig, name, None)
        if t is not None:
            out.append((t, None))
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        out += [(t, ax) for t in ax.texts]
        out += [(ax.title, ax), (ax._left_title, ax), (ax._right_title, ax)]
        out += [(ax.xaxis.label, ax), (ax.yaxis.label, ax)]
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                # Ticks just outside the view are made but not drawn.
                if lo - 1e-9 * (hi - lo) <= tick.get_loc() <= hi + 1e-9 * (hi - lo):
                    out += [(tick.label1, ax), (tick.label2, ax)]
    seen, unique = set(), []
    for t, ax in out:
        if id(t) in seen or not t.get_text().strip() or not _visible(t):
            continue
        seen.add(id(t))
        unique.append((t, ax))
    return unique


def _text_box(t: Text, renderer) -> Bbox:
    box = t.get_window_extent(renderer)
    patch = t.get_bbox_patch()
    if patch is not None:
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    return box


def _overlap_px(a: Bbox, b: Bbox) -> float:
    """Smaller side of the intersection of two boxes, px (≤ 0: they do not overlap)."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return min(w, h)


def _twins(a: Axes, b: Axes) -> bool:
    return a is b or np.allclose(a.get_position().bounds, b.get_position().bounds)


def _describe(t) -> str:
    if isinstance(t, Text):
        return repr(t.get_text()[:40])
    if isinstance(t, Legend):
        return "legend"
    return f"panel {t.get_ylabel() or t.get_title() or t.get_xlabel()!r}"


# --- checks -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_every_data_panel_has_axis_labels_with_units(figures, name):
    fig = figures[name]
    axes = _data_axes(fig)
    assert axes, f"{name}: no panel draws data"
    for ax in axes:
        for which in ("x", "y"):
            label = _shared_label(ax, which).strip()
            assert label, f"{name}: a panel has no {which} label ({ax.get_title()!r})"
            has_unit = ("(" in label and ")" in label) or ("[" in label and "]" in label)
            assert has_unit or label in UNITLESS_LABELS, (
                f"{name}: {which} label {label!r} gives no unit in brackets or parentheses"
            )


@pytest.mark.parametrize("name", NAMES)
def test_every_figure_carries_the_teaching_tool_footer(figures, name):
    fig = figures[name]
    texts = [t.get_text() for t, _ in _texts(fig)]
    assert any(FOOTER in t for t in texts), f"{name}: no '{FOOTER}' footer"


@pytest.mark.parametrize("name", NAMES)
def test_nothing_overlaps_or_sticks_out_of_the_figure(figures, name):
    fig = figures[name]
    renderer = fig.canvas.get_renderer()
    page = Bbox.from_bounds(0, 0, *fig.canvas.get_width_height())
    items = [(t, _text_box(t, renderer), ax) for t, ax in _texts(fig)]
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            items.append((legend, legend.get_window_extent(renderer), ax))
    panels = [(ax, ax.get_window_extent(renderer)) for ax in fig.axes if ax.get_visible()]
    faults = []
    for obj, box, _ in items + [(ax, box, ax) for ax, box in panels]:
        out = max(page.x0 - box.x0, page.y0 - box.y0, box.x1 - page.x1, box.y1 - page.y1)
        if out > TOLERANCE_PX:
            faults.append(f"{_describe(obj)} sticks out of the figure by {out:.0f} px")
    for (a, box_a, _), (b, box_b, _) in itertools.combinations(items, 2):
        if _overlap_px(box_a, box_b) > TOLERANCE_PX:
            faults.append(f"{_describe(a)} overlaps {_describe(b)}")
    for obj, box, owner in items:
        for ax, ax_box in panels:
            if owner is not None and _twins(owner, ax):
                continue  # a note inside its own panel, or a tick label beside it
            if _overlap_px(box, ax_box) > TOLERANCE_PX:
                faults.append(f"{_describe(obj)} lies on {_describe(ax)}")
    for (a, box_a), (b, box_b) in itertools.combinations(panels, 2):
        if not _twins(a, b) and _overlap_px(box_a, box_b) > TOLERANCE_PX:
            faults.append(f"{_describe(a)} overlaps {_describe(b)}")
    assert not faults, f"{name}:\n" + "\n".join(sorted(set(faults)))


def _allowed_colour(colour) -> bool:
    r, g, b, a = to_rgba(colour)
    if a == 0.0 or (abs(r - g) < 1e-6 and abs(g - b) < 1e-6):
        return True  # transparent, or a grey (black and white included)
    palette = [to_rgba(c)[:3] for c in plot.OKABE_ITO.values()]
    return any(np.allclose((r, g, b), p, atol=1.5 / 255) for p in palette)


@pytest.mark.parametrize("name", NAMES)
def test_lines_and_fills_use_the_colour_blind_safe_palette(figures, name):
    fig = figures[name]
    bad = []
    for ax in fig.axes:
        for line in ax.lines:
            if isinstance(line, Line2D) and not _allowed_colour(line.get_color()):
                bad.append(("line", line.get_color()))
        for coll in ax.collections:
            for c in [*coll.get_edgecolor(), *coll.get_facecolor()]:
                if not _allowed_colour(c):
                    bad.append((type(coll).__name__, tuple(np.round(c, 3))))
        for patch in ax.patches:
            if not _allowed_colour(patch.get_facecolor()):
                bad.append(("patch", tuple(np.round(patch.get_facecolor(), 3))))
        for t, _ in _texts(fig):
            if not _allowed_colour(t.get_color()):
                bad.append(("text", t.get_color()))
    assert not bad, f"{name}: colours outside Okabe–Ito and greys: {sorted(set(bad))[:5]}"


@pytest.mark.parametrize("name", NAMES)
def test_every_text_is_legible_on_a_projector(figures, name):
    fig = figures[name]
    small = [
        (t.get_text()[:30], round(t.get_fontsize(), 1))
        for t, _ in _texts(fig)
        if t.get_fontsize() < MIN_FONT_PT
    ]
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            small += [(t.get_text(), round(t.get_fontsize(), 1)) for t in legend.get_texts()
                      if t.get_fontsize() < MIN_FONT_PT]  # fmt: skip
    assert not small, f"{name}: text under {MIN_FONT_PT:g} pt: {small[:6]}"
