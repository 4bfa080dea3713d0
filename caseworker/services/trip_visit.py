"""One household walked on a trip, saved in ONE transaction: members confirmed, moved away or
deceased; newborns and people who moved in added (the front desk's person path); each
person's coverage answers (``coverage.record_answers_in``); the visit's outcome.

Every problem of the whole visit is collected and raised together, each naming its person
and field (``<person id>.<field>`` or ``new<n>.<field>``), and then nothing is written: the
clerk fixes what is wrong and saves again with everything still on screen.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.errors import InvalidValue
from caseworker.domain.households import problem
from caseworker.services.actor import Actor, Permission
from caseworker.services.coverage import StatusAnswer, record_answers_in
from caseworker.services.errors import ValidationFailed
from caseworker.services.household_members import (
    add_new_member_in,
    mark_deceased_in,
    mark_moved_away_in,
)
from caseworker.services.households import HouseholdView, view_household
from caseworker.services.trips import trip_of
from caseworker.services.validation import PersonInput
from caseworker.store.database import Database
from caseworker.store.models import Household, Person, TripHousehold, TripPerson

OUTCOMES = ("visited", "nobody_home", "refused")
CHANGES = ("confirmed", "moved_away", "deceased")
NOTE_LIMIT = 200
T = TypeVar("T")


@dataclass(frozen=True)
class LineAnswer:
    """What a person said of one insurance line (``StatusAnswer`` without the person)."""

    line: str
    status: str
    reason: str | None = None
    insured_where: str | None = None
    scheme: str | None = None
    note: str | None = None

    def for_person(self, person_id: uuid.UUID) -> StatusAnswer:
        return StatusAnswer(
            person_id,
            self.line,
            self.status,
            self.reason,
            self.insured_where,
            self.scheme,
            self.note,
        )


@dataclass(frozen=True)
class MemberVisit:
    """A member on the household's list: still there (confirmed), moved away or deceased
    (with the day), and their answers (lines left out keep their status)."""

    person_id: uuid.UUID
    change: str = "confirmed"
    on: date | None = None
    answers: tuple[LineAnswer, ...] = ()


@dataclass
class Newcomer:
    """Someone not yet registered found in the household: a newborn or a person who moved in."""

    person: PersonInput
    relationship: str
    moved_in_on: date | None = None
    answers: tuple[LineAnswer, ...] = ()


@dataclass
class VisitInput:
    household_id: uuid.UUID
    outcome: str = "visited"
    note: str | None = None
    members: tuple[MemberVisit, ...] = ()
    newcomers: tuple[Newcomer, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class VisitResult:
    household: HouseholdView
    added: tuple[uuid.UUID, ...]  # the newcomers' person ids, in the order given
    recorded: int  # people this visit recorded
    # Everyone of the household this trip has recorded so far, and how.
    recorded_people: dict[uuid.UUID, str] = field(default_factory=dict)


class _Problems:
    """Runs each step, keeping its field problems under the person's key and name."""

    def __init__(self) -> None:
        self.found: list[InvalidValue] = []

    def run(self, key: str, name: str, step: Callable[[], T]) -> T | None:
        try:
            return step()
        except ValidationFailed as failed:
            for error in failed.errors:
                en = getattr(error, "message_en", error.message)
                moved = problem(
                    f"{key}.{error.field}", error.code, f"{name}：{error.message}", f"{name}: {en}"
                )
                self.found.append(moved)
            return None

    def add(self, error: InvalidValue) -> None:
        self.found.append(error)


def save_visit(
    database: Database, actor: Actor, trip_id: uuid.UUID, visit: VisitInput, *, day: date
) -> VisitResult:
    """Everything the clerk recorded at one household, or (on any problem) nothing."""
    actor.require(Permission.RECORD_COVERAGE)
    with database.writing() as session:
        return save_visit_in(session, actor, trip_id, visit, day=day)


