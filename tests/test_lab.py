"""The chapters as a course lab meets them: each chapter's lab edition (gae_lib.edition) opened
in a real JupyterLab (with jupyterlab-myst) in headless Chromium, read (no raw MyST markup,
solutions closed, bookkeeping collapsed), then *Run All* in QUICK mode and saved; then each
exercise's solution (the solutions edition's answer cell) and its self-check run in the same
kernel, and the self-check must say "Correct".

This run is the chapters' second execution in `make test` (the papermill QUICK run is the
first): no cell may end in an error, and the cells marked `# NBVAL_CHECK_OUTPUT`
(deterministic: settings, seeded tables, model lists) must reproduce the papermill run's
outputs after book/nbval-sanitize.cfg masks addresses, progress bars, timings and temporary
paths.  Screenshots go to _build/screenshots/lab-*.png.
"""
import configparser
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ONE_TORCH_THREAD, REPO, record_chapter_seconds

from gae_lib import edition
from gae_lib.book import quick_parameters, toc_chapters

SCREENSHOTS = REPO / "_build" / "screenshots"
RUN_ALL_TIMEOUT_S = 1800   # three QUICK chapters side by side take ~3 min on 2 cores
RAW = ("{glue", "{cite}", ":::{", "```{")

# JavaScript run in the page: JupyterLab's application (expose_app_in_browser) and a notebook
# panel by path.
PANEL = ("const panel = Array.from(window.jupyterapp.shell.widgets('main'))"
         ".find(w => w.context && w.context.path === path);")


def on_panel(body: str, asynchronous: bool = False, argument: str = "path") -> str:
    """A JavaScript function of ``path`` (or of ``args`` holding ``args.path``) that finds the
    notebook panel, then runs ``body``."""
    find = PANEL if argument == "path" else f"const path = {argument}.path; {PANEL}"
    return ("async " if asynchronous else "") + f"{argument} => {{ {find} {body} }}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory, cache):
    """JupyterLab serving the lab editions of every chapter from a temporary folder; kernels
    with the QUICK parameters papermill gives them (book/quick-parameters.json), one torch
    thread each."""
    root = tmp_path_factory.mktemp("lab")
    edition.write_lab(toc_chapters(), root,
                      parameters={c: quick_parameters(c) for c in toc_chapters()})
    edition.write_lab_settings()
    port = free_port()
    log = open(root.parent / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password=",
         "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True", "--allow-root",
         # a fresh workspace and no personal settings: what a new student sees
         f"--LabApp.workspaces_dir={root.parent / 'workspaces'}",
         f"--LabApp.user_settings_dir={root.parent / 'user-settings'}"],
        stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, **ONE_TORCH_THREAD})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, f"JupyterLab exited: {log_text(root)}"
            time.sleep(0.5)
    else:
        pytest.fail(f"JupyterLab did not listen on port {port} in 120 s: {log_text(root)}")
    yield url, root
    server.terminate()
    server.wait(30)


def log_text(root: Path) -> str:
    return (root.parent / "jupyterlab.log").read_text()[-2000:]


def open_notebook(page, path: str) -> None:
    page.evaluate("path => { window.jupyterapp.commands.execute('docmanager:open', {path}); }",
                  path)
    page.wait_for_function(on_panel("return panel && panel.context.isReady && "
                                    "panel.sessionContext.session?.kernel?.status === 'idle';"),
                           arg=path, timeout=120_000)
    # jupyterlab-myst renders Markdown cells asynchronously: wait for every one.
    page.wait_for_function(on_panel("const md = panel.content.widgets.filter("
                                    "c => c.model.type === 'markdown'); return md.length && "
                                    "md.every(c => c.node.querySelector('.myst'));"),
                           arg=path, timeout=60_000)
    page.wait_for_timeout(1000)


