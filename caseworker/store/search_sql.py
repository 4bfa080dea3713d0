"""The registry search's SQL, written once and run on a DB-API connection: the app's
sessions run it on theirs (``direct.dbapi_of``), ``caseworker find`` on the direct store's.

Every lookup is an indexed range scan (``col >= p AND col < upper(p)``), never a leading
wildcard, so a 500,000-person registry answers in milliseconds (see
``caseworker.domain.search_keys`` for the keys and the plan).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from caseworker.domain.search_keys import QueryPlan, prefix_upper_bound, query_plan

# (plan field, table, column): one lookup each, in this order.
_LOOKUPS = (
    ("id_exact", "person", "id", "id_number", "="),
    ("id_prefix", "person", "id", "id_number", "range"),
    ("id_reversed_prefix", "person", "id", "id_number_reversed", "range"),
    ("phone_reversed_prefix", "person", "id", "phone_reversed", "range"),
    ("phone_prefix", "person", "id", "phone", "range"),
    # A person has several keys (full pinyin, initials, each name part): DISTINCT, or they
    # would be listed once per key that matches the prefix.
    ("name_key_prefix", "person_search_key", "DISTINCT person_id", "key", "range"),
)


def lookups_sql(plan: QueryPlan, limit: int) -> tuple[str, list[Any]]:
    """The plan's lookups as one statement: each branch limited on its own, so a one-letter
    pinyin prefix stays cheap (SQLite takes a LIMIT inside a UNION only within a subquery)."""
    branches: list[str] = []
    parameters: list[Any] = []
    for field, table, selected, column, match in _LOOKUPS:
        value = getattr(plan, field)
        if not value:
            continue
        if match == "=":
            where = f"{column} = ?"
            parameters.append(value)
        else:
            where = f"{column} >= ? AND {column} < ?"
            parameters += [value, prefix_upper_bound(value)]
        branches.append(f"SELECT {selected} FROM {table} WHERE {where} LIMIT ?")
        parameters.append(limit)
    if len(branches) == 1:
        return branches[0], parameters
    return " UNION ".join(f"SELECT * FROM ({branch})" for branch in branches), parameters


def person_ids(connection: Any, text: str, *, limit: int = 50) -> list[uuid.UUID]:
    """Ids of the people the search box text matches, without loading any person."""
    plan = query_plan(text)
    if plan.is_empty:
        return []
    sql, parameters = lookups_sql(plan, limit)
    # Once each, in the order found: the same person can match two lookups (an ID tail that
    # is also the tail of their phone number).
    found = dict.fromkeys(row[0] for row in connection.execute(sql, parameters))
    return [uuid.UUID(hex_) for hex_ in found][:limit]


SUMMARY_COLUMNS = "id, id_number, name, sex, birth_date, hukou_village_code, phone"


def summary_rows(
    connection: Any, ids: Sequence[uuid.UUID]
) -> tuple[list[tuple[Any, ...]], dict[str, list[str]]]:
    """The people's summary columns (id first, as stored) and each one's active schemes in
    scheme order, for a page of results."""
    if not ids:
        return [], {}
    marks = ", ".join("?" * len(ids))
    keys = [i.hex for i in ids]
    rows = connection.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM person WHERE id IN ({marks})", keys
    ).fetchall()
    schemes: dict[str, list[str]] = {}
    for person, scheme in connection.execute(
        f"SELECT person_id, scheme FROM enrolment WHERE status = 'active' "
        f"AND person_id IN ({marks}) ORDER BY person_id, scheme",
        keys,
    ):
        schemes.setdefault(person, []).append(scheme)
    return rows, schemes
