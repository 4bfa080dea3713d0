"""Codes turned into words for tables and detail panes, in the current interface language.

Names come from the reference data (code tables, regions), which carry both languages, so
they are not ``tr()`` strings.
"""

from __future__ import annotations

from collections.abc import Iterable

from caseworker.domain.codes import load_code_table
from caseworker.domain.errors import InvalidValue
from caseworker.domain.money import format_yuan
from caseworker.domain.regions import load_region_directory
from caseworker.ui.i18n import current_language


def code_label(table: str, code: str | None) -> str:
    """The name of ``code`` in ``table``; an unknown code is shown as itself, never hidden."""
    if not code:
        return ""
    try:
        return load_code_table(table).label(code, current_language())
    except InvalidValue:
        return code


def sex_label(code: str) -> str:
    # The table's names for 1/2 are 男/女 and Male/Female; 0 and 9 read as "unknown".
    return code_label("sex", code)


def scheme_short(code: str) -> str:
    try:
        entry = load_code_table("scheme").get(code)
    except InvalidValue:
        return code
    key = "short_en" if current_language() == "en" else "short_zh"
    return str(entry.extra.get(key) or entry.name(current_language()))


def schemes_text(codes: Iterable[str]) -> str:
    separator = ", " if current_language() == "en" else "、"
    return separator.join(scheme_short(code) for code in codes)


def village_name(code: str | None) -> str:
    if not code:
        return ""
    region = load_region_directory().find(code)
    return region.name if region else code


def region_path(code: str | None) -> str:
    return load_region_directory().name_path(code) if code else ""


def money(fen: int | None) -> str:
    return "" if fen is None else format_yuan(fen)
