"""`caseworker sync …`: register with the county, run a sync, status, offline transfer files."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from caseworker.cli.common import fail, open_session, print_json, user_option
from caseworker.services.sync_queue import queue, sync_status
from caseworker.sync.batches import SyncError
from caseworker.sync.client import Cancelled


def _guarded(args: Any, work: Any) -> int:
    session = open_session(args)
    try:
        return work(session)
    except SyncError as error:
        fail(error.message, error.message_en)
    except Cancelled:
        fail(
            "同步已取消；已保存的批次下次继续发送。", "Sync cancelled; sealed batches go next time."
        )
    finally:
        session.close()


def cmd_register(args: Any) -> int:
    from caseworker.sync.run import register

    def work(session: Any) -> int:
        answer = register(session.database, session.actor, args.server, args.token)
        print(f"已登记：{answer.centre_code} {answer.centre_name}，设备 {answer.device_id}")
        print(f"Registered with {args.server} (township {answer.township_code or '-'}).")
        return 0

    return _guarded(args, work)


def cmd_run(args: Any) -> int:
    from caseworker.sync.run import run_sync

    def work(session: Any) -> int:
        try:
            report = run_sync(session.database, progress=None if args.quiet else _progress)
        except SyncError as error:
            if error.code != "audit_chain_broken":
                raise
            raise _with_local_check(session.database, error) from None
        counts = " ".join(f"{k}={v}" for k, v in sorted(report.counts.items())) or "nothing to send"
        print(
            f"同步完成 / sync done: {report.batches_sent} batches, {counts}; "
            f"registry +{report.registry_applied} (skipped {report.registry_skipped}), reference +{report.reference_applied}"
        )
        if report.clock_skew_seconds is not None and abs(report.clock_skew_seconds) > 300:
            print(f"警告：本机时钟与县级服务器相差 {report.clock_skew_seconds} 秒，请校准。")
        issues = sync_status(session.database).open_issues
        if issues:
            print(
                f"有 {issues} 条记录被退回或冲突，请在“同步”页面处理。 {issues} records need attention."
            )
        return 0

    return _guarded(args, work)


def _with_local_check(database: Any, error: SyncError) -> SyncError:
    """The county refused the chain: name the first entry that differs, checked online."""
    from caseworker.sync.audit_check import compare_with_county

    check = compare_with_county(database)
    if check.ok or check.first_bad_seq is None:
        return error
    return SyncError(
        error.code,
        f"{error.message}\n本机核验（caseworker audit verify）：{check.message}。"
        f"请把第{check.first_bad_seq - 1}条告知县级（--from-seq {check.first_bad_seq - 1}）。",
        f"{error.message_en}\nChecked here (`caseworker audit verify`): {check.message_en}. "
        f"Tell the county entry {check.first_bad_seq - 1} (--from-seq "
        f"{check.first_bad_seq - 1}).",
    )


def _progress(done: int, total: int, text: str) -> None:
    print(f"  {done}/{total} {text}", flush=True)


def cmd_status(args: Any) -> int:
    def work(session: Any) -> int:
        status = sync_status(session.database)
        if args.json:
            print_json(
                dataclasses.asdict(status)
                | {"queue": [dataclasses.asdict(i) for i in queue(session.database)]}
            )
            return 0
        print(f"服务器 / server: {status.server_url or '未登记 not registered'}")
        print(
            f"待上传 pending {status.pending}  发送中 sending {status.sending}  已接收 accepted {status.accepted}"
        )
        print(
            f"退回 rejected {status.rejected}  冲突 conflict {status.conflict}  待处理 open {status.open_issues}"
        )
        print(f"上次成功同步 / last success: {status.last_success or '从未 never'}")
        if status.last_error:
            print(f"上次错误 / last error: {status.last_error}")
        if status.guardrail != "ok":
            print(status.guardrail_message)
        return 0

    return _guarded(args, work)


def cmd_export(args: Any) -> int:
    from caseworker.sync.files import export_batches

    def work(session: Any) -> int:
        count = export_batches(session.database, Path(args.out))
        print(f"已写出 {count} 个批次到 {args.out}；请交县级导入后带回答复文件。")
        return 0

    return _guarded(args, work)


def cmd_import_answer(args: Any) -> int:
    from caseworker.sync.files import import_answers

    def work(session: Any) -> int:
        report = import_answers(session.database, Path(args.file))
        counts = " ".join(f"{k}={v}" for k, v in sorted((report.counts or {}).items()))
        print(
            f"已采用 {report.batches} 个批次的答复 {counts}；退回批次 {report.refused}，未知批次 {report.unknown}"
        )
        return 0

    return _guarded(args, work)


def cmd_transfer_request(args: Any) -> int:
    from caseworker.sync.transfers import request_transfer

    def work(session: Any) -> int:
        info = request_transfer(session.database, session.actor, args.id_number, args.reason)
        print(
            f"已申请转入 {info.id_number_masked}（原管理中心 {info.from_centre_name or '-'} "
            f"{info.from_centre or ''}），等待县级审批。申请号 {info.id}"
        )
        print(f"Transfer requested ({info.state}); the county decides. Request {info.id}")
        return 0

    return _guarded(args, work)


def cmd_transfer_status(args: Any) -> int:
    from caseworker.services.transfers import transfer_requests

    words = {"unsent": "未送达", "requested": "待审批", "approved": "已批准", "refused": "已拒绝"}

    def work(session: Any) -> int:
        rows = transfer_requests(session.database)
        if args.json:
            print_json([dataclasses.asdict(row) for row in rows])
            return 0
        if not rows:
            print("没有转入申请 / no transfer requests")
        for row in rows:
            line = (
                f"{row.id}  {words.get(row.state, row.state)} {row.state:<9}  "
                f"{row.id_number_masked}  {row.from_centre_name or '-'}  {row.reason}"
            )
            if row.note:
                line += f"  县级意见 / county: {row.note}"
            if row.last_error:
                line += f"  错误 / error: {row.last_error}"
            print(line)
        return 0

    return _guarded(args, work)


RAIL_OPTIONS = ("warn_days", "block_days", "warn_pending", "block_pending")


def cmd_guardrails(args: Any) -> int:
    from caseworker.services.sync_guard import guardrail_settings, set_guardrails

    def work(session: Any) -> int:
        rails = guardrail_settings(session.database)
        changes = {name: getattr(args, name) for name in RAIL_OPTIONS if getattr(args, name)}
        if changes:
            rails = dataclasses.replace(rails, **changes)
            set_guardrails(session.database, session.actor, rails)
        print(
            f"提醒：距上次同步 {rails.warn_days} 天或待上传 {rails.warn_pending} 条；"
            f"停办新参保：{rails.block_days} 天或 {rails.block_pending} 条"
        )
        print(
            f"Warn after {rails.warn_days} days or {rails.warn_pending} records unsent; "
            f"block new enrolments after {rails.block_days} days or {rails.block_pending}."
        )
        return 0

    return _guarded(args, work)


def register(commands: argparse._SubParsersAction) -> None:
    sync = commands.add_parser("sync", help="send records to the county and pull its changes")
    actions = sync.add_subparsers(dest="sync_command", required=True, metavar="ACTION")
    reg = actions.add_parser("register", help="register this device with a one-time token (admins)")
    reg.add_argument(
        "--server", required=True, help="county server URL, e.g. https://county.example/"
    )
    reg.add_argument("--token", required=True)
    reg.set_defaults(handler=cmd_register)
    run = actions.add_parser("run", help="send pending records, fetch answers and feeds")
    run.add_argument("--quiet", action="store_true")
    run.set_defaults(handler=cmd_run)
    status = actions.add_parser(
        "status", help="pending, sent, accepted, rejected, conflict; last sync"
    )
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)
    export = actions.add_parser("export", help="write signed batches to a file (no network)")
    export.add_argument("--out", required=True)
    export.set_defaults(handler=cmd_export)
    answer = actions.add_parser("import-answer", help="apply the county's answer file")
    answer.add_argument("file")
    answer.set_defaults(handler=cmd_import_answer)
    transfer = actions.add_parser(
        "transfer", help="ask the county for a person registered by another centre"
    ).add_subparsers(dest="transfer_command", required=True, metavar="ACTION")
    ask = transfer.add_parser("request", help="request a transfer (by ID number or issue number)")
    ask.add_argument("id_number", help="the person's ID number, or the number of a sync issue")
    ask.add_argument("--reason", required=True, help="why the person moves here (≤ 200)")
    ask.set_defaults(handler=cmd_transfer_request)
    asked = transfer.add_parser("status", help="this centre's transfer requests")
    asked.add_argument("--json", action="store_true")
    asked.set_defaults(handler=cmd_transfer_status)
    rails = actions.add_parser(
        "guardrails", help="show or set when an unsynced centre is warned, then blocked (admins)"
    )
    for name in RAIL_OPTIONS:
        rails.add_argument(f"--{name.replace('_', '-')}", dest=name, type=int)
    rails.set_defaults(handler=cmd_guardrails)
    for parser in (reg, run, status, export, answer, ask, asked, rails):
        user_option(parser)
