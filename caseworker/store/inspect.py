"""Look at a database file before opening it for work, without changing a byte of it.

Opening an SQLite file read-write and closing it checkpoints the WAL, even when the key was
wrong and nothing could be read, so a failed open used to change ``caseworker.db``. The
checks here (key, ``PRAGMA quick_check``, what the file holds against the high-water
marks) run on a connection that cannot write:

- no WAL: ``immutable=1`` (reads the main file only, takes no locks, creates no -wal/-shm);
- WAL and -shm present: ``mode=ro&readonly_shm=1`` (reads the WAL, writes nothing);
- WAL without -shm (a copy, or a crash that lost it): ``mode=ro``, which has to create a
  -shm; it is removed again afterwards, so the folder is left as found.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from caseworker.store.engine import StoreOpenError, unlock_connection
from caseworker.store.marks import Marks, ReceiptKey

QUICK_CHECK_OK = "ok"


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def damaged_error(path: Path, detail: str = "") -> StoreOpenError:
    """The words for a damaged file: what happened, which backups exist, what to run."""
    backups = newest_backups(path.parent / "backups")
    names = "、".join(p.name for p in backups) if backups else "（没有备份）"
    names_en = ", ".join(p.name for p in backups) if backups else "(no backups)"
    return StoreOpenError(
        "damaged",
        f"数据库文件 {path.name} 已损坏{('（' + detail + '）') if detail else ''}，不能继续使用，"
        f"为免损失扩大已停止。最新的备份：{names}。请由管理员运行 caseworker db backups 查看备份，"
        "再用 caseworker db restore 备份文件 --user 管理员 恢复；恢复前会先保留当前文件的副本。",
        f"The database file {path.name} is damaged{(' (' + detail + ')') if detail else ''} "
        f"and was not used. Newest backups: {names_en}. An administrator can list them with "
        "`caseworker db backups` and restore one with `caseworker db restore FILE --user ADMIN`; "
        "the current file is kept as a copy first.",
    )


def newest_backups(folder: Path, count: int = 3) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)[:count]


@contextmanager
def untouching_connection(path: Path, key: bytes) -> Iterator[sqlcipher.Connection]:
    """A connection that reads the file (and its WAL) and leaves every file as it was."""
    wal, shm = _sidecar(path, "-wal"), _sidecar(path, "-shm")
    has_wal = wal.exists() and wal.stat().st_size > 0
    shm_existed = shm.exists()
    if not has_wal:
        query = "immutable=1"
    elif shm_existed:
        query = "mode=ro&readonly_shm=1"
    else:
        query = "mode=ro"
    wal_existed = wal.exists()
    connection = sqlcipher.connect(f"{path.as_uri()}?{query}", uri=True, check_same_thread=False)
    try:
        unlock_connection(connection, key)
        yield connection
    finally:
        connection.close()
        # Only what this connection made is removed: a -shm (and an empty -wal) SQLite
        # creates to read a WAL; both are rebuilt from the WAL by the next real open.
        if has_wal and not shm_existed:
            shm.unlink(missing_ok=True)
        if not wal_existed and wal.exists() and wal.stat().st_size == 0:
            wal.unlink()


@dataclass(frozen=True)
class StoreState:
    """What the file holds of the things the marks remember."""

    quick_check: str
    audit_seq: int
    audit_head_hash: str | None
    audit_hash_at: dict[int, str]  # the hash of the entry at a sequence asked about
    receipts: dict[ReceiptKey, int]
    device_numbers: dict[uuid.UUID, int]
    revision: str | None = None  # alembic_version: a newer app's file is refused unopened


def inspect_store(
    path: Path, key: bytes, *, audit_seq_of_interest: int | None, full_check: bool = True
) -> StoreState:
    """Key, integrity and marks-relevant values; StoreOpenError ``wrong_key`` or ``damaged``.

    ``full_check=False`` skips ``PRAGMA quick_check`` (see ``store/checked.py`` for when)."""
    with untouching_connection(path, key) as connection:
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as error:
            raise StoreOpenError(
                "wrong_key",
                "无法解密数据库：密钥不匹配或文件已损坏。请确认数据文件夹正确，或从备份恢复"
                "（caseworker db backups / caseworker db restore）。",
                f"Cannot decrypt the database {path.name}: the key does not match or the file "
                "is damaged. Check the data folder, or restore a backup "
                "(`caseworker db backups`, `caseworker db restore`).",
            ) from error
        try:
            check = "skipped"
            if full_check:
                problems = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
                check = "; ".join(problems)
            if full_check and check != QUICK_CHECK_OK:
                raise damaged_error(path, check[:200])
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            revision = None
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            if not {"audit_entry", "receipt_counter", "device"} <= tables:
                # An empty file, not yet migrated.
                return StoreState(check, 0, None, {}, {}, {}, revision)
            head = connection.execute(
                "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
            ).fetchone() or (0, None)
            hashes: dict[int, str] = {}
            if audit_seq_of_interest:
                row = connection.execute(
                    "SELECT hash FROM audit_entry WHERE seq = ?", (audit_seq_of_interest,)
                ).fetchone()
                if row is not None:
                    hashes[audit_seq_of_interest] = row[0]
            receipts = {
                (uuid.UUID(device), int(year)): int(sequence)
                for device, year, sequence in connection.execute(
                    "SELECT device_id, year, last_sequence FROM receipt_counter"
                )
            }
            devices = {
                uuid.UUID(device): int(number)
                for device, number in connection.execute("SELECT id, device_number FROM device")
            }
        except sqlcipher.DatabaseError as error:  # a page that fails its HMAC, a broken tree
            raise damaged_error(path, str(error)[:200]) from error
    return StoreState(check, int(head[0]), head[1], hashes, receipts, devices, revision)


@dataclass(frozen=True)
class ReceiptGap:
    """Receipt numbers ``held + 1 .. marked`` of one device and year were issued and are gone."""

    device_id: uuid.UUID
    device_number: int | None
    year: int
    held: int
    marked: int


@dataclass(frozen=True)
class LossReport:
    """Why the store is restricted: behind its marks, or marks that cannot be trusted."""

    reason: str  # "behind", "marks_edited" or "marks_foreign"
    audit_held: int = 0
    audit_marked: int = 0
    audit_diverged: bool = False  # the entry at the marked sequence is another entry
    receipts: tuple[ReceiptGap, ...] = ()
    marked_at: datetime | None = None

    @property
    def missing_audit(self) -> tuple[int, int] | None:
        if self.audit_held < self.audit_marked:
            return self.audit_held + 1, self.audit_marked
        return None


def find_loss(marks: Marks, state: StoreState) -> LossReport | None:
    """None when the file holds at least everything the marks say was committed."""
    gaps = tuple(
        ReceiptGap(device, state.device_numbers.get(device), year, held, marked)
        for (device, year), marked in sorted(marks.receipts.items(), key=lambda i: i[0][1])
        if (held := state.receipts.get((device, year), 0)) < marked
    )
    behind = state.audit_seq < marks.audit_seq
    diverged = (
        not behind
        and marks.audit_seq > 0
        and state.audit_hash_at.get(marks.audit_seq) != marks.audit_hash
    )
    if not (gaps or behind or diverged):
        return None
    held = state.audit_seq
    if marks.audit_held_when_found is not None:
        held = min(held, marks.audit_held_when_found)
    return LossReport("behind", held, marks.audit_seq, diverged, gaps, marks.written_at)


def marks_of(state: StoreState, file_id: str | None) -> Marks:
    """Marks that say exactly what the file holds (used when there were none)."""
    return Marks(file_id, state.audit_seq, state.audit_head_hash, dict(state.receipts))
