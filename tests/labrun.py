"""The chapters run as a course lab runs them: each chapter's lab edition (gae_lib.edition) in a
real JupyterLab (with jupyterlab-myst) driven from headless Chromium.  What a student sees
before running anything is read, then *Run All* (QUICK parameters, one torch thread per
kernel) runs in every notebook at once and JupyterLab saves each; then each exercise's
solution (the solutions edition's answer cell) and its self-check run in the same kernel.

This is the chapters' one execution in `make test`: the saved notebooks are what the facts
tests read and what seeds the test build's execution cache (conftest.py).  It runs in a
process of its own (``Background``; ``python tests/labrun.py OUT CHAPTER...``), begun when the
session starts, so that the chapters execute while the unit tests run: alone, the unit
tests keep about one of two cores busy.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from gae_lib import edition
from gae_lib.book import quick_parameters, toc_chapters

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "_build" / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
# Each kernel with one torch thread: six kernels and the browser share the cores without
# torch's threads waiting for each other at every op.
ONE_TORCH_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

RUN_ALL_TIMEOUT_S = 1800   # all six QUICK chapters at once take ~6 min on 2 cores

# JavaScript run in the page: JupyterLab's application (expose_app_in_browser) and a notebook
# panel by path.
PANEL = ("const panel = Array.from(window.jupyterapp.shell.widgets('main'))"
         ".find(w => w.context && w.context.path === path);")


@dataclass
class LabRun:
    """One chapter's lab edition, run in JupyterLab."""
    seen: dict                # what a student sees before running anything (`reading`)
    notebook: str             # the file JupyterLab saved after Run All
    finished: bool            # Run All ended (every cell ran, or one raised) in time
    seconds: float            # Run All's wall time
    checks: list[str] | None = None   # each self-check's printout after its solution
    solutions_seconds: float = 0.0
    kernel_cpu_seconds: float | None = None   # its kernel's CPU time when Run All ended

    @functools.cached_property
    def saved(self) -> dict:   # read once: the facts tests ask for it many times
        return json.loads(Path(self.notebook).read_text())


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
    # Autosave off: the lab run saves each notebook itself as its Run All ends.  An autosave
    # landing at the same moment made JupyterLab ask, in a dialog, whether to overwrite the
    # file "changed on disk", and the save waited for an answer (seen once: the run hung).
    docmanager = root.parent / "user-settings" / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True, exist_ok=True)
    (docmanager / "plugin.jupyterlab-settings").write_text('{"autosave": false}\n')
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
    # polling: every 250 ms, not at every animation frame (Chromium's CPU is the lab run's too)
    page.wait_for_function(on_panel("return panel && panel.context.isReady && "
                                    "panel.sessionContext.session?.kernel?.status === 'idle';"),
                           arg=path, timeout=120_000, polling=250)
    # jupyterlab-myst renders Markdown cells asynchronously: wait for every one.
    page.wait_for_function(on_panel("const md = panel.content.widgets.filter("
                                    "c => c.model.type === 'markdown'); return md.length && "
                                    "md.every(c => c.node.querySelector('.myst'));"),
                           arg=path, timeout=60_000, polling=250)
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


def longest_first(chapters) -> list[str]:
    """Chapters ordered by their full-mode time in book/reference/ (the intro has none)."""
    def seconds(chapter):
        reference = REPO / "book" / "reference" / f"{Path(chapter).name}.json"
        return json.loads(reference.read_text())["seconds"] if reference.exists() else 0.0

    return sorted(chapters, key=seconds, reverse=True)


SAVE_TIMEOUT_MS = 120_000


def save(page, path: str) -> None:
    """Save the notebook; an error (not a wait without end) if JupyterLab does not finish,
    e.g. because a dialog asks something."""
    page.evaluate(on_panel(f"""
        await Promise.race([panel.context.save(), new Promise((_, fail) => setTimeout(
            () => fail(new Error(`saving ${{path}} took over {SAVE_TIMEOUT_MS / 1000:.0f} s`)),
            {SAVE_TIMEOUT_MS}))]);""", asynchronous=True), path)


