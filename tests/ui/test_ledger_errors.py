"""The ledger page shows its errors where the treasurer looks (issue 11): the current entry's messages
under the register, marks that survive the selection, negative figures in red, the sources beside the
accounts, a findings panel on the page; no false 必填 on a transfer; Tab skips what is computed;
摘要(二) completes from earlier memos. (The 零用金 column at 1366×768: test_screen_fit.py.)"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QStyleOptionViewItem

from tests.ui.test_ledger_register import current_key, open_editor
from treasurer_app.ui import theme
from treasurer_app.ui.ledger_marks import CORNER, MARK_ROLE
from treasurer_app.ui.ledger_model import COLUMNS

YEAR = 115


def payment(
    day: str, code: str, amount: str, category: str, account: str = "專戶存款1", voucher: str = "", memo: str = ""
) -> dict[str, str]:
    return {
        "month": "1",
        "day": day,
        "kind": "支",
        "code": code,
        "voucher": voucher or f"P{day}",
        "memo": memo,
        "amount": amount,
        "category": category,
        "account": account,
    }


def receipt(day: str, code: str, amount: str, category: str) -> dict[str, str]:
    return {
        "month": "1",
        "day": day,
        "kind": "收",
        "code": code,
        "voucher": f"R{day}",
        "memo": "",
        "amount": amount,
        "category": category,
        "account": "專戶存款1",
    }


def ledger_page(window, entries: list[dict[str, str]], header: dict[str, str] | None = None):
    window.create_union(YEAR)
    for key, text in (header or {"opening_acct1": "100000", "opening_petty": "5000"}).items():
        window.document.set_value(YEAR, "ledger_header", key, text)
    window.document.insert_rows(YEAR, "ledger", 0, entries)
    window.show_step("ledger")
    window.checker.run_now()
    return window.page("ledger")


def cell(page, row: int, key: str):
    return page.proxy.index(row, COLUMNS.index(key))


def go_to(qtbot, page, row: int, key: str) -> None:
    """Put the cursor on a cell with the keyboard: from the cell below (the empty row), Up."""
    table = page.table
    table.setFocus()
    table.setCurrentIndex(cell(page, row + 1, key))
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert table.currentIndex() == cell(page, row, key)


def pixel(image, point: QPoint) -> QColor:
    return image.pixelColor(point)


# ---------------------------------------------------------------- messages, marks, red figures


def test_interest_overspent_is_flagged_on_the_payment_and_told_under_the_register(window, qtbot) -> None:
    """The issue's example: 15,000 paid from 利息收入 after 1,250 of interest received."""
    page = ledger_page(window, [
        receipt("5", "1", "467000", "分配款"),
        receipt("6", "3", "1250", "利息收入"),
        payment("7", "4-1", "15000", "利息收入", memo="王小明"),
    ])  # fmt: skip
    model = page.model
    assert model.display(1, "source_interest") == "1,250"
    assert model.display(2, "source_interest") == "-13,750"
    assert model.display(2, "source_allocation") == "467,000"
    assert model.data(model.index(2, COLUMNS.index("source_interest")), Qt.ItemDataRole.ForegroundRole) == (
        theme.ERROR_COLOR
    )
    assert model.data(model.index(1, COLUMNS.index("source_interest")), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(2, COLUMNS.index("category")), MARK_ROLE) == "error"
    assert "可動支：分配款 467,000、利息收入 -13,750" in page.closing.text()

    go_to(qtbot, page, 2, "memo")
    overspent = "第 3 筆 動支類別：利息收入全年可動支 1,250 元，動支至本筆累計 15,000 元，超支 13,750 元"
    assert page.message.text().startswith(overspent)
    assert page.message.property("mark") == "error"
    go_to(qtbot, page, 1, "memo")  # an entry without findings: the line is empty again
    assert page.message.text() == ""


def test_an_erroneous_cell_stays_marked_when_it_is_selected(window, qtbot) -> None:
    page = ledger_page(window, [payment("5", "1-1", "100", "分配款", account="專戶存款2")])  # 1-1 only from 專戶存款1
    go_to(qtbot, page, 0, "account")
    table = page.table
    assert table.selectionModel().isSelected(cell(page, 0, "account"))
    qtbot.wait(10)
    rect = table.visualRect(cell(page, 0, "account"))
    image = table.viewport().grab().toImage()
    assert pixel(image, rect.topLeft() + QPoint(2, 2)) == theme.ERROR_COLOR  # the corner triangle
    assert pixel(image, QPoint(rect.left() + 1, rect.center().y())) == theme.ERROR_COLOR  # the frame
    plain = table.visualRect(cell(page, 0, "voucher"))
    assert pixel(image, plain.topLeft() + QPoint(2, 2)) != theme.ERROR_COLOR
    assert CORNER > 2


