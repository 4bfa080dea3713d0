"""Every page and every dialog opened on a 1366×768 screen at one scale factor, measured.

Run as a child process (``python -m tests.ui.fit_check FOLDER``) with QT_SCALE_FACTOR and an
offscreen screen of 1366×768 already in its environment (``tests/ui/test_small_screens.py``
does this, one process per scale factor: the factor must be set before QApplication exists).
It prints one JSON line: the room it measured against and every window that does not fit —
its minimum size hint larger than the room, or its frame outside it.

``DIALOGS`` is the one list of the dialogs: each class, by its module and name, with how to
open it on a small demo centre. The test fails when a QDialog subclass in caseworker/ui is
missing from it, so a new dialog is measured from the day it is written.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QRect, QSize, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QWidget

SCREEN = QSize(1366, 768)
WAIT_MS = 30_000  # the longest a window's readings may take on a loaded machine


@dataclass
class Centre:
    """The demo centre the windows open on, and what they are opened with."""

    session: Any
    runner: Any
    person_id: uuid.UUID
    employer: Any
    receipt_number: str
    today: date


def room(app: QApplication) -> QRect:
    """The screen's available geometry (on Windows, without the taskbar)."""
    return app.primaryScreen().availableGeometry()


def settle(runner: Any) -> None:
    """Until no job of the runner is running or waiting (their answers lay the window out)."""
    for _round in range(5):  # an answer may ask for another reading
        loop = QEventLoop()
        runner.when_idle(lambda loop=loop: QTimer.singleShot(0, loop.quit))
        QTimer.singleShot(WAIT_MS, loop.quit)  # a reading that never answers fails below
        loop.exec()
        QApplication.processEvents()
        if runner._active == 0:
            return


def problems_of(widget: QWidget, name: str, space: QRect) -> list[str]:
    found = []
    hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    frame = widget.frameGeometry()
    extra = frame.size() - widget.size()  # the window manager's frame (none offscreen)
    if hint.width() + extra.width() > space.width() or hint.height() + extra.height() > (
        space.height()
    ):
        found.append(
            f"{name}: needs {hint.width()}×{hint.height()}, room {space.width()}×{space.height()}"
        )
    if not space.contains(frame):
        found.append(
            f"{name}: at {frame.x()},{frame.y()} {frame.width()}×{frame.height()}, outside the room"
        )
    # A box that promises to be as wide as its entries, squeezed by its layout, cuts the
    # chosen entry off under its arrow.
    for box in widget.findChildren(QComboBox):
        adjusts = box.sizeAdjustPolicy() == QComboBox.SizeAdjustPolicy.AdjustToContents
        if adjusts and box.isVisible() and box.width() < box.sizeHint().width():
            found.append(
                f"{name}: {box.objectName() or 'a combo box'} is {box.width()} wide, its"
                f" entries need {box.sizeHint().width()}"
            )
    return found


# -- the dialogs -----------------------------------------------------------------------------


def _preview(c: Centre) -> QDialog:
    from caseworker.services.receipt_issue import receipt_output
    from caseworker.ui.printing import PrintPreviewDialog

    output = receipt_output(c.session.database, c.session.actor, c.receipt_number, copy=True)
    return PrintPreviewDialog(output.result)


def _receipt_preview(c: Centre) -> QDialog:
    from caseworker.services.receipt_issue import receipt_output
    from caseworker.ui.receipt_printing import ReceiptPreviewDialog

    output = receipt_output(c.session.database, c.session.actor, c.receipt_number, copy=True)
    return ReceiptPreviewDialog(output, c.session, c.runner)


def _trip_plan(c: Centre) -> QDialog:
    from caseworker.services.households import township_villages
    from caseworker.ui.dialogs.trip_plan_dialog import TripPlanDialog

    villages = township_villages(c.session.database, c.session.actor)
    return TripPlanDialog(c.session, c.runner, villages, c.today)


