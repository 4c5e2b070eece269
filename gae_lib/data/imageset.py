"""A dataset of uint8 images held in memory, served as floats in [-1, 1]."""

from __future__ import annotations

import torch
from torch.utils.data import Dataset


def to_signed(images_uint8: torch.Tensor) -> torch.Tensor:
    """uint8 [0, 255] -> float32 [-1, 1], the range of the generators' tanh output."""
    return images_uint8.to(torch.float32).div(127.5).sub(1.0)


class ImageSet(Dataset):
    """``images``: uint8 N x C x 28 x 28; ``labels``: int64 N; ``source``: where they came from."""

    def __init__(self, images: torch.Tensor, labels: torch.Tensor, source: str, classes: list):
        if images.dtype != torch.uint8 or images.ndim != 4:
            raise ValueError(
                f"expected uint8 images of shape N x C x H x W, got {images.dtype} "
                f"{tuple(images.shape)}"
            )
        if len(labels) != len(images):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        self.images, self.labels = images, labels
        self.source, self.classes = source, classes

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        return to_signed(self.images[i]), int(self.labels[i])

    def tensors(self) -> tuple[torch.Tensor, torch.Tensor]:
        return to_signed(self.images), self.labels.clone()

    def batch(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return to_signed(self.images[idx]), self.labels[idx]