def test_a_negative_balance_is_red_in_its_column_selected_or_not(window, qtbot) -> None:
    page = ledger_page(window, [payment("5", "6-1", "6000", "分配款", account="零用金")])
    model = page.model
    petty = model.index(0, COLUMNS.index("balance_petty"))
    assert model.display(0, "balance_petty") == "-1,000"
    assert model.data(petty, Qt.ItemDataRole.ForegroundRole) == theme.ERROR_COLOR
    assert model.data(model.index(0, COLUMNS.index("balance_acct1")), Qt.ItemDataRole.ForegroundRole) is None
    option = QStyleOptionViewItem()
    page.table.itemDelegate().initStyleOption(option, cell(page, 0, "balance_petty"))
    assert option.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText) == theme.ERROR_COLOR
    assert model.data(model.index(0, COLUMNS.index("amount")), MARK_ROLE) == "error"  # 零用金 餘額不足


def test_the_findings_panel_is_on_the_ledger_page_folded_and_a_finding_jumps_to_its_entry(window, qtbot) -> None:
    page = ledger_page(window, [
        receipt("5", "1", "1000", "分配款"),
        payment("6", "1-1", "100", "分配款", account="專戶存款2"),
    ])  # fmt: skip
    box = page.findings_box
    assert box.isVisible() and not box.panel.isVisible()
    assert "個錯誤" in box.toggle.text()
    QTest.mouseClick(box.toggle, Qt.MouseButton.LeftButton)
    assert box.panel.isVisible()
    assert not page.totals.isVisible()  # the register keeps its height: the totals make room
    wanted = next(m for m in box.panel.messages() if m.startswith("第 2 筆 動支帳戶"))
    panel = box.panel
    ledger_group = next(
        panel.topLevelItem(i)
        for i in range(panel.topLevelItemCount())
        if panel.topLevelItem(i).text(0).startswith("現金收支登記簿")
    )
    children = (ledger_group.child(j) for j in range(ledger_group.childCount()))
    item = next(child for child in children if child.text(0) == wanted)
    panel.scrollToItem(item)
    QTest.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=panel.visualItemRect(item).center())
    assert page.table.currentIndex() == cell(page, 1, "account")
    assert page.message.text().startswith("第 2 筆 動支帳戶")
    QTest.mouseClick(box.toggle, Qt.MouseButton.LeftButton)
    assert not box.panel.isVisible() and page.totals.isVisible()


def test_the_sources_start_from_the_application_and_follow_its_changes(window) -> None:
    page = ledger_page(window, [payment("5", "2-2", "500", "其他收入")])
    assert page.model.display(0, "source_other") == "-500"
    assert [f.rule for f in window.checker.findings if f.row == 0 and f.field == "category"] == [
        "ledger.source_overspent"
    ]
    window.document.set_value(YEAR, "budget", "rev_4", "500")  # the surplus the year draws: 其他收入 available
    window.checker.run_now()
    assert page.model.display(0, "source_other") == "0"
    assert not [f for f in window.checker.findings if f.rule == "ledger.source_overspent"]


# ---------------------------------------------------------------- 轉 has no 動支類別


def test_a_transfer_shows_no_required_mark_on_its_category_and_the_checker_agrees(window) -> None:
    transfer = {
        "month": "1",
        "day": "5",
        "kind": "轉",
        "code": "2",
        "voucher": "T1",
        "memo": "",
        "amount": "1000",
        "category": "",
        "account": "專戶存款1",
    }
    page = ledger_page(window, [transfer, {**payment("6", "6-1", "100", ""), "category": ""}])
    model = page.model
    category = COLUMNS.index("category")
    assert model.data(model.index(0, category), MARK_ROLE) is None
    assert "必填" not in model.data(model.index(0, category), Qt.ItemDataRole.ToolTipRole)
    assert not [f for f in window.checker.findings if f.form == "ledger" and f.row == 0]
    # a payment does need one, and says so in its cell
    assert model.data(model.index(1, category), MARK_ROLE) == "error"
    assert "必填" in model.data(model.index(1, category), Qt.ItemDataRole.ToolTipRole)


# ---------------------------------------------------------------- keyboard


