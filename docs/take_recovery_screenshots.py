"""Screenshots of the recovery dialog after a recovery, in Chinese and English: the new key's
fingerprint, the device id and the username, to be given to the county (device accept-key).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_recovery_screenshots.py

Everything is real: a centre set up in a scratch folder, recovered with its printed key.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' harness

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from caseworker.paths import DataPaths
from caseworker.services.centre import setup_centre
from caseworker.ui.dialogs.recovery_dialog import RecoveryDialog
from caseworker.ui.i18n import install_language
from caseworker.ui.style import apply_style
from docs.take_screenshots import save, wait


def shoot(app: QApplication, folder: Path, lang: str) -> None:
    install_language(app, lang)
    paths = DataPaths(folder / lang)
    created = setup_centre(
        paths,
        centre_code="320583101",
        centre_name="玉山镇社会保障服务中心",
        admin_username="admin",
        admin_password="admin password 1",
    )
    created.session.close()
    dialog = RecoveryDialog(paths, username="admin")
    dialog.recovery_key.setText(created.recovery_key)
    dialog.password.setText("recovered admin 1")
    dialog.confirm.setText("recovered admin 1")
    dialog.show()
    dialog.try_recover()  # no runner: recovers at once and shows the fingerprint
    wait(300)
    save(dialog, "recovery-key-fingerprint", lang)
    assert dialog.session is not None
    dialog.session.close()
    dialog.close()


def main() -> None:
    app = QApplication(sys.argv)
    apply_style(app)
    with tempfile.TemporaryDirectory() as scratch:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        for lang in ("zh", "en"):
            shoot(app, Path(scratch), lang)
    print("screenshots written to docs/screenshots")


if __name__ == "__main__":
    main()
