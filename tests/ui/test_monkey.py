"""A seeded monkey: every step, every input and every table column of the sample union and of an empty
one, typed into with ASCII, full-width and CJK text (input-method commits), pasted into, rows added and
removed, undo and redo in between. Nothing may raise, the window stays responsive, what the user sees is
what is stored, the findings agree with ``rules.check_project``, and undoing everything gives back the
project as it was.

Other seeds, by hand: ``MONKEY_SEED=7 .venv/bin/python -m pytest tests/ui/test_monkey.py``.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from treasurer_app import rules
from treasurer_app.findings import MISSING_VALUE_RULES
from treasurer_app.forms import LEDGER_FORM, TABLE_FORMS
from treasurer_app.interchange import project_to_dict
from treasurer_app.line_subsidy.forms import LINE_TABLES
from treasurer_app.ui.services import load_sample
from treasurer_app.ui.step_names import EXPORT, HOME, STEPS
from treasurer_app.ui.steps import step_state
from treasurer_app.ui.widgets import FieldInput, MultiChoiceInput

SEED = int(os.environ.get("MONKEY_SEED", "20260110"))  # fixed; another one only to explore by hand
ACTIONS_PER_PAGE = 150
FROZEN_SECONDS = 10.0  # a hang detector, not a stopwatch: one step took 2.3 s on a loaded 2-core machine
YEAR = 115
CTRL = Qt.KeyboardModifier.ControlModifier

ASCII_TEXTS = (
    "abc", "123", "0", "1140721", "0670127", "12345675", "A123456789", "04-25670000", "a@b.tw",
    "=SUM(A1)", "-1", "99999999999", "1,234", "1e5", "  7  ", "!@#$%^&*()_+{}|:\"<>?~`", "'; DROP TABLE x;--",
    "x" * 80,
)  # fmt: skip
IME_TEXTS = (
    "１２３", "一二三", "１，２３４", "臺灣", "工會", "講師鐘點費", "ＡＢＣ", "１１４０７２１", "－１", "①", "²",
    "　", "𠀋", "é\u0301", "\u200b", "工" * 2000,
)  # fmt: skip
# The first touch of a field or cell must change it: texts no value of the sample union normalises to.
FIRST_ASCII = ("abc", "=SUM(A1)", "-1", "99999999999", "x" * 80)
FIRST_IME = ("一二三", "臺灣", "講師鐘點費", "ＡＢＣ", "－１", "１，２３４，５６７，８９０")
PASTES = (
    "王小明\t男\tA123456789\t0500101\t1100101\t碼頭工\t多一欄\t再多一欄\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t",
    "1\t5\t收\t1\t\tR001\t\t467000\t分配款\t專戶存款1\t999\t999\n2\t10\t支\t1-1\t\tP001\t講師\t8000\n",
    "\t\t\n\n\t",
    "=SUM(A1)\t-1\t99999999999\r\n１２３\t①\t²\r\n",
    '臺灣\x00\t\x7f\tabc\u2028def\t"quoted\ttab"\n',
    "\n".join(f"{n}\t{n}\t支\t1-{n % 9}\t\tP{n}\t\t{n * 100}" for n in range(1, 40)),
)
SPECIAL_KEYS = (
    Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab, Qt.Key.Key_Escape, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
    Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageDown, Qt.Key.Key_F2, Qt.Key.Key_Space,
)  # fmt: skip
CONTROL_KEYS = (Qt.Key.Key_Z, Qt.Key.Key_Y, Qt.Key.Key_A, Qt.Key.Key_C, Qt.Key.Key_X)
# The buttons that change a table; none opens a dialog.
BUTTONS = ("新增一列", "刪除選取的列", "顯示身分證字號", "插入一筆", "刪除選取的分錄")


@dataclass
class Target:
    """Something the monkey can put the keyboard on: a widget, or a column of a table (any of its rows)."""

    widget: QWidget
    column: int | None = None

    def describe(self) -> str:
        name = type(self.widget).__name__
        if self.column is not None:
            return f"{name} column {self.column}"
        label = getattr(self.widget, "field", None)
        return f"{name} {label.key}" if label is not None else f"{name} {self.widget.objectName()}"


@dataclass
class Monkey:
    window: object
    qtbot: object
    rng: random.Random
    log: list[str] = field(default_factory=list)

    # ------------------------------------------------------------ what is on a page

    def targets(self, page: QWidget) -> list[Target]:
        found: list[Target] = []
        inputs = [w for w in page.findChildren(FieldInput) if w.isVisible()]
        covered: set[int] = set()
        for widget in inputs:
            found.append(Target(widget))
            covered.update(id(child) for child in widget.findChildren(QWidget))
        for table in page.findChildren(QTableView):
            if not table.isVisible() or table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers:
                continue
            covered.update(id(child) for child in table.findChildren(QWidget))
            found.extend(Target(table, column) for column in range(table.model().columnCount()))
        for kind in (QLineEdit, QPlainTextEdit, QComboBox, QCheckBox):
            for widget in page.findChildren(kind):
                if id(widget) not in covered and widget.isVisible() and widget.isEnabled():
                    found.append(Target(widget))
        return found

    # ------------------------------------------------------------ putting the keyboard somewhere

    def focus(self, target: Target, mouse: bool = True) -> None:
        """Put the keyboard on ``target``; a cell by a click now and then (``mouse``), which may start
        editing by itself a moment later (Qt waits to tell a click on the current cell from a double click)."""
        widget = target.widget
        if isinstance(widget, QTableView):
            model = widget.model()
            row = self.rng.randrange(model.rowCount())
            if self.rng.random() < 0.3:
                row = model.rowCount() - 1  # the empty row a new record is typed into
            index = model.index(row, target.column or 0)
            widget.scrollTo(index)
            if mouse and self.rng.random() < 0.25:
                center = widget.visualRect(index).center()
                QTest.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=center)
                if self.rng.random() < 0.5:
                    QTest.mouseDClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=center)
            else:
                widget.setCurrentIndex(index)
                widget.setFocus(Qt.FocusReason.MouseFocusReason)
        else:
            widget.setFocus(Qt.FocusReason.MouseFocusReason)

    def receiver(self, page: QWidget, target: Target) -> QWidget:
        """Where a key goes: the open cell editor, else the widget with the keyboard focus, as for a real user
        (offscreen Qt does not always report a cell editor as the focus widget)."""
        table = target.widget
        if isinstance(table, QTableView) and table.state() == QAbstractItemView.State.EditingState:
            editor = open_editor(table)
            if editor is not None:
                focused = QApplication.focusWidget()
                return focused if focused is not None and editor.isAncestorOf(focused) else editor
        focused = QApplication.focusWidget()
        if focused is not None and page.isAncestorOf(focused):
            return focused
        return target.widget.focusProxy() or target.widget

    # ------------------------------------------------------------ input

    def act(self, page: QWidget, target: Target) -> str:
        receiver = self.receiver(page, target)
        roll = self.rng.random()
        if roll < 0.25:
            text = self.rng.choice(ASCII_TEXTS)
            for character in text:  # each key to where the keyboard is now: the first one may open an editor
                QTest.keyClick(self.receiver(page, target), character)
            return f"type {text[:20]!r} into {type(receiver).__name__}"
        if roll < 0.42:
            text = self.rng.choice(IME_TEXTS)
            type_by_input_method(receiver, text)
            return f"commit {text[:20]!r} into {type(receiver).__name__}"
        if roll < 0.65:
            key = self.rng.choice(SPECIAL_KEYS)
            QTest.keyClick(receiver, key)
            return f"key {key.name} on {type(receiver).__name__}"
        if roll < 0.77:
            key = self.rng.choice((Qt.Key.Key_Z, Qt.Key.Key_Z, Qt.Key.Key_Y))
            QTest.keyClick(receiver, key, CTRL)
            return f"Ctrl+{key.name[-1]} on {type(receiver).__name__}"
        if roll < 0.82:
            key = self.rng.choice(CONTROL_KEYS)
            QTest.keyClick(receiver, key, CTRL)
            return f"Ctrl+{key.name[-1]} on {type(receiver).__name__}"
        if roll < 0.89:
            text = self.rng.choice(PASTES)
            QGuiApplication.clipboard().setText(text)
            QTest.keyClick(receiver, Qt.Key.Key_V, CTRL)
            return f"paste {text[:20]!r} into {type(receiver).__name__}"
        editors = [w for w in page.findChildren(MultiChoiceInput) if w.isVisible()]
        boxes = [b for e in editors for b in e.boxes] or [b for b in page.findChildren(QCheckBox) if b.isVisible()]
        buttons = [b for b in page.findChildren(QPushButton) if b.text() in BUTTONS and b.isVisible()]
        clickable = (boxes if roll < 0.94 else buttons) or boxes or buttons
        if not clickable:
            key = self.rng.choice(SPECIAL_KEYS)
            QTest.keyClick(receiver, key)
            return f"key {key.name} on {type(receiver).__name__}"
        chosen = self.rng.choice(clickable)
        QTest.mouseClick(chosen, Qt.MouseButton.LeftButton)
        return f"click {chosen.text()!r}"

    # ------------------------------------------------------------ the first touch: something is typed

    def first_touch(self, page: QWidget, target: Target) -> str:
        """Into each widget and column once, input it takes: text into a line, a pick from a drop-down,
        a tick; a cell is committed with Enter."""
        widget = target.widget
        if isinstance(widget, QTableView):
            QTest.keyClick(widget, Qt.Key.Key_F2)
            editor = open_editor(widget)
            if editor is None:
                return "not editable"
            if isinstance(editor, QLineEdit) and self.rng.random() < 0.5:
                QTest.keyClick(editor, Qt.Key.Key_Escape)  # and again, the way an input method starts it
                text = self.rng.choice(FIRST_IME)
                type_by_input_method(widget, text)
                what = f"commit {text!r} into the cell"
            else:
                what = self.fill(editor)
            QTest.keyClick(self.receiver(page, target), Qt.Key.Key_Return)
            return what
        return self.fill(self.receiver(page, target))

    def fill(self, widget: QWidget) -> str:
        inner = widget.focusProxy() or widget
        if isinstance(inner, QComboBox):
            last = inner.currentIndex() == inner.count() - 1
            QTest.keyClick(inner, Qt.Key.Key_Up if last else Qt.Key.Key_Down)
            return f"pick {inner.currentText()!r}"
        if isinstance(widget, MultiChoiceInput):
            box = self.rng.choice(widget.boxes)
            QTest.mouseClick(box, Qt.MouseButton.LeftButton)
            return f"tick {box.text()!r}"
        if isinstance(inner, QCheckBox):
            QTest.mouseClick(inner, Qt.MouseButton.LeftButton)
            return f"click {inner.text()!r}"
        if self.rng.random() < 0.5:
            text = self.rng.choice(FIRST_ASCII)
            QTest.keyClicks(inner, text)
            return f"type {text[:20]!r}"
        text = self.rng.choice(FIRST_IME)
        type_by_input_method(inner, text)
        return f"commit {text!r}"

    def must_change(self, target: Target) -> bool:
        """A field or cell of the project the user can type in (not a figure supplied by the ledger,
        not a computed column, not a setting of the export page or a filter)."""
        widget = target.widget
        if isinstance(widget, QTableView):
            index = widget.currentIndex()
            return index.isValid() and bool(widget.model().flags(index) & Qt.ItemFlag.ItemIsEditable)
        if not isinstance(widget, FieldInput) or not widget.isEnabled():
            return False
        line = widget.mark_target()
        return not (isinstance(line, QLineEdit) and line.isReadOnly())

    # ------------------------------------------------------------ a page

    def run_page(self, step_id: str, actions: int) -> None:
        window = self.window
        window.show_step(step_id)
        settle(self.qtbot, window)
        page = window.page(step_id)
        assert window.stack.currentWidget() is page
        if step_id == HOME:
            return
        targets = self.targets(page)
        assert targets, step_id
        for number, target in enumerate(targets):
            self.run(f"{step_id} first #{number}: focus {target.describe()}", lambda t=target: self.focus(t, False))
            before = page_state(window, step_id)
            self.run(f"{step_id} first #{number}", lambda p=page, t=target: self.first_touch(p, t))
            if self.must_change(target):
                assert page_state(window, step_id) != before, f"nothing was stored: {self.log[-2:]}"
        self.random_actions(step_id, page, targets, max(0, actions - len(targets)))
        close_popups()
        window.navigator.setFocus()  # leaving the page: the field being typed in is finished
        settle(self.qtbot, window)

    def random_actions(self, step_id: str, page: QWidget, targets: list[Target], count: int) -> None:
        target = targets[-1]
        for number in range(count):
            if number % 10 == 0 and step_id == EXPORT:
                self.window.checker.run_now()  # its warning check boxes follow the findings: rebuilt at set points
                targets = self.targets(page)
            if self.rng.random() < 0.5 or not self.alive(target):
                target = self.rng.choice(targets)
                self.run(f"{step_id} #{number}: focus {target.describe()}", lambda t=target: self.focus(t))
            self.run(f"{step_id} #{number}", lambda p=page, t=target: self.act(p, t))

    def alive(self, target: Target) -> bool:
        try:
            return target.widget.isVisible()
        except RuntimeError:  # a check box the page rebuilt
            return False

    def run(self, what: str, action: Callable[[], object]) -> None:
        started = time.perf_counter()
        with self.qtbot.captureExceptions() as exceptions:
            result = action()
            QApplication.processEvents()
        took = time.perf_counter() - started
        self.log.append(f"{what}: {result}" if isinstance(result, str) else what)
        if exceptions:
            _kind, value, _tb = exceptions[0]
            pytest.fail(f"{what} raised {value!r}; last actions:\n" + "\n".join(self.log[-8:]), pytrace=False)
        assert took < FROZEN_SECONDS, f"the window froze for {took:.1f} s: {self.log[-1]}"


def page_state(window, step_id: str) -> object:
    """What the page's own input is stored as (the whole project is too slow to compare at each touch)."""
    document = window.document
    if step_id == LEDGER_FORM:
        ledger = document.ledger(YEAR)
        return dict(ledger.header), [dict(entry) for entry in ledger.entries]
    if step_id in TABLE_FORMS or step_id in LINE_TABLES:
        return [dict(row) for row in document.rows(YEAR, step_id)]
    book = document.book(YEAR)
    if step_id == EXPORT:
        return dict(book.attachments), set(book.acknowledged)
    return dict(book.forms.get(step_id, {}))


