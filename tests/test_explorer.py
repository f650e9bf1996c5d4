"""The browser explorer's Python side (musclesim.explorer) and ``musclesim explore``.

The page itself runs in a real browser in tests/test_explorer_browser.py (slow).
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import musclesim as ms
from musclesim import cli, explorer
from musclesim.explorer import Settings, explorer_scenario

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def server():
    srv = explorer.make_server(0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


# --- the scenario a column runs ---------------------------------------------------------
@pytest.mark.parametrize("name", explorer.PRESETS)
def test_untouched_controls_run_the_preset_itself_cut_to_the_live_size(name):
    # Nothing precomputed and nothing invented: with the preset's own values, a column runs
    # the preset scenario, only smaller and shorter.
    sc = explorer_scenario(Settings.from_preset(name))
    full = ms.scenario(name)
    run_s = explorer.PRESET_RUN_S.get(name, explorer.DURATIONS_S[0])
    expected = full.replace(name=sc.name, n_units=explorer.N_UNITS, duration_s=run_s)
    assert sc == expected


def test_night_cramp_column_opens_long_enough_to_show_its_cramp():
    # The night cramp has no trigger: it builds out of fasciculations seconds into the run,
    # so its column opens with a run long enough for the 20-unit pool to show it.
    s = Settings.from_preset("night_cramp")
    assert s.duration_s in explorer.DURATIONS_S
    assert ms.classify(ms.simulate(explorer_scenario(s), progress=False)) == "cramp-like"


def test_preset_controls_show_the_plasma_the_preset_settles_at():
    assert Settings.from_preset("tetany").Ca_mM == 0.75  # its Ca falls to 0.75 over 2 s
    assert Settings.from_preset("hypokalaemia").K_mM == 2.5
    assert Settings.from_preset("cramp").length_l0 == 0.9
    assert Settings.from_preset("spasm").irritation == ms.scenario("spasm").irritation


@pytest.mark.parametrize("name", explorer.PRESETS)
def test_every_preset_value_lies_on_a_slider_step(name):
    # A browser snaps a range input to min + k * step: a value off the grid would be moved.
    s = Settings.from_preset(name)
    for key, (lo, hi, step, _, _) in explorer.SLIDERS.items():
        k = (getattr(s, key) - lo) / step
        assert lo <= getattr(s, key) <= hi and abs(k - round(k)) < 1e-9, (name, key)


def test_chosen_plasma_is_reached_from_the_preset_values_over_the_first_second():
    s = Settings.from_preset("cramp")
    sc = explorer_scenario(Settings(**{**s.__dict__, "Ca_mM": 0.8}))
    (change,) = sc.interventions
    assert isinstance(change, ms.interventions.ChangeElectrolytes)
    assert (change.at_s, change.over_s) == (0.0, explorer.PLASMA_CHANGE_S)
    assert change.target == ms.Electrolytes(Ca=0.8)
    assert sc.electrolytes == ms.Electrolytes()
    # tetany keeps its own 2-s fall to the chosen value
    t = Settings.from_preset("tetany")
    (fall,) = explorer_scenario(Settings(**{**t.__dict__, "Ca_mM": 0.9})).interventions
    assert (fall.over_s, fall.target.Ca) == (2.0, 0.9)


def test_every_treatment_of_the_interventions_module_is_offered_with_its_defaults():
    kinds = {c.kind for c in ms.interventions.TREATMENTS}
    assert set(explorer.config()["treatments"]) == kinds | {"none"}
    s = Settings(preset="cramp", treatment="stretch", treatment_at_s=3.0)
    assert explorer_scenario(s).interventions[-1] == ms.interventions.stretch(at_s=3.0)


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ({"bogus": "1"}, "unknown setting"),
        ({"Ca_mM": "low"}, "not a number"),
        ({"K_mM": "20"}, r"K_mM = 20.0 mmol/L is outside \[1, 12\]"),
        ({"preset": "twitch"}, "starts from one of"),
        ({"treatment": "leeches"}, "treatment = 'leeches'"),
        ({"duration_s": "7"}, "duration_s = 7.0 s"),
        ({"treatment": "heat", "treatment_at_s": "10"}, "before the end of the run"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(query, match):
    with pytest.raises(ValueError, match=match):
        Settings.from_query(query)


def test_the_page_ships_with_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "explorer.html" in project["tool"]["setuptools"]["package-data"]["musclesim"]
    html = explorer.page().decode()
    assert "/api/run" in html and "not a medical device" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # works offline


# --- the HTTP side ------------------------------------------------------------------------
def test_a_run_returns_the_numbers_musclesim_run_prints_for_the_same_scenario(
    server, tmp_path, capsys
):
    query = "preset=cramp&Ca_mM=0.9&seed=2"
    status, data = _get(f"{server.url}api/run?{query}")
    assert status == 200
    toml = tmp_path / "explorer_run.toml"
    toml.write_text(_get(f"{server.url}api/scenario?{query}")[1]["scenario_toml"], "utf-8")
    assert cli.main(["run", str(toml)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[1 : 1 + len(data["metric_lines"])] == data["metric_lines"]
    assert printed[-1] == cli.summary_line(ms.simulate(ms.Scenario.from_toml(toml)))
    assert data["label"] in printed[-1]
    assert len(data["spikes_s"]) == data["n_units"] == explorer.N_UNITS


def test_a_spasm_without_irritation_is_a_resting_muscle(server):
    # The spasm preset's only cause is the irritated axons' ectopic discharge: without it
    # nothing drives the pool (Scenario.irritation: the somata are untouched).
    _, spasm = _get(f"{server.url}api/run?preset=spasm")
    _, calm = _get(f"{server.url}api/run?preset=spasm&irritation=0")
    assert spasm["label"] == "spasm-like"
    assert calm["label"] == "normal"
    assert sum(map(len, calm["spikes_s"])) == 0 < sum(map(len, spasm["spikes_s"]))


def test_bad_requests_get_a_400_with_the_reason_and_the_page_and_config_are_served(server):
    status, body = _get(f"{server.url}api/run?Ca_mM=9")
    assert status == 400 and "Ca_mM = 9.0 mmol/L is outside" in body["error"]
    assert _get(f"{server.url}nowhere")[0] == 404
    status, cfg = _get(f"{server.url}api/config")
    assert status == 200 and list(cfg["presets"]) == list(explorer.PRESETS)
    with urllib.request.urlopen(server.url, timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/html")
    assert server.url.startswith("http://127.0.0.1:")  # this computer only


# --- the command line ---------------------------------------------------------------------
@pytest.mark.parametrize("port", ["70000", "-1"])
def test_a_port_out_of_range_exits_2(capsys, port):
    assert cli.main(["explore", "--no-browser", "--port", port]) == 2
    err = capsys.readouterr().err
    assert err.startswith("musclesim: error: --port") and "0-65535" in err
    assert "Traceback" not in err


def test_a_port_that_is_not_a_number_exits_2(capsys):
    assert cli.main(["explore", "--port", "eighty"]) == 2
    assert "invalid int value: 'eighty'" in capsys.readouterr().err


def test_a_port_in_use_exits_2_suggesting_another(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["explore", "--no-browser", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"port {port} is in use" in err and "--port 0" in err
    assert len(err.strip().splitlines()) == 1


def test_explore_prints_the_address_opens_the_browser_and_stops_on_ctrl_c(capsys, monkeypatch):
    opened = []
    monkeypatch.setattr(cli.webbrowser, "open", lambda url: opened.append(url) or True)

    def interrupted(self, poll_interval=0.5):
        raise KeyboardInterrupt

    monkeypatch.setattr(explorer.ExplorerServer, "serve_forever", interrupted)
    assert cli.main(["explore", "--port", "0"]) == 0
    out = capsys.readouterr().out
    (url,) = opened
    assert url.startswith("http://127.0.0.1:") and f"running at {url}" in out
    assert out.rstrip().endswith("stopped")
    opened.clear()
    assert cli.main(["explore", "--port", "0", "--no-browser"]) == 0
    assert not opened


def test_explore_is_in_the_help():
    assert "explore" in cli._parser().format_help()
