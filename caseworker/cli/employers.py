"""`caseworker employer …`: 单位参保登记, 增员 / 减员, 缴费基数申报 and the employer's lists
from the command line, through the same one-transaction services as the 用人单位 page."""

from __future__ import annotations

import argparse
import csv
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from caseworker.cli.common import fail, open_session, print_json, user_option
from caseworker.cli.households import _day, _person_id
from caseworker.domain.codes import label_or_code
from caseworker.domain.employment import EMPLOYEE_SCHEMES, base_text
from caseworker.domain.errors import InvalidValue
from caseworker.domain.money import format_yuan, parse_yuan
from caseworker.services import (
    base_declaration,
    employer_enrolment,
    employer_papers,
    employer_rolls,
    employment,
    left_out,
    platform_workers,
)
from caseworker.services.centre import OpenSession
from caseworker.services.employers import EmployerInput, find_employers, register_employer


def _employer_id(session: OpenSession, code: str) -> uuid.UUID:
    found = [e for e in find_employers(session.database, code) if e.credit_code == code.upper()]
    if not found:
        fail(
            f"找不到统一社会信用代码为 {code} 的单位（先用界面或 demo 登记）。",
            f"No employer has the credit code {code}.",
        )
    return found[0].id


def _schemes(text: str) -> list[str]:
    schemes = [s.strip() for s in text.split(",") if s.strip()]
    return schemes if schemes != ["all"] else list(EMPLOYEE_SCHEMES)


def _fen(text: str) -> int:
    try:
        return parse_yuan(text)
    except InvalidValue as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in text.split("-"))
        date(year, month, 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"月份应写作 YYYY-MM / a month is YYYY-MM: {text!r}"
        ) from None
    return year, month


def _words(warnings: tuple[tuple[str, str], ...]) -> None:
    for zh, en in warnings:
        print(f"提示 / note: {zh} / {en}")


def cmd_register(args: Any) -> int:
    session = open_session(args)
    try:
        employer_id = register_employer(
            session.database,
            session.actor,
            EmployerInput(
                credit_code=args.code,
                name=args.name,
                employer_type=args.type,
                industry=args.industry,
                risk_class=args.risk_class,
                address=args.address,
                contact_name=args.contact,
                contact_phone=args.phone,
            ),
        )
    finally:
        session.close()
    print(f"已登记用人单位 / employer registered: {employer_id}")
    return 0


def cmd_enrol(args: Any) -> int:
    session = open_session(args)
    try:
        rate = employer_enrolment.enrol_employer(
            session.database,
            session.actor,
            _employer_id(session, args.code),
            employer_enrolment.EmployerEnrolmentInput(
                schemes=_schemes(args.schemes),
                insured_from=args.start,
                risk_class=args.risk_class,
                work_injury_float_bp=args.float * 100 if args.float is not None else None,
            ),
        )
    finally:
        session.close()
    rate_words = f"，工伤费率 / work-injury rate {rate / 100:.2f}%" if rate is not None else ""
    print(f"已办理单位参保登记 / employer enrolled{rate_words}")
    return 0


def cmd_join(args: Any) -> int:
    session = open_session(args)
    try:
        result = employment.join_employee(
            session.database,
            session.actor,
            _employer_id(session, args.code),
            employment.JoinInput(args.id_number, args.start, _schemes(args.schemes), args.base),
        )
    finally:
        session.close()
    if args.json:
        print_json({"employment_id": str(result.employment_id), "warnings": result.warnings})
        return 0
    print(f"已增员 / employee added: {result.employment_id}")
    _words(result.warnings)
    return 0


def cmd_link(args: Any) -> int:
    session = open_session(args)
    try:
        result = platform_workers.link_platform_worker(
            session.database,
            session.actor,
            _employer_id(session, args.code),
            args.id_number,
            args.start,
        )
    finally:
        session.close()
    print(f"已关联平台从业人员（职业伤害保障）/ platform worker linked: {result.employment_id}")
    return 0


def cmd_leave(args: Any) -> int:
    session = open_session(args)
    try:
        employer_id = _employer_id(session, args.code)
        spell = employer_rolls.open_spell(
            session.database, employer_id, _person_id(session, args.id_number)
        )
        if spell is None:
            fail("该人员不是本单位在职职工。", "This person is not a current employee here.")
        warnings = employment.leave_employee(
            session.database, session.actor, spell, args.end, args.reason
        )
    finally:
        session.close()
    print("已减员 / employee removed")
    _words(warnings)
    return 0


def _read_wages(path: Path) -> dict[str, int]:
    """A CSV of ID number and last year's average monthly wage in yuan (a header row is fine)."""
    wages = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if len(row) < 2 or not row[0].strip() or row[0].strip() in {"身份证号码", "id_number"}:
                continue
            try:
                wages[row[0].strip().upper()] = parse_yuan(row[1])
            except InvalidValue as error:
                fail(f"{path} 第{number}行：{error.message}", f"{path} row {number}: {error}")
    return wages


