"""The model zoo: trained networks as safetensors + JSON, every file sha256-checked.

    >>> from gae_lib import zoo
    >>> dcgan = zoo.load("favuzzi2019/dcgan")   # nn.ModuleDict in eval mode
    >>> images = dcgan.generator(z)
    >>> dcgan.info["epochs"], dcgan.config.seed

Checkpoints are named DOCUMENT/MODEL, DOCUMENT a bibliography key of the book
(``book/references.bib``; ``book`` for the book's own classifier).  A checkpoint is
``DOCUMENT/MODEL.safetensors`` (the trained networks, keys ``<network>.<parameter>``) and
``DOCUMENT/MODEL.json`` (its TrainConfig, how and why it was trained, final metrics),
listed with their sha256 in ``manifest.json``.  No pickle is read anywhere: safetensors
and JSON only.
"""
from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from .config import TrainConfig, check_model_name
from .data.sources import REPO_ROOT, file_digest
from .files import FileFormatError, atomic_write_text, file_lock, read_json
from .families import family_of
from .nets import Classifier
from .snapshots import file_name as snapshot_file
from .snapshots import read_png
from .tracking import file_name as track_file

# GAE_ZOO_DIR: a zoo elsewhere (a cluster's shared disk, a test's private copy).
CHECKPOINTS = Path(os.environ.get("GAE_ZOO_DIR") or REPO_ROOT / "data" / "checkpoints")
MANIFEST = "manifest.json"

# The names the first chapter's models had before the zoo was split by document.
RENAMED = {"classifier": "book/classifier",
           **{old: f"favuzzi2019/{old}" for old in (
               "dcgan", "dcgan-outlier", "enn", "ae", "hybrid", "vae", "dcgan-stacked",
               "hybrid-stacked")}}


class CheckpointError(RuntimeError):
    """A checkpoint file is missing, damaged or not what its manifest says."""


def sha256(path: Path) -> str:
    return file_digest(path, "sha256")


def read_manifest(root: Path) -> dict[str, str]:
    path = Path(root) / MANIFEST
    if not path.exists():
        return {}
    try:
        manifest = read_json(path, f"restore it with `git checkout -- {path}`")
    except FileFormatError as err:
        raise CheckpointError(str(err)) from None
    if not isinstance(manifest, dict):
        raise CheckpointError(f"{path}: expected a JSON object file -> sha256, got "
                              f"{type(manifest).__name__}; restore it with "
                              f"`git checkout -- {path}`")
    return manifest


def write_manifest(root: Path, manifest: dict[str, str]) -> None:
    atomic_write_text(Path(root) / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def available(root: Path | None = None) -> list[str]:
    """Names (DOCUMENT/MODEL) of the checkpoints listed in the manifest."""
    files = read_manifest(Path(root) if root else CHECKPOINTS)
    return sorted(f[: -len(".json")] for f in files if f.endswith(".json"))


def by_document(root: Path | None = None) -> dict[str, list[str]]:
    """The shipped checkpoints grouped by document key."""
    groups: dict[str, list[str]] = {}
    for name in available(root):
        groups.setdefault(name.split("/", 1)[0], []).append(name)
    return groups


def check_name(name: str) -> str:
    if isinstance(name, str) and name in RENAMED:
        raise CheckpointError(f"the model {name!r} is now {RENAMED[name]!r}: checkpoints are named "
                              f"DOCUMENT/MODEL; load {RENAMED[name]!r}")
    try:
        return check_model_name(name)
    except ValueError as err:
        raise CheckpointError(str(err)) from None


def inside(root: Path, filename: str) -> Path:
    """``root / filename``, refused unless it resolves inside ``root`` (a name is a path)."""
    root = Path(root)
    path = root / filename
    if not path.resolve().is_relative_to(root.resolve()):
        raise CheckpointError(f"{filename!r}: resolves outside the checkpoint folder {root}")
    return path


def save(name: str, nets: dict[str, nn.Module], info: dict, root: Path,
         snapshot_dir: Path | None = None) -> list[Path]:
    """Write NAME.safetensors + NAME.json into ``root`` (weights in ``info["ship_dtype"]``,
    float32 by default) with the training snapshots ``info["snapshots"]`` from
    ``snapshot_dir``, and record every file's sha256 in the manifest."""
    check_name(name)
    root = Path(root)
    weights, meta = inside(root, f"{name}.safetensors"), inside(root, f"{name}.json")
    weights.parent.mkdir(parents=True, exist_ok=True)
    dtype = getattr(torch, info.get("ship_dtype", "float32"))
    tensors = {f"{net}.{key}": (value.to(dtype) if value.is_floating_point() else value)
               .detach().cpu().contiguous()
               for net, module in nets.items() for key, value in module.state_dict().items()}
    save_file(tensors, str(weights))
    atomic_write_text(meta, json.dumps(info, indent=2, sort_keys=True) + "\n")
    with manifest_lock(root):   # two training runs may ship at the same moment
        manifest = read_manifest(root)
        manifest.update({f"{name}.safetensors": sha256(weights), f"{name}.json": sha256(meta)})
        pngs = [snapshot_file(e) for e in info.get("snapshots", [])] + [
            track_file(t["step"]) for t in info.get("track", [])]
        for png in pngs:
            source = Path(snapshot_dir) / png
            target = root / f"{name}.snapshots" / png
            if source.resolve() != target.resolve():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read_bytes())
            manifest[f"{name}.snapshots/{png}"] = sha256(target)
        write_manifest(root, manifest)
    return [weights, meta]


