"""The README's Python blocks run as written, saved as scripts (issue 19: a newcomer copies
them into a file and runs it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def python_blocks() -> list[str]:
    """Every fenced ``python`` block of the README, in order."""
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MPLBACKEND="Agg")
    script = cwd / "snippet.py"
    script.write_text(code, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script)], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_readme_has_python_blocks_and_they_import_the_package():
    blocks = python_blocks()
    assert len(blocks) >= 2
    assert all("import musclesim as ms" in b for b in blocks)


@pytest.mark.slow
@pytest.mark.parametrize("k", range(len(python_blocks())))
def test_readme_python_block_runs_as_a_script(k, tmp_path):
    proc = _run(python_blocks()[k], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # Whatever the block saves, it saves where it ran.
    for name in re.findall(r'savefig\("([^"]+)"\)', python_blocks()[k]):
        assert (tmp_path / name).stat().st_size > 1000


def test_python_dash_m_runs_the_command_line_interface():
    proc = subprocess.run(
        [sys.executable, "-m", "musclesim", "list"], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    assert "cramp" in proc.stdout and "spasm" in proc.stdout
