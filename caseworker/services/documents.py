"""Printed documents from the store: load what each needs (one read transaction), turn codes
into words, and hand back PDF bytes with the characters no font has (``PrintResult``).

Centre printing settings (receipt paper, the administrator's font file) live in
``documents_settings`` and the loaders that turn store rows into printing records in
``documents_records``; both are re-exported here, so ``documents.X`` keeps working.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy import select

from caseworker.domain.codes import load_code_table
from caseworker.domain.errors import InvalidValue
from caseworker.domain.regions import load_region_directory, parse_village_code
from caseworker.printing.daily_report import build_daily_report
from caseworker.printing.data import (
    DailyClose,
    DailyReceipt,
    DailyReportData,
    SurveyHousehold,
    SurveyMember,
    SurveySheetData,
    TransmittalData,
    TransmittalRow,
)
from caseworker.printing.enrolment_form import build_enrolment_form
from caseworker.printing.labels import (
    METHOD_LABELS,
    SEX_LABELS,
)
from caseworker.printing.layout import PrintResult
from caseworker.printing.receipt import PAPERS, Paper, build_receipt, build_receipts
from caseworker.printing.survey import build_survey
from caseworker.printing.transmittal import build_transmittal
from caseworker.services.day_close import closes_on
from caseworker.services.documents_records import (
    _centre,
    _label,
    _local,
    _now,
    _operators,
    enrolment_form_data,
    receipt_data,
    receipt_numbers_for_day,
    transmittal_rows,
)
from caseworker.services.documents_settings import (
    font_chain,
    font_path,
    receipt_paper,
    set_font_path,
    set_receipt_paper,
)
from caseworker.services.errors import NotFound, ValidationFailed
from caseworker.store.database import Database
from caseworker.store.models import (
    CoverageStatus,
    Household,
    Payment,
    Person,
)

__all__ = [
    "daily_report_pdf",
    "enrolment_form_data",
    "enrolment_form_pdf",
    "font_chain",
    "font_path",
    "receipt_data",
    "receipt_numbers_for_day",
    "receipt_paper",
    "receipt_pdf",
    "receipts_pdf",
    "set_font_path",
    "set_receipt_paper",
    "survey_pdf",
    "transmittal_pdf",
    "transmittal_rows",
]

# -- enrolment form -----------------------------------------------------------------------


def enrolment_form_pdf(
    database: Database, reference: str, *, now: datetime | None = None
) -> PrintResult:
    """参保登记表 of the person with this ID number or UUID."""
    return build_enrolment_form(
        enrolment_form_data(database, reference, now=now), font_chain(database)
    )


# -- receipts -----------------------------------------------------------------------------


def _paper(database: Database, paper: str | None) -> Paper:
    if paper is None:
        return receipt_paper(database)
    if paper not in PAPERS:
        raise ValidationFailed(
            [InvalidValue("paper", "unknown_code", f"收据纸张应为 a5 或 roll80，不能是“{paper}”。")]
        )
    return paper  # type: ignore[return-value]


def receipt_pdf(
    database: Database,
    receipt_number: str,
    *,
    reprint: bool = False,
    paper: str | None = None,
    now: datetime | None = None,
) -> PrintResult:
    """One receipt on the centre's receipt paper (or ``paper``); ``reprint`` marks it 副本."""
    (data,) = receipt_data(database, [receipt_number], reprint=reprint, now=now)
    return build_receipt(data, font_chain(database), paper=_paper(database, paper))


