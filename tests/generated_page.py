"""Shared check of the drift tests: a committed, generated docs page is exactly what its
script writes for the current model (tests/test_validation_table.py,
tests/test_claims_table.py)."""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def assert_page_current(script: str, page: str, out: Path, what_moved: str) -> None:
    """Run ``scripts/<script>`` into ``out`` in a child process (the test imports nothing
    from it) and fail, with the diff and the command that regenerates it, unless the
    committed ``docs/<page>`` matches byte for byte."""
    path = ROOT / "scripts" / script
    run = subprocess.run([sys.executable, str(path), "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)  # fmt: skip
    assert run.returncode == 0, f"{script} failed:\n{run.stdout}{run.stderr}"
    fresh = out.read_text(encoding="utf-8")
    committed_path = ROOT / "docs" / page
    committed = committed_path.read_text(encoding="utf-8") if committed_path.exists() else ""
    if fresh != committed:
        old, new = committed.splitlines(keepends=True), fresh.splitlines(keepends=True)
        diff = "".join(difflib.unified_diff(old, new, f"docs/{page}", "generated now"))
        pytest.fail(
            f"docs/{page} is out of date with the model. Regenerate it from the repository "
            f"root with\n    .venv/bin/python scripts/{script}\nand commit it with the change "
            f"that moved {what_moved}:\n{diff[:6000]}",
            pytrace=False,
        )
