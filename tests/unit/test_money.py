from __future__ import annotations

import re

import cn2an
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from caseworker.domain.errors import InvalidValue
from caseworker.domain.money import (
    MAX_FEN,
    InvalidAmount,
    format_yuan,
    parse_yuan,
    to_chinese_capitals,
)

amounts = st.integers(min_value=0, max_value=MAX_FEN)
# Sparse digits exercise the 零 rules far more than uniform integers do.
sparse_amounts = st.from_regex(r"[0-9]{0,2}[01]{0,12}", fullmatch=True).map(
    lambda s: min(int(s or "0"), MAX_FEN)
)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("400", 40000),
        ("400.5", 40050),
        ("400.50", 40050),
        ("400.", 40000),
        ("0.05", 5),
        (".5", 50),
        ("1,234.56", 123456),
        ("1,234,567", 123456700),
        ("￥400", 40000),
        ("¥400", 40000),
        ("４００", 40000),
        ("４００．５０", 40050),
        ("１，２３４．５６", 123456),
        ("400元", 40000),
        ("￥ 400 元", 40000),
        ("\u3000400\u3000", 40000),
        ("400。5", 40050),  # full stop typed in Chinese punctuation mode
        ("RMB 400", 40000),
        ("0", 0),
        ("999,999,999,999.99", MAX_FEN),
    ],
)
def test_parse_yuan(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("", "empty", "请填写金额"),
        ("  ", "empty", "请填写金额"),
        ("400.505", "decimals", "两位小数"),
        ("-400", "negative", "负数"),
        ("－400", "negative", "负数"),
        ("¥-400", "negative", "负数"),
        ("4OO", "characters", "“O”"),
        ("四百", "characters", "“四”"),
        ("12,34", "format", "1,234.56"),
        ("1.2.3", "format", "格式"),
        ("¥", "format", "格式"),
        (".", "format", "格式"),
        ("1000000000000", "too_large", "999,999,999,999.99"),
    ],
)
def test_parse_errors(text: str, code: str, fragment: str) -> None:
    with pytest.raises(InvalidAmount) as info:
        parse_yuan(text)
    error = info.value
    assert isinstance(error, InvalidValue)
    assert (error.field, error.code) == ("amount", code)
    assert fragment in error.message
    assert "金额" in error.message  # names the field
    assert "amount" in error.message_en


@pytest.mark.parametrize(
    ("fen", "kwargs", "text"),
    [
        (123450, {}, "1,234.50"),
        (123450, {"symbol": True}, "¥1,234.50"),
        (123450, {"grouping": False}, "1234.50"),
        (0, {}, "0.00"),
        (5, {}, "0.05"),
        (-150, {"symbol": True}, "-¥1.50"),
        (MAX_FEN, {}, "999,999,999,999.99"),
    ],
)
def test_format_yuan(fen: int, kwargs: dict[str, bool], text: str) -> None:
    assert format_yuan(fen, **kwargs) == text


@pytest.mark.parametrize("bad", [1.5, True, "100"])
def test_floats_are_refused(bad: object) -> None:
    with pytest.raises(TypeError):
        format_yuan(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_chinese_capitals(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fen", "capitals"),
    [
        (40000, "肆佰元整"),
        (150000, "壹仟伍佰元整"),
        (50, "伍角"),
        (5, "伍分"),
        (53, "伍角叁分"),
        (100405, "壹仟零肆元零伍分"),
        (10001000, "壹拾万零壹拾元整"),
        (0, "零元整"),
        (123456789012, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
        (1000, "壹拾元整"),
        (2030, "贰拾元叁角"),
        (10100, "壹佰零壹元整"),
        (100000001, "壹佰万元零壹分"),
        (100000100, "壹佰万零壹元整"),
        (10700053, "壹拾万柒仟元伍角叁分"),  # PBOC example; 零 optional there
        (168032, "壹仟陆佰捌拾元叁角贰分"),  # PBOC example; 零 optional there
        (1000000000, "壹仟万元整"),
        (10000010000, "壹亿零壹佰元整"),
        (10000100000, "壹亿零壹仟元整"),
        (100001000000, "壹拾亿零壹万元整"),
        (10010000000, "壹亿零壹拾万元整"),
        (MAX_FEN, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_capitals(fen: int, capitals: str) -> None:
    assert to_chinese_capitals(fen) == capitals


@pytest.mark.parametrize(("fen", "code"), [(-1, "negative"), (MAX_FEN + 1, "too_large")])
def test_capitals_range(fen: int, code: str) -> None:
    with pytest.raises(InvalidAmount) as info:
        to_chinese_capitals(fen)
    assert (info.value.field, info.value.code) == ("amount", code)
    assert "金额" in info.value.message


def _cn2an_rmb(fen: int) -> str:
    return cn2an.an2cn(f"{fen // 100}.{fen % 100:02d}", "rmb")


def test_where_cn2an_differs() -> None:
    """cn2an 0.5's "rmb" mode drops the 零 for a whole zero 万 group before 仟.

    ``壹亿壹仟元整`` is easily read as 1.1 亿; that is why money.py has its own conversion.
    """
    assert _cn2an_rmb(10000100000) == "壹亿壹仟元整"
    assert to_chinese_capitals(10000100000) == "壹亿零壹仟元整"


@given(st.one_of(amounts, sparse_amounts))
@example(0)
@example(MAX_FEN)
def test_cn2an_agrees_except_for_the_known_case(fen: int) -> None:
    yuan = fen // 100
    known_difference = yuan >= 10**8 and (yuan // 10**4) % 10**4 == 0 and yuan % 10**4 >= 1000
    assert (to_chinese_capitals(fen) == _cn2an_rmb(fen)) != known_difference


@given(st.one_of(amounts, sparse_amounts))
def test_capitals_shape(fen: int) -> None:
    text = to_chinese_capitals(fen)
    assert "零零" not in text
    assert not text.startswith("零") or fen == 0
    assert text.endswith(("整", "分", "角"))
    assert re.fullmatch(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+", text)
    assert "分整" not in text
    assert ("元" in text) == (fen >= 100 or fen == 0)  # no leading 零元 below one yuan
    assert not text.startswith("拾")  # always 壹拾, so nothing can be prefixed


@given(amounts, st.booleans(), st.booleans())
@example(0, False, True)
@example(MAX_FEN, True, True)
def test_parse_format_round_trip(fen: int, symbol: bool, grouping: bool) -> None:
    assert parse_yuan(format_yuan(fen, symbol=symbol, grouping=grouping)) == fen


@given(st.integers(min_value=0, max_value=10**14 - 1))
def test_round_trip_up_to_10_to_the_14(fen: int) -> None:
    assert parse_yuan(format_yuan(fen)) == fen


@given(st.text(max_size=20))
def test_parse_yuan_only_raises_invalid_amount(text: str) -> None:
    try:
        fen = parse_yuan(text)
    except InvalidAmount as error:
        assert error.field == "amount" and error.message_en
    else:
        assert isinstance(fen, int) and 0 <= fen <= MAX_FEN
