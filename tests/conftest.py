import shutil
from pathlib import Path

import pytest

from gae_lib import data

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def cache() -> Path:
    """The real data cache, fetched (and verified) once per test session."""
    data.fetch(["mnist", "fashion-mnist"])
    return data.data_root()


@pytest.fixture
def mnist_copy(cache, tmp_path, monkeypatch) -> Path:
    """A private cache holding a copy of the verified MNIST files."""
    shutil.copytree(cache / "MNIST", tmp_path / "MNIST")
    monkeypatch.setenv("GAE_DATA_DIR", str(tmp_path))
    return tmp_path
