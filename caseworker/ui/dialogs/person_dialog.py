"""The frame the field visit's person dialogs share: their boxes in a scroll area, a banner
above, OK and cancel below (a newcomer of a household, a new household with its head)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker.ui.screen_fit import fit_to_screen


def frame_person_dialog(
    dialog: QDialog,
    banner: QWidget,
    boxes: Sequence[QWidget],
    *,
    ok_name: str,
    ok_text: str,
    on_ok: Callable[[], object],
) -> QPushButton:
    """Lay ``dialog`` out and return its OK button (named, labelled, wired to ``on_ok``)."""
    body = QWidget()
    column = QVBoxLayout(body)
    for box in boxes:
        column.addWidget(box)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(body)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setObjectName(ok_name)
    ok.setText(ok_text)
    ok.setAccessibleName(ok_text)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setText(QCoreApplication.translate("PersonDialog", "取消"))
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(banner)
    layout.addWidget(scroll, 1)
    layout.addWidget(buttons)
    fit_to_screen(dialog, QSize(760, 820))
    return ok
