"""The serial frame protocol, end to end: our SerialReader (pyserial) against the simulated
reader (pyserial too) on a pseudo-terminal pair, with synthetic cards."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest

from caseworker.devices import frames
from caseworker.devices.card import CardKind
from caseworker.devices.reader import SERIAL, ReaderError, open_reader
from caseworker.devices.serial_reader import SerialReader
from caseworker.devices.simulator import SimulatedReader, demo_card


@pytest.fixture
def simulator() -> Iterator[SimulatedReader]:
    with SimulatedReader() as sim:
        yield sim


@pytest.fixture
def reader(simulator: SimulatedReader) -> Iterator[SerialReader]:
    # A short timeout: only the "lifted mid-read" case ever waits for it.
    opened = open_reader(SERIAL, simulator.port, timeout=0.3)
    assert isinstance(opened, SerialReader)
    yield opened
    opened.close()


def test_frames_follow_the_protocol() -> None:
    assert frames.command_frame(*frames.FIND).hex(" ") == "aa aa aa 96 69 00 03 20 01 22"
    assert frames.command_frame(*frames.READ_TEXT_PHOTO).hex(" ") == "aa aa aa 96 69 00 03 30 01 32"
    assert frames.reply_frame(0x80).hex(" ") == "aa aa aa 96 69 00 04 00 00 80 84"
    reply = frames.parse_reply(frames.reply_frame(frames.FOUND, bytes(4)))
    assert (reply.status, reply.data) == (0x9F, bytes(4))
    with pytest.raises(frames.FrameError) as bad:
        frames.parse_reply(frames.reply_frame(0x90, b"x", bad_checksum=True))
    assert bad.value.code == "checksum"


def test_find_select_read_a_resident_card(simulator: SimulatedReader, reader: SerialReader) -> None:
    card = demo_card()
    simulator.place(card)
    read = reader.read_card()
    assert read == replace(card, latest_address="")
    assert read is not None and read.ethnicity == "01" and read.photo_size == 1024
    assert simulator.commands == [
        frames.FIND,
        frames.SELECT,
        frames.READ_TEXT_PHOTO,
        frames.READ_LATEST_ADDRESS,
    ]


def test_latest_address_replaces_the_printed_one(
    simulator: SimulatedReader, reader: SerialReader
) -> None:
    simulator.place(replace(demo_card(), latest_address="江苏省江阴市青阳镇街西村5号"))
    read = reader.read_card()
    assert read is not None
    assert read.address.startswith("江苏省江阴市云亭街道")
    assert read.hukou_address == "江苏省江阴市青阳镇街西村5号"


def test_long_term_and_expired_validity(simulator: SimulatedReader, reader: SerialReader) -> None:
    card = demo_card()
    simulator.place(replace(card, valid_to=None))
    long_term = reader.read_card()
    assert long_term is not None and long_term.valid_to is None
    assert not long_term.expired_on(date(2099, 1, 1))
    simulator.place(replace(card, valid_to=date(2020, 6, 1)))
    expired = reader.read_card()
    assert expired is not None and expired.expired_on(date(2026, 12, 1))
    assert not expired.expired_on(date(2020, 6, 1))


def test_no_card_is_none(simulator: SimulatedReader, reader: SerialReader) -> None:
    assert reader.read_card() is None
    assert simulator.commands == [frames.FIND]


@pytest.mark.parametrize(
    ("fault", "code", "words"),
    [
        ("read_error", "read", "读卡失败"),
        ("bad_checksum", "checksum", "校验和"),
        ("removed", "incomplete", "拿开"),
        ("lifted_after_find", "select", "选卡失败"),
        ("garbled", "card_data", "无法识别"),
        ("unknown_type", "card_type", "类型 Y"),
    ],
)
def test_failures_say_what_to_do(
    simulator: SimulatedReader, reader: SerialReader, fault: str, code: str, words: str
) -> None:
    simulator.place(demo_card(), fault)
    with pytest.raises(ReaderError) as failed:
        reader.read_card()
    assert failed.value.code == code
    assert words in failed.value.message and failed.value.message_en


def test_after_a_failure_the_next_card_reads(
    simulator: SimulatedReader, reader: SerialReader
) -> None:
    simulator.place(demo_card(), "removed")
    with pytest.raises(ReaderError):
        reader.read_card()
    assert reader.read_card() is None  # the card was lifted: the rest of the reply is gone
    simulator.place(demo_card())
    assert reader.read_card() == demo_card()


def test_foreign_permanent_resident_card(simulator: SimulatedReader, reader: SerialReader) -> None:
    card = demo_card(CardKind.FOREIGN)
    simulator.place(card)
    read = reader.read_card()
    assert read == card
    assert read is not None
    assert (read.name_en, read.nationality, read.id_number) == (
        "SAMPLE ALEX",
        "CAN",
        card.id_number,
    )
    assert read.ethnicity is None and read.address == ""
    assert frames.READ_LATEST_ADDRESS not in simulator.commands  # residents' cards only


def test_residence_permit_keeps_the_resident_layout(
    simulator: SimulatedReader, reader: SerialReader
) -> None:
    simulator.place(demo_card(CardKind.PERMIT))
    read = reader.read_card()
    assert read is not None and read.kind is CardKind.PERMIT and read.name == "演示样"


def test_check_reports_the_security_module(
    simulator: SimulatedReader, reader: SerialReader
) -> None:
    status = reader.check()
    assert status.kind == SERIAL and status.port == simulator.port
    assert status.module.startswith("05000000")
    simulator.place(demo_card(), "sam_failure")
    simulator.commands.clear()
    with pytest.raises(ReaderError) as failed:
        reader.check()
    assert failed.value.code == "sam" and "0x60" in failed.value.message
    assert simulator.commands == [frames.SAM_STATUS, frames.SAM_RESET, frames.SAM_STATUS]


def test_a_port_that_does_not_exist(tmp_path) -> None:
    with pytest.raises(ReaderError) as failed:
        open_reader(SERIAL, str(tmp_path / "ttyNOPE"))
    assert failed.value.code == "port" and "ttyNOPE" in failed.value.message
