"""The window on a 1366×768 office laptop with the Windows taskbar: it fits the screen it opens on,
and what the treasurer must reach (the export page's buttons, the status bar) is in view.

The offscreen screen of these tests is 1366×768 (conftest.py). A maximised window there, less the
taskbar (40 px) and the title bar (31 px), has an inside of 1366×697: the size the pages are tried at.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget

from treasurer_app.findings import FIELD_INVALID, error, warning
from treasurer_app.ui.main_window import MainWindow
from treasurer_app.ui.window_place import FRAME, fitted, show_placed, window_settings

LAPTOP_WORK_AREA = QRect(0, 0, 1366, 728)  # 1366×768 less a 40 px taskbar
MAXIMISED_INSIDE = QSize(1366, 697)  # ... less the title bar of a maximised window
LONG_WARNING = (
    "教育訓練：114 年度教育訓練支出 120,000 未達分配款 1,000,000 的 40%（12.0%）；連續 2 年未達者次 1 年度"
    "不予分配。請確認是否另有尚未登記的教育訓練支出，或在工作計畫書說明原因，並於會員大會報告改善方式"
)


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def scrolled_into_view(widget: QWidget) -> QRect:
    """``widget`` brought into view as the user would scroll to it; its rectangle on the scroll area's viewport."""
    scroll = next(p for p in iter_parents(widget) if isinstance(p, QScrollArea))
    scroll.ensureWidgetVisible(widget, 0, 0)
    settle()
    return QRect(widget.mapTo(scroll.viewport(), QPoint(0, 0)), widget.size())


def iter_parents(widget: QWidget):
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


# ---------------------------------------------------------------- the window's place


def test_a_window_not_maximised_fits_the_work_area_with_its_frame() -> None:
    inner = fitted(LAPTOP_WORK_AREA)
    assert LAPTOP_WORK_AREA.contains(inner.marginsAdded(FRAME))
    assert inner.height() < 800  # the old fixed 1280×800 ran below the taskbar


def test_first_start_maximised_then_the_window_comes_back_where_it_was_left(themed_app, qtbot, tmp_path) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    show_placed(first, window_settings(tmp_path))
    qtbot.waitExposed(first)
    assert first.isMaximized()
    assert first.screen().availableGeometry().contains(first.frameGeometry())
    assert (tmp_path / "window.ini").exists() is False  # written when the window closes
    first.showNormal()
    first.setGeometry(120, 90, 1000, 560)
    settle()
    first.close()
    assert (tmp_path / "window.ini").exists()

    second = MainWindow()
    qtbot.addWidget(second)
    show_placed(second, window_settings(tmp_path))
    qtbot.waitExposed(second)
    assert not second.isMaximized()
    assert second.geometry() == QRect(120, 90, 1000, 560)
    second.showMaximized()
    settle()
    second.close()

    third = MainWindow()
    qtbot.addWidget(third)
    show_placed(third, window_settings(tmp_path))
    qtbot.waitExposed(third)
    assert third.isMaximized()  # closed maximised, opened maximised


def test_a_place_remembered_on_a_bigger_screen_is_brought_back_onto_this_one(themed_app, qtbot, tmp_path) -> None:
    big = MainWindow()
    qtbot.addWidget(big)
    big.setGeometry(1500, 300, 1900, 1000)  # right half of a 3840×2160 screen, unplugged since
    big.show()
    settle()
    window_settings(tmp_path).setValue("main_window/geometry", big.saveGeometry())
    big.close()

    window = MainWindow()
    qtbot.addWidget(window)
    show_placed(window, window_settings(tmp_path))
    qtbot.waitExposed(window)
    available = window.screen().availableGeometry()
    assert available.contains(window.geometry().marginsAdded(FRAME)), window.geometry()


def test_a_new_window_is_no_larger_than_the_screen() -> None:
    window = MainWindow()
    try:
        assert window.screen().availableGeometry().contains(window.geometry().marginsAdded(FRAME))
    finally:
        window.deleteLater()


# ---------------------------------------------------------------- the export page at 1366×768


def export_page_at_laptop_size(window, qtbot, findings):
    window.load_project(_sample())
    qtbot.waitUntil(lambda: not window.checker.pending(), timeout=10_000)  # its own findings, replaced below
    window.resize(MAXIMISED_INSIDE)
    window.show_step("export")
    page = window.page("export")
    window.findings_dock.show()
    window.checker.findings = findings
    window.checker.findings_changed.emit()
    settle()
    assert window.size() == MAXIMISED_INSIDE, "the window's minimum size is larger than the laptop's screen"
    assert window.findings_dock.isVisible() and window.findings_dock.width() >= 250
    return page


def _sample():
    from treasurer_app.ui.services import load_sample

    return load_sample()


