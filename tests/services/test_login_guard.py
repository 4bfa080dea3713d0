"""Failed logins: kept in a side file while the database is locked, audited at the next
login (signed by the device), and a growing wait after five in a row. Time is injected."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from caseworker.domain.audit_chain import DEVICE_SIGNER
from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login
from caseworker.services.journal import verify_audit_chain
from caseworker.services.login_guard import LoginLocked, locked_until, wait_after
from caseworker.store.keys import KeyFile, WrongPassword
from caseworker.store.models import AuditEntry
from tests.conftest import CLERK_PASSWORD


class Clock:
    """An injected time source the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def paths(centre: OpenSession) -> DataPaths:
    centre.close()  # the app is at its login screen: the database is not open
    return centre.database.paths


def _fail(paths: DataPaths, clock: Clock, username: str = "clerk", times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(WrongPassword):
            login(paths, username, "wrong password 9", now=clock)


def _failed_entries(session: OpenSession) -> list[AuditEntry]:
    with session.database.reading() as db:
        return list(
            db.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "operator.login_failed")
                .order_by(AuditEntry.seq)
            )
        )


def test_failures_wait_in_a_private_file_then_go_into_the_chain_signed_by_the_device(
    paths: DataPaths,
) -> None:
    clock = Clock()
    _fail(paths, clock)
    clock.advance(5)
    _fail(paths, clock, username="nobody")
    side_file = paths.failed_logins
    assert stat.S_IMODE(os.stat(side_file).st_mode) == 0o600
    kept = json.loads(side_file.read_text("utf-8"))
    assert [(f["username"], f["reason"]) for f in kept["failures"]] == [
        ("clerk", "wrong_password"),
        ("nobody", "unknown_user"),
    ]
    assert "wrong password" not in side_file.read_text("utf-8")  # the typed password never

    session = login(paths, "clerk", CLERK_PASSWORD, now=clock)
    try:
        entries = _failed_entries(session)
        assert [(e.detail["username"], e.detail["reason"]) for e in entries] == [
            ("clerk", "wrong_password"),
            ("nobody", "unknown_user"),
        ]
        assert all(e.signer == DEVICE_SIGNER and e.operator_id is None for e in entries)
        assert entries[0].detail["failed_at"] == "2026-12-01T09:00:00+00:00"
        with session.database.reading() as db:
            report = verify_audit_chain(db, KeyFile.load(paths.key_file))
        assert report.ok, report.problem_en
    finally:
        session.close()
    # Audited once: the file keeps only the other name's run, and the next login adds no copy.
    kept = json.loads(side_file.read_text("utf-8"))
    assert kept["failures"] == [] and list(kept["streaks"]) == ["nobody"]
    again = login(paths, "clerk", CLERK_PASSWORD, now=clock)
    try:
        assert len(_failed_entries(again)) == 2
    finally:
        again.close()


def test_five_failures_in_a_row_make_that_operator_wait_longer_each_time(
    paths: DataPaths,
) -> None:
    clock = Clock()
    _fail(paths, clock, times=4)
    assert locked_until(paths, "clerk", clock.now) is None
    _fail(paths, clock)  # the fifth
    with pytest.raises(LoginLocked) as locked:
        login(paths, "clerk", CLERK_PASSWORD, now=clock)  # even the right password waits
    assert locked.value.until == clock.now + timedelta(seconds=30)
    assert "30秒" in locked.value.message and "30 s" in locked.value.message_en
    # Another operator is not held up by the clerk's failures.
    assert locked_until(paths, "supervisor", clock.now) is None
    clock.advance(29)
    with pytest.raises(LoginLocked):
        login(paths, "CLERK", "wrong password 9", now=clock)  # names match as the key file's
    clock.advance(1)
    _fail(paths, clock)  # the sixth: now a minute
    assert locked_until(paths, "clerk", clock.now) == clock.now + timedelta(minutes=1)
    clock.advance(60)
    _fail(paths, clock)
    assert locked_until(paths, "clerk", clock.now) == clock.now + timedelta(minutes=2)
    # A refused attempt while waiting is not a failure: it does not lengthen the wait.
    kept = json.loads(paths.failed_logins.read_text("utf-8"))
    assert kept["streaks"]["clerk"]["count"] == 7
    clock.advance(120)
    session = login(paths, "clerk", CLERK_PASSWORD, now=clock)
    try:
        assert len(_failed_entries(session)) == 7
    finally:
        session.close()
    # Success resets the run: four more failures are not yet a wait.
    _fail(paths, clock, times=4)
    assert locked_until(paths, "clerk", clock.now) is None


def test_the_wait_doubles_up_to_an_hour() -> None:
    assert [wait_after(n) for n in (1, 4)] == [None, None]
    assert [wait_after(n).total_seconds() for n in (5, 6, 7, 8)] == [30, 60, 120, 240]
    assert wait_after(40) == timedelta(hours=1)


def test_an_unreadable_side_file_does_not_block_login(paths: DataPaths) -> None:
    paths.failed_logins.write_text("not json", "utf-8")
    session = login(paths, "clerk", CLERK_PASSWORD, now=Clock())
    session.close()
    assert not paths.failed_logins.exists()
