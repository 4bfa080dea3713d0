"""Recovering a store that is behind its high-water marks, or damaged.

Two ways out, both for an administrator: put back a backup (``restore_backup``), or, once
the county has confirmed what it holds, accept the loss (``accept_loss``): every receipt
counter is moved past its mark, so no number already printed is issued again, the lost
range goes into the audit trail, and the marks are written anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from caseworker.paths import DataPaths
from caseworker.services.actor import Permission
from caseworker.services.centre import OpenSession
from caseworker.services.errors import PermissionDenied, ServiceError
from caseworker.services.journal import audit
from caseworker.store.backups import BackupFile, list_backup_files, operator_role, restore_file
from caseworker.store.engine import StoreOpenError
from caseworker.store.inspect import LossReport, find_loss, inspect_store
from caseworker.store.marks import MarksProblem, load_marks
from caseworker.store.models import ReceiptCounter


def accept_loss(session: OpenSession) -> LossReport:
    """Continue after a confirmed loss: counters past every mark, audited, marks rewritten."""
    session.actor.require(Permission.MANAGE_CENTRE)
    database = session.database
    report = database.loss
    if report is None:
        raise ServiceError(
            "not_behind",
            "数据库与高水位标记一致，没有需要确认的损失。",
            "The database is not behind its marks; there is no loss to accept.",
        )
    with database.writing() as db:
        for gap in report.receipts:
            counter = db.get(ReceiptCounter, (gap.device_id, gap.year))
            if counter is None:
                counter = ReceiptCounter(device_id=gap.device_id, year=gap.year, last_sequence=0)
                db.add(counter)
            counter.last_sequence = max(counter.last_sequence, gap.marked)
        audit(
            db,
            session.actor,
            action="store.accept_loss",
            entity_type="store",
            entity_id=None,
            detail={
                "reason": report.reason,
                "audit_held": report.audit_held,
                "audit_marked": report.audit_marked,
                "audit_diverged": report.audit_diverged,
                "receipts": [
                    {
                        "device_id": gap.device_id,
                        "year": gap.year,
                        "lost_from": gap.held + 1,
                        "lost_to": gap.marked,
                    }
                    for gap in report.receipts
                ],
                "marked_at": report.marked_at,
            },
        )
    database.rewrite_marks()
    return report


@dataclass(frozen=True)
class BackupStatus:
    backup: BackupFile
    opens: bool
    problem: str | None  # why it does not open, in words
    audit_entries: int
    behind_marks: bool | None  # None when there are no trusted marks to compare with


def list_backups(paths: DataPaths, key: bytes, file_id: str | None) -> list[BackupStatus]:
    """Every backup, newest first, checked with the key against the current marks."""
    try:
        marks = load_marks(paths.marks, key, file_id)
    except MarksProblem:
        marks = None
    statuses = []
    for backup in list_backup_files(paths):
        try:
            state = inspect_store(
                backup.path, key, audit_seq_of_interest=marks.audit_seq if marks else None
            )
        except StoreOpenError as error:
            statuses.append(BackupStatus(backup, False, error.message, 0, None))
            continue
        behind = None if marks is None else find_loss(marks, state) is not None
        statuses.append(BackupStatus(backup, True, None, state.audit_seq, behind))
    return statuses


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    kept_copy: Path | None
    loss: LossReport | None  # what the restored file still lacks against the marks


def resolve_backup(paths: DataPaths, name: str) -> Path:
    candidate = Path(name)
    if not candidate.exists() and (paths.backups / name).exists():
        candidate = paths.backups / name
    if not candidate.is_file():
        raise ServiceError(
            "no_backup",
            f"找不到备份文件 {name}。请用 caseworker db backups 查看可用的备份。",
            f"No backup file {name}; list them with `caseworker db backups`.",
        )
    return candidate


def restore_backup(
    paths: DataPaths, key: bytes, file_id: str | None, username: str, backup: Path
) -> RestoreResult:
    """Replace the database with a backup; the operator must be an administrator in it."""
    if backup.resolve() == paths.database.resolve():
        raise ServiceError(
            "no_backup", "不能用数据库文件本身恢复。", "Cannot restore the database onto itself."
        )
    inspect_store(backup, key, audit_seq_of_interest=None)  # opens with the key, not damaged
    if operator_role(backup, key, username) != "admin":
        raise PermissionDenied(
            "forbidden",
            f"只有管理员才能恢复备份，“{username}”在该备份中不是管理员。",
            f"Only an administrator may restore a backup; {username} is not one in that backup.",
        )
    kept, _ = restore_file(paths, backup, key)
    try:
        marks = load_marks(paths.marks, key, file_id)
    except MarksProblem:
        marks = None
    loss = None
    if marks is not None:
        state = inspect_store(paths.database, key, audit_seq_of_interest=marks.audit_seq)
        loss = find_loss(marks, state)
    return RestoreResult(paths.database, kept, loss)