def drop_networks(name: str, drop: list[str], reason: str, root: Path | None = None) -> None:
    """Stop shipping some networks of a shipped checkpoint (e.g. a discriminator no chapter
    shows): its weights file is rewritten without them, its JSON says which and why
    (``repacked``; ``networks`` and the config's ``shipped`` follow), the manifest is updated.
    The other networks' tensors are copied unchanged, so the recorded metrics still hold."""
    def without(info, tensors):
        unknown = set(drop) - set(info["networks"])
        if unknown or set(drop) >= set(info["networks"]):
            raise ValueError(f"{name}: expected to drop some but not all of the shipped "
                             f"networks {info['networks']}, got {sorted(drop)}")
        info["networks"] = [n for n in info["networks"] if n not in drop]
        info["config"]["shipped"] = list(info["networks"])
        return ({"dropped": sorted(drop), "reason": reason},
                {k: v for k, v in tensors.items() if k.split(".")[0] not in drop})
    _repack(name, without, root)


def to_float16(name: str, reason: str, root: Path | None = None) -> None:
    """Store a shipped checkpoint's floating-point tensors in float16 (half the bytes): what
    ``ship_dtype="float16"`` does at training time, for a model shipped before.  Its JSON
    says so and why (``repacked``; the config's ``ship_dtype`` follows).  The networks load
    as float32 as before; a caller checks that the numbers it shows did not change."""
    def halved(info, tensors):
        dtypes = sorted({str(v.dtype).removeprefix("torch.") for v in tensors.values()
                         if v.is_floating_point()})
        if dtypes == ["float16"]:
            raise ValueError(f"{name}: already stored in float16")
        info["config"]["ship_dtype"] = info["ship_dtype"] = "float16"
        return ({"dtype": "float16", "from": dtypes, "reason": reason},
                {k: v.half() if v.is_floating_point() else v for k, v in tensors.items()})
    _repack(name, halved, root)


def _repack(name: str, change, root: Path | None) -> None:
    """Rewrite a shipped checkpoint's weights and JSON by ``change(info, tensors) -> (record,
    tensors)`` (``info`` edited in place), ``record`` appended to the JSON's ``repacked``;
    the manifest follows."""
    root = Path(root) if root else CHECKPOINTS
    meta = verified_file(root, f"{check_name(name)}.json", name)
    weights = verified_file(root, f"{name}.safetensors", name)
    info = json.loads(meta.read_text())
    record, tensors = change(info, load_file(str(weights)))
    save_file(tensors, str(weights))
    info.setdefault("repacked", []).append(record)
    atomic_write_text(meta, json.dumps(info, indent=2, sort_keys=True) + "\n")
    with manifest_lock(root):
        manifest = read_manifest(root)
        manifest.update({f"{name}.safetensors": sha256(weights), f"{name}.json": sha256(meta)})
        write_manifest(root, manifest)


