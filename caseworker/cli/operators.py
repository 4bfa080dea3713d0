"""`caseworker operator …`: list, add, reset-password, set-role, disable, recover
(administrators), and `caseworker idle-lock`: the minutes after which the app locks."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from caseworker.cli.common import open_session, paths_from, print_json, read_password
from caseworker.services.access_recovery import new_key_notice, recover_access
from caseworker.services.actor import CENTRE_AGENCY_LABEL, ROLE_LABELS, Role
from caseworker.services.centre import add_operator
from caseworker.services.centre_settings import IDLE_LOCK_MINUTES, change_setting, read_setting
from caseworker.services.operators import (
    change_role,
    disable_operator,
    list_operators,
    reset_password,
)


def cmd_operator_list(args: Any) -> int:
    session = open_session(args)
    try:
        rows = list_operators(session, datetime.now(UTC))
    finally:
        session.close()
    if args.json:
        print_json(
            [
                {
                    "username": r.username,
                    "display_name": r.display_name,
                    "role": r.role.value,
                    "agency": r.agency,
                    "active": r.active,
                    "last_login": r.last_login.isoformat() if r.last_login else None,
                    "failures_in_a_row": r.failures_in_a_row,
                    "locked_until": r.locked_until.isoformat() if r.locked_until else None,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        state = "启用 active" if r.active else "已停用 disabled"
        last = r.last_login.astimezone().strftime("%Y-%m-%d %H:%M") if r.last_login else "—"
        locked = f"  锁定至 locked until {r.locked_until:%H:%M:%S}" if r.locked_until else ""
        print(
            f"{r.username}\t{r.display_name}\t{ROLE_LABELS[r.role]} {r.role.value}\t"
            f"{r.agency or CENTRE_AGENCY_LABEL}\t{state}\t{last}{locked}"
        )
    return 0


def cmd_operator_add(args: Any) -> int:
    session = open_session(args)
    try:
        password = read_password(
            f"新操作员 {args.username} 的密码 / new operator's password: ",
            env="CASEWORKER_NEW_PASSWORD",
            confirm=True,
        )
        add_operator(
            session,
            username=args.username,
            password=password,
            role=Role(args.role),
            display_name=args.display_name,
            agency=args.agency,
        )
    finally:
        session.close()
    print(f"已添加操作员 {args.username}（{args.role}，{args.agency or CENTRE_AGENCY_LABEL}）。")
    return 0


def cmd_operator_reset_password(args: Any) -> int:
    session = open_session(args)
    try:
        password = read_password(
            f"{args.username} 的新密码 / new password: ",
            env="CASEWORKER_NEW_PASSWORD",
            confirm=True,
        )
        reset_password(session, username=args.username, new_password=password)
    finally:
        session.close()
    print(
        f"已重置 {args.username} 的密码，并为其换发了新的签名密钥（旧记录仍用旧公钥核验）。 "
        f"Password reset; {args.username} has a new signing key (older entries keep the old one)."
    )
    return 0


def cmd_operator_set_role(args: Any) -> int:
    session = open_session(args)
    try:
        change_role(session, args.username, role=Role(args.role), agency=args.agency)
    finally:
        session.close()
    print(
        f"{args.username}：{args.role}，{args.agency or CENTRE_AGENCY_LABEL}。 "
        f"{args.username} is now {args.role} ({args.agency or 'the centre itself'})."
    )
    return 0


def cmd_operator_disable(args: Any) -> int:
    session = open_session(args)
    try:
        disable_operator(session, args.username)
    finally:
        session.close()
    print(
        f"已停用 {args.username}：不能再登录，其密钥槽和签名密钥已从密钥文件删除，以前的记录仍可核验。 "
        f"{args.username} is disabled: no login, key slot and signing key removed; "
        "their past entries still verify."
    )
    return 0


def cmd_operator_recover(args: Any) -> int:
    """The administrator lost their password: the printed recovery key and a new password."""
    key = read_password("恢复密钥 / recovery key: ", env="CASEWORKER_RECOVERY_KEY")
    password = read_password(
        f"{args.username} 的新密码 / new password: ", env="CASEWORKER_NEW_PASSWORD", confirm=True
    )
    session = recover_access(paths_from(args), key, args.username, password)
    notice = new_key_notice(session)
    session.close()
    print(
        f"已用恢复密钥为管理员 {args.username} 设定新密码并换发签名密钥；其他操作员的密码可用 "
        f"caseworker operator reset-password 重置。 {args.username} has a new password and "
        "signing key; reset other operators' passwords with `caseworker operator reset-password`."
    )
    print(notice.message)
    print(notice.message_en)
    return 0


def cmd_idle_lock(args: Any) -> int:
    session = open_session(args)
    try:
        if args.minutes is not None:
            change_setting(session.database, session.actor, IDLE_LOCK_MINUTES, args.minutes)
        minutes = read_setting(session.database, IDLE_LOCK_MINUTES)
    finally:
        session.close()
    print(f"无操作 {minutes} 分钟后锁定屏幕。 The app locks after {minutes} minutes without input.")
    return 0


def register(
    commands: argparse._SubParsersAction, user_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    operator = commands.add_parser("operator", help="manage operators (administrators)")
    operator_commands = operator.add_subparsers(dest="operator_command", required=True)
    roles = [r.value for r in Role]
    agency_help = "contracted agency (外包机构) the operator works for; omit for the centre itself"

    listing = operator_commands.add_parser("list", help="operators, roles, agencies, lockouts")
    listing.add_argument("--json", action="store_true")
    user_option(listing)
    listing.set_defaults(handler=cmd_operator_list)

    add = operator_commands.add_parser("add", help="add an operator")
    add.add_argument("username")
    add.add_argument("--role", choices=roles, required=True)
    add.add_argument("--display-name")
    add.add_argument("--agency", help=agency_help + " (its staff may only be clerks)")
    user_option(add)
    add.set_defaults(handler=cmd_operator_add)

    reset = operator_commands.add_parser(
        "reset-password", help="set another operator's forgotten password (gives them a new key)"
    )
    reset.add_argument("username")
    user_option(reset)
    reset.set_defaults(handler=cmd_operator_reset_password)

    set_role = operator_commands.add_parser("set-role", help="change role and agency")
    set_role.add_argument("username")
    set_role.add_argument("--role", choices=roles, required=True)
    set_role.add_argument("--agency", help=agency_help)
    user_option(set_role)
    set_role.set_defaults(handler=cmd_operator_set_role)

    recover = operator_commands.add_parser(
        "recover",
        help="an administrator who lost their password: the printed recovery key "
        "($CASEWORKER_RECOVERY_KEY) and a new password ($CASEWORKER_NEW_PASSWORD)",
    )
    recover.add_argument("username", help="the administrator's username")
    recover.add_argument("--data-dir", default=argparse.SUPPRESS, help="data folder")
    recover.set_defaults(handler=cmd_operator_recover)

    idle = commands.add_parser(
        "idle-lock",
        help="show or set (administrators) the minutes without input before the app locks",
    )
    idle.add_argument("minutes", nargs="?", type=int, help="1-240; omit to show the setting")
    user_option(idle)
    idle.set_defaults(handler=cmd_idle_lock)

    disable = operator_commands.add_parser(
        "disable", help="stop an operator logging in (slot and signing key removed)"
    )
    disable.add_argument("username")
    user_option(disable)
    disable.set_defaults(handler=cmd_operator_disable)
