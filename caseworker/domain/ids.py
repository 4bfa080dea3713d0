"""Identity numbers (GB 11643-1999 and its relatives) and unified social credit codes (GB 32100).

Pure functions: parse what a clerk typed, normalise it, and say in plain words what is wrong.
The address code is deliberately not checked against a county list: it is historical and a
number keeps the code of the county that issued it, even after that county disappeared.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import mul

from caseworker.domain.dates import completed_years
from caseworker.domain.errors import InvalidValue

__all__ = [
    "IdKind",
    "IdNumber",
    "InvalidIdNumber",
    "InvalidUscc",
    "Sex",
    "Uscc",
    "id_check_character",
    "make_id_number",
    "make_uscc",
    "mask_id_number",
    "parse_id_number",
    "parse_uscc",
    "uscc_check_character",
]


class Sex(StrEnum):
    """GB/T 2261.1 codes; an identity number only ever says male or female."""

    MALE = "1"
    FEMALE = "2"


class IdKind(StrEnum):
    MAINLAND = "mainland"
    HONG_KONG = "hong_kong"
    MACAU = "macau"
    TAIWAN = "taiwan"
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"


_DIGITS = frozenset("0123456789")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Province-level prefixes of GB/T 2260 on the mainland: where a foreigner's application can be
# accepted. 71 (Taiwan) is a GB/T 2260 code but no mainland office accepts applications there.
_MAINLAND_PROVINCES = frozenset(
    {*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55)}
    | {*range(61, 66)}
)
# What a citizen's number may start with: also 71, and 81/82/83 (HK/Macau/Taiwan residence
# permits, 2018, which exist only with 18 characters).
_PROVINCES = _MAINLAND_PROVINCES | {71, 81, 82, 83}
_KIND_BY_PREFIX = {"81": IdKind.HONG_KONG, "82": IdKind.MACAU, "83": IdKind.TAIWAN}
# A typo guard, not a fact. 1880 (not later) because the standard's own published example
# 440524188001010014 is born 1880-01-01 and must stay valid.
_EARLIEST_BIRTH = date(1880, 1, 1)
# Characters Chinese input methods produce as "dashes" that are not in Unicode category Pd.
_EXTRA_DASHES = frozenset("\u2212\u30fc")  # minus sign, katakana long-vowel mark


def _normalise(text: str) -> str:
    """Fold full-width forms (NFKC), drop spaces, dashes and invisible marks, upper-case."""
    if text.isascii() and text.isalnum():
        return text.upper()  # nothing to fold or drop: the usual case, at the desk and county
    folded = unicodedata.normalize("NFKC", text)
    kept = (
        ch
        for ch in folded
        if not ch.isspace()
        and ch not in _EXTRA_DASHES
        and unicodedata.category(ch) not in ("Pd", "Cf")
    )
    return "".join(kept).upper()


class InvalidIdNumber(InvalidValue):
    """An identity number that cannot be right; ``message`` is Chinese, ``message_en`` English.

    Codes: empty, length, characters, birth_date, checksum, region.
    """

    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__("id_number", code, message)
        self.message_en = message_en


@dataclass(frozen=True, slots=True)
class IdNumber:
    number: str
    kind: IdKind
    birth_date: date
    sex: Sex
    region_code: str
    upgraded_from: str | None = None
    # Foreign permanent residents only: GB/T 2659 nationality, numeric in the 2023 format
    # (positions 4-6), three letters in the 2017 format (positions 1-3).
    nationality_code: str | None = None

    def age_on(self, day: date) -> int:
        """Completed years on ``day`` (someone born 29 Feb turns a year older on 1 Mar)."""
        return completed_years(self.birth_date, day)

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)

    def __repr__(self) -> str:
        # Keep full numbers out of logs and tracebacks.
        return f"IdNumber(number={self.masked!r}, kind={self.kind.value!r})"


def id_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = sum(map(mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def make_id_number(region_code: str, birth_date: date, sequence: int) -> str:
    """Build a valid 18-character number (demo data and tests).

    For a foreign permanent resident pass ``"9" + province (2) + nationality (3)`` as
    ``region_code``. An odd ``sequence`` makes a man, an even one a woman.
    """
    if not 0 <= sequence <= 999:
        raise ValueError(f"sequence must be 0..999, got {sequence}")
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)


def mask_id_number(number: str) -> str:
    """Keep the first 4 and last 4 characters, e.g. ``3201**********123X``."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def _check_characters(number: str) -> None:
    if (
        len(number) == 18
        and number.isascii()
        and number[:17].isdigit()
        and (number[17].isdigit() or number[17] == "X")
    ):
        return  # the common case, checked in C; the loop below says what is wrong
    legacy = len(number) == 15
    foreign_2017 = legacy and set(number[:3]) <= _LETTERS
    for pos, ch in enumerate(number, start=1):
        if ch in _DIGITS or (ch == "X" and pos == 18) or (foreign_2017 and pos <= 3):
            continue
        if foreign_2017:
            zh = (
                "2017年版外国人永久居留身份证号码是3个字母加12位数字，"
                f"第{pos}位“{ch}”不对，请核对。"
            )
            en = (
                "A foreigner's residence number of 2017 has 3 letters and 12 digits; "
                f"character {pos} ({ch!r}) is wrong."
            )
        elif legacy:
            zh = f"旧版15位身份证号码只能是数字，第{pos}位“{ch}”不对，请核对。"
            en = f"An old 15-digit ID number has digits only; character {pos} ({ch!r}) is wrong."
        elif ch == "X":
            zh = f"身份证号码中的X只能在最后一位，现在在第{pos}位，请核对。"
            en = f"X may only be the last character of an ID number; it is at position {pos}."
        else:
            zh = f"身份证号码前17位只能是数字，最后一位是数字或X；第{pos}位“{ch}”不对，请核对。"
            en = (
                "An ID number has 17 digits followed by a digit or X; "
                f"character {pos} ({ch!r}) is wrong."
            )
        raise InvalidIdNumber("characters", zh, en)


