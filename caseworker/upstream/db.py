"""The county server's database: an engine from a URL, sessions, and Alembic migrations.

SQLite (a file, the default) for a small county or a test; PostgreSQL through psycopg 3
(``postgresql+psycopg://user@host/db``) in production. On SQLite every write transaction
starts with ``BEGIN IMMEDIATE`` so concurrent batch uploads queue instead of deadlocking.
"""

from __future__ import annotations

import contextlib
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from caseworker.store.sessions import Transactions, begin_with_write_lock

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DB_ENV = "CASEWORKER_UPSTREAM_DB"
DEFAULT_URL = "sqlite:///caseworker-upstream.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 10


class UpstreamDbError(Exception):
    """The database URL is unusable; the message says why."""


def default_url() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_URL


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@functools.cache  # the scripts do not change while the server runs (readyz asks often)
def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


@functools.cache
def known_revisions() -> frozenset[str]:
    scripts = ScriptDirectory.from_config(_alembic_config())
    return frozenset(script.revision for script in scripts.walk_revisions())


def _create_private(path: Path) -> None:
    """Create the database file owner-only (0600) before SQLite opens it: it holds every
    centre's people. SQLite gives the -wal and -shm files the main file's permissions."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # an existing file keeps its permissions
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (savepoints work)
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        dbapi_connection.execute("PRAGMA synchronous = FULL")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        dbapi_connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")

    begin_with_write_lock(engine)
    return engine


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise UpstreamDbError(f"not a database URL: {url!r} ({error})") from error
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.query.get("uri"):
            _create_private(Path(parsed.database))
        return _sqlite_engine(url)
    if parsed.get_backend_name() == "postgresql":
        if parsed.get_driver_name() not in ("psycopg", "psycopg2"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(
            parsed,
            pool_size=10,
            max_overflow=10,
            pool_pre_ping=True,
            hide_parameters=True,
            # A database host that does not answer fails a request (503) and /readyz in
            # seconds, instead of after the system's TCP timeout.
            connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S},
        )
    raise UpstreamDbError(
        f"unsupported database {parsed.get_backend_name()!r}: use sqlite:///FILE or "
        "postgresql+psycopg://USER@HOST/DB"
    )


@dataclass
class UpstreamDb(Transactions):
    engine: Engine

    def __post_init__(self) -> None:
        self._open_sessions()

    def upgrade(self, revision: str = "head") -> None:
        config = _alembic_config()
        with self.engine.connect() as connection, connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, revision)


def open_upstream(url: str | None = None, *, migrate: bool = True) -> UpstreamDb:
    """The server's database at ``url``, migrated to head unless told not to."""
    db = UpstreamDb(make_engine(url or default_url()))
    if migrate and db.current_revision() != head_revision():
        db.upgrade()
    return db