def reading(page, path: str) -> dict:
    """What a student sees before running anything."""
    return page.evaluate(on_panel("""
        const cells = panel.content.widgets;
        const solutions = cells.filter(
            c => (c.model.getMetadata('tags') || []).includes('solution'));
        return {
          text: panel.content.node.innerText,
          solutions: solutions.map(c => Array.from(c.node.querySelectorAll('details')).map(
              d => ({open: d.open, summary: d.querySelector('summary').innerText,
                     code: d.querySelector('code')?.innerText || ''}))),
          hidden: cells.filter(c => c.model.type === 'code').map(c => [
              (c.model.getMetadata('tags') || []), c.inputHidden]),
        };"""), path)


@pytest.fixture(scope="module")
def lab_runs(lab_url, browser, executed_chapter):
    """chapter -> (what was read, the notebook JupyterLab saved after Run All, seconds), all
    chapters run at once (one kernel each)."""
    url, root = lab_url
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{url}/lab", wait_until="domcontentloaded")
    page.wait_for_function("window.jupyterapp && window.jupyterapp.started", timeout=120_000)
    page.evaluate("window.jupyterapp.started")
    for chapter in toc_chapters():
        executed_chapter(chapter)          # the papermill runs first (their outputs are compared)
    seen, started = {}, {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for chapter in toc_chapters():
        path = f"{Path(chapter).name}.ipynb"
        open_notebook(page, path)
        seen[chapter] = reading(page, path)
        page.screenshot(path=str(SCREENSHOTS / f"lab-{Path(chapter).name}.png"))
        started[chapter] = time.perf_counter()
        page.evaluate(on_panel("window.jupyterapp.shell.activateById(panel.id); "
                               "window.jupyterapp.commands.execute('notebook:run-all-cells');"),
                      path)
    finished = {}
    deadline = time.time() + RUN_ALL_TIMEOUT_S
    while len(finished) < len(started) and time.time() < deadline:
        for chapter in started.keys() - finished.keys():
            path = f"{Path(chapter).name}.ipynb"
            state = page.evaluate(on_panel("""
                const code = panel.content.widgets.filter(c => c.model.type === 'code');
                const errors = code.some(c => c.model.outputs.toJSON().some(
                    o => o.output_type === 'error'));
                return {idle: panel.sessionContext.session.kernel.status === 'idle',
                        pending: code.filter(c => c.model.executionCount === null).length,
                        errors};"""), path)
            if state["idle"] and (state["pending"] == 0 or state["errors"]):
                record_chapter_seconds(chapter, "JupyterLab Run All",
                                       time.perf_counter() - started[chapter])
                finished[chapter] = True
        time.sleep(2)
    runs = {}
    for chapter in started:
        path = f"{Path(chapter).name}.ipynb"
        page.evaluate(on_panel("await panel.context.save();", asynchronous=True), path)
        saved = json.loads((root / path).read_text())
        checks = solved_checks(page, chapter) if chapter in finished and not any(
            o["output_type"] == "error" for c in saved["cells"] for o in c.get("outputs", [])
        ) else None
        runs[chapter] = (seen[chapter], saved, chapter in finished, checks)
    page.evaluate(on_panel("window.jupyterapp.shell.activateById(panel.id);"),
                  f"{Path(toc_chapters()[-1]).name}.ipynb")
    page.screenshot(path=str(SCREENSHOTS / "lab-after-run-all.png"))
    runs["page errors"] = page.errors
    page.close()
    return runs


def solved_checks(page, chapter: str) -> list[str]:
    """After Run All, each exercise's solution (from the solutions edition) and then its
    self-check, run in the same kernel: what each self-check printed."""
    solved = edition.edition(chapter, "solutions")
    code = [c for c in solved["cells"] if c["cell_type"] == "code"]
    printed, started = [], time.perf_counter()
    for i, cell in enumerate(code):
        if "solution" in cell["metadata"].get("tags", []):
            run_in_kernel(page, chapter, source(cell))
            printed.append(run_in_kernel(page, chapter, source(code[i + 1])))
    record_chapter_seconds(chapter, "solutions", time.perf_counter() - started)
    return printed


def run_in_kernel(page, chapter: str, code: str) -> str:
    """Run ``code`` in the notebook's kernel; its printed text (and any error's name)."""
    return page.evaluate(on_panel("""
        const future = panel.sessionContext.session.kernel.requestExecute(
            {code: args.code, store_history: false});
        const out = [];
        future.onIOPub = msg => {
          const c = msg.content;
          if (msg.header.msg_type === 'stream') out.push(c.text);
          if (msg.header.msg_type === 'error') out.push(`${c.ename}: ${c.evalue}`);
        };
        await future.done;
        return out.join('');""", asynchronous=True, argument="args"),
        {"path": f"{Path(chapter).name}.ipynb", "code": code})


@pytest.mark.parametrize("chapter", toc_chapters())
def test_lab_edition_reads_like_the_website(chapter, lab_runs):
    seen = lab_runs[chapter][0]
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
    assert not lab_runs["page errors"], lab_runs["page errors"]


@pytest.mark.parametrize("chapter", toc_chapters())
def test_lab_edition_runs_all_cells_without_error(chapter, lab_runs):
    _, saved, finished, _ = lab_runs[chapter]
    assert finished, f"{chapter}: Run All did not finish in {RUN_ALL_TIMEOUT_S} s"
    code = [c for c in saved["cells"] if c["cell_type"] == "code"]
    errors = [(i, o["ename"], o["evalue"]) for i, c in enumerate(code)
              for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{chapter}: errors in JupyterLab: {errors}"
    assert all(c["execution_count"] for c in code), f"{chapter}: cells not run"


@pytest.mark.parametrize("chapter", [c for c in toc_chapters() if c != "book/intro"])
def test_each_solution_passes_its_self_check_in_the_lab(chapter, lab_runs):
    checks = lab_runs[chapter][3]
    assert checks is not None, f"{chapter}: Run All failed, so the solutions were not run"
    assert len(checks) >= 3, checks
    assert all("Correct:" in printed and "Not quite" not in printed for printed in checks), checks


@pytest.mark.parametrize("chapter", toc_chapters())
def test_marked_outputs_reproduce_the_papermill_run(chapter, lab_runs, executed_chapter):
    saved = lab_runs[chapter][1]
    papermill, lab = ([c for c in notebook["cells"] if c["cell_type"] == "code"
                       and "injected-parameters" not in c["metadata"].get("tags", [])]
                      for notebook in (executed_chapter(chapter), saved))
    assert [unmarked(c) for c in lab] == [unmarked(c) for c in papermill], (
        f"{chapter}: the lab edition's code cells differ from the chapter's")
    marked = [(a, b) for a, b in zip(lab, papermill) if "NBVAL_CHECK_OUTPUT" in source(a)]
    assert marked, f"{chapter}: no cell is marked NBVAL_CHECK_OUTPUT"
    for ours, theirs in marked:
        assert comparable(ours["outputs"]) == comparable(theirs["outputs"]), source(ours)[:200]


def source(cell) -> str:
    return "".join(cell["source"])


def unmarked(cell) -> str:
    """The code without the NBVAL_CHECK_OUTPUT line (the lab edition moves it to the end)."""
    return "\n".join(line for line in source(cell).splitlines() if line != edition.CHECK_OUTPUT)


def sanitizers() -> list[tuple[re.Pattern, str]]:
    config = configparser.ConfigParser(interpolation=None)
    config.read(REPO / "book" / "nbval-sanitize.cfg")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def comparable(outputs: list[dict]) -> list[tuple[str, str]]:
    """(kind, text) of each output, as nbval compares them: streams merged per name, text and
    Markdown kept, sanitised; images and widget state left out."""
    kept = []
    for out in outputs:
        if out["output_type"] == "stream":
            text = "".join(out["text"])
            if kept and kept[-1][0] == out["name"]:
                kept[-1] = (out["name"], kept[-1][1] + text)
            else:
                kept.append((out["name"], text))
        elif "data" in out:
            for mime in ("text/markdown", "text/plain"):
                if mime in out["data"]:
                    kept.append((mime, "".join(out["data"][mime])))
                    break
    for pattern, replace in sanitizers():
        kept = [(kind, pattern.sub(replace, text)) for kind, text in kept]
    return kept
