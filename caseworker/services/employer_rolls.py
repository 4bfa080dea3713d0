"""What an employer's papers list: the roster with bases, the month's changes (增减员表), and a
person's employment history (every stay, with how it ended)."""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from caseworker.domain.ids import mask_id_number
from caseworker.services.actor import Actor, Permission
from caseworker.services.base_declaration import current_spells
from caseworker.store.database import Database
from caseworker.store.models import Employer, Employment, Person


@dataclass(frozen=True)
class SpellRow:
    employment_id: uuid.UUID
    person_id: uuid.UUID
    employer_name: str
    name: str
    id_number: str
    masked_id_number: str
    start_date: date
    end_date: date | None
    end_reason: str | None
    schemes: tuple[str, ...]
    base_fen: int | None  # None: another centre's employee (its base stays there)
    kind: str = "employee"


def _rows(session, spells) -> list[SpellRow]:  # type: ignore[no-untyped-def]
    rows = []
    for spell in spells:
        person = session.get_one(Person, spell.person_id)
        employer = session.get_one(Employer, spell.employer_id)
        rows.append(
            SpellRow(
                spell.id,
                person.id,
                employer.name,
                person.name,
                person.id_number,
                mask_id_number(person.id_number),
                spell.start_date,
                spell.end_date,
                spell.end_reason,
                tuple(spell.schemes),
                spell.base_fen,
                spell.kind,
            )
        )
    return rows


def roster(database: Database, actor: Actor, employer_id: uuid.UUID, day: date) -> list[SpellRow]:
    """The employees on ``day``, by name, with their schemes and bases."""
    actor.require(Permission.VIEW)
    with database.reading() as session:
        return _rows(session, current_spells(session, employer_id, day))


@dataclass(frozen=True)
class MonthChanges:
    year: int
    month: int
    joined: tuple[SpellRow, ...]
    left: tuple[SpellRow, ...]


def month_changes(
    database: Database, actor: Actor, employer_id: uuid.UUID, year: int, month: int
) -> MonthChanges:
    """增减员 of one month: stays that began in it and stays that ended in it."""
    actor.require(Permission.VIEW)
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    with database.reading() as session:
        base = select(Employment).where(
            Employment.employer_id == employer_id, Employment.kind == "employee"
        )
        joined = session.scalars(
            base.where(Employment.start_date.between(first, last)).order_by(Employment.start_date)
        )
        joined_rows = _rows(session, joined)
        left = session.scalars(
            base.where(Employment.end_date.between(first, last)).order_by(Employment.end_date)
        )
        return MonthChanges(year, month, tuple(joined_rows), tuple(_rows(session, left)))


def employment_history(database: Database, actor: Actor, person_id: uuid.UUID) -> list[SpellRow]:
    """Every stay of the person at any employer, oldest first."""
    actor.require(Permission.VIEW)
    with database.reading() as session:
        spells = session.scalars(
            select(Employment)
            .where(Employment.person_id == person_id)
            .order_by(Employment.start_date)
        )
        return _rows(session, spells)


def open_spell(
    database: Database, employer_id: uuid.UUID, person_id: uuid.UUID
) -> uuid.UUID | None:
    """The person's current stay at the employer, if any (what 减员 ends)."""
    with database.reading() as session:
        return session.scalar(
            select(Employment.id).where(
                Employment.employer_id == employer_id,
                Employment.person_id == person_id,
                Employment.end_date.is_(None),
            )
        )
