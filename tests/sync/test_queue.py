"""Pulling the township registry, the queue of conflicts and rejections, and guardrails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseworker.services.actor import Role
from caseworker.services.centre import add_operator, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import PermissionDenied, ServiceError
from caseworker.services.registry import find_by_id_number
from caseworker.services.sync_guard import Guardrails, set_guardrails
from caseworker.services.sync_queue import accept_server, dismiss, queue, resubmit, sync_status
from caseworker.store.models import CoverageStatus, Enrolment, OutboxEntry, Person, SyncLink
from caseworker.sync.batches import load_signer, seal_pending
from caseworker.sync.client import Transport
from caseworker.sync.pull import apply_registry_page, get_cursor
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.feeds import load_reference
from caseworker.upstream.models import Person as UpPerson
from tests.upstream.harness import FAST_RETRY, TODAY, connect, enrol_people, new_centre, person


@pytest.fixture
def centres(server, tmp_path: Path):
    a = new_centre(tmp_path / "a", "320583101", "玉山镇")
    b = new_centre(tmp_path / "b", "320583101" + "9", "玉山镇二号机")  # same township
    connect(a, server)
    connect(b, server)
    yield a, b
    a.close()
    b.close()


def test_registry_and_reference_feeds_reach_the_other_centre(server, centres, tmp_path):
    a, b = centres
    enrol_people(a, 12)
    run_sync(a.database, retry=FAST_RETRY)
    reference = tmp_path / "codes.json"
    reference.write_text(
        '[{"kind":"codes","name":"ethnicity","version":"2027-1","payload":{"01":"汉族"}}]',
        encoding="utf-8",
    )
    db = open_upstream(server.db_url)
    assert load_reference(db, [reference]) == 1
    assert load_reference(db, [reference]) == 0  # the same version twice is one item
    db.close()
    report = run_sync(b.database, retry=FAST_RETRY)
    # Each person, its enrolment and the pension status the enrolment derives.
    assert report.registry_applied == 36 and report.reference_applied == 1
    found = find_by_id_number(b.database, person(3).id_number)
    assert found is not None and found.schemes == ("resident_pension",)
    with b.database.reading() as db:
        assert get_cursor(db, "registry") > 0
        # Pulled rows are the county's: nothing of them goes back upstream.
        assert db.scalar(select(func.count()).select_from(OutboxEntry)) == 0
    # Nothing new: the next pull applies nothing and keeps the cursor.
    assert run_sync(b.database, retry=FAST_RETRY).registry_applied == 0


def test_a_pull_never_overwrites_unsent_changes(server, centres):
    a, b = centres
    enrol_people(a, 1)
    run_sync(a.database, retry=FAST_RETRY)
    run_sync(b.database, retry=FAST_RETRY)
    # A renames the person and syncs; B changes the name locally and does not send.
    enrol(a.database, a.actor, person(0, name="王秀兰"), [], today=TODAY)
    run_sync(a.database, retry=FAST_RETRY)
    enrol(b.database, b.actor, person(0, name="王秀芳"), [], today=TODAY)
    seal_pending(b.database)  # sealed but not yet answered: still B's own change
    with b.database.reading() as db:
        signer = load_signer(db)
        since = get_cursor(db, "registry")
    transport = Transport(server.base, signer, FAST_RETRY)
    page = transport.registry_feed(since, 100)
    transport.close()
    with b.database.writing() as db:
        counts = apply_registry_page(db, page)
    assert counts.skipped == 1 and counts.applied == 0
    assert find_by_id_number(b.database, person(0).id_number).name == "王秀芳"


def second_computer(first, root: Path):
    """Another computer of the same centre (its own device number)."""
    from caseworker.paths import DataPaths
    from caseworker.services.centre import setup_centre
    from tests.upstream.harness import review_off

    return review_off(
        setup_centre(
            DataPaths(root),
            centre_code=first.actor.centre_code,
            centre_name=first.actor.centre_name,
            admin_username="admin",
            admin_password="admin password 1",
            device_number=2,
        ).session
    )


@pytest.fixture
def computers(server, tmp_path: Path):
    a = new_centre(tmp_path / "a", "320583101", "玉山镇")
    b = second_computer(a, tmp_path / "b")
    connect(a, server)
    connect(b, server)
    yield a, b
    a.close()
    b.close()


def test_conflict_goes_to_the_queue_and_a_supervisor_accepts_the_county_copy(server, computers):
    """Within one centre the county's full copy comes back (another centre gets a masked
    answer: tests/sync/test_transfers.py)."""
    a, b = computers
    enrol_people(a, 1)
    run_sync(a.database, retry=FAST_RETRY)
    # B registered the same person on its own before hearing of A's: same ID, other UUID.
    enrol(
        b.database,
        b.actor,
        person(0, name="王秀英"),
        [EnrolmentChoice("resident_medical")],
        today=TODAY,
    )
    report = run_sync(b.database, retry=FAST_RETRY)
    assert report.counts == {"conflict": 1, "rejected": 2}
    items = queue(b.database)
    assert [(i.entity_type, i.state, i.code) for i in items] == [
        ("person", "conflict", "duplicate_id_number"),
        ("enrolment", "rejected", "unknown_person"),
        ("coverage", "rejected", "unknown_person"),  # the medical line: enrolled, not paid
    ]
    assert items[2].summary == "医疗保险：未参保"
    assert items[0].server_copy["id"] != str(items[0].entity_id)
    assert sync_status(b.database).open_issues == 3

    add_operator(b, username="clerk", password="clerk pass 22", role=Role.CLERK)
    clerk = login(b.database.paths, "clerk", "clerk pass 22")
    with pytest.raises(PermissionDenied):
        accept_server(clerk.database, clerk.actor, items[0].seq)
    clerk.close()
    accept_server(b.database, b.actor, items[0].seq)  # admin: merges into the county's id
    county_id = items[0].server_copy["id"]
    with b.database.reading() as db:
        merged = db.scalars(select(Person)).one()
        assert str(merged.id) == county_id
        assert db.scalars(select(Enrolment.person_id)).one() == merged.id
        # The statuses moved with the person; the refused one goes up again under its new id.
        medical = db.get_one(CoverageStatus, (merged.id, "medical"))
        assert (medical.status, medical.reason, medical.version) == ("not_insured", "lapsed", 1)
        resent = db.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.entity_type == "coverage")
            .order_by(OutboxEntry.seq.desc())
        ).first()
        assert resent.sync_state == "pending" and resent.entity_id == medical.id
    with pytest.raises(ServiceError):
        accept_server(b.database, b.actor, items[0].seq)  # once only
    # The enrolment now points at the county's person: resubmit it, and it is accepted
    # (with the medical status).
    resubmit(b.database, b.actor, items[1].seq)
    assert run_sync(b.database, retry=FAST_RETRY).counts == {"accepted": 2}
    assert queue(b.database) == []
    db = open_upstream(server.db_url)
    with db.reading() as up:
        assert up.scalar(select(func.count()).select_from(UpPerson)) == 1
    db.close()


def test_rejected_record_is_fixed_and_resubmitted_or_dismissed(server, centres):
    a, _ = centres
    enrol_people(a, 2)
    with a.database.writing() as db:
        entries = db.scalars(select(OutboxEntry).where(OutboxEntry.entity_type == "person")).all()
        for entry in entries:
            entry.payload = entry.payload | {"name": "x" * 61}  # breaks the county's limit
    # Each person, its enrolment and its pension status: the person's name is refused, the
    # two others have no person at the county.
    assert run_sync(a.database, retry=FAST_RETRY).counts == {"rejected": 6}
    items = queue(a.database)
    assert {i.code for i in items} == {"invalid_name", "unknown_person"}
    assert [i.entity_type for i in items].count("coverage") == 2
    for item in items:
        if item.entity_type == "person":
            resubmit(a.database, a.actor, item.seq)  # the local row was never wrong
    with pytest.raises(ServiceError) as caught:
        dismiss(a.database, a.actor, items[1].seq, "")
    assert caught.value.code == "note_required"
    for item in queue(a.database):
        resubmit(a.database, a.actor, item.seq)
    assert run_sync(a.database, retry=FAST_RETRY).counts == {"accepted": 6}
    assert sync_status(a.database).open_issues == 0


def test_guardrails_warn_then_block_new_enrolments(server, centres):
    a, _ = centres
    set_guardrails(
        a.database, a.actor, Guardrails(warn_days=1, block_days=2, warn_pending=5, block_pending=9)
    )
    # Each enrolment queues three records: the person, the enrolment, the pension status.
    enrol_people(a, 1)
    assert sync_status(a.database).guardrail == "ok"
    enrol_people(a, 1, start=1)
    status = sync_status(a.database)
    assert status.guardrail == "warn" and "请尽快同步" in status.guardrail_message
    enrol_people(a, 1, start=2)
    with pytest.raises(ServiceError) as caught:
        enrol_people(a, 1, start=3)
    assert caught.value.code == "sync_overdue"
    run_sync(a.database, retry=FAST_RETRY)
    enrol_people(a, 1, start=3)  # a sync clears the block
    with a.database.writing() as db:
        db.get_one(SyncLink, 1).last_success_at = datetime.now(UTC) - timedelta(days=3)
    with pytest.raises(ServiceError) as caught:
        enrol_people(a, 1, start=4)
    assert "天未成功同步" in caught.value.message
    with pytest.raises(ServiceError) as caught:
        set_guardrails(a.database, a.actor, Guardrails(warn_days=5, block_days=2))
    assert caught.value.code == "invalid"
    assert "sync.guardrails" in caught.value.by_field()
