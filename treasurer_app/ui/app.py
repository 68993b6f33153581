"""Start the window: font, locale, the user's working project, the main window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from treasurer_app import APP_ID, APP_NAME

if TYPE_CHECKING:
    from treasurer_app.ui.main_window import MainWindow


def create_window(folder: Path | None = None) -> MainWindow:
    """The main window on the working project in ``folder`` (the user's data folder by default)."""
    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.main_window import MainWindow
    from treasurer_app.ui.services import open_persistence

    persistence = open_persistence(folder)
    document = ProjectDocument(persistence.load(), persistence)
    return MainWindow(document)


def create_window_then_open(folder: Path | None = None) -> MainWindow:
    """The window at once (on an empty project), the user's project opened right after it is on screen:
    opening the store (keyring, decryption, SQLite) then does not delay the first paint."""
    from PySide6.QtCore import QTimer

    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.main_window import MainWindow
    from treasurer_app.ui.services import PendingPersistence, open_persistence

    window = MainWindow(ProjectDocument(PendingPersistence().load(), PendingPersistence()))
    window.opened = False
    window.statusBar().showMessage("正在開啟工會資料…")

    def open_project(break_lock: bool = False, read_only: bool = False) -> None:
        try:
            persistence = open_persistence(folder, break_lock=break_lock, read_only=read_only)
            project = persistence.load()
        except Exception as exc:  # the store's errors (locked, key missing) carry a Chinese message
            choice = window.ask_about_lock(exc)
            if choice is None:
                window.show_open_failure(str(exc))
            else:
                open_project(break_lock=choice == "break", read_only=choice == "read_only")
            return
        window.document.persistence = persistence
        window.document.replace_project(project)
        window.read_only = read_only
        window._update_title()
        window.statusBar().showMessage("已開啟工會資料（唯讀）" if read_only else "已開啟工會資料", 5000)
        window.opened = True

    QTimer.singleShot(0, open_project)
    return window


def run_app(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from treasurer_app.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    apply_theme(app)
    window = create_window_then_open()
    app.aboutToQuit.connect(window.document.close)  # the store's lock is released however the app ends
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_app())
