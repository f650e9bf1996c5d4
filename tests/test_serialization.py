"""Scenario files (dict, JSON, TOML) and the provenance a Result carries into its CSV."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import musclesim as ms
from musclesim import _toml
from musclesim.contraction import FibreParams
from musclesim.neuron import NeuronParams
from musclesim.pool import PoolParams
from musclesim.reflex import ReflexParams
from musclesim.scenarios import CSV_SCENARIO_PREFIX, VERSION_KEY


def _everything_scenario() -> ms.Scenario:
    """A scenario in which every field, nested or not, differs from its default."""
    iv = ms.interventions
    return ms.Scenario(
        name="every field",
        electrolytes=ms.Electrolytes(Na=130.0, K=3.1, Cl=99.0, Ca=0.9, Mg=0.4),
        duration_s=3.5,
        seed=12345,
        n_units=7,
        stimulus=ms.protocols.train(frequency_hz=20.0, start_s=0.2, duration_s=0.3, amplitude=0.7),
        drive=ms.protocols.ramp(peak_nA=2.5, start_s=0.1, rise_s=0.4, hold_s=0.2),
        length=ms.protocols.stretch(start_s=0.5, duration_s=0.25, to_l0=1.2, from_l0=0.9),
        irritation=0.25,
        irritation_fraction=0.6,
        fatigue=0.4,
        interventions=(
            iv.stretch(at_s=1.0, to_l0=1.3, ramp_s=0.5),
            iv.replete(at_s=1.5, over_s=1.0, target=ms.Electrolytes(K=4.5)),
            iv.replete(at_s=1.6),
            iv.change_electrolytes(at_s=0.0, over_s=0.5, target=ms.Electrolytes(Ca=1.0)),
            iv.heat(at_s=2.0, over_s=3.0, fraction=0.3),
            iv.massage(at_s=2.1),
            iv.relaxant(at_s=2.2, g_inh_mS_cm2=0.1),
            iv.quinine(at_s=2.3),
            iv.tendon_stimulation(at_s=2.4, duration_s=0.5),
            iv.rest(at_s=3.0),
            iv.change_irritation(at_s=0.4, over_s=1.0, level=0.5),
        ),
        temperature_C=35.5,
        synaptic_noise_uA_cm2=0.35,
        neuron=NeuronParams(g_pic_mS_cm2=0.2, q10=2.5),
        fibre=FibreParams(serca_vmax_uM_ms=4.0),
        pool=PoolParams(recruitment_range=20.0),
        reflex=ReflexParams(ib_gain=0.5, ia_delay_ms=18.5),
    )


SCENARIOS = [pytest.param(ms.scenario(n), id=n) for n in ms.scenario_names()] + [
    pytest.param(_everything_scenario(), id="every-field"),
    pytest.param(ms.Scenario(), id="default"),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_dict_round_trip_is_exact(sc):
    d = sc.to_dict()
    assert d[VERSION_KEY] == ms.__version__
    assert ms.Scenario.from_dict(d) == sc


@pytest.mark.parametrize("sc", SCENARIOS)
def test_json_round_trip_is_exact(sc, tmp_path):
    text = sc.to_json(tmp_path / "sc.json")
    assert json.loads(text) == sc.to_dict()
    assert ms.Scenario.from_json(tmp_path / "sc.json") == sc
    assert ms.Scenario.from_json(text=text) == sc


@pytest.mark.parametrize("sc", SCENARIOS)
def test_toml_round_trip_is_exact(sc, tmp_path):
    text = sc.to_toml(tmp_path / "sc.toml")
    assert ms.Scenario.from_toml(tmp_path / "sc.toml") == sc
    assert ms.Scenario.from_toml(text=text) == sc


def test_to_dict_covers_every_field_and_is_plain():
    sc = _everything_scenario()
    d = sc.to_dict()
    assert list(d) == [VERSION_KEY, *(f for f in sc.__dataclass_fields__)]
    assert d["electrolytes"] == {"Na": 130.0, "K": 3.1, "Cl": 99.0, "Ca": 0.9, "Mg": 0.4}
    assert d["neuron"]["g_pic_mS_cm2"] == 0.2 and d["reflex"]["ia_delay_ms"] == 18.5
    assert d["stimulus"]["amplitude"] == 0.7 and isinstance(d["stimulus"]["times_s"], list)
    assert d["interventions"][1]["target"]["K"] == 4.5
    assert d["interventions"][2]["target"] is None
    # Plain Python only: JSON must not need a custom encoder.
    assert json.loads(json.dumps(d)) == d


def test_every_intervention_is_written_with_its_kind_and_own_fields():
    ivs = _everything_scenario().to_dict()["interventions"]
    assert {d["kind"] for d in ivs} == set(ms.interventions.KINDS)
    by_kind = {d["kind"]: d for d in ivs}
    assert by_kind["stretch"] == {"kind": "stretch", "at_s": 1.0, "to_l0": 1.3, "ramp_s": 0.5}
    assert by_kind["heat"] == {"kind": "heat", "at_s": 2.0, "over_s": 3.0, "fraction": 0.3}
    assert by_kind["relaxant"] == {
        "kind": "relaxant",
        "at_s": 2.2,
        "over_s": 5.0,
        "g_inh_mS_cm2": 0.1,
    }
    assert by_kind["irritation"] == {"kind": "irritation", "at_s": 0.4, "over_s": 1.0,
                                     "level": 0.5}  # fmt: skip
    assert by_kind["rest"] == {"kind": "rest", "at_s": 3.0}
    assert by_kind["electrolytes"]["target"]["Ca"] == 1.0
    text = _everything_scenario().to_toml()
    assert '[[interventions]]\nkind = "stretch"\nat_s = 1.0\nto_l0 = 1.3' in text


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_one_of_each_intervention_class_round_trips(fmt):
    iv = ms.interventions
    one_of_each = (
        iv.Stretch(at_s=1.0, to_l0=0.8, ramp_s=0.2),
        iv.Replete(at_s=1.1, over_s=2.0, target=ms.Electrolytes(Mg=0.9)),
        iv.ChangeElectrolytes(at_s=0.0, over_s=0.5, target=ms.Electrolytes(K=6.0)),
        iv.ChangeIrritation(at_s=0.2, over_s=0.3, level=0.7),
        iv.Heat(at_s=1.2, over_s=0.5, fraction=0.25),
        iv.Massage(at_s=1.3),
        iv.Relaxant(at_s=1.4, g_inh_mS_cm2=0.2),
        iv.Quinine(at_s=1.5, over_s=0.1),
        iv.Rest(at_s=1.6),
        iv.TendonStimulation(at_s=1.7, duration_s=0.5, frequency_hz=4.0, volley_hz=80.0),
    )
    assert {type(x) for x in one_of_each} == set(iv.TREATMENTS + iv.CHANGES)
    sc = ms.Scenario(duration_s=3.0, interventions=one_of_each)
    if fmt == "json":
        back = ms.Scenario.from_json(text=sc.to_json())
    else:
        back = ms.Scenario.from_toml(text=sc.to_toml())
    assert back == sc
    assert [type(x) for x in back.interventions] == [type(x) for x in one_of_each]


def test_numpy_numbers_become_plain_numbers():
    sc = ms.Scenario(irritation=np.float64(0.5), seed=3, duration_s=np.float32(1.5))
    d = sc.to_dict()
    assert type(d["irritation"]) is float and type(d["duration_s"]) is float
    assert ms.Scenario.from_json(text=sc.to_json()) == sc


def test_partial_dict_takes_defaults():
    sc = ms.Scenario.from_dict({"name": "k", "electrolytes": {"K": 3.0}, "fatigue": 0.5})
    assert sc == ms.Scenario(name="k", electrolytes=ms.Electrolytes(K=3.0), fatigue=0.5)


@pytest.mark.parametrize(
    ("d", "pattern"),
    [
        (
            {"irritaton": 0.2},
            r"unknown scenario key\(s\) \['irritaton'\].*valid keys:.*irritation",
        ),
        ({"electrolytes": {"Kx": 3.0}}, r"unknown electrolytes key\(s\) \['Kx'\]"),
        ({"neuron": {"g_pic": 0.1}}, r"unknown neuron key\(s\) \['g_pic'\]"),
        ({"stimulus": {"times_s": [0.1], "ampl": 1.0}}, r"unknown stimulus key\(s\) \['ampl'\]"),
        (
            {"interventions": [{"kind": "rest", "at_s": 1.0, "when": 2}]},
            r"unknown interventions\[0\] key\(s\) \['when'\]",
        ),
        (
            {"interventions": [{"kind": "replete", "at_s": 1.0, "target": {"Ca": 1, "P": 1}}]},
            r"unknown interventions\[0\]\.target key\(s\) \['P'\]",
        ),
        (
            {"interventions": [{"kind": "ice", "at_s": 1.0}]},
            r"interventions\[0\] has unknown kind 'ice'; valid kinds: stretch, "
            r"tendon_stimulation, replete",
        ),
        (
            {"interventions": [{"at_s": 1.0}]},
            r"interventions\[0\] has no 'kind' key; valid kinds: stretch",
        ),
        (
            {"interventions": [{"kind": "heat", "at_s": 1.0, "amount": 0.3}]},
            r"unknown interventions\[0\] key\(s\) \['amount'\] for Heat; valid keys: kind, "
            r"at_s, over_s, fraction",
        ),
        (
            {"interventions": [{"kind": "stretch", "at_s": 1.0, "to_l0": 10.0}]},
            r"to_l0 = 10\.0 L0 is outside \[0\.6, 1\.4\] L0",
        ),
        ({"fatigue": 2.0}, r"fatigue = 2\.0 is outside \[0, 1\]"),
    ],
)
def test_from_dict_rejects_unknown_keys_and_bad_values(d, pattern):
    with pytest.raises(ValueError, match=pattern):
        ms.Scenario.from_dict(d)


@pytest.mark.parametrize(
    ("d", "pattern"),
    [
        ({"electrolytes": 4.0}, "electrolytes must be a mapping of Electrolytes fields"),
        ({"interventions": "rest"}, "interventions must be a list"),
        ({"interventions": ["rest"]}, r"interventions\[0\] must be a mapping with a 'kind'"),
        ({"musclesim_version": 1}, "musclesim_version must be a string"),
        ({"stimulus": {"times_s": "0.1"}}, "times_s must be a tuple"),
    ],
)
def test_from_dict_rejects_wrong_types(d, pattern):
    with pytest.raises(TypeError, match=pattern):
        ms.Scenario.from_dict(d)
    with pytest.raises(TypeError, match="needs a mapping"):
        ms.Scenario.from_dict([("name", "x")])  # type: ignore[arg-type]


def test_file_readers_need_exactly_one_source(tmp_path):
    with pytest.raises(TypeError, match="exactly one of path or text"):
        ms.Scenario.from_json()
    with pytest.raises(TypeError, match="exactly one of path or text"):
        ms.Scenario.from_toml(tmp_path / "x.toml", text="name = 'x'")


def test_simulating_a_round_tripped_scenario_gives_identical_force():
    sc = ms.scenario("twitch").replace(n_units=5, duration_s=0.3, synaptic_noise_uA_cm2=0.2)
    again = ms.Scenario.from_toml(text=ms.Scenario.from_json(text=sc.to_json()).to_toml())
    a, b = ms.simulate(sc), ms.simulate(again)
    assert a.force.max() > 0.01
    assert np.array_equal(a.force, b.force)
    assert all(np.array_equal(x, y) for x, y in zip(a.spike_times, b.spike_times, strict=True))


# --- provenance -------------------------------------------------------------------------
def test_result_carries_version_and_scenario():
    sc = ms.scenario("twitch").replace(n_units=2, duration_s=0.2, seed=7)
    res = ms.simulate(sc)
    assert res.version == ms.__version__
    assert res.scenario == sc and res.scenario.seed == 7
    assert ms.simulate("twitch", n_units=2, duration_s=0.2, seed=9).scenario.seed == 9


def test_csv_header_regenerates_the_figure(tmp_path):
    sc = _everything_scenario().replace(duration_s=3.5, n_units=3, seed=42)
    res = ms.simulate(sc, record_dt_ms=5.0)
    path = res.to_csv(tmp_path / "r.csv")
    header = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
    assert header[0] == f"# musclesim {ms.__version__}; method=fixed; dt_ms=0.025"
    assert header[1] == "# scenario=every field; seed=42"
    assert header[2].startswith(CSV_SCENARIO_PREFIX)
    assert json.loads(header[2].removeprefix(CSV_SCENARIO_PREFIX)) == sc.to_dict()
    back = ms.Scenario.from_csv_header(path)
    assert back == sc
    again = ms.simulate(back, record_dt_ms=5.0)
    data = np.loadtxt(path, delimiter=",", skiprows=len(header) + 1)
    # The CSV keeps 6 significant digits (fmt "%.6g"): relative 1e-5 with a floor at 1e-7 %.
    assert np.allclose(data[:, 1], 100.0 * again.force, rtol=1e-5, atol=1e-7)
    assert np.array_equal(again.force, res.force)


def test_csv_header_missing_is_an_error(tmp_path):
    p = tmp_path / "plain.csv"
    p.write_text("# made by hand\ntime_s,force\n0,0\n")
    with pytest.raises(ValueError, match="no '# scenario_json:' line"):
        ms.Scenario.from_csv_header(p)


def test_dataframe_attrs_hold_the_scenario():
    res = ms.simulate(ms.scenario("twitch").replace(n_units=2, duration_s=0.2, seed=3))
    df = res.to_dataframe()
    assert ms.Scenario.from_dict(df.attrs["scenario_dict"]) == res.scenario
    assert df.attrs["musclesim_version"] == ms.__version__


# --- the TOML writer --------------------------------------------------------------------
def test_toml_writer_round_trips_every_value_kind():
    data = {
        "s": 'quote " back \\ tab \t newline \n bell \x07 del \x7f µ',
        "t": True,
        "f": False,
        "i": -42,
        "x": 1e-05,
        "big": 1.5e300,
        "neg": -0.0,
        "arr": [1.0, 2, -3.5],
        "empty": [],
        "skip": None,
        "weird key": 1,
        "table": {"a": 1, "sub": {"b": "c"}, "after": 2},
        "aot": [{"k": 1, "inner": {"z": 0.5}}, {"k": 2}],
    }
    back = _toml.loads(_toml.dumps(data))
    expected = {k: v for k, v in data.items() if v is not None}
    assert back == expected
    assert math.copysign(1.0, back["neg"]) == -1.0


def test_toml_writer_non_finite_floats():
    back = _toml.loads(_toml.dumps({"a": math.inf, "b": -math.inf, "c": math.nan}))
    assert back["a"] == math.inf and back["b"] == -math.inf and math.isnan(back["c"])


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        ({"a": object()}, "cannot write a = "),
        ({"a": [1, None]}, "contains None"),
        ({"a": [{"b": 1}, 2]}, "mixes tables"),
        ({1: 2}, "keys must be strings"),
    ],
)
def test_toml_writer_rejects_what_toml_cannot_hold(data, pattern):
    with pytest.raises(TypeError, match=pattern):
        _toml.dumps(data)