def type_by_input_method(widget: QWidget, text: str) -> None:
    """CJK as an input method commits it (QTest's key clicks abort on characters outside Latin-1)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def open_editor(table: QTableView) -> QWidget | None:
    shown = [w for w in table.viewport().children() if isinstance(w, QWidget) and w.isVisible()]
    return shown[0] if shown else None


def close_popups() -> None:
    while (popup := QApplication.activePopupWidget()) is not None:
        popup.close()
        QApplication.processEvents()


def settle(qtbot, window, wait: bool = False) -> None:
    """Let queued calls and the pending check run, as they do when the user pauses; ``wait``: for the
    check's own timer, not at once."""
    QApplication.processEvents()
    if wait:
        qtbot.waitUntil(lambda: not window.checker.pending(), timeout=5000)
    elif window.checker.pending():
        window.checker.run_now()
    QApplication.processEvents()


def assert_responsive(qtbot) -> None:
    ticked: list[bool] = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=1000)
    assert QApplication.activeModalWidget() is None
    assert QApplication.activePopupWidget() is None


def finding_keys(findings) -> list[tuple]:
    return sorted(
        (f.severity, f.form, f.rule, f.field or "", -1 if f.row is None else f.row, f.message) for f in findings
    )


def assert_findings_agree(window) -> None:
    project, year = window.document.project, window.year
    expected = rules.check_project(project, year, attachments=True, line=True, today=window.checker.today)
    assert finding_keys(window.checker.findings) == finding_keys(expected)
    shown = window.findings.messages()
    for finding in expected:
        if finding.rule not in MISSING_VALUE_RULES:  # blanks are listed in one line
            assert finding.message in shown, finding.message
    for step in STEPS:
        if step.id == HOME:
            continue
        state = step_state(project, year, step.id, expected)
        text = window.navigator.state_text(step.id)
        assert text.split("\n")[1].startswith(state.label), (step.id, text, state)


