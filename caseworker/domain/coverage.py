"""Coverage status: what a person's records say of each insurance line, and the words for it.

Registration for all (全民参保登记) asks, for every person and insurance line (pension,
medical, injury: ``resources/codes/coverage_line.json``), whether they are insured here,
insured elsewhere, not insured and why, or not concerned. Where this centre holds records,
they decide (``derive``); where it holds none, a survey answer does. Pure rules: no I/O
beyond the shipped code tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from caseworker.domain.codes import load_code_table
from caseworker.domain.dates import completed_years

STATUSES = ("insured_here", "insured_elsewhere", "not_insured", "not_applicable", "unknown")
# Counted as covered in the coverage rate; not_applicable people leave the denominator.
COVERED = ("insured_here", "insured_elsewhere")
SOURCES = ("survey", "import", "enrolment", "payment", "registry", "upstream")
# Sources that are the centre's own records: a survey answer does not silently replace them.
RECORD_SOURCES = ("enrolment", "payment", "registry")

# The wire id of a status row is a name-based UUID of (person, line): every centre and the
# county agree on it without asking, and a transfer keeps it.
_NAMESPACE = uuid.UUID("6d1c3f0e-3c55-5b7e-9a43-c0a7e4a1d210")


def coverage_id(person_id: uuid.UUID, line: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{person_id}:{line}")


@dataclass(frozen=True)
class Line:
    code: str
    name_zh: str
    name_en: str
    schemes: tuple[str, ...]
    paid_period_required: tuple[str, ...]


@cache
def lines() -> tuple[Line, ...]:
    return tuple(
        Line(
            e.code,
            e.name_zh,
            e.name_en,
            tuple(e.extra.get("schemes") or ()),
            tuple(e.extra.get("paid_period_required") or ()),
        )
        for e in load_code_table("coverage_line")
    )


def line_codes() -> tuple[str, ...]:
    return tuple(line.code for line in lines())


def line_of_scheme(scheme: str) -> str | None:
    return next((line.code for line in lines() if scheme in line.schemes), None)


@dataclass(frozen=True)
class EnrolmentFact:
    scheme: str
    status: str  # active, suspended, ended
    start_date: date


@dataclass(frozen=True)
class PaymentFact:
    scheme: str
    period_start: date
    period_end: date
    business_date: date
    voided: bool = False


@dataclass(frozen=True)
class Derived:
    """A status the records decide; ``valid_until`` is the last day it holds without news."""

    status: str
    source: str
    as_of: date
    scheme: str | None = None
    reason: str | None = None
    valid_until: date | None = None


def derive(
    line: str,
    *,
    birth_date: date,
    enrolments: Iterable[EnrolmentFact],
    payments: Iterable[PaymentFact],
    day: date,
    pension_min_age: int,
) -> Derived | None:
    """What this centre's records say of ``line`` on ``day``; None when they say nothing.

    A payment whose period covers the day is cover until the period ends. An active
    enrolment is cover, except in schemes whose cover is the period paid for (residents'
    medical insurance), where an enrolment without this period's payment is 'lapsed'.
    Under-16s (``pension_min_age``: the residents' pension's minimum age in the scheme
    parameters) with no record are not concerned by the pension line until their birthday.
    """
    spec = next(item for item in lines() if item.code == line)
    paying = [
        p
        for p in payments
        if p.scheme in spec.schemes and not p.voided and p.period_start <= day <= p.period_end
    ]
    if paying:
        latest = max(paying, key=lambda p: (p.period_end, p.business_date))
        return Derived(
            "insured_here",
            "payment",
            latest.business_date,
            scheme=latest.scheme,
            valid_until=latest.period_end,
        )
    active = sorted(
        (e for e in enrolments if e.scheme in spec.schemes and e.status == "active"),
        key=lambda e: (e.scheme in spec.paid_period_required, e.start_date),
    )
    if active:
        first = active[0]
        if first.scheme not in spec.paid_period_required:
            return Derived("insured_here", "enrolment", first.start_date, scheme=first.scheme)
        return Derived("not_insured", "enrolment", day, scheme=first.scheme, reason="lapsed")
    if line == "pension" and completed_years(birth_date, day) < pension_min_age:
        sixteenth = _birthday(birth_date, pension_min_age)
        return Derived(
            "not_applicable",
            "registry",
            day,
            reason="under_16",
            valid_until=sixteenth - timedelta(days=1),
        )
    return None


def _birthday(birth: date, years: int) -> date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # born on 29 February
        return date(birth.year + years, 3, 1)


def reason_table(status: str) -> str | None:
    """Which code table the status's reason comes from."""
    return {"not_insured": "not_insured_reason", "not_applicable": "not_applicable_reason"}.get(
        status
    )


AGE_BANDS = ((0, 15), (16, 29), (30, 44), (45, 59), (60, 69), (70, 200))


def age_band(age: int) -> str:
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return "0-15"
