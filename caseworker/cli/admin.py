"""Commands that set up and look after an installation: setup, operator, db, audit, demo."""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

from caseworker.cli import db as database_recovery
from caseworker.cli import operators
from caseworker.cli.common import (
    data_dir_option,
    fail,
    open_session,
    paths_from,
    print_json,
    read_password,
    user_option,
)
from caseworker.services.centre import setup_centre
from caseworker.store.database import head_revision


def cmd_setup(args: Any) -> int:
    password = read_password("管理员密码 / admin password: ", confirm=True)
    result = setup_centre(
        paths_from(args),
        centre_code=args.centre_code,
        centre_name=args.centre_name,
        admin_username=args.admin,
        admin_display_name=args.admin_name,
        admin_password=password,
        township_code=args.township,
        device_number=args.device_number,
    )
    result.session.close()
    print(f"已创建服务中心 {args.centre_code} {args.centre_name}，管理员 {args.admin}。")
    print(f"Data folder: {paths_from(args).root}")
    print()
    print("恢复密钥（只显示这一次，请抄写或打印后妥善保管；忘记所有密码时用它打开数据）：")
    print("Recovery key (shown once; write it down or print it and keep it safe):")
    print()
    print(f"    {result.recovery_key}")
    print()
    return 0


def cmd_db_upgrade(args: Any) -> int:
    session = open_session(args)  # logging in backs up and migrates when behind
    revision = session.database.current_revision()
    session.close()
    print(f"数据库已是最新结构（{revision}）。 Database at revision {revision}.")
    return 0


def cmd_db_backup(args: Any) -> int:
    session = open_session(args)
    try:
        target = session.database.backup(reason="manual")
    finally:
        session.close()
    print(f"已备份到 {target}（与原库同一密钥加密）。 Backup written to {target}.")
    return 0


def cmd_audit_verify(args: Any) -> int:
    from caseworker.sync.audit_check import verify_audit

    session = open_session(args)
    try:
        found = verify_audit(session.database, session.key_file, offline=args.offline)
    finally:
        session.close()
    report, county = found.local, found.county
    if args.json:
        print_json({"local": report.__dict__, "county": county.__dict__})
        return 0 if report.ok and county.ok else 1
    if report.ok:
        print(
            f"审计链完整、签名有效：{report.entries} 条记录。 "
            f"Audit chain intact and signed: {report.entries} entries."
        )
        if report.unsigned:
            print(
                f"其中前 {report.unsigned} 条写于启用操作员签名之前，没有签名（不是伪造）。 "
                f"The first {report.unsigned} entries predate signing keys (unsigned, not forged)."
            )
    else:
        print(f"审计链不符 / audit chain broken: {report.problem}")
        print(f"  {report.problem_en}")
        if report.first_bad_seq is not None:
            print(_entry_line(report))
    place = {"online": "县级服务器", "offline": "本机保存的县级确认链头", "none": "县级"}
    print(
        f"与{place[county.mode]}比较 / compared with the county ({county.mode}): {county.message}"
    )
    if not county.ok:
        print(f"  {county.message_en}")
        print(_entry_line(county))
    return 0 if report.ok and county.ok else 1


def _entry_line(found: Any) -> str:
    at = found.first_bad_at.isoformat(timespec="seconds") if found.first_bad_at else "-"
    return (
        f"  第一条有问题的记录 / first bad entry: 第 {found.first_bad_seq} 条 seq, {at}, "
        f"操作员 {found.first_bad_operator or '-'}, {found.first_bad_action or '-'}"
    )


def cmd_demo(args: Any) -> int:
    from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre

    paths = paths_from(args)
    if paths.exists():
        fail(
            f"{paths.root} 中已有数据；演示数据需要一个空的数据文件夹（用 --data-dir 指定）。",
            f"{paths.root} already holds data; give an empty folder with --data-dir.",
        )
    started = time.perf_counter()
    summary = build_demo_centre(
        paths, persons=args.persons, centre_code=args.centre, seed=args.seed
    )
    elapsed = time.perf_counter() - started
    print(
        f"演示服务中心 {summary.centre_code} {summary.centre_name}：{summary.persons} 人，"
        f"{summary.households} 户，{summary.employers} 家单位，{summary.payments} 笔缴费，"
        f"用时 {elapsed:.1f} 秒。"
    )
    print(f"Data folder: {paths.root}")
    print(
        f"演示账号 / demo operators: admin, supervisor, clerk — 密码均为 / password: "
        f"{DEMO_PASSWORD}（仅限演示数据 / demo data only）"
    )
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    setup = commands.add_parser("setup", help="create a centre and its first administrator")
    setup.add_argument("--centre-code", required=True, help="centre code (6–12 digits)")
    setup.add_argument("--centre-name", required=True)
    setup.add_argument("--township", help="12-digit statistical code of the township")
    setup.add_argument("--admin", required=True, help="first administrator's username")
    setup.add_argument("--admin-name", help="administrator's display name")
    setup.add_argument(
        "--device-number",
        type=int,
        default=1,
        help="this computer's number within the centre, 1-99 (part of every receipt number; "
        "each computer of a centre needs its own)",
    )
    data_dir_option(setup)
    setup.set_defaults(handler=cmd_setup)

    operators.register(commands, user_option)

    db = commands.add_parser("db", help="database upkeep")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help=f"back up and migrate to {head_revision()}")
    user_option(upgrade)
    upgrade.set_defaults(handler=cmd_db_upgrade)
    backup = db_commands.add_parser("backup", help="write an encrypted backup copy")
    user_option(backup)
    backup.set_defaults(handler=cmd_db_backup)
    database_recovery.register(db_commands, user_option)

    audit = commands.add_parser("audit", help="audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_commands.add_parser(
        "verify",
        help="check the hash chain, the operators' signatures and keys, and the county's copy",
    )
    verify.add_argument("--json", action="store_true")
    verify.add_argument(
        "--offline",
        action="store_true",
        help="compare with the last head the county confirmed instead of asking it",
    )
    user_option(verify)
    verify.set_defaults(handler=cmd_audit_verify)

    demo = commands.add_parser("demo", help="create a demo centre with synthetic people")
    demo.add_argument("--persons", type=int, default=500)
    demo.add_argument("--centre", default=None, help="centre code (default: the shipped demo)")
    demo.add_argument("--seed", type=int, default=int(os.environ.get("CASEWORKER_SEED", "1")))
    data_dir_option(demo)
    demo.set_defaults(handler=cmd_demo)
