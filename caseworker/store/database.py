"""Open, create, back up and migrate the local database.

``open_database`` is what logging in ends with: the key unwrapped from the key file is
checked, with ``PRAGMA quick_check`` and a comparison with the high-water marks, on a
connection that changes no file (``store/inspect.py``); then the encrypted file is opened, a
timestamped backup is taken if migrations are pending, and Alembic brings the schema to head.
A file behind its marks opens restricted: ``Database.loss`` says what is missing.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from caseworker import __version__
from caseworker.paths import DataPaths
from caseworker.store import revisions
from caseworker.store.backups import keep_raw_copy
from caseworker.store.checked import forget as forget_check
from caseworker.store.checked import last_full_check, record_clean_close
from caseworker.store.engine import StoreOpenError, open_engine
from caseworker.store.inspect import LossReport, find_loss, inspect_store, marks_of
from caseworker.store.marks import MarkKeeper, Marks, MarksProblem, load_marks, read_marks_from
from caseworker.store.sessions import Transactions

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    return revisions.head_revision()  # read without Alembic: logging in must not import it


@dataclass
class Database(Transactions):
    """The open store: one engine, sessions for reading, write sessions that lock up front."""

    paths: DataPaths
    engine: Engine
    # Set by open_database / create_database; a Database built by hand keeps no marks.
    keeper: MarkKeeper | None = field(default=None, repr=False)
    # Not None while the file is behind its marks (or the marks cannot be trusted): no
    # receipt number and no enrolment may be issued until a restore or an accepted loss.
    loss: LossReport | None = None
    # "created" when the marks file was missing and has been written from the file's state.
    marks_note: str | None = None
    # When the file last passed a full integrity check (at this open, or before a clean
    # close it is unchanged since); closing records it so the next open may skip the check.
    checked_at: datetime | None = None

    def __post_init__(self) -> None:
        self._open_sessions()
        # Services that issue numbers inside a caller's transaction check ``loss`` through it.
        self._write_sessions.configure(info={"database": self})
        if self.keeper is not None:
            self.keeper.watch(self._write_sessions)

    def rewrite_marks(self) -> None:
        """Marks from what the file holds now, even lower ones: the end of a restricted state."""
        if self.keeper is None:
            return
        with self.reading() as session:
            marks = read_marks_from(session, self.keeper.file_id)
        self.keeper.replace(marks)
        self.loss = None

    def close(self) -> None:
        super().close()
        if self.checked_at is not None:
            record_clean_close(self.paths.database, self.checked_at)

    def needs_upgrade(self) -> bool:
        return self.current_revision() != head_revision()

    def upgrade(self, revision: str = "head") -> None:
        self._migrate("upgrade", revision)

    def downgrade(self, revision: str) -> None:
        """Back to an earlier revision (tests of a migration's upgrade path)."""
        self._migrate("downgrade", revision)

    def _migrate(self, direction: str, revision: str) -> None:
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

                    getattr(command, direction)(config, revision)
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


def _key_file_id(paths: DataPaths) -> str | None:
    from caseworker.store.keys import KeyFile

    return KeyFile.load(paths.key_file).file_id if paths.key_file.exists() else None


def create_database(paths: DataPaths, key: bytes) -> Database:
    """A new encrypted file at head; refuses to touch an existing one."""
    file_id = _key_file_id(paths)
    engine = open_engine(paths.database, key, create=True)
    database = Database(paths, engine, MarkKeeper(paths.marks, key, file_id, Marks(file_id)))
    database.upgrade()
    database.keeper.replace(Marks(file_id))  # a stale marks file in the folder is not ours
    database.checked_at = datetime.now(UTC)  # new, and written by us alone
    return database


def newer_schema_error(revision: str) -> StoreOpenError:
    """The words for a data folder written by a newer release than this one."""
    return StoreOpenError(
        "newer_schema",
        f"这个数据库由更新版本的程序写入（数据库结构 {revision}，本程序 {__version__} 只认识到 "
        f"{head_revision()}）。本程序不会打开或改动它：请安装新版本后再打开，"
        "数据文件夹里的文件都未改动。",
        f"This database was written by a newer version of Caseworker (schema {revision}; this "
        f"app, version {__version__}, knows up to {head_revision()}). It was not opened and no "
        "file was changed: install the newer version to open it.",
    )


def _marks_and_loss(
    paths: DataPaths, key: bytes, file_id: str | None, *, full_check: bool = True
) -> tuple[Marks | None, LossReport | None, str | None]:
    """Check the file without changing it; compare it with its marks."""
    problem: str | None = None
    try:
        marks = load_marks(paths.marks, key, file_id)
    except MarksProblem as error:
        log.warning("the high-water marks cannot be trusted (%s): %s", error.kind, error)
        marks, problem = None, error.kind
    state = inspect_store(
        paths.database,
        key,
        audit_seq_of_interest=marks.audit_seq if marks else None,
        full_check=full_check,
    )
    if state.revision is not None and state.revision not in revisions.known_revisions():
        # Refused before anything writes (stamps, marks, the WAL): an older app must not touch
        # a newer app's data, and a failed open changes no file.
        raise newer_schema_error(state.revision)
    if problem is not None:
        return marks_of(state, file_id), LossReport(f"marks_{problem}", state.audit_seq), None
    if marks is None:
        note = "created" if state.audit_seq else None
        if note:
            log.warning("no high-water marks for a database with audit entries: created them")
        return marks_of(state, file_id), None, note
    return marks, find_loss(marks, state), None


def open_database(
    paths: DataPaths, key: bytes, *, migrate: bool = True, file_id: str | None = None
) -> Database:
    """Open an existing file; back it up and migrate it when it is behind.

    A wrong key or a damaged file raises before any connection that could write is made,
    so a failed open leaves every file in the folder as it was.
    """
    if not paths.database.exists():
        open_engine(paths.database, key)  # raises the clear "missing" error
    file_id = file_id or _key_file_id(paths)
    checked_before = last_full_check(paths.database)
    marks, loss, note = _marks_and_loss(paths, key, file_id, full_check=checked_before is None)
    # From here the file is ours to write: until a clean close, the next open checks it.
    forget_check(paths.database)
    if loss is not None and marks is not None and marks.audit_held_when_found is None:
        # Found behind for the first time: the first write (the login) overwrites the WAL
        # frames after the damage, so keep the file and its WAL as found, for a technician.
        keep_raw_copy(paths, reason="found-behind")
    keeper = MarkKeeper(paths.marks, key, file_id, marks)
    database = Database(paths, open_engine(paths.database, key), keeper, loss, note)
    database.checked_at = checked_before or datetime.now(UTC)
    keeper.frozen = loss is not None
    current = database.current_revision()
    if loss is not None:
        if loss.reason == "behind":  # untrusted marks stay as found, for the administrator
            keeper.note_loss(loss.audit_held)
    elif marks is not None and (note == "created" or marks.audit_held_when_found is not None):
        # First marks for this file, or a loss that a restore has made good.
        keeper.replace(dataclasses.replace(marks, audit_held_when_found=None))
    if migrate and current != head_revision():
        database.backup(reason=f"before-upgrade-from-{current or 'empty'}")
        database.upgrade()
    return database


def quick_check(database: Database) -> str:
    with database.engine.connect() as connection:
        return str(connection.execute(text("PRAGMA quick_check")).scalar())