@contextlib.contextmanager
def manifest_lock(root: Path):
    """An exclusive lock on the manifest of ``root`` (a file lock; POSIX)."""
    with file_lock(Path(root) / ".manifest.lock"):
        yield


def verified_file(root: Path, filename: str, name: str) -> Path:
    path = inside(root, filename)
    retrain = f"retrain it with `python -m gae_lib train {name} --ship`"
    expected = read_manifest(root).get(filename)
    if expected is None:
        raise CheckpointError(f"{path}: not listed in {root / MANIFEST}; "
                              f"known models: {', '.join(available(root)) or 'none'}; {retrain}")
    if not path.exists():
        raise CheckpointError(f"{path}: file is missing; restore it with "
                              f"`git checkout -- {path}` or {retrain}")
    got = sha256(path)
    if got != expected:
        raise CheckpointError(f"{path}: sha256 {got} does not match the manifest's {expected} "
                              f"(truncated or altered file); restore it with "
                              f"`git checkout -- {path}` or {retrain}")
    return path


def read_info(name: str, root: str | Path | None = None) -> dict:
    """The JSON record of a shipped checkpoint (hash-verified, as ``load`` reads it)."""
    root = Path(root) if root else CHECKPOINTS
    path = verified_file(root, f"{check_name(name)}.json", name)
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise CheckpointError(f"{path}: not valid JSON ({err})") from None


def load(name: str, root: str | Path | None = None, device: str = "cpu") -> nn.ModuleDict:
    """The trained networks of ``name`` (hash-verified) as an nn.ModuleDict in eval mode.

    ``.info`` holds the JSON record, ``.config`` the TrainConfig.  An encoder
    trained for a frozen GAN generator comes with that generator.  An old name (before
    the zoo was split by document) fails with a message naming the new one.
    """
    root = Path(root) if root else CHECKPOINTS
    info = read_info(name, root)
    cfg = TrainConfig.from_dict(info["config"])
    # Networks the family takes from another zoo model (E_NN's frozen G) come from there.
    nets = family_of(cfg).build(cfg, load=lambda other: load(other, root, device))
    state = load_file(str(verified_file(root, f"{name}.safetensors", name)))
    for net_name in info["networks"]:
        prefix = f"{net_name}."
        part = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
        nets[net_name].load_state_dict(part, strict=True)
    # A network trained but not shipped (e.g. a GAN's discriminator) is left out, not random.
    keep = set(info["networks"]) | set(family_of(cfg).frozen(cfg))
    model = nn.ModuleDict({k: v for k, v in nets.items() if k in keep}).to(device).eval()
    if torch.device(device).type == "cpu":
        for net in model.values():
            if isinstance(net, Classifier):   # oneDNN's channels_last kernels: the same
                net.to(memory_format=torch.channels_last)   # logits, 1.7-2.6x the images/s
    if "generator" in model:   # the inverters check that they fit its prior (invert.py)
        model.generator.trained_prior = cfg.prior
    model.info, model.config = info, cfg
    return model


def track_snapshots(name: str, root: str | Path | None = None) -> dict[int, torch.Tensor]:
    """The snapshots taken every few steps (``gae_lib.tracking``; hash-verified): step ->
    grid of 64 samples of fixed codes (C x H x W in [0, 1])."""
    root = Path(root) if root else CHECKPOINTS
    info = read_info(name, root)
    return {t["step"]: read_png(verified_file(root, f"{name}.snapshots/{track_file(t['step'])}",
                                              name))
            for t in info.get("track", [])}


def snapshots(name: str, root: str | Path | None = None) -> dict[int, torch.Tensor]:
    """The training snapshots shipped with ``name`` (hash-verified): epoch -> image grid
    (C x H x W in [0, 1]; gae_lib.snapshots)."""
    root = Path(root) if root else CHECKPOINTS
    info = read_info(name, root)
    return {epoch: read_png(verified_file(root, f"{name}.snapshots/{snapshot_file(epoch)}", name))
            for epoch in info.get("snapshots", [])}
