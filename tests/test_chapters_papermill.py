"""Every chapter in the TOC runs under papermill with its QUICK parameters injected, without
an error output; the executed notebooks are shared with the chapters' fact tests."""

import pytest

from gae_lib.book import quick_parameters, toc_chapters


@pytest.mark.parametrize("chapter", toc_chapters())
def test_chapter_runs_under_papermill(chapter, executed_chapter):
    notebook = executed_chapter(chapter)
    cells = notebook["cells"]
    injected = [c for c in cells if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == (1 if quick_parameters(chapter) else 0)
    errors = [o for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])
              if o["output_type"] == "error"]
    assert errors == []
