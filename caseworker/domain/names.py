"""Person names: Chinese names (incl. rare characters outside the BMP and minority names with
``·``) and foreigners' names in Latin letters.

Lengths are counted in code points (Python ``len``), so 𠮷 counts as one character.
"""

from __future__ import annotations

import unicodedata

from caseworker.domain.errors import InvalidValue
from caseworker.resources import load_json

__all__ = [
    "COMPOUND_SURNAMES",
    "MIDDLE_DOT",
    "InvalidName",
    "is_cjk_ideograph",
    "is_rare_character",
    "mask_name",
    "normalise_person_name",
    "split_surname",
]

MIDDLE_DOT = "\u00b7"
# Look-alikes input methods and copied documents produce for the dot in minority names.
# (U+FF65 and U+0387 are already folded by NFKC, U+FF0E becomes "."; listed for clarity.)
_DOT_LOOKALIKES = frozenset("\u30fb\uff65\u2022\u2027\u2219\u22c5\uff0e\u0387\u16eb\u2e31\ua78f.")
# Unified ideograph blocks: URO, Ext A, and the astral extensions B-I (U+20000-U+323AF).
_CJK_RANGES = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0x20000, 0x2A6DF),  # B
    (0x2A700, 0x2EE5F),  # C, D, E, F, I
    (0x30000, 0x323AF),  # G, H
)
# Variation selectors carry glyph choices the database and print fonts cannot keep.
_DROPPED = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0100, 0xE01F0))
_LATIN_PUNCTUATION = frozenset(" -'.")
_APOSTROPHES = frozenset("\u2019\u2018\u02bc\u00b4`")
CHINESE_LENGTH = (2, 30)
LATIN_LENGTH = (2, 60)

# Common two-character surnames (复姓): reference data, shared with the search keys.
COMPOUND_SURNAMES: frozenset[str] = frozenset(
    load_json("codes", "surname_readings.json")["compound"]
)


class InvalidName(InvalidValue):
    """Field ``name``; codes: empty, length, characters, dot."""

    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__("name", code, message)
        self.message_en = message_en


def is_cjk_ideograph(ch: str) -> bool:
    cp = ord(ch)
    return cp == 0x3007 or any(low <= cp <= high for low, high in _CJK_RANGES)  # 〇 too


def is_rare_character(ch: str) -> bool:
    """Outside the BMP or in CJK Extension A: many fonts and older systems lack these."""
    cp = ord(ch)
    return cp > 0xFFFF or 0x3400 <= cp <= 0x4DBF


def _is_latin_letter(ch: str) -> bool:
    # U+A78F LATIN LETTER SINIC DOT is a "letter" but here it is a dot look-alike.
    return (
        ch.isalpha() and ch not in _DOT_LOOKALIKES and unicodedata.name(ch, "").startswith("LATIN ")
    )


def _shown(ch: str) -> str:
    return ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"


def _bad_character(ch: str) -> InvalidName:
    return InvalidName(
        "characters",
        f"姓名中不能包含“{_shown(ch)}”，请按身份证或护照上的姓名填写。",
        f"The name cannot contain “{_shown(ch)}”; enter it as on the ID card or passport.",
    )


def normalise_person_name(text: str) -> str:
    """Normalise a typed name or raise :class:`InvalidName`.

    Chinese names lose all whitespace and get ``·`` as their only dot; Latin names are
    upper-cased with single spaces.
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(
        ch for ch in folded if ord(ch) not in _DROPPED and unicodedata.category(ch) != "Cf"
    ).strip()
    if not folded:
        raise InvalidName("empty", "请填写姓名。", "Please enter the name.")
    has_cjk = any(is_cjk_ideograph(ch) for ch in folded)
    latin = next((ch for ch in folded if _is_latin_letter(ch)), None)
    if has_cjk and latin is not None:
        raise InvalidName(
            "characters",
            f"姓名中不能同时有汉字和字母（“{latin}”），请按证件填写中文姓名或外文姓名之一。",
            f"The name mixes Chinese characters and Latin letters (“{latin}”); enter either "
            "the Chinese or the foreign name as on the document.",
        )
    if has_cjk:
        return _chinese_name(folded)
    if latin is not None:
        return _latin_name(folded)
    raise _bad_character(next(ch for ch in folded if not ch.isspace()))


def _chinese_name(folded: str) -> str:
    chars: list[str] = []
    for ch in folded:
        if ch.isspace():
            continue  # input methods insert spaces; Chinese names never contain one
        if ch in _DOT_LOOKALIKES or ch == MIDDLE_DOT:
            chars.append(MIDDLE_DOT)
        elif is_cjk_ideograph(ch):
            chars.append(ch)
        else:
            raise _bad_character(ch)
    name = "".join(chars)
    if name.startswith(MIDDLE_DOT) or name.endswith(MIDDLE_DOT) or MIDDLE_DOT * 2 in name:
        raise InvalidName(
            "dot",
            "姓名中的“·”只能写在两个字之间，不能在开头、结尾或连写两个，请核对。",
            "The dot “·” may only stand between two characters, not at the start or end "
            "or twice in a row. Please check the name.",
        )
    low, high = CHINESE_LENGTH
    if len(name) < low:
        raise InvalidName(
            "length",
            "姓名只有一个字，不是完整的姓名，请填写姓和名。",
            "The name has only one character, which is not a full name; enter the surname "
            "and the given name.",
        )
    if len(name) > high:
        raise InvalidName(
            "length",
            f"姓名最多{high}个字，现在是{len(name)}个，请核对。",
            f"A name has at most {high} characters; this one has {len(name)}. Please check it.",
        )
    return name


def _latin_name(folded: str) -> str:
    chars: list[str] = []
    for ch in folded:
        if ch.isspace():
            ch = " "
        elif ch in _APOSTROPHES:
            ch = "'"
        elif unicodedata.category(ch) == "Pd" or ch == "\u2212":
            ch = "-"
        elif not (_is_latin_letter(ch) or ch in _LATIN_PUNCTUATION):
            raise _bad_character(ch)
        chars.append(ch)
    name = " ".join("".join(chars).upper().split())  # collapse runs of spaces
    low, high = LATIN_LENGTH
    if not low <= len(name) <= high:
        raise InvalidName(
            "length",
            f"外文姓名应为{low}到{high}个字符，现在是{len(name)}个，请按护照核对。",
            f"A foreign name has {low} to {high} characters; this one has {len(name)}. "
            "Please check it against the passport.",
        )
    return name


def split_surname(name: str) -> tuple[str, str]:
    """Surname and given name of a normalised name.

    A known compound surname counts when at least one character follows it; otherwise the
    surname is the first character. Names with ``·`` (minority names) and Latin names have no
    surname to split off: ``("", name)``.
    """
    if MIDDLE_DOT in name or not name or not is_cjk_ideograph(name[0]):
        return "", name
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def mask_name(name: str) -> str:
    """Surname and one ``*`` per given-name character, for telling a clerk who is meant
    without disclosing the name: ``欧阳娜娜`` → ``欧阳**``, ``王秀英`` → ``王**``.

    Names without a surname to split (minority names with ``·``, Latin names) keep their
    first character only: ``阿依古丽·买买提`` → ``阿*******``.
    """
    surname, given = split_surname(name)
    if not surname:
        return name[:1] + "*" * max(len(name) - 1, 0)
    return surname + "*" * len(given)
