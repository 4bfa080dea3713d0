"""Contribution periods: which period a scheme collects on a day, and which may still be paid.

Pure rules over the day's :class:`~caseworker.domain.scheme_parameters.CollectionRule` of a
scheme; every window, count and surcharge comes from the parameters.

- A yearly scheme collects the calendar years whose window (``opens``..``closes``, counted
  from the period's own year) holds the day: residents' medical insurance collects next year
  from September, so on 2026-12-01 the year collected is 2027.
- A monthly scheme collects the day's month.
- Arrears (补缴): the ``arrears_periods`` periods before the first one collected (or before
  the day's own period when the window is closed), each marked as arrears.

A period counts as paid when a live payment covers any day of it (payments are
``(start, end)`` pairs; a payment for three months covers three monthly periods).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from caseworker.domain.scheme_parameters import CollectionRule, SchemeParameters
from caseworker.domain.schemes import add_months


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end

    @property
    def is_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1,
            1,
            12,
            31,
        ) and self.start.year == self.end.year

    @property
    def label(self) -> str:
        """2027年度 / 2026年11月 / 2026年11月至2027年1月, as printed and shown."""
        if self.is_year:
            return f"{self.start.year}年度"
        first = f"{self.start.year}年{self.start.month}月"
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return first
        return f"{first}至{self.end.year}年{self.end.month}月"

    @property
    def label_en(self) -> str:
        if self.is_year:
            return f"year {self.start.year}"
        first = f"{self.start.year}-{self.start.month:02d}"
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return first
        return f"{first} to {self.end.year}-{self.end.month:02d}"


@dataclass(frozen=True)
class OpenPeriod:
    """A period that may be paid today."""

    period: Period
    arrears: bool  # a past period (补缴), not the one being collected
    surcharge_bp: int = 0  # added to the amount (arrears only)
    subsidy: bool = True  # whether the government subsidy is credited


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def month_period(day: date, months: int = 1) -> Period:
    start = day.replace(day=1)
    return Period(start, add_months(start, months) - timedelta(days=1))


def _in_window(rule: CollectionRule, year: int, day: date) -> bool:
    assert rule.opens is not None and rule.closes is not None
    return rule.opens.on(year) <= day <= rule.closes.on(year)


def collected_periods(rule: CollectionRule, day: date) -> list[Period]:
    """The periods being collected on ``day`` (empty when a window is closed)."""
    if rule.period == "month":
        return [month_period(day)]
    # A window lies in the period's year or the year before it, so the period is this year
    # or next.
    return [year_period(y) for y in (day.year, day.year + 1) if _in_window(rule, y, day)]


def _step(period: Period, rule: CollectionRule, back: int) -> Period:
    if rule.period == "month":
        return month_period(add_months(period.start, -back))
    return year_period(period.start.year - back)


def open_periods(
    scheme: str,
    day: date,
    params: SchemeParameters,
    paid: Iterable[tuple[date, date]] = (),
) -> list[OpenPeriod]:
    """The periods of ``scheme`` that may be paid on ``day``, oldest first, paid ones left out.

    ``params`` is ``book.for_date(day, province)``: the rules in force today decide what may
    be paid today, whatever period it is for.
    """
    rule = params.collection.rules[scheme]
    paid = list(paid)
    current = collected_periods(rule, day)
    # Arrears count back from the first collected period; with the window closed, from the
    # period after the day's own one (the day's own year is then the latest arrears).
    anchor = current[0] if current else _step(_own_period(rule, day), rule, -1)
    arrears = [_step(anchor, rule, back) for back in range(rule.arrears_periods, 0, -1)]
    found = [
        OpenPeriod(p, True, rule.arrears_surcharge_bp, rule.arrears_subsidy) for p in arrears
    ] + [OpenPeriod(p, False) for p in current]
    return [o for o in found if not any(o.period.overlaps(s, e) for s, e in paid)]


def _own_period(rule: CollectionRule, day: date) -> Period:
    return month_period(day) if rule.period == "month" else year_period(day.year)


def period_kind(scheme: str, params: SchemeParameters) -> str:
    """ "year" or "month"."""
    return params.collection.rules[scheme].period
