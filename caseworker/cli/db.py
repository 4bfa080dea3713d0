"""`caseworker db backups | restore | accept-loss`: getting back to a store that can be trusted.

``backups`` and ``restore`` unlock the database key from the key file without opening the
database, so they work when the database itself is damaged; ``restore`` checks in the
backup that the operator is an administrator.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from caseworker.cli.common import USER_ENV, fail, open_session, paths_from, read_password
from caseworker.paths import DataPaths
from caseworker.services.recovery import (
    accept_loss,
    list_backups,
    resolve_backup,
    restore_backup,
)
from caseworker.services.store_guard import loss_summary, loss_words
from caseworker.store.keys import KeyFile


def _unlock(args: Any) -> tuple[DataPaths, KeyFile, bytes, str]:
    username = getattr(args, "user", None) or os.environ.get(USER_ENV)
    if not username:
        fail("请用 --user 指定操作员用户名。", "Name the operator with --user.")
    paths = paths_from(args)
    key_file = KeyFile.load(paths.key_file)
    key = key_file.unlock(username, read_password(f"{username} 的密码 / password: "))
    return paths, key_file, key, username


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} KB"


def cmd_db_backups(args: Any) -> int:
    paths, key_file, key, _ = _unlock(args)
    statuses = list_backups(paths, key, key_file.file_id)
    if not statuses:
        print(f"{paths.backups} 中没有备份。 No backups in {paths.backups}.")
        return 0
    print("时间 / taken            原因 / reason                大小 / size  状态 / state")
    for status in statuses:
        backup = status.backup
        if not status.opens:
            state = f"无法打开 / does not open: {status.problem}"
        elif status.behind_marks is None:
            state = f"可打开，{status.audit_entries} 条审计记录 / opens (no marks to compare)"
        elif status.behind_marks:
            state = "比高水位标记旧（恢复后仍需确认损失） / behind the marks"
        else:
            state = "完整（不落后于标记） / complete, not behind the marks"
        print(
            f"{backup.taken_at:%Y-%m-%d %H:%M:%S}  {backup.reason[:26]:<26}  "
            f"{_size(backup.size):>9}  {state}"
        )
        print(f"    {backup.path.name}")
    return 0


def cmd_db_restore(args: Any) -> int:
    paths, key_file, key, username = _unlock(args)
    backup = resolve_backup(paths, args.file)
    result = restore_backup(paths, key, key_file.file_id, username, backup)
    print(f"已用 {backup.name} 恢复数据库。 Restored the database from {backup.name}.")
    if result.kept_copy is not None:
        print(
            f"恢复前的数据库已保留为 {result.kept_copy.name}。 "
            f"The previous file is kept as {result.kept_copy.name}."
        )
    if result.loss is not None:
        words, words_en = loss_words(result.loss, key_file.centre_code)
        print(f"注意：{words}")
        print(f"Note: {words_en}")
    return 0


def cmd_db_accept_loss(args: Any) -> int:
    session = open_session(args)
    try:
        report = accept_loss(session)
        words, words_en = loss_summary(report, session.actor.centre_code)
    finally:
        session.close()
    print(f"已确认损失并记入审计记录：{words}之后的收据号接在丢失的号码之后。")
    print(f"The loss is accepted and audited: {words_en} Later receipt numbers continue after")
    print("the lost ones.")
    return 0


def register(db_commands: argparse._SubParsersAction, user_option: Any) -> None:
    backups = db_commands.add_parser(
        "backups", help="list backups: time, reason, size, behind the marks or not"
    )
    user_option(backups)
    backups.set_defaults(handler=cmd_db_backups)
    restore = db_commands.add_parser(
        "restore", help="put a backup in place of the database (admins; keeps a copy first)"
    )
    restore.add_argument("file", help="backup file (a name in backups/ or a path)")
    user_option(restore)
    restore.set_defaults(handler=cmd_db_restore)
    accept = db_commands.add_parser(
        "accept-loss",
        help="continue after a loss the county has confirmed (admins): receipt numbers "
        "move past every number issued, the loss is audited",
    )
    user_option(accept)
    accept.set_defaults(handler=cmd_db_accept_loss)
