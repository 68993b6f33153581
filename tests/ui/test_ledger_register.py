"""The cash ledger typed from the keyboard: Enter moves on, drop-downs follow the parameter table, balances run."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from treasurer_app.ui.ledger_model import COLUMNS


def open_editor(table) -> QWidget:
    """The cell editor the table has open (offscreen Qt does not always report it as the focus widget)."""
    editors = [w for w in table.viewport().findChildren(QWidget) if isinstance(w, QLineEdit | QComboBox)]
    shown = [w for w in editors if w.isVisible()]
    assert len(shown) == 1, shown
    return shown[0]


def type_cell(qtbot, table, text: str) -> None:
    """Type into the current cell as a user does: the first key opens the editor, Enter commits and moves on."""
    qtbot.keyClick(table, text[0])
    editor = open_editor(table)
    if len(text) > 1:
        qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(5)  # the delegate closes the editor on a queued call


def pick(qtbot, table, steps: int) -> None:
    """Open the drop-down with F2, move down ``steps`` options, Enter."""
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = open_editor(table)
    assert isinstance(combo, QComboBox)
    for _ in range(steps):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.wait(5)


def current_key(table) -> str:
    return COLUMNS[table.currentIndex().column()]


def test_a_quarter_of_entries_by_keyboard(window, qtbot) -> None:
    window.create_union(115)
    window.show_step("ledger")
    page = window.page("ledger")
    opening = page.header_inputs["opening_acct1"].line
    opening.setFocus()
    qtbot.keyClicks(opening, "100000")
    table = page.table
    table.setFocus()
    table.setCurrentIndex(page.proxy.index(0, COLUMNS.index("month")))
    # The guide's column order (issue 13): 年 月 日 字 傳票序號 摘要 摘要(一) (號 picked here) 摘要(二)…
    # 1/5 收 1 (分配款 into 專戶存款1 filled in), 2/10 支 1-1 講師鐘點費, 3/20 支 1-6 餐費
    for month, day, kind_steps, code_steps, voucher, amount in (
        ("1", "5", 1, 1, "R001", "467000"),
        ("2", "10", 3, 1, "P001", "8000"),
        ("3", "20", 3, 6, "P002", "12500"),
    ):
        assert current_key(table) == "month"
        type_cell(qtbot, table, month)
        type_cell(qtbot, table, day)
        assert current_key(table) == "kind"
        pick(qtbot, table, kind_steps)
        assert current_key(table) == "voucher"
        type_cell(qtbot, table, voucher)
        assert current_key(table) == "code"  # 摘要 (項目) is filled in, never typed: skipped
        pick(qtbot, table, code_steps)
        assert current_key(table) == "memo"
        qtbot.keyClick(table, Qt.Key.Key_Return)
        type_cell(qtbot, table, amount)
        assert current_key(table) == "category"
        if kind_steps == 3:
            pick(qtbot, table, 1)  # 分配款
            pick(qtbot, table, 1)  # 專戶存款1
        else:
            qtbot.keyClick(table, Qt.Key.Key_Return)  # filled from the code: 分配款
            qtbot.keyClick(table, Qt.Key.Key_Return)  # 專戶存款1

    model = page.model
    entries = window.document.ledger(115).entries
    assert [e["voucher"] for e in entries] == ["R001", "P001", "P002"]
    assert entries[0]["category"] == "分配款" and entries[0]["account"] == "專戶存款1"
    assert model.display(0, "summary_one") == "收-商港服務費福利專款"
    assert model.display(1, "summary_one") == "1-1、講師鐘點費"
    assert model.display(2, "summary_one") == "1-6、餐費"
    assert model.display(2, "code") == "1-6、餐費" and model.display(2, "item") == "1、教育訓練"
    assert model.display(0, "balance_total") == "567,000"
    assert model.display(2, "balance_acct1") == "546,500"
    assert model.display(2, "amount") == "12,500"
    assert page.closing.text().startswith("目前結存 546,500 元")
    assert current_key(table) in ("year", "month") and table.currentIndex().row() == 3  # a new row is ready

    window.checker.run_now()
    assert not [f for f in window.checker.findings if f.form == "ledger"]

    page.period.setCurrentIndex(1)  # 第 1 季
    assert page.proxy.rowCount() == 4  # three entries and the empty row
    page.period.setCurrentIndex(page.period.findText("2 月"))
    assert page.proxy.rowCount() == 2
    assert page.count_label.text() == "顯示 1 筆／共 3 筆"


def test_a_wrong_account_is_marked_in_its_cell(window, qtbot) -> None:
    window.create_union(115)
    window.show_step("ledger")
    page = window.page("ledger")
    window.document.insert_rows(115, "ledger", 0, [{
        "month": "1", "day": "5", "kind": "支", "code": "1-1", "voucher": "P1",
        "amount": "100", "category": "分配款", "account": "專戶存款2",
    }])  # fmt: skip
    window.checker.run_now()
    column = COLUMNS.index("account")
    index = page.model.index(0, column)
    assert page.model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    tip = page.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "動支帳戶" in tip
    assert page.model.choices(index) == ("專戶存款1", "零用金")


def test_undo_redo_of_ledger_entries(window) -> None:
    window.create_union(115)
    window.show_step("ledger")
    page = window.page("ledger")
    model = page.model
    model.setData(model.index(0, COLUMNS.index("month")), "1")
    model.setData(model.index(0, COLUMNS.index("voucher")), "A1")
    assert window.document.ledger(115).entries == [{"month": "1", "voucher": "A1"}]
    window.undo_action.trigger()
    assert window.document.ledger(115).entries[0].get("voucher", "") == ""
    window.undo_action.trigger()
    assert window.document.ledger(115).entries == []
    assert model.rowCount() == 1
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert model.data(model.index(0, COLUMNS.index("voucher"))) == "A1"


def test_a_drop_down_opened_with_the_mouse_lists_its_options_and_a_click_commits_and_closes(window, qtbot) -> None:
    window.create_union(115)
    window.show_step("ledger")
    page = window.page("ledger")
    table = page.table
    index = page.proxy.index(0, COLUMNS.index("kind"))
    table.setCurrentIndex(index)
    cell = table.visualRect(index).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # a double click: press, release…
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    combo = open_editor(table)
    assert isinstance(combo, QComboBox)
    qtbot.waitUntil(lambda: combo.view().isVisible(), timeout=2000)  # the list, without another click
    view = combo.view()
    row = combo.findText("支")
    item = view.visualRect(view.model().index(row, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(8, item.center().y()))
    qtbot.waitUntil(lambda: not [w for w in table.viewport().findChildren(QComboBox) if w.isVisible()], timeout=2000)
    assert window.document.ledger(115).entries == [{"kind": "支"}]  # committed, no Enter needed


def test_a_row_copied_from_the_exported_sheet_pastes_into_the_right_fields(window, tmp_path) -> None:
    """Issue 13: the sheet and the register share one column declaration, so an exported row pastes back whole."""
    import xlrd

    from treasurer_app.export.layouts import ledger_grids
    from treasurer_app.export.xls import write_xls

    window.create_union(115)
    window.show_step("ledger")
    page = window.page("ledger")
    entry = {"month": "1", "day": "31", "kind": "轉", "code": "2", "voucher": "轉001", "memo": "提撥零用金",
             "amount": "138037", "category": "", "account": "專戶存款1"}  # fmt: skip
    window.document.insert_rows(115, "ledger", 0, [entry])
    grids = ledger_grids(window.document.project, 115)
    sheet = xlrd.open_workbook(str(write_xls(grids, tmp_path / "ledger.xls"))).sheet_by_index(0)
    header = next(r for r in range(sheet.nrows) if sheet.cell_value(r, 0) == "年")
    row = [sheet.cell_value(header + 1, c) for c in range(sheet.ncols)]
    copied = "\t".join(str(int(v)) if isinstance(v, float) else str(v) for v in row)  # as Excel copies it
    assert "轉-提福利專款存款為零用金" in copied and "115" in copied
    page.table.setCurrentIndex(page.proxy.index(1, 0))  # the empty row, first column (年)
    assert page.paste_text(copied) == 1
    pasted = window.document.ledger(115).entries[1]
    assert {k: v for k, v in pasted.items() if v} == {k: v for k, v in entry.items() if v}


def summary_table(page) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    return [
        tuple(page.totals.item(r, c).text() for c in range(page.totals.columnCount()))
        for r in range(page.totals.rowCount())
    ]


def test_the_per_code_totals_follow_each_edit_as_a_full_count_would(window, qtbot) -> None:
    """After an edit the totals move by the one entry it touched (a full count of 100,000 entries held the
    window for a quarter of a second); after any edit they are what counting every entry gives."""
    payment = {"month": "1", "day": "5", "kind": "支", "code": "1-1", "voucher": "P1", "memo": "",
               "amount": "100", "category": "分配款", "account": "專戶存款1"}  # fmt: skip
    window.create_union(115)
    window.show_step("ledger")
    page, document = window.page("ledger"), window.document
    document.insert_rows(115, "ledger", 0, [payment, {**payment, "voucher": "P2", "code": "1-6", "amount": "40"}])
    window.checker.run_now()

    def counted_afresh() -> list[tuple[str, ...]]:
        shown = summary_table(page)
        page._summary_rows = None  # what a full count gives
        page._refresh_summary()
        assert summary_table(page) == shown
        return shown

    assert counted_afresh() == [("支 1-1", "1-1、講師鐘點費", "1", "100"), ("支 1-6", "1-6、餐費", "1", "40")]
    for edit in (
        lambda: document.set_cell(115, "ledger", 1, "amount", "55"),
        lambda: document.set_cell(115, "ledger", 1, "code", "1-1"),
        lambda: document.insert_rows(115, "ledger", 1, [{**payment, "voucher": "P3", "amount": "7"}]),
        lambda: document.delete_rows(115, "ledger", [0]),
        lambda: document.set_cell(115, "ledger", 0, "amount", "x"),  # an entry that does not parse
    ):
        edit()
        window.checker.run_now()
        counted_afresh()
    assert summary_table(page) == [("支 1-1", "1-1、講師鐘點費", "1", "55")]
    assert page.count_label.text() == "顯示 2 筆／共 2 筆"


def test_an_edit_below_the_rows_on_screen_repaints_none_of_them(window, qtbot, monkeypatch) -> None:
    """An edit announces the running balances from its entry to the end; when none of those rows is on
    screen, Qt is not told (it repainted every cell shown, ~0.1 s a time on a long ledger)."""
    from PySide6.QtWidgets import QTableView

    payment = {"month": "1", "day": "5", "kind": "支", "code": "1-1", "voucher": "P", "memo": "",
               "amount": "100", "category": "分配款", "account": "專戶存款1"}  # fmt: skip
    window.create_union(115)
    document = window.document
    document.insert_rows(115, "ledger", 0, [{**payment, "voucher": f"P{i}"} for i in range(300)])
    window.show_step("ledger")
    page = window.page("ledger")
    page.table.scrollToTop()
    told: list[tuple[int, int]] = []
    original = QTableView.dataChanged
    monkeypatch.setattr(
        QTableView,
        "dataChanged",
        lambda self, first, last, roles=(): (
            told.append((first.row(), last.row())),
            original(self, first, last, roles),
        ),
    )
    assert page.table.rowAt(0) == 0 and page.table.rowAt(page.table.viewport().height() - 1) < 290
    document.set_cell(115, "ledger", 290, "amount", "200")
    assert told == []
    document.set_cell(115, "ledger", 1, "amount", "200")  # a row on screen, and the balances below it
    assert told and told[0][0] == 1
