"""Open, create, back up and migrate the local database.

``open_database`` is what logging in ends with: the key unwrapped from the key file opens
the encrypted file, a timestamped backup is taken if migrations are pending, and Alembic
brings the schema to head.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from caseworker.paths import DataPaths
from caseworker.store.engine import StoreOpenError, open_engine
from caseworker.store.sessions import Transactions

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


@dataclass
class Database(Transactions):
    """The open store: one engine, sessions for reading, write sessions that lock up front."""

    paths: DataPaths
    engine: Engine

    def __post_init__(self) -> None:
        self._open_sessions()

    def needs_upgrade(self) -> bool:
        return self.current_revision() != head_revision()

    def upgrade(self, revision: str = "head") -> None:
        """Run migrations in one transaction, with foreign keys checked at the end.

        Batch migrations rebuild tables (copy, drop, rename); with foreign keys on, dropping
        ``person`` would cascade into or be blocked by its children. SQLite only lets the
        pragma change outside a transaction, so it is set on the raw connection first.
        """
        config = _alembic_config()
        with self.engine.connect() as connection:
            raw = connection.connection.driver_connection
            raw.execute("PRAGMA foreign_keys = OFF")
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    from alembic import command

                    command.upgrade(config, revision)
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken references: {broken[:5]}")
            finally:
                raw.execute("PRAGMA foreign_keys = ON")

    def backup(self, reason: str = "manual") -> Path:
        """A consistent encrypted copy (same key) in backups/, named by time and reason."""
        self.paths.backups.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.paths.backups / f"caseworker-{stamp}-{reason}.db"
        # VACUUM cannot run inside a transaction, so go below SQLAlchemy's autobegin.
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("VACUUM INTO ?", (str(target),))
        finally:
            raw.close()
        return target


def create_database(paths: DataPaths, key: bytes) -> Database:
    """A new encrypted file at head; refuses to touch an existing one."""
    database = Database(paths, open_engine(paths.database, key, create=True))
    database.upgrade()
    return database


def open_database(paths: DataPaths, key: bytes, *, migrate: bool = True) -> Database:
    """Open an existing file; back it up and migrate it when it is behind."""
    database = Database(paths, open_engine(paths.database, key))
    current = database.current_revision()
    from alembic.script import ScriptDirectory

    known = {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    if current is not None and current not in known:
        database.close()
        raise StoreOpenError(
            "newer_schema",
            "这个数据库由更新版本的程序写入，请先升级本程序。",
            "This database was written by a newer version of Caseworker; upgrade the app first.",
        )
    if migrate and current != head_revision():
        database.backup(reason=f"before-upgrade-from-{current or 'empty'}")
        database.upgrade()
    return database


def quick_check(database: Database) -> str:
    with database.engine.connect() as connection:
        return str(connection.execute(text("PRAGMA quick_check")).scalar())
