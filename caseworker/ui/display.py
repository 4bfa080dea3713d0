"""Say how to get a display instead of letting Qt abort with a plugin trace."""

from __future__ import annotations

import os
import sys

HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc"}


def display_problem() -> str | None:
    if not sys.platform.startswith("linux"):
        return None
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in HEADLESS_PLATFORMS:
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "没有可用的显示器，无法打开窗口。\n"
        "No display is available, so the window cannot open. Either:\n"
        "  - run it on a desktop session (a local screen, or ssh -X), or\n"
        "  - start it on a virtual screen:  xvfb-run -a caseworker   (Debian package xvfb), or\n"
        "  - use the command line instead:  caseworker --help"
    )
