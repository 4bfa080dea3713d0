"""Households: an address in one of the township's villages, a head, and members with their
relationship to the head (GB/T 4761), who joined, moved away or died on a given day.

Each public call is one transaction that checks ``Permission.RECORD_COVERAGE`` and writes
outbox + audit for every person or household it changes. The ``*_in`` functions do the same
inside a caller's transaction (a field visit saves a whole household at once). A new member
goes through the front desk's own path (``validate_person`` → ``enrolment.save_person``);
people another centre manages are read here, never changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.codes import load_code_table
from caseworker.domain.coverage import COVERED
from caseworker.domain.errors import InvalidValue
from caseworker.domain.households import HEAD, Member, check_event_date, check_one_head, problem
from caseworker.domain.ids import mask_id_number
from caseworker.domain.regions import load_region_directory, parse_village_code
from caseworker.domain.wire import PERSON_FIELDS
from caseworker.services.actor import Actor, Permission
from caseworker.services.coverage import CoverageView, statuses_of
from caseworker.services.enrolment import save_person
from caseworker.services.errors import NotFound, PermissionDenied, ValidationFailed
from caseworker.services.journal import record_change
from caseworker.services.validation import PersonInput, validate_person
from caseworker.store.database import Database
from caseworker.store.models import Centre, Household, Person, new_id
from caseworker.store.search_index import index_person
from caseworker.store.wire import WIRE, snapshot

ADDRESS_LIMIT = 200


@dataclass(frozen=True)
class MemberView:
    person_id: uuid.UUID
    name: str
    id_number: str
    sex: str
    birth_date: date
    relationship_to_head: str | None
    moved_in_on: date | None
    moved_away_on: date | None
    deceased_on: date | None
    owner_centre_code: str | None  # None: this centre manages the person
    statuses: dict[str, CoverageView]
    version: int

    @property
    def present(self) -> bool:
        return self.moved_away_on is None and self.deceased_on is None

    @property
    def managed_here(self) -> bool:
        return self.owner_centre_code is None

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def not_covered(self) -> bool:
        """Present, and some line is neither covered nor not applicable (not insured or not
        yet known): someone the visit is for."""
        return self.present and any(
            s.status not in (*COVERED, "not_applicable") for s in self.statuses.values()
        )


@dataclass(frozen=True)
class HouseholdView:
    id: uuid.UUID
    village_code: str | None
    village_name: str
    address_detail: str
    members: tuple[MemberView, ...]  # head first, then by age; people who left included
    version: int

    @property
    def present(self) -> tuple[MemberView, ...]:
        return tuple(m for m in self.members if m.present)

    @property
    def head(self) -> MemberView | None:
        return next((m for m in self.present if m.relationship_to_head == HEAD), None)

    @property
    def head_name(self) -> str:
        return self.head.name if self.head else ""

    @property
    def not_covered_count(self) -> int:
        return sum(1 for m in self.members if m.not_covered)


# -- reading ---------------------------------------------------------------------------------


def member_order(person: Person) -> tuple[Any, ...]:
    """The order of a hukou book: present before gone, the head first, then by age."""
    gone = person.moved_away_on is not None or person.deceased_on is not None
    return (gone, person.relationship_to_head != HEAD, person.birth_date, person.name)


def view_household(session: Session, household: Household) -> HouseholdView:
    session.flush()
    members = sorted(_members(session, household.id), key=member_order)
    return HouseholdView(
        household.id,
        household.village_code,
        village_name(household.village_code),
        household.address_detail or "",
        tuple(
            MemberView(
                p.id,
                p.name,
                p.id_number,
                p.sex,
                p.birth_date,
                p.relationship_to_head,
                p.moved_in_on,
                p.moved_away_on,
                p.deceased_on,
                p.owner_centre_code,
                statuses_of(session, p.id),
                p.version,
            )
            for p in members
        ),
        household.version,
    )


def village_name(code: str | None) -> str:
    region = load_region_directory().find(code) if code else None
    return region.name if region else (code or "")


def household(database: Database, actor: Actor, household_id: uuid.UUID) -> HouseholdView:
    """A household with its members (those who left too) and each member's coverage."""
    actor.require(Permission.VIEW)
    with database.reading() as session:
        return view_household(session, _household(session, household_id))


