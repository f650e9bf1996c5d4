"""docs/claims.md is exactly what scripts/claims_table.py writes for the current model.

The page lists each claim of the popular account with the verdict ``ms.claims_table()``
measures; it is generated, never edited by hand. The script runs in a child process (the
test imports nothing from it) into a temporary file, and the committed page must match it
byte for byte, so a model change that moves a verdict or a number fails here until the
page is regenerated and committed with the change.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "claims_table.py"
TABLE = ROOT / "docs" / "claims.md"
REGENERATE = ".venv/bin/python scripts/claims_table.py"


@pytest.mark.slow  # ~25 s on 2 cores: ms.claims_table runs eight 20-unit scenarios
def test_committed_claims_table_matches_the_model(tmp_path):
    out = tmp_path / "claims.md"
    run = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)  # fmt: skip
    assert run.returncode == 0, f"{SCRIPT.name} failed:\n{run.stdout}{run.stderr}"
    fresh = out.read_text(encoding="utf-8")
    committed = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
    if fresh != committed:
        old, new = committed.splitlines(keepends=True), fresh.splitlines(keepends=True)
        diff = "".join(difflib.unified_diff(old, new, "docs/claims.md", "generated now"))
        pytest.fail(
            "docs/claims.md is out of date with the model. Regenerate it from the "
            f"repository root with\n    {REGENERATE}\nand commit it with the change "
            f"that moved these verdicts or numbers:\n{diff[:6000]}",
            pytrace=False,
        )
