"""The registry search over precomputed, indexed keys (see caseworker.domain.search_keys).

Every lookup is an indexed range scan (``col >= p AND col < upper(p)``), never a leading
wildcard, so a 500,000-person registry answers in milliseconds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select, union
from sqlalchemy.orm import Session

from caseworker.domain.contact import phone_digits
from caseworker.domain.search_keys import (
    QueryPlan,
    name_keys,
    prefix_upper_bound,
    query_plan,
    reversed_key,
)
from caseworker.store.models import Person, PersonSearchKey


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


def _in_range(column: ColumnElement[str], prefix: str) -> ColumnElement[bool]:
    return (column >= prefix) & (column < prefix_upper_bound(prefix))


def _lookups(plan: QueryPlan, limit: int) -> list[Select[tuple[uuid.UUID]]]:
    found: list[Select[tuple[uuid.UUID]]] = []
    if plan.id_exact:
        found.append(select(Person.id).where(Person.id_number == plan.id_exact))
    if plan.id_prefix:
        found.append(select(Person.id).where(_in_range(Person.id_number, plan.id_prefix)))
    if plan.id_reversed_prefix:
        found.append(
            select(Person.id).where(_in_range(Person.id_number_reversed, plan.id_reversed_prefix))
        )
    if plan.phone_reversed_prefix:
        found.append(
            select(Person.id).where(_in_range(Person.phone_reversed, plan.phone_reversed_prefix))
        )
    if plan.phone_prefix:
        found.append(select(Person.id).where(_in_range(Person.phone, plan.phone_prefix)))
    if plan.name_key_prefix:
        # A person has several keys (full pinyin, initials, each name part): one row each
        # would list them once per key that matches the prefix.
        found.append(
            select(PersonSearchKey.person_id)
            .where(_in_range(PersonSearchKey.key, plan.name_key_prefix))
            .distinct()
        )
    # Each branch is limited on its own so a one-letter pinyin prefix stays cheap; SQLite
    # accepts a LIMIT inside a UNION only within a subquery.
    limited = [lookup.limit(limit).subquery() for lookup in found]
    return [select(sub.c[0]) for sub in limited]


def search_person_ids(session: Session, text: str, *, limit: int = 50) -> list[uuid.UUID]:
    plan = query_plan(text)
    if plan.is_empty:
        return []
    lookups = _lookups(plan, limit)
    statement = lookups[0] if len(lookups) == 1 else union(*lookups)
    # Once each, in the order found: the same person can match two lookups (an ID tail that
    # is also the tail of their phone number).
    ids = list(dict.fromkeys(session.scalars(statement)))
    return ids[:limit]