def _birth_date(digits: str, today: date, where: str) -> date:
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    try:
        born = date(year, month, day)
    except ValueError:
        raise InvalidIdNumber(
            "birth_date",
            f"身份证号码中的出生日期{year}年{month}月{day}日不存在（第{where}位），请核对。",
            f"The birth date in the ID number ({digits}, characters {where}) "
            "is not a real date. Please check it.",
        ) from None
    if born > today:
        raise InvalidIdNumber(
            "birth_date",
            f"身份证号码中的出生日期{born.year}年{born.month}月{born.day}日晚于今天（第{where}位），请核对。",
            f"The birth date in the ID number ({born.isoformat()}) is in the future. "
            "Please check it.",
        )
    if born < _EARLIEST_BIRTH:
        raise InvalidIdNumber(
            "birth_date",
            f"身份证号码中的出生日期{born.year}年{born.month}月{born.day}日早于1880年（第{where}位），请核对。",
            f"The birth date in the ID number ({born.isoformat()}) is before 1880. "
            "Please check it.",
        )
    return born


def _check_province(prefix: str, *, foreign: bool = False, legacy: bool = False) -> None:
    allowed = _MAINLAND_PROVINCES if foreign else _PROVINCES
    if int(prefix) in allowed and not (legacy and prefix in _KIND_BY_PREFIX):
        return
    if foreign:
        zh = (
            f"外国人永久居留身份证号码中的受理地省份代码应为内地省份（不含71、81、82、83），"
            f"“{prefix}”不是，请核对。"
        )
        en = (
            f"The province of acceptance in a foreigner's residence number ({prefix}) must be a "
            "mainland province (not 71, 81, 82 or 83)."
        )
    elif legacy:
        zh = (
            f"15位的身份证号码只有1989年版的内地居民身份证号码，不会以“{prefix}”开头"
            "（港澳台居民居住证号码只有18位），请核对。"
        )
        en = (
            f"A 15-digit number is an old mainland ID number and never starts with {prefix} "
            "(residence permits for Hong Kong, Macau and Taiwan residents have 18 characters)."
        )
    else:
        zh = f"身份证号码前两位“{prefix}”不是有效的省份代码，请核对。"
        en = f"The first two digits of the ID number ({prefix}) are not a province code."
    raise InvalidIdNumber("region", zh, en + " Please check it.")


