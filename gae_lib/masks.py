"""Masks for image completion (favuzzi2019 Fig. 4): 1 = known pixel, 0 = hidden."""

from __future__ import annotations

import torch

from .checks import check_images

MASKS = (
    "top half hidden",
    "bottom half hidden",
    "left half hidden",
    "right half hidden",
    "centre box hidden",
    "random 50% hidden",
    "random 80% hidden",
)


def make_mask(kind: str, images: torch.Tensor, seed: int = 0) -> torch.Tensor:
    """A mask shaped like ``images`` (N, C, H, W); random masks differ per image, keep the
    channels together, and are reproducible from ``seed``."""
    images = check_images(images, "images", size=None)
    if kind not in MASKS:
        raise ValueError(f"mask kind: expected one of {MASKS}, got {kind!r}")
    n, c, h, w = images.shape
    mask = torch.ones(n, 1, h, w)
    if kind == "top half hidden":
        mask[..., : h // 2, :] = 0
    elif kind == "bottom half hidden":
        mask[..., h // 2 :, :] = 0
    elif kind == "left half hidden":
        mask[..., : w // 2] = 0
    elif kind == "right half hidden":
        mask[..., w // 2 :] = 0
    elif kind == "centre box hidden":
        mask[..., h // 4 : h - h // 4, w // 4 : w - w // 4] = 0
    else:
        hidden = 0.5 if kind.startswith("random 50") else 0.8
        rng = torch.Generator().manual_seed(seed)
        mask = (torch.rand(n, 1, h, w, generator=rng) >= hidden).float()
    return mask.expand(n, c, h, w).contiguous().to(images.device)


def hidden_mse(x: torch.Tensor, completed: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Per-image MSE on the hidden pixels only (what a completion has to invent)."""
    hidden = 1 - mask
    return ((completed - x).pow(2) * hidden).flatten(1).sum(1) / hidden.flatten(1).sum(1).clamp_min(
        1
    )


def with_unknown_grey(images: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Corrupted input (and its display): unknown pixels (mask 0) mid-grey."""
    return images * mask  # 0 is mid-grey in [-1, 1]
