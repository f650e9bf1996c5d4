"""Figures: force, calcium, spike rasters and membrane potential of a Result.

Every single-panel function takes ``ax=None`` (draw into a new figure) or an existing
:class:`~matplotlib.axes.Axes` (draw into it, e.g. to overlay several results) and returns
the Axes. :func:`compare` builds the side-by-side figure the notebooks and the command line
use and returns the Figure. Nothing here calls ``plt.show()``; the caller decides.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms
of colour blindness (Okabe & Ito 2008, "Color Universal Design").
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ._validation import check_int
from ._version import __version__
from .analysis import drive_trace, irritation_end_s, summary_rows, trigger_window
from .classification import LABELS, classify
from .inputs import irritation_level
from .interventions import ChangeElectrolytes
from .result import Result

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The Okabe–Ito colour-blind-safe palette, by name (M. Okabe & K. Ito, "Color Universal
#: Design (CUD): how to make figures and presentations that are friendly to colorblind
#: people", J*Fly 2002, revised 2008, https://jfly.uni-koeln.de/color/, section 10).
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Order in which traces take palette colours: strongest contrast on white first; yellow
#: (hard to see on a projector) last.
LINE_COLOURS: tuple[str, ...] = tuple(
    OKABE_ITO[k]
    for k in (
        "blue",
        "vermillion",
        "bluish_green",
        "orange",
        "reddish_purple",
        "sky_blue",
        "black",
        "yellow",
    )
)

#: Font size of labels in :func:`compare`, pt. Teaching choice: readable on a lecture slide
#: when the figure fills the slide width.
COMPARE_FONT_PT = 13.0

#: Smallest text on any figure, pt at the saved size. Teaching choice: 9 pt on a 6.4-in-wide
#: figure still reads from the back of a lecture room when the figure fills a slide
#: (``tests/test_figure_quality.py`` checks every text against it).
MIN_TEXT_PT = 9.0

#: The footer every figure made here carries (after "musclesim <version> — ").
FOOTER = "teaching model, not a medical device"

#: Margin around the panels and boxes of :func:`compare`, inches (matplotlib: 3 pt):
#: keeps the widest metrics box off the figure's edge.
COMPARE_PAD_IN = 8.0 / 72.0

#: Longest line of the standing causes above a column of :func:`compare`, characters: what
#: fits the 3.6-in column at ``COMPARE_FONT_PT - 3``.
CAUSE_WRAP_CHARS = 44

_EVENTS = {
    "neuron": "motor-neuron spikes",
    "muscle": "muscle-fibre APs",
}


def _pyplot():
    # pyplot is imported on first use, so that ``import musclesim`` stays fast and the
    # caller (or the CLI, with Agg) chooses the backend first.
    import matplotlib.pyplot as plt

    return plt


def _check_result(res: object, what: str = "res") -> Result:
    if not isinstance(res, Result):
        raise TypeError(
            f"{what} must be a musclesim Result (from ms.simulate); got {type(res).__name__}"
        )
    return res


def _footer(fig: Figure, version: str, fontsize: float = MIN_TEXT_PT) -> None:
    """The teaching-tool footer, bottom right, laid out below the axis labels."""
    fig.supxlabel(f"musclesim {version} — {FOOTER}", fontsize=fontsize, color="0.4",
                  ha="right", x=0.99)  # fmt: skip


def _new_axes(ax: Axes | None, version: str) -> Axes:
    """``ax``, or the axes of a new figure with the footer (the caller's figure is theirs)."""
    if ax is not None:
        return ax
    fig, ax = _pyplot().subplots(figsize=(6.4, 3.6), layout="constrained")
    _footer(fig, version)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _next_colour(ax: Axes) -> str:
    return LINE_COLOURS[len(ax.lines) % len(LINE_COLOURS)]


def _time_axis(ax: Axes, res: Result) -> None:
    ax.set_xlabel("time (s)")
    ax.set_xlim(0.0, float(res.scenario.duration_s))


def _trace(
    res: Result, y: np.ndarray, ylabel: str, ax: Axes | None, label: str | None, lw: float
) -> Axes:
    """One time trace in the next palette colour; a legend only when a label is given."""
    ax = _new_axes(ax, res.version)
    ax.plot(res.time, y, color=_next_colour(ax), lw=lw,
            label=_plain(res.scenario.name) if label is None else label)  # fmt: skip
    _time_axis(ax, res)
    ax.set_ylabel(ylabel)
    if label is not None:
        ax.legend(frameon=False)
    return ax


def force(res: Result, ax: Axes | None = None, label: str | None = None) -> Axes:
    """Plot muscle force against time.

    Parameters
    ----------
    res : Result
        A simulation result.
    ax : Axes, optional
        Axes to draw into; a new figure if None. Overlaid results take successive colours.
    label : str, optional
        Legend label; if given, a legend is drawn. Defaults to the scenario name (no legend).

    Returns
    -------
    Axes
        The axes, with force in % of the maximal tetanic force on y and time in s on x.
    """
    res = _check_result(res)
    return _trace(res, 100.0 * np.asarray(res.force), "force (% of max tetanic)", ax, label, 1.8)


def calcium(res: Result, ax: Axes | None = None, label: str | None = None) -> Axes:
    """Plot free myoplasmic Ca²⁺ (pool mean, weighted by force share) against time.

    Parameters
    ----------
    res : Result
        A simulation result.
    ax : Axes, optional
        Axes to draw into; a new figure if None.
    label : str, optional
        Legend label; if given, a legend is drawn. Defaults to the scenario name (no legend).

    Returns
    -------
    Axes
        The axes, with [Ca²⁺] in µM on y and time in s on x.
    """
    res = _check_result(res)
    return _trace(res, np.asarray(res.calcium), "free Ca²⁺ (µM)", ax, label, 1.5)


def raster(
    res: Result, ax: Axes | None = None, max_units: int = 100, events: str = "neuron"
) -> Axes:
    """Plot a spike raster: one row of thin ticks per motor unit, 0 = smallest at the bottom.

    Parameters
    ----------
    res : Result
        A simulation result.
    ax : Axes, optional
        Axes to draw into; a new figure if None.
    max_units : int
        Most rows drawn (≥ 1). A larger pool is shown by evenly spaced units (always
        including the smallest and the largest); rows keep their true unit index.
    events : {"neuron", "muscle"}
        ``"neuron"``: motor-neuron spikes (``res.spike_times``). ``"muscle"``: muscle-fibre
        action potentials (``res.muscle_ap_times``), which also show nerve-stimulus
        responses that never reach the motor-neuron soma.

    Returns
    -------
    Axes
        The axes, with motor-unit index on y and time in s on x. One tick per event; the
        y label says how many units are shown when not all are.
    """
    res = _check_result(res)
    max_units = check_int("max_units", max_units, 1, 100_000, "rows in the raster")
    if events not in _EVENTS:
        raise ValueError(f"events = {events!r}; valid values: 'neuron', 'muscle'")
    trains = res.spike_times if events == "neuron" else res.muscle_ap_times
    ax = _new_axes(ax, res.version)
    n = len(trains)
    if n <= max_units:
        units = np.arange(n)
    else:
        units = np.unique(np.round(np.linspace(0, n - 1, max_units)).astype(int))
    step = float(units[1] - units[0]) if units.size > 1 else 1.0
    # Linewidth in points, thin enough that 50-Hz trains of neighbouring units stay apart.
    lw = 1.0 if units.size <= 30 else 0.7
    from matplotlib.collections import LineCollection

    # The whole raster is one path: each tick a bottom and a top vertex, ticks separated
    # by a NaN vertex (which starts a new sub-path). A long cramp has ~50 000 spikes; one
    # artist per row (``eventplot``) costs seconds to draw and save, and one segment per
    # spike still builds a Path object per spike. snap=True keeps the ticks on whole
    # pixels, which matplotlib's automatic snapping does for short paths only (without it
    # the long path's ticks blur).
    times = [np.asarray(trains[u], dtype=float) for u in units]
    counts = np.array([t.size for t in times])
    x = np.concatenate(times) if times else np.zeros(0)
    y = np.repeat(units.astype(float), counts)
    half = 0.4 * step
    ticks_xy = np.full((x.size, 3, 2), np.nan)
    ticks_xy[:, :2, 0] = x[:, None]
    ticks_xy[:, 0, 1] = y - half
    ticks_xy[:, 1, 1] = y + half
    path = ticks_xy.reshape(-1, 2)[:-1] if x.size else np.zeros((0, 2))
    ticks = LineCollection([path], linewidths=lw, colors=OKABE_ITO["black"], snap=True)
    ax.add_collection(ticks)
    _time_axis(ax, res)
    ax.set_ylim(-0.5 * step, (n - 1) + 0.5 * step)
    # How many rows are drawn goes in the axis label: a note inside the panel would lie on
    # the ticks of a busy raster.
    shown = "" if units.size == n else f"; {units.size} of {n} shown"
    ax.set_ylabel(f"motor unit (0 = smallest{shown})")
    if not any(np.size(trains[u]) for u in units):
        ax.text(0.5, 0.5, f"no {_EVENTS[events]}", transform=ax.transAxes,
                ha="center", va="center", color="0.35")  # fmt: skip
    return ax


def voltage(res: Result, ax: Axes | None = None, unit: int | None = None) -> Axes:
    """Plot the membrane potential of recorded motor neuron(s) against time.

    The trace is sampled every ``record_dt_ms`` (default 1 ms), so spike peaks may look
    clipped or uneven; simulate with a smaller ``record_dt_ms`` to see spike shape.

    Parameters
    ----------
    res : Result
        A simulation result.
    ax : Axes, optional
        Axes to draw into; a new figure if None.
    unit : int, optional
        Unit index (0 = smallest) to plot; it must be one of ``res.recorded_units``.
        None plots every recorded unit.

    Returns
    -------
    Axes
        The axes, with membrane potential in mV on y and time in s on x.
    """
    res = _check_result(res)
    rec = tuple(res.recorded_units)
    if not rec:
        raise ValueError("no membrane potential recorded; simulate with record_units=(0,)")
    if unit is None:
        cols = list(range(len(rec)))
    elif isinstance(unit, bool) or not isinstance(unit, int | np.integer) or unit not in rec:
        raise ValueError(f"unit = {unit!r} was not recorded; recorded units: {rec}")
    else:
        cols = [rec.index(int(unit))]
    ax = _new_axes(ax, res.version)
    for k in cols:
        ax.plot(res.time, res.voltage[:, k], color=_next_colour(ax), lw=0.9,
                label=f"unit {rec[k]}")  # fmt: skip
    _time_axis(ax, res)
    ax.set_ylabel("membrane potential (mV)")
    if len(cols) > 1:
        ax.legend(frameon=False)
    return ax


def _fmt(x: float, spec: str) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def _metrics_text(res: Result) -> str:
    """Class and key numbers (:func:`musclesim.analysis.summary_rows`, from the result's
    one ``metrics()``): for an involuntary contraction its own peak, onset after the
    trigger, duration and how it ended, so a cramp's box is not its trigger's."""
    rows = [("class", classify(res)), *summary_rows(res)]
    # How it ended is a phrase of its own ("ended by itself at 18.5 s"): a line without
    # its key, so the box stays as narrow as its column.
    w = max(len(k) for k, _ in rows if k != "end")
    return "\n".join(v if k == "end" else f"{k:<{w}}  {v}" for k, v in rows)


#: Fill of the voluntary trigger window in :func:`compare` (Okabe–Ito orange, faint).
TRIGGER_SHADE = {"color": OKABE_ITO["orange"], "alpha": 0.15, "lw": 0}


def _shade_trigger(axes_col, res: Result, fs: float) -> None:
    """Shade the trigger (voluntary drive or nerve stimulation) down the column, named in
    the top panel, so what follows it is seen to be involuntary."""
    win = trigger_window(res.scenario)
    if win is None:
        return
    start, end = win[0], min(win[1], float(res.scenario.duration_s))
    if end <= start:  # a single nerve pulse: a visible sliver
        end = start + 0.01 * float(res.scenario.duration_s)
    for ax in axes_col:
        ax.axvspan(start, end, **TRIGGER_SHADE)
    # Named beside the shade at the foot of the cause row, where the drive is back to zero.
    axes_col[0].annotate("← trigger", xy=(end, 0.04), xycoords=("data", "axes fraction"),
                         xytext=(3, 0), textcoords="offset points", ha="left", va="bottom",
                         fontsize=fs - 3, color="0.3")  # fmt: skip


def _has_irritation(res: Result) -> bool:
    return irritation_end_s(res.scenario) is not None


def _cause_text(res: Result) -> str:
    """The scenario's standing causes, in words, for the top row of ``compare``."""
    sc = res.scenario
    parts = []
    if _has_irritation(res):
        parts.append(f"irritation reaches {100.0 * sc.irritation_fraction:.0f} % of units")
    if sc.fatigue > 0.0:
        parts.append(f"fatigue {sc.fatigue:g}")
    if sc.length is not None and len(set(sc.length.length_l0)) == 1:
        if sc.length.length_l0[0] != 1.0:
            parts.append(f"length {sc.length.length_l0[0]:g} L0")
    el = sc.electrolytes.describe()
    if el != "normal":
        parts.append(el)
    return ", ".join(parts)


def _cause_row(ax: Axes, res: Result, fs: float, drive_top: float, with_irritation: bool):
    """Top row of ``compare``: voluntary drive (nA) and nerve irritation (%, right axis)."""
    sc = res.scenario
    t = np.arange(0.0, sc.duration_s + 1e-9, 0.001)
    d = drive_trace(sc, t)
    ax.fill_between(t, 0.0, d, color="0.55", alpha=0.6, lw=0,
                    label="voluntary drive")  # fmt: skip
    ax.set_ylim(0.0, drive_top)
    if with_irritation:
        ax2 = ax.twinx()
        ax2.plot(t, 100.0 * irritation_level(sc, t * 1000.0), color=OKABE_ITO["vermillion"],
                 lw=2.0, ls="--")  # fmt: skip
        ax2.set_ylim(0.0, 105.0)
        ax2.tick_params(labelsize=fs - 2, colors=OKABE_ITO["vermillion"])
        ax2.spines[["top"]].set_visible(False)
        return ax2
    return None


def _mark_interventions(axes_col, res: Result, fs: float) -> None:
    """A dotted line down the column at each intervention, named in the top panel."""
    for iv in res.scenario.interventions:
        if isinstance(iv, ChangeElectrolytes):  # a disorder developing, not a treatment
            continue
        for ax in axes_col:
            ax.axvline(iv.at_s, color="0.35", ls=":", lw=1.2)
        axes_col[0].annotate(iv.kind, xy=(iv.at_s, 1.0), xycoords=("data", "axes fraction"),
                             xytext=(3, -2), textcoords="offset points", ha="left", va="top",
                             fontsize=fs - 3, color="0.2")  # fmt: skip


def _nice_ceiling(x: float, floor: float) -> float:
    """Smallest of 1, 2, 2.5, 5 × 10^k that is ≥ x (and ≥ floor), for a tidy axis top."""
    x = max(float(x), floor)
    e = 10.0 ** math.floor(math.log10(x))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * e >= x * (1.0 - 1e-9):
            return m * e
    return 10.0 * e  # pragma: no cover


def compare(results: Sequence[Result], metrics: bool = True) -> Figure:
    """Side-by-side comparison: one column per result; cause, raster, Ca²⁺, force, EMG rows.

    The rows follow the chain of cause: what drives the pool (voluntary drive in nA, grey;
    nerve irritation in % on a dashed right axis; standing causes such as fatigue, length
    and plasma in words) → motor-neuron spikes → myoplasmic Ca²⁺ → force, and the surface
    EMG as a clinician would record it. The trigger (voluntary drive or nerve stimulation)
    is shaded down the column, so what follows it reads as involuntary; interventions are
    dotted lines down the column, named at the top. Within a column the panels share the
    time axis (s). Across columns the Ca²⁺ (µM), force (% of maximal tetanic force) and EMG
    (mV) panels share their y-limits, so heights compare directly. The raster shows
    motor-neuron spikes; a result with none but with muscle-fibre action potentials (nerve
    stimulation) shows those instead, as its panel says.

    Parameters
    ----------
    results : sequence of Result
        One to four results read best; more are drawn but get narrow.
    metrics : bool
        If True, print under each column its class (:func:`musclesim.classify`) and the
        rows of :func:`musclesim.analysis.summary_rows` (from the result's one
        ``Result.metrics()``, as the command line prints them): peak force (%); for an
        involuntary contraction its own peak after the trigger, its onset, duration and
        how it ended (by itself, stopped by an intervention, or still running), the units
        firing in it, their mean rate (Hz) and ISI CV; otherwise the active motor neurons,
        mean rate and ISI CV of the whole run.

    Returns
    -------
    Figure
        A figure with ``5 * len(results)`` axes in row-major order (cause, raster, Ca²⁺,
        force, EMG), plus a right-hand irritation axis per column when any result has
        nerve irritation; titles are the scenario names.

    Raises
    ------
    TypeError
        If ``results`` is not a sequence of Result (the message names the offending type).
    ValueError
        If ``results`` is empty.
    """
    if isinstance(results, Result):
        raise TypeError("results must be a list of Results; got one Result: use compare([res])")
    if not isinstance(results, Sequence) or isinstance(results, str):
        raise TypeError(f"results must be a list of Results; got {type(results).__name__}")
    if len(results) == 0:
        raise ValueError("results is empty; give compare at least one Result")
    for k, r in enumerate(results):
        _check_result(r, f"results[{k}]")

    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    n = len(results)
    fs = COMPARE_FONT_PT
    fig, all_axes = plt.subplots(
        5,
        n,
        figsize=(1.0 + 3.6 * n, 11.6 if metrics else 10.4),
        sharex="col",
        squeeze=False,
        layout="constrained",
        height_ratios=(0.55, 1.0, 1.0, 1.3, 0.9),
    )
    cause_axes, axes = all_axes[0], all_axes[1:]
    drive_top = _nice_ceiling(
        max(float(np.max(drive_trace(r.scenario, r.time), initial=0.0)) for r in results), 1.0
    )
    with_irritation = any(_has_irritation(r) for r in results)
    # Room between columns so the last time label of one column clears the next.
    fig.get_layout_engine().set(wspace=0.08, w_pad=COMPARE_PAD_IN)
    # Ca and force share y-limits across columns (magnitudes compare by eye); rasters keep
    # their own unit axis, since pools may differ in size.
    for j in range(1, n):
        axes[1, j].sharey(axes[1, 0])
        axes[2, j].sharey(axes[2, 0])
        axes[3, j].sharey(axes[3, 0])
    same_pool = len({len(r.spike_times) for r in results}) == 1
    # Standing causes in words, between each column's title and its cause row (inside the
    # row they would run into the names of interventions); wrapped to the column's width.
    causes = [textwrap.wrap(_cause_text(r), CAUSE_WRAP_CHARS) for r in results]
    title_pad_pt = 6.0 + 1.3 * (fs - 3) * max(len(c) for c in causes)
    ca_top = _nice_ceiling(max(float(np.max(r.calcium, initial=0.0)) for r in results), 0.5)
    f_top = _nice_ceiling(max(100.0 * float(np.max(r.force, initial=0.0)) for r in results), 10.0)
    emg_top = _nice_ceiling(max(float(np.max(np.abs(r.emg), initial=0.0)) for r in results), 0.1)
    for j, res in enumerate(results):
        colour = LINE_COLOURS[j % len(LINE_COLOURS)]
        ax_r, ax_c, ax_f, ax_e = axes[:, j]
        has_mn = any(s.size for s in res.spike_times)
        has_ap = any(s.size for s in res.muscle_ap_times)
        events = "muscle" if (not has_mn and has_ap) else "neuron"
        raster(res, ax=ax_r, events=events)
        n_units = len(res.spike_times)
        # Headroom above the top unit holds the label saying which events are drawn.
        ax_r.set_ylim(-0.5, n_units - 0.5 + 0.18 * n_units)
        ax_r.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax_r.set_yticks([t for t in ax_r.get_yticks() if 0 <= t <= n_units - 1])
        if has_mn or has_ap:
            note = _EVENTS[events] + (" (nerve stimulus)" if events == "muscle" else "")
            ax_r.text(0.01, 0.99, note, transform=ax_r.transAxes, ha="left", va="top",
                      fontsize=fs - 3, color="0.25")  # fmt: skip
        ax_d = cause_axes[j]
        # parse_math=False: a '$' in a scenario name is plain text.
        cause_axes[j].set_title(res.scenario.name, fontsize=fs + 2, fontweight="bold",
                                pad=title_pad_pt, parse_math=False)  # fmt: skip
        ax_i = _cause_row(ax_d, res, fs, drive_top, with_irritation)
        if ax_i is not None and _has_irritation(res):
            ax_i.set_ylabel("irritation (%)", fontsize=fs - 1, color=OKABE_ITO["vermillion"])
        elif ax_i is not None:
            ax_i.set_visible(False)
        if causes[j]:
            ax_d.annotate("\n".join(causes[j]), xy=(0.5, 1.0), xycoords="axes fraction",
                          xytext=(0.0, 4.0), textcoords="offset points", ha="center",
                          va="bottom", fontsize=fs - 3, color="0.2")  # fmt: skip
        ax_d.tick_params(labelsize=fs - 2)
        ax_d.spines[["top", "right"]].set_visible(False)
        if j > 0:
            ax_d.sharey(cause_axes[0])
            ax_d.tick_params(labelleft=False)
        _mark_interventions([ax_d, ax_r, ax_c, ax_f, ax_e], res, fs)
        _shade_trigger([ax_d, ax_r, ax_c, ax_f, ax_e], res, fs)
        ax_c.plot(res.time, np.asarray(res.calcium), color=colour, lw=1.6)
        ax_f.plot(res.time, 100.0 * np.asarray(res.force), color=colour, lw=2.0)
        ax_e.plot(res.emg_time, np.asarray(res.emg), color="0.2", lw=0.4)
        for ax in (ax_r, ax_c, ax_f, ax_e):
            ax.set_xlim(0.0, float(res.scenario.duration_s))
            ax.tick_params(labelsize=fs - 2)
            ax.set_ylabel("")
            ax.set_xlabel("")
            ax.spines[["top", "right"]].set_visible(False)
        if j > 0:
            ax_c.tick_params(labelleft=False)
            ax_f.tick_params(labelleft=False)
            ax_e.tick_params(labelleft=False)
            if same_pool:
                ax_r.tick_params(labelleft=False)
        ax_e.set_xlabel("time (s)", fontsize=fs)
        if metrics:
            ax_e.annotate(
                _metrics_text(res),
                xy=(0.5, 0.0),
                xycoords="axes fraction",
                xytext=(0.0, -3.2 * fs),
                textcoords="offset points",
                ha="center",
                va="top",
                multialignment="left",
                family="monospace",
                fontsize=fs - 2,
                bbox={"boxstyle": "round,pad=0.4", "fc": "0.95", "ec": "0.7"},
            )
    axes[1, 0].set_ylim(0.0, ca_top)
    axes[2, 0].set_ylim(0.0, f_top)
    cause_axes[0].set_ylabel("drive (nA)", fontsize=fs)
    axes[0, 0].set_ylabel("motor unit\n(0 = smallest)", fontsize=fs)
    axes[1, 0].set_ylabel("free Ca²⁺ (µM)", fontsize=fs)
    axes[2, 0].set_ylabel("force (% of max)", fontsize=fs)
    axes[3, 0].set_ylim(-emg_top, emg_top)
    axes[3, 0].set_ylabel("surface EMG (mV)", fontsize=fs)
    _footer(fig, ", ".join(sorted({r.version for r in results})), fontsize=fs - 4)
    return fig


# --- regime maps ------------------------------------------------------------------------
#: Fill colour of each class in :func:`regime_map` (Okabe–Ito): spasm blue and cramp
#: vermillion as in the README's spasm-vs-cramp figure (:func:`compare`), green for normal,
#: purple for tetany.
CLASS_COLOURS: dict[str, str] = {
    "normal": OKABE_ITO["bluish_green"],
    "spasm-like": OKABE_ITO["blue"],
    "cramp-like": OKABE_ITO["vermillion"],
    "tetany-like": OKABE_ITO["reddish_purple"],
}

#: Axis labels (with units) of the sweep-table columns a regime map is usually drawn on.
#: A numeric sweep axis of :func:`regime_map` with at most this many values gets a tick per
#: value (more would crowd at 9 pt).
MAX_GRID_TICKS = 8

_COLUMN_LABELS: dict[str, str] = {
    "irritation": "nerve irritation (0–1)",
    "irritation_fraction": "units reached by the irritation (fraction)",
    "fatigue": "fatigue (0–1)",
    "temperature_C": "temperature (°C)",
    "synaptic_noise_uA_cm2": "synaptic noise SD (µA/cm²)",
    "n_units": "motor units",
    "seed": "seed",
    "duration_s": "force above threshold (s)",
    "scenario.duration_s": "simulated time (s)",
    "electrolytes.Na": "plasma Na⁺ (mmol/L)",
    "electrolytes.K": "plasma K⁺ (mmol/L)",
    "electrolytes.Cl": "plasma Cl⁻ (mmol/L)",
    "electrolytes.Ca": "ionised Ca²⁺ (mmol/L)",
    "electrolytes.Mg": "ionised Mg²⁺ (mmol/L)",
    "peak_force": "peak force (fraction of max)",
    "mean_force": "mean force (fraction of max)",
}

_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_uA_cm2", "µA/cm²"), ("_mS_cm2", "mS/cm²"), ("_uF_cm2", "µF/cm²"), ("_nA", "nA"),
    ("_hz", "Hz"), ("_mM", "mM"), ("_mV", "mV"), ("_ms", "ms"), ("_s", "s"), ("_C", "°C"),
)  # fmt: skip


