"""Write the student copies of the teaching notebooks: ``notebooks/student/NN_*.ipynb``.

Run from the repository root::

    .venv/bin/python scripts/strip_solutions.py            # rewrites notebooks/student/
    .venv/bin/python scripts/strip_solutions.py --out DIR  # writes DIR/NN_*.ipynb instead

The teacher notebooks (``notebooks/NN_*.ipynb``) are the one source. Every cell whose
metadata carries the tag ``solution`` is left out of the student copy: the *Explain*
discussions, the exercise answers and the hidden ``assert`` cells on the teaching points.
Questions, *Predict* prompts, the experiments' code and the "what this model leaves out"
boxes stay. Outputs and execution counts are cleared, so students see each result only
when they run the cell themselves, and a first cell says where the teacher version is.

``tests/test_student_notebooks.py`` regenerates the copies into a temporary folder and
fails if the committed ones differ, contain a solution cell, or contain the text of one;
its slow test executes every student copy from a clean kernel.
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TEACHER_DIR = ROOT / "notebooks"
STUDENT_DIR = TEACHER_DIR / "student"
SOLUTION_TAG = "solution"
#: Cell metadata that belongs to a run of the teacher notebook, not to its content.
RUN_METADATA = ("execution", "collapsed", "scrolled")

NOTE = (
    "> **Student version of `{name}`.** Explanations, exercise answers and hidden checks are"
    " left out, and no cell has been run yet: predict, run each cell, observe, and write your"
    " own explanation before you discuss it.\n"
    ">\n"
    "> The teacher version, with the answers and every output, is `notebooks/{name}` in the"
    " musclesim repository (your instructor has it). This copy is generated from it by"
    " `scripts/strip_solutions.py`; do not edit it by hand."
)


def teacher_notebooks(directory: Path = TEACHER_DIR) -> list[Path]:
    """The numbered teaching notebooks (``NN_topic.ipynb``), in order."""
    return sorted(p for p in directory.glob("[0-9][0-9]_*.ipynb"))


def is_solution(cell: Any) -> bool:
    """True if the cell is tagged as a solution (an answer the student should work out)."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def student_version(nb: Any, name: str) -> Any:
    """The student copy of a teacher notebook: solution cells removed, outputs cleared.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The teacher notebook (nbformat 4); not modified.
    name : str
        Its file name, quoted in the first cell as where the teacher version is.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook: a note on what was left out, then every cell not tagged
        ``solution``, with outputs, execution counts and run metadata removed.
    """
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        if is_solution(cell):
            continue
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    note = nbformat.v4.new_markdown_cell(NOTE.format(name=name))
    note.id = "student-version-note"
    out.cells = [note, *cells]
    # Widget state is output too (07's sliders), and cleared with it.
    out.metadata.pop("widgets", None)
    if "title" in out.metadata:
        out.metadata["title"] = f"{out.metadata['title']} (student version)"
    nbformat.validate(out)
    return out


def write_student_notebooks(out_dir: Path = STUDENT_DIR) -> list[Path]:
    """Write the student copy of every teaching notebook into ``out_dir``; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in teacher_notebooks():
        nb = nbformat.read(path, as_version=4)
        target = out_dir / path.name
        nbformat.write(student_version(nb, path.name), target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=STUDENT_DIR, help="folder to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    for path in write_student_notebooks(args.out):
        print(path)


if __name__ == "__main__":
    main()
