"""Mode coverage on Stacked-MNIST (VEEGAN; favuzzi2019 Figs. 6, 8)."""
from __future__ import annotations

from ..checks import check_images
from .samples import stacked_mode_coverage


def mode_coverage(images, classifier) -> dict:
    """Classify each of the three channels; the mode is the digit triple (1000 modes).
    Returns modes covered, samples, KL(model || uniform) and the sorted mode counts."""
    images = check_images(images, "images", channels=3)
    return stacked_mode_coverage(images, classifier, with_counts=True)
