"""ms.claims_table(): the popular account rated by simulation (issue 17 item 6)."""

from __future__ import annotations

import re

import pytest

import musclesim as ms
from musclesim.claims import CLAIMS, VERDICTS


@pytest.fixture(scope="module")
def table():
    return ms.claims_table(seed=0, n_units=40)


@pytest.mark.slow
def test_every_claim_has_a_verdict_evidence_and_basis(table):
    assert list(table.columns) == ["claim", "verdict", "model", "evidence", "basis"]
    assert len(table) == len(CLAIMS)
    assert set(table["verdict"]) <= set(VERDICTS)
    tested = table[table["verdict"] != "not modelled"]
    assert tested["model"].str.contains(r"\d").all(), "a tested verdict must show its numbers"
    assert tested["evidence"].str.startswith("literature").all()


@pytest.mark.slow
def test_the_milder_verdict_follows_its_own_numbers(table):
    row = table[table["claim"] == "Spasms are milder than cramps"].iloc[0]
    spasm, cramp = (float(x) for x in re.findall(r"(\d+) %", row["model"]))
    assert (row["verdict"] == "supported") == (spasm < cramp)


@pytest.mark.slow
def test_the_within_the_muscle_claim_is_contradicted_and_the_antagonist_not_modelled(table):
    verdict = dict(zip(table["claim"], table["verdict"], strict=True))
    assert verdict["Cramps arise within the muscle, not from nerve dysfunction"] == "contradicted"
    assert verdict["Contracting the opposing muscle relieves a cramp"] == "not modelled"


def test_claims_table_rejects_a_bad_pool_size():
    with pytest.raises(ValueError, match="n_units"):
        ms.claims_table(n_units=5)
