"""Handwritten-looking letters: EMNIST when present, else rendered from fonts.

favuzzi2019 encodes EMNIST letters to test how well each model compresses data it
was not trained on.  No EMNIST source is reachable offline, so the fallback
renders a-z (upper and lower case in one class, as EMNIST 'letters' merges
them) from Debian's handwriting fonts with random affine and stroke jitter,
then normalises each image the way MNIST was made: fit into a 20x20 box keeping
the aspect ratio, then centre the centre of mass in a 28x28 field.
"""

from __future__ import annotations

import string
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from . import checksums
from .sources import DataUnavailableError, debian_package, ensure_files, say

CLASSES = list(string.ascii_lowercase)

# Where each package keeps its font files (inside the .deb, and when installed).
FONT_DIRS = {
    "fonts-humor-sans": "usr/share/fonts/truetype/humor-sans",
    "fonts-dkg-handwriting": "usr/share/fonts/truetype/fifthhorseman",
    "fonts-rufscript": "usr/share/fonts/truetype/rufscript",
    "fonts-breip": "usr/share/fonts/truetype/breip",
    "fonts-bwht": "usr/share/fonts/opentype/bwht",
}


def fetch_fonts(root: Path) -> list[Path]:
    """Verified handwriting fonts in ``root/fonts`` (fetched from Debian when missing)."""
    fonts = []
    for package, files in checksums.HANDWRITING_FONTS.items():
        folder = root / "fonts" / package
        try:
            ensure_files(folder, files, [debian_package(package, FONT_DIRS[package])], package)
        except DataUnavailableError as err:
            say(f"handwriting font {package} unavailable, rendering without it:\n{err}")
            continue
        fonts += [folder / name for name in sorted(files)]
    return fonts


def fonts_with_all_letters(paths: list[Path]) -> list[Path]:
    """Keep fonts whose character map has every letter a-z and A-Z."""
    from fontTools.ttLib import TTFont  # ships with matplotlib

    needed = {ord(c) for c in string.ascii_letters}
    return [p for p in paths if needed <= set(TTFont(p, lazy=True).getBestCmap())]


def fallback_font() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def normalise_like_mnist(img: np.ndarray) -> np.ndarray:
    """Fit the ink's bounding box into 20x20 (aspect kept), centre of mass at 28x28's centre."""
    ys, xs = np.nonzero(img > 0)
    crop = Image.fromarray(img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1])
    scale = 20.0 / max(crop.size)
    size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
    box = np.asarray(crop.resize(size, Image.LANCZOS), dtype=np.float32).clip(0, 255)
    mass = box.sum()
    cy = (box.sum(1) * np.arange(box.shape[0])).sum() / mass
    cx = (box.sum(0) * np.arange(box.shape[1])).sum() / mass
    out = np.zeros((28, 28), np.float32)
    top, left = int(round(13.5 - cy)), int(round(13.5 - cx))
    top = min(max(top, 0), 28 - box.shape[0])
    left = min(max(left, 0), 28 - box.shape[1])
    out[top : top + box.shape[0], left : left + box.shape[1]] = box
    return out.astype(np.uint8)


def render_letter(font: ImageFont.FreeTypeFont, char: str, rng: np.random.Generator) -> np.ndarray:
    canvas = Image.new("L", (112, 112))
    stroke = int(rng.integers(0, 3))  # stroke jitter: thin, medium, bold pen
    ImageDraw.Draw(canvas).text(
        (56, 56), char, fill=255, font=font, anchor="mm", stroke_width=stroke, stroke_fill=255
    )
    angle = np.deg2rad(rng.uniform(-12, 12))
    shear = rng.uniform(-0.25, 0.25)
    sx, sy = rng.uniform(0.8, 1.2, size=2)
    # Inverse affine map (output -> input pixel), centred on the canvas centre.
    a = np.array(
        [
            [np.cos(angle) / sx, (np.sin(angle) + shear) / sx],
            [-np.sin(angle) / sy, np.cos(angle) / sy],
        ]
    )
    offset = np.array([56, 56]) - a @ np.array([56, 56])
    canvas = canvas.transform(
        canvas.size,
        Image.AFFINE,
        (a[0, 0], a[0, 1], offset[0], a[1, 0], a[1, 1], offset[1]),
        resample=Image.BILINEAR,
    )
    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
    return normalise_like_mnist(np.asarray(canvas))


def render_letters(n: int, seed: int, fonts: list[Path]) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` rendered letters (uint8, n x 28 x 28) and labels 0..25, deterministic by seed."""
    rng = np.random.default_rng(seed)
    loaded = [ImageFont.truetype(str(p), size=64) for p in fonts]
    labels = np.arange(n) % 26  # balanced classes, shuffled below
    rng.shuffle(labels)
    images = np.empty((n, 28, 28), np.uint8)
    for i, label in enumerate(labels):
        font = loaded[rng.integers(len(loaded))]
        char = CLASSES[label].upper() if rng.random() < 0.5 else CLASSES[label]
        images[i] = render_letter(font, char, rng)
    return torch.from_numpy(images), torch.from_numpy(labels.astype(np.int64))


# --- EMNIST letters (the source documents' choice), when present or downloadable ---

EMNIST_FILES = [
    f"emnist-letters-{split}-{kind}-ubyte"
    for split in ("train", "test")
    for kind in ("images-idx3", "labels-idx1")
]


def emnist_manifest(root: Path) -> Path:
    # torchvision verifies the md5 of the EMNIST archive when it downloads it; we
    # record the md5 of the extracted letters files then, and check them at every load.
    return root / "EMNIST" / "letters.md5"


def emnist_present(root: Path) -> bool:
    from .sources import verified

    manifest = emnist_manifest(root)
    if not manifest.exists():
        return False
    expected = dict(line.split()[::-1] for line in manifest.read_text().splitlines())
    raw = root / "EMNIST" / "raw"
    if all(verified(raw / name, expected.get(name, "")) for name in EMNIST_FILES):
        return True
    manifest.unlink()
    return False


def download_emnist(root: Path) -> bool:
    """Try torchvision's EMNIST download (about 560 MB); True when the letters split is usable."""
    from .sources import md5, offline
    import torchvision.datasets as tvd

    if offline():
        return False
    say("trying torchvision's EMNIST download (the source documents' letters; about 560 MB)")
    try:
        tvd.EMNIST(str(root), split="letters", train=True, download=True)
    except Exception as err:  # no network, mirror down, disk full: all mean "not here"
        say(
            f"EMNIST is not available ({type(err).__name__}: {str(err)[:120]}); "
            "the book renders letters from handwriting fonts instead"
        )
        return False
    raw = root / "EMNIST" / "raw"
    emnist_manifest(root).write_text("".join(f"{md5(raw / n)}  {n}\n" for n in EMNIST_FILES))
    return True


def emnist_letters(root: Path, train: bool):
    """torchvision's EMNIST letters, transposed to MNIST's orientation, labels 0..25."""
    import torchvision.datasets as tvd

    ds = tvd.EMNIST(str(root), split="letters", train=train, download=False)
    images = ds.data.transpose(1, 2).unsqueeze(1).contiguous()  # EMNIST is stored transposed
    return images, ds.targets - 1  # EMNIST letters are labelled 1..26
