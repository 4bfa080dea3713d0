"""A tax-channel payment and its void travel to the real county server like any payment."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from caseworker.services.tax_payments import record_tax_payment, void_tax_payment
from caseworker.store.models import OutboxEntry
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Payment as CountyPayment
from tests.upstream.harness import FAST_RETRY, TODAY, Server, connect, enrol_people, new_centre


def test_a_tax_payment_and_its_void_are_accepted_by_the_county(server: Server, tmp_path: Path):
    centre = new_centre(tmp_path / "a")
    try:
        connect(centre, server)
        (person_id,) = enrol_people(centre, 1)
        paid = record_tax_payment(
            centre.database,
            centre.actor,
            person_id=person_id,
            scheme="resident_pension",
            period_start=date(2026, 1, 1),
            method="tax_app",
            voucher_number="332026112700000001",
            paid_on=date(2026, 11, 26),
            amount_fen=50_000,
            today=TODAY,
        )
        report = run_sync(centre.database, retry=FAST_RETRY)
        # The person, the enrolment, the tax payment, and the pension status twice
        # (enrolled, then paid).
        assert report.counts == {"accepted": 5}
        county = open_upstream(server.db_url)
        try:
            with county.reading() as session:
                row = session.get(CountyPayment, paid.payment_id)
                assert row is not None and row.centre_code == centre.actor.centre_code
                assert row.receipt_number is None and row.amount_fen == 50_000
                assert row.payload["channel"] == "tax"
                assert row.payload["voucher_number"] == "332026112700000001"
                assert row.payload["method"] == "tax_app" and not row.voided
            void_tax_payment(
                centre.database,
                centre.actor,
                voucher_number="332026112700000001",
                reason="录入时选错险种",
            )
            again = run_sync(centre.database, retry=FAST_RETRY)
            assert again.counts == {"accepted": 2}  # the void; the status back to "enrolled"
            with county.reading() as session:
                row = session.get(CountyPayment, paid.payment_id)
                assert row.voided and row.payload["void_reason"] == "录入时选错险种"
        finally:
            county.close()
        with centre.database.reading() as db:
            states = {
                o.operation: o.sync_state
                for o in db.scalars(
                    select(OutboxEntry).where(OutboxEntry.entity_id == paid.payment_id)
                )
            }
        assert states == {"create": "accepted", "void": "accepted"}
    finally:
        centre.close()
