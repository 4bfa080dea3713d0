"""End-of-day review in the services: the day's changes by operator, approval and send-back
(audited), what a clerk sees sent back and how a correction brings it back to review; a clerk
can neither approve nor send back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import PermissionDenied, ServiceError, ValidationFailed
from caseworker.services.payments import record_payment
from caseworker.services.review import approve, returned_to, review_items, send_back
from caseworker.store.models import AuditEntry, OutboxEntry, OutboxReview
from tests.services.test_enrolment import farmer


@pytest.fixture
def clerks_day(clerk: OpenSession):
    """Today (the review list is by the day a change was recorded): an enrolment, a payment."""
    person = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
    ).person_id
    receipt = record_payment(
        clerk.database, clerk.actor, person_id=person, scheme="resident_pension"
    )
    return person, receipt


def decisions(session: OpenSession) -> tuple[int, int]:
    with session.database.reading() as db:
        return (
            int(db.scalar(select(func.count()).select_from(OutboxReview))),
            int(db.scalar(select(func.count()).select_from(AuditEntry))),
        )


def test_the_day_lists_each_change_by_operator(clerk, supervisor, clerks_day):
    from datetime import date

    person, receipt = clerks_day
    items = review_items(supervisor.database, supervisor.actor, date.today())
    assert [(i.entity_type, i.change) for i in items] == [
        ("person", "create"),
        ("enrolment", "create"),
        ("payment", "create"),
    ]
    # The pension statuses the enrolment and the payment decided are in the outbox, but are
    # nobody's doing: they follow their records upstream and are not on the list.
    with clerk.database.reading() as db:
        kinds = db.scalars(select(OutboxEntry.entity_type).order_by(OutboxEntry.seq)).all()
    assert kinds.count("coverage") == 2
    assert {i.operator_name for i in items} == {clerk.actor.display_name}
    assert {i.subject for i in items} == {"单雄信"}
    assert items[2].receipt_number == receipt.receipt_number
    assert items[2].amount_fen == receipt.personal_fen
    assert all(i.state == "unreviewed" and i.person_id == person for i in items)
    assert (
        review_items(
            supervisor.database, supervisor.actor, date.today(), supervisor.actor.operator_id
        )
        == []
    )


def test_approve_and_send_back_are_audited_and_a_correction_returns_to_review(
    clerk, supervisor, clerks_day
):
    from datetime import date

    person = clerks_day[0]
    items = review_items(supervisor.database, supervisor.actor, date.today())
    assert approve(supervisor.database, supervisor.actor, [items[1].seq, items[2].seq]) == 2
    assert approve(supervisor.database, supervisor.actor, [items[1].seq]) == 0  # already
    with pytest.raises(ValidationFailed) as caught:
        send_back(supervisor.database, supervisor.actor, items[0].seq, " ")
    assert "comment" in caught.value.by_field()
    send_back(supervisor.database, supervisor.actor, items[0].seq, "户籍地址与户口簿不符")

    (back,) = returned_to(clerk.database, clerk.actor)
    assert back.comment == "户籍地址与户口簿不符" and back.person_id == person
    assert back.reviewed_by == supervisor.actor.display_name
    assert returned_to(supervisor.database, supervisor.actor) == []  # not theirs
    with supervisor.database.reading() as db:
        actions = db.scalars(
            select(AuditEntry).where(AuditEntry.action.like("review.%")).order_by(AuditEntry.seq)
        ).all()
    assert [a.action for a in actions] == ["review.approve", "review.return"]
    # Runs of seqs: the pension status the payment decided lies between them, off the list.
    assert actions[0].detail["seqs"] == [[items[1].seq] * 2, [items[2].seq] * 2]
    assert actions[1].detail["comment"] == "户籍地址与户口簿不符"
    assert actions[1].detail["to"] == "clerk"

    # The clerk corrects the person: the sent-back entry leaves the front page and comes
    # back to the supervisor as corrected, beside the correction itself.
    enrol(
        clerk.database,
        clerk.actor,
        farmer(hukou_address="玉山镇新乡村3组14号"),
        [],
    )
    assert returned_to(clerk.database, clerk.actor) == []
    items = review_items(supervisor.database, supervisor.actor, date.today())
    assert [i.state for i in items] == ["corrected", "approved", "approved", "unreviewed"]
    assert items[3].change == "update"


def test_a_clerk_cannot_approve_or_send_back_and_nothing_changes(clerk, supervisor, clerks_day):
    from datetime import date

    items = review_items(supervisor.database, supervisor.actor, date.today())
    before = decisions(clerk)
    with pytest.raises(PermissionDenied):
        approve(clerk.database, clerk.actor, [i.seq for i in items])
    with pytest.raises(PermissionDenied):
        send_back(clerk.database, clerk.actor, items[0].seq, "自己退回自己")
    with pytest.raises(PermissionDenied):
        review_items(clerk.database, clerk.actor, date.today())
    assert decisions(clerk) == before


def test_unknown_or_uploaded_entries_cannot_be_reviewed(clerk, supervisor, clerks_day):
    from datetime import date

    from caseworker.store.models import OutboxEntry

    items = review_items(supervisor.database, supervisor.actor, date.today())
    with pytest.raises(ServiceError) as caught:
        approve(supervisor.database, supervisor.actor, [items[-1].seq + 100])
    assert caught.value.code == "outbox_entry"
    with supervisor.database.writing() as db:
        db.get_one(OutboxEntry, items[0].seq).sync_state = "accepted"
    before = decisions(supervisor)
    with pytest.raises(ServiceError) as caught:
        send_back(supervisor.database, supervisor.actor, items[0].seq, "太晚了")
    assert caught.value.code == "already_uploaded"
    assert decisions(supervisor) == before
    assert review_items(supervisor.database, supervisor.actor, date.today())[0].state == "uploaded"


def test_the_demo_keeps_review_on_and_its_history_approved(tmp_path):
    from caseworker.paths import DataPaths
    from caseworker.services.centre import login
    from caseworker.services.centre_settings import REVIEW_REQUIRED, read_setting
    from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
    from caseworker.store.models import OutboxEntry

    paths = DataPaths(tmp_path / "demo")
    build_demo_centre(paths, persons=12, seed=3)
    session = login(paths, "supervisor", DEMO_PASSWORD)
    try:
        assert read_setting(session.database, REVIEW_REQUIRED) is True
        with session.database.reading() as db:
            pending = db.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.sync_state == "pending")
            )
            approved = db.scalar(
                select(func.count())
                .select_from(OutboxReview)
                .where(OutboxReview.state == "approved")
            )
        assert pending > 0 and approved == pending
    finally:
        session.close()


def test_approve_all_pending_approves_what_approve_would(clerk, supervisor, clerks_day):
    """Set-based over every pending change: the unreviewed and the sent back are approved,
    the approved stay as they were, and one audit entry names the runs of seqs."""
    from datetime import date

    from caseworker.services.review import approve_all_pending

    items = review_items(supervisor.database, supervisor.actor, date.today())
    approve(supervisor.database, supervisor.actor, [items[1].seq])
    send_back(supervisor.database, supervisor.actor, items[0].seq, "户籍地址与户口簿不符")
    with supervisor.database.reading() as db:
        pending = db.scalars(
            select(OutboxEntry.seq).where(OutboxEntry.sync_state == "pending")
        ).all()
        first = db.scalar(select(OutboxReview).where(OutboxReview.outbox_seq == items[1].seq))
    assert approve_all_pending(supervisor.database, supervisor.actor) == len(pending) - 1
    assert approve_all_pending(supervisor.database, supervisor.actor) == 0
    with supervisor.database.reading() as db:
        reviews = db.scalars(select(OutboxReview).order_by(OutboxReview.outbox_seq)).all()
        entry = db.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "review.approve")
            .order_by(AuditEntry.seq.desc())
        ).first()
    assert [r.outbox_seq for r in reviews] == sorted(pending)
    assert {r.state for r in reviews} == {"approved"} and {r.comment for r in reviews} == {None}
    assert {r.reviewed_by for r in reviews} == {supervisor.actor.operator_id}
    again = next(r for r in reviews if r.outbox_seq == items[1].seq)
    assert again.reviewed_at == first.reviewed_at  # approved before: left as it was
    assert entry.detail["count"] == len(pending) - 1
    assert [items[1].seq] * 2 not in entry.detail["seqs"]
    assert sum(b - a + 1 for a, b in entry.detail["seqs"]) == len(pending) - 1