def run_all(page, root: Path, chapters: list[str], screenshots: Path) -> dict[str, LabRun]:
    """Open each chapter (read it, screenshot it) and start Run All, the longest chapter first;
    as each one ends, save it and run each exercise's solution and self-check in its kernel,
    while the others go on.  chapter -> LabRun."""
    seen, started, kernels = {}, {}, {}
    screenshots.mkdir(parents=True, exist_ok=True)
    for chapter in longest_first(chapters):
        path = notebook_path(chapter)
        open_notebook(page, path)
        seen[chapter] = reading(page, path)
        page.screenshot(path=str(screenshots / f"lab-{Path(chapter).name}.png"))
        kernels[chapter] = page.evaluate(on_panel("return panel.sessionContext.session.kernel.id;"),
                                         path)
        started[chapter] = time.perf_counter()
        page.evaluate(on_panel("window.jupyterapp.shell.activateById(panel.id); "
                               "window.jupyterapp.commands.execute('notebook:run-all-cells');"),
                      path)
    runs, solving = {}, {}
    deadline = time.time() + RUN_ALL_TIMEOUT_S
    while len(runs) < len(started) and time.time() < deadline:
        for chapter in started.keys() - runs.keys():
            path = notebook_path(chapter)
            state = page.evaluate(on_panel("""
                const code = panel.content.widgets.filter(c => c.model.type === 'code');
                const failed = c => Array.from({length: c.model.outputs.length},
                    (_, i) => c.model.outputs.get(i).type).includes('error');
                const errors = code.some(failed);   // (serializing the outputs cost seconds)
                return {idle: panel.sessionContext.session.kernel.status === 'idle',
                        pending: code.filter(c => c.model.executionCount === null).length,
                        errors};"""), path)
            if state["idle"] and (state["pending"] == 0 or state["errors"]):
                seconds = time.perf_counter() - started[chapter]
                cpu = cpu_seconds(kernel_pids([kernels[chapter]]).get(kernels[chapter]))
                save(page, path)
                runs[chapter] = LabRun(seen[chapter], str(root / path), True, seconds,
                                       kernel_cpu_seconds=cpu)
                if not errors(runs[chapter].saved):  # the solutions leave the saved file alone
                    start_solutions(page, chapter)
                    solving[chapter] = runs[chapter]
        time.sleep(2)
    for chapter in started.keys() - runs.keys():   # Run All did not end in time
        path = notebook_path(chapter)
        save(page, path)
        runs[chapter] = LabRun(seen[chapter], str(root / path), False,
                               time.perf_counter() - started[chapter])
    while solving and time.time() < deadline + 600:
        for chapter, run in list(solving.items()):
            done = page.evaluate("path => window.labChecks[path]", notebook_path(chapter))
            if done["done"]:
                run.checks, run.solutions_seconds = done["printed"], done["seconds"]
                del solving[chapter]
        time.sleep(1)
    page.evaluate(on_panel("window.jupyterapp.shell.activateById(panel.id);"),
                  notebook_path(chapters[-1]))
    page.screenshot(path=str(screenshots / "lab-after-run-all.png"))
    return {chapter: runs[chapter] for chapter in chapters}


def errors(notebook: dict) -> list[tuple[int, str, str]]:
    """(code cell number, error name, message) of each error output."""
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    return [(i, o["ename"], o["evalue"]) for i, c in enumerate(code, 1)
            for o in c.get("outputs", []) if o["output_type"] == "error"]


def start_solutions(page, chapter: str) -> None:
    """Start running each exercise's solution (from the solutions edition) and then its
    self-check in the chapter's kernel, one after another; ``window.labChecks[path]`` says
    when they are done, what each self-check printed (and any error's name), and how long
    it took."""
    solved = edition.edition(chapter, "solutions")
    code = [c for c in solved["cells"] if c["cell_type"] == "code"]
    pairs = [(source(cell), source(code[i + 1])) for i, cell in enumerate(code)
             if "solution" in cell["metadata"].get("tags", [])]
    page.evaluate(on_panel("""
        const kernel = panel.sessionContext.session.kernel;
        const record = {done: false, printed: [], seconds: 0};
        (window.labChecks = window.labChecks || {})[path] = record;
        const run = async code => {
          const future = kernel.requestExecute({code, store_history: false});
          const out = [];
          future.onIOPub = msg => {
            const c = msg.content;
            if (msg.header.msg_type === 'stream') out.push(c.text);
            if (msg.header.msg_type === 'error') out.push(`${c.ename}: ${c.evalue}`);
          };
          await future.done;
          return out.join('');
        };
        const began = performance.now();
        (async () => {
          try {
            for (const [solution, check] of args.pairs) {
              await run(solution);
              record.printed.push(await run(check));
            }
          } catch (e) {
            record.printed.push(`the lab run could not execute: ${e}`);
          }
          record.seconds = (performance.now() - began) / 1000;
          record.done = true;
        })();""", argument="args"), {"path": notebook_path(chapter), "pairs": pairs})


def source(cell) -> str:
    return "".join(cell["source"])


def unmarked(cell) -> str:
    """The code without the NBVAL_CHECK_OUTPUT line (the lab edition moves it to the end)."""
    return "\n".join(line for line in source(cell).splitlines() if line != edition.CHECK_OUTPUT)


# The lab run's priority below the tests' (it and everything it starts: JupyterLab, the
# kernels, Chromium).  The unit tests keep about one core busy and get it at once; the lab
# run takes what they leave, and both cores when they are done.
NICE = 10


