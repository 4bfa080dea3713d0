"""`caseworker worklist …`: the worklists' counts, one list, and the list as a file or PDF."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import date
from pathlib import Path
from typing import Any

from caseworker.cli.common import fail, open_session, print_json, user_option
from caseworker.cli.export import confirmed, refuse_unasked, yes_option
from caseworker.cli.printing import _write
from caseworker.services.actor import Permission
from caseworker.services.worklist_output import export_worklist, spec_words, worklist_pdf
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.worklists import KINDS, count, counts, kind_of, members


def _day(args: Any) -> date:
    if not args.date:
        return date.today()
    try:
        return date.fromisoformat(args.date.strip())
    except ValueError:
        fail(
            f"日期“{args.date}”格式不对，请写成 YYYY-MM-DD，如 2026-12-01。",
            f"The date {args.date!r} is not YYYY-MM-DD, e.g. 2026-12-01.",
        )


def _spec(args: Any) -> WorklistSpec:
    return WorklistSpec(
        args.kind,
        village_code=args.village,
        line=args.line,
        status=args.status,
        reason=args.reason,
    )


def cmd_counts(args: Any) -> int:
    day = _day(args)
    session = open_session(args)
    try:
        found = counts(session.database, session.actor, day)
    finally:
        session.close()
    if args.json:
        print_json({"date": day.isoformat(), "counts": found})
        return 0
    print(f"工作清单 / worklists  {day.isoformat()}")
    for kind in KINDS:
        print(f"  {found[kind.code]:>8}  {kind.code:<28} {kind.title_zh} / {kind.title_en}")
    return 0


def cmd_show(args: Any) -> int:
    day, spec = _day(args), _spec(args)
    kind = kind_of(spec.kind)  # an unknown kind is refused before asking for a password
    session = open_session(args)
    try:
        database, actor = session.database, session.actor
        total = count(database, actor, spec, day)
        rows = members(database, actor, spec, day, offset=args.offset, limit=args.limit)
    finally:
        session.close()
    if args.json:
        print_json(
            {
                "kind": spec.kind,
                "date": day.isoformat(),
                "total": total,
                "rows": [dataclasses.asdict(row) for row in rows],
            }
        )
        return 0
    filters = spec_words(spec)
    print(f"{kind.title_zh} / {kind.title_en}  {day.isoformat()}  共 {total} 条 / {total} rows")
    print(f"  {kind.counts_zh}")
    if filters:
        print(f"  筛选 / filters: {filters}")
    for row in rows:
        print(
            f"{row.masked_id_number}  {row.name}\t{row.village_name or '-'}  "
            f"{row.reason_zh}  {row.phone or '-'}"
        )
    if total > args.offset + len(rows):
        print(f"（仅显示前 {args.offset + len(rows)} 条，用 --offset/--limit 查看其余）")
    return 0


def cmd_export(args: Any) -> int:
    day, spec = _day(args), _spec(args)
    kind_of(spec.kind)
    if args.full_id:
        refuse_unasked(args)  # full ID numbers: a yes first, as for the registry
    session = open_session(args)
    try:
        database, actor = session.database, session.actor
        if args.full_id:
            actor.require(Permission.EXPORT_PERSONAL_DATA)
            if not confirmed(args, count(database, actor, spec, day), Path(args.output)):
                print("已取消，未写入文件。/ Cancelled; nothing was written.", file=sys.stderr)
                return 1
        written = export_worklist(
            database,
            actor,
            spec,
            day,
            Path(args.output),
            lang=args.lang,
            full_id_numbers=args.full_id,
            personal_data_confirmed=args.full_id,
        )
    finally:
        session.close()
    print(
        f"已写入 {args.output}（{written.rows} 条，已记入审计日志）/ wrote {args.output} "
        f"({written.rows} rows; recorded in the audit trail)"
    )
    return 0


def cmd_print(args: Any) -> int:
    day, spec = _day(args), _spec(args)
    kind_of(spec.kind)
    session = open_session(args)
    try:
        result = worklist_pdf(session.database, session.actor, spec, day)
    finally:
        session.close()
    _write(args, result)
    return 0


def _list_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", metavar="KIND", help=", ".join(k.code for k in KINDS))
    parser.add_argument("--village", help="12-digit village code")
    parser.add_argument("--line", help="pension, medical or injury")
    parser.add_argument("--status", help="not_insured, unknown, ... (not_covered)")
    parser.add_argument("--reason", help="a reason code, e.g. unwilling")
    parser.add_argument("--date", help="YYYY-MM-DD (default: today)")


def register(commands: argparse._SubParsersAction) -> None:
    worklist = commands.add_parser("worklist", help="worklists: counts, a list, export, print")
    sub = worklist.add_subparsers(dest="action", metavar="ACTION", required=True)

    counted = sub.add_parser("counts", help="how many people each worklist holds")
    counted.add_argument("--date", help="YYYY-MM-DD (default: today)")
    counted.add_argument("--json", action="store_true")
    user_option(counted)
    counted.set_defaults(handler=cmd_counts)

    show = sub.add_parser("show", help="the people of one worklist")
    _list_options(show)
    show.add_argument("--json", action="store_true")
    show.add_argument("--offset", type=int, default=0)
    show.add_argument("--limit", type=int, default=100)
    user_option(show)
    show.set_defaults(handler=cmd_show)

    export = sub.add_parser("export", help="a worklist as an Excel (.xlsx) or CSV file")
    _list_options(export)
    export.add_argument("-o", "--output", required=True, metavar="FILE.xlsx|FILE.csv")
    export.add_argument("--lang", choices=("zh", "en"), default="zh")
    export.add_argument(
        "--full-id",
        action="store_true",
        help="full ID numbers instead of masked ones (supervisors and administrators)",
    )
    yes_option(export)
    user_option(export)
    export.set_defaults(handler=cmd_export)

    printed = sub.add_parser("print", help="a worklist as an A4 PDF")
    _list_options(printed)
    printed.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    printed.add_argument("--allow-missing", action="store_true")
    user_option(printed)
    printed.set_defaults(handler=cmd_print)
