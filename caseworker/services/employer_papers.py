"""The employer's printed papers from the store: 参保单位登记表, 增减员表 and the roster with
bases, each read in one transaction and laid out by printing/employer_papers.py."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from caseworker.domain.codes import label_or_code, load_code_table
from caseworker.domain.employment import EMPLOYEE_SCHEMES, base_text, monthly_amounts
from caseworker.domain.money import format_yuan
from caseworker.printing.employer_papers import (
    EmployerList,
    EmployerPaperHead,
    EmployerRegistration,
    PaperTable,
    build_employer_list,
    build_employer_registration,
)
from caseworker.printing.layout import PrintResult
from caseworker.printing.tables import Column
from caseworker.services.actor import Actor, Permission
from caseworker.services.base_declaration import injury_rate
from caseworker.services.documents_records import _centre
from caseworker.services.documents_settings import font_chain
from caseworker.services.employer_rolls import SpellRow, month_changes, roster
from caseworker.services.employers import EmployerSummary, get_employer
from caseworker.services.employment import province_of
from caseworker.services.parameters import parameters_for
from caseworker.store.database import Database
from caseworker.store.models import Employer

SIGNATURES = ("单位经办人签字", "单位（盖章）", "经办机构经办人", "复核人")


def _scheme_names(schemes: tuple[str, ...] | list[str]) -> str:
    """Short names (职工养老、职工医疗 …): a table cell holds four of them."""
    table = load_code_table("scheme")
    return "、".join(
        str(table.get(s).extra.get("short_zh") or table.get(s).name_zh) for s in schemes
    )


def _head(database: Database, employer: EmployerSummary, now: datetime | None) -> EmployerPaperHead:
    with database.reading() as session:
        centre = _centre(session)
    return EmployerPaperHead(
        centre=centre,
        credit_code=employer.credit_code,
        name=employer.name,
        employer_type=label_or_code("employer_type", employer.employer_type),
        industry=employer.industry or "",
        address=employer.address or "",
        contact=" ".join(x for x in (employer.contact_name, employer.contact_phone) if x),
        printed_at=now or datetime.now(UTC),
    )


def _injury_words(database: Database, actor: Actor, employer: EmployerSummary) -> str:
    if "work_injury" not in employer.schemes or employer.risk_class is None:
        return ""
    params = parameters_for(employer.insured_from or date.today(), province_of(actor))
    with database.reading() as session:
        rate = injury_rate(session.get_one(Employer, employer.id), params)
    benchmark = params.work_injury.risk_class_bp[employer.risk_class - 1]
    step = employer.work_injury_float_bp or 10000
    return (
        f"{rate / 100:.2f}%（{label_or_code('industry_risk_class', str(employer.risk_class))}"
        f"基准费率{benchmark / 100:.2f}%的{step // 100}%，由单位缴纳）"
    )


def registration_pdf(
    database: Database, actor: Actor, employer_id: uuid.UUID, *, now: datetime | None = None
) -> PrintResult:
    actor.require(Permission.VIEW)
    employer = get_employer(database, employer_id)
    data = EmployerRegistration(
        head=_head(database, employer, now),
        schemes=tuple(
            (label_or_code("scheme", s), s in employer.schemes) for s in EMPLOYEE_SCHEMES
        ),
        insured_from=employer.insured_from,
        risk_class=label_or_code("industry_risk_class", str(employer.risk_class))
        if employer.risk_class
        else "",
        injury_rate=_injury_words(database, actor, employer),
        # Employees insured through it today (known workers not insured are not counted).
        employees=len(roster(database, actor, employer_id, (now or datetime.now(UTC)).date())),
    )
    return build_employer_registration(data, font_chain(database))


CHANGE_COLUMNS = (
    Column("序号", 0.5, "center"),
    Column("姓名", 1.0),
    Column("公民身份号码", 1.9),
    Column("日期", 1.1, "center"),
    Column("险种", 3.2),
    Column("月缴费基数", 1.1, "right"),
    Column("原因", 1.1),
)


def _change_rows(rows: tuple[SpellRow, ...], left: bool) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            str(n),
            r.name,
            r.id_number,
            (r.end_date if left and r.end_date else r.start_date).isoformat(),
            _scheme_names(r.schemes),
            base_text(r.base_fen),
            label_or_code("employment_end_reason", r.end_reason) if left and r.end_reason else "",
        )
        for n, r in enumerate(rows, start=1)
    )


def change_list_pdf(
    database: Database,
    actor: Actor,
    employer_id: uuid.UUID,
    year: int,
    month: int,
    *,
    now: datetime | None = None,
) -> PrintResult:
    """增减员表 of one month: who joined and who left, for the employer to check and sign."""
    employer = get_employer(database, employer_id)
    changes = month_changes(database, actor, employer_id, year, month)
    data = EmployerList(
        head=_head(database, employer, now),
        title="社会保险参保人员增减变动表",
        form_code="表号：CW-DW-02",
        subject=f"{year}年{month}月",
        tables=(
            PaperTable(
                f"一、增员（{len(changes.joined)} 人，日期为参保起始日）",
                CHANGE_COLUMNS,
                _change_rows(changes.joined, left=False),
            ),
            PaperTable(
                f"二、减员（{len(changes.left)} 人，日期为最后参保日）",
                CHANGE_COLUMNS,
                _change_rows(changes.left, left=True),
            ),
        ),
        signatures=SIGNATURES,
        note="单位核对无误后签字盖章；增员自参保起始日所在月起、减员至最后参保日所在月止按月缴费。",
    )
    return build_employer_list(data, font_chain(database))


ROSTER_COLUMNS = (
    Column("序号", 0.5, "center"),
    Column("姓名", 1.0),
    Column("公民身份号码", 1.9),
    Column("参保日期", 1.1, "center"),
    Column("险种", 2.6),
    Column("月缴费基数", 1.1, "right"),
    Column("单位月缴", 1.0, "right"),
    Column("个人月缴", 1.0, "right"),
)


def roster_pdf(
    database: Database,
    actor: Actor,
    employer_id: uuid.UUID,
    day: date,
    *,
    now: datetime | None = None,
) -> PrintResult:
    """职工参保花名册: the employees on ``day`` with their bases and monthly amounts."""
    employer = get_employer(database, employer_id)
    rows = roster(database, actor, employer_id, day)
    params = parameters_for(day, province_of(actor))
    with database.reading() as session:
        rate = injury_rate(session.get_one(Employer, employer_id), params)
    lines, employer_total, employee_total, elsewhere = [], 0, 0, 0
    for n, r in enumerate(rows, start=1):
        by_employer: int | None = None
        by_employee: int | None = None
        if r.base_fen is None:
            elsewhere += 1  # another centre's employee: no base here, no amounts, not summed
        else:
            amounts = monthly_amounts(r.base_fen, r.schemes, params, rate)
            by_employer = sum(a.employer_fen for a in amounts)
            by_employee = sum(a.employee_fen for a in amounts)
            employer_total += by_employer
            employee_total += by_employee
        lines.append(
            (
                str(n),
                r.name,
                r.id_number,
                r.start_date.isoformat(),
                _scheme_names(r.schemes),
                base_text(r.base_fen),
                base_text(by_employer),
                base_text(by_employee),
            )
        )
    total = (
        f"每月合计：单位 {format_yuan(employer_total)} 元，个人 {format_yuan(employee_total)} 元"
    )
    if elsewhere:
        total += f"（另有 {elsewhere} 人由其他服务中心办理，基数在该中心，未计入）"
    data = EmployerList(
        head=_head(database, employer, now),
        title="职工参保花名册（含缴费基数）",
        form_code="表号：CW-DW-03",
        subject=f"截至{day.isoformat()}",
        tables=(
            PaperTable(
                f"在职参保职工 {len(rows)} 人（金额单位：元）",
                ROSTER_COLUMNS,
                tuple(lines),
                total=total,
            ),
        ),
        signatures=("单位经办人签字", "单位（盖章）"),
    )
    return build_employer_list(data, font_chain(database))
