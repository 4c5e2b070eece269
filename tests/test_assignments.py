"""The chapters' exercises as nbgrader assignments: the metadata of every chapter, and an
instructor's round trip (release, autograde three submissions, feedback) on one chapter."""

import csv
import json
import re
import shutil
import time

import pytest

from conftest import record_chapter_seconds
from labrun import ONE_TORCH_THREAD

from gae_lib import assignments, edition
from gae_lib.assignments import graded_chapters, graded_notebook
from gae_lib.book import quick_parameters

SOLUTION = re.compile(r"\n### BEGIN SOLUTION\n(.*)\n### END SOLUTION$", re.S)


def code_of(notebook: dict) -> list[str]:
    return [assignments.text_of(c) for c in notebook["cells"] if c["cell_type"] == "code"]


def unwrapped(source: str) -> str:
    """A graded check cell as the hand-out has it (the nbgrader lines around it removed)."""
    lines = source.split("\n")
    if lines[:2] == ["from gae_lib import lab", "lab.start_graded_check()"]:
        return "\n".join(lines[2:-1])
    return source


@pytest.fixture(scope="module")
def graded():
    return {chapter: graded_notebook(chapter) for chapter in graded_chapters()}


def test_every_chapter_with_exercises_is_an_assignment(graded):
    assert list(graded) == ["book/a-first-gan-and-vae", "book/comparison-of-encodings",
                            "book/autoencoding-gans", "book/latent-space-size",
                            "book/adversarial-autoencoders"]


@pytest.mark.parametrize("chapter", graded_chapters())
def test_answers_are_solution_cells_checks_are_graded_and_the_rest_is_locked(chapter, graded):
    cells = graded[chapter]["cells"]
    grading = [c["metadata"]["nbgrader"] for c in cells]
    solutions = [c for c, g in zip(cells, grading) if g["solution"]]
    checks = [c for c, g in zip(cells, grading) if g["grade"]]
    points = assignments.exercise_points(chapter)
    assert len(solutions) == len(checks) == len(points) >= 3
    assert [c["metadata"]["nbgrader"]["points"] for c in checks] == points
    for number, (answer, check) in enumerate(zip(solutions, checks), 1):
        source = assignments.text_of(answer)
        assert source.startswith(("answer_", "record_")) and SOLUTION.search(source), source
        assert cells.index(answer) < cells.index(check)
        assert assignments.text_of(check).endswith(f"lab.assert_correct('Exercise {number}')")
        assert check["metadata"]["nbgrader"]["locked"]
    assert all(g["locked"] for g in grading if not (g["solution"] or g["grade"]))
    assert len({g["grade_id"] for g in grading}) == len(cells)
    # The solutions' explanations are the instructor's: not in what the students get.
    assert not any("solution" in c["metadata"].get("tags", []) and c["cell_type"] == "markdown"
                   for c in cells)
    assert not any(":::{dropdown} Solution" in assignments.text_of(c) for c in cells)


@pytest.mark.parametrize("chapter", graded_chapters())
def test_graded_handout_and_solutions_editions_share_their_code(chapter, graded):
    # The hand-out's code is the graded source's without the solution regions, the solutions
    # edition's is the graded source's answer cells with only their solutions.
    quick = quick_parameters(chapter)
    graded_code = [unwrapped(s) for s in code_of(graded[chapter])]
    handout = code_of(edition.edition(chapter, "handout", quick))
    solved = code_of(edition.edition(chapter, "solutions", quick))
    assert [SOLUTION.sub("", s) for s in graded_code] == handout
    assert [m[1] if (m := SOLUTION.search(s)) else s for s in graded_code] == solved


def test_hidden_checks_are_left_out_of_the_release(tmp_path):
    chapter, name = "book/latent-space-size", "latent-space-size"
    assignments.write_course([chapter], tmp_path, hidden=True)
    source = json.loads((tmp_path / "source" / name / f"{name}.ipynb").read_text())
    (released,) = assignments.release([chapter], tmp_path)
    checks = [c for c in json.loads(released.read_text())["cells"]
              if c["metadata"].get("nbgrader", {}).get("grade")]
    assert len(checks) == 3
    for number, check in enumerate(checks, 1):
        text = assignments.text_of(check)
        assert "self_check(" not in text and "HIDDEN" not in text
        assert f"the check of exercise {number} runs when your notebook is graded" in text
    hidden = [assignments.text_of(c) for c in source["cells"] if "HIDDEN TESTS" in
              assignments.text_of(c)]
    assert len(hidden) == 3 and all("self_check(" in h for h in hidden)