def test_export_page_buttons_and_status_bar_in_view_at_1366x768(window, qtbot) -> None:
    findings = [warning("final_accounts", "compliance.education_40", LONG_WARNING, "exp_1_allocation")]
    page = export_page_at_laptop_size(window, qtbot, findings)
    scroll = page.findChild(QScrollArea)
    assert not scroll.horizontalScrollBar().isVisible(), "the export page scrolls sideways"
    viewport = scroll.viewport().rect()
    buttons = [b for b in page.findChildren(QAbstractButton) if b.isVisibleTo(page)]
    names = {b.text() for b in buttons}
    assert {"選擇 PDF…", "選擇資料夾…", "匯出申請檔", "匯出季報"} <= names
    for button in buttons:
        shown = scrolled_into_view(button)
        assert viewport.contains(shown), f"{button.text()} at {shown} is outside {viewport}"
        assert window.rect().contains(in_window(button, window)), button.text()
    status = window.statusBar()
    assert status.isVisible()
    assert window.rect().contains(in_window(status, window))
    assert window.rect().contains(in_window(window.save_label, window))


def test_a_long_warning_wraps_instead_of_being_cut(window, qtbot) -> None:
    findings = [
        warning("final_accounts", "compliance.education_40", LONG_WARNING, "exp_1_allocation"),
        error("application", FIELD_INVALID, "統一編號：檢查碼不符（12345678）", "tax_id"),
    ]
    page = export_page_at_laptop_size(window, qtbot, findings)
    scroll = page.findChild(QScrollArea)
    assert not scroll.horizontalScrollBar().isVisible()
    ((check, _key),) = page.warning_checks
    text = page.warning_text(check)
    assert LONG_WARNING in text.text()
    shown = scrolled_into_view(text)
    assert scroll.viewport().rect().contains(shown)
    assert text.height() >= text.heightForWidth(text.width()), "the warning's last lines are cut"
    assert text.height() > 2 * text.fontMetrics().lineSpacing()  # on several lines, not one cut line
    qtbot.mouseClick(text, Qt.MouseButton.LeftButton)
    assert check.isChecked()  # the text ticks its box, as a check box's own text does


def test_ledger_balance_columns_in_view_at_1366x768(window, qtbot) -> None:
    """The register's running balances up to 零用金 are on screen without scrolling sideways."""
    from treasurer_app.ui.ledger_model import COLUMNS

    window.load_project(_sample())
    window.resize(MAXIMISED_INSIDE)
    year = window.year
    window.document.insert_rows(year, "ledger", 0, [{
        "month": "1", "day": "5", "kind": "收", "code": "1", "voucher": "R1", "amount": "467000",
        "category": "分配款", "account": "專戶存款1",
    }])  # fmt: skip
    window.show_step("ledger")
    settle()
    assert window.size() == MAXIMISED_INSIDE
    table = window.page("ledger").table
    assert table.horizontalScrollBar().value() == 0
    viewport = table.viewport()
    for key in ("balance_total", "balance_acct1", "balance_acct2", "balance_fixed", "balance_petty"):
        column = COLUMNS.index(key)
        left = table.columnViewportPosition(column)
        cell = QRect(left, 0, table.columnWidth(column), 10)
        assert viewport.rect().contains(cell), f"{key} at {cell} is outside {viewport.rect()}"
        assert window.rect().contains(QRect(viewport.mapTo(window, cell.topLeft()), cell.size())), key


def test_every_page_usable_at_1366x768_nothing_cut_nothing_sideways(window, qtbot) -> None:
    """Each step's page with the findings panel open: no page scrolls sideways (a table may, inside
    itself), no one-line label or button is narrower than its text, no wrapped text is cut short."""
    from treasurer_app.ui.step_names import STEPS

    findings = [warning("final_accounts", "compliance.education_40", LONG_WARNING, "exp_1_allocation")]
    export_page_at_laptop_size(window, qtbot, findings)
    for step in STEPS:
        window.show_step(step.id)
        settle()
        assert window.size() == MAXIMISED_INSIDE, step.id
        page = window.page(step.id)
        for scroll in page.findChildren(QScrollArea):
            assert not scroll.horizontalScrollBar().isVisible(), f"{step.id} scrolls sideways"
        for widget in page.findChildren(QLabel) + page.findChildren(QAbstractButton):
            if not widget.isVisibleTo(page) or not widget.text():
                continue
            if isinstance(widget, QLabel) and widget.wordWrap():
                assert widget.height() >= widget.heightForWidth(widget.width()), f"{step.id}: {widget.text()[:30]}"
            else:
                assert widget.sizeHint().width() <= widget.width() + 1, f"{step.id}: {widget.text()[:30]} is cut"


def test_the_window_settings_are_written_under_the_tests_own_folders() -> None:
    import os

    assert window_settings().fileName().startswith(os.environ["XDG_CONFIG_HOME"])  # never the user's own
