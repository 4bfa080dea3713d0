"""Values as the store's SQLite file holds them, for code that runs SQL on a DB-API
connection (``store/direct.py``, the search, the login) next to SQLAlchemy's models.

These are the representations SQLAlchemy's column types give on SQLite — ``Uuid`` as 32 hex
digits, ``UtcDateTime`` as naive UTC text with microseconds, ``Date`` as ISO text, ``JSON``
through ``json.dumps`` — so a row written either way reads back the same either way
(``tests/store/test_direct.py`` checks it against the models).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import uuid6


def new_id() -> uuid.UUID:
    """Every entity's id: time-ordered (UUIDv7), so new rows go to the end of the index."""
    return uuid6.uuid7()


def uuid_value(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def uuid_of(value: str | None) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(value)


def datetime_value(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
    return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def datetime_of(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def date_of(value: str) -> date:
    return date.fromisoformat(value)


def json_value(value: Any) -> str:
    return json.dumps(value)
