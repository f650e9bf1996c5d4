"""docs/validation.md is exactly what scripts/validation_table.py writes for the current model.

The table lists every validation target with the model's value and PASS/FAIL; it is
generated, never edited by hand. The script runs in a child process (the test imports
nothing from it) into a temporary file, and the committed table must match it byte for
byte, so a model change that moves any number in the table fails here until the table is
regenerated and committed with the change.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "validation_table.py"
TABLE = ROOT / "docs" / "validation.md"
REGENERATE = ".venv/bin/python scripts/validation_table.py"


@pytest.mark.slow  # ~30 s on 2 cores: every validation measurement runs once
def test_committed_validation_table_matches_the_model(tmp_path):
    out = tmp_path / "validation.md"
    run = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)  # fmt: skip
    assert run.returncode == 0, f"{SCRIPT.name} failed:\n{run.stdout}{run.stderr}"
    fresh = out.read_text(encoding="utf-8")
    committed = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
    if fresh != committed:
        old, new = committed.splitlines(keepends=True), fresh.splitlines(keepends=True)
        diff = "".join(difflib.unified_diff(old, new, "docs/validation.md", "generated now"))
        pytest.fail(
            "docs/validation.md is out of date with the model. Regenerate it from the "
            f"repository root with\n    {REGENERATE}\nand commit it with the change "
            f"that moved these numbers:\n{diff[:6000]}",
            pytrace=False,
        )


def test_readme_links_the_validation_table():
    assert "docs/validation.md" in (ROOT / "README.md").read_text(encoding="utf-8")
