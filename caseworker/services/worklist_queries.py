"""The SQL behind each worklist: one select per kind, the spec's filters applied alike.

Every select reads the coverage status row of the line the list is about (``cs``): the
triggers of migration 0011 keep the person's village, sex, birth year, employment category
and presence on it, so the filters of the coverage picture (village, line, status, reason,
category, sex, age band) mean the same on every list. Each select yields
``(person_id, line, scheme)`` — scheme is NULL where the list is about a line — ordered by
village and person, which the index ``ix_coverage_status_village`` (migration 0014) serves.

Counts of the lists the coverage tally can answer (not covered, turning 16, injury) are sums
over ``worklist_tally`` or ``coverage_tally``; unfiltered, the renewals due and the
government-paid are sums over the counters of migration 0014, and the pension age an
index-only count over the birth-date range (``tally_count``); the rest count the same select.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    TextClause,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from caseworker.domain.coverage import COVERED, line_of_scheme
from caseworker.domain.periods import Period, collected_periods, year_period
from caseworker.domain.scheme_parameters import SchemeParameters
from caseworker.domain.worklist_rules import (
    birth_years_of_band,
    births_reaching,
    resident_pension_day,
    retirement_day,
    twelve_months_from,
)
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.store.models import (
    EMPLOYEE_PENSION_WHERE,
    RECEIVING_PENSION_WHERE,
    CoverageStatus,
    CoverageTally,
    Enrolment,
    Payment,
    Person,
    WorklistGroupedTally,
    WorklistPaidTally,
    WorklistTally,
)

# Not covered: neither insured here nor elsewhere, and the line applies (not_applicable
# people — under 16 for pension, students, pensioners — are not to be enrolled).
NOT_COVERED = ("not_insured", "unknown")
EMPLOYEE_PENSIONS = ("employee_pension", "employee_pension_flexible")
RETIRED_CATEGORY = "retired"


@dataclass(frozen=True)
class YearlyDue:
    """A yearly scheme whose window is open: last period paid, this one not yet."""

    scheme: str
    previous: Period
    current: Period


@dataclass(frozen=True)
class GovernmentPaid:
    """A scheme the government pays (in part or whole) for some special groups."""

    scheme: str
    groups: tuple[str, ...]
    period: Period


@dataclass(frozen=True)
class PensionAge:
    """Who reaches a pension age from ``day`` to (not including) ``until``."""

    resident_births: tuple[date, date] | None
    male_births: tuple[date, date] | None
    female_births: tuple[date, date] | None
    until: date


@dataclass(frozen=True)
class Context:
    """Everything a day's lists need, read once from the parameters in force."""

    day: date
    params: SchemeParameters
    renewals: tuple[YearlyDue, ...]
    government_paid: tuple[GovernmentPaid, ...]
    pension_age: PensionAge
    injury_pilot: bool

    @classmethod
    def of(cls, day: date, params: SchemeParameters) -> Context:
        renewals, paid = [], []
        for scheme, rule in params.collection.rules.items():
            if rule.period != "year":
                continue
            collected = collected_periods(rule, day)
            if collected:
                current = collected[-1]
                renewals.append(YearlyDue(scheme, year_period(current.start.year - 1), current))
        own = {due.scheme: due.current for due in renewals}
        for scheme, table in (
            ("resident_pension", params.resident_pension.paid_by_government_fen),
            ("resident_medical", params.resident_medical.paid_by_government_bp),
        ):
            groups = tuple(sorted(g for g, share in table.items() if share > 0))
            if groups:
                period = own.get(scheme, year_period(day.year))
                paid.append(GovernmentPaid(scheme, groups, period))
        until = twelve_months_from(day)
        retirement = params.retirement
        age = PensionAge(
            births_reaching(
                resident_pension_day(params.resident_pension.benefit_age_years), day, until
            ),
            births_reaching(retirement_day(retirement.male), day, until),
            births_reaching(retirement_day(retirement.female), day, until),
            until,
        )
        pilot = any(
            p.covers(params.province_code, day) for p in params.occupational_injury.pilot_provinces
        )
        return cls(day, params, tuple(renewals), tuple(paid), age, pilot)


# -- filters --------------------------------------------------------------------------------


