"""A real print queue: CUPS with a CUPS-PDF printer as the system default, printed to from
the app's own Qt code, and the spooled PDF read back.

Needs root (to start cupsd and add the queue) and the Debian packages cups, cups-client and
printer-driver-cups-pdf (installer/system-packages.sh). Anywhere else it is skipped, with
the reason printed.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseworker.printing.receipt import build_receipt
from tests.printing import samples

QUEUE = "CaseworkerPDF"
CONFIG = Path("/etc/cups/cups-pdf.conf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


def _skip_unless_possible() -> None:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("CUPS test needs root to start cupsd and add a queue (not root here)")
    for tool in ("cupsd", "lpadmin", "lpstat"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            pytest.skip(f"CUPS test: {tool} not installed (run installer/system-packages.sh)")
    if not PPD.exists() or not CONFIG.exists():
        pytest.skip("CUPS test: printer-driver-cups-pdf is not installed")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def _output_dir() -> Path:
    """Where CUPS-PDF writes a job of this user: its Out setting, ${HOME}/${USER} expanded."""
    out = "/var/spool/cups-pdf/${USER}"
    for line in CONFIG.read_text().splitlines():
        match = re.match(r"\s*Out\s+(\S+)", line)
        if match:
            out = match.group(1)
    user = pwd.getpwuid(os.geteuid())
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


@pytest.fixture(scope="module")
def queue() -> Iterator[str]:
    """The CUPS-PDF queue as the default printer; afterwards the machine is as it was: the
    queue removed, the earlier default back, and cupsd stopped if this started it."""
    _skip_unless_possible()
    started_here = None
    if _run("lpstat", "-r").returncode != 0 or "not running" in _run("lpstat", "-r").stdout:
        cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
        started = _run(cupsd)
        started_here = cupsd
        if started.returncode != 0:
            pytest.skip(f"CUPS test: cupsd would not start: {started.stderr.strip()}")
        for _ in range(100):  # waiting for the scheduler, not timing anything
            if "is running" in _run("lpstat", "-r").stdout:
                break
            time.sleep(0.1)
        else:
            pytest.skip("CUPS test: cupsd did not come up")
    earlier = _run("lpstat", "-d").stdout.partition(":")[2].strip()
    existed = _run("lpstat", "-p", QUEUE).returncode == 0
    added = _run("lpadmin", "-p", QUEUE, "-v", "cups-pdf:/", "-E", "-P", str(PPD))
    if added.returncode != 0:
        pytest.skip(f"CUPS test: could not add the CUPS-PDF queue: {added.stderr.strip()}")
    made_default = _run("lpadmin", "-d", QUEUE)
    assert made_default.returncode == 0, made_default.stderr
    try:
        yield QUEUE
    finally:
        if not existed:
            _run("lpadmin", "-x", QUEUE)
        if earlier and earlier != QUEUE:
            _run("lpadmin", "-d", earlier)
        if started_here is not None:
            _run("pkill", "-x", "cupsd")


def test_print_through_qprinter_to_the_default_cups_queue(queue, qtbot, chain, tmp_path):
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    from caseworker.ui.printing import print_pdf

    assert QPrinterInfo.defaultPrinterName() == queue
    out_dir = _output_dir()
    before = set(out_dir.glob("*.pdf")) if out_dir.exists() else set()
    title = f"cw-cups-test-{os.getpid()}"
    result = build_receipt(samples.visit_receipt(), chain)

    printer = QPrinter(QPrinterInfo.defaultPrinter(), QPrinter.PrinterMode.HighResolution)
    printer.setResolution(150)
    printer.setDocName(title)
    assert printer.printerName() == queue
    assert printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    assert print_pdf(result.pdf, printer) == 1

    spooled: list[Path] = []
    for _ in range(600):  # CUPS-PDF converts in the background: wait for the file
        spooled = [p for p in set(out_dir.glob("*.pdf")) - before if p.stat().st_size > 0]
        if spooled and "Jobs" not in _run("lpstat", "-o", queue).stdout:
            break
        time.sleep(0.1)
    assert spooled, f"no PDF appeared in {out_dir}; lpstat: {_run('lpstat', '-t').stdout}"
    pdf = max(spooled, key=lambda p: p.stat().st_mtime)
    info = _run("pdfinfo", str(pdf)).stdout
    assert re.search(r"Pages:\s+1", info), info
    assert pdf.name.startswith(title)  # CUPS-PDF names the file after the app's job title
    # The app prints rendered pages: the spooled page must carry the receipt's ink.
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "30", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    from PIL import Image

    pixels = Image.open(tmp_path / "page.pgm").tobytes()
    inked = sum(1 for p in pixels if p < 128) / len(pixels)
    assert 0.01 < inked < 0.5, inked
