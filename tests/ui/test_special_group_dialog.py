"""The special-group dialog driven end to end on a real centre: a file chosen, previewed in
the read lane (counts and the rows not marked, in words), imported in the write lane, the
unmatched list saved and read back; a list without its group said in the banner."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store.models import Person
from caseworker.ui.dialogs.special_group_dialog import SpecialGroupDialog
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer
from tests.services.test_special_groups import SHAN, STRANGER


def the_list(tmp_path: Path) -> Path:
    path = tmp_path / "特困名单.csv"
    path.write_text(
        f"姓名,身份证号码,认定机关\n单雄信,{SHAN},XX县民政局\n钱多多,{STRANGER},XX县民政局\n",
        encoding="utf-8",
    )
    return path


def test_preview_import_and_save_the_unmatched(qtbot, centre, supervisor, runner, tmp_path):
    enrol(
        centre.database, centre.actor, farmer(), [EnrolmentChoice("resident_medical")], today=TODAY
    )
    dialog = SpecialGroupDialog(supervisor, runner, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.preview_button.isEnabled() and not dialog.import_button.isEnabled()

    dialog.choose.click()
    assert dialog.file_dialog is not None
    dialog.file_dialog.fileSelected.emit(str(the_list(tmp_path)))  # as the clerk picks it
    dialog.file_dialog.close()
    assert dialog.file_label.text() == "特困名单.csv"

    # Without a category column and no group chosen: said in the banner, nothing written.
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        dialog.preview_button.click()
    assert "请选择这份名单的群体" in failed.args[0]
    assert dialog.banner.isVisible() and not dialog.import_button.isEnabled()

    dialog.group.setCurrentIndex(dialog.group.findData("tekun"))
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        dialog.preview_button.click()
    assert "匹配 1（标记 1 人），未登记 1" in dialog.summary.text()
    assert dialog.model.rowCount() == 1
    texts = [dialog.model.index(0, c).data() for c in range(dialog.model.columnCount())]
    assert "未登记" in texts and STRANGER not in texts  # masked on screen
    assert dialog.import_button.isEnabled()

    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.banner.kind == "success")
    assert "1 人标记为特殊群体" in dialog.banner.label.text()
    assert not dialog.import_button.isEnabled()  # imported: preview again to import again
    with supervisor.database.reading() as db:
        assert db.scalar(select(Person.special_groups).where(Person.id_number == SHAN)) == ["tekun"]

    dialog.save_button.click()
    report = tmp_path / "未匹配.xlsx"
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.file_dialog.fileSelected.emit(str(report))
    dialog.file_dialog.close()
    rows = list(load_workbook(report).active.iter_rows(values_only=True))[3:]
    assert [(r[0], r[2]) for r in rows] == [("未登记", STRANGER)]


def test_the_person_view_shows_the_memberships(qtbot, centre, supervisor, runner, tmp_path):
    from caseworker.services.special_groups import import_special_group_list
    from caseworker.ui.views.person_view import PersonView

    person_id = enrol(
        centre.database, centre.actor, farmer(), [EnrolmentChoice("resident_medical")], today=TODAY
    ).person_id
    path = tmp_path / "名单.csv"
    path.write_text(
        "身份证号,类别,认定日期,有效期至,认定机关\n"
        f"{SHAN},低保对象,2025-03-01,2099-12-31,XX县民政局\n"
        f"{SHAN},特困人员,2019-01-01,2020-12-31,YY县民政局\n",
        encoding="utf-8",
    )
    import_special_group_list(supervisor.database, supervisor.actor, path)
    view = PersonView(centre, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show_person(person_id)
    lines = view.fact_labels["special"].text().splitlines()
    assert lines[0] == "最低生活保障对象"  # the groups that count
    assert "最低生活保障对象（2025-03-01～2099-12-31、XX县民政局）" in lines
    assert "特困人员（2019-01-01～2020-12-31、YY县民政局、已过期）" in lines
