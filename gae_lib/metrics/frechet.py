"""Frechet distance between two image sets in the MNIST classifier's 128-d penultimate
features (the FID recipe of Heusel et al. 2017 with an MNIST network instead of Inception)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from scipy import linalg

from ..checks import check_codes, check_images
from ..batching import batched


@torch.no_grad()
def classifier_features(classifier, images) -> torch.Tensor:
    images = check_images(images, "images", channels=getattr(classifier, "channels", None))
    device = next(classifier.parameters()).device
    return batched(lambda b: classifier.features(b.to(device)).cpu(), images)


def frechet_distance(features_a, features_b) -> float:
    """||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)) of Gaussians fitted to two
    feature sets (N, D); each set needs at least two rows."""
    a = check_codes(features_a, "features_a").double().cpu().numpy()
    b = check_codes(features_b, "features_b").double().cpu().numpy()
    if a.shape[1] != b.shape[1] or len(a) < 2 or len(b) < 2:
        raise ValueError(f"expected two feature sets (N >= 2, same D), got {a.shape} and {b.shape}")
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # Tr (S_a S_b)^(1/2) = sum of sqrt eigenvalues of S_a^(1/2) S_b S_a^(1/2), a symmetric PSD
    # matrix: stable where sqrtm(S_a S_b) warns (singular covariances of dead ReLU units).
    w, v = linalg.eigh(cov_a)
    root_a = (v * np.sqrt(w.clip(min=0))) @ v.T
    trace_root = np.sqrt(linalg.eigvalsh(root_a @ cov_b @ root_a).clip(min=0)).sum()
    value = ((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root
    return float(max(value, 0.0))


@dataclass
class FrechetResult:
    distance: float   # model samples vs reference real images
    floor: float      # a second real set vs the same reference: what "as good as data" reads


def frechet_with_floor(classifier, samples, reference, other_real) -> FrechetResult:
    """Frechet distance of ``samples`` to ``reference``, beside the real-vs-real floor
    (``other_real``: real images not in ``reference``, ideally as many as ``samples``)."""
    real = FrechetReference(classifier, reference, other_real)
    return FrechetResult(real.distance(samples), real.floor)


class FrechetReference:
    """Real images' features computed once, for comparing many models with the same real set:
    ``ref.distance(samples)`` per model, ``ref.floor`` the real-vs-real distance (the same as
    ``frechet_with_floor`` gives, without re-computing the real features per model)."""

    def __init__(self, classifier, reference, other_real):
        self.classifier = classifier
        self.features = classifier_features(classifier, reference)
        self.floor = frechet_distance(classifier_features(classifier, other_real), self.features)

    def distance(self, samples) -> float:
        return frechet_distance(classifier_features(self.classifier, samples), self.features)
