"""The schemes a person may join, each with its choice, updated live as the form changes.

One row per scheme, built once in the fixed scheme order: a check box, the choice (tier,
base or wage) and a line saying what it comes to, or why the person cannot join. What the
clerk ticked and chose is remembered per scheme even while a scheme is closed to the person,
so switching the employment category back and forth loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QSpinBox, QWidget

from caseworker.domain.contributions import (
    BaseRange,
    EmployeeRates,
    PlatformPaid,
    SchemeOption,
    TierChoice,
    WorkInjuryRates,
    YearlyAmount,
    apply_rate,
)
from caseworker.domain.money import format_yuan
from caseworker.domain.schemes import SCHEME_CODES
from caseworker.ui.i18n import in_language, is_english, scheme_name
from caseworker.ui.style import set_tone
from caseworker.ui.widgets.common import fit_popup


def yuan(fen: int) -> str:
    """Whole yuan without decimals (tiers and bases are whole yuan), else two decimals."""
    text = format_yuan(fen)
    return text[:-3] if text.endswith(".00") else text


@dataclass(frozen=True)
class Chosen:
    scheme: str
    tier_fen: int | None = None
    base_fen: int | None = None


class _Row:
    def __init__(self, scheme: str, label: str, parent: QWidget) -> None:
        self.scheme = scheme
        self.check = QCheckBox(label, parent)
        self.check.setObjectName(f"scheme_{scheme}")
        self.check.setAccessibleName(label)
        self.tier = QComboBox(parent)
        self.tier.setObjectName(f"tier_{scheme}")
        # As wide as its longest tier ("500元 — 政府补贴60元，个人缴440元"), never cut off.
        self.tier.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.base = QSpinBox(parent)
        self.base.setObjectName(f"base_{scheme}")
        self.base.setSingleStep(100)
        self.base.setGroupSeparatorShown(True)
        self.detail = QLabel(parent)
        self.detail.setObjectName(f"detail_{scheme}")
        self.detail.setWordWrap(True)
        self.detail.setContentsMargins(22, 0, 0, 0)  # under the check box's text
        set_tone(self.detail, "hint")
        self.option: SchemeOption | None = None
        self.wanted = False  # ticked by the clerk, kept while the scheme is closed
        self.tier_fen: int | None = None
        self.base_fen: int | None = None
        self.locked = False  # already enrolled (edit): ending an enrolment is another task


class SchemeChooser(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(2)
        layout.setColumnStretch(2, 1)
        # English scheme names are about three times as wide as the Chinese ones: there the
        # choice goes on a line of its own under the name (indented), so the column stays
        # narrow enough for the form's two columns to fit the window.
        stacked = is_english()
        if stacked:
            layout.setColumnMinimumWidth(0, 16)
        lines = 3 if stacked else 2
        self.rows: dict[str, _Row] = {}
        for position, scheme in enumerate(SCHEME_CODES):
            row = _Row(scheme, scheme_name(scheme), self)
            row.tier.setAccessibleName(self.tr("缴费档次"))
            row.base.setAccessibleName(
                self.tr("月缴费基数")
                if scheme == "employee_pension_flexible"
                else self.tr("月工资")
            )
            row.base.setSuffix(self.tr(" 元"))
            row.check.toggled.connect(lambda on, r=row: self._ticked(r, on))
            row.tier.currentIndexChanged.connect(lambda _, r=row: self._tier_changed(r))
            row.base.valueChanged.connect(lambda value, r=row: self._base_changed(r, value))
            first = position * lines
            if stacked:
                layout.addWidget(row.check, first, 0, 1, 3)
                layout.addWidget(row.tier, first + 1, 1)
                layout.addWidget(row.base, first + 1, 1)
            else:
                layout.addWidget(row.check, first, 0)
                layout.addWidget(row.tier, first, 1)
                layout.addWidget(row.base, first, 1)
            layout.addWidget(row.detail, first + lines - 1, 0, 1, 3)
            row.tier.hide()
            row.base.hide()
            self.rows[scheme] = row
        self.note = QLabel(self)
        self.note.setObjectName("schemeNote")
        self.note.setWordWrap(True)
        set_tone(self.note, "hint")
        layout.addWidget(self.note, len(SCHEME_CODES) * lines + 1, 0, 1, 3)
        self.error = QLabel(self)
        self.error.setObjectName("schemeMessage")
        self.error.setWordWrap(True)
        set_tone(self.error, "error")
        # Two lines kept while empty (a refusal lists the tiers allowed), measured with Chinese
        # text (its fallback font's lines are taller): one appearing moves nothing below.
        self.error.setText("缴\n缴")
        self.error.setMinimumHeight(self.error.sizeHint().height())
        self.error.setText("")
        layout.addWidget(self.error, len(SCHEME_CODES) * lines, 0, 1, 3)
        # Room to spare goes below the last row, never between rows (they would close up
        # when a message takes some of it).
        layout.setRowStretch(len(SCHEME_CODES) * lines + 2, 1)
        self._updating = False
        self.set_options(None)

    # ------------------------------------------------------------------ options

    def set_options(self, options: list[SchemeOption] | None, *, waiting: str = "") -> None:
        """Show what each scheme offers; None while the ID number (so the age) is unknown."""
        self._updating = True
        try:
            by_scheme = {option.scheme: option for option in options or []}
            for scheme, row in self.rows.items():
                row.option = by_scheme.get(scheme)
                self._show(row)
        finally:
            self._updating = False
        # One line for the whole list, not the same sentence under every scheme.
        self.note.setText(
            ""
            if options
            else waiting or self.tr("填写有效的身份证号码后，列出可参加的险种和缴费标准。")
        )
        self.note.setVisible(not options)

    def _show(self, row: _Row) -> None:
        option = row.option
        eligible = option is not None and option.eligible
        selectable = eligible and not isinstance(option.choices, WorkInjuryRates)
        row.check.setEnabled(selectable and not row.locked)
        row.check.setChecked(selectable and (row.wanted or row.locked))
        row.tier.setVisible(eligible and isinstance(option.choices, tuple))
        row.base.setVisible(eligible and isinstance(option.choices, BaseRange | EmployeeRates))
        if option is None:
            self._detail(row, "")
            return
        if not eligible:
            reason = in_language(option.reason_zh, option.reason_en)
            self._detail(row, self.tr("不能参加：") + reason)
            return
        choices = option.choices
        if isinstance(choices, tuple):
            self._fill_tiers(row, choices)
        elif isinstance(choices, BaseRange | EmployeeRates):
            row.base.setRange(choices.min_fen // 100, choices.max_fen // 100)
            if row.base_fen is None:
                row.base_fen = choices.min_fen
            row.base.setValue(row.base_fen // 100)
            row.base_fen = row.base.value() * 100  # clamped into the range in force
        self._describe(row)

    def _fill_tiers(self, row: _Row, tiers: tuple[TierChoice, ...]) -> None:
        row.tier.clear()
        row.tier.addItem(self.tr("（请选择档次）"), None)
        for tier in tiers:
            text = self.tr("{tier}元 — 政府补贴{subsidy}元，个人缴{own}元").format(
                tier=yuan(tier.tier_fen),
                subsidy=yuan(tier.subsidy_fen),
                own=yuan(tier.personal_fen),
            )
            row.tier.addItem(text, tier.tier_fen)
        index = row.tier.findData(row.tier_fen) if row.tier_fen is not None else 0
        row.tier.setCurrentIndex(max(index, 0))
        fit_popup(row.tier)
        # The closed box shows the whole tier: a combo box's minimum is a few characters, and
        # a narrow window's layout cut "…个人缴400元" off under the arrow.
        row.tier.setMinimumWidth(row.tier.sizeHint().width())

    def _describe(self, row: _Row) -> None:
        choices = row.option.choices if row.option else None
        text = ""
        if isinstance(choices, tuple):
            tier = next((t for t in choices if t.tier_fen == row.tier_fen), None)
            if tier is None:
                text = self.tr("每年缴费，档次由本人选择")
            else:
                text = self.tr("每年个人缴费{own}元，政府补贴{subsidy}元计入个人账户").format(
                    own=yuan(tier.personal_fen), subsidy=yuan(tier.subsidy_fen)
                )
                if tier.paid_by_government_fen:
                    text += self.tr("（政府代缴{paid}元）").format(
                        paid=yuan(tier.paid_by_government_fen)
                    )
        elif isinstance(choices, YearlyAmount):
            text = self.tr("{year}年度个人缴费{own}元，财政补助{subsidy}元").format(
                year=choices.year, own=yuan(choices.personal_fen), subsidy=yuan(choices.subsidy_fen)
            )
            if choices.paid_by_government_fen:
                text += self.tr("（政府代缴{paid}元）").format(
                    paid=yuan(choices.paid_by_government_fen)
                )
        elif isinstance(choices, BaseRange):
            base = row.base_fen or choices.min_fen
            text = self.tr("基数{low}–{high}元；每月缴费{monthly}元（{rate}%）").format(
                low=yuan(choices.min_fen),
                high=yuan(choices.max_fen),
                monthly=format_yuan(apply_rate(base, choices.rate_bp)),
                rate=f"{choices.rate_bp / 100:g}",
            )
        elif isinstance(choices, EmployeeRates):
            wage = min(max(row.base_fen or 0, choices.min_fen), choices.max_fen)
            text = self.tr("个人每月{own}元，单位每月{employer}元").format(
                own=format_yuan(apply_rate(wage, choices.employee_bp)),
                employer=format_yuan(apply_rate(wage, choices.employer_bp)),
            )
        elif isinstance(choices, WorkInjuryRates):
            text = self.tr("由用人单位按行业风险类别缴费，在单位页面办理")
        elif isinstance(choices, PlatformPaid):
            text = self.tr("平台按单缴费，个人无需缴费")
        self._detail(row, text)

    @staticmethod
    def _detail(row: _Row, text: str) -> None:
        row.detail.setText(text)  # a check box that cannot be ticked is greyed by the style

    # ------------------------------------------------------------------ clerk input

    def _ticked(self, row: _Row, on: bool) -> None:
        if self._updating:
            return
        row.wanted = on
        self.changed.emit()

    def _tier_changed(self, row: _Row) -> None:
        if self._updating:
            return
        row.tier_fen = row.tier.currentData()
        self._describe(row)
        self.changed.emit()

    def _base_changed(self, row: _Row, value: int) -> None:
        if self._updating:
            return
        row.base_fen = value * 100
        self._describe(row)
        self.changed.emit()

    # ------------------------------------------------------------------ values

    def chosen(self) -> list[Chosen]:
        result = []
        for row in self.rows.values():
            if not ((row.check.isChecked() and row.check.isEnabled()) or row.locked):
                continue
            if row.option is None or not row.option.eligible:
                continue
            if isinstance(row.option.choices, tuple):
                result.append(Chosen(row.scheme, tier_fen=row.tier_fen))
            elif isinstance(row.option.choices, BaseRange | EmployeeRates):
                result.append(Chosen(row.scheme, base_fen=row.base_fen))
            else:
                result.append(Chosen(row.scheme))
        return result

    def state(self) -> dict[str, Any]:
        return {
            scheme: {"wanted": row.wanted, "tier_fen": row.tier_fen, "base_fen": row.base_fen}
            for scheme, row in self.rows.items()
            if row.wanted or row.tier_fen is not None or row.base_fen is not None
        }

    def set_state(self, state: dict[str, Any], *, locked: set[str] | None = None) -> None:
        for scheme, row in self.rows.items():
            saved = state.get(scheme) or {}
            row.wanted = bool(saved.get("wanted"))
            row.tier_fen = saved.get("tier_fen")
            row.base_fen = saved.get("base_fen")
            row.locked = scheme in (locked or set())
        self.set_options([r.option for r in self.rows.values() if r.option] or None)

    def set_error(self, text: str) -> None:
        self.error.setText(text)

    def focus_target(self, field: str) -> QWidget:
        """The widget to focus for an error on ``field`` (tier, base or scheme)."""
        for row in self.rows.values():
            if field == "tier" and row.tier.isVisibleTo(self) and row.check.isChecked():
                return row.tier
            if field == "base" and row.base.isVisibleTo(self) and row.check.isChecked():
                return row.base
        checked = [r.check for r in self.rows.values() if r.check.isChecked()]
        return checked[0] if checked else self.rows[SCHEME_CODES[0]].check

    def inputs(self) -> list[QWidget]:
        """In tab order: each scheme's box, then its choice."""
        widgets: list[QWidget] = []
        for row in self.rows.values():
            widgets += [row.check, row.tier, row.base]
        return widgets
