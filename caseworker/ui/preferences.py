"""Operator preferences on this computer, each declared once with its key and default.

Always INI in the user scope under organisation "Caseworker": one known place, and tests
redirect it with ``QSettings.setPath`` instead of touching a real user's settings. Centre
configuration lives in the database (``caseworker.services.centre_settings``), never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings


def preferences() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Caseworker", "Caseworker"
    )


@dataclass(frozen=True)
class Preference:
    key: str
    default: Any = None

    def get(self) -> Any:
        return preferences().value(self.key, self.default)

    def put(self, value: Any) -> None:
        settings = preferences()
        settings.setValue(self.key, value)
        settings.sync()


@dataclass(frozen=True)
class OperatorPreference:
    """A preference of each operator on this computer, apart: the desk's PC (and its system
    account) is shared by the clerks who log in to it, so the key carries the operator's id."""

    name: str
    default: Any = None

    def of(self, operator_id: object) -> Preference:
        return Preference(f"operators/{operator_id}/{self.name}", self.default)


LANGUAGE = Preference("ui/language", "zh")
# Larger text for one operator (normal, large, largest: resources/style/palette.json),
# applied at their login and at once when changed (ui/style.apply_text_size).
TEXT_SIZE = OperatorPreference("text_size", "normal")
LAST_USERNAME = Preference("login/last_username", "")
WINDOW_GEOMETRY = Preference("window/geometry")
WINDOW_STATE = Preference("window/state")
# This desk's ID card reader: a machine's device, not the centre's (empty kind: none).
CARD_READER_KIND = Preference("devices/card_reader_kind", "")
CARD_READER_PORT = Preference("devices/card_reader_port", "")
CARD_READER_LIBRARY = Preference("devices/card_reader_library", "")
# This desk's 80 mm ESC/POS roll printer (a serial port such as COM3 or /dev/ttyUSB0, or a
# device file such as /dev/usb/lp0); empty: receipts go to the system's default printer.
ROLL_PRINTER = Preference("printing/roll_printer", "")