def test_tab_and_shift_tab_skip_the_computed_cells(window, qtbot) -> None:
    page = ledger_page(window, [receipt("5", "1", "1000", "分配款")])
    table = page.table
    table.setFocus()
    table.setCurrentIndex(cell(page, 0, "voucher"))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert current_key(table) == "code"  # not 項目, which the code fills in
    qtbot.keyClick(table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert current_key(table) == "voucher"
    table.setCurrentIndex(cell(page, 0, "account"))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert (table.currentIndex().row(), current_key(table)) == (1, "month")  # not the balances, nor 年
    qtbot.keyClick(table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert (table.currentIndex().row(), current_key(table)) == (0, "account")


def test_tab_in_an_open_editor_commits_and_opens_the_next_typed_cell(window, qtbot) -> None:
    page = ledger_page(window, [receipt("5", "1", "1000", "分配款")])
    table = page.table
    table.setFocus()
    table.setCurrentIndex(cell(page, 0, "day"))
    qtbot.keyClick(table, "7")
    qtbot.keyClick(open_editor(table), Qt.Key.Key_Tab)
    assert window.document.ledger(YEAR).entries[0]["day"] == "7"
    assert current_key(table) == "kind"
    table.setCurrentIndex(cell(page, 0, "voucher"))
    qtbot.keyClick(table, "X")
    qtbot.keyClick(open_editor(table), Qt.Key.Key_Tab)
    assert window.document.ledger(YEAR).entries[0]["voucher"] == "X"
    assert current_key(table) == "code"  # over 項目
    assert open_editor(table).currentData() == "1"  # and its drop-down open at once


def test_the_memo_completes_from_earlier_memos_and_member_names(window, qtbot) -> None:
    page = ledger_page(window, [
        payment("5", "5-3", "100", "分配款", memo="Bus to Kenting"),
        payment("6", "5-4", "100", "分配款", memo="五一禮品"),
    ])  # fmt: skip
    window.document.insert_rows(YEAR, "roster", 0, [{"name": "Bob Lin"}])
    assert page.memo_suggestions() == ["Bob Lin", "Bus to Kenting", "五一禮品"]
    table = page.table
    table.setFocus()
    table.setCurrentIndex(cell(page, 2, "memo"))
    qtbot.keyClick(table, "B")
    editor = open_editor(table)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "u")
    completer = editor.completer()
    assert completer is not None
    shown = [completer.completionModel().index(r, 0).data() for r in range(completer.completionModel().rowCount())]
    assert shown == ["Bus to Kenting"]


def test_a_blank_carried_interest_shows_the_budget_figure_it_reads_as(window) -> None:
    from treasurer_app.ui.services import load_sample

    window.load_project(load_sample())  # sheet 3 of 115: 15,937 of interest, 15,000 spent
    window.show_step("ledger")
    window.checker.run_now()
    page = window.page("ledger")
    line = page.header_inputs["interest_carried_in"].line
    assert line.text() == "" and line.placeholderText() == "937（同預算書第 2 項）"
    assert page.model.running.opening_sources.interest == 937


def test_starting_the_new_year_after_overspent_interest_carries_zero_and_the_header_is_accepted(window) -> None:
    """The issue: 開始新年度… carried −13,750 into 上年度未動支利息, which the app then rejected."""
    from treasurer_app.ui.services import load_sample

    window.load_project(load_sample())
    window.document.insert_rows(YEAR, "ledger", 0, [
        receipt("5", "1", "467000", "分配款"),
        receipt("6", "3", "1250", "利息收入"),
        payment("7", "4-1", "15000", "利息收入"),
    ])  # fmt: skip
    assert window.roll_over() == YEAR + 1
    window.show_step("ledger")
    window.checker.run_now()
    page = window.page("ledger")
    assert page.header_inputs["interest_carried_in"].text() == "0"
    assert window.document.project.effective(YEAR + 1, "budget").number("rev_2") == 0
    assert not [f for f in window.checker.findings if f.field == "interest_carried_in"]
    assert page.header_inputs["interest_carried_in"].line.property("mark") in (None, "")


def test_the_line_under_the_register_follows_a_recheck_while_the_next_cell_is_being_typed(window, qtbot) -> None:
    """Typed by hand: 月 1, Tab, 日 5, Tab — the next cell's editor is open when the recheck comes, and the
    line must drop 日：必填 then, not when the cursor next moves."""
    page = ledger_page(window, [{"month": "1"}])
    table = page.table
    table.setFocus()
    table.setCurrentIndex(cell(page, 0, "day"))
    page.show_entry_message(0, "day")
    assert "第 1 筆 日：必填" in page.message.text()
    qtbot.keyClick(table, "5")
    qtbot.keyClick(open_editor(table), Qt.Key.Key_Tab)
    assert current_key(table) == "kind"
    open_editor(table)  # 字's drop-down is open: the table is editing
    window.checker.run_now()
    assert "日：必填" not in page.message.text()
    assert "第 1 筆 字：必填（可選 收、轉、支）" in page.message.text()


def test_a_blank_kind_is_told_once_with_its_choices(window) -> None:
    """The field's own 必填 and the ledger rule's 必填（可選 收、轉、支） say the same thing: the line shows one."""
    page = ledger_page(window, [{"month": "1", "day": "5"}])
    kind_messages = [f.message for f in page.model.entry_findings(0) if f.field == "kind"]
    assert kind_messages == ["第 1 筆 字：必填（可選 收、轉、支）"]
    code_messages = [f.message for f in page.model.entry_findings(0) if f.field == "voucher"]
    assert len(code_messages) == 1


def test_the_kind_drop_down_shows_the_choice_being_made_in_its_narrow_column(window, qtbot) -> None:
    """字 is 28 px wide: its open drop-down spreads over the next cell so 收/轉/支 can be read while choosing."""
    page = ledger_page(window, [receipt("5", "1", "1000", "分配款")])
    table = page.table
    table.setFocus()
    table.setCurrentIndex(cell(page, 0, "kind"))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = open_editor(table)
    assert table.columnWidth(COLUMNS.index("kind")) < editor.sizeHint().width() <= editor.width()
    assert editor.currentText() == "收"
