"""Guardrails: warn, then block new enrolments, when sync falls too far behind.

Thresholds are the centre setting ``GUARDRAILS`` (``services.centre_settings``). They apply only once this installation is registered
with a county server: a centre that never syncs is not blocked by a sync it cannot do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.services.actor import Actor
from caseworker.services.centre_settings import (
    GUARDRAILS,
    Guardrails,
    change_setting,
    read_setting,
    setting_value,
)
from caseworker.services.errors import ServiceError
from caseworker.store.database import Database
from caseworker.store.models import OutboxEntry, SyncLink

__all__ = ["Guardrails", "guardrail_settings", "set_guardrails"]


@dataclass(frozen=True)
class GuardrailStatus:
    level: str  # "ok", "warn" or "block"
    pending: int
    last_success: datetime | None
    message: str
    message_en: str


def load_guardrails(session: Session) -> Guardrails:
    return setting_value(session, GUARDRAILS)


def guardrail_settings(database: Database) -> Guardrails:
    return read_setting(database, GUARDRAILS)


def set_guardrails(database: Database, actor: Actor, rails: Guardrails) -> None:
    change_setting(database, actor, GUARDRAILS, rails)


def guardrail_status(
    session: Session, now: datetime | None = None, *, pending: int | None = None
) -> GuardrailStatus:
    """``pending``: the records waiting, when the caller has just counted them (the outbox
    is the largest table; the Sync page counts it once, not once per figure)."""
    link = session.get(SyncLink, 1)
    if pending is None:
        pending = (
            session.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.sync_state.in_(("pending", "sending")))
            )
            or 0
        )
    if link is None or link.registered_at is None:
        return GuardrailStatus("ok", pending, None, "", "")
    rails = load_guardrails(session)
    since = link.last_success_at or link.registered_at
    age = (now or datetime.now(UTC)) - since
    days = age / timedelta(days=1)
    level = "ok"
    if days >= rails.warn_days or pending >= rails.warn_pending:
        level = "warn"
    if days >= rails.block_days or pending >= rails.block_pending:
        level = "block"
    if level == "ok":
        return GuardrailStatus(level, pending, link.last_success_at, "", "")
    what = "已停止新参保登记" if level == "block" else "请尽快同步"
    return GuardrailStatus(
        level,
        pending,
        link.last_success_at,
        f"已{int(days)}天未成功同步，{pending}条记录待上传：{what}（运行同步或导出批次文件）。",
        f"{int(days)} days since the last successful sync and {pending} records waiting: "
        + ("new enrolments are blocked" if level == "block" else "sync soon")
        + " (run sync or export a batch file).",
    )


def enforce_sync_guardrails(session: Session) -> None:
    """Called inside ``enrol``'s transaction: refuse a new enrolment when sync is too far behind.

    This runs on every save, so it stays cheap on a large store: nothing is counted until the
    device is registered, and then only up to the blocking threshold.
    """
    link = session.get(SyncLink, 1)
    if link is None or link.registered_at is None:
        return
    rails = load_guardrails(session)
    waiting = select(OutboxEntry.seq).where(OutboxEntry.sync_state.in_(("pending", "sending")))
    capped = session.scalar(
        select(func.count()).select_from(waiting.limit(rails.block_pending).subquery())
    )
    since = link.last_success_at or link.registered_at
    overdue = datetime.now(UTC) - since >= timedelta(days=rails.block_days)
    if overdue or (capped or 0) >= rails.block_pending:
        status = guardrail_status(session)
        raise ServiceError("sync_overdue", status.message, status.message_en)
