"""Tests for the ``musclesim`` console command (musclesim.cli.main)."""

from __future__ import annotations

import dataclasses
from importlib.metadata import entry_points

import numpy as np
import pytest

import musclesim as ms
from musclesim import cli
from musclesim.analysis import Metrics

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_console_script_points_at_main():
    (ep,) = [e for e in entry_points(group="console_scripts") if e.name == "musclesim"]
    assert ep.load() is cli.main


def test_list_prints_every_preset_with_its_description(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(ms.scenario_names())
    for line, (name, text) in zip(out, ms.describe_scenarios().items(), strict=True):
        assert line.split()[0] == name
        assert line.endswith(text)


def test_run_prints_metrics_and_writes_csv_with_version_header(tmp_path, capsys):
    path = tmp_path / "twitch.csv"
    assert cli.main(["run", "twitch", "--duration", "0.3", "--seed", "3", "--csv", str(path)]) == 0
    out = capsys.readouterr().out
    res = ms.simulate("twitch", duration_s=0.3, seed=3)
    lines = path.read_text().splitlines()
    assert lines[0].startswith(f"# musclesim {ms.__version__}")
    assert "seed=3" in lines[1]
    data = [ln for ln in lines if not ln.startswith("#")]
    assert data[0].startswith("time_s,force_pct_max,active_force_pct_max,ca_uM")
    assert len(data) - 1 == len(res.time)
    csv = np.loadtxt(path, delimiter=",", skiprows=len(lines) - len(data) + 1)
    np.testing.assert_allclose(csv[:, 1], 100.0 * res.force, rtol=1e-5, atol=1e-7)
    peak = f"{100.0 * res.metrics().peak_force:.1f}"
    assert any(ln.split()[:3] == ["peak_force", peak, "%"] for ln in out.splitlines())


def test_run_metric_lines_are_aligned_name_value_unit():
    m = Metrics(peak_force=0.5, onset_s=0.1, time_to_peak_s=0.2, duration_s=1.0,
                mean_force=0.25, active_units=12, total_spikes=340, mean_rate_hz=14.5,
                peak_rate_hz=25.0, cv_isi=0.45, doublet_fraction=0.04, emg_rms_mV=0.12,
                emg_median_hz=110.0, metabolite_end_mM=4.0)  # fmt: skip
    lines = cli.metric_lines(m)
    assert [ln.split()[0] for ln in lines] == [f.name for f in dataclasses.fields(Metrics)]
    value_ends = {ln.index(ln.split()[1]) + len(ln.split()[1]) for ln in lines}
    assert len(value_ends) == 1  # values right-aligned in one column
    rows = {ln.split()[0]: ln.split()[1:] for ln in lines}
    assert rows["peak_force"] == ["50.0", "%", "of", "max"]
    assert rows["mean_rate_hz"] == ["14.5", "Hz"]
    assert rows["doublet_fraction"][0] == "4.0"


def test_compare_writes_a_png_and_summarises_each_scenario(tmp_path, capsys):
    out_png = tmp_path / "x.png"
    argv = ["compare", "twitch", "tetanus", "--out", str(out_png), "--duration", "0.3"]
    assert cli.main(argv) == 0
    assert out_png.read_bytes()[:8] == PNG_MAGIC
    out = capsys.readouterr().out.splitlines()
    assert str(out_png) in out[0]
    assert out[1].startswith("twitch: normal; peak force: ")
    assert out[2].startswith("tetanus: normal; peak force: ")


def test_summary_line_reports_the_involuntary_contraction_after_the_trigger():
    # 10 s: with 20 units the involuntary discharge outgrows the trigger up to ~5.6 s in.
    res = ms.simulate(ms.scenario("cramp").replace(n_units=20, duration_s=10.0))
    line = cli.summary_line(res)
    assert line.startswith("cramp: cramp-like; peak force: ")
    for key in ("involuntary peak: ", "onset: ", "after trigger", "duration: ", "end: "):
        assert key in line


@pytest.mark.parametrize(("ext", "magic"), [(".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_compare_format_follows_the_extension(tmp_path, ext, magic):
    path = tmp_path / f"fig{ext}"
    assert cli.main(["compare", "rest", "--duration", "0.2", "--out", str(path)]) == 0
    assert path.read_bytes().startswith(magic)


def test_unknown_scenario_exits_2_and_lists_valid_names(capsys):
    assert cli.main(["run", "charley-horse"]) == 2
    err = capsys.readouterr().err
    assert "charley-horse" in err
    for name in ms.scenario_names():
        assert name in err
    assert cli.main(["compare", "twitch", "charley-horse"]) == 2
    assert "valid names" in capsys.readouterr().err


def test_unsupported_figure_format_exits_2_without_writing(tmp_path, capsys):
    path = tmp_path / "fig.jpg"
    assert cli.main(["compare", "twitch", "--out", str(path)]) == 2
    err = capsys.readouterr().err
    assert ".jpg" in err and ".png" in err
    assert not path.exists()


def test_out_of_range_duration_exits_2_naming_the_parameter(capsys):
    assert cli.main(["run", "twitch", "--duration", "-1"]) == 2
    assert "duration_s" in capsys.readouterr().err


def test_missing_command_is_a_usage_error_and_version_is_printed(capsys):
    assert cli.main([]) == 2
    assert cli.main(["--version"]) == 0
    assert ms.__version__ in capsys.readouterr().out


# --- issue 18 item 6: exit codes, one-line errors, output paths checked first --------------
def _fail_if_simulated(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("simulated although the output path was bad")

    monkeypatch.setattr(cli, "simulate", boom)


def test_an_existing_output_file_is_not_overwritten_without_force(tmp_path, capsys, monkeypatch):
    csv = tmp_path / "twitch.csv"
    csv.write_text("precious\n")
    _fail_if_simulated(monkeypatch)
    assert cli.main(["run", "twitch", "--csv", str(csv)]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert csv.read_text() == "precious\n"
    monkeypatch.undo()
    assert cli.main(["run", "twitch", "--duration", "0.2", "--csv", str(csv), "--force"]) == 0
    assert csv.read_text().startswith("# musclesim")


@pytest.mark.parametrize("bad", ["dir", "missing-dir"])
def test_a_bad_csv_path_is_refused_before_simulating(tmp_path, capsys, monkeypatch, bad):
    path = tmp_path if bad == "dir" else tmp_path / "nowhere" / "x.csv"
    _fail_if_simulated(monkeypatch)
    assert cli.main(["run", "twitch", "--csv", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err


def test_a_failed_run_exits_1_with_one_line_and_debug_shows_the_traceback(capsys, poison_plasma_k):
    poison_plasma_k(0.02)
    assert cli.main(["run", "normal", "--duration", "0.1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("musclesim: error: scenario 'normal'") and err.count("\n") == 1
    assert "Traceback" not in err
    with pytest.raises(ms.SimulationError):
        cli.main(["run", "normal", "--duration", "0.1", "--debug"])


def test_an_internal_error_is_one_line_pointing_at_debug(capsys, monkeypatch):
    def bug(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(cli, "simulate", bug)
    assert cli.main(["run", "twitch"]) == 1
    err = capsys.readouterr().err
    assert "internal error KeyError" in err and "--debug" in err and err.count("\n") == 1


def test_a_run_too_large_for_memory_exits_2(capsys, monkeypatch):
    monkeypatch.setenv("MUSCLESIM_MEMORY_LIMIT_MB", "1")
    assert cli.main(["run", "twitch", "--duration", "3600"]) == 2
    assert "MUSCLESIM_MEMORY_LIMIT_MB" in capsys.readouterr().err


# --- issue 19 item 3: a CLI that guides ----------------------------------------------------
def test_help_lists_every_scenario_with_its_description_and_the_exit_codes(capsys):
    assert cli.main(["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # descriptions are wrapped
    for name, text in ms.describe_scenarios().items():
        assert name in out and " ".join(text.split()) in out
    for code, meaning in cli.EXIT_CODES.items():
        assert f"{code} {meaning}" in out
    for command in ("list", "run", "show", "compare"):
        assert command in out


@pytest.mark.parametrize(("typo", "meant"), [("cramps", "cramp"), ("tetanos", "tetanus"),
                                             ("nightcramp", "night_cramp")])  # fmt: skip
def test_a_misspelt_name_gets_the_closest_matches(capsys, typo, meant):
    assert cli.main(["run", typo]) == 2
    err = capsys.readouterr().err
    assert "did you mean" in err and repr(meant) in err and err.count("\n") == 1


def test_show_prints_toml_that_run_accepts_back(tmp_path, capsys):
    assert cli.main(["show", "cramp", "--seed", "5"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# musclesim scenario 'cramp': ")
    assert "#   allowed: [0, 1]" in text  # comments give meaning, unit and range
    expected = ms.scenario("cramp").replace(seed=5)
    assert ms.Scenario.from_toml(text=text) == expected
    path = tmp_path / "my_cramp.toml"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["show", str(path)]) == 0  # a file shows as itself
    assert ms.Scenario.from_toml(text=capsys.readouterr().out) == expected


def test_run_accepts_a_scenario_file_with_duration_and_seed(tmp_path, capsys):
    path = tmp_path / "custom.toml"
    ms.Scenario(name="my twitch", n_units=3, duration_s=2.0,
                stimulus=ms.protocols.twitch(at_s=0.05)).to_toml(path)  # fmt: skip
    assert cli.main(["run", str(path), "--duration", "0.2", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# musclesim {ms.__version__}: my twitch, 0.2 s, seed 4")
    assert cli.main(["compare", str(path), "twitch", "--duration", "0.2",
                     "--out", str(tmp_path / "c.png")]) == 0  # fmt: skip


@pytest.mark.parametrize(
    ("content", "match"),
    [(None, "does not exist"), ("n_units = [", "malformed TOML"), ("colour = 1", "colour")],
)
def test_a_bad_scenario_file_exits_2_with_one_line(tmp_path, capsys, content, match):
    path = tmp_path / "bad.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert cli.main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert match in err and err.count("\n") == 1


def test_python_dash_m_musclesim_runs_the_same_command():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "musclesim", "list"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert out.split()[0] == ms.scenario_names()[0]


# --- issue 19 item 4: complete exports, units in every header --------------------------------
def test_run_writes_spikes_and_emg_tables_that_round_trip(tmp_path, capsys):
    spikes, emg = tmp_path / "spikes.csv", tmp_path / "emg.csv"
    argv = ["run", "normal", "--duration", "1.5", "--spikes", str(spikes), "--emg", str(emg)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert f"wrote {spikes}" in out and f"wrote {emg}" in out
    res = ms.simulate("normal", duration_s=1.5)
    lines = spikes.read_text(encoding="utf-8").splitlines()
    n_head = sum(ln.startswith("#") for ln in lines)
    assert lines[n_head] == "unit,time_s"
    table = np.loadtxt(spikes, delimiter=",", skiprows=n_head + 1, ndmin=2)
    assert table.shape[0] == sum(s.size for s in res.spike_times) > 0
    assert np.all(np.diff(table[:, 1]) >= 0)  # in time order
    for u, s in enumerate(res.spike_times):
        np.testing.assert_allclose(table[table[:, 0] == u, 1], s, rtol=1e-11)
    lines = emg.read_text(encoding="utf-8").splitlines()
    n_head = sum(ln.startswith("#") for ln in lines)
    assert lines[n_head] == "time_s,emg_mV"
    trace = np.loadtxt(emg, delimiter=",", skiprows=n_head + 1)
    np.testing.assert_allclose(trace[:, 1], res.emg, rtol=1e-5, atol=1e-9)
    assert ms.Scenario.from_csv_header(spikes) == res.scenario


def test_csv_header_has_units_metrics_and_the_scenario_as_toml(tmp_path):
    res = ms.simulate("cramp", duration_s=3.0, n_units=10)
    path = res.to_csv(tmp_path / "c.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [ln for ln in lines if ln.startswith("#")]
    columns = lines[len(header)].split(",")
    units = ("_s", "_pct_max", "_uM", "_hz", "_mM", "_mV")
    assert all(c.endswith(units) for c in columns), columns
    assert columns[:4] == ["time_s", "force_pct_max", "active_force_pct_max", "ca_uM"]
    # The metrics as 'musclesim run' prints them, from the same Result.metrics().
    for line in cli.metric_lines(res.metrics()):
        assert f"#   {line}" in header
    # The scenario as TOML: strip the "# " and it reads back.
    start = header.index(next(h for h in header if h.startswith("# scenario as TOML")))
    toml = "\n".join(h[2:] for h in header[start + 1 :])
    assert ms.Scenario.from_toml(text=toml) == res.scenario


@pytest.mark.parametrize("what", ["traces", "spikes", "emg"])
def test_dataframe_has_the_csv_columns_and_values(tmp_path, what):
    res = ms.simulate("normal", duration_s=1.0, n_units=10)
    df = res.to_dataframe(what)
    path = res.to_csv(tmp_path / f"{what}.csv", what=what)
    lines = path.read_text(encoding="utf-8").splitlines()
    n_head = sum(ln.startswith("#") for ln in lines)
    assert lines[n_head].split(",") == list(df.columns)
    assert set(df.attrs["columns"]) == set(df.columns)
    table = np.loadtxt(path, delimiter=",", skiprows=n_head + 1, ndmin=2)
    np.testing.assert_allclose(table, df.to_numpy(dtype=float), rtol=1e-5, atol=1e-7)
    if what == "traces":
        np.testing.assert_array_equal(df["force_pct_max"], 100.0 * res.force)
        np.testing.assert_array_equal(df["ca_uM"], res.calcium)


def test_unknown_export_kind_names_the_valid_ones():
    res = ms.simulate("rest", duration_s=0.1, n_units=2)
    with pytest.raises(ValueError, match="'traces', 'spikes', 'emg'"):
        res.to_dataframe("forces")
