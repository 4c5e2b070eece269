"""nbval: the notebooks papermill executed with the chapters' QUICK parameters (the same runs
that fill the test build's pages) are run again under `pytest --nbval-lax`; the cells marked
`# NBVAL_CHECK_OUTPUT` (deterministic: settings, seeded tables, model lists) must reproduce
their outputs, after book/nbval-sanitize.cfg masks addresses, tqdm bars and timings.
Widget, tqdm and timing cells are not marked, so only their errors count."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import (
    ONE_TORCH_THREAD,
    REPO,
    longest_first,
    record_chapter_seconds,
    side_by_side,
)

from gae_lib.book import toc_chapters


@pytest.fixture(scope="module")
def nbval_runs(request, executed_chapter, tmp_path_factory):
    """chapter -> (its executed notebook, nbval's process) for every chapter this session
    tests, run side by side (as the papermill runs: conftest.side_by_side)."""
    test = "test_chapter_outputs_reproduce_under_nbval"
    chapters = [item.callspec.params["chapter"] for item in request.session.items
                if getattr(item, "originalname", "") == test]
    notebooks, failed = {}, {}
    for chapter in chapters:
        try:
            notebooks[chapter] = executed_chapter(chapter)
        except AssertionError as error:        # its papermill run failed: nothing to re-run
            failed[chapter] = error
    chapters = [c for c in chapters if c not in failed]

    def nbval(chapter):
        notebook = tmp_path_factory.mktemp("nbval") / f"{Path(chapter).name}.ipynb"
        notebook.write_text(json.dumps(only_checked_outputs(notebooks[chapter])))
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "--nbval-lax", str(notebook), "--sanitize-with",
             str(REPO / "book" / "nbval-sanitize.cfg"), "-p", "no:cacheprovider", "-q",
             "--rootdir", str(notebook.parent), "--nbval-current-env"],
            cwd=REPO / "book", capture_output=True, text=True, timeout=1800,
            env={**os.environ, "GAE_QUICK": "1", **ONE_TORCH_THREAD})
        record_chapter_seconds(chapter, "nbval re-execution", time.perf_counter() - started)
        return notebook, proc

    runs = side_by_side({c: (lambda c=c: nbval(c)) for c in longest_first(chapters)})
    return {**failed, **{c: (notebooks[c], *runs[c]) for c in chapters}}


@pytest.mark.parametrize("chapter", toc_chapters())
def test_chapter_outputs_reproduce_under_nbval(chapter, nbval_runs):
    if isinstance(nbval_runs[chapter], AssertionError):
        raise nbval_runs[chapter]
    executed, notebook, proc = nbval_runs[chapter]
    outputs = sum(bool(c.get("outputs")) for c in executed["cells"])
    assert outputs >= 3, f"{chapter}: the executed notebook has {outputs} cells with outputs"
    marked = notebook.read_text().count("NBVAL_CHECK_OUTPUT")
    assert marked >= 1, f"{chapter}: no cell is marked NBVAL_CHECK_OUTPUT"
    assert proc.returncode == 0, f"nbval on {chapter}:\n{proc.stdout[-4000:]}"


def only_checked_outputs(notebook: dict) -> dict:
    """The notebook with the outputs of unmarked cells dropped: ``--nbval-lax`` compares only
    the marked ones, and nbval reading ~14 MB of figures it ignores cost 12 s of the
    favuzzi2019 chapter's run (measured: 106 s with, 94 s without)."""
    cells = [
        {**c, "outputs": []}
        if c["cell_type"] == "code" and "NBVAL_CHECK_OUTPUT" not in "".join(c["source"])
        else c
        for c in notebook["cells"]
    ]
    return {**notebook, "cells": cells}
