"""The store on a plain DB-API connection, without SQLAlchemy: the command line's quick
look-up (``caseworker find``) opens it so, and the SQL that both paths run takes a
connection either way (``dbapi_of`` gives the one under a SQLAlchemy session).

Importing SQLAlchemy alone costs more than the whole look-up may take, so ``open_direct``
follows the same sequence as ``database.open_database`` (``store/opening.py``: the checks that
change nothing, the claim, the marks keeper) and connects with ``store/connect.py``, as the
engine does. What it does not do is migrate: a file not at the head revision gets None, and
the caller opens it the full way, which backs it up and migrates it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from caseworker.domain.audit_chain import GENESIS_HASH
from caseworker.paths import DataPaths
from caseworker.store.checked import record_clean_close
from caseworker.store.connect import check_target, connect
from caseworker.store.inspect import LossReport
from caseworker.store.marks import MarkKeeper, Marks
from caseworker.store.opening import claim, examine
from caseworker.store.rows import datetime_value, json_value, uuid_value

if TYPE_CHECKING:
    import sqlcipher3.dbapi2 as sqlcipher
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


def dbapi_of(session: Session) -> Any:
    """The DB-API connection under a session, inside its transaction (pending ORM changes
    flushed first, so SQL run on it sees them)."""
    session.flush()
    return session.connection().connection.driver_connection


@dataclass
class DirectStore:
    """The open file on one connection; ``reading()``/``writing()`` are transactions, and a
    write moves the high-water marks after its commit, as the engine's write sessions do."""

    paths: DataPaths
    connection: sqlcipher.Connection
    keeper: MarkKeeper
    loss: LossReport | None
    marks_note: str | None
    checked_at: datetime

    @contextmanager
    def reading(self) -> Iterator[sqlcipher.Connection]:
        with self._transaction("DEFERRED"):
            yield self.connection

    @contextmanager
    def writing(self) -> Iterator[sqlcipher.Connection]:
        with self._transaction("IMMEDIATE", marks=True):
            yield self.connection

    @contextmanager
    def _transaction(self, mode: str, *, marks: bool = False) -> Iterator[None]:
        connection = self.connection
        connection.execute(f"BEGIN {mode}")
        try:
            yield
            seen = marks_in(connection, self.keeper.file_id) if marks else None
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        if seen is not None:
            self.keeper.committed(seen)

    def close(self) -> None:
        self.connection.close()
        record_clean_close(self.paths.database, self.checked_at)


def open_direct(paths: DataPaths, key: bytes, file_id: str | None) -> DirectStore | None:
    """The store, opened as ``open_database`` opens it; None when it must be migrated first
    (nothing in the folder changed then)."""
    check_target(paths.database, key, create=False)
    examined = examine(paths, key, file_id)
    if not examined.at_head:
        return None
    keeper = claim(paths, key, file_id, examined)
    return DirectStore(
        paths,
        connect(paths.database, key),
        keeper,
        examined.loss,
        examined.note,
        examined.checked_at,
    )


def marks_in(connection: Any, file_id: str | None) -> Marks:
    """The current audit head and every receipt counter, read inside a transaction."""
    from uuid import UUID

    head = connection.execute(
        "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    counters = connection.execute("SELECT device_id, year, last_sequence FROM receipt_counter")
    receipts = {(UUID(device), int(year)): int(seq) for device, year, seq in counters}
    return Marks(file_id, head[0] if head else 0, head[1] if head else None, receipts)


def audit_head(connection: Any) -> str:
    row = connection.execute("SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS_HASH


def insert_audit(connection: Any, entry: dict[str, Any]) -> int:
    """One entry (from ``audit_chain.new_entry``) appended to the chain; returns its seq."""
    cursor = connection.execute(
        "INSERT INTO audit_entry (id, at, operator_id, operator_name, action, entity_type, "
        "entity_id, detail, prev_hash, hash, signature, signer) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            uuid_value(entry["id"]),
            datetime_value(entry["at"]),
            uuid_value(entry["operator_id"]),
            entry["operator_name"],
            entry["action"],
            entry["entity_type"],
            uuid_value(entry["entity_id"]),
            json_value(entry["detail"]),
            entry["prev_hash"],
            entry["hash"],
            entry["signature"],
            entry["signer"],
        ),
    )
    return int(cursor.lastrowid)
