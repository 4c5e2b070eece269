"""One training loop for every family, with per-epoch checkpoints and exact resume.

Determinism: the initial weights come from ``cfg.seed``; each epoch's shuffle
from (seed, epoch); the global RNG (prior samples, dropout) is saved with every
checkpoint, so ``resume=True`` reaches the state an uninterrupted run reaches.
"""

from __future__ import annotations

import platform
import subprocess
import time
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from tqdm.auto import tqdm

from . import __version__, data, documents, precision, snapshots, tracking, zoo
from .config import TrainConfig, check_count
from .data.sources import REPO_ROOT
from .files import FileFormatError, read_json, write_json
from .families import family_of
from .families.base import CLASSIFIER

STATE = "state.safetensors"
STATE_META = "state.json"
PROGRESS = "progress.json"   # where a running epoch is, for a sweep's progress lines
PROGRESS_EVERY = 50          # steps


def resolve_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("--device cuda asked for, but torch.cuda.is_available() is False")
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be auto, cpu or cuda, got {device!r}")
    return torch.device(device)


def git_commit() -> str:
    try:
        return (
            subprocess.run(
                ["git", "rev-parse", "HEAD"],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
            or "unknown"
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def build(cfg: TrainConfig, device: torch.device):
    """The family, its networks (frozen ones from the zoo) and one Adam per trained network
    with that network's lr and betas from ``cfg.optimisers``."""
    family = family_of(cfg)
    torch.manual_seed(cfg.seed)
    nets = family.build(cfg, load=zoo.load)
    # channels_last runs these convolutions about 1.5x faster on CPU.
    nets = {k: v.to(device, memory_format=torch.channels_last) for k, v in nets.items()}
    return family, nets, family.make_optimisers(cfg, nets)


def save_state(out: Path, nets, opts, epoch: int, history: list, cfg: TrainConfig) -> None:
    tensors = {
        f"net.{k}.{p}": v.detach().cpu().contiguous()
        for k, net in nets.items()
        for p, v in net.state_dict().items()
    }
    groups = {}
    for name, opt in opts.items():
        sd = opt.state_dict()
        groups[name] = sd["param_groups"]
        for idx, slot in sd["state"].items():
            for key, value in slot.items():
                tensors[f"opt.{name}.{idx}.{key}"] = value.detach().cpu().contiguous()
    tensors["rng.torch"] = torch.get_rng_state()
    tmp = out / (STATE + ".part")
    # The epoch in both files: a run stopped between the two writes is found out on --resume.
    save_file(tensors, str(tmp), metadata={"epoch": str(epoch)})
    tmp.replace(out / STATE)
    meta = {"epoch": epoch, "history": history, "param_groups": groups, "config": cfg.to_dict()}
    write_json(out / STATE_META, meta)
    write_json(out / "losses.json", history)


def load_state(out: Path, nets, opts, cfg: TrainConfig) -> tuple[int, list]:
    again = "train again without --resume (or with --out elsewhere)"
    if not (out / STATE).exists():
        raise ValueError(f"--resume: no run to resume in {out} ({out / STATE} is missing); "
                         f"train without --resume")
    try:
        meta = read_json(out / STATE_META, again)
        epoch = safe_open_epoch(out / STATE)
    except FileFormatError as err:
        raise ValueError(f"--resume: {err}") from None
    if epoch is not None and epoch != meta.get("epoch"):
        raise ValueError(f"--resume: {out / STATE} holds epoch {epoch} but {out / STATE_META} "
                         f"epoch {meta.get('epoch')} (the run stopped while saving); {again}")
    # Resuming may extend the number of epochs and change what is shipped (networks, dtype:
    # neither changes training); every other field must match.
    free = dict(epochs=0, shipped=None, ship_dtype=None)
    # (The saved config is read back first: a setting added since then takes its default.)
    saved = dict(TrainConfig.from_dict(meta["config"]).to_dict(), **free)
    wanted = dict(cfg.to_dict(), **free)
    if saved != wanted:
        changed = sorted(k for k in wanted if saved.get(k) != wanted[k])
        raise ValueError(
            f"--resume: {out} was trained with another configuration "
            f"(differs in {', '.join(changed)})"
        )
    tensors = load_file(str(out / STATE))
    for k, net in nets.items():
        prefix = f"net.{k}."
        net.load_state_dict(
            {p[len(prefix) :]: v for p, v in tensors.items() if p.startswith(prefix)}
        )
    for name, opt in opts.items():
        state: dict = {}
        prefix = f"opt.{name}."
        for key, value in tensors.items():
            if key.startswith(prefix):
                idx, slot = key[len(prefix) :].split(".", 1)
                state.setdefault(int(idx), {})[slot] = value
        opt.load_state_dict({"state": state, "param_groups": meta["param_groups"][name]})
    torch.set_rng_state(tensors["rng.torch"])
    return meta["epoch"], meta["history"]


def check_resumable(history: list, start: int, cfg: TrainConfig, images: int, out: Path) -> None:
    """A step budget ends a run inside an epoch; a resume starts at the next epoch, so going on
    from such a run would skip the rest of the stopped one: refuse it (a finished run may still
    be resumed to evaluate and ship it again)."""
    if start < cfg.epochs and history and history[-1].get("images", images) < images:
        raise ValueError(
            f"--resume: {out} stopped inside epoch {start} after {history[-1]['images']:,} of "
            f"its {images:,} images (a budget in steps); a resume starts at the next epoch and "
            f"would skip the rest of that one. Train it anew with the larger budget "
            f"(without --resume, or with --out elsewhere)")


def safe_open_epoch(path: Path) -> int | None:
    """The epoch recorded in a state file's metadata (None for a run saved before it was)."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as state:
            epoch = (state.metadata() or {}).get("epoch")
    except Exception as err:   # safetensors raises its own error types for damaged files
        raise FileFormatError(f"{path}: not a readable safetensors file ({err}); "
                              f"train again without --resume") from None
    return int(epoch) if epoch is not None else None


def check_shipping(cfg: TrainConfig, limit: int | None, evaluate: bool, force: bool) -> None:
    """Refuse to ship (replace the zoo's model) a run that is not the zoo's: on part of the
    data, without the final metrics, or shorter than the document's configuration; with
    ``force``, say what is replaced."""
    try:
        configured = documents.config(cfg.name)
    except ValueError:
        configured = None
    reasons = [r for r, bad in (
        (f"it trains on {limit} images only (--limit)", limit is not None),
        ("it skips the final metrics (--no-evaluate)", not evaluate),
        (f"it trains {cfg.epochs} of the zoo's {configured.epochs} epochs",
         configured is not None and cfg.epochs < configured.epochs),
        (f"it trains {cfg.steps:,} of the zoo's {configured.steps:,} steps",
         configured is not None and 0 < cfg.steps < configured.steps),
        (f"no document configures {cfg.name!r}", configured is None)) if bad]
    target = zoo.CHECKPOINTS / f"{cfg.name}.safetensors"
    try:
        old = zoo.read_info(cfg.name)
        stopped = f", {old['steps']:,} steps" if old.get("steps") else ""
        shipped = (f"the shipped {cfg.name} ({old['epochs']} epochs on "
                   f"{old['images_per_epoch']:,} images{stopped}, {len(old['metrics'])} metrics)")
    except zoo.CheckpointError as err:   # not shipped yet, or damaged: the retraining mends it
        shipped = (f"nothing shipped yet at {target}" if f"{cfg.name}.json" not in
                   zoo.read_manifest(zoo.CHECKPOINTS) else f"the damaged {target} ({err})")
    if reasons and not force:
        raise ValueError(f"--ship: not shipping this run over {shipped}: "
                         f"{'; '.join(reasons)}. Train without --ship, or add --force to "
                         f"replace it anyway")
    if reasons:
        print(f"--ship --force: this run will replace {shipped} ({'; '.join(reasons)})")


def write_progress(out: Path, epoch: int, step: int, steps: int, cfg: TrainConfig,
                   seconds: float) -> None:
    """Where the running epoch is (``progress.json``): read by a sweep's progress lines."""
    write_json(out / PROGRESS, {"name": cfg.name, "epoch": epoch, "epochs": cfg.epochs,
                                "step": step, "steps": steps, "batch_size": cfg.batch_size,
                                "seconds": round(seconds, 2)})


def make_tracker(cfg: TrainConfig, out: Path, dev: torch.device) -> tracking.Tracker:
    # Loading the classifier builds a network, which draws its initial weights from the
    # global RNG: forked, so that a tracked run trains exactly as an untracked one.
    with torch.random.fork_rng(devices=[]):
        return tracking.Tracker(cfg, zoo.load(CLASSIFIER)["classifier"], out, dev)


def train(
    cfg: TrainConfig,
    out: str | Path,
    device: str = "auto",
    resume: bool | str = False,
    limit: int | None = None,
    ship: bool = False,
    progress: bool = True,
    evaluate: bool = True,
    force: bool = False,
) -> dict:
    """Train ``cfg`` for ``cfg.epochs`` epochs into ``out``; returns the checkpoint's JSON record.

    ``resume``: continue from the last epoch saved in ``out``; ``"auto"``: do so if ``out``
    holds a run, else start (a sweep's job restarted after an interruption).
    ``limit`` trains on the first ``limit`` images only (quick checks, tests).
    ``ship`` also writes the result into the zoo (``data/checkpoints``), refused (before
    training) for a run with ``limit``, without evaluation or shorter than the document's
    configuration unless ``force``; ``evaluate=False`` skips the final metrics (quick checks,
    tests).
    """
    if limit is not None:
        check_count(limit, "limit")
    if ship:
        check_shipping(cfg, limit, evaluate, force)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    dev = resolve_device(device)
    family, nets, opts = build(cfg, dev)
    if resume == "auto":
        resume = (out / STATE).exists()
    start, history = load_state(out, nets, opts, cfg) if resume else (0, [])
    arithmetic = precision.resolve(cfg.precision, dev)
    train_set = data.in_memory(cfg.dataset, "train", n=limit, seed=cfg.seed)
    steps_per_epoch = -(-len(train_set) // cfg.batch_size)
    # A quick check on ``limit`` images takes the steps they hold, up to the budget.
    total_steps = cfg.planned_steps(len(train_set), fit=limit is not None)
    check_resumable(history, start, cfg, len(train_set), out)
    tracker = make_tracker(cfg, out, dev) if cfg.track_every and start < cfg.epochs else None
    for epoch in range(start, cfg.epochs):
        for k, net in nets.items():
            net.train(k in family.trained)
        order = torch.randperm(
            len(train_set), generator=torch.Generator().manual_seed(cfg.seed * 1_000_003 + epoch)
        )
        sums: dict[str, float] = {}
        counts: dict[str, int] = {}
        images = 0
        track: list[dict] = []
        t0 = time.time()
        this_epoch = min(steps_per_epoch, total_steps - epoch * steps_per_epoch)
        bar = tqdm(
            order.split(cfg.batch_size),
            total=this_epoch,
            desc=f"{cfg.name} epoch {epoch + 1}/{cfg.epochs}",
            disable=not progress,
            leave=True,
        )
        for iteration, idx in enumerate(bar):
            step = epoch * steps_per_epoch + iteration + 1
            if step > total_steps:
                break
            images += len(idx)
            x, y = train_set.batch(idx)
            x = x.to(dev, memory_format=torch.channels_last)
            # Mixed precision in bfloat16: networks compute in it, return float32 to the losses.
            with precision.mixed(arithmetic, dev, nets):
                step_losses = family.step(nets, opts, x, y.to(dev), cfg, iteration)
            for key, value in step_losses.items():
                sums[key] = sums.get(key, 0.0) + value
                counts[key] = counts.get(key, 0) + 1
            if iteration % 20 == 0:
                bar.set_postfix({k: f"{v:.3f}" for k, v in step_losses.items()})
            if iteration % PROGRESS_EVERY == 0:
                write_progress(out, epoch, iteration, this_epoch, cfg, time.time() - t0)
            if tracker is not None and tracker.due(step):
                track.append(tracker.measure(nets["generator"], step))
        history.append(
            {
                "epoch": epoch + 1,
                # training alone: the tracked measurements' time is left out
                "seconds": round(time.time() - t0 - sum(t["seconds"] for t in track), 1),
                "images": images,
                **{k: sums[k] / counts[k] for k in sums},
                **({"track": track} if track else {}),
            }
        )
        save_state(out, nets, opts, epoch + 1, history, cfg)
        if snapshots.due(epoch + 1, cfg.snapshot_every, cfg.epochs):
            snapshots.write_png(snapshots.snapshot_images(cfg, nets, dev),
                                out / "snapshots" / snapshots.file_name(epoch + 1))
        if (epoch + 1) * steps_per_epoch >= total_steps:
            break   # a budget in steps ends in this epoch
    for net in nets.values():
        net.eval()
    nets = {k: v.to("cpu", memory_format=torch.contiguous_format) for k, v in nets.items()}
    shipped = {k: nets[k] for k in (cfg.shipped or family.trained)}
    if cfg.ship_dtype == "float16":
        # The metrics below are those of the weights the zoo keeps (rounded to float16).
        with torch.no_grad():
            for net in shipped.values():
                for p in net.parameters():
                    p.copy_(p.half().float())
    taken = [e for e in range(1, len(history) + 1)
             if (out / "snapshots" / snapshots.file_name(e)).exists()]
    info = {
        "name": cfg.name,
        "config": cfg.to_dict(),
        "networks": list(shipped),
        "ship_dtype": cfg.ship_dtype,
        "snapshots": taken,
        "track": [t for h in history for t in h.get("track", [])],
        "epochs": len(history),
        "images_per_epoch": len(train_set),
        "steps": sum(-(-h["images"] // cfg.batch_size) for h in history),
        "device": str(dev),
        "device_name": torch.cuda.get_device_name(dev)
        if dev.type == "cuda"
        else precision.cpu_model() or platform.processor() or platform.machine(),
        # what training computed in (cfg.precision "auto" resolved on this machine)
        "precision": arithmetic,
        "train_seconds": round(sum(h["seconds"] for h in history), 1),
        # torch's threads during training, and what the run cost: seconds x threads (on a
        # GPU, its hours)
        "threads": torch.get_num_threads(),
        f"{'gpu' if dev.type == 'cuda' else 'cpu'}_hours": round(
            sum(h["seconds"] for h in history) * (1 if dev.type == "cuda"
                                                  else torch.get_num_threads()) / 3600, 6),
        "library_version": __version__,
        "git_commit": git_commit(),
        "torch": torch.__version__,
        "history": history,
        "notes": documents.notes(cfg.name),
        "metrics": family.evaluate(cfg, nets, zoo.load) if evaluate else {},
    }
    zoo.save(cfg.name, shipped, info, out, snapshot_dir=out / "snapshots")
    if ship:
        zoo.save(cfg.name, shipped, info, zoo.CHECKPOINTS, snapshot_dir=out / "snapshots")
    return info