def _column_label(name: str) -> str:
    if name in _COLUMN_LABELS:
        return _COLUMN_LABELS[name]
    for suffix, unit in _UNIT_SUFFIXES:
        if name.endswith(suffix):
            return f"{name[: -len(suffix)]} ({unit})"
    return name


def _table_column(table: pd.DataFrame, name: str) -> np.ndarray:
    names = [str(c) for c in table.columns]
    if name not in names:
        raise ValueError(f"the table has no column {name!r}; its columns: {', '.join(names)}")
    return np.asarray(table[name])


def _cell_edges(values: np.ndarray) -> np.ndarray:
    """Cell boundaries halfway between neighbouring grid values (one value: ±0.5 or ±5 %)."""
    if values.size == 1:
        half = 0.05 * abs(float(values[0])) or 0.5
        return np.array([values[0] - half, values[0] + half])
    mid = 0.5 * (values[1:] + values[:-1])
    return np.concatenate(([2 * values[0] - mid[0]], mid, [2 * values[-1] - mid[-1]]))


def regime_map(table: pd.DataFrame, x: str, y: str, ax: Axes | None = None) -> Axes:
    """Draw a sweep table as a map: one cell per (x, y) point, coloured by its class.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`musclesim.sweep` (any table with columns ``x``, ``y`` and
        ``class`` will do).
    x, y : str
        Columns for the horizontal and vertical axes, e.g. ``"electrolytes.Mg"`` and
        ``"fatigue"``. Numeric columns give cells centred on each value, with edges
        halfway to the neighbours; other columns (e.g. ``name``) give one evenly spaced
        cell per value.
    ax : Axes, optional
        Axes to draw into; a new figure if None.

    Returns
    -------
    Axes
        With one cell per (x, y) pair, filled in the class's colour (``CLASS_COLOURS``:
        Okabe–Ito, so colour-blind readers can tell the classes apart); a legend of the
        classes present; axes labelled with units where the column is known. Points the
        table lacks stay blank. Where several runs share a cell (other inputs or seeds
        varied too) the cell shows the most frequent class (ties: the later one in
        normal, spasm, cramp, tetany order) and is hatched, with a legend entry saying
        the runs there disagree.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame, or ``x`` or ``y`` not a column name.
    ValueError
        If a column is missing (the message lists the table's columns), the table is
        empty, or a class is not one of ``musclesim.classify``'s labels.
    """
    import pandas as pd
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            f"table must be a sweep table (a pandas DataFrame, as ms.sweep returns); got "
            f"{type(table).__name__}"
        )
    for what, name in (("x", x), ("y", y)):
        if not isinstance(name, str):
            raise TypeError(f"{what} must be a column name (str); got {name!r}")
    xs, ys = _table_column(table, x), _table_column(table, y)
    classes = _table_column(table, "class").astype(str)
    if classes.size == 0:
        raise ValueError("the table is empty: nothing to map")
    unknown = sorted(set(classes) - set(LABELS))
    if unknown:
        raise ValueError(f"unknown class(es) {unknown}; a class is one of {', '.join(LABELS)}")

    axes_values, edges, positions = [], [], []
    for vals in (xs, ys):
        numeric = np.issubdtype(vals.dtype, np.number) and not np.issubdtype(vals.dtype, np.bool_)
        uniq = np.unique(vals.astype(float) if numeric else vals.astype(str))
        axes_values.append(uniq)
        edges.append(_cell_edges(uniq) if numeric else np.arange(uniq.size + 1) - 0.5)
        positions.append(None if numeric else np.arange(uniq.size))
    ux, uy = axes_values
    counts = np.zeros((uy.size, ux.size, len(LABELS)), dtype=np.int64)
    ix = np.searchsorted(ux, xs.astype(ux.dtype))
    iy = np.searchsorted(uy, ys.astype(uy.dtype))
    np.add.at(counts, (iy, ix, np.array([LABELS.index(c) for c in classes])), 1)
    total = counts.sum(axis=2)
    # Most frequent class; ties go to the later label (argmax of the reversed counts).
    winner = len(LABELS) - 1 - np.argmax(counts[:, :, ::-1], axis=2)
    grid = np.ma.masked_where(total == 0, winner.astype(float))
    mixed = (counts > 0).sum(axis=2) > 1

    ax = _new_axes(ax, __version__)
    cmap = ListedColormap([CLASS_COLOURS[c] for c in LABELS])
    norm = BoundaryNorm(np.arange(len(LABELS) + 1) - 0.5, cmap.N)
    ax.pcolormesh(edges[0], edges[1], grid, cmap=cmap, norm=norm, edgecolors="white",
                  linewidth=0.5)  # fmt: skip
    for j, i in zip(*np.nonzero(mixed), strict=True):
        ax.fill_between(edges[0][i : i + 2], edges[1][j], edges[1][j + 1], facecolor="none",
                        edgecolor="0.2", hatch="///", linewidth=0.0)  # fmt: skip
    for k, (pos, uniq) in enumerate(zip(positions, axes_values, strict=True)):
        set_ticks = ax.set_xticks if k == 0 else ax.set_yticks
        if pos is not None:
            set_ticks(pos, list(uniq))
        elif uniq.size <= MAX_GRID_TICKS:
            # A tick under each cell's centre: the values the sweep ran, not round numbers
            # that fall between cells.
            set_ticks(uniq, [f"{v:g}" for v in uniq])
    ax.set_xlim(edges[0][0], edges[0][-1])
    ax.set_ylim(edges[1][0], edges[1][-1])
    ax.set_xlabel(_column_label(x))
    ax.set_ylabel(_column_label(y))
    present = [c for c in LABELS if c in set(classes)]
    handles = [Patch(facecolor=CLASS_COLOURS[c], edgecolor="0.5", label=c) for c in present]
    if mixed.any():
        handles.append(Patch(facecolor="white", edgecolor="0.2", hatch="///",
                             label="runs disagree (majority shown)"))  # fmt: skip
    ax.legend(handles=handles, title="class", loc="upper left", bbox_to_anchor=(1.01, 1.0),
              frameon=False, borderaxespad=0.0)  # fmt: skip
    return ax


def _plain(name: str) -> str:
    """A scenario name as a legend label drawn as typed: ``$`` escaped (not mathtext) and
    a leading ``_`` kept (matplotlib hides labels that start with one)."""
    name = name.replace("$", r"\$")
    return " " + name if name.startswith("_") else name
