"""Train and ship many zoo models as independent jobs: processes on this machine, or a SLURM
cluster, both through submitit (``python -m gae_lib train-zoo``).

Each job is one command line, ``python -m gae_lib train NAME --ship --resume-if-interrupted
...``, run by submitit (local: a process per job, one torch thread each; slurm: an sbatch
job).  A job that was interrupted (a laptop closed, a cluster's time limit) resumes from its
run folder when the sweep runs again; a finished job ships into the zoo under the manifest's
file lock, so jobs that end together do not lose each other's entries.  A job starts when
the models it needs (a frozen generator, the book's classifier) are shipped: on SLURM by
``--dependency=afterok``, locally by waiting for them.  Seeds: ``NAME-seedK`` is ``NAME``
with training seed K (``gae_lib.documents.seeded``).

submitit hands each job to its process as a pickle that this sweep wrote into the sweep's
folder (``runs/sweeps/...``): the pickle holds the command line only, and nothing here reads
the pickled results back (a job's outcome is its run folder's checkpoint).  Do not copy a
sweep folder from elsewhere into this one.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Callable

from . import documents, zoo
from .data.sources import REPO_ROOT
from .families import family_of
from .files import FileFormatError, read_json
from .train import PROGRESS, STATE_META

EXECUTORS = ("local", "slurm")


@dataclasses.dataclass
class Job:
    name: str                # the zoo model it trains and ships (DOCUMENT/MODEL[-seedK])
    needs: set[str]          # zoo models that must be shipped before it starts
    out: Path                # its run folder
    command: list[str]       # what the job runs
    state: str = "waiting"   # waiting, running, shipped, failed, skipped
    handle: object = None    # the submitit job
    started: float = 0.0
    ended: float = 0.0
    message: str = ""


def parse_seeds(text: str | None) -> list[int] | None:
    """``"0,1,2"`` -> [0, 1, 2] (``None``: each model's configured seed)."""
    if text is None:
        return None
    try:
        seeds = [int(s) for s in text.split(",")]
    except ValueError:
        seeds = []
    if not seeds or min(seeds) < 0 or len(set(seeds)) != len(seeds):
        raise ValueError(f"--seeds: expected distinct whole numbers >= 0 separated by commas, "
                         f"e.g. 0,1,2; got {text!r}")
    return seeds


def plan(document: str | None, models: str | None = None, seeds: list[int] | None = None,
         runs: Path = Path("runs"), train_args: tuple[str, ...] = (),
         replace: bool = False) -> list[Job]:
    """The jobs that train ``document``'s models (those whose MODEL matches the glob
    ``models``) with each of ``seeds``, dependencies first; a model they need that is neither
    shipped nor among them is added (its configured seed).  A model already shipped is left
    as it is unless ``replace``."""
    mine = list(documents.configs(document))
    if models is not None:
        mine = [n for n in mine if fnmatch.fnmatchcase(n.split("/", 1)[1], models)]
        if not mine:
            raise ValueError(f"--models {models!r}: matches none of "
                             f"{', '.join(documents.configs(document))}")
    configs = {}
    for name in mine:
        cfg = documents.config(name)
        for seed in seeds if seeds is not None else [cfg.seed]:
            wanted = documents.seeded(cfg, seed)
            configs[wanted.name] = wanted
    shipped = set(zoo.available())
    if not replace:
        configs = {n: c for n, c in configs.items() if n not in shipped}
    jobs: dict[str, Job] = {}

    def add(cfg, path=()) -> None:
        if cfg.name in jobs:
            return
        needs = family_of(cfg).needs(cfg)
        for need in sorted(needs):
            if need in configs:
                add(configs[need], path + (cfg.name,))
            elif need not in shipped:
                add(documents.config(need), path + (cfg.name,))
        out = runs / cfg.name
        command = [sys.executable, "-m", "gae_lib", "train", cfg.name, "--ship",
                   "--resume-if-interrupted", "--quiet", "--out", str(out), *train_args]
        jobs[cfg.name] = Job(cfg.name, set(needs), out, command)

    for cfg in configs.values():
        add(cfg)
    return list(jobs.values())


def executor(kind: str, folder: Path, *, time_min: int, partition: str | None = None,
             gpus_per_job: int = 0, cpus_per_job: int = 1):
    """A submitit executor for one job per model: ``local`` (processes here) or ``slurm``."""
    import submitit

    if kind == "local":
        ex = submitit.LocalExecutor(folder=folder)
        ex.update_parameters(timeout_min=time_min, gpus_per_node=gpus_per_job)
        return ex
    if kind != "slurm":
        raise ValueError(f"--executor: expected one of {', '.join(EXECUTORS)}, got {kind!r}")
    ex = submitit.SlurmExecutor(folder=folder)
    params = dict(time=time_min, cpus_per_task=cpus_per_job, job_name="gae_lib")
    if partition:
        params["partition"] = partition
    if gpus_per_job:
        params["gpus_per_node"] = gpus_per_job
    ex.update_parameters(**params)
    return ex


def check_slurm() -> None:
    """A SLURM sweep submits with sbatch: refuse at once where there is none."""
    missing = [c for c in ("sbatch", "srun") if shutil.which(c) is None]
    if missing:
        raise ValueError(f"--executor slurm: no {' or '.join(missing)} on this machine's PATH; "
                         f"run the sweep on the cluster's login node, or use --executor local")


def job_environment(threads: int) -> dict[str, str]:
    """The environment of a job: ``threads`` torch threads, the library importable."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    return env


def submit(ex, job: Job, threads: int, after: list[str] = ()) -> None:
    """Hand ``job`` to ``ex``; on SLURM it starts after the jobs ``after`` (their ids) end well."""
    from submitit.helpers import CommandFunction

    if after:
        ex.update_parameters(dependency="afterok:" + ":".join(after))
    elif "dependency" in getattr(ex, "parameters", {}):
        ex.update_parameters(dependency=None)
    job.handle = ex.submit(CommandFunction(job.command, verbose=False, cwd=str(Path.cwd()),
                                           env=job_environment(threads)))
    job.state, job.started = "running", time.time()


def finished(job: Job) -> bool:
    """The job's process has ended (successfully or not)."""
    return job.handle is not None and job.handle.done()


def outcome(job: Job) -> None:
    """Set ``job.state`` from its run folder: shipped if it wrote its checkpoint after it
    started, else failed with the end of its log."""
    job.ended = time.time()
    written = job.out / f"{job.name}.json"
    if written.exists() and written.stat().st_mtime >= job.started - 1:
        job.state = "shipped"
        return
    job.state = "failed"
    log = Path(str(job.handle.paths.stderr)) if job.handle is not None else None
    tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log and log.exists() else []
    job.message = (" | ".join(tail) or "no log") + (f" (log: {log})" if log else "")


def progress_line(job: Job, now: float) -> str:
    """NAME  epoch e/E  images/s  ETA, from the job's run folder."""
    try:
        live = read_json(job.out / PROGRESS, "")
        meta = read_json(job.out / STATE_META, "") if (job.out / STATE_META).exists() else {}
    except (FileFormatError, OSError):
        return f"{job.name:40s} starting ({now - job.started:.0f} s)"
    history = meta.get("history", [])
    done_images = sum(h.get("images", 0) for h in history)
    done_seconds = sum(h["seconds"] for h in history)
    step_images = live["step"] * live["batch_size"]
    rate = (done_images + step_images) / max(done_seconds + live["seconds"], 1e-9)
    per_epoch = history[-1]["images"] if history and "images" in history[-1] else (
        live["steps"] * live["batch_size"])
    left = (live["epochs"] - live["epoch"]) * per_epoch - step_images
    eta = left / rate if rate > 0 else float("inf")
    return (f"{job.name:40s} epoch {live['epoch'] + 1}/{live['epochs']}  "
            f"{rate:7.0f} images/s  ETA {format_seconds(eta)}")


def format_seconds(seconds: float) -> str:
    if seconds == float("inf"):
        return "?"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def run(jobs: list[Job], ex, kind: str, at_once: int, threads: int = 1, poll_s: float = 5.0,
        report_s: float = 30.0, say: Callable[[str], None] = print) -> list[Job]:
    """Run ``jobs`` through ``ex``, at most ``at_once`` at a time locally (SLURM: all
    submitted, each after its dependencies), printing a progress line per running job every
    ``report_s`` seconds; each job computes with ``threads`` torch threads; returns the jobs
    with their states."""
    by_name = {j.name: j for j in jobs}
    last_report = time.time()
    while True:
        for job in jobs:
            if job.state == "running" and finished(job):
                outcome(job)
                say(f"{job.name}: {job.state}" + (f" -- {job.message}" if job.message else ""))
            if job.state == "waiting" and any(by_name.get(n) and by_name[n].state in (
                    "failed", "skipped") for n in job.needs):
                job.state, job.message = "skipped", "a model it needs failed"
        running = sum(j.state == "running" for j in jobs)
        for job in jobs:
            if job.state != "waiting":
                continue
            inner = [by_name[n] for n in job.needs if n in by_name]
            if kind == "slurm":
                if all(j.handle is not None for j in inner):
                    submit(ex, job, threads,
                           [str(j.handle.job_id) for j in inner if j.state == "running"])
            elif running < at_once and all(j.state == "shipped" for j in inner):
                submit(ex, job, threads)
                running += 1
        if all(j.state in ("shipped", "failed", "skipped") for j in jobs):
            return jobs
        now = time.time()
        if now - last_report >= report_s:
            for job in jobs:
                if job.state == "running":
                    say(progress_line(job, now))
            last_report = now
        time.sleep(poll_s)


def summary(jobs: list[Job]) -> str:
    """A table: each job's state, epochs, CPU-hours and where its checkpoint went."""
    lines = [f"{'model':40s} {'state':8s} {'epochs':>6s} {'hours':>6s}  checkpoint "
             f"(hours: CPU-hours, GPU-hours for a job on cuda)"]
    total = 0.0
    for job in jobs:
        epochs, hours, where = "", "", job.message
        if job.state == "shipped":
            info = zoo.read_info(job.name)
            cpu_hours = info.get("cpu_hours", info.get("gpu_hours", 0.0))
            total += cpu_hours
            epochs, hours = str(info["epochs"]), f"{cpu_hours:.3f}"
            where = str(zoo.CHECKPOINTS / f"{job.name}.safetensors")
        lines.append(f"{job.name:40s} {job.state:8s} {epochs:>6s} {hours:>6s}  {where}")
    lines.append(f"{'total':40s} {'':8s} {'':>6s} {total:6.3f}")
    return "\n".join(lines)
