"""Student copies of the notebooks (issue 20 item 2): generated, up to date, without answers.

The teacher notebooks are the one source; ``scripts/strip_solutions.py`` writes
``notebooks/student/`` by leaving out the cells tagged ``solution``. These checks are fast
(no kernel): the committed copies must be what the script writes now, byte for byte, and
hold no solution cell and no text of one. Executing the copies is in
``tests/test_notebooks.py`` (slow).
"""

from __future__ import annotations

import ast
import difflib
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "strip_solutions.py"
TEACHER = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STUDENT_DIR = ROOT / "notebooks" / "student"
REGENERATE = ".venv/bin/python scripts/strip_solutions.py"
#: Shorter lines (``</details>``, ``plt.show()``, a heading) may rightly occur in both.
MIN_LINE_CHARS = 40


def _is_solution(cell) -> bool:
    return "solution" in cell.metadata.get("tags", [])


def _read(path: Path):
    return nbformat.read(path, as_version=4)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    run = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, f"{SCRIPT.name} failed:\n{run.stdout}{run.stderr}"
    return out


def test_there_are_teacher_notebooks():
    assert len(TEACHER) >= 7, TEACHER


@pytest.mark.parametrize("teacher", TEACHER, ids=[p.name for p in TEACHER])
def test_student_copy_is_up_to_date(teacher, generated):
    committed, fresh = STUDENT_DIR / teacher.name, generated / teacher.name
    new = fresh.read_text(encoding="utf-8")
    old = committed.read_text(encoding="utf-8") if committed.exists() else ""
    if new != old:
        diff = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                            str(committed.relative_to(ROOT)), "now"))  # fmt: skip
        pytest.fail(
            f"{committed.relative_to(ROOT)} is out of date with {teacher.name}. Regenerate "
            f"from the repository root with\n    {REGENERATE}\nand commit it:\n{diff[:3000]}",
            pytrace=False,
        )


def test_student_folder_holds_only_generated_copies():
    assert sorted(p.name for p in STUDENT_DIR.glob("*.ipynb")) == [p.name for p in TEACHER]


@pytest.mark.parametrize("teacher", TEACHER, ids=[p.name for p in TEACHER])
def test_teacher_notebook_tags_its_answers(teacher):
    """Every answer is tagged: Explain discussions, exercise answers, cells with asserts."""
    nb = _read(teacher)
    assert any(_is_solution(c) for c in nb.cells), f"{teacher.name} tags no solution cell"
    for k, cell in enumerate(nb.cells):
        if _is_solution(cell):
            continue
        where = f"{teacher.name} cell {k} ({cell.source[:60]!r})"
        if cell.cell_type == "markdown":
            assert "**Explain" not in cell.source, f"{where}: an Explain paragraph untagged"
            assert "<details>" not in cell.source, f"{where}: exercise answers untagged"
        else:
            tree = ast.parse(cell.source)
            assert not any(isinstance(n, ast.Assert) for n in ast.walk(tree)), (
                f"{where}: an assert reveals the teaching point; tag the cell 'solution'"
            )


@pytest.mark.parametrize("teacher", TEACHER, ids=[p.name for p in TEACHER])
def test_student_copy_has_no_solution_cell_outputs_or_answer_text(teacher):
    student = _read(STUDENT_DIR / teacher.name)
    assert "Student version" in student.cells[0].source
    assert f"notebooks/{teacher.name}" in student.cells[0].source, "say where the teacher copy is"
    assert not any(_is_solution(c) for c in student.cells)
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    text = "\n".join(c.source for c in student.cells)
    lines = {line.strip() for line in text.splitlines()}
    for cell in _read(teacher).cells:
        if not _is_solution(cell):
            continue
        assert cell.source not in text, f"a solution cell of {teacher.name} is in the copy"
        for line in cell.source.splitlines():
            line = line.strip()
            assert len(line) < MIN_LINE_CHARS or line not in lines, (
                f"student {teacher.name} holds a line of a solution cell: {line!r}"
            )


@pytest.mark.parametrize("teacher", TEACHER, ids=[p.name for p in TEACHER])
def test_student_copy_keeps_every_question(teacher):
    """Predict prompts, exercises and the model's limits stay: only answers go."""
    student = "\n".join(c.source for c in _read(STUDENT_DIR / teacher.name).cells)
    teacher_text = "\n".join(c.source for c in _read(teacher).cells)
    for marker in ("**Predict", "What this model leaves out", "## Exercises"):
        assert student.count(marker) == teacher_text.count(marker), marker
