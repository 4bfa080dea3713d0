"""One interface for every kind of ID card reader, and the errors it raises.

``read_card()`` returns ``None`` when no card lies on the reader, a ``CardData`` when one was
read, and raises ``ReaderError`` (with words for the clerk in Chinese and English) when the
reader or the card failed. ``check()`` says what the reader is (for "test the reader").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from caseworker.devices.card import CardData, CardDataError, UnsupportedCard

# The kinds a desk may configure, with what each needs (a port, a library file).
SERIAL = "serial"
SDTAPI = "sdtapi"
TERMB = "termb"
READER_KINDS = (SERIAL, SDTAPI, TERMB)


class ReaderError(Exception):
    """The reader or the card failed; ``code`` for programs, messages for people."""

    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message = message
        self.message_en = message_en


def unreadable(error: CardDataError) -> ReaderError:
    """What the clerk is told when the card's data cannot be read as a card."""
    if isinstance(error, UnsupportedCard):
        return ReaderError(
            "card_type",
            f"此类证件（类型 {error.mark}）暂不能读取，请手工录入证件信息。",
            f"Cards of type {error.mark} cannot be read yet; type the card's details in.",
        )
    return ReaderError("card_data", "卡片内容无法识别，请重新放卡。", f"Unreadable card: {error}.")


@dataclass(frozen=True)
class ReaderStatus:
    kind: str
    port: str
    module: str  # what the reader says of its security module, e.g. the SAM id


class CardReader(Protocol):
    def read_card(self) -> CardData | None: ...

    def check(self) -> ReaderStatus: ...

    def close(self) -> None: ...


def open_reader(
    kind: str, port: str, library: str | None = None, *, timeout: float = 1.0
) -> CardReader:
    """The reader of ``kind`` on ``port`` (a serial device such as COM3 or /dev/ttyUSB0, or
    a vendor library's port number such as 1001 for the first USB reader)."""
    if kind == SERIAL:
        from caseworker.devices.serial_reader import SerialReader

        return SerialReader(port, timeout=timeout)
    if kind in (SDTAPI, TERMB):
        from caseworker.devices.vendor import open_vendor_reader

        if not library:
            raise ReaderError(
                "no_library",
                "请在设置中填写厂商读卡库文件（如 sdtapi.dll、termb.dll）的位置。",
                "Set the vendor library file (e.g. sdtapi.dll, termb.dll) in Settings.",
            )
        return open_vendor_reader(kind, Path(library), port)
    raise ReaderError(
        "unknown_kind",
        f"未知的读卡器类型“{kind}”，可选：{'、'.join(READER_KINDS)}。",
        f"Unknown reader kind {kind!r}; choose one of {', '.join(READER_KINDS)}.",
    )
