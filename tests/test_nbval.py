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
    notebook = tmp_path / f"{Path(chapter).name}.ipynb"
    notebook.write_text(json.dumps(executed_chapter(chapter)))
    outputs = sum(bool(c.get("outputs")) for c in executed_chapter(chapter)["cells"])
    assert outputs >= 3, f"{chapter}: the executed notebook has {outputs} cells with outputs"
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