def autogroup(pid: int | str) -> tuple[str, int] | None:
    """(autogroup, its nice value) of a process; None where the kernel has no autogroups."""
    try:
        name, _, nice = Path(f"/proc/{pid}/autogroup").read_text().split()
        return name, int(nice)
    except (OSError, ValueError):
        return None


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:   # the parent is the 2nd field after the command name, which may hold spaces
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def kernel_pids(kernel_ids) -> dict[str, int]:
    """kernel id -> the pid of this process's descendant running it (Jupyter names each
    kernel's connection file after its id)."""
    files = {f"kernel-{k}.json": k for k in kernel_ids}
    found = {}
    for pid in descendants(os.getpid()):
        for word in cmdline(pid):
            if Path(word).name in files:
                found[files[Path(word).name]] = pid
    return found


def cpu_by_kind() -> dict[str, float]:
    """CPU seconds of this process's running descendants: the kernels, Chromium, the rest."""
    kinds: dict[str, float] = {}
    for pid in descendants(os.getpid()):
        words = " ".join(cmdline(pid))
        kind = ("kernels" if "ipykernel" in words else "Chromium" if "chrom" in words
                else "JupyterLab and the rest")
        kinds[kind] = kinds.get(kind, 0.0) + (cpu_seconds(pid) or 0.0)
    return kinds


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a running process; None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def nice_their_autogroups(nice: int = NICE) -> int:
    """Give this process's descendants in scheduling groups of their own the lab run's
    priority; returns how many groups were changed.  Where the kernel groups processes by
    session (autogroup, Linux's default on desktops and these VMs), a process's nice value
    counts only against its own session's: Jupyter starts every kernel, and Playwright
    Chromium, in a new session, so niced or not each got as much CPU as the whole test
    session (measured: six kernels left the unit tests about half a core)."""
    own = autogroup("self")
    changed = 0
    for pid in descendants(os.getpid()):
        group = autogroup(pid)
        if own is None or group is None or group[0] == own[0] or group[1] >= nice:
            continue
        try:
            Path(f"/proc/{pid}/autogroup").write_text(str(nice))
            changed += 1
        except OSError:   # it ended, or the 0.1-s rate limit of unprivileged writes: next round
            pass
    return changed


class Background:
    """``run_all`` of some chapters in a process of its own, niced."""

    def __init__(self, out: Path, chapters: list[str]):
        self.out, self.chapters = out, chapters
        self.log = out / "labrun.log"
        with open(self.log, "w") as log:   # niced: the tests beside it come first
            self.process = subprocess.Popen([sys.executable, __file__, str(out), *chapters],
                                            stdout=log, stderr=subprocess.STDOUT,
                                            preexec_fn=lambda: os.nice(NICE))

    def results(self, timeout: float = RUN_ALL_TIMEOUT_S + 600) -> tuple[dict, list[str]]:
        """Wait for the run: (chapter -> LabRun, the page's JavaScript errors)."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise RuntimeError(f"the lab run did not end in {timeout:.0f} s: "
                               f"{self.log.read_text()[-3000:]}") from None
        if code != 0:
            raise RuntimeError(f"the lab run of {self.chapters} failed (exit status {code}): "
                               f"{self.log.read_text()[-3000:]}")
        done = json.loads((self.out / "runs.json").read_text())
        self.ended = (self.out / "runs.json").stat().st_mtime
        self.cpu_seconds = done["cpu_seconds"]
        return ({c: LabRun(**r) for c, r in done["runs"].items()}, done["page_errors"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(60)


def chromium() -> str | None:
    return next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)


def main(out: Path, chapters: list[str]) -> None:
    """The lab editions of every chapter in OUT/lab, JupyterLab on them, ``run_all`` of
    ``chapters`` from headless Chromium; the results in OUT/runs.json."""
    from playwright.sync_api import sync_playwright

    root = out / "lab"
    ended = threading.Event()

    def keep_niced():   # kernels start as notebooks open: look again every second
        while not ended.wait(1.0):
            nice_their_autogroups()

    threading.Thread(target=keep_niced, daemon=True).start()
    edition.write_lab(toc_chapters(), root,
                      parameters={c: quick_parameters(c) for c in toc_chapters()})
    edition.write_lab_settings()
    with jupyterlab(root, ONE_TORCH_THREAD) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page_errors: list[str] = []
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        page.goto(f"{url}/lab", wait_until="domcontentloaded")
        page.wait_for_function("window.jupyterapp && window.jupyterapp.started",
                               timeout=120_000)
        page.evaluate("window.jupyterapp.started")
        runs = run_all(page, root, chapters, SCREENSHOTS)
        cpu = cpu_by_kind()
        browser.close()
    ended.set()
    (out / "runs.json").write_text(json.dumps(
        {"runs": {c: dataclasses.asdict(r) for c, r in runs.items()},
         "page_errors": page_errors, "cpu_seconds": cpu}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
