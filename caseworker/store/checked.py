"""When the full integrity check may be skipped at open: the file is as it was closed cleanly.

``PRAGMA quick_check`` reads every page (about a second per 20,000 persons on a 2-core
machine), which every login and every CLI command would pay. It finds damage that happened
while the file was not ours to watch: a crash mid-write, a copy gone wrong, a bad disk. So
the check runs at open unless the file is exactly as the last clean close left it (same
size, same modification time, no WAL waiting) and that close followed a full check less
than a day ago. Closing writes ``caseworker.db.checked``; a crash writes nothing, so the next
open checks. The stamp guards against accidents, not against someone editing files on
purpose (the key holder's threats are the audit trail's and the marks' business).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from caseworker.store.files import atomic_write

# How old the last full check may be before an open checks again anyway (slow disk rot).
FULL_CHECK_EVERY = timedelta(hours=24)


def stamp_path(database: Path) -> Path:
    return database.with_name(database.name + ".checked")


@dataclass(frozen=True)
class FileState:
    size: int
    mtime_ns: int


def _state(database: Path) -> FileState | None:
    wal = database.with_name(database.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return None  # commits waiting in the WAL: not a clean close
    info = database.stat()
    return FileState(info.st_size, info.st_mtime_ns)


def last_full_check(database: Path, now: datetime | None = None) -> datetime | None:
    """When the file was last fully checked, if it is unchanged since a clean close and that
    check is recent enough to be trusted; None means: check now."""
    try:
        data = json.loads(stamp_path(database).read_text(encoding="utf-8"))
        stamped = FileState(int(data["size"]), int(data["mtime_ns"]))
        checked_at = datetime.fromisoformat(data["checked_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if checked_at.tzinfo is None or _state(database) != stamped:
        return None
    if (now or datetime.now(UTC)) - checked_at > FULL_CHECK_EVERY:
        return None
    return checked_at


def forget(database: Path) -> None:
    """The file is open for writing: until a clean close, the next open checks it."""
    stamp_path(database).unlink(missing_ok=True)


def record_clean_close(database: Path, checked_at: datetime) -> None:
    """After the last connection closed: the file as it is now, and its last full check."""
    if not database.exists():
        return
    state = _state(database)
    if state is None:
        return
    data = {"size": state.size, "mtime_ns": state.mtime_ns, "checked_at": checked_at.isoformat()}
    atomic_write(stamp_path(database), json.dumps(data).encode())  # 0600, as mkstemp makes it
