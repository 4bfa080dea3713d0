"""Record a contribution with a gapless receipt number, and void one with a reason."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.contributions import contribution
from caseworker.domain.errors import InvalidValue
from caseworker.domain.receipts import format_receipt_number
from caseworker.domain.wire import PAYMENT_FIELDS as PAYMENT_FIELDS  # its old home
from caseworker.services.actor import Actor, Permission
from caseworker.services.day_close import refuse_if_day_closed
from caseworker.services.enrolment import person_facts
from caseworker.services.errors import NotFound, ServiceError, ValidationFailed
from caseworker.services.journal import audit, record_change
from caseworker.services.parameters import parameters_for
from caseworker.services.store_guard import refuse_if_behind
from caseworker.store.database import Database
from caseworker.store.models import Enrolment, Payment, Person, ReceiptCounter, new_id
from caseworker.store.wire import WIRE

PAYMENT_METHODS = ("cash", "bank_card", "wechat", "alipay", "bank_transfer")


@dataclass(frozen=True)
class Receipt:
    payment_id: uuid.UUID
    receipt_number: str
    amount_fen: int
    personal_fen: int
    subsidy_fen: int
    paid_by_government_fen: int
    period_start: date
    period_end: date


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


def record_payment(
    database: Database,
    actor: Actor,
    *,
    person_id: uuid.UUID,
    scheme: str,
    method: str = "cash",
    months: int = 1,
    today: date | None = None,
) -> Receipt:
    actor.require(Permission.RECORD_PAYMENT)
    if method not in PAYMENT_METHODS:
        raise ValidationFailed(
            [InvalidValue("method", "unknown_code", f"未知的缴费方式“{method}”。")]
        )
    refuse_if_behind(database, actor)
    day = today or date.today()
    with database.writing() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("person", "找不到该参保人员。", "No such person.")
        enrolment = session.scalar(
            select(Enrolment).where(Enrolment.person_id == person_id, Enrolment.scheme == scheme)
        )
        if enrolment is None or enrolment.status != "active":
            raise ServiceError(
                "not_enrolled",
                f"{person.name}尚未参加该险种（{scheme}），请先办理参保登记。",
                f"{person.name} is not enrolled in {scheme}; enrol them first.",
            )
        return write_payment(session, actor, person, enrolment, method, months, day)


def write_payment(
    session: Session,
    actor: Actor,
    person: Person,
    enrolment: Enrolment,
    method: str,
    months: int,
    day: date,
) -> Receipt:
    """The write half of ``record_payment``, inside the caller's transaction."""
    # Every caller that issues a number passes here: none while the store is behind.
    refuse_if_behind(session.info.get("database"), actor)
    refuse_if_day_closed(session, actor.operator_id, day)
    scheme = enrolment.scheme
    province = actor.centre_code[:2] + "0000"
    due = contribution(
        scheme,
        person_facts(person, province),
        day,
        parameters_for(day, province),
        tier_fen=enrolment.tier_fen,
        base_fen=enrolment.base_fen,
        months=months,
    )
    sequence = next_receipt_sequence(session, actor.device_id, day.year)
    payment = Payment(
        id=new_id(),
        receipt_number=format_receipt_number(
            actor.centre_code, actor.device_number, day.year, sequence
        ),
        receipt_line=1,
        channel="desk",
        device_id=actor.device_id,
        receipt_year=day.year,
        receipt_sequence=sequence,
        person_id=person.id,
        enrolment_id=enrolment.id,
        scheme=scheme,
        period_start=due.period_start,
        period_end=due.period_end,
        tier_fen=enrolment.tier_fen,
        base_fen=enrolment.base_fen,
        amount_fen=due.amount_fen,
        subsidy_fen=due.subsidy_fen,
        paid_by_government_fen=due.paid_by_government_fen,
        personal_fen=due.personal_fen,
        method=method,
        operator_id=actor.operator_id,
        paid_at=datetime.now(UTC),
        business_date=day,
    )
    session.add(payment)
    record_change(
        session,
        actor,
        action="payment.record",
        entity_type="payment",
        entity_id=payment.id,
        operation="create",
        payload=_payment_payload(payment),
    )
    return Receipt(
        payment.id,
        payment.receipt_number,
        payment.amount_fen,
        payment.personal_fen,
        payment.subsidy_fen,
        payment.paid_by_government_fen,
        payment.period_start,
        payment.period_end,
    )


def record_reprints(database: Database, actor: Actor, receipt_numbers: list[str]) -> None:
    """A copy (副本) of each receipt was produced: written to the audit trail, not sent upstream.

    Copies of money receipts are what an auditor asks about, so who made one, and when, is kept.
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
                detail={"receipt_number": number},
            )


def void_payment(database: Database, actor: Actor, *, receipt_number: str, reason: str) -> None:
    """Supervisors void a receipt; the number stays used, so the sequence keeps no gap."""
    actor.require(Permission.VOID_PAYMENT)
    if len(reason.strip()) < 2:
        raise ValidationFailed(
            [InvalidValue("void_reason", "empty", "作废必须写明原因（至少2个字）。")]
        )
    with database.writing() as session:
        payment = session.scalar(select(Payment).where(Payment.receipt_number == receipt_number))
        if payment is None:
            raise NotFound(
                "receipt", f"找不到收据号 {receipt_number}。", f"No receipt {receipt_number}."
            )
        if payment.voided_at is not None:
            raise ServiceError(
                "already_void", f"收据 {receipt_number} 已作废。", f"{receipt_number} is void."
            )
        payment.voided_at = datetime.now(UTC)
        payment.voided_by = actor.operator_id
        payment.void_reason = reason.strip()
        record_change(
            session,
            actor,
            action="payment.void",
            entity_type="payment",
            entity_id=payment.id,
            operation="void",
            payload=_payment_payload(payment),
        )