def _new_household(c: Centre) -> QDialog:
    from caseworker.services.households import township_villages
    from caseworker.ui.dialogs.new_household_dialog import NewHouseholdDialog

    villages = township_villages(c.session.database, c.session.actor)
    return NewHouseholdDialog(c.session, c.runner, villages, c.today, None)


def _trip_summary(c: Centre) -> QDialog:
    from caseworker.services.households import township_villages
    from caseworker.services.trip_summary import trip_summary
    from caseworker.services.trips import plan_trip
    from caseworker.ui.dialogs.trip_summary_dialog import TripSummaryDialog

    village = township_villages(c.session.database, c.session.actor)[0][0]
    trip = plan_trip(c.session.database, c.session.actor, "一组", villages=[village], day=c.today)
    summary = trip_summary(c.session.database, c.session.actor, trip.trip.id, day=c.today)
    return TripSummaryDialog(summary, lambda: None)


def _tax_list(c: Centre) -> QDialog:
    from caseworker.services.tax_list import TaxListMatch
    from caseworker.ui.dialogs.tax_list_dialog import TaxListMatchDialog

    empty = TaxListMatch("税务缴费清单.xlsx", "0" * 64, "xlsx", c.today, c.today, (), (), (), ())
    return TaxListMatchDialog(empty)


def _column_mapping(c: Centre) -> QDialog:
    from caseworker.services.roster_file import inspect_roster
    from caseworker.services.roster_template import write_template
    from caseworker.ui.dialogs.column_mapping_dialog import ColumnMappingDialog

    path = c.session.database.paths.root / "名册模板.xlsx"
    write_template(path)
    return ColumnMappingDialog(inspect_roster(path))


def _day_close(c: Centre) -> QDialog:
    from caseworker.services.day_close import day_overview
    from caseworker.ui.dialogs.day_close_dialog import DayCloseDialog

    (first, *_rest) = day_overview(c.session.database, c.session.actor, c.today)
    return DayCloseDialog(c.session, c.runner, first.totals)


def _operator(c: Centre) -> QDialog:
    from caseworker.ui.dialogs.operator_dialog import Mode, OperatorDialog

    return OperatorDialog(Mode.ADD, agencies=["县人力资源服务公司"])


def _drafts(c: Centre) -> QDialog:
    from datetime import UTC, datetime

    from caseworker.ui.dialogs.drafts_dialog import DraftsDialog
    from caseworker.ui.drafts import ENROLMENT, DraftInfo

    when = datetime.now(UTC)
    drafts = [
        DraftInfo(uuid.uuid4(), ENROLMENT, when, "clerk", f"测试{n} 3205**********001{n}")
        for n in range(3)
    ]
    return DraftsDialog(c.session, drafts)


def _leave(c: Centre) -> QDialog:
    from caseworker.ui.dialogs.employment_dialogs import LeaveDialog

    return LeaveDialog(c.session, c.runner, uuid.uuid4(), "单雄信", today=c.today)


def _employer_dialog(
    name: str, module: str = "caseworker.ui.dialogs.employment_dialogs"
) -> Callable[[Centre], QDialog]:
    def make(c: Centre) -> QDialog:
        cls = getattr(__import__(module, fromlist=[name]), name)
        return cls(c.session, c.runner, c.employer, today=c.today)

    return make


def _with_person(module: str, name: str) -> Callable[[Centre], QDialog]:
    def make(c: Centre) -> QDialog:
        cls = getattr(__import__(module, fromlist=[name]), name)
        return cls(c.session, c.runner, c.person_id)

    return make


def _login(c: Centre) -> QDialog:
    from caseworker.ui.login import LoginDialog

    return LoginDialog(c.session.database.paths, c.runner)


def _recovery(c: Centre) -> QDialog:
    from caseworker.ui.dialogs.recovery_dialog import RecoveryDialog

    return RecoveryDialog(c.session.database.paths, c.runner, username="admin")


