"""Import the main window's modules on a background thread while the operator logs in.

The login dialog needs little; the main window needs every page's module (about 0.4 s of
imports). Started as the login dialog opens, they load while the password is typed and the
key is derived (argon2 releases the interpreter), so the window follows the login at once.
Importing on another thread is safe: Python's import locks serialise it with the UI
thread, and nothing here creates a widget.
"""

from __future__ import annotations

import importlib
import threading

MAIN_WINDOW = "caseworker.ui.main_window"


def preload(module: str = MAIN_WINDOW) -> threading.Thread:
    """Start importing ``module`` in a daemon thread; returns the thread (tests join it)."""
    thread = threading.Thread(
        target=importlib.import_module, args=(module,), name="cw-preload", daemon=True
    )
    thread.start()
    return thread
