"""Households and their members: each rule and each refusal, on a real encrypted centre."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from caseworker.services import household_members, households
from caseworker.services.errors import NotFound, PermissionDenied, ValidationFailed
from caseworker.services.journal import verify_audit_chain
from caseworker.store.models import AuditEntry, OutboxEntry, Person
from tests.visit_data import (
    OTHER_TOWNSHIP_VILLAGE,
    TODAY,
    VILLAGE_A,
    field_clerk,
    known_households,
    person,
)


@pytest.fixture
def clerk(data_paths):
    session = field_clerk(data_paths)
    yield session
    session.close()


@pytest.fixture
def known(clerk):
    return known_households(clerk)


def _codes(failed: pytest.ExceptionInfo) -> set[str]:
    return {e.code for e in failed.value.errors}


def test_a_household_is_created_in_a_village_of_the_township_with_outbox_and_audit(clerk):
    view = households.create_household(clerk.database, clerk.actor, VILLAGE_A, " 2组8号 ")
    assert (view.village_code, view.address_detail, view.members) == (VILLAGE_A, "2组8号", ())
    assert view.village_name.endswith("居委会")
    with clerk.database.reading() as session:
        entry = session.scalar(select(OutboxEntry).where(OutboxEntry.entity_id == view.id))
        assert entry.entity_type == "household"
        assert entry.payload["village_code"] == VILLAGE_A
        assert set(entry.payload) == {"id", "version", "village_code", "address_detail"}
        assert session.scalar(select(AuditEntry.action).where(AuditEntry.entity_id == view.id)) == (
            "household.create"
        )


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (OTHER_TOWNSHIP_VILLAGE, "outside_township"),
        ("320281103999", "outside_township"),  # well-formed, not in the directory
        ("3202811030", "format"),
        ("", "required"),
    ],
)
def test_a_village_outside_the_township_is_refused_with_words(clerk, code, reason):
    with pytest.raises(ValidationFailed) as failed:
        households.create_household(clerk.database, clerk.actor, code, "1号")
    assert _codes(failed) == {reason}
    assert failed.value.errors[0].field == "village_code"
    if reason == "outside_township":
        assert "不是本中心所在乡镇" in failed.value.message
        assert "not a village of this centre's township" in failed.value.message_en


def test_a_new_member_goes_through_the_front_desk_path(clerk, known):
    born = date(2026, 9, 1)
    data = person("王小宝", born, 71)
    member = household_members.add_new_member(
        clerk.database, clerk.actor, known.h1, data, "40", born, day=TODAY
    )
    assert (member.relationship_to_head, member.moved_in_on) == ("40", born)
    assert member.present and member.managed_here
    with clerk.database.reading() as session:
        entry = session.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_id == member.person_id)
        ).one()
        assert entry.payload["household_id"] == str(known.h1)
        assert entry.payload["moved_in_on"] == born.isoformat()
        assert entry.payload["relationship_to_head"] == "40"
    # A registered ID number is attached, not registered twice.
    with pytest.raises(ValidationFailed) as failed:
        household_members.add_new_member(
            clerk.database, clerk.actor, known.h2, person("王小宝", born, 71), "20", day=TODAY
        )
    assert _codes(failed) == {"registered"}


def test_a_new_member_keeps_every_field_problem_and_writes_nothing(clerk, known):
    data = person("王小宝", date(2026, 9, 1), 71)
    data.id_number = "320281202609010711"  # wrong check character
    data.phone = "12"
    with pytest.raises(ValidationFailed) as failed:
        household_members.add_new_member(clerk.database, clerk.actor, known.h1, data, "", day=TODAY)
    assert {e.field for e in failed.value.errors} == {"relationship_to_head"}
    with pytest.raises(ValidationFailed) as failed:
        household_members.add_new_member(
            clerk.database, clerk.actor, known.h1, data, "40", day=TODAY
        )
    assert {e.field for e in failed.value.errors} == {"id_number", "phone"}


def test_two_heads_are_refused_and_the_head_changes_in_one_step(clerk, known):
    with pytest.raises(ValidationFailed) as failed:
        household_members.add_new_member(
            clerk.database,
            clerk.actor,
            known.h1,
            person("王二", date(1985, 1, 1), 81),
            "02",
            day=TODAY,
        )
    assert _codes(failed) == {"two_heads"}
    assert "王建国" in failed.value.message and "王二" in failed.value.message
    with pytest.raises(ValidationFailed) as failed:
        household_members.change_head(clerk.database, clerk.actor, known.people["王小明"])
    assert _codes(failed) == {"required"}
    view = household_members.change_head(
        clerk.database, clerk.actor, known.people["王小明"], former_head_relationship="50"
    )
    assert view.head_name == "王小明"
    assert {m.name: m.relationship_to_head for m in view.members}["王建国"] == "50"


def test_a_head_who_died_leaves_the_household_without_a_head_until_one_is_named(clerk, known):
    household_members.mark_deceased(
        clerk.database, clerk.actor, known.people["张三丰"], date(2026, 10, 2), day=TODAY
    )
    view = households.household(clerk.database, clerk.actor, known.h2)
    assert view.head is None and view.present == ()
    assert view.members[0].deceased_on == date(2026, 10, 2)


@pytest.mark.parametrize(
    ("event", "on", "reason"),
    [
        ("moved_away", date(2026, 12, 1), "in_future"),
        ("deceased", date(1959, 1, 1), "before_birth"),
        ("moved_away", date(1950, 1, 1), "before_birth"),
    ],
)
def test_bad_dates_are_refused(clerk, known, event, on, reason):
    mark = (
        household_members.mark_moved_away
        if event == "moved_away"
        else household_members.mark_deceased
    )
    with pytest.raises(ValidationFailed) as failed:
        mark(clerk.database, clerk.actor, known.people["王建国"], on, day=TODAY)
    assert _codes(failed) == {reason}
    assert "王建国" in failed.value.message


def test_moved_in_in_the_future_or_before_birth_is_refused(clerk, known):
    data = person("王小宝", date(2026, 9, 1), 71)
    with pytest.raises(ValidationFailed) as failed:
        household_members.add_new_member(
            clerk.database, clerk.actor, known.h1, data, "40", date(2026, 8, 1), day=TODAY
        )
    assert _codes(failed) == {"before_birth"}
    with pytest.raises(ValidationFailed) as failed:
        household_members.attach_member(
            clerk.database,
            clerk.actor,
            known.h2,
            known.people["王小明"],
            "20",
            date(2027, 1, 1),
            day=TODAY,
        )
    assert _codes(failed) == {"in_future"}


def test_moving_away_and_dying_are_recorded_once_and_travel_upstream(clerk, known):
    someone = known.people["王小明"]
    household_members.mark_moved_away(
        clerk.database, clerk.actor, someone, date(2026, 5, 1), day=TODAY
    )
    with pytest.raises(ValidationFailed) as failed:
        household_members.mark_moved_away(
            clerk.database, clerk.actor, someone, date(2026, 6, 1), day=TODAY
        )
    assert _codes(failed) == {"moved_away"}
    household_members.mark_deceased(
        clerk.database, clerk.actor, someone, date(2026, 7, 1), day=TODAY
    )
    with pytest.raises(ValidationFailed) as failed:
        household_members.mark_deceased(
            clerk.database, clerk.actor, someone, date(2026, 7, 2), day=TODAY
        )
    assert _codes(failed) == {"deceased"}
    with clerk.database.reading() as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity_id == someone)
            .order_by(AuditEntry.seq)
        ).all()
        payload = session.scalars(
            select(OutboxEntry.payload)
            .where(OutboxEntry.entity_id == someone)
            .order_by(OutboxEntry.seq.desc())
        ).first()
    assert actions[-2:] == ["person.moved_away", "person.deceased"]
    assert (payload["moved_away_on"], payload["deceased_on"]) == ("2026-05-01", "2026-07-01")
    with clerk.database.reading() as session:
        assert verify_audit_chain(session).ok


def test_another_centres_person_is_refused_with_words(clerk, known):
    someone = known.people["李秀英"]
    with clerk.database.writing() as session:
        session.get(Person, someone).owner_centre_code = "320281107"
    for change in (
        lambda: household_members.mark_moved_away(
            clerk.database, clerk.actor, someone, date(2026, 5, 1), day=TODAY
        ),
        lambda: household_members.attach_member(
            clerk.database, clerk.actor, known.h2, someone, "10", day=TODAY
        ),
    ):
        with pytest.raises(PermissionDenied) as refused:
            change()
        assert refused.value.code == "not_owner"
        assert "320281107" in refused.value.message and "转入" in refused.value.message


def test_a_registered_person_joins_another_household(clerk, known):
    moved = household_members.attach_member(
        clerk.database,
        clerk.actor,
        known.h2,
        known.people["王小明"],
        "97",
        date(2026, 3, 1),
        day=TODAY,
    )
    assert moved.relationship_to_head == "97"
    assert [
        m.name for m in households.household(clerk.database, clerk.actor, known.h2).members
    ] == [
        "张三丰",
        "王小明",
    ]
    with pytest.raises(NotFound):
        households.household(clerk.database, clerk.actor, known.people["王小明"])


def test_enrolling_a_member_already_registered_moves_their_status(clerk, known):
    """An existing person enrolled in a new scheme (on the spot): the status follows it."""
    from caseworker.services.coverage import person_statuses
    from caseworker.services.enrolment import EnrolmentChoice, enrol
    from caseworker.services.registry import person_detail

    someone = known.people["李秀英"]
    detail = person_detail(clerk.database, str(someone))
    data = person("李秀英", date(1962, 5, 2), 22, household_id=known.h1)
    data.relationship_to_head = "10"
    enrol(
        clerk.database,
        clerk.actor,
        data,
        [EnrolmentChoice("resident_medical")],
        today=TODAY,
        expected_version=detail.version,
    )
    medical = person_statuses(clerk.database, clerk.actor, someone)["medical"]
    assert (medical.source, medical.scheme) == ("enrolment", "resident_medical")
