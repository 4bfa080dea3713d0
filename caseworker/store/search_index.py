"""A person's search columns and name keys (see caseworker.domain.search_keys); the search
itself is ``store/search_sql.py``, run on the session's connection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from caseworker.domain.contact import phone_digits
from caseworker.domain.search_keys import name_keys, reversed_key
from caseworker.store.direct import dbapi_of
from caseworker.store.models import Person, PersonSearchKey
from caseworker.store.search_sql import person_ids


@dataclass(frozen=True)
class SearchColumns:
    id_number_reversed: str
    phone_reversed: str | None
    name_keys: frozenset[str]


def search_columns(name: str, id_number: str, phone: str | None) -> SearchColumns:
    digits = phone_digits(phone) if phone else ""
    return SearchColumns(
        id_number_reversed=reversed_key(id_number),
        phone_reversed=reversed_key(digits) if digits else None,
        name_keys=frozenset(name_keys(name)),
    )


def index_person(session: Session, person: Person, *, is_new: bool = False) -> None:
    """Refresh the person's search columns and name keys (call after any change)."""
    columns = search_columns(person.name, person.id_number, person.phone)
    person.id_number_reversed = columns.id_number_reversed
    person.phone_reversed = columns.phone_reversed
    current = [] if is_new else list(person.search_keys)
    kept = [row for row in current if row.key in columns.name_keys]
    have = {row.key for row in kept}
    person.search_keys = kept + [
        PersonSearchKey(key=key, person_id=person.id) for key in sorted(columns.name_keys - have)
    ]


def search_person_ids(session: Session, text: str, *, limit: int = 50) -> list[uuid.UUID]:
    """``search_sql.person_ids`` in a session's transaction."""
    return person_ids(dbapi_of(session), text, limit=limit)