def save_visit_in(
    session: Session, actor: Actor, trip_id: uuid.UUID, visit: VisitInput, *, day: date
) -> VisitResult:
    actor.require(Permission.RECORD_COVERAGE)
    trip = trip_of(session, trip_id)
    if trip.closed_on is not None:
        raise ValidationFailed(
            [
                problem(
                    "trip",
                    "closed",
                    f"行程“{trip.name}”已于{trip.closed_on}结束，不能再记录走访；请新建行程。",
                    f"The trip {trip.name!r} was closed on {trip.closed_on}; plan a new trip.",
                )
            ]
        )
    link = session.get(TripHousehold, (trip.id, visit.household_id))
    household = session.get(Household, visit.household_id)
    if link is None or household is None:
        raise ValidationFailed(
            [
                problem(
                    "household",
                    "not_in_trip",
                    "该家庭户不在本次行程中。",
                    "This household is not on the trip.",
                )
            ]
        )
    problems = _Problems()
    if visit.outcome not in OUTCOMES:
        problems.add(
            problem(
                "outcome",
                "outcome",
                "请选择走访结果（已走访、无人在家或拒绝）。",
                "Choose the outcome (visited, nobody home, refused).",
            )
        )
    note = (visit.note or "").strip() or None
    if note and len(note) > NOTE_LIMIT:
        problems.add(
            problem(
                "note",
                "length",
                f"走访备注最多{NOTE_LIMIT}个字。",
                f"The visit note has at most {NOTE_LIMIT} characters.",
            )
        )
    recorded: dict[uuid.UUID, tuple[str, bool]] = {}
    # Marks first: an answer for someone marked deceased in this visit is then refused.
    for member in visit.members:
        person = session.get(Person, member.person_id)
        key, name = str(member.person_id), person.name if person else "?"
        if person is None or person.household_id != household.id:
            problems.add(
                problem(
                    f"{key}.person",
                    "not_member",
                    f"{name}不是该户成员。",
                    f"{name} is not a member of this household.",
                )
            )
            continue
        if member.change not in CHANGES:
            raise ValueError(f"unknown change {member.change!r}")
        if member.change == "moved_away":
            problems.run(
                key,
                name,
                lambda m=member: mark_moved_away_in(session, actor, m.person_id, m.on, day=day),
            )
        elif member.change == "deceased":
            problems.run(
                key,
                name,
                lambda m=member: mark_deceased_in(session, actor, m.person_id, m.on, day=day),
            )
        recorded[member.person_id] = (member.change, bool(member.answers))
    for member in visit.members:
        if member.answers and member.person_id in recorded:
            person = session.get(Person, member.person_id)
            assert person is not None
            problems.run(
                str(member.person_id),
                person.name,
                lambda m=member: record_answers_in(
                    session, actor, [a.for_person(m.person_id) for a in m.answers], day=day
                ),
            )
    added: list[uuid.UUID] = []
    for index, newcomer in enumerate(visit.newcomers):
        key, name = f"new{index}", (newcomer.person.name or "").strip() or f"新成员{index + 1}"
        person = problems.run(
            key,
            name,
            lambda n=newcomer: add_new_member_in(
                session, actor, household.id, n.person, n.relationship, n.moved_in_on, day=day
            ),
        )
        if person is None:
            continue
        added.append(person.id)
        recorded[person.id] = ("added", bool(newcomer.answers))
        if newcomer.answers:
            problems.run(
                key,
                name,
                lambda n=newcomer, p=person: record_answers_in(
                    session, actor, [a.for_person(p.id) for a in n.answers], day=day
                ),
            )
    if problems.found:
        raise ValidationFailed(problems.found)  # the transaction rolls back: nothing written
    link.visited_on, link.outcome, link.note = day, visit.outcome, note
    link.operator_id = actor.operator_id
    for person_id, (change, answered) in recorded.items():
        row = session.get(TripPerson, (trip.id, person_id))
        if row is None:
            row = TripPerson(trip_id=trip.id, person_id=person_id, household_id=household.id)
            session.add(row)
            row.answered = False
        # A later visit to the same household keeps what an earlier one found out.
        if row.change in (None, "confirmed") or change != "confirmed":
            row.change = change
        row.answered = bool(row.answered) or answered
        row.recorded_on, row.operator_id = day, actor.operator_id
    session.flush()
    so_far = dict(
        session.execute(
            select(TripPerson.person_id, TripPerson.change).where(
                TripPerson.trip_id == trip.id, TripPerson.household_id == household.id
            )
        ).all()
    )
    return VisitResult(view_household(session, household), tuple(added), len(recorded), so_far)
