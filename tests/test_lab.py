"""The chapters as a course lab meets them (tests/labrun.py): each chapter's lab edition
(gae_lib.edition) opened in a real JupyterLab (with jupyterlab-myst) in headless Chromium, read
(no raw MyST markup, solutions closed, bookkeeping collapsed), then *Run All* in QUICK mode
and saved; then each exercise's solution (the solutions edition's answer cell) and its
self-check run in the same kernel, and the self-check must say "Correct".

This run is each chapter's one execution in `make test`: the facts tests read the saved
notebooks and the test build's execution cache is seeded from them (conftest.py).
Screenshots go to _build/screenshots/lab-*.png.
"""
import os
import re
import time

import pytest
from labrun import RUN_ALL_TIMEOUT_S, errors, unmarked

from gae_lib import edition
from gae_lib.book import quick_parameters, to_notebook, toc_chapters

from conftest import REPO

RAW = ("{glue", "{cite}", ":::{", "```{")


@pytest.mark.parametrize("chapter", toc_chapters())
def test_lab_edition_reads_like_the_website(chapter, lab_run):
    seen = lab_run(chapter).seen
    raw = [marker for marker in RAW if marker in seen["text"]]
    assert not raw, f"{chapter}: raw MyST markup visible in JupyterLab: {raw}"
    assert "full-mode run" in seen["text"], "the note on where the prose numbers come from"
    for tags, hidden in seen["hidden"]:
        assert hidden == bool(edition.HIDDEN_TAGS & set(tags)), (tags, hidden)
    for dropdowns in seen["solutions"]:
        assert dropdowns and all(not d["open"] for d in dropdowns), dropdowns
        assert all(d["code"] not in seen["text"] for d in dropdowns if d["code"].strip())
    if chapter != "book/intro":
        assert len(seen["solutions"]) >= 3, f"{chapter}: its exercises' solutions"
    assert not lab_run.page_errors, lab_run.page_errors


