"""Shapes, value ranges, labels and determinism of every data set the book loads."""

import numpy as np
import pytest
import torch

from gae_lib import data
from gae_lib.data import letters, sources

# Published class counts of MNIST (LeCun et al.), a fact any correct copy satisfies.
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


def check_images(x, channels):
    assert x.dtype == torch.float32 and x.ndim == 4
    assert x.shape[1:] == (channels, 28, 28)
    assert x.min() >= -1 and x.max() <= 1
    assert torch.isfinite(x).all()


@pytest.mark.parametrize(
    "split,counts", [("test", MNIST_TEST_COUNTS), ("train", MNIST_TRAIN_COUNTS)]
)
def test_mnist(cache, split, counts):
    x, y = data.tensors("mnist", split)
    check_images(x, 1)
    assert x.min() == -1 and x.max() == 1  # background black, strokes saturate
    assert torch.bincount(y).tolist() == counts


def test_mnist_dataset_matches_tensors(cache):
    ds = data.load("mnist", "test")
    x, y = data.tensors("mnist", "test", n=5)
    for i in range(5):
        image, label = ds[i]
        assert torch.equal(image, x[i]) and label == y[i]
    assert "MNIST" in ds.source


@pytest.mark.parametrize("split,per_class", [("test", 1000), ("train", 6000)])
def test_fashion_mnist(cache, split, per_class):
    x, y = data.tensors("fashion-mnist", split)
    check_images(x, 1)
    assert torch.bincount(y).tolist() == [per_class] * 10


def test_rendered_letters_are_deterministic_by_seed():
    a = data.tensors("letters", "test", n=130, seed=3)
    b = data.tensors("letters", "test", n=130, seed=3)
    c = data.tensors("letters", "test", n=130, seed=4)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])
    assert not torch.equal(a[0], data.tensors("letters", "train", n=130, seed=3)[0])


def test_rendered_letters_are_normalised_like_mnist():
    ds = data.load("letters", "test", n=260)
    assert "rendered" in ds.source and "EMNIST" in ds.source
    x, y = ds.tensors()
    check_images(x, 1)
    assert torch.bincount(y).tolist() == [10] * 26 and ds.classes[0] == "a"
    ink = x[:, 0] > -1
    side = torch.maximum(ink.any(2).sum(1), ink.any(1).sum(1))
    assert side.max() == 20 and side.min() >= 19  # fitted into a 20x20 box
    mass = (x[:, 0] + 1) / 2
    idx = torch.arange(28.0)
    cy = (mass.sum(2) * idx).sum(1) / mass.sum((1, 2))
    cx = (mass.sum(1) * idx).sum(1) / mass.sum((1, 2))
    # integer shift of the centre of mass to the centre: off by at most half a pixel
    assert (cy - 13.5).abs().max() <= 0.51 and (cx - 13.5).abs().max() <= 0.51


def test_letters_without_handwriting_fonts_fall_back_to_dejavu(monkeypatch):
    monkeypatch.setattr(letters, "fetch_fonts", lambda root: [])
    ds = data.load("letters", "test", n=26)
    assert "DejaVu" in ds.source
    check_images(ds.tensors()[0], 1)


def write_idx(path, array):
    kind = {3: 0x0803, 1: 0x0801}[array.ndim]
    header = np.array([kind, *array.shape], dtype=">i4").tobytes()
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def test_emnist_letters_are_used_when_present(tmp_path, monkeypatch):
    monkeypatch.setenv("GAE_DATA_DIR", str(tmp_path))
    raw = tmp_path / "EMNIST" / "raw"
    raw.mkdir(parents=True)
    images = np.zeros((26, 28, 28), np.uint8)
    images[:, 2, 5] = 255  # EMNIST is stored transposed: this pixel must land at (5, 2)
    for split in ("train", "test"):
        write_idx(raw / f"emnist-letters-{split}-images-idx3-ubyte", images)
        write_idx(raw / f"emnist-letters-{split}-labels-idx1-ubyte", np.arange(1, 27))
    letters.emnist_manifest(tmp_path).write_text(
        "".join(f"{sources.md5(raw / n)}  {n}\n" for n in letters.EMNIST_FILES)
    )
    ds = data.load("letters", "test")
    assert ds.source.startswith("torchvision EMNIST letters")
    x, y = ds.tensors()
    assert y.tolist() == list(range(26))
    assert (x[:, 0, 5, 2] == 1).all() and (x[:, 0, 2, 5] == -1).all()
    # an altered EMNIST file is not used: the rendered letters are returned instead
    (raw / "emnist-letters-test-images-idx3-ubyte").write_bytes(b"altered")
    assert "rendered" in data.load("letters", "test", n=26).source


def test_stacked_mnist_is_built_from_mnist_deterministically(cache):
    ds = data.load("stacked-mnist", "test", n=500, seed=1)
    x, y = ds.tensors()
    check_images(x, 3)
    again = data.load("stacked-mnist", "test", n=500, seed=1).tensors()
    assert torch.equal(x, again[0]) and torch.equal(y, again[1])
    assert not torch.equal(x, data.load("stacked-mnist", "test", n=500, seed=2).tensors()[0])
    digits, digit_labels = data.tensors("mnist", "test")
    for i in range(0, 500, 50):  # each channel is one MNIST digit; label = its three digits
        a, b, c = ds.triples[i].tolist()
        assert torch.equal(x[i], torch.cat([digits[a], digits[b], digits[c]]))
        assert y[i] == 100 * digit_labels[a] + 10 * digit_labels[b] + digit_labels[c]


def test_stacked_mnist_default_follows_veegan_and_covers_1000_modes(cache):
    ds = data.load("stacked-mnist", "train")
    assert len(ds) == 128_000
    assert ds.label(torch.arange(len(ds))).unique().numel() == 1000


def test_grey_images_are_constant_and_noise_is_uniform():
    g, gy = data.tensors("grey", "test")
    check_images(g, 1)
    flat = g.flatten(1)
    assert (flat == flat[:, :1]).all() and (gy == -1).all()
    assert flat[:, 0].unique().numel() > 100  # many grey levels
    n1, _ = data.tensors("noise", "test", seed=5)
    n2, _ = data.tensors("noise", "test", seed=5)
    check_images(n1, 1)
    assert torch.equal(n1, n2)
    assert n1.mean().abs() < 0.01 and abs(n1.std().item() - 0.577) < 0.01  # U[-1, 1]: sd 1/sqrt(3)


@pytest.mark.parametrize("content, message", [
    (b"\x1f\x8b\x08\x00gzip", "expected an IDX file of unsigned bytes"),
    (b"\x00\x00\x08\x03" + (2).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2 + b"\x00" * 100,
     "the header says")])
def test_a_file_that_is_not_idx_is_refused_with_a_clear_error(tmp_path, content, message):
    from gae_lib.data.idx import read_idx

    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        read_idx(path)