def assert_inputs_show_the_stored_text(window) -> None:
    """Nothing the user typed is lost between the screen and the project."""
    for step_id, page in window.pages.items():
        inputs = getattr(page, "inputs", None)
        if not isinstance(inputs, dict) or step_id in (HOME, EXPORT):
            continue
        effective = window.document.project.effective(YEAR, step_id)
        for key, widget in inputs.items():
            if key in effective.supplied:
                continue
            stored = window.document.value(YEAR, step_id, key)
            shown = widget.text()
            if isinstance(widget, MultiChoiceInput):
                stored = "、".join(widget.field.type.parse(stored).value or ())
            assert shown == stored, (step_id, key, shown, stored)


def assert_ledger_shows_what_it_holds(window) -> None:
    """The register's balances, kept up to date entry by entry, are those of the entries worked out afresh;
    its header shows the stored opening balances."""
    from treasurer_app.ledger.balances import RunningBalances
    from treasurer_app.ui.ledger_model import BALANCE_KEYS, money

    page = window.pages.get(LEDGER_FORM)
    if page is None:
        return
    book = window.document.ledger(YEAR)
    fresh = RunningBalances(book, YEAR)
    assert page.model.running.balances() == fresh.balances()
    assert page.closing.text().startswith(f"目前結存 {money(fresh.closing().total)} 元")
    for row, entry in enumerate(book.entries):
        if any(value.strip() for value in entry.values()):
            shown = page.model.display(row, BALANCE_KEYS[0])
            assert shown == money(fresh.after(row).total), row
    for key, widget in page.header_inputs.items():
        assert widget.text() == book.header.get(key, ""), key


