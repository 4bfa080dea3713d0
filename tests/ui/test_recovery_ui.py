"""Recovery from the login dialog, end to end: the printed key, a new password, the main
window as the administrator, and another operator's password reset from the operators page."""

from __future__ import annotations

from PySide6.QtCore import Qt

from caseworker.services.access_recovery import new_key_notice
from caseworker.services.centre import login
from caseworker.store.keys import new_recovery_key
from caseworker.ui.login import LoginDialog
from caseworker.ui.main_window import PAGES, MainWindow
from tests.services.test_access_recovery import NEW_ADMIN_PASSWORD


def test_an_administrator_regains_access_and_resets_a_clerk(qtbot, closed_centre, runner):
    paths = closed_centre.paths
    dialog = LoginDialog(paths, runner)
    qtbot.addWidget(dialog)
    dialog.username.setText("admin")
    qtbot.mouseClick(dialog.recovery_button, Qt.MouseButton.LeftButton)
    recovery = dialog.recovery
    assert recovery is not None and recovery.isVisible()
    assert recovery.username.text() == "admin"

    qtbot.keyClicks(recovery.recovery_key, new_recovery_key())  # well formed, not this file's
    qtbot.keyClicks(recovery.password, NEW_ADMIN_PASSWORD)
    qtbot.keyClicks(recovery.confirm, NEW_ADMIN_PASSWORD)
    with qtbot.waitSignal(recovery.error_shown, timeout=10_000):
        qtbot.mouseClick(recovery.ok_button, Qt.MouseButton.LeftButton)
    assert "恢复密钥不正确" in recovery.error.text()
    assert recovery.password.text() == NEW_ADMIN_PASSWORD  # nothing typed is lost

    recovery.recovery_key.setText(closed_centre.recovery_key.lower())  # as typed, any case
    with qtbot.waitSignal(recovery.key_shown, timeout=10_000):
        qtbot.mouseClick(recovery.ok_button, Qt.MouseButton.LeftButton)
    # The new key's fingerprint, for the county, before the dialog goes on.
    notice = new_key_notice(recovery.session)
    assert recovery.notice.isVisible() and notice.fingerprint in recovery.notice.text()
    assert str(notice.device_id) in recovery.notice.text()
    assert "电话或书面" in recovery.notice.text() and dialog.session is None
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(recovery.ok_button, Qt.Key.Key_Space)
    session = dialog.session
    assert session is not None and session.actor.username == "admin"

    window = MainWindow(session, runner)
    qtbot.addWidget(window)
    window.show()
    page = window.operators_page
    with qtbot.waitSignal(page.loaded):
        window.show_page(PAGES.index("operators"))
    page.select("clerk")
    page.reset_password()
    qtbot.keyClicks(page.dialog.password, "clerk anew 123")
    qtbot.keyClicks(page.dialog.confirm, "clerk anew 123")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    window.close()
    session.close()
    login(paths, "admin", NEW_ADMIN_PASSWORD).close()
    login(paths, "clerk", "clerk anew 123").close()
