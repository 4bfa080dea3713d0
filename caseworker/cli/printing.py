"""`caseworker print …`: the printed documents as PDF files, and the centre's print settings.

A document with a character no installed font has is not written unless the operator says
so (``--allow-missing``): a name printed with a gap is worse than no paper at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from caseworker.cli.common import fail, open_session, user_option
from caseworker.printing.fonts import describe_missing
from caseworker.printing.layout import PrintResult
from caseworker.printing.receipt import PAPERS
from caseworker.services import documents, receipt_issue, void_slips
from caseworker.services.centre import OpenSession
from caseworker.services.remittance import operator_by_username, remittance_pdf


def _write(args: Any, result: PrintResult) -> Path:
    """Write the PDF where ``-o`` says, or fail saying why; nothing half-written is left."""
    target = Path(args.output).expanduser()
    if result.missing:
        listed = describe_missing(result.missing)
        if not args.allow_missing:
            fail(
                f"没有任何已安装字体含有这些字：{listed}，未生成 {target}。请管理员用 "
                "caseworker print settings --font 指定含这些字的字体，或加 --allow-missing "
                "（缺字处将印为 [U+编码]，需手写补正）。",
                f"No installed font has {listed}; {target} was not written. Have an "
                "administrator set a font that has them (caseworker print settings --font), "
                "or pass --allow-missing to print [U+code] markers to correct by hand.",
            )
        print(f"警告：以下字符没有字体，已印为 [U+编码]：{listed}", file=sys.stderr)
    if not target.parent.is_dir():
        fail(f"文件夹 {target.parent} 不存在。", f"The folder {target.parent} does not exist.")
    # Written beside the target and renamed: a half-written PDF never replaces a good one.
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".pdf.part")
        with os.fdopen(handle, "wb") as out:
            out.write(result.pdf)
        os.replace(temporary, target)
    except OSError as error:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        fail(
            f"无法写入 {target}：{error.strerror}。请换一个可写的文件夹或文件名。",
            f"Could not write {target}: {error.strerror}. Choose a folder and name you may "
            "write to.",
        )
    except BaseException:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise
    print(f"已写入 {target}（{result.pages} 页）/ wrote {target} ({result.pages} page(s))")
    return target


def _run(args: Any, make: Any) -> int:
    session: OpenSession = open_session(args)
    try:
        result = make(session)
    finally:
        session.close()
    _write(args, result)
    return 0


def cmd_form(args: Any) -> int:
    return _run(args, lambda s: documents.enrolment_form_pdf(s.database, args.reference))


def cmd_receipt(args: Any) -> int:
    """The original once (if it never went out), else a copy (副本) audited after writing."""
    session = open_session(args)
    try:
        database, actor = session.database, session.actor
        output = receipt_issue.receipt_output(
            database, actor, args.receipt_number, copy=args.reprint, paper=args.paper
        )
        target = _write(args, output.result)
        try:
            receipt_issue.record_output(database, actor, output, "file")
        except BaseException:
            target.unlink(missing_ok=True)  # an unrecorded original or copy is not left about
            raise
    finally:
        session.close()
    if not output.original and not args.reprint:
        print(
            "注意：该收据的原件已经开具，本次生成的是副本（已记入审计日志）。",
            file=sys.stderr,
        )
        print(
            "Note: this receipt's original was issued before; this is a copy (audited).",
            file=sys.stderr,
        )
    return 0


def cmd_void_slip(args: Any) -> int:
    return _run(
        args, lambda s: void_slips.void_slip_pdf(s.database, args.receipt_number, paper=args.paper)
    )


def cmd_survey(args: Any) -> int:
    return _run(args, lambda s: documents.survey_pdf(s.database, args.village, blank=args.blank))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        fail(
            f"日期“{text}”格式不对，请写成 YYYY-MM-DD，如 2026-11-27。",
            f"The date {text!r} is not YYYY-MM-DD, e.g. 2026-11-27.",
        )


def cmd_daily(args: Any) -> int:
    day = _day(args.date)
    return _run(args, lambda s: documents.daily_report_pdf(s.database, day))


def cmd_remittance(args: Any) -> int:
    day = _day(args.date)

    def make(s: OpenSession) -> PrintResult:
        operator = operator_by_username(s.database, args.operator) if args.operator else None
        return remittance_pdf(s.database, s.actor, day, operator)

    return _run(args, make)


def cmd_transmittal(args: Any) -> int:
    try:
        batch = uuid.UUID(args.batch.strip())
    except ValueError:
        fail(f"批次号“{args.batch}”不是有效的 UUID。", f"{args.batch!r} is not a batch UUID.")

    def make(s: OpenSession) -> PrintResult:
        rows = documents.transmittal_rows(s.database, batch)
        if not rows:
            fail(f"批次 {batch} 中没有记录。", f"Batch {batch} holds no records.")
        return documents.transmittal_pdf(s.database, batch, rows)

    return _run(args, make)


def cmd_settings(args: Any) -> int:
    session = open_session(args)
    try:
        database, actor = session.database, session.actor
        if args.receipt_paper:
            documents.set_receipt_paper(database, actor, args.receipt_paper)
        if args.font is not None:
            documents.set_font_path(database, actor, args.font or None)
        paper = documents.receipt_paper(database)
        font = documents.font_path(database)
        chain = documents.font_chain(database)
    finally:
        session.close()
    print(f"收据纸张 / receipt paper: {paper}")
    print(f"管理员指定字体 / administrator's font: {font or '（未指定 / none）'}")
    print("打印字体（按顺序回退）/ fonts, in fallback order:")
    for line in chain.describe():
        print(f"  {line}")
    return 0


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="write the PDF even if some characters have no font (printed as [U+code])",
    )
    user_option(parser)


def register(commands: argparse._SubParsersAction) -> None:
    printing = commands.add_parser("print", help="print forms, receipts and reports to PDF")
    sub = printing.add_subparsers(dest="document", metavar="DOCUMENT", required=True)

    form = sub.add_parser("form", help="参保登记表 of a person (ID number or UUID)")
    form.add_argument("reference")
    _output(form)
    form.set_defaults(handler=cmd_form)

    receipt = sub.add_parser("receipt", help="缴费凭证 by receipt number")
    receipt.add_argument("receipt_number")
    receipt.add_argument(
        "--reprint",
        action="store_true",
        help="a copy, marked 副本 (the original is produced once; later prints are copies anyway)",
    )
    receipt.add_argument("--paper", choices=PAPERS, help="default: the centre's setting")
    _output(receipt)
    receipt.set_defaults(handler=cmd_receipt)

    void = sub.add_parser("void", help="作废凭证 (void slip) of a voided receipt")
    void.add_argument("receipt_number", metavar="RECEIPT")
    void.add_argument("--paper", choices=PAPERS, help="default: the centre's setting")
    _output(void)
    void.set_defaults(handler=cmd_void_slip)

    survey = sub.add_parser("survey", help="全民参保登记入户调查表 of a village")
    survey.add_argument("--village", required=True, help="12-digit village code")
    survey.add_argument("--blank", action="store_true", help="an empty sheet for the village")
    _output(survey)
    survey.set_defaults(handler=cmd_survey)

    daily = sub.add_parser("daily", help="收缴日报表 of one business day")
    daily.add_argument("--date", required=True, help="YYYY-MM-DD")
    _output(daily)
    daily.set_defaults(handler=cmd_daily)

    remittance = sub.add_parser(
        "remittance", help="现金解缴清单 of one business day (your own, or --operator's)"
    )
    remittance.add_argument("--date", required=True, help="YYYY-MM-DD")
    remittance.add_argument(
        "--operator", help="whose receipts (supervisors; default: yours, or everyone's)"
    )
    _output(remittance)
    remittance.set_defaults(handler=cmd_remittance)

    transmittal = sub.add_parser("transmittal", help="业务数据移交清单 of an upload batch")
    transmittal.add_argument("--batch", required=True, help="batch UUID")
    _output(transmittal)
    transmittal.set_defaults(handler=cmd_transmittal)

    settings = sub.add_parser("settings", help="show or change receipt paper and font")
    settings.add_argument("--receipt-paper", choices=PAPERS)
    settings.add_argument("--font", help="a .ttf/.ttc file (file.ttc#N for face N); '' clears")
    user_option(settings)
    settings.set_defaults(handler=cmd_settings)

    from caseworker.cli.employers import register_print  # the employer's papers live there

    register_print(sub, _output, _run)
