"""Apply the county's change feeds locally, page by page, cursor in the same transaction.

A pull never overwrites a local record that has unsent, rejected or conflicting changes:
those rows are skipped (and counted), and the clerk's own change goes up and is answered.
Rows pulled from the registry write no outbox entry: they are the county's, not ours.

The registry feed carries persons, enrolments, households and coverage statuses, and (asked
for with ``include``) employers and their stays; another centre's enrolments and stays come
without their wage base. A coverage status updates the row the person already has here
(triggers give every person one per line); it keeps the county's fields as sent, the
original ``source`` included (a survey answer stays a survey answer: the person's owning
centre, shown on the person, says it came from elsewhere).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

# The wire table's fields and conversions, under the names this module always used.
from caseworker.domain.coverage import coverage_id
from caseworker.domain.wire import (
    COVERAGE_FIELDS,
    EMPLOYER_FIELDS,
    EMPLOYMENT_FIELDS,
    ENROLMENT_FIELDS,
    HOUSEHOLD_FIELDS,
    PERSON_FIELDS,
)
from caseworker.domain.wire import from_wire as _value
from caseworker.services.journal import audit
from caseworker.store.models import (
    Centre,
    CoverageStatus,
    Employer,
    Employment,
    Enrolment,
    Household,
    OutboxEntry,
    Person,
    ReferenceData,
    SyncCursor,
    SyncResolution,
)
from caseworker.store.search_index import index_person
from caseworker.store.wire import apply_fields as _set_fields
from caseworker.sync.protocol import ReferenceFeed, RegistryFeed, RegistryItem

UNSETTLED = ("pending", "sending", "rejected", "conflict")


@dataclass
class PullCounts:
    applied: int = 0
    skipped: int = 0


def get_cursor(session: Session, feed: str) -> int:
    row = session.get(SyncCursor, feed)
    return row.cursor if row else 0


def set_cursor(session: Session, feed: str, value: int) -> None:
    row = session.get(SyncCursor, feed)
    if row is None:
        session.add(SyncCursor(feed=feed, cursor=value))
    else:
        row.cursor = value


def has_unsettled_changes(session: Session, entity_id: uuid.UUID) -> bool:
    """Unsent, in flight, or rejected/conflicting and not yet resolved."""
    resolved = exists().where(SyncResolution.outbox_seq == OutboxEntry.seq)
    return bool(
        session.scalar(
            select(
                exists().where(
                    OutboxEntry.entity_id == entity_id,
                    OutboxEntry.sync_state.in_(UNSETTLED),
                    ~resolved,
                )
            )
        )
    )


def _owner(session: Session, item: RegistryItem) -> str | None:
    """Who manages the person (or employer) at the county; None when it is this centre."""
    own = session.info.get("centre_code")
    if own is None:
        own = session.info["centre_code"] = session.scalars(select(Centre.code)).first()
    return None if item.centre_code == own else item.centre_code


def _apply_person(session: Session, item: RegistryItem) -> bool:
    person = session.get(Person, item.entity_id)
    if person is None:
        id_number = item.payload.get("id_number")
        if session.scalar(select(Person.id).where(Person.id_number == id_number)) is not None:
            return False  # the same person under another id here: the upload will say conflict
        person = Person(id=item.entity_id)
        _set_fields(session, person, item.payload, PERSON_FIELDS)
        person.version = item.version
        person.owner_centre_code = _owner(session, item)
        person.created_at = person.updated_at = datetime.now(UTC)
        session.add(person)
        index_person(session, person, is_new=True)
        return True
    if item.version <= person.version:
        return False
    _set_fields(session, person, item.payload, PERSON_FIELDS)
    person.version = item.version
    person.owner_centre_code = _owner(session, item)
    index_person(session, person)
    return True


def _upsert(
    session: Session,
    model: type[Any],
    item: RegistryItem,
    fields: tuple[str, ...],
    may_create: Callable[[], bool] = lambda: True,
) -> bool:
    """Create the row (if ``may_create`` says it fits here) or bring it to the county's
    version; an older or equal version changes nothing."""
    row = session.get(model, item.entity_id)
    if row is None:
        if not may_create():
            return False
        row = model(id=item.entity_id)
        session.add(row)
    elif item.version <= row.version:
        return False
    _set_fields(session, row, item.payload, fields)
    row.version = item.version
    return True


def _known(session: Session, model: type[Any], payload: dict[str, Any], name: str) -> bool:
    value = _value(name, payload.get(name))
    return value is not None and session.get(model, value) is not None


def _apply_enrolment(session: Session, item: RegistryItem) -> bool:
    def fits() -> bool:
        if not _known(session, Person, item.payload, "person_id"):
            return False
        taken = select(Enrolment.id).where(
            Enrolment.person_id == _value("person_id", item.payload["person_id"]),
            Enrolment.scheme == item.payload.get("scheme"),
        )
        return session.scalar(taken) is None

    return _upsert(session, Enrolment, item, ENROLMENT_FIELDS, fits)


def _apply_household(session: Session, item: RegistryItem) -> bool:
    return _upsert(session, Household, item, HOUSEHOLD_FIELDS)


def _apply_employer(session: Session, item: RegistryItem) -> bool:
    """Another centre's employer, so its stays have somewhere to be (one per credit code:
    the same code here under another id is this centre's own, answered by the county)."""

    def fits() -> bool:
        code = item.payload.get("credit_code")
        return session.scalar(select(Employer.id).where(Employer.credit_code == code)) is None

    if not _upsert(session, Employer, item, EMPLOYER_FIELDS, fits):
        return False
    session.flush()  # a new row is found by id only once flushed
    session.get_one(Employer, item.entity_id).owner_centre_code = _owner(session, item)
    return True


