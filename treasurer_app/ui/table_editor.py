"""Table sheets (會員名冊, 教育訓練成果報告): one generic table over the form's columns.

Every cell is validated as it is typed (the editor gets a red border and the
message shows under the table); the whole-project rules mark cells after each
edit. Excel rows can be pasted (tab-separated text), IDs are masked until revealed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from treasurer_app.editing.changes import Change
from treasurer_app.fields import Choice, Field, Money, MultiChoice
from treasurer_app.findings import Finding
from treasurer_app.forms import roster as roster_form
from treasurer_app.forms.base import Record, year_labels
from treasurer_app.identifiers import NationalId
from treasurer_app.specs import ALL_FORMS
from treasurer_app.ui import theme
from treasurer_app.ui.cell_editors import FieldDelegate, Index
from treasurer_app.ui.checker import Checker, field_finding, field_message, own_rule
from treasurer_app.ui.document import ProjectDocument
from treasurer_app.ui.widgets import grouped, set_mark

ROW_NOUNS = {"training_report": "場次"}
COUNT_UNITS = {"roster": "人", "training_report": "場次", "line_messages": "則"}  # 共 N 人 under the table
NO_PARENT = QModelIndex()


def mask_id(text: str) -> str:
    """A123456789 → A12****789: enough to tell members apart on screen, not to copy the ID."""
    return f"{text[:3]}****{text[-3:]}" if len(text) >= 8 else text


def is_blank(record: Record) -> bool:
    return not any((v or "").strip() for v in record.values())


UNSAVED_CELL_TEXT = "尚未儲存：這項修改還沒存入專案檔（見狀態列「重試儲存」）"


class RecordTableModel(QAbstractTableModel):
    """The rows of a table sheet, plus one empty row at the end to type a new one into."""

    def __init__(self, document: ProjectDocument, checker: Checker, area: str, year: int) -> None:
        super().__init__()
        self.document, self.checker, self.area, self.year = document, checker, area, year
        self.spec = ALL_FORMS[area]
        self.columns: tuple[Field, ...] = self.spec.row_fields  # the printed order, from the declared layout
        self.reveal_ids = False
        self.labels = year_labels(year)
        self.row_noun = ROW_NOUNS.get(area, "列")

    def rows(self) -> list[Record]:
        if self.year not in self.document.project.years:
            return []  # the page is going: its year was undone, or another project took this one's place
        return self.document.rows(self.year, self.area)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows()) + 1

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def header_label(self, column: int) -> str:
        field = self.columns[column]
        if self.area == "roster" and field.key == "unit":
            return roster_form.unit_label(self.document.project.union_type(self.year))
        return field.label_for(self.labels)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.header_label(section)
        return "＋" if section == len(self.rows()) else str(section + 1)

    def text(self, row: int, column: int) -> str:
        rows = self.rows()
        return rows[row].get(self.columns[column].key, "") if row < len(rows) else ""

    def cell_findings(self, row: int, column: int) -> list[Finding]:
        rows = self.rows()
        if row >= len(rows) or is_blank(rows[row]):
            return []
        field = self.columns[column]
        found = [f for f in self.checker.for_field(self.area, field.key, row) if not own_rule(f)]
        prefix = f"第 {row + 1} {self.row_noun} "
        own = field_finding(self.area, field, rows[row].get(field.key, ""), self.year, row, prefix)
        if own is not None:
            found.insert(0, own)
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.text(row, column)
            if isinstance(self.columns[column].type, NationalId) and not self.reveal_ids:
                return mask_id(text)
            if isinstance(self.columns[column].type, Money):
                return grouped(text)  # as the forms and the ledger show money: 4,200
            return text.replace("\n", "、")
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(self.columns[column].type, Money):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.EditRole:
            return self.text(row, column)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            findings = self.cell_findings(row, column)
            unsaved = self.document.unsaved.touches(self.year, self.area, row, self.columns[column].key)
            if role == Qt.ItemDataRole.ToolTipRole:
                hint = self.columns[column].hint
                lines = [UNSAVED_CELL_TEXT] if unsaved else []
                return "\n".join(lines + [f.message for f in findings] or [hint]) or None
            if unsaved:
                return theme.UNSAVED_CELL
            if any(f.is_error for f in findings):
                return theme.ERROR_CELL
            if findings:
                return theme.WARNING_CELL
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        field = self.columns[index.column()]
        text = field.type.parse(str(value or "")).text if str(value or "").strip() else ""
        row, rows = index.row(), self.rows()
        if row >= len(rows) and not text:
            return False
        before = rows[row] if row < len(rows) else {}
        filled = self.filled({**before, field.key: text})
        if filled.get("sex", "") == before.get("sex", "") or field.key == "sex":
            self.document.set_cell(self.year, self.area, row, field.key, text)
            return True
        stack = self.document.undo_stack
        stack.beginMacro(f"修改第 {row + 1} 列「{self.header_label(index.column())}」（性別依身分證字號）")
        self.document.set_cell(self.year, self.area, row, field.key, text)
        self.document.set_cell(self.year, self.area, row, "sex", filled["sex"])
        stack.endMacro()
        return True

    def filled(self, record: Record) -> Record:
        """What the app fills in from the rest of a row: on the roster, 性別 from the 身分證字號."""
        return roster_form.with_sex_from_id(record) if self.area == "roster" else record

    def document_changed(self, change: Change) -> None:
        if change.year != self.year or change.area != self.area:
            return
        if change.kind == "cell" and change.row is not None and change.row < len(self.rows()):
            self.dataChanged.emit(self.index(change.row, 0), self.index(change.row, self.columnCount() - 1))
        elif change.kind == "insert" and change.row == len(self.rows()) - 1:
            # The empty last row became a row: a new empty row appears below, the cursor stays put.
            self.beginInsertRows(NO_PARENT, change.row + 1, change.row + 1)
            self.endInsertRows()
            self.dataChanged.emit(self.index(change.row, 0), self.index(change.row, self.columnCount() - 1))
        else:
            self.beginResetModel()
            self.endResetModel()

    def marks_changed(self) -> None:
        if self.rowCount():
            roles = [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole]
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1), roles)


class RecordTable(QTableView):
    """Enter moves to the next cell; Ctrl+V pastes Excel rows; Delete clears the selected cells."""

    paste_requested = Signal()
    clear_requested = Signal()
    last_edit_trigger: QAbstractItemView.EditTrigger | None = None

    def dataChanged(self, top_left: Index, bottom_right: Index, roles: Sequence[int] = ()) -> None:
        """A change announced over many cells (new findings re-marking the whole table) leaves the cell being
        typed in alone: Qt would put the model's text back into its editor, and the typing, or an Enter
        whose commit is still queued, would be lost. The cell is repainted all the same."""
        current = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState and current.isValid()
        first, last, top = top_left.row(), bottom_right.row(), self.rowAt(0)
        bottom = self.rowAt(self.viewport().height() - 1)
        if self.isVisible() and top >= 0 and (last < top or first > bottom >= 0) and not editing:
            return  # no row on screen changed: Qt would repaint every cell shown (~0.1 s for a long ledger)
        if (
            not editing
            or top_left == bottom_right
            or not (
                top_left.row() <= current.row() <= bottom_right.row()
                and top_left.column() <= current.column() <= bottom_right.column()
            )
        ):
            super().dataChanged(top_left, bottom_right, list(roles))
            return
        model, row, column = self.model(), current.row(), current.column()
        parent = top_left.parent()
        last_row, last_column = bottom_right.row(), bottom_right.column()
        ranges = [
            (top_left.row(), top_left.column(), row - 1, last_column),  # the rows above
            (row + 1, top_left.column(), last_row, last_column),  # the rows below
            (row, top_left.column(), row, column - 1),  # the cells left of it
            (row, column + 1, row, last_column),  # the cells right of it
        ]
        for first_row, first_column, end_row, end_column in ranges:
            if first_row <= end_row and first_column <= end_column:
                super().dataChanged(
                    model.index(first_row, first_column, parent), model.index(end_row, end_column, parent), list(roles)
                )
        self.viewport().update(self.visualRect(current))

    @overload
    def edit(self, index: Index, /) -> None: ...

    @overload
    def edit(self, index: Index, trigger: QAbstractItemView.EditTrigger, event: QEvent | None, /) -> bool: ...

    def edit(
        self, index: Index, trigger: QAbstractItemView.EditTrigger | None = None, event: QEvent | None = None
    ) -> bool | None:
        """Remembers how editing started, so a drop-down opened with the mouse shows its list at once."""
        if trigger is None:
            self.last_edit_trigger = None
            super().edit(index)
            return None
        self.last_edit_trigger = trigger
        # Qt calls this with a null event when editing starts from code (setCurrentIndex, a key the view
        # handles itself) and accepts one back; the stub declares the event as never None.
        return super().edit(index, trigger, event)  # type: ignore[arg-type]  # PySide6 stub: event never None

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        """Text an input method commits straight away (no composition first: a symbol pad, handwriting,
        some IMEs for one character) opens the cell's editor, as a typed key does; Qt then drops the text.
        The editor gets it."""
        opening = self.state() != QAbstractItemView.State.EditingState
        commit = event.commitString() if opening and not event.preeditString() else ""
        super().inputMethodEvent(event)
        editor = getattr(self.itemDelegate(), "last_editor", None)
        if commit and self.state() == QAbstractItemView.State.EditingState and editor is not None and isValid(editor):
            forwarded = QInputMethodEvent()
            forwarded.setCommitString(commit)
            QApplication.sendEvent(editor.focusProxy() or editor, forwarded)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != QAbstractItemView.State.EditingState:
            self.clear_requested.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self.move_next()
            return
        super().keyPressEvent(event)

    def move_next(self) -> None:
        """The next cell one can type in; after the last one of a row, the first of the next row."""
        current = self.currentIndex()
        model = self.model()
        if not current.isValid():
            self.setCurrentIndex(model.index(0, self.next_column(0, -1)))
            return
        row = current.row()
        column = self.next_column(row, current.column())
        if column >= model.columnCount():
            row += 1
            column = self.next_column(row, -1)
        if row < model.rowCount():
            self.setCurrentIndex(model.index(row, column))

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Tab and Shift+Tab stop only where one can type, as Enter does (not on 摘要(一) or a balance)."""
        move = QAbstractItemView.CursorAction
        if action not in (move.MoveNext, move.MovePrevious) or not self.currentIndex().isValid():
            return super().moveCursor(action, modifiers)
        model, current = self.model(), self.currentIndex()
        row, column = current.row(), current.column()
        if action == move.MoveNext:
            column = self.next_column(row, column)
            if column >= model.columnCount():
                row, column = row + 1, self.next_column(row + 1, -1)
        else:
            column = self.previous_column(row, column)
            if column < 0:
                row, column = row - 1, self.previous_column(row - 1, model.columnCount())
        if not 0 <= row < model.rowCount() or not 0 <= column < model.columnCount():
            return current
        return model.index(row, column)

    def previous_column(self, row: int, before: int) -> int:
        model = self.model()
        column = before - 1
        while column >= 0 and (
            self.isColumnHidden(column) or not model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsEditable
        ):
            column -= 1
        return column

    def next_column(self, row: int, after: int) -> int:
        model = self.model()
        column = after + 1
        while column < model.columnCount() and (
            self.isColumnHidden(column) or not model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsEditable
        ):
            column += 1
        return column

    def closeEditor(self, editor: QWidget, hint: QStyledItemDelegate.EndEditHint) -> None:
        # Enter in an editor commits and moves on, like a spreadsheet.
        moving = hint == QStyledItemDelegate.EndEditHint.SubmitModelCache
        super().closeEditor(editor, QStyledItemDelegate.EndEditHint.NoHint if moving else hint)
        if moving:
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # the keyboard stays in the table
            self.move_next()


