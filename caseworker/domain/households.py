"""Household membership rules (GB/T 4761 relationships, dates of household events).

Pure: the services load the people and call these; each problem is an ``InvalidValue``
naming its field, with English words in ``message_en``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from caseworker.domain.errors import InvalidValue

HEAD = "02"  # 户主
EVENTS = ("moved_in_on", "moved_away_on", "deceased_on")
_EVENT_WORDS = {
    "moved_in_on": ("迁入（出生）日期", "moved-in (birth) date"),
    "moved_away_on": ("迁出日期", "moved-away date"),
    "deceased_on": ("死亡日期", "date of death"),
}


def problem(field: str, code: str, zh: str, en: str) -> InvalidValue:
    error = InvalidValue(field, code, zh)
    error.message_en = en  # type: ignore[attr-defined]
    return error


@dataclass(frozen=True)
class Member:
    """What the head rule needs of a member."""

    name: str
    relationship: str | None
    present: bool


def check_one_head(members: Iterable[Member], *, field: str = "relationship_to_head") -> None:
    """Raise when more than one present member is the head (户主)."""
    heads = [m.name for m in members if m.present and m.relationship == HEAD]
    if len(heads) > 1:
        raise problem(
            field,
            "two_heads",
            f"一户只能有一名户主：{'、'.join(heads)}都登记为户主。"
            "请先把原户主改为其他关系（如配偶、子女），再指定新户主。",
            f"A household has one head: {', '.join(heads)} are all recorded as head. "
            "Give the former head another relationship first.",
        )


def check_event_date(
    event: str,
    on: date | None,
    *,
    birth_date: date,
    today: date,
    moved_in_on: date | None = None,
    name: str = "",
) -> InvalidValue | None:
    """A household event's date: not in the future, not before birth (nor, for leaving,
    before joining)."""
    if on is None:
        if event == "moved_in_on":
            return None
        zh, en = _EVENT_WORDS[event]
        return problem(event, "date_required", f"{name}：请填写{zh}。", f"{name}: enter the {en}.")
    zh, en = _EVENT_WORDS[event]
    who = f"{name}：" if name else ""
    who_en = f"{name}: " if name else ""
    if on > today:
        return problem(
            event,
            "in_future",
            f"{who}{zh}{on.isoformat()}晚于今天（{today.isoformat()}），请核对。",
            f"{who_en}the {en} {on.isoformat()} is after today ({today.isoformat()}).",
        )
    if on < birth_date:
        return problem(
            event,
            "before_birth",
            f"{who}{zh}{on.isoformat()}早于出生日期（{birth_date.isoformat()}），请核对。",
            f"{who_en}the {en} {on.isoformat()} is before the birth date "
            f"({birth_date.isoformat()}).",
        )
    if event != "moved_in_on" and moved_in_on is not None and on < moved_in_on:
        return problem(
            event,
            "before_moved_in",
            f"{who}{zh}{on.isoformat()}早于迁入日期（{moved_in_on.isoformat()}），请核对。",
            f"{who_en}the {en} {on.isoformat()} is before they joined the household "
            f"({moved_in_on.isoformat()}).",
        )
    return None
