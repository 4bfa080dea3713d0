"""Codes turned into words for tables and detail panes, in the current interface language.

Names come from the reference data (code tables, regions), which carry both languages, so
they are not ``tr()`` strings.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from caseworker.domain.money import format_yuan
from caseworker.domain.regions import load_region_directory
from caseworker.ui.i18n import code_label, join_list, scheme_short, with_note

__all__ = [
    "code_label",
    "codes_text",
    "money",
    "region_path",
    "role_label",
    "scheme_short",
    "schemes_text",
    "sex_label",
    "village_name",
]


# The one table of role words on screen (the services' ROLE_LABELS are the Chinese for files).
_ROLES = {
    "clerk": QT_TRANSLATE_NOOP("Roles", "经办员"),
    "supervisor": QT_TRANSLATE_NOOP("Roles", "审核员"),
    "admin": QT_TRANSLATE_NOOP("Roles", "管理员"),
}


def role_label(role: str | None) -> str:
    """An operator's role in the interface language (经办员 / Clerk); "" when unknown."""
    marked = _ROLES.get(str(role)) if role else None
    return QCoreApplication.translate("Roles", marked) if marked else ""


def operator_label(name: str, role: str | None) -> str:
    """Who did it, as the audit page says it: the name, the role in brackets."""
    label = role_label(role)
    return with_note(name, label) if label else name


def sex_label(code: str) -> str:
    # The table's names for 1/2 are 男/女 and Male/Female; 0 and 9 read as "unknown".
    return code_label("sex", code)


def schemes_text(codes: Iterable[str]) -> str:
    return join_list([scheme_short(code) for code in codes])


def codes_text(table: str, codes: Iterable[str]) -> str:
    """Several codes of one table as a list in running text (、 in Chinese, commas in English)."""
    return join_list([code_label(table, code) for code in codes])


def village_name(code: str | None) -> str:
    if not code:
        return ""
    region = load_region_directory().find(code)
    return region.name if region else code


def region_path(code: str | None) -> str:
    return load_region_directory().name_path(code) if code else ""


def money(fen: int | None) -> str:
    return "" if fen is None else format_yuan(fen)