def _is_foreign_2017(number: str) -> bool:
    """3 Latin letters (the nationality) + 12 digits: the permanent residence card of 2017."""
    return len(number) == 15 and set(number[:3]) <= _LETTERS and set(number[3:]) <= _DIGITS


def _two_digit_year_birth(yymmdd: str, today: date) -> date:
    """A birth date written YYMMDD: in the latest century that does not put it after today."""
    digits = f"{today.year // 100}{yymmdd}"
    if digits > f"{today:%Y%m%d}":
        digits = f"{today.year // 100 - 1}{yymmdd}"
    return _birth_date(digits, today, "8–13")


def _parse_foreign_2017(number: str, today: date) -> IdNumber:
    """Nationality (3 letters, GB/T 2659) + place of acceptance (4 digits, its first two a
    mainland province) + birth date YYMMDD + one sequence digit (odd for a man) + a check digit.

    The layout follows public implementations, not a published standard: the check digit's
    algorithm is not checked, so such a number is accepted on its structure alone.
    """
    _check_province(number[3:5], foreign=True)
    born = _two_digit_year_birth(number[7:13], today)
    return IdNumber(
        number=number,
        kind=IdKind.FOREIGN_PERMANENT_RESIDENT,
        birth_date=born,
        sex=Sex.MALE if int(number[13]) % 2 else Sex.FEMALE,
        region_code=number[3:7] + "00",
        nationality_code=number[:3],
    )


def parse_id_number(text: str, *, today: date | None = None) -> IdNumber:
    """Parse and validate a citizen ID, HK/Macau/Taiwan residence permit or foreigner's
    permanent residence number (2023 format, or 2017's 3 letters + 12 digits).
    Raises :class:`InvalidIdNumber`.
    """
    today = today or date.today()
    number = _normalise(text)
    if not number:
        raise InvalidIdNumber("empty", "请输入身份证号码。", "Please enter the ID number.")
    if len(number) not in (15, 18):
        raise InvalidIdNumber(
            "length",
            f"身份证号码应为18位（或旧版15位），现在是{len(number)}位，请核对。",
            f"An ID number has 18 characters (or 15 on an old card); this one has "
            f"{len(number)}. Please check it.",
        )
    if _is_foreign_2017(number):
        return _parse_foreign_2017(number, today)
    _check_characters(number)

    upgraded_from: str | None = None
    if len(number) == 15:
        # GB 11643-1989 numbers have a two-digit year; all were issued to people born 19xx, and
        # only on the mainland: never a residence permit (81-83) nor a foreigner's number (9).
        if number[0] == "9":
            raise InvalidIdNumber(
                "region",
                "15位数字的号码不会以9开头：外国人永久居留身份证号码是以9开头的18位，"
                "或3个字母加12位数字，请核对。",
                "A 15-digit number never starts with 9: a foreigner's residence number has 18 "
                "characters starting with 9, or 3 letters and 12 digits. Please check it.",
            )
        _check_province(number[:2], legacy=True)
        born = _birth_date("19" + number[6:12], today, "7–12")
        upgraded_from = number
        first17 = number[:6] + "19" + number[6:]
        number = first17 + id_check_character(first17)
    else:
        born = _birth_date(number[6:14], today, "7–14")
        if id_check_character(number[:17]) != number[17]:
            # Never name the expected character: that turns a typo check into a forging aid.
            raise InvalidIdNumber(
                "checksum",
                "身份证号码的校验位（最后一位）与前面的数字对不上，"
                "可能有数字输错，请对照证件逐位核对。",
                "The check character (the last one) does not match the other digits; a digit "
                "was probably mistyped. Please re-check every digit against the card.",
            )

    foreign = number[0] == "9"
    if foreign:
        # 2023 format: 9 + province of acceptance (2) + nationality (3) + YYYYMMDD + seq (3)
        # + check. The province is the only address it carries, so it becomes the region.
        _check_province(number[1:3], foreign=True)
        kind = IdKind.FOREIGN_PERMANENT_RESIDENT
        region_code, nationality = number[1:3] + "0000", number[3:6]
    else:
        _check_province(number[:2])
        kind = _KIND_BY_PREFIX.get(number[:2], IdKind.MAINLAND)
        region_code, nationality = number[:6], None

    return IdNumber(
        number=number,
        kind=kind,
        birth_date=born,
        sex=Sex.MALE if int(number[16]) % 2 else Sex.FEMALE,
        region_code=region_code,
        upgraded_from=upgraded_from,
        nationality_code=nationality,
    )


