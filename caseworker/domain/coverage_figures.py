"""The coverage picture as values: counts of a group, bars, figures and the report of a line.

Pure: ``services.coverage_report`` fills them from the store's tallies; the Reports screen,
the PDF report and ``caseworker report coverage --json`` all read the same values, so the
three never disagree. Every figure carries the day it is as of, one sentence of what it
counts (Chinese and English) and the line's totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from caseworker.domain.coverage import COVERED, STATUSES, age_band

# New forms of employment, where coverage is thinnest: each its own bar, drawn apart.
NEW_EMPLOYMENT = ("migrant_worker", "flexible", "platform_worker")
Unit = Literal["percent", "people"]
Chart = Literal["bars", "grouped", "trend"]


@dataclass(frozen=True)
class Label:
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Counts:
    """How many present people (not moved away, not deceased) of a group have each status."""

    insured_here: int = 0
    insured_elsewhere: int = 0
    not_insured: int = 0
    not_applicable: int = 0
    unknown: int = 0

    @classmethod
    def of(cls, by_status: Mapping[str, int]) -> Counts:
        return cls(**{status: int(by_status.get(status, 0)) for status in STATUSES})

    def plus(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, s) + getattr(other, s) for s in STATUSES))

    def get(self, status: str) -> int:
        return int(getattr(self, status))

    @property
    def present(self) -> int:
        return sum(self.get(s) for s in STATUSES)

    @property
    def covered(self) -> int:
        return sum(self.get(s) for s in COVERED)

    @property
    def base(self) -> int:
        """People the line concerns: present people less those it does not apply to."""
        return self.present - self.not_applicable

    @property
    def not_covered(self) -> int:
        return self.not_insured + self.unknown

    @property
    def rate(self) -> float | None:
        """Covered / base; None when the group holds nobody the line concerns."""
        return self.covered / self.base if self.base > 0 else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            **{s: self.get(s) for s in STATUSES},
            "present": self.present,
            "base": self.base,
            "covered": self.covered,
            "not_covered": self.not_covered,
            "rate": None if self.rate is None else round(self.rate, 4),
        }


def counts_by(rows: Iterable[tuple[Any, str, int]]) -> dict[Any, Counts]:
    """``(key, status, n)`` rows (a GROUP BY) → the counts of each key, keys in first-seen order."""
    grouped: dict[Any, dict[str, int]] = {}
    for key, status, n in rows:
        into = grouped.setdefault(key, {})
        into[status] = into.get(status, 0) + int(n or 0)
    return {key: Counts.of(by_status) for key, by_status in grouped.items()}


@dataclass(frozen=True)
class Bar:
    """One bar: a value (a percent or a number of people) for one group.

    ``filters`` narrow the not-covered worklist to the people behind the bar (the
    ``WorklistSpec`` fields village_code, status, reason, category, sex, age_band); a bar
    without filters lists nobody (the people covered by a scheme, a month of the trend).
    """

    key: str
    label: Label
    value: float | None
    counts: Counts | None = None
    series: str | None = None
    filters: tuple[tuple[str, str], ...] = ()

    @property
    def clickable(self) -> bool:
        return bool(self.filters)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "label": {"zh": self.label.zh, "en": self.label.en},
            "value": self.value,
        }
        if self.series is not None:
            out["series"] = self.series
        if self.counts is not None:
            out["counts"] = self.counts.as_dict()
        if self.filters:
            out["worklist"] = {"kind": "not_covered", **dict(self.filters)}
        return out


@dataclass(frozen=True)
class Series:
    key: str
    label: Label


@dataclass(frozen=True)
class Figure:
    key: str
    title: Label
    counts_what: Label  # one sentence: what the figure counts
    as_of: date
    line: str
    unit: Unit
    chart: Chart
    bars: tuple[Bar, ...]
    total: Counts
    series: tuple[Series, ...] = ()
    note: Label | None = None

    def value_text(self, value: float | None) -> str:
        """A bar's value as printed: "60.0%", "12" people, or "—" for a group with nobody."""
        if value is None:
            return "—"
        return f"{value:.1f}%" if self.unit == "percent" else str(int(value))

    def categories(self) -> list[tuple[str, Label]]:
        """The groups along the axis, in order (a grouped figure has a bar per series each)."""
        seen: dict[str, Label] = {}
        for bar in self.bars:
            seen.setdefault(bar.key, bar.label)
        return list(seen.items())

    def bar(self, key: str, series: str | None = None) -> Bar | None:
        return next((b for b in self.bars if b.key == key and b.series == series), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": {"zh": self.title.zh, "en": self.title.en},
            "counts": {"zh": self.counts_what.zh, "en": self.counts_what.en},
            "note": None if self.note is None else {"zh": self.note.zh, "en": self.note.en},
            "as_of": self.as_of.isoformat(),
            "line": self.line,
            "unit": self.unit,
            "chart": self.chart,
            "series": [
                {"key": s.key, "label": {"zh": s.label.zh, "en": s.label.en}} for s in self.series
            ],
            "bars": [b.as_dict() for b in self.bars],
            "total": self.total.as_dict(),
        }


@dataclass(frozen=True)
class CoverageReport:
    """The coverage picture of one insurance line on one day."""

    line: str
    line_label: Label
    as_of: date
    centre_code: str
    centre_name: str
    total: Counts
    figures: tuple[Figure, ...] = field(default_factory=tuple)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "line_label": {"zh": self.line_label.zh, "en": self.line_label.en},
            "as_of": self.as_of.isoformat(),
            "centre": {"code": self.centre_code, "name": self.centre_name},
            "total": self.total.as_dict(),
            "figures": [f.as_dict() for f in self.figures],
        }


def band_of_birth_year(birth_year: int, year: int) -> str:
    """The age band of someone born in ``birth_year``, by their age at the end of ``year``
    (the tallies keep the birth year, not the day: ``year - birth_year``)."""
    return age_band(max(year - birth_year, 0))


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_months(day: date, count: int = 12) -> list[str]:
    """The ``count`` months ending with ``day``'s month, oldest first (``YYYY-MM``)."""
    index = day.year * 12 + day.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def running_counts(rows: Iterable[tuple[str, str, int]], months: list[str]) -> list[Counts]:
    """The counts at the end of each month of ``months``: ``(month, status, net change)`` rows
    (``coverage_month``) summed up to and including that month.

    A status told with a date before the person was registered makes that status count from
    its date while the person's "unknown" starts only when they were registered; such early
    months would show fewer than no unknowns, so a status never counts below zero.
    """
    changes = sorted((month, status, int(n or 0)) for month, status, n in rows)
    running = dict.fromkeys(STATUSES, 0)
    out: list[Counts] = []
    position = 0
    for month in months:
        while position < len(changes) and changes[position][0] <= month:
            _, status, n = changes[position]
            if status in running:
                running[status] += n
            position += 1
        out.append(Counts.of({s: max(v, 0) for s, v in running.items()}))
    return out
