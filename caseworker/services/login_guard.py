"""Failed logins: kept while the database is locked, audited at the next login, and after
five in a row a wait that doubles with each further failure.

The clock is a parameter everywhere (``Clock``), so tests move time instead of sleeping.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from caseworker.paths import DataPaths
from caseworker.services.errors import ServiceError
from caseworker.store import failed_logins
from caseworker.store.failed_logins import FailedLogin

if TYPE_CHECKING:
    # Neither is needed before the key is unlocked (``services.login``: the launch derives
    # the key while SQLAlchemy loads on another thread).
    from sqlalchemy.orm import Session

Clock = Callable[[], datetime]
FAILURES_BEFORE_WAIT = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
FAILED_ACTION = "operator.login_failed"
# The failures were typed before anyone was logged in, so no operator can sign them: they
# are the device's bookkeeping (signed with the device key), like sync's.
FAILED_SIGNER_NAME = "login"


def utc_now() -> datetime:
    return datetime.now(UTC)


def wait_after(failures_in_a_row: int) -> timedelta | None:
    """30 s after the fifth failure, then 1 min, 2 min, 4 min … up to an hour."""
    if failures_in_a_row < FAILURES_BEFORE_WAIT:
        return None
    doublings = min(failures_in_a_row - FAILURES_BEFORE_WAIT, 16)
    return min(FIRST_WAIT * (2**doublings), LONGEST_WAIT)


class LoginLocked(ServiceError):
    """Too many failures in a row for this name: ``until`` says when to try again."""

    def __init__(self, username: str, failures: int, until: datetime, now: datetime) -> None:
        self.username = username
        self.failures = failures
        self.until = until
        left = seconds_left(until, now)
        super().__init__(
            "login_locked",
            f"操作员“{username}”已连续{failures}次登录失败，请等待{_zh_duration(left)}后再试。",
            f"{failures} failed logins in a row for {username}; try again in {_en_duration(left)}.",
        )


def seconds_left(until: datetime, now: datetime) -> int:
    return max(0, math.ceil((until - now).total_seconds()))


def _zh_duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes and rest:
        return f"{minutes}分{rest}秒"
    return f"{minutes}分钟" if minutes else f"{rest}秒"


def _en_duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes and rest:
        return f"{minutes} min {rest} s"
    return f"{minutes} min" if minutes else f"{rest} s"


def locked_until(paths: DataPaths, username: str, now: datetime) -> datetime | None:
    """When this name may try again, or None if it may now."""
    streak = failed_logins.streak_of(paths.failed_logins, username)
    wait = wait_after(streak.count) if streak else None
    if streak is None or wait is None or streak.last_at + wait <= now:
        return None
    return streak.last_at + wait


def check_not_locked(paths: DataPaths, username: str, now: datetime) -> None:
    until = locked_until(paths, username, now)
    if until is not None:
        streak = failed_logins.streak_of(paths.failed_logins, username)
        raise LoginLocked(username.strip(), streak.count if streak else 0, until, now)


def record_failure(paths: DataPaths, username: str, reason: str, now: datetime) -> None:
    failed_logins.add_failure(paths.failed_logins, username, reason, now)


def audit_failures(session: Session, paths: DataPaths) -> list[FailedLogin]:
    """Move the kept failures into the audit chain (in the caller's transaction)."""
    from caseworker.services.journal import audit

    failures = failed_logins.load(paths.failed_logins).failures
    for failure in failures:
        audit(
            session,
            None,
            action=FAILED_ACTION,
            entity_type="operator",
            entity_id=None,
            detail={
                "username": failure.username,
                "reason": failure.reason,
                "failed_at": failure.at.isoformat(),
                "failure_id": failure.id,
            },
            operator_name=FAILED_SIGNER_NAME,
        )
    return failures


def forget_failures(paths: DataPaths, audited: list[FailedLogin], username: str) -> None:
    """After the commit: the audited failures leave the file, and the operator's run ends."""
    failed_logins.forget(paths.failed_logins, audited, username)
