"""Record a contribution with a gapless receipt number, and void one with a reason."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.errors import InvalidValue
from caseworker.domain.periods import OpenPeriod, open_periods
from caseworker.domain.receipts import LineTotals, format_receipt_number
from caseworker.domain.wire import PAYMENT_FIELDS as PAYMENT_FIELDS  # its old home
from caseworker.services.actor import Actor, Permission
from caseworker.services.centre_settings import RECEIPT_GROUPING, setting_value
from caseworker.services.contribution_periods import (
    open_for,
    period_due,
    refuse_if_paid,
    scheme_label,
)
from caseworker.services.coverage import follow_records
from caseworker.services.day_close import refuse_if_day_closed
from caseworker.services.errors import NotFound, ServiceError, ValidationFailed
from caseworker.services.form_support import province_of_centre
from caseworker.services.journal import audit, record_change
from caseworker.services.parameters import parameters_for
from caseworker.services.store_guard import refuse_if_behind
from caseworker.store.database import Database
from caseworker.store.models import Enrolment, Payment, Person, ReceiptCounter, new_id
from caseworker.store.wire import WIRE

PAYMENT_METHODS = ("cash", "bank_card", "wechat", "alipay", "bank_transfer")


@dataclass(frozen=True)
class ReceiptLine:
    """One line of a receipt: one person, one scheme, one period."""

    payment_id: uuid.UUID
    receipt_line: int
    person_id: uuid.UUID
    scheme: str
    period_start: date
    period_end: date
    amount_fen: int
    personal_fen: int
    subsidy_fen: int
    paid_by_government_fen: int
    arrears: bool = False


@dataclass(frozen=True)
class Receipt(LineTotals):
    """A receipt as issued: its number and its lines; the amounts are the lines' totals."""

    receipt_number: str
    lines: tuple[ReceiptLine, ...]

    @property
    def payment_id(self) -> uuid.UUID:
        return self.lines[0].payment_id

    @property
    def period_start(self) -> date:
        return min(line.period_start for line in self.lines)

    @property
    def period_end(self) -> date:
        return max(line.period_end for line in self.lines)


@dataclass(frozen=True)
class VisitLine:
    """What the clerk chose for one line: whose, which scheme, from which period.

    ``period_start`` None: the first open period that is not arrears (the one being
    collected). ``months`` only for monthly schemes.
    """

    person_id: uuid.UUID
    scheme: str
    period_start: date | None = None
    months: int = 1


def next_receipt_sequence(session: Session, device_id: uuid.UUID, year: int) -> int:
    """Bumped inside the payment's transaction: a rollback gives the number back, no gaps."""
    # Cached on the session so a bulk import without autoflush still finds the pending row.
    counters = session.info.setdefault("receipt_counters", {})
    counter = counters.get((device_id, year)) or session.get(ReceiptCounter, (device_id, year))
    if counter is None:
        counter = ReceiptCounter(device_id=device_id, year=year, last_sequence=0)
        session.add(counter)
    counters[(device_id, year)] = counter
    counter.last_sequence += 1
    return counter.last_sequence


def _payment_payload(payment: Payment) -> dict[str, object]:
    return WIRE["payment"].snapshot(payment)


def _check_method(method: str) -> None:
    if method not in PAYMENT_METHODS:
        raise ValidationFailed(
            [InvalidValue("method", "unknown_code", f"未知的缴费方式“{method}”。")]
        )


def record_payment(
    database: Database,
    actor: Actor,
    *,
    person_id: uuid.UUID,
    scheme: str,
    method: str = "cash",
    months: int = 1,
    today: date | None = None,
    period_start: date | None = None,
) -> Receipt:
    """One scheme for one person: a visit of one line."""
    (receipt,) = record_visit_payment(
        database,
        actor,
        [VisitLine(person_id, scheme, period_start, months)],
        method=method,
        today=today,
    )
    return receipt


