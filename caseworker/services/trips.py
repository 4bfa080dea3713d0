"""Field-visit trips: plan one (villages, or the people of a worklist), follow its progress,
close it.

A trip is a local planning record (``Trip``, ``TripHousehold``, ``TripPerson``): it never
goes upstream. What a visit finds (people, households, coverage statuses) is written by
``services.households`` and ``services.coverage`` inside ``services.trip_visit.save_visit``,
and those travel upstream as always. Nothing here touches the network.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.domain.coverage import COVERED
from caseworker.domain.households import HEAD, problem
from caseworker.services import worklists
from caseworker.services.actor import Actor, Permission
from caseworker.services.errors import NotFound, ValidationFailed
from caseworker.services.households import check_village, households_of_villages, village_name
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.store.database import Database
from caseworker.store.models import (
    CoverageStatus,
    Household,
    Person,
    Trip,
    TripHousehold,
    TripPerson,
    new_id,
)

NAME_LIMIT = 60
WORKLIST_LIMIT = 5000  # people taken from one worklist into a trip


@dataclass(frozen=True)
class TripInfo:
    id: uuid.UUID
    name: str
    villages: tuple[str, ...]
    worklist: WorklistSpec | None
    created_on: date
    closed_on: date | None
    households: int
    visited: int


@dataclass(frozen=True)
class TripHouseholdRow:
    household_id: uuid.UUID
    position: int
    village_code: str
    village_name: str
    address: str
    head_name: str
    members: int  # present members
    not_covered: int  # present members with a line not insured or not yet known
    visited_on: date | None
    outcome: str | None
    note: str


@dataclass(frozen=True)
class TripProgress:
    trip: TripInfo
    rows: tuple[TripHouseholdRow, ...]
    households_total: int
    households_visited: int  # outcome "visited"
    households_attempted: int  # any outcome (nobody home, refused included)
    people_total: int  # present members of the trip's households
    people_recorded: int  # people this trip confirmed, added or marked
    people_not_covered: int


# -- planning -------------------------------------------------------------------------------


def _name(name: str) -> str:
    text = (name or "").strip()
    if not text or len(text) > NAME_LIMIT:
        raise ValidationFailed(
            [
                problem(
                    "name",
                    "name",
                    f"请填写行程名称（最多{NAME_LIMIT}个字）。",
                    f"Give the trip a name (at most {NAME_LIMIT} characters).",
                )
            ]
        )
    return text


def worklist_person_ids(
    database: Database, actor: Actor, spec: WorklistSpec, day: date
) -> list[uuid.UUID]:
    """The people of a worklist (each once, in the list's village order), at most
    ``WORKLIST_LIMIT``, for ``plan_trip(person_ids=...)``."""
    rows = worklists.members(database, actor, spec, day, offset=0, limit=WORKLIST_LIMIT)
    return worklists.person_ids(rows)


def plan_trip(
    database: Database,
    actor: Actor,
    name: str,
    *,
    villages: Sequence[str] = (),
    person_ids: Sequence[uuid.UUID] | None = None,
    worklist: WorklistSpec | None = None,
    day: date,
) -> TripProgress:
    """A trip to every household of ``villages``, or to the households of ``person_ids``
    (the people of ``worklist``, as the caller read them), in address order."""
    actor.require(Permission.RECORD_COVERAGE)
    trip_name = _name(name)
    with database.writing() as session:
        if person_ids is not None:
            households = _households_of_people(session, person_ids)
            codes: list[str] = sorted({h.village_code for h in households if h.village_code})
        else:
            if not villages:
                raise ValidationFailed(
                    [
                        problem(
                            "villages",
                            "required",
                            "请至少选择一个村（居）委会，或从工作清单生成行程。",
                            "Choose at least one village, or plan from a worklist.",
                        )
                    ]
                )
            codes = [check_village(session, actor, code) for code in dict.fromkeys(villages)]
            households = households_of_villages(session, codes)
        if not households:
            raise ValidationFailed(
                [
                    problem(
                        "villages" if person_ids is None else "worklist",
                        "empty",
                        "所选范围内没有已登记的家庭户，行程无可走访的户。"
                        "请另选村（居）委会，或先登记家庭户。",
                        "No registered households there: the trip would have nobody to "
                        "visit. Choose other villages, or register the households first.",
                    )
                ]
            )
        trip = Trip(
            id=new_id(),
            name=trip_name,
            villages=codes,
            worklist=asdict(worklist) if worklist else None,
            created_by=actor.operator_id,
            created_on=day,
        )
        session.add(trip)
        for position, household in enumerate(households, start=1):
            session.add(
                TripHousehold(trip_id=trip.id, household_id=household.id, position=position)
            )
        session.flush()
        return _progress(session, trip)


def _households_of_people(session: Session, person_ids: Sequence[uuid.UUID]) -> list[Household]:
    ids: set[uuid.UUID] = set()
    wanted = list(dict.fromkeys(person_ids))
    for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
        ids.update(
            h
            for h in session.scalars(
                select(Person.household_id).where(Person.id.in_(wanted[start : start + 500]))
            )
            if h is not None
        )
    if not ids:
        return []
    rows = []
    listed = list(ids)
    for start in range(0, len(listed), 500):
        rows.extend(
            session.scalars(select(Household).where(Household.id.in_(listed[start : start + 500])))
        )
    return sorted(rows, key=lambda h: (h.village_code or "", h.address_detail or "", h.id))


def trip_of(session: Session, trip_id: uuid.UUID) -> Trip:
    trip = session.get(Trip, trip_id)
    if trip is None:
        raise NotFound("trip", "找不到该走访行程。", "No such trip.")
    return trip


def close_trip(database: Database, actor: Actor, trip_id: uuid.UUID, *, day: date) -> TripInfo:
    """After returning: no more visits are saved into the trip (its summary stays)."""
    actor.require(Permission.RECORD_COVERAGE)
    with database.writing() as session:
        trip = trip_of(session, trip_id)
        if trip.closed_on is None:
            trip.closed_on = day
        session.flush()
        return _info(session, trip)


def trips(database: Database, actor: Actor) -> list[TripInfo]:
    """Every trip planned on this laptop, open ones first, newest first."""
    actor.require(Permission.VIEW)
    with database.reading() as session:
        rows = session.scalars(select(Trip).order_by(Trip.created_at.desc())).all()
        infos = [_info(session, t) for t in rows]
    return sorted(infos, key=lambda t: t.closed_on is not None)


def progress(database: Database, actor: Actor, trip_id: uuid.UUID) -> TripProgress:
    actor.require(Permission.VIEW)
    with database.reading() as session:
        return _progress(session, trip_of(session, trip_id))


def recorded_people(
    database: Database, actor: Actor, trip_id: uuid.UUID, household_id: uuid.UUID
) -> dict[uuid.UUID, str]:
    """Who of the household this trip has recorded already, and how (confirmed, added,
    moved_away, deceased): the walk shows it when the household is opened again."""
    actor.require(Permission.VIEW)
    with database.reading() as session:
        return dict(
            session.execute(
                select(TripPerson.person_id, TripPerson.change).where(
                    TripPerson.trip_id == trip_id, TripPerson.household_id == household_id
                )
            ).all()
        )


# -- reading a trip -------------------------------------------------------------------------


def _info(session: Session, trip: Trip) -> TripInfo:
    total, visited = session.execute(
        select(
            func.count(),
            func.count().filter(TripHousehold.outcome == "visited"),
        ).where(TripHousehold.trip_id == trip.id)
    ).one()
    return TripInfo(
        trip.id,
        trip.name,
        tuple(trip.villages),
        WorklistSpec(**trip.worklist) if trip.worklist else None,
        trip.created_on,
        trip.closed_on,
        int(total),
        int(visited),
    )


_PRESENT = (Person.moved_away_on.is_(None), Person.deceased_on.is_(None))


def not_covered_people(session: Session, trip_id: uuid.UUID) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Present members of the trip's households with some line not covered, per household."""
    rows = session.execute(
        select(Person.household_id, Person.id)
        .join(TripHousehold, TripHousehold.household_id == Person.household_id)
        .join(CoverageStatus, CoverageStatus.person_id == Person.id)
        .where(
            TripHousehold.trip_id == trip_id,
            *_PRESENT,
            CoverageStatus.status.not_in([*COVERED, "not_applicable"]),
        )
        .distinct()
    ).all()
    found: dict[uuid.UUID, set[uuid.UUID]] = {}
    for household_id, person_id in rows:
        found.setdefault(household_id, set()).add(person_id)
    return found


def _progress(session: Session, trip: Trip) -> TripProgress:
    rows = session.execute(
        select(TripHousehold, Household)
        .join(Household, Household.id == TripHousehold.household_id)
        .where(TripHousehold.trip_id == trip.id)
        .order_by(TripHousehold.position)
    ).all()
    members = dict(
        session.execute(
            select(Person.household_id, func.count())
            .join(TripHousehold, TripHousehold.household_id == Person.household_id)
            .where(TripHousehold.trip_id == trip.id, *_PRESENT)
            .group_by(Person.household_id)
        ).all()
    )
    heads = dict(
        session.execute(
            select(Person.household_id, Person.name)
            .join(TripHousehold, TripHousehold.household_id == Person.household_id)
            .where(TripHousehold.trip_id == trip.id, Person.relationship_to_head == HEAD, *_PRESENT)
        ).all()
    )
    uncovered = not_covered_people(session, trip.id)
    recorded = session.scalar(
        select(func.count()).select_from(TripPerson).where(TripPerson.trip_id == trip.id)
    )
    table = tuple(
        TripHouseholdRow(
            household.id,
            link.position,
            household.village_code or "",
            village_name(household.village_code),
            household.address_detail or "",
            heads.get(household.id, ""),
            int(members.get(household.id, 0)),
            len(uncovered.get(household.id, ())),
            link.visited_on,
            link.outcome,
            link.note or "",
        )
        for link, household in rows
    )
    return TripProgress(
        _info(session, trip),
        table,
        households_total=len(table),
        households_visited=sum(1 for r in table if r.outcome == "visited"),
        households_attempted=sum(1 for r in table if r.outcome is not None),
        people_total=sum(r.members for r in table),
        people_recorded=int(recorded or 0),
        people_not_covered=sum(r.not_covered for r in table),
    )


# -- households found on the way ------------------------------------------------------------


def add_household_to_trip_in(
    session: Session, actor: Actor, trip_id: uuid.UUID, household_id: uuid.UUID
) -> None:
    """The household (one the registry did not have, found at the door) joins an open trip,
    last in visiting order; a household already on the trip stays where it is."""
    actor.require(Permission.RECORD_COVERAGE)
    trip = trip_of(session, trip_id)
    if trip.closed_on is not None:
        raise ValidationFailed(
            [
                problem(
                    "trip",
                    "closed",
                    f"行程“{trip.name}”已于{trip.closed_on}结束，不能再加入家庭户。",
                    f"The trip '{trip.name}' was closed on {trip.closed_on}; "
                    "no household can join it.",
                )
            ]
        )
    if session.get(Household, household_id) is None:
        raise NotFound("household", "找不到该家庭户。", "No such household.")
    if session.get(TripHousehold, (trip_id, household_id)) is not None:
        return
    last = session.scalar(
        select(func.max(TripHousehold.position)).where(TripHousehold.trip_id == trip_id)
    )
    session.add(TripHousehold(trip_id=trip_id, household_id=household_id, position=(last or 0) + 1))


def add_household_to_trip(
    database: Database, actor: Actor, trip_id: uuid.UUID, household_id: uuid.UUID
) -> TripProgress:
    actor.require(Permission.RECORD_COVERAGE)
    with database.writing() as session:
        add_household_to_trip_in(session, actor, trip_id, household_id)
        session.flush()
        return _progress(session, trip_of(session, trip_id))
