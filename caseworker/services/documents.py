"""Printed documents from the store: load what each needs (one read transaction), turn codes
into words, and hand back PDF bytes with the characters no font has (``PrintResult``).

Centre printing settings (receipt paper, the administrator's font file) live in the
``setting`` table and change only through the audited functions here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.codes import load_code_table
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import mask_id_number
from caseworker.domain.regions import load_region_directory, parse_village_code
from caseworker.domain.schemes import contribution
from caseworker.printing.daily_report import build_daily_report
from caseworker.printing.data import (
    CentreInfo,
    DailyReceipt,
    DailyReportData,
    EnrolmentFormData,
    ReceiptData,
    SchemeLine,
    SurveyHousehold,
    SurveyMember,
    SurveySheetData,
    TransmittalData,
    TransmittalRow,
    VoidInfo,
)
from caseworker.printing.enrolment_form import build_enrolment_form
from caseworker.printing.fonts import FontChain, NoFontError, load_chain
from caseworker.printing.labels import (
    ENTITY_LABELS,
    ID_KIND_LABELS,
    MEDICAL,
    METHOD_LABELS,
    OPERATION_LABELS,
    PENSION,
    SEX_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
)
from caseworker.printing.layout import PrintResult
from caseworker.printing.receipt import PAPERS, Paper, build_receipt, build_receipts
from caseworker.printing.survey import build_survey
from caseworker.printing.transmittal import build_transmittal
from caseworker.services.actor import Actor, Permission
from caseworker.services.enrolment import person_facts
from caseworker.services.errors import NotFound, ServiceError, ValidationFailed
from caseworker.services.journal import audit
from caseworker.services.parameters import parameters_for
from caseworker.services.registry import _resolve
from caseworker.store.database import Database
from caseworker.store.models import (
    Centre,
    CoverageSurveyEntry,
    Employer,
    Enrolment,
    Household,
    Operator,
    OutboxEntry,
    Payment,
    Person,
    Setting,
)

RECEIPT_PAPER_KEY = "printing.receipt_paper"
FONT_PATH_KEY = "printing.font_path"
# -- settings -----------------------------------------------------------------------------


def _setting(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(Setting, key)
    return row.value if row else None


def _put_setting(database: Database, actor: Actor, key: str, value: dict[str, Any]) -> None:
    actor.require(Permission.MANAGE_CENTRE)
    with database.writing() as session:
        row = session.get(Setting, key)
        before = row.value if row else None
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
        audit(
            session,
            actor,
            action="setting.change",
            entity_type="setting",
            entity_id=None,
            detail={"key": key, "before": before, "after": value},
        )


def receipt_paper(database: Database) -> Paper:
    with database.reading() as session:
        value = _setting(session, RECEIPT_PAPER_KEY) or {}
    paper = value.get("paper")
    return paper if paper in PAPERS else "a5"


def set_receipt_paper(database: Database, actor: Actor, paper: str) -> None:
    """A5 at the desk, the 80 mm roll on a portable printer; administrators only, audited."""
    if paper not in PAPERS:
        raise ValidationFailed(
            [
                InvalidValue(
                    "receipt_paper", "unknown_code", f"收据纸张应为 a5 或 roll80，不能是“{paper}”。"
                )
            ]
        )
    _put_setting(database, actor, RECEIPT_PAPER_KEY, {"paper": paper})


def font_path(database: Database) -> str | None:
    with database.reading() as session:
        value = _setting(session, FONT_PATH_KEY) or {}
    return value.get("path") or None


def set_font_path(database: Database, actor: Actor, path: str | None) -> None:
    """The administrator's font file (``.ttf``/``.ttc``, ``file.ttc#1`` for another face),
    tried before the system fonts; checked now, so a bad path fails here, not at printing."""
    if path:
        file = Path(path.partition("#")[0]).expanduser()
        try:
            chain = load_chain(path, system=False)
        except NoFontError as error:
            raise ValidationFailed(
                [
                    InvalidValue(
                        "font_path",
                        "unusable",
                        f"字体文件“{file}”无法使用（需为可嵌入的 TrueType .ttf/.ttc 字体）："
                        f"{'; '.join(error.tried)}",
                    )
                ]
            ) from None
        path = f"{chain.primary.source.path}#{chain.primary.source.index}"
    _put_setting(database, actor, FONT_PATH_KEY, {"path": path})


def font_chain(database: Database) -> FontChain:
    """The fonts documents print with: the administrator's file first, then the system's."""
    try:
        return load_chain(font_path(database))
    except NoFontError as error:
        raise ServiceError("no_font", error.message, error.message_en) from None


# -- helpers ------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC).astimezone()


def _local(moment: datetime) -> datetime:
    return moment.astimezone()


def _centre(session: Session) -> CentreInfo:
    centre = session.scalars(select(Centre)).first()
    if centre is None:
        raise NotFound("centre", "数据库中没有服务中心记录。", "No centre in the database.")
    return CentreInfo(centre.code, centre.name)


def _label(table: str, code: str | None, default: str = "") -> str:
    if not code:
        return default
    try:
        return load_code_table(table).label(code)
    except InvalidValue:
        return code


def _operators(session: Session) -> dict[uuid.UUID, str]:
    return {o.id: o.display_name for o in session.scalars(select(Operator))}


# -- enrolment form -----------------------------------------------------------------------


def _scheme_line(enrolment: Enrolment, person: Person, day: date, province: str) -> SchemeLine:
    yearly = enrolment.scheme in ("resident_pension", "resident_medical")
    line = SchemeLine(
        scheme=_label("scheme", enrolment.scheme),
        status=STATUS_LABELS.get(enrolment.status, enrolment.status),
        start_date=enrolment.start_date,
        tier_fen=enrolment.tier_fen,
        base_fen=enrolment.base_fen,
        period="按年" if yearly else "按月",
    )
    try:
        due = contribution(
            enrolment.scheme,
            person_facts(person, province),
            day,
            parameters_for(day, province),
            tier_fen=enrolment.tier_fen,
            base_fen=enrolment.base_fen,
        )
    except InvalidValue:
        return line  # no longer eligible or a tier since withdrawn: the choice prints, no sums
    return replace(
        line,
        amount_fen=due.amount_fen,
        personal_fen=due.personal_fen,
        subsidy_fen=due.subsidy_fen,
        paid_by_government_fen=due.paid_by_government_fen,
    )


def enrolment_form_data(
    database: Database, reference: str, *, now: datetime | None = None
) -> EnrolmentFormData:
    printed = _now(now)
    regions = load_region_directory()
    with database.reading() as session:
        person = _resolve(session, reference)
        if person is None:
            raise NotFound(
                "person",
                f"本地登记库中没有“{reference}”对应的人员，无法打印参保登记表。",
                f"No person {reference!r} in the local registry; nothing to print.",
            )
        centre = _centre(session)
        province = centre.code[:2] + "0000"
        operators = _operators(session)
        enrolments = session.scalars(
            select(Enrolment).where(Enrolment.person_id == person.id).order_by(Enrolment.scheme)
        ).all()
        employer = session.get(Employer, person.employer_id) if person.employer_id else None
        household = session.get(Household, person.household_id) if person.household_id else None
        day = printed.date()
        schemes = tuple(_scheme_line(e, person, day, province) for e in enrolments)
        presented = {code for e in enrolments for code in e.documents}
        village = regions.find(person.hukou_village_code) if person.hukou_village_code else None
        township = regions.find(village.parent_code) if village and village.parent_code else None
        return EnrolmentFormData(
            record_id=person.id,
            centre=centre,
            printed_at=printed,
            operator=operators.get(person.updated_by or person.created_by or uuid.UUID(int=0), ""),
            name=person.name,
            id_number=person.id_number,
            id_kind=ID_KIND_LABELS.get(person.id_kind, person.id_kind),
            sex=SEX_LABELS.get(person.sex, person.sex),
            birth_date=person.birth_date,
            ethnicity=_label("ethnic_group", person.ethnicity),
            phone=person.phone or "",
            hukou_nature=_label("hukou_nature", person.hukou_nature),
            hukou_region=regions.name_path(person.hukou_region_code)
            if person.hukou_region_code
            else "",
            hukou_village="".join(r.name for r in (township, village) if r),
            hukou_address=person.hukou_address or "",
            residence_address=person.residence_address or "",
            employment=_label("employment_category", person.employment_category),
            employer=f"{employer.name}（{employer.credit_code}）" if employer else "",
            special_groups=tuple(_label("special_group", g) for g in person.special_groups),
            bank_account=person.bank_account or "",
            relationship=_label("relationship", person.relationship_to_head),
            household_address=household.address_detail or "" if household else "",
            version=person.version,
            schemes=schemes,
            documents=tuple(
                (entry.name_zh, entry.code in presented) for entry in load_code_table("document")
            ),
            enrolled_on=min((e.start_date for e in enrolments), default=None),
        )


def enrolment_form_pdf(
    database: Database, reference: str, *, now: datetime | None = None
) -> PrintResult:
    """参保登记表 of the person with this ID number or UUID."""
    return build_enrolment_form(
        enrolment_form_data(database, reference, now=now), font_chain(database)
    )


# -- receipts -----------------------------------------------------------------------------


def _receipt_data(
    session: Session,
    payment: Payment,
    centre: CentreInfo,
    operators: dict[uuid.UUID, str],
    printed: datetime,
    reprint: bool,
) -> ReceiptData:
    person = session.get_one(Person, payment.person_id)
    void = None
    if payment.voided_at is not None:
        void = VoidInfo(
            payment.void_reason or "",
            _local(payment.voided_at),
            operators.get(payment.voided_by, "") if payment.voided_by else "",
        )
    return ReceiptData(
        record_id=payment.id,
        receipt_number=payment.receipt_number,
        centre=centre,
        name=person.name,
        masked_id_number=mask_id_number(person.id_number),
        scheme=_label("scheme", payment.scheme),
        period_start=payment.period_start,
        period_end=payment.period_end,
        tier_fen=payment.tier_fen,
        base_fen=payment.base_fen,
        amount_fen=payment.amount_fen,
        personal_fen=payment.personal_fen,
        subsidy_fen=payment.subsidy_fen,
        paid_by_government_fen=payment.paid_by_government_fen,
        method=METHOD_LABELS.get(payment.method, payment.method),
        operator=operators.get(payment.operator_id, ""),
        paid_at=_local(payment.paid_at),
        printed_at=printed,
        reprint=reprint,
        void=void,
    )


def receipt_data(
    database: Database,
    receipt_numbers: Sequence[str],
    *,
    reprint: bool = False,
    now: datetime | None = None,
) -> list[ReceiptData]:
    printed = _now(now)
    numbers = [n.strip() for n in receipt_numbers]
    with database.reading() as session:
        centre = _centre(session)
        operators = _operators(session)
        payments = {
            p.receipt_number: p
            for p in session.scalars(select(Payment).where(Payment.receipt_number.in_(numbers)))
        }
        unknown = [n for n in numbers if n not in payments]
        if unknown:
            raise NotFound(
                "receipt",
                f"找不到收据号 {'、'.join(unknown)}（格式如 320281103-01-2026-000042）。",
                f"No receipt {', '.join(unknown)} (numbers look like 320281103-01-2026-000042).",
            )
        return [
            _receipt_data(session, payments[n], centre, operators, printed, reprint)
            for n in numbers
        ]


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


def receipt_numbers_for_day(database: Database, day: date) -> list[str]:
    with database.reading() as session:
        return list(
            session.scalars(
                select(Payment.receipt_number)
                .where(Payment.business_date == day)
                .order_by(Payment.receipt_number)
            )
        )


# -- daily collection report --------------------------------------------------------------


def daily_report_pdf(database: Database, day: date, *, now: datetime | None = None) -> PrintResult:
    """收缴日报表: every receipt of ``day`` (the business date), voids shown, not totalled."""
    printed = _now(now)
    with database.reading() as session:
        centre = _centre(session)
        operators = _operators(session)
        rows = session.execute(
            select(Payment, Person.name)
            .join(Person, Person.id == Payment.person_id)
            .where(Payment.business_date == day)
            .order_by(Payment.receipt_number)
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
    data = DailyReportData(centre, day, printed, receipts)
    return build_daily_report(data, font_chain(database))


# -- household survey ---------------------------------------------------------------------


def _coverage(
    person: Person, entries: dict[tuple[uuid.UUID, str], CoverageSurveyEntry], group: tuple
) -> tuple[str | None, str]:
    """The latest surveyed status in the scheme group, or 本地 if enrolled here."""
    if any(e.scheme in group and e.status == "active" for e in person.enrolments):
        return "insured_here", ""
    found = [entries[(person.id, s)] for s in group if (person.id, s) in entries]
    if not found:
        return None, ""
    latest = max(found, key=lambda e: e.surveyed_on)
    return latest.status, latest.not_insured_reason or ""


def survey_pdf(
    database: Database, village_code: str, *, blank: bool = False, now: datetime | None = None
) -> PrintResult:
    """全民参保登记入户调查表 for a village: a pre-filled sheet per household, or one blank."""
    code = parse_village_code(village_code)
    printed = _now(now)
    regions = load_region_directory()
    reasons = tuple((e.code, e.name_zh) for e in load_code_table("not_insured_reason"))
    with database.reading() as session:
        centre = _centre(session)
        households: list[SurveyHousehold] = []
        if not blank:
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
            entries = {
                (e.person_id, e.scheme): e
                for e in session.scalars(
                    select(CoverageSurveyEntry)
                    .join(Person, Person.id == CoverageSurveyEntry.person_id)
                    .where(Person.household_id.in_([h.id for h in rows]))
                    .order_by(CoverageSurveyEntry.surveyed_on)
                )
            }
            for household in rows:
                members = sorted(
                    household.members, key=lambda p: (p.relationship_to_head or "99", p.birth_date)
                )
                head = next((p.name for p in members if p.relationship_to_head in ("01", "02")), "")
                survey_members = []
                for p in members:
                    pension, reason_p = _coverage(p, entries, PENSION)
                    medical, reason_m = _coverage(p, entries, MEDICAL)
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
                households.append(
                    SurveyHousehold(
                        household.address_detail or "", head, tuple(survey_members), household.id
                    )
                )
    data = SurveySheetData(
        centre, code, regions.name_path(code), printed, tuple(households), reasons
    )
    return build_survey(data, font_chain(database))


# -- batch transmittal list ---------------------------------------------------------------


def transmittal_rows(database: Database, batch_id: uuid.UUID) -> list[TransmittalRow]:
    """The outbox records sealed into ``batch_id``, as plain rows for the transmittal list."""
    with database.reading() as session:
        entries = session.scalars(
            select(OutboxEntry).where(OutboxEntry.batch_id == batch_id).order_by(OutboxEntry.seq)
        ).all()
        names = dict(
            session.execute(
                select(Person.id, Person.name).where(
                    Person.id.in_(
                        {uuid.UUID(str(e.payload.get("person_id") or e.entity_id)) for e in entries}
                    )
                )
            ).all()
        )
        return [_transmittal_row(e, names) for e in entries]


def _transmittal_row(entry: OutboxEntry, names: dict[uuid.UUID, str]) -> TransmittalRow:
    payload = entry.payload
    person_id = uuid.UUID(str(payload.get("person_id") or entry.entity_id))
    if entry.entity_type == "payment":
        reference = str(payload.get("receipt_number", ""))
    elif payload.get("id_number"):
        reference = mask_id_number(str(payload["id_number"]))
    else:
        reference = str(payload.get("credit_code") or _label("scheme", payload.get("scheme")))
    return TransmittalRow(
        kind=ENTITY_LABELS.get(entry.entity_type, entry.entity_type),
        subject=str(payload.get("name") or names.get(person_id, "")),
        reference=reference,
        operation=OPERATION_LABELS.get(entry.operation, entry.operation),
        record_id=entry.entity_id,
        recorded_at=_local(entry.created_at),
        state=STATE_LABELS.get(entry.sync_state, entry.sync_state),
    )


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
