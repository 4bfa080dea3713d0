"""`caseworker payment …`: money matters at the command line.

Each action is one ``_add_*`` function registering its sub-command; ``ACTIONS`` lists them:
``void`` (supervisors void a receipt, every line of it) and ``match-tax-list`` (supervisors
match the tax authority's list of payments against the payments here).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from caseworker.cli.common import open_session, print_json, user_option
from caseworker.domain.ids import mask_id_number
from caseworker.domain.money import format_yuan
from caseworker.services.payments import void_payment
from caseworker.services.tax_list import LocalPayment, TaxListMatch, match_tax_list
from caseworker.services.tax_list_file import TaxLine
from caseworker.services.tax_payments import void_tax_payment


def cmd_void(args: Any) -> int:
    if (args.receipt_number is None) == (args.voucher is None):
        print(
            "请给出收据号，或用 --voucher 给出税务凭证号（二者选一）。\n"
            "Name a receipt number, or a tax voucher with --voucher (one of the two).",
            file=sys.stderr,
        )
        return 2
    if args.voucher is not None:
        return _void_voucher(args)
    session = open_session(args)
    try:
        voided = void_payment(
            session.database,
            session.actor,
            receipt_number=args.receipt_number,
            reason=args.reason,
        )
    finally:
        session.close()
    print(
        f"已作废收据 {voided.receipt_number}（{voided.lines} 行，个人实收合计 "
        f"¥{format_yuan(voided.personal_fen)}）；收据号不再使用，作废将随下次同步上报。"
    )
    print(
        f"Voided receipt {voided.receipt_number} ({voided.lines} line(s), "
        f"¥{format_yuan(voided.personal_fen)} paid in person); the number stays used and the "
        "void goes upstream with the next sync."
    )
    print(
        f"打印作废凭证 / print the void slip: caseworker print void {voided.receipt_number} "
        "-o FILE.pdf"
    )
    return 0


def _void_voucher(args: Any) -> int:
    """A tax-channel payment recorded wrongly: voided by its voucher number, then recorded again."""
    session = open_session(args)
    try:
        void_tax_payment(
            session.database, session.actor, voucher_number=args.voucher, reason=args.reason
        )
    finally:
        session.close()
    print(f"已作废税务凭证 {args.voucher} 的缴费记录；作废将随下次同步上报，可重新登记正确的记录。")
    print(
        f"Voided the payment recorded with tax voucher {args.voucher}; the void goes upstream "
        "with the next sync and the right record can be entered again."
    )
    return 0


def _add_void(actions: argparse._SubParsersAction) -> None:
    void = actions.add_parser(
        "void", help="void a receipt, every line of it (supervisors; a reason is required)"
    )
    void.add_argument("receipt_number", metavar="RECEIPT", nargs="?")
    void.add_argument(
        "--voucher", help="instead of a receipt: the tax voucher of a tax-channel payment"
    )
    void.add_argument("--reason", required=True, help="why the receipt is void (4+ characters)")
    user_option(void)
    void.set_defaults(handler=cmd_void)


def _line_text(line: TaxLine) -> str:
    return (
        f"第{line.row}行 {mask_id_number(line.id_number)} {line.name} {line.scheme} "
        f"{line.period_start}～{line.period_end} {format_yuan(line.amount_fen)}元"
        + (f" 凭证 {line.voucher_number}" if line.voucher_number else "")
    )


def _local_text(local: LocalPayment) -> str:
    kind = "税务凭证" if local.channel == "tax" else "收据"
    return (
        f"{kind} {local.reference} {mask_id_number(local.id_number)} {local.person_name} "
        f"{local.scheme} {local.period_start}～{local.period_end} "
        f"{format_yuan(local.personal_fen)}元 {local.business_date}"
    )


def _print_result(result: TaxListMatch) -> None:
    print(
        f"清单 {result.file_name}（{result.kind}），{result.date_from} 至 {result.date_to}："
        f"相符 {len(result.matched)} 笔，仅税务清单有 {len(result.only_in_list)} 笔，"
        f"仅本地有 {len(result.only_here)} 笔，无法读取 {len(result.bad_rows)} 行。"
    )
    print(
        f"List {result.file_name}: {len(result.matched)} matched, {len(result.only_in_list)} "
        f"only in the tax list, {len(result.only_here)} only here, {len(result.bad_rows)} "
        "rows unreadable."
    )
    if result.only_in_list:
        print("\n仅税务清单有 / only in the tax list:")
        for unmatched in result.only_in_list:
            print(f"  {_line_text(unmatched.line)}：{unmatched.note}")
    if result.only_here:
        print("\n仅本地有 / only here:")
        for local in result.only_here:
            print(f"  {_local_text(local)}")
    if result.bad_rows:
        print("\n无法读取的行 / rows that could not be read:")
        for bad in result.bad_rows:
            print(f"  第{bad.row}行 / row {bad.row}：" + "；".join(bad.problems))
    if result.matched:
        print("\n相符 / matched:")
        for line, local in result.matched:
            print(f"  第{line.row}行 = {local.reference}")


def cmd_match_tax_list(args: Any) -> int:
    session = open_session(args)
    try:
        result = match_tax_list(session.database, session.actor, Path(args.file).expanduser())
    finally:
        session.close()
    if args.json:
        print_json(dataclasses.asdict(result))
    else:
        _print_result(result)
    return 0


def _add_match_tax_list(actions: argparse._SubParsersAction) -> None:
    match = actions.add_parser(
        "match-tax-list",
        help="match the tax authority's list of payments (CSV or XLSX) against ours (supervisor)",
    )
    match.add_argument("file", help="the list as exported by the tax system (.csv or .xlsx)")
    match.add_argument("--json", action="store_true", help="the three groups as JSON")
    user_option(match)
    match.set_defaults(handler=cmd_match_tax_list)


ACTIONS: list[Callable[[argparse._SubParsersAction], None]] = [_add_void, _add_match_tax_list]


def register(commands: argparse._SubParsersAction) -> None:
    payment = commands.add_parser(
        "payment", help="payments: void a receipt, match the tax authority's list"
    )
    actions = payment.add_subparsers(dest="payment_action", metavar="ACTION", required=True)
    for add in ACTIONS:
        add(actions)
