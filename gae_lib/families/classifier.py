"""The MNIST classifier the book measures samples with (cross-entropy)."""
from __future__ import annotations

from .. import data, losses
from ..config import Adam
from ..metrics.samples import test_accuracy
from ..nets import NetSpec
from .base import Family, optimise


def step(nets, opts, x, y, cfg, iteration):
    logits = nets["classifier"](x)
    return {"xent": optimise(opts, ["classifier"], losses.classification_loss(logits, y)),
            "accuracy": (logits.argmax(1) == y).float().mean().item()}


def evaluate(cfg, nets, load):
    x, y = data.tensors(cfg.dataset, "test")
    return {"test_accuracy": test_accuracy(nets["classifier"], x, y)}


FAMILY = Family(
    name="classifier", networks={"classifier": NetSpec("cnn")}, trained=("classifier",),
    optimisers={"classifier": Adam(1e-3, (0.9, 0.999))}, step=step, evaluate=evaluate,
    measured_with_classifier=False)
