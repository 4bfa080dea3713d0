"""Worklists: saved lists a clerk works through, each counted on the front page.

The kinds are declared once (``KINDS``: code, titles, what the list counts); a list is named by
a ``WorklistSpec`` (kind + the coverage picture's filters), so a click on a chart bar, the
worklists page and the CLI ask for the same people. Every rule comes from the scheme
parameters in force on the day for the centre's province (collection windows, ages, the
special groups the government pays for, the injury pilot's provinces); the SQL is in
``worklist_queries``, the words of each row's reason in ``worklist_rows``.

What each list holds (a row is a person, or a person and a line or scheme):

- ``not_covered``: per person and insurance line, status neither insured (here or elsewhere)
  nor not applicable — not insured, or not yet verified — and the person present (not moved
  away, not deceased). People another centre of the township manages are counted too: the
  picture is the township's.
- ``renewals_due``: per person and yearly scheme whose collection window is open: a live
  payment for the previous year, none for the year being collected (counted on the front page
  from ``worklist_paid_tally``, which the triggers of migration 0014 keep).
- ``turning_16``: born in the year that makes them 16 this calendar year, pension not covered,
  not in a category the residents' pension leaves out (students, pensioners).
- ``pension_age_soon``: reaching pension age from today to the same day next year: the
  statutory retirement age of the 2025 schedule for people in the employees' pension, the
  residents' pension benefit age for everyone else; pensioners left out.
- ``government_paid_unrecorded``: per person and scheme, in a special group the government
  pays for (any share above nothing), enrolled, no payment of the period being collected (or
  of this year when the window is closed).
- ``injury_uncovered``: in a category the centre asks about injury cover, injury line not
  covered, and only while the centre's province runs the occupational-injury pilot.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.domain.codes import load_code_table
from caseworker.domain.coverage import STATUSES, line_codes
from caseworker.domain.errors import InvalidValue
from caseworker.domain.regions import parse_village_code
from caseworker.domain.schemes import EMPLOYMENT_CATEGORIES
from caseworker.domain.worklist_rules import age_band_labels
from caseworker.services.actor import Actor, Permission
from caseworker.services.errors import ValidationFailed
from caseworker.services.form_support import province_of_centre
from caseworker.services.parameters import parameters_for
from caseworker.services.worklist_queries import SELECTS, Context, ordered, tally_count
from caseworker.services.worklist_rows import WorklistRow, rows_for, village_name
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.store.database import Database
from caseworker.store.models import AuditEntry, CoverageTally, SyncCursor

__all__ = [
    "KINDS",
    "Kind",
    "WorklistRow",
    "WorklistSpec",
    "check_spec",
    "count",
    "counts",
    "kind_of",
    "members",
    "villages",
]

PAGE = 100
SEXES = ("0", "1", "2", "9")


@dataclass(frozen=True)
class Kind:
    code: str
    title_zh: str
    title_en: str
    counts_zh: str  # what the list counts, in one sentence
    counts_en: str
    short_zh: str  # on the front desk's strip of counts
    short_en: str


KINDS: tuple[Kind, ...] = (
    Kind(
        "not_covered",
        "未参保人员",
        "Not covered",
        "按人员和保障项目计：在本地和异地均未参保、且该项目适用的在册人员（含尚未核实的）。",
        "Per person and insurance line: present people insured neither here nor elsewhere "
        "where the line applies (including those not yet verified).",
        "未参保",
        "Not covered",
    ),
    Kind(
        "renewals_due",
        "待续缴人员",
        "Renewals due",
        "按人员和险种计：上一年度已缴费、正在征缴的年度尚未缴费的参保人员（仅在征缴期内）。",
        "Per person and scheme: paid last year, not yet the year being collected (only while "
        "its collection window is open).",
        "待续缴",
        "Renewals",
    ),
    Kind(
        "turning_16",
        "今年满16周岁",
        "Turning 16 this year",
        "今年满16周岁、养老保险尚未参保、可参加城乡居民养老保险的人员（不含在校学生）。",
        "People who turn 16 this calendar year, pension not covered, who may join the "
        "residents' pension (students left out).",
        "今年满16岁",
        "Turning 16",
    ),
    Kind(
        "pension_age_soon",
        "12个月内到领取年龄",
        "Pension age within 12 months",
        "今后12个月内达到养老金领取年龄（职工为法定退休年龄）的人员，请核对缴费年限。",
        "People reaching pension age (the statutory retirement age for employees) in the "
        "next 12 months: check their contribution years.",
        "将到领取年龄",
        "Pension age",
    ),
    Kind(
        "government_paid_unrecorded",
        "政府代缴未登记",
        "Government-paid, not recorded",
        "按人员和险种计：属于政府代缴的特殊群体、已参保但本期尚无缴费记录的人员。",
        "Per person and scheme: in a special group whose contribution the government pays, "
        "enrolled, with no payment recorded for the current period.",
        "代缴未记录",
        "Gov-paid",
    ),
    Kind(
        "injury_uncovered",
        "职业伤害保障未覆盖",
        "Injury cover missing",
        "本省开展新就业形态职业伤害保障试点时，尚无工伤或职业伤害保障的灵活就业和平台从业人员。",
        "Flexible and platform workers with no work-injury or occupational-injury cover, "
        "where the province runs the pilot.",
        "缺工伤保障",
        "No injury cover",
    ),
)
_BY_CODE = {kind.code: kind for kind in KINDS}


def kind_of(code: str) -> Kind:
    if code not in _BY_CODE:
        raise _field(
            "kind",
            "unknown_kind",
            f"没有名为“{code}”的工作清单；可选：{'、'.join(_BY_CODE)}。",
            f"There is no worklist {code!r}; choose one of {', '.join(_BY_CODE)}.",
        )
    return _BY_CODE[code]


def _field(field: str, code: str, zh: str, en: str) -> ValidationFailed:
    error = InvalidValue(field, code, zh)
    error.message_en = en  # type: ignore[attr-defined]
    return ValidationFailed([error])


def _one_of(field: str, value: str | None, allowed: Iterable[str], zh: str, en: str) -> None:
    allowed = tuple(allowed)
    if value is not None and value not in allowed:
        raise _field(
            field,
            f"unknown_{field}",
            f"{zh}“{value}”不在代码表中；可选：{'、'.join(allowed)}。",
            f"{en} {value!r} is not a known code; choose one of {', '.join(allowed)}.",
        )


def check_spec(spec: WorklistSpec) -> WorklistSpec:
    """The spec with its village code normalised, or ``ValidationFailed`` naming the filter."""
    kind_of(spec.kind)
    village = spec.village_code
    if village:
        try:
            village = parse_village_code(village)
        except InvalidValue as error:
            raise _field(
                "village",
                "bad_village",
                f"村（居）委会代码“{spec.village_code}”有误：{error.message}"
                "请填写12位统计用区划代码，如 320583101201。",
                f"The village code {spec.village_code!r} is wrong: it must be the 12-digit "
                "statistical division code, e.g. 320583101201.",
            ) from None
    _one_of("line", spec.line, line_codes(), "保障项目", "Line")
    _one_of("status", spec.status, STATUSES, "参保状态", "Status")
    reasons = [e.code for e in load_code_table("not_insured_reason")] + [
        e.code for e in load_code_table("not_applicable_reason")
    ]
    _one_of("reason", spec.reason, dict.fromkeys(reasons), "原因", "Reason")
    _one_of("category", spec.category, sorted(EMPLOYMENT_CATEGORIES), "就业类别", "Category")
    _one_of("sex", spec.sex, SEXES, "性别", "Sex")
    _one_of("age_band", spec.age_band, age_band_labels(), "年龄段", "Age band")
    return spec.narrowed(village_code=village or None)


def context(actor: Actor, day: date) -> Context:
    return Context.of(day, parameters_for(day, province_of_centre(actor)))


# Pension age (an index-only range over birth dates) and government-paid (a counter) once read
# thousands of people; they take about a millisecond now, and their figures are still kept
# until the store changes, which costs two primary-key reads. Every
# service write appends to the audit chain and every pull moves a feed cursor, so the chain's
# head and the cursors say "changed" in two primary-key reads.
_QUERIED = ("pension_age_soon", "government_paid_unrecorded")
_remembered: dict[tuple[object, ...], dict[str, int]] = {}


def _stamp(session, ctx: Context, database: Database) -> tuple[object, ...]:
    # The head's hash, not its seq: a store put back from a backup and written to again can
    # reach the same seq with other contents, never the same hash.
    head = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    cursors = session.scalar(select(func.coalesce(func.sum(SyncCursor.cursor), 0)))
    return (str(database.paths.database), ctx.day, ctx.params.province_code, head, cursors)


def counts(database: Database, actor: Actor, day: date) -> dict[str, int]:
    """How many rows each list holds today, in ``KINDS`` order: the front page's figures."""
    with database.reading() as session:
        return counts_in(session, database, actor, day)


