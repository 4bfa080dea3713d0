"""This computer's receipt printer, on the Settings page: an 80 mm ESC/POS roll printer's
port or device file, or nothing for the system's default printer (``ui.desk_printing``)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from caseworker.ui.preferences import ROLL_PRINTER
from caseworker.ui.style import set_tone


class ReceiptPrinterBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("本机收据打印机"), parent)
        self.setObjectName("receiptPrinterBox")
        self.device = QLineEdit(str(ROLL_PRINTER.get() or ""))
        self.device.setObjectName("rollPrinterDevice")
        self.device.setAccessibleName(self.tr("卷纸打印机端口"))
        self.device.setPlaceholderText(self.tr("例如 COM3、/dev/ttyUSB0、/dev/usb/lp0"))
        self.device.setClearButtonEnabled(True)
        self.device.setMinimumWidth(280)
        note = QLabel(
            self.tr(
                "填写 80 毫米 ESC/POS 卷纸打印机的串口或设备文件，收据按 Ctrl+P 直接打印到它；"
                "留空则打印到系统默认打印机（A5 收据按中心设置放在纸上）。"
            )
        )
        note.setWordWrap(True)
        set_tone(note, "hint")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("卷纸打印机端口"), self.device)
        form.addRow(note)
        self.device.editingFinished.connect(self.save)

    def save(self) -> None:
        ROLL_PRINTER.put(self.device.text().strip())
