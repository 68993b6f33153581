"""現金收支登記簿: a register for tens of thousands of entries, typed from the keyboard.

The page: the header's opening balances, the filters, the register (its model in ui/ledger_model.py),
the per-code totals and the entry's findings; and the drill-down from a figure of sheet 3 or 5 to
the entries behind it.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from treasurer_app.editing.changes import Change
from treasurer_app.fields import Field
from treasurer_app.forms import LEDGER_FORM
from treasurer_app.forms.base import Record
from treasurer_app.ledger.balances import SOURCES
from treasurer_app.ledger.codes import ACCOUNTS, codes, fill_from_code, kinds, summary_one
from treasurer_app.ledger.entries import Entry
from treasurer_app.ledger.quarters import QUARTER_MONTHS
from treasurer_app.ledger.sheet import (
    COLUMN_LABELS,
    ENTRY_FIELD,
    HEADER_FIELD,
    HEADER_FIELDS,
    INTEREST_CARRIED_IN,
    LEDGER_TITLE,
)
from treasurer_app.ui.cell_editors import FieldDelegate, Index
from treasurer_app.ui.checker import Checker, field_message, own_rule
from treasurer_app.ui.document import ProjectDocument
from treasurer_app.ui.ledger_marks import (
    MARK_ROLE,
    FindingsBox,
    entry_message,
    keep_foreground_when_selected,
    paint_mark,
    worst_mark,
)
from treasurer_app.ui.ledger_model import (
    COLUMNS,
    COMPUTED,
    SOURCE_KEYS,
    SUMMARY,
    LedgerFilter,
    LedgerTableModel,
    money,
    pasted_record,
)
from treasurer_app.ui.table_editor import NO_PARENT, RecordTable, is_blank, parse_clipboard
from treasurer_app.ui.widgets import grouped, make_input, set_mark, whole_number

# Widths in pixels, narrow enough for 零用金 to be on screen at 1366×768 beside the navigator.
COLUMN_WIDTHS: dict[str, int] = {
    "year": 36, "month": 28, "day": 28, "kind": 28, "voucher": 64, "item": 64, "code": 116, "memo": 80,
    "amount": 80, "category": 70, "account": 78, "balance_total": 86,
}  # fmt: skip
BALANCE_WIDTH = 80
REPAINT_ROWS_ONE_BY_ONE = 200  # more rows whose findings changed than this: the whole table is redrawn


class LedgerDelegate(FieldDelegate):
    """Drop-downs limited by the parameter table; earlier memos and member names suggested for 摘要(二);
    the marks of erroneous cells drawn over the selection."""

    def __init__(self, page: LedgerPage) -> None:
        super().__init__(page.field_at, page.preview, page.table)
        self.page = page
        self.choices_of = lambda index: page.model.choices(page.proxy.mapToSource(index))

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit) and self.page.key_at(index.column()) == "memo":
            completer = QCompleter(self.page.memo_suggestions(), editor)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            editor.setCompleter(completer)
        return editor

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        keep_foreground_when_selected(option, index)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        paint_mark(painter, option, index.data(MARK_ROLE))


class LedgerPage(QWidget):
    jump = Signal(str, object, object)  # a finding of another step chosen in the page's findings: form, field, row

    def __init__(self, document: ProjectDocument, checker: Checker, year: int) -> None:
        super().__init__()
        self.document, self.checker, self.year = document, checker, year
        self.setObjectName("page")
        self.model = LedgerTableModel(document, checker, year)
        self.model.setParent(self)  # its connection to the document goes with the page
        self.proxy = LedgerFilter(self.model)
        self.proxy.setParent(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        name = document.project.union_name(year) or "（工會名稱）"
        tax_id = document.project.tax_id(year) or "（未填）"
        title = QLabel(f"{name}　{LEDGER_TITLE}　{year} 年", objectName="pageTitle")
        layout.addWidget(title)
        source_note = f"統一編號：{tax_id}　　工會名稱與統一編號取自「工會基本資料」。輸入後按 Enter 移到下一格。"
        layout.addWidget(QLabel(source_note, objectName="pageHint"))
        layout.addLayout(self._header_block())
        layout.addLayout(self._filters())
        splitter = self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = RecordTable()
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(LedgerDelegate(self))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setWordWrap(False)
        self.table.clear_requested.connect(self.clear_selection)
        self.table.paste_requested.connect(self.paste)
        for column, key in enumerate(COLUMNS):
            width = COLUMN_WIDTHS.get(key, BALANCE_WIDTH)
            if key in SOURCE_KEYS:  # their labels are longer than the figures
                header = self.table.horizontalHeader()
                width = max(width, header.fontMetrics().horizontalAdvance(self.model.labels[key]) + 20)
            self.table.setColumnWidth(column, width)
        splitter.addWidget(self.table)
        self.totals = QTableWidget(0, 4)
        self.totals.setHorizontalHeaderLabels(["字號", "摘要(一)", "筆數", "金額合計"])
        self.totals.verticalHeader().hide()
        self.totals.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.totals.setColumnWidth(1, 320)
        splitter.addWidget(self.totals)
        splitter.setSizes([460, 140])
        layout.addWidget(splitter, 1)
        self.message = QLabel(objectName="message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.findings_box = FindingsBox(self)
        self.findings_box.jump.connect(self._jump)
        self.findings_box.toggle.toggled.connect(self._findings_opened)
        layout.addWidget(self.findings_box)
        document.changed.connect(self.model.document_changed)
        document.changed.connect(self._changed)
        # The per-code totals follow the entries with the (debounced) check after an edit, and only then:
        # findings that come for another reason (a form of the year edited) leave them be. Unfiltered,
        # an edited, inserted or deleted entry moves them by its own amount (``_summary_rows``: what each
        # entry adds, aligned with the entries); a full count runs only when filtering or after other edits.
        self._summary_stale = False
        self._summary_rows: list[tuple[str, str, int] | None] | None = None
        self._totals: dict[tuple[str, str], list[int]] = {}
        checker.findings_changed.connect(self._findings_changed)
        document.unsaved_changed.connect(self.model._all_changed)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self._refresh_summary()
        self._show_findings()
        self._show_carried_interest()

    # ---------------------------------------------------------------- building

    def _header_block(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        self.header_inputs = {}
        for i, header_field in enumerate(HEADER_FIELDS):
            label = QLabel(header_field.label)
            widget = make_input(header_field)
            widget.set_text(self.document.value(self.year, "ledger_header", header_field.key))
            widget.edited.connect(lambda text, key=header_field.key: self._header_edited(key, text))
            widget.finished.connect(lambda key=header_field.key: self._header_finished(key))
            widget.setMaximumWidth(170)
            self.header_inputs[header_field.key] = widget
            grid.addWidget(label, 0, i)
            grid.addWidget(widget, 1, i)
        self.closing = QLabel(objectName="pageHint")
        grid.addWidget(self.closing, 2, 0, 1, len(HEADER_FIELDS))
        return grid

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("篩選："))
        self.period = QComboBox()
        self.period.addItem("全年", "")
        for quarter, months in QUARTER_MONTHS.items():
            self.period.addItem(f"第 {quarter} 季（{months[0]}–{months[-1]} 月）", ",".join(map(str, months)))
        for month in range(1, 13):
            self.period.addItem(f"{month} 月", str(month))
        self.code_filter = QComboBox()
        self.code_filter.addItem("所有字號", "")
        for kind in kinds():
            for code in codes(kind):
                self.code_filter.addItem(f"{kind} {code} {summary_one(kind, code)[:14]}", f"{kind} {code}")
        self.code_filter.setMaximumWidth(260)
        self.member_filter = QLineEdit()
        self.member_filter.setPlaceholderText("摘要(二)／會員姓名")
        self.member_filter.setMaximumWidth(180)
        for widget in (self.period, self.code_filter, self.member_filter):
            row.addWidget(widget)
        self.period.currentIndexChanged.connect(self.apply_filters)
        self.code_filter.currentIndexChanged.connect(self.apply_filters)
        self.member_filter.textChanged.connect(self.apply_filters)
        row.addStretch(1)
        insert = QPushButton("插入一筆")
        insert.setToolTip("在目前這一筆之前插入一筆空白分錄（補登漏記的分錄，保持時間順序）")
        insert.clicked.connect(self.insert_entry)
        delete = QPushButton("刪除選取的分錄")
        delete.clicked.connect(self.delete_selected)
        row.addWidget(insert)
        row.addWidget(delete)
        self.count_label = QLabel()
        row.addWidget(self.count_label)
        return row

    def apply_filters(self) -> None:
        months = tuple(int(m) for m in (self.period.currentData() or "").split(",") if m)
        self.proxy.set_filters(months, self.code_filter.currentData(), self.member_filter.text())
        self._refresh_summary()

    # ---------------------------------------------------------------- helpers for the delegate

    def key_at(self, column: int) -> str:
        return COLUMNS[column]

    def field_at(self, column: int) -> Field | None:
        return ENTRY_FIELD.get(COLUMNS[column])

    def member_names(self) -> list[str]:
        names = (r.get("name", "").strip() for r in self.document.book(self.year).roster)
        return sorted({n for n in names if n})

    def memo_suggestions(self) -> list[str]:
        """What 摘要(二) offers while typing: the members' names, then the memos written before (this
        year's and last year's, the most used first)."""
        counts: dict[str, int] = defaultdict(int)
        for year in (self.year - 1, self.year):
            book = self.document.project.years.get(year)
            for record in book.ledger.entries if book is not None and book.ledger is not None else ():
                memo = (record.get("memo") or "").strip()
                if memo:
                    counts[memo] += 1
        names = self.member_names()
        known = set(names)
        memos = sorted((m for m in counts if m not in known), key=lambda m: (-counts[m], m))
        return [*names, *memos]

    def preview(self, row: int, column: int, text: str, editor: QWidget) -> None:
        field = self.field_at(column)
        source_row = self.proxy.mapToSource(self.proxy.index(row, column)).row()
        message = None
        if field is not None and text.strip():
            message = field_message(field, text, self.year, f"第 {source_row + 1} 筆 ")
        set_mark(editor, "error" if message else "")
        self.show_message(message or "")

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        set_mark(self.message, "error" if text else "")

    # ---------------------------------------------------------------- editing

    def _header_edited(self, key: str, text: str) -> None:
        self.document.set_value(self.year, "ledger_header", key, text)
        self.show_message(self._mark_header(key) or "")

    def _header_finished(self, key: str) -> None:
        """On leaving the field its text is normalised (１００，０００ → 100000), as in every other form."""
        text = self.document.value(self.year, "ledger_header", key)
        normalised = HEADER_FIELD[key].type.parse(text).text
        if normalised != text:
            self.document.set_value(self.year, "ledger_header", key, normalised)

    def _mark_header(self, key: str) -> str | None:
        text = self.document.value(self.year, "ledger_header", key)
        message = field_message(HEADER_FIELD[key], text, self.year)
        if message:
            self.header_inputs[key].set_mark("error", message)
            return message
        found = [f for f in self.checker.for_field(LEDGER_FORM, key, None) if not own_rule(f)]
        self.header_inputs[key].set_mark(worst_mark(found) or "", "\n".join(f.message for f in found))
        return None

    def clear_selection(self) -> None:
        indexes = [self.proxy.mapToSource(i) for i in self.table.selectionModel().selectedIndexes()]
        indexes = [i for i in indexes if i.row() < len(self.model.entries()) and COLUMNS[i.column()] not in COMPUTED]
        if not indexes:
            return
        for index in indexes:
            self.proxy.pin(index.row())
        stack = self.document.undo_stack
        stack.beginMacro("清除儲存格")
        for index in indexes:
            self.document.set_cell(self.year, LEDGER_FORM, index.row(), COLUMNS[index.column()], "")
        stack.endMacro()

    def delete_entries(self, rows: list[int]) -> None:
        self.document.delete_rows(self.year, LEDGER_FORM, rows)

    def selected_entries(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedIndexes()}
        return sorted(r for r in rows if r < len(self.model.entries()))

    def delete_selected(self) -> None:
        rows = self.selected_entries()
        if rows:
            self.delete_entries(rows)

    def insert_entry(self) -> None:
        """A blank entry before the current one (at the end when none is chosen): a forgotten entry is
        typed in its place in time."""
        current = self.table.currentIndex()
        row = self.proxy.mapToSource(current).row() if current.isValid() else len(self.model.entries())
        column = current.column() if current.isValid() else 0
        self.document.insert_rows(self.year, LEDGER_FORM, row, [{}], "插入分錄")
        self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, column)))
        self.table.setFocus()

    def paste(self) -> None:
        from PySide6.QtGui import QGuiApplication

        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> int:
        """Rows copied from Excel (tab-separated), in the register's column order — the exported sheet's —
        from the current cell on: onto the entries shown from there, then as new entries at the end. What
        lands on 年, 摘要 (項目) or a balance is computed, not typed: left out; a 摘要(一) text names its 號.
        Returns the rows pasted."""
        grid = parse_clipboard(text)
        if not grid:
            return 0
        current = self.table.currentIndex()
        first_row = current.row() if current.isValid() else self.proxy.rowCount() - 1
        first_column = current.column() if current.isValid() else 0
        entries = self.model.entries()
        shown = [self.proxy.mapToSource(self.proxy.index(r, 0)).row() for r in range(first_row, self.proxy.rowCount())]
        targets = [r for r in shown if r < len(entries)][: len(grid)]
        for row in targets:
            self.proxy.pin(row)  # a pasted month or code does not hide the row it lands on
        stack = self.document.undo_stack
        stack.beginMacro(f"貼上 {len(grid)} 筆")
        appended: list[Record] = []
        for offset, cells in enumerate(grid):
            record = pasted_record(cells, first_column)
            if offset < len(targets):
                full = {**entries[targets[offset]], **record}
                self.document.set_record(self.year, LEDGER_FORM, targets[offset], fill_from_code(full), "貼上")
            elif not is_blank(record):
                appended.append(fill_from_code(record))
        if appended:
            self.document.insert_rows(self.year, LEDGER_FORM, len(entries), appended, "貼上")
        stack.endMacro()
        self.show_message("")
        return len(grid)

    def _changed(self, change: Change) -> None:
        if change.year != self.year:
            return
        if change.area == "ledger_header" and change.key in self.header_inputs:
            widget = self.header_inputs[change.key]
            stored = self.document.value(self.year, "ledger_header", change.key)
            if widget.text() != stored:
                widget.set_text(stored)
            self._mark_header(change.key)  # after an undo too
        self._refresh_closing()
        if not self._follow_summary(change):
            self._summary_rows = None
        self._summary_stale = True

    def _follow_summary(self, change: Change) -> bool:
        """The unfiltered totals moved by the one entry ``change`` touched; False when they must be counted."""
        rows = self._summary_rows
        if rows is None or change.area != LEDGER_FORM or change.row is None:
            return change.area != LEDGER_FORM and rows is not None
        row, parsed = change.row, self.model.running.parsed
        if change.kind == "cell" and row < len(rows):
            self._count_entry(rows[row], -1)
            rows[row] = self._count_entry(_summary_key(parsed[row]), 1)
        elif change.kind == "insert" and row <= len(rows):
            rows.insert(row, self._count_entry(_summary_key(parsed[row]), 1))
        elif change.kind == "delete" and row < len(rows):
            self._count_entry(rows.pop(row), -1)
        else:
            return False
        return len(rows) == len(parsed)

    def _count_entry(self, key: tuple[str, str, int] | None, sign: int) -> tuple[str, str, int] | None:
        if key is not None:
            bucket = self._totals.setdefault(key[:2], [0, 0])
            bucket[0] += sign
            bucket[1] += sign * key[2]
            if not bucket[0]:
                del self._totals[key[:2]]
        return key

    def _findings_changed(self) -> None:
        self.model.sources_changed()
        self._show_carried_interest()
        # The marks are read from the checker as cells are painted: repainting the rows whose findings
        # changed is enough (a change announced over every row made the filter re-test 100,000 rows, and
        # repainting every row on screen after each check held the window ~0.1 s on a loaded machine).
        self._repaint_rows(self.checker.changed_rows(LEDGER_FORM))
        if self._summary_stale:
            self._refresh_summary()
        else:
            self._refresh_closing()
        self._show_findings()
        self._show_carried_interest()
        for key in self.header_inputs:
            self._mark_header(key)
        # Also while the next cell's editor is open (typing with Tab): the line must not keep a fixed error.
        self._current_changed(self.table.currentIndex())

    def _repaint_rows(self, rows: set[int]) -> None:
        viewport = self.table.viewport()
        if len(rows) > REPAINT_ROWS_ONE_BY_ONE:
            viewport.update()
            return
        for row in rows:
            if row < self.model.rowCount():
                shown = self.proxy.mapFromSource(self.model.index(row, 0))
                if shown.isValid():
                    viewport.update(
                        0,
                        self.table.rowViewportPosition(shown.row()),
                        viewport.width(),
                        self.table.rowHeight(shown.row()),
                    )

    def _show_carried_interest(self) -> None:
        """A blank 上年度未動支利息 reads as budget line 2: the field says which figure that is."""
        widget = self.header_inputs.get(INTEREST_CARRIED_IN)
        line = getattr(widget, "line", None)
        if isinstance(line, QLineEdit) and self.year in self.document.project.years:
            carried = self.model.running.opening_sources.interest
            line.setPlaceholderText(f"{money(carried)}（同預算書第 2 項）")

    def _findings_opened(self, opened: bool) -> None:
        """The open findings take the per-code totals' place: the register keeps its rows on a small screen."""
        self.totals.setVisible(not opened)

    def _show_findings(self) -> None:
        has_year = self.year in self.document.project.years
        self.findings_box.show_findings(self.checker.findings, checked=has_year)

    def _jump(self, form: str, field: object, row: object) -> None:
        """A finding chosen in the page's panel: the ledger's own cells here, other steps by the window."""
        if form != LEDGER_FORM:
            self.jump.emit(form, field, row)
        elif isinstance(row, int):
            self.focus_cell(row, field if isinstance(field, str) else None)
        else:
            self.focus_field(field if isinstance(field, str) else None)

    def _current_changed(self, current: QModelIndex, *_: object) -> None:
        """The line under the register tells what is wrong with the entry the cursor is on."""
        row = self.proxy.mapToSource(current).row() if current.isValid() else -1
        if row < 0 or row >= len(self.model.entries()):
            self.show_message("")
            return
        self.show_entry_message(row, COLUMNS[current.column()])

    def show_entry_message(self, row: int, first_key: str | None = None) -> None:
        findings = self.model.entry_findings(row)
        if first_key is not None:  # the current cell's own messages first
            findings.sort(key=lambda f: f.field != first_key)
        text, mark = entry_message(findings)
        self.message.setText(text)
        set_mark(self.message, mark)

    def _refresh_closing(self) -> None:
        closing = self.model.running.closing()
        total, accounts = closing.total, closing.amounts()
        parts = "、".join(f"{a} {money(v)}" for a, v in zip(ACCOUNTS, accounts, strict=True))
        sources = "、".join(
            f"{s} {money(v)}" for s, v in zip(SOURCES, self.model.running.closing_sources().amounts(), strict=True)
        )
        self.closing.setText(f"目前結存 {money(total)} 元（{parts}）　可動支：{sources}")

    def _refresh_summary(self) -> None:
        self._summary_stale = False
        self._refresh_closing()
        parsed = self.model.running.parsed
        entries = len(self.model.entries())  # the empty row for a new entry is not one
        if self.proxy.filtering():
            self._summary_rows = None
            totals, shown = self._count_filtered(parsed, entries)
        else:
            if self._summary_rows is None or len(self._summary_rows) != len(parsed):
                self._summary_rows = [_summary_key(entry) for entry in parsed]
                self._totals = {}
                for key in self._summary_rows:
                    self._count_entry(key, 1)
            totals, shown = self._totals, entries
        order = {(k, c): i for i, (k, c) in enumerate((k, c) for k in kinds() for c in codes(k))}
        self.totals.setRowCount(len(totals))
        for r, ((kind, code), (count, amount)) in enumerate(sorted(totals.items(), key=lambda t: order[t[0]])):
            cells = (f"{kind} {code}", summary_one(kind, code), str(count), money(amount))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.totals.setItem(r, c, item)
        self.count_label.setText(f"顯示 {shown} 筆／共 {entries} 筆")

    def _count_filtered(self, parsed: list[Entry | None], entries: int) -> tuple[dict[tuple[str, str], list[int]], int]:
        totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        shown = 0
        # The proxy's own test, called from here: asking Qt to map each of 100,000 rows took seconds.
        accepts = self.proxy.filterAcceptsRow
        for row in range(entries):
            if not accepts(row, NO_PARENT):
                continue
            shown += 1  # an entry still being typed is on screen too, though not in the totals yet
            entry = parsed[row] if row < len(parsed) else None
            if entry is None:
                continue
            bucket = totals[(entry.kind, entry.code)]
            bucket[0] += 1
            bucket[1] += entry.amount
        return totals, shown

    def focus_cell(self, row: int, key: str | None) -> None:
        self.period.setCurrentIndex(0)
        self.code_filter.setCurrentIndex(0)
        self.member_filter.clear()
        if row is None:
            return
        column = COLUMNS.index(key) if key in COLUMNS else 0
        index = self.proxy.mapFromSource(self.model.index(row, column))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.table.setFocus()
        self.show_entry_message(row, key)

    def focus_field(self, key: str | None) -> None:
        widget = self.header_inputs.get(key or "")
        if widget is not None:
            widget.setFocus()


