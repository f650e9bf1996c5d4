"""docs/fibre_types.md shows the code's own per-type fibre parameters (no drift)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

import musclesim as ms

DOC = Path(__file__).resolve().parents[1] / "docs" / "fibre_types.md"


def _table_rows() -> dict[str, tuple[float, float]]:
    rows = {}
    names = {f.name for f in fields(ms.FibreParams)}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in names:
            rows[cells[0]] = (float(cells[1]), float(cells[2]))
    return rows


def test_fibre_type_table_lists_parameters():
    assert len(_table_rows()) >= 15


@pytest.mark.parametrize("name", sorted(_table_rows()))
def test_fibre_type_table_matches_the_code(name):
    slow = ms.FibreParams()
    fast = slow.with_speed(ms.PoolParams().contraction_time_range)
    doc_slow, doc_fast = _table_rows()[name]
    assert getattr(slow, name) == pytest.approx(doc_slow, rel=1e-3)
    assert getattr(fast, name) == pytest.approx(doc_fast, rel=1e-3)
