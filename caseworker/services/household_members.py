"""Members of a household: a new person joins (the front desk's own path), a registered
person joins, the relationship to the head changes, the head changes, someone moves away or
dies. Each public call one transaction with ``Permission.RECORD_COVERAGE``, outbox + audit
for every person changed; the ``*_in`` functions work inside a caller's transaction (a
field visit). People another centre manages are refused with words.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.codes import load_code_table
from caseworker.domain.errors import InvalidValue
from caseworker.domain.households import HEAD, Member, check_event_date, check_one_head, problem
from caseworker.domain.ids import mask_id_number
from caseworker.domain.wire import PERSON_FIELDS
from caseworker.services.actor import Actor, Permission
from caseworker.services.enrolment import record_person_change, save_person
from caseworker.services.errors import NotFound, PermissionDenied, ValidationFailed
from caseworker.services.households import (
    HouseholdView,
    MemberView,
    _household,
    _members,
    view_household,
)
from caseworker.services.validation import PersonInput, validate_person
from caseworker.store.database import Database
from caseworker.store.models import Person
from caseworker.store.search_index import index_person
from caseworker.store.wire import snapshot


def _person(session: Session, person_id: uuid.UUID) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person", "找不到该人员。", "No such person.")
    return person


def managed_here(person: Person) -> Person:
    """Refuse a change to someone another centre manages (the county would refuse it too)."""
    if person.owner_centre_code is not None:
        raise PermissionDenied(
            "not_owner",
            f"{person.name}由{person.owner_centre_code}中心管理，本中心不能修改其家庭信息；"
            "如其已迁入本地，请先申请转入。",
            f"{person.name} is managed by centre {person.owner_centre_code}; request a "
            "transfer before changing their household details.",
        )
    return person


def _check_heads(session: Session, household_id: uuid.UUID) -> None:
    session.flush()
    members = [
        Member(p.name, p.relationship_to_head, p.moved_away_on is None and p.deceased_on is None)
        for p in _members(session, household_id)
    ]
    try:
        check_one_head(members)
    except InvalidValue as error:
        raise ValidationFailed([error]) from None


def _relationship(code: str | None) -> str:
    if not code or code not in load_code_table("relationship"):
        raise ValidationFailed(
            [
                problem(
                    "relationship_to_head",
                    "required",
                    "请选择与户主关系（GB/T 4761代码表）。",
                    "Choose the relationship to the head (GB/T 4761).",
                )
            ]
        )
    return code


# -- members ---------------------------------------------------------------------------------


def add_new_member_in(
    session: Session,
    actor: Actor,
    household_id: uuid.UUID,
    data: PersonInput,
    relationship: str,
    moved_in_on: date | None,
    *,
    day: date,
) -> Person:
    """A person not yet registered joins the household (a newborn, someone who moved in):
    the front desk's validation and write path, with the household fields set."""
    actor.require(Permission.RECORD_COVERAGE)
    _household(session, household_id)
    data.household_id, data.relationship_to_head = household_id, _relationship(relationship)
    data.moved_in_on = moved_in_on
    valid = validate_person(data, today=day)
    existing = session.scalar(select(Person).where(Person.id_number == valid.identity.number))
    if existing is not None:
        raise ValidationFailed(
            [
                problem(
                    "id_number",
                    "registered",
                    f"身份证号{mask_id_number(valid.identity.number)}已登记为{existing.name}，"
                    "请用“添加已登记人员”把其加入本户，不要重复登记。",
                    f"This ID number is already registered ({existing.name}); add the "
                    "registered person to the household instead.",
                )
            ]
        )
    result = save_person(session, actor, valid, [], day=day)
    _check_heads(session, household_id)
    assert result.person is not None
    return result.person


def add_new_member(
    database: Database,
    actor: Actor,
    household_id: uuid.UUID,
    data: PersonInput,
    relationship: str,
    moved_in_on: date | None = None,
    *,
    day: date,
) -> MemberView:
    actor.require(Permission.RECORD_COVERAGE)
    with database.writing() as session:
        person = add_new_member_in(
            session, actor, household_id, data, relationship, moved_in_on, day=day
        )
        return _member_view(session, person)


def attach_member_in(
    session: Session,
    actor: Actor,
    household_id: uuid.UUID,
    person_id: uuid.UUID,
    relationship: str,
    moved_in_on: date | None,
    *,
    day: date,
) -> Person:
    """A registered person joins (or rejoins) the household."""
    actor.require(Permission.RECORD_COVERAGE)
    _household(session, household_id)
    person = managed_here(_person(session, person_id))
    code = _relationship(relationship)
    problems = []
    if person.deceased_on is not None:
        problems.append(
            problem(
                "person",
                "deceased",
                f"{person.name}已登记死亡（{person.deceased_on}），不能加入家庭户。",
                f"{person.name} is recorded as deceased ({person.deceased_on}).",
            )
        )
    late = check_event_date(
        "moved_in_on", moved_in_on, birth_date=person.birth_date, today=day, name=person.name
    )
    if late is not None:
        problems.append(late)
    if problems:
        raise ValidationFailed(problems)
    before = snapshot(person, PERSON_FIELDS)
    person.household_id, person.relationship_to_head = household_id, code
    person.moved_in_on, person.moved_away_on = moved_in_on, None
    index_person(session, person, is_new=False)
    record_person_change(
        session, actor, person, before, action="person.household", detail={"name": person.name}
    )
    _check_heads(session, household_id)
    return person


