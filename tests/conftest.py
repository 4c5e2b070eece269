import os
import shutil
import tempfile
import time
from pathlib import Path

import labrun
import pytest
from labrun import ONE_TORCH_THREAD

from gae_lib import data, verdict
from gae_lib.book import parameter_names as parameters_of  # noqa: F401 (chapter tests)

REPO = Path(__file__).resolve().parents[1]

# The favuzzi2019 chapter's line-up of encodings (the tests build theirs from it).
FAVUZZI_LINE_UP = {
    "AE": ("neural", "favuzzi2019/ae"),
    "E_NN": ("neural", "favuzzi2019/enn"),
    "E_GD": ("gradient-descent", "favuzzi2019/dcgan"),
    "hybrid": ("neural", "favuzzi2019/hybrid"),
    "hybrid E_GD": ("gradient-descent", "favuzzi2019/hybrid"),
    "VAE": ("neural", "favuzzi2019/vae"),
}


def self_checks_waiting(notebook: dict) -> int:
    """How many exercise self-checks of an executed chapter said they wait for an answer."""
    texts = ["".join(o.get("text", "")) for c in notebook["cells"]
             for o in c.get("outputs", []) if o.get("name") == "stdout"]
    return sum("Not attempted yet" in t for t in texts)


def assert_claims_table_counts(glued: dict, claims: dict) -> None:
    """The paper-vs-book table lists every claim, in order; it counts the document's compared
    claims (never the book's own findings), and every verdict follows from its per-run values
    by the declared rule."""
    table = glued["claims"]
    assert list(table) == list(claims)
    counted = [c for c in table.values() if c["agrees"] is not None and not c["own_finding"]]
    assert glued["n_compared"] == len(counted)
    assert glued["n_agree"] == sum(c["agrees"] is True for c in counted)
    assert (glued["n_holds"], glued["n_fails"], glued["n_inconclusive"]) == tuple(
        sum(c["verdict"] == v for c in counted) for v in verdict.VERDICTS)
    assert_verdicts_follow_the_rule(table, claims)


def assert_verdicts_follow_the_rule(table: dict, claims: dict) -> None:
    """Each compared claim's verdict recomputed from its per-run values by its declared rule
    (a reference JSON's too); a claim without per-run values is inconclusive by rule."""
    for claim_id, record in table.items():
        assert bool(record["own_finding"]) == claims[claim_id].own_finding, claim_id
        if record["agrees"] is None:
            assert record["verdict"] is None, claim_id
            continue
        rule = claims[claim_id].rule
        if record["first"] is None:   # checked by hand: one run
            assert record["verdict"] == verdict.INCONCLUSIVE, claim_id
            assert record["reason"].startswith("by rule"), claim_id
            continue
        assert rule is not None and record["rule"] == rule.as_dict(), claim_id
        again = verdict.from_record(record)
        assert (again.verdict, again.agrees) == (record["verdict"], record["agrees"]), claim_id
        assert record["value"] == pytest.approx(sum(record["first"]) / len(record["first"]))
        fixed = rule.fixed_second or rule.relation == "≈"
        runs = len(record["first"]) if fixed else min(len(record["first"]), len(record["second"]))
        if runs < verdict.MIN_RUNS:
            assert record["verdict"] == verdict.INCONCLUSIVE, claim_id


# chapter -> {what: seconds} for the executions `make test` pays per chapter (printed at the end).
CHAPTER_SECONDS: dict[str, dict[str, float]] = {}
KERNEL_CPU_SECONDS: dict[str, float] = {}   # chapter -> its lab kernel's CPU time in Run All
LAB_CPU_SECONDS: dict[str, float] = {}      # the lab run's processes' CPU time, by kind


def record_chapter_seconds(chapter: str, what: str, seconds: float) -> None:
    CHAPTER_SECONDS.setdefault(chapter, {})[what] = seconds


