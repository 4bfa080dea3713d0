"""Confirming a new head (户主) of a household during a walk: who becomes head and, when the
household has one, what the present head becomes (as the new head sees them)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from caseworker.domain.households import HEAD
from caseworker.ui.widgets.common import CodeCombo, FieldBox


class ChangeHeadDialog(QDialog):
    def __init__(self, new_head: str, former_head: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("changeHeadDialog")
        self.setWindowTitle(self.tr("设为户主"))
        self.former_head = former_head
        question = QLabel(self.tr("把“{name}”设为本户户主？").format(name=new_head))
        question.setObjectName("changeHeadQuestion")
        question.setWordWrap(True)
        self.relationship = CodeCombo(
            "relationship",
            name="formerHeadRelationship",
            accessible=self.tr("原户主的新关系"),
            blank=self.tr("（请选择）"),
        )
        head_index = self.relationship.findData(HEAD)
        if head_index >= 0:
            self.relationship.removeItem(head_index)  # the former head is no longer head
        self.relationship_box = FieldBox(self.relationship, name="formerHeadRelationship")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("changeHeadOk")
        self.ok.setText(self.tr("设为户主"))
        self.ok.setAccessibleName(self.tr("设为户主"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        if former_head:
            form = QFormLayout()
            form.addRow(
                self.tr("原户主“{name}”改为").format(name=former_head), self.relationship_box
            )
            layout.addLayout(form)
        else:
            self.relationship.hide()
        layout.addWidget(buttons)
        self.setFocusProxy(self.relationship if former_head else self.ok)

    def former_relationship(self) -> str | None:
        return self.relationship.code() if self.former_head else None

    def check_and_accept(self) -> None:
        self.relationship_box.clear()
        if self.former_head and self.relationship.code() is None:
            self.relationship_box.set_error(self.tr("请选择原户主与新户主的关系（如配偶、父母）。"))
            return
        self.accept()
