"""The involuntary contraction as Metrics reports it (issue 17 item 6): its own peak after
the trigger, onset, duration and how it ended, on hand-made Results whose answer is known
by construction (independent of the model's cramp), and one wording for the command line
and the comparison figure."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest

import musclesim as ms
from musclesim import analysis as A
from musclesim import cli, plot
from musclesim.result import Result

matplotlib.use("Agg")

DT_S = 0.001
N_UNITS = 4


def _hand_made(
    force: np.ndarray, *, drive: bool = True, interventions=(), spikes_from_s: float = 0.0
) -> Result:
    """A Result of ``force`` (fraction of max, 1-ms samples from 1 ms) with a trigger
    (drive from 1.0 to 3.0 s) unless ``drive`` is False; every unit fires at 10 Hz
    from ``spikes_from_s`` while force is above threshold."""
    n = force.size
    t = (np.arange(n) + 1) * DT_S
    sc = ms.Scenario(
        n_units=N_UNITS,
        duration_s=float(t[-1]),
        drive=ms.protocols.current_step(10.0, 1.0, 2.0) if drive else None,
        interventions=tuple(interventions),
    )
    active = t[(force > A.ACTIVE_FORCE_THRESHOLD) & (t >= spikes_from_s)]
    train = active[::100]  # one spike every 100 ms of active force
    spikes = [train + 0.001 * k for k in range(N_UNITS)]
    z = np.zeros(n)
    return Result(scenario=sc, time=t, force=force, calcium=z, voltage=z[:, None],
                  ia_rate=z, ib_rate=z, metabolite=z + 3.0, recorded_units=(0,),
                  spike_times=spikes, muscle_ap_times=spikes, method="fixed",
                  dt_ms=0.025)  # fmt: skip


def _trace(segments: list[tuple[float, float, float]], end_s: float) -> np.ndarray:
    """Force 0 except ``level`` from ``a`` to ``b`` s for each (a, b, level)."""
    t = (np.arange(round(end_s / DT_S)) + 1) * DT_S
    f = np.zeros(t.size)
    for a, b, level in segments:
        f[(t >= a) & (t < b)] = level
    return f


def test_a_contraction_rising_after_its_trigger_reports_its_own_peak_onset_and_end():
    # Trigger 1–3 s at 40 %; silence; an involuntary contraction 5–12 s at 60 %.
    res = _hand_made(_trace([(1.0, 3.0, 0.4), (5.0, 12.0, 0.6)], 15.0))
    m = res.metrics()
    assert m.peak_force == pytest.approx(0.6)
    assert m.involuntary_peak_force == pytest.approx(0.6)
    assert m.involuntary_mean_force == pytest.approx(0.6)
    assert m.involuntary_onset_s == pytest.approx(2.0, abs=2 * DT_S)  # 5 s − trigger end 3 s
    assert m.involuntary_end_s == pytest.approx(12.0, abs=2 * DT_S)
    assert m.involuntary_duration_s == pytest.approx(7.0, abs=2 * DT_S)
    assert m.ended_by == "itself"
    assert A.describe_end(m) == "ended by itself at 12.0 s"
    assert m.involuntary_units == N_UNITS
    assert m.involuntary_rate_hz == pytest.approx(10.0, rel=0.02)


def test_the_trigger_is_not_the_involuntary_peak():
    # The trigger is the strongest moment (50 %); what follows it straight on is 20 %.
    res = _hand_made(_trace([(1.0, 3.0, 0.5), (3.0, 9.0, 0.2)], 10.0))
    m = res.metrics()
    assert m.peak_force == pytest.approx(0.5)
    assert m.involuntary_peak_force == pytest.approx(0.2)
    assert m.involuntary_onset_s == pytest.approx(0.0, abs=2 * DT_S)  # straight on
    assert m.ended_by == "itself" and m.involuntary_end_s == pytest.approx(9.0, abs=2 * DT_S)


def test_a_contraction_still_on_at_the_end_is_running_and_its_duration_a_lower_bound():
    res = _hand_made(_trace([(1.0, 3.0, 0.4), (4.0, 11.0, 0.3)], 10.0))
    m = res.metrics()
    assert m.ended_by == "running" and math.isnan(m.involuntary_end_s)
    assert m.involuntary_duration_s == pytest.approx(6.0, abs=2 * DT_S)
    assert A.describe_end(m) == "still running at end of run"
    rows = dict(A.summary_rows(res))
    assert rows["duration"].startswith("≥ ")


def test_an_intervention_during_the_contraction_is_credited_with_stopping_it():
    stretch = ms.interventions.Stretch(at_s=7.0, to_l0=1.05, ramp_s=0.5)
    res = _hand_made(_trace([(1.0, 3.0, 0.4), (3.0, 8.0, 0.3)], 12.0), interventions=[stretch])
    m = res.metrics()
    assert m.ended_by == "stretch"
    assert A.describe_end(m) == "stopped by stretch at 8.0 s"


def test_an_intervention_after_the_end_is_not_credited():
    heat = ms.interventions.Heat(at_s=10.0)
    res = _hand_made(_trace([(1.0, 3.0, 0.4), (3.0, 8.0, 0.3)], 12.0), interventions=[heat])
    assert res.metrics().ended_by == "itself"


def test_a_normal_relaxation_is_no_involuntary_contraction():
    # Force outlasts the drive by 0.2 s (< RELAXATION_S) with no firing after it.
    res = _hand_made(_trace([(1.0, 3.2, 0.3)], 6.0), spikes_from_s=0.0)
    m = res.metrics()
    assert m.ended_by == "none" and m.involuntary_peak_force == 0.0
    assert math.isnan(m.involuntary_onset_s) and m.involuntary_duration_s == 0.0
    rows = dict(A.summary_rows(res))
    assert "active MNs" in rows and "involuntary peak" not in rows


def test_force_without_action_potentials_is_a_relaxation_not_a_contraction():
    # A slow tail of 1 s after the trigger, but no unit fires after it.
    force = _trace([(1.0, 3.0, 0.4), (3.0, 4.0, 0.1)], 6.0)
    res = _hand_made(force)
    res = Result(**{**res.__dict__, "spike_times": [s[s < 3.0] for s in res.spike_times],
                    "muscle_ap_times": [s[s < 3.0] for s in res.spike_times]})  # fmt: skip
    assert res.metrics().ended_by == "none"


def test_without_a_trigger_everything_is_involuntary_and_onset_is_from_the_start():
    res = _hand_made(_trace([(2.5, 6.0, 0.05)], 8.0), drive=False)
    m = res.metrics()
    assert m.involuntary_peak_force == pytest.approx(0.05)
    assert m.involuntary_onset_s == pytest.approx(2.5, abs=2 * DT_S)
    assert m.ended_by == "itself"
    assert dict(A.summary_rows(res))["onset"] == "2.5 s into run"


def test_a_trigger_lasting_the_run_leaves_nothing_to_measure():
    sc_force = _trace([(1.0, 10.0, 0.4)], 10.0)
    res = _hand_made(sc_force)
    res = Result(**{**res.__dict__,
                    "scenario": res.scenario.replace(drive=ms.protocols.current_step(
                        10.0, 1.0, 20.0))})  # fmt: skip
    m = res.metrics()
    assert math.isnan(m.involuntary_peak_force) and m.ended_by == "none"


def test_metrics_are_computed_once_and_kept():
    res = _hand_made(_trace([(1.0, 3.0, 0.4), (5.0, 12.0, 0.6)], 15.0))
    assert res.metrics() is res.metrics()


def test_cli_line_and_figure_box_show_the_same_rows_from_one_metrics_call():
    res = _hand_made(_trace([(1.0, 3.0, 0.4), (5.0, 12.0, 0.6)], 15.0))
    rows = A.summary_rows(res)
    line = cli.summary_line(res)
    box = plot._metrics_text(res)
    for key, value in rows:
        assert f"{key}: {value}" in line
        lines = box.splitlines()
        assert (
            value in lines
            if key == "end"
            else any(ln.startswith(key) and ln.endswith(value) for ln in lines)
        )
    assert "involuntary peak: 60.0 %" in line and "onset: 2.0 s after trigger" in line
    assert "end: ended by itself at 12.0 s" in line


def test_comparison_figure_shades_the_trigger_window():
    res = _hand_made(_trace([(1.0, 3.0, 0.4), (5.0, 12.0, 0.6)], 15.0))
    fig = plot.compare([res])
    from matplotlib.patches import Rectangle

    force_ax = fig.axes[3]  # cause, raster, Ca, force, EMG
    shades = [p for p in force_ax.patches if isinstance(p, Rectangle)
              and p.get_facecolor()[3] == pytest.approx(plot.TRIGGER_SHADE["alpha"])]  # fmt: skip
    assert len(shades) == 1
    x0, x1 = shades[0].get_x(), shades[0].get_x() + shades[0].get_width()
    assert (x0, x1) == pytest.approx((1.0, 3.0), abs=0.002)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "← trigger" in texts
    matplotlib.pyplot.close(fig)


def test_run_prints_the_involuntary_fields_with_units(capsys):
    assert cli.main(["run", "cramp", "--duration", "4", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    res = ms.simulate("cramp", duration_s=4.0, seed=1)
    m = res.metrics()
    lines = {ln.split()[0]: ln.split()[1:] for ln in out.splitlines() if ln and ln[0] != "#"}
    assert lines["involuntary_peak_force"][:2] == [f"{100 * m.involuntary_peak_force:.1f}", "%"]
    assert lines["ended_by"] == [m.ended_by]
    assert cli.summary_line(res) in out
