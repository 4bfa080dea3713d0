"""Builders from plain data: pre-filled survey, long lists over pages, determinism."""

from __future__ import annotations

import dataclasses

from caseworker.printing.daily_report import build_daily_report, summary_rows
from caseworker.printing.receipt import build_receipt, build_receipts
from caseworker.printing.survey import build_survey
from caseworker.printing.transmittal import build_transmittal
from tests.printing import samples
from tests.printing.conftest import compact, pdftotext


def test_prefilled_survey_lists_every_member(chain, tmp_path):
    data = samples.survey()
    result = build_survey(data, chain)
    text = compact(pdftotext(result.pdf, tmp_path))
    for member in data.households[0].members:
        for field in (member.name, member.relationship, member.id_number, member.employment):
            assert compact(field) in text, field
    assert compact(samples.LONG_ADDRESS) in text
    assert "④外出务工（经商）未参保" in text and "调查人签字" in text


def test_a_long_batch_runs_over_pages_with_heads_and_page_numbers(chain, tmp_path):
    result = build_transmittal(samples.transmittal(rows=120), chain)
    assert result.pages == 4
    text = compact(pdftotext(result.pdf, tmp_path))
    assert text.count("记录编号") == 4  # the column heads repeat on each page
    assert "第4页共4页" in text and "共120条" in text


def test_daily_summary_groups_by_operator_and_scheme():
    data = samples.daily_report()
    rows = summary_rows(data.receipts)
    total = next(r for r in rows if r[0] == "合计")
    live = [r for r in data.receipts if not r.voided]
    assert total[2] == str(len(live))
    assert next(r for r in rows if r[0] == "作废收据")[2] == "1"
    operators = {r[0] for r in rows if r[1] == "小计"}
    assert operators == {"经办员", "审核员"}


def test_daily_report_reads_back(chain, tmp_path):
    text = compact(pdftotext(build_daily_report(samples.daily_report(), chain).pdf, tmp_path))
    assert "作废：金额录入错误，已重新开" in text  # the cell wraps; pdftotext reorders lines
    assert "买买提·艾力" in text


def test_same_input_same_bytes(chain):
    data = samples.receipt()
    assert build_receipt(data, chain).pdf == build_receipt(data, chain).pdf
    line = dataclasses.replace(data.lines[0], amount_fen=40_100, personal_fen=40_100)
    other = dataclasses.replace(data, lines=(line,))
    assert build_receipt(other, chain).pdf != build_receipt(data, chain).pdf


def test_many_receipts_in_one_pdf_report_progress(chain, tmp_path):
    seen = []
    receipts = [samples.receipt(receipt_number=f"R-{n}") for n in range(5)]
    result = build_receipts(receipts, chain, paper="roll80", progress=lambda d, t: seen.append(d))
    assert result.pages == 5 and seen == [1, 2, 3, 4, 5]
    text = pdftotext(result.pdf, tmp_path)
    assert all(f"R-{n}" in text for n in range(5))
