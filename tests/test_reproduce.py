"""`make reproduce` compares a chapter's glued numbers with its committed full-mode reference."""

import json
import subprocess
import sys

import pytest

from conftest import REPO

from gae_lib.reproduce import differences


def test_differences_lists_changed_and_missing_values():
    rows = {
        r[0]: r for r in differences({"a": 1.0, "b": 2, "gone": 3}, {"a": 1.5, "b": 2, "new": "x"})
    }
    assert rows["a"][3] == 0.5 and rows["a"][4] == 0.5
    assert rows["b"][3] == 0
    assert rows["gone"][2] is None and rows["new"][1] is None


def test_reproduce_prints_the_differences_of_a_run_against_the_reference(
    executed_chapter, tmp_path
):
    notebook = tmp_path / "quick.ipynb"
    notebook.write_text(json.dumps(executed_chapter("book/comparison-of-encodings")))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "gae_lib.reproduce",
            "book/comparison-of-encodings",
            "--from-notebook",
            str(notebook),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert "mse_AE_digits" in proc.stdout and "differ by more than 5%" in proc.stdout
    # QUICK vs full: the sample sizes differ, and the report says so.
    assert any("n_eval" in line and "<-" in line for line in proc.stdout.splitlines())


def test_reproduce_refuses_a_chapter_outside_the_toc():
    from gae_lib.reproduce import main

    # SystemExit(message): Python prints the message to stderr and exits with status 1.
    with pytest.raises(SystemExit, match="book/nope: expected a chapter of _toc.yml"):
        main(["book/nope", "--from-notebook", "x"])
