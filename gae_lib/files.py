"""Files the library writes and reads back: written atomically, read with errors that name
the file.

A file written by ``atomic_write_text`` is either the old one or the new one, never half of
each: the text goes into a temporary file of a unique name in the same folder, which is then
renamed over the target (two processes writing at once each rename a whole file).  A JSON
file that cannot be read raises ``FileFormatError`` naming the file and what to do, instead
of a JSONDecodeError that names neither.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path


class FileFormatError(ValueError):
    """A file the library wrote is missing or damaged (e.g. truncated JSON)."""


def atomic_write_text(path: Path, text: str) -> Path:
    path = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        os.chmod(tmp, 0o644)   # mkstemp makes it private; others (a web server) may read it
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def write_json(path: Path, value, **dumps) -> Path:
    return atomic_write_text(path, json.dumps(value, **{"indent": 1, **dumps}) + "\n")


def read_json(path: Path, fix: str):
    """The JSON value in ``path``; ``fix`` says what to do if it is missing or damaged."""
    path = Path(path)
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise FileFormatError(f"{path}: file is missing; {fix}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise FileFormatError(f"{path}: not valid JSON (truncated or altered? {err}); "
                              f"{fix}") from None


@contextlib.contextmanager
def file_lock(path: Path):
    """An exclusive lock held while the block runs: ``path`` is the lock file (POSIX flock;
    another process asking for it waits)."""
    import fcntl

    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shown(path: Path, root: Path) -> Path:
    """``path`` relative to ``root`` where it lies inside it (for messages), else as it is."""
    path = Path(path)
    return path.relative_to(root) if path.is_relative_to(root) else path
