"""Date rules behind the worklists: pure functions, every age and count from the parameters.

- Pension age in the next twelve months: the day a person reaches it is a non-decreasing
  function of the birth date (the 2025 schedule only ever adds months for later births), so
  the people reaching it between two days were born in one range of days, found by bisection
  and then read from an index — never by computing everyone's age.
- Age bands of the coverage picture are counted in birth years (the tally keeps the birth
  year, not the date): a person's age in a band is the age reached this calendar year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from caseworker.domain.coverage import AGE_BANDS
from caseworker.domain.scheme_parameters import RetirementTrack
from caseworker.domain.schemes import add_months

# How far back a birth date is searched for a pension age (no scheme's age is above this).
_OLDEST_AGE_YEARS = 100


def birthday(birth: date, years: int) -> date:
    """The day ``years`` of age are completed (a 29 February birthday is kept on 1 March,
    as :func:`~caseworker.domain.schemes.add_months` and ``age_on`` count it)."""
    return add_months(birth, years * 12)


def births_reaching(
    reached_on: Callable[[date], date], start: date, end: date
) -> tuple[date, date] | None:
    """The birth dates ``b`` with ``start <= reached_on(b) < end``, as ``(first, last)``;
    ``reached_on`` must not decrease as ``b`` grows. None when no birth date qualifies."""

    def first_reaching(day: date) -> int:
        low = start.toordinal() - (_OLDEST_AGE_YEARS + 1) * 366
        high = start.toordinal() + 1  # nobody born after the day reaches an age on it
        while low < high:
            middle = (low + high) // 2
            if reached_on(date.fromordinal(middle)) >= day:
                high = middle
            else:
                low = middle + 1
        return low

    first, after = first_reaching(start), first_reaching(end)
    if after <= first:
        return None
    return date.fromordinal(first), date.fromordinal(after - 1)


def resident_pension_day(age_years: int) -> Callable[[date], date]:
    return lambda birth: birthday(birth, age_years)


def retirement_day(track: RetirementTrack) -> Callable[[date], date]:
    return lambda birth: add_months(birth, track.age_months(birth))


def twelve_months_from(day: date) -> date:
    return add_months(day, 12)


def birth_years_of_band(band: str, day: date) -> tuple[int, int]:
    """The birth years of an age band (``domain.coverage.age_band``) in ``day``'s year."""
    for low, high in AGE_BANDS:
        label = f"{low}+" if high >= 200 else f"{low}-{high}"
        if label == band:
            return day.year - min(high, _OLDEST_AGE_YEARS * 2), day.year - low
    raise ValueError(f"unknown age band {band!r}")


def age_band_labels() -> tuple[str, ...]:
    return tuple(f"{low}+" if high >= 200 else f"{low}-{high}" for low, high in AGE_BANDS)


def contribution_years(
    paid_years: Iterable[int], paid_months: int, enrolled_since: date | None, day: date
) -> tuple[int, bool]:
    """Years of pension contributions as this centre's records show them, and whether the
    figure is an estimate.

    Each calendar year paid in a yearly scheme is a year; monthly payments count twelve
    months to a year. With no payment recorded here (people enrolled before this system), the
    whole years since the enrolment began stand in, marked as an estimate.
    """
    years = len(set(paid_years)) + paid_months // 12
    if years or paid_months or enrolled_since is None:
        return years, False
    return max(0, (day - enrolled_since) // timedelta(days=365)), True
