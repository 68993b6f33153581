"""Start the window: font, locale, the main window on screen first, then the user's project.

Nothing but Qt and the window's shell is imported before the first frame is painted; the
store (keyring, cryptography, SQLite), the forms and the rules are loaded right after it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from treasurer_app import APP_ID, APP_NAME
from treasurer_app.resources import resources_dir
from treasurer_app.ui import crash, pyside_hook  # noqa: F401  (pyside_hook: before the window's modules, see it)
from treasurer_app.ui.main_window import OPENING_TEXT, MainWindow
from treasurer_app.ui.theme import apply_theme, install_translations, with_fusion_style
from treasurer_app.ui.window_place import show_placed

QUIT_AFTER_SHOW_ENV = "TREASURER_APP_QUIT_AFTER_SHOW"  # "1": quit (exit 0) once the project is open; for smoke tests
OPEN_ANYWAY_MS = 2000  # open the project even if no frame was painted (a window started minimised)


def create_window(folder: Path | None = None) -> MainWindow:
    """The main window on the working project in ``folder`` (the user's data folder by default)."""
    # Not at the top: these load the store and the domain, after the first paint (see the module's docstring).
    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.services import open_persistence

    persistence = open_persistence(folder)
    return MainWindow(ProjectDocument(persistence.load(), persistence))


def create_window_then_open(folder: Path | None = None, project_path: Path | None = None) -> MainWindow:
    """The window's shell at once; the project (``project_path``, else the working project in ``folder``)
    opened once the first frame is on screen, so that opening it does not delay the first paint."""
    window = MainWindow()
    window.statusBar().showMessage(OPENING_TEXT)
    started = False

    def open_project() -> None:
        nonlocal started
        if started:
            return
        started = True
        from treasurer_app.ui.services import working_project_path  # not at the top: it loads the store

        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_translations(app)  # before any dialog: the opening may ask about a lock

        window.files.open_store(project_path or working_project_path(folder))

    window.first_painted.connect(open_project)
    QTimer.singleShot(OPEN_ANYWAY_MS, window, open_project)
    return window


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "app.ico"))


def start(
    argv: list[str] | None = None, project_path: Path | None = None, folder: Path | None = None
) -> tuple[QApplication, MainWindow]:
    """The application and its window, shown; the project opens once the event loop runs."""
    existing = QApplication.instance()
    app = existing or QApplication(with_fusion_style(argv if argv is not None else sys.argv))
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    apply_theme(app, set_style=existing is not None)
    app.setWindowIcon(app_icon())
    window = create_window_then_open(folder, project_path)
    window.quit_after_open = os.environ.get(QUIT_AFTER_SHOW_ENV) == "1"
    app.aboutToQuit.connect(window.close_document)  # the store's lock is released however the app ends
    show_placed(window)  # maximised on the first start, then where the user left it
    return app, window


def run_app(argv: list[str] | None = None, project_path: Path | None = None) -> int:
    crash.install()  # (done already when started by cli.main, before this module's imports)
    app, _window = start(argv, project_path)
    crash.event_loop_started()
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_app())
