"""Density of encoding (favuzzi2019, sec. 4, eq. 3): the share of decoded prior samples that an
independently trained GAN (the outlier detector) can reproduce as well as it reproduces 99%
of the real test digits.

The detector's error on an image is the smallest L1 error ||x - G_out(z)||_1 over the codes
Algorithm 1 visits (it descends on the MSE).  A sample is legit once that error is at most
the threshold, so its descent stops there: the decision is the one a full descent gives,
at a fraction of the cost (measured on the shipped models: 46,000 instead of 80,000
image-steps for 4 x 200 samples, the GAN's samples being legit after ~20 of 100 steps)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from scipy.special import betaincinv

from ..checks import check_images
from ..invert import algorithm1
from ..losses import l1_per_image


def detector_errors(detector, images, stop_below: float | None = None, **invert_kwargs):
    """(errors, steps): the smallest L1 error ||x - G_out(z)||_1 over the codes Algorithm 1
    visits with the detector's G, and the Adam steps each image took; with ``stop_below`` an
    image stops once its error is at most that (then its error is only known to be <= it)."""
    images = check_images(images, "images", channels=getattr(detector, "channels", None))
    found = algorithm1(detector, images, watch=l1_per_image, stop_below=stop_below,
                       **invert_kwargs)
    return found.watched.cpu(), found.steps


def outlier_threshold(detector, test_images, percentile: float = 99.0, **invert_kwargs):
    """(threshold, errors): the ``percentile`` of the detector's L1 errors on real test images
    (favuzzi2019 Fig. 12: 99%, so that Algorithm 1's rare failures do not set the bar)."""
    if not 0 < percentile <= 100:
        raise ValueError(f"percentile: expected a value in (0, 100], got {percentile!r}")
    errors, _ = detector_errors(detector, test_images, **invert_kwargs)
    return float(np.percentile(errors.numpy(), percentile)), errors


def binomial_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for a proportion; with 0 of n it is [0, 1-(a/2)^(1/n)],
    which is what "no legit sample in n" can claim."""
    if n < 1 or not 0 <= successes <= n:
        raise ValueError(f"expected 0 <= successes <= n and n >= 1, got {successes} of {n}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: expected a value in (0, 1), got {confidence!r}")
    a = 1 - confidence
    lo = 0.0 if successes == 0 else float(betaincinv(successes, n - successes + 1, a / 2))
    hi = 1.0 if successes == n else float(betaincinv(successes + 1, n - successes, 1 - a / 2))
    return lo, hi


@dataclass
class DensityOfEncoding:
    doe: float  # eq. 3: #non-outliers / #samples
    non_outliers: int
    samples: int
    interval: tuple[float, float]  # 95% Clopper-Pearson interval of doe
    threshold: float
    errors: torch.Tensor  # detector L1 error of each sample; <= the threshold once legit
    steps: torch.Tensor   # Adam steps until the sample was legit (all of them for an outlier)

    def ranked(self) -> torch.Tensor:
        """Sample indices from the one the detector likes least to the one it likes most:
        outliers by error (largest first), then legit samples by the steps the detector
        needed to reproduce them (most first)."""
        outlier = (self.errors > self.threshold).float()
        return torch.from_numpy(np.lexsort((
            -self.errors.numpy(), -self.steps.numpy(), -outlier.numpy())).copy())

    @property
    def low(self) -> float:
        return self.interval[0]

    @property
    def high(self) -> float:
        return self.interval[1]


def density_of_encoding(samples, detector, threshold: float, **invert_kwargs) -> DensityOfEncoding:
    """favuzzi2019 eq. 3 for decoded prior samples G(z), z ~ P_Z: a sample is legit (a
    non-outlier) when the detector GAN reproduces it with L1 error <= ``threshold``; its
    descent stops as soon as it does."""
    samples = check_images(samples, "samples", channels=getattr(detector, "channels", None))
    return densities_of_encoding({"samples": samples}, detector, threshold,
                                 **invert_kwargs)["samples"]


def densities_of_encoding(samples: dict, detector, threshold: float,
                          **invert_kwargs) -> dict[str, DensityOfEncoding]:
    """``density_of_encoding`` of several models' samples (``{model: images}``) from one
    inversion: one pass of the detector over the starts, and chunks that stay full while one
    model's legit samples leave early.  Each sample's decision is the one it gets alone."""
    if not np.isfinite(threshold) or threshold < 0:
        raise ValueError(f"threshold: expected a finite L1 error >= 0, got {threshold!r}")
    if not isinstance(samples, dict) or not samples:
        raise ValueError(f"samples: expected {{model: images}}, got {type(samples).__name__}")
    channels = getattr(detector, "channels", None)
    images = [check_images(x, f"samples[{name!r}]", channels=channels)
              for name, x in samples.items()]
    errors, steps = detector_errors(detector, torch.cat(images), stop_below=threshold,
                                    **invert_kwargs)
    sizes = [len(x) for x in images]
    return {name: _density(e, s, threshold)
            for name, e, s in zip(samples, errors.split(sizes), steps.split(sizes))}


def _density(errors: torch.Tensor, steps: torch.Tensor, threshold: float) -> DensityOfEncoding:
    k = int((errors <= threshold).sum())
    return DensityOfEncoding(
        k / len(errors), k, len(errors), binomial_interval(k, len(errors)), threshold, errors,
        steps,
    )
