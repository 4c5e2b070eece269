"""MNIST-style IDX files read directly (LeCun's format: a magic number, the dimensions, then
the bytes).  Reading them ourselves keeps ``import gae_lib`` light: any torchvision import
loads torchvision.models and torch._dynamo, about 2.5 s per process on a 2-core CPU."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

UNSIGNED_BYTE = 0x08  # the only element type MNIST-style files use

# The class names torchvision's datasets give (the book's figures and tests use them).
MNIST_CLASSES = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five",
                 "6 - six", "7 - seven", "8 - eight", "9 - nine"]
FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                   "Sneaker", "Bag", "Ankle boot"]


def read_idx(path: Path) -> torch.Tensor:
    """The uint8 array in an IDX file; a clear error for anything else."""
    raw = Path(path).read_bytes()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != UNSIGNED_BYTE:
        raise ValueError(f"{path}: expected an IDX file of unsigned bytes (magic 0x0000080N), "
                         f"got header {raw[:4].hex()}")
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    if len(raw) != header + int(np.prod(shape)):
        raise ValueError(f"{path}: the header says {shape} bytes of data, the file has "
                         f"{len(raw) - header}")
    return torch.from_numpy(np.frombuffer(raw, np.uint8, offset=header).reshape(shape).copy())


def images_and_labels(raw_dir: Path, train: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 N x 28 x 28 images and int64 labels of an MNIST-layout folder."""
    prefix = "train" if train else "t10k"
    images = read_idx(raw_dir / f"{prefix}-images-idx3-ubyte")
    labels = read_idx(raw_dir / f"{prefix}-labels-idx1-ubyte").long()
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(f"{raw_dir}: expected N x H x W images and N labels, got "
                         f"{tuple(images.shape)} and {tuple(labels.shape)}")
    return images, labels