@pytest.mark.parametrize("chapter", toc_chapters())
def test_lab_edition_runs_all_cells_without_error(chapter, lab_run):
    done = lab_run(chapter)
    assert done.finished, f"{chapter}: Run All did not finish in {RUN_ALL_TIMEOUT_S} s"
    assert not errors(done.saved), f"{chapter}: errors in JupyterLab: {errors(done.saved)}"
    code = [c for c in done.saved["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code), f"{chapter}: cells not run"


@pytest.mark.parametrize("chapter", [c for c in toc_chapters() if c != "book/intro"])
def test_each_solution_passes_its_self_check_in_the_lab(chapter, lab_run):
    checks = lab_run(chapter).checks
    assert checks is not None, f"{chapter}: Run All failed, so the solutions were not run"
    assert len(checks) >= 3, checks
    assert all("Correct:" in printed and "Not quite" not in printed for printed in checks), checks


@pytest.mark.parametrize("chapter", toc_chapters())
def test_the_lab_edition_runs_the_chapters_code(chapter, lab_run, tmp_path):
    """The notebook run in the lab (and read by the facts tests and the test build) has the
    chapter's code cells, in order, plus the one cell that sets the QUICK parameters."""
    import json

    to_notebook(REPO / f"{chapter}.md", tmp_path / "chapter.ipynb")
    chapter_code = [c for c in json.loads((tmp_path / "chapter.ipynb").read_text())["cells"]
                    if c["cell_type"] == "code"]
    lab_code = [c for c in lab_run(chapter).saved["cells"] if c["cell_type"] == "code"]
    injected = [c for c in lab_code if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == (1 if quick_parameters(chapter) else 0)
    assert [unmarked(c) for c in lab_code if c not in injected] == [
        unmarked(c) for c in chapter_code], f"{chapter}: the lab edition's code cells differ"
    marked = [c for c in lab_code if edition.CHECK_OUTPUT in "".join(c["source"])]
    assert marked, f"{chapter}: no cell is marked NBVAL_CHECK_OUTPUT (for nbval by hand)"


def shown_after_the_run(saved: dict) -> list[tuple[str, str, str | None, str | None]]:
    """(glued name, text the prose shows, the run's value as glued before that cell or None,
    the run's value glued anywhere or None) for every number in the prose of a chapter saved
    after Run All, but the prose after its last code cell (jupyterlab-myst evaluates a cell's
    numbers as Run All reaches it)."""
    from myst_nb.core.variables import format_plain_text

    from gae_lib.book import glued_texts

    everywhere = {k: v for cell in saved["cells"] for k, v in glued_texts(cell).items()}
    before, found = {}, []
    last_code = max(i for i, c in enumerate(saved["cells"]) if c["cell_type"] == "code")
    for cell in saved["cells"][:last_code]:
        before.update(glued_texts(cell))
        for expression in cell["metadata"].get("user_expressions", []):
            name, spec, _ = edition.live_arguments(expression["expression"])
            shown = "".join(expression["result"]["data"]["text/plain"])
            found.append((name, shown, *(format_plain_text(values[name], spec)
                                         if name in values else None
                                         for values in (before, everywhere))))
    return found


@pytest.mark.parametrize("chapter", toc_chapters())
def test_the_prose_shows_the_students_numbers_after_run_all(chapter, lab_run):
    found = shown_after_the_run(lab_run(chapter).saved)
    ran = [(name, shown, value) for name, shown, value, _ in found if value is not None]
    assert len(ran) >= 3, f"{chapter}: too few numbers in the prose after their cell: {found}"
    wrong = [(name, shown, value) for name, shown, value in ran if shown != value]
    assert not wrong, f"{chapter}: prose numbers not those of the run: {wrong[:5]}"
    # a number glued further down is the book's, marked so, or (if Run All had reached its
    # cell when the sentence's numbers were asked for) the run's
    later = [(name, shown, anywhere) for name, shown, before, anywhere in found if before is None]
    assert all(shown.endswith(edition.BEFORE_RUN) or shown == anywhere
               for name, shown, anywhere in later), later


def test_the_sentence_and_the_table_beside_it_show_the_same_run(lab_run):
    saved = lab_run("book/adversarial-autoencoders").saved
    shown = {name: text for name, text, *_ in shown_after_the_run(saved)}
    table = next("".join(out["data"]["text/markdown"]) for cell in saved["cells"]
                 for out in cell.get("outputs", []) if "label draws" in
                 "".join(out.get("data", {}).get("text/markdown", "")))
    draws = re.search(r"mean ± std over (\d+) label draws", table)[1]
    assert shown["n_draws"] == draws   # 2 in QUICK mode; the book's run has 3
    row = next(line for line in table.splitlines() if line.startswith("| 100 labels"))
    mean = float(row.split("|")[2].split("±")[0])   # the AAE (this book) column, in %
    # the sentence's 23.5% beside the table's 23.47 (each rounded once)
    assert abs(float(shown["semi_100_AAE_mean"].rstrip("%")) - mean) <= 0.051


def test_processes_the_lab_run_starts_in_sessions_of_their_own_are_niced():
    """Jupyter starts each kernel (and Playwright Chromium) with setsid; where Linux groups
    scheduling by session (autogroup), only the group's nice value counts against the test
    session's, so the lab run sets it for those groups -- not for its own group, which it
    shares with the tests."""
    import subprocess
    import sys

    from labrun import NICE, autogroup, descendants, nice_their_autogroups

    own = autogroup("self")
    apart = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"],
                             start_new_session=True)
    inside = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert {apart.pid, inside.pid} <= set(descendants(os.getpid()))
        if own is None:   # no autogroups on this kernel: nice alone works, nothing to change
            assert nice_their_autogroups() == 0
            return
        for _ in range(20):          # unprivileged writes are rate-limited (0.1 s)
            nice_their_autogroups()
            if autogroup(apart.pid)[1] == NICE:
                break
            time.sleep(0.2)
        assert autogroup(apart.pid) == (autogroup(apart.pid)[0], NICE)
        assert autogroup(apart.pid)[0] != own[0]
        assert autogroup(inside.pid) == autogroup("self") == own   # the tests' group untouched
    finally:
        apart.kill()
        inside.kill()


def test_the_lab_runs_jupyterlab_with_autosave_off(tmp_path):
    """The lab run saves each notebook itself as its Run All ends; an autosave at the same
    moment made JupyterLab ask in a dialog whether to overwrite the file, and the run hung."""
    import json
    import urllib.request

    from labrun import jupyterlab

    (tmp_path / "lab").mkdir()
    with jupyterlab(tmp_path / "lab", {}) as url:
        plugin = f"{url}/lab/api/settings/@jupyterlab/docmanager-extension:plugin"
        settings = json.load(urllib.request.urlopen(plugin, timeout=60))
    assert settings["settings"]["autosave"] is False, settings["raw"]
