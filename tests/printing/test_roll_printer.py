"""80 mm ESC/POS roll printers: the bytes python-escpos sends, read back from a file and
from a real pseudo-terminal (pyserial on the printer's end), and decoded into the raster."""

from __future__ import annotations

import os
import pty
import subprocess
import threading
import tty
from pathlib import Path

import pytest
from PIL import Image

from caseworker.printing.receipt import build_receipt
from caseworker.printing.roll_printer import (
    ROLL_DOTS,
    RollPrinter,
    RollPrinterError,
    as_raster,
    print_pages,
)
from tests.printing import samples
from tests.printing.conftest import need

INIT = b"\x1b@"
RASTER = b"\x1dv0"


def roll_page(chain, tmp_path: Path) -> Image.Image:
    """The roll80 receipt rendered by poppler at the head's width (the app renders with
    QtPdf; here the core is tested without Qt)."""
    source = tmp_path / "roll.pdf"
    source.write_bytes(build_receipt(samples.receipt(), chain, paper="roll80").pdf)
    out = tmp_path / "roll"
    subprocess.run(
        [
            *(need("pdftoppm"), "-gray", "-singlefile"),
            *("-scale-to-x", str(ROLL_DOTS), "-scale-to-y", "-1"),
            *(str(source), str(out)),
        ],
        check=True,
    )
    return Image.open(out.with_suffix(".pgm"))


def decode(sent: bytes) -> tuple[list[Image.Image], bytes]:
    """The raster images (``GS v 0`` blocks, joined per page) and what follows the last."""
    assert sent.startswith(INIT)
    pages: list[Image.Image] = []
    rows: list[bytes] = []
    at, width = len(INIT), 0
    while (start := sent.find(RASTER, at)) != -1:
        between = sent[at:start]
        if rows and between:  # a feed and cut ended the page before this block
            pages.append(_image(rows, width))
            rows = []
        width = int.from_bytes(sent[start + 4 : start + 6], "little")
        height = int.from_bytes(sent[start + 6 : start + 8], "little")
        body = start + 8
        rows += [sent[body + r * width : body + (r + 1) * width] for r in range(height)]
        at = body + width * height
    pages.append(_image(rows, width))
    return pages, sent[at:]


def _image(rows: list[bytes], width_bytes: int) -> Image.Image:
    # In ESC/POS raster a set bit prints (dark); in PIL's "1" mode a set bit is white.
    data = bytes(255 - b for b in b"".join(rows))
    return Image.frombytes("1", (width_bytes * 8, len(rows)), data)


def assert_cut(tail: bytes) -> None:
    assert tail.endswith((b"\x1dV\x00", b"\x1dVA\x00", b"\x1dV\x01", b"\x1dVB\x00")), tail[-8:]


def test_a_receipt_goes_to_a_device_file_as_its_raster_and_a_cut(chain, tmp_path):
    page = roll_page(chain, tmp_path)
    device = tmp_path / "lp0"
    device.touch()  # a device file exists before anything is written to it
    print_pages(RollPrinter(str(device)), [page])
    (image,), tail = decode(device.read_bytes())
    expected = as_raster(page)
    assert image.size == (ROLL_DOTS, expected.height)
    assert image.tobytes() == expected.tobytes()  # every dot of the page, QR code included
    inked = image.convert("L").histogram()[0] / (image.width * image.height)
    assert 0.02 < inked < 0.5
    assert_cut(tail)


def test_two_receipts_are_cut_apart(chain, tmp_path):
    page = roll_page(chain, tmp_path)
    device = tmp_path / "lp0"
    device.touch()
    print_pages(RollPrinter(str(device)), [page, page])
    pages, tail = decode(device.read_bytes())
    assert len(pages) == 2 and pages[0].tobytes() == pages[1].tobytes()
    assert_cut(tail)


def test_over_a_pseudo_terminal_with_pyserial(chain, tmp_path):
    """The printer's end is a real serial port (pyserial through python-escpos) on the pty's
    slave; the test reads the master, as the printer would receive the bytes."""
    page = roll_page(chain, tmp_path)
    master, slave = pty.openpty()
    tty.setraw(slave)
    received = bytearray()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            received.extend(chunk)
            if received.endswith((b"\x1dV\x00", b"\x1dVA\x00")):
                done.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        printer = RollPrinter(os.ttyname(slave), baudrate=115200)
        assert printer.serial
        print_pages(printer, [page])
        assert done.wait(30), f"{len(received)} bytes arrived"
    finally:
        os.close(slave)
        os.close(master)
        reader.join(10)
    (image,), tail = decode(bytes(received))
    assert image.tobytes() == as_raster(page).tobytes()
    assert_cut(tail)


@pytest.mark.parametrize("name", ["/dev/ttyUSB97", "{tmp}/usb/lp0", "{tmp}/lp0", ""])
def test_a_printer_that_is_not_there_raises_with_the_device(chain, tmp_path, name):
    device = name.format(tmp=tmp_path)
    with pytest.raises(RollPrinterError) as caught:
        print_pages(RollPrinter(device), [roll_page(chain, tmp_path)])
    assert caught.value.device == device and caught.value.reason
    assert not Path(device).exists() or not device  # no stray file where a printer was


def test_serial_ports_are_told_from_device_files():
    assert RollPrinter("COM3").serial and RollPrinter("/dev/ttyUSB0").serial
    assert RollPrinter("/dev/ttyACM0").serial and RollPrinter("/dev/pts/4").serial
    assert not RollPrinter("/dev/usb/lp0").serial and not RollPrinter("receipt.bin").serial
