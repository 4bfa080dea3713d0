"""A real print queue: the app's own Qt printing code sends a receipt to the default printer of
a CUPS scheduler, and the spooled job is read back.

The scheduler is private to the test: a ``cupsd`` of its own with its configuration, spool,
cache, logs and socket in a temporary folder, and a queue whose backend writes each job into
that folder. The printing runs in a child process pointed at that scheduler (``CUPS_SERVER``,
its own HOME for lpoptions), so the system's scheduler is never asked: no queue is added to
it and its default printer is not changed, and the test checks that the system's CUPS
files are byte for byte as they were. Needs cupsd (the Debian package cups) and root (cupsd
refuses to run its backends as root from a user's folder otherwise); skipped with the
reason anywhere else.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

QUEUE = "CaseworkerTest"
CUPSD = shutil.which("cupsd") or "/usr/sbin/cupsd"
SYSTEM_CUPS = Path("/usr/lib/cups")
# The system's CUPS state, compared before and after: the test must not touch it.
SYSTEM_FILES = (Path("/etc/cups"), Path("/var/cache/cups"), Path("/var/spool/cups"))

# The queue's backend: no arguments lists the device; a job's bytes go to the folder the
# device URI names (capture:/folder), one file per job.
BACKEND = """#!/bin/sh
[ $# -eq 0 ] && { echo 'direct capture "Unknown" "Capture to a folder"'; exit 0; }
out="${DEVICE_URI#capture:}"
if [ -n "$6" ]; then cat "$6"; else cat; fi > "$out/job-$1.part" && mv "$out/job-$1.part" "$out/job-$1.pdf"
"""

# What the child runs: a receipt built with the app's fonts, printed through ui.printing on
# the default printer Qt finds (the private scheduler's, through CUPS_SERVER).
PRINT_RECEIPT = """
import sys
from PySide6.QtWidgets import QApplication
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from caseworker.printing.fonts import load_chain
from caseworker.printing.receipt import build_receipt
from caseworker.ui.printing import print_pdf
from tests.printing import samples

app = QApplication(["cups-test"])
default = QPrinterInfo.defaultPrinter()
printer = QPrinter(default, QPrinter.PrinterMode.HighResolution)
printer.setResolution(150)
printer.setDocName("cw-cups-test")
assert printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
pages = print_pdf(build_receipt(samples.visit_receipt(), load_chain()).pdf, printer)
print(default.printerName(), pages)
"""


def _digest(roots: tuple[Path, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file() and not path.is_symlink():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _skip_unless_possible() -> None:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("CUPS test needs root to run a private cupsd (not root here)")
    if not Path(CUPSD).exists() or shutil.which("lpadmin") is None:
        pytest.skip("CUPS test: cupsd / lpadmin not installed (run installer/system-packages.sh)")


@dataclass
class Scheduler:
    folder: Path
    socket: Path
    out: Path
    process: subprocess.Popen

    def env(self) -> dict[str, str]:
        home = self.folder / "home"
        home.mkdir(exist_ok=True)
        return dict(os.environ, CUPS_SERVER=str(self.socket), HOME=str(home))

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, capture_output=True, text=True, timeout=60, env=self.env())


def _write_config(folder: Path) -> tuple[Path, Path, Path]:
    conf, out = folder / "conf", folder / "out"
    for sub in ("conf", "cache", "state", "spool/tmp", "logs", "out", "serverbin/backend"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "spool" / "tmp").chmod(0o1777)
    # The system's filters and helpers, with our backend beside them.
    for part in ("filter", "daemon", "cgi-bin", "notifier", "monitor", "driver"):
        if (SYSTEM_CUPS / part).exists():
            (folder / "serverbin" / part).symlink_to(SYSTEM_CUPS / part)
    backend = folder / "serverbin" / "backend" / "capture"
    backend.write_text(BACKEND)
    backend.chmod(0o700)  # 0700 and root's: cupsd runs it as root, so it may write to out/
    socket = folder / "cups.sock"
    (conf / "cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel info\nWebInterface No\nBrowsing No\n"
        "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    (conf / "cups-files.conf").write_text(
        f"ServerRoot {conf}\nCacheDir {folder / 'cache'}\nStateDir {folder / 'state'}\n"
        f"RequestRoot {folder / 'spool'}\nTempDir {folder / 'spool' / 'tmp'}\n"
        f"AccessLog {folder / 'logs/access_log'}\nErrorLog {folder / 'logs/error_log'}\n"
        f"PageLog {folder / 'logs/page_log'}\nServerBin {folder / 'serverbin'}\n"
        "DataDir /usr/share/cups\n"
    )
    return conf, socket, out


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scheduler]:
    """A private cupsd with one queue, the default there; stopped by its pid afterwards."""
    _skip_unless_possible()
    system_before = _digest(SYSTEM_FILES)
    folder = tmp_path_factory.mktemp("cups")
    conf, socket, out = _write_config(folder)
    process = subprocess.Popen(
        [CUPSD, "-f", "-c", str(conf / "cupsd.conf"), "-s", str(conf / "cups-files.conf")],
        stderr=subprocess.PIPE,
    )
    running = Scheduler(folder, socket, out, process)
    try:
        for _ in range(200):  # waiting for the scheduler to listen, not timing anything
            if "is running" in running.run("lpstat", "-r").stdout or process.poll() is not None:
                break
            time.sleep(0.05)
        if "is running" not in running.run("lpstat", "-r").stdout:
            pytest.skip(f"CUPS test: the private cupsd did not start: {running.folder}")
        added = running.run("lpadmin", "-p", QUEUE, "-v", f"capture:{out}", "-E")
        assert added.returncode == 0, added.stderr
        made_default = running.run("lpadmin", "-d", QUEUE)
        assert made_default.returncode == 0, made_default.stderr
        yield running
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)
        if process.stderr is not None:
            process.stderr.close()
    # Whatever happened above, the system's scheduler was never asked to change anything.
    assert _digest(SYSTEM_FILES) == system_before


def test_print_through_qprinter_to_the_default_cups_queue(scheduler: Scheduler, tmp_path):
    assert scheduler.run("lpstat", "-d").stdout.strip().endswith(QUEUE)
    child = subprocess.run(
        [sys.executable, "-c", PRINT_RECEIPT],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(scheduler.env(), QT_QPA_PLATFORM="offscreen"),
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == [QUEUE, "1"]

    spooled: list[Path] = []
    for _ in range(600):  # the scheduler hands the job to the backend in the background
        spooled = list(scheduler.out.glob("job-*.pdf"))
        if spooled and "Jobs" not in scheduler.run("lpstat", "-o", QUEUE).stdout:
            break
        time.sleep(0.1)
    assert spooled, f"no job reached the queue; lpstat: {scheduler.run('lpstat', '-t').stdout}"
    pdf = spooled[0]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1", info), info
    # The app prints rendered pages: the spooled page must carry the receipt's ink.
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "30", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    from PIL import Image

    pixels = Image.open(tmp_path / "page.pgm").tobytes()
    inked = sum(1 for p in pixels if p < 128) / len(pixels)
    assert 0.003 < inked < 0.5, inked  # a blank page is 0


def test_the_system_scheduler_knows_nothing_of_the_test_queue(scheduler: Scheduler):
    system = subprocess.run(
        ["lpstat", "-v"],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "CUPS_SERVER"},
    )
    assert QUEUE not in system.stdout
    assert QUEUE in scheduler.run("lpstat", "-v").stdout
