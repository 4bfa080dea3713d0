"""A simulated ID card reader on a pseudo-terminal pair, for tests, screenshots and demos.

Two pseudo-terminals joined by a relay thread, as ``socat`` would join them: the app opens
``port`` with pyserial as it would a USB reader, and the simulated reader answers on the
other end, also through pyserial. Cards are synthetic (``demo_card``), never a real person's.
POSIX only (the pty module); Windows desks test against the vendors' own demo tools.
"""

from __future__ import annotations

import os
import select
import threading
import tty
from dataclasses import dataclass, field, replace
from datetime import date

import serial

from caseworker.devices import frames
from caseworker.devices.card import PHOTO_SIZE, TEXT_SIZE, CardData, CardKind, encode_text_block
from caseworker.domain.ids import make_id_number

FAULTS = (
    "read_error",
    "removed",
    "bad_checksum",
    "sam_failure",
    "lifted_after_find",
    "garbled",
    "unknown_type",
)
SAM_ID = bytes.fromhex("0500000020261201000000010000002A")


class _PtyRelay:
    """Two pseudo-terminals whose master ends a thread copies into each other."""

    def __init__(self) -> None:
        self._pairs = [os.openpty(), os.openpty()]
        for _master, slave in self._pairs:
            tty.setraw(slave)  # no echo, no line editing, before anyone opens the ends
        self.paths = [os.ttyname(slave) for _master, slave in self._pairs]
        self._wake_read, self._wake_write = os.pipe()
        self._thread = threading.Thread(target=self._run, name="cw-pty-relay", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        (a, _), (b, _) = self._pairs
        other = {a: b, b: a}
        while True:
            ready, _, _ = select.select([a, b, self._wake_read], [], [])
            if self._wake_read in ready:
                return
            for fd in ready:
                try:
                    os.write(other[fd], os.read(fd, 4096))
                except OSError:
                    return

    def close(self) -> None:
        os.write(self._wake_write, b"x")
        self._thread.join()
        for fd in (self._wake_read, self._wake_write):
            os.close(fd)
        for master, slave in self._pairs:
            os.close(master)
            os.close(slave)


@dataclass
class SimulatedReader:
    """Answers the frame protocol for whatever card lies on it (``place`` / ``remove``)."""

    card: CardData | None = None
    fault: str | None = None
    commands: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._relay = _PtyRelay()
        self.port = self._relay.paths[0]
        self._serial = serial.Serial(self._relay.paths[1], 115200, timeout=0.05)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="cw-card-sim", daemon=True)
        self._thread.start()

    def place(self, card: CardData, fault: str | None = None) -> None:
        with self._lock:
            self.card, self.fault = card, fault

    def remove(self) -> None:
        with self._lock:
            self.card, self.fault = None, None

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._serial.close()
        self._relay.close()

    def __enter__(self) -> SimulatedReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ serving

    def _serve(self) -> None:
        buffer = b""
        while not self._stop.is_set():
            # Whatever has come (at least a byte, or nothing after 50 ms to look at the stop).
            buffer += self._serial.read(max(1, self._serial.in_waiting))
            start = buffer.find(frames.HEADER)
            if start < 0 or len(buffer) < start + len(frames.HEADER) + 5:
                continue
            frame = buffer[start : start + len(frames.HEADER) + 5]
            buffer = buffer[start + len(frames.HEADER) + 5 :]
            command = (frame[7], frame[8])
            with self._lock:
                self.commands.append(command)
                reply = self._answer(command, frames.checksum(frame[5:9]) == frame[9])
            if reply:
                self._serial.write(reply)

    def _answer(self, command: tuple[int, int], checksum_ok: bool) -> bytes:
        card, fault = self.card, self.fault
        if not checksum_ok:
            return frames.reply_frame(0x10)
        if command in (frames.SAM_RESET, frames.SAM_STATUS):
            return frames.reply_frame(0x60 if fault == "sam_failure" else frames.DONE)
        if command == frames.SAM_ID:
            return frames.reply_frame(frames.DONE, SAM_ID)
        if card is None:
            return frames.reply_frame(0x80 if command == frames.FIND else 0x81)
        if command == frames.FIND:
            return frames.reply_frame(frames.FOUND, b"\0\0\0\0")
        if command == frames.SELECT:
            if fault == "lifted_after_find":
                return frames.reply_frame(0x81)
            return frames.reply_frame(frames.DONE, bytes(8))
        if command == frames.READ_TEXT_PHOTO:
            if fault == "read_error":
                return frames.reply_frame(0x41)
            text = encode_text_block(card)
            if fault == "garbled":  # the birth date's digits turned to noise
                text = text[:36] + "????????".encode("utf-16-le") + text[52:]
            if fault == "unknown_type":  # a kind of card whose layout is not known here
                text = text[:248] + "Y".encode("utf-16-le") + text[250:]
            data = (
                TEXT_SIZE.to_bytes(2, "big")
                + PHOTO_SIZE.to_bytes(2, "big")
                + text
                + bytes(PHOTO_SIZE)  # a blank photo block: the simulator has no face
            )
            reply = frames.reply_frame(frames.DONE, data, bad_checksum=fault == "bad_checksum")
            if fault == "removed":
                self.card, self.fault = None, None  # lifted halfway through the answer
                return reply[: len(reply) // 3]
            return reply
        if command == frames.READ_LATEST_ADDRESS:
            if not card.latest_address:
                return frames.reply_frame(frames.NO_CONTENT)
            raw = card.latest_address.encode("utf-16-le")[:70]
            return frames.reply_frame(frames.DONE, raw + b" \0" * ((70 - len(raw)) // 2))
        return frames.reply_frame(0x21)


def demo_card(kind: CardKind = CardKind.RESIDENT, *, valid_to: date | None = None) -> CardData:
    """A synthetic card (made-up person, valid check digit) for tests, demos and screenshots."""
    if kind is CardKind.FOREIGN:
        return CardData(
            kind=kind,
            id_number="CAN320190101001",
            name="",
            name_en="SAMPLE ALEX",
            nationality="CAN",
            sex="1",
            birth_date=date(1990, 1, 1),
            valid_from=date(2020, 5, 1),
            valid_to=valid_to or date(2030, 5, 1),
            authority="1500",
            photo_size=PHOTO_SIZE,
        )
    card = CardData(
        kind=kind,
        id_number=make_id_number("320281", date(1986, 3, 14), 27),
        name="演示样",
        sex="1",
        ethnicity="01",
        ethnicity_raw="01",
        birth_date=date(1986, 3, 14),
        address="江苏省江阴市云亭街道定山村十二组34号",
        authority="江阴市公安局",
        valid_from=date(2018, 6, 1),
        valid_to=valid_to or date(2038, 6, 1),
        photo_size=PHOTO_SIZE,
    )
    return card if kind is CardKind.RESIDENT else replace(card, kind=kind)
