"""Start the window: font, locale, the user's working project, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from treasurer_app import APP_ID, APP_NAME


def create_window(folder: Path | None = None):
    """The main window on the working project in ``folder`` (the user's data folder by default)."""
    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.main_window import MainWindow
    from treasurer_app.ui.services import open_persistence

    persistence = open_persistence(folder)
    document = ProjectDocument(persistence.load(), persistence)
    return MainWindow(document)


def run_app(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from treasurer_app.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    apply_theme(app)
    try:
        window = create_window()
    except Exception as exc:  # the store's errors (locked, key missing) carry a Chinese message
        QMessageBox.critical(None, APP_NAME, f"無法開啟工會資料：\n{exc}")
        return 1
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_app())
