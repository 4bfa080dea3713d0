"""The card's text block and what is read from it: layouts, ethnicity codes, addresses."""

from __future__ import annotations

from dataclasses import replace

import pytest

from caseworker.devices.card import (
    CardDataError,
    CardKind,
    UnsupportedCard,
    encode_text_block,
    ethnicity_code,
    parse_text_block,
)
from caseworker.devices.card_address import match_address
from caseworker.devices.simulator import demo_card
from caseworker.domain.codes import load_code_table
from caseworker.domain.regions import load_region_directory


def test_resident_block_field_offsets() -> None:
    card = demo_card()
    block = encode_text_block(card)
    assert len(block) == 256
    # Widths from the layout: name 30, sex 2, ethnicity 4, birth 16, address 70, number 36.
    assert block[0:6].decode("utf-16-le") == "演示样"
    assert block[30:32].decode("utf-16-le") == "1"
    assert block[32:36].decode("utf-16-le") == "01"
    assert block[36:52].decode("utf-16-le") == "19860314"
    assert block[122:158].decode("utf-16-le") == card.id_number
    assert parse_text_block(block, photo_size=1024) == card


def test_foreign_block_field_offsets() -> None:
    card = demo_card(CardKind.FOREIGN)
    block = encode_text_block(card)
    assert block[0:22].decode("utf-16-le") == "SAMPLE ALEX"
    assert block[122:152].decode("utf-16-le") == card.id_number
    assert block[152:158].decode("utf-16-le") == "CAN"
    assert block[248:250].decode("utf-16-le") == "I"
    assert parse_text_block(block, photo_size=1024) == card


def test_bad_blocks_are_refused() -> None:
    with pytest.raises(CardDataError):
        parse_text_block(b"\0" * 100)
    block = bytearray(encode_text_block(demo_card()))
    block[36:52] = "1986ABCD".encode("utf-16-le")
    with pytest.raises(CardDataError, match="birth date"):
        parse_text_block(bytes(block))


def test_an_unknown_card_type_is_not_read_as_a_residents() -> None:
    block = encode_text_block(demo_card())
    with pytest.raises(UnsupportedCard) as unknown:
        parse_text_block(block[:248] + "Y".encode("utf-16-le") + block[250:])
    assert unknown.value.mark == "Y"


def test_every_gb3304_code_and_name_maps() -> None:
    table = load_code_table("ethnic_group")
    for entry in table:
        assert ethnicity_code(entry.code) == entry.code
        assert ethnicity_code(entry.name_zh) == entry.code
    assert ethnicity_code("汉") == "01"
    assert ethnicity_code("高山") == "23"  # the standard's order: 高山族 is 23
    assert ethnicity_code("毛难族") == "36"  # older name on old cards
    assert ethnicity_code("3") == "03"
    assert ethnicity_code("77") is None and ethnicity_code("") is None


@pytest.mark.parametrize(
    ("address", "code", "rest"),
    [
        ("江苏省江阴市云亭街道定山村十二组34号", "320281005200", "十二组34号"),
        ("江苏省江阴市青阳镇悟空村村委会3号", "320281103205", "3号"),
        ("江苏省无锡市江阴市青阳镇街西村5号", "320281103200", "5号"),
        ("北京市东城区东华门街道1号", "110101", "东华门街道1号"),
        ("江苏省江阴市某某镇8号", "320281", "某某镇8号"),
        ("某地某路", None, "某地某路"),
    ],
)
def test_address_into_the_region_cascade(address: str, code: str | None, rest: str) -> None:
    match = match_address(load_region_directory(), address)
    assert (match.code, match.rest) == (code, rest)


def test_as_dict_reports_the_photo_by_size_only() -> None:
    shown = replace(demo_card(), valid_to=None).as_dict()
    assert shown["photo_bytes"] == 1024 and shown["valid_to"] == "长期"
    assert not any(isinstance(value, bytes) for value in shown.values())
