"""GUI tests: offscreen Qt, the app's font and style, a window on a fresh project store per test.

The in-memory keyring and the temporary data folder come from tests/conftest.py.
"""

from __future__ import annotations

import os

# Before any QApplication exists: an offscreen screen of the size of the office laptops (1366×768),
# described in screen-1366x768.json. (Qt splits the platform's arguments at ":", so a Windows path
# with its drive letter cannot be given there.)
os.environ["QT_QPA_PLATFORM"] = (
    "offscreen"
    if os.name == "nt"
    else f"offscreen:configfile={os.path.join(os.path.dirname(__file__), 'screen-1366x768.json')}"
)

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

TODAY = date(2026, 1, 10)  # ROC 115, three weeks before the application is due


@pytest.fixture(scope="session")
def themed_app(qapp: QApplication) -> QApplication:
    from treasurer_app.ui.theme import apply_theme

    apply_theme(qapp)
    return qapp


@pytest.fixture
def window(themed_app: QApplication, qtbot, tmp_path: Path):
    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.main_window import MainWindow
    from treasurer_app.ui.services import open_persistence

    persistence = open_persistence(tmp_path / "data")
    document = ProjectDocument(persistence.load(), persistence)
    main = MainWindow(document, today=TODAY)
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    qtbot.waitExposed(main)
    return main


def type_chinese(widget: QWidget, text: str) -> None:
    """Commit text as an input method does (qtbot.keyClicks aborts on CJK characters)."""
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
