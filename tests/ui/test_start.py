"""Starting the app: the window comes first, the project right after; a file held by another copy is said so."""

from __future__ import annotations

from pathlib import Path

import pytest

from treasurer_app import store
from treasurer_app.ui.app import create_window_then_open


def test_window_first_then_the_project(themed_app, qtbot, tmp_path: Path) -> None:
    window = create_window_then_open(tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    assert not window.opened
    assert window.statusBar().currentMessage() == "正在開啟工會資料…"
    qtbot.waitUntil(lambda: window.opened, timeout=5000)
    assert window.statusBar().currentMessage() == "已開啟工會資料"
    assert (tmp_path / "data" / "union.tap").exists()
    assert "歡迎使用工會福利專款助手" in window.dashboard.texts()


@pytest.mark.parametrize("choice", ["read_only", None])
def test_a_file_in_use_elsewhere_opens_read_only_or_not_at_all(themed_app, qtbot, tmp_path: Path, monkeypatch,
                                                                choice) -> None:
    held = store.Store.create(tmp_path / "data" / "union.tap")  # another copy of the app has it open
    try:
        asked: list[str] = []
        failures: list[str] = []
        window = create_window_then_open(tmp_path / "data")
        qtbot.addWidget(window)
        monkeypatch.setattr(window, "ask_about_lock", lambda error: asked.append(str(error)) or choice)
        monkeypatch.setattr(window, "show_open_failure", failures.append)
        window.show()
        qtbot.waitUntil(lambda: bool(asked), timeout=5000)
        assert "使用中" in asked[0]
        if choice == "read_only":
            qtbot.waitUntil(lambda: window.opened, timeout=5000)
            assert window.read_only
            assert window.windowTitle().endswith("唯讀")
        else:
            qtbot.waitUntil(lambda: bool(failures), timeout=5000)
            assert not window.opened
    finally:
        held.close()
