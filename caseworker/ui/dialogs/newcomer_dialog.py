"""Someone found at the door who is not on the household's list: a newborn, or a person who
moved in. The same person fields as the front desk's enrolment form (``PersonFields``), with
the relationship to the head and the day they joined; checked as typed and again on saving
the visit (nothing is written until then)."""

from __future__ import annotations

import itertools
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.centre import OpenSession
from caseworker.services.errors import ValidationFailed
from caseworker.services.trip_visit import Newcomer
from caseworker.services.validation import validate_person
from caseworker.ui.dialogs.person_dialog import frame_person_dialog
from caseworker.ui.i18n import message_for
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner, CodeCombo, FieldBox
from caseworker.ui.widgets.person_fields import PersonFields


class NewcomerDialog(QDialog):
    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        today: date,
        home_region: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newcomerDialog")
        self.setWindowTitle(self.tr("添加新生儿或迁入人员"))
        self.today = today
        self.newcomer: Newcomer | None = None
        self.banner = Banner("newcomerBanner")
        self.newborn = QRadioButton(self.tr("新生儿(&B)"))
        self.newborn.setObjectName("newcomerNewborn")
        self.newborn.setAccessibleName(self.tr("新生儿"))
        self.newborn.setChecked(True)
        self.moved_in = QRadioButton(self.tr("迁入(&I)"))
        self.moved_in.setObjectName("newcomerMovedIn")
        self.moved_in.setAccessibleName(self.tr("迁入"))
        self.relationship = CodeCombo(
            "relationship",
            name="newcomerRelationship",
            accessible=self.tr("与户主关系"),
            blank=self.tr("（请选择）"),
        )
        self.joined = QDateEdit(QDate(today.year, today.month, today.day))
        self.joined.setObjectName("newcomerJoined")
        self.joined.setAccessibleName(self.tr("迁入（出生）日期"))
        self.joined.setDisplayFormat("yyyy-MM-dd")
        self.joined.setCalendarPopup(True)
        editor = self.joined.findChild(QLineEdit)
        if editor is not None:
            editor.setObjectName("newcomerJoinedText")
            editor.setAccessibleName(self.tr("迁入（出生）日期"))
        self.relationship_box = FieldBox(self.relationship, name="newcomerRelationship")
        self.joined_box = FieldBox(self.joined, name="newcomerJoined")
        self.person = PersonFields(session, runner, today)
        self.person.set_state({"ethnicity": "01", "hukou_region": home_region})
        self.person.identity_changed.connect(self._identity_changed)
        self.newborn.toggled.connect(self._identity_changed)

        household = QGroupBox(self.tr("家庭关系"))
        form = QFormLayout(household)
        kind = QWidget()
        row = QVBoxLayout(kind)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.newborn)
        row.addWidget(self.moved_in)
        form.addRow(self.tr("类别"), kind)
        form.addRow(self.tr("与户主关系"), self.relationship_box)
        form.addRow(self.tr("迁入（出生）日期"), self.joined_box)
        person_box = QGroupBox(self.tr("人员基本信息"))
        QVBoxLayout(person_box).addWidget(self.person)
        self.ok = frame_person_dialog(
            self,
            self.banner,
            (household, person_box),
            ok_name="newcomerOk",
            ok_text=self.tr("加入本户"),
            on_ok=self.check_and_accept,
        )
        chain = [
            self.newborn,
            self.moved_in,
            self.relationship,
            self.joined,
            *self.person.inputs(),
            self.ok,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.person.id_number)

    def _identity_changed(self, *_: object) -> None:
        # A newborn joins the household the day they are born.
        identity = self.person.identity
        if identity is not None and self.newborn.isChecked():
            born = identity.birth_date
            self.joined.setDate(QDate(born.year, born.month, born.day))

    def check_and_accept(self) -> None:
        """The front desk's checks, now; the registry's (a duplicate) on saving the visit."""
        self.person.clear_errors(keep_live=True)
        self.relationship_box.clear()
        self.joined_box.clear()
        data = self.person.to_input()
        data.relationship_to_head = self.relationship.code()
        data.moved_in_on = self.joined.date().toPython()
        problems = 0
        if data.relationship_to_head is None:
            self.relationship_box.set_error(self.tr("请选择与户主关系。"))
            problems += 1
        try:
            validate_person(data, today=self.today)
        except ValidationFailed as failed:
            for name, error in failed.by_field().items():
                box = self.joined_box if name == "moved_in_on" else self.person.box_for(name)
                if box is not None:
                    box.set_error(message_for(error))
                problems += 1
        if problems:
            self.banner.show_message(
                self.tr("有{n}处需要修改，请看各栏下方的红字说明。").format(n=problems), "error"
            )
            return
        assert data.relationship_to_head is not None
        self.newcomer = Newcomer(data, data.relationship_to_head, data.moved_in_on)
        self.accept()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.check_and_accept()  # Enter adds, it never closes a half-typed dialog
            return
        super().keyPressEvent(event)
