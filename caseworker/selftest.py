"""`caseworker --selftest`: does this installation work? The same checks from a checkout and
from the frozen build (installer/), where they find what the bundle left out.

In a temporary folder (never the operator's data folder): every module of the app imports,
the reference data and translations are there, a demo centre is set up in a new encrypted
database (Alembic runs every migration), each printed document is built from it through the
services the app prints with, the fonts cover every character of the demo's names, and Qt
starts offscreen with the plugins printing and previews need. Exit 0, or 1 with each
problem named in words.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

import caseworker
from caseworker.buildinfo import build_info

# Modules not part of the desktop app: the county server, and Alembic's migration scripts
# (run by Alembic from files, never imported as modules).
_NOT_IN_APP = ("caseworker.upstream", "caseworker.store.migrations", "caseworker.__main__")
# The persons of the demo centre: enough for every document to have a row.
_DEMO_PERSONS = 12


class Report:
    """What passed and what did not, printed as it goes."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def check(self, what: str, step: Callable[[], str | None]) -> object:
        started = time.monotonic()
        try:
            detail = step()
        except Exception as error:  # any failure is a finding, named with its cause
            self.problems.append(f"{what}: {type(error).__name__}: {error}")
            print(f"FAIL  {what}: {type(error).__name__}: {error}", file=sys.stderr)
            if os.environ.get("CASEWORKER_SELFTEST_TRACE"):
                traceback.print_exc()
            return None
        print(
            f"ok    {what}{' — ' + detail if detail else ''} ({time.monotonic() - started:.1f} s)"
        )
        return detail

    def fail(self, what: str) -> None:
        self.problems.append(what)
        print(f"FAIL  {what}", file=sys.stderr)


def app_modules() -> list[str]:
    names = [caseworker.__name__]
    for module in pkgutil.walk_packages(caseworker.__path__, prefix="caseworker."):
        if not module.name.startswith(_NOT_IN_APP):
            names.append(module.name)
    return names


def _import_everything() -> str:
    names = app_modules()
    failed: dict[str, list[str]] = {}  # the cause → the modules it stops
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:
            failed.setdefault(f"{type(error).__name__}: {error}", []).append(name)
    if failed:
        raise ImportError(
            "; ".join(
                f"{cause} (stops {len(stopped)} module(s): {', '.join(stopped[:3])}"
                f"{', …' if len(stopped) > 3 else ''})"
                for cause, stopped in failed.items()
            )
        )
    return f"{len(names)} modules"


def _resources() -> str:
    from caseworker.domain.codes import load_code_table
    from caseworker.domain.regions import load_region_directory
    from caseworker.resources import resource_path, resources_dir

    tables = sorted(p.stem for p in resource_path("codes").glob("*.json"))
    for table in tables:
        if table != "surname_readings":
            load_code_table(table)
    regions = len(load_region_directory())
    qm = resource_path("translations", "caseworker_en.qm")
    if not qm.is_file():
        raise FileNotFoundError(f"the English translation {qm.name} is missing")
    migrations = sorted(
        (Path(caseworker.__file__).parent / "store/migrations/versions").glob("*.py")
    )
    if not migrations:
        raise FileNotFoundError("the database migrations (store/migrations/versions) are missing")
    return (
        f"{len(tables)} code tables, {regions} regions, {len(migrations)} migrations, "
        f"resources in {resources_dir()}"
    )


def demo_characters() -> set[str]:
    """Every character of the demo's names (surnames, given names, minorities' names)."""
    from caseworker.domain.demo_names import demo_lists

    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.update(ch for ch in value if ord(ch) > 0x2E7F)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key != "_about":
                    walk(key)
                    walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(demo_lists())
    return found


