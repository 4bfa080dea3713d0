"""First run: the set-up wizard creates a real centre in a real data folder."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from caseworker.services.centre import login, setup_centre
from caseworker.store.keys import KeyFile, normalise_recovery_key
from caseworker.ui.wizard import SetupWizard, township_choices
from tests.ui.helpers import type_chinese

PASSWORD = "first admin 1"


def start(qtbot, data_paths, runner) -> SetupWizard:
    wizard = SetupWizard(data_paths, runner)
    qtbot.addWidget(wizard)
    with qtbot.waitActive(wizard):
        wizard.show()
    return wizard


def choose_township(wizard: SetupWizard, code: str) -> None:
    page = wizard.centre_page
    page.township.setCurrentIndex(page.township.findData(code))


def fill_admin(qtbot, wizard: SetupWizard, again: str = PASSWORD) -> None:
    page = wizard.admin_page
    page.username.clear()
    qtbot.keyClicks(page.username, "zhangmin")
    page.display_name.clear()
    type_chinese(page.display_name, "张敏")
    page.password.clear()
    page.password_again.clear()
    qtbot.keyClicks(page.password, PASSWORD)
    qtbot.keyClicks(page.password_again, again)


def test_setup_end_to_end_onto_a_real_data_folder(qtbot, data_paths, runner):
    assert ("320281103", "江苏省无锡市江阴市青阳镇") in township_choices()
    wizard = start(qtbot, data_paths, runner)
    choose_township(wizard, "320281103")
    assert wizard.centre_page.centre_code.text() == "320281103"
    assert wizard.centre_page.centre_name.text() == "江阴市青阳镇社会保障服务中心"
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.centre_page.device_number.value() == 1
    wizard.centre_page.device_number.setValue(2)  # the centre's second computer
    wizard.next()
    assert wizard.currentPage() is wizard.admin_page
    # Passwords that differ: said plainly, nothing created.
    fill_admin(qtbot, wizard, again="first admin 2")
    wizard.next()
    assert wizard.currentPage() is wizard.admin_page
    assert "两次输入的密码不一致" in wizard.admin_page.error.text()
    assert not data_paths.exists()
    fill_admin(qtbot, wizard)
    with qtbot.waitSignal(wizard.currentIdChanged):
        wizard.next()
    assert wizard.currentPage() is wizard.key_page
    key = wizard.key_page.recovery_key()
    assert normalise_recovery_key(key) == key
    assert wizard.key_page.key.text().replace("\n", "") == key
    # Finish only once the clerk confirms the key is written down; no way back or out.
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible() or not (
        wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    )
    wizard.reject()
    assert wizard.isVisible()
    wizard.key_page.written.setFocus()
    qtbot.keyClick(wizard.key_page.written, Qt.Key.Key_Space)
    assert finish.isEnabled()
    with qtbot.waitSignal(wizard.accepted):
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    session = wizard.session
    assert session is not None
    assert session.actor.centre_code == "320281103"
    assert session.actor.display_name == "张敏"
    assert session.actor.device_number == 2  # and so every receipt number carries "-02-"
    session.close()
    # The folder holds a working centre: the password logs in, the recovery key unlocks.
    again = login(data_paths, "zhangmin", PASSWORD)
    assert again.actor.role == "admin"
    again.close()
    KeyFile.load(data_paths.key_file).unlock_with_recovery(key)


def test_a_weak_password_is_refused_before_anything_is_created(qtbot, data_paths, runner):
    wizard = start(qtbot, data_paths, runner)
    wizard.next()
    page = wizard.admin_page
    qtbot.keyClicks(page.password, "short")
    qtbot.keyClicks(page.password_again, "short")
    wizard.next()
    assert wizard.currentPage() is page
    assert "至少需要8个字符" in page.error.text()
    assert not data_paths.exists()


def test_a_folder_that_already_holds_a_centre_is_not_overwritten(qtbot, data_paths, runner):
    wizard = start(qtbot, data_paths, runner)
    wizard.next()
    # Another window set up a centre here in the meantime.
    setup_centre(
        data_paths,
        centre_code="320281005",
        centre_name="云亭街道社会保障服务中心",
        admin_username="admin",
        admin_password="another admin 1",
    ).session.close()
    fill_admin(qtbot, wizard)
    with qtbot.waitSignal(wizard.admin_page.failed):
        wizard.next()
    assert wizard.currentPage() is wizard.admin_page
    assert "已有服务中心数据" in wizard.admin_page.error.text()
    assert wizard.admin_page.isEnabled()
    assert KeyFile.load(data_paths.key_file).centre_code == "320281005"
