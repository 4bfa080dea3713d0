from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker.domain.contact import (
    InvalidPhone,
    Phone,
    parse_landline,
    parse_mobile,
    parse_phone,
    phone_digits,
)
from caseworker.domain.errors import InvalidValue


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "138—1234—5678",  # em dash from a Chinese keyboard
        "１３８１２３４５６７８",  # full-width digits
        "\u3000138 1234 5678\u3000",  # ideographic spaces
        "+86 138 1234 5678",
        "＋８６－１３８１２３４５６７８",
        "0086 13812345678",
        "8613812345678",
        "(+86) 138-1234-5678",
    ],
)
def test_mobile_normalisation(text: str) -> None:
    assert parse_mobile(text) == "13812345678"


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("", "empty", "请填写电话号码"),
        ("  \u3000 ", "empty", "请填写电话号码"),
        ("138a2345678", "characters", "“a”"),
        ("1381234567", "length", "现在是10位"),
        ("138123456789", "length", "现在是12位"),
        ("12812345678", "prefix", "13至19"),
        ("+852 9123 4567", "prefix", "中国大陆"),
    ],
)
def test_mobile_errors(text: str, code: str, fragment: str) -> None:
    with pytest.raises(InvalidPhone) as info:
        parse_mobile(text)
    error = info.value
    assert isinstance(error, InvalidValue)
    assert (error.field, error.code) == ("phone", code)
    assert fragment in error.message
    assert "电话" in error.message or "手机号" in error.message  # names the field
    assert "phone" in error.message_en or "mobile" in error.message_en


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("(010) 1234 5678", "010-12345678"),
        ("（０５１２）６５４３２１０", "0512-6543210"),
        ("0512 6543 2100", "0512-65432100"),
        ("0512-6543-210", "0512-6543210"),
        ("020-87654321", "020-87654321"),
        ("+86 10 12345678", "010-12345678"),
        ("010-12345678-123", "010-12345678-123"),
        ("010-12345678 转 123", "010-12345678-123"),
        ("0512-6543210 分机 8", "0512-6543210-8"),
        ("0512-6543210 ext. 88", "0512-6543210-88"),
        ("0512-6543210#88", "0512-6543210-88"),
    ],
)
def test_landline_normalisation(text: str, expected: str) -> None:
    assert parse_landline(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("6543210", "area_code"),  # local number without its area code
        ("01312345678", "area_code"),  # 01x other than 010 is no area code
        ("0512-123", "length"),
        ("0512-123456789", "length"),
        ("0512-0654321", "length"),  # a local number never starts with 0
        ("0512-654321a", "characters"),
    ],
)
def test_landline_errors(text: str, code: str) -> None:
    with pytest.raises(InvalidPhone) as info:
        parse_landline(text)
    assert (info.value.field, info.value.code) == ("phone", code)
    assert "电话" in info.value.message or "区号" in info.value.message
    assert info.value.message_en


def test_parse_phone_tries_mobile_then_landline() -> None:
    assert parse_phone("138 1234 5678") == Phone("13812345678", "mobile")
    assert parse_phone("0512-6543210") == Phone("0512-6543210", "landline")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_phone("13812345678").number = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("", "empty", "请填写"),
        ("1381234567", "length", "手机号"),  # starts with 1: the mobile error
        ("0512-12", "length", "固定电话"),  # starts with 0: the landline error
        ("0512-6543210 a", "characters", "“a”"),
        ("654321", "length", "或带区号的固定电话"),  # neither: one message naming both
        ("+1 650 555 0100", "prefix", "中国大陆"),
    ],
)
def test_parse_phone_one_clear_error(text: str, code: str, fragment: str) -> None:
    with pytest.raises(InvalidPhone) as info:
        parse_phone(text)
    assert (info.value.field, info.value.code) == ("phone", code)
    assert fragment in info.value.message


def test_error_messages_have_english() -> None:
    with pytest.raises(InvalidPhone) as info:
        parse_mobile("1381234567")
    assert info.value.message_en == (
        "A mobile number has 11 digits; this one has 10. Please check it."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("（０５１２）６５４３２１０", "05126543210"),
        ("5678", "5678"),
        ("", ""),
    ],
)
def test_phone_digits(text: str, expected: str) -> None:
    assert phone_digits(text) == expected


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", " ", "-", "\u3000"]))
def test_any_mobile_round_trips_with_separators(number: str, sep: str) -> None:
    typed = f"{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}"
    assert parse_mobile(typed) == number
    assert parse_phone(typed) == Phone(number, "mobile")
    assert phone_digits(typed) == number


@given(
    st.one_of(
        st.from_regex(r"0(10|2[0-9])-[2-9][0-9]{7}", fullmatch=True),
        st.from_regex(r"0[3-9][0-9]{2}-[2-9][0-9]{6,7}", fullmatch=True),
    )
)
def test_any_landline_is_a_fixed_point(number: str) -> None:
    assert parse_landline(number) == number
    assert parse_landline(number.replace("-", "")) == number
    assert parse_phone(number) == Phone(number, "landline")


@given(st.text(max_size=30))
def test_parse_phone_only_raises_invalid_phone(text: str) -> None:
    try:
        phone = parse_phone(text)
    except InvalidPhone as error:
        assert error.field == "phone"
    else:
        assert phone.kind in ("mobile", "landline")
