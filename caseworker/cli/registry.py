"""Registry look-ups from the command line: find and show."""

from __future__ import annotations

import argparse
import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Any

from caseworker.cli.common import fail, looking_up, print_json, user_option

if TYPE_CHECKING:
    from caseworker.services.records import PersonDetail

# `find` and `show` run without SQLAlchemy (cli.common.looking_up), and what they need besides
# the key slot is imported while argon2 derives the key: hence the imports in the functions.
FIND_MODULES = (
    "caseworker.services.people_search",
    "caseworker.printing.labels",
    "caseworker.domain.codes",
)
SHOW_MODULES = (
    "caseworker.services.person_record",
    "caseworker.printing.labels",
    "caseworker.domain.codes",
    "caseworker.domain.money",
    "caseworker.domain.regions",
)


def _check_query(text: str) -> None:
    """What the app's search box says before searching: too short, or a number that cannot be."""
    from caseworker.domain.search_keys import complete_id_error, query_plan

    if query_plan(text).reason == "too_short":
        fail(
            "请至少输入4位数字（身份证号或手机号的末几位），或输入姓名、拼音。",
            "Type at least 4 digits (the end of an ID or phone number), or a name or pinyin.",
            code="too_short",
        )
    impossible = complete_id_error(text)
    if impossible is not None:
        fail(impossible.message, impossible.message_en, code=impossible.code)


def cmd_find(args: Any) -> int:
    with looking_up(args, lambda: _check_query(args.query), *FIND_MODULES) as connection:
        from caseworker.services.people_search import find_people

        found = find_people(connection, args.query, limit=args.limit)
    from caseworker.printing.labels import SEX_LABELS

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
        schemes = ",".join(_short_scheme(s) for s in p.schemes) or "-"
        sex = SEX_LABELS.get(p.sex, "?")
        print(f"{p.masked_id_number}  {p.name}\t{sex} {p.age(today):>3}岁  {schemes}  {p.id}")
    return 0


def _short_scheme(code: str) -> str:
    """居民医保 rather than 城乡居民基本医疗保险: a result line holds several."""
    from caseworker.domain.codes import load_code_table

    table = load_code_table("scheme")
    return (
        str(table.get(code).extra.get("short_zh") or table.label(code)) if code in table else code
    )


def _code(table: str, code: str | None) -> str:
    from caseworker.domain.codes import label_or_code

    return label_or_code(table, code) if code else "-"


def _place(detail: PersonDetail) -> str:
    from caseworker.domain.regions import load_region_directory

    code = detail.hukou_village_code or detail.hukou_region_code
    return load_region_directory().name_path(code) if code else "-"


def _status(status: str) -> str:
    from caseworker.printing.labels import STATUS_LABELS

    return "参保中" if status == "active" else STATUS_LABELS.get(status, status)


def cmd_show(args: Any) -> int:
    with looking_up(args, lambda: _check_query(args.reference), *SHOW_MODULES) as connection:
        from caseworker.services.person_record import person_detail_on

        detail = person_detail_on(connection, args.reference)
    from caseworker.domain.money import format_yuan
    from caseworker.printing.labels import ID_KIND_LABELS, METHOD_LABELS, SEX_LABELS

    if args.json:  # codes, as the services keep them
        print_json(dataclasses.asdict(detail))
        return 0
    kind = ID_KIND_LABELS.get(detail.id_kind, detail.id_kind)
    print(f"{detail.name}  {detail.id_number}  {kind}  ({detail.id})")
    print(
        f"  出生 {detail.birth_date}  性别 {SEX_LABELS.get(detail.sex, detail.sex)}"
        f"  民族 {_code('ethnic_group', detail.ethnicity)}"
    )
    print(
        f"  电话 {detail.phone or '-'}  就业 {_code('employment_category', detail.employment_category)}"
        + (f"  单位 {detail.employer_name}" if detail.employer_name else "")
    )
    print(f"  户口性质 {_code('hukou_nature', detail.hukou_nature)}")
    print(f"  户籍 {_place(detail)}  {detail.hukou_address or ''}".rstrip())
    if detail.relationship_to_head:
        print(f"  与户主关系 {_code('relationship', detail.relationship_to_head)}")
    if detail.special_groups:
        groups = "、".join(_code("special_group", g) for g in detail.special_groups)
        print(f"  特殊群体 {groups}")
    print("  参保 / enrolments:")
    for e in detail.enrolments:
        choice = (
            f"档次 {format_yuan(e.tier_fen)}"
            if e.tier_fen
            else f"基数 {format_yuan(e.base_fen)}"
            if e.base_fen
            else ""
        )
        parts = (_code("scheme", e.scheme), _status(e.status), choice, f"自 {e.start_date}")
        print("    " + "  ".join(part for part in parts if part))
    print("  缴费 / payments:")
    for p in detail.payments:
        void = f"  作废：{p.void_reason}" if p.voided else ""
        reference = p.receipt_number or f"税务凭证 {p.voucher_number}"
        print(
            f"    {reference}  {_code('scheme', p.scheme)}  {format_yuan(p.amount_fen)} 元"
            f"  {p.period_start}–{p.period_end}  {METHOD_LABELS.get(p.method, p.method)}"
            f"  {p.operator_name}{void}"
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