def _wizard(c: Centre) -> QDialog:
    from caseworker.paths import DataPaths
    from caseworker.ui.wizard import SetupWizard

    return SetupWizard(DataPaths(c.session.database.paths.root / "new-centre"), c.runner)


def _about(c: Centre) -> QDialog:
    from caseworker.ui.dialogs.about_dialog import AboutDialog

    return AboutDialog(c.session.database.paths.root)


def _consent(c: Centre) -> QDialog:
    from caseworker.ui.dialogs.export_consent_dialog import ExportConsentDialog

    return ExportConsentDialog(1234, c.session.database.paths.root / "全部人员.xlsx")


def _change_head(c: Centre) -> QDialog:
    from caseworker.ui.dialogs.change_head_dialog import ChangeHeadDialog

    return ChangeHeadDialog("单雄信", "秦琼")


def _void(c: Centre) -> QDialog:
    from caseworker.ui.dialogs.void_dialog import VoidDialog

    return VoidDialog(c.session, c.runner, c.receipt_number)


def _newcomer(c: Centre) -> QDialog:
    from caseworker.ui.dialogs.newcomer_dialog import NewcomerDialog

    return NewcomerDialog(c.session, c.runner, c.today, None)


def _with_session(module: str, name: str) -> Callable[[Centre], QDialog]:
    def make(c: Centre) -> QDialog:
        return getattr(__import__(module, fromlist=[name]), name)(c.session, c.runner)

    return make


_D = "caseworker.ui.dialogs."
# Every dialog, by "module:Class", with how to open it. ServiceDialog is the frame of the
# employment dialogs (never opened on its own).
DIALOGS: dict[str, Callable[[Centre], QDialog] | None] = {
    "caseworker.ui.login:LoginDialog": _login,
    "caseworker.ui.printing:PrintPreviewDialog": _preview,
    "caseworker.ui.receipt_printing:ReceiptPreviewDialog": _receipt_preview,
    "caseworker.ui.wizard:SetupWizard": _wizard,
    f"{_D}drafts_dialog:DraftsDialog": _drafts,
    f"{_D}trip_plan_dialog:TripPlanDialog": _trip_plan,
    f"{_D}recovery_dialog:RecoveryDialog": _recovery,
    f"{_D}new_household_dialog:NewHouseholdDialog": _new_household,
    f"{_D}about_dialog:AboutDialog": _about,
    f"{_D}tax_list_dialog:TaxListMatchDialog": _tax_list,
    f"{_D}operator_dialog:OperatorDialog": _operator,
    f"{_D}column_mapping_dialog:ColumnMappingDialog": _column_mapping,
    f"{_D}employer_dialog:EmployerDialog": _with_session(f"{_D}employer_dialog", "EmployerDialog"),
    f"{_D}spot_enrolment_dialog:SpotEnrolmentDialog": _with_person(
        f"{_D}spot_enrolment_dialog", "SpotEnrolmentDialog"
    ),
    f"{_D}trip_summary_dialog:TripSummaryDialog": _trip_summary,
    f"{_D}payment_dialog:PaymentDialog": _with_person(f"{_D}payment_dialog", "PaymentDialog"),
    f"{_D}special_group_dialog:SpecialGroupDialog": _with_session(
        f"{_D}special_group_dialog", "SpecialGroupDialog"
    ),
    f"{_D}change_head_dialog:ChangeHeadDialog": _change_head,
    f"{_D}void_dialog:VoidDialog": _void,
    f"{_D}coverage_answer_dialog:CoverageAnswerDialog": _with_person(
        f"{_D}coverage_answer_dialog", "CoverageAnswerDialog"
    ),
    f"{_D}service_dialog:ServiceDialog": None,
    f"{_D}base_declaration_dialog:BaseDeclarationDialog": _employer_dialog(
        "BaseDeclarationDialog", f"{_D}base_declaration_dialog"
    ),
    f"{_D}day_close_dialog:DayCloseDialog": _day_close,
    f"{_D}export_consent_dialog:ExportConsentDialog": _consent,
    f"{_D}newcomer_dialog:NewcomerDialog": _newcomer,
    f"{_D}tax_payment_dialog:TaxPaymentDialog": _with_person(
        f"{_D}tax_payment_dialog", "TaxPaymentDialog"
    ),
    f"{_D}employment_dialogs:EmployerEnrolmentDialog": _employer_dialog("EmployerEnrolmentDialog"),
    f"{_D}employment_dialogs:JoinDialog": _employer_dialog("JoinDialog"),
    f"{_D}employment_dialogs:LeaveDialog": _leave,
    f"{_D}employment_dialogs:PlatformLinkDialog": _employer_dialog("PlatformLinkDialog"),
}