def counts_in(session: Session, database: Database, actor: Actor, day: date) -> dict[str, int]:
    """``counts`` inside a caller's transaction (the front page's figures)."""
    actor.require(Permission.VIEW)
    ctx = context(actor, day)
    stamp = _stamp(session, ctx, database)
    queried = _remembered.get(stamp)
    if queried is None:
        queried = {kind: _count(session, kind, ctx, WorklistSpec(kind)) for kind in _QUERIED}
        _remembered.clear()  # one store and day at a time
        _remembered[stamp] = queried
    return {
        kind.code: queried[kind.code]
        if kind.code in queried
        else _count(session, kind.code, ctx, WorklistSpec(kind.code))
        for kind in KINDS
    }


def count(database: Database, actor: Actor, spec: WorklistSpec, day: date) -> int:
    """How many rows one (filtered) list holds."""
    actor.require(Permission.VIEW)
    spec = check_spec(spec)
    ctx = context(actor, day)
    with database.reading() as session:
        return _count(session, spec.kind, ctx, spec)


def _count(session, kind: str, ctx: Context, spec: WorklistSpec) -> int:
    tally = tally_count(kind, ctx, spec)
    if tally is not None:
        return int(session.scalar(tally) or 0)
    listed = SELECTS[kind](ctx, spec).subquery()
    return int(session.scalar(select(func.count()).select_from(listed)) or 0)


