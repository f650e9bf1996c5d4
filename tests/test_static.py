"""Static checks run as tests, so that plain ``pytest`` (what CI runs) also type-checks and
lints: mypy with the ``[tool.mypy]`` settings of pyproject.toml (the package and
``scripts/``), ruff with ``[tool.ruff]`` (also the docs' conf.py, extension and gallery scripts).
Both run with this interpreter from the project root, where pyproject.toml is found."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


def test_package_passes_mypy():
    pytest.importorskip("mypy")
    out = _run("mypy")
    assert out.returncode == 0, f"mypy failed:\n{out.stdout}{out.stderr}"


def test_package_tests_benchmarks_and_scripts_pass_ruff_check():
    pytest.importorskip("ruff")
    out = _run("ruff", "check", "musclesim", "tests", "benchmarks", "scripts", "docs")
    assert out.returncode == 0, f"ruff check failed:\n{out.stdout}{out.stderr}"


def test_package_tests_benchmarks_and_scripts_are_ruff_formatted():
    pytest.importorskip("ruff")
    out = _run("ruff", "format", "--check", "musclesim", "tests", "benchmarks", "scripts", "docs")
    assert out.returncode == 0, f"ruff format --check failed:\n{out.stdout}{out.stderr}"