def _summary_key(entry: Entry | None) -> tuple[str, str, int] | None:
    """What an entry adds to the per-code totals: (kind, code, amount)."""
    return None if entry is None else (entry.kind, entry.code, entry.amount)


class DrilldownDialog(QDialog):
    """The ledger entries behind a figure of the final accounts or the training expenses."""

    def __init__(
        self, document: ProjectDocument, ledger_year: int, title: str, rows: list[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title}：來源分錄")
        book = document.project.years[ledger_year].ledger if ledger_year in document.project.years else None
        entries = book.entries if book else []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{ledger_year} 年度現金收支登記簿中構成「{title}」的 {len(rows)} 筆分錄："))
        keys = ("month", "day", "kind", "code", SUMMARY, "voucher", "memo", "amount", "category", "account")
        self.table = QTableWidget(len(rows), len(keys))
        self.table.setHorizontalHeaderLabels([COLUMN_LABELS[k] for k in keys])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        total = 0
        for r, index in enumerate(rows):
            record = entries[index] if index < len(entries) else {}
            for c, key in enumerate(keys):
                if key == SUMMARY:
                    text = summary_one(record.get("kind", ""), record.get("code", ""))
                else:
                    text = record.get(key, "")
                if key == "amount":
                    total += whole_number(text) or 0
                    text = grouped(text)
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.setColumnWidth(keys.index(SUMMARY), 220)
        layout.addWidget(self.table)
        layout.addWidget(QLabel(f"合計 {money(total)} 元"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 420)
