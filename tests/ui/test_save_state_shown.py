"""The status bar's save state (and the title's): 已儲存 only while a project is open and every edit of it
is in the file — never at the first start, when nothing of the user's exists to be saved, nor for a file
opened read-only, where nothing is saved at all."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from tests.ui.conftest import TODAY


def shown(window) -> tuple[str, str]:
    """What the user reads: the status bar's save state, and the title's last part."""
    return window.save_label.text(), window.windowTitle().split(" — ")[-1]


def test_nothing_is_said_saved_before_the_project_is_open(themed_app, qtbot) -> None:
    from treasurer_app.ui.main_window import OPENING_TEXT, MainWindow

    window = MainWindow(today=TODAY)
    qtbot.addWidget(window)
    assert shown(window) == ("", OPENING_TEXT)


def test_the_first_start_says_nothing_saved_until_there_is_something(window, qtbot) -> None:
    assert window.document.project.years == {}  # the first start: an empty working project
    assert shown(window) == ("", "工會福利專款助手")
    window.create_union(115)  # 建立本工會的資料: the user's first data, written to the file
    qtbot.waitUntil(lambda: window.save_label.text() == "已儲存", timeout=3000)
    assert window.windowTitle().endswith("— 已儲存")
    window.undo_action.trigger()  # back to nothing of the user's: nothing to call saved
    qtbot.waitUntil(lambda: 115 not in window.document.project.years and window.save_label.text() == "", timeout=3000)
    assert "已儲存" not in window.windowTitle()


def test_the_sample_opened_from_the_welcome_page_is_saved(window, qtbot) -> None:
    assert window.save_label.text() == ""
    button = next(b for b in window.dashboard.findChildren(QPushButton) if b.text().startswith("先看看範例工會"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert 115 in window.document.project.years
    assert shown(window) == ("已儲存", "已儲存")


def test_a_file_opened_read_only_says_so_and_never_saved(themed_app, qtbot, tmp_path: Path, monkeypatch) -> None:
    from treasurer_app.editing.persistence import StorePersistence
    from treasurer_app.interchange import load
    from treasurer_app.resources import resources_dir
    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.main_window import MainWindow
    from treasurer_app.ui.services import open_persistence

    writer = open_persistence(tmp_path / "data")
    writer.load()
    writer.replace(load(resources_dir() / "sample" / "sample_union.json"))
    writer.close()
    reader = StorePersistence(writer.location, read_only=True)
    window = MainWindow(today=TODAY)
    qtbot.addWidget(window)
    window.attach(ProjectDocument(reader.load(), reader), read_only=True)
    assert shown(window) == ("唯讀", "唯讀")
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: QMessageBox.StandardButton.Ok)
    window.document.flush(automatic=False)  # the idle save comes round: still nothing saved
    assert shown(window) == ("唯讀", "唯讀")
    window.close_document()
