"""What an ID card holds, as the readers return it: the 256-byte text block (UCS-2
little-endian, fixed widths, space-padded) of the second-generation resident card, of the
Hong Kong/Macau/Taiwan residence permit and of the 2017 foreign permanent resident card.

The photo (1,024 bytes, WLT) needs a vendor decoder that is not open: only its size is kept,
and the raw block never leaves the reader code (it is neither stored nor printed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from caseworker.domain.codes import load_code_table

TEXT_SIZE = 256
PHOTO_SIZE = 1024
LONG_TERM = "长期"


class CardKind(StrEnum):
    RESIDENT = "resident"  # 居民身份证
    PERMIT = "residence_permit"  # 港澳台居民居住证 (type mark J)
    FOREIGN = "foreign_permanent"  # 外国人永久居留身份证, 2017 layout (type mark I)


# Field widths in bytes (two per character), in card order.
RESIDENT_LAYOUT = (
    ("name", 30),
    ("sex", 2),
    ("ethnicity", 4),
    ("birth", 16),
    ("address", 70),
    ("id_number", 36),
    ("authority", 30),
    ("valid_from", 16),
    ("valid_to", 16),
    ("reserved", 36),
)
# The residence permit keeps the resident layout; its reserved part holds the pass number,
# the issue count and the type mark.
PERMIT_RESERVED = (
    ("pass_number", 18),
    ("issue_count", 4),
    ("unused", 6),
    ("type", 2),
    ("tail", 6),
)
FOREIGN_LAYOUT = (
    ("name_en", 120),
    ("sex", 2),
    ("id_number", 30),
    ("nationality", 6),  # ISO 3166-1 alpha-3
    ("name", 30),  # Chinese name, may be blank
    ("valid_from", 16),
    ("valid_to", 16),
    ("birth", 16),
    ("version", 4),
    ("authority", 8),  # code of the accepting authority
    ("type", 2),
    ("reserved", 6),
)
TYPE_MARK_OFFSET = 248  # the card type character sits here in both layouts
TYPE_MARKS = {"I": CardKind.FOREIGN, "J": CardKind.PERMIT}


class CardDataError(ValueError):
    """A text block that is not a card's (wrong size, a date that is no date)."""


class UnsupportedCard(CardDataError):
    """A card of a kind whose layout we do not read (e.g. type mark Y, the 2023 foreigners'
    card): said as such, never parsed as a resident's card."""

    def __init__(self, mark: str) -> None:
        super().__init__(f"card type {mark!r} is not supported")
        self.mark = mark


