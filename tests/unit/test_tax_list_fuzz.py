"""What crosses a trust boundary, fuzzed: any file given as a tax list, any typed voucher."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker.domain.errors import InvalidValue
from caseworker.domain.tax_channels import VOUCHER_MAX, VOUCHER_MIN, parse_voucher_number
from caseworker.services.errors import ServiceError
from caseworker.services.tax_list_file import read_tax_list

HEAD = "身份证号,姓名,险种,所属期,金额,凭证号,缴费日期\n"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=400).map(lambda t: (HEAD + t).encode()))
def test_any_file_is_read_or_refused_in_words(content: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.csv"
        path.write_bytes(content)
        try:
            listed = read_tax_list(path)
        except ServiceError as error:
            assert error.code == "bad_tax_list" and error.message and error.message_en
            return
        for bad in listed.bad_rows:
            assert bad.row >= 2 and bad.problems and len(bad.problems) == len(bad.problems_en)
        for line in listed.lines:
            assert line.period_start <= line.period_end and line.amount_fen >= 0


@given(st.text(max_size=60))
def test_a_voucher_is_stored_tidy_or_refused_for_its_field(typed: str):
    try:
        voucher = parse_voucher_number(typed)
    except InvalidValue as error:
        assert error.field == "voucher_number" and error.message_en
        return
    assert re.fullmatch(r"[0-9A-Z][0-9A-Z\-]*", voucher)
    assert VOUCHER_MIN <= len(voucher) <= VOUCHER_MAX
