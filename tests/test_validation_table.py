"""docs/validation.md is exactly what scripts/validation_table.py writes for the current model.

The table lists every validation target with the model's value and PASS/FAIL; it is
generated, never edited by hand. The script runs in a child process (the test imports
nothing from it) into a temporary file, and the committed table must match it byte for
byte, so a model change that moves any number in the table fails here until the table is
regenerated and committed with the change.
"""

from __future__ import annotations

import pytest
from generated_page import ROOT, assert_page_current


@pytest.mark.slow  # ~30 s on 2 cores: every validation measurement runs once
def test_committed_validation_table_matches_the_model(tmp_path):
    assert_page_current(
        "validation_table.py", "validation.md", tmp_path / "validation.md", "these numbers"
    )


def test_readme_links_the_validation_table():
    assert "docs/validation.md" in (ROOT / "README.md").read_text(encoding="utf-8")