@dataclass(frozen=True)
class CardData:
    kind: CardKind
    id_number: str
    name: str
    sex: str  # GB/T 2261.1: 1 male, 2 female
    birth_date: date
    valid_from: date
    valid_to: date | None  # None: long-term (长期)
    authority: str
    address: str = ""  # printed on the card (resident card, permit)
    latest_address: str = ""  # the "latest address" written after a move, if any
    ethnicity: str | None = None  # GB 3304 code (resident card)
    ethnicity_raw: str = ""  # as the card or library said it
    name_en: str = ""  # foreign card
    nationality: str = ""  # foreign card, ISO 3166-1 alpha-3
    photo_size: int = 0  # bytes of the WLT photo block (the block itself is never kept)

    @property
    def hukou_address(self) -> str:
        """The address in force: the latest one written after a move, else the printed one."""
        return self.latest_address or self.address

    def expired_on(self, day: date) -> bool:
        return self.valid_to is not None and self.valid_to < day

    def display_name(self) -> str:
        return self.name or self.name_en

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON (`caseworker card read --json`); the photo by size only."""
        return {
            "kind": self.kind.value,
            "id_number": self.id_number,
            "name": self.name,
            "name_en": self.name_en,
            "sex": self.sex,
            "ethnicity": self.ethnicity,
            "ethnicity_raw": self.ethnicity_raw,
            "nationality": self.nationality,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "latest_address": self.latest_address,
            "authority": self.authority,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else LONG_TERM,
            "photo_bytes": self.photo_size,
        }


def ethnicity_code(text: str) -> str | None:
    """The GB 3304-1991 code of what a card or a vendor library says: the card holds the
    two-digit code itself; libraries often hand back the name (汉 or 汉族). Read from the
    standard's table under resources/codes, never from a reader SDK's list."""
    table = load_code_table("ethnic_group")
    value = text.strip()
    if not value:
        return None
    if value.isdigit():
        code = value.zfill(2)
        return code if code in table else None
    entry = table.find_by_name(value) or table.find_by_name(value + "族")
    return entry.code if entry else None


def _fields(block: bytes, layout: tuple[tuple[str, int], ...]) -> dict[str, str]:
    values, offset = {}, 0
    for name, width in layout:
        values[name] = block[offset : offset + width].decode("utf-16-le", "replace").strip(" \0")
        offset += width
    return values


def _date(text: str, what: str) -> date:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise CardDataError(f"{what}: {text!r} is not a date (YYYYMMDD)") from None


def card_kind(block: bytes) -> CardKind:
    mark = block[TYPE_MARK_OFFSET : TYPE_MARK_OFFSET + 2].decode("utf-16-le", "replace")
    if mark in TYPE_MARKS:
        return TYPE_MARKS[mark]
    if mark.isascii() and mark.isalpha():
        raise UnsupportedCard(mark)  # a resident's card holds spaces there
    return CardKind.RESIDENT


def parse_text_block(block: bytes, *, photo_size: int = 0, latest_address: str = "") -> CardData:
    """A card's text block as a ``CardData``; raises ``CardDataError`` for a bad block."""
    if len(block) != TEXT_SIZE:
        raise CardDataError(f"text block of {len(block)} bytes, expected {TEXT_SIZE}")
    kind = card_kind(block)
    if kind is CardKind.FOREIGN:
        f = _fields(block, FOREIGN_LAYOUT)
        address, ethnicity, raw_ethnicity = "", None, ""
    else:
        f = _fields(block, RESIDENT_LAYOUT)
        address, raw_ethnicity = f["address"], f["ethnicity"]
        ethnicity = ethnicity_code(raw_ethnicity)
    valid_to = f["valid_to"]
    return CardData(
        kind=kind,
        id_number=f["id_number"].upper(),
        name=f["name"],
        sex=f["sex"],
        birth_date=_date(f["birth"], "birth date"),
        valid_from=_date(f["valid_from"], "valid from"),
        valid_to=None if valid_to.startswith(LONG_TERM) else _date(valid_to, "valid to"),
        authority=f["authority"],
        address=address,
        latest_address=latest_address,
        ethnicity=ethnicity,
        ethnicity_raw=raw_ethnicity,
        name_en=f.get("name_en", ""),
        nationality=f.get("nationality", ""),
        photo_size=photo_size,
    )


def _encode(values: dict[str, str], layout: tuple[tuple[str, int], ...]) -> bytes:
    out = b""
    for name, width in layout:
        raw = values.get(name, "").encode("utf-16-le")[:width]
        out += raw + " ".encode("utf-16-le") * ((width - len(raw)) // 2)
    return out


def encode_text_block(card: CardData) -> bytes:
    """The text block a reader would return for ``card`` (synthetic cards: the simulator,
    tests and the demo)."""
    values = {
        "name": card.name,
        "name_en": card.name_en,
        "sex": card.sex,
        "ethnicity": card.ethnicity or "",
        "birth": card.birth_date.strftime("%Y%m%d"),
        "address": card.address,
        "id_number": card.id_number,
        "authority": card.authority,
        "nationality": card.nationality,
        "valid_from": card.valid_from.strftime("%Y%m%d"),
        "valid_to": card.valid_to.strftime("%Y%m%d") if card.valid_to else LONG_TERM,
        "version": "20",
    }
    if card.kind is CardKind.FOREIGN:
        return _encode(values | {"type": "I"}, FOREIGN_LAYOUT)
    block = _encode(values, RESIDENT_LAYOUT[:-1])
    if card.kind is CardKind.PERMIT:
        return block + _encode({"type": "J"}, PERMIT_RESERVED)
    return block + _encode({}, (("reserved", 36),))
