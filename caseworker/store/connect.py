"""The one way a connection to the encrypted file is made: key, cipher settings, PRAGMAs.

SQLAlchemy's engine (``store/engine.py``) makes its connections here, and so does the
command line's quick look-up (``store/direct.py``), which runs without SQLAlchemy: whatever
opens the file, it is opened the same way. The database key is raw 256-bit
(``PRAGMA key = "x'…'"``), so no passphrase KDF runs on every connection.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlcipher3.dbapi2 as sqlcipher

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


def check_target(path: Path, key: bytes, *, create: bool) -> None:
    """Refuse a key of the wrong size, a missing file, or an existing one to be created."""
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


def connect(path: Path, key: bytes, *, create: bool = False) -> sqlcipher.Connection:
    """A working connection; ``wrong_key`` if the key does not open the file.

    Transactions are the caller's: the driver's implicit ones are off (``isolation_level
    None``), so SQLAlchemy (or the direct path) emits BEGIN itself.
    """
    import sqlcipher3.dbapi2 as sqlcipher  # here: the CLI's error handling imports this module

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
    connection.isolation_level = None
    return connection
