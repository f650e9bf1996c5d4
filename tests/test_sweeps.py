"""ms.sweep (parameter sweeps, any executor) and ms.plot.regime_map.

Pools of 5–6 units and 0.4-s runs keep every simulation to milliseconds; the process-pool
test pays the start of two worker processes (import and numba cache load, a few seconds).
"""

from __future__ import annotations

import dataclasses
import sys
from concurrent.futures import ThreadPoolExecutor

import matplotlib
import numpy as np
import pandas as pd
import pytest

import musclesim as ms
from musclesim import sweeps
from musclesim.analysis import Metrics
from musclesim.classification import LABELS
from musclesim.sweeps import sweep_scenarios

matplotlib.use("Agg")

BASE = ms.Scenario(
    n_units=5, duration_s=0.4, drive=ms.protocols.current_step(3.0, 0.05, 0.3)
)  # fmt: skip
GRID = {"fatigue": [0.0, 0.6], "electrolytes__Mg": [0.3, 0.55]}
METRICS = [f.name for f in dataclasses.fields(Metrics)]


@pytest.fixture(scope="module")
def serial() -> pd.DataFrame:
    return ms.sweep(BASE, max_workers=1, progress=False, **GRID)


def test_sweep_has_one_row_per_combination_with_inputs_metrics_class_seed_version(serial):
    assert len(serial) == 4
    assert list(serial.columns) == [
        "fatigue", "electrolytes.Mg", *METRICS, "class", "seed", "musclesim_version",
    ]  # fmt: skip
    # The last field varies fastest, like nested for-loops in the order given.
    assert serial["fatigue"].tolist() == [0.0, 0.0, 0.6, 0.6]
    assert serial["electrolytes.Mg"].tolist() == [0.3, 0.55, 0.3, 0.55]
    assert set(serial["class"]) <= set(LABELS)
    assert (serial["seed"] == 0).all() and (serial["musclesim_version"] == ms.__version__).all()


def test_each_row_is_what_simulate_gives_for_that_scenario(serial):
    sc = BASE.replace(fatigue=0.6, electrolytes=ms.Electrolytes(Mg=0.3))
    res = ms.simulate(sc)
    row = serial.iloc[2]
    for name, value in res.metrics().as_dict().items():
        if isinstance(value, str):  # ended_by
            assert row[name] == value
        else:
            assert row[name] == pytest.approx(value, nan_ok=True, rel=0, abs=0)
    assert row["class"] == ms.classify(res)


def _same_numbers(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                  check_exact=True)  # fmt: skip


def test_process_pool_gives_the_same_numbers_as_serial(serial, monkeypatch):
    # One task per worker: two chunks of two runs, so the rows of a chunk come back
    # together and must land in run order.
    monkeypatch.setattr(sweeps, "CHUNKS_PER_WORKER", 1)
    assert sweeps._chunk_size(4, 2) == 2
    _same_numbers(serial, ms.sweep(BASE, max_workers=2, progress=False, **GRID))


def test_chunks_cover_every_run_once_in_order():
    runs = list(range(23))
    for size in (1, 2, 5, 8, 23, 40):
        chunks = sweeps._chunks(runs, size)
        assert [r for _, c in chunks for r in c] == runs
        assert all(c[0] == k and len(c) <= size for k, c in chunks)
    # A few tasks per worker, never empty, never more than MAX_CHUNK runs.
    assert sweeps._chunk_size(1, 8) == 1
    assert sweeps._chunk_size(400, 2) == sweeps.MAX_CHUNK
    assert 1 <= sweeps._chunk_size(25, 2) <= 25 // (2 * sweeps.CHUNKS_PER_WORKER)


def test_any_executor_gives_the_same_numbers_as_serial(serial):
    with ThreadPoolExecutor(max_workers=2) as pool:
        table = ms.sweep(BASE, executor=pool, progress=False, **GRID)
        # The executor is the caller's: sweep uses it and leaves it open.
        assert pool.submit(lambda: 1).result() == 1
    _same_numbers(serial, table)


def test_order_of_runs_does_not_change_a_run(serial):
    # The same four scenarios, listed in reverse: each row is unchanged.
    runs, _ = sweep_scenarios(BASE, **GRID)
    table = ms.sweep(scenarios=runs[::-1], max_workers=1, progress=False)
    # Inputs of a given list come in Scenario field order (electrolytes before fatigue).
    assert list(table.columns[:2]) == ["electrolytes.Mg", "fatigue"]
    _same_numbers(serial.iloc[::-1][table.columns], table)


def test_dask_client_executor_gives_the_same_numbers(serial):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        table = ms.sweep(BASE, executor=client.get_executor(), progress=False, **GRID)
    _same_numbers(serial, table)


def test_seed_is_a_field_like_any_other():
    table = ms.sweep(BASE, seed=[0, 1], max_workers=1, progress=False)
    assert table["seed"].tolist() == [0, 1]
    assert "seed" not in table.columns[:-3]  # listed once, with the run's bookkeeping
    assert table["total_spikes"].iloc[0] != table["total_spikes"].iloc[1] or (
        table["emg_rms_mV"].iloc[0] != table["emg_rms_mV"].iloc[1]
    )


