"""Windows sized from the screen they open on: a township laptop is often 1366×768 at 125 or
150 %, where the room left by the taskbar is smaller than the sizes the windows would like.

``fitted_size`` shrinks a preferred size to the screen's available geometry (never below what
the window needs, so a window that cannot fit says so in the fit test rather than being cut);
``keep_on_screen`` moves and shrinks a window whose remembered geometry no longer fits.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room kept around a window opened to fit: the frame and title bar, which the available
# geometry leaves to the window manager.
FRAME_MARGIN = QSize(16, 40)


def available(widget: QWidget | None = None) -> QRect:
    """The available geometry of the widget's screen (the primary one before it has one)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted_size(preferred: QSize, widget: QWidget | None = None) -> QSize:
    """``preferred``, no larger than the available room less the frame."""
    room = available(widget).size() - FRAME_MARGIN
    return preferred.boundedTo(room).expandedTo(QSize(1, 1))


def fit_to_screen(widget: QWidget, preferred: QSize) -> None:
    """Resize ``widget`` to ``preferred`` or the room there is, whichever is smaller."""
    widget.resize(fitted_size(preferred, widget))


def keep_on_screen(widget: QWidget) -> None:
    """Shrink the widget to the available room and move it wholly inside it."""
    room = available(widget)
    size = widget.size().boundedTo(room.size() - FRAME_MARGIN)
    if size != widget.size():
        widget.resize(size)
    frame = widget.frameGeometry()
    x = min(max(frame.left(), room.left()), room.right() - frame.width() + 1)
    y = min(max(frame.top(), room.top()), room.bottom() - frame.height() + 1)
    if (x, y) != (frame.left(), frame.top()):
        widget.move(max(x, room.left()), max(y, room.top()))