def _apply_employment(session: Session, item: RegistryItem) -> bool:
    """A stay of a person and employer known here. Another centre's comes without its wage
    base (the county gives it only to the stay's own centre): ``base_fen`` stays None."""
    if not (
        _known(session, Person, item.payload, "person_id")
        and _known(session, Employer, item.payload, "employer_id")
    ):
        return False
    return _upsert(session, Employment, item, EMPLOYMENT_FIELDS)


# Which row a status names is its key, not something a payload may change.
_COVERAGE_VALUES = tuple(name for name in COVERAGE_FIELDS if name not in ("person_id", "line"))


def _apply_coverage(session: Session, item: RegistryItem) -> bool:
    """The person's row for the line, updated to the county's version (never created:
    a person unknown here is skipped, and its statuses come with it later)."""
    person_id = _value("person_id", item.payload.get("person_id"))
    line = item.payload.get("line")
    if person_id is None or coverage_id(person_id, str(line)) != item.entity_id:
        return False  # the county checks this; a row we cannot place is left alone
    row = session.get(CoverageStatus, (person_id, line))
    if row is None or item.version <= row.version:
        return False
    _set_fields(session, row, item.payload, _COVERAGE_VALUES)
    row.version = item.version
    # Another centre's operator and a look-again date derived from records this centre
    # does not hold mean nothing here.
    row.operator_id, row.valid_until = None, None
    row.updated_at = datetime.now(UTC)
    return True


_APPLY = {
    "person": _apply_person,
    "enrolment": _apply_enrolment,
    "household": _apply_household,
    "coverage": _apply_coverage,
    "employer": _apply_employer,
    "employment": _apply_employment,
}


def apply_registry_page(session: Session, page: RegistryFeed) -> PullCounts:
    counts = PullCounts()
    for item in page.items:
        # Coverage statuses go upstream under coverage_id(person, line): the same id here.
        if has_unsettled_changes(session, item.entity_id):
            counts.skipped += 1
            continue
        apply = _APPLY[item.entity_type]
        with session.no_autoflush:
            done = apply(session, item)
        session.flush()
        if done:
            counts.applied += 1
        else:
            counts.skipped += 1
    set_cursor(session, "registry", page.cursor)
    if page.items:
        audit(
            session,
            None,
            action="sync.pull_registry",
            entity_type="sync",
            entity_id=None,
            detail={"cursor": page.cursor, "applied": counts.applied, "skipped": counts.skipped},
            operator_name="sync",
        )
    return counts


def apply_reference_page(session: Session, page: ReferenceFeed) -> PullCounts:
    counts = PullCounts()
    for item in page.items:
        row = session.get(ReferenceData, (item.kind, item.name))
        if row is None:
            session.add(
                ReferenceData(
                    kind=item.kind, name=item.name, version=item.version, payload=item.payload
                )
            )
        else:
            row.version, row.payload, row.updated_at = item.version, item.payload, datetime.now(UTC)
        counts.applied += 1
    set_cursor(session, "reference", page.cursor)
    return counts
