"""A document's collapse testbeds run once, kept: every (testbed, family, seed) run of
``gae_lib.toy2d`` with its coverage, its record over training and, for the first seed, the
samples it drew along the way (the frames of the kernel-free training widget).

    python -m gae_lib.testbed_runs lazarou2022            # runs what is missing, ~1 CPU-hour
    python -m gae_lib.testbed_runs lazarou2022 --seeds 0  # one seed a family and testbed

The settings come from the document's module (``TESTBEDS``, ``TESTBED_FAMILIES``,
``TESTBED_SEEDS``, ``TESTBED_STEPS``).  Results go to ``data/testbeds/DOCUMENT.json``, written
after every run (an interrupted sweep goes on where it stopped) and listed with its sha256 in
``data/testbeds/manifest.json``; ``load`` refuses a file that does not match.  A finished
result file is not rewritten unless ``--force`` is given.
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import torch

from . import toy2d
from .files import read_json, write_json
from .precision import cpu_model
from .zoo import file_lock, read_manifest, sha256, write_manifest

ROOT = Path(__file__).resolve().parent.parent / "data" / "testbeds"
FRAME_EVERY = 500    # steps between two recorded frames (first seed, first testbed)
FRAME_POINTS = 250   # samples in a frame (fixed codes: the same 250 every frame)
TRACK_EVERY = 500    # steps between two coverage measurements


class TestbedError(RuntimeError):
    """A result file is missing, damaged or not what its manifest says."""


def settings_of(document: str) -> dict:
    """The testbed settings a document's module fixes, as recorded beside the runs."""
    from . import documents

    if document not in documents.DOCUMENTS:
        raise ValueError(f"document: expected one of {', '.join(documents.DOCUMENTS)}, "
                         f"got {document!r}")
    module = documents.DOCUMENTS[document]
    if not hasattr(module, "TESTBEDS"):
        raise ValueError(f"{document}: its module fixes no collapse testbeds (TESTBEDS)")
    cfg = toy2d.ToyConfig("-", "-")
    return {"testbeds": list(module.TESTBEDS), "families": list(module.TESTBED_FAMILIES),
            "seeds": list(module.TESTBED_SEEDS), "steps": module.TESTBED_STEPS,
            "latent_dim": cfg.latent_dim, "batch_size": cfg.batch_size,
            "hidden": list(cfg.hidden), "samples": toy2d.SAMPLES, "within": toy2d.WITHIN,
            "track_every": TRACK_EVERY, "frame_every": FRAME_EVERY,
            "frame_points": FRAME_POINTS}


def path_of(document: str, root: Path = ROOT) -> Path:
    return Path(root) / f"{document}.json"


def key(run: dict) -> tuple:
    return run["testbed"], run["family"], run["seed"]


def one_run(family: str, testbed: str, seed: int, settings: dict, frames: bool) -> dict:
    """A run as recorded: its final coverage, coverage every TRACK_EVERY steps and, where
    ``frames``, FRAME_POINTS samples of fixed codes every FRAME_EVERY steps."""
    trainer = toy2d.ToyTrainer(family, testbed, seed)
    record = {"testbed": testbed, "family": family, "seed": seed, "track": [], "frames": []}
    steps, every = settings["steps"], settings["track_every"]
    marks = sorted({*range(every, steps + 1, every),
                    *(range(0, steps + 1, settings["frame_every"]) if frames else ())})
    started = time.perf_counter()
    for mark in marks:
        trainer.advance(mark - trainer.steps)
        if frames and mark % settings["frame_every"] == 0:
            points = trainer.samples(settings["frame_points"], seed=1)
            record["frames"].append({"step": mark,
                                     "points": [[round(v, 3) for v in p] for p in points.tolist()]})
        if mark and mark % every == 0:
            c = toy2d.coverage(trainer.samples(), testbed)
            record["track"].append({"step": mark, "modes": c.modes,
                                    "high_quality": round(c.high_quality, 4)})
    c = toy2d.coverage(trainer.samples(), testbed)
    record.update(modes=c.modes, of=c.of, high_quality=round(c.high_quality, 4),
                  per_mode=c.per_mode,
                  seconds=round(time.perf_counter() - started, 1))
    return record


