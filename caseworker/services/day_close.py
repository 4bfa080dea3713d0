"""Daily close (日结): a supervisor closes one operator's business day against the cash counted.

The close records what the store expected (receipts, voids, cash and other methods, voids
never counted) beside what the supervisor counted, the difference and its note (required
when there is a difference). It is one audited write; its audit entry carries every figure
and travels upstream with the device's audit trail, signed by the supervisor. A closed day
takes no new payment dated to it by that operator (:func:`refuse_if_day_closed`, called by
``payments.write_receipts``). A close is never edited: reopening is its own audited action with
a reason, after which the day takes payments again and is closed anew.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.money import format_yuan
from caseworker.services.actor import Actor, Permission
from caseworker.services.errors import NotFound, ServiceError, field_error
from caseworker.services.journal import audit
from caseworker.store.database import Database
from caseworker.store.models import AuditEntry, DayClose, Operator, Payment

NOTE_MIN = 2


@dataclass(frozen=True)
class DayTotals:
    """One operator's desk takings on one business day, as the store holds them now."""

    operator_id: uuid.UUID
    operator_name: str
    day: date
    receipts: int = 0  # distinct receipt numbers (a receipt may carry several lines)
    receipt_lines: int = 0
    voids: int = 0  # voided lines, never counted in a total
    voided_fen: int = 0
    collected_fen: int = 0  # personal contributions taken, every method
    expected_cash_fen: int = 0  # of which cash: what the drawer should hold
    by_method: dict[str, int] = field(default_factory=dict)

    @property
    def other_methods_fen(self) -> int:
        return self.collected_fen - self.expected_cash_fen


@dataclass(frozen=True)
class CloseRecord:
    """A close as recorded (the figures of the moment it was made)."""

    id: uuid.UUID
    operator_id: uuid.UUID
    operator_name: str
    day: date
    receipts: int
    receipt_lines: int
    voids: int
    voided_fen: int
    collected_fen: int
    expected_cash_fen: int
    counted_cash_fen: int
    difference_fen: int
    note: str | None
    closed_by: str
    closed_at: datetime
    reopened_at: datetime | None = None
    reopened_by: str = ""
    reopen_reason: str | None = None
    # False when the row no longer says what its signed audit entry says (edited behind the
    # services' back): the report shows it, rather than print altered figures as true.
    matches_audit: bool = True

    @property
    def open(self) -> bool:
        """Still in force (not reopened)."""
        return self.reopened_at is None


@dataclass(frozen=True)
class OperatorDay:
    """A row of the close list: an operator's day, and its close if there is one in force."""

    totals: DayTotals
    close: CloseRecord | None


def _names(session: Session) -> dict[uuid.UUID, str]:
    return dict(session.execute(select(Operator.id, Operator.display_name)).all())


def day_totals(session: Session, operator_id: uuid.UUID, day: date) -> DayTotals:
    """The operator's desk payments dated ``day`` (tax-channel payments take no cash here)."""
    rows = session.execute(
        select(
            Payment.receipt_number, Payment.personal_fen, Payment.method, Payment.voided_at
        ).where(
            Payment.operator_id == operator_id,
            Payment.business_date == day,
            Payment.channel == "desk",
        )
    ).all()
    by_method: dict[str, int] = defaultdict(int)
    voids = voided = 0
    for row in rows:
        if row.voided_at is not None:
            voids += 1
            voided += row.personal_fen
        else:
            by_method[row.method] += row.personal_fen
    name = _names(session).get(operator_id)
    if name is None:
        raise NotFound("operator", "找不到该经办人员。", "No such operator.")
    return DayTotals(
        operator_id=operator_id,
        operator_name=name,
        day=day,
        receipts=len({row.receipt_number for row in rows}),
        receipt_lines=len(rows),
        voids=voids,
        voided_fen=voided,
        collected_fen=sum(by_method.values()),
        expected_cash_fen=by_method.get("cash", 0),
        by_method=dict(by_method),
    )


