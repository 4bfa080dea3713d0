"""Outbox to county and back, through the real server over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from caseworker.store.models import OutboxEntry, SyncBatch
from caseworker.sync.run import run_sync
from caseworker.upstream.admin import stats
from caseworker.upstream.db import open_upstream
from tests.upstream.harness import FAST_RETRY, Server, connect, enrol_people, new_centre


def states(session) -> dict[str, int]:
    with session.database.reading() as db:
        rows = db.execute(
            select(OutboxEntry.sync_state, func.count()).group_by(OutboxEntry.sync_state)
        )
        return {state: n for state, n in rows}


def test_enrolments_reach_the_county_once_and_come_back_accepted(server: Server, tmp_path: Path):
    clerk = new_centre(tmp_path / "a")
    try:
        connect(clerk, server)
        enrol_people(clerk, 30)
        report = run_sync(clerk.database, retry=FAST_RETRY)
        # Each person, its enrolment and the pension status the enrolment derives.
        assert report.counts == {"accepted": 90}
        assert states(clerk) == {"accepted": 90}
        db = open_upstream(server.db_url)
        counts = stats(db)
        db.close()
        assert counts["persons"] == 30 and counts["enrolments"] == 30
        assert counts["coverage_statuses"] == 30
        # A second run sends only the audit entry of the first run's pull (so the county's
        # copy of the chain head keeps up); a third has nothing to send.
        again = run_sync(clerk.database, retry=FAST_RETRY)
        assert again.sealed == 1 and again.counts == {}
        third = run_sync(clerk.database, retry=FAST_RETRY)
        assert third.sealed == 0 and third.counts == {}
        with clerk.database.reading() as db:
            assert db.scalar(select(func.count()).select_from(SyncBatch)) == 2
    finally:
        clerk.close()
