"""The one search box on a DB-API connection: ``registry.search`` and ``summaries`` (the app)
run it under their sessions, ``caseworker find`` on the direct store, without SQLAlchemy."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from caseworker.services.records import PersonSummary
from caseworker.store.rows import date_of
from caseworker.store.search_sql import person_ids, summary_rows


def summaries_on(connection: Any, ids: Sequence[uuid.UUID]) -> list[PersonSummary]:
    """Summaries of the given people, in the order given (one page of a result list)."""
    rows, schemes = summary_rows(connection, ids)
    by_id = {
        key: PersonSummary(
            id=uuid.UUID(key),
            id_number=id_number,
            name=name,
            sex=sex,
            birth_date=date_of(birth),
            village_code=village,
            schemes=tuple(schemes.get(key, ())),
            phone=phone,
        )
        for key, id_number, name, sex, birth, village, phone in rows
    }
    return [by_id[i.hex] for i in ids if i.hex in by_id]


def find_people(connection: Any, text: str, *, limit: int = 50) -> list[PersonSummary]:
    """ID number or tail, name (any part), pinyin or initials, phone."""
    return summaries_on(connection, person_ids(connection, text, limit=limit))
