"""The Settings page: this computer's interface language, ID card reader and receipt printer;
the operator's own text size (kept for them alone, applied at once and at their next login);
the centre's settings (every one declared in ``services.centre_settings``, editable by the
roles that may change it); and a list of keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.centre import OpenSession
from caseworker.ui.i18n import current_language, translation_file, translation_missing
from caseworker.ui.style import current_text_size, set_role, set_tone
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.card_reader_settings import CardReaderBox
from caseworker.ui.widgets.centre_settings_form import CentreSettingsBox
from caseworker.ui.widgets.common import scrolling
from caseworker.ui.widgets.printer_settings import ReceiptPrinterBox

# The keyboard shortcuts listed on the page: marked for lupdate here, translated when shown.
SHORTCUTS = (
    (
        "Ctrl+1 … Ctrl+9, Ctrl+0",
        QT_TRANSLATE_NOOP(
            "SettingsPage",
            "切换页面：今日、前台、单位、缴费、同步、报表、设置、审核、审计、操作员",
        ),
    ),
    ("Alt+1 … Alt+9", QT_TRANSLATE_NOOP("SettingsPage", "今日页面：打开第几项需要处理的事项")),
    ("Ctrl+Shift+L", QT_TRANSLATE_NOOP("SettingsPage", "工作清单（打开人员后按 Esc 回到原位置）")),
    (
        "Ctrl+Shift+I",
        QT_TRANSLATE_NOOP("SettingsPage", "名册导入（村居户籍名册、民政特殊群体名单）"),
    ),
    ("Ctrl+F", QT_TRANSLATE_NOOP("SettingsPage", "查找人员")),
    ("Ctrl+N", QT_TRANSLATE_NOOP("SettingsPage", "新参保登记")),
    ("↓ / Enter", QT_TRANSLATE_NOOP("SettingsPage", "在查找结果中选择并打开人员")),
    ("Ctrl+E", QT_TRANSLATE_NOOP("SettingsPage", "修改人员信息")),
    ("Ctrl+J", QT_TRANSLATE_NOOP("SettingsPage", "登记缴费")),
    ("Ctrl+P", QT_TRANSLATE_NOOP("SettingsPage", "打印登记表")),
    ("Ctrl+P", QT_TRANSLATE_NOOP("SettingsPage", "缴费后：收据直接打印到本机收据打印机")),
    ("Ctrl+Shift+P", QT_TRANSLATE_NOOP("SettingsPage", "缴费后：预览收据，选择打印机")),
    ("Esc", QT_TRANSLATE_NOOP("SettingsPage", "从人员页面返回查找")),
    ("Ctrl+S", QT_TRANSLATE_NOOP("SettingsPage", "保存（登记表、单位）")),
    ("Ctrl+Shift+N", QT_TRANSLATE_NOOP("SettingsPage", "登记用人单位")),
    ("Ctrl+Shift+E", QT_TRANSLATE_NOOP("SettingsPage", "为所选单位职工参保")),
    ("F5", QT_TRANSLATE_NOOP("SettingsPage", "刷新当前页面")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("SettingsPage", "退出")),
)


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what they do) in the interface language."""
    return [(keys, QCoreApplication.translate("SettingsPage", text)) for keys, text in SHORTCUTS]


class SettingsPage(QWidget):
    language_chosen = Signal(str)
    text_size_chosen = Signal(str)  # the window applies it and keeps it for this operator

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.language = QComboBox()
        self.language.setObjectName("languageChoice")
        self.language.setAccessibleName(self.tr("界面语言"))
        # Each language is named in itself, so it can be found whatever is showing now.
        self.language.addItem("简体中文", "zh")
        self.language.addItem("English", "en")
        self.language.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.language_warning = QLabel()
        self.language_warning.setObjectName("languageWarning")
        self.language_warning.setWordWrap(True)
        set_tone(self.language_warning, "warning")
        self._update_warning()
        self.text_size = QComboBox()
        self.text_size.setObjectName("textSizeChoice")
        self.text_size.setAccessibleName(self.tr("文字大小"))
        self.text_size.addItem(self.tr("标准"), "normal")
        self.text_size.addItem(self.tr("大（125%）"), "large")
        self.text_size.addItem(self.tr("特大（150%）"), "largest")
        self.text_size.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        app = QApplication.instance()
        shown = current_text_size(app) if isinstance(app, QApplication) else "normal"
        self.text_size.setCurrentIndex(max(0, self.text_size.findData(shown)))

        language_box = QGroupBox(self.tr("界面"))
        form = QFormLayout(language_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("界面语言"), self.language)
        form.addRow(self.language_warning)
        form.addRow(self.tr("文字大小（仅本操作员）"), self.text_size)
        self.centre = CentreSettingsBox(session, runner)
        self.card_reader = CardReaderBox()  # this computer's reader (main window attaches it)
        self.printer = ReceiptPrinterBox()

        keys_box = QGroupBox(self.tr("键盘快捷键"))
        keys = QFormLayout(keys_box)
        for keys_text, meaning in shortcut_rows():
            key_label = QLabel(keys_text)
            set_role(key_label, "code")
            keys.addRow(key_label, QLabel(meaning))

        # Scrolls as a whole: a small laptop screen still reaches the shortcuts at the end.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(language_box)
        layout.addWidget(self.card_reader)
        layout.addWidget(self.printer)
        layout.addWidget(self.centre)
        layout.addWidget(keys_box)
        layout.addStretch(1)
        scroll = scrolling("settingsScroll", content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setFocusProxy(self.language)
        self.language.currentIndexChanged.connect(self._chosen)
        self.text_size.currentIndexChanged.connect(self._text_size_chosen)
        self.centre.refresh()

    def refresh(self) -> None:
        self.centre.refresh()

    def _update_warning(self) -> None:
        code = str(self.language.currentData())
        missing = translation_missing(code)
        self.language_warning.setVisible(missing)
        if missing:
            self.language_warning.setText(
                # Both languages on purpose: without the file there is no English to translate to.
                self.tr(
                    "找不到英文翻译文件 %1，界面仍显示中文。请运行 make translations 生成。\n"
                    "The English translation file %1 is missing, so the interface stays in "
                    "Chinese. Build it with: make translations"
                ).replace("%1", str(translation_file(code).name))
            )

    def _text_size_chosen(self, _index: int) -> None:
        self.text_size_chosen.emit(str(self.text_size.currentData()))

    def _chosen(self, _index: int) -> None:
        self._update_warning()
        self.language_chosen.emit(str(self.language.currentData()))
