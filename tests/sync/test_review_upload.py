"""Approval gating upload, against the real county server: with review on (the default, kept
here on purpose) only approved changes go, never before an unapproved one they depend on;
with review off everything goes as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import OpenSession, add_operator, login, setup_centre
from caseworker.services.centre_settings import REVIEW_REQUIRED, change_setting, read_setting
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from caseworker.services.review import approve, review_items
from caseworker.store.models import OutboxEntry
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Enrolment as CountyEnrolment
from caseworker.upstream.models import Payment as CountyPayment
from caseworker.upstream.models import Person as CountyPerson
from tests.upstream.harness import FAST_RETRY, TODAY, connect, person


@pytest.fixture
def centre_with_review(tmp_path: Path, server):
    """Set up as a real centre is: review required (no harness switch-off here)."""
    paths = DataPaths(tmp_path / "c")
    admin = setup_centre(
        paths,
        centre_code="320583101",
        centre_name="玉山镇社会保障服务中心",
        admin_username="admin",
        admin_password="admin password 1",
    ).session
    add_operator(admin, username="clerk", password="clerk pass 22", role=Role.CLERK)
    add_operator(admin, username="boss", password="super pass 333", role=Role.SUPERVISOR)
    assert read_setting(admin.database, REVIEW_REQUIRED) is True
    connect(admin, server)
    clerk = login(paths, "clerk", "clerk pass 22")
    boss = login(paths, "boss", "super pass 333")
    yield admin, clerk, boss
    for session in (admin, clerk, boss):
        session.close()


def enrol_and_pay(clerk: OpenSession, n: int) -> tuple[object, str]:
    person_id = enrol(
        clerk.database,
        clerk.actor,
        person(n),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=TODAY,
    ).person_id
    receipt = record_payment(
        clerk.database, clerk.actor, person_id=person_id, scheme="resident_pension", today=TODAY
    )
    return person_id, receipt.receipt_number


def states(session: OpenSession) -> dict[int, str]:
    with session.database.reading() as db:
        return dict(db.execute(select(OutboxEntry.seq, OutboxEntry.sync_state)).all())


def county_ids(server, model) -> set:
    db = open_upstream(server.db_url, migrate=False)
    try:
        with db.reading() as session:
            return set(session.scalars(select(model.id)))
    finally:
        db.close()


def test_only_approved_changes_go_and_dependants_wait_for_what_they_need(
    centre_with_review, server
):
    from datetime import date

    _admin, clerk, boss = centre_with_review
    held_person, _ = enrol_and_pay(clerk, 1)  # person, enrolment, payment
    free_person, _ = enrol_and_pay(clerk, 2)
    unapproved_alone, _ = enrol_and_pay(clerk, 3)
    items = review_items(boss.database, boss.actor, date.today())
    by_person: dict = {}
    for item in items:
        by_person.setdefault(item.person_id, []).append(item)
    # Person 1: its enrolment and payment approved, the person itself not: all three wait.
    approve(boss.database, boss.actor, [i.seq for i in by_person[held_person][1:]])
    # Person 2: everything approved: it goes.
    approve(boss.database, boss.actor, [i.seq for i in by_person[free_person]])
    # Person 3: nothing approved.

    run_sync(boss.database, retry=FAST_RETRY, pull_feeds=False)
    now = states(boss)
    assert {now[i.seq] for i in by_person[free_person]} == {"accepted"}
    assert {now[i.seq] for i in by_person[held_person]} == {"pending"}
    assert {now[i.seq] for i in by_person[unapproved_alone]} == {"pending"}
    assert county_ids(server, CountyPerson) == {free_person}
    assert len(county_ids(server, CountyPayment)) == 1

    # The missing approval given, the held-back enrolment and payment follow their person.
    approve(boss.database, boss.actor, [by_person[held_person][0].seq])
    run_sync(boss.database, retry=FAST_RETRY, pull_feeds=False)
    now = states(boss)
    assert {now[i.seq] for i in by_person[held_person]} == {"accepted"}
    assert {now[i.seq] for i in by_person[unapproved_alone]} == {"pending"}
    assert county_ids(server, CountyPerson) == {free_person, held_person}
    assert len(county_ids(server, CountyEnrolment)) == 2


def test_review_off_sends_everything_as_before(centre_with_review, server):
    admin, clerk, _boss = centre_with_review
    change_setting(admin.database, admin.actor, REVIEW_REQUIRED, False)
    person_id, _ = enrol_and_pay(clerk, 4)
    report = run_sync(clerk.database, retry=FAST_RETRY, pull_feeds=False)
    # The person, the enrolment, the payment, and the pension status it moved twice
    # (enrolled, then paid).
    assert report.counts == {"accepted": 5}
    assert set(states(clerk).values()) == {"accepted"}
    assert county_ids(server, CountyPerson) == {person_id}


def test_a_clerk_changing_the_setting_is_refused(centre_with_review):
    from caseworker.services.errors import PermissionDenied

    _admin, clerk, boss = centre_with_review
    for who in (clerk, boss):
        with pytest.raises(PermissionDenied):
            change_setting(who.database, who.actor, REVIEW_REQUIRED, False)
    assert read_setting(clerk.database, REVIEW_REQUIRED) is True
