"""`caseworker export …`: the registry and the coverage statuses as Excel workbooks.

Both hold personal data in full, so each asks first: ``--yes`` says it on the command line; at
a terminal without it the command asks "y/N"; anywhere else (a script, a pipe) it refuses.
Every export is recorded in the audit trail by the service.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from caseworker.cli.common import fail, open_session, user_option
from caseworker.services.xlsx_export import (
    ExportResult,
    check_line,
    export_coverage,
    export_registry,
    people_in_export,
    personal_words,
)


def refuse_unasked(args: Any) -> None:
    """Before the password: without --yes and without a terminal to ask at, say so now."""
    if not args.yes and not sys.stdin.isatty():
        fail(
            "导出的文件含个人信息，需要确认：请在终端中运行以回答 y/N，或加 --yes 表示确认。",
            "The file holds personal data and needs a yes: run this at a terminal to answer "
            "y/N, or add --yes to confirm.",
        )


def confirmed(args: Any, people: int, target: Path, *, full_ids: bool = True) -> bool:
    """--yes, or the operator's "y" at the terminal (anything else is a no)."""
    if args.yes:
        return True
    refuse_unasked(args)
    zh, en = personal_words(people, full_ids=full_ids)
    print(f"将写入 {target}，文件含个人信息：{zh}。本次导出将记入审计日志。", file=sys.stderr)
    print(
        f"This writes {target}, holding personal data: {en}. The export is recorded in the "
        "audit trail.",
        file=sys.stderr,
    )
    try:
        answer = input("继续吗？/ Go on? [y/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes", "是")


def said(result: ExportResult) -> None:
    print(
        f"已写入 {result.path}（{result.rows} 行，SHA-256 {result.sha256[:16]}…，已记入审计日志）"
        f"/ wrote {result.path} ({result.rows} rows; recorded in the audit trail)"
    )


def _cancelled() -> int:
    print("已取消，未写入文件。/ Cancelled; nothing was written.", file=sys.stderr)
    return 1


def cmd_registry(args: Any) -> int:
    target = Path(args.output)
    refuse_unasked(args)
    session = open_session(args)
    try:
        database, actor = session.database, session.actor
        people = people_in_export(database, actor, "registry")
        if not confirmed(args, people, target):
            return _cancelled()
        result = export_registry(database, actor, target, personal_data_confirmed=True)
    finally:
        session.close()
    said(result)
    return 0


def cmd_coverage(args: Any) -> int:
    target = Path(args.output)
    check_line(args.line)  # a wrong line is said before the password is asked
    refuse_unasked(args)
    session = open_session(args)
    try:
        database, actor = session.database, session.actor
        people = people_in_export(database, actor, "coverage", line=args.line)
        if not confirmed(args, people, target):
            return _cancelled()
        result = export_coverage(
            database, actor, target, personal_data_confirmed=True, line=args.line
        )
    finally:
        session.close()
    said(result)
    return 0


def yes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--yes",
        action="store_true",
        help="confirm that the file may hold personal data in full (else asked at a terminal)",
    )


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export", help="the registry or the coverage statuses as an Excel workbook (audited)"
    )
    sub = export.add_subparsers(dest="action", metavar="ACTION", required=True)

    registry = sub.add_parser("registry", help="every person, with full ID numbers (.xlsx)")
    registry.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    yes_option(registry)
    user_option(registry)
    registry.set_defaults(handler=cmd_registry)

    coverage = sub.add_parser("coverage", help="each person's status per insurance line (.xlsx)")
    coverage.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    coverage.add_argument("--line", help="pension, medical or injury (default: all three)")
    yes_option(coverage)
    user_option(coverage)
    coverage.set_defaults(handler=cmd_coverage)
