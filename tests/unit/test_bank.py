from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker.domain.bank import (
    LUHN_WARNING,
    BankCard,
    InvalidBankCard,
    luhn_ok,
    mask_bank_card,
    parse_bank_card,
)
from caseworker.domain.errors import InvalidValue

# 622202 (ICBC BIN) + body; the check digit 9 was computed with the Luhn rule.
LUHN_VALID = "6222020200112345679"
LUHN_INVALID = "6222020200112345678"  # same number with a wrong last digit


def _luhn_complete(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def test_luhn_valid_card() -> None:
    card = parse_bank_card("6222 0202 0011 2345 679")
    assert card == BankCard(LUHN_VALID, True, None, None)


def test_luhn_failure_is_a_warning_not_an_error() -> None:
    card = parse_bank_card(LUHN_INVALID)
    assert card.number == LUHN_INVALID
    assert card.luhn_ok is False
    assert card.warning == (
        "卡号校验未通过，请与存折或银行卡核对；部分银行卡不适用此校验，核对无误可继续保存。"
    )
    assert card.warning == LUHN_WARNING
    assert card.warning_en and "check" in card.warning_en


@pytest.mark.parametrize("known", ["4111111111111111", "6222021001122334458", "79927398713"])
def test_known_luhn_numbers(known: str) -> None:
    assert luhn_ok(known)
    assert not luhn_ok(known[:-1] + str((int(known[-1]) + 5) % 10))


@pytest.mark.parametrize(
    "text",
    [
        "6222-0202-0011-2345-679",
        "６２２２０２０２００１１２３４５６７９",
        "\u30006222 0202 0011 2345 679\u3000",
        "6222—0202—0011—2345—679",
        "6222\u200b020200112345679",  # zero-width space pasted from a chat message
    ],
)
def test_normalisation(text: str) -> None:
    assert parse_bank_card(text).number == LUHN_VALID


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("", "empty", "请填写银行卡号"),
        (" \u3000", "empty", "请填写银行卡号"),
        ("6222O20200112345679", "characters", "“O”"),
        ("6222 0202 0011 2345 67X", "characters", "“X”"),
        ("62220202001", "length", "现在是11位"),
        ("62220202001123456790", "length", "现在是20位"),
    ],
)
def test_errors(text: str, code: str, fragment: str) -> None:
    with pytest.raises(InvalidBankCard) as info:
        parse_bank_card(text)
    error = info.value
    assert isinstance(error, InvalidValue)
    assert (error.field, error.code) == ("bank_account", code)
    assert fragment in error.message
    assert "银行卡号" in error.message  # names the field
    assert "bank card number" in error.message_en


def test_card_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_bank_card(LUHN_VALID).number = "0"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("6222020200111234", "6222 **** **** 1234"),
        ("6222020200112345679", "6222 **** **** 5679"),
        ("6222 0202 0011 2345 679", "6222 **** **** 5679"),
        ("622202020011", "6222 **** **** 0011"),
        ("12345678", "********"),  # never a card: hide all of it
        ("", ""),
    ],
)
def test_mask(number: str, masked: str) -> None:
    assert mask_bank_card(number) == masked


@given(st.from_regex(r"[0-9]{11,18}", fullmatch=True))
def test_every_luhn_completed_number_passes(body: str) -> None:
    number = _luhn_complete(body)
    card = parse_bank_card(number)
    assert card.luhn_ok and card.warning is None
    # Changing one digit always breaks Luhn.
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not parse_bank_card(wrong).luhn_ok


@given(st.from_regex(r"[0-9]{12,19}", fullmatch=True))
def test_any_12_to_19_digits_parse_and_mask(number: str) -> None:
    card = parse_bank_card(number)
    assert card.number == number
    assert (card.warning is None) == card.luhn_ok
    assert mask_bank_card(number) == f"{number[:4]} **** **** {number[-4:]}"
