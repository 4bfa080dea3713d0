"""Originals once: a receipt's original goes out once, every later output is a copy (副本).

Every path that produces a receipt (the payment dialog's print, the Payments page, the day's
receipts, ``caseworker print receipt``) asks ``receipt_output`` what to produce and, only once
the PDF has been written to its file or the printer has taken it, calls ``record_output``:

- the original (never issued before, no copy asked for) is recorded as issued
  (``receipt_original``) with an audit entry ``payment.original``;
- a copy gets its audit entry ``payment.reprint``.

Nothing is recorded before the paper or file exists, and nothing when writing failed. Two
outputs racing for the same original (two windows) cannot both be recorded as the original:
the second is recorded as a copy printed as an original, so the trail says what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select

from caseworker.printing.layout import PrintResult
from caseworker.services.actor import Actor, Permission
from caseworker.services.documents import receipt_pdf, receipts_pdf
from caseworker.services.errors import NotFound
from caseworker.services.journal import audit
from caseworker.services.payments import record_reprints
from caseworker.store.database import Database
from caseworker.store.models import Payment, ReceiptOriginal

Medium = Literal["printer", "file"]
MEDIA: tuple[Medium, ...] = ("printer", "file")


@dataclass(frozen=True)
class ReceiptOutput:
    """A receipt document ready to go out, and whether it is the original."""

    result: PrintResult
    receipt_numbers: tuple[str, ...]
    original: bool


def issued_originals(database: Database, receipt_numbers: Sequence[str]) -> set[str]:
    """Which of these receipts have had their original issued already."""
    with database.reading() as session:
        return set(
            session.scalars(
                select(ReceiptOriginal.receipt_number).where(
                    ReceiptOriginal.receipt_number.in_(list(receipt_numbers))
                )
            )
        )


def receipt_output(
    database: Database,
    actor: Actor,
    receipt_number: str,
    *,
    copy: bool = False,
    paper: str | None = None,
    now: datetime | None = None,
) -> ReceiptOutput:
    """The original if it was never issued and no copy is asked for, else a copy (副本)."""
    number = receipt_number.strip()
    original = not copy and number not in issued_originals(database, [number])
    actor.require(Permission.RECORD_PAYMENT if original else Permission.PRINT_COPY)
    result = receipt_pdf(database, number, reprint=not original, paper=paper, now=now)
    return ReceiptOutput(result, (number,), original)


def receipts_output(
    database: Database,
    actor: Actor,
    receipt_numbers: Sequence[str],
    *,
    paper: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReceiptOutput:
    """Copies of many receipts in one PDF (the day's receipts): never originals."""
    actor.require(Permission.PRINT_COPY)
    numbers = tuple(n.strip() for n in receipt_numbers)
    result = receipts_pdf(database, numbers, reprint=True, paper=paper, progress=progress)
    return ReceiptOutput(result, numbers, False)


def record_output(database: Database, actor: Actor, output: ReceiptOutput, medium: Medium) -> None:
    """Call after the document was written or printed: the original recorded as issued, or
    each copy audited. Never before, and never when writing or printing failed."""
    if medium not in MEDIA:
        raise ValueError(f"unknown medium {medium!r}")
    if not output.original:
        record_reprints(database, actor, list(output.receipt_numbers), medium=medium)
        return
    actor.require(Permission.RECORD_PAYMENT)
    (number,) = output.receipt_numbers
    with database.writing() as session:
        payment_id = session.scalar(
            select(Payment.id)
            .where(Payment.receipt_number == number)
            .order_by(Payment.receipt_line)
            .limit(1)
        )
        if payment_id is None:
            raise NotFound("receipt", f"找不到收据号 {number}。", f"No receipt {number}.")
        if session.get(ReceiptOriginal, number) is not None:
            # Someone issued it in between: this paper says original but is a second one.
            audit(
                session,
                actor,
                action="payment.reprint",
                entity_type="payment",
                entity_id=payment_id,
                detail={"receipt_number": number, "medium": medium, "printed_as": "original"},
            )
            return
        session.add(
            ReceiptOriginal(receipt_number=number, issued_by=actor.operator_id, medium=medium)
        )
        audit(
            session,
            actor,
            action="payment.original",
            entity_type="payment",
            entity_id=payment_id,
            detail={"receipt_number": number, "medium": medium},
        )
