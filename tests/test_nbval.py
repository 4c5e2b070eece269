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

from conftest import REPO, record_chapter_seconds

from gae_lib.book import toc_chapters


@pytest.mark.parametrize("chapter", toc_chapters())
def test_chapter_outputs_reproduce_under_nbval(chapter, executed_chapter, tmp_path):
    executed = executed_chapter(chapter)
    outputs = sum(bool(c.get("outputs")) for c in executed["cells"])
    assert outputs >= 3, f"{chapter}: the executed notebook has {outputs} cells with outputs"
    notebook = tmp_path / f"{Path(chapter).name}.ipynb"
    notebook.write_text(json.dumps(only_checked_outputs(executed)))
    marked = notebook.read_text().count("NBVAL_CHECK_OUTPUT")
    assert marked >= 1, f"{chapter}: no cell is marked NBVAL_CHECK_OUTPUT"
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", str(notebook), "--sanitize-with",
         str(REPO / "book" / "nbval-sanitize.cfg"), "-p", "no:cacheprovider", "-q",
         "--rootdir", str(notebook.parent), "--nbval-current-env"],
        cwd=REPO / "book", capture_output=True, text=True, timeout=1800,
        env={**os.environ, "GAE_QUICK": "1"})
    record_chapter_seconds(chapter, "nbval re-execution", time.perf_counter() - started)
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