def members(
    database: Database,
    actor: Actor,
    spec: WorklistSpec,
    day: date,
    *,
    offset: int = 0,
    limit: int | None = PAGE,
) -> list[WorklistRow]:
    """The rows of a list in village order, ``limit`` from ``offset`` (None: all of them)."""
    actor.require(Permission.VIEW)
    spec = check_spec(spec)
    if offset < 0 or (limit is not None and limit < 0):
        raise ValueError("offset and limit are never negative")
    ctx = context(actor, day)
    with database.reading() as session:
        query = ordered(spec.kind, SELECTS[spec.kind](ctx, spec)).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        keys = [(person_id, line, scheme) for person_id, line, scheme in session.execute(query)]
        return rows_for(session, spec.kind, ctx, keys)


def person_ids(rows: Iterable[WorklistRow]) -> list[uuid.UUID]:
    return list(dict.fromkeys(row.person_id for row in rows))


def villages(database: Database, actor: Actor) -> list[tuple[str, str]]:
    """The villages people of the registry live in, (code, name), for a village filter: read
    from the tally, named from the region directory where it knows them."""
    actor.require(Permission.VIEW)
    with database.reading() as session:
        codes = session.scalars(
            select(CoverageTally.village_code)
            .where(CoverageTally.village_code != "", CoverageTally.n > 0)
            .distinct()
            .order_by(CoverageTally.village_code)
        ).all()
    return [(code, village_name(code)) for code in codes]
