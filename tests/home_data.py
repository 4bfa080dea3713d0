"""A known day at the desk for the home page (今日), written through the services.

clerk       enrolled today: A and B (pension + medical), C (medical): 5 enrolments;
            receipts today: A pension in cash, B medical by WeChat, B pension in cash
            (voided by the supervisor); yesterday: C medical in cash (day not closed)
supervisor  enrolled today: S and D (medical): 2 enrolments; S paid in cash today; D in
            cash two days ago, and that day closed
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from caseworker.domain.ids import make_id_number
from caseworker.services.centre import OpenSession
from caseworker.services.day_close import close_day
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment, void_payment
from tests.services.test_enrolment import farmer


def _person(session: OpenSession, n: int, schemes: list[EnrolmentChoice], day: date):
    number = make_id_number("320583", date(1960 + n, 5, 6), 301 + 2 * n)
    return enrol(
        session.database,
        session.actor,
        farmer(id_number=number, name=f"测试{'甲乙丙丁戊己'[n]}"),
        schemes,
        today=day,
    ).person_id


BOTH = [EnrolmentChoice("resident_pension", tier_fen=50_000), EnrolmentChoice("resident_medical")]
MEDICAL = [EnrolmentChoice("resident_medical")]


@dataclass(frozen=True)
class SeededDay:
    today: date
    clerk_cash_fen: int
    clerk_collected_fen: int
    supervisor_cash_fen: int
    yesterday: date


def seed_day(clerk: OpenSession, supervisor: OpenSession, today: date) -> SeededDay:
    yesterday = today - timedelta(days=1)
    earlier = today - timedelta(days=2)
    a, b = (_person(clerk, n, BOTH, today) for n in range(2))
    db, me = clerk.database, clerk.actor
    cash = record_payment(db, me, person_id=a, scheme="resident_pension", today=today)
    card = record_payment(
        db, me, person_id=b, scheme="resident_medical", method="wechat", today=today
    )
    voided = record_payment(db, me, person_id=b, scheme="resident_pension", today=today)
    void_payment(
        supervisor.database,
        supervisor.actor,
        receipt_number=voided.receipt_number,
        reason="重复收费，已退回",
    )
    # Enrolled in the records' own past: only payments are dated to a business day.
    c = _person(clerk, 2, MEDICAL, today)
    record_payment(db, me, person_id=c, scheme="resident_medical", today=yesterday)
    own = _person(supervisor, 3, MEDICAL, today)
    paid = record_payment(
        supervisor.database, supervisor.actor, person_id=own, scheme="resident_medical", today=today
    )
    d = _person(supervisor, 4, MEDICAL, today)
    old = record_payment(
        supervisor.database, supervisor.actor, person_id=d, scheme="resident_medical", today=earlier
    )
    close_day(
        supervisor.database,
        supervisor.actor,
        operator_id=supervisor.actor.operator_id,
        day=earlier,
        counted_cash_fen=old.personal_fen,
    )
    return SeededDay(
        today=today,
        clerk_cash_fen=cash.personal_fen,
        clerk_collected_fen=cash.personal_fen + card.personal_fen,
        supervisor_cash_fen=paid.personal_fen,
        yesterday=yesterday,
    )
