"""Writing small files beside the database so that a crash leaves the old or the new one whole."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_directory(folder: Path) -> None:
    """Make a rename in ``folder`` durable; Windows cannot open a directory to fsync it."""
    if os.name == "nt":
        return
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, ``os.replace``, fsync the folder."""
    import tempfile  # here: the login's key slot is read before this module's callers write

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)
