"""Small things a treasurer expects: 性別 from the national ID, a drop-down as wide as its options,
and a plain-words message when the project file is held by another computer."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox, QStyle, QStyleOptionComboBox

from tests.ui.test_ledger_register import open_editor, pick
from treasurer_app.store import LockHolder, StoreLocked
from treasurer_app.ui.open_messages import lock_texts

MALE_ID, FEMALE_ID = "A123456789", "A223456781"


# ---------------------------------------------------------------- 性別 from the national ID


def roster_page(window):
    window.create_union(115)
    window.show_step("roster")
    page = window.page("roster")
    page.set_reveal(True)
    return page


def column(page, key: str) -> int:
    return next(i for i, f in enumerate(page.model.columns) if f.key == key)


def type_in_cell(qtbot, page, row: int, key: str, text: str) -> None:
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row, column(page, key)))
    qtbot.keyClick(page.table, text[0])
    editor = open_editor(page.table)
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(5)


def shown(page, row: int, key: str) -> str:
    return page.model.index(row, column(page, key)).data()


def test_sex_is_filled_from_the_national_id_typed_and_stays_editable(window, qtbot) -> None:
    page = roster_page(window)
    type_in_cell(qtbot, page, 0, "national_id", MALE_ID)
    assert shown(page, 0, "national_id") == MALE_ID
    assert shown(page, 0, "sex") == "男"
    assert window.document.rows(115, "roster")[0]["sex"] == "男"

    page.table.setCurrentIndex(page.model.index(0, column(page, "sex")))
    pick(qtbot, page.table, 1)  # 男 → 女: the treasurer may change it, and is told it contradicts the ID
    assert shown(page, 0, "sex") == "女"
    window.checker.run_now()
    assert any(f.rule == "roster.sex_matches_id" and f.row == 0 for f in window.checker.findings)

    window.document.undo_stack.undo()  # back to the filled 男
    assert shown(page, 0, "sex") == "男"
    window.document.undo_stack.undo()  # the ID and the 性別 it filled go together
    assert window.document.rows(115, "roster") == []


def test_a_sex_typed_first_is_not_overwritten_by_the_id(window, qtbot) -> None:
    page = roster_page(window)
    type_in_cell(qtbot, page, 0, "name", "abc")
    page.table.setCurrentIndex(page.model.index(0, column(page, "sex")))
    pick(qtbot, page.table, 2)  # 女
    type_in_cell(qtbot, page, 0, "national_id", MALE_ID)
    assert shown(page, 0, "sex") == "女"  # kept; the rule flags the mismatch
    window.checker.run_now()
    assert any(f.rule == "roster.sex_matches_id" for f in window.checker.findings)


def test_pasted_rows_without_sex_get_it_from_the_id(window) -> None:
    page = roster_page(window)
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.paste_text(f"王小美\t\t{FEMALE_ID}\t0650315\t0900101\t\n陳大文\t女\t{MALE_ID}\t0650315\t0900101\t\n")
    rows = window.document.rows(115, "roster")
    assert [r["sex"] for r in rows] == ["女", "女"]  # the second row's own 女 is kept


# ---------------------------------------------------------------- drop-downs


def test_the_union_type_drop_down_shows_its_options_whole(window, qtbot) -> None:
    window.create_union(115)
    editor = window.page("application")
    combo = editor.inputs["union_type"].combo
    editor.scroll_area.ensureWidgetVisible(combo)
    qtbot.wait(5)
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    for i in range(combo.count()):
        text = combo.itemText(i)
        assert combo.fontMetrics().horizontalAdvance(text) <= field.width(), f"{text} is cut"


def test_the_open_list_shows_the_current_option_highlighted(window, qtbot) -> None:
    window.create_union(115)
    combo = window.page("application").inputs["union_type"].combo
    combo.setCurrentIndex(1)
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    rect = view.visualRect(view.currentIndex())
    image = view.viewport().grab().toImage()
    colours = {image.pixelColor(QPoint(x, rect.center().y())).name() for x in range(rect.left(), rect.right())}
    combo.hidePopup()
    highlight = view.palette().highlight().color().name()
    assert highlight in colours or QColor("#1976d2").name() in colours, colours  # not an empty white box


# ---------------------------------------------------------------- the project file held elsewhere

SINCE = datetime(2026, 12, 2, 1, 15, tzinfo=UTC)  # 09:15 in Taipei


def held(stale: bool, host: str = "OFFICE-PC") -> StoreLocked:
    holder = LockHolder(host, 48213, "amy", SINCE, SINCE, "token")
    return StoreLocked(Path("/srv/工會/union.tap"), holder, stale)


@pytest.fixture
def taipei(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Taipei")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_lock_message_says_which_computer_and_since_when_in_plain_words(taipei) -> None:
    now = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    message, details = lock_texts(held(stale=False), now, this_host="MY-LAPTOP")
    assert message.startswith("這個專案檔正由「OFFICE-PC」使用中（自 12月2日 09:15 起）")
    for private in ("/srv", "union.tap", "48213", "程式編號", "amy"):
        assert private not in message
    assert "/srv/工會/union.tap" in details and "48213" in details and "amy" in details

    message, _ = lock_texts(held(stale=True), datetime(2027, 1, 5, tzinfo=UTC), this_host="OFFICE-PC")
    assert message.startswith("這個專案檔上次由這台電腦（OFFICE-PC）開啟（自 115年12月2日 09:15 起）")
    assert "解除鎖定並開啟" in message


def test_the_lock_dialog_keeps_the_path_and_process_under_details(window, monkeypatch, taipei) -> None:
    seen: dict[str, object] = {}

    def answer(box: QMessageBox) -> int:
        seen.update(text=box.text(), details=box.detailedText(), buttons=[b.text() for b in box.buttons()])
        next(b for b in box.buttons() if b.text() == "以唯讀方式開啟").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert window.files.ask_how_to_open(held(stale=True)) == "read_only"
    assert "「OFFICE-PC」" in seen["text"] and "12月2日 09:15" in seen["text"]
    assert "/srv" not in seen["text"] and "48213" not in seen["text"]
    assert "48213" in seen["details"] and "/srv/工會/union.tap" in seen["details"]
    assert "解除鎖定並開啟" in seen["buttons"]
