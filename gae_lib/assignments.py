"""The chapters' lab exercises as nbgrader assignments: a course directory an instructor
releases, collects, autogrades and returns feedback from.

    python -m gae_lib.edition nbgrader [CHAPTER ...] [--out DIR] [-p NAME VALUE] [--release]
                                       [--hidden-checks]
    make assignments

writes ``DIR/source/<chapter>/<chapter>.ipynb`` for every chapter with exercises and
``DIR/nbgrader_config.py``; ``--release`` also runs ``nbgrader generate_assignment`` for each
(``DIR/release/``).  A graded notebook is the chapter's lab edition (from the one source, as
the hand-outs) with nbgrader's cell metadata:

- each exercise's answer cell is a solution cell: the student's stub, then the solution the
  dropdown holds between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (the release keeps
  the stub);
- each self-check cell is an autograded test worth the exercise's points
  (``book/exercise-points.json``): the same check at the same tolerance, which must say
  "Correct" (``gae_lib.lab.assert_correct``); visible, as in the hand-outs, so that students
  get its "Correct / Not quite" while they work, or, with ``--hidden-checks``, a hidden test
  (a check's code computes the answer: hidden, it cannot be read off the release);
- every other cell is locked (read-only; nbgrader restores it before grading), and the
  solutions' explanations are left out.

The parameters are the chapter's QUICK ones unless given: the autograder runs the whole
notebook, as a student's *Run All* does.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .data.sources import REPO_ROOT
from .files import read_json, shown

COURSE_ID = "gans-vs-autoencoders"
ASSIGNMENTS_DIR = REPO_ROOT / "_build" / "assignments"
POINTS = REPO_ROOT / "book" / "exercise-points.json"
SCHEMA_VERSION = 3                       # nbgrader 0.9's cell metadata
CHECK_CALL = "self_check("
# nbgrader's per-cell timeout: the longest QUICK cell (an exercise's re-training, ~60 s on 2
# cores) on a student's laptop ten times slower.
CELL_TIMEOUT_S = 600


class AssignmentError(ValueError):
    """A chapter's exercises do not fit the graded edition (e.g. a check cell missing)."""


def exercise_points(chapter: str) -> list[int]:
    """Points of each exercise of ``chapter``, in order (one table for the whole book)."""
    table = read_json(POINTS, f"restore it with `git checkout -- {shown(POINTS, REPO_ROOT)}`")
    return list(table.get(chapter, []))


def graded_chapters() -> list[str]:
    from .book import toc_chapters

    return [c for c in toc_chapters() if exercise_points(c)]