def attach_member(
    database: Database,
    actor: Actor,
    household_id: uuid.UUID,
    person_id: uuid.UUID,
    relationship: str,
    moved_in_on: date | None = None,
    *,
    day: date,
) -> MemberView:
    actor.require(Permission.RECORD_COVERAGE)
    with database.writing() as session:
        person = attach_member_in(
            session, actor, household_id, person_id, relationship, moved_in_on, day=day
        )
        return _member_view(session, person)


def set_relationship_in(
    session: Session, actor: Actor, person_id: uuid.UUID, relationship: str
) -> Person:
    actor.require(Permission.RECORD_COVERAGE)
    person = managed_here(_person(session, person_id))
    if person.household_id is None:
        raise ValidationFailed(
            [
                problem(
                    "household",
                    "no_household",
                    f"{person.name}不属于任何家庭户。",
                    f"{person.name} belongs to no household.",
                )
            ]
        )
    before = snapshot(person, PERSON_FIELDS)
    person.relationship_to_head = _relationship(relationship)
    record_person_change(
        session, actor, person, before, action="person.household", detail={"name": person.name}
    )
    _check_heads(session, person.household_id)
    return person


def change_head(
    database: Database,
    actor: Actor,
    new_head_id: uuid.UUID,
    former_head_relationship: str | None = None,
) -> HouseholdView:
    """Name a new head (户主): the present head, if any, takes ``former_head_relationship``
    (as the new head sees them: a spouse, a parent...) in the same transaction."""
    actor.require(Permission.RECORD_COVERAGE)
    with database.writing() as session:
        person = managed_here(_person(session, new_head_id))
        if person.moved_away_on is not None or person.deceased_on is not None:
            gone_zh = "已迁出" if person.deceased_on is None else "已登记死亡"
            gone_en = "moved away" if person.deceased_on is None else "is recorded as deceased"
            raise ValidationFailed(
                [
                    problem(
                        "person",
                        "not_present",
                        f"{person.name}{gone_zh}，不能设为户主；请选择仍在户的成员。",
                        f"{person.name} {gone_en}: choose a member who still lives here.",
                    )
                ]
            )
        if person.household_id is None:
            set_relationship_in(session, actor, person.id, HEAD)  # raises: no household
        assert person.household_id is not None
        current = [
            p
            for p in _members(session, person.household_id)
            if p.relationship_to_head == HEAD
            and p.id != person.id
            and p.moved_away_on is None
            and p.deceased_on is None
        ]
        for former in current:
            if not former_head_relationship:
                raise ValidationFailed(
                    [
                        problem(
                            "former_head_relationship",
                            "required",
                            f"现户主{former.name}须改为其他关系后才能指定新户主，请选择其新关系。",
                            f"The present head {former.name} needs another relationship "
                            "before a new head is named.",
                        )
                    ]
                )
            set_relationship_in(session, actor, former.id, former_head_relationship)
        set_relationship_in(session, actor, person.id, HEAD)
        return view_household(session, _household(session, person.household_id))


def _mark(
    session: Session, actor: Actor, person_id: uuid.UUID, event: str, on: date, *, day: date
) -> Person:
    actor.require(Permission.RECORD_COVERAGE)
    person = managed_here(_person(session, person_id))
    problems = []
    if person.deceased_on is not None:
        problems.append(
            problem(
                event,
                "deceased",
                f"{person.name}已于{person.deceased_on}登记死亡，不能再次标记。",
                f"{person.name} is already recorded as deceased ({person.deceased_on}).",
            )
        )
    elif event == "moved_away_on" and person.moved_away_on is not None:
        problems.append(
            problem(
                event,
                "moved_away",
                f"{person.name}已于{person.moved_away_on}登记迁出。",
                f"{person.name} is already recorded as moved away ({person.moved_away_on}).",
            )
        )
    late = check_event_date(
        event,
        on,
        birth_date=person.birth_date,
        today=day,
        moved_in_on=person.moved_in_on,
        name=person.name,
    )
    if late is not None:
        problems.append(late)
    if problems:
        raise ValidationFailed(problems)
    before = snapshot(person, PERSON_FIELDS)
    setattr(person, event, on)
    record_person_change(
        session,
        actor,
        person,
        before,
        action="person.moved_away" if event == "moved_away_on" else "person.deceased",
        detail={"name": person.name},
    )
    return person


def mark_moved_away_in(
    session: Session, actor: Actor, person_id: uuid.UUID, on: date, *, day: date
) -> Person:
    """The person left the household on ``on``: they stay on its list, out of the counts."""
    return _mark(session, actor, person_id, "moved_away_on", on, day=day)


def mark_deceased_in(
    session: Session, actor: Actor, person_id: uuid.UUID, on: date, *, day: date
) -> Person:
    return _mark(session, actor, person_id, "deceased_on", on, day=day)


def mark_moved_away(
    database: Database, actor: Actor, person_id: uuid.UUID, on: date, *, day: date
) -> MemberView:
    actor.require(Permission.RECORD_COVERAGE)
    with database.writing() as session:
        return _member_view(session, mark_moved_away_in(session, actor, person_id, on, day=day))


def mark_deceased(
    database: Database, actor: Actor, person_id: uuid.UUID, on: date, *, day: date
) -> MemberView:
    actor.require(Permission.RECORD_COVERAGE)
    with database.writing() as session:
        return _member_view(session, mark_deceased_in(session, actor, person_id, on, day=day))


def _member_view(session: Session, person: Person) -> MemberView:
    session.flush()
    assert person.household_id is not None
    view = view_household(session, _household(session, person.household_id))
    return next(m for m in view.members if m.person_id == person.id)
