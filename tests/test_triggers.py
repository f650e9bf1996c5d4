"""The regenerated trigger table (docs/science.md §6 claim 5 against §5's evidence)."""

from __future__ import annotations

import pytest

import musclesim as ms
from musclesim.triggers import TRIGGERS


@pytest.fixture(scope="module")
def table() -> list[dict]:
    return ms.triggers_table(n_units=30, duration_s=6.0).to_dict("records")


def test_table_has_every_popular_trigger_and_the_columns(table):
    assert [r["trigger"] for r in table] == ["(none)"] + [t.name for t in TRIGGERS]
    assert len(table) == 6
    for r in table[1:]:
        assert r["model_spasm"] in ("raises", "no effect", "lowers")
        assert r["model_cramp"] in ("raises", "no effect", "lowers")
        assert r["evidence"] and r["popular_cramp"] and r["popular_spasm"]
    # The benches alone: no involuntary activity worth the name.
    assert table[0]["spasm_label"] == "normal" and table[0]["cramp_label"] == "normal"


def test_model_follows_the_evidence_not_the_popular_ratings(table):
    rows = {r["trigger"]: r for r in table}
    # Fatigue is the main cramp trigger (Schwellnus 2009): the bench becomes a cramp.
    fatigue = rows["overuse / fatigue"]
    assert fatigue["model_cramp"] == "raises" and fatigue["cramp_label"] == "cramp-like"
    assert fatigue["cramp_force_pct"] >= 10.0
    # Nerve irritation makes the resting muscle spasm (irregular, low-rate, moderate).
    irritation = rows["nerve compression / irritation"]
    assert irritation["model_spasm"] == "raises" and irritation["spasm_label"] == "spasm-like"
    # Dehydration alone does not bring on a cramp (Braulick et al. 2013): the article's
    # "major" is not reproduced.
    dehydration = rows["dehydration"]
    assert dehydration["model_cramp"] == "no effect"
    assert dehydration["cramp_label"] == "normal"


def test_dehydrated_plasma_is_concentrated_and_validated():
    e = ms.Electrolytes().dehydrated(3.0)
    assert e.Na == pytest.approx(140.0 / 0.95)
    assert e.Ca == pytest.approx(1.2 / 0.95)
    with pytest.raises(ValueError, match=r"body_mass_loss_pct.*%.*0.*10"):
        ms.Electrolytes().dehydrated(12.0)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [({"n_units": 5}, "n_units"), ({"duration_s": 1.0}, "duration_s"),
     ({"triggers": ("dehydration",)}, "Trigger")],
)  # fmt: skip
def test_bad_arguments(kwargs, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        ms.triggers_table(**kwargs)
