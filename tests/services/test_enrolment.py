"""Enrolment through the real services on a real encrypted store."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import Conflict, PermissionDenied, ValidationFailed
from caseworker.services.journal import canonical_json, verify_audit_chain
from caseworker.services.registry import person_detail, search
from caseworker.services.validation import PersonInput
from caseworker.store.models import AuditEntry, Enrolment, OutboxEntry, Person
from tests.conftest import CLERK_PASSWORD, TODAY


def farmer(**changes) -> PersonInput:
    values = dict(
        id_number="320583198001010016",
        name="单雄信",
        ethnicity="01",
        phone="139 1234 5678",
        hukou_nature="family_farm",
        hukou_village_code="320583101201",
        hukou_address="玉山镇新乡村3组12号",
        employment_category="farmer",
        bank_account="6222020200112345678",
    )
    values.update(changes)
    return PersonInput(**values)


def count(session: OpenSession, model) -> int:
    with session.database.reading() as db:
        return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def clerk(centre: OpenSession) -> OpenSession:
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


def test_new_person_is_written_with_outbox_and_audit(clerk: OpenSession):
    before_audit = count(clerk, AuditEntry)
    result = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [
            EnrolmentChoice(
                "resident_pension", tier_fen=50_000, documents=["id_card", "hukou_book"]
            ),
            EnrolmentChoice("resident_medical"),
        ],
        today=TODAY,
    )
    assert result.created
    detail = person_detail(clerk.database, "320583198001010016")
    assert detail.name == "单雄信"
    assert detail.sex == "1"
    assert str(detail.birth_date) == "1980-01-01"
    assert detail.phone == "13912345678"
    assert detail.hukou_region_code == "320583"
    assert {e.scheme for e in detail.enrolments} == {"resident_pension", "resident_medical"}
    pension = next(e for e in detail.enrolments if e.scheme == "resident_pension")
    assert pension.tier_fen == 50_000
    assert pension.documents == ("hukou_book", "id_card")
    # One outbox row per changed entity, one audit row each, all stamped with the clerk.
    with clerk.database.reading() as db:
        outbox = db.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
        # Then the coverage the enrolments decide: pension insured, medical lapsed (unpaid).
        assert [o.entity_type for o in outbox] == [
            "person",
            "enrolment",
            "enrolment",
            "coverage",
            "coverage",
        ]
        assert {o.operator_id for o in outbox} == {clerk.actor.operator_id}
        assert all(o.sync_state == "pending" for o in outbox)
        hlcs = [o.hlc for o in outbox]
        assert hlcs == sorted(hlcs) and len(set(hlcs)) == 5
        assert outbox[0].payload["id_number"] == "320583198001010016"
        assert verify_audit_chain(db).ok
        # Each audit row names its outbox row and proves the payload by its hash.
        audits = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(5)).all()
        by_outbox = {a.detail["outbox_id"]: a.detail["payload_sha256"] for a in audits}
        for entry in outbox:
            digest = hashlib.sha256(canonical_json(entry.payload)).hexdigest()
            assert by_outbox[str(entry.id)] == digest
    assert count(clerk, AuditEntry) == before_audit + 5
    assert [h.operator_name for h in detail.history] == ["clerk"] * 3


def test_same_id_number_updates_instead_of_duplicating(clerk: OpenSession):
    enrol(clerk.database, clerk.actor, farmer(), [], today=TODAY)
    # Typed differently (spaces, full-width digits): still the same person.
    result = enrol(
        clerk.database,
        clerk.actor,
        farmer(id_number="３２０５８３ 19800101 0016", phone="13800001111"),
        [],
        today=TODAY,
    )
    assert not result.created
    assert result.version == 2
    assert count(clerk, Person) == 1
    detail = person_detail(clerk.database, "320583198001010016")
    assert detail.phone == "13800001111"
    update = detail.history[-1]
    assert update.action == "person.update"
    assert update.detail["changes"]["phone"] == ["13912345678", "13800001111"]


def test_every_bad_field_is_reported_and_nothing_is_written(clerk: OpenSession):
    with pytest.raises(ValidationFailed) as caught:
        enrol(
            clerk.database,
            clerk.actor,
            farmer(id_number="320583198001010012", name="张", phone="2345", ethnicity="77"),
            [EnrolmentChoice("resident_pension", tier_fen=50_000)],
            today=TODAY,
        )
    fields = caught.value.by_field()
    assert set(fields) == {"id_number", "name", "phone", "ethnicity"}
    assert fields["id_number"].code == "checksum"
    assert count(clerk, Person) == 0
    assert count(clerk, OutboxEntry) == 0


def test_scheme_the_person_cannot_join_is_refused_with_the_reason(clerk: OpenSession):
    child = farmer(id_number="320583202001010015", name="王小明", employment_category="child")
    with pytest.raises(ValidationFailed) as caught:
        enrol(
            clerk.database,
            clerk.actor,
            child,
            [EnrolmentChoice("resident_pension", tier_fen=50_000)],
            today=TODAY,
        )
    assert caught.value.errors[0].field == "scheme"
    assert "16" in caught.value.message
    assert count(clerk, Person) == 0


def test_tier_outside_the_table_is_refused(clerk: OpenSession):
    with pytest.raises(ValidationFailed) as caught:
        enrol(
            clerk.database,
            clerk.actor,
            farmer(),
            [EnrolmentChoice("resident_pension", tier_fen=12_345)],
            today=TODAY,
        )
    assert caught.value.errors[0].field == "tier"
    assert count(clerk, Enrolment) == 0


def test_stale_edit_is_a_conflict_and_changes_nothing(clerk: OpenSession):
    enrol(clerk.database, clerk.actor, farmer(), [], today=TODAY)
    enrol(clerk.database, clerk.actor, farmer(phone="13700000000"), [], today=TODAY)
    with pytest.raises(Conflict):
        enrol(
            clerk.database,
            clerk.actor,
            farmer(phone="13600000000"),
            [],
            today=TODAY,
            expected_version=1,
        )
    assert person_detail(clerk.database, "320583198001010016").phone == "13700000000"


def test_search_finds_by_tail_name_pinyin_initials_and_phone(clerk: OpenSession):
    enrol(clerk.database, clerk.actor, farmer(), [], today=TODAY)
    enrol(
        clerk.database,
        clerk.actor,
        farmer(
            id_number="11010519491231002X", name="买买提·艾力", phone="13500001234", ethnicity="05"
        ),
        [],
        today=TODAY,
    )
    for query, expected in [
        ("0016", "单雄信"),
        ("雄信", "单雄信"),
        ("shanxiongxin", "单雄信"),
        ("sxx", "单雄信"),
        ("5678", "单雄信"),
        ("艾力", "买买提·艾力"),
        ("002x", "买买提·艾力"),
        ("13500001234", "买买提·艾力"),
    ]:
        assert [p.name for p in search(clerk.database, query)] == [expected], query
    assert search(clerk.database, "9999") == []


def test_operator_without_the_permission_is_refused(centre: OpenSession):
    from dataclasses import replace

    from caseworker.services.actor import Role

    viewer = replace(centre.actor, role=Role.CLERK)
    from caseworker.services.payments import void_payment

    with pytest.raises(PermissionDenied) as caught:
        void_payment(centre.database, viewer, receipt_number="x", reason="test")
    assert "无权" in caught.value.message