def test_list_of_presets_shows_which_scenario_each_row_is():
    scs = [ms.scenario(n).replace(n_units=5, duration_s=0.3) for n in ("rest", "twitch")]
    table = ms.sweep(scenarios=scs, max_workers=1, progress=False)
    assert table["name"].tolist() == ["rest", "twitch"]
    # The swept duration_s would clash with the metric of that name: it is prefixed.
    t2 = ms.sweep(BASE, duration_s=[0.3, 0.4], max_workers=1, progress=False)
    assert t2["scenario.duration_s"].tolist() == [0.3, 0.4]
    assert "duration_s" in t2.columns  # the metric: time force stays above threshold


def test_sweeping_whole_electrolytes_shows_the_concentrations_that_differ():
    plasmas = [ms.Electrolytes(), ms.Electrolytes(Ca=0.9, Mg=0.35)]
    table = ms.sweep(BASE.replace(duration_s=0.2), electrolytes=plasmas, max_workers=1,
                     progress=False)  # fmt: skip
    assert list(table.columns[:2]) == ["electrolytes.Ca", "electrolytes.Mg"]
    assert table["electrolytes.Ca"].tolist() == [1.2, 0.9]


def test_nested_fields_by_dotted_name_and_double_underscore_agree():
    a, names_a = sweep_scenarios(BASE, **{"electrolytes.Ca": [0.9, 1.2]})
    b, names_b = sweep_scenarios(BASE, electrolytes__Ca=[0.9, 1.2])
    assert a == b and names_a == names_b == ["electrolytes.Ca"]
    assert a[0].electrolytes == ms.Electrolytes(Ca=0.9)
    c, _ = sweep_scenarios(BASE, **{"reflex.ib_gain": [0.0]}, fatigue=[0.1, 0.2])
    assert [s.reflex.ib_gain for s in c] == [0.0, 0.0] and [s.fatigue for s in c] == [0.1, 0.2]


def test_table_is_a_dataframe_with_a_type_per_column(serial):
    assert isinstance(serial, pd.DataFrame)
    assert serial["fatigue"].dtype == np.float64 and serial["peak_force"].dtype == np.float64
    assert serial["active_units"].dtype == np.int64 and serial["seed"].dtype == np.int64
    assert all(isinstance(c, str) for c in serial["class"])


def test_progress_bar_without_tqdm_is_silently_absent(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    ms.sweep(BASE.replace(duration_s=0.1), fatigue=[0.0], max_workers=1, progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"colour": [1]}, TypeError, r"no field 'colour'.*valid fields: name, electrolytes"),
        ({"electrolytes__Zn": [1]}, TypeError, r"no field 'Zn'.*valid fields: Na, K, Cl, Ca"),
        ({"fatigue": []}, ValueError, r"fatigue: no values to sweep"),
        ({"fatigue": 0.5}, TypeError, r"fatigue must be a list of values.*got 0\.5"),
        ({"name": "abc"}, TypeError, r"name must be a list of values"),
        ({"fatigue": [2.0]}, ValueError, r"fatigue = 2\.0 .*outside"),
        ({"stimulus__amplitude": [0.5]}, ValueError, r"stimulus is None"),
        ({"electrolytes": [ms.Electrolytes()], "electrolytes__Mg": [0.3]}, ValueError,
         r"overlap"),
        ({"executor": "dask"}, TypeError, r"concurrent\.futures\.Executor"),
        ({"max_workers": 0}, ValueError, r"max_workers = 0"),
        ({"progress": "yes"}, TypeError, r"progress must be True, False or None"),
    ],
)  # fmt: skip
def test_bad_sweep_arguments_raise_before_anything_runs(kwargs, error, match):
    with pytest.raises(error, match=match):
        ms.sweep(BASE, **kwargs)


def test_a_diverging_run_ends_the_sweep_naming_its_scenario(poison_plasma_k):
    # No valid scenario is known to diverge, so one is made to: the swept drive of 7 nA
    # gets non-finite plasma K from 0.1 s (a stand-in for a solver that blows up).
    poison_plasma_k(0.1, when=lambda sc: sc.drive is not None and max(sc.drive.current_nA) == 7.0)
    base = BASE.replace(name="runaway", n_units=1)
    drives = [ms.protocols.current_step(a, 0.05, 0.3) for a in (3.0, 7.0)]
    with (
        ThreadPoolExecutor(max_workers=2) as pool,
        pytest.raises(ms.SimulationError, match=r"scenario 'runaway'.* at t = 0\.1"),
    ):
        ms.sweep(base, drive=drives, executor=pool, progress=False)