def receipts_pdf(
    database: Database,
    receipt_numbers: Sequence[str],
    *,
    reprint: bool = False,
    paper: str | None = None,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PrintResult:
    """Many receipts in one PDF, a page each; ``progress(done, total)`` may raise to cancel."""
    chosen = _paper(database, paper)
    chain = font_chain(database)
    receipts = receipt_data(database, receipt_numbers, reprint=reprint, now=now)
    return build_receipts(receipts, chain, paper=chosen, progress=progress)


# -- daily collection report --------------------------------------------------------------


def daily_report_pdf(database: Database, day: date, *, now: datetime | None = None) -> PrintResult:
    """收缴日报表: every receipt of ``day`` (the business date), voids shown, not totalled, and
    each operator's close of the day (reopened ones too, marked)."""
    printed = _now(now)
    with database.reading() as session:
        centre = _centre(session)
        operators = _operators(session)
        rows = session.execute(
            select(Payment, Person.name)
            .join(Person, Person.id == Payment.person_id)
            # The centre's own receipts; tax-channel payments are no cash taken here.
            .where(Payment.business_date == day, Payment.channel == "desk")
            .order_by(Payment.receipt_number, Payment.receipt_line)
        ).all()
        receipts = tuple(
            DailyReceipt(
                receipt_number=p.receipt_number,
                paid_at=_local(p.paid_at),
                name=name,
                scheme=_label("scheme", p.scheme),
                operator=operators.get(p.operator_id, ""),
                method=METHOD_LABELS.get(p.method, p.method),
                amount_fen=p.amount_fen,
                personal_fen=p.personal_fen,
                paid_by_government_fen=p.paid_by_government_fen,
                subsidy_fen=p.subsidy_fen,
                void_reason=p.void_reason if p.voided_at else None,
                voided_by=operators.get(p.voided_by, "") if p.voided_by else "",
            )
            for p, name in rows
        )
        closes = tuple(
            DailyClose(
                operator=c.operator_name,
                receipts=c.receipts,
                voids=c.voids,
                expected_cash_fen=c.expected_cash_fen,
                counted_cash_fen=c.counted_cash_fen,
                difference_fen=c.difference_fen,
                note=c.note or "",
                closed_by=c.closed_by,
                closed_at=_local(c.closed_at),
                reopened=(
                    f"{c.reopened_by} {_local(c.reopened_at).strftime('%H:%M')} {c.reopen_reason}"
                    if c.reopened_at
                    else ""
                ),
                matches_audit=c.matches_audit,
            )
            for c in closes_on(session, day)
        )
    data = DailyReportData(centre, day, printed, receipts, closes)
    return build_daily_report(data, font_chain(database))


# -- household survey ---------------------------------------------------------------------


def survey_pdf(
    database: Database,
    village_code: str | None = None,
    *,
    household_ids: Sequence[uuid.UUID] | None = None,
    blank: bool = False,
    now: datetime | None = None,
) -> PrintResult:
    """全民参保登记入户调查表: a pre-filled sheet per household of a village (or one blank
    sheet), or, with ``household_ids``, per chosen household in the order given (a trip)."""
    printed = _now(now)
    regions = load_region_directory()
    reasons = tuple((e.code, e.name_zh) for e in load_code_table("not_insured_reason"))
    code = parse_village_code(village_code or "") if household_ids is None else ""
    with database.reading() as session:
        centre = _centre(session)
        households: list[SurveyHousehold] = []
        if household_ids is not None:
            found = {
                h.id: h
                for h in session.scalars(
                    select(Household).where(Household.id.in_(list(household_ids)))
                )
            }
            rows = [found[i] for i in household_ids if i in found]
            if not rows:
                raise NotFound(
                    "household",
                    "没有可打印的家庭户：所选家庭户不在本地登记库中。",
                    "None of the chosen households is in the local registry.",
                )
            households = _survey_households(session, rows, regions)
        elif not blank:
            rows = session.scalars(
                select(Household).where(Household.village_code == code).order_by(Household.id)
            ).all()
            if not rows:
                raise NotFound(
                    "village",
                    f"本地登记库中没有村（居）委会 {code} 的家庭户；可打印空白调查表（--blank）。",
                    f"No households of village {code} in the local registry; print a blank "
                    "sheet (--blank) instead.",
                )
            households = _survey_households(session, list(rows), regions)
    data = SurveySheetData(
        centre, code, regions.name_path(code) if code else "", printed, tuple(households), reasons
    )
    return build_survey(data, font_chain(database))


def _survey_households(session, rows: list[Household], regions) -> list[SurveyHousehold]:
    """Each household with the members still there (head first) and their coverage status
    (what records and earlier visits found; a status not yet known leaves the boxes empty)."""
    statuses = {
        (c.person_id, c.line): c
        for c in session.scalars(
            select(CoverageStatus)
            .join(Person, Person.id == CoverageStatus.person_id)
            .where(Person.household_id.in_([h.id for h in rows]))
        )
    }
    households = []
    for household in rows:
        present = [
            p for p in household.members if p.moved_away_on is None and p.deceased_on is None
        ]
        members = sorted(present, key=lambda p: (p.relationship_to_head or "99", p.birth_date))
        head = next((p.name for p in members if p.relationship_to_head in ("01", "02")), "")
        survey_members = []
        for p in members:
            pension, reason_p = _sheet_status(statuses.get((p.id, "pension")))
            medical, reason_m = _sheet_status(statuses.get((p.id, "medical")))
            survey_members.append(
                SurveyMember(
                    name=p.name,
                    relationship=_label("relationship", p.relationship_to_head),
                    sex=SEX_LABELS.get(p.sex, p.sex),
                    id_number=p.id_number,
                    phone=p.phone or "",
                    employment=_label("employment_category", p.employment_category),
                    pension=pension,
                    medical=medical,
                    reason=reason_p or reason_m,
                )
            )
        village = household.village_code or ""
        households.append(
            SurveyHousehold(
                household.address_detail or "",
                head,
                tuple(survey_members),
                household.id,
                village_code=village,
                village_name=regions.name_path(village) if village else "",
            )
        )
    return households


def _sheet_status(row: CoverageStatus | None) -> tuple[str | None, str]:
    """The sheet's boxes are 本地 / 异地 / 未参保: other statuses leave them for the visit."""
    if row is None or row.status not in ("insured_here", "insured_elsewhere", "not_insured"):
        return None, ""
    return row.status, (row.reason or "") if row.status == "not_insured" else ""


# -- batch transmittal list ---------------------------------------------------------------


def transmittal_pdf(
    database: Database,
    batch_id: str | uuid.UUID,
    rows: Sequence[TransmittalRow],
    *,
    created_at: datetime | None = None,
    sha256: str = "",
    now: datetime | None = None,
) -> PrintResult:
    """业务数据移交清单 of one upload batch, from plain rows (``transmittal_rows`` or the
    sync engine's own), with the batch's SHA-256 when it has been sealed."""
    with database.reading() as session:
        centre = _centre(session)
    data = TransmittalData(
        centre,
        str(batch_id),
        _now(now),
        tuple(rows),
        created_at=_local(created_at) if created_at else None,
        sha256=sha256,
    )
    return build_transmittal(data, font_chain(database))