def _spec_filters(cs: type[CoverageStatus], spec: WorklistSpec, day: date) -> list:
    found: list[ColumnElement[bool]] = [cs.present.is_(True)]
    if spec.village_code:
        found.append(cs.village_code == spec.village_code)
    if spec.line:
        found.append(cs.line == spec.line)
    if spec.status:
        found.append(cs.status == spec.status)
    if spec.reason:
        found.append(cs.reason == spec.reason)
    if spec.category:
        found.append(cs.category == spec.category)
    if spec.sex:
        found.append(cs.sex == spec.sex)
    if spec.age_band:
        first, last = birth_years_of_band(spec.age_band, day)
        found.append(cs.birth_year.between(first, last))
    return found


def _tally_of(spec: WorklistSpec) -> type:
    """The small tally when the spec filters only on what it keeps, else the coverage tally."""
    if spec.village_code or spec.reason or spec.sex:
        return CoverageTally
    return WorklistTally


def _tally_filters(t: type, spec: WorklistSpec, day: date) -> list:
    found: list[ColumnElement[bool]] = [t.present.is_(True)]
    for name, wanted in (
        ("village_code", spec.village_code),
        ("line", spec.line),
        ("status", spec.status),
        ("reason", spec.reason),
        ("category", spec.category),
        ("sex", spec.sex),
    ):
        if wanted:
            found.append(getattr(t, name) == wanted)
    if spec.age_band:
        first, last = birth_years_of_band(spec.age_band, day)
        found.append(t.birth_year.between(first, last))
    return found


def _paid(person_id: ColumnElement, scheme: str, period: Period) -> ColumnElement[bool]:
    """A live payment of the scheme for the (yearly) period: yearly periods are paid one at
    a time (``services.contribution_periods``), as the counter of migration 0014 counts them."""
    return exists().where(
        Payment.person_id == person_id,
        Payment.scheme == scheme,
        Payment.voided_at.is_(None),
        Payment.period_start == period.start,
        Payment.period_end == period.end,
    )


def _enrolled(person_id: ColumnElement, schemes: Sequence[str]) -> ColumnElement[bool]:
    return exists().where(
        Enrolment.person_id == person_id,
        Enrolment.scheme.in_(schemes),
        Enrolment.status == "active",
    )


def _rows(
    cs: type[CoverageStatus], scheme: str | None, person: ColumnElement | None = None
) -> Select:
    """The columns every list yields; ``person`` is the column the rows are driven by (its
    index order is the page order)."""
    scheme_column = literal(scheme) if scheme else literal_column("NULL")
    return select(
        (cs.person_id if person is None else person).label("person_id"),
        cs.line.label("line"),
        scheme_column.label("scheme"),
        cs.village_code.label("village_code"),
    )


# -- one select per kind ----------------------------------------------------------------------


def not_covered(ctx: Context, spec: WorklistSpec) -> Select:
    cs = aliased(CoverageStatus)
    return _rows(cs, None).where(cs.status.in_(NOT_COVERED), *_spec_filters(cs, spec, ctx.day))


def _turning_16_where(ctx: Context, row: type, *, tally: bool = False) -> list:
    """Turning 16 this calendar year, not covered in pension, not in a category the residents'
    pension leaves out (students, pensioners). The tally keeps a missing category as ''."""
    excluded = sorted(ctx.params.resident_pension.excluded_categories)
    category = row.category.notin_(excluded)
    return [
        row.line == "pension",
        row.birth_year == ctx.day.year - ctx.params.resident_pension.min_age,
        row.status.notin_(COVERED),
        category if tally else or_(row.category.is_(None), category),
    ]


def turning_16(ctx: Context, spec: WorklistSpec) -> Select:
    cs = aliased(CoverageStatus)
    where = _turning_16_where(ctx, cs)
    return _rows(cs, None).where(*where, *_spec_filters(cs, spec, ctx.day))


def injury_uncovered(ctx: Context, spec: WorklistSpec) -> Select:
    cs = aliased(CoverageStatus)
    if not ctx.injury_pilot:
        return _rows(cs, None).where(false())
    categories = sorted(ctx.params.occupational_injury.outreach_categories)
    return _rows(cs, None).where(
        cs.line == "injury",
        cs.category.in_(categories),
        cs.status.in_(NOT_COVERED),
        *_spec_filters(cs, spec, ctx.day),
    )


