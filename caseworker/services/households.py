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

from caseworker.domain.coverage import COVERED
from caseworker.domain.errors import InvalidValue
from caseworker.domain.households import HEAD, problem
from caseworker.domain.ids import mask_id_number
from caseworker.domain.regions import load_region_directory, parse_village_code
from caseworker.services.actor import Actor, Permission
from caseworker.services.coverage import CoverageView, statuses_of
from caseworker.services.errors import NotFound, ValidationFailed
from caseworker.services.journal import record_change
from caseworker.store.database import Database
from caseworker.store.models import Centre, Household, Person, new_id
from caseworker.store.wire import WIRE

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


def _members(session: Session, household_id: uuid.UUID) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.household_id == household_id)))


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


def households_of_villages(session: Session, codes: Sequence[str]) -> list[Household]:
    return list(
        session.scalars(
            select(Household)
            .where(Household.village_code.in_(list(codes)))
            .order_by(Household.village_code, Household.address_detail, Household.id)
        )
    )