def test_base_or_scenarios_not_both_nor_neither():
    with pytest.raises(ValueError, match="either a base scenario or scenarios"):
        ms.sweep(fatigue=[0.1])
    with pytest.raises(ValueError, match="either a base scenario or scenarios"):
        ms.sweep(BASE, scenarios=[BASE])
    with pytest.raises(TypeError, match=r"scenarios\[1\] must be a Scenario"):
        ms.sweep(scenarios=[BASE, "cramp"])
    with pytest.raises(ValueError, match="scenarios is empty"):
        ms.sweep(scenarios=[])
    with pytest.raises(ValueError, match="unknown scenario 'nope'"):
        ms.sweep("nope", fatigue=[0.1])


# --- regime_map ---------------------------------------------------------------------
def _cell_classes(ax) -> np.ma.MaskedArray:
    mesh = ax.collections[0]
    return np.ma.asarray(mesh.get_array())


def test_regime_map_colours_each_cell_by_its_class():
    # 3 Mg values x 2 fatigue values, one class per cell, rows in shuffled order.
    mg, fat = [0.3, 0.45, 0.55], [0.0, 0.9]
    want = {
        (0.3, 0.0): "tetany-like",
        (0.45, 0.0): "normal",
        (0.55, 0.0): "normal",
        (0.3, 0.9): "cramp-like",
        (0.45, 0.9): "cramp-like",
        (0.55, 0.9): "spasm-like",
    }
    rows = [{"electrolytes.Mg": m, "fatigue": f, "class": want[m, f]} for f in fat for m in mg]
    table = pd.DataFrame(rows[::-1])  # fmt: skip
    ax = ms.plot.regime_map(table, "electrolytes.Mg", "fatigue")
    cells = _cell_classes(ax)
    assert cells.shape == (2, 3)  # rows: fatigue (y), columns: Mg (x)
    for (m, f), cls in want.items():
        assert LABELS[int(cells[fat.index(f), mg.index(m)])] == cls
    # Fixed Okabe–Ito colour per class, shown in the legend.
    legend = {
        t.get_text(): h
        for t, h in zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles, strict=True)
    }
    assert list(legend) == ["normal", "spasm-like", "cramp-like", "tetany-like"]
    for cls, handle in legend.items():
        assert matplotlib.colors.to_hex(handle.get_facecolor()) == \
            ms.plot.CLASS_COLOURS[cls].lower()  # fmt: skip
    mesh = ax.collections[0]
    for k, cls in enumerate(LABELS):
        assert matplotlib.colors.to_hex(mesh.cmap(mesh.norm(k))) == \
            ms.plot.CLASS_COLOURS[cls].lower()  # fmt: skip
    assert ax.get_xlabel() == "ionised Mg²⁺ (mmol/L)" and ax.get_ylabel() == "fatigue (0–1)"
    # Cells centred on the grid values, edges halfway between them.
    assert ax.get_xlim() == pytest.approx((0.225, 0.6))
    assert ax.get_ylim() == pytest.approx((-0.45, 1.35))


def test_regime_map_leaves_missing_points_blank_and_hatches_disagreeing_cells():
    table = pd.DataFrame({
        "irritation": [0.0, 0.0, 0.6, 0.6, 0.6],
        "electrolytes.Ca": [1.2, 0.9, 1.2, 1.2, 1.2],
        "class": ["normal", "tetany-like", "spasm-like", "spasm-like", "normal"],
    })  # fmt: skip
    _fig, ax = matplotlib.pyplot.subplots()
    assert ms.plot.regime_map(table, "irritation", "electrolytes.Ca", ax=ax) is ax
    cells = _cell_classes(ax)
    assert cells.mask.tolist() == [[False, True], [False, False]]  # (Ca 0.9, irr 0.6) missing
    assert LABELS[int(cells[1, 1])] == "spasm-like"  # 2 of 3 runs
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[-1] == "runs disagree (majority shown)"
    assert ax.get_ylabel() == "ionised Ca²⁺ (mmol/L)"


def test_regime_map_of_a_real_sweep_with_a_categorical_axis():
    scs = [ms.scenario(n).replace(n_units=5, duration_s=0.3) for n in ("rest", "twitch")]
    table = ms.sweep(scenarios=scs, seed=[0, 1], max_workers=1, progress=False)
    ax = ms.plot.regime_map(table, "name", "seed")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["rest", "twitch"]
    assert LABELS[int(_cell_classes(ax)[0, 0])] == table["class"].iloc[0]


def test_regime_map_bad_arguments():
    table = pd.DataFrame({"fatigue": [0.1], "seed": [0], "class": ["normal"]})
    with pytest.raises(ValueError, match=r"no column 'Mg'; its columns: fatigue, seed, class"):
        ms.plot.regime_map(table, "Mg", "fatigue")
    with pytest.raises(ValueError, match="unknown class"):
        ms.plot.regime_map(table.assign(**{"class": ["weird"]}), "fatigue", "seed")
    with pytest.raises(TypeError, match="sweep table"):
        ms.plot.regime_map([1, 2], "fatigue", "seed")
    with pytest.raises(TypeError, match="sweep table"):
        ms.plot.regime_map(table.to_records(index=False), "fatigue", "seed")
