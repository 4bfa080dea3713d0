"""The idle lock: a watch on the operator's input, and the screen that covers the window.

After the centre's ``IDLE_LOCK_MINUTES`` without a key press, click or wheel turn anywhere in
the application, the main window locks (``MainWindow.lock``): this screen replaces its
contents, the store is closed and the keys are let go. The operator who locked it types their
password and is back where they were; another operator logs in from here to a clean window,
and what the first had typed stays as the first one's draft.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from caseworker.paths import DataPaths
from caseworker.services.actor import Actor
from caseworker.services.login_guard import Clock, utc_now
from caseworker.ui.i18n import with_note
from caseworker.ui.style import scaled, set_role
from caseworker.ui.tasks import TaskRunner

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.InputMethod,
    QEvent.Type.TouchBegin,
}


class IdleWatch(QObject):
    """A single-shot timer restarted by every input event of the application."""

    timed_out = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.timed_out)
        self.set_minutes(minutes)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)  # Qt removes it when this object is destroyed

    def set_minutes(self, minutes: int) -> None:
        self.set_interval_ms(minutes * 60_000)

    def set_interval_ms(self, interval_ms: int) -> None:
        """Tests give a short interval (or emit ``timer.timeout``) instead of waiting."""
        self.timer.setInterval(interval_ms)
        if self.timer.isActive():
            self.timer.start()

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.timer.isActive() and event.type() in _INPUT_EVENTS:
            self.timer.start()  # input: the wait starts again
        return False


class LockScreen(QWidget):
    """What covers the window while it is locked: who locked it, and the password form."""

    unlocked = Signal(object)  # the OpenSession of whoever logged in here

    def __init__(
        self,
        paths: DataPaths,
        runner: TaskRunner,
        actor: Actor,
        *,
        clock: Clock = utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.actor = actor
        title = QLabel(self.tr("屏幕已锁定"))
        title.setObjectName("lockTitle")
        set_role(title, "display")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who = QLabel(
            self.tr("%1 — 长时间无操作，已自动锁定。数据库已关闭。").replace(
                "%1", with_note(actor.display_name, actor.username)
            )
            + "\n"
            + self.tr("本人输入密码可回到原来的页面，未保存的内容都还在；")
            + "\n"
            + self.tr("其他操作员登录将打开新的页面，原操作员未保存的登记表留作其草稿。")
        )
        self.who.setObjectName("lockWho")
        self.who.setWordWrap(True)
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.centre = QLabel(with_note(actor.centre_name, actor.centre_code))
        self.centre.setAlignment(Qt.AlignmentFlag.AlignCenter)
        from caseworker.ui.login_panel import LoginPanel  # the login dialog has it loaded

        self.panel = LoginPanel(
            paths, runner, clock=clock, username=actor.username, button_text=self.tr("解锁")
        )
        self.panel.logged_in.connect(self.unlocked)
        self.panel.setFixedWidth(scaled(420))
        # Until the store is closed (see ``store_closed``).
        self.panel.setEnabled(False)
        self.panel.ok_button.setEnabled(False)

        box = QWidget()
        box.setObjectName("lockBox")
        column = QVBoxLayout(box)
        column.addWidget(title)
        column.addWidget(self.centre)
        column.addWidget(self.who)
        column.addSpacing(12)
        column.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.panel.ok_button, 0, Qt.AlignmentFlag.AlignHCenter)
        # A fixed width: wrapped labels in a centred box get no width to wrap against.
        box.setFixedWidth(scaled(640))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def store_closed(self) -> None:
        """The store is closed and the keys let go: a password may be typed now."""
        self.panel.setEnabled(True)
        self.panel.ok_button.setEnabled(True)
        self.panel.check_lock()
        self.panel.start_focus()
