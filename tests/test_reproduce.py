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
    # a null on both sides (a claim without a "versus") is not a value present on one side
    assert differences({"c": {"versus": None, "value": 1}}, {"c": {"versus": None, "value": 1}}) \
        == [("c.value", 1, 1, 0, 0.0)]


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


def test_the_zoo_check_compares_every_recorded_metric_and_only_those(monkeypatch):
    # A metric the library added since a model shipped is not a difference; a recorded one
    # the model no longer gives, or one off by more than its tolerance, is.
    from types import SimpleNamespace

    from gae_lib import families, zoo
    from gae_lib.reproduce import zoo_differences

    recorded = {"mean_max_probability": 0.9, "test_reconstruction_mse": 0.1, "modes_covered": 7}
    shipped = {"generator": None}
    model = SimpleNamespace(config=None, info={"metrics": recorded}, items=shipped.items)
    now = {"mean_max_probability": 0.9, "test_reconstruction_mse": 0.2, "test_codes_mmd2": 0.01}
    # a discriminator trained but not shipped does not excuse a missing metric
    family = SimpleNamespace(evaluate=lambda *a: now, trained=("generator", "discriminator"))
    monkeypatch.setattr(zoo, "available", lambda: ["doc/model"])
    monkeypatch.setattr(zoo, "load", lambda name, *a, **k: model)
    monkeypatch.setattr(families, "family_of", lambda cfg: family)
    rows = {key: ok for _, key, _, _, ok in zoo_differences()}
    assert rows == {"mean_max_probability": True, "test_reconstruction_mse": False,
                    "modes_covered": False}
    # A metric of a network trained but not shipped cannot be recomputed: said, not failed.
    family.trained = ("generator", "encoder")
    rows = {key: ok for _, key, _, _, ok in zoo_differences()}
    assert rows["modes_covered"] is None and rows["test_reconstruction_mse"] is False
