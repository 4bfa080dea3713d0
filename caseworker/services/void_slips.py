"""The void slip (作废凭证) of a voided receipt, and the receipt as the void dialog shows it.

The loader needs no reportlab, so the void dialog opens without it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from caseworker.domain.ids import mask_id_number
from caseworker.printing.data import VoidSlipData, VoidSlipLine
from caseworker.printing.labels import METHOD_LABELS
from caseworker.services.documents_records import _centre, _label, _local, _now, _operators
from caseworker.services.errors import NotFound, ServiceError
from caseworker.store.database import Database
from caseworker.store.models import Payment, Person

if TYPE_CHECKING:
    from caseworker.printing.layout import PrintResult


def receipt_summary(database: Database, receipt_number: str) -> VoidSlipData:
    """A receipt as the void dialog shows it: its lines, collector, and the void if any."""
    return _load(database, receipt_number, now=None, void_only=False)


def void_slip_data(
    database: Database, receipt_number: str, *, now: datetime | None = None
) -> VoidSlipData:
    return _load(database, receipt_number, now=now, void_only=True)


def _load(
    database: Database, receipt_number: str, *, now: datetime | None, void_only: bool
) -> VoidSlipData:
    number = receipt_number.strip()
    with database.reading() as session:
        rows = session.execute(
            select(Payment, Person)
            .join(Person, Person.id == Payment.person_id)
            .where(Payment.receipt_number == number)
            .order_by(Payment.receipt_line)
        ).all()
        if not rows:
            raise NotFound(
                "receipt",
                f"找不到收据号 {number}（格式如 320281103-01-2026-000042）。",
                f"No receipt {number} (numbers look like 320281103-01-2026-000042).",
            )
        first = rows[0][0]
        if void_only and first.voided_at is None:
            raise ServiceError(
                "not_void",
                f"收据 {number} 未作废，没有作废凭证。",
                f"Receipt {number} is not void; there is no void slip.",
            )
        operators = _operators(session)
        lines = tuple(
            VoidSlipLine(
                name=person.name,
                masked_id_number=mask_id_number(person.id_number),
                scheme=_label("scheme", payment.scheme),
                period_start=payment.period_start,
                period_end=payment.period_end,
                personal_fen=payment.personal_fen,
                amount_fen=payment.amount_fen,
                scheme_code=payment.scheme,
            )
            for payment, person in rows
        )
        return VoidSlipData(
            centre=_centre(session),
            receipt_number=number,
            lines=lines,
            method=METHOD_LABELS.get(first.method, first.method),
            collector=operators.get(first.operator_id, ""),
            paid_at=_local(first.paid_at),
            reason=first.void_reason or "",
            voided_by=operators.get(first.voided_by, "") if first.voided_by else "",
            voided_at=_local(first.voided_at) if first.voided_at else None,
            printed_at=_now(now),
        )


def void_slip_pdf(
    database: Database,
    receipt_number: str,
    *,
    paper: str | None = None,
    now: datetime | None = None,
) -> PrintResult:
    """作废凭证 of a voided receipt, on the centre's receipt paper (or ``paper``)."""
    # reportlab loads on the first print, not when the void dialog opens.
    from caseworker.printing.void_slip import build_void_slip
    from caseworker.services.documents import _paper, font_chain

    data = void_slip_data(database, receipt_number, now=now)
    return build_void_slip(data, font_chain(database), paper=_paper(database, paper))
