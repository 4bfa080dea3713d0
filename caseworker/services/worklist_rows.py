"""A page of a worklist as rows: who, where, how to reach them, and why they are on the list.

The reason is said in Chinese and English, from the code tables and the day's parameters
(e.g. "城乡居民基本医疗保险：2026年已缴，2027年未缴"). Only the page's people are read.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from caseworker.domain.codes import label_or_code, load_code_table
from caseworker.domain.coverage import lines, reason_table
from caseworker.domain.ids import mask_id_number
from caseworker.domain.regions import load_region_directory
from caseworker.domain.schemes import statutory_retirement_date
from caseworker.domain.worklist_rules import birthday, contribution_years
from caseworker.services.worklist_queries import EMPLOYEE_PENSIONS, Context
from caseworker.store.models import CoverageStatus, Enrolment, Payment, Person

PENSION_SCHEMES = tuple(next(line.schemes for line in lines() if line.code == "pension"))


@dataclass(frozen=True)
class WorklistRow:
    person_id: uuid.UUID
    name: str
    masked_id_number: str
    village_code: str | None
    village_name: str
    reason_zh: str
    reason_en: str
    phone: str | None
    line: str | None = None
    scheme: str | None = None


Key = tuple[uuid.UUID, str, str | None]  # person, line, scheme (None: the line)


def village_name(code: str | None) -> str:
    if not code:
        return ""
    region = load_region_directory().find(code)
    return region.name if region else code


def _line_name(code: str, lang: str) -> str:
    line = next((item for item in lines() if item.code == code), None)
    if line is None:
        return code
    return line.name_zh if lang == "zh" else line.name_en


def _status_words(row: CoverageStatus | None, lang: str) -> str:
    if row is None:
        return label_or_code("coverage_status", "unknown", lang)
    words = label_or_code("coverage_status", row.status, lang)
    table = reason_table(row.status)
    if table and row.reason:
        reason = label_or_code(table, row.reason, lang)
        words += f"（{reason}）" if lang == "zh" else f" ({reason})"
    return words


def rows_for(session: Session, kind: str, ctx: Context, keys: list[Key]) -> list[WorklistRow]:
    if not keys:
        return []
    ids = list(dict.fromkeys(person_id for person_id, _line, _scheme in keys))
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
    statuses = {
        (row.person_id, row.line): row
        for row in session.scalars(
            select(CoverageStatus).where(
                tuple_(CoverageStatus.person_id, CoverageStatus.line).in_(
                    [(person_id, line) for person_id, line, _scheme in keys]
                )
            )
        )
    }
    explain = _Reasons(session, kind, ctx, ids)
    rows = []
    for person_id, line, scheme in keys:
        person = people[person_id]
        status = statuses.get((person_id, line))
        zh, en = explain(person, line, scheme, status)
        village = status.village_code if status else None
        rows.append(
            WorklistRow(
                person_id,
                person.name,
                mask_id_number(person.id_number),
                village,
                village_name(village),
                zh,
                en,
                person.phone,
                line,
                scheme,
            )
        )
    return rows


class _Reasons:
    """Why one row is on its list, in both languages; reads once what the page needs."""

    def __init__(self, session: Session, kind: str, ctx: Context, ids: list[uuid.UUID]) -> None:
        self.kind, self.ctx = kind, ctx
        self.enrolments: dict[uuid.UUID, list[Enrolment]] = defaultdict(list)
        self.payments: dict[uuid.UUID, list[Payment]] = defaultdict(list)
        if kind == "pension_age_soon":
            for e in session.scalars(
                select(Enrolment).where(
                    Enrolment.person_id.in_(ids), Enrolment.scheme.in_(PENSION_SCHEMES)
                )
            ):
                self.enrolments[e.person_id].append(e)
            for p in session.scalars(
                select(Payment).where(
                    Payment.person_id.in_(ids),
                    Payment.scheme.in_(PENSION_SCHEMES),
                    Payment.voided_at.is_(None),
                )
            ):
                self.payments[p.person_id].append(p)

    def __call__(
        self, person: Person, line: str, scheme: str | None, status: CoverageStatus | None
    ) -> tuple[str, str]:
        return getattr(self, f"_{self.kind}")(person, line, scheme, status)

    def _not_covered(self, person, line, scheme, status) -> tuple[str, str]:
        return (
            f"{_line_name(line, 'zh')}：{_status_words(status, 'zh')}",
            f"{_line_name(line, 'en')}: {_status_words(status, 'en')}",
        )

    def _renewals_due(self, person, line, scheme, status) -> tuple[str, str]:
        due = next(d for d in self.ctx.renewals if d.scheme == scheme)
        last, now = due.previous.start.year, due.current.start.year
        return (
            f"{label_or_code('scheme', scheme, 'zh')}：{last}年已缴，{now}年未缴",
            f"{label_or_code('scheme', scheme, 'en')}: paid {last}, not yet {now}",
        )

    def _turning_16(self, person, line, scheme, status) -> tuple[str, str]:
        age = self.ctx.params.resident_pension.min_age
        day = birthday(person.birth_date, age)
        passed = day <= self.ctx.day
        return (
            f"{day.year}年{day.month}月{day.day}日{'已' if passed else ''}满{age}周岁，"
            "可参加城乡居民养老保险",
            f"{'Turned' if passed else 'Turns'} {age} on {day.isoformat()}: may join the "
            "residents' pension",
        )

    def _injury_uncovered(self, person, line, scheme, status) -> tuple[str, str]:
        category = person.employment_category or ""
        return (
            f"{label_or_code('employment_category', category, 'zh')}：工伤（职业伤害）保障"
            f"{_status_words(status, 'zh')}",
            f"{label_or_code('employment_category', category, 'en')}: injury cover "
            f"{_status_words(status, 'en').lower()}",
        )

    def _government_paid_unrecorded(self, person, line, scheme, status) -> tuple[str, str]:
        paid = next(p for p in self.ctx.government_paid if p.scheme == scheme)
        groups = [g for g in person.special_groups if g in paid.groups]
        table = load_code_table("special_group")
        zh = "、".join(table.label(g, "zh") for g in groups)
        en = ", ".join(table.label(g, "en") for g in groups)
        year = paid.period.start.year
        return (
            f"{zh}：{label_or_code('scheme', scheme, 'zh')}{year}年度由政府代缴，尚无缴费记录",
            f"{en}: {label_or_code('scheme', scheme, 'en')} for {year} is paid by government; "
            "no payment recorded",
        )

    def _pension_age_soon(self, person, line, scheme, status) -> tuple[str, str]:
        params, day = self.ctx.params, self.ctx.day
        enrolments = self.enrolments[person.id]
        employee = any(e.scheme in EMPLOYEE_PENSIONS and e.status == "active" for e in enrolments)
        reached = statutory_retirement_date(person.birth_date, person.sex, params.retirement)
        if employee and reached is not None:
            on, months = reached
            needed = params.retirement.min_contribution_years
            years_text = f"{months // 12}周岁" + (f"{months % 12}个月" if months % 12 else "")
            what_zh, what_en = f"达到法定退休年龄（{years_text}）", "reaches retirement age"
        else:
            age = params.resident_pension.benefit_age_years
            on = birthday(person.birth_date, age)
            needed = params.resident_pension.min_contribution_years
            what_zh, what_en = f"满{age}周岁", f"turns {age}"
        payments = self.payments[person.id]
        years, estimated = contribution_years(
            [p.period_start.year for p in payments if p.scheme == "resident_pension"],
            sum(
                _months(p.period_start, p.period_end)
                for p in payments
                if p.scheme in EMPLOYEE_PENSIONS
            ),
            min((e.start_date for e in enrolments), default=None),
            day,
        )
        unit = "year" if years == 1 else "years"
        short = needed - years
        if not enrolments and not payments:
            paid_zh, paid_en = "本中心无养老保险参保记录", "no pension record at this centre"
        elif estimated:
            since = min(e.start_date for e in enrolments).year
            paid_zh = f"无缴费记录，{since}年起参保约{years}年"
            paid_en = f"no payment recorded, enrolled since {since} (about {years} {unit})"
        else:
            paid_zh, paid_en = f"已缴费{years}年", f"paid {years} {unit}"
        if enrolments or payments:
            paid_zh += f"，距{needed}年差{short}年" if short > 0 else f"（满{needed}年）"
            paid_en += f", {short} short of {needed}" if short > 0 else f" ({needed} needed)"
        return (
            f"{on.year}年{on.month}月{what_zh}；{paid_zh}",
            f"{what_en.capitalize()} in {on:%Y-%m}; {paid_en}",
        )


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1
