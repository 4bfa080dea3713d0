"""Who is left out (enforcement): people whose employer is known — from roster imports,
surveys, the registry or the front desk — but who hold no employees' scheme, by employer,
for the centre to follow up."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select

from caseworker.domain.employment import EMPLOYEE_SCHEMES
from caseworker.domain.ids import mask_id_number
from caseworker.services.actor import Actor, Permission
from caseworker.store.database import Database
from caseworker.store.models import Employer, Enrolment, Person

# Retired people and those gone from the registry are not expected in an employees' scheme.
NOT_EXPECTED = ("retired",)


def left_out_people() -> Select:
    """Ids of people with an employer and no active employees' scheme (a query to add to)."""
    insured = exists().where(
        Enrolment.person_id == Person.id,
        Enrolment.status == "active",
        Enrolment.scheme.in_(EMPLOYEE_SCHEMES),
    )
    return select(Person.id).where(
        Person.employer_id.is_not(None),
        ~insured,
        Person.deceased_on.is_(None),
        Person.moved_away_on.is_(None),
        Person.employment_category.is_(None) | Person.employment_category.not_in(NOT_EXPECTED),
    )


def left_out_counts(session, employer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:  # type: ignore[no-untyped-def]
    people = left_out_people().where(Person.employer_id.in_(list(employer_ids))).subquery()
    rows = session.execute(
        select(Person.employer_id, func.count())
        .where(Person.id.in_(select(people.c.id)))
        .group_by(Person.employer_id)
    )
    return {employer_id: int(count) for employer_id, count in rows}


@dataclass(frozen=True)
class LeftOutPerson:
    person_id: uuid.UUID
    name: str
    masked_id_number: str
    employment_category: str | None


@dataclass(frozen=True)
class LeftOutEmployer:
    employer_id: uuid.UUID
    credit_code: str
    name: str
    contact: str
    people: tuple[LeftOutPerson, ...]


def left_out_by_employer(database: Database, actor: Actor) -> list[LeftOutEmployer]:
    """Every employer with someone left out, most left out first, each with the people."""
    actor.require(Permission.VIEW)
    with database.reading() as session:
        rows = session.execute(
            select(Person, Employer)
            .join(Employer, Employer.id == Person.employer_id)
            .where(Person.id.in_(left_out_people()))
            .order_by(Employer.name, Person.name)
        ).all()
        grouped: dict[uuid.UUID, tuple[Employer, list[LeftOutPerson]]] = {}
        for person, employer in rows:
            grouped.setdefault(employer.id, (employer, []))[1].append(
                LeftOutPerson(
                    person.id,
                    person.name,
                    mask_id_number(person.id_number),
                    person.employment_category,
                )
            )
        found = [
            LeftOutEmployer(
                e.id,
                e.credit_code,
                e.name,
                " ".join(x for x in (e.contact_name, e.contact_phone) if x),
                tuple(people),
            )
            for e, people in grouped.values()
        ]
    return sorted(found, key=lambda e: (-len(e.people), e.name))