def parse_clipboard(text: str) -> list[list[str]]:
    """Tab-separated rows as Excel puts them on the clipboard (a trailing newline is not a row)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


class TablePage(QWidget):
    def __init__(self, document: ProjectDocument, checker: Checker, area: str, year: int) -> None:
        super().__init__()
        self.document, self.checker, self.area, self.year = document, checker, area, year
        self.spec = ALL_FORMS[area]
        self.setObjectName("page")
        self.model = RecordTableModel(document, checker, area, year)
        self.model.setParent(self)  # its connections to the document and the checker go with the page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        name = document.project.union_name(year) or "（工會名稱）"
        title = QLabel(f"{name}　{self._title()}", objectName="pageTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        hint = QLabel(self._hint(), objectName="pageHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(self._buttons())
        self.table = RecordTable(self)
        self.table.setModel(self.model)
        self.delegate = FieldDelegate(self._field_of, self.preview, self.table)
        self.table.setItemDelegate(self.delegate)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setDefaultSectionSize(120)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.paste_requested.connect(self.paste)
        self.table.clear_requested.connect(self.clear_selection)
        layout.addWidget(self.table, 1)
        self.message = QLabel(objectName="message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self._size_columns()
        document.changed.connect(self.model.document_changed)
        checker.findings_changed.connect(self.model.marks_changed)
        document.unsaved_changed.connect(self.model.marks_changed)
        QShortcut(QKeySequence.StandardKey.Paste, self.table, self.paste)

    def _title(self) -> str:
        if self.area == "roster":
            kind = self.document.project.union_type(self.year)
            return f"{roster_form.ROSTER_TITLES.get(kind, '會員名冊')}（{self.year} 年度）"
        return self.spec.title_for(self.year)

    def _hint(self) -> str:
        if self.area == "roster":
            return (
                "每列一位會員。可直接從 Excel 複製多列後按 Ctrl+V 貼上（欄位順序同下表）。"
                "身分證字號預設遮蔽，按「顯示身分證字號」才顯示。會員人數須與工會基本資料相同。"
            )
        if self.area != "training_report":
            return self.spec.hint
        return self.spec.hint + "　課程名稱可填多項，以「、」分隔。"

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        add = QPushButton("新增一列")
        add.clicked.connect(self.add_row)
        delete = QPushButton("刪除選取的列")
        delete.clicked.connect(self.delete_selected)
        row.addWidget(add)
        row.addWidget(delete)
        if self.area == "roster":
            self.reveal = QCheckBox("顯示身分證字號")
            self.reveal.toggled.connect(self.set_reveal)
            row.addWidget(self.reveal)
            importer = QPushButton("從活頁簿匯入…")
            importer.setToolTip("匯入 .xls / .xlsx 會員名冊")
            importer.clicked.connect(self.import_workbook)
            row.addWidget(importer)
        row.addStretch(1)
        self.count_label = QLabel()
        row.addWidget(self.count_label)
        self._update_count()
        self.document.changed.connect(self._rows_changed)  # a method, not a lambda: it goes with the page
        return row

    def _rows_changed(self, change: Change) -> None:
        if change.area in (self.area, "year"):
            self._update_count()

    def _update_count(self) -> None:
        if self.year in self.document.project.years:
            count = sum(1 for r in self.model.rows() if not is_blank(r))
            self.count_label.setText(f"共 {count} {COUNT_UNITS.get(self.area, '筆')}")

    def _size_columns(self) -> None:
        for column, field in enumerate(self.model.columns):
            width = max(90, min(240, 16 * len(self.model.header_label(column)) + 24))
            if isinstance(field.type, Choice):  # the longest option in full (本部新聞公告 was 本部新聞公…)
                metrics = self.table.fontMetrics()
                longest = max((metrics.horizontalAdvance(option) for option in field.type.options), default=0)
                width = max(width, min(240, longest + 24))
            if isinstance(field.type, MultiChoice):
                width = 260
            self.table.setColumnWidth(column, width)

    def _field_of(self, column: int) -> Field | None:
        return self.model.columns[column] if 0 <= column < len(self.model.columns) else None

    # ---------------------------------------------------------------- live check while typing

    def preview(self, row: int, column: int, text: str, editor: QWidget) -> None:
        field = self.model.columns[column]
        noun = self.model.row_noun
        message = field_message(field, text, self.year, f"第 {row + 1} {noun} ") if text.strip() else None
        set_mark(editor, "error" if message else "")
        self.show_message(message or "")

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        set_mark(self.message, "error" if text else "")

    # ---------------------------------------------------------------- editing

    def set_reveal(self, reveal: bool) -> None:
        self.model.reveal_ids = reveal
        self.model.marks_changed()
        self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(self.model.rowCount() - 1, 0))
        self.model.layoutChanged.emit()

    def add_row(self) -> None:
        rows = self.model.rows()
        self.document.insert_rows(self.year, self.area, len(rows), [{}])
        self.table.setCurrentIndex(self.model.index(len(rows) - 1, 0))
        self.table.setFocus()

    def delete_selected(self) -> None:
        count = len(self.model.rows())
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes() if i.row() < count})
        if rows:
            self.document.delete_rows(self.year, self.area, rows)

    def clear_selection(self) -> None:
        indexes = [i for i in self.table.selectionModel().selectedIndexes() if i.row() < len(self.model.rows())]
        if not indexes:
            return
        stack = self.document.undo_stack
        stack.beginMacro("清除儲存格")
        for index in indexes:
            self.document.set_cell(self.year, self.area, index.row(), self.model.columns[index.column()].key, "")
        stack.endMacro()

    def paste(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> int:
        """Excel rows (tab-separated) into the table from the current cell on; returns the rows written."""
        grid = parse_clipboard(text)
        if not grid:
            return 0
        start = self.table.currentIndex()
        first_row = start.row() if start.isValid() else len(self.model.rows())
        first_column = start.column() if start.isValid() else 0
        rows = self.model.rows()
        stack = self.document.undo_stack
        stack.beginMacro(f"貼上 {len(grid)} 列")
        appended: list[Record] = []
        for offset, cells in enumerate(grid):
            target = first_row + offset
            existing = rows[target] if target < len(rows) else {}
            record = self._record_from(cells, first_column)
            merged = {**existing, **record}
            record.update({k: v for k, v in self.model.filled(merged).items() if v != merged.get(k, "")})
            if target < len(rows):
                self.document.set_record(self.year, self.area, target, record, "貼上")
            else:
                appended.append(record)
        if appended:
            self.document.insert_rows(self.year, self.area, len(rows), appended, "貼上")
        stack.endMacro()
        self.show_message("")
        return len(grid)

    def _record_from(self, cells: list[str], first_column: int) -> Record:
        record: Record = {}
        for offset, cell in enumerate(cells):
            column = first_column + offset
            if column >= len(self.model.columns):
                break
            field = self.model.columns[column]
            record[field.key] = field.type.parse(cell).text if cell.strip() else ""
        return record

    def import_workbook(self) -> None:
        from treasurer_app.export.importer import import_workbook

        path, _ = QFileDialog.getOpenFileName(self, "從活頁簿匯入會員名冊", "", "Excel 活頁簿 (*.xls *.xlsx)")
        if not path:
            return
        try:
            imported = import_workbook(path)
        except Exception as exc:  # the importer's errors name the file and the cell in Chinese
            QMessageBox.warning(self, "匯入會員名冊", f"無法匯入：{exc}")
            return
        records = imported_roster(imported, self.year)
        if not records:
            QMessageBox.information(self, "匯入會員名冊", "活頁簿裡沒有找到會員名冊的資料。")
            return
        stack = self.document.undo_stack
        stack.beginMacro(f"匯入 {len(records)} 位會員")
        existing = [i for i, r in enumerate(self.model.rows()) if is_blank(r)]
        if existing:
            self.document.delete_rows(self.year, self.area, existing)
        self.document.insert_rows(self.year, self.area, len(self.model.rows()), records, "匯入")
        stack.endMacro()

    def focus_cell(self, row: int, key: str | None) -> None:
        column = next((i for i, f in enumerate(self.model.columns) if f.key == key), 0)
        index = self.model.index(min(row, self.model.rowCount() - 1), column)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.table.setFocus()
        messages = [f.message for f in self.model.cell_findings(index.row(), column)]
        self.show_message("\n".join(messages))


def imported_roster(imported: object, year: int) -> list[Record]:
    """The roster rows from what the importer returns, 性別 read from the ID where the workbook left it empty."""
    return [roster_form.with_sex_from_id(record) for record in _imported_rows(imported, year)]


def _imported_rows(imported: object, year: int) -> list[Record]:
    """The rows in what the importer returns (an ImportResult, a Project, a YearBook or records)."""
    imported = getattr(imported, "book", imported)
    years = getattr(imported, "years", None)
    if isinstance(years, dict) and years:
        book = years.get(year) or years[max(years)]
        return [dict(r) for r in book.roster]
    roster = getattr(imported, "roster", None)
    if isinstance(roster, list):
        return [dict(r) for r in roster]
    if isinstance(imported, list):
        return [dict(r) for r in imported if isinstance(r, dict)]
    return []