def assert_store_holds_the_project(window) -> None:
    from treasurer_app import store

    saved = store.Store.open(window.document.persistence.location, read_only=True)
    try:
        assert_same(project_to_dict(window.document.project), project_to_dict(saved.load()), "the store")
    finally:
        saved.close()


def meaning(project) -> dict:
    """``project_to_dict``, less the difference between an empty value and none: undoing the first
    keystroke in a field leaves it empty (as the store keeps it), and showing the ledger page gives the
    year an empty ledger. Every rule, export and screen reads both alike."""

    def strip(value: object) -> object:
        if isinstance(value, dict):
            kept = {k: strip(v) for k, v in value.items() if v != ""}
            if set(kept) == {"header", "entries"} and kept["header"] == {} and kept["entries"] == []:
                return None  # a ledger with nothing in it
            return kept
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(project_to_dict(project))  # type: ignore[return-value]


def differences(before: object, after: object, path: str = "") -> list[str]:
    """Where two ``meaning`` dicts differ, for a failure message one can act on."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            d
            for key in sorted(set(before) | set(after), key=str)
            for d in differences(before.get(key, "<none>"), after.get(key, "<none>"), f"{path}/{key}")
        ]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        pairs = enumerate(zip(before, after, strict=True))
        return [d for i, (b, a) in pairs for d in differences(b, a, f"{path}[{i}]")]
    if isinstance(before, list) and isinstance(after, list):
        return [f"{path}: {len(before)} rows, then {len(after)} rows"]
    return [] if before == after else [f"{path}: {str(before)[:80]!r} → {str(after)[:80]!r}"]


def assert_same(before: dict, after: dict, what: str) -> None:
    found = differences(before, after)
    assert not found, f"{what}:\n" + "\n".join(found[:20])


def go_to_history(window, index: int) -> None:
    """Undo or redo, one command at a time as the toolbar does, until ``index`` commands are applied."""
    stack = window.document.undo_stack
    while stack.index() > index:
        stack.undo()
    while stack.index() < index:
        stack.redo()
    QApplication.processEvents()


def monkey_run(window, qtbot, seed: int) -> None:
    qtbot.wait(10)
    settle(qtbot, window)
    start = meaning(window.document.project)
    monkey = Monkey(window, qtbot, random.Random(seed))
    for step in STEPS:
        monkey.run_page(step.id, ACTIONS_PER_PAGE)
        assert_responsive(qtbot)
    window.navigator.setFocus()
    settle(qtbot, window, wait=True)
    assert_findings_agree(window)
    assert_inputs_show_the_stored_text(window)
    assert_ledger_shows_what_it_holds(window)
    assert_store_holds_the_project(window)
    end, end_index = meaning(window.document.project), window.document.undo_stack.index()

    go_to_history(window, 0)
    settle(qtbot, window)
    assert_same(start, meaning(window.document.project), "undoing everything")
    assert_findings_agree(window)
    assert_ledger_shows_what_it_holds(window)
    assert_store_holds_the_project(window)
    go_to_history(window, end_index)
    settle(qtbot, window)
    assert_same(end, meaning(window.document.project), "redoing everything")
    assert_store_holds_the_project(window)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path) -> list[str]:
    """What the monkey's keys open is answered as a careful user would: "No", "Cancel", nothing chosen;
    nothing is shown to the desktop, and the home folder is a temporary one (the export page writes there)."""
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    opened: list[str] = []

    def answer(value: object) -> Callable[..., object]:
        def dialog(*args: object, **kwargs: object) -> object:
            opened.append(" ".join(str(a) for a in args[1:3]))
            return value

        return staticmethod(dialog)  # type: ignore[return-value]

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, answer(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, answer(("", "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", answer(""))
    monkeypatch.setattr(QInputDialog, "getInt", answer((0, False)))
    monkeypatch.setattr(QDesktopServices, "openUrl", answer(True))
    return opened


def test_monkey_on_the_sample_union(window, qtbot, dialogs) -> None:
    window.load_project(load_sample())
    assert window.year == YEAR
    monkey_run(window, qtbot, SEED)


def test_monkey_on_an_empty_union(window, qtbot, dialogs) -> None:
    window.create_union(YEAR)
    window.document.undo_stack.clear()  # the year itself is where this run starts
    monkey_run(window, qtbot, SEED + 1)
