"""The home page's figures (今日), in one read: the front page's (pending uploads, last sync,
the worklists' counts, what was sent back) and the day's own — enrolments and payments of the
day and the cash taken, the operator's and, for a supervisor, the centre's; the sync queue's
open records; days with desk takings nobody closed; sync age against the guardrails.

One transaction, no Qt: the main window reads it at launch, after each save, on F5 and every
minute, and feeds the status bar, the front desk and the home page from it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.services.actor import Actor, Permission
from caseworker.services.day_close import day_totals
from caseworker.services.front_page import FrontPage, front_page_fields
from caseworker.services.review import day_bounds
from caseworker.services.sync_guard import GuardrailStatus, guardrail_status
from caseworker.services.sync_queue import unresolved
from caseworker.store.database import Database
from caseworker.store.models import AuditEntry, DayClose, Operator, OutboxEntry, Payment

# How far back a day left unclosed is still asked about: older ones are the daily report's
# (and reading every day ever would grow with the store).
UNCLOSED_LOOKBACK_DAYS = 60


@dataclass(frozen=True)
class DayWork:
    """One operator's (or the whole centre's) work on one business day."""

    enrolments: int = 0  # schemes enrolled at the desk (each 参保 entry of the audit trail)
    payments: int = 0  # payment lines recorded, any channel, voids left out
    receipts: int = 0  # desk receipts issued (a receipt may carry several lines)
    voids: int = 0
    cash_fen: int = 0  # cash taken at the desk: what the drawer should hold
    collected_fen: int = 0  # personal contributions taken at the desk, every method

    @property
    def empty(self) -> bool:
        return not (self.enrolments or self.payments or self.voids)


@dataclass(frozen=True)
class UnclosedDay:
    """A past business day with desk takings and no close in force (for a supervisor)."""

    day: date
    operator_id: uuid.UUID
    operator_name: str


@dataclass(frozen=True)
class HomeFigures(FrontPage):
    day: date
    mine: DayWork
    centre: DayWork | None  # None unless the operator supervises (sees the centre's day)
    sync_rejected: int  # the sync queue's records the county refused, not resolved
    sync_conflicts: int  # ... and those in conflict with the county's copy
    unclosed: list[UnclosedDay]  # empty unless the operator closes days
    guardrail: GuardrailStatus

    @property
    def sync_issues(self) -> int:
        return self.sync_rejected + self.sync_conflicts


def home_figures(database: Database, actor: Actor, day: date) -> HomeFigures:
    with database.reading() as session:
        front = front_page_fields(session, database, actor, day)
        supervises = actor.may(Permission.REVIEW)
        rejected, conflicts = _open_issues(session)
        return HomeFigures(
            **front,
            day=day,
            mine=_day_work(session, day, actor.operator_id),
            centre=_day_work(session, day, None) if supervises else None,
            sync_rejected=rejected,
            sync_conflicts=conflicts,
            unclosed=_unclosed(session, day) if actor.may(Permission.CLOSE_DAY) else [],
            guardrail=guardrail_status(session, pending=front["pending_uploads"]),
        )


def _day_work(session: Session, day: date, operator_id: uuid.UUID | None) -> DayWork:
    """``operator_id`` None: every operator's. Desk takings as the daily close counts them
    (``day_close.day_totals``, per operator), so the home page and the close never differ."""
    start, end = day_bounds(day)
    # The audit trail's day index (``at``): no scan of the enrolments, nor an index only for
    # this. The action is compared as an expression (``action || ''``) so that SQLite does not
    # take the action's index instead, which holds every enrolment ever made (0.2 s at 20,000
    # people, against under a millisecond for a day's range).
    enrolled = select(func.count()).where(
        AuditEntry.at >= start,
        AuditEntry.at < end,
        AuditEntry.action.op("||")("") == "enrolment.create",
    )
    lines = select(func.count()).where(Payment.business_date == day, Payment.voided_at.is_(None))
    operators = (
        select(Payment.operator_id)
        .where(Payment.business_date == day, Payment.channel == "desk")
        .distinct()
    )
    if operator_id is not None:
        enrolled = enrolled.where(AuditEntry.operator_id == operator_id)
        lines = lines.where(Payment.operator_id == operator_id)
        operators = operators.where(Payment.operator_id == operator_id)
    desks = [day_totals(session, o, day) for o in session.scalars(operators)]
    return DayWork(
        enrolments=session.scalar(enrolled) or 0,
        payments=session.scalar(lines) or 0,
        receipts=sum(d.receipts for d in desks),
        voids=sum(d.voids for d in desks),
        cash_fen=sum(d.expected_cash_fen for d in desks),
        collected_fen=sum(d.collected_fen for d in desks),
    )


def _open_issues(session: Session) -> tuple[int, int]:
    """The sync queue's unresolved records, as the Sync page counts them."""
    counts = dict(
        session.execute(
            select(OutboxEntry.sync_state, func.count())
            .where(OutboxEntry.sync_state.in_(("rejected", "conflict")), unresolved())
            .group_by(OutboxEntry.sync_state)
        ).all()
    )
    return counts.get("rejected", 0), counts.get("conflict", 0)


def _unclosed(session: Session, day: date) -> list[UnclosedDay]:
    """Days before ``day`` (within the lookback) with desk payments of an operator and no close
    in force for them, oldest first."""
    since = day - timedelta(days=UNCLOSED_LOOKBACK_DAYS)
    taken = set(
        session.execute(
            select(Payment.business_date, Payment.operator_id)
            .where(
                Payment.business_date >= since,
                Payment.business_date < day,
                Payment.channel == "desk",
            )
            .distinct()
        ).all()
    )
    if not taken:
        return []
    closed = set(
        session.execute(
            select(DayClose.business_date, DayClose.operator_id).where(
                DayClose.business_date >= since,
                DayClose.business_date < day,
                DayClose.reopened_at.is_(None),
            )
        ).all()
    )
    names = dict(session.execute(select(Operator.id, Operator.display_name)).all())
    return [
        UnclosedDay(when, operator, names.get(operator, "?"))
        for when, operator in sorted(
            taken - closed, key=lambda pair: (pair[0], names.get(pair[1], ""))
        )
    ]
