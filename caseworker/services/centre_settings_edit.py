"""Centre settings as operators see and change them, driven by the declarations in
``services.centre_settings``: what kind of input each takes, its value in words, text typed
on the command line parsed into a value, and saving through the checks each one needs.

A setting added to ``CENTRE_SETTINGS`` appears on the Settings page and in ``caseworker
settings`` without new code, as long as its value is one of the kinds below: a choice
(``choices`` declared), a yes/no, a whole number, text (``None`` when empty), or a record of
whole numbers (a dataclass whose fields carry ``metadata={"label": (zh, en)}``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from caseworker.services.actor import ROLE_LABELS, ROLE_PERMISSIONS, Actor
from caseworker.services.centre_settings import (
    CENTRE_SETTINGS,
    FONT_PATH,
    CentreSetting,
    change_setting,
    invalid,
    setting_value,
)
from caseworker.store.database import Database

SettingKind = Literal["choice", "bool", "int", "record", "text"]
Words = tuple[str, str]
_YES = {"1", "true", "yes", "on", "y", "是", "开", "开启"}
_NO = {"0", "false", "no", "off", "n", "否", "关", "关闭"}


def kind_of(setting: CentreSetting[Any]) -> SettingKind:
    default = setting.default
    if setting.choices:
        return "choice"
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if dataclasses.is_dataclass(default):
        return "record"
    return "text"


@dataclass(frozen=True)
class RecordField:
    name: str
    label: str
    label_en: str


def record_fields(setting: CentreSetting[Any]) -> list[RecordField]:
    """The parts of a record setting (the guardrails' four numbers), in declaration order."""
    return [
        RecordField(f.name, *f.metadata.get("label", (f.name, f.name)))
        for f in dataclasses.fields(setting.default)
    ]


def value_text(setting: CentreSetting[Any], value: Any, english: bool = False) -> str:
    """A value in words: a choice by its label, yes/no, a record as its labelled parts."""
    kind = kind_of(setting)
    if kind == "choice":
        for choice in setting.choices:
            if choice.value == value:
                return choice.label_en if english else choice.label
        return str(value)
    if kind == "bool":
        return ("yes" if value else "no") if english else ("是" if value else "否")
    if kind == "record":
        separator = ", " if english else "，"
        return separator.join(
            f"{part.label_en if english else part.label} {getattr(value, part.name)}"
            for part in record_fields(setting)
        )
    if value is None or value == "":
        return "(not set)" if english else "（未指定）"
    return str(value)


def stored_text(key: str, stored: dict[str, Any] | None, english: bool = False) -> str:
    """A stored value (as the audit trail keeps it, before and after) in words."""
    setting = CENTRE_SETTINGS.get(key)
    if setting is None:
        return str(stored)
    if stored is None:
        default = value_text(setting, setting.default, english)
        return f"default ({default})" if english else f"默认（{default}）"
    try:
        return value_text(setting, setting.load(stored), english)
    except (KeyError, TypeError, ValueError):
        return str(stored)


def setting_label(key: str, english: bool = False) -> str:
    setting = CENTRE_SETTINGS.get(key)
    if setting is None:
        return key
    return setting.label_en if english else setting.label


def who_may_change(setting: CentreSetting[Any]) -> Words:
    """The roles allowed to change ``setting``, in words (for the read-only note)."""
    roles = [role for role, allowed in ROLE_PERMISSIONS.items() if setting.permission in allowed]
    return "、".join(ROLE_LABELS[r] for r in roles), ", ".join(f"{r.value}s" for r in roles)


# -- the command line types text --------------------------------------------------------------


def _integer(setting: CentreSetting[Any], text: str, what: Words) -> int:
    try:
        return int(text.strip())
    except ValueError:
        invalid(
            setting,
            "not_a_number",
            f"{what[0]}应为整数，不能是“{text}”。",
            f"{what[1]} is a whole number, not “{text}”.",
        )


def parse_value(setting: CentreSetting[Any], text: str, current: Any = None) -> Any:
    """Text as typed after ``caseworker settings set KEY`` turned into a value; the value's
    own check (range, order) is still ``change_setting``'s. A record takes all its numbers
    in order (``3,14,500,5000``) or some by name (``block_days=21``) over ``current``."""
    kind, label = kind_of(setting), (setting.label, setting.label_en)
    if kind == "choice":
        wanted = text.strip()
        for choice in setting.choices:
            if wanted in (choice.value, choice.label, choice.label_en):
                return choice.value
        values = " / ".join(c.value for c in setting.choices)
        invalid(
            setting,
            "unknown_code",
            f"{setting.label}应为 {values} 之一，不能是“{text}”。",
            f"{setting.label_en} is one of {values}, not “{text}”.",
        )
    if kind == "bool":
        folded = text.strip().lower()
        if folded in _YES | _NO:
            return folded in _YES
        invalid(
            setting,
            "not_yes_no",
            f"{setting.label}应为 是 或 否（yes/no），不能是“{text}”。",
            f"{setting.label_en} is yes or no, not “{text}”.",
        )
    if kind == "int":
        return _integer(setting, text, label)
    if kind == "record":
        return _parse_record(setting, text, current if current is not None else setting.default)
    return text.strip() or None


def _parse_record(setting: CentreSetting[Any], text: str, current: Any) -> Any:
    parts = {part.name: part for part in record_fields(setting)}
    items = [item.strip() for item in text.replace("，", ",").split(",") if item.strip()]
    if items and all("=" not in item for item in items):
        if len(items) != len(parts):
            invalid(
                setting,
                "count",
                f"{setting.label}需要 {len(parts)} 个数（{'、'.join(parts)}），用逗号分隔。",
                f"{setting.label_en} takes {len(parts)} numbers ({', '.join(parts)}), "
                "separated by commas.",
            )
        named = dict(zip(parts, items, strict=True))
    else:
        named = {}
        for item in items:
            name, _, number = item.partition("=")
            if name.strip() not in parts:
                invalid(
                    setting,
                    "unknown_part",
                    f"{setting.label}没有“{name.strip()}”这一项；可用：{'、'.join(parts)}。",
                    f"{setting.label_en} has no part “{name.strip()}”; use {', '.join(parts)}.",
                )
            named[name.strip()] = number
    values = {
        name: _integer(setting, number, (parts[name].label, parts[name].label_en))
        for name, number in named.items()
    }
    return dataclasses.replace(current, **values)


# -- reading all, saving one --------------------------------------------------------------------


@dataclass(frozen=True)
class SettingState:
    setting: CentreSetting[Any]
    value: Any
    may_change: bool


def centre_settings_now(database: Database, actor: Actor) -> list[SettingState]:
    """Every declared setting with its value in force and whether this operator may change it."""
    with database.reading() as session:
        return [
            SettingState(setting, setting_value(session, setting), actor.may(setting.permission))
            for setting in CENTRE_SETTINGS.values()
        ]


def save_setting(database: Database, actor: Actor, setting: CentreSetting[Any], value: Any) -> None:
    """``change_setting``, except the font file, which is checked against the fonts first
    (printing loads only when a font is set)."""
    if setting is FONT_PATH:
        from caseworker.services.documents_settings import set_font_path

        set_font_path(database, actor, value)
        return
    change_setting(database, actor, setting, value)
