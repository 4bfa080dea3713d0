"""Open the SQLCipher-encrypted SQLite file through SQLAlchemy.

The database key is raw 256-bit (``PRAGMA key = "x'…'"``), so no passphrase KDF runs on
every connection. A wrong key, a missing file or a file that is not ours gives a
``StoreOpenError`` with a message for the operator; an existing file is never replaced by
a new empty one (existing files are opened with ``mode=rw``, which cannot create).
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import QueuePool

from caseworker.store.sessions import begin_with_write_lock

BUSY_TIMEOUT_MS = 10_000


class StoreOpenError(Exception):
    """The database could not be opened; ``message`` says why in words."""

    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message = message
        self.message_en = message_en


def unlock_connection(connection: sqlcipher.Connection, key: bytes) -> None:
    # SQLCipher would otherwise print decryption failures to stderr on a wrong key.
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def _connect(path: Path, key: bytes, *, create: bool) -> sqlcipher.Connection:
    mode = "rwc" if create else "rw"
    uri = f"{path.as_uri()}?mode={mode}"
    connection = sqlcipher.connect(uri, uri=True, check_same_thread=False)
    unlock_connection(connection, key)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as error:
        connection.close()
        raise StoreOpenError(
            "wrong_key",
            "无法解密数据库：密钥不匹配或文件已损坏。请确认数据文件夹正确，或从备份恢复。",
            f"Cannot decrypt the database {path.name}: the key does not match or the file "
            "is damaged. Check the data folder, or restore a backup.",
        ) from error
    connection.execute("PRAGMA journal_mode = WAL")
    # An acknowledged enrolment or a printed receipt must survive power loss.
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    # 64 MiB of decrypted pages per connection (SQLite's default is 2 MiB): the front page's
    # counts and the lists' indexes stay in memory between reads instead of being read and
    # decrypted again each minute (a limit, not an allocation).
    connection.execute("PRAGMA cache_size = -65536")
    # Python's sqlite3 opens transactions implicitly; SQLAlchemy emits BEGIN itself below.
    connection.isolation_level = None
    return connection


def open_engine(path: Path, key: bytes, *, create: bool = False) -> Engine:
    """An engine over the encrypted file; checks the key before returning."""
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    if not create and not path.exists():
        raise StoreOpenError(
            "missing",
            f"找不到数据库文件 {path}。请检查数据文件夹，或先运行 caseworker setup。",
            f"The database file {path} does not exist. Check the data folder or run "
            "`caseworker setup` first.",
        )
    if create and path.exists():
        raise StoreOpenError(
            "exists",
            f"数据库文件 {path} 已存在，不会覆盖。",
            f"The database file {path} already exists and will not be overwritten.",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    _connect(path, key, create=create).close()  # fail here, with a clear error, not later

    engine = create_engine(
        "sqlite://",
        module=sqlcipher,
        creator=lambda: _connect(path, key, create=False),
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        hide_parameters=True,  # errors and logs never carry ID numbers or names
    )

    begin_with_write_lock(engine)
    return engine
