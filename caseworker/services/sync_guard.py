"""Guardrails: warn, then block new enrolments, when sync falls too far behind.

Thresholds are centre configuration (the ``setting`` row ``sync.guardrails``, changed
through ``set_guardrails``, audited). They apply only once this installation is registered
with a county server: a centre that never syncs is not blocked by a sync it cannot do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.services.actor import Actor, Permission
from caseworker.services.errors import ServiceError
from caseworker.services.journal import audit
from caseworker.store.database import Database
from caseworker.store.models import OutboxEntry, Setting, SyncLink

SETTING_KEY = "sync.guardrails"


@dataclass(frozen=True)
class Guardrails:
    warn_days: int = 3
    block_days: int = 14
    warn_pending: int = 500
    block_pending: int = 5000


@dataclass(frozen=True)
class GuardrailStatus:
    level: str  # "ok", "warn" or "block"
    pending: int
    last_success: datetime | None
    message: str
    message_en: str


def load_guardrails(session: Session) -> Guardrails:
    row = session.get(Setting, SETTING_KEY)
    return Guardrails(**row.value) if row else Guardrails()


def guardrail_settings(database: Database) -> Guardrails:
    with database.reading() as session:
        return load_guardrails(session)


def set_guardrails(database: Database, actor: Actor, rails: Guardrails) -> None:
    actor.require(Permission.MANAGE_CENTRE)
    if not (
        0 < rails.warn_days <= rails.block_days and 0 < rails.warn_pending <= rails.block_pending
    ):
        raise ServiceError(
            "invalid_guardrails",
            "提醒阈值必须大于0且不大于停办阈值。",
            "Warning thresholds must be positive and not above the blocking thresholds.",
        )
    with database.writing() as session:
        row = session.get(Setting, SETTING_KEY)
        if row is None:
            session.add(Setting(key=SETTING_KEY, value=asdict(rails)))
        else:
            row.value = asdict(rails)
        audit(
            session,
            actor,
            action="setting.change",
            entity_type="setting",
            entity_id=None,
            detail={SETTING_KEY: asdict(rails)},
        )


def guardrail_status(session: Session, now: datetime | None = None) -> GuardrailStatus:
    link = session.get(SyncLink, 1)
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


def current_guardrails(database: Database) -> GuardrailStatus:
    """The guardrail state as the Sync page shows it (a read transaction)."""
    with database.reading() as session:
        return guardrail_status(session)


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
