"""The banner across the main window while the store is behind its high-water marks.

It says what was lost and what to do, in the words the refused services use, and stays
until the session ends: only a restore or an accepted loss (both `caseworker db …`, by an
administrator) make the store whole again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from caseworker.services.centre import OpenSession
from caseworker.services.store_guard import restriction_words
from caseworker.ui.i18n import in_language
from caseworker.ui.style import set_banner


class StoreBanner(QLabel):
    def __init__(self, session: OpenSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("storeBehindBanner")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_banner(self, "error")
        self.refresh()

    def refresh(self) -> None:
        words = restriction_words(self.session.database, self.session.actor)
        if words is None:
            self.hide()
            return
        self.setText(self.tr("暂停收费和参保登记：") + in_language(*words))
        self.setAccessibleName(self.text())
        self.show()
