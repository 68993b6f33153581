"""The navigator at 1366×768: 首頁, both programmes' headings and all seventeen steps, each with its state, are
in view at once, with no scroll bar (two lines a step needed one: the last steps had to be scrolled to)."""

from __future__ import annotations

from tests.ui.test_screen_fit import MAXIMISED_INSIDE, settle
from treasurer_app.ui.services import load_sample


def test_every_step_and_its_state_in_view_without_scrolling(window, qtbot) -> None:
    window.load_project(load_sample())
    qtbot.waitUntil(lambda: not window.checker.pending(), timeout=10_000)
    window.resize(MAXIMISED_INSIDE)  # maximised on the laptop, less the taskbar and the title bar
    settle()
    navigator = window.navigator
    assert not navigator.verticalScrollBar().isVisible()
    assert navigator.verticalScrollBar().maximum() == 0
    viewport = navigator.viewport().rect()
    for row in range(navigator.count()):
        item = navigator.item(row)
        seen = navigator.visualItemRect(item)
        assert viewport.contains(seen), f"{item.text()!r} at {seen} is outside {viewport}"
    export = navigator.item_for("export")
    assert navigator.state_text("export").startswith("匯出與列印\n有錯誤")  # the state is still the item's text
    one_line = navigator.visualItemRect(navigator.item(0)).height()
    assert navigator.visualItemRect(export).height() <= one_line + 4  # its name and state side by side


def test_a_step_whose_name_and_state_do_not_fit_side_by_side_takes_two_lines(window, qtbot) -> None:
    """A ledger imported with a thousand mistakes: its name and its state are both shown whole, one above the
    other (the list may then need its scroll bar)."""
    window.load_project(load_sample())
    qtbot.waitUntil(lambda: not window.checker.pending(), timeout=10_000)
    navigator = window.navigator
    item = navigator.item_for("ledger")
    one_line = navigator.visualItemRect(item).height()
    item.setText("現金收支登記簿\n有錯誤 · 1,234")
    settle()
    two_lines = navigator.visualItemRect(item)
    assert two_lines.height() > one_line + 10
    assert two_lines.width() <= navigator.viewport().width()
