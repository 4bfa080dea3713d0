"""While the store is behind its high-water marks, nothing that issues a number may run.

The words say what was lost (audit entries, receipt numbers) and what to do; the CLI prints
them at login, the desktop app shows them in a banner, and the refused services carry them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseworker.domain.receipts import format_receipt_number
from caseworker.services.actor import Actor
from caseworker.services.errors import ServiceError
from caseworker.store.inspect import LossReport

if TYPE_CHECKING:
    from caseworker.store.database import Database
    from caseworker.store.direct import DirectStore

WHAT_TO_DO = (
    "为避免重复使用已打印的收据号，已暂停开收据和参保登记。请管理员：① 运行 caseworker db backups "
    "查看备份，用 caseworker db restore 备份文件 --user 管理员 恢复最新的备份；或 ② 与县社保局核对"
    "其已收到的记录后，运行 caseworker db accept-loss --user 管理员 确认损失（之后的收据号接在丢失的"
    "号码之后，不会重复）。",
    "Receipts and enrolments are stopped so that no receipt number already printed is issued "
    "again. An administrator can either list the backups with `caseworker db backups` and "
    "restore the newest with `caseworker db restore FILE --user ADMIN`, or, once the county "
    "has confirmed what it holds, run `caseworker db accept-loss --user ADMIN` (later receipt "
    "numbers continue after the lost ones, none is reused).",
)


def loss_words(report: LossReport, centre_code: str) -> tuple[str, str]:
    """What was lost, in Chinese and English, followed by what to do."""
    zh, en = loss_summary(report, centre_code)
    return zh + WHAT_TO_DO[0], en + " " + WHAT_TO_DO[1]


def loss_summary(report: LossReport, centre_code: str) -> tuple[str, str]:
    """What was lost, in Chinese and English."""
    zh: list[str] = []
    en: list[str] = []
    if report.reason == "marks_edited":
        zh.append("高水位标记文件 caseworker.marks 被改动或已损坏，无法确认数据库是否完整。")
        en.append(
            "The marks file caseworker.marks was edited or is damaged; the database "
            "cannot be shown complete."
        )
    elif report.reason == "marks_foreign":
        zh.append("高水位标记文件 caseworker.marks 属于另一个数据库，无法确认本数据库是否完整。")
        en.append(
            "The marks file caseworker.marks belongs to another database; this one "
            "cannot be shown complete."
        )
    else:
        zh.append(
            "数据库比已确认写入的记录少（断电或磁盘损坏丢失了最后的写入，或放回了旧的副本）："
        )
        en.append(
            "The database holds less than was committed (a power cut or damaged disk "
            "lost the last writes, or an older copy was put back):"
        )
    if missing := report.missing_audit:
        zh.append(f"审计记录第 {missing[0]}–{missing[1]} 条不在数据库中；")
        en.append(f"audit entries {missing[0]}-{missing[1]} are missing;")
    if report.audit_diverged:
        zh.append(f"审计记录第 {report.audit_marked} 条与写入时不同（文件被换成了另一份副本）；")
        en.append(
            f"audit entry {report.audit_marked} is not the one written (the file was "
            "replaced by another copy);"
        )
    for gap in report.receipts:
        number = gap.device_number or 0
        first = format_receipt_number(centre_code, number, gap.year, gap.held + 1)
        last = format_receipt_number(centre_code, number, gap.year, gap.marked)
        count = gap.marked - gap.held
        zh.append(f"已发出的收据号 {first} 至 {last}（{count} 张）不在数据库中；")
        en.append(f"receipt numbers {first} to {last} ({count}) were issued and are missing;")
    if report.marked_at is not None:
        when = report.marked_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        zh.append(f"最后一次确认写入：{when}。")
        en.append(f"last confirmed write: {when}.")
    return "".join(zh), " ".join(en)


class StoreBehind(ServiceError):
    """The store is behind its marks: nothing that issues a number may run."""

    def __init__(self, report: LossReport, centre_code: str) -> None:
        super().__init__("store_behind", *loss_words(report, centre_code))
        self.report = report


def refuse_if_behind(database: Database | None, actor: Actor) -> None:
    if database is not None and database.loss is not None:
        raise StoreBehind(database.loss, actor.centre_code)


def restriction_words(database: Database | DirectStore, actor: Actor) -> tuple[str, str] | None:
    """The words to show after login, or None when the store is whole."""
    loss = database.loss
    return None if loss is None else loss_words(loss, actor.centre_code)
