"""Are samples new images or copies of training images?  Each sample's distance to its
nearest training image, beside the same distance for held-out real images (a new digit
drawn by a person is that far from the training set)."""
from __future__ import annotations

import torch

from ..checks import check_images


@torch.no_grad()
def nearest_distances(images: torch.Tensor, reference: torch.Tensor,
                      chunk: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """Per image, the RMS pixel distance (sqrt of the MSE) to its nearest ``reference`` image
    and that image's index."""
    images = check_images(images, "images").flatten(1).float()
    reference = check_images(reference, "reference").flatten(1).float()
    if images.shape[1] != reference.shape[1]:
        raise ValueError(f"images and reference: expected the same number of channels, got "
                         f"{images.shape[1]} and {reference.shape[1]} values per image")
    distances, indices = [], []
    for part in images.split(chunk):
        d, i = torch.cdist(part, reference).min(1)
        distances.append(d / images.shape[1] ** 0.5)
        indices.append(i)
    return torch.cat(distances), torch.cat(indices)
