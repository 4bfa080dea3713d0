"""Start-up: the login dialog and the display check, driven through real widgets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from caseworker.services.centre import OpenSession
from caseworker.ui.login import LoginDialog
from caseworker.ui.preferences import preferences
from tests.conftest import CLERK_PASSWORD
from tests.services.test_login_guard import Clock


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


def test_login_on_the_runner_keyboard_only(qtbot, centre: OpenSession, runner):
    dialog = LoginDialog(centre.database.paths, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    assert dialog.username.hasFocus()  # no name remembered yet: the cursor starts there
    qtbot.keyClicks(dialog.username, "clerk")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    assert dialog.password.hasFocus()
    qtbot.keyClicks(dialog.password, "wrong password")
    with qtbot.waitSignal(dialog.error_shown):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "用户名或密码不正确" in dialog.error.text()
    assert dialog.password.isEnabled() and dialog.password.hasFocus()
    dialog.password.setText(CLERK_PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session is not None
    assert dialog.session.actor.username == "clerk"
    dialog.session.close()
    # The next login starts with the name filled in and the cursor in the password.
    assert preferences().value("login/last_username") == "clerk"
    again = LoginDialog(centre.database.paths)
    qtbot.addWidget(again)
    assert again.username.text() == "clerk"


def test_login_without_a_centre_says_what_to_do(qtbot, data_paths):
    dialog = LoginDialog(data_paths)
    qtbot.addWidget(dialog)
    assert "还没有服务中心" in dialog.centre_label.text()
    assert not dialog.ok_button.isEnabled()


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


def test_after_five_failures_the_dialog_counts_down_the_wait(qtbot, centre: OpenSession):
    centre.close()
    clock = Clock()
    dialog = LoginDialog(centre.database.paths, clock=clock)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    dialog.username.setText("clerk")
    for _ in range(5):
        dialog.password.setText("wrong password 9")
        dialog.try_login()
    assert not dialog.ok_button.isEnabled()
    assert "须等待 0:30 后才能再试" in dialog.error.text()
    assert dialog.panel.countdown.isActive()
    # Enter does nothing while the name waits, even with the right password.
    dialog.password.setText(CLERK_PASSWORD)
    dialog.password.setFocus()
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session is None
    clock.advance(12)
    dialog.panel.countdown.timeout.emit()
    assert "0:18" in dialog.error.text()
    # Another name is not held up.
    dialog.username.setText("supervisor")
    assert dialog.ok_button.isEnabled() and not dialog.error.isVisibleTo(dialog)
    dialog.username.setText("clerk")
    assert not dialog.ok_button.isEnabled()
    clock.advance(18)
    dialog.panel.countdown.timeout.emit()
    assert dialog.ok_button.isEnabled() and not dialog.panel.countdown.isActive()
    assert not dialog.error.isVisibleTo(dialog)
    assert dialog.password.hasFocus()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session is not None
    dialog.session.close()
