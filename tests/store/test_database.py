"""The encrypted store on real SQLCipher files: opening, refusing, migrating, backing up."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from caseworker.paths import DataPaths
from caseworker.store.database import Database, create_database, head_revision, open_database
from caseworker.store.engine import StoreOpenError, open_engine
from caseworker.store.search_index import search_person_ids


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


def test_new_database_is_encrypted_at_head_with_safe_pragmas(data_paths: DataPaths, key: bytes):
    database = create_database(data_paths, key)
    assert database.current_revision() == head_revision()
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.close()
    header = data_paths.database.read_bytes()[:16]
    assert header != b"SQLite format 3\x00"


def test_wrong_key_is_a_clear_error_and_leaves_the_file_alone(data_paths: DataPaths, key: bytes):
    create_database(data_paths, key).close()
    before = _digest(data_paths.database)
    with pytest.raises(StoreOpenError) as caught:
        open_database(data_paths, os.urandom(32))
    assert caught.value.code == "wrong_key"
    assert "密钥" in caught.value.message
    assert _digest(data_paths.database) == before


def test_missing_file_is_not_created(data_paths: DataPaths, key: bytes):
    with pytest.raises(StoreOpenError) as caught:
        open_database(data_paths, key)
    assert caught.value.code == "missing"
    assert not data_paths.database.exists()


def test_create_refuses_to_overwrite(data_paths: DataPaths, key: bytes):
    create_database(data_paths, key).close()
    before = _digest(data_paths.database)
    with pytest.raises(StoreOpenError) as caught:
        create_database(data_paths, os.urandom(32))
    assert caught.value.code == "exists"
    assert _digest(data_paths.database) == before


def test_not_a_database_file_is_refused(data_paths: DataPaths, key: bytes):
    data_paths.root.mkdir(parents=True)
    data_paths.database.write_bytes(b"this is a spreadsheet, not a database" * 100)
    with pytest.raises(StoreOpenError) as caught:
        open_engine(data_paths.database, key)
    assert caught.value.code == "wrong_key"


def _insert_rev1_person(database, person_id: uuid.UUID) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO person (id, id_number, id_kind, name, sex, birth_date, phone,"
                " special_groups, created_at, updated_at, version)"
                " VALUES (:id, '11010519491231002X', 'mainland', '单雄信', '1', '1949-12-31',"
                " '13912345678', '[]', '2026-01-05 08:00:00', '2026-01-05 08:00:00', 1)"
            ),
            {"id": person_id.hex},
        )
        connection.execute(
            text(
                "INSERT INTO enrolment (id, person_id, scheme, status, tier_fen, start_date,"
                " documents, created_at, updated_at, version)"
                " VALUES (:id, :person, 'resident_pension', 'active', 50000, '2026-01-05', '[]',"
                " '2026-01-05 08:00:00', '2026-01-05 08:00:00', 1)"
            ),
            {"id": uuid.uuid4().hex, "person": person_id.hex},
        )


def test_database_at_first_revision_upgrades_with_its_data(data_paths: DataPaths, key: bytes):
    # create_database always goes to head, so revision 1 is built by hand here.
    old = Database(data_paths, open_engine(data_paths.database, key, create=True))
    old.upgrade("0001")
    assert old.current_revision() == "0001"
    person_id = uuid.uuid4()
    _insert_rev1_person(old, person_id)
    old.close()

    upgraded = open_database(data_paths, key)
    assert upgraded.current_revision() == head_revision()
    backups = list(data_paths.backups.glob("*before-upgrade-from-0001*.db"))
    assert len(backups) == 1
    with upgraded.reading() as session:
        for query in (
            "002X",
            "单雄信",
            "雄信",
            "shanxiongxin",
            "sxx",
            "5678",
            "11010519491231002x",
        ):
            assert search_person_ids(session, query) == [person_id], query
        count = session.connection().exec_driver_sql("SELECT count(*) FROM enrolment").scalar()
        assert count == 1
    upgraded.close()

    # The backup is the revision-1 file, still encrypted with the same key.
    backup_paths = DataPaths(data_paths.root / "restored")
    backup_paths.root.mkdir()
    backups[0].rename(backup_paths.database)
    restored = open_database(backup_paths, key, migrate=False)
    assert restored.current_revision() == "0001"
    restored.close()


def test_newer_schema_is_refused_not_downgraded(data_paths: DataPaths, key: bytes):
    database = create_database(data_paths, key)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    database.close()
    with pytest.raises(StoreOpenError) as caught:
        open_database(data_paths, key)
    assert caught.value.code == "newer_schema"


def test_backup_is_an_encrypted_copy_that_opens_with_the_same_key(
    data_paths: DataPaths, key: bytes
):
    database = create_database(data_paths, key)
    target = database.backup()
    database.close()
    assert target.read_bytes()[:16] != b"SQLite format 3\x00"
    copy = DataPaths(data_paths.root / "copy")
    copy.root.mkdir()
    target.rename(copy.database)
    reopened = open_database(copy, key)
    assert reopened.current_revision() == head_revision()
    reopened.close()


def test_migrated_schema_matches_the_models(data_paths: DataPaths, key: bytes):
    """A model change without its migration fails here, not on a centre's computer."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from caseworker.store.models import Base

    database = create_database(data_paths, key)
    try:
        with database.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        database.close()
    assert differences == []
