"""Migration 0018: a stay pulled from another centre may hold no base, and the registry cursor
goes back to 0, so a client whose older version read the feed without asking for stays and
employers (its cursor moved past them) gets them at its first pull after the upgrade."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store.models import Employment, new_id
from caseworker.sync.pull import get_cursor, set_cursor
from tests.conftest import TODAY
from tests.services.test_employment import WORKER, person
from tests.services.test_employment import employer as employer


def test_0018_lets_a_stay_have_no_base_and_rereads_the_registry(clerk, employer):
    db, actor = clerk.database, clerk.actor
    person_id = enrol(
        db, actor, person(WORKER, "林小燕"), [EnrolmentChoice("resident_medical")], today=TODAY
    ).person_id

    def stay(base_fen: int | None) -> Employment:
        return Employment(
            id=new_id(),
            employer_id=employer,
            person_id=person_id,
            start_date=date(2026, 1, 1),
            schemes=["employee_pension"],
            base_fen=base_fen,
        )

    with db.writing() as session:
        ours, theirs = stay(500_000), stay(None)  # theirs: as the township feed brings it
        session.add_all([ours, theirs])
    db.downgrade("0017")  # the base required again: another centre's stays go with it
    with db.engine.connect() as connection:
        left = connection.execute(select(Employment.__table__.c.id)).scalars().all()
    assert left == [ours.id]
    with db.writing() as session:
        set_cursor(session, "registry", 42)  # moved past stays it was never sent
        set_cursor(session, "reference", 7)
    db.upgrade()
    with db.writing() as session:
        assert (get_cursor(session, "registry"), get_cursor(session, "reference")) == (0, 7)
        session.add(stay(None))
