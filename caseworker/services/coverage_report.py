"""The coverage picture (参保覆盖情况): how many people of the centre are covered, line by line.

Every figure reads ``coverage_facet`` (the store's ``coverage_tally`` of present people rolled
up one dimension at a time: village, scheme, reason, category, birth year and sex; kept by
triggers, migration 0013) and ``coverage_month`` (net change per month): a few hundred rows
per line however many people the centre holds, never the status rows (seconds at 500,000
people) nor the full tally (some 130,000 rows per line there). Counted are *present* people
(not moved away, not deceased); the coverage rate is covered (insured here or elsewhere) /
(present people − those the line does not apply to).

The Reports screen, the PDF report and ``caseworker report coverage`` read the same
``CoverageReport`` values (``domain.coverage_figures``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.domain.codes import load_code_table
from caseworker.domain.coverage import AGE_BANDS, Line, line_codes, lines
from caseworker.domain.coverage_figures import (
    Bar,
    Counts,
    CoverageReport,
    Figure,
    Label,
    Series,
    band_of_birth_year,
    counts_by,
    last_months,
    running_counts,
)
from caseworker.domain.errors import InvalidValue
from caseworker.domain.regions import load_region_directory
from caseworker.services.actor import Actor, Permission
from caseworker.services.errors import ValidationFailed
from caseworker.store.database import Database
from caseworker.store.models import CoverageFacet, CoverageMonth

if TYPE_CHECKING:  # reportlab loads with the first PDF, not with the figures (the launch)
    from caseworker.printing.layout import PrintResult

FIGURES = ("by_village", "by_scheme", "not_covered_by_reason", "by_category", "by_age_sex", "trend")
TREND_MONTHS = 12
UNKNOWN = Label("未核实", "Not yet verified")
_PRESENT_LABEL = "在册人员（不含迁出、死亡）"


def _line(code: str) -> Line:
    found = next((item for item in lines() if item.code == code), None)
    if found is None:
        choices = ", ".join(line_codes())
        error = InvalidValue("line", "unknown_line", f"保障项目“{code}”不存在，可选：{choices}。")
        error.message_en = f"No insurance line {code!r}; choose one of {choices}."  # type: ignore[attr-defined]
        raise ValidationFailed([error])
    return found


def _code_label(table: str, code: str, empty: Label) -> Label:
    if not code:
        return empty
    entries = load_code_table(table)
    if code not in entries:
        return Label(code, code)
    entry = entries.get(code)
    return Label(entry.name_zh, entry.name_en)


# -- the queries ----------------------------------------------------------------------------


def _facet(session: Session, line: str, facet: str) -> list[tuple[str, str, int]]:
    """``(key, status, people)`` of the present people of ``line``, one facet of the tally."""
    f = CoverageFacet
    statement = select(f.key, f.status, f.n).where(f.line == line, f.facet == facet, f.n != 0)
    return [(key, status, int(n)) for key, status, n in session.execute(statement)]


# -- the figures ----------------------------------------------------------------------------


def _rate_bar(key: str, label: Label, counts: Counts, **filters: str) -> Bar:
    return Bar(key, label, counts.percent, counts, filters=tuple(filters.items()))


def _by_village(session: Session, line: str, township: str, day: date, total: Counts) -> Figure:
    found = counts_by(_facet(session, line, "village"))
    directory = load_region_directory()
    # The township's villages always (one nobody has visited yet says so), then any other
    # village people live in (a hukou village elsewhere), then people with no village.
    codes = [r.code for r in directory.children(township)] if township else []
    codes += sorted(code for code in found if code and code not in codes)
    if "" in found:
        codes.append("")
    bars = []
    for code in codes:
        region = directory.find(code) if code else None
        label = (
            Label(region.name, region.name)
            if region
            else Label(code, code)
            if code
            else Label("未填村（居）", "No village recorded")
        )
        counts = found.get(code, Counts())
        if code:
            bars.append(_rate_bar(code, label, counts, village_code=code))
        else:  # nobody can be sent to "no village": the bar lists no one
            bars.append(Bar("-", label, counts.percent, counts))
    return Figure(
        "by_village",
        Label("各村（居）参保率", "Coverage rate by village"),
        Label(
            f"各村（居）{_PRESENT_LABEL}中已参保（本地或异地）人数占应参保人数（在册人数减不适用人数）"
            "的比例；人员按家庭所在村计，无家庭的按户籍村计。",
            "Per village: present people (not moved away or deceased) insured here or "
            "elsewhere, as a share of those the line concerns (present people less those it "
            "does not apply to); people count in their household's village, else their hukou "
            "village.",
        ),
        day,
        line,
        "percent",
        "bars",
        tuple(bars),
        total,
    )


def _short_scheme_en(name: str) -> str:
    """Employees' basic pension (flexible employment) → Employees' pension, flexible."""
    name = name.replace("basic ", "").replace(" (flexible employment)", ", flexible")
    return name.replace("Urban and rural residents'", "Residents'")


def _by_scheme(session: Session, line: str, day: date, total: Counts) -> Figure:
    spec = _line(line)
    found = counts_by(_facet(session, line, "scheme"))
    bars = []
    for status, where in (
        ("insured_here", ("本地", "here")),
        ("insured_elsewhere", ("异地", "elsewhere")),
    ):
        schemes = list(spec.schemes) if status == "insured_here" else []
        schemes += sorted(
            (s for s, c in found.items() if c.get(status) and s not in schemes),
            key=lambda s: (s == "", s),  # "scheme not told" last
        )
        for scheme in schemes:
            n = found.get(scheme, Counts()).get(status)
            name = _code_label("scheme", scheme, Label("险种未说明", "scheme not told"))
            value = round(n / total.base * 100, 1) if total.base > 0 else None
            bars.append(
                Bar(
                    f"{status}:{scheme}",
                    # Short enough for a chart's axis: "basic" is in every scheme's name.
                    Label(
                        f"{where[0]}：{name.zh.replace('基本', '')}",
                        f"{_short_scheme_en(name.en)}, {where[1]}",
                    ),
                    value,
                    Counts.of({status: n}),
                )
            )
    return Figure(
        "by_scheme",
        Label("按参保险种的参保率", "Coverage by scheme"),
        Label(
            "已参保人员按险种和参保地（本地、异地）分列，各占应参保人数的比例；"
            "各项之和即该项目的参保率。",
            "People covered, by the scheme that covers them and where (here, elsewhere), each "
            "as a share of the people the line concerns; the shares add up to the coverage rate.",
        ),
        day,
        line,
        "percent",
        "bars",
        tuple(bars),
        total,
    )


def _not_covered_by_reason(session: Session, line: str, day: date, total: Counts) -> Figure:
    rows = _facet(session, line, "reason")
    reasons: dict[str, int] = {}
    for reason, status, n in rows:
        if status == "not_insured":
            reasons[reason] = reasons.get(reason, 0) + int(n)
    order = {code: i for i, code in enumerate(load_code_table("not_insured_reason").codes())}
    bars = [
        Bar(
            reason or "-",
            _code_label("not_insured_reason", reason, Label("原因未说明", "No reason told")),
            n,
            Counts.of({"not_insured": n}),
            filters=(("status", "not_insured"), ("reason", reason))
            if reason
            else (("status", "not_insured"),),
        )
        for reason, n in sorted(
            reasons.items(), key=lambda item: (-item[1], order.get(item[0], 99))
        )
        if n > 0
    ]
    bars.append(
        Bar(
            "unknown",
            UNKNOWN,
            total.unknown,
            Counts.of({"unknown": total.unknown}),
            filters=(("status", "unknown"),),
        )
    )
    return Figure(
        "not_covered_by_reason",
        Label("未参保人员按原因", "Not covered, by reason"),
        Label(
            "未参保的在册人员按所述原因分列的人数；“未核实”是本中心既无参保记录、也未调查到的人员。",
            "Present people not insured, by the reason they gave; 'not yet verified' are "
            "people this centre holds no record of cover for and has not surveyed yet.",
        ),
        day,
        line,
        "people",
        "bars",
        tuple(bars),
        total,
    )


def _by_category(session: Session, line: str, day: date, total: Counts) -> Figure:
    found = counts_by(_facet(session, line, "category"))
    codes = [c for c in load_code_table("employment_category").codes() if c in found]
    codes += sorted(c for c in found if c and c not in codes)
    bars = [
        _rate_bar(
            code,
            _code_label("employment_category", code, Label("", "")),
            found[code],
            category=code,
        )
        for code in codes
    ]
    if "" in found:
        bars.append(
            Bar("-", Label("未填就业类别", "No category recorded"), found[""].percent, found[""])
        )
    return Figure(
        "by_category",
        Label("按就业类别的参保率", "Coverage rate by employment category"),
        Label(
            "各就业类别在册人员的参保率（已参保/应参保）；外出务工人员、灵活就业人员、"
            "平台从业者单列。",
            "Coverage rate (covered / concerned) of present people by employment category; "
            "migrant, flexible and platform workers each shown apart.",
        ),
        day,
        line,
        "percent",
        "bars",
        tuple(bars),
        total,
    )


def _band_labels() -> list[tuple[str, Label]]:
    out = []
    for low, high in AGE_BANDS:
        key = f"{low}+" if high >= 200 else f"{low}-{high}"
        zh = f"{low}岁以上" if high >= 200 else f"{low}–{high}岁"
        en = f"{low}+" if high >= 200 else f"{low}–{high}"
        out.append((key, Label(zh, en)))
    return out


def _by_age_sex(session: Session, line: str, day: date, total: Counts) -> Figure:
    grouped: dict[tuple[str, str], dict[str, int]] = {}
    for key, status, n in _facet(session, line, "age_sex"):
        born, _, sex = key.partition(":")
        birth_year = int(born or 0)
        band = band_of_birth_year(int(birth_year), day.year) if birth_year else "?"
        series = sex if sex in ("1", "2") else "other"
        into = grouped.setdefault((band, series), {})
        into[status] = into.get(status, 0) + int(n)
    sexes = [("1", Label("男", "Male")), ("2", Label("女", "Female"))]
    if any(series == "other" for _, series in grouped):
        sexes.append(("other", Label("其他/未说明", "Other / not stated")))
    bands = _band_labels()
    if any(band == "?" for band, _ in grouped):
        bands.append(("?", Label("出生年份不详", "Birth year unknown")))
    bars = []
    for band, label in bands:
        for sex, _ in sexes:
            counts = Counts.of(grouped.get((band, sex), {}))
            filters = {"age_band": band} if band != "?" else {}
            if filters and sex != "other":
                filters["sex"] = sex
            bars.append(Bar(band, label, counts.percent, counts, sex, tuple(filters.items())))
    return Figure(
        "by_age_sex",
        Label("按年龄段和性别的参保率", "Coverage rate by age band and sex"),
        Label(
            "各年龄段男、女在册人员的参保率（已参保/应参保）。",
            "Coverage rate (covered / concerned) of present people by age band, men and women "
            "apart.",
        ),
        day,
        line,
        "percent",
        "grouped",
        tuple(bars),
        total,
        series=tuple(Series(key, label) for key, label in sexes),
        note=Label(
            f"年龄按出生年份计，为{day.year}年年末的周岁（{day.year}减出生年份）。",
            f"Age is counted from the birth year: the age at the end of {day.year} "
            f"({day.year} less the birth year).",
        ),
    )


def _trend(session: Session, line: str, day: date, total: Counts) -> Figure:
    months = last_months(day, TREND_MONTHS)
    m = CoverageMonth
    rows = session.execute(
        select(m.month, m.status, func.sum(m.n))
        .where(m.line == line, m.month <= months[-1])
        .group_by(m.month, m.status)
    ).all()
    bars = [
        Bar(month, Label(month, month), counts.percent, counts)
        for month, counts in zip(months, running_counts(rows, months), strict=True)
    ]
    return Figure(
        "trend",
        Label("近12个月参保率走势", "Coverage rate over the last 12 months"),
        Label(
            "每月月末的参保率（已参保/应参保），由各月参保状态的净变化逐月累计得出；"
            "状态按其核实日期计入当月。",
            "The coverage rate (covered / concerned) at each month's end, summing each "
            "month's net change of statuses; a status counts from the month it was "
            "established.",
        ),
        day,
        line,
        "percent",
        "trend",
        tuple(bars),
        total,
    )


# -- the report -----------------------------------------------------------------------------


def report_in(session: Session, actor: Actor, line: str, day: date) -> CoverageReport:
    """The coverage picture of ``line`` on ``day``, inside the caller's read transaction."""
    spec = _line(line)
    by_status: dict[str, int] = {}
    for _, status, n in _facet(session, line, "village"):  # every person has one village key
        by_status[status] = by_status.get(status, 0) + n
    total = Counts.of(by_status)
    township = actor.centre_code[:9]
    figures = (
        _by_village(session, line, township, day, total),
        _by_scheme(session, line, day, total),
        _not_covered_by_reason(session, line, day, total),
        _by_category(session, line, day, total),
        _by_age_sex(session, line, day, total),
        _trend(session, line, day, total),
    )
    return CoverageReport(
        line,
        Label(spec.name_zh, spec.name_en),
        day,
        actor.centre_code,
        actor.centre_name,
        total,
        figures,
    )


def coverage_reports(
    database: Database, actor: Actor, day: date, line_list: Sequence[str] | None = None
) -> list[CoverageReport]:
    """The coverage picture of each line (all lines by default), in one read transaction."""
    actor.require(Permission.VIEW)
    chosen = list(line_list) if line_list else list(line_codes())
    for code in chosen:
        _line(code)
    with database.reading() as session:
        return [report_in(session, actor, code, day) for code in chosen]


def coverage_report(database: Database, actor: Actor, day: date, line: str) -> CoverageReport:
    return coverage_reports(database, actor, day, [line])[0]


def coverage_report_pdf(
    database: Database,
    actor: Actor,
    day: date,
    line_list: Sequence[str] | None = None,
    *,
    now: datetime | None = None,
) -> PrintResult:
    """参保覆盖情况报告 (A4, Chinese, charts included) of the chosen lines."""
    from caseworker.printing.coverage_report import build_coverage_report
    from caseworker.services.documents import _now, font_chain

    reports = coverage_reports(database, actor, day, line_list)
    return build_coverage_report(reports, font_chain(database), printed_at=_now(now))
