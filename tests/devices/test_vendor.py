"""The vendor-library adapters through ctypes, against a small shared library that this test
builds with gcc from fake_reader.c (synthetic data handed in by the test)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from caseworker.devices.card import CardKind, encode_text_block
from caseworker.devices.reader import SDTAPI, TERMB, ReaderError, open_reader
from caseworker.devices.simulator import demo_card

SOURCE = Path(__file__).with_name("fake_reader.c")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.fail(
            "gcc is needed to build the test's reader library (installer/system-packages.sh)"
        )
    built = tmp_path_factory.mktemp("vendor") / "libfakereader.so"
    subprocess.run([gcc, "-shared", "-fPIC", "-o", str(built), str(SOURCE)], check=True)
    return built


@pytest.fixture
def control(library: Path) -> ctypes.CDLL:
    """The same loaded library (dlopen hands back one copy), to place and lift cards."""
    lib = ctypes.CDLL(str(library))
    lib.fake_set_card(0)
    lib.fake_set_read_fails(0)
    lib.fake_put_latest(b"", 0)
    return lib


def test_sdtapi_reads_the_text_block(library: Path, control: ctypes.CDLL) -> None:
    reader = open_reader(SDTAPI, "1001", str(library))
    assert control.fake_port_open() == 1
    assert reader.read_card() is None  # nothing on the reader
    card = demo_card()
    control.fake_put_text(encode_text_block(card))
    control.fake_set_card(1)
    assert reader.read_card() == card
    moved = "江苏省江阴市青阳镇街西村5号".encode("utf-16-le")
    control.fake_put_latest(moved, len(moved))
    read = reader.read_card()
    assert read is not None and read.hukou_address == "江苏省江阴市青阳镇街西村5号"
    assert reader.check().module.startswith("05.01-")
    reader.close()
    assert control.fake_port_open() == 0


def test_sdtapi_foreign_card(library: Path, control: ctypes.CDLL) -> None:
    card = demo_card(CardKind.FOREIGN)
    control.fake_put_text(encode_text_block(card))
    control.fake_set_card(1)
    reader = open_reader(SDTAPI, "1001", str(library))
    assert reader.read_card() == card
    reader.close()


def test_sdtapi_read_failure(library: Path, control: ctypes.CDLL) -> None:
    control.fake_put_text(encode_text_block(demo_card()))
    control.fake_set_card(1)
    control.fake_set_read_fails(1)
    reader = open_reader(SDTAPI, "1001", str(library))
    with pytest.raises(ReaderError) as failed:
        reader.read_card()
    assert failed.value.code == "read" and "0x41" in failed.value.message
    reader.close()


def _put_fields(control: ctypes.CDLL, *, birth: str) -> None:
    """The demo card as a termb library hands it out: GBK text, one getter per field."""
    card = demo_card()
    values = ["演示样", "男", "汉", birth, card.address, card.id_number, card.authority]
    for index, value in enumerate([*values, "20180601", "长期"]):
        control.fake_put_field(index, value.encode("gbk"))


def test_termb_reads_field_by_field(library: Path, control: ctypes.CDLL) -> None:
    card = demo_card()
    _put_fields(control, birth="1986-03-14")
    reader = open_reader(TERMB, "1001", str(library))
    assert reader.read_card() is None
    control.fake_set_card(1)
    read = reader.read_card()
    assert read == replace(card, valid_to=None, ethnicity_raw="汉", photo_size=0)
    assert read is not None and read.birth_date == date(1986, 3, 14)
    control.fake_set_read_fails(1)
    with pytest.raises(ReaderError) as failed:
        reader.read_card()
    assert failed.value.code == "read"
    reader.close()


def test_termb_a_field_that_is_no_date(library: Path, control: ctypes.CDLL) -> None:
    _put_fields(control, birth="不详")
    control.fake_set_card(1)
    reader = open_reader(TERMB, "1001", str(library))
    with pytest.raises(ReaderError) as failed:
        reader.read_card()
    assert failed.value.code == "card_data" and "不详" in failed.value.message_en
    reader.close()


def test_a_vendor_kind_without_a_library() -> None:
    with pytest.raises(ReaderError) as failed:
        open_reader(SDTAPI, "1001", None)
    assert failed.value.code == "no_library" and "sdtapi.dll" in failed.value.message


@pytest.mark.parametrize(
    ("kind", "port", "library_name", "code"),
    [
        (SDTAPI, "1001", "missing.so", "no_library"),
        (SDTAPI, "COM3", None, "port"),
        (SDTAPI, "2", None, "port"),
        (TERMB, "7", None, "port"),
        ("magic", "1001", None, "unknown_kind"),
    ],
)
def test_setup_mistakes_are_named(
    library: Path, tmp_path: Path, kind: str, port: str, library_name: str | None, code: str
) -> None:
    path = str(tmp_path / library_name) if library_name else str(library)
    with pytest.raises(ReaderError) as failed:
        open_reader(kind, port, path)
    assert failed.value.code == code and failed.value.message


def test_a_library_of_the_other_family(tmp_path: Path) -> None:
    other = tmp_path / "other.c"
    other.write_text("int CVR_InitComm(int port) { return port; }\n")
    built = tmp_path / "libother.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(built), str(other)], check=True)
    with pytest.raises(ReaderError) as failed:
        open_reader(SDTAPI, "1001", str(built))
    assert failed.value.code == "bad_library" and "SDT_OpenPort" in failed.value.message
