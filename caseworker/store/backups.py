"""The backups folder: what is in it, and putting one of its files back in place.

Backups are whole encrypted files (``Database.backup``, same key) named
``caseworker-<YYYYmmdd-HHMMSS-ffffff>-<reason>.db``; raw copies (``keep_raw_copy``: before a
restore, or when a file is first found behind its marks) carry their -wal beside them.
Restoring checks that the backup opens with the key and passes ``quick_check``, keeps the
current file (and its WAL) as a raw copy, writes the backup out with ``VACUUM INTO`` from a
connection that cannot change it, removes the current -wal/-shm (SQLite would replay them
onto the restored file) and then replaces ``caseworker.db`` in one rename.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from caseworker.paths import DataPaths
from caseworker.store.files import fsync_directory
from caseworker.store.inspect import StoreState, inspect_store, untouching_connection

_NAME = re.compile(r"^caseworker-(\d{8}-\d{6}-\d{6})-(.+)\.db$")
SIDECARS = ("-wal", "-shm")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # local time, from the name (or the file's time if renamed)
    reason: str
    size: int


def list_backup_files(paths: DataPaths) -> list[BackupFile]:
    """Newest first."""
    if not paths.backups.is_dir():
        return []
    found = []
    for path in paths.backups.glob("*.db"):
        match = _NAME.match(path.name)
        stat = path.stat()
        if match:
            taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f")
            reason = match.group(2)
        else:
            taken, reason = datetime.fromtimestamp(stat.st_mtime), "?"
        size = stat.st_size + sum(
            p.stat().st_size for s in SIDECARS if (p := path.with_name(path.name + s)).exists()
        )
        found.append(BackupFile(path, taken, reason, size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def operator_role(path: Path, key: bytes, username: str) -> str | None:
    """The role of an active operator in that file (read without changing it), else None."""
    with untouching_connection(path, key) as connection:
        row = connection.execute(
            "SELECT role, active FROM operator WHERE username = ? COLLATE NOCASE", (username,)
        ).fetchone()
    return row[0] if row and row[1] else None


def keep_raw_copy(paths: DataPaths, reason: str) -> Path:
    """The database file and its -wal/-shm copied byte for byte into backups/.

    Raw bytes rather than ``VACUUM INTO``: the file may be damaged, and the frames SQLite
    ignores in a damaged WAL are exactly what a technician may still recover.
    """
    paths.backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = paths.backups / f"caseworker-{stamp}-{reason}.db"
    shutil.copy2(paths.database, target)
    for suffix in SIDECARS:
        sidecar = paths.database.with_name(paths.database.name + suffix)
        if sidecar.exists():
            shutil.copy2(sidecar, target.with_name(target.name + suffix))
    return target


def restore_file(paths: DataPaths, source: Path, key: bytes) -> tuple[Path | None, StoreState]:
    """Put ``source`` in place of the database; returns the kept copy of the old file.

    The backup is checked (key, quick_check) before anything is touched; a failure raises
    StoreOpenError and leaves the folder as it was.
    """
    state = inspect_store(source, key, audit_seq_of_interest=None)
    kept = keep_raw_copy(paths, reason="before-restore") if paths.database.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=".caseworker.db.", suffix=".restore", dir=paths.root)
    os.close(fd)
    try:
        # VACUUM INTO from a connection that cannot write the backup: one standalone file
        # (a backup's own WAL included), encrypted with the same key.
        with untouching_connection(source, key) as connection:
            connection.execute("VACUUM INTO ?", (tmp,))
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        for suffix in SIDECARS:
            paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, paths.database)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_directory(paths.root)
    return kept, state
