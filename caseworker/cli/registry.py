"""Registry look-ups from the command line: find and show."""

from __future__ import annotations

import argparse
import dataclasses
from datetime import date
from typing import Any

from caseworker.cli.common import open_session, print_json, user_option
from caseworker.domain.money import format_yuan
from caseworker.services.registry import person_detail, search


def cmd_find(args: Any) -> int:
    session = open_session(args)
    try:
        found = search(session.database, args.query, limit=args.limit)
    finally:
        session.close()
    today = date.today()
    if args.json:
        print_json(
            [
                dataclasses.asdict(p)
                | {"masked_id_number": p.masked_id_number, "age": p.age(today)}
                for p in found
            ]
        )
        return 0
    if not found:
        print(f"没有找到“{args.query}”。 Nothing found.")
        return 1
    for p in found:
        sex = {"1": "男", "2": "女"}.get(p.sex, "?")
        schemes = ",".join(p.schemes) or "-"
        print(f"{p.masked_id_number}  {p.name}\t{sex} {p.age(today):>3}岁  {schemes}  {p.id}")
    return 0


def cmd_show(args: Any) -> int:
    session = open_session(args)
    try:
        detail = person_detail(session.database, args.reference)
    finally:
        session.close()
    if args.json:
        print_json(dataclasses.asdict(detail))
        return 0
    print(f"{detail.name}  {detail.id_number}  ({detail.id})")
    print(f"  出生 {detail.birth_date}  性别 {detail.sex}  民族 {detail.ethnicity or '-'}")
    print(f"  电话 {detail.phone or '-'}  就业 {detail.employment_category or '-'}")
    print(
        f"  户籍 {detail.hukou_village_code or detail.hukou_region_code}  {detail.hukou_address or ''}"
    )
    print("  参保 / enrolments:")
    for e in detail.enrolments:
        choice = (
            f"档次 {format_yuan(e.tier_fen)}"
            if e.tier_fen
            else f"基数 {format_yuan(e.base_fen)}"
            if e.base_fen
            else ""
        )
        print(f"    {e.scheme:<28} {e.status:<8} {choice}  自 {e.start_date}")
    print("  缴费 / payments:")
    for p in detail.payments:
        void = f"  作废：{p.void_reason}" if p.voided else ""
        print(
            f"    {p.receipt_number}  {p.scheme:<28} {format_yuan(p.amount_fen):>10} 元"
            f"  {p.period_start}–{p.period_end}  {p.operator_name}{void}"
        )
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    find = commands.add_parser("find", help="search the registry (ID, tail, name, pinyin, phone)")
    find.add_argument("query")
    find.add_argument("--json", action="store_true")
    find.add_argument("--limit", type=int, default=50)
    user_option(find)
    find.set_defaults(handler=cmd_find)

    show = commands.add_parser("show", help="one person by ID number or UUID")
    show.add_argument("reference")
    show.add_argument("--json", action="store_true")
    user_option(show)
    show.set_defaults(handler=cmd_show)
