"""A void travels upstream: a supervisor, re-authenticated at the clerk's session, voids a
receipt the county already holds; the next sync marks every line void at the county."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from caseworker.services.actor import Permission, Role
from caseworker.services.centre import add_operator, login
from caseworker.services.payments import record_payment, void_payment
from caseworker.services.reauth import authorise
from caseworker.store.models import OutboxEntry
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Payment as CountyPayment
from tests.upstream.harness import FAST_RETRY, TODAY, Server, connect, enrol_people, new_centre


def county_payment(server: Server, number: str) -> CountyPayment:
    db = open_upstream(server.db_url)
    try:
        with db.reading() as session:
            return session.scalars(
                select(CountyPayment).where(CountyPayment.receipt_number == number)
            ).one()
    finally:
        db.close()


def test_a_void_reaches_the_county(server: Server, tmp_path: Path):
    admin = new_centre(tmp_path / "a")
    try:
        add_operator(admin, username="clerk", password="clerk pass 22", role=Role.CLERK)
        add_operator(admin, username="lead", password="lead pass 333", role=Role.SUPERVISOR)
        connect(admin, server)
        clerk = login(admin.database.paths, "clerk", "clerk pass 22")
        (person_id,) = enrol_people(clerk, 1)
        number = record_payment(
            clerk.database, clerk.actor, person_id=person_id, scheme="resident_pension", today=TODAY
        ).receipt_number
        run_sync(clerk.database, retry=FAST_RETRY)
        assert county_payment(server, number).voided is False

        supervisor = authorise(clerk, "lead", "lead pass 333", Permission.VOID_PAYMENT)
        void_payment(clerk.database, supervisor, receipt_number=number, reason="缴费人重复缴费")
        report = run_sync(clerk.database, retry=FAST_RETRY)
        assert report.counts.get("accepted", 0) >= 1, report.counts
        with clerk.database.reading() as db:
            (void,) = db.scalars(select(OutboxEntry).where(OutboxEntry.operation == "void"))
            assert void.sync_state == "accepted"
        county = county_payment(server, number)
        assert county.voided is True and county.version == 2
        assert county.payload["void_reason"] == "缴费人重复缴费"
        assert county.payload["voided_by"] == str(supervisor.operator_id)
        clerk.close()
    finally:
        admin.close()
