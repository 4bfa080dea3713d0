"""High-water marks kept outside the database file: what the store has already promised.

A damaged WAL makes SQLite drop every frame after the damage, and an old copy put back in
place looks like a healthy file; either way acknowledged enrolments vanish and the next
payment would get a receipt number already printed for someone else. The marks file
(``caseworker.marks`` beside the database) remembers, per device and year, the last receipt
sequence issued, and the audit trail's last sequence number and head hash. It is written
(one of two slots in turn, fsync'd) after every commit that moved one of them, and compared
with the database when it is opened (``find_loss``).

The file is authenticated with HMAC-SHA256 under a key derived (HKDF) from the database key,
so nobody without the key edits it unnoticed, and names the key file's ``file_id``, so marks
of another installation are recognised as such. Someone holding the database key can still
rewrite or delete it: a missing marks file is re-created from the database (the protection
starts again with the first mark), which ``open_database`` reports.
"""

from __future__ import annotations

import base64
import dataclasses
import hmac
import json
import logging
import os
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from caseworker.store.files import atomic_write

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

# The session hooks below import SQLAlchemy when they are used: the command line's quick
# look-up (store/direct.py) keeps the marks without it.

FORMAT = "caseworker-marks"
VERSION = 1
SLOT_SIZE = 4096  # a slot grows by this much when the counters outgrow it
_fdatasync = getattr(os, "fdatasync", os.fsync)  # the file's size does not change: data only
log = logging.getLogger(__name__)

ReceiptKey = tuple[uuid.UUID, int]  # (device id, year)


@dataclass(frozen=True)
class Marks:
    """The highest values the store has committed: audit head and receipt counters."""

    file_id: str | None
    audit_seq: int = 0
    audit_hash: str | None = None
    receipts: dict[ReceiptKey, int] = field(default_factory=dict)
    written_at: datetime | None = field(default=None, compare=False)
    # Where the file's audit trail ended when it was first found behind: entries written
    # after that (logins of a restricted session) do not hide what was lost.
    audit_held_when_found: int | None = None
    generation: int = field(default=0, compare=False)  # which write this is (see the slots)

    def merged(self, other: Marks) -> Marks:
        """Never backwards: the higher audit head, and the higher sequence of every counter."""
        receipts = dict(self.receipts)
        for key, sequence in other.receipts.items():
            receipts[key] = max(sequence, receipts.get(key, 0))
        head = (other.audit_seq, other.audit_hash)
        if other.audit_seq <= self.audit_seq:
            head = (self.audit_seq, self.audit_hash)
        return dataclasses.replace(self, audit_seq=head[0], audit_hash=head[1], receipts=receipts)


class MarksProblem(Exception):
    """The marks file cannot be trusted: ``kind`` is ``edited`` or ``foreign``."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


def _marks_key(database_key: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, None, b"caseworker high-water marks v1").derive(database_key)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _body(marks: Marks, written_at: datetime, generation: int) -> dict[str, Any]:
    receipts = sorted(marks.receipts.items(), key=lambda item: (str(item[0][0]), item[0][1]))
    return {
        "format": FORMAT,
        "version": VERSION,
        "file_id": marks.file_id,
        "generation": generation,
        "written_at": written_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "audit": {
            "seq": marks.audit_seq,
            "hash": marks.audit_hash,
            "held_when_found": marks.audit_held_when_found,
        },
        "receipts": [
            {"device_id": str(device), "year": year, "last_sequence": sequence}
            for (device, year), sequence in receipts
        ],
    }


def encode_marks(
    marks: Marks, database_key: bytes, written_at: datetime, generation: int = 0
) -> bytes:
    body = _body(marks, written_at, generation)
    mac = hmac.digest(_marks_key(database_key), _canonical(body), "sha256")
    return _canonical(body | {"mac": base64.b64encode(mac).decode("ascii")}) + b"\n"


def load_marks(path: Path, database_key: bytes, file_id: str | None) -> Marks | None:
    """The marks, or None when there is no file; MarksProblem when it is edited or foreign.

    The file holds two slots written in turn (see ``MarkKeeper``): the newest authentic one
    counts. One unreadable slot is a write cut short by a crash, and its partner is at most
    one commit older; an attacker without the key gains nothing from it but that one commit.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    half = len(raw) // 2
    slots = [raw[:half], raw[half:]] if half and len(raw) % 2 == 0 else [raw]
    found: list[Marks] = []
    problems: list[MarksProblem] = []
    for slot in slots:
        try:
            found.append(_parse_slot(slot, database_key, file_id))
        except MarksProblem as problem:
            problems.append(problem)
    if found:
        return max(found, key=lambda marks: marks.generation)
    raise next((p for p in problems if p.kind == "foreign"), problems[0])