def township_villages(database: Database, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the villages of the centre's township, from the region directory."""
    actor.require(Permission.VIEW)
    with database.reading() as session:
        township = township_of(session, actor)
    return [(r.code, r.name) for r in load_region_directory().children(township)]


# -- checks ----------------------------------------------------------------------------------


def township_of(session: Session, actor: Actor) -> str:
    code = session.scalar(select(Centre.township_code).where(Centre.id == actor.centre_id))
    return code or actor.centre_code[:9]


def check_village(session: Session, actor: Actor, text: str | None) -> str:
    """A village (村/居委会) of the centre's township, as the region directory has it."""
    if not (text or "").strip():
        raise ValidationFailed(
            [problem("village_code", "required", "请选择村（居）委会。", "Choose the village.")]
        )
    try:
        code = parse_village_code(text or "")
    except InvalidValue as error:
        error.message_en = "A village code has 12 digits."  # type: ignore[attr-defined]
        raise ValidationFailed([error]) from None
    township = township_of(session, actor)
    region = load_region_directory().find(code)
    if region is None or region.level != "village" or region.parent_code != township:
        raise ValidationFailed(
            [
                problem(
                    "village_code",
                    "outside_township",
                    f"村（居）委会 {code} 不是本中心所在乡镇（{township}）的村（居）委会，"
                    "请从本乡镇的列表中选择。",
                    f"Village {code} is not a village of this centre's township ({township}); "
                    "choose one from the township's list.",
                )
            ]
        )
    return code


def _household(session: Session, household_id: uuid.UUID) -> Household:
    row = session.get(Household, household_id)
    if row is None:
        raise NotFound("household", "找不到该家庭户。", "No such household.")
    return row


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


def _members(session: Session, household_id: uuid.UUID) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.household_id == household_id)))


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


def _person_changed(
    session: Session, actor: Actor, person: Person, before: dict[str, Any], action: str
) -> None:
    person.version += 1
    person.updated_by = actor.operator_id
    after = snapshot(person, PERSON_FIELDS)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    changes.pop("version", None)
    record_change(
        session,
        actor,
        action=action,
        entity_type="person",
        entity_id=person.id,
        operation="upsert",
        payload=after,
        detail={"name": person.name, "changes": changes},
    )


# -- households ------------------------------------------------------------------------------


def create_household_in(
    session: Session, actor: Actor, village_code: str, address_detail: str | None
) -> Household:
    actor.require(Permission.RECORD_COVERAGE)
    code = check_village(session, actor, village_code)
    detail = (address_detail or "").strip()
    if len(detail) > ADDRESS_LIMIT:
        raise ValidationFailed(
            [
                problem(
                    "address_detail",
                    "length",
                    f"详细地址最多{ADDRESS_LIMIT}个字，现在是{len(detail)}个字。",
                    f"The address has at most {ADDRESS_LIMIT} characters ({len(detail)} now).",
                )
            ]
        )
    row = Household(
        id=new_id(),
        village_code=code,
        address_detail=detail or None,
        created_by=actor.operator_id,
        updated_by=actor.operator_id,
        version=1,
    )
    session.add(row)
    record_change(
        session,
        actor,
        action="household.create",
        entity_type="household",
        entity_id=row.id,
        operation="upsert",
        payload=WIRE["household"].snapshot(row),
        detail={"village_code": code},
    )
    return row


def create_household(
    database: Database, actor: Actor, village_code: str, address_detail: str | None
) -> HouseholdView:
    """A new household at ``address_detail`` (组, 门牌号) in one of the township's villages."""
    actor.require(Permission.RECORD_COVERAGE)
    with database.writing() as session:
        row = create_household_in(session, actor, village_code, address_detail)
        session.flush()
        return view_household(session, row)


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
    _person_changed(session, actor, person, before, "person.household")
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
    _person_changed(session, actor, person, before, "person.household")
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
    _person_changed(
        session,
        actor,
        person,
        before,
        "person.moved_away" if event == "moved_away_on" else "person.deceased",
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


def households_of_villages(session: Session, codes: Sequence[str]) -> list[Household]:
    return list(
        session.scalars(
            select(Household)
            .where(Household.village_code.in_(list(codes)))
            .order_by(Household.village_code, Household.address_detail, Household.id)
        )
    )
