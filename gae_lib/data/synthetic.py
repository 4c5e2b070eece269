"""Images that are not digits, for the out-of-distribution experiments (favuzzi2019, Fig. 9)."""
from __future__ import annotations

import torch

from .imageset import ImageSet


def grey_images(n: int, seed: int) -> ImageSet:
    """Constant images, one grey level each, uniform over [0, 255] (label = -1: no class)."""
    g = torch.Generator().manual_seed(seed)
    levels = torch.randint(0, 256, (n, 1, 1, 1), generator=g, dtype=torch.int64)
    images = levels.expand(n, 1, 28, 28).to(torch.uint8).contiguous()
    return ImageSet(images, torch.full((n,), -1), source="synthetic grey images", classes=[])


def noise_images(n: int, seed: int) -> ImageSet:
    """Pixel-wise uniform noise over [0, 255] (label = -1: no class)."""
    g = torch.Generator().manual_seed(seed)
    images = torch.randint(0, 256, (n, 1, 28, 28), generator=g, dtype=torch.int64).to(torch.uint8)
    return ImageSet(images, torch.full((n,), -1), source="synthetic uniform noise", classes=[])
