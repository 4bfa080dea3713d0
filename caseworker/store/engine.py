"""Open the SQLCipher-encrypted SQLite file through SQLAlchemy.

Connections are made by ``store/connect.py`` (key, cipher settings, PRAGMAs). A wrong key,
a missing file or a file that is not ours gives a ``StoreOpenError`` with a message for the
operator; an existing file is never replaced by a new empty one (existing files are opened
with ``mode=rw``, which cannot create).
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import QueuePool

from caseworker.store.connect import StoreOpenError, check_target, connect, unlock_connection
from caseworker.store.sessions import begin_with_write_lock

__all__ = ["StoreOpenError", "open_engine", "unlock_connection"]  # the open errors live in connect


def open_engine(path: Path, key: bytes, *, create: bool = False) -> Engine:
    """An engine over the encrypted file; checks the key before returning."""
    check_target(path, key, create=create)
    path.parent.mkdir(parents=True, exist_ok=True)
    connect(path, key, create=create).close()  # fail here, with a clear error, not later

    engine = create_engine(
        "sqlite://",
        module=sqlcipher,
        creator=lambda: connect(path, key),
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        hide_parameters=True,  # errors and logs never carry ID numbers or names
    )

    begin_with_write_lock(engine)
    return engine
