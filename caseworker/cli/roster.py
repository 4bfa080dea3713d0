"""`caseworker import roster FILE`: a village committee's household roster into the registry."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from caseworker.cli.common import fail, open_session, print_json, user_option
from caseworker.services.roster_file import COLUMN_ZH, HEADINGS, inspect_roster
from caseworker.services.roster_import import ImportOptions, ImportResult, import_roster
from caseworker.services.roster_template import write_template

SHOWN = 20  # problems printed; the report workbook has every one


def _mapping(args: Any, path: Path) -> dict[int, str] | None:
    """``--column 'HEADING=field'`` for headings the reader does not know (the app asks)."""
    if not args.column:
        return None
    layout = inspect_roster(path)
    mapping = dict(layout.mapping)
    for given in args.column:
        heading, _, name = given.partition("=")
        heading, name = heading.strip(), name.strip()
        if name not in HEADINGS:
            fail(
                f"--column {given!r}：字段应为 {', '.join(HEADINGS)} 之一。",
                f"--column {given!r}: the field must be one of {', '.join(HEADINGS)}.",
            )
        columns = [i for i, written in enumerate(layout.headings) if written == heading]
        if not columns:
            fail(
                f"--column：表头中没有“{heading}”这一列。",
                f"--column: no column is headed {heading!r}.",
            )
        mapping = {i: f for i, f in mapping.items() if f != name} | {columns[0]: name}
    return mapping


def cmd_roster(args: Any) -> int:
    if args.template:
        write_template(Path(args.template))
        print(f"已写入名册模板 / template written: {args.template}")
        return 0
    if not args.file:
        fail("请给出要导入的名册文件。", "Give the roster file to import.")
    path = Path(args.file)
    options = ImportOptions(
        village_code=args.village,
        mapping=_mapping(args, path),
        dry_run=args.dry_run,
        valid_only=args.valid_only,
        report_path=Path(args.report) if args.report else None,
    )
    session = open_session(args)
    try:
        result = import_roster(session.database, session.actor, path, options)
    finally:
        session.close()
    if args.json:
        print_json(
            dataclasses.asdict(result)
            | {"why_not_written": result.why_not_written_en, "problems": _problems(result)}
        )
    else:
        _print(result)
    return 0 if result.written or args.dry_run else 1


def _problems(result: ImportResult) -> list[dict[str, Any]]:
    return [
        {"row": p.row, "column": p.problem.column, "zh": p.problem.zh, "en": p.problem.en}
        for p in result.problems
    ]


def _print(result: ImportResult) -> None:
    print(f"名册 / roster: {result.file_name}（工作表 {result.sheet}）")
    if result.written:
        print(
            f"  {result.rows} 行：新增 {result.created}，更新 {result.updated}，"
            f"无变化 {result.unchanged}，未通过 {result.rejected}；"
            f"新建家庭户 {result.households_created}"
        )
        print(
            f"  {result.rows} rows: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.rejected} rejected; "
            f"{result.households_created} households created"
        )
    else:  # what importing would do: nothing was written
        print(
            f"  {result.rows} 行（均未写入）：可新增 {result.created}，可更新 {result.updated}，"
            f"无变化 {result.unchanged}，未通过 {result.rejected}；"
            f"将新建家庭户 {result.households_created}"
        )
        print(
            f"  {result.rows} rows (nothing written): {result.created} would be new, "
            f"{result.updated} updated, {result.unchanged} unchanged, {result.rejected} "
            f"rejected; {result.households_created} households would be created"
        )
    if result.written:
        print("  已导入 / imported.")
    else:
        print(f"  {result.why_not_written_zh}")
        print(f"  {result.why_not_written_en}")
    for problem in result.problems[:SHOWN]:
        print(f"  第{problem.row}行 / row {problem.row}: {problem.problem.zh}")
    if len(result.problems) > SHOWN or result.rejected > SHOWN:
        print("  …")
    if result.report_path is not None:
        print(f"  报告 / report: {result.report_path}")
    elif result.rejected:
        print(
            "  用 --report 报告.xlsx 可得到标出每个问题的报告。 / "
            "--report REPORT.xlsx writes the roster with every problem marked.",
            file=sys.stderr,
        )


def register_roster(lists: argparse._SubParsersAction) -> None:
    roster = lists.add_parser(
        "roster",
        help="a village committee's household roster (.xlsx or .csv)",
        description="Import a household roster: every row is checked; people already in the "
        "registry are updated, new ones created with their households. Nothing is imported "
        "if any row is rejected, unless --valid-only.",
    )
    roster.add_argument("file", nargs="?", metavar="FILE.xlsx")
    roster.add_argument(
        "--village", metavar="CODE", help="12-digit village code for a sheet with no village column"
    )
    roster.add_argument("--report", metavar="REPORT.xlsx", help="the roster with each problem")
    roster.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    roster.add_argument("--valid-only", action="store_true", help="import the valid rows only")
    roster.add_argument(
        "--column",
        action="append",
        metavar="HEADING=FIELD",
        help="map a heading the reader does not know, e.g. '身份证=id_number' (fields: "
        + ", ".join(f"{f} {COLUMN_ZH[f]}" for f in HEADINGS)
        + ")",
    )
    roster.add_argument("--template", metavar="FILE.xlsx", help="write an empty roster template")
    roster.add_argument("--json", action="store_true")
    user_option(roster)
    roster.set_defaults(handler=cmd_roster)
