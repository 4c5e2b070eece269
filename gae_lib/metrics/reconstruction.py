"""Reconstruction error per image (favuzzi2019 eq. 1 and sec. 4; latentspace2020 sec. 5)."""

from __future__ import annotations

import torch

from ..checks import check_images
from ..losses import l1_per_image, masked_mse_per_image

KINDS = ("mse", "l1")


def reconstruction_error(x, x_rec, kind: str = "mse") -> torch.Tensor:
    """Per-image error between originals and reconstructions, shape (N,).
    ``mse``: mean squared error over pixels; ``l1``: sum of absolute errors (favuzzi2019's L1)."""
    if kind not in KINDS:
        raise ValueError(f"kind: expected one of {KINDS}, got {kind!r}")
    x = check_images(x, "x", size=None)
    x_rec = check_images(x_rec, "x_rec", size=None)
    if x.shape != x_rec.shape:
        raise ValueError(
            f"x_rec: expected the shape of x {tuple(x.shape)}, got {tuple(x_rec.shape)}"
        )
    x_rec = x_rec.to(x.device, x.dtype)
    with torch.no_grad():
        return masked_mse_per_image(x, x_rec) if kind == "mse" else l1_per_image(x, x_rec)
