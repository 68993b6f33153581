"""The recheck after an edit runs on a worker thread: the window takes typing while it runs, and the
findings of a state the user has already changed are never shown (issue 16)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer

from treasurer_app import rules

ENTRY = {"month": "1", "day": "5", "kind": "支", "code": "1-1", "voucher": "P1", "memo": "",
         "amount": "100", "category": "分配款", "account": "專戶存款1"}  # fmt: skip
WRONG_ACCOUNT = "專戶存款2"  # 支 1-1 is not paid from it: an error on the entry's 動支帳戶


class SlowCheck:
    """check_project, recording the thread it runs on, held at its start while ``hold`` is set."""

    def __init__(self) -> None:
        self.threads: list[int] = []
        self.started = threading.Event()
        self.hold = threading.Event()
        self.release = threading.Event()
        self.original = rules.check_project

    def __call__(self, project, year, **options):  # type: ignore[no-untyped-def]
        self.threads.append(threading.get_ident())
        if self.hold.is_set():
            self.started.set()
            assert self.release.wait(30), "the test never released the check"
        return self.original(project, year, **options)


@pytest.fixture
def slow_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowCheck]:
    slow = SlowCheck()
    monkeypatch.setattr(rules, "check_project", slow)
    yield slow
    slow.release.set()  # never leave a worker waiting


def account_errors(findings) -> list:  # type: ignore[no-untyped-def]
    return [f for f in findings if f.form == "ledger" and f.field == "account"]


def test_the_recheck_runs_off_the_ui_thread_and_only_the_newest_state_is_shown(window, qtbot, slow_check) -> None:
    window.create_union(115)
    document = window.document
    document.insert_rows(115, "ledger", 0, [ENTRY])
    qtbot.waitUntil(lambda: not window.checker.pending(), timeout=10_000)
    assert not account_errors(window.checker.findings)
    assert slow_check.threads and threading.main_thread().ident not in slow_check.threads
    shown: list[list] = []
    window.checker.findings_changed.connect(lambda: shown.append(list(window.checker.findings)))

    # A ledger edit; its recheck is held on the worker thread (as a long ledger would keep it busy).
    slow_check.hold.set()
    document.set_cell(115, "ledger", 0, "account", WRONG_ACCOUNT)
    qtbot.waitUntil(slow_check.started.is_set, timeout=10_000)
    assert window.checker.pending()

    # Meanwhile the window goes on: timers fire, typing reaches the project.
    ticked: list[bool] = []
    QTimer.singleShot(10, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=2_000)
    window.show_step("application")
    line = window.page("application").inputs["tax_id"].line
    line.setFocus()
    qtbot.keyClicks(line, "1234")
    assert document.value(115, "application", "tax_id") == "1234"
    document.set_cell(115, "ledger", 0, "account", "專戶存款1")  # and the entry is put right again

    slow_check.hold.clear()
    slow_check.release.set()
    qtbot.waitUntil(lambda: not window.checker.pending(), timeout=10_000)
    # The held check was of the wrong account, a state already gone: its error was never shown.
    assert all(not account_errors(findings) for findings in shown)
    assert not account_errors(window.checker.findings)
    assert any(f.field == "tax_id" for f in window.checker.for_form("application"))  # the newest state's
    assert threading.main_thread().ident not in slow_check.threads


def test_a_finding_of_the_current_state_reaches_the_window(window, qtbot, slow_check) -> None:
    window.create_union(115)
    window.document.insert_rows(115, "ledger", 0, [{**ENTRY, "account": WRONG_ACCOUNT}])
    done = window.checker.checked_off_thread
    qtbot.waitUntil(lambda: not window.checker.pending(), timeout=10_000)
    assert window.checker.checked_off_thread > done
    assert account_errors(window.checker.findings)
    window.show_step("ledger")
    assert any("動支帳戶" in text for text in [window.page("ledger").model.cell_findings(0, "account")[0].message])


def test_findings_arriving_while_a_cell_is_typed_keep_the_typing(window, qtbot) -> None:
    """With the check on a worker, its findings can come at any moment: while the user types in a cell,
    or between Enter and the (queued) commit of that cell. Neither the typing nor the entry is lost."""
    from PySide6.QtCore import Qt

    from tests.ui.test_ledger_register import open_editor
    from treasurer_app.ui.ledger_model import COLUMNS

    window.create_union(115)
    qtbot.waitUntil(lambda: not window.checker.pending(), timeout=10_000)
    window.show_step("ledger")
    page = window.page("ledger")
    table = page.table
    table.setFocus()
    table.setCurrentIndex(page.proxy.index(0, COLUMNS.index("month")))
    qtbot.keyClick(table, "1")
    editor = open_editor(table)
    qtbot.keyClicks(editor, "2")
    window.checker.run_now()  # findings arrive while the month is being typed
    assert editor.text() == "12"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    window.checker.run_now()  # and again before the Enter's commit has run
    qtbot.wait(5)
    assert [e.get("month") for e in window.document.ledger(115).entries] == ["12"]


def test_findings_arriving_while_a_roster_cell_is_typed_keep_the_typing(window, qtbot) -> None:
    from PySide6.QtCore import Qt

    from tests.ui.test_ledger_register import open_editor

    window.create_union(115)
    qtbot.waitUntil(lambda: not window.checker.pending(), timeout=10_000)
    window.show_step("roster")
    page = window.page("roster")
    table = page.table
    column = [f.key for f in page.model.columns].index("national_id")
    table.setFocus()
    table.setCurrentIndex(page.model.index(0, column))
    qtbot.keyClick(table, "A")
    editor = open_editor(table)
    qtbot.keyClicks(editor, "123")
    window.checker.run_now()  # the findings re-mark every cell of the table meanwhile
    assert editor.text() == "A123"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    window.checker.run_now()
    qtbot.wait(5)
    assert [r.get("national_id") for r in window.document.rows(115, "roster")] == ["A123"]


def test_rechecks_leave_no_garbage_frozen(window, qtbot) -> None:
    """The collector is paused during a check and what is alive afterwards is frozen (kept out of later
    collections); the check's cyclic garbage must be collected before that, or every recheck adds to
    memory no collection ever reclaims. Unfreezing and collecting shows what was frozen as garbage:
    it must not grow with the number of rechecks."""
    import gc

    window.create_union(115)
    document = window.document
    document.insert_rows(115, "ledger", 0, [ENTRY, {**ENTRY, "voucher": "P2"}])
    qtbot.waitUntil(lambda: not window.checker.pending(), timeout=10_000)

    def garbage_frozen_after(rechecks: int) -> int:
        for amount in range(101, 101 + rechecks):
            document.set_cell(115, "ledger", 1, "amount", str(amount))
            window.checker.start()  # at once, as the debounce would a moment later
            qtbot.waitUntil(lambda: not window.checker.pending(), timeout=10_000)
        gc.unfreeze()
        return gc.collect()

    few, many = garbage_frozen_after(2), garbage_frozen_after(12)
    assert many <= few, (few, many)


def test_the_rows_whose_findings_changed_are_named_for_the_page_to_redraw(window, qtbot) -> None:
    window.create_union(115)
    document = window.document
    document.insert_rows(115, "ledger", 0, [ENTRY, {**ENTRY, "voucher": "P2"}, {**ENTRY, "voucher": "P3"}])
    window.checker.run_now()
    document.set_cell(115, "ledger", 1, "account", WRONG_ACCOUNT)
    window.checker.run_now()
    assert window.checker.changed_rows("ledger") == {1}
    document.set_cell(115, "ledger", 2, "memo", "王小明")  # nothing found about it either way
    window.checker.run_now()
    assert window.checker.changed_rows("ledger") == set()
    document.set_cell(115, "ledger", 1, "account", "專戶存款1")
    window.checker.run_now()
    assert window.checker.changed_rows("ledger") == {1}
    assert not account_errors(window.checker.findings)
