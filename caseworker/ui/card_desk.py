"""A card placed on the reader, at the front desk: the search finds the person (by the
card's number) or opens a new enrolment filled from the card; an open enrolment form is
filled (ID number, name, ethnicity, hukou address into the region cascade, and the card's
issuing authority and validity shown beside them). An expired card is warned about; a card
whose number differs from the person being edited is refused, and nothing typed is lost.

Kept apart from the views it serves: ``attach(page, watcher)`` is the one hook.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QFormLayout, QWidget
from shiboken6 import isValid

from caseworker.devices.card import CardData, CardKind
from caseworker.devices.card_address import match_address
from caseworker.devices.reader import ReaderError
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import parse_id_number
from caseworker.services.records import PersonSummary
from caseworker.services.registry import find_by_id_number
from caseworker.ui.card_watcher import CardWatcher
from caseworker.ui.i18n import message_for
from caseworker.ui.widgets.field_checks import line_edit


def _day(value: date) -> str:
    return value.isoformat()


class CardPanel(QWidget):
    """The card's issuing authority and validity, beside the fields it filled (shown only
    for the card that filled them; they describe the card, not the person, and are not
    saved with the record)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.authority = line_edit("cardAuthority", self.tr("签发机关"), read_only=True)
        self.validity = line_edit("cardValidity", self.tr("有效期限"), read_only=True)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("签发机关"), self.authority)
        layout.addRow(self.tr("有效期限"), self.validity)
        self.card: CardData | None = None

    def show_card(self, card: CardData) -> None:
        self.card = card
        self.authority.setText(card.authority)
        until = _day(card.valid_to) if card.valid_to else self.tr("长期")
        self.validity.setText(f"{_day(card.valid_from)} – {until}")


class CardDesk(QObject):
    def __init__(self, page: Any, watcher: CardWatcher, *, today: Callable[[], date]) -> None:
        super().__init__(page)
        self.page = page
        self.today = today
        self.panel: CardPanel | None = None
        self._panel_form: Any = None
        watcher.card_placed.connect(self.card_placed)
        watcher.read_failed.connect(self.read_failed)

    # ------------------------------------------------------------------ what the reader says

    def card_placed(self, card: CardData) -> None:
        page = self.page
        if not page.isVisible() or QApplication.activeModalWidget() is not None:
            return  # another page, the lock screen, or a dialog (payment, leave the form?) is up
        if page.stack.currentWidget() is page.form_holder and page.form is not None:
            self.fill(page.form, card)
            return
        database = page.session.database
        page.runner.submit(
            lambda control: find_by_id_number(database, card.id_number),
            on_success=lambda found: self._found(card, found),
            on_failure=self._lookup_failed,
        )

    def read_failed(self, error: ReaderError) -> None:
        if self.page.isVisible():
            self._notice(self.tr("身份证阅读器：{message}").format(message=message_for(error)))

    def _lookup_failed(self, error: BaseException) -> None:
        if isValid(self.page):
            self._notice(self.tr("读卡后查找失败：{e}").format(e=message_for(error)))

    def _found(self, card: CardData, found: PersonSummary | None) -> None:
        page = self.page
        if not isValid(page):
            return  # the page was rebuilt (a language switch) while the look-up ran
        if found is not None:
            page.open_person(found.id)
            if card.expired_on(self.today()):
                self._notice(self._expired_text(card))
            return
        page.new_enrolment(card.id_number)
        form = page.form
        if form is not None and page.stack.currentWidget() is page.form_holder:
            self.fill(form, card)

    def _notice(self, text: str) -> None:
        self.page.notice.setText(text)
        self.page.notice.show()

    # ------------------------------------------------------------------ the form

    def fill(self, form: Any, card: CardData) -> bool:
        """Fill ``form`` from ``card``; False (and a clear message) when it is refused."""
        fields = form.person
        held = _number(fields.id_number.text())
        refusal = self._refusal(form, held, card.id_number)
        if refusal:
            form.banner.show_message(refusal.format(card=card.id_number, held=held), "error")
            return False
        if form.person_id is None:
            fields.id_number.setText(card.id_number)
        fields.name.setText(card.display_name())
        if card.ethnicity:
            fields.ethnicity.set_code(card.ethnicity)
        region = ""
        if card.hukou_address:
            match = match_address(fields.cascade.directory, card.hukou_address)
            if match.code:
                fields.cascade.set_code(match.code)
                region = fields.cascade.name_path()
            fields.hukou_address.setText(card.hukou_address)
        self._panel_for(form).show_card(card)
        fields.form.setRowVisible(self.panel, True)
        form.banner.show_message(*self._filled_words(card, region))
        return True

    def _refusal(self, form: Any, held: str, number: str) -> str:
        """Why the card may not fill the form ({card} and {held} to fill in), or ""."""
        if held == number:
            return ""
        if form.person_id is not None:
            return self.tr(
                "放在读卡器上的身份证（{card}）不是正在修改的人员（{held}）的，未填入。"
                "请放本人的证件，或返回查找该证件的人员。"
            )
        if held and form.is_dirty():
            return self.tr(
                "表中已输入另一个身份证号（{held}），未用此卡（{card}）覆盖。"
                "请先保存或清空本表，再放卡。"
            )
        return ""

    def _filled_words(self, card: CardData, region: str) -> tuple[str, str]:
        if card.expired_on(self.today()):
            return self._expired_text(card), "warning"
        if card.hukou_address and not region:
            return (
                self.tr("已从身份证读入。住址未能对应到户籍地区划，请在户籍地中选择。"),
                "warning",
            )
        if card.kind is CardKind.FOREIGN:
            return self.tr("已从外国人永久居留身份证读入，请核对。"), "success"
        return self.tr("已从身份证读入，请核对。"), "success"

    def _expired_text(self, card: CardData) -> str:
        assert card.valid_to is not None
        return self.tr(
            "此证件已于 {day} 过期：请提醒本人尽快换领新证，并核实身份后再办理。"
        ).format(day=_day(card.valid_to))

    def _panel_for(self, form: Any) -> CardPanel:
        if self.panel is None or self._panel_form is not form:
            self.panel = CardPanel()
            self._panel_form = form
            fields = form.person
            # Under the ID number's derived rows (birth date, sex, age; issuing county).
            fields.form.insertRow(3, self.tr("身份证"), self.panel)
            fields.identity_changed.connect(self._identity_changed)
        return self.panel

    def _identity_changed(self) -> None:
        """The panel describes one card: another number typed hides it."""
        panel, form = self.panel, self._panel_form
        if panel is None or form is None or panel.card is None:
            return
        if _number(form.person.id_number.text()) != panel.card.id_number:
            form.person.form.setRowVisible(panel, False)


def _number(text: str) -> str:
    try:
        return parse_id_number(text).number
    except InvalidValue:
        return "".join(text.split()).upper()


def attach(page: Any, watcher: CardWatcher, *, today: Callable[[], date] = date.today) -> CardDesk:
    return CardDesk(page, watcher, today=today)
