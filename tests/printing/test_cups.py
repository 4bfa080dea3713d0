"""A real print queue: CUPS with a CUPS-PDF printer as the system default, printed to from
the app's own Qt code, and the spooled PDF read back.

Needs root (to start cupsd and add the queue) and the Debian packages cups, cups-client and
printer-driver-cups-pdf (installer/system-packages.sh). Anywhere else it is skipped, with
the reason printed.

The machine is left as it was found: the queue removed and the earlier default printer back;
when the test started the scheduler itself (``cupsd -f``, stopped by its pid), the files the
scheduler rewrites (its configuration with their ``.O`` backups, cache, logs, spool) are put
back byte for byte; the spooled PDF is deleted, and its folder if the test made it.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest

from caseworker.printing.receipt import build_receipt
from tests.printing import samples

QUEUE = "CaseworkerPDF"
TITLE = f"cw-cups-test-{os.getpid()}"  # the job's name, and so the spooled file's
CONFIG = Path("/etc/cups/cups-pdf.conf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
# What a scheduler run rewrites: restored when the test started (and stopped) the scheduler.
SCHEDULER_FILES = (
    Path("/etc/cups"),
    Path("/var/cache/cups"),
    Path("/var/log/cups"),
    Path("/var/spool/cups"),
    Path("/run/cups/printcap"),
)


class Snapshot:
    """Every file under ``roots`` (bytes and mode) now, so that ``restore`` can put them
    back and remove what appeared since."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        self.roots = roots
        self.files = {path: (path.read_bytes(), path.stat().st_mode) for path in self._walk()}
        self.dirs = {path for root in roots if root.is_dir() for path in root.rglob("*")}
        self.dirs = {path for path in self.dirs if path.is_dir()}

    def _walk(self) -> list[Path]:
        found: list[Path] = []
        for root in self.roots:
            if root.is_file():
                found.append(root)
            elif root.is_dir():
                found += [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
        return found

    def restore(self) -> None:
        for path in self._walk():
            if path not in self.files:
                path.unlink()
        for path, (data, mode) in self.files.items():
            if not path.exists() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            os.chmod(path, mode)
        for root in self.roots:
            if root.is_dir():
                for path in sorted(root.rglob("*"), reverse=True):
                    if path.is_dir() and path not in self.dirs:
                        with suppress(OSError):
                            path.rmdir()


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
    scheduler: subprocess.Popen | None = None
    before: Snapshot | None = None
    if _run("lpstat", "-r").returncode != 0 or "not running" in _run("lpstat", "-r").stdout:
        before = Snapshot(SCHEDULER_FILES)
        cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
        # In the foreground, so this test holds its pid and stops exactly this scheduler.
        scheduler = subprocess.Popen([cupsd, "-f"], stderr=subprocess.PIPE)
        for _ in range(100):  # waiting for the scheduler, not timing anything
            if "is running" in _run("lpstat", "-r").stdout or scheduler.poll() is not None:
                break
            time.sleep(0.1)
        if "is running" not in _run("lpstat", "-r").stdout:
            _stop(scheduler, before)
            pytest.skip("CUPS test: cupsd did not come up")
    earlier = _run("lpstat", "-d").stdout.partition(":")[2].strip()
    existed = _run("lpstat", "-p", QUEUE).returncode == 0
    out_dir = _output_dir()
    out_existed = out_dir.exists()
    try:
        added = _run("lpadmin", "-p", QUEUE, "-v", "cups-pdf:/", "-E", "-P", str(PPD))
        if added.returncode != 0:
            pytest.skip(f"CUPS test: could not add the CUPS-PDF queue: {added.stderr.strip()}")
        made_default = _run("lpadmin", "-d", QUEUE)
        assert made_default.returncode == 0, made_default.stderr
        yield QUEUE
    finally:
        if not existed:
            _run("lpadmin", "-x", QUEUE)
        if earlier and earlier != QUEUE:
            _run("lpadmin", "-d", earlier)
        for spooled in out_dir.glob(f"{TITLE}*") if out_dir.exists() else ():
            spooled.unlink()
        if not out_existed and out_dir.exists() and not any(out_dir.iterdir()):
            out_dir.rmdir()
        assert not list(out_dir.glob(f"{TITLE}*")) if out_dir.exists() else True
        if scheduler is not None:
            _stop(scheduler, before)
            assert before is not None and Snapshot(SCHEDULER_FILES).files == before.files


def _stop(scheduler: subprocess.Popen, before: Snapshot | None) -> None:
    """Stop the scheduler this test started (by its pid), then put its files back."""
    scheduler.terminate()
    try:
        scheduler.wait(30)
    except subprocess.TimeoutExpired:
        scheduler.kill()
        scheduler.wait(30)
    if scheduler.stderr is not None:
        scheduler.stderr.close()
    if before is not None:
        before.restore()


def test_print_through_qprinter_to_the_default_cups_queue(queue, qtbot, chain, tmp_path):
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    from caseworker.ui.printing import print_pdf

    assert QPrinterInfo.defaultPrinterName() == queue
    out_dir = _output_dir()
    before = set(out_dir.glob("*.pdf")) if out_dir.exists() else set()
    title = TITLE
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
