"""A data folder where no project can be made, and a file read-only did not open either: one clear message,
never the same question over and over."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from treasurer_app.editing import persistence
from treasurer_app.store import StoreFileReadOnly
from treasurer_app.ui.app import create_window_then_open


def test_no_project_and_a_folder_nothing_can_be_written_to_says_so_once(
    themed_app, qtbot, tmp_path: Path, monkeypatch
) -> None:
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")  # as unwritable as a read-only folder
    boxes: list[tuple[str, list[str]]] = []

    def exec_box(box: QMessageBox) -> int:
        boxes.append((box.text(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text() == "結束").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    window = create_window_then_open(blocked)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(boxes), timeout=5000)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert len(boxes) == 1
    text, buttons = boxes[0]
    assert "無法在這裡建立新的專案檔" in text
    assert "以唯讀方式開啟" not in buttons  # there is no file to open read-only
    assert "開啟其他專案檔…" in buttons


def test_read_only_that_fails_too_is_not_offered_again(themed_app, qtbot, tmp_path: Path, monkeypatch) -> None:
    attempts: list[bool] = []

    class Refusing:
        def __init__(
            self,
            location: Path,
            break_lock: bool = False,
            read_only: bool = False,
            create: bool = True,
            check_in_background: bool = False,
        ) -> None:
            attempts.append(read_only)
            raise StoreFileReadOnly(location, "所在的資料夾")

    monkeypatch.setattr(persistence, "StorePersistence", Refusing)
    asked: list[str] = []
    failures: list[str] = []
    window = create_window_then_open(tmp_path / "data")
    qtbot.addWidget(window)
    monkeypatch.setattr(window.files, "ask_how_to_open", lambda error: asked.append(str(error)) or "read_only")
    monkeypatch.setattr(window.files, "show_open_failure", lambda message, details="": failures.append(message))
    window.show()
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert attempts == [False, True]  # once for editing, once read-only, then the failure is shown
    assert len(asked) == 1
