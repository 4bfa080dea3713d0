"""The vendors' reader libraries, loaded with ctypes: the sdtapi family (``SDT_*``, the
raw text block, like the serial protocol) and the termb family (``CVR_*`` plus one getter
per field, GBK text). Both are Windows DLLs on the desks (stdcall); elsewhere (and in the
tests, which build a small library with synthetic data) they are loaded as C libraries.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from caseworker.devices.card import (
    LONG_TERM,
    PHOTO_SIZE,
    TEXT_SIZE,
    CardData,
    CardDataError,
    CardKind,
    ethnicity_code,
    parse_text_block,
)
from caseworker.devices.reader import SDTAPI, TERMB, ReaderError, ReaderStatus, unreadable

DONE, FOUND, NO_CARD, NO_CONTENT = 0x90, 0x9F, 0x80, 0x91


def _load(path: Path) -> ctypes.CDLL:
    if not path.is_file():
        raise ReaderError(
            "no_library",
            f"找不到读卡库文件 {path}，请在设置中检查路径。",
            f"The reader library {path} does not exist; check the path in Settings.",
        )
    try:
        if sys.platform == "win32":
            return ctypes.WinDLL(str(path))  # type: ignore[attr-defined]
        return ctypes.CDLL(str(path))
    except OSError as error:
        raise ReaderError(
            "bad_library",
            f"无法加载读卡库 {path}（是否与本程序的位数一致？）。",
            f"Cannot load the reader library {path} ({error}); is it 32/64-bit like the app?",
        ) from None


def _function(library: ctypes.CDLL, name: str, *argtypes: object) -> Callable[..., int]:
    try:
        function = getattr(library, name)
    except AttributeError:
        raise ReaderError(
            "bad_library",
            f"读卡库中没有函数 {name}：所选读卡器类型与库文件不符。",
            f"The library has no function {name}: the reader kind does not match the library.",
        ) from None
    function.argtypes = list(argtypes)
    function.restype = ctypes.c_int
    return function


def _port_number(port: str) -> int:
    try:
        return int(port)
    except ValueError:
        raise ReaderError(
            "port",
            f"厂商读卡库的端口应为数字（USB 读卡器一般为 1001），而不是“{port}”。",
            f"A vendor library's port is a number (1001 for the first USB reader), not {port!r}.",
        ) from None


def _failed(what: str, status: int) -> ReaderError:
    return ReaderError(
        what, f"读卡器返回错误（{what}，状态 0x{status:02X}）。", f"{what} failed (0x{status:02X})."
    )


class SdtapiReader:
    """``SDT_OpenPort`` / ``SDT_StartFindIDCard`` / ``SDT_SelectIDCard`` / ``SDT_ReadBaseMsg``."""

    def __init__(self, library: Path, port: str) -> None:
        lib = _load(library)
        p, i, u = ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_uint)
        self._open = _function(lib, "SDT_OpenPort", i)
        self._close = _function(lib, "SDT_ClosePort", i)
        self._sam_status = _function(lib, "SDT_GetSAMStatus", i, i)
        self._sam_id = _function(lib, "SDT_GetSAMIDToStr", i, p, i)
        self._find = _function(lib, "SDT_StartFindIDCard", i, p, i)
        self._select = _function(lib, "SDT_SelectIDCard", i, p, i)
        self._read = _function(lib, "SDT_ReadBaseMsg", i, p, u, p, u, i)
        self._latest = _function(lib, "SDT_ReadNewAppMsg", i, p, u, i)
        self.port = port
        self._port = _port_number(port)
        status = self._open(self._port)
        if status != DONE:
            raise ReaderError(
                "port",
                f"读卡库无法打开端口 {port}（状态 0x{status:02X}），请检查连接和端口。",
                f"The library cannot open port {port} (0x{status:02X}); check cable and port.",
            )

    def close(self) -> None:
        self._close(self._port)

    def check(self) -> ReaderStatus:
        status = self._sam_status(self._port, 0)
        if status != DONE:
            raise _failed("sam", status)
        buffer = ctypes.create_string_buffer(128)
        self._sam_id(self._port, buffer, 0)
        return ReaderStatus(
            kind=SDTAPI, port=self.port, module=buffer.value.decode("ascii", "replace")
        )

    def read_card(self) -> CardData | None:
        scratch = ctypes.create_string_buffer(8)
        status = self._find(self._port, scratch, 0)
        if status == NO_CARD:
            return None
        if status != FOUND:
            raise _failed("find", status)
        status = self._select(self._port, scratch, 0)
        if status != DONE:
            raise _failed("select", status)
        text, photo = (
            ctypes.create_string_buffer(TEXT_SIZE),
            ctypes.create_string_buffer(PHOTO_SIZE * 2),
        )
        text_size, photo_size = ctypes.c_uint(0), ctypes.c_uint(0)
        status = self._read(
            self._port, text, ctypes.byref(text_size), photo, ctypes.byref(photo_size), 0
        )
        if status != DONE:
            raise _failed("read", status)
        block = text.raw[: text_size.value]
        latest = ""
        app, app_size = ctypes.create_string_buffer(TEXT_SIZE), ctypes.c_uint(0)
        if self._latest(self._port, app, ctypes.byref(app_size), 0) == DONE:
            latest = app.raw[: min(app_size.value, 70)].decode("utf-16-le", "replace").strip(" \0")
        try:
            return parse_text_block(block, photo_size=photo_size.value, latest_address=latest)
        except CardDataError as error:
            raise unreadable(error) from None


class TermbReader:
    """``CVR_InitComm`` / ``CVR_Authenticate`` / ``CVR_Read_Content`` and the field getters."""

    GETTERS = (
        ("name", "GetPeopleName"),
        ("sex", "GetPeopleSex"),
        ("nation", "GetPeopleNation"),
        ("birth", "GetPeopleBirthday"),
        ("address", "GetPeopleAddress"),
        ("id_number", "GetPeopleIDCode"),
        ("authority", "GetDepartment"),
        ("valid_from", "GetStartDate"),
        ("valid_to", "GetEndDate"),
    )

    def __init__(self, library: Path, port: str) -> None:
        lib = _load(library)
        i, p, ip = ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)
        self._init = _function(lib, "CVR_InitComm", i)
        self._close = _function(lib, "CVR_CloseComm")
        self._authenticate = _function(lib, "CVR_Authenticate")
        self._read = _function(lib, "CVR_Read_Content", i)
        self._getters = {key: _function(lib, name, p, ip) for key, name in self.GETTERS}
        self.port = port
        status = self._init(_port_number(port))
        if status != 1:
            raise ReaderError(
                "port",
                f"读卡库无法打开端口 {port}（返回 {status}），请检查连接和端口。",
                f"The library cannot open port {port} (returned {status}); check cable and port.",
            )

    def close(self) -> None:
        self._close()

    def check(self) -> ReaderStatus:
        return ReaderStatus(kind=TERMB, port=self.port, module="")

    def _field(self, key: str) -> str:
        buffer, size = ctypes.create_string_buffer(256), ctypes.c_int(256)
        if self._getters[key](buffer, ctypes.byref(size)) != 1:
            raise ReaderError("read", "读卡失败，请重新放卡。", f"Reading {key} failed.")
        return (
            buffer.raw[: max(0, min(size.value, 256))]
            .split(b"\0")[0]
            .decode("gbk", "replace")
            .strip()
        )

    def read_card(self) -> CardData | None:
        if self._authenticate() != 1:
            return None  # the library says "no card" and "card not authenticated" alike
        status = self._read(1)
        if status != 1:
            raise ReaderError(
                "read", "读卡失败，请重新放卡。", f"Reading the card failed ({status})."
            )
        f = {key: self._field(key) for key, _name in self.GETTERS}
        number = f["id_number"].upper()
        try:
            return CardData(
                kind=CardKind.FOREIGN if number[:1].isalpha() else CardKind.RESIDENT,
                id_number=number,
                name=f["name"],
                sex={"男": "1", "女": "2"}.get(f["sex"], f["sex"]),
                birth_date=_vendor_date(f["birth"]),
                valid_from=_vendor_date(f["valid_from"]),
                valid_to=None
                if f["valid_to"].startswith(LONG_TERM)
                else _vendor_date(f["valid_to"]),
                authority=f["authority"],
                address=f["address"],
                ethnicity=ethnicity_code(f["nation"]),
                ethnicity_raw=f["nation"],
            )
        except CardDataError as error:
            raise unreadable(error) from None


def _vendor_date(text: str) -> date:
    """termb libraries write 19860314 or 1986-03-14 or 1986.03.14."""
    digits = "".join(ch for ch in text if ch.isdigit())
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise CardDataError(f"{text!r} is not a date") from None


def open_vendor_reader(kind: str, library: Path, port: str) -> SdtapiReader | TermbReader:
    return SdtapiReader(library, port) if kind == SDTAPI else TermbReader(library, port)