def write(document: str, result: dict, root: Path = ROOT) -> Path:
    path = path_of(document, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(path.parent / ".manifest.lock"):
        write_json(path, result, separators=(",", ":"), indent=None)
        manifest = read_manifest(path.parent) if (path.parent / "manifest.json").exists() else {}
        manifest[path.name] = sha256(path)
        write_manifest(path.parent, manifest)
    return path


def load(document: str, root: Path = ROOT) -> dict:
    """A document's testbed results, checked against the manifest's sha256."""
    path = path_of(document, root)
    rerun = f"rerun it with `python -m gae_lib.testbed_runs {document}`"
    if not path.exists():
        raise TestbedError(f"{path}: missing; restore it with `git checkout -- {path}` or "
                           f"{rerun}")
    expected = read_manifest(path.parent).get(path.name)
    if expected != sha256(path):
        raise TestbedError(f"{path}: sha256 does not match {path.parent / 'manifest.json'} "
                           f"(truncated or altered); restore it with `git checkout -- {path}` "
                           f"or {rerun}")
    return read_json(path, f"restore it with `git checkout -- {path}`")


def planned(settings: dict) -> list[tuple[str, str, int]]:
    """Every (testbed, family, seed), seed by seed: a sweep stopped early is balanced."""
    return [(t, f, s) for s in settings["seeds"] for t in settings["testbeds"]
            for f in settings["families"]]


def sweep(document: str, seeds=None, root: Path = ROOT, force: bool = False, log=print) -> dict:
    settings = settings_of(document)
    path = path_of(document, root)
    result = {"settings": settings, "runs": []}
    if path.exists():
        old = load(document, root)
        if old["settings"] == settings:
            result = old
        elif not force:
            raise TestbedError(f"{path}: recorded with other settings than "
                               f"{document}'s module fixes now; --force runs them anew")
    order = {job: i for i, job in enumerate(planned(settings))}
    done = {key(r) for r in result["runs"]}
    todo = [job for job in order if (seeds is None or job[2] in seeds)
            and (force or job not in done)]
    if force:
        rerun = set(todo)
        result["runs"] = [r for r in result["runs"] if key(r) not in rerun]
    if not todo:
        log(f"{path}: every run is there ({len(result['runs'])}); --force runs them anew")
    result["machine"] = {"cpu": cpu_model() or platform.processor(), "torch": torch.__version__,
                         "threads": torch.get_num_threads()}
    framed = settings["seeds"][0], settings["testbeds"][0]   # the runs that keep frames
    for i, (testbed, family, seed) in enumerate(todo, 1):
        run = one_run(family, testbed, seed, settings, frames=(seed, testbed) == framed)
        result["runs"].append(run)
        result["runs"].sort(key=lambda r: order[key(r)])
        write(document, result, root)
        log(f"[{i}/{len(todo)}] {testbed} {family} seed {seed}: {run['modes']}/{run['of']} "
            f"modes, {run['high_quality']:.1%} high quality, {run['seconds']:.0f} s")
    return result


def seed_list(text: str) -> list[int]:
    """An argparse type: training seeds as comma-separated whole numbers >= 0."""
    try:
        seeds = [int(s) for s in text.split(",")]
    except ValueError:
        seeds = [-1]
    if min(seeds) < 0:
        raise argparse.ArgumentTypeError(f"expected seeds like 0,1,2, got {text!r}")
    return seeds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gae_lib.testbed_runs",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("document")
    parser.add_argument("--seeds", type=seed_list,
                        help="only these training seeds, e.g. 0,1,2")
    parser.add_argument("--out", type=Path, default=ROOT, help="results folder")
    parser.add_argument("--force", action="store_true", help="run recorded runs anew")
    args = parser.parse_args(argv)
    try:
        sweep(args.document, args.seeds, args.out, args.force)
    except (ValueError, TestbedError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())


def runs_of(result: dict, family: str, testbed: str | None = None) -> list[dict]:
    """The recorded runs of ``family`` (on ``testbed``, or on every testbed), seed order."""
    if family not in result["settings"]["families"]:
        raise ValueError(f"family: expected one of {', '.join(result['settings']['families'])}"
                         f", got {family!r}")
    return [r for r in result["runs"]
            if r["family"] == family and (testbed is None or r["testbed"] == testbed)]


def collapsed(run: dict, below: float) -> bool:
    """A run has collapsed when it covers fewer than ``below`` of its testbed's modes."""
    return run["modes"] < below * run["of"]


def summary(result: dict, below: float) -> dict[tuple[str, str], dict]:
    """(testbed, family) -> runs, modes covered (mean, sd, min, max), high-quality share
    (mean, sd) and runs collapsed, over the recorded seeds."""
    out = {}
    for testbed in result["settings"]["testbeds"]:
        for family in result["settings"]["families"]:
            runs = runs_of(result, family, testbed)
            if not runs:
                continue
            modes = torch.tensor([float(r["modes"]) for r in runs])
            quality = torch.tensor([r["high_quality"] for r in runs])
            spread = (lambda t: t.std().item() if len(t) > 1 else 0.0)
            out[testbed, family] = {
                "runs": len(runs), "of": runs[0]["of"], "modes": modes.mean().item(),
                "modes_sd": spread(modes), "modes_min": int(modes.min()),
                "modes_max": int(modes.max()), "high_quality": quality.mean().item(),
                "high_quality_sd": spread(quality),
                "collapsed": sum(collapsed(r, below) for r in runs),
                "seconds": sum(r["seconds"] for r in runs)}
    return out