def _record(row: DayClose, names: dict[uuid.UUID, str]) -> CloseRecord:
    return CloseRecord(
        id=row.id,
        operator_id=row.operator_id,
        operator_name=names.get(row.operator_id, "?"),
        day=row.business_date,
        receipts=row.receipts,
        receipt_lines=row.receipt_lines,
        voids=row.voids,
        voided_fen=row.voided_fen,
        collected_fen=row.collected_fen,
        expected_cash_fen=row.expected_cash_fen,
        counted_cash_fen=row.counted_cash_fen,
        difference_fen=row.difference_fen,
        note=row.note,
        closed_by=names.get(row.closed_by, "?"),
        closed_at=row.closed_at,
        reopened_at=row.reopened_at,
        reopened_by=names.get(row.reopened_by, "?") if row.reopened_by else "",
        reopen_reason=row.reopen_reason,
    )


def _close_in_force(session: Session, operator_id: uuid.UUID, day: date) -> DayClose | None:
    return session.scalar(
        select(DayClose).where(
            DayClose.operator_id == operator_id,
            DayClose.business_date == day,
            DayClose.reopened_at.is_(None),
        )
    )


def refuse_if_day_closed(session: Session, operator_id: uuid.UUID, day: date) -> None:
    """No new payment dated to a day a supervisor closed for this operator."""
    row = _close_in_force(session, operator_id, day)
    if row is None:
        return
    names = _names(session)
    by = names.get(row.closed_by, "?")
    at = row.closed_at.astimezone().strftime("%Y-%m-%d %H:%M")
    raise ServiceError(
        "day_closed",
        f"{day.isoformat()} 已由{by}于 {at} 日结（{names.get(operator_id, '?')}），不能再登记该日"
        "的缴费。如确需补录，请审核员先撤销该日日结并写明原因。",
        f"{day.isoformat()} was closed by {by} at {at} for {names.get(operator_id, '?')}; no more "
        "payments can be dated to it. A supervisor must reopen the day, with a reason, first.",
    )


def day_overview(database: Database, actor: Actor, day: date) -> list[OperatorDay]:
    """Every operator with desk payments on ``day`` or a close of it, with the close in force."""
    actor.require(Permission.CLOSE_DAY)
    with database.reading() as session:
        names = _names(session)
        with_payments = set(
            session.scalars(
                select(Payment.operator_id).where(
                    Payment.business_date == day, Payment.channel == "desk"
                )
            )
        )
        closes = {
            row.operator_id: row
            for row in session.scalars(
                select(DayClose).where(
                    DayClose.business_date == day, DayClose.reopened_at.is_(None)
                )
            )
        }
        result = []
        for operator_id in sorted(with_payments | set(closes), key=lambda o: names.get(o, "")):
            close = closes.get(operator_id)
            result.append(
                OperatorDay(
                    day_totals(session, operator_id, day),
                    _record(close, names) if close else None,
                )
            )
        return result


# The figures a close's audit entry carries, as the row's columns.
AUDITED = {
    "receipts": "receipts",
    "voids": "voids",
    "expected_cash_fen": "expected_cash_fen",
    "counted_cash_fen": "counted_cash_fen",
    "difference_fen": "difference_fen",
    "note": "note",
}


def _audited_figures(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, object]]:
    entries = session.execute(
        select(AuditEntry.entity_id, AuditEntry.detail).where(
            AuditEntry.action == "day.close", AuditEntry.entity_id.in_(ids)
        )
    ).all()
    return {entry.entity_id: entry.detail for entry in entries}


def closes_on(session: Session, day: date) -> list[CloseRecord]:
    """Every close of ``day``, reopened ones too (the daily report shows both), each checked
    against its audit entry."""
    names = _names(session)
    rows = list(
        session.scalars(
            select(DayClose).where(DayClose.business_date == day).order_by(DayClose.closed_at)
        )
    )
    audited = _audited_figures(session, [row.id for row in rows])
    records = []
    for row in rows:
        detail = audited.get(row.id)
        matches = detail is not None and all(
            detail.get(key) == getattr(row, column) for key, column in AUDITED.items()
        )
        records.append(replace(_record(row, names), matches_audit=matches))
    return sorted(records, key=lambda c: (c.operator_name, c.closed_at))


