"""Every chapter in the TOC runs under papermill with its parameters overridden."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "book"))
from chapters import quick_parameters, toc_chapters  # noqa: E402


@pytest.mark.parametrize("chapter", toc_chapters())
def test_chapter_runs_under_papermill(chapter, tmp_path, cache):
    bindir = Path(sys.executable).parent
    source = REPO / f"{chapter}.md"
    notebook, executed = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    subprocess.run([str(bindir / "jupytext"), "--to", "ipynb", str(source), "-o", str(notebook)],
                   check=True, capture_output=True)
    params = [a for k, v in quick_parameters(chapter).items() for a in ("-p", k, str(v))]
    proc = subprocess.run([str(bindir / "papermill"), str(notebook), str(executed),
                           "--cwd", str(source.parent), *params],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, f"{chapter} failed under papermill:\n{proc.stderr[-3000:]}"
    cells = json.loads(executed.read_text())["cells"]
    injected = [c for c in cells if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == (1 if params else 0)
    errors = [o for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])
              if o["output_type"] == "error"]
    assert errors == []
