"""Screenshots of employers enrolling their staff (issue 13) for docs/screenshots/, zh and en.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_employer_screenshots.py

A real centre: a start-up registered, enrolled in the four employees' schemes with a floating
work-injury rate, three employees taken on (one of them coming from the residents' pension)
and one let go; a noodle shop whose known cook holds no employees' scheme. Shots: the employers page with its warnings (employer-page), the employer
enrolment dialog (employer-enrolment), adding an employee with a base out of range
(employer-join), the base declaration with both ends clamped (employer-declaration), the
employers with known workers left out (employer-left-out), 减员 with a reason that counts as
involuntary for unemployment benefit (employer-leave), an employer another centre of the
township registered, as the feed brought it (employer-other-centre); and the printed change
list and registration form rendered with pdftoppm (print-employer-*.png).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QDate

from caseworker.domain.ids import make_id_number, make_uscc
from caseworker.paths import DataPaths
from caseworker.services.centre import setup_centre
from caseworker.services.employer_enrolment import EmployerEnrolmentInput, enrol_employer
from caseworker.services.employer_papers import change_list_pdf, registration_pdf
from caseworker.services.employers import EmployerInput, register_employer
from caseworker.services.employment import (
    JoinInput,
    join_employee,
    leave_employee,
)
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.validation import PersonInput
from caseworker.store.models import new_id
from caseworker.sync.protocol import RegistryFeed, RegistryItem
from caseworker.sync.pull import apply_registry_page
from caseworker.ui.dialogs.base_declaration_dialog import BaseDeclarationDialog
from caseworker.ui.dialogs.employment_dialogs import (
    EmployerEnrolmentDialog,
    JoinDialog,
    LeaveDialog,
)
from caseworker.ui.i18n import install_language
from caseworker.ui.models.declaration import DeclarationModel
from caseworker.ui.views.employers_view import ROW_ROLE, EmployersPage
from docs.take_screenshots import OUT, save, scratch_app, wait, wait_for

TODAY = date(2026, 11, 27)
ALL = ["employee_pension", "employee_medical", "unemployment", "work_injury"]
PEOPLE = (
    ("林小燕", date(1994, 3, 8), 2),
    ("周大海", date(1988, 7, 1), 3),
    ("钱多多", date(1999, 12, 24), 4),
)


def a_centre(folder: Path):
    session = setup_centre(
        DataPaths(folder),
        centre_code="320583101",
        centre_name="玉山镇社会保障服务中心",
        admin_username="admin",
        admin_password="correct horse 1",
    ).session
    db, actor = session.database, session.actor
    employer = register_employer(
        db,
        actor,
        EmployerInput(
            credit_code=make_uscc("91", "320583", "MA1234567"),
            name="昆山小蜜蜂网络科技有限公司",
            employer_type="internet_startup",
            industry="软件和信息技术服务业",
            risk_class=1,
            address="玉山镇前进路1号",
            contact_name="李娜",
            contact_phone="13912345678",
        ),
    )
    enrol_employer(db, actor, employer, EmployerEnrolmentInput(ALL, date(2026, 1, 1), 1, 12000))
    numbers = []
    for name, born, sequence in PEOPLE:
        number = make_id_number("320583", born, sequence)
        numbers.append(number)
        schemes = [EnrolmentChoice("resident_pension", tier_fen=50_000)] if sequence == 2 else []
        enrol(db, actor, PersonInput(id_number=number, name=name), schemes, today=TODAY)
    spells = [
        join_employee(
            db, actor, employer, JoinInput(n, date(2026, 11, i + 1), ALL, 500_000 + i * 150_000)
        )
        for i, n in enumerate(numbers)
    ]
    leave_employee(db, actor, spells[2].employment_id, date(2026, 11, 25), "resigned")
    enrol(
        db,
        actor,
        PersonInput(id_number=make_id_number("320583", date(1990, 5, 5), 5), name="吴晓峰"),
        [],
        today=TODAY,
    )
    # A noodle shop whose cook is known (from a roster) but not insured: the left-out list.
    shop = register_employer(
        db,
        actor,
        EmployerInput(
            credit_code=make_uscc("92", "320583", "MA7654321"),
            name="玉山镇小林面馆",
            employer_type="individual_business",
            contact_name="林老板",
            contact_phone="13812345678",
        ),
    )
    cook = make_id_number("320583", date(1985, 9, 9), 7)
    enrol(
        db,
        actor,
        PersonInput(
            id_number=cook, name="郑大厨", employment_category="employee", employer_id=shop
        ),
        [],
        today=TODAY,
    )
    # A factory registered by the township's other centre, as the registry feed brings it.
    factory = new_id()
    payload = {
        "id": str(factory),
        "version": 2,
        "credit_code": make_uscc("91", "320583", "MA2468135"),
        "name": "昆山玉山精密机械有限公司",
        "employer_type": "company",
        "industry": "通用设备制造业",
        "risk_class": 4,
        "schemes": ALL,
        "insured_from": "2025-03-01",
    }
    item = RegistryItem(
        seq=1,
        entity_type="employer",
        entity_id=factory,
        version=2,
        centre_code="3205831019",
        payload=payload,
    )
    with db.writing() as db_session:
        apply_registry_page(
            db_session, RegistryFeed(township_code=None, items=[item], cursor=1, more=False)
        )
    return session, employer


def render(pdf: bytes, name: str, scratch: Path) -> None:
    source = scratch / f"{name}.pdf"
    source.write_bytes(pdf)
    stem = scratch / name
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", source, stem], check=True)
    (OUT / f"{name}.png").write_bytes(stem.with_suffix(".png").read_bytes())


def shoot(app, runner, session, lang: str) -> None:
    install_language(app, lang)
    page = EmployersPage(session, runner)
    page.resize(1280, 760)
    page.show()
    page.refresh()
    wait_for(page.employees_listed)
    wait(500)
    save(page, "employer-page", lang)

    enrolment = EmployerEnrolmentDialog(session, runner, page.current, page, today=TODAY)
    enrolment.show()
    wait(300)
    save(enrolment, "employer-enrolment", lang)
    enrolment.close()

    join = JoinDialog(session, runner, page.current, page, today=TODAY)
    join.show()
    join.id_number.setText(make_id_number("320583", date(1990, 5, 5), 5))
    join.start.setDate(QDate(2026, 12, 1))
    join.base.setText("30000")
    wait_for_failed = join.save_failed
    join.save()
    wait_for(wait_for_failed)
    join.resize(join.width(), join.sizeHint().height())
    save(join, "employer-join", lang)
    join.close()

    declaration = BaseDeclarationDialog(session, runner, page.current, page, today=TODAY)
    declaration.show()
    wait_for(declaration.previewed)
    for row, wage in enumerate(("3,200", "25,000")):
        declaration.model.setData(declaration.model.index(row, DeclarationModel.WAGE), wage)
    wait_for(declaration.previewed)
    declaration.table.resizeColumnsToContents()
    wait(300)
    save(declaration, "employer-declaration", lang)
    declaration.close()
    page.left_out_only.setChecked(True)
    wait_for(page.employees_listed)
    wait(500)
    save(page, "employer-left-out", lang)
    page.left_out_only.setChecked(False)
    wait_for(page.employees_listed)

    def choose(wanted) -> None:
        for row in range(page.model.rowCount()):
            if wanted(page.model.data(page.model.index(row, 0), ROW_ROLE)):
                page.table.setCurrentIndex(page.model.index(row, 0))
                wait_for(page.employees_listed)
                return
        raise SystemExit("no such employer on the page")

    choose(lambda e: e.name == "昆山小蜜蜂网络科技有限公司")
    page.employee_table.setCurrentIndex(page.employees.index(0, 0))
    page.leave()
    for _ in range(100):
        if isinstance(page.dialog, LeaveDialog):
            break
        wait(100)
    else:
        raise SystemExit(f"no leave dialog: {page.notice.text()}")
    leave = page.dialog
    leave.reason.setCurrentIndex(leave.reason.findData("dismissed"))
    leave.resize(leave.width(), leave.sizeHint().height())
    wait(300)
    save(leave, "employer-leave", lang)
    leave.close()

    choose(lambda e: e.owner_centre_code is not None)
    wait(300)
    save(page, "employer-other-centre", lang)
    page.close()


def main() -> None:
    with scratch_app() as (app, runner, scratch):
        session, employer = a_centre(scratch / "centre")
        try:
            for lang in ("zh", "en"):
                shoot(app, runner, session, lang)
            render(
                change_list_pdf(session.database, session.actor, employer, 2026, 11).pdf,
                "print-employer-changes",
                scratch,
            )
            render(
                registration_pdf(session.database, session.actor, employer).pdf,
                "print-employer-registration",
                scratch,
            )
        finally:
            session.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