def text_of(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def nbgrader_cell(cell: dict, number: int, **grading) -> dict:
    kind = "solution" if grading.get("solution") else "check" if grading.get("grade") else "cell"
    metadata = {"grade": False, "solution": False, "locked": False, **grading,
                "grade_id": f"{kind}-{number}", "schema_version": SCHEMA_VERSION}
    return {**cell, "id": f"graded-{number}",
            "metadata": {**cell["metadata"], "nbgrader": metadata}}


def graded_check(source: str, exercise: int, hidden: bool) -> str:
    """A self-check cell as an autograded test: it passes when the check says "Correct".
    ``hidden``: the check itself is left out of the release (its code computes the answer;
    the student then gets no "Correct / Not quite" before grading)."""
    check = f"{source.rstrip()}\nlab.assert_correct('Exercise {exercise}')"
    if hidden:
        check = (f"# Autograded: the check of exercise {exercise} runs when your notebook is "
                 f"graded.\n### BEGIN HIDDEN TESTS\n{check}\n### END HIDDEN TESTS")
    return f"from gae_lib import lab\nlab.start_graded_check()\n{check}"


def graded_notebook(chapter: str, parameters: dict | None = None,
                    hidden: bool = False) -> dict:
    """The nbgrader source notebook of ``chapter`` (module docstring); ``hidden``: the
    self-checks as hidden tests (``graded_check``)."""
    from .book import quick_parameters
    from .edition import edition, markdown_cell

    parameters = quick_parameters(chapter) if parameters is None else parameters
    lab, solved = (edition(chapter, kind, parameters) for kind in ("lab", "solutions"))
    points = exercise_points(chapter)
    cells, answers, checks = [graded_banner(chapter, points, markdown_cell)], 0, 0
    for number, (stub, cell) in enumerate(zip(lab["cells"][1:], solved["cells"][1:]), 1):
        source, tags = text_of(cell), set(cell["metadata"].get("tags", []))
        if cell["cell_type"] == "code" and "solution" in tags:
            answers += 1
            cell = {**cell, "source": f"{text_of(stub).rstrip()}\n### BEGIN SOLUTION\n"
                                      f"{source.rstrip()}\n### END SOLUTION"}
            cells.append(nbgrader_cell(cell, number, solution=True))
        elif "solution" in tags:
            continue          # the solution's explanation: the instructor's, not released
        elif cell["cell_type"] == "code" and CHECK_CALL in source and checks < answers:
            checks += 1
            if checks > len(points):
                raise AssignmentError(f"{chapter}: exercise {checks} has no points in {POINTS}")
            cell = {**cell, "source": graded_check(source, checks, hidden)}
            cells.append(nbgrader_cell(cell, number, grade=True, locked=True,
                                       points=points[checks - 1]))
        else:
            cells.append(nbgrader_cell(cell, number, locked=True))
    if not answers == checks == len(points):
        raise AssignmentError(f"{chapter}: {answers} answer cells, {checks} self-check cells "
                              f"after them and {len(points)} exercises in {POINTS}; expected "
                              "one check after each answer and points for each")
    metadata = {**lab["metadata"], "gae_edition": {**lab["metadata"]["gae_edition"],
                                                  "edition": "nbgrader"}}
    return {**lab, "metadata": metadata, "cells": cells}


def graded_banner(chapter: str, points: list[int], markdown_cell) -> dict:
    total = sum(points)
    # Plain Markdown, not a MyST note: nbgrader's feedback pages are rendered by nbconvert.
    return nbgrader_cell(markdown_cell(
        f"> **Graded edition** ({len(points)} exercises, {total} points), generated from "
        f"`{chapter}.md` by `python -m gae_lib.edition nbgrader`.  Answer in the cells of the "
        f"lab exercises at the end; each self-check below an answer is autograded (it must "
        f"say \"Correct\").  The other cells are read-only.  Numbers in the text are those of "
        f"the book's full-mode run; the cells compute your own (*Run → Run All Cells*)."),
        0, locked=True)


def course_config(chapters: list[str]) -> str:
    listed = "\n".join(f"#   {Path(c).name}  ({sum(exercise_points(c))} points)" for c in chapters)
    return f'''# nbgrader course of "GANs vs Autoencoders"
# (written by `python -m gae_lib.edition nbgrader`).
# Assignments (one per chapter with exercises; source/<name>/<name>.ipynb):
{listed}
c = get_config()  # noqa: F821  (nbgrader's config loader defines it)
c.CourseDirectory.course_id = "{COURSE_ID}"
# A student's answer cell keeps its stub line (`answer_1 = None  # your code: ...`).
c.ClearSolutions.code_stub = {{"python": "# your code here"}}
# The autograder runs the whole chapter (QUICK parameters): per-cell limit in seconds.
c.ExecutePreprocessor.timeout = {CELL_TIMEOUT_S}
# Feedback pages: the prose's numbers (jupyterlab-myst's {{eval}} roles) as the run gave them.
c.GenerateFeedback.preprocessors = ["nbgrader.preprocessors.GetGrades",
                                    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
                                    "gae_lib.feedback.ProseOfTheRun"]
'''


def write_course(chapters: list[str], out: Path = ASSIGNMENTS_DIR,
                 parameters: dict[str, dict] | None = None, hidden: bool = False,
                 force: bool = False) -> list[Path]:
    """The course directory ``out``: each chapter's source notebook and the config.  A file
    the instructor edited there since it was written is kept unless ``force`` (as the lab
    editions keep a student's notebook)."""
    from .edition import write_unless_edited

    unknown = [c for c in chapters if not exercise_points(c)]
    if unknown:
        raise AssignmentError(f"{', '.join(unknown)}: no exercises to grade; chapters with "
                              f"exercises: {', '.join(graded_chapters())}")

    def texts():
        for chapter in chapters:
            name = Path(chapter).name
            notebook = graded_notebook(chapter, (parameters or {}).get(chapter) or None, hidden)
            yield (f"source/{name}/{name}.ipynb",
                   json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
        yield "nbgrader_config.py", course_config(chapters)

    return write_unless_edited(Path(out), texts(), force)


def nbgrader(out: Path, *args: str) -> subprocess.CompletedProcess:
    """``nbgrader ARGS`` run in the course directory ``out`` (this environment's nbgrader)."""
    command = [str(Path(sys.executable).parent / "nbgrader"), *args]
    if not Path(command[0]).exists():
        raise AssignmentError("nbgrader is not installed: `pip install -e '.[instructor]'` "
                              "(make assignments installs it)")
    # nbgrader runs alembic (its database migrations) by name: this environment's first.
    path = f"{Path(command[0]).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(command, cwd=out, capture_output=True, text=True,
                          env={**os.environ, "PATH": path})


def release(chapters: list[str], out: Path = ASSIGNMENTS_DIR) -> list[Path]:
    """``nbgrader generate_assignment`` for each chapter: the students' notebooks."""
    for chapter in chapters:
        name = Path(chapter).name
        done = nbgrader(out, "generate_assignment", name, "--force")
        if done.returncode != 0:
            raise AssignmentError(f"nbgrader generate_assignment {name} failed:\n"
                                  f"{(done.stdout + done.stderr)[-2000:]}")
    return [out / "release" / Path(c).name / f"{Path(c).name}.ipynb" for c in chapters]
