"""Read side of the registry: search, find by ID number or UUID, one person with history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.domain.ids import mask_id_number
from caseworker.services.people_search import find_people, summaries_on
from caseworker.services.person_record import person_detail_on, resolve_on
from caseworker.services.records import PersonDetail, PersonSummary
from caseworker.store.database import Database
from caseworker.store.direct import dbapi_of
from caseworker.store.models import Operator, OutboxEntry, Payment, Person
from caseworker.store.search_index import search_person_ids


def search(database: Database, text: str, *, limit: int = 50) -> list[PersonSummary]:
    """The one search box: ID number or tail, name (any part), pinyin or initials, phone."""
    with database.reading() as session:
        return find_people(dbapi_of(session), text, limit=limit)


def _resolve(session: Session, reference: str) -> Person | None:
    person_id = resolve_on(dbapi_of(session), reference)
    return session.get(Person, person_id) if person_id else None


def find_by_id_number(database: Database, text: str) -> PersonSummary | None:
    with database.reading() as session:
        connection = dbapi_of(session)
        person_id = resolve_on(connection, text)
        return summaries_on(connection, [person_id])[0] if person_id else None


def person_detail(database: Database, reference: str) -> PersonDetail:
    """One person by ID number or UUID, with enrolments, payments and change history."""
    with database.reading() as session:
        return person_detail_on(dbapi_of(session), reference)


# --- read functions for the desktop screens ------------------------------------------------
# Cheap by construction: the search returns ids only (indexed range scans), and rows are
# loaded page by page by primary key, so a 500,000-person registry never loads at once.

SEARCH_ID_LIMIT = 5000


@dataclass(frozen=True)
class HouseholdMember:
    id: uuid.UUID
    id_number: str
    name: str
    sex: str
    birth_date: date
    relationship_to_head: str | None

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


@dataclass(frozen=True)
class DayPayment:
    """One payment of a business day, with the payer's name for the list."""

    id: uuid.UUID
    receipt_number: str | None  # None for a tax-channel payment
    person_id: uuid.UUID
    person_name: str
    id_number: str
    scheme: str
    amount_fen: int
    personal_fen: int
    method: str
    paid_at: datetime
    operator_name: str
    voided: bool
    channel: str = "desk"
    voucher_number: str | None = None

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


def search_ids(database: Database, text: str, *, limit: int = SEARCH_ID_LIMIT) -> list[uuid.UUID]:
    """Ids of the people the search box text matches, without loading any person."""
    with database.reading() as session:
        return search_person_ids(session, text, limit=limit)


def summaries(database: Database, ids: Sequence[uuid.UUID]) -> list[PersonSummary]:
    """Summaries of the given people, in the order given (one page of a result list)."""
    if not ids:
        return []
    with database.reading() as session:
        return summaries_on(dbapi_of(session), ids)


def household_members(database: Database, person_id: uuid.UUID) -> list[HouseholdMember]:
    """Everyone in the person's household (the person included), head first."""
    with database.reading() as session:
        household_id = session.scalar(select(Person.household_id).where(Person.id == person_id))
        if household_id is None:
            return []
        rows = session.scalars(
            select(Person).where(Person.household_id == household_id).order_by(Person.birth_date)
        ).all()
        members = [
            HouseholdMember(p.id, p.id_number, p.name, p.sex, p.birth_date, p.relationship_to_head)
            for p in rows
        ]
    # The head (02) first, then by age: the order of a hukou book.
    return sorted(members, key=lambda m: (m.relationship_to_head != "02", m.birth_date))


def payments_on(database: Database, day: date) -> list[DayPayment]:
    """Payments whose business date is ``day``, newest first (voided ones included)."""
    with database.reading() as session:
        # Display names: the list is read by people ("经办员"), not matched against logins.
        operators = dict(session.execute(select(Operator.id, Operator.display_name)).all())
        rows = session.execute(
            select(Payment, Person.name, Person.id_number)
            .join(Person, Person.id == Payment.person_id)
            .where(Payment.business_date == day)
            .order_by(Payment.paid_at.desc())
        ).all()
        return [
            DayPayment(
                id=p.id,
                receipt_number=p.receipt_number,
                person_id=p.person_id,
                person_name=name,
                id_number=id_number,
                scheme=p.scheme,
                amount_fen=p.amount_fen,
                personal_fen=p.personal_fen,
                method=p.method,
                paid_at=p.paid_at,
                operator_name=operators.get(p.operator_id, "?"),
                voided=p.voided_at is not None,
                channel=p.channel,
                voucher_number=p.voucher_number,
            )
            for p, name, id_number in rows
        ]


def pending_uploads_in(session: Session) -> int:
    """Changes written here and not yet sent upstream (outbox entries still pending), inside the
    caller's transaction (the front page's figures)."""
    statement = select(func.count()).select_from(OutboxEntry)
    return int(session.scalar(statement.where(OutboxEntry.sync_state == "pending")) or 0)
