"""Transactions over one engine, shared by the local store and the county server.

Readers and writers get separate session factories: a write session carries the ``write``
execution option, and on SQLite ``begin_with_write_lock`` turns that into ``BEGIN IMMEDIATE``,
which takes the write lock up front so two writers never deadlock upgrading a read lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker


def begin_with_write_lock(engine: Engine) -> None:
    """SQLite only: we emit BEGIN ourselves (the driver's own is off), IMMEDIATE for writers."""

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        mode = "IMMEDIATE" if connection.get_execution_options().get("write") else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


class Transactions:
    """``reading()`` and ``writing()``: each block is one transaction, committed at its end
    and rolled back on any exception. Subclasses set ``self.engine`` and call
    ``_open_sessions()``."""

    engine: Engine

    def _open_sessions(self) -> None:
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(write=True), expire_on_commit=False
        )

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read_sessions() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        with self._write_sessions() as session, session.begin():
            yield session

    def current_revision(self) -> str | None:
        from caseworker.store.revisions import current_revision

        with self.engine.connect() as connection:
            return current_revision(connection)

    def close(self) -> None:
        self.engine.dispose()
