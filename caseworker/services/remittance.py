"""解缴: the cash a day's desk receipts took, listed per operator for remitting to the tax
authority, and printed as the remittance list.

A clerk sees only their own list; whoever reviews the day (``Permission.REVIEW``, the
supervisors) sees any operator's, or every operator's at once.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select

from caseworker.domain.ids import mask_id_number
from caseworker.printing.data import DailyReceipt, RemittanceData
from caseworker.printing.labels import METHOD_LABELS
from caseworker.printing.layout import PrintResult
from caseworker.printing.remittance import build_remittance
from caseworker.services.actor import Actor, Permission
from caseworker.services.documents_records import _centre, _label, _local, _now, _operators
from caseworker.services.documents_settings import font_chain
from caseworker.services.errors import NotFound, PermissionDenied
from caseworker.store.database import Database
from caseworker.store.models import Operator, Payment, Person


def _whose(actor: Actor, operator_id: uuid.UUID | None) -> uuid.UUID | None:
    """The operator whose list is read (None: every operator's), as the actor may see it."""
    if actor.may(Permission.REVIEW):
        return operator_id
    if operator_id not in (None, actor.operator_id):
        raise PermissionDenied(
            "forbidden",
            "经办员只能查看本人的解缴清单；其他收款人的清单请审核员查看。",
            "A clerk sees only their own remittance list; a supervisor sees other operators'.",
        )
    return actor.operator_id


def operator_by_username(database: Database, username: str) -> uuid.UUID:
    with database.reading() as session:
        found = session.scalar(select(Operator.id).where(Operator.username == username.strip()))
    if found is None:
        raise NotFound("operator", f"没有操作员“{username}”。", f"No operator {username!r}.")
    return found


def remittance_list(
    database: Database,
    actor: Actor,
    day: date,
    operator_id: uuid.UUID | None = None,
    *,
    now: datetime | None = None,
) -> RemittanceData:
    """The desk receipts of ``day`` taken by ``operator_id`` (or, for a supervisor, by
    everyone when None), in receipt order; voided ones are listed and never totalled."""
    actor.require(Permission.VIEW_REMITTANCE)
    whose = _whose(actor, operator_id)
    with database.reading() as session:
        centre = _centre(session)
        operators = _operators(session)
        if whose is not None and whose not in operators:
            raise NotFound("operator", "没有该操作员。", "No such operator.")
        query = (
            select(Payment, Person.name, Person.id_number)
            .join(Person, Person.id == Payment.person_id)
            # Only cash taken here is remitted: tax-channel payments went to the tax authority.
            .where(Payment.business_date == day, Payment.channel == "desk")
            .order_by(Payment.receipt_number, Payment.receipt_line)
        )
        if whose is not None:
            query = query.where(Payment.operator_id == whose)
        receipts = tuple(
            DailyReceipt(
                receipt_number=p.receipt_number or "",
                paid_at=_local(p.paid_at),
                name=name,
                scheme=_label("scheme", p.scheme),
                operator=operators.get(p.operator_id, ""),
                method=METHOD_LABELS.get(p.method, p.method),
                amount_fen=p.amount_fen,
                personal_fen=p.personal_fen,
                paid_by_government_fen=p.paid_by_government_fen,
                subsidy_fen=p.subsidy_fen,
                void_reason=(p.void_reason or "") if p.voided_at else None,
                voided_by=operators.get(p.voided_by, "") if p.voided_by else "",
                masked_id_number=mask_id_number(id_number),
            )
            for p, name, id_number in session.execute(query)
        )
    return RemittanceData(
        centre, day, _now(now), operators.get(whose, "") if whose else "", receipts
    )


def remittance_pdf(
    database: Database,
    actor: Actor,
    day: date,
    operator_id: uuid.UUID | None = None,
    *,
    now: datetime | None = None,
) -> PrintResult:
    """The remittance list as a PDF (A4), same permissions as ``remittance_list``."""
    data = remittance_list(database, actor, day, operator_id, now=now)
    return build_remittance(data, font_chain(database))
