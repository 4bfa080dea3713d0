"""The reader on a serial port (USB readers show up as one), through pyserial."""

from __future__ import annotations

import serial

from caseworker.devices import frames
from caseworker.devices.card import PHOTO_SIZE, TEXT_SIZE, CardData, CardDataError, parse_text_block
from caseworker.devices.reader import SERIAL, ReaderError, ReaderStatus, unreadable

BAUD = 115200
ADDRESS_SIZE = 70  # the latest address: one UCS-2 field as wide as the printed one


def _failed(status: int, code: str) -> ReaderError:
    zh, en = frames.status_words(status)
    return ReaderError(code, f"{zh}（状态 0x{status:02X}）。", f"{en} (status 0x{status:02X}).")


class SerialReader:
    def __init__(self, port: str, *, timeout: float = 1.0) -> None:
        self.port = port
        try:
            self.serial = serial.Serial(port, BAUD, timeout=timeout)
        except (serial.SerialException, OSError) as error:
            raise ReaderError(
                "port",
                f"无法打开读卡器端口 {port}：请检查连接和设置中的端口。",
                f"Cannot open the reader's port {port} ({error}); check the cable and the "
                "port in Settings.",
            ) from None

    def close(self) -> None:
        self.serial.close()

    # ------------------------------------------------------------------ frames

    def ask(self, command: tuple[int, int]) -> frames.Reply:
        """Send one command and read its whole reply."""
        try:
            self.serial.reset_input_buffer()  # a stale half-frame must not answer this one
            self.serial.write(frames.command_frame(*command))
            return frames.parse_reply(self._read_frame())
        except frames.FrameError as error:
            if error.code == "checksum":
                raise ReaderError(
                    "checksum",
                    "读卡器回复的校验和不对，请把卡片重新放好再读。",
                    "The reader's reply had a bad checksum; place the card again.",
                ) from None
            raise ReaderError(
                "incomplete",
                "读卡器回复不完整（卡片是否在读取中被拿开？），请把卡片重新放好。",
                "The reader's reply was cut short (was the card lifted while reading?); "
                "place the card again.",
            ) from None
        except (serial.SerialException, OSError):
            raise ReaderError(
                "port",
                f"读卡器端口 {self.port} 断开了，请检查连接。",
                f"The reader's port {self.port} went away; check the cable.",
            ) from None

    def _read_frame(self) -> bytes:
        header = frames.HEADER
        seen = b""
        while not seen.endswith(header):
            byte = self.serial.read(1)
            if not byte:
                raise frames.FrameError("incomplete", "no reply")
            seen = (seen + byte)[-len(header) :]
        length_bytes = self.serial.read(2)
        if len(length_bytes) < 2:
            raise frames.FrameError("incomplete", "reply stops after its header")
        length = int.from_bytes(length_bytes, "big")
        body = self.serial.read(length)
        if len(body) < length:
            raise frames.FrameError("incomplete", f"{len(body)} of {length} bytes")
        return header + length_bytes + body

    # ------------------------------------------------------------------ the interface

    def check(self) -> ReaderStatus:
        """The security module's state and id; a module that fails is reset once first."""
        status = self.ask(frames.SAM_STATUS)
        if status.status != frames.DONE:
            self.ask(frames.SAM_RESET)
            status = self.ask(frames.SAM_STATUS)
            if status.status != frames.DONE:
                raise _failed(status.status, "sam")
        sam = self.ask(frames.SAM_ID)
        module = sam.data.hex().upper() if sam.status == frames.DONE else ""
        return ReaderStatus(kind=SERIAL, port=self.port, module=module)

    def read_card(self) -> CardData | None:
        found = self.ask(frames.FIND)
        if found.status == 0x80:
            return None
        if found.status != frames.FOUND:
            raise _failed(found.status, "find")
        selected = self.ask(frames.SELECT)
        if selected.status != frames.DONE:
            raise _failed(selected.status, "select")
        content = self.ask(frames.READ_TEXT_PHOTO)
        if content.status != frames.DONE:
            raise _failed(content.status, "read")
        data = content.data
        text_size = int.from_bytes(data[0:2], "big")
        photo_size = int.from_bytes(data[2:4], "big")
        if text_size != TEXT_SIZE or len(data) < 4 + text_size + photo_size:
            raise ReaderError(
                "layout",
                "读卡器返回的卡片数据长度不对，请重新放卡；仍不行请联系维护人员。",
                f"The card data has an unexpected size (text {text_size}, photo "
                f"{photo_size}, expected {TEXT_SIZE} and {PHOTO_SIZE}); place the card again.",
            )
        text = data[4 : 4 + text_size]
        try:
            card = parse_text_block(text, photo_size=photo_size)
        except CardDataError as error:
            raise unreadable(error) from None
        # The photo block (data[4 + text_size:]) is dropped here: nothing decodes WLT openly.
        if card.kind.value != "resident":
            return card
        latest = self.ask(frames.READ_LATEST_ADDRESS)
        if latest.status == frames.DONE and latest.data:
            address = latest.data[:ADDRESS_SIZE].decode("utf-16-le", "replace").strip(" \0")
            return parse_text_block(text, photo_size=photo_size, latest_address=address)
        return card