def cmd_declare(args: Any) -> int:
    session = open_session(args)
    try:
        employer_id = _employer_id(session, args.code)
        by_number = _read_wages(args.wages)
        preview = base_declaration.preview_declaration(
            session.database, session.actor, employer_id, args.year, on=args.on
        )
        wages = {
            r.employment_id: by_number[r.id_number]
            for r in preview.rows
            if r.id_number in by_number
        }
        call = base_declaration.declare_bases if args.save else base_declaration.preview_declaration
        declaration = call(
            session.database, session.actor, employer_id, args.year, wages, on=args.on
        )
    finally:
        session.close()
    if args.json:
        print_json(
            [
                {
                    "name": r.name,
                    "id_number": r.masked_id_number,
                    "wage_fen": r.wage_fen,
                    "base_fen": r.clamped.base_fen if r.clamped else None,
                    "clamp": r.clamped.clamp if r.clamped else None,
                    "amounts": {a.scheme: [a.employer_fen, a.employee_fen] for a in r.amounts},
                }
                for r in declaration.rows
            ]
        )
        return 0
    print(
        f"{declaration.employer_name} {declaration.year}年度缴费基数 / bases "
        f"({format_yuan(declaration.floor_fen)}–{format_yuan(declaration.ceiling_fen)})"
    )
    for r in declaration.rows:
        if r.clamped is None:
            print(f"  {r.name}  {r.masked_id_number}  未填工资 / no wage given")
            continue
        print(
            f"  {r.name}  {r.masked_id_number}  工资 {format_yuan(r.clamped.wage_fen)} → 基数 "
            f"{format_yuan(r.clamped.base_fen)}（{r.clamped.reason_zh}）  单位 "
            f"{format_yuan(r.employer_fen)}  个人 {format_yuan(r.employee_fen)}"
        )
    print(
        f"合计每月 / monthly total: 单位 {format_yuan(declaration.employer_fen)}，"
        f"个人 {format_yuan(declaration.employee_fen)}"
    )
    print("已保存 / saved" if args.save else "预览，未保存（加 --save 保存）/ preview, not saved")
    return 0


def _spell_line(row: employer_rolls.SpellRow) -> str:
    schemes = "、".join(label_or_code("scheme", s) for s in row.schemes)
    end = (
        f" — {row.end_date}（{label_or_code('employment_end_reason', row.end_reason or '')}）"
        if row.end_date
        else ""
    )
    return (
        f"{row.name}  {row.masked_id_number}  {row.start_date}{end}  基数 "
        f"{base_text(row.base_fen)}  {schemes}"
    )


def cmd_roster(args: Any) -> int:
    session = open_session(args)
    try:
        rows = employer_rolls.roster(
            session.database, session.actor, _employer_id(session, args.code), args.on
        )
    finally:
        session.close()
    for row in rows:
        print(_spell_line(row))
    print(f"共 {len(rows)} 人 / {len(rows)} employees")
    return 0


def cmd_changes(args: Any) -> int:
    session = open_session(args)
    year, month = args.month
    try:
        changes = employer_rolls.month_changes(
            session.database, session.actor, _employer_id(session, args.code), year, month
        )
    finally:
        session.close()
    print(f"{year}年{month}月 增员 / joined: {len(changes.joined)}")
    for row in changes.joined:
        print(f"  + {_spell_line(row)}")
    print(f"{year}年{month}月 减员 / left: {len(changes.left)}")
    for row in changes.left:
        print(f"  - {_spell_line(row)}")
    return 0


def cmd_history(args: Any) -> int:
    session = open_session(args)
    try:
        rows = employer_rolls.employment_history(
            session.database, session.actor, _person_id(session, args.id_number)
        )
    finally:
        session.close()
    for row in rows:
        print(f"{row.employer_name}  {_spell_line(row)}")
    if not rows:
        print("没有单位参保记录。/ No employment on record.")
    return 0