def test_an_instructors_edit_of_the_course_is_kept(tmp_path, capsys):
    chapter = "book/autoencoding-gans"
    assignments.write_course([chapter], tmp_path)
    config = tmp_path / "nbgrader_config.py"
    config.write_text(config.read_text() + "c.Exchange.root = '/srv/exchange'\n")
    notebook = tmp_path / "source" / "autoencoding-gans" / "autoencoding-gans.ipynb"
    untouched = notebook.read_text()
    written = assignments.write_course([chapter], tmp_path, hidden=True)   # a new version
    assert "c.Exchange.root" in config.read_text() and config not in written
    assert notebook in written and notebook.read_text() != untouched   # not edited: refreshed
    assert edition.main(["nbgrader", chapter, "--out", str(tmp_path), "--force"]) == 0
    assert "c.Exchange.root" not in config.read_text()
    capsys.readouterr()


def test_a_chapter_without_exercises_or_points_is_refused(tmp_path, monkeypatch):
    with pytest.raises(assignments.AssignmentError, match="book/intro: no exercises to grade"):
        assignments.write_course(["book/intro"], tmp_path)
    table = tmp_path / "points.json"
    table.write_text(json.dumps({"book/latent-space-size": [1, 2]}))
    monkeypatch.setattr(assignments, "POINTS", table)
    with pytest.raises(assignments.AssignmentError, match="exercise 3 has no points"):
        graded_notebook("book/latent-space-size")


# The instructor's round trip on the chapter whose QUICK run is shortest; every chapter's
# notebook is checked above.
CHAPTER = "book/adversarial-autoencoders"
NAME = "adversarial-autoencoders"
WRONG = 2   # the exercise the third submission gets wrong


def scores(course) -> dict[str, tuple[float, float]]:
    """student -> (score, max score) of the assignment, as `nbgrader export` writes them."""
    assert assignments.nbgrader(course, "export", "--to", "grades.csv").returncode == 0
    with open(course / "grades.csv") as handle:
        return {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(handle) if row["assignment"] == NAME}


def test_release_autograde_and_feedback_round_trip(tmp_path, monkeypatch):
    course = tmp_path / "course"
    assignments.write_course([CHAPTER], course)
    (released,) = assignments.release([CHAPTER], course)
    source = course / "source" / NAME / f"{NAME}.ipynb"
    text = released.read_text()
    assert "### BEGIN SOLUTION" not in text and "# your code here" in text
    # Three students: the solutions, the release untouched, one wrong answer.
    wrong = json.loads(source.read_text())
    answer = [c for c in wrong["cells"] if c["metadata"]["nbgrader"]["solution"]][WRONG - 1]
    answer["source"] = assignments.text_of(answer) + f"\nanswer_{WRONG} = 123.0  # a slip"
    for student, notebook in (("solved", source.read_text()), ("untouched", text),
                              ("one-wrong", json.dumps(wrong))):
        folder = course / "submitted" / student / NAME
        folder.mkdir(parents=True)
        (folder / f"{NAME}.ipynb").write_text(notebook)
    for name, value in ONE_TORCH_THREAD.items():   # beside the lab run's kernels
        monkeypatch.setenv(name, value)
    start = time.perf_counter()
    done = assignments.nbgrader(course, "autograde", NAME, "--create")
    record_chapter_seconds(CHAPTER, "nbgrader autograde of 3 submissions",
                           time.perf_counter() - start)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    points = assignments.exercise_points(CHAPTER)
    total = float(sum(points))
    assert scores(course) == {"solved": (total, total), "untouched": (0.0, total),
                              "one-wrong": (total - points[WRONG - 1], total)}
    # The untouched release fails its checks only: every setup cell ran.
    autograded = json.loads((course / "autograded" / "untouched" / NAME /
                             f"{NAME}.ipynb").read_text())
    failed = [c["metadata"]["nbgrader"]["grade_id"] for c in autograded["cells"]
              if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    checks = [c["metadata"]["nbgrader"]["grade_id"] for c in autograded["cells"]
              if c["metadata"]["nbgrader"].get("grade")]
    assert failed == checks and len(checks) == len(points)
    done = assignments.nbgrader(course, "generate_feedback", NAME)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    page = (course / "feedback" / "one-wrong" / NAME / f"{NAME}.html").read_text()
    assert f"{NAME} (Score: {total - points[WRONG - 1]} / {total})" in page
    assert f"Exercise {WRONG}: not correct" in page
    # The prose's numbers as the student's run gave them (no jupyterlab-myst there).
    assert "{eval}" not in page
    sentence = re.search(r"With 100 labels the AAE errs on ([^ <]+) of the test digits", page)
    assert sentence and not sentence[1].endswith(edition.BEFORE_RUN), sentence
    shutil.rmtree(course / "autograded")   # 2 MB a notebook of outputs