# -- the run ------------------------------------------------------------------------------


def open_centre(folder: Path, runner: Any) -> Centre:
    from caseworker.paths import DataPaths
    from caseworker.services.centre import login
    from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
    from caseworker.services.employers import employer_summaries, search_employer_ids
    from caseworker.store.models import Payment, Person

    paths = DataPaths(folder / "centre")
    today = date.today()
    build_demo_centre(paths, persons=40, today=today)
    session = login(paths, "admin", DEMO_PASSWORD)
    with session.database.reading() as db:
        from sqlalchemy import select

        person_id = db.scalar(select(Person.id).order_by(Person.name).limit(1))
        receipt = db.scalar(
            select(Payment.receipt_number)
            .where(Payment.channel == "desk", Payment.business_date == today)
            .limit(1)
        ) or db.scalar(select(Payment.receipt_number).where(Payment.channel == "desk").limit(1))
    (employer_id, *_rest) = search_employer_ids(session.database, "")
    (employer,) = employer_summaries(session.database, [employer_id])
    return Centre(session, runner, person_id, employer, receipt, today)


def measure(folder: Path) -> dict[str, Any]:
    from caseworker.ui.main_window import PAGES, MainWindow
    from caseworker.ui.style import apply_style
    from caseworker.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    apply_style(app)
    runner = TaskRunner()
    centre = open_centre(folder, runner)
    space = room(app)
    problems: list[str] = []
    window = MainWindow(centre.session, runner)
    window.show()
    settle(runner)
    for name in PAGES:
        window.show_page(PAGES.index(name))
        settle(runner)
    problems += problems_of(window, "MainWindow (every page built)", space)
    chrome = window.size() - window.stack.size()
    for name in PAGES:
        hint = window.page(name).minimumSizeHint() + chrome
        if hint.width() > space.width() or hint.height() > space.height():
            problems.append(f"page {name}: needs {hint.width()}×{hint.height()}")
    desk = window.front_desk
    desk.open_person(centre.person_id)
    settle(runner)
    desk.new_enrolment()
    settle(runner)
    form = desk.form
    hint = form.minimumSizeHint()
    if hint.height() > desk.size().height() or hint.width() > desk.size().width():
        problems.append(f"enrolment form: needs {hint.width()}×{hint.height()}")
    problems += problems_of(window, "MainWindow (person, form)", space)
    opened = []
    for key, make in DIALOGS.items():
        if make is None:
            continue
        dialog = make(centre)
        dialog.setParent(window, dialog.windowFlags())
        dialog.show()
        settle(runner)
        problems += problems_of(dialog, key.split(":")[1], space)
        opened.append(key)
        dialog.hide()
        dialog.deleteLater()
    window.hide()
    runner.shutdown()
    centre.session.close()
    return {"room": [space.width(), space.height()], "opened": opened, "problems": problems}


if __name__ == "__main__":
    from caseworker.store import keys

    # Lighter key derivation, as the test process's own (tests/conftest.py): nothing measured
    # here depends on it.
    keys.DEFAULT_ARGON2.update(time_cost=1, memory_cost=8 * 1024)
    print(json.dumps(measure(Path(sys.argv[1])), ensure_ascii=False))
