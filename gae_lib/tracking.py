"""Training measured as it goes, within an epoch: every ``cfg.track_every`` steps the loop
draws TRACK_SAMPLES images from fixed prior codes and records their Frechet distance to test
digits in the book classifier's features and their class shares (the classifier's argmax),
and writes the first 64 as a snapshot PNG (``step-NNNNNN.png``, shipped with the model).

For models trained for about one epoch (lazarou2022's AEGAN costs ~33 CPU minutes an
epoch), per-epoch snapshots would give one point; this gives the curve of mode collapse and
sample quality over training (``zoo.track``)."""
from __future__ import annotations

import time
from pathlib import Path

import torch

from . import data
from .batching import batched
from .metrics.frechet import FrechetReference
from .priors import make_prior
from .snapshots import N_SNAPSHOT, write_png

TRACK_SAMPLES = 2_000
TRACK_SEED = 20_191_001   # fixed codes of the tracked samples (not a training seed)


def file_name(step: int) -> str:
    return f"step-{step:06d}.png"


class Tracker:
    """The fixed codes and the real digits' features, prepared once per training run."""

    def __init__(self, cfg, classifier, out: Path, device):
        self.every, self.out, self.device = cfg.track_every, Path(out), device
        self.classifier = classifier.to(device).eval()
        x, _ = data.tensors(cfg.dataset, "test", n=2 * TRACK_SAMPLES)
        with torch.no_grad():   # real-vs-real floor: the second 2,000 test digits vs the first
            self.reference = FrechetReference(self.classifier, x[:TRACK_SAMPLES],
                                              x[TRACK_SAMPLES:])
        prior = make_prior(cfg.prior, cfg.latent_dim)
        self.z = prior.sample(TRACK_SAMPLES, generator=torch.Generator().manual_seed(TRACK_SEED))

    def due(self, step: int) -> bool:
        return self.every > 0 and step % self.every == 0

    @torch.no_grad()
    def measure(self, generator, step: int) -> dict:
        """The generator's samples now: Frechet distance, class shares, a snapshot PNG."""
        t0, was_training = time.time(), generator.training
        generator.eval()
        try:
            images = batched(lambda z: generator(z.to(self.device)).float().cpu(), self.z)
        finally:
            generator.train(was_training)
        labels = batched(lambda b: self.classifier(b.to(self.device)).argmax(1).cpu(), images)
        shares = torch.bincount(labels, minlength=10).float() / len(labels)
        write_png(images[:N_SNAPSHOT], self.out / "snapshots" / file_name(step))
        return {"step": step, "frechet": round(self.reference.distance(images), 4),
                "frechet_floor": round(self.reference.floor, 4),
                "class_shares": [round(s, 4) for s in shares.tolist()],
                "seconds": round(time.time() - t0, 1)}
