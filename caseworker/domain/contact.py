"""Phone numbers as clerks type them: mainland mobiles and landlines with an area code.

Input is folded the way a Chinese input method delivers it (full-width digits, ideographic
spaces, any kind of dash, brackets around the area code) before it is checked.
Normalised forms: mobiles ``13812345678``; landlines ``010-12345678``, ``0512-6543210`` and,
with an extension, ``010-12345678-123``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from caseworker.domain.errors import InvalidValue

__all__ = [
    "InvalidPhone",
    "Phone",
    "parse_landline",
    "parse_mobile",
    "parse_phone",
    "phone_digits",
]

# Input-method "dashes" outside Unicode category Pd: minus sign, katakana long-vowel mark.
_EXTRA_DASHES = frozenset("\u2212\u30fc")
_BRACKETS = frozenset("()[]【】〔〕")
# An extension marker followed by its digits, at the end: 转123, 分机 123, ext.123, x123, #123.
_EXTENSION_RE = re.compile(r"(?:转|分机|ext\.?|x|#|,)\s*(\d{1,6})\s*$", re.IGNORECASE)
_GROUP_SPLIT_RE = re.compile(r"\D+")


class InvalidPhone(InvalidValue):
    """Field ``phone``; codes: empty, characters, length, prefix, area_code."""

    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__("phone", code, message)
        self.message_en = message_en


@dataclass(frozen=True, slots=True)
class Phone:
    number: str  # normalised, see the module docstring
    kind: Literal["mobile", "landline"]


def _fold(text: str) -> str:
    # NFKC turns full-width digits, ＋ and （）into ASCII; U+3000 becomes a plain space.
    return unicodedata.normalize("NFKC", text)


def _compact(text: str) -> str:
    """Drop spaces, dashes, brackets and invisible marks from folded text."""
    return "".join(
        ch
        for ch in text
        if not ch.isspace()
        and ch not in _EXTRA_DASHES
        and ch not in _BRACKETS
        and unicodedata.category(ch) not in ("Pd", "Cf")
    )


def _shown(ch: str) -> str:
    return ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"


def _strip_country_code(digits: str) -> str:
    # +86 / 0086 are unambiguous; a bare 86 only when it makes a 13-digit mobile.
    if digits.startswith("+86"):
        return digits[3:]
    if digits.startswith("0086"):
        return digits[4:]
    if len(digits) == 13 and digits.startswith("86"):
        return digits[2:]
    return digits


def _check_characters(compact: str) -> None:
    for ch in compact:
        if not ("0" <= ch <= "9"):
            raise InvalidPhone(
                "characters",
                f"电话号码中不能包含“{_shown(ch)}”，请只填写数字。",
                f"The phone number cannot contain “{_shown(ch)}”; please enter digits only.",
            )


def _empty() -> InvalidPhone:
    return InvalidPhone("empty", "请填写电话号码。", "Please enter a phone number.")


def parse_mobile(text: str) -> str:
    """Return the 11-digit mainland mobile number, or raise :class:`InvalidPhone`."""
    compact = _compact(_fold(text))
    if not compact:
        raise _empty()
    if compact.startswith("+") and not compact.startswith("+86"):
        raise InvalidPhone(
            "prefix",
            "只能填写中国大陆手机号（+86），境外号码请写在备注中。",
            "Only mainland China mobile numbers (+86) are accepted; put foreign numbers in "
            "the notes.",
        )
    digits = _strip_country_code(compact)
    _check_characters(digits)
    if len(digits) != 11:
        raise InvalidPhone(
            "length",
            f"手机号应为11位数字，现在是{len(digits)}位，请核对。",
            f"A mobile number has 11 digits; this one has {len(digits)}. Please check it.",
        )
    if not re.fullmatch(r"1[3-9]\d{9}", digits):
        raise InvalidPhone(
            "prefix",
            "手机号应以13至19开头，请核对前两位。",
            "A mobile number starts with 13 to 19; please check the first two digits.",
        )
    return digits


def _area_code_length(digits: str) -> int:
    """3 for 010 and 020-029, 4 for 0[3-9]xx, 0 if this cannot be an area code."""
    if digits.startswith(("010", "02")):
        return 3
    if re.match(r"0[3-9]", digits):
        return 4
    return 0


def _split_landline(digits: str) -> tuple[str, str] | None:
    """Split area code + local number if the lengths fit (local: 7-8 digits, not 0 first)."""
    size = _area_code_length(digits)
    local = digits[size:]
    if size and 7 <= len(local) <= 8 and local[0] != "0":
        return digits[:size], local
    return None


def parse_landline(text: str) -> str:
    """Return ``区号-号码[-分机]``, e.g. ``0512-6543210``, or raise :class:`InvalidPhone`."""
    folded = _fold(text).strip()
    extension = ""
    marked = _EXTENSION_RE.search(folded)
    if marked:
        extension, folded = marked.group(1), folded[: marked.start()]
    compact = _compact(folded)
    if not compact:
        raise _empty()
    digits = _strip_country_code(compact)
    if digits != compact and not digits.startswith("0"):
        digits = "0" + digits  # +86 10 12345678: the trunk 0 is dropped after the country code
    _check_characters(digits)
    if not digits.startswith("0"):
        raise InvalidPhone(
            "area_code",
            "固定电话请带上区号，如 0512-6543210；手机号应为11位。",
            "Please include the area code, e.g. 0512-6543210; a mobile number has 11 digits.",
        )
    if not _area_code_length(digits):
        raise InvalidPhone(
            "area_code",
            f"“{digits[:4]}”不是有效的区号，区号如 010、0512，请核对。",
            f"“{digits[:4]}” is not a valid area code (e.g. 010, 0512); please check it.",
        )
    split = _split_landline(digits)
    if split is None and not extension:
        # "010-12345678-123": a last group of digits after a separator may be the extension.
        groups = [g for g in _GROUP_SPLIT_RE.split(folded) if g]
        if len(groups) >= 3 and len(groups[-1]) <= 6:
            split = _split_landline(digits[: -len(groups[-1])])
            extension = groups[-1] if split else ""
    if split is None:
        raise InvalidPhone(
            "length",
            "固定电话应为区号加7到8位号码，如 010-12345678 或 0512-6543210，请核对。",
            "A landline is an area code plus a 7- or 8-digit number, e.g. 010-12345678 or "
            "0512-6543210. Please check it.",
        )
    return "-".join([*split, extension] if extension else split)


def parse_phone(text: str) -> Phone:
    """Mobile first, then landline; one error about the kind the digits point to."""
    try:
        return Phone(parse_mobile(text), "mobile")
    except InvalidPhone as mobile_error:
        try:
            return Phone(parse_landline(text), "landline")
        except InvalidPhone as landline_error:
            digits = _strip_country_code(_compact(_fold(text)))
            if digits.startswith("0") and mobile_error.code != "empty":
                raise landline_error from None
            if mobile_error.code in ("empty", "characters") or digits.startswith(("1", "+")):
                raise mobile_error from None
            raise InvalidPhone(
                "length",
                "请填写11位手机号（如 13812345678）或带区号的固定电话（如 0512-6543210）。",
                "Enter an 11-digit mobile number (e.g. 13812345678) or a landline with its "
                "area code (e.g. 0512-6543210).",
            ) from None


def phone_digits(text: str) -> str:
    """Only the digits, for search. A leading ``+86`` is dropped: stored numbers never have it."""
    folded = _fold(text).strip()
    if folded.startswith("+86"):
        folded = folded[3:]
    return "".join(ch for ch in folded if "0" <= ch <= "9")
