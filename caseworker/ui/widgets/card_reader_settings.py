"""This desk's ID card reader in Settings: which kind, which port, which vendor library,
and "test the reader" (what the reader is, and the card on it if any). The choices are the
computer's own (operator preferences, ui/preferences.py), applied at once."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from caseworker.devices.reader import SDTAPI, SERIAL, TERMB, ReaderError
from caseworker.ui.card_watcher import CardWatcher, ReaderConfig, ReaderTest
from caseworker.ui.i18n import message_for
from caseworker.ui.preferences import CARD_READER_KIND, CARD_READER_LIBRARY, CARD_READER_PORT
from caseworker.ui.style import set_tone


class CardReaderBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("身份证阅读器（本机）"), parent)
        self.setObjectName("cardReaderBox")
        self.watcher: CardWatcher | None = None
        self.kind = QComboBox()
        self.kind.setObjectName("cardReaderKind")
        self.kind.setAccessibleName(self.tr("读卡器类型"))
        self.kind.addItem(self.tr("不使用读卡器"), "")
        self.kind.addItem(self.tr("串口通讯协议（USB 读卡器，115200 波特）"), SERIAL)
        self.kind.addItem(self.tr("厂商读卡库 sdtapi（SDT_ 函数）"), SDTAPI)
        self.kind.addItem(self.tr("厂商读卡库 termb（CVR_ 函数）"), TERMB)
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.port = QLineEdit()
        self.port.setObjectName("cardReaderPort")
        self.port.setAccessibleName(self.tr("读卡器端口"))
        self.port.setPlaceholderText(
            self.tr("如 COM3、/dev/ttyUSB0；读卡库填 1001（第一个 USB 口）")
        )
        self.library = QLineEdit()
        self.library.setObjectName("cardReaderLibrary")
        self.library.setAccessibleName(self.tr("读卡库文件"))
        self.library.setPlaceholderText(self.tr("如 C:\\读卡器\\sdtapi.dll"))
        self.test_button = QPushButton(self.tr("测试读卡器"))
        self.test_button.setObjectName("cardReaderTest")
        self.test_button.setAccessibleName(self.tr("测试读卡器"))
        self.result = QLabel()
        self.result.setObjectName("cardReaderResult")
        self.result.setWordWrap(True)
        # Whether the desk is reading this reader now: what support asks first.
        self.state = QLabel()
        self.state.setObjectName("cardReaderState")  # one line: wrapped, the form cut it short
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.result, 1)
        for edit in (self.port, self.library):
            edit.setMinimumWidth(420)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("读卡器类型"), self.kind)
        form.addRow(self.tr("端口"), self.port)
        form.addRow(self.tr("读卡库文件"), self.library)
        form.addRow("", test_row)
        form.addRow(self.tr("状态"), self.state)
        self.form = form

        self.kind.setCurrentIndex(max(0, self.kind.findData(str(CARD_READER_KIND.get() or ""))))
        self.port.setText(str(CARD_READER_PORT.get() or ""))
        self.library.setText(str(CARD_READER_LIBRARY.get() or ""))
        self._show_rows()
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.port.editingFinished.connect(self._save)
        self.library.editingFinished.connect(self._save)
        self.test_button.clicked.connect(self.test)

    def attach(self, watcher: CardWatcher) -> None:
        self.watcher = watcher
        watcher.tested.connect(self._tested)
        self._show_state()

    def showEvent(self, event: QShowEvent) -> None:
        self._show_state()  # the main window may have started the desk's reader since
        super().showEvent(event)

    def _show_state(self) -> None:
        watcher = self.watcher
        if watcher is not None and watcher.watching and watcher.config is not None:
            self.state.setText(
                self.tr("前台正在读取此读卡器（{port}），放上身份证即可。").format(
                    port=watcher.config.port
                )
            )
        else:
            self.state.setText(self.tr("前台没有在读取读卡器。"))

    def config(self) -> ReaderConfig | None:
        kind, port = str(self.kind.currentData() or ""), self.port.text().strip()
        if not kind:
            return None
        return ReaderConfig(kind, port, self.library.text().strip() or None)

    def _show_rows(self) -> None:
        kind = str(self.kind.currentData() or "")
        self.form.setRowVisible(self.port, bool(kind))
        self.form.setRowVisible(self.library, kind in (SDTAPI, TERMB))
        self.test_button.setEnabled(bool(kind))

    def _kind_chosen(self, _index: int) -> None:
        self._show_rows()
        self._save()

    def _save(self) -> None:
        CARD_READER_KIND.put(str(self.kind.currentData() or ""))
        CARD_READER_PORT.put(self.port.text().strip())
        CARD_READER_LIBRARY.put(self.library.text().strip())
        if self.watcher is not None:
            self.watcher.start_from_preferences()
        self._show_state()

    def test(self) -> None:
        config = self.config()
        if config is None or self.watcher is None:
            return
        if not config.port:
            self._show(self.tr("请先填写端口。"), ok=False)
            self.port.setFocus()
            return
        self._save()
        self.test_button.setEnabled(False)
        self._show(self.tr("正在测试读卡器……"), ok=True)
        self.watcher.test(config)

    def _tested(self, result: object) -> None:
        self.test_button.setEnabled(True)
        if isinstance(result, ReaderError):
            self._show(message_for(result), ok=False)
            return
        assert isinstance(result, ReaderTest)
        text = self.tr("读卡器正常（{port}）。").format(port=result.status.port)
        if result.status.module:
            text += self.tr("安全模块号：{module}。").format(module=result.status.module)
        if result.card is None:
            text += self.tr("读卡器上没有卡片。")
        else:
            text += self.tr("读到：{name}，{number}，照片 {size} 字节（不解码、不保存）。").format(
                name=result.card.display_name(),
                number=result.card.id_number,
                size=result.card.photo_size,
            )
        self._show(text, ok=True)

    def _show(self, text: str, *, ok: bool) -> None:
        set_tone(self.result, None if ok else "error")
        self.result.setText(text)