def record_visit_payment(
    database: Database,
    actor: Actor,
    lines: Sequence[VisitLine],
    *,
    method: str = "cash",
    today: date | None = None,
) -> list[Receipt]:
    """Everything paid at one visit, in one transaction: several schemes of the payer (the
    first line's person) and of the payer's household members.

    One receipt with a line per person and scheme, or one receipt per scheme when the
    centre's RECEIPT_GROUPING is "scheme". Each line's period must be open and unpaid
    (``already_paid`` names the earlier receipt); any refusal writes nothing and takes no
    number.
    """
    actor.require(Permission.RECORD_PAYMENT)
    _check_method(method)
    if not lines:
        raise ValidationFailed([InvalidValue("lines", "required", "请至少选择一个缴费险种。")])
    refuse_if_behind(database, actor)
    day = today or date.today()
    with database.writing() as session:
        payer = session.get(Person, lines[0].person_id)
        if payer is None:
            raise NotFound("person", "找不到该参保人员。", "No such person.")
        chosen = [_chosen_line(session, actor, payer, line, day) for line in lines]
        grouping = setting_value(session, RECEIPT_GROUPING)
        try:
            return write_receipts(session, actor, chosen, method, day, grouping=grouping)
        except InvalidValue as error:  # a tier, base or month count the rules refuse
            raise ValidationFailed([error]) from None


@dataclass(frozen=True)
class _Chosen:
    person: Person
    enrolment: Enrolment
    open_period: OpenPeriod
    months: int


def active_enrolment(
    session: Session, person_id: uuid.UUID, scheme: str
) -> tuple[Person, Enrolment]:
    """The person and their active enrolment in ``scheme``: what any payment is taken for."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person", "找不到该参保人员。", "No such person.")
    return person, _active_enrolment_of(session, person, scheme)


def _active_enrolment_of(session: Session, person: Person, scheme: str) -> Enrolment:
    enrolment = session.scalar(
        select(Enrolment).where(Enrolment.person_id == person.id, Enrolment.scheme == scheme)
    )
    if enrolment is None or enrolment.status != "active":
        raise ServiceError(
            "not_enrolled",
            f"{person.name}尚未参加该险种（{scheme_label(scheme)}），请先办理参保登记。",
            f"{person.name} is not enrolled in {scheme_label(scheme, 'en')}; enrol them first.",
        )
    return enrolment


def _chosen_line(
    session: Session, actor: Actor, payer: Person, line: VisitLine, day: date
) -> _Chosen:
    person = payer if line.person_id == payer.id else session.get(Person, line.person_id)
    if person is None:
        raise NotFound("person", "找不到该参保人员。", "No such person.")
    if person is not payer and (
        payer.household_id is None or person.household_id != payer.household_id
    ):
        raise ServiceError(
            "not_household",
            f"{person.name}与缴费人{payer.name}不是同一户，不能合并收费，请分别办理。",
            f"{person.name} is not of {payer.name}'s household; take their payment separately.",
        )
    enrolment = _active_enrolment_of(session, person, line.scheme)
    return _Chosen(person, enrolment, _open_period(session, actor, person, line, day), line.months)


def _open_period(
    session: Session, actor: Actor, person: Person, line: VisitLine, day: date
) -> OpenPeriod:
    """The line's period if it may be paid today (paid or not: ``_write_line`` checks that);
    a refusal names what can be paid today instead."""
    province = province_of_centre(actor)
    found = open_period_of(line.scheme, day, province, line.period_start)
    if found is not None:
        return found
    unpaid = open_for(session, person.id, line.scheme, day, province)
    label, label_en = scheme_label(line.scheme), scheme_label(line.scheme, "en")
    choices = "、".join(o.period.label for o in unpaid) or "无"
    choices_en = ", ".join(o.period.label_en for o in unpaid) or "none"
    asked = f"{line.period_start.isoformat()}起的期间" if line.period_start else "本期"
    asked_en = f"the period from {line.period_start}" if line.period_start else "this period"
    raise ServiceError(
        "period_not_open",
        f"{person.name}的{label}{asked}今天不能缴费（不在征缴期或补缴范围内）。"
        f"今天可缴：{choices}。",
        f"{person.name}: {label_en} for {asked_en} cannot be paid today (outside the "
        f"collection window and the arrears allowed). Open today: {choices_en}.",
    )


def open_period_of(
    scheme: str, day: date, province: str, period_start: date | None = None
) -> OpenPeriod | None:
    """The open period starting ``period_start`` (None: the one being collected, not arrears)
    if it may be paid on ``day``, paid or not."""
    for found in open_periods(scheme, day, parameters_for(day, province)):
        if found.period.start == period_start or (period_start is None and not found.arrears):
            return found
    return None


def receipt_columns(actor: Actor, day: date, sequence: int, line: int) -> dict[str, Any]:
    """A desk payment's receipt: number (centre, device, year, sequence), line and sequence."""
    return {
        "receipt_number": format_receipt_number(
            actor.centre_code, actor.device_number, day.year, sequence
        ),
        "receipt_line": line,
        "channel": "desk",
        "voucher_number": None,
        "device_id": actor.device_id,
        "receipt_year": day.year,
        "receipt_sequence": sequence,
    }


