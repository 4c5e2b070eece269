"""Stacked-MNIST (VEEGAN protocol): three MNIST digits as the R, G, B channels.

1000 modes (000..999); a model that covers the data hits all of them with
about equal frequency.  Built from MNIST by seeded index triples, so the same
seed gives the same images on every machine.
"""
from __future__ import annotations

import torch
from torch.utils.data import Dataset

from .imageset import to_signed

VEEGAN_SIZE = 128_000


class StackedMNIST(Dataset):
    # digits: uint8 N x 28 x 28; indexing with (n, 3) triples gives n x 3 x 28 x 28.
    def __init__(self, digits: torch.Tensor, digit_labels: torch.Tensor, n: int, seed: int,
                 source: str):
        g = torch.Generator().manual_seed(seed)
        self.triples = torch.randint(0, len(digits), (n, 3), generator=g)
        self.digits, self.digit_labels = digits, digit_labels
        self.source = f"Stacked-MNIST built from {source} (seed {seed}, {n} images)"
        self.classes = [f"{i:03d}" for i in range(1000)]

    def __len__(self) -> int:
        return len(self.triples)

    def label(self, idx: torch.Tensor) -> torch.Tensor:
        d = self.digit_labels[self.triples[idx]]
        return d[..., 0] * 100 + d[..., 1] * 10 + d[..., 2]

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        return to_signed(self.digits[self.triples[i]]), int(self.label(torch.tensor(i)))

    def batch(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return to_signed(self.digits[self.triples[idx]]), self.label(idx)

    def tensors(self) -> tuple[torch.Tensor, torch.Tensor]:
        return to_signed(self.digits[self.triples]), self.label(torch.arange(len(self)))
