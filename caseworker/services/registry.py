"""Read side of the registry: search, find by ID number or UUID, one person with history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import mask_id_number, parse_id_number
from caseworker.services.errors import NotFound
from caseworker.services.records import (
    EnrolmentRecord,
    HistoryRecord,
    PaymentRecord,
    PersonDetail,
    PersonSummary,
)
from caseworker.store.database import Database
from caseworker.store.models import AuditEntry, Enrolment, Operator, OutboxEntry, Payment, Person
from caseworker.store.search_index import search_person_ids


def _summary(person: Person) -> PersonSummary:
    return PersonSummary(
        id=person.id,
        id_number=person.id_number,
        name=person.name,
        sex=person.sex,
        birth_date=person.birth_date,
        village_code=person.hukou_village_code,
        schemes=tuple(e.scheme for e in person.enrolments if e.status == "active"),
        phone=person.phone,
    )


def search(database: Database, text: str, *, limit: int = 50) -> list[PersonSummary]:
    """The one search box: ID number or tail, name (any part), pinyin or initials, phone."""
    with database.reading() as session:
        ids = search_person_ids(session, text, limit=limit)
        if not ids:
            return []
        people = session.scalars(
            select(Person).where(Person.id.in_(ids)).options(selectinload(Person.enrolments))
        ).all()
    order = {person_id: position for position, person_id in enumerate(ids)}
    return [_summary(p) for p in sorted(people, key=lambda p: order[p.id])]


def _resolve(session: Session, reference: str) -> Person | None:
    reference = reference.strip()
    try:
        return session.get(Person, uuid.UUID(reference))
    except ValueError:
        pass
    try:
        number = parse_id_number(reference).number
    except InvalidValue:
        number = reference.upper()
    return session.scalar(select(Person).where(Person.id_number == number))


def find_by_id_number(database: Database, text: str) -> PersonSummary | None:
    with database.reading() as session:
        person = _resolve(session, text)
        return _summary(person) if person else None


def _who(staff: dict[uuid.UUID, Any], operator_id: uuid.UUID | None) -> dict[str, str | None]:
    """The operator's display name and role, for a record's ``operator_*`` fields."""
    found = staff.get(operator_id) if operator_id else None
    return {
        "operator_display_name": found.display_name if found else None,
        "operator_role": found.role if found else None,
    }


def person_detail(database: Database, reference: str) -> PersonDetail:
    """One person by ID number or UUID, with enrolments, payments and change history."""
    with database.reading() as session:
        person = _resolve(session, reference)
        if person is None:
            raise NotFound(
                "person",
                f"本地登记库中没有“{reference}”对应的人员。",
                f"No person {reference!r} in the local registry.",
            )
        staff = {
            o.id: o
            for o in session.execute(
                select(Operator.id, Operator.username, Operator.display_name, Operator.role)
            ).all()
        }
        operators = {key: o.username for key, o in staff.items()}
        enrolments = session.scalars(
            select(Enrolment).where(Enrolment.person_id == person.id).order_by(Enrolment.scheme)
        ).all()
        related = [person.id, *(e.id for e in enrolments), *(p.id for p in person.payments)]
        history = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id.in_(related)).order_by(AuditEntry.seq)
        ).all()
        return PersonDetail(
            id=person.id,
            id_number=person.id_number,
            id_kind=person.id_kind,
            name=person.name,
            sex=person.sex,
            birth_date=person.birth_date,
            ethnicity=person.ethnicity,
            phone=person.phone,
            hukou_nature=person.hukou_nature,
            hukou_region_code=person.hukou_region_code,
            hukou_village_code=person.hukou_village_code,
            hukou_address=person.hukou_address,
            residence_address=person.residence_address,
            employment_category=person.employment_category,
            employer_id=person.employer_id,
            employer_name=person.employer.name if person.employer else None,
            special_groups=tuple(person.special_groups),
            bank_account=person.bank_account,
            household_id=person.household_id,
            relationship_to_head=person.relationship_to_head,
            version=person.version,
            owner_centre_code=person.owner_centre_code,
            enrolments=tuple(
                EnrolmentRecord(
                    e.id,
                    e.scheme,
                    e.status,
                    e.tier_fen,
                    e.base_fen,
                    e.start_date,
                    tuple(e.documents),
                )
                for e in enrolments
            ),
            payments=tuple(
                PaymentRecord(
                    id=p.id,
                    receipt_number=p.receipt_number,
                    scheme=p.scheme,
                    period_start=p.period_start,
                    period_end=p.period_end,
                    amount_fen=p.amount_fen,
                    subsidy_fen=p.subsidy_fen,
                    paid_by_government_fen=p.paid_by_government_fen,
                    personal_fen=p.personal_fen,
                    tier_fen=p.tier_fen,
                    base_fen=p.base_fen,
                    method=p.method,
                    paid_at=p.paid_at,
                    business_date=p.business_date,
                    operator_name=operators.get(p.operator_id, "?"),
                    voided=p.voided_at is not None,
                    void_reason=p.void_reason,
                    channel=p.channel,
                    voucher_number=p.voucher_number,
                    **_who(staff, p.operator_id),
                )
                for p in person.payments
            ),
            history=tuple(
                HistoryRecord(
                    h.at,
                    h.operator_name,
                    h.action,
                    h.detail,
                    **_who(staff, h.operator_id),
                )
                for h in history
            ),
        )


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
        people = session.scalars(
            select(Person).where(Person.id.in_(list(ids))).options(selectinload(Person.enrolments))
        ).all()
        by_id = {person.id: _summary(person) for person in people}
    return [by_id[person_id] for person_id in ids if person_id in by_id]


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


def pending_upload_count(database: Database) -> int:
    """Changes written here and not yet sent upstream (outbox entries still pending)."""
    with database.reading() as session:
        return pending_uploads_in(session)


def pending_uploads_in(session: Session) -> int:
    """``pending_upload_count`` inside a caller's transaction (the front page's figures)."""
    statement = select(func.count()).select_from(OutboxEntry)
    return int(session.scalar(statement.where(OutboxEntry.sync_state == "pending")) or 0)