def write_receipts(
    session: Session,
    actor: Actor,
    chosen: Sequence[_Chosen],
    method: str,
    day: date,
    *,
    grouping: str = "visit",
) -> list[Receipt]:
    """The write half of a visit, inside the caller's transaction: the numbers, the lines."""
    # Every caller that issues a number passes here: none while the store is behind.
    refuse_if_behind(session.info.get("database"), actor)
    refuse_if_day_closed(session, actor.operator_id, day)
    groups: dict[object, list[_Chosen]] = {}
    for item in chosen:
        key = item.enrolment.scheme if grouping == "scheme" else "visit"
        groups.setdefault(key, []).append(item)
    receipts = []
    for items in groups.values():
        sequence = next_receipt_sequence(session, actor.device_id, day.year)
        number = format_receipt_number(actor.centre_code, actor.device_number, day.year, sequence)
        lines = [
            _write_line(session, actor, item, method, day, sequence, line)
            for line, item in enumerate(items, start=1)
        ]
        receipts.append(Receipt(number, tuple(lines)))
    return receipts


def add_payment(
    session: Session, actor: Actor, values: dict[str, Any], *, action: str, day: date
) -> Payment:
    """One contribution row (``payment_values``), its outbox and audit entries, and the
    coverage it decides: the one write of a payment, whichever channel took it."""
    payment = Payment(**values)
    session.add(payment)
    record_change(
        session,
        actor,
        action=action,
        entity_type="payment",
        entity_id=payment.id,
        operation="create",
        payload=_payment_payload(payment),
    )
    follow_records(session, actor, payment.person_id, day)
    return payment


def payment_values(
    actor: Actor,
    person_id: uuid.UUID,
    enrolment: Any,
    due: Any,
    *,
    method: str,
    base_fen: int | None,
    business_date: date,
    **channel: Any,
) -> dict[str, Any]:
    """A payment row's columns (every wire field): the ORM write and the bulk path's."""
    return {
        "id": new_id(),
        "person_id": person_id,
        "enrolment_id": enrolment.id,
        "scheme": enrolment.scheme,
        "period_start": due.period_start,
        "period_end": due.period_end,
        "tier_fen": enrolment.tier_fen,
        "base_fen": base_fen,
        "amount_fen": due.amount_fen,
        "subsidy_fen": due.subsidy_fen,
        "paid_by_government_fen": due.paid_by_government_fen,
        "personal_fen": due.personal_fen,
        "method": method,
        "operator_id": actor.operator_id,
        "paid_at": datetime.now(UTC),
        "business_date": business_date,
        "voided_at": None,
        "voided_by": None,
        "void_reason": None,
        **channel,
    }


def desk_payment_values(
    actor: Actor,
    person: Any,
    enrolment: Any,
    open_period: OpenPeriod,
    months: int,
    method: str,
    day: date,
    sequence: int,
    line: int,
) -> tuple[dict[str, Any], Any]:
    """A receipt line's payment columns and its due (period, money) for a person and
    enrolment (rows or their values): one place for the desk's arithmetic."""
    due = period_due(person, enrolment, day, province_of_centre(actor), open_period, months)
    values = payment_values(
        actor,
        person.id,
        enrolment,
        due,
        method=method,
        base_fen=enrolment.base_fen,
        business_date=day,
        **receipt_columns(actor, day, sequence, line),
    )
    return values, due


def _write_line(
    session: Session,
    actor: Actor,
    item: _Chosen,
    method: str,
    day: date,
    sequence: int,
    line: int,
) -> ReceiptLine:
    person, enrolment = item.person, item.enrolment
    values, due = desk_payment_values(
        actor, person, enrolment, item.open_period, item.months, method, day, sequence, line
    )
    refuse_if_paid(session, person.id, enrolment.scheme, due.period_start, due.period_end)
    payment = add_payment(session, actor, values, action="payment.record", day=day)
    return ReceiptLine(
        payment.id,
        line,
        person.id,
        enrolment.scheme,
        payment.period_start,
        payment.period_end,
        payment.amount_fen,
        payment.personal_fen,
        payment.subsidy_fen,
        payment.paid_by_government_fen,
        due.arrears,
    )


def collecting(scheme: str, day: date, actor: Actor) -> bool:
    """Whether ``scheme`` collects a period on ``day`` (a closed window collects none)."""
    province = province_of_centre(actor)
    found = open_periods(scheme, day, parameters_for(day, province))
    return any(not o.arrears for o in found)


