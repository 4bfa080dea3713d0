"""Small building blocks shared by forms: a field with its message, a banner, a code combo."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.codes import load_code_table
from caseworker.ui.i18n import entry_label
from caseworker.ui.icons import status_icon
from caseworker.ui.style import set_banner, set_invalid, set_tone


class FieldBox(QWidget):
    """An input (or a row of inputs) with a message line under it.

    The message is in words and sits next to the field it is about, as the clerk's eye is
    already there; an error is red, a warning (e.g. a bank card failing Luhn) is amber.
    """

    def __init__(
        self, *widgets: QWidget, name: str, reserve: bool = False, parent: QWidget | None = None
    ) -> None:
        """``reserve``: the message line keeps its room while empty, so a message appearing
        moves no field below it (the enrolment form, where the clerk's eye is on the card)."""
        super().__init__(parent)
        self.inputs = widgets
        self.reserve = reserve
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if len(widgets) == 1:
            layout.addWidget(widgets[0])
        else:
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            for widget in widgets:
                row.addWidget(widget)
            layout.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName(f"{name}Message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if reserve:
            self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing())
            for widget in widgets:
                if isinstance(widget, QLineEdit):
                    # The red frame is a style sheet, which would change the edit's height.
                    widget.setFixedHeight(widget.sizeHint().height())
        else:
            self.message.hide()
        layout.addWidget(self.message)
        self.kind = ""

    def _show(self, text: str, kind: str) -> None:
        self.kind = kind if text else ""
        set_tone(self.message, kind or None)
        self.message.setText(text)
        self.message.setVisible(bool(text) or self.reserve)
        for widget in self.inputs:
            # Screen readers announce the problem with the field, not only the red text.
            widget.setAccessibleDescription(text)
            if isinstance(widget, QLineEdit) and not widget.isReadOnly():
                # A red frame too: the eye finds the field before reading the message.
                set_invalid(widget, kind == "error" and bool(text))

    def set_error(self, text: str) -> None:
        self._show(text, "error")

    def set_warning(self, text: str) -> None:
        self._show(text, "warning")

    def set_hint(self, text: str) -> None:
        self._show(text, "hint")

    def clear(self) -> None:
        self._show("", "")

    def text(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""


class Banner(QFrame):
    """A coloured strip across the top of a form, with an optional action button.

    ``reserve``: an empty banner keeps its one-line room (blank, uncoloured), so a message
    appearing does not push the form down under the clerk's hands.
    """

    def __init__(self, name: str, parent: QWidget | None = None, *, reserve: bool = False) -> None:
        super().__init__(parent)
        self.reserve = reserve
        self.setObjectName(name)
        self.glyph = QLabel()  # the status's icon, beside its words
        self.glyph.setObjectName(f"{name}Icon")
        self.label = QLabel()
        self.label.setObjectName(f"{name}Text")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.button = QPushButton()
        self.button.setObjectName(f"{name}Action")
        self.button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.glyph, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self._action: Callable[[], None] | None = None
        self.button.clicked.connect(self._run_action)
        self.kind = ""
        if reserve:
            # Tall enough for the action button, shown or not: its appearing moves nothing.
            margins = layout.contentsMargins()
            self.setMinimumHeight(
                max(self.button.sizeHint().height(), self.label.fontMetrics().lineSpacing())
                + margins.top()
                + margins.bottom()
            )
        self.clear()

    def _run_action(self) -> None:
        if self._action is not None:
            self._action()

    def show_message(
        self,
        text: str,
        kind: str = "info",
        *,
        action: str | None = None,
        on_action: Callable[[], None] | None = None,
    ) -> None:
        self.kind = kind
        set_banner(self, kind)
        side = self.label.fontMetrics().height()
        self.glyph.setPixmap(status_icon(kind).pixmap(side, side))
        self.glyph.show()
        self.label.setText(text)
        self.button.setText(action or "")
        self.button.setAccessibleName(action or "")
        self.button.setVisible(action is not None)
        self._action = on_action
        self.show()

    def clear(self) -> None:
        self.kind = ""
        self.label.clear()
        self.glyph.clear()
        self.glyph.hide()
        self._action = None
        self.button.hide()
        if self.reserve:
            set_banner(self, "none")
            if self.parentWidget() is not None:  # shown without one, it is a window of its own
                self.show()
        else:
            self.hide()

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""


class CodeCombo(QComboBox):
    """A choice from a code table, in the table's (the standard's) order and the interface
    language (the code is the item's data, so nothing depends on the words shown)."""

    def __init__(
        self,
        table: str,
        *,
        name: str,
        accessible: str,
        blank: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        # Enough rows to scan the 56 ethnic groups without endless scrolling.
        self.setMaxVisibleItems(20)
        if blank is not None:
            self.addItem(blank, None)
        for entry in load_code_table(table):
            self.addItem(entry_label(entry), entry.code)

    def code(self) -> str | None:
        return self.currentData()

    def set_code(self, code: str | None) -> None:
        index = self.findData(code)
        self.setCurrentIndex(index if index >= 0 else 0)


def fit_text(edit: QLineEdit) -> None:
    """A read-only field as wide as what it shows (it cannot be scrolled to read the rest):
    the text's width, the line edit's own 2-pixel margins and its frame on both sides."""
    margins = edit.textMargins()
    frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
    edit.setMinimumWidth(
        edit.fontMetrics().horizontalAdvance(edit.text())
        + margins.left()
        + margins.right()
        + 2 * (frame + 2)
        + 2  # the cursor's width, even in a read-only field
    )


def fit_popup(combo: QComboBox) -> None:
    """The drop-down list wide enough for its longest entry and no taller than the screen
    (a province's 14 tiers open on a 1366×768 desk without running off its bottom)."""
    view = combo.view()
    metrics = view.fontMetrics()
    widest = max(
        (metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())), default=0
    )
    screen = combo.screen().availableGeometry()
    scroll_bar = combo.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    view.setMinimumWidth(min(widest + scroll_bar + 4 * metrics.averageCharWidth(), screen.width()))
    row = max(view.sizeHintForRow(0), metrics.lineSpacing(), 1)
    combo.setMaxVisibleItems(max(1, min(combo.count(), screen.height() * 2 // 3 // row)))


def shortcut_button(
    name: str, text: str, keys: str, slot: Callable[[], object] | None = None
) -> QPushButton:
    """A page's button with its keyboard shortcut; the keys are in the tooltip, so the label
    stays short enough for a small window."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text)
    if keys:
        button.setToolTip(keys)
        button.setShortcut(QKeySequence(keys))
    if slot is not None:
        button.clicked.connect(slot)
    return button


def record_table(name: str, accessible: str, model: QAbstractItemModel) -> QTableView:
    """A read-only list of records: whole rows selected, sized to contents, no row numbers."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def set_column_widths(table: QTableView, widths: tuple[int, ...]) -> None:
    """Starting widths, each widened to its header if that is longer (English headers are)."""
    header = table.horizontalHeader()
    for column, width in enumerate(widths):
        table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))


def widen_to_contents(table: QTableView) -> None:
    """Widen any column whose shown rows would be clipped (code names are longer in English).

    Only ever widens, so a column the clerk dragged wider stays so; the last column stretches.
    """
    model = table.model()
    header = table.horizontalHeader()
    for column in range((model.columnCount() if model else 0) - 1):
        wanted = max(header.sectionSizeHint(column), table.sizeHintForColumn(column))
        if wanted > table.columnWidth(column):
            table.setColumnWidth(column, wanted)


def add_dialog_buttons(
    layout: QBoxLayout,
    *,
    confirm: QPushButton | None = None,
    dismiss: QPushButton | None = None,
    actions: tuple[QPushButton, ...] = (),
    destructive: tuple[QPushButton, ...] = (),
) -> QDialogButtonBox:
    """A dialog's buttons in one row in the platform's order (a QDialogButtonBox), added at
    the end of ``layout`` (already on its dialog): every dialog orders them alike.

    The buttons keep their own handlers (the box's signals are not used). The confirming
    button takes YesRole, not AcceptRole: the box would make an AcceptRole button the
    default on its own and Enter would confirm where the dialog chose otherwise (the day
    close goes from the count to the note first). Whichever button was the default before
    is the default of the dialog again once in the box."""
    role = QDialogButtonBox.ButtonRole
    placed = [(button, role.ActionRole) for button in actions]
    placed += [(button, role.DestructiveRole) for button in destructive]
    if confirm is not None:
        placed.append((confirm, role.YesRole))
    if dismiss is not None:
        placed.append((dismiss, role.RejectRole))
    defaults = [button for button, _role in placed if button.isDefault()]
    box = QDialogButtonBox()
    box.setObjectName("dialogButtons")
    for button, button_role in placed:
        box.addButton(button, button_role)
    layout.addWidget(box)
    for button in defaults:
        # Set anew, now that it is in the dialog: the dialog records its default only when
        # the flag changes, and without that record it makes its first button the default.
        button.setDefault(False)
        button.setDefault(True)
    return box


def named_line(name: str, accessible: str, *, secret: bool = False) -> QLineEdit:
    """A line edit with its object name and accessible name (echo hidden for a secret)."""
    line = QLineEdit()
    line.setObjectName(name)
    line.setAccessibleName(accessible)
    if secret:
        line.setEchoMode(QLineEdit.EchoMode.Password)
    return line


def scrolling(name: str, body: QWidget) -> QScrollArea:
    """``body`` in a frameless scroll area that gives it the full width: a page or list that a
    small screen or a larger text would otherwise cut off scrolls instead."""
    scroll = QScrollArea()
    scroll.setObjectName(name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(body)
    return scroll


def error_label(name: str) -> QLabel:
    """A red, wrapping message line, hidden until there is something to say."""
    label = QLabel()
    label.setObjectName(name)
    set_tone(label, "error")
    label.setWordWrap(True)
    label.hide()
    return label


def hide_unless(widget: QWidget, allowed: bool) -> None:
    """Hide what the operator may not use. Never ``setVisible(True)`` on a widget not yet in
    a layout: it opens as a window of its own and takes the focus from the main window (pages
    are built while the window is on screen, when first shown)."""
    if not allowed:
        widget.hide()