def _documents(root: Path, report: Report) -> list[bytes]:
    """A demo centre in ``root``; each printed document built from it. Returns the PDFs."""
    from sqlalchemy import select

    from caseworker.paths import DataPaths
    from caseworker.services import documents, employer_papers, trip_documents, worklist_output
    from caseworker.services.centre import login
    from caseworker.services.coverage_report import coverage_report_pdf
    from caseworker.services.demo import (
        DEMO_PASSWORD,
        build_demo_centre,
        demo_centre,
        demo_villages,
    )
    from caseworker.services.payments import void_payment
    from caseworker.services.remittance import remittance_pdf
    from caseworker.services.trips import plan_trip
    from caseworker.services.void_slips import void_slip_pdf
    from caseworker.services.worklist_spec import WorklistSpec
    from caseworker.store.models import Employer, Payment, Person, SyncBatch
    from caseworker.store.revisions import head_revision
    from caseworker.sync.batches import seal_pending

    paths = DataPaths(root)
    today = date.today()
    summary = build_demo_centre(paths, persons=_DEMO_PERSONS, today=today)
    session = login(paths, "supervisor", DEMO_PASSWORD)
    database, actor = session.database, session.actor
    pdfs: list[bytes] = []
    try:
        revision = database.current_revision()
        if revision != head_revision():
            report.fail(f"the new database is at revision {revision}, not {head_revision()}")
        else:
            print(
                f"ok    encrypted database, migrated to {revision}: {summary.persons} persons, "
                f"{summary.payments} payments"
            )
        with database.reading() as s:
            id_number = s.scalars(select(Person.id_number)).first()
            receipts = sorted(
                set(
                    s.scalars(
                        select(Payment.receipt_number).where(Payment.receipt_number.is_not(None))
                    )
                )
            )
            employer_id = s.scalars(select(Employer.id)).first()
        village = demo_villages(demo_centre()["township_code"])[0].code12
        void_payment(database, actor, receipt_number=receipts[-1], reason="自检作废")
        trip = plan_trip(database, actor, "自检", villages=[village], day=today)
        seal_pending(database)
        with database.reading() as s:
            batch_id = s.scalars(select(SyncBatch.id)).first()

        kinds: dict[str, Callable[[], object]] = {
            "参保登记表 enrolment form": lambda: documents.enrolment_form_pdf(database, id_number),
            "缴费凭证 A5 receipt": lambda: documents.receipt_pdf(database, receipts[0], paper="a5"),
            "缴费凭证 80 mm receipt": lambda: documents.receipt_pdf(
                database, receipts[0], paper="roll80"
            ),
            "作废凭证 void slip": lambda: void_slip_pdf(database, receipts[-1]),
            "收缴日报表 daily report": lambda: documents.daily_report_pdf(database, today),
            "解缴清单 remittance list": lambda: remittance_pdf(database, actor, today),
            "入户调查表 survey sheet": lambda: documents.survey_pdf(database, village),
            "移交清单 transmittal list": lambda: documents.transmittal_pdf(
                database, batch_id, documents.transmittal_rows(database, batch_id)
            ),
            "走访名单 trip visit list": lambda: trip_documents.visit_list_pdf(
                database, actor, trip.trip.id
            ),
            "走访小结 trip summary": lambda: trip_documents.trip_summary_pdf(
                database, actor, trip.trip.id, day=today
            ),
            "工作清单 worklist": lambda: worklist_output.worklist_pdf(
                database, actor, WorklistSpec("not_covered"), today
            ),
            "覆盖情况报告 coverage report": lambda: coverage_report_pdf(database, actor, today),
            "单位参保登记表 employer registration": lambda: employer_papers.registration_pdf(
                database, actor, employer_id
            ),
            "职工花名册 employer roster": lambda: employer_papers.roster_pdf(
                database, actor, employer_id, today
            ),
            "增减员表 employer changes": lambda: employer_papers.change_list_pdf(
                database, actor, employer_id, today.year, today.month
            ),
        }
        for what, make in kinds.items():

            def build(make: Callable[[], object] = make) -> str:
                result = make()
                if not result.pdf.startswith(b"%PDF"):
                    raise ValueError("not a PDF")
                if result.missing:
                    raise ValueError("no font has " + "".join(result.missing))
                pdfs.append(result.pdf)
                return f"{result.pages} page(s), {len(result.pdf) // 1024} KB"

            report.check(what, build)
        chain = documents.font_chain(database)
    finally:
        session.close()

    def fonts() -> str:
        missing = chain.missing("".join(sorted(demo_characters())))
        if missing:
            raise ValueError("no font has these characters of the demo names: " + " ".join(missing))
        return f"{len(demo_characters())} characters of the demo names; fonts: " + "; ".join(
            chain.describe()
        )

    report.check("fonts cover the demo names", fonts)
    return pdfs


