"""What a record's payload must be before the county applies it: each failure is a
``Rejected`` with a stable code and words in Chinese and English naming the field.

The appliers of ``caseworker.upstream.apply`` call these; none of them reads the database.
"""

from __future__ import annotations

import uuid
from datetime import date
from functools import lru_cache
from typing import Any

from caseworker.domain.codes import load_code_table
from caseworker.domain.coverage import coverage_id, lines, reason_table
from caseworker.domain.ids import IdNumber, parse_id_number


class Rejected(Exception):
    """The record cannot be applied as sent: the clerk must fix it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@lru_cache(maxsize=4096)
def _id_number_on(text: str, today: date) -> IdNumber:
    return parse_id_number(text, today=today)


def id_number_of(text: str) -> IdNumber:
    """``parse_id_number``, remembered for the day: each person of a batch has its number
    parsed by the locks, the collision guess and the applier. Raises ``InvalidIdNumber``."""
    return _id_number_on(text, date.today())


def uuid_field(payload: dict[str, Any], name: str, *, required: bool = True) -> uuid.UUID | None:
    value = payload.get(name)
    if value is None and not required:
        return None
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        raise Rejected(f"invalid_{name}", f"{name} 不是有效的标识 / {name} is not a UUID") from None


def text_field(payload: dict[str, Any], name: str, limit: int) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise Rejected(
            f"invalid_{name}", f"{name} 缺失或过长 / {name} is missing or longer than {limit}"
        )
    return value


def version_field(payload: dict[str, Any], *, default: int | None = None) -> int:
    value = payload.get("version", default)
    if value is None:
        value = default
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value < 2**31:
        raise Rejected("invalid_version", "版本号无效 / version must be a positive integer")
    return value


def _coded(payload: dict[str, Any], name: str, table: str, *, required: bool) -> str | None:
    """A code from a shipped code table, exactly as the table spells it."""
    value = payload.get(name)
    if value is None and not required:
        return None
    codes = load_code_table(table).codes()
    if not isinstance(value, str) or value not in codes:
        raise Rejected(
            f"invalid_{name}",
            f"{name} 应为代码表 {table} 中的代码（{'、'.join(codes)}），收到 {value!r} / "
            f"{name} must be a code of table {table} ({', '.join(codes)}), got {value!r}",
        )
    return value


def _optional_text(payload: dict[str, Any], name: str, limit: int) -> None:
    value = payload.get(name)
    if value is not None and (not isinstance(value, str) or len(value) > limit):
        raise Rejected(
            f"invalid_{name}", f"{name} 应为不超过{limit}字的文字 / {name}: text of ≤ {limit}"
        )


def coverage_key(payload: dict[str, Any], entity_id: uuid.UUID) -> tuple[uuid.UUID, str]:
    """A coverage payload checked field by field; its (person_id, line).

    The line, status and source come from their code tables; the reason from the table
    the status names (``domain.coverage.reason_table``; none for the other statuses); a
    scheme named must be one of the line's; and the record's id must be
    ``coverage_id(person_id, line)``, so a person has one status per line at the county
    and at every centre.
    """
    person_id = uuid_field(payload, "person_id")
    assert person_id is not None
    line = _coded(payload, "line", "coverage_line", required=True)
    status = _coded(payload, "status", "coverage_status", required=True)
    assert line is not None and status is not None
    table = reason_table(status)
    if table is not None:
        _coded(payload, "reason", table, required=False)
    elif payload.get("reason") is not None:
        raise Rejected(
            "invalid_reason",
            f"参保状态 {status} 不带原因，收到 {payload['reason']!r} / status {status} takes no "
            f"reason, got {payload['reason']!r}",
        )
    scheme = payload.get("scheme")
    schemes = next(item.schemes for item in lines() if item.code == line)
    if scheme is not None and scheme not in schemes:
        raise Rejected(
            "invalid_scheme",
            f"险种 {scheme!r} 不属于保障项目 {line}（{'、'.join(schemes)}） / scheme {scheme!r} "
            f"is not of line {line} ({', '.join(schemes)})",
        )
    _coded(payload, "source", "coverage_source", required=False)
    as_of = payload.get("as_of")
    try:
        if as_of is not None:
            date.fromisoformat(str(as_of))
    except ValueError:
        raise Rejected(
            "invalid_as_of", f"as_of 应为日期（YYYY-MM-DD），收到 {as_of!r} / as_of must be a date"
        ) from None
    _optional_text(payload, "insured_where", 100)
    _optional_text(payload, "note", 500)
    expected = coverage_id(person_id, line)
    if entity_id != expected:
        raise Rejected(
            "coverage_id_mismatch",
            f"参保状态记录的标识应为 {expected}（由人员和保障项目 {line} 决定），收到 {entity_id} / "
            f"a coverage record's id must be coverage_id(person_id, line) = {expected}",
        )
    return person_id, line