def renewals_due(ctx: Context, spec: WorklistSpec) -> Select:
    parts = []
    for due in ctx.renewals:
        line = line_of_scheme(due.scheme)
        cs = aliased(CoverageStatus)
        paid = aliased(Payment)
        parts.append(
            _rows(cs, due.scheme, paid.person_id)
            .select_from(paid)
            .join(cs, and_(cs.person_id == paid.person_id, cs.line == line))
            .where(
                paid.scheme == due.scheme,
                paid.voided_at.is_(None),
                paid.period_start == due.previous.start,
                paid.period_end == due.previous.end,
                ~_paid(paid.person_id, due.scheme, due.current),
                *_spec_filters(cs, spec, ctx.day),
            )
        )
    return _union(parts)


def government_paid_unrecorded(ctx: Context, spec: WorklistSpec) -> Select:
    parts = []
    for paid in ctx.government_paid:
        cs = aliased(CoverageStatus)
        # The list is stored as JSON text (["dibao", "tekun"]): a quoted code is one group.
        listed = type_coerce(Person.special_groups, String)
        in_group = or_(*(listed.like(f'%"{group}"%') for group in paid.groups))
        # The few people in a special group, read through the partial index of migration
        # 0012 (the planner would otherwise start from every status row).
        grouped = (
            select(Person.id)
            .where(Person.special_groups != literal_column("'[]'"), in_group)
            .scalar_subquery()
        )
        parts.append(
            _rows(cs, paid.scheme).where(
                cs.line == line_of_scheme(paid.scheme),
                cs.person_id.in_(grouped),
                _enrolled(cs.person_id, (paid.scheme,)),
                ~_paid(cs.person_id, paid.scheme, paid.period),
                *_spec_filters(cs, spec, ctx.day),
            )
        )
    return _union(parts)


def pension_age_soon(ctx: Context, spec: WorklistSpec) -> Select:
    age = ctx.pension_age
    parts = []
    for births, sex, employee in (
        (age.resident_births, None, False),
        (age.male_births, "1", True),
        (age.female_births, "2", True),
    ):
        if births is None:
            continue
        cs = aliased(CoverageStatus)
        # The people born in the range, read through the birth-date index first (the planner
        # would otherwise walk every pension row).
        born = select(Person.id).where(
            Person.birth_date.between(*births),
            or_(
                Person.employment_category.is_(None),
                Person.employment_category != RETIRED_CATEGORY,
            ),
        )
        if sex:
            born = born.where(Person.sex == sex)
        in_employee = _enrolled(cs.person_id, EMPLOYEE_PENSIONS)
        parts.append(
            _rows(cs, None).where(
                cs.line == "pension",
                cs.person_id.in_(born.scalar_subquery()),
                in_employee if employee else ~in_employee,
                ~and_(cs.status == "not_applicable", cs.reason == "receiving_pension"),
                *_spec_filters(cs, spec, ctx.day),
            )
        )
    return _union(parts)


def _union(parts: list[Select]) -> Select:
    if not parts:
        cs = aliased(CoverageStatus)
        return _rows(cs, None).where(false())
    if len(parts) == 1:
        return parts[0]
    united = union_all(*parts).subquery()
    return select(united.c.person_id, united.c.line, united.c.scheme, united.c.village_code)


SELECTS = {
    "not_covered": not_covered,
    "renewals_due": renewals_due,
    "turning_16": turning_16,
    "pension_age_soon": pension_age_soon,
    "government_paid_unrecorded": government_paid_unrecorded,
    "injury_uncovered": injury_uncovered,
}


# -- counts from the tally ------------------------------------------------------------------


def _is_calendar_year(period: Period) -> bool:
    start, end = period.start, period.end
    return (start.month, start.day, end) == (1, 1, date(start.year, 12, 31))


def government_paid_count(ctx: Context) -> Select | None:
    """The unfiltered government-paid list from ``worklist_grouped_tally``: per scheme, the
    enrolled people of the groups less those of them who paid the period's year — or None
    when a period is not a calendar year (the counter keeps only those)."""
    if not ctx.government_paid:
        return select(literal(0))
    if not all(_is_calendar_year(paid.period) for paid in ctx.government_paid):
        return None
    t = WorklistGroupedTally
    listed = type_coerce(t.groups, String)
    counted = [
        and_(
            t.scheme == paid.scheme,
            t.year.in_((0, paid.period.start.year)),
            or_(*(listed.like(f'%"{group}"%') for group in paid.groups)),
        )
        for paid in ctx.government_paid
    ]
    signed = func.sum(case((t.year == 0, t.n), else_=-t.n))
    return select(func.coalesce(signed, 0)).where(or_(*counted))


