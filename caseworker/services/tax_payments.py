"""Contributions paid through the tax authority's channels, recorded here with their voucher.

The resident paid at a bank, by WeChat or Alipay, or in the tax app; the centre issues no
receipt of its own and records the tax voucher number instead (``payment.channel = "tax"``,
receipt columns empty). The amount and period come from the same scheme rules as a desk
payment, coverage follows from the payment the same way, and the record goes upstream like any
payment. One written wrongly is voided like a receipt: by a supervisor, with a reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.contributions import Contribution, contribution
from caseworker.domain.errors import InvalidValue
from caseworker.domain.money import format_yuan
from caseworker.domain.tax_channels import (
    InvalidTaxPayment,
    parse_tax_channel,
    parse_voucher_number,
)
from caseworker.services.actor import Actor, Permission
from caseworker.services.contribution_periods import refuse_if_paid
from caseworker.services.enrolment import person_facts
from caseworker.services.errors import NotFound, ServiceError, ValidationFailed
from caseworker.services.parameters import parameters_for
from caseworker.services.payments import (
    active_enrolment,
    add_payment,
    check_void_reason,
    payment_values,
    void_row,
)
from caseworker.store.database import Database
from caseworker.store.models import Operator, Payment, Person


@dataclass(frozen=True)
class TaxPayment:
    payment_id: uuid.UUID
    voucher_number: str
    method: str
    amount_fen: int
    personal_fen: int
    subsidy_fen: int
    paid_by_government_fen: int
    period_start: date
    period_end: date
    paid_on: date


def _problems(
    method: str, voucher_number: str, paid_on: date, day: date
) -> tuple[list[InvalidValue], str]:
    """Every problem of the typed fields at once, and the voucher in its stored form."""
    problems: list[InvalidValue] = []
    voucher = ""
    try:
        parse_tax_channel(method)
    except InvalidValue as error:
        problems.append(error)
    try:
        voucher = parse_voucher_number(voucher_number)
    except InvalidValue as error:
        problems.append(error)
    if paid_on > day:
        problems.append(
            InvalidTaxPayment(
                "paid_on",
                "future",
                f"缴费日期 {paid_on} 晚于今天（{day}），请按凭证上的日期填写。",
                f"The date paid {paid_on} is after today ({day}); use the date on the voucher.",
            )
        )
    return problems, voucher


def _refuse_if_voucher_used(session: Session, voucher: str) -> None:
    earlier = session.scalar(
        select(Payment).where(Payment.voucher_number == voucher, Payment.voided_at.is_(None))
    )
    if earlier is None:
        return
    person = session.get(Person, earlier.person_id)
    operator = session.get(Operator, earlier.operator_id)
    name = person.name if person else "?"
    who = operator.display_name if operator else "?"
    raise ServiceError(
        "voucher_used",
        f"凭证号 {voucher} 已于 {earlier.business_date} 登记（{name}，"
        f"{earlier.period_start}～{earlier.period_end}，经办人 {who}），不能重复登记。",
        f"Voucher {voucher} was recorded on {earlier.business_date} ({name}, "
        f"{earlier.period_start}–{earlier.period_end}, by {who}); it cannot be recorded twice.",
    )


def record_tax_payment(
    database: Database,
    actor: Actor,
    *,
    person_id: uuid.UUID,
    scheme: str,
    period_start: date,
    months: int = 1,
    method: str,
    voucher_number: str,
    paid_on: date,
    amount_fen: int | None = None,
    today: date | None = None,
) -> TaxPayment:
    """Record a payment made through ``method`` (bank, wechat, alipay, tax_app).

    ``period_start`` is the first day of the period paid (1 January for yearly schemes, the
    first of the month for monthly ones); ``amount_fen``, when given, is the voucher's amount
    and must be what the scheme rules charge. Every field problem is reported at once.
    """
    actor.require(Permission.RECORD_TAX_PAYMENT)
    day = today or date.today()
    with database.writing() as session:
        return write_tax_payment(
            session,
            actor,
            person_id=person_id,
            scheme=scheme,
            period_start=period_start,
            months=months,
            method=method,
            voucher_number=voucher_number,
            paid_on=paid_on,
            amount_fen=amount_fen,
            day=day,
        )


def tax_payment_values(
    actor: Actor,
    person: Any,
    enrolment: Any,
    *,
    period_start: date,
    months: int = 1,
    method: str,
    voucher_number: str,
    paid_on: date,
    amount_fen: int | None = None,
    day: date,
) -> tuple[dict[str, Any], Contribution]:
    """A tax-channel payment's columns and its due, every field problem at once: the checks
    and the arithmetic of ``write_tax_payment`` and the bulk path's (person and enrolment are
    rows or their values)."""
    problems, voucher = _problems(method, voucher_number, paid_on, day)
    province = actor.centre_code[:2] + "0000"
    try:
        due = contribution(
            enrolment.scheme,
            person_facts(person, province),
            period_start,
            parameters_for(period_start, province),
            tier_fen=enrolment.tier_fen,
            base_fen=enrolment.base_fen,
            months=months,
        )
    except InvalidValue as error:
        raise ValidationFailed([*problems, error]) from None
    if due.period_start != period_start:
        problems.append(
            InvalidTaxPayment(
                "period",
                "not_a_period_start",
                f"缴费期间应从 {due.period_start} 开始。",
                f"The period starts on {due.period_start}.",
            )
        )
    if amount_fen is not None and amount_fen != due.personal_fen:
        problems.append(
            InvalidTaxPayment(
                "amount",
                "differs",
                f"凭证金额 {format_yuan(amount_fen)} 元与应缴金额 "
                f"{format_yuan(due.personal_fen)} 元不符，请核对凭证、险种和期间。",
                f"The voucher's amount {format_yuan(amount_fen)} yuan differs from the "
                f"{format_yuan(due.personal_fen)} yuan due; check the voucher, scheme and "
                "period.",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    values = payment_values(
        actor,
        person.id,
        enrolment,
        due,
        method=method,
        base_fen=due.base_fen if due.base_fen is not None else enrolment.base_fen,
        # The day the money was paid, as the tax authority's list will say.
        business_date=paid_on,
        receipt_number=None,
        receipt_line=1,
        channel="tax",
        voucher_number=voucher,
        device_id=None,
        receipt_year=None,
        receipt_sequence=None,
    )
    return values, due


def write_tax_payment(
    session: Session,
    actor: Actor,
    *,
    person_id: uuid.UUID,
    scheme: str,
    period_start: date,
    months: int = 1,
    method: str,
    voucher_number: str,
    paid_on: date,
    amount_fen: int | None = None,
    day: date,
) -> TaxPayment:
    """The write half of ``record_tax_payment``, inside the caller's transaction (the demo's
    bulk path calls ``tax_payment_values`` itself and writes the row through its writer)."""
    actor.require(Permission.RECORD_TAX_PAYMENT)
    person, enrolment = active_enrolment(session, person_id, scheme)
    values, due = tax_payment_values(
        actor,
        person,
        enrolment,
        period_start=period_start,
        months=months,
        method=method,
        voucher_number=voucher_number,
        paid_on=paid_on,
        amount_fen=amount_fen,
        day=day,
    )
    voucher = values["voucher_number"]
    _refuse_if_voucher_used(session, voucher)
    refuse_if_paid(session, person.id, scheme, due.period_start, due.period_end)
    payment = add_payment(session, actor, values, action="payment.record_tax", day=day)
    return TaxPayment(
        payment.id,
        voucher,
        method,
        payment.amount_fen,
        payment.personal_fen,
        payment.subsidy_fen,
        payment.paid_by_government_fen,
        payment.period_start,
        payment.period_end,
        paid_on,
    )


def void_tax_payment(
    database: Database,
    actor: Actor,
    *,
    voucher_number: str | None = None,
    payment_id: uuid.UUID | None = None,
    reason: str,
) -> None:
    """Void a tax-channel payment recorded wrongly, by voucher number or payment id.

    The same path as a desk receipt's void (``payments.void_row``): supervisors only, a reason,
    audited, sent upstream. Voiding frees the voucher to be recorded again correctly.
    """
    actor.require(Permission.VOID_PAYMENT)
    reason = check_void_reason(reason)
    if (voucher_number is None) == (payment_id is None):
        raise ServiceError(
            "which_payment",
            "请指定凭证号或缴费记录编号中的一个。",
            "Name either the voucher number or the payment id.",
        )
    with database.writing() as session:
        if payment_id is not None:
            payment = session.get(Payment, payment_id)
            label = str(payment_id)
        else:
            try:
                voucher = parse_voucher_number(voucher_number)
            except InvalidValue as error:
                raise ValidationFailed([error]) from None
            label = voucher
            # A voucher voided once and recorded again: the live record is the one to void.
            payment = session.scalar(
                select(Payment)
                .where(Payment.voucher_number == voucher)
                .order_by(Payment.voided_at.is_not(None), Payment.paid_at.desc())
                .limit(1)
            )
        if payment is None or payment.channel != "tax":
            raise NotFound(
                "voucher",
                f"找不到税务渠道缴费记录 {label}。",
                f"No tax-channel payment {label}.",
            )
        if payment.voided_at is not None:
            raise ServiceError(
                "already_void", f"税务凭证 {label} 已作废。", f"Tax voucher {label} is void."
            )
        void_row(session, actor, payment, reason, detail={"voucher_number": payment.voucher_number})