def _parse_slot(raw: bytes, database_key: bytes, file_id: str | None) -> Marks:
    try:
        data = json.loads(raw.decode("utf-8"))
        mac = base64.b64decode(data.pop("mac"), validate=True)
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError("not a marks file of this version")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise MarksProblem("edited", f"unreadable: {error}") from error
    if file_id is not None and data.get("file_id") not in (None, file_id):
        raise MarksProblem("foreign", f"written for database {data.get('file_id')}")
    expected = hmac.digest(_marks_key(database_key), _canonical(data), "sha256")
    if not hmac.compare_digest(expected, mac):
        raise MarksProblem("edited", "the HMAC does not match")
    try:
        receipts = {
            (uuid.UUID(row["device_id"]), int(row["year"])): int(row["last_sequence"])
            for row in data["receipts"]
        }
        written = datetime.fromisoformat(data["written_at"])  # "…Z": no strptime import
        return Marks(
            data["file_id"],
            int(data["audit"]["seq"]),
            data["audit"]["hash"],
            receipts,
            written.replace(tzinfo=UTC),
            data["audit"].get("held_when_found"),
            int(data["generation"]),
        )
    except (ValueError, KeyError, TypeError) as error:  # authentic but not ours to read
        raise MarksProblem("edited", f"unreadable: {error}") from error


def read_marks_from(session: Session, file_id: str | None) -> Marks:
    """The current audit head and every receipt counter, read inside a transaction."""
    from caseworker.store.direct import dbapi_of, marks_in

    return marks_in(dbapi_of(session), file_id)


_path_locks: dict[Path, threading.Lock] = {}
_path_locks_guard = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _path_locks_guard:
        return _path_locks.setdefault(path.resolve(), threading.Lock())