def close_day(
    database: Database,
    actor: Actor,
    *,
    operator_id: uuid.UUID,
    day: date,
    counted_cash_fen: int,
    note: str = "",
) -> CloseRecord:
    """Close ``day`` for the operator: totals computed in this transaction, so a payment that
    lands while the dialog is open is in the figures (or refused, once the close commits)."""
    actor.require(Permission.CLOSE_DAY)
    if isinstance(counted_cash_fen, bool) or not isinstance(counted_cash_fen, int):
        raise TypeError("counted cash is integer fen")
    if counted_cash_fen < 0:
        raise field_error(
            "counted_cash", "negative", "清点的现金不能为负数。", "Counted cash cannot be negative."
        )
    note = note.strip()
    with database.writing() as session:
        existing = _close_in_force(session, operator_id, day)
        if existing is not None:
            names = _names(session)
            raise ServiceError(
                "already_closed",
                f"{names.get(operator_id, '?')}的 {day.isoformat()} 已由"
                f"{names.get(existing.closed_by, '?')}日结；如需更正，请先撤销日结并写明原因。",
                f"{day.isoformat()} is already closed for {names.get(operator_id, '?')}; reopen "
                "it with a reason to correct it.",
            )
        totals = day_totals(session, operator_id, day)
        difference = counted_cash_fen - totals.expected_cash_fen
        if difference and len(note) < NOTE_MIN:
            raise field_error(
                "note",
                "required",
                f"清点现金与应收现金相差 {format_yuan(difference)} 元，请在“说明”中写明原因"
                f"（至少{NOTE_MIN}个字）。",
                f"The counted cash differs from the expected cash by {format_yuan(difference)} "
                f"yuan; explain the difference in the note (at least {NOTE_MIN} characters).",
            )
        row = DayClose(
            operator_id=operator_id,
            business_date=day,
            receipts=totals.receipts,
            receipt_lines=totals.receipt_lines,
            voids=totals.voids,
            voided_fen=totals.voided_fen,
            collected_fen=totals.collected_fen,
            expected_cash_fen=totals.expected_cash_fen,
            counted_cash_fen=counted_cash_fen,
            difference_fen=difference,
            note=note or None,
            closed_by=actor.operator_id,
            closed_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        audit(
            session,
            actor,
            action="day.close",
            entity_type="day_close",
            entity_id=row.id,
            detail={
                "operator_id": operator_id,
                "operator": totals.operator_name,
                "day": day,
                "receipts": totals.receipts,
                "receipt_lines": totals.receipt_lines,
                "voids": totals.voids,
                "voided_fen": totals.voided_fen,
                "collected_fen": totals.collected_fen,
                "expected_cash_fen": totals.expected_cash_fen,
                "counted_cash_fen": counted_cash_fen,
                "difference_fen": difference,
                "note": row.note,
            },
        )
        return _record(row, _names(session))


def reopen_day(
    database: Database, actor: Actor, *, operator_id: uuid.UUID, day: date, reason: str
) -> CloseRecord:
    """Put a closed day back in use: the close stays on record, stamped with who, when, why."""
    actor.require(Permission.CLOSE_DAY)
    reason = reason.strip()
    if len(reason) < NOTE_MIN:
        raise field_error(
            "reopen_reason",
            "required",
            f"撤销日结必须写明原因（至少{NOTE_MIN}个字）。",
            f"Reopening a closed day needs a reason (at least {NOTE_MIN} characters).",
        )
    with database.writing() as session:
        row = _close_in_force(session, operator_id, day)
        if row is None:
            raise NotFound(
                "day_close",
                f"{day.isoformat()} 尚未日结，无需撤销。",
                f"{day.isoformat()} is not closed; there is nothing to reopen.",
            )
        row.reopened_at = datetime.now(UTC)
        row.reopened_by = actor.operator_id
        row.reopen_reason = reason
        audit(
            session,
            actor,
            action="day.reopen",
            entity_type="day_close",
            entity_id=row.id,
            detail={"operator_id": operator_id, "day": day, "reason": reason},
        )
        return _record(row, _names(session))
