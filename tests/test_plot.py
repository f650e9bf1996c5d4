"""Tests for musclesim.plot: the figures show the data they claim, in the units they claim.

Checks read the drawn artists back (line data, event positions, limits, labels) rather than
comparing images, so they fail when a panel plots the wrong array, scale or unit.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import musclesim as ms
from musclesim import plot
from musclesim.scenarios import Scenario


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def twitch():
    return ms.simulate("twitch", duration_s=0.3)


@pytest.fixture(scope="module")
def tetanus():
    return ms.simulate("tetanus", duration_s=0.5)


@pytest.fixture(scope="module")
def rest():
    return ms.simulate("rest", duration_s=0.3)


@pytest.fixture(scope="module")
def step():
    # One motor neuron driven by a current step: motor-neuron spikes (7 in the preset).
    return ms.simulate("step_current", duration_s=0.8)


def fake_result(spikes: list[list[float]], aps: list[list[float]] | None = None) -> ms.Result:
    """A hand-made Result with known spike times, for exact counts without simulating."""
    n = len(spikes)
    t = np.linspace(0.0, 1.0, 11)
    return ms.Result(
        scenario=Scenario(name="fake", n_units=n, duration_s=1.0),
        time=t,
        force=0.5 * t,
        calcium=0.05 + t,
        voltage=np.column_stack([-70.0 + t, -60.0 + t]),
        ia_rate=np.full_like(t, 10.0),
        ib_rate=np.zeros_like(t),
        metabolite=np.full_like(t, 3.0),
        recorded_units=(0, n - 1),
        spike_times=[np.asarray(s, dtype=float) for s in spikes],
        muscle_ap_times=[np.asarray(s, dtype=float) for s in (aps or [[]] * n)],
        method="fixed",
        dt_ms=0.025,
    )


def event_positions(ax) -> list[tuple[float, np.ndarray]]:
    """(row offset, tick times) of every raster row with a tick in ``ax`` (the raster is
    one path of vertical ticks, bottom and top vertex each, separated by NaN vertices)."""
    (ticks,) = ax.collections
    (path,) = ticks.get_paths()
    vertices = np.asarray(path.vertices)
    if vertices.size == 0:
        return []
    segs = np.vstack([vertices, [[np.nan, np.nan]]]).reshape(-1, 3, 2)
    assert np.all(np.isnan(segs[:, 2]))  # one NaN after each tick
    x = segs[:, 0, 0]
    y = 0.5 * (segs[:, 0, 1] + segs[:, 1, 1])
    assert np.array_equal(segs[:, 0, 0], segs[:, 1, 0])  # vertical ticks
    return [(float(r), x[y == r]) for r in np.unique(y)]


# --- single panels ------------------------------------------------------------------------
def test_force_panel_shows_percent_of_maximal_tetanic_force(tetanus):
    ax = plot.force(tetanus)
    (line,) = ax.lines
    np.testing.assert_allclose(line.get_ydata(), 100.0 * tetanus.force)
    np.testing.assert_allclose(line.get_xdata(), tetanus.time)
    assert "%" in ax.get_ylabel()
    assert ax.get_xlabel() == "time (s)"


def test_force_overlays_take_distinct_colour_blind_safe_colours(twitch, tetanus):
    ax = plot.force(twitch, label="twitch")
    assert plot.force(tetanus, ax=ax, label="tetanus") is ax
    colours = [line.get_color() for line in ax.lines]
    assert len(set(colours)) == 2
    assert set(colours) <= set(plot.OKABE_ITO.values())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["twitch", "tetanus"]


def test_calcium_panel_shows_free_calcium_in_micromolar(tetanus):
    ax = plot.calcium(tetanus)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), tetanus.calcium)
    assert "µM" in ax.get_ylabel()
    assert ax.get_xlabel() == "time (s)"


def test_raster_draws_one_tick_per_motor_neuron_spike():
    res = fake_result([[0.1, 0.2, 0.3], [], [0.15, 0.25, 0.35, 0.45, 0.55]])
    ax = plot.raster(res)
    rows = event_positions(ax)
    assert sum(p.size for _, p in rows) == 8
    assert [off for off, _ in rows] == [0, 2]  # unit index on y, 0 = smallest; 1 silent
    np.testing.assert_allclose(rows[1][1], res.spike_times[2])
    assert "0 = smallest" in ax.get_ylabel()


def test_raster_of_a_real_run_counts_every_spike(step):
    ax = plot.raster(step)
    n_spikes = sum(s.size for s in step.spike_times)
    assert n_spikes > 0
    assert sum(p.size for _, p in event_positions(ax)) == n_spikes


def test_raster_can_show_muscle_fibre_action_potentials(twitch):
    ax = plot.raster(twitch, events="muscle")
    n_aps = sum(s.size for s in twitch.muscle_ap_times)
    assert n_aps == len(twitch.muscle_ap_times)  # one supramaximal pulse: every unit once
    assert sum(p.size for _, p in event_positions(ax)) == n_aps


def test_raster_of_a_large_pool_keeps_true_unit_indices():
    res = fake_result([[0.1 * (k % 9 + 1)] for k in range(50)])
    ax = plot.raster(res, max_units=5)
    offsets = [off for off, _ in event_positions(ax)]
    assert len(offsets) == 5
    assert offsets[0] == 0 and offsets[-1] == 49  # smallest and largest always shown


def test_raster_rejects_unknown_event_kind_and_bad_row_count():
    res = fake_result([[0.1]])
    with pytest.raises(ValueError, match="'neuron', 'muscle'"):
        plot.raster(res, events="emg")
    with pytest.raises(ValueError, match="max_units"):
        plot.raster(res, max_units=0)


def test_voltage_plots_recorded_units_in_millivolts():
    res = fake_result([[], [], []])
    ax = plot.voltage(res)
    assert len(ax.lines) == 2
    np.testing.assert_allclose(ax.lines[1].get_ydata(), res.voltage[:, 1])
    assert "mV" in ax.get_ylabel()
    one = plot.voltage(res, unit=2)
    np.testing.assert_allclose(one.lines[0].get_ydata(), res.voltage[:, 1])


def test_voltage_of_an_unrecorded_unit_names_the_recorded_ones():
    res = fake_result([[], [], []])
    with pytest.raises(ValueError, match=r"recorded units: \(0, 2\)"):
        plot.voltage(res, unit=1)


def test_panels_reject_non_results_naming_the_type():
    with pytest.raises(TypeError, match="dict"):
        plot.force({"time": [0.0]})


# --- compare ------------------------------------------------------------------------------
def test_compare_draws_cause_raster_calcium_force_and_emg_per_scenario(twitch, tetanus, rest):
    results = [twitch, tetanus, rest]
    fig = plot.compare(results)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 15  # no irritation: no right-hand irritation axes
    axes = np.array(fig.axes).reshape(5, 3)
    assert [ax.get_title() for ax in axes[0]] == ["twitch", "tetanus", "rest"]
    assert "nA" in axes[0, 0].get_ylabel()
    for j, res in enumerate(results):
        np.testing.assert_allclose(axes[2, j].lines[0].get_ydata(), res.calcium)
        np.testing.assert_allclose(axes[3, j].lines[0].get_ydata(), 100.0 * res.force)
        np.testing.assert_allclose(axes[4, j].lines[0].get_ydata(), res.emg)
        assert axes[4, j].get_xlabel() == "time (s)"
    assert "mV" in axes[4, 0].get_ylabel()
    assert "µM" in axes[2, 0].get_ylabel()
    assert "%" in axes[3, 0].get_ylabel()


def test_compare_cause_row_shows_drive_irritation_and_interventions():
    cramp = ms.scenario("cramp").replace(
        n_units=10, duration_s=4.0, interventions=(ms.interventions.stretch(at_s=3.0),)
    )
    spasm = ms.scenario("spasm").replace(n_units=10, duration_s=4.0)
    fig = plot.compare([ms.simulate(spasm), ms.simulate(cramp)])
    assert len(fig.axes) == 10 + 2  # 5 rows x 2 columns + an irritation axis per column
    cause = fig.axes[0:2]
    # The cramp's trigger: the grey drive area peaks at the preset's contraction.
    drive = cause[1].collections[0].get_paths()[0].vertices[:, 1]
    assert drive.max() == pytest.approx(ms.presets.CRAMP_TRIGGER_NA)
    irritation_axes = [ax for ax in fig.axes if "irritation" in ax.get_ylabel()]
    assert len(irritation_axes) == 1
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("fatigue 0.9" in t and "0.9 L0" in t for t in texts)
    share = f"irritation reaches {100 * spasm.irritation_fraction:.0f} % of units"
    assert any(share in t for t in texts)
    # The stretch is named and marked down the whole cramp column.
    names = [a.get_text() for ax in fig.axes for a in ax.texts]
    assert "stretch" in names
    marked = [ax for ax in fig.axes if any(ln.get_xdata()[0] == 3.0 for ln in ax.lines)]
    assert len(marked) == 5


def test_compare_shares_calcium_and_force_scales_across_columns(twitch, tetanus):
    fig = plot.compare([twitch, tetanus])
    axes = np.array(fig.axes).reshape(5, 2)
    for row in (0, 2, 3, 4):
        assert axes[row, 0].get_ylim() == axes[row, 1].get_ylim()
    # The shared scale must hold the larger (tetanus) trace without clipping.
    assert axes[2, 0].get_ylim()[1] >= tetanus.calcium.max()
    assert axes[3, 0].get_ylim()[1] >= 100.0 * tetanus.force.max()
    # Time axes are per column: each spans its own scenario.
    assert axes[3, 0].get_xlim() == (0.0, 0.3)
    assert axes[1, 1].get_xlim() == (0.0, 0.5)


def test_compare_annotates_key_metrics_per_column(twitch, step):
    fig = plot.compare([twitch, step])
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    boxes = [t for t in texts if "peak force" in t]
    assert len(boxes) == 2
    m = step.metrics()
    assert f"{100.0 * m.peak_force:.1f} %" in boxes[1]
    assert f"{m.mean_rate_hz:.1f} Hz" in boxes[1]
    assert f"{m.cv_isi:.2f}" in boxes[1]
    assert "1/1" in boxes[1]  # active units of the pool
    assert ms.classify(step) in boxes[1]
    plain = plot.compare([twitch], metrics=False)
    assert not any("peak force" in t.get_text() for ax in plain.axes for t in ax.texts)


def test_compare_shows_nerve_evoked_muscle_action_potentials_when_neurons_are_silent(twitch):
    fig = plot.compare([twitch])
    ax_r = fig.axes[1]
    assert sum(p.size for _, p in event_positions(ax_r)) == len(twitch.muscle_ap_times)
    assert any("muscle-fibre APs" in t.get_text() for t in ax_r.texts)


def test_compare_of_a_silent_muscle_says_there_are_no_spikes(rest):
    fig = plot.compare([rest])
    assert len(fig.axes) == 5
    assert sum(p.size for _, p in event_positions(fig.axes[1])) == 0
    assert any("no motor-neuron spikes" in t.get_text() for t in fig.axes[1].texts)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_compare_handles_one_to_four_results(n, twitch, tetanus, rest, step):
    results = [twitch, tetanus, rest, step][:n]
    fig = plot.compare(results)
    assert len(fig.axes) == 5 * n
    fig.canvas.draw()  # layout and text must render without error


def test_compare_footer_names_version_and_says_not_a_medical_device(twitch):
    fig = plot.compare([twitch])
    footer = fig.get_supxlabel()
    assert f"musclesim {ms.__version__}" in footer
    assert "not a medical device" in footer


def test_compare_never_calls_show(monkeypatch, twitch):
    def forbidden(*args, **kwargs):
        raise AssertionError("plot.compare called plt.show()")

    monkeypatch.setattr(plt, "show", forbidden)
    plot.compare([twitch])
    plot.force(twitch)


def test_compare_rejects_empty_and_non_result_inputs(twitch):
    with pytest.raises(ValueError, match="empty"):
        plot.compare([])
    with pytest.raises(TypeError, match="str"):
        plot.compare([twitch, "tetanus"])
    with pytest.raises(TypeError, match=r"compare\(\[res\]\)"):
        plot.compare(twitch)
