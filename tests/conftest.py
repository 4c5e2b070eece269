import shutil
from pathlib import Path

import pytest

from gae_lib import data

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def cache() -> Path:
    """The real data cache, fetched (and verified) once per test session."""
    data.fetch(["mnist", "fashion-mnist"])
    return data.data_root()


@pytest.fixture
def mnist_copy(cache, tmp_path, monkeypatch) -> Path:
    """A private cache holding a copy of the verified MNIST files."""
    shutil.copytree(cache / "MNIST", tmp_path / "MNIST")
    monkeypatch.setenv("GAE_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="session")
def executed_chapter(tmp_path_factory, cache):
    """chapter -> its notebook executed once per session by papermill with its QUICK
    parameters; a failure names the chapter and papermill's report of the failing cell."""
    import json
    import subprocess
    import sys

    sys.path.insert(0, str(REPO / "book"))
    from chapters import quick_parameters

    bindir = Path(sys.executable).parent
    done = {}

    def run(chapter: str) -> dict:
        if chapter not in done:
            source = REPO / f"{chapter}.md"
            folder = tmp_path_factory.mktemp(source.stem)
            notebook, executed = folder / "in.ipynb", folder / "out.ipynb"
            subprocess.run([str(bindir / "jupytext"), "--to", "ipynb", str(source), "-o",
                            str(notebook)], check=True, capture_output=True)
            params = [a for k, v in quick_parameters(chapter).items() for a in ("-p", k, str(v))]
            proc = subprocess.run([str(bindir / "papermill"), str(notebook), str(executed),
                                   "--cwd", str(source.parent), *params],
                                  capture_output=True, text=True, timeout=1800)
            done[chapter] = (proc, json.loads(executed.read_text()) if executed.exists() else None)
        proc, notebook = done[chapter]
        assert proc.returncode == 0, (f"{chapter} failed under papermill: "
                                      f"{failing_cell(notebook)}\n{proc.stderr[-1500:]}")
        return notebook

    return run


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, cache) -> Path:
    """The book built once per session with a fresh execution cache (every cell runs), warnings
    as errors, chapters in QUICK mode (GAE_QUICK=1; full mode is `make book`'s)."""
    import os
    import subprocess
    import sys

    import yaml

    out = tmp_path_factory.mktemp("book")
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    config["execute"]["cache"] = str(out / "jupyter_cache")
    (out / "_config.yml").write_text(yaml.safe_dump(config))
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(REPO), "-W", "--path-output", str(out),
                           "--config", str(out / "_config.yml")], capture_output=True, text=True,
                          timeout=1800, env={**os.environ, "GAE_QUICK": "1"})
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "build succeeded" in proc.stdout
    return out / "_build" / "html"


def failing_cell(notebook: dict | None) -> str:
    """Which cell of an executed notebook raised: its number among the code cells, its
    first source lines and the error (papermill keeps the notebook up to the failure)."""
    if notebook is None:
        return "no executed notebook was written"
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    for number, cell in enumerate(code, 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                source = "".join(cell["source"]).strip().splitlines()
                head = "\n    ".join(source[:6])
                return (f"code cell {number} of {len(code)} raised {out['ename']}: {out['evalue']}\n"
                        f"    {head}")
    return "no cell holds an error output"
