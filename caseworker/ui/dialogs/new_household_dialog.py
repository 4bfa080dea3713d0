"""A household the registry does not have, found on a field visit (a family that moved in):
its village, its address and its head, with the front desk's person fields
(``PersonFields``). Saved on the background runner in one transaction (and onto the open
trip, if any); a refusal is shown next to its field and nothing typed is lost."""

from __future__ import annotations

import itertools
import uuid
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.households import HEAD
from caseworker.services.centre import OpenSession
from caseworker.services.errors import ServiceError, ValidationFailed
from caseworker.services.households import ADDRESS_LIMIT, HouseholdView
from caseworker.services.new_household import create_household_with_head
from caseworker.services.validation import validate_person
from caseworker.ui.dialogs.person_dialog import frame_person_dialog
from caseworker.ui.i18n import message_for
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner, FieldBox
from caseworker.ui.widgets.person_fields import PersonFields


class NewHouseholdDialog(QDialog):
    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        villages: list[tuple[str, str]],
        today: date,
        trip_id: uuid.UUID | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newHouseholdDialog")
        self.setWindowTitle(self.tr("新建家庭户"))
        self.session = session
        self.runner = runner
        self.today = today
        self.trip_id = trip_id
        self.created: HouseholdView | None = None
        self._saving = False
        self.banner = Banner("newHouseholdBanner")
        self.village = QComboBox()
        self.village.setObjectName("newHouseholdVillage")
        self.village.setAccessibleName(self.tr("村（居）委会"))
        self.village.addItem(self.tr("（请选择）"), None)
        for code, name in villages:
            self.village.addItem(f"{name}（{code}）", code)
        self.village.currentIndexChanged.connect(self._village_chosen)
        self.address = QLineEdit()
        self.address.setObjectName("newHouseholdAddress")
        self.address.setAccessibleName(self.tr("详细地址"))
        self.address.setPlaceholderText(self.tr("如：3组12号"))
        self.address.setMaxLength(ADDRESS_LIMIT)
        self.village_box = FieldBox(self.village, name="newHouseholdVillage")
        self.address_box = FieldBox(self.address, name="newHouseholdAddress")
        self.person = PersonFields(session, runner, today)
        self.person.set_state({"ethnicity": "01"})

        place = QGroupBox(self.tr("家庭户"))
        form = QFormLayout(place)
        form.addRow(self.tr("村（居）委会"), self.village_box)
        form.addRow(self.tr("详细地址"), self.address_box)
        head_box = QGroupBox(self.tr("户主基本信息"))
        QVBoxLayout(head_box).addWidget(self.person)
        self.ok = frame_person_dialog(
            self,
            self.banner,
            (place, head_box),
            ok_name="newHouseholdOk",
            ok_text=self.tr("保存家庭户"),
            on_ok=self.save,
        )
        chain = [self.village, self.address, *self.person.inputs(), self.ok]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.village)

    def _village_chosen(self, *_: object) -> None:
        # The head's hukou is usually where the family now lives; the clerk may change it.
        code = self.village.currentData()
        if code:
            self.person.set_state({**self.person.state(), "hukou_region": code})

    def save(self) -> None:
        if self._saving:
            return
        self.person.clear_errors(keep_live=True)
        self.village_box.clear()
        self.address_box.clear()
        problems = 0
        if not self.address.text().strip():
            self.address_box.set_error(self.tr("请填写详细地址（组、门牌号）。"))
            problems += 1
        head = self.person.to_input()
        head.relationship_to_head = HEAD
        try:  # the front desk's checks now, all at once; the registry's on saving
            validate_person(head, today=self.today)
        except ValidationFailed as failed:
            for name, error in failed.by_field().items():
                box = self.person.box_for(name)
                if box is not None:
                    box.set_error(message_for(error))
                problems += 1
        if problems:
            self._say_problems(problems)
            return
        database, actor, day, trip_id = (
            self.session.database,
            self.session.actor,
            self.today,
            self.trip_id,
        )
        village, address, head = self.village.currentData() or "", self.address.text(), head
        self._saving = True
        self.ok.setEnabled(False)
        self.banner.show_message(self.tr("正在保存……"), "info")
        self.runner.submit(
            lambda _control: create_household_with_head(
                database, actor, village, address, head, trip_id=trip_id, day=day
            ),
            lane="write",
            on_success=self._saved,
            on_failure=self._failed,
        )

    def _say_problems(self, count: int) -> None:
        self.banner.show_message(
            self.tr("有{n}处需要修改，请看各栏下方的红字说明。").format(n=count), "error"
        )

    def _saved(self, view: HouseholdView) -> None:
        self._saving = False
        self.created = view
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        self.ok.setEnabled(True)
        if isinstance(error, ValidationFailed):
            shown = 0
            for name, problem in error.by_field().items():
                if name == "village_code":
                    box: FieldBox | None = self.village_box
                elif name == "address_detail":
                    box = self.address_box
                else:
                    box = self.person.box_for(name)
                if box is not None:
                    box.set_error(message_for(problem))
                    shown += 1
            if shown:
                self._say_problems(shown)
                return
        if isinstance(error, ServiceError):
            self.banner.show_message(message_for(error), "error")
        else:
            self.banner.show_message(
                self.tr("保存失败：{error}。已填写的内容仍在，可稍后重试。").format(error=error),
                "error",
            )

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()  # Enter saves, it never closes a half-typed dialog
            return
        super().keyPressEvent(event)
