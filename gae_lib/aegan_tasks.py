"""What lazarou2022's claims are measured with: mode collapse read from the classifier's
class shares (Fig. 3, sec. 4.1), interpolation between encoded real images (Fig. 1), and
the training records the loop kept every few steps (``gae_lib.tracking``)."""
from __future__ import annotations

import math

import torch

from .batching import batched
from .checks import check_images, check_positive_int
from .metrics.frechet import classifier_features, frechet_distance

CLASSES = 10


def class_shares(images: torch.Tensor, classifier) -> torch.Tensor:
    """Share of ``images`` the classifier gives each digit (10,), summing to 1."""
    images = check_images(images, "images")
    with torch.no_grad():
        labels = batched(lambda b: classifier(b).argmax(1), images)
    return torch.bincount(labels, minlength=CLASSES).double() / len(labels)


@torch.no_grad()
def judged(images: torch.Tensor, classifier, reference) -> tuple[torch.Tensor, float]:
    """Class shares and Frechet distance to ``reference`` (a ``metrics.FrechetReference`` of
    the same classifier) from one pass of the classifier: its logits are its head on the
    features the distance uses."""
    features = classifier_features(classifier, images)
    device = next(classifier.parameters()).device
    labels = batched(lambda f: classifier.head(f.to(device)).argmax(1).cpu(), features)
    shares = torch.bincount(labels, minlength=CLASSES).double() / len(labels)
    return shares, frechet_distance(features, reference.features)


def kl_to_uniform(shares) -> float:
    """KL(shares || uniform over the digits) in nats: 0 for even shares, log 10 = 2.30 when
    every sample is one digit."""
    p = torch.as_tensor(shares, dtype=torch.float64)
    if p.dim() != 1 or len(p) != CLASSES or (p < 0).any() or abs(p.sum().item() - 1) > 1e-3:
        raise ValueError(f"shares: expected {CLASSES} non-negative shares summing to 1, got "
                         f"{p.tolist()}")
    present = p[p > 0]
    return float((present * (present * CLASSES).log()).sum())


def collapsed(shares, threshold: float) -> bool:
    """Mode collapse as the chapter defines it: KL(class shares || uniform) above
    ``threshold`` nats."""
    return kl_to_uniform(shares) > threshold


def even_digits(kl: float) -> float:
    """How many equally likely digits give this KL (10 exp(-KL)): a readable scale."""
    return CLASSES * math.exp(-kl)


@torch.no_grad()
def interpolate(model, first: torch.Tensor, second: torch.Tensor, steps: int = 10
                ) -> torch.Tensor:
    """lazarou2022 Fig. 1: encode image pairs, walk the straight line between their codes,
    decode.  ``first``/``second``: (N, C, H, W); returns (N, steps, C, H, W), the ends
    G(E(first)) and G(E(second)) included."""
    steps = check_positive_int(steps, "steps")
    if steps < 2:
        raise ValueError(f"steps: expected at least 2 (the two ends), got {steps}")
    first, second = check_images(first, "first"), check_images(second, "second")
    if first.shape != second.shape:
        raise ValueError(f"first and second: expected the same shape, got "
                         f"{tuple(first.shape)} and {tuple(second.shape)}")
    a, b = model.encode(first), model.encode(second)
    t = torch.linspace(0, 1, steps)[None, :, None]
    codes = (1 - t) * a[:, None] + t * b[:, None]                 # (N, steps, D)
    images = model.decode(codes.flatten(0, 1))
    return images.unflatten(0, (len(first), steps))


@torch.no_grad()
def confidence(images: torch.Tensor, classifier) -> torch.Tensor:
    """The classifier's top probability for each image (any leading shape)."""
    flat = images.flatten(0, images.dim() - 4)
    probs = batched(lambda b: classifier(b).softmax(1).max(1).values, flat)
    return probs.reshape(images.shape[: images.dim() - 3])


def tracked(info: dict, key: str) -> dict[int, object]:
    """A model's training record kept every few steps (``info["track"]`` of its JSON):
    step -> the value of ``key`` ("frechet", "class_shares", ...)."""
    track = info.get("track") or []
    if not track:
        raise ValueError(f"{info.get('name', 'model')}: no training record every few steps "
                         "(trained with track_every=0)")
    return {t["step"]: t[key] for t in track}
