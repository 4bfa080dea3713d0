"""Values as the store's SQLite file holds them, for code that runs SQL on a DB-API
connection (``store/direct.py``, the search, the login) next to SQLAlchemy's models.

These are the representations SQLAlchemy's column types give on SQLite — ``Uuid`` as 32 hex
digits, ``UtcDateTime`` as naive UTC text with microseconds, ``Date`` as ISO text, ``JSON``
through ``json.dumps`` — so a row written either way reads back the same either way
(``tests/store/test_direct.py`` checks it against the models).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any

_last_ms = 0
_last_ms_lock = threading.Lock()


def new_id() -> uuid.UUID:
    """Every entity's id: time-ordered (UUIDv7, RFC 9562), so new rows go to the end of the
    index. Written here rather than taken from the uuid6 package, whose import reads package
    metadata (a tenth of a second of `caseworker find`'s budget); the milliseconds never
    repeat within a process, so ids made one after another sort in the order made."""
    global _last_ms
    with _last_ms_lock:
        _last_ms = max(time.time_ns() // 1_000_000, _last_ms + 1)
        ms = _last_ms
    value = (ms & 0xFFFF_FFFF_FFFF) << 80 | secrets.randbits(76)
    value = value & ~(0xF000 << 64) | 7 << 76  # the version
    value = value & ~(0xC000 << 48) | 0x8000 << 48  # the RFC 9562 variant
    return uuid.UUID(int=value)


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
