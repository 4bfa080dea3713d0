"""The migration revisions read without Alembic agree with Alembic, and logging in (what
the app's launch waits for) no longer imports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from caseworker.paths import DataPaths
from caseworker.services.centre import setup_centre
from caseworker.store import revisions
from caseworker.store.database import MIGRATIONS_DIR, create_database, head_revision
from tests.upstream import harness

upstream_url = harness.upstream_url  # the fixture: a fresh SQLite file or PostgreSQL schema

ROOT = Path(__file__).resolve().parents[2]


def _alembic_scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def test_head_and_known_revisions_are_alembics():
    scripts = _alembic_scripts()
    assert head_revision() == scripts.get_current_head()
    assert revisions.known_revisions() == {s.revision for s in scripts.walk_revisions()}
    assert revisions.revision_graph() == {
        s.revision: s.down_revision for s in scripts.walk_revisions()
    }


def test_two_heads_are_refused(tmp_path: Path):
    for name, revision, down in (("a", "0001", None), ("b", "0002", "0001"), ("c", "0003", "0001")):
        quoted = f'"{down}"' if down else "None"
        (tmp_path / f"{name}.py").write_text(f'revision = "{revision}"\ndown_revision = {quoted}\n')
    graph = revisions.revision_graph(tmp_path)
    assert graph == {"0001": None, "0002": "0001", "0003": "0001"}
    with pytest.raises(RuntimeError, match="one head"):
        revisions.head_revision(tmp_path)


def test_current_revision_reads_the_file_as_alembic_does(data_paths: DataPaths):
    database = create_database(data_paths, b"k" * 32)
    try:
        assert database.current_revision() == head_revision()
        with database.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0007'"))
        with database.engine.connect() as connection:
            assert revisions.current_revision(connection) == "0007"
            assert MigrationContext.configure(connection).get_current_revision() == "0007"
        assert database.current_revision() == "0007"
    finally:
        database.close()


def test_a_file_alembic_never_touched_has_no_revision(tmp_path: Path):
    from caseworker.store.engine import open_engine

    engine = open_engine(tmp_path / "bare.db", b"k" * 32, create=True)
    try:
        with engine.connect() as connection:
            assert revisions.current_revision(connection) is None
    finally:
        engine.dispose()


def test_logging_in_does_not_import_alembic(tmp_path: Path):
    setup_centre(
        DataPaths(tmp_path / "centre"),
        centre_code="320281103",
        centre_name="青阳镇社会保障服务中心",
        township_code="320281103",
        admin_username="admin",
        admin_password="a long password 1",
    )
    probe = (
        "import sys; from pathlib import Path; from caseworker.paths import DataPaths;"
        "from caseworker.services.centre import login;"
        f"s = login(DataPaths(Path({str(tmp_path / 'centre')!r})), 'admin', 'a long password 1');"
        "s.close(); print(sorted(m for m in ('alembic', 'mako', 'pygments') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def test_an_empty_county_store_has_no_revision_and_its_transaction_goes_on(upstream_url: str):
    """The county's store (SQLite or PostgreSQL, a fresh schema): no alembic_version table
    yet is None, and the transaction is still usable (PostgreSQL aborts one whose statement
    failed, so the table is looked up, never queried blindly)."""
    from sqlalchemy import create_engine

    engine = create_engine(upstream_url)
    try:
        with engine.begin() as connection:
            assert revisions.current_revision(connection) is None
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
