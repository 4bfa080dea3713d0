"""The desktop app as the foundation ships it, driven through real widgets on a real store."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.ui.login import LoginDialog
from caseworker.ui.main_window import MainWindow, PersonTableModel
from tests.conftest import CLERK_PASSWORD, TODAY
from tests.services.test_enrolment import farmer


def test_wrong_password_is_shown_and_the_dialog_stays(qtbot, centre: OpenSession):
    dialog = LoginDialog(centre.database.paths)
    qtbot.addWidget(dialog)
    assert "玉山镇社会保障服务中心" in dialog.centre_label.text()
    dialog.username.setText("clerk")
    dialog.password.setText("wrong")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisibleTo(dialog)
    assert "用户名或密码不正确" in dialog.error.text()
    assert dialog.session is None
    assert dialog.username.text() == "clerk"  # nothing typed is lost


def test_login_then_search_by_tail_and_name(qtbot, centre: OpenSession):
    enrol(
        centre.database, centre.actor, farmer(), [EnrolmentChoice("resident_medical")], today=TODAY
    )
    dialog = LoginDialog(centre.database.paths)
    qtbot.addWidget(dialog)
    dialog.username.setText("clerk")
    dialog.password.setText(CLERK_PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    session = dialog.session
    assert session is not None
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert "经办员" in window.windowTitle()
    assert "待上传 2 条" in window.status_label.text()
    qtbot.keyClicks(window.search_box, "0016")
    assert window.model.rowCount() == 1
    row = window.model.rows[0]
    assert window.model.data(window.model.index(0, 0)) == "3205**********0016"
    assert window.model.data(window.model.index(0, 4)) == "居民医保"
    assert row.name == "单雄信"
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, "sxx")
    assert [r.name for r in window.model.rows] == ["单雄信"]
    session.close()


def test_person_table_model_passes_the_model_tester(qtmodeltester, centre: OpenSession):
    enrol(centre.database, centre.actor, farmer(), [], today=TODAY)
    from caseworker.services.registry import search

    model = PersonTableModel()
    model.set_rows(search(centre.database, "单"))
    qtmodeltester.check(model)


def test_without_a_display_the_app_says_how_to_get_one(tmp_path):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    environment["CASEWORKER_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "caseworker"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert result.returncode == 1
    assert "xvfb-run" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="the display check is for Linux")
def test_headless_platform_counts_as_a_display(monkeypatch):
    from caseworker.ui.display import display_problem

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert display_problem() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert "xvfb-run" in display_problem()
