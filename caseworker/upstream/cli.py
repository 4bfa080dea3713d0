"""`caseworker-upstream`: run the county intake server and administer it.

Every command takes ``--db URL`` (default ``$CASEWORKER_UPSTREAM_DB`` or a SQLite file
``caseworker-upstream.db`` in the current folder); the database is migrated on first use.
And ``--log-dir DIR`` (default: ``logs/`` beside the SQLite file, or in the current folder
for PostgreSQL): ``upstream.log`` there, 0600 in a 0700 folder, rotated, with no SQL
parameters, payloads or other personal data (see ``caseworker.logs``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from caseworker import __version__
from caseworker.logs import install_logging, log_defect
from caseworker.upstream import county_settings


def _db(args: Any) -> Any:
    from caseworker.upstream.db import open_upstream

    return open_upstream(args.db)


def _print_json(value: Any) -> None:
    from caseworker.domain.wire import to_jsonable

    json.dump(to_jsonable(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_serve(args: Any) -> int:
    from caseworker.upstream import metrics
    from caseworker.upstream.db import default_url
    from caseworker.upstream.serving import serve

    try:
        readers = (
            metrics.parse_networks(args.metrics_from)
            if args.metrics_from
            else metrics.readers_from_environment()
        )
    except ValueError as error:
        print(
            f"错误：--metrics-from 不是地址或网段。\nError: --metrics-from: {error}",
            file=sys.stderr,
        )
        return 2
    return serve(
        args.db or default_url(),
        args.host,
        args.port,
        args.workers,
        county_settings.CountySettings.load(args.min_client_version),
        readers,
        log_folder(args.log_dir, args.db).resolve(),
    )


def cmd_centre_add(args: Any) -> int:
    from caseworker.upstream.devices import add_centre

    centre = add_centre(_db(args), args.code, args.name, args.township)
    print(f"已添加服务中心 {centre.code} {centre.name}（乡镇 {centre.township_code or '-'}）")
    return 0


def cmd_token_issue(args: Any) -> int:
    from caseworker.upstream.devices import issue_token

    print(issue_token(_db(args), args.centre))
    return 0


def cmd_devices(args: Any) -> int:
    from caseworker.upstream.admin import list_devices

    rows = list_devices(_db(args))
    if args.json:
        _print_json(rows)
    for row in [] if args.json else rows:
        print(
            f"{row['centre_code']}  #{row['device_number']:02d}  {row['device_id']}  {row['name']}  last seen {row['last_seen_at'] or '-'}"
            + _revoked_words(row)
        )
    return 0


def _revoked_words(row: dict[str, Any]) -> str:
    if row["state"] != "revoked":
        return ""
    return (
        f"  已停用 REVOKED {row['revoked_at']:%Y-%m-%d %H:%M} UTC by {row['revoked_by']}: "
        f"{row['revoke_note']}"
    )


def cmd_device_list(args: Any) -> int:
    from caseworker.upstream.admin import list_devices

    rows = list_devices(_db(args))
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("没有已登记的设备 / no devices registered")
    for row in rows:
        head = row["audit_head_seq"]
        hash_ = (row["audit_head_hash"] or "")[:12]
        seen = f"{row['last_seen_at']:%Y-%m-%d %H:%M}" if row["last_seen_at"] else "-"
        print(
            f"{row['centre_code']}  #{row['device_number']:02d}  {row['device_id']}  "
            f"{row['name']}  last seen {seen}  audit head {head} {hash_}" + _revoked_words(row)
        )
    return 0


def cmd_device_revoke(args: Any) -> int:
    from caseworker.upstream.chain_reset import parse_device_id
    from caseworker.upstream.revocation import revoke_device

    done = revoke_device(_db(args), parse_device_id(args.device_id), args.by, args.note)
    print(
        f"已停用：{done.centre_code} #{done.device_number:02d} {done.name}（{done.device_id}），"
        f"自 {done.revoked_at:%Y-%m-%d %H:%M} UTC 起该设备签署的任何请求都被拒绝。停用不可撤销："
        "该中心须用新令牌登记新设备。"
    )
    print(
        f"Revoked: device {done.device_id} ({done.centre_code} #{done.device_number:02d}); "
        "from now on every request it signs is refused. This is permanent: the centre enrols "
        f"a new device with a new token (county audit #{done.county_audit_seq})."
    )
    return 0


def cmd_device_accept_loss(args: Any) -> int:
    from caseworker.upstream.chain_reset import accept_device_loss, parse_device_id

    done = accept_device_loss(
        _db(args), parse_device_id(args.device_id), args.from_seq, args.by, args.note
    )
    print(
        f"已重新接续：{done.centre_code} #{done.device_number:02d} 的审计链头退回第{done.from_seq}条"
        f"（原为第{done.previous_head}条，{done.superseded}条另存备查）；"
        f"该设备下次上传须从第{done.from_seq + 1}条接续。"
    )
    print(
        f"Re-anchored: device {done.device_id} continues after entry {done.from_seq} "
        f"(head was {done.previous_head}; {done.superseded} entries kept as superseded; "
        f"county audit #{done.county_audit_seq})."
    )
    return 0


def cmd_device_accept_key(args: Any) -> int:
    from caseworker.upstream.chain_reset import parse_device_id
    from caseworker.upstream.key_acceptance import accept_key

    done = accept_key(
        _db(args), parse_device_id(args.device_id), args.operator, args.fingerprint, args.by
    )
    print(
        f"已确认：{done.centre_code} #{done.device_number:02d} 上操作员 {done.username} 的新公钥"
        f"（指纹 {done.fingerprint}）；该设备签署的这一次密钥更换将被接收一次。"
    )
    print(
        f"Accepted: operator {done.username}'s new key on device {done.device_id} "
        f"(fingerprint {done.fingerprint}); its device-signed rotation will be taken once "
        f"(county audit #{done.county_audit_seq})."
    )
    return 0


def cmd_batches(args: Any) -> int:
    from caseworker.upstream.admin import list_batches

    rows = list_batches(_db(args), args.limit)
    if args.json:
        _print_json(rows)
    for row in [] if args.json else rows:
        counts = " ".join(f"{k}={v}" for k, v in sorted(row["counts"].items()))
        print(
            f"{row['received_at']:%Y-%m-%d %H:%M}  {row['centre_code']}  {row['batch_id']}  {row['records']:>4} records  {row['via']}  {counts}"
        )
    return 0


def cmd_reference_load(args: Any) -> int:
    from caseworker.upstream.feeds import load_reference

    added = load_reference(_db(args), [Path(p) for p in args.files])
    print(f"已加入 {added} 项参考数据 / {added} new reference items")
    return 0


def cmd_stats(args: Any) -> int:
    from caseworker.upstream.activity import activity, render
    from caseworker.upstream.admin import stats

    if args.silent_days < 0:
        print("错误：--silent-days 不能为负。 Error: --silent-days is 0 or more.", file=sys.stderr)
        return 2
    db = _db(args)
    counts = stats(db)
    report = activity(db, args.silent_days)
    if args.json:
        _print_json({**counts, **report.as_dict()})
        return 0
    for name, value in counts.items():
        print(f"{name:<20}{value:>10}")
    print()
    print(render(report))
    return 0


def cmd_import(args: Any) -> int:
    from caseworker.upstream.admin import import_transfer

    answers = import_transfer(_db(args), Path(args.file))
    out = Path(args.out) if args.out else Path(args.file).with_suffix(".answers.json")
    out.write_text(answers.model_dump_json(indent=1), encoding="utf-8")
    refused = [a for a in answers.answers if a.error]
    print(f"{len(answers.answers)} 个批次，{len(refused)} 个被拒绝；答复文件 / answer file: {out}")
    for answer in refused:
        assert answer.error is not None
        print(f"  {answer.batch_id}: {answer.error.code} {answer.error.message}", file=sys.stderr)
    return 1 if refused else 0


def _transfer_id(text: str) -> Any:
    import uuid

    from caseworker.upstream.intake import Refused

    try:
        return uuid.UUID(text)
    except ValueError:
        raise Refused(
            400,
            "bad_transfer_id",
            f"转入申请编号格式不对：{text}（transfer list 可列出全部）",
            f"Not a transfer id: {text} (see `transfer list`).",
        ) from None


def cmd_transfer_list(args: Any) -> int:
    from caseworker.upstream.transfers import list_transfers

    rows = list_transfers(_db(args), args.state)
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("没有转入申请 / no transfer requests")
    for row in rows:
        print(
            f"{row['id']}  {row['state']:<9}  {row['id_number']} {row['name']}  "
            f"{row['from_centre']} → {row['to_centre']}  {row['requested_at']:%Y-%m-%d %H:%M}  "
            f"{row['reason']}"
        )
    return 0


def cmd_transfer_approve(args: Any) -> int:
    from caseworker.upstream.transfers import approve_transfer

    status = approve_transfer(_db(args), _transfer_id(args.id), args.by, args.note)
    print(
        f"已批准：该人员改由 {status.to_centre} 管理（原 {status.from_centre} {status.from_centre_name}）。"
    )
    print(f"Approved: the person now belongs to {status.to_centre}.")
    return 0


def cmd_transfer_refuse(args: Any) -> int:
    from caseworker.upstream.transfers import refuse_transfer

    status = refuse_transfer(_db(args), _transfer_id(args.id), args.by, args.note or "")
    print(f"已拒绝转入申请 {status.id}。 Refused.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caseworker-upstream", description="county intake server")
    parser.add_argument("--version", action="version", version=f"caseworker-upstream {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, handler: Any, help_text: str, parent: Any = commands
    ) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text)
        sub.add_argument("--db", help="database URL (sqlite:///FILE or postgresql+psycopg://...)")
        sub.add_argument(
            "--log-dir",
            help="folder for upstream.log (default: logs/ beside the SQLite file, or in the "
            "current folder)",
        )
        sub.set_defaults(handler=handler)
        return sub

    serve = command("serve", cmd_serve, "serve the intake API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes on one PostgreSQL database (SQLite: 1 only; default 1)",
    )
    serve.add_argument(
        "--metrics-from",
        help="addresses or networks (CIDR, comma-separated) that may read /metrics, never "
        "through the proxy (default: $CASEWORKER_UPSTREAM_METRICS_FROM, else loopback)",
    )
    serve.add_argument(
        "--min-client-version",
        help="lowest desktop app version accepted (default: "
        "$CASEWORKER_UPSTREAM_MIN_CLIENT_VERSION, else "
        f"{county_settings.DEFAULT_MIN_CLIENT_VERSION})",
    )

    centre = commands.add_parser("centre", help="service centres").add_subparsers(
        dest="action", required=True
    )
    add = command("add", cmd_centre_add, "add a centre", centre)
    add.add_argument("code")
    add.add_argument("name")
    add.add_argument("--township", help="township code (default: the first 9 digits of CODE)")

    token = commands.add_parser("token", help="device enrolment tokens").add_subparsers(
        dest="action", required=True
    )
    command("issue", cmd_token_issue, "print a one-time token", token).add_argument(
        "--centre", required=True
    )

    command("devices", cmd_devices, "registered devices").add_argument(
        "--json", action="store_true"
    )
    device = commands.add_parser("device", help="registered devices").add_subparsers(
        dest="action", required=True
    )
    command(
        "list", cmd_device_list, "devices: centre, number, last seen, audit head, revoked", device
    ).add_argument("--json", action="store_true")
    reanchor = command(
        "accept-loss",
        cmd_device_accept_loss,
        "after a device lost uploaded commits: continue its audit chain from entry N",
        device,
    )
    reanchor.add_argument("device_id")
    reanchor.add_argument(
        "--from-seq",
        type=int,
        required=True,
        help="the last entry the device and the county share (named in the refusal)",
    )
    reanchor.add_argument("--by", required=True, help="who decides (kept in the county audit)")
    reanchor.add_argument("--note", required=True, help="why (the loss the centre reported)")
    accept_key = command(
        "accept-key",
        cmd_device_accept_key,
        "after a recovery at the centre: accept an operator's new key, confirmed by phone or "
        "on paper",
        device,
    )
    accept_key.add_argument("device_id")
    accept_key.add_argument("--operator", required=True, help="the operator's username")
    accept_key.add_argument(
        "--fingerprint",
        required=True,
        help="the key fingerprint the centre read out (XXXX-XXXX-XXXX-XXXX)",
    )
    accept_key.add_argument("--by", required=True, help="who confirms (kept in the county audit)")
    revoke = command(
        "revoke",
        cmd_device_revoke,
        "retire a stolen or replaced computer's key for good: everything it signs is refused",
        device,
    )
    revoke.add_argument("device_id")
    revoke.add_argument("--by", required=True, help="who decides (kept in the county audit)")
    revoke.add_argument("--note", required=True, help="why (stolen, retired, ...)")
    batches = command("batches", cmd_batches, "received batches, newest first")
    batches.add_argument("--json", action="store_true")
    batches.add_argument("--limit", type=int, default=50)

    reference = commands.add_parser("reference", help="reference data").add_subparsers(
        dest="action", required=True
    )
    command(
        "load", cmd_reference_load, "load reference files into the feed", reference
    ).add_argument("files", nargs="+")

    transfer = commands.add_parser(
        "transfer", help="persons moving between centres"
    ).add_subparsers(dest="action", required=True)
    listing = command("list", cmd_transfer_list, "transfer requests, oldest first", transfer)
    listing.add_argument("--state", choices=("requested", "approved", "refused"))
    listing.add_argument("--json", action="store_true")
    for name, handler, text in (
        ("approve", cmd_transfer_approve, "move the person to the requesting centre"),
        ("refuse", cmd_transfer_refuse, "refuse the request (say why with --note)"),
    ):
        decide = command(name, handler, text, transfer)
        decide.add_argument("id")
        decide.add_argument("--by", required=True, help="who decides (kept in the county audit)")
        decide.add_argument("--note", help="why (required to refuse)")

    stats = command(
        "stats",
        cmd_stats,
        "counts; records in, rejected and conflicts by township, centre and device; last sync",
    )
    stats.add_argument("--json", action="store_true")
    stats.add_argument(
        "--silent-days",
        type=int,
        default=7,
        help="name the devices not seen for more than this many days (default 7)",
    )
    imp = command("import", cmd_import, "apply an offline batch file, write an answer file")
    imp.add_argument("file")
    imp.add_argument("--out", help="answer file (default: FILE.answers.json)")
    return parser


def log_folder(log_dir: str | None, db_url: str | None) -> Path:
    """``--log-dir``, else ``logs/`` beside a SQLite file, else ``logs/`` here."""
    if log_dir:
        return Path(log_dir)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from caseworker.upstream.db import default_url

    try:
        url = make_url(db_url or default_url())
    except ArgumentError:
        return Path("logs")
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / "logs"
    return Path("logs")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from caseworker.upstream.db import UpstreamDbError
        from caseworker.upstream.intake import Refused
        from caseworker.upstream.request_log import JsonFormatter
    except ImportError:
        print(
            "缺少服务器组件：请安装 caseworker[upstream]。\n"
            "The server parts are not installed: pip install 'caseworker[upstream]'.",
            file=sys.stderr,
        )
        return 2
    install_logging(
        log_folder(args.log_dir, args.db).resolve(),
        "upstream",
        formatter=JsonFormatter(),
        # With several workers every process appends to the one file: none may rotate it.
        rotate=getattr(args, "workers", 1) == 1,
    )
    try:
        return args.handler(args) or 0
    except Refused as error:
        print(f"错误：{error.message}\nError: {error.message_en}", file=sys.stderr)
        return 1
    except UpstreamDbError as error:
        print(f"错误：数据库地址不可用。\nError: {error}", file=sys.stderr)
        return 2
    except ImportError:
        print("缺少服务器组件：pip install 'caseworker[upstream]'", file=sys.stderr)
        return 2
    except Exception as error:
        log = log_defect(error)
        print(
            f"程序内部错误（{type(error).__name__}）。详细信息 / details: {log or '-'}",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
