"""`caseworker payment …`: what a supervisor does with money already taken.

Each action is one ``_add_*`` function registering its sub-command; ``ACTIONS`` lists them,
so a new action (matching the tax authority's list, …) is one more function in the list.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from caseworker.cli.admin import _user_option
from caseworker.cli.common import open_session
from caseworker.domain.money import format_yuan
from caseworker.services.payments import void_payment


def cmd_void(args: Any) -> int:
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


def _add_void(actions: argparse._SubParsersAction) -> None:
    void = actions.add_parser(
        "void", help="void a receipt, every line of it (supervisors; a reason is required)"
    )
    void.add_argument("receipt_number", metavar="RECEIPT")
    void.add_argument("--reason", required=True, help="why the receipt is void (4+ characters)")
    _user_option(void)
    void.set_defaults(handler=cmd_void)


ACTIONS: list[Callable[[argparse._SubParsersAction], None]] = [_add_void]


def register(commands: argparse._SubParsersAction) -> None:
    payment = commands.add_parser("payment", help="supervise payments: void a receipt")
    actions = payment.add_subparsers(dest="payment_action", metavar="ACTION", required=True)
    for add in ACTIONS:
        add(actions)
