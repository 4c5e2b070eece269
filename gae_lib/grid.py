"""Images tiled into one grid, as torchvision.utils.make_grid tiles them (tested equal).
Our own because importing anything from torchvision costs about 2.5 s per process (it loads
torchvision.models and torch._dynamo), and every chapter draws grids."""

from __future__ import annotations

import math

import torch


def make_grid(images: torch.Tensor, nrow: int = 8, padding: int = 2,
              pad_value: float = 0.0) -> torch.Tensor:
    """N x C x H x W (C = 1 or 3) -> 3 x H' x W': ``nrow`` images per row, ``padding`` pixels
    of ``pad_value`` around each; grey images become three equal channels; one image is
    returned as it is (no padding), as torchvision does."""
    if images.ndim != 4 or images.shape[1] not in (1, 3):
        raise ValueError(f"expected images N x C x H x W with C in (1, 3), got "
                         f"{tuple(images.shape)}")
    if images.shape[1] == 1:
        images = images.expand(-1, 3, -1, -1)
    n, channels, h, w = images.shape
    if n == 1:
        return images[0].clone()
    columns = min(nrow, n)
    rows = math.ceil(n / columns)
    grid = images.new_full((channels, (h + padding) * rows + padding,
                            (w + padding) * columns + padding), pad_value)
    for k in range(n):
        y, x = divmod(k, columns)
        top, left = y * (h + padding) + padding, x * (w + padding) + padding
        grid[:, top:top + h, left:left + w] = images[k]
    return grid