def pytest_terminal_summary(terminalreporter):
    if not CHAPTER_SECONDS:
        return
    terminalreporter.section("what each chapter costs the test run (wall seconds)")
    in_the_lab = any("JupyterLab Run All" in parts for parts in CHAPTER_SECONDS.values())
    how = "all at once in JupyterLab" if in_the_lab else f"{SIDE_BY_SIDE} at a time under papermill"
    terminalreporter.write_line(f"(chapters run {how}, one torch thread each: times overlap)")
    for chapter, parts in CHAPTER_SECONDS.items():
        detail = ", ".join(f"{what} {s:.0f} s" for what, s in parts.items())
        total = "" if chapter.startswith("(") else f"{sum(parts.values()):.0f} s: "
        cpu = KERNEL_CPU_SECONDS.get(chapter)
        cpu = "" if cpu is None else f" (its kernel: {cpu:.0f} s of CPU)"
        terminalreporter.write_line(f"{chapter}: {total}{detail}{cpu}")
    if LAB_CPU_SECONDS:
        kinds = ", ".join(f"{kind} {s:.0f} s" for kind, s in LAB_CPU_SECONDS.items())
        terminalreporter.write_line(f"(all chapters): CPU time of the lab run's processes: {kinds}")


def cli_in_process(capsys, *args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``python -m gae_lib ARGS`` run by its ``main`` in this
    process: the same parser and code, without a new interpreter importing torch (~8 s a
    call on 2 busy cores).  One test runs the real ``python -m`` command."""
    from gae_lib.__main__ import main

    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


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


# Where papermill runs the chapters (no Chromium, outside CI), they execute two at a time,
# each kernel with one torch thread: on 2 cores that keeps
# both busy without the oversubscription that slows torch's threads ~12x when two 2-thread
# processes share the cores.  Measured (QUICK, papermill): favuzzi2019 chapter 102 s and the
# wanare chapter 45 s one after the other with 2 threads (146 s); side by side with 1 thread
# each, 111 s and 49 s (111 s).
SIDE_BY_SIDE = 2


def side_by_side(jobs: dict):
    """{name: job()} with the jobs run SIDE_BY_SIDE at a time, in the order given (put the
    longest first)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(SIDE_BY_SIDE) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def uses_fixture(session, name: str) -> bool:
    return any(name in getattr(item, "fixturenames", ()) for item in session.items)


def browser_available() -> bool:
    """Chromium and Playwright are installed (CI must have both: the browser fixture says)."""
    import importlib.util

    return labrun.chromium() is not None and importlib.util.find_spec("playwright") is not None


def chapters_the_session_runs(session) -> list[str]:
    """Every chapter of the TOC when the session builds the book; else those its tests of
    executed chapters name (a ``chapter`` parameter, or their module's CHAPTER)."""
    from gae_lib.book import toc_chapters

    if uses_fixture(session, "built_site"):
        return toc_chapters()
    named = set()
    for item in session.items:
        if not {"executed_chapter", "lab_run"} & set(getattr(item, "fixturenames", ())):
            continue
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "chapter" in callspec.params:
            named.add(callspec.params["chapter"])
        elif getattr(item.module, "CHAPTER", None):
            named.add(item.module.CHAPTER)
    return [c for c in toc_chapters() if c in named]


# The tests that read executed chapters (or the book built from them) run last, so that the
# lab run, started in the background as the session starts, executes the chapters while the
# unit tests run.
NEEDS_CHAPTERS = {"executed_chapter", "lab_run", "built_site"}
LAB: dict = {}   # "process": the session's background lab run, until its results are read


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: bool(NEEDS_CHAPTERS & set(getattr(item, "fixturenames", ()))))


# Free disk space a session that runs the chapters needs: measured, a whole `make test` wrote
# ~0.5 GB (executed chapters, the lab run, a built site, Chromium's profiles); with the disk
# full, Chromium fails to start with no word of why.  Twice that, for room.
CHAPTER_RUN_BYTES = 1 << 30


def too_little_space(folders: list[Path], needed: int) -> str | None:
    """What to tell the user when a folder's disk has less than ``needed`` bytes free."""
    for folder in folders:
        free = shutil.disk_usage(folder).free
        if free < needed:
            return (f"{folder} has {free / 2**30:.2f} GB free on its disk; the tests that run "
                    f"the chapters need about {needed / 2**30:.0f} GB there. Free some space "
                    f"(or set TMPDIR to a folder on a larger disk) and run them again.")
    return None


