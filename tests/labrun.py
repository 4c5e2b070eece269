"""The chapters run as a course lab runs them: each chapter's lab edition (gae_lib.edition) in a
real JupyterLab (with jupyterlab-myst) driven from headless Chromium.  What a student sees
before running anything is read, then *Run All* (QUICK parameters, one torch thread per
kernel) runs in every notebook at once and JupyterLab saves each; then each exercise's
solution (the solutions edition's answer cell) and its self-check run in the same kernel.

This is the chapters' one execution in `make test`: the saved notebooks are what the facts
tests read and what seeds the test build's execution cache (conftest.py).
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from gae_lib import edition

RUN_ALL_TIMEOUT_S = 1800   # all six QUICK chapters at once take ~6 min on 2 cores

# JavaScript run in the page: JupyterLab's application (expose_app_in_browser) and a notebook
# panel by path.
PANEL = ("const panel = Array.from(window.jupyterapp.shell.widgets('main'))"
         ".find(w => w.context && w.context.path === path);")


@dataclass
class LabRun:
    """One chapter's lab edition, run in JupyterLab."""
    seen: dict                # what a student sees before running anything (`reading`)
    saved: dict               # the notebook JupyterLab saved after Run All
    finished: bool            # Run All ended (every cell ran, or one raised) in time
    seconds: float            # Run All's wall time
    checks: list[str] | None = None   # each self-check's printout after its solution
    solutions_seconds: float = 0.0


def on_panel(body: str, asynchronous: bool = False, argument: str = "path") -> str:
    """A JavaScript function of ``path`` (or of ``args`` holding ``args.path``) that finds the
    notebook panel, then runs ``body``."""
    find = PANEL if argument == "path" else f"const path = {argument}.path; {PANEL}"
    return ("async " if asynchronous else "") + f"{argument} => {{ {find} {body} }}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(root: Path, environment: dict):
    """JupyterLab serving ``root`` on a free local port, with a fresh workspace and no
    personal settings (what a new student sees); yields its URL."""
    port = free_port()
    log_path = root.parent / "jupyterlab.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password=",
         "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True", "--allow-root",
         f"--LabApp.workspaces_dir={root.parent / 'workspaces'}",
         f"--LabApp.user_settings_dir={root.parent / 'user-settings'}"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **environment})
    deadline = time.time() + 120
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"JupyterLab did not listen on port {port}: "
                                       f"{log_path.read_text()[-2000:]}") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(30)
        log.close()


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


def notebook_path(chapter: str) -> str:
    return f"{Path(chapter).name}.ipynb"


def run_all(page, root: Path, chapters: list[str], screenshots: Path) -> dict[str, LabRun]:
    """Open each chapter (read it, screenshot it), then Run All in every one at once; wait,
    save, and run each exercise's solution and self-check.  chapter -> LabRun."""
    seen, started = {}, {}
    screenshots.mkdir(parents=True, exist_ok=True)
    for chapter in chapters:
        path = notebook_path(chapter)
        open_notebook(page, path)
        seen[chapter] = reading(page, path)
        page.screenshot(path=str(screenshots / f"lab-{Path(chapter).name}.png"))
        started[chapter] = time.perf_counter()
        page.evaluate(on_panel("window.jupyterapp.shell.activateById(panel.id); "
                               "window.jupyterapp.commands.execute('notebook:run-all-cells');"),
                      path)
    seconds = {}
    deadline = time.time() + RUN_ALL_TIMEOUT_S
    while len(seconds) < len(started) and time.time() < deadline:
        for chapter in started.keys() - seconds.keys():
            state = page.evaluate(on_panel("""
                const code = panel.content.widgets.filter(c => c.model.type === 'code');
                const errors = code.some(c => c.model.outputs.toJSON().some(
                    o => o.output_type === 'error'));
                return {idle: panel.sessionContext.session.kernel.status === 'idle',
                        pending: code.filter(c => c.model.executionCount === null).length,
                        errors};"""), notebook_path(chapter))
            if state["idle"] and (state["pending"] == 0 or state["errors"]):
                seconds[chapter] = time.perf_counter() - started[chapter]
        time.sleep(2)
    runs = {}
    for chapter in chapters:
        path = notebook_path(chapter)
        page.evaluate(on_panel("await panel.context.save();", asynchronous=True), path)
        saved = json.loads((root / path).read_text())
        runs[chapter] = LabRun(seen[chapter], saved, chapter in seconds,
                               seconds.get(chapter, time.perf_counter() - started[chapter]))
    for chapter in chapters:   # after every save: the solutions leave the saved notebooks alone
        if runs[chapter].finished and not errors(runs[chapter].saved):
            began = time.perf_counter()
            runs[chapter].checks = solved_checks(page, chapter)
            runs[chapter].solutions_seconds = time.perf_counter() - began
    page.evaluate(on_panel("window.jupyterapp.shell.activateById(panel.id);"),
                  notebook_path(chapters[-1]))
    page.screenshot(path=str(screenshots / "lab-after-run-all.png"))
    return runs


def errors(notebook: dict) -> list[tuple[int, str, str]]:
    """(code cell number, error name, message) of each error output."""
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    return [(i, o["ename"], o["evalue"]) for i, c in enumerate(code, 1)
            for o in c.get("outputs", []) if o["output_type"] == "error"]


def solved_checks(page, chapter: str) -> list[str]:
    """Each exercise's solution (from the solutions edition) and then its self-check, run in
    the chapter's kernel: what each self-check printed."""
    solved = edition.edition(chapter, "solutions")
    code = [c for c in solved["cells"] if c["cell_type"] == "code"]
    printed = []
    for i, cell in enumerate(code):
        if "solution" in cell["metadata"].get("tags", []):
            run_in_kernel(page, chapter, source(cell))
            printed.append(run_in_kernel(page, chapter, source(code[i + 1])))
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
        {"path": notebook_path(chapter), "code": code})


def source(cell) -> str:
    return "".join(cell["source"])


def unmarked(cell) -> str:
    """The code without the NBVAL_CHECK_OUTPUT line (the lab edition moves it to the end)."""
    return "\n".join(line for line in source(cell).splitlines() if line != edition.CHECK_OUTPUT)