class MarkKeeper:
    """Writes the marks after each commit that moved them; frozen while the store is behind.

    Writers are serialised by SQLite, but ``after_commit`` runs once the write lock is gone,
    so two commits may reach here in either order: the write is guarded by a lock per file and
    merged with what the file already holds, never moving a mark backwards.

    The file is two slots of equal size, written in turn in place and fsync'd once: a crash
    mid-write spoils only the slot being written, and its partner still holds the previous
    marks. That is one fsync per commit instead of the three of a temp file, a rename and its
    folder. Only creating the file, or a slot outgrowing its size, goes through a rename.
    """

    def __init__(
        self, path: Path, database_key: bytes, file_id: str | None, current: Marks | None
    ) -> None:
        self.path = path
        self.file_id = file_id
        self._key = database_key
        self._lock = _lock_for(path)
        self.current = current or Marks(file_id)
        self.frozen = False  # set while the store is behind its marks: the evidence stays
        self._generation = self.current.generation

    def advance(self, seen: Marks) -> None:
        with self._lock:
            if self.frozen:
                return
            merged = self.current.merged(seen)
            on_disk = self._on_disk()
            if on_disk is not None:
                merged = merged.merged(on_disk)
            if merged != self.current or merged != on_disk:
                self._write(merged)

    def replace(self, marks: Marks) -> None:
        """Set the marks as they are (first marks, or after an accepted loss) and unfreeze."""
        with self._lock:
            self._on_disk()
            self._write(marks)
            self.frozen = False

    def note_loss(self, audit_held: int) -> None:
        """Freeze, and remember where the file's audit trail ended when the loss was found."""
        with self._lock:
            self.frozen = True
            self._on_disk()
            if self.current.audit_held_when_found is None:
                noted = dataclasses.replace(self.current, audit_held_when_found=audit_held)
                self._write(noted, at=self.current.written_at)  # still the time of the last mark

    def _on_disk(self) -> Marks | None:
        """What the file holds now (another keeper of this process may have written it)."""
        try:
            marks = load_marks(self.path, self._key, self.file_id)
        except MarksProblem:
            return None  # replaced under us: ours is the truth now, write it
        if marks is not None:
            self._generation = max(self._generation, marks.generation)
        return marks

    def _write(self, marks: Marks, at: datetime | None = None) -> None:
        now = at or datetime.now(UTC)
        self._generation += 1
        data = encode_marks(marks, self._key, now, self._generation)
        total = self.path.stat().st_size if self.path.exists() else 0
        size = total // 2 if total % (2 * SLOT_SIZE) == 0 else 0  # else not a file of ours
        if len(data) <= size:
            with self.path.open("r+b") as handle:
                handle.seek((self._generation % 2) * size)
                handle.write(data.ljust(size, b" "))
                handle.flush()
                _fdatasync(handle.fileno())
        else:
            size = -(-len(data) // SLOT_SIZE) * SLOT_SIZE
            atomic_write(self.path, data.ljust(size, b" ") * 2)
        self.current = dataclasses.replace(
            marks, receipts=dict(marks.receipts), written_at=now, generation=self._generation
        )

    def watch(self, sessions: sessionmaker[Session]) -> None:
        """Hook the write sessions: read the marks before commit, write them after it."""
        from sqlalchemy import event

        event.listen(sessions, "after_flush", _note_touched)
        event.listen(sessions, "before_commit", self._before_commit)
        event.listen(sessions, "after_commit", self._after_commit)
        event.listen(sessions, "after_rollback", _forget)

    def _before_commit(self, session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint: the outer commit decides
        session.flush()
        flushed = session.info.pop("marks_flushed", None)
        if flushed is None:
            return
        if session.info.pop("marks_read_back", False):
            # A savepoint was used: what was flushed may have been rolled back since, so read
            # the values back inside the transaction, with the write lock held.
            session.info["marks_seen"] = read_marks_from(session, self.file_id)
            return
        (seq, head), receipts = flushed["audit"], flushed["receipts"]
        session.info["marks_seen"] = Marks(self.file_id, seq, head, receipts)

    def _after_commit(self, session: Session) -> None:
        seen = session.info.pop("marks_seen", None)
        if seen is not None:
            self.committed(seen)

    def committed(self, seen: Marks) -> None:
        """After a commit that saw ``seen`` (the engine's write sessions, the direct path)."""
        try:
            self.advance(seen)
        except OSError:
            # The commit stands; the next commit writes the marks again. Loudly, though.
            log.exception("could not write the high-water marks to %s", self.path.name)


def _note_touched(session: Session, _context: object) -> None:
    """Collect the audit head and counters this flush wrote (their keys are assigned now)."""
    from caseworker.store.models import AuditEntry, ReceiptCounter

    flushed = None
    for row in (*session.new, *session.dirty):
        if isinstance(row, AuditEntry | ReceiptCounter):
            if flushed is None:
                flushed = session.info.setdefault(
                    "marks_flushed", {"audit": (0, None), "receipts": {}}
                )
            if isinstance(row, AuditEntry) and row.seq > flushed["audit"][0]:
                flushed["audit"] = (row.seq, row.hash)
            elif isinstance(row, ReceiptCounter):
                flushed["receipts"][(row.device_id, row.year)] = row.last_sequence
    if flushed is not None and session.in_nested_transaction():
        session.info["marks_read_back"] = True


def _forget(session: Session) -> None:
    for name in ("marks_seen", "marks_flushed", "marks_read_back"):
        session.info.pop(name, None)


def note_written(session: Session) -> None:
    """SQL run on the session's DB-API connection (``direct.dbapi_of``) wrote audit entries or
    counters the flush hook cannot see: read the marks back before the commit."""
    session.info.setdefault("marks_flushed", {"audit": (0, None), "receipts": {}})
    session.info["marks_read_back"] = True
