"""The government-paid counter (``worklist_grouped_tally``, migration 0014) is exact: after
enrolments, payments, voids, suspensions, moves away and back, deaths and special-group
changes, it equals a count from scratch, and the front page's figure equals the list."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from caseworker.domain.ids import make_id_number
from caseworker.services import worklists
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment, void_payment
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.worklists import count, counts, members
from caseworker.store.models import Enrolment, Person
from tests.services.test_enrolment import farmer
from tests.services.worklist_data import DAY

KIND = "government_paid_unrecorded"
FROM_SCRATCH = """
    SELECT e.scheme, h.special_groups, 0, count(*) FROM enrolment e
    JOIN person h ON h.id = e.person_id
    WHERE e.status = 'active' AND h.special_groups <> '[]'
        AND h.moved_away_on IS NULL AND h.deceased_on IS NULL GROUP BY 1, 2
    UNION ALL
    SELECT y.scheme, h.special_groups, CAST(strftime('%Y', y.period_start) AS INTEGER),
        count(DISTINCT y.person_id) FROM payment y JOIN person h ON h.id = y.person_id
    WHERE y.voided_at IS NULL AND strftime('%m-%d', y.period_start) = '01-01'
        AND y.period_end = strftime('%Y', y.period_start) || '-12-31'
        AND h.special_groups <> '[]' AND h.moved_away_on IS NULL AND h.deceased_on IS NULL
        AND EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = y.person_id
            AND e.scheme = y.scheme AND e.status = 'active')
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3"""
KEPT = """SELECT scheme, groups, year, n FROM worklist_grouped_tally WHERE n <> 0
    ORDER BY 1, 2, 3"""


def test_the_government_paid_counter_follows_every_change(centre, supervisor):
    database, actor = centre.database, centre.actor
    people = [
        enrol(
            database,
            actor,
            farmer(id_number=make_id_number("320583", born, 1), special_groups=groups),
            [
                EnrolmentChoice(scheme, tier_fen=50_000 if scheme == "resident_pension" else None)
                for scheme in schemes
            ],
            today=DAY,
        ).person_id
        for born, groups, schemes in (
            (date(1980, 1, 1), ["dibao"], ("resident_medical",)),
            (date(1981, 2, 2), ["tekun", "disability"], ("resident_medical", "resident_pension")),
            (date(1982, 3, 3), ["disability"], ("resident_medical",)),  # no government share
        )
    ]
    first, second, _third = people
    listed = WorklistSpec(KIND, village_code="320583101201")  # a filter: counted by the query

    def check(expected: int) -> None:
        # These writes bypass the services (no audit entry), so the remembered figures go too.
        worklists._remembered.clear()
        front = counts(database, actor, DAY)[KIND]
        rows = members(database, actor, listed, DAY, limit=None)
        assert (front, count(database, actor, listed, DAY), len(rows)) == (expected,) * 3
        with database.reading() as session:
            kept = [tuple(r) for r in session.execute(text(KEPT))]
            scratch = [tuple(r) for r in session.execute(text(FROM_SCRATCH))]
        assert kept == scratch

    def change(model, key, **values) -> None:
        with database.writing() as session:
            row = session.get(model, key)
            for name, value in values.items():
                setattr(row, name, value)

    check(3)  # first: medical; second: medical and pension
    medical = dict(person_id=first, scheme="resident_medical")
    paid = record_payment(database, actor, **medical, today=DAY, period_start=date(2027, 1, 1))
    check(2)
    last_year = dict(today=date(2025, 11, 3), period_start=date(2026, 1, 1))
    record_payment(database, actor, **medical, **last_year)  # another year
    check(2)
    void_payment(
        supervisor.database,
        supervisor.actor,
        receipt_number=paid.receipt_number,
        reason="收错年度了",
    )
    check(3)
    record_payment(database, actor, **medical, today=DAY, period_start=date(2027, 1, 1))
    check(2)
    change(Person, second, moved_away_on=date(2026, 11, 1))
    check(0)
    change(Person, second, moved_away_on=None)
    check(2)
    change(Person, second, deceased_on=date(2026, 11, 2))
    check(0)
    change(Person, second, deceased_on=None, special_groups=["disability"])
    check(0)
    change(Person, second, special_groups=["disability", "tekun"])
    check(2)
    change(Person, first, special_groups=[])
    check(2)
    change(Person, first, special_groups=["dibao"])
    check(2)
    with database.reading() as session:
        pension = session.scalar(select(Enrolment.id).where(Enrolment.scheme == "resident_pension"))
    change(Enrolment, pension, status="suspended")
    check(1)
    change(Enrolment, pension, status="active")
    check(2)
    with database.writing() as session:
        session.execute(text("DELETE FROM payment WHERE voided_at IS NULL"))
    check(3)
    record_payment(database, actor, **medical, today=DAY, period_start=date(2027, 1, 1))
    check(2)
    database.downgrade("0013")  # the counter filled from the rows already there
    database.upgrade()
    check(2)