@pytest.fixture(scope="session", autouse=True)
def lab_in_the_background(request, tmp_path_factory):
    """Start the lab run of every chapter the session needs (labrun.Background, niced), with one
    torch and BLAS thread in this process until it ends.  Measured in `make test`: with two
    threads each, the scikit-learn tests took 107 s instead of 13 s beside the kernels."""
    chapters = chapters_the_session_runs(request.session)
    if chapters:
        problem = too_little_space([Path(tempfile.gettempdir()), REPO], CHAPTER_RUN_BYTES)
        if problem:
            pytest.exit(problem, returncode=1)
    if chapters and (browser_available() or os.environ.get("CI") == "true"):
        import sklearn.linear_model  # noqa: F401 (loads SciPy's BLAS, so that it is limited too)
        import threadpoolctl
        import torch

        request.getfixturevalue("cache")   # the data, verified, before any kernel reads it
        LAB["threads"] = torch.get_num_threads()
        torch.set_num_threads(1)
        LAB["blas"] = threadpoolctl.threadpool_limits(1)
        LAB["process"] = labrun.Background(tmp_path_factory.mktemp("lab-run"), chapters)
        LAB["started"] = time.time()
    yield
    if "process" in LAB:
        LAB.pop("process").stop()


def give_the_threads_back() -> None:
    """Torch's and BLAS's threads as they were before the lab run (once)."""
    if "threads" in LAB:
        import torch

        torch.set_num_threads(LAB.pop("threads"))
        LAB.pop("blas").restore_original_limits()


def pytest_runtest_setup(item):
    """The tests after the lab run has ended get both cores back (measured: the zoo's
    checks 96 s instead of 143 s)."""
    if "process" in LAB and LAB["process"].process.poll() is not None:
        give_the_threads_back()


@pytest.fixture(scope="session")
def lab_run(tmp_path_factory, cache, chromium):
    """chapter -> labrun.LabRun: the chapter's lab edition run in JupyterLab (QUICK
    parameters, one torch thread per kernel); ``page_errors``: the page's JavaScript errors.
    The chapters the session needs run all at once, in the background from its start; this
    is each chapter's one execution in `make test`."""
    runs: dict = {}

    def run(chapter: str):
        if chapter not in runs and "process" in LAB:
            began = time.perf_counter()
            background = LAB.pop("process")
            done, errors = background.results()
            record_chapter_seconds("(all chapters)", "lab run in the background",
                                   background.ended - LAB.pop("started"))
            LAB_CPU_SECONDS.update(background.cpu_seconds)
            give_the_threads_back()
            runs.update(done)
            run.page_errors.extend(errors)
            for c, r in done.items():
                record_chapter_seconds(c, "JupyterLab Run All", r.seconds)
                record_chapter_seconds(c, "solutions", r.solutions_seconds)
                if r.kernel_cpu_seconds is not None:
                    KERNEL_CPU_SECONDS[c] = r.kernel_cpu_seconds
            record_chapter_seconds("(all chapters)", "tests waiting for the lab run",
                                   time.perf_counter() - began)
        if chapter not in runs:   # a chapter the session's tests did not name
            alone = labrun.Background(tmp_path_factory.mktemp("lab-run"), [chapter])
            done, errors = alone.results()
            runs.update(done)
            run.page_errors.extend(errors)
        return runs[chapter]

    run.page_errors = []
    return run


@pytest.fixture(scope="session")
def executed_chapter(request, tmp_path_factory, cache):
    """chapter -> its notebook executed once per session with its QUICK parameters: the
    notebook JupyterLab saved after Run All (lab_run; its code cells are the chapter's), or,
    where Chromium is not installed (never on CI), a papermill run.  A failure names the
    chapter and its failing cell."""
    if browser_available() or os.environ.get("CI") == "true":
        lab_run = request.getfixturevalue("lab_run")

        def from_the_lab(chapter: str) -> dict:
            done = lab_run(chapter)
            assert done.finished, f"{chapter}: Run All did not finish in {done.seconds:.0f} s"
            assert not labrun.errors(done.saved), (
                f"{chapter} failed in JupyterLab: {failing_cell(done.saved)}")
            return done.saved

        return from_the_lab
    return papermill_runs(request, tmp_path_factory)


