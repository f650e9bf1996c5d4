"""docs/claims.md is exactly what scripts/claims_table.py writes for the current model.

The page lists each claim of the popular account with the verdict ``ms.claims_table()``
measures; it is generated, never edited by hand. The script runs in a child process (the
test imports nothing from it) into a temporary file, and the committed page must match it
byte for byte, so a model change that moves a verdict or a number fails here until the
page is regenerated and committed with the change.
"""

from __future__ import annotations

import pytest
from generated_page import assert_page_current


@pytest.mark.slow  # ~25 s on 2 cores: ms.claims_table runs eight 20-unit scenarios
def test_committed_claims_table_matches_the_model(tmp_path):
    assert_page_current(
        "claims_table.py", "claims.md", tmp_path / "claims.md", "these verdicts or numbers"
    )
