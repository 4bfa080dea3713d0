"""80 mm receipt roll printers that speak ESC/POS, straight from the app (python-escpos).

The receipt goes as one raster image of its roll80 page (``GS v 0``), then a feed and a cut.
A raster, not the printer's text mode: Chinese text needs the printer's own font and code
page, which vary by vendor, while the raster is exactly the page the preview shows, its QR
code included. The page is rendered by whoever has a renderer (the UI, with QtPdf); this
module only takes a black-and-white image and a device, so it stays free of Qt.

The device is a serial port (USB printers appear as one: ``COM3``, ``/dev/ttyUSB0``,
``/dev/ttyACM0``), opened through pyserial, or an existing device file written as it is
(Linux's ``/dev/usb/lp0``, or a plain file for a check).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

# The common 80 mm head: 72 mm printed at 203 dpi (8 dots a millimetre) is 576 dots.
ROLL_DOTS = 576
# Epson's TM-T20II profile (576 dots, full cut): what most 80 mm desk printers emulate.
PROFILE = "TM-T20II"
BAUDRATE = 9600  # the usual factory setting of a serial roll printer
THRESHOLD = 200  # grey levels below print as a dot
_SERIAL = re.compile(r"^(COM\d+|/dev/tty\w+|/dev/pts/\d+|/dev/cu\.\S+)$", re.IGNORECASE)


class RollPrinterError(Exception):
    """The roll printer could not be reached or took the receipt only in part."""

    def __init__(self, device: str, reason: str) -> None:
        super().__init__(f"{device}: {reason}")
        self.device = device
        self.reason = reason
        # Words for the operator (an unplugged printer is not a defect of ours to log).
        self.message = f"卷纸打印机 {device} 没有收到收据（{reason}）。"
        self.message_en = f"The roll printer {device} did not take the receipt ({reason})."


@dataclass(frozen=True)
class RollPrinter:
    """Where this computer's roll printer is: a serial port or a device file."""

    device: str
    baudrate: int = BAUDRATE

    @property
    def serial(self) -> bool:
        return bool(_SERIAL.match(self.device))


def as_raster(image: Image.Image) -> Image.Image:
    """The page as the printer's black-and-white dots, at most ``ROLL_DOTS`` wide."""
    if image.width > ROLL_DOTS:
        height = round(image.height * ROLL_DOTS / image.width)
        image = image.resize((ROLL_DOTS, height), Image.Resampling.LANCZOS)
    grey = image.convert("L")
    # Anti-aliased strokes of small and grey type are light: a high threshold keeps them.
    return grey.point(lambda p: 255 if p >= THRESHOLD else 0).convert("1")


def print_pages(printer: RollPrinter, pages: list[Image.Image]) -> None:
    """Each page as a raster, fed and cut after it. Raises ``RollPrinterError`` when the
    device cannot be opened or written: the caller records nothing then."""
    from escpos import exceptions
    from escpos.printer import File, Serial

    if not printer.device:
        raise RollPrinterError(printer.device, "no device set")
    if not printer.serial and not Path(printer.device).exists():
        # Writing would create a plain file where the printer should be: say so instead.
        raise RollPrinterError(printer.device, "no such device")
    if printer.serial:
        escpos = Serial(
            devfile=printer.device,
            baudrate=printer.baudrate,
            timeout=5,
            dsrdtr=False,
            profile=PROFILE,
        )
    else:
        escpos = File(devfile=printer.device, profile=PROFILE)
    try:
        escpos.open()
        if escpos.device is None:
            raise RollPrinterError(printer.device, "could not be opened")
        escpos.hw("INIT")
        for page in pages:
            escpos.image(as_raster(page), impl="bitImageRaster")
            escpos.cut()
        flush = getattr(escpos.device, "flush", None)
        if flush is not None:
            flush()
    except (OSError, exceptions.Error) as error:  # pyserial's SerialException is an OSError
        raise RollPrinterError(
            printer.device, str(error).strip() or type(error).__name__
        ) from error
    finally:
        with contextlib.suppress(OSError, AttributeError, exceptions.Error):
            escpos.close()  # a device that never opened has nothing to close
