"""Loaders for printed documents: read the store (one read transaction), turn codes into
words, and hand back the plain printing records (``caseworker.printing.data``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.codes import load_code_table
from caseworker.domain.contributions import contribution
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import mask_id_number
from caseworker.domain.periods import Period
from caseworker.domain.regions import load_region_directory
from caseworker.printing.data import (
    CentreInfo,
    EnrolmentFormData,
    ReceiptData,
    ReceiptLineData,
    SchemeLine,
    TransmittalRow,
    VoidInfo,
)
from caseworker.printing.labels import (
    ENTITY_LABELS,
    ID_KIND_LABELS,
    METHOD_LABELS,
    OPERATION_LABELS,
    SEX_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
)
from caseworker.services.contribution_periods import is_arrears
from caseworker.services.enrolment import person_facts
from caseworker.services.errors import NotFound
from caseworker.services.parameters import parameters_for
from caseworker.services.registry import _resolve
from caseworker.store.database import Database
from caseworker.store.models import (
    Centre,
    Employer,
    Enrolment,
    Household,
    Operator,
    OutboxEntry,
    Payment,
    Person,
)

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


# -- receipts -----------------------------------------------------------------------------


def _receipt_data(
    payments: Sequence[Payment],
    people: dict[uuid.UUID, tuple[str, str]],
    centre: CentreInfo,
    operators: dict[uuid.UUID, str],
    printed: datetime,
    reprint: bool,
) -> ReceiptData:
    """One receipt from its payment lines (in line order; the first line's person paid);
    ``people`` gives each person's name and ID number."""
    first = payments[0]
    payer_name, payer_id = people[first.person_id]
    void = None
    if first.voided_at is not None:
        void = VoidInfo(
            first.void_reason or "",
            _local(first.voided_at),
            operators.get(first.voided_by, "") if first.voided_by else "",
        )
    return ReceiptData(
        record_id=first.id,
        receipt_number=first.receipt_number or "",
        centre=centre,
        name=payer_name,
        masked_id_number=mask_id_number(payer_id),
        lines=tuple(
            ReceiptLineData(
                name=people[p.person_id][0],
                masked_id_number=mask_id_number(people[p.person_id][1]),
                scheme=_label("scheme", p.scheme),
                period_start=p.period_start,
                period_end=p.period_end,
                tier_fen=p.tier_fen,
                base_fen=p.base_fen,
                amount_fen=p.amount_fen,
                personal_fen=p.personal_fen,
                subsidy_fen=p.subsidy_fen,
                paid_by_government_fen=p.paid_by_government_fen,
                arrears=is_arrears(
                    p.scheme,
                    Period(p.period_start, p.period_end),
                    p.business_date,
                    centre.code[:2] + "0000",
                ),
            )
            for p in payments
        ),
        method=METHOD_LABELS.get(first.method, first.method),
        operator=operators.get(first.operator_id, ""),
        paid_at=_local(first.paid_at),
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
    """Each receipt with all its lines (a visit's receipt has a line per person and scheme)."""
    printed = _now(now)
    numbers = [n.strip() for n in receipt_numbers]
    with database.reading() as session:
        centre = _centre(session)
        operators = _operators(session)
        lines: dict[str, list[Payment]] = {}
        for p in session.scalars(
            select(Payment)
            .where(Payment.receipt_number.in_(numbers))
            .order_by(Payment.receipt_number, Payment.receipt_line)
        ):
            lines.setdefault(p.receipt_number or "", []).append(p)
        unknown = [n for n in numbers if n not in lines]
        if unknown:
            raise NotFound(
                "receipt",
                f"找不到收据号 {'、'.join(unknown)}（格式如 320281103-01-2026-000042）。",
                f"No receipt {', '.join(unknown)} (numbers look like 320281103-01-2026-000042).",
            )
        # Every line's person in one query: a day's batch is a thousand receipts.
        ids = {p.person_id for payments in lines.values() for p in payments}
        people = {
            person_id: (name, id_number)
            for person_id, name, id_number in session.execute(
                select(Person.id, Person.name, Person.id_number).where(Person.id.in_(ids))
            )
        }
        return [
            _receipt_data(lines[n], people, centre, operators, printed, reprint) for n in numbers
        ]


def receipt_numbers_for_day(database: Database, day: date) -> list[str]:
    """The day's centre receipts, each number once however many lines it has."""
    with database.reading() as session:
        return list(
            session.scalars(
                select(Payment.receipt_number)
                # Tax-channel payments have a voucher, not a receipt of ours to print.
                .where(Payment.business_date == day, Payment.channel == "desk")
                .group_by(Payment.receipt_number)
                .order_by(Payment.receipt_number)
            )
        )


# -- household survey ---------------------------------------------------------------------


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
        reference = str(payload.get("receipt_number") or payload.get("voucher_number") or "")
    elif payload.get("id_number"):
        reference = mask_id_number(str(payload["id_number"]))
    elif entry.entity_type == "coverage":
        # Which line and what it now says, e.g. 养老保险：本地参保.
        line = _label("coverage_line", payload.get("line"))
        reference = f"{line}：{_label('coverage_status', payload.get('status'))}"
    elif entry.entity_type == "household":
        reference = str(payload.get("village_code") or "")
    else:
        reference = str(payload.get("credit_code") or _label("scheme", payload.get("scheme")))
    return TransmittalRow(
        kind=ENTITY_LABELS.get(entry.entity_type, entry.entity_type),
        subject=str(
            payload.get("name") or names.get(person_id, "") or payload.get("address_detail") or ""
        ),
        reference=reference,
        operation=OPERATION_LABELS.get(entry.operation, entry.operation),
        record_id=entry.entity_id,
        recorded_at=_local(entry.created_at),
        state=STATE_LABELS.get(entry.sync_state, entry.sync_state),
    )
