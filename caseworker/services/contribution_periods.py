"""One contribution per person × scheme × period (minimal version; the full module, with
collection windows and arrears rules, comes from another part of issue 9 and replaces this)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.services.errors import ServiceError
from caseworker.store.models import Operator, Payment


def refuse_if_paid(
    session: Session, person_id: uuid.UUID, scheme: str, period_start: date, period_end: date
) -> None:
    """Raise ``already_paid`` naming the earlier receipt or voucher if a live payment of this
    person and scheme covers any day of the period; voided payments do not count."""
    earlier = session.scalar(
        select(Payment)
        .where(
            Payment.person_id == person_id,
            Payment.scheme == scheme,
            Payment.voided_at.is_(None),
            Payment.period_start <= period_end,
            Payment.period_end >= period_start,
        )
        .order_by(Payment.paid_at)
        .limit(1)
    )
    if earlier is None:
        return
    operator = session.get(Operator, earlier.operator_id)
    who = operator.display_name if operator else "?"
    period = f"{earlier.period_start}～{earlier.period_end}"
    if earlier.channel == "tax":
        zh_ref, en_ref = (
            f"税务凭证 {earlier.voucher_number}",
            f"tax voucher {earlier.voucher_number}",
        )
    else:
        zh_ref, en_ref = f"收据 {earlier.receipt_number}", f"receipt {earlier.receipt_number}"
    raise ServiceError(
        "already_paid",
        f"该人员 {period} 的这一险种已缴费（{zh_ref}，{earlier.business_date}，经办人 {who}），"
        "不能重复缴费。",
        f"This scheme is already paid for {period} ({en_ref}, {earlier.business_date}, "
        f"by {who}); it cannot be paid twice.",
    )