def _probe(table: str, index: str, where: str, person: str, *, found: bool) -> TextClause:
    """Whether the person has (or has not) a row in a small partial index: named (INDEXED
    BY), since the planner would take the table's wider unique index and read the rows; the
    index's WHERE is repeated in literals, as SQLite needs to take a partial index."""
    return text(
        f"{'' if found else 'NOT '}EXISTS (SELECT 1 FROM {table} AS x INDEXED BY {index}"
        f" WHERE x.person_id = {person}.id AND {_qualified(where, 'x')})"
    )


def _qualified(where: str, alias: str) -> str:
    """A partial index's terms on the query's alias (``status`` → ``x.status``)."""
    for column in ("status", "scheme", "line", "reason"):
        where = where.replace(f"{column} ", f"{alias}.{column} ")
    return where


def pension_age_count(ctx: Context) -> Select:
    """The unfiltered pension-age list counted from the person index alone, probing two small
    partial indexes (employees' pensions; people receiving a pension): the people of
    :func:`pension_age_soon` — a status row's presence is the person's, copied by trigger."""
    age = ctx.pension_age
    counts = []
    for births, sex, employee in (
        (age.resident_births, None, False),
        (age.male_births, "1", True),
        (age.female_births, "2", True),
    ):
        if births is None:
            continue
        name = f"born_{len(counts)}"
        person = aliased(Person, name=name)
        in_employee = _probe(
            "enrolment",
            "ix_enrolment_employee_pension",
            EMPLOYEE_PENSION_WHERE,
            name,
            found=employee,
        )
        not_receiving = _probe(
            "coverage_status",
            "ix_coverage_status_receiving_pension",
            RECEIVING_PENSION_WHERE,
            name,
            found=False,
        )
        born = [
            person.birth_date.between(*births),
            or_(
                person.employment_category.is_(None),
                person.employment_category != RETIRED_CATEGORY,
            ),
            person.moved_away_on.is_(None),
            person.deceased_on.is_(None),
            in_employee,
            not_receiving,
        ]
        if sex:
            born.append(person.sex == sex)
        counts.append(select(func.count()).select_from(person).where(*born).scalar_subquery())
    if not counts:
        return select(literal(0))
    total = counts[0]
    for more in counts[1:]:
        total = total + more
    return select(total)


def tally_count(kind: str, ctx: Context, spec: WorklistSpec) -> Select | None:
    """A sum over a tally the triggers keep — ``coverage_tally`` for the lists it can answer,
    ``worklist_paid_tally`` for the renewals due and ``worklist_grouped_tally`` for the
    government-paid (unfiltered) — an index-only count of the pension age (unfiltered), or
    None: count the select."""
    if kind == "government_paid_unrecorded" and spec == WorklistSpec(kind):
        return government_paid_count(ctx)
    if kind == "pension_age_soon" and spec == WorklistSpec(kind):
        return pension_age_count(ctx)
    if kind == "renewals_due" and spec == WorklistSpec(kind):
        counted = [
            and_(
                WorklistPaidTally.scheme == due.scheme,
                WorklistPaidTally.year == due.previous.start.year,
            )
            for due in ctx.renewals
        ]
        if not counted:
            return select(literal(0))
        return select(func.coalesce(func.sum(WorklistPaidTally.n), 0)).where(or_(*counted))
    t = _tally_of(spec)
    where = _tally_filters(t, spec, ctx.day)
    if kind == "not_covered":
        where.append(t.status.in_(NOT_COVERED))
    elif kind == "turning_16":
        where += _turning_16_where(ctx, t, tally=True)
    elif kind == "injury_uncovered":
        if not ctx.injury_pilot:
            return select(literal(0))
        categories = sorted(ctx.params.occupational_injury.outreach_categories)
        where += [t.line == "injury", t.category.in_(categories), t.status.in_(NOT_COVERED)]
    else:
        return None
    return select(func.coalesce(func.sum(t.n), 0)).where(*where)


def ordered(kind: str, query: Select) -> Select:
    """A list's rows in a stable order for paging: village, person, line and scheme — except
    the renewals due (a large list drawn from last year's payments), by person and scheme,
    which the payment index gives without sorting the whole list."""
    if kind == "renewals_due":
        sub = query.subquery()
        return select(sub.c.person_id, sub.c.line, sub.c.scheme).order_by(
            sub.c.person_id, sub.c.scheme
        )
    sub = query.subquery()
    return select(sub.c.person_id, sub.c.line, sub.c.scheme).order_by(
        sub.c.village_code, sub.c.person_id, sub.c.line, sub.c.scheme
    )