def _qt(pdf: bytes | None) -> str:
    """Qt offscreen: the platform plugins, printing, the PDF preview's renderer, images."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLibraryInfo, QSize, QTranslator
    from PySide6.QtGui import QImageReader
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
    from PySide6.QtWidgets import QApplication

    from caseworker.resources import resource_path

    app = QApplication.instance() or QApplication(["caseworker"])
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    wanted = {"offscreen"} | ({"xcb"} if sys.platform.startswith("linux") else set())
    wanted |= {"windows"} if sys.platform == "win32" else set()
    present = {
        p.name.split(".")[0].removeprefix("libq").removeprefix("q")
        for p in (plugins / "platforms").glob("*")
    }
    missing = sorted(wanted - present)
    if missing:
        raise FileNotFoundError(f"Qt platform plugins missing from {plugins}: {missing}")
    if sys.platform.startswith("linux") and not list((plugins / "printsupport").glob("*cups*")):
        raise FileNotFoundError(f"Qt's CUPS print support plugin is missing from {plugins}")
    formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
    if not {"png", "jpeg", "svg"} <= formats:
        raise FileNotFoundError(
            f"Qt image formats missing: {sorted({'png', 'jpeg', 'svg'} - formats)}"
        )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printers = len(QPrinterInfo.availablePrinters())
    if not printer.isValid():
        raise RuntimeError("Qt cannot make a printer")
    translator = QTranslator()
    if not translator.load(str(resource_path("translations", "caseworker_en.qm"))):
        raise RuntimeError("Qt cannot load the English translation")
    rendered = "no PDF to render"
    if pdf is not None:
        data = QByteArray(pdf)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument()
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready:
            raise RuntimeError(f"QtPdf cannot open a receipt: {document.error()}")
        image = document.render(0, QSize(300, 420))
        if image.isNull():
            raise RuntimeError("QtPdf rendered an empty page")
        rendered = "a receipt rendered by QtPdf"
        document.close()
    icon = QImageReader(str(resource_path("icons", "caseworker.svg"))).read()
    if icon.isNull():
        raise RuntimeError("the app's icon cannot be read")
    _look(app)
    del app
    return f"platform {', '.join(sorted(wanted))}; {printers} printer(s) known; {rendered}"


def _look(app: object) -> None:
    """The palette and stylesheet render (resources/style), and the icon font draws."""
    from caseworker.ui import icons, style

    if "${" in style.stylesheet(style.text_scale("largest")):
        raise RuntimeError("the stylesheet has a token the palette does not define")
    image = icons.icon("front_desk").pixmap(16, 16).toImage()
    if not any(image.pixelColor(x, y).alpha() for y in range(16) for x in range(16)):
        raise RuntimeError("the icon font (qtawesome's Material Design Icons) draws nothing")


def run_selftest() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # in order with stderr's FAIL lines
    info = build_info()
    print(f"{info.version_line()} — self-test, Python {sys.version.split()[0]}, {sys.platform}")
    report = Report()
    report.check("every module of the app imports", _import_everything)
    report.check("reference data, translations, migrations", _resources)
    root = Path(tempfile.mkdtemp(prefix="caseworker-selftest-"))
    pdfs: list[bytes] = []
    try:
        found = report.check(
            "demo centre and its documents", lambda: _run_documents(root, report, pdfs)
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    report.check("Qt offscreen", lambda: _qt(pdfs[1] if len(pdfs) > 1 else None))
    del found
    if report.problems:
        print(
            f"self-test FAILED: {len(report.problems)} problem(s):\n  "
            + "\n  ".join(report.problems),
            file=sys.stderr,
        )
        return 1
    print("self-test passed")
    return 0


def _run_documents(root: Path, report: Report, pdfs: list[bytes]) -> str:
    pdfs.extend(_documents(root / "data", report))
    return f"{len(pdfs)} documents"
