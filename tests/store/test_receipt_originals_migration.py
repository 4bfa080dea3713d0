"""Migration 0007: receipts recorded before it were printed at the desk when paid, so each
gets its original recorded (medium ``earlier``) and from then on prints as a copy."""

from __future__ import annotations

from sqlalchemy import inspect, select

from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from caseworker.services.receipt_issue import receipt_output
from caseworker.store.models import Payment, ReceiptOriginal
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer


def test_receipts_from_before_migration_0008_are_copies_after_it(centre):
    db, actor = centre.database, centre.actor
    person_id = enrol(
        db, actor, farmer(), [EnrolmentChoice("resident_medical")], today=TODAY
    ).person_id
    number = record_payment(
        db, actor, person_id=person_id, scheme="resident_medical", today=TODAY
    ).receipt_number
    assert receipt_output(db, actor, number).original  # never printed on this version

    db.downgrade("0007")  # just before receipt originals
    with db.engine.connect() as connection:
        assert "receipt_original" not in inspect(connection).get_table_names()
    db.upgrade()

    with db.reading() as session:
        row = session.get_one(ReceiptOriginal, number)
        paid = session.scalars(select(Payment).where(Payment.receipt_number == number)).one()
        assert (row.medium, row.issued_by, row.issued_at) == (
            "earlier",
            paid.operator_id,
            paid.paid_at,
        )
    assert not receipt_output(db, actor, number).original
