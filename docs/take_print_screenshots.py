"""Screenshots of printing at the desk (issue 12), for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/take_print_screenshots.py

On a 1366×768 screen, as on the township laptops: the payment dialog after one key printed
the receipt on the roll printer (a device file in a scratch folder stands for it), the
receipt's preview one key further (it must fit the screen), the Settings page's receipt
printer, and the raster the roll printer received, decoded from its bytes. The household is
the payment screenshots' (``docs/take_payment_screenshots.py``); Chinese and English.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' helpers

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog

from caseworker.ui.dialogs.payment_dialog import PaymentDialog
from caseworker.ui.i18n import install_language
from caseworker.ui.preferences import ROLL_PRINTER
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.views.settings_view import SettingsPage
from docs.take_payment_screenshots import DAY, household
from docs.take_screenshots import save, wait
from tests.printing.test_roll_printer import decode

OUT = Path(__file__).resolve().parent / "screenshots"


def until(condition, ms: int = 15_000) -> None:
    waited = 0
    while not condition() and waited < ms:
        wait(100)
        waited += 100


def shots(app: QApplication, runner: TaskRunner, session, person, lang: str) -> None:
    install_language(app, lang)
    dialog = PaymentDialog(session, runner, person, today=lambda: DAY)
    dialog.resize(960, 480)
    dialog.show()
    until(lambda: dialog.person is not None and dialog.confirm_button.isEnabled())
    dialog.confirm()
    until(lambda: dialog.receipt is not None)
    dialog.print_receipt()  # the one key, on the roll printer
    until(lambda: dialog.printed > 0)
    save(dialog, "print-one-key", lang)
    dialog.preview_receipt()
    until(lambda: dialog.findChild(QDialog, "printPreview") is not None)
    preview = dialog.findChild(QDialog, "printPreview")
    wait(1500)
    geometry = preview.frameGeometry()
    screen = preview.screen().availableGeometry()
    print(
        f"{lang}: preview {geometry.width()}x{geometry.height()} on {screen.width()}x{screen.height()}"
    )
    save(preview, "print-preview-1366", lang)
    preview.close()
    dialog.close()
    if lang == "zh":  # what the roll printer received, decoded back into its dots
        (page_image,), _cut = decode(Path(str(ROLL_PRINTER.get())).read_bytes())
        page_image.save(OUT / "print-roll-raster.png")
    kept = ROLL_PRINTER.get()
    ROLL_PRINTER.put("/dev/ttyUSB0")  # as a desk would have it
    page = SettingsPage(session, runner)
    page.resize(900, 420)
    page.show()
    wait(800)
    save(page.printer, "print-settings-printer", lang)
    page.close()
    ROLL_PRINTER.put(kept)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        device = Path(scratch) / "lp0"
        device.touch()
        ROLL_PRINTER.put(str(device))
        for lang in ("zh", "en"):
            session, person, _wife = household(Path(scratch) / lang)
            try:
                shots(app, runner, session, person, lang)
            finally:
                session.close()
    runner.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
