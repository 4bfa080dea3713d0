"""The person half of the enrolment form: identity, contact, hukou, work, groups, bank.

Fields follow the paper 参保登记表, except that the ID number comes first: it is read off
the card before anything else and fills birth date, sex, age and the issuing county, and it
is what tells us at once whether the person is already registered.

Checks here are the domain's own parsers run as the clerk types (or leaves a field), so a
mistake shows while the card is still in hand; the service checks everything again on save.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGridLayout, QLabel, QWidget

from caseworker.domain.codes import load_code_table
from caseworker.domain.ids import IdNumber
from caseworker.domain.regions import load_region_directory
from caseworker.services.centre import OpenSession
from caseworker.services.records import PersonDetail
from caseworker.services.validation import PersonInput
from caseworker.ui.i18n import entry_label, is_english
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner, CodeCombo, FieldBox, fit_text
from caseworker.ui.widgets.employer_picker import EmployerPicker
from caseworker.ui.widgets.field_checks import (
    bank_feedback,
    id_feedback,
    line_edit,
    name_feedback,
    phone_feedback,
    show,
)
from caseworker.ui.widgets.region_cascade import RegionCascade

# Service field names → the FieldBox that shows their message.
FIELD_ALIASES = {"employer_id": "employer", "hukou_region_code": "id_number"}


class PersonFields(QWidget):
    changed = Signal()
    identity_changed = Signal()
    facts_changed = Signal()  # something the scheme rules or the checklist read

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.today = today
        self.identity: IdNumber | None = None
        self._auto_address = ""
        # Not on the form, but the person's: kept from what was loaded, so saving the form
        # never takes a household member out of their household.
        self.household_id: uuid.UUID | None = None
        self.relationship_to_head: str | None = None
        self.categories = load_code_table("employment_category")

        self.id_number = line_edit("idNumber", self.tr("身份证号码"))
        self.id_number.setPlaceholderText(self.tr("18位号码，末位可为X"))
        self.id_number.setMaxLength(40)  # room for spaces and dashes an input method adds
        self.birth_date = line_edit("birthDate", self.tr("出生日期"), read_only=True)
        self.sex = line_edit("sex", self.tr("性别"), read_only=True)
        self.age = line_edit("age", self.tr("年龄"), read_only=True)
        self.issuing_region = line_edit(
            "issuingRegion", self.tr("发证地（户籍县区）"), read_only=True
        )
        self.duplicate = Banner("duplicateBanner")
        self.name = line_edit("name", self.tr("姓名"))
        self.name.setPlaceholderText(self.tr("与身份证一致；少数民族姓名用“·”分隔"))
        self.ethnicity = CodeCombo("ethnic_group", name="ethnicity", accessible=self.tr("民族"))
        self.phone = line_edit("phone", self.tr("联系电话"))
        self.phone.setPlaceholderText(self.tr("手机号或带区号的固定电话"))
        self.hukou_nature = CodeCombo(
            "hukou_nature",
            name="hukouNature",
            accessible=self.tr("户口性质"),
            blank=self.tr("（请选择）"),
        )
        self.cascade = RegionCascade()
        self.hukou_address = line_edit("hukouAddress", self.tr("户籍详细地址"))
        self.hukou_address.setPlaceholderText(self.tr("选择村（居）后补充组、门牌号"))
        self.residence_address = line_edit("residenceAddress", self.tr("居住地址"))
        self.residence_address.setPlaceholderText(self.tr("与户籍地址相同可不填"))
        self.category = CodeCombo(
            "employment_category",
            name="employmentCategory",
            accessible=self.tr("就业类别"),
            blank=self.tr("（请选择）"),
        )
        self.employer = EmployerPicker(session, runner)
        self.groups: dict[str, QCheckBox] = {}
        groups_widget = QWidget()
        groups_layout = QGridLayout(groups_widget)
        groups_layout.setContentsMargins(0, 0, 0, 0)
        # Two columns of groups in Chinese; the English names are too long to sit side by side.
        per_row = 1 if is_english() else 2
        for position, entry in enumerate(load_code_table("special_group")):
            box = QCheckBox(entry_label(entry))
            box.setObjectName(f"group_{entry.code}")
            box.setAccessibleName(self.tr("特殊群体：") + entry_label(entry))
            box.toggled.connect(self._facts_edited)
            groups_layout.addWidget(box, position // per_row, position % per_row)
            self.groups[entry.code] = box
        self.bank_account = line_edit("bankAccount", self.tr("待遇领取银行卡号"))
        self.bank_account.setPlaceholderText(self.tr("本人银行卡或社保卡金融账户"))

        derived = QWidget()
        derived_layout = QGridLayout(derived)
        derived_layout.setContentsMargins(0, 0, 0, 0)
        for column, (caption, widget) in enumerate(
            (
                (self.tr("出生日期"), self.birth_date),
                (self.tr("性别"), self.sex),
                (self.tr("年龄"), self.age),
            )
        ):
            derived_layout.addWidget(self._caption(caption, widget), 0, column * 2)
            derived_layout.addWidget(widget, 0, column * 2 + 1)
        self.boxes: dict[str, FieldBox] = {
            "id_number": FieldBox(self.id_number, name="idNumber", reserve=True),
            "name": FieldBox(self.name, name="name", reserve=True),
            "ethnicity": FieldBox(self.ethnicity, name="ethnicity", reserve=True),
            "phone": FieldBox(self.phone, name="phone", reserve=True),
            "hukou_nature": FieldBox(self.hukou_nature, name="hukouNature", reserve=True),
            "hukou_village_code": FieldBox(self.cascade, name="hukouVillage", reserve=True),
            "hukou_address": FieldBox(self.hukou_address, name="hukouAddress", reserve=True),
            "residence_address": FieldBox(
                self.residence_address, name="residenceAddress", reserve=True
            ),
            "employment_category": FieldBox(self.category, name="employmentCategory", reserve=True),
            "employer": FieldBox(self.employer, name="employer", reserve=True),
            "special_groups": FieldBox(groups_widget, name="specialGroups", reserve=True),
            "bank_account": FieldBox(self.bank_account, name="bankAccount", reserve=True),
        }
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        rows = (
            (self.tr("身份证号码"), self.boxes["id_number"]),
            ("", derived),
            (self.tr("发证地"), self.issuing_region),
            ("", self.duplicate),
            (self.tr("姓名"), self.boxes["name"]),
            (self.tr("民族"), self.boxes["ethnicity"]),
            (self.tr("联系电话"), self.boxes["phone"]),
            (self.tr("户口性质"), self.boxes["hukou_nature"]),
            (self.tr("户籍地"), self.boxes["hukou_village_code"]),
            (self.tr("户籍详细地址"), self.boxes["hukou_address"]),
            (self.tr("居住地址"), self.boxes["residence_address"]),
            (self.tr("就业类别"), self.boxes["employment_category"]),
            (self.tr("用人单位"), self.boxes["employer"]),
            (self.tr("特殊群体"), self.boxes["special_groups"]),
            (self.tr("银行卡号"), self.boxes["bank_account"]),
        )
        for caption, widget in rows:
            form.addRow(caption, widget)
        self.form = form

        self.id_number.textChanged.connect(self._id_edited)
        self.name.editingFinished.connect(self._check_name)
        self.phone.editingFinished.connect(self._check_phone)
        self.bank_account.textChanged.connect(self._check_bank)
        self.cascade.changed.connect(self._region_edited)
        self.category.currentIndexChanged.connect(self._category_edited)
        for edit in (self.name, self.phone, self.hukou_address, self.residence_address):
            edit.textChanged.connect(self._edited)
        for combo in (self.ethnicity, self.hukou_nature):
            combo.currentIndexChanged.connect(self._edited)
        self.employer.changed.connect(self._edited)
        self._show_employer()

    @staticmethod
    def _caption(text: str, buddy: QWidget) -> QWidget:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # ------------------------------------------------------------------ reactions

    def _edited(self, *_: Any) -> None:
        self.boxes_for_sender_clear()
        self.changed.emit()

    def boxes_for_sender_clear(self) -> None:
        """Typing into a field with an error clears that error: it is being fixed."""
        sender = self.sender()
        for box in self.boxes.values():
            if box.kind == "error" and any(w is sender for w in box.inputs):
                box.clear()

    def _facts_edited(self, *_: Any) -> None:
        self.boxes["special_groups"].clear()
        self.facts_changed.emit()
        self.changed.emit()

    def _id_edited(self, text: str) -> None:
        box = self.boxes["id_number"]
        identity, feedback = id_feedback(text, self.today)
        if feedback.kind == "typing":
            box.set_hint(self.tr("已输入{n}位，共18位").format(n=feedback.typed))
        elif feedback.kind == "upgraded":
            box.set_hint(
                self.tr("旧版15位号码，已换算为18位：{number}").format(number=feedback.message)
            )
        else:
            show(box, feedback)
        self._set_identity(identity)
        self.changed.emit()

    def _set_identity(self, identity: IdNumber | None) -> None:
        if identity == self.identity:
            return
        self.identity = identity
        if identity is None:
            for edit in (self.birth_date, self.sex, self.age, self.issuing_region):
                edit.clear()
        else:
            born = identity.birth_date
            self.birth_date.setText(
                self.tr("{y}年{m}月{d}日").format(y=born.year, m=born.month, d=born.day)
            )
            self.sex.setText(self.tr("男") if identity.sex.value == "1" else self.tr("女"))
            self.age.setText(self.tr("{n}岁").format(n=identity.age_on(self.today)))
            for edit in (self.birth_date, self.sex, self.age):
                fit_text(edit)  # "1980年1月1日" / "1 January 1980" in full, never clipped
            self.issuing_region.setText(load_region_directory().name_path(identity.region_code))
        self.identity_changed.emit()
        self.facts_changed.emit()

    def _check_name(self) -> None:
        show(self.boxes["name"], name_feedback(self.name.text()))

    def _check_phone(self) -> None:
        show(self.boxes["phone"], phone_feedback(self.phone.text()))

    def _check_bank(self, text: str) -> None:
        show(self.boxes["bank_account"], bank_feedback(text))
        self.facts_changed.emit()
        self.changed.emit()

    def _region_edited(self) -> None:
        # Prefill the address with the chosen region so the clerk only adds 组 and 门牌号.
        path = self.cascade.name_path()
        current = self.hukou_address.text()
        if not current or (self._auto_address and current.startswith(self._auto_address)):
            rest = current[len(self._auto_address) :] if current else ""
            self.hukou_address.setText(path + rest)
        self._auto_address = path
        self.boxes["hukou_village_code"].clear()
        self.facts_changed.emit()
        self.changed.emit()

    def _category_edited(self) -> None:
        self.boxes["employment_category"].clear()
        self._show_employer()
        self.facts_changed.emit()
        self.changed.emit()

    def needs_employer(self) -> bool:
        code = self.category.code()
        return bool(code and self.categories.get(code).extra.get("needs_employer"))

    def _show_employer(self) -> None:
        visible = self.needs_employer()
        self.form.setRowVisible(self.boxes["employer"], visible)

    # ------------------------------------------------------------------ values

    def special_groups(self) -> list[str]:
        return [code for code, box in self.groups.items() if box.isChecked()]

    def to_input(self) -> PersonInput:
        return PersonInput(
            id_number=self.id_number.text(),
            name=self.name.text(),
            ethnicity=self.ethnicity.code(),
            phone=self.phone.text() or None,
            hukou_nature=self.hukou_nature.code(),
            hukou_village_code=self.cascade.village_code(),
            hukou_address=self.hukou_address.text() or None,
            residence_address=self.residence_address.text() or None,
            employment_category=self.category.code(),
            employer_id=self.employer.employer_id if self.needs_employer() else None,
            special_groups=self.special_groups(),
            bank_account=self.bank_account.text() or None,
            household_id=self.household_id,
            relationship_to_head=self.relationship_to_head,
        )

    def state(self) -> dict[str, Any]:
        return {
            "id_number": self.id_number.text(),
            "name": self.name.text(),
            "ethnicity": self.ethnicity.code(),
            "phone": self.phone.text(),
            "hukou_nature": self.hukou_nature.code(),
            "hukou_region": self.cascade.code(),
            "hukou_address": self.hukou_address.text(),
            "residence_address": self.residence_address.text(),
            "employment_category": self.category.code(),
            "employer_id": str(self.employer.employer_id) if self.employer.employer_id else None,
            "employer_name": self.employer.employer_name,
            "special_groups": self.special_groups(),
            "bank_account": self.bank_account.text(),
            "household_id": str(self.household_id) if self.household_id else None,
            "relationship_to_head": self.relationship_to_head,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        # The address is set after the region, so the region's prefill never overwrites it.
        self.id_number.setText(state.get("id_number") or "")
        self.name.setText(state.get("name") or "")
        self.ethnicity.set_code(state.get("ethnicity"))
        self.phone.setText(state.get("phone") or "")
        self.hukou_nature.set_code(state.get("hukou_nature"))
        self.cascade.set_code(state.get("hukou_region"))
        self.hukou_address.setText(state.get("hukou_address") or "")
        self._auto_address = self.cascade.name_path()
        self.residence_address.setText(state.get("residence_address") or "")
        self.category.set_code(state.get("employment_category"))
        employer = state.get("employer_id")
        self.employer.set_employer(
            uuid.UUID(employer) if employer else None, state.get("employer_name")
        )
        for code, box in self.groups.items():
            box.setChecked(code in (state.get("special_groups") or []))
        self.bank_account.setText(state.get("bank_account") or "")
        household = state.get("household_id")
        self.household_id = uuid.UUID(household) if household else None
        self.relationship_to_head = state.get("relationship_to_head")
        self.clear_errors(keep_live=True)

    def fill(self, person: PersonDetail) -> None:
        """Load a registered person for editing."""
        self.set_state(
            {
                "id_number": person.id_number,
                "name": person.name,
                "ethnicity": person.ethnicity,
                "phone": person.phone,
                "hukou_nature": person.hukou_nature,
                "hukou_region": person.hukou_village_code or None,
                "hukou_address": person.hukou_address,
                "residence_address": person.residence_address,
                "employment_category": person.employment_category,
                "employer_id": str(person.employer_id) if person.employer_id else None,
                "employer_name": person.employer_name,
                "special_groups": list(person.special_groups),
                "bank_account": person.bank_account,
                "household_id": str(person.household_id) if person.household_id else None,
                "relationship_to_head": person.relationship_to_head,
            }
        )

    # ------------------------------------------------------------------ messages

    def box_for(self, field: str) -> FieldBox | None:
        return self.boxes.get(FIELD_ALIASES.get(field, field))

    def clear_errors(self, *, keep_live: bool = False) -> None:
        for key, box in self.boxes.items():
            # The ID hint and the bank warning describe the current text: keep them.
            if keep_live and key in ("id_number", "bank_account"):
                continue
            if box.kind == "error" or not keep_live:
                box.clear()
        if keep_live:
            self._id_edited(self.id_number.text())
            self._check_bank(self.bank_account.text())

    def focus_target(self, field: str) -> QWidget | None:
        box = self.box_for(field)
        if box is None:
            return None
        widget = box.inputs[0]
        if isinstance(widget, RegionCascade):
            return widget.first_input()
        if isinstance(widget, EmployerPicker):
            return widget.search
        if widget is self.boxes["special_groups"].inputs[0]:
            return next(iter(self.groups.values()))
        return widget

    def inputs(self) -> list[QWidget]:
        """Inputs in the order of the paper form (the tab order)."""
        return [
            self.id_number,
            self.name,
            self.ethnicity,
            self.phone,
            self.hukou_nature,
            *self.cascade.inputs(),
            self.hukou_address,
            self.residence_address,
            self.category,
            *self.employer.inputs(),
            *self.groups.values(),
            self.bank_account,
        ]
