"""`caseworker import special-groups FILE`: civil affairs' list of 低保, 特困, 残疾 … people,
matched by ID number and marked (supervisors and administrators). ``--dry-run`` shows what
would be marked and writes nothing; ``--report`` writes the rows not marked, with what to do."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from caseworker.cli.common import open_session, print_json, user_option
from caseworker.services.special_groups import (
    SpecialGroupResult,
    group_choices,
    import_special_group_list,
    masked,
    preview_special_group_list,
    write_unmatched,
)

FIRST_PROBLEMS = 10  # rows said in words; the rest are in the report


def _print_result(result: SpecialGroupResult) -> None:
    verb_zh, verb_en = ("将标记", "would be marked") if result.dry_run else ("已标记", "marked")
    print(
        f"名单 {result.file_name}（{result.kind}），共 {result.rows} 行：匹配 {len(result.matched)}"
        f"（{verb_zh} {result.to_add} 人），未登记 {len(result.unmatched)}，"
        f"有问题 {len(result.problems)}，姓名不符 {len(result.name_differs)}，"
        f"其他中心管理 {len(result.other_centre)}，已过有效期 {len(result.expired)}。"
    )
    print(
        f"List {result.file_name}: {result.rows} rows: {len(result.matched)} matched "
        f"({result.to_add} people {verb_en}), {len(result.unmatched)} not registered, "
        f"{len(result.problems)} with problems, {len(result.name_differs)} names differ, "
        f"{len(result.other_centre)} managed by another centre, {len(result.expired)} expired."
    )
    if not result.dry_run:
        print(
            f"写入 {result.memberships_written} 条认定记录，修改 {result.people_changed} 人 / "
            f"wrote {result.memberships_written} memberships, changed {result.people_changed} "
            "people"
        )
    if result.dry_run:
        print("（预览，未写入任何内容 / dry run: nothing was written）")
    lines: list[str] = []
    for p in result.problems:
        lines.append(f"  第{p.row}行 / row {p.row}：{p.problem}（{p.problem_en}）")
    for m in result.name_differs:
        lines.append(
            f"  第{m.listed.row}行 / row {m.listed.row}：{masked(m.listed)} 名单姓名“{m.listed.name}”"
            f"与登记姓名“{m.registry_name}”不符，未标记 / the name differs from the registry's, "
            "not marked"
        )
    for o in result.other_centre:
        lines.append(
            f"  第{o.listed.row}行 / row {o.listed.row}：{o.registry_name} 由 "
            f"{o.owner_centre_code} 中心管理，未标记 / managed by centre {o.owner_centre_code}, "
            "not marked"
        )
    for u in result.unmatched:
        lines.append(
            f"  第{u.row}行 / row {u.row}：{masked(u)} {u.name} 本中心未登记 / not registered here"
        )
    if lines:
        print("\n未标记的行 / rows not marked:")
        for line in lines[:FIRST_PROBLEMS]:
            print(line)
        if len(lines) > FIRST_PROBLEMS:
            print(
                f"  ……另有 {len(lines) - FIRST_PROBLEMS} 行，见 --report 报告 / "
                f"{len(lines) - FIRST_PROBLEMS} more, see --report"
            )


def cmd_special_groups(args: Any) -> int:
    path = Path(args.file).expanduser()
    session = open_session(args)
    try:
        call = preview_special_group_list if args.dry_run else import_special_group_list
        result = call(session.database, session.actor, path, group=args.group, office=args.office)
    finally:
        session.close()
    if args.report:
        write_unmatched(Path(args.report).expanduser(), result)
    if args.json:
        print_json(dataclasses.asdict(result) | {"to_add": result.to_add})
    else:
        _print_result(result)
        if args.report:
            print(f"已写入 {args.report} / wrote {args.report}")
    return 0


def register_special_groups(lists: argparse._SubParsersAction) -> None:
    parser = lists.add_parser(
        "special-groups",
        help="civil affairs' list of dibao, tekun, disabled ... people: mark them (supervisor)",
    )
    parser.add_argument("file", help="the list (.xlsx or .csv) as civil affairs sent it")
    parser.add_argument(
        "--group",
        choices=[code for code, _, _ in group_choices()],
        help="the group of a list without a category column (类别)",
    )
    parser.add_argument("--office", help="the issuing office, where the list names none")
    parser.add_argument("--dry-run", action="store_true", help="show what would be marked")
    parser.add_argument("--report", metavar="UNMATCHED.xlsx", help="write the rows not marked")
    parser.add_argument("--json", action="store_true")
    user_option(parser)
    parser.set_defaults(handler=cmd_special_groups)
