"""After returning: what a trip found and did, as figures for the screen and the PDF."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from caseworker.services.actor import Actor, Permission
from caseworker.services.trips import TripHouseholdRow, TripInfo, _progress, trip_of
from caseworker.store.database import Database
from caseworker.store.models import (
    CoverageStatus,
    Enrolment,
    Payment,
    Person,
    TripHousehold,
    TripPerson,
)


@dataclass(frozen=True)
class TripSummary:
    trip: TripInfo
    day: date  # the summary's date (the trip's close, else today)
    households_total: int
    visited: int
    nobody_home: int
    refused: int
    not_visited: tuple[TripHouseholdRow, ...]
    people_total: int
    people_recorded: int
    answered: int
    added: int
    moved_away: int
    deceased: int
    not_covered: int
    # Current statuses of the people this trip recorded: (line, status) → people.
    statuses: dict[tuple[str, str], int]
    enrolments: int  # enrolments of the trip's households started during the trip
    payments: int  # payments (not voided) of those households taken during the trip
    collected_fen: int


def trip_summary(database: Database, actor: Actor, trip_id: uuid.UUID, *, day: date) -> TripSummary:
    actor.require(Permission.VIEW)
    with database.reading() as session:
        trip = trip_of(session, trip_id)
        progress = _progress(session, trip)
        until = trip.closed_on or day
        changes = Counter(
            session.scalars(select(TripPerson.change).where(TripPerson.trip_id == trip.id))
        )
        answered = session.scalar(
            select(func.count())
            .select_from(TripPerson)
            .where(TripPerson.trip_id == trip.id, TripPerson.answered.is_(True))
        )
        statuses = Counter(
            (line, status)
            for line, status in session.execute(
                select(CoverageStatus.line, CoverageStatus.status)
                .join(TripPerson, TripPerson.person_id == CoverageStatus.person_id)
                .where(TripPerson.trip_id == trip.id)
            )
        )
        households = select(TripHousehold.household_id).where(TripHousehold.trip_id == trip.id)
        people = select(Person.id).where(Person.household_id.in_(households))
        enrolments = session.scalar(
            select(func.count())
            .select_from(Enrolment)
            .where(
                Enrolment.person_id.in_(people),
                Enrolment.start_date >= trip.created_on,
                Enrolment.start_date <= until,
            )
        )
        paid_count, paid_fen = session.execute(
            select(func.count(), func.coalesce(func.sum(Payment.personal_fen), 0)).where(
                Payment.person_id.in_(people),
                Payment.voided_at.is_(None),
                Payment.business_date >= trip.created_on,
                Payment.business_date <= until,
            )
        ).one()
    rows = progress.rows
    return TripSummary(
        trip=progress.trip,
        day=until,
        households_total=progress.households_total,
        visited=sum(1 for r in rows if r.outcome == "visited"),
        nobody_home=sum(1 for r in rows if r.outcome == "nobody_home"),
        refused=sum(1 for r in rows if r.outcome == "refused"),
        not_visited=tuple(r for r in rows if r.outcome is None),
        people_total=progress.people_total,
        people_recorded=progress.people_recorded,
        answered=int(answered or 0),
        added=changes["added"],
        moved_away=changes["moved_away"],
        deceased=changes["deceased"],
        not_covered=progress.people_not_covered,
        statuses=dict(statuses),
        enrolments=int(enrolments or 0),
        payments=int(paid_count),
        collected_fen=int(paid_fen),
    )