def record_reprints(
    database: Database, actor: Actor, receipt_numbers: list[str], *, medium: str | None = None
) -> None:
    """A copy (副本) of each receipt was produced: written to the audit trail, not sent upstream.

    Copies of money receipts are what an auditor asks about, so who made one, and when, is kept.
    Called once the copy exists (file written, printer done), never before
    (``services.receipt_issue``).
    """
    actor.require(Permission.PRINT_COPY)
    with database.writing() as session:
        found = dict(
            session.execute(
                select(Payment.receipt_number, Payment.id).where(
                    Payment.receipt_number.in_(receipt_numbers)
                )
            ).all()
        )
        for number in receipt_numbers:
            if number not in found:
                raise NotFound("receipt", f"找不到收据号 {number}。", f"No receipt {number}.")
            audit(
                session,
                actor,
                action="payment.reprint",
                entity_type="payment",
                entity_id=found[number],
                detail={"receipt_number": number} | ({"medium": medium} if medium else {}),
            )


VOID_REASON_MIN = 4  # enough to say what was wrong ("档次录错"), not a stray key


@dataclass(frozen=True)
class VoidedReceipt:
    """What a void did: every line of the receipt, voided together; the number stays used."""

    receipt_number: str
    lines: int
    personal_fen: int
    voided_at: datetime


def check_void_reason(reason: str) -> str:
    """The reason as it will be kept, or a field error saying what a reason needs."""
    text = " ".join(reason.split())
    if len(text) < VOID_REASON_MIN:
        error = InvalidValue(
            "void_reason",
            "too_short" if text else "empty",
            f"请写明作废原因（至少{VOID_REASON_MIN}个字），说明错在哪里，如“档次录错，应为300元档”。",
        )
        error.message_en = (  # type: ignore[attr-defined]
            f"Write why the receipt is void (at least {VOID_REASON_MIN} characters): what was "
            "wrong, e.g. “wrong tier, should be 300 yuan”."
        )
        raise ValidationFailed([error])
    if len(text) > 200:
        error = InvalidValue("void_reason", "too_long", "作废原因最多200个字。")
        error.message_en = "A void reason has at most 200 characters."  # type: ignore[attr-defined]
        raise ValidationFailed([error])
    return text


def void_payment(
    database: Database, actor: Actor, *, receipt_number: str, reason: str
) -> VoidedReceipt:
    """Supervisors void a receipt as a whole: every line in one transaction, each line's void
    in the outbox; the number stays used, so the sequence keeps no gap."""
    actor.require(Permission.VOID_PAYMENT)
    text = check_void_reason(reason)
    number = receipt_number.strip()
    with database.writing() as session:
        lines = session.scalars(
            select(Payment)
            .where(Payment.receipt_number == number, Payment.channel == "desk")
            .order_by(Payment.receipt_line)
        ).all()
        if not lines:
            raise NotFound("receipt", f"找不到收据号 {number}。", f"No receipt {number}.")
        voided = next((line for line in lines if line.voided_at is not None), None)
        if voided is not None and voided.voided_at is not None:
            when = f"{voided.voided_at.astimezone():%Y-%m-%d %H:%M}"
            raise ServiceError(
                "already_void",
                f"收据 {number} 已于 {when} 作废（原因：{voided.void_reason}），不能再次作废。",
                f"Receipt {number} was already voided on {when} "
                f"({voided.void_reason}); it cannot be voided again.",
            )
        now = datetime.now(UTC)
        for line in lines:
            void_row(
                session,
                actor,
                line,
                text,
                now=now,
                detail={"receipt_number": number, "receipt_line": line.receipt_line},
            )
        return VoidedReceipt(number, len(lines), sum(line.personal_fen for line in lines), now)


def void_row(
    session: Session,
    actor: Actor,
    payment: Payment,
    reason: str,
    *,
    now: datetime | None = None,
    detail: dict[str, object] | None = None,
) -> None:
    """Mark one payment row void (audited, sent upstream): a receipt's line or a tax-channel
    record (``tax_payments.void_tax_payment``). The caller has checked it is not void yet."""
    payment.voided_at = now or datetime.now(UTC)
    payment.voided_by = actor.operator_id
    payment.void_reason = reason
    record_change(
        session,
        actor,
        action="payment.void",
        entity_type="payment",
        entity_id=payment.id,
        operation="void",
        payload=_payment_payload(payment),
        detail=detail,
    )
    follow_records(session, actor, payment.person_id, payment.voided_at.astimezone().date())
