"""The county server's log after a 500 whose exception carries a whole batch's payloads:
no ID numbers, names or phones in it, and it is private. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.sync.batches import SyncError
from caseworker.sync.run import run_sync
from caseworker.upstream.cli import log_folder
from caseworker.upstream.db import open_upstream
from tests.cli.test_logs import assert_clean, people, secrets_of
from tests.upstream.harness import FAST_RETRY, TODAY, Server, connect, new_centre

REFUSE_ON_SQLITE = """
CREATE TRIGGER refuse_feed BEFORE INSERT ON registry_change
BEGIN SELECT RAISE(ABORT, 'feed refused by trigger'); END
"""
# PostgreSQL's message quotes the whole row: the redaction has to hold, not only the SQL.
REFUSE_ON_POSTGRES = [
    """CREATE FUNCTION refuse_feed() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'feed refused: %', NEW.payload::text; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER refuse_feed BEFORE INSERT ON registry_change
    FOR EACH ROW EXECUTE FUNCTION refuse_feed()""",
]


def test_a_server_error_leaves_no_personal_data_in_the_log(server: Server, tmp_path: Path):
    session = new_centre(tmp_path / "centre")
    try:
        connect(session, server)
        persons = people(12)
        for person in persons:
            enrol(
                session.database,
                session.actor,
                person,
                [EnrolmentChoice("resident_pension", tier_fen=50_000)],
                today=TODAY,
            )
        db = open_upstream(server.db_url)
        on_sqlite = db.engine.dialect.name == "sqlite"
        try:
            with db.engine.begin() as conn:
                for statement in [REFUSE_ON_SQLITE] if on_sqlite else REFUSE_ON_POSTGRES:
                    conn.execute(text(statement))
        finally:
            db.close()

        with pytest.raises(SyncError):
            run_sync(session.database, retry=FAST_RETRY, pull_feeds=False)
    finally:
        session.close()
    # The server is still up and answers; the failure went to its log.
    assert httpx.get(f"{server.base}/v1/meta", timeout=5).status_code == 200
    files = assert_clean(server.log_dir, secrets_of(persons))
    assert files == [server.log_dir / "upstream.log"]
    # JSON lines (request_log): the words of each message and exception, unescaped.
    lines = [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]
    log = "\n".join(f"{line['message']}\n{line.get('exception', '')}" for line in lines)
    assert "Exception in ASGI application" in log
    assert 'File "caseworker/upstream/intake.py"' in log
    if on_sqlite:  # SQLAlchemy's statement error, its parameters withheld by the engine
        assert "SQL parameters hidden" in log, log
    else:  # psycopg's error, which quotes the payload: the words stay, the values go
        assert "RaiseException: feed refused: {'<text>': '<text>'" in log, log
    assert "Traceback" not in server.errors()  # nothing raw on stderr either


def test_the_log_folder_defaults_beside_the_sqlite_file(tmp_path: Path):
    assert log_folder(None, f"sqlite:///{tmp_path / 'county.db'}") == tmp_path / "logs"
    assert log_folder(None, "postgresql+psycopg://postgres@127.0.0.1/test") == Path("logs")
    assert log_folder(str(tmp_path / "x"), None) == tmp_path / "x"
