"""The fixed scheme codes, and the facts about a person the scheme rules read.

The parameters themselves (every rate, tier, amount and age, as reference data) and the
parameter book that picks a day's figures live in :mod:`caseworker.domain.scheme_parameters`;
the rules (who may join, what is due) in :mod:`caseworker.domain.contributions`.
Money is integer fen, rates are integer basis points (1% = 100 bp).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from caseworker.domain.dates import completed_years
from caseworker.domain.errors import InvalidValue

if TYPE_CHECKING:
    from caseworker.domain.scheme_parameters import RetirementRules

# Fixed project codes (resources/codes/ holds their names; the tests check both agree).
SCHEME_CODES: tuple[str, ...] = (
    "resident_pension",
    "resident_medical",
    "employee_pension",
    "employee_pension_flexible",
    "employee_medical",
    "unemployment",
    "work_injury",
    "occupational_injury",
)
EMPLOYMENT_CATEGORIES: frozenset[str] = frozenset(
    [
        "farmer",
        "migrant_worker",
        "employee",
        "flexible",
        "platform_worker",
        "self_employed",
        "student",
        "retired",
        "unemployed",
        "child",
    ]
)
SPECIAL_GROUPS: frozenset[str] = frozenset(
    [
        "dibao",
        "tekun",
        "severe_disability",
        "disability",
        "poverty_monitor",
        "low_income",
        "orphan",
        "veteran",
    ]
)
NATIONAL = "000000"
BP_WHOLE = 10_000  # basis points in 100%
_REGION = re.compile(r"\d{6}")


# ---------------------------------------------------------------- value types


@dataclass(frozen=True)
class PersonFacts:
    """What the scheme rules need to know about a person."""

    birth_date: date
    sex: str  # GB/T 2261.1: "1" male, "2" female, "0" unknown, "9" not stated
    employment_category: str
    special_groups: frozenset[str]
    province_code: str  # 6-digit code of hukou or residence; only the province part is used
    in_employee_pension: bool = False
    in_employee_medical: bool = False

    def __post_init__(self) -> None:
        if self.sex not in {"0", "1", "2", "9"}:
            raise InvalidValue("sex", "unknown_code", f"性别代码应为0、1、2或9：{self.sex!r}")
        if self.employment_category not in EMPLOYMENT_CATEGORIES:
            raise InvalidValue(
                "employment_category",
                "unknown_code",
                f"未知的就业类别：{self.employment_category!r}",
            )
        unknown = sorted(set(self.special_groups) - SPECIAL_GROUPS)
        if unknown:
            raise InvalidValue("special_groups", "unknown_code", f"未知的特殊群体：{unknown}")
        if not _REGION.fullmatch(self.province_code):
            raise InvalidValue(
                "province_code", "bad_format", f"行政区划代码应为6位数字：{self.province_code!r}"
            )
        # A plain set passed by a caller would make the dataclass unhashable.
        object.__setattr__(self, "special_groups", frozenset(self.special_groups))

    @property
    def province(self) -> str:
        return province_of(self.province_code)


def province_of(region_code: str) -> str:
    return region_code[:2] + "0000"


# ---------------------------------------------------------------- ages


def age_on(birth: date, day: date) -> int:
    """Whole years of age on ``day`` (see :func:`completed_years`); refuses a future birth."""
    if day < birth:
        raise InvalidValue("birth_date", "after_day", "出生日期晚于办理日期")
    return completed_years(birth, day)


def add_months(start: date, months: int) -> date:
    """The same day of the month ``months`` later; a missing day (31st, 29 Feb) rolls to the
    first of the next month, consistent with :func:`age_on`."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    try:
        return date(year, month + 1, start.day)
    except ValueError:
        year, month = divmod(index + 1, 12)
        return date(year, month + 1, 1)


def statutory_retirement_date(
    birth: date, sex: str, rules: RetirementRules
) -> tuple[date, int] | None:
    """The day the statutory retirement age is reached and that age in months.

    None when the sex is unknown or not stated: the age then cannot be determined.
    """
    track = {"1": rules.male, "2": rules.female}.get(sex)
    if track is None:
        return None
    months = track.age_months(birth)
    return add_months(birth, months), months
