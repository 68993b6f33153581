"""Where the main window goes: on the screen it opens on, never larger than what that screen leaves free.

The first start fills the screen's available area (maximised: the Windows taskbar stays in view);
after that the window comes back where the user left it. A remembered place that no longer fits
(a screen unplugged, a lower resolution) is brought back onto the screen, inside its available area.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QMargins, QObject, QRect, QSettings, QSize, QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from treasurer_app import APP_ID

SETTINGS_FILE = "window.ini"
GEOMETRY_KEY = "main_window/geometry"
PREFERRED_SIZE = QSize(1280, 800)  # when not maximised and the screen has room for it
FRAME = QMargins(8, 32, 8, 8)  # a window's borders and title bar (Windows 10, 100%), which the work area holds too


def window_settings(folder: Path | None = None) -> QSettings:
    """The window's own settings file, in the user's configuration folder (%LOCALAPPDATA%\\treasurer_app,
    ~/.config/treasurer_app), never the registry. Qt's own lookup, not platformdirs: this runs before the
    first paint, when nothing else is loaded."""
    if folder is None:
        config = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
        folder = Path(config) / APP_ID
    return QSettings(str(folder / SETTINGS_FILE), QSettings.Format.IniFormat)


def available_area(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted(available: QRect, preferred: QSize = PREFERRED_SIZE) -> QRect:
    """A window's inner rectangle of at most ``preferred`` size whose frame fits in ``available``, centred."""
    room = available.marginsRemoved(FRAME)
    rect = QRect(room.topLeft(), preferred.boundedTo(room.size()))
    rect.moveCenter(room.center())
    return rect


def inside(rect: QRect, available: QRect) -> QRect:
    """``rect`` (a window's inner rectangle) shrunk and moved so that its frame lies in ``available``."""
    room = available.marginsRemoved(FRAME)
    result = QRect(rect.topLeft(), rect.size().boundedTo(room.size()))
    result.moveLeft(min(max(result.left(), room.left()), room.right() - result.width() + 1))
    result.moveTop(min(max(result.top(), room.top()), room.bottom() - result.height() + 1))
    return result


def show_placed(window: QWidget, settings: QSettings | None = None) -> None:
    """Show ``window`` where it was last closed, else maximised; remember its place when it closes."""
    settings = settings or window_settings()
    saved = settings.value(GEOMETRY_KEY)
    restored = isinstance(saved, QByteArray | bytes) and window.restoreGeometry(QByteArray(saved))
    available = available_area(window)
    if not restored:
        window.setGeometry(fitted(available))  # what "restore down" gives back
        window.showMaximized()
    elif window.isMaximized() or window.isFullScreen():
        window.show()
    else:
        window.setGeometry(inside(window.geometry(), available))
        window.show()
    keeper = _PlaceKeeper(settings, window)
    window.installEventFilter(keeper)


class _PlaceKeeper(QObject):
    """Saves the window's place as it closes (maximised or not, and its size when restored down)."""

    def __init__(self, settings: QSettings, window: QWidget) -> None:
        super().__init__(window)
        self.settings = settings

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and isinstance(watched, QWidget):
            remember(watched, self.settings)
        return False


def remember(window: QWidget, settings: QSettings) -> None:
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.sync()