# --- Unified social credit code (统一社会信用代码) -------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 0-9A-Z without I O Z S V
_USCC_INDEX = {ch: i for i, ch in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_AUTHORITIES = frozenset("123456789ANY")
# Letters left out of the alphabet because they look like digits: name the likely digit.
_USCC_LOOKALIKES = {"I": "1", "O": "0", "Z": "2", "S": "5"}


class InvalidUscc(InvalidValue):
    """Codes: empty, length, characters, checksum."""

    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__("credit_code", code, message)
        self.message_en = message_en


@dataclass(frozen=True, slots=True)
class Uscc:
    code: str
    registration_authority: str  # position 1
    organisation_type: str  # positions 1-2, e.g. "92" individual business
    region_code: str  # positions 3-8
    organisation_code: str  # positions 9-17


def uscc_check_character(first17: str) -> str:
    """ISO 7064 MOD 31-3 check character for the first 17 characters."""
    if len(first17) != 17 or not set(first17) <= _USCC_INDEX.keys():
        raise ValueError(f"need 17 characters from {_USCC_ALPHABET}, got {first17!r}")
    total = sum(_USCC_INDEX[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def make_uscc(authority_and_type: str, region_code: str, organisation_code: str) -> str:
    """Build a valid code from its 2 + 6 + 9 parts (demo data and tests)."""
    first17 = authority_and_type + region_code + organisation_code
    if len(authority_and_type) != 2 or len(region_code) != 6 or len(organisation_code) != 9:
        raise ValueError("parts must be 2, 6 and 9 characters long")
    return first17 + uscc_check_character(first17)


def parse_uscc(text: str) -> Uscc:
    """Parse and validate a unified social credit code. Raises :class:`InvalidUscc`."""
    code = _normalise(text)
    if not code:
        raise InvalidUscc("empty", "请输入统一社会信用代码。", "Please enter the credit code.")
    if len(code) != 18:
        raise InvalidUscc(
            "length",
            f"统一社会信用代码应为18位，现在是{len(code)}位，请核对。",
            f"A unified social credit code has 18 characters; this one has {len(code)}. "
            "Please check it.",
        )
    for pos, ch in enumerate(code, start=1):
        if ch in _USCC_INDEX:
            continue
        hint_zh = hint_en = ""
        if ch in _USCC_LOOKALIKES:
            digit = _USCC_LOOKALIKES[ch]
            hint_zh, hint_en = f"，可能是数字{digit}", f" (perhaps the digit {digit})"
        raise InvalidUscc(
            "characters",
            f"统一社会信用代码第{pos}位“{ch}”不是代码中会出现的字符{hint_zh}；"
            "代码只含数字和除I、O、Z、S、V以外的大写字母，请核对。",
            f"Character {pos} ({ch!r}) cannot occur in a credit code{hint_en}; codes use "
            "digits and capital letters except I, O, Z, S and V.",
        )
    if code[0] not in _USCC_AUTHORITIES:
        raise InvalidUscc(
            "characters",
            f"统一社会信用代码第1位（登记管理部门）应为1–9、A、N或Y，现在是“{code[0]}”，请核对。",
            f"The first character of a credit code (registration authority) must be 1-9, A, N "
            f"or Y, not {code[0]!r}.",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise InvalidUscc(
            "checksum",
            "统一社会信用代码的校验位（最后一位）与前面的字符对不上，"
            "可能有字符输错，请对照营业执照逐位核对。",
            "The check character (the last one) does not match the others; a character was "
            "probably mistyped. Please re-check every character against the licence.",
        )
    return Uscc(
        code=code,
        registration_authority=code[0],
        organisation_type=code[:2],
        region_code=code[2:8],
        organisation_code=code[8:17],
    )
