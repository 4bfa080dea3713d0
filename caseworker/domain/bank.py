"""Bank card / passbook account numbers for benefit payment.

Most card numbers pass the Luhn check, but some passbook and older card numbers do not, so a
Luhn failure is a warning the clerk confirms against the card, never a rejection.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from caseworker.domain.errors import InvalidValue

__all__ = ["BankCard", "InvalidBankCard", "luhn_ok", "mask_bank_card", "parse_bank_card"]

MIN_LENGTH = 12
MAX_LENGTH = 19
LUHN_WARNING = "卡号校验未通过，请与存折或银行卡核对；部分银行卡不适用此校验，核对无误可继续保存。"
LUHN_WARNING_EN = (
    "The card number fails the check-digit test. Please compare it with the passbook or card; "
    "some bank cards do not use this check, so if it matches you can still save it."
)
# Input-method "dashes" outside Unicode category Pd: minus sign, katakana long-vowel mark.
_EXTRA_DASHES = frozenset("\u2212\u30fc")


class InvalidBankCard(InvalidValue):
    """Field ``bank_account``; codes: empty, characters, length."""

    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__("bank_account", code, message)
        self.message_en = message_en


@dataclass(frozen=True, slots=True)
class BankCard:
    number: str  # digits only
    luhn_ok: bool
    warning: str | None = None  # Chinese, shown next to the field; None when the check passes
    warning_en: str | None = None


def _compact(text: str) -> str:
    # NFKC folds full-width digits and U+3000; then drop spaces, dashes and invisible marks.
    folded = unicodedata.normalize("NFKC", text)
    return "".join(
        ch
        for ch in folded
        if not ch.isspace()
        and ch not in _EXTRA_DASHES
        and unicodedata.category(ch) not in ("Pd", "Cf")
    )


def luhn_ok(digits: str) -> bool:
    """True when ``digits`` (ASCII digits only) passes the Luhn (mod 10) check."""
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch)
        if position % 2 == 1:  # every second digit from the right is doubled
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def parse_bank_card(text: str) -> BankCard:
    """Parse a card or account number; raises :class:`InvalidBankCard` for non-digits or length."""
    number = _compact(text)
    if not number:
        raise InvalidBankCard("empty", "请填写银行卡号。", "Please enter the bank card number.")
    for ch in number:
        if not ("0" <= ch <= "9"):
            shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
            raise InvalidBankCard(
                "characters",
                f"银行卡号中不能包含“{shown}”，请只填写数字。",
                f"The bank card number cannot contain “{shown}”; please enter digits only.",
            )
    if not MIN_LENGTH <= len(number) <= MAX_LENGTH:
        raise InvalidBankCard(
            "length",
            f"银行卡号应为{MIN_LENGTH}到{MAX_LENGTH}位数字，现在是{len(number)}位，"
            "请对照银行卡或存折核对。",
            f"A bank card number has {MIN_LENGTH} to {MAX_LENGTH} digits; this one has "
            f"{len(number)}. Please check it against the card or passbook.",
        )
    if luhn_ok(number):
        return BankCard(number, True)
    return BankCard(number, False, LUHN_WARNING, LUHN_WARNING_EN)


def mask_bank_card(number: str) -> str:
    """``6222 **** **** 1234``: first 4 and last 4 digits, the same shape for every length.

    Accepts stored digits or a formatted number. A value of 8 digits or fewer (never a valid
    card) is masked completely, so a truncated number never prints in full.
    """
    digits = _compact(number)
    if len(digits) <= 8:
        return "*" * len(digits)
    return f"{digits[:4]} **** **** {digits[-4:]}"
