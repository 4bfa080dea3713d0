"""`caseworker report coverage`: the coverage picture as text, JSON or the PDF report.

Statuses that ran out (a paid year ended, a 16th birthday) and rows nobody has looked at are
derived again first (``services.coverage.refresh``), as the desktop app does after login, so
the figures are those of the day asked for.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from caseworker.cli.common import open_session, print_json, user_option
from caseworker.cli.printing import _day, _write
from caseworker.domain.coverage import line_codes
from caseworker.domain.coverage_figures import CoverageReport
from caseworker.printing.coverage_report import totals_text
from caseworker.services import coverage
from caseworker.services.coverage_report import coverage_report_pdf, coverage_reports


def print_report(report: CoverageReport) -> None:
    print(f"== {report.line_label.zh} / {report.line_label.en}  截至 {report.as_of} ==")
    print(totals_text(report.total))
    for figure in report.figures:
        print()
        print(f"-- {figure.title.zh} / {figure.title.en}")
        print(f"   {figure.counts_what.zh}")
        if figure.note:
            print(f"   {figure.note.zh}")
        for bar in figure.bars:
            series = next((s.label.zh for s in figure.series if s.key == bar.series), "")
            label = f"{bar.label.zh}{'·' + series if series else ''}"
            extra = ""
            if bar.counts is not None and figure.unit == "percent" and figure.key != "by_scheme":
                extra = f"  ({bar.counts.covered}/{bar.counts.base})"
            print(f"   {label:<24}\t{figure.value_text(bar.value):>7}{extra}")
    print()


def cmd_coverage(args: Any) -> int:
    day = _day(args.date) if args.date else date.today()
    session = open_session(args)
    try:
        database, actor = session.database, session.actor
        changed = coverage.refresh(database, actor, day)
        if changed:
            print(
                f"已更新 {changed} 项参保状态 / {changed} statuses brought up to date",
                file=sys.stderr,
            )
        chosen = [args.line] if args.line else None
        if args.output:
            result = coverage_report_pdf(database, actor, day, chosen)
        reports = coverage_reports(database, actor, day, chosen)
    finally:
        session.close()
    if args.output:
        _write(args, result)
    if args.json:
        print_json({"as_of": day.isoformat(), "lines": [r.as_dict() for r in reports]})
    elif not args.output:
        for report in reports:
            print_report(report)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="reports: the coverage picture")
    sub = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    picture = sub.add_parser(
        "coverage", help="参保覆盖情况: coverage rates by village, scheme, reason, category, age"
    )
    picture.add_argument("--json", action="store_true", help="every figure as JSON")
    picture.add_argument("--date", help="the day the figures are as of, YYYY-MM-DD (default today)")
    picture.add_argument("--line", choices=line_codes(), help="one insurance line (default all)")
    picture.add_argument("-o", "--output", metavar="FILE.pdf", help="also write the PDF report")
    picture.add_argument(
        "--allow-missing",
        action="store_true",
        help="write the PDF even if some characters have no font (printed as [U+code])",
    )
    user_option(picture)
    picture.set_defaults(handler=cmd_coverage)
