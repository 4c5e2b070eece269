"""Input checks shared by the inverter and the metrics: bad input fails early and
says what was expected, instead of producing a silent NaN three calls later."""

from __future__ import annotations

import warnings

import numpy as np
import torch

# Images live in [-1, 1] (the generators end in tanh); a little slack for
# float round-off of images that went through arithmetic.
IMAGE_RANGE = (-1.0, 1.0)
RANGE_SLACK = 1e-4


def as_tensor(x, name: str) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.from_numpy(x)
    raise ValueError(f"{name}: expected a torch.Tensor or numpy array, got {type(x).__name__}")


def check_finite(x: torch.Tensor, name: str) -> None:
    if x.is_floating_point() and not torch.isfinite(x).all():
        bad = int((~torch.isfinite(x)).sum())
        raise ValueError(f"{name}: expected finite values, found {bad} NaN/inf entries")


def check_images(
    x, name: str = "images", channels: int | None = None, size: tuple[int, int] | None = (28, 28)
) -> torch.Tensor:
    """A non-empty float batch (N, C, H, W) of finite values in [-1, 1]."""
    x = as_tensor(x, name)
    if x.dim() != 4:
        raise ValueError(
            f"{name}: expected a batch of shape (N, C, H, W), got shape {tuple(x.shape)}"
        )
    if len(x) == 0:
        raise ValueError(f"{name}: expected at least one image, got an empty batch")
    if x.numel() == 0:
        raise ValueError(
            f"{name}: expected images with at least one pixel, got shape {tuple(x.shape)}"
        )
    if not x.is_floating_point():
        raise ValueError(f"{name}: expected floating-point pixels in [-1, 1], got dtype {x.dtype}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{name}: expected {channels} channel(s), got shape {tuple(x.shape)}")
    if size is not None and tuple(x.shape[2:]) != tuple(size):
        raise ValueError(f"{name}: expected {size[0]}x{size[1]} images, got shape {tuple(x.shape)}")
    check_finite(x, name)
    lo, hi = x.min().item() + 0.0, x.max().item() + 0.0   # (+ 0.0: -0.0 prints as 0)
    if lo < IMAGE_RANGE[0] - RANGE_SLACK or hi > IMAGE_RANGE[1] + RANGE_SLACK:
        raise ValueError(
            f"{name}: expected pixel values in [-1, 1], got range [{lo:.3g}, {hi:.3g}] (images "
            f"in [0, 255]? map them with gae_lib.data.to_signed, x / 127.5 - 1; images in "
            f"[0, 1]? map them with x * 2 - 1)"
        )
    flat = x.detach().flatten(1)
    if lo >= 0 and (flat.amax(1) > flat.amin(1)).any():
        # Every digit, letter and fashion item has a black background (-1): a batch of
        # pictures without one negative pixel is almost always [0, 1] images (torchvision's
        # ToTensor).  (Constant images, e.g. the grey test images, may lie anywhere.)
        warnings.warn(
            f"{name}: every pixel is in [0, 1] (range [{lo:.3g}, {hi:.3g}]), but the models "
            f"expect [-1, 1] with -1 black. Images in [0, 1]? map them with x * 2 - 1",
            UnitRangeWarning, stacklevel=3)
    return x


class UnitRangeWarning(UserWarning):
    """Images that look like [0, 1] pixels given where [-1, 1] is expected."""


def check_mask(mask, images: torch.Tensor) -> torch.Tensor:
    """A 0/1 mask (1 = known pixel) of the images' shape, or of one image's shape
    (C, H, W) / (1, C, H, W) shared by the batch; returned as float (N, C, H, W)."""
    mask = as_tensor(mask, "mask")
    if mask.dim() == 3:
        mask = mask.unsqueeze(0)
    one = tuple(images.shape[1:])
    if mask.dim() != 4 or tuple(mask.shape[1:]) != one or len(mask) not in (1, len(images)):
        raise ValueError(
            f"mask: expected shape {tuple(images.shape)}, {(1, *one)} or {one} "
            f"(1 = known pixel), got {tuple(mask.shape)}"
        )
    mask = mask.float()
    check_finite(mask, "mask")
    if not ((mask == 0) | (mask == 1)).all():
        raise ValueError("mask: expected only 0 (unknown) and 1 (known) entries")
    if (mask.flatten(1).sum(1) == 0).any():
        raise ValueError("mask: expected at least one known pixel (1) in every image")
    return mask.expand_as(images).to(images.device)


def check_codes(z, name: str = "codes") -> torch.Tensor:
    """A non-empty finite matrix (N, D)."""
    z = as_tensor(z, name)
    if z.dim() != 2 or len(z) == 0 or z.shape[1] == 0:
        raise ValueError(
            f"{name}: expected a non-empty matrix of shape (N, D), got {tuple(z.shape)}"
        )
    check_finite(z.float(), name)
    return z


def check_labels(y, n: int, name: str = "labels") -> torch.Tensor:
    """n integer class labels (tensor, array or list) as a 1-D tensor."""
    y = as_tensor(np.asarray(y) if isinstance(y, (list, tuple)) else y, name)
    if y.dim() != 1 or len(y) != n:
        raise ValueError(
            f"{name}: expected {n} integer labels of shape ({n},), got {tuple(y.shape)}"
        )
    if y.is_floating_point() or y.is_complex():
        raise ValueError(f"{name}: expected integer class labels, got dtype {y.dtype}")
    return y


def check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {value!r}")
    return int(value)