def papermill_runs(request, tmp_path_factory):
    """chapter -> its notebook executed by papermill with its QUICK parameters, the chapters
    the session needs side by side at the first call."""
    import json
    import subprocess
    import time

    from gae_lib.book import papermill_command, quick_parameters, to_notebook

    done = {}

    def execute(chapter: str):
        source = REPO / f"{chapter}.md"
        folder = tmp_path_factory.mktemp(source.stem)
        notebook, executed = folder / "in.ipynb", folder / "out.ipynb"
        to_notebook(source, notebook)
        started = time.perf_counter()
        proc = subprocess.run(
            papermill_command(notebook, executed, source.parent, quick_parameters(chapter)),
            capture_output=True,
            text=True,
            timeout=1800,
            env={**os.environ, **ONE_TORCH_THREAD},
        )
        record_chapter_seconds(chapter, "papermill QUICK run", time.perf_counter() - started)
        return proc, json.loads(executed.read_text()) if executed.exists() else None

    def run(chapter: str) -> dict:
        if chapter not in done:
            todo = labrun.longest_first(set(chapters_the_session_runs(request.session)) | {chapter})
            done.update(side_by_side({c: (lambda c=c: execute(c)) for c in todo if c not in done}))
        proc, notebook = done[chapter]
        assert proc.returncode == 0, (
            f"{chapter} failed under papermill: {failing_cell(notebook)}\n{proc.stderr[-1500:]}"
        )
        return notebook

    return run


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, executed_chapter) -> Path:
    """The book built once per session, warnings as errors, from an execution cache seeded with
    the chapters' QUICK runs (executed_chapter), so `make test` executes each chapter once.
    Full mode is `make book`'s."""
    import os
    import subprocess
    import sys
    import time

    import yaml

    from gae_lib.book import toc_chapters

    out = tmp_path_factory.mktemp("book")
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    config["execute"]["cache"] = str(out / "jupyter_cache")
    (out / "_config.yml").write_text(yaml.safe_dump(config))
    for chapter in toc_chapters():
        seed_execution_cache(
            out / "jupyter_cache", REPO / f"{chapter}.md", executed_chapter(chapter)
        )
    jb = Path(sys.executable).with_name("jupyter-book")
    started = time.perf_counter()
    proc = subprocess.run(
        [
            str(jb),
            "build",
            str(REPO),
            "-W",
            "--path-output",
            str(out),
            "--config",
            str(out / "_config.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, "GAE_QUICK": "1"},
    )
    record_chapter_seconds(
        "(all chapters)", "book build from the seeded cache", time.perf_counter() - started
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "build succeeded" in proc.stdout
    return out / "_build" / "html"


def seed_execution_cache(cache_path: Path, source: Path, executed: dict) -> None:
    """Store a chapter's executed notebook in a Jupyter Book execution cache under the key the
    build computes for ``source`` (myst-nb's reading of the .md: its code cells and their
    metadata), so the build takes the outputs instead of executing it again.  The cell that
    sets the QUICK parameters is dropped, and the lab edition's moved NBVAL_CHECK_OUTPUT
    lines ignored: every other code cell lines up."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig

    reader = create_nb_reader(str(source), MdParserConfig(), NbParserConfig(), source.read_text())
    notebook = reader.read(source.read_text())
    ran = [
        c
        for c in executed["cells"]
        if c["cell_type"] == "code" and "injected-parameters" not in c["metadata"].get("tags", [])
    ]
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert [labrun.unmarked({"source": c.source}) for c in code] == [
        labrun.unmarked(c) for c in ran], (
        f"{source}: the executed notebook's code cells do not match the chapter's"
    )
    for number, (cell, done) in enumerate(zip(code, ran), 1):
        cell.outputs = nbformat.from_dict(done["outputs"])
        cell.execution_count = number
    get_cache(str(cache_path)).cache_notebook_bundle(
        CacheBundleIn(notebook, str(source), data={"execution_seconds": None}), overwrite=True
    )


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
                return (
                    f"code cell {number} of {len(code)} raised {out['ename']}: {out['evalue']}\n"
                    f"    {head}"
                )
    return "no cell holds an error output"


# Headless Chromium for the website's and JupyterLab's tests (test_browser, test_lab).


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true, so the browser tests must run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = labrun.chromium()
    if path is None:
        unavailable(
            "Chromium not found (install Debian's `chromium` package to run the browser tests)"
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield b
        b.close()
