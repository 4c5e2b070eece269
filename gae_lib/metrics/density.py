"""Density of encoding (favuzzi2019, sec. 4, eq. 3): the share of decoded prior samples that an
independently trained GAN (the outlier detector) can reproduce as well as it reproduces 99%
of the real test digits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from scipy.stats import beta

from ..checks import check_images
from ..invert import algorithm1
from ..losses import l1_per_image


def detector_errors(detector, images, **invert_kwargs) -> torch.Tensor:
    """L1 error ||x - G_out(z)||_1 of each image after Algorithm 1 with the detector's G."""
    images = check_images(images, "images", channels=getattr(detector, "channels", None))
    found = algorithm1(detector, images, **invert_kwargs)
    return l1_per_image(images.to(found.images.device), found.images).cpu()


def outlier_threshold(detector, test_images, percentile: float = 99.0, **invert_kwargs):
    """(threshold, errors): the ``percentile`` of the detector's L1 errors on real test images
    (favuzzi2019 Fig. 12: 99%, so that Algorithm 1's rare failures do not set the bar)."""
    if not 0 < percentile <= 100:
        raise ValueError(f"percentile: expected a value in (0, 100], got {percentile!r}")
    errors = detector_errors(detector, test_images, **invert_kwargs)
    return float(np.percentile(errors.numpy(), percentile)), errors


def binomial_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for a proportion; with 0 of n it is [0, 1-(a/2)^(1/n)],
    which is what "no legit sample in n" can claim."""
    if n < 1 or not 0 <= successes <= n:
        raise ValueError(f"expected 0 <= successes <= n and n >= 1, got {successes} of {n}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: expected a value in (0, 1), got {confidence!r}")
    a = 1 - confidence
    lo = 0.0 if successes == 0 else float(beta.ppf(a / 2, successes, n - successes + 1))
    hi = 1.0 if successes == n else float(beta.ppf(1 - a / 2, successes + 1, n - successes))
    return lo, hi


@dataclass
class DensityOfEncoding:
    doe: float  # eq. 3: #non-outliers / #samples
    non_outliers: int
    samples: int
    interval: tuple[float, float]  # 95% Clopper-Pearson interval of doe
    errors: torch.Tensor  # detector L1 error of each sample

    @property
    def low(self) -> float:
        return self.interval[0]

    @property
    def high(self) -> float:
        return self.interval[1]


def density_of_encoding(samples, detector, threshold: float, **invert_kwargs) -> DensityOfEncoding:
    """favuzzi2019 eq. 3 for decoded prior samples G(z), z ~ P_Z: a sample is legit (a
    non-outlier) when the detector GAN reproduces it with L1 error <= ``threshold``."""
    if not np.isfinite(threshold) or threshold < 0:
        raise ValueError(f"threshold: expected a finite L1 error >= 0, got {threshold!r}")
    errors = detector_errors(detector, samples, **invert_kwargs)
    k = int((errors <= threshold).sum())
    return DensityOfEncoding(
        k / len(errors), k, len(errors), binomial_interval(k, len(errors)), errors
    )
