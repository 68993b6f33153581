"""No edit lost silently: edits typed while the disk is full stay marked unsaved (status bar, field, cell),
are written once space is freed (by the next save or 重試儲存), and closing the window asks about them.

The full disk is injected at SQLite's commit (``tests/disk_full.py``): the store sees SQLITE_FULL exactly as
on a real full disk.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.disk_full import FullDisk
from tests.ui.test_ledger_register import current_key, type_cell
from treasurer_app.store import Store
from treasurer_app.ui import theme
from treasurer_app.ui.ledger_model import COLUMNS
from treasurer_app.ui.main_window import MainWindow

YEAR = 115


def fill_disk(window) -> FullDisk:
    window.create_union(YEAR)  # the union itself is written while there is space
    disk = FullDisk(window.document.persistence._store)
    disk.full = True
    # Whatever a test leaves unsaved is discarded when the window is closed after it, without a dialog.
    window.ask_about_unsaved = lambda doing="關閉": "discard"
    return disk


def stored(window, area: str, key: str) -> str:
    with Store.open(window.document.persistence.location, read_only=True) as copy:
        return copy.load().years[YEAR].forms.get(area, {}).get(key, "")


def type_into(qtbot, window, key: str, text: str) -> None:
    line = window.page("application").inputs[key].line
    line.setFocus()
    qtbot.keyClicks(line, text)


def test_edits_on_a_full_disk_stay_unsaved_until_the_next_save_writes_them(window, qtbot) -> None:
    disk = fill_disk(window)
    editor = window.page("application")

    type_into(qtbot, window, "phone", "02-24200000")
    type_into(qtbot, window, "contact", "Lin")

    assert window.save_label.text() == "有 2 項修改尚未儲存（磁碟空間不足）"
    assert window.retry_button.isVisible()
    assert editor.inputs["phone"].line.property("mark") == "unsaved"
    assert editor.lines["phone"].text().startswith("尚未儲存")
    assert editor.inputs["tax_id"].line.property("mark") != "unsaved"  # only the fields edited
    # The save after the pause tries again and fails again: still not 已儲存, and the file is unchanged.
    qtbot.waitUntil(lambda: disk.refused >= 2, timeout=3000)  # the edit itself, then the save's retry
    qtbot.wait(50)
    assert window.save_label.text().startswith("有 2 項修改尚未儲存")
    assert not window.windowTitle().endswith("已儲存")
    assert stored(window, "application", "phone") == ""

    disk.full = False  # space freed; the next edit's save writes the two waiting with it
    type_into(qtbot, window, "fax", "02-24200001")
    qtbot.waitUntil(lambda: window.save_label.text() == "已儲存", timeout=3000)
    assert not window.retry_button.isVisible()
    assert editor.inputs["phone"].line.property("mark") != "unsaved"
    assert (
        stored(window, "application", "phone"),
        stored(window, "application", "contact"),
        stored(window, "application", "fax"),
    ) == ("02-24200000", "Lin", "02-24200001")


def test_retry_on_demand_writes_the_waiting_edits(window, qtbot) -> None:
    disk = fill_disk(window)
    type_into(qtbot, window, "member_count", "385")
    assert window.save_label.text() == "有 1 項修改尚未儲存（磁碟空間不足）"

    qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)  # still full: still unsaved
    assert window.save_label.text() == "有 1 項修改尚未儲存（磁碟空間不足）"
    assert "磁碟空間不足" in window.save_label.toolTip()

    disk.full = False
    qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
    assert window.save_label.text() == "已儲存"
    assert stored(window, "application", "member_count") == "385"


def test_a_ledger_cell_typed_on_a_full_disk_is_marked_until_saved(window, qtbot) -> None:
    disk = fill_disk(window)
    window.show_step("ledger")
    page = window.page("ledger")
    table = page.table
    table.setFocus()
    table.setCurrentIndex(page.proxy.index(0, COLUMNS.index("month")))
    assert current_key(table) == "month"
    type_cell(qtbot, table, "1")
    type_cell(qtbot, table, "5")

    model = page.model
    month = model.index(0, COLUMNS.index("month"))
    assert model.data(month, Qt.ItemDataRole.BackgroundRole) == theme.UNSAVED_CELL
    assert model.data(month, Qt.ItemDataRole.ToolTipRole).startswith("尚未儲存")
    assert re.fullmatch(r"有 [23] 項修改尚未儲存（磁碟空間不足）", window.save_label.text())  # the entry, 月, 日

    disk.full = False
    assert window.retry_save()
    assert model.data(month, Qt.ItemDataRole.BackgroundRole) != theme.UNSAVED_CELL
    with Store.open(window.document.persistence.location, read_only=True) as copy:
        entries = copy.load().years[YEAR].ledger.entries
    assert [(e.get("month"), e.get("day")) for e in entries] == [("1", "5")]


def test_closing_with_unsaved_edits_asks_and_cancel_keeps_the_window(window, qtbot, monkeypatch) -> None:
    disk = fill_disk(window)
    type_into(qtbot, window, "contact", "Lin")
    asked: list[tuple[str, str, list[str]]] = []
    answers = iter(["取消", "再試一次儲存", "放棄這些修改並關閉"])

    def exec_box(box: QMessageBox) -> int:
        asked.append((box.text(), box.informativeText(), [b.text() for b in box.buttons()]))
        wanted = next(answers)
        next(b for b in box.buttons() if b.text() == wanted).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    window.ask_about_unsaved = lambda doing="關閉": MainWindow.ask_about_unsaved(window, doing)  # the real question

    assert not window.close()  # 取消
    assert window.isVisible() and window.document.unsaved
    assert window.close()  # 再試一次儲存 (still full: asked again) → 放棄這些修改並關閉
    assert len(asked) == 3
    text, informative, buttons = asked[0]
    assert text == "有 1 項修改還沒有存入專案檔（磁碟空間不足）。"
    assert "這些修改會遺失" in informative
    assert {"再試一次儲存", "放棄這些修改並關閉", "取消"} <= set(buttons)  # and 詳細資料 (Qt's own button)
    assert not window.isVisible()
    assert disk.refused >= 3
    assert stored(window, "application", "contact") == ""  # discarded, as the user chose


def test_closing_after_space_is_freed_saves_without_asking(window, qtbot, monkeypatch) -> None:
    disk = fill_disk(window)
    type_into(qtbot, window, "contact", "Lin")
    monkeypatch.setattr(QMessageBox, "exec", lambda box: (_ for _ in ()).throw(AssertionError(box.text())))
    disk.full = False
    assert window.close()
    assert stored(window, "application", "contact") == "Lin"


def test_opening_the_sample_over_unsaved_edits_asks_first(window, qtbot, monkeypatch) -> None:
    fill_disk(window)
    type_into(qtbot, window, "contact", "Lin")
    asked: list[str] = []
    window.ask_about_unsaved = lambda doing="關閉": asked.append(doing) or "cancel"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *args: QMessageBox.StandardButton.Yes))
    window.files.open_sample()
    assert asked == ["取代目前的資料"]
    assert window.document.value(YEAR, "application", "contact") == "Lin"  # nothing replaced, edit still there
    assert window.document.unsaved


def test_space_freed_while_the_window_sits_idle_is_used_by_the_keep_alive_timer(window, qtbot) -> None:
    disk = fill_disk(window)
    type_into(qtbot, window, "contact", "Lin")
    assert window.save_label.text() == "有 1 項修改尚未儲存（磁碟空間不足）"
    disk.full = False
    window.document.keep_alive()  # what the once-a-minute timer calls
    assert window.save_label.text() == "已儲存"
    assert not window.retry_button.isVisible()
    assert stored(window, "application", "contact") == "Lin"
