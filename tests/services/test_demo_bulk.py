"""The demo built on the bulk write path keeps every rule of the one-at-a-time services: the
audit chain verifies, receipt numbers are contiguous, every person, enrolment and payment has
its outbox row, and a seed gives the very counts the ORM path gave (recorded before the move).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from caseworker.domain.audit_chain import CHECKPOINT_ACTION, RUN_MAX
from caseworker.domain.receipts import format_receipt_number
from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.services.journal import verify_audit_chain
from caseworker.services.payments import record_payment
from caseworker.store.models import (
    AuditEntry,
    CoverageStatus,
    CoverageSurveyEntry,
    CoverageTally,
    Employer,
    Enrolment,
    Household,
    OutboxEntry,
    OutboxReview,
    Payment,
    Person,
    PersonSearchKey,
    ReceiptCounter,
)

DAY = date(2026, 11, 27)

# What the ORM path wrote for 120 people, seed 1, on DAY (before the demo moved), less the
# 89 statuses it derived after an enrolment and derived again after the payment of the same
# visit: the demo now journals only the second (the statuses themselves are unchanged).
BEFORE = {
    Person: 120,
    Household: 39,
    Employer: 5,
    Enrolment: 176,
    Payment: 146,
    OutboxEntry: 1034 - 89,
    AuditEntry: 1041 - 89,
    CoverageSurveyEntry: 127,
    OutboxReview: 1034 - 89,
    PersonSearchKey: 949,
}
BEFORE_ACTIONS = {
    "centre.setup": 1,
    "coverage.derive": 294 - 89,
    "coverage.record": 127,
    "employer.create": 5,
    "enrolment.create": 176,
    "household.create": 39,
    "operator.add": 2,
    "operator.login": 3,
    "payment.record": 78,
    "payment.record_tax": 68,
    "person.create": 120,
    "review.approve": 1,
    "survey_entry.create": 127,
}
BULK_ACTIONS = {  # what the demo writes through BulkWriter
    "coverage.derive",
    "coverage.record",
    "enrolment.create",
    "household.create",
    "payment.record",
    "payment.record_tax",
    "person.create",
    "survey_entry.create",
}
BEFORE_STATUSES = {
    ("injury", "insured_elsewhere", "survey"): 1,
    ("injury", "insured_here", "survey"): 24,
    ("injury", "not_applicable", "survey"): 60,
    ("injury", "not_insured", "survey"): 14,
    ("injury", "unknown", None): 21,
    ("medical", "insured_elsewhere", "survey"): 8,
    ("medical", "insured_here", "enrolment"): 27,
    ("medical", "insured_here", "payment"): 68,
    ("medical", "not_insured", "enrolment"): 12,
    ("medical", "not_insured", "survey"): 3,
    ("medical", "unknown", None): 2,
    ("pension", "insured_elsewhere", "survey"): 1,
    ("pension", "insured_here", "enrolment"): 48,
    ("pension", "insured_here", "payment"): 21,
    ("pension", "not_applicable", "registry"): 29,
    ("pension", "not_applicable", "survey"): 11,
    ("pension", "not_insured", "survey"): 5,
    ("pension", "unknown", None): 5,
}


def test_a_bulk_demo_keeps_the_rules_and_the_counts_of_a_seed(tmp_path) -> None:
    paths = DataPaths(tmp_path / "demo")
    summary = build_demo_centre(paths, persons=120, today=DAY, seed=1)
    assert (summary.persons, summary.households, summary.payments) == (120, 39, 146)
    session = login(paths, "clerk", DEMO_PASSWORD)
    try:
        actor = session.actor
        with session.database.reading() as db:
            report = verify_audit_chain(db)
            assert report.ok, report.problem_en

            def count(model: type) -> int:
                return db.scalar(select(func.count()).select_from(model))

            actions = dict(
                db.execute(
                    select(AuditEntry.action, func.count()).group_by(AuditEntry.action)
                ).all()
            )
            # The bulk writes' signed checkpoints, one per run of at most RUN_MAX entries:
            # bookkeeping of the chain on top of what the ORM path wrote.
            checkpoints = actions.pop(CHECKPOINT_ACTION)
            bulk = sum(n for a, n in actions.items() if a in BULK_ACTIONS)
            assert -(-bulk // RUN_MAX) <= checkpoints < bulk // 10
            found = {model: count(model) for model in BEFORE}
            found[AuditEntry] -= checkpoints
            assert found == BEFORE
            assert actions == BEFORE_ACTIONS  # the logins: the build's two and this one
            statuses = db.execute(
                select(
                    CoverageStatus.line, CoverageStatus.status, CoverageStatus.source, func.count()
                ).group_by(CoverageStatus.line, CoverageStatus.status, CoverageStatus.source)
            )
            assert {tuple(row[:3]): row[3] for row in statuses} == BEFORE_STATUSES
            versions = dict(
                db.execute(
                    select(CoverageStatus.version, func.count()).group_by(CoverageStatus.version)
                ).all()
            )
            assert versions == {0: 28, 1: 243 + 89}  # each status written once
            # The triggers' tallies agree with the rows the writer updated in bulk.
            assert db.scalar(select(func.sum(CoverageTally.n))) == 360

            # Receipts: one per desk payment, numbered 1..n without a gap, the counter at n.
            numbers = db.execute(
                select(Payment.receipt_sequence, Payment.receipt_number)
                .where(Payment.channel == "desk")
                .order_by(Payment.receipt_sequence)
            ).all()
            assert [n for n, _ in numbers] == list(range(1, 79))
            assert numbers[-1][1] == format_receipt_number(
                actor.centre_code, actor.device_number, DAY.year, 78
            )
            counter = db.get(ReceiptCounter, (actor.device_id, DAY.year))
            assert counter is not None and counter.last_sequence == 78
            vouchers = db.scalars(
                select(Payment.voucher_number).where(Payment.channel == "tax")
            ).all()
            assert len(set(vouchers)) == 68

            # Every person, enrolment and payment went to the outbox, and all is approved.
            sent = {
                kind: set(
                    db.scalars(select(OutboxEntry.entity_id).where(OutboxEntry.entity_type == kind))
                )
                for kind in ("person", "enrolment", "payment", "household")
            }
            for kind, model in (
                ("person", Person),
                ("enrolment", Enrolment),
                ("payment", Payment),
                ("household", Household),
            ):
                assert set(db.scalars(select(model.id))) == sent[kind]
            approved = db.scalar(
                select(func.count())
                .select_from(OutboxReview)
                .where(OutboxReview.state == "approved")
            )
            assert approved == BEFORE[OutboxEntry]
            hlcs = db.scalars(select(OutboxEntry.hlc).order_by(OutboxEntry.seq)).all()
            assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
            payer = db.scalar(
                select(Enrolment.person_id).where(
                    Enrolment.scheme == "resident_pension",
                    Enrolment.person_id.not_in(
                        select(Payment.person_id).where(
                            Payment.scheme == "resident_pension",
                            Payment.period_start == date(DAY.year + 1, 1, 1),
                        )
                    ),
                )
            )
        # The front desk goes on where the demo left the counter, the chain and the clock.
        assert payer is not None
        receipt = record_payment(
            session.database, actor, person_id=payer, scheme="resident_pension", today=DAY
        )
        assert receipt.receipt_number == format_receipt_number(
            actor.centre_code, actor.device_number, DAY.year, 79
        )
        with session.database.reading() as db:
            assert verify_audit_chain(db).ok
    finally:
        session.close()
