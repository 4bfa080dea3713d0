"""Codes turned into words for tables and detail panes, in the current interface language.

Names come from the reference data (code tables, regions), which carry both languages, so
they are not ``tr()`` strings.
"""

from __future__ import annotations

from collections.abc import Iterable

from caseworker.domain.money import format_yuan
from caseworker.domain.regions import load_region_directory
from caseworker.ui.i18n import code_label, join_list, scheme_short

__all__ = [
    "code_label",
    "codes_text",
    "money",
    "region_path",
    "scheme_short",
    "schemes_text",
    "sex_label",
    "village_name",
]


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
