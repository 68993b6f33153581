"""Money and count fields keep the cursor where the user types: correcting one digit inside an amount
changes that digit, never another figure. Formatting (separators, full-width digits) waits until the
user leaves the field. Every test drives real key events and reads the text the user sees."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.ui.conftest import type_chinese
from tests.ui.test_ledger_register import open_editor
from treasurer_app.ledger.sheet import HEADER_FIELDS
from treasurer_app.ui.widgets import focus_out

HOME, END, LEFT, RIGHT = Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Left, Qt.Key.Key_Right
BACKSPACE, DELETE = Qt.Key.Key_Backspace, Qt.Key.Key_Delete


def keys(qtbot, line: QLineEdit, *strokes: str | Qt.Key) -> None:
    """Text as typed characters, keys as single presses, in order."""
    for stroke in strokes:
        if isinstance(stroke, str):
            qtbot.keyClicks(line, stroke)
        else:
            qtbot.keyClick(line, stroke)


def form_line(window, step: str, key: str) -> QLineEdit:
    window.show_step(step)
    line = window.page(step).inputs[key].line
    line.setFocus()
    return line


def test_a_digit_typed_after_home_and_right_goes_there(window, qtbot) -> None:
    window.create_union(115)
    line = form_line(window, "application", "member_count")
    keys(qtbot, line, "85000", HOME, RIGHT, "0", "1")
    assert line.text() == "8015000"
    assert line.cursorPosition() == 3
    assert window.document.value(115, "application", "member_count") == "8015000"


def test_backspace_and_delete_in_the_middle_of_an_amount(window, qtbot) -> None:
    window.create_union(115)
    line = form_line(window, "budget", "rev_1")
    keys(qtbot, line, "1234567", LEFT, LEFT, LEFT, BACKSPACE)
    assert line.text() == "123567"
    keys(qtbot, line, DELETE)
    assert line.text() == "12367"
    keys(qtbot, line, "9")
    assert line.text() == "123967"
    keys(qtbot, line, HOME, DELETE, "4", END, "0")
    assert line.text() == "4239670"
    assert window.document.value(115, "budget", "rev_1") == "4239670"


def test_separators_and_half_width_digits_only_once_the_user_leaves(window, qtbot) -> None:
    window.create_union(115)
    line = form_line(window, "application", "member_count")
    type_chinese(line, "１２")
    keys(qtbot, line, "345", HOME, RIGHT, "0", "7")
    assert line.text() == "１07２345"  # as typed: nothing is rewritten under the cursor
    focus_out(line)
    line.clearFocus()
    assert window.document.value(115, "application", "member_count") == "1072345"
    assert line.text() == "1,072,345"  # grouped for reading once left
    line.setCursorPosition(6)  # clicked between 2 and 3: "1,072,|345"
    line.setFocus()
    assert line.text() == "1072345"  # plain again for editing, the cursor beside the same digit
    assert line.cursorPosition() == 4
    keys(qtbot, line, BACKSPACE, "8")
    assert line.text() == "1078345"


def test_the_ledger_header_keeps_the_cursor_too(window, qtbot) -> None:
    window.create_union(115)
    window.show_step("ledger")
    key = HEADER_FIELDS[0].key
    line = window.page("ledger").header_inputs[key].line
    line.setFocus()
    keys(qtbot, line, "85000", HOME, RIGHT, "0", "1")
    assert line.text() == "8015000"
    keys(qtbot, line, RIGHT, BACKSPACE)
    assert line.text() == "801000"
    assert window.document.value(115, "ledger_header", key) == "801000"


def test_a_number_cell_of_a_table_keeps_the_cursor(window, qtbot) -> None:
    window.create_union(115)
    window.show_step("training_report")
    page = window.page("training_report")
    column = next(i for i, f in enumerate(page.model.columns) if f.key == "cost")
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, column))
    qtbot.keyClick(page.table, "8")
    editor = open_editor(page.table)
    keys(qtbot, editor, "5000", HOME, RIGHT, "0", "1")
    assert editor.text() == "8015000"
    keys(qtbot, editor, LEFT, BACKSPACE, DELETE)
    assert editor.text() == "85000"
    keys(qtbot, editor, "9")
    assert editor.text() == "895000"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(5)
    assert window.document.rows(115, "training_report")[0]["cost"] == "895000"


def test_a_check_finishing_while_a_cell_is_typed_does_not_wipe_the_typing(window, qtbot) -> None:
    window.create_union(115)
    window.show_step("training_report")
    page = window.page("training_report")
    column = next(i for i, f in enumerate(page.model.columns) if f.key == "cost")
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, column))
    qtbot.keyClick(page.table, "1")
    editor = open_editor(page.table)
    keys(qtbot, editor, "2000")
    window.checker.run_now()  # the debounced check of an earlier edit lands now: every cell is repainted
    assert editor.text() == "12000"
    keys(qtbot, editor, HOME, RIGHT, "5")
    assert editor.text() == "152000"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(5)
    assert window.document.rows(115, "training_report")[0]["cost"] == "152000"


def test_the_ledger_amount_cell_keeps_the_cursor(window, qtbot) -> None:
    from treasurer_app.ui.ledger_model import COLUMNS

    window.create_union(115)
    window.show_step("ledger")
    table = window.page("ledger").table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, COLUMNS.index("amount")))
    qtbot.keyClick(table, "8")
    editor = open_editor(table)
    keys(qtbot, editor, "5000", HOME, RIGHT, "0", "1")
    assert editor.text() == "8015000"
    keys(qtbot, editor, END, LEFT, LEFT, BACKSPACE, DELETE)
    assert editor.text() == "80150"
