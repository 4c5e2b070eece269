"""Zoo networks as ONNX files, for the website's in-browser sliders (onnxruntime-web).

    python -m gae_lib export favuzzi2019/dcgan [--out DIR]

writes ``DIR/favuzzi2019/dcgan.generator.onnx`` (the frozen inference copy of G: BatchNorm
folded into the convolutions, gae_lib.inference) and ``DIR/book/classifier.onnx``, each with
a JSON beside it naming the checkpoint's sha256 and its own: a file whose checkpoint has not
changed, and which is still the file written, is not exported again (an export costs
seconds; the book's build asks for the same files in every run).  Inputs and outputs:
``z`` (N x D) -> ``image`` (N x C x 28 x 28 in [-1, 1]);
``image`` -> ``logits`` (N x 10).  Files are written atomically, so two chapters executing
side by side never read a half-written file.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import warnings
from pathlib import Path

import torch
from torch import nn

from . import zoo
from .files import write_json
from .inference import frozen_copy
from .site import STATIC

CLASSIFIER = "book/classifier"
DEFAULT_OUT = STATIC / "live"   # the website serves it as _static/live/
OPSET = 18


def checkpoint_digest(name: str) -> str:
    digest = zoo.read_manifest(zoo.CHECKPOINTS).get(f"{zoo.check_name(name)}.safetensors")
    if digest is None:
        raise ValueError(f"{name!r} is not in the zoo; expected one of "
                         f"{', '.join(zoo.available())}")
    return digest


def onnx_path(out: Path, name: str, role: str) -> Path:
    return Path(out) / (f"{name}.onnx" if name == CLASSIFIER else f"{name}.{role}.onnx")


def _write_onnx(net: nn.Module, example: torch.Tensor, path: Path, names: tuple[str, str]):
    net = net.eval().to(memory_format=torch.contiguous_format)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(suffix=".onnx", dir=path.parent)
    os.close(handle)
    try:
        # The exporter prints its progress and warns about its own internals.
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            torch.onnx.export(net, (example,), tmp, input_names=[names[0]],
                              output_names=[names[1]], dynamo=True, external_data=False,
                              opset_version=OPSET, verbose=False,
                              dynamic_shapes=({0: torch.export.Dim("n", min=1)},))
        os.chmod(tmp, 0o644)     # mkstemp makes it private; a web server must read it
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def export_network(name: str, role: str, out: Path = DEFAULT_OUT) -> Path:
    """One network of a zoo checkpoint as ONNX; skipped when the file was exported from the
    same checkpoint (its sha256) already."""
    path = onnx_path(out, name, role)
    stamp = path.with_suffix(".json")
    digest = checkpoint_digest(name)
    if up_to_date(path, stamp, digest):
        return path
    nets = zoo.load(name)
    if role not in nets:
        raise ValueError(f"{name} has no {role!r} network; it has {', '.join(nets)}")
    if role == "generator":
        net = frozen_copy(nets[role])
        example, names = torch.zeros(2, net.latent_dim), ("z", "image")
    elif role == "classifier":
        net, names = nets[role], ("image", "logits")
        example = torch.zeros(2, getattr(net, "channels", 1), 28, 28)
    else:
        raise ValueError(f"role: expected 'generator' or 'classifier', got {role!r}")
    _write_onnx(net, example, path, names)
    write_json(stamp, {"checkpoint": name, "network": role, "checkpoint_sha256": digest,
                       "onnx_sha256": zoo.sha256(path), "input": names[0], "output": names[1],
                       "opset": OPSET})
    return path


def up_to_date(path: Path, stamp: Path, digest: str) -> bool:
    """Whether ``path`` was exported from the checkpoint of sha256 ``digest`` and is the very
    file the stamp records (a truncated or altered ONNX file is exported again)."""
    if not (path.exists() and stamp.exists()):
        return False
    try:
        record = json.loads(stamp.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return (isinstance(record, dict) and record.get("checkpoint_sha256") == digest
            and record.get("onnx_sha256") == zoo.sha256(path))


def export(name: str, out: Path = DEFAULT_OUT, classifier: bool = True) -> list[Path]:
    """The generator of zoo model ``name`` and (by default) the book's classifier."""
    paths = [export_network(name, "generator", out)]
    if classifier:
        paths.append(export_network(CLASSIFIER, "classifier", out))
    return paths
