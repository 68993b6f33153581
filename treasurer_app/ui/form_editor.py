"""The one editor of every single-valued sheet, generated from its FormSpec (see form_plan.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QGroupBox, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

from treasurer_app.editing.changes import Change
from treasurer_app.fields import Field
from treasurer_app.findings import MISSING_VALUE_RULES, Finding
from treasurer_app.forms.base import FormSpec, compute_derived, year_labels
from treasurer_app.project import Effective
from treasurer_app.specs import ALL_FORMS
from treasurer_app.ui.checker import Checker, field_finding, own_rule
from treasurer_app.ui.document import ProjectDocument
from treasurer_app.ui.form_plan import Grid, Item, Plain, plan
from treasurer_app.ui.widgets import ChoiceInput, FieldInput, NumberInput, ReadOnlyFigure, make_input, set_mark

MISSING = "missing"
UNSAVED = "unsaved"
UNSAVED_TEXT = "尚未儲存：這項修改還沒存入專案檔（見狀態列「重試儲存」）"
NUMBER_WIDTH = 260


def mark_for(findings: list[Finding], empty: bool) -> str:
    if not findings:
        return ""
    if any(f.is_error for f in findings):
        only_required = all(f.rule in MISSING_VALUE_RULES for f in findings)
        return MISSING if (empty and only_required) else "error"
    return "warning"


class MessageLine(QLabel):
    """Under a field: its problem in Chinese (red / orange), or the guide's hint (grey)."""

    def __init__(self, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = hint
        self.setWordWrap(True)
        self.setObjectName("message")
        self.show_findings([], "")

    def show_findings(self, messages: list[str], mark: str) -> None:
        if messages:
            self.setText("\n".join(messages))
        else:
            self.setText(self.hint)
        set_mark(self, mark if messages else "hint")
        if self.parent() is not None:
            self.setVisible(bool(self.text()))
        elif not self.text():
            self.hide()  # not setVisible(True) before it has a parent: that shows it as a window of its own


class FormEditor(QWidget):
    """Inputs by field type, computed and supplied figures read-only with their origin, live marks."""

    drilldown_requested = Signal(str, list)  # title, ledger entry indexes

    def __init__(self, document: ProjectDocument, checker: Checker, form_id: str, year: int) -> None:
        super().__init__()
        self.document, self.checker, self.form_id, self.year = document, checker, form_id, year
        self.spec: FormSpec = ALL_FORMS[form_id]
        self.inputs: dict[str, FieldInput] = {}
        self.figures: dict[str, ReadOnlyFigure] = {}
        self.lines: dict[str, MessageLine] = {}
        self.grid_notes: list[tuple[set[str], QLabel]] = []
        self.drill_buttons: dict[str, QToolButton] = {}
        self.effective: Effective = document.project.effective(year, form_id)
        self._labels = year_labels(year)
        self._build()
        self.load()
        document.changed.connect(self._on_changed)
        checker.findings_changed.connect(self.refresh)
        document.unsaved_changed.connect(self._mark_unsaved)

    # ---------------------------------------------------------------- building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(self.scroll_area)
        body = QWidget()
        body.setObjectName("page")
        self.scroll_area.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 16, 24, 24)
        self.title_label = QLabel(self._title(), objectName="pageTitle")
        self.title_label.setWordWrap(True)
        layout.addWidget(self.title_label)
        if self.spec.hint:
            hint = QLabel(self.spec.hint, objectName="pageHint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        plain_grid: QGridLayout | None = None
        for section in plan(self.spec):
            if isinstance(section, Plain):
                if plain_grid is None:
                    plain_grid = self._plain_grid(layout)
                self._add_plain(plain_grid, section.item)
            else:
                plain_grid = None
                layout.addWidget(self._cards(section) if section.as_cards else self._grid(section))
        layout.addStretch(1)

    def _title(self) -> str:
        name = self.document.project.union_name(self.year) or "（工會名稱）"
        return f"{name}　{self.spec.title_for(self.year)}"

    def _plain_grid(self, layout: QVBoxLayout) -> QGridLayout:
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 8, 0, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(0, 180)
        layout.addWidget(holder)
        return grid

    def _label(self, item: Item) -> str:
        return item.label_for(self._labels)

    def _add_plain(self, grid: QGridLayout, item: Item) -> None:
        row = grid.rowCount()
        required = isinstance(item, Field) and item.required
        label = QLabel(self._label(item) + ("＊" if required else ""), objectName="fieldLabel")
        label.setWordWrap(True)
        label.setMaximumWidth(260)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        widget = self._make_cell(item)
        label.setBuddy(widget)
        if isinstance(widget, NumberInput | ReadOnlyFigure | ChoiceInput):
            widget.setMaximumWidth(NUMBER_WIDTH)  # a figure across the whole page reads badly
            grid.addWidget(widget, row, 1, Qt.AlignmentFlag.AlignLeft)
        else:
            grid.addWidget(widget, row, 1)
        explanation = "" if isinstance(item, Field) else item.explanation.format_map(_Years(self._labels))
        line = MessageLine(item.hint if isinstance(item, Field) else explanation)
        self.lines[item.key] = line
        grid.addWidget(line, row + 1, 1)

    def _make_cell(self, item: Item) -> QWidget:
        if isinstance(item, Field):
            widget = make_input(item)
            widget.edited.connect(lambda text, key=item.key: self._edited(key, text))
            widget.finished.connect(lambda key=item.key: self._finished(key))
            self.inputs[item.key] = widget
            button = QToolButton(widget, text="明細…")
            button.setToolTip("列出這個數字所依據的現金收支登記簿分錄")
            button.clicked.connect(lambda _=False, key=item.key: self._drilldown(key))
            button.hide()
            widget.layout().addWidget(button)
            self.drill_buttons[item.key] = button
            return widget
        figure = ReadOnlyFigure()
        figure.setToolTip(item.explanation.format_map(_Years(self._labels)))
        self.figures[item.key] = figure
        return figure

    def _grid(self, section: Grid) -> QWidget:
        box = QFrame(objectName="tableBox")
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 8, 0, 8)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        for c, column in enumerate(section.columns, start=1):
            header = QLabel(column, objectName="columnHeader")
            header.setWordWrap(True)
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(header, 0, c)
            grid.setColumnStretch(c, 1)
        for r, row in enumerate(section.rows, start=1):
            row_label = QLabel(row.format_map(_Years(self._labels)), objectName="rowLabel")
            row_label.setWordWrap(True)
            row_label.setMinimumWidth(220)
            grid.addWidget(row_label, r, 0)
            for c, column in enumerate(section.columns, start=1):
                item = section.cells.get((row, column))
                if item is None:
                    slash = QLabel("/", objectName="slash")
                    slash.setAlignment(Qt.AlignmentFlag.AlignCenter)
                    grid.addWidget(slash, r, c)
                    continue
                grid.addWidget(self._make_cell(item), r, c)
        note = QLabel(objectName="message")
        note.setWordWrap(True)
        note.hide()
        grid.addWidget(note, len(section.rows) + 1, 0, 1, len(section.columns) + 1)
        self.grid_notes.append((section.item_keys(), note))
        return box

    def _cards(self, section: Grid) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 8, 0, 8)
        for row in section.rows:
            card = QGroupBox(row)
            grid = QGridLayout(card)
            grid.setColumnStretch(1, 1)
            grid.setColumnMinimumWidth(0, 140)
            for column in section.columns:
                item = section.cells.get((row, column))
                if item is not None:
                    self._add_plain(grid, item.with_label(column) if isinstance(item, Field) else item)
            layout.addWidget(card)
        return holder

    # ---------------------------------------------------------------- showing

    def load(self) -> None:
        values = self.document.scalar(self.year, self.form_id)
        for key, widget in self.inputs.items():
            widget.set_text(values.get(key, ""))
        self.refresh()

    def refresh(self) -> None:
        """After the debounced whole-project check: supplied figures, totals, every mark."""
        if self.year not in self.document.project.years:
            return
        self.effective = self.document.project.effective(self.year, self.form_id)
        for key, widget in self.inputs.items():
            supplied = key in self.effective.supplied
            widget.set_read_only(supplied)
            if supplied:
                widget.set_text(str(self.effective.supplied[key]))
            self.drill_buttons[key].setVisible(bool(self.effective.drilldown.get(key)))
        self._refresh_figures()
        for key in (*self.inputs, *self.figures):
            self._mark(key)
        self._refresh_grid_notes()

    def _refresh_figures(self) -> None:
        values = self.document.scalar(self.year, self.form_id)
        derived = compute_derived(self.spec, values, self.effective.supplied)
        for key, figure in self.figures.items():
            figure.show_number(derived[key] if key in derived else self.effective.number(key))

    def _findings(self, key: str) -> list[Finding]:
        """What is wrong with one figure: its own rule checked now, other rules from the last check."""
        found = [f for f in self.checker.for_field(self.form_id, key) if not own_rule(f)]
        if key in self.inputs and key not in self.effective.supplied:
            text = self.document.value(self.year, self.form_id, key)
            own = field_finding(self.form_id, self.spec.field(key), text, self.year)
            if own is not None:
                found.insert(0, own)
        return found

    def _mark(self, key: str) -> None:
        findings = self._findings(key)
        empty = key in self.inputs and not self.document.value(self.year, self.form_id, key).strip()
        mark = mark_for(findings, empty)
        messages = [f.message for f in findings]
        if key in self.inputs and self.document.unsaved.touches(self.year, self.form_id, key=key):
            mark, messages = UNSAVED, [UNSAVED_TEXT, *messages]
        if key in self.inputs:
            self.inputs[key].set_mark(mark, "\n".join(messages))
        elif key in self.figures:
            set_mark(self.figures[key], mark)
        if key in self.lines:
            source = self.effective.sources.get(key)
            if not messages and source:
                messages_shown, shown_mark = [source], "source"
            elif mark == MISSING:  # the label is right beside it: say what is needed, keep the guide's hint
                hint = self.lines[key].hint
                messages_shown, shown_mark = [f"必填。{hint}" if hint else "必填"], mark
            else:
                messages_shown, shown_mark = messages, mark
            self.lines[key].show_findings(messages_shown, shown_mark)

    def _mark_unsaved(self) -> None:
        if self.year in self.document.project.years:
            for key in self.inputs:
                self._mark(key)

    def _refresh_grid_notes(self) -> None:
        for keys, note in self.grid_notes:
            messages = [
                f.message
                for key in keys
                for f in self._findings(key)
                if f.message and f.rule not in MISSING_VALUE_RULES
            ]
            note.setText("\n".join(dict.fromkeys(messages)))
            set_mark(note, "error" if messages else "")
            note.setVisible(bool(messages))

    # ---------------------------------------------------------------- editing

    def _edited(self, key: str, text: str) -> None:
        self.document.set_value(self.year, self.form_id, key, text)

    def _finished(self, key: str) -> None:
        text = self.document.value(self.year, self.form_id, key)
        normalised = self.spec.field(key).type.parse(text).text
        if normalised != text.strip() or normalised != text:
            self.document.set_value(self.year, self.form_id, key, normalised)
            self.inputs[key].set_text(normalised)

    def _on_changed(self, change: Change) -> None:
        if change.year == self.year and change.area == "application" and change.key == "union_name":
            self.title_label.setText(self._title())
        if change.year != self.year or change.area != self.form_id or change.key is None:
            return
        widget = self.inputs.get(change.key)
        if widget is None:
            return
        stored = self.document.value(self.year, self.form_id, change.key)
        if widget.text() != stored:  # undo, redo, or normalisation
            widget.set_text(stored)
        self._mark(change.key)
        self._refresh_figures()

    def _drilldown(self, key: str) -> None:
        self.drilldown_requested.emit(self.spec.label(key, self.year), self.effective.drilldown.get(key, []))

    def focus_field(self, key: str | None) -> bool:
        target: QWidget | None = self.inputs.get(key or "") or self.figures.get(key or "")
        if target is None:
            return False
        self.scroll_area.ensureWidgetVisible(target, 50, 80)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        flash(target.mark_target() if isinstance(target, FieldInput) else target)
        return True


class _Years(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def flash(widget: QWidget) -> None:
    """Draw the eye to the field the user jumped to (a short highlight; its mark stays)."""

    def put(on: bool) -> None:
        widget.setProperty("flash", on)
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    put(True)
    QTimer.singleShot(1200, widget, lambda: put(False))  # cancelled if the page goes away first