def cmd_left_out(args: Any) -> int:
    session = open_session(args)
    try:
        found = left_out.left_out_by_employer(session.database, session.actor)
    finally:
        session.close()
    if args.json:
        print_json(
            [
                {
                    "credit_code": e.credit_code,
                    "name": e.name,
                    "contact": e.contact,
                    "people": [{"name": p.name, "id_number": p.masked_id_number} for p in e.people],
                }
                for e in found
            ]
        )
        return 0
    for employer in found:
        print(
            f"{employer.name}  {employer.credit_code}  {employer.contact}  未参保 {len(employer.people)} 人"
        )
        for person in employer.people:
            print(f"  {person.name}  {person.masked_id_number}")
    if not found:
        print("没有已知职工未参保的单位。/ No employer has known workers left out.")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    employer = commands.add_parser(
        "employer", help="employers (用人单位): enrol, employees joining and leaving, bases"
    )
    sub = employer.add_subparsers(dest="employer_command", metavar="ACTION", required=True)
    schemes_help = "comma-separated: " + ",".join(EMPLOYEE_SCHEMES) + " (or all)"

    def add(name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help_text)
        parser.add_argument("code", help="统一社会信用代码 / unified social credit code")
        user_option(parser)
        parser.set_defaults(handler=handler)
        return parser

    new = add("register", "登记用人单位 (credit code checked)", cmd_register)
    new.add_argument("--name", required=True)
    new.add_argument("--type", default="company", help="employer_type code, e.g. company")
    new.add_argument("--industry")
    new.add_argument("--risk-class", type=int, help="工伤风险类别 1–8")
    new.add_argument("--address")
    new.add_argument("--contact")
    new.add_argument("--phone")
    enrol = add("enrol", "单位参保登记: schemes, start date, work-injury class", cmd_enrol)
    enrol.add_argument("--schemes", required=True, help=schemes_help)
    enrol.add_argument("--from", dest="start", type=_day, required=True, help="YYYY-MM-DD")
    enrol.add_argument("--risk-class", type=int, help="工伤风险类别 1–8")
    enrol.add_argument("--float", type=int, help="浮动费率, percent of the benchmark (50…150)")
    join = add("join", "增员: an employee joins the employer's schemes", cmd_join)
    join.add_argument("--id-number", required=True)
    join.add_argument("--from", dest="start", type=_day, required=True, help="YYYY-MM-DD")
    join.add_argument("--schemes", default="all", help=schemes_help)
    join.add_argument("--base", type=_fen, required=True, help="月缴费基数 in yuan")
    join.add_argument("--json", action="store_true")
    link = add("link", "a platform links a worker to the occupational injury protection", cmd_link)
    link.add_argument("--id-number", required=True)
    link.add_argument("--from", dest="start", type=_day, required=True, help="YYYY-MM-DD")
    leave = add("leave", "减员 (or a platform worker unlinked)", cmd_leave)
    leave.add_argument("--id-number", required=True)
    leave.add_argument("--on", dest="end", type=_day, required=True, help="last day, YYYY-MM-DD")
    leave.add_argument("--reason", required=True, help="employment_end_reason code, e.g. resigned")
    declare = add("declare", "缴费基数申报: preview (or --save) the year's bases", cmd_declare)
    declare.add_argument("--year", type=int, required=True)
    declare.add_argument("--wages", type=Path, required=True, help="CSV: ID number, wage in yuan")
    declare.add_argument("--on", type=_day, help="employees on this day (default 1 January)")
    declare.add_argument("--save", action="store_true")
    declare.add_argument("--json", action="store_true")
    roster = add("roster", "the employees and their bases on a day", cmd_roster)
    roster.add_argument("--on", type=_day, default=date.today(), help="YYYY-MM-DD")
    changes = add("changes", "增减员 of one month", cmd_changes)
    changes.add_argument("--month", type=_month, required=True, help="YYYY-MM")
    out = sub.add_parser(
        "left-out", help="employers whose known workers hold no employees' scheme (督促参保)"
    )
    out.add_argument("--json", action="store_true")
    user_option(out)
    out.set_defaults(handler=cmd_left_out)
    history = sub.add_parser("history", help="a person's stays at employers")
    history.add_argument("id_number")
    user_option(history)
    history.set_defaults(handler=cmd_history)


PAPERS = ("registration", "changes", "roster")


def register_print(sub: argparse._SubParsersAction, output: Any, run: Any) -> None:
    """`caseworker print employer CODE --paper …` (registered by cli/printing.py)."""

    def cmd_print(args: Any) -> int:
        def make(session: OpenSession) -> Any:
            employer_id = _employer_id(session, args.code)
            if args.paper == "registration":
                return employer_papers.registration_pdf(
                    session.database, session.actor, employer_id
                )
            if args.paper == "changes":
                if args.month is None:
                    fail("增减员表需要 --month YYYY-MM。", "The change list needs --month YYYY-MM.")
                year, month = args.month
                return employer_papers.change_list_pdf(
                    session.database, session.actor, employer_id, year, month
                )
            return employer_papers.roster_pdf(session.database, session.actor, employer_id, args.on)

        return run(args, make)

    paper = sub.add_parser(
        "employer", help="参保单位登记表, 增减员表 (--month) or the roster with bases (--on)"
    )
    paper.add_argument("code", help="统一社会信用代码 / unified social credit code")
    paper.add_argument("--paper", choices=PAPERS, default="registration")
    paper.add_argument("--month", type=_month, help="YYYY-MM (changes)")
    paper.add_argument("--on", type=_day, default=date.today(), help="YYYY-MM-DD (roster)")
    output(paper)
    paper.set_defaults(handler=cmd_print)
