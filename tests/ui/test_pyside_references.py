"""Guards the PySide6 pin in pyproject.toml.

PySide6 6.12.0 on Python 3.11 dropped a reference to None or True on every void call and
every Signal.emit(), and the interpreter aborted after a few thousand of them. If a future
PySide6 brings that back, this fails here instead of the app dying at the front desk.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    changed = Signal(int)


def test_void_calls_and_emits_keep_none_and_true_alive(qtbot):
    emitter, label = _Emitter(), QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for n in range(500):
        emitter.changed.emit(n)
        label.setText(str(n))
        label.setEnabled(True)
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert after[0] >= before[0] - 5
    assert after[1] >= before[1] - 5
