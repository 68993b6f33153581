"""The register's model: the year's entries as a table (no widget per row), 摘要(一) and the running
balances computed, never typed, and the filters over it. The balances are the domain's
``RunningBalances`` (ledger/balances.py), kept in step with each edit from the edited entry on.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from treasurer_app.editing.changes import Change
from treasurer_app.fields import Field
from treasurer_app.findings import Finding
from treasurer_app.forms import LEDGER_FORM
from treasurer_app.forms.base import Record
from treasurer_app.ledger.balances import SOURCE_OPENING_NOTES, SOURCES, RunningBalances, Sources
from treasurer_app.ledger.codes import (
    ACCOUNTS,
    CATEGORIES,
    TRANSFER,
    allowed_accounts,
    allowed_categories,
    code_from_text,
    code_item,
    code_text,
    codes,
    fill_from_code,
    kinds,
    summary_one,
)
from treasurer_app.ledger.sheet import ENTRY_FIELD, ENTRY_ROWS
from treasurer_app.ui import theme
from treasurer_app.ui.cell_editors import Index
from treasurer_app.ui.checker import Checker, field_finding, own_rule
from treasurer_app.ui.document import ProjectDocument
from treasurer_app.ui.ledger_marks import MARK_ROLE, worst_mark
from treasurer_app.ui.table_editor import NO_PARENT, UNSAVED_CELL_TEXT, is_blank
from treasurer_app.ui.widgets import grouped, whole_number

SUMMARY = "summary_one"
BALANCE_KEYS = ("balance_total", "balance_acct1", "balance_acct2", "balance_fixed", "balance_petty")
# What is still available of each source of the fund: on screen only, the printed sheet has no such columns.
SOURCE_KEYS = ("source_allocation", "source_interest", "source_other")
SOURCE_LABELS: dict[str, str] = {key: f"可動支{source}" for key, source in zip(SOURCE_KEYS, SOURCES, strict=True)}
# The register's columns are the printed sheet's, declared once (ledger/sheet.py ENTRY_ROWS): 年 · 月 · 日 ·
# 字 · 傳票序號 · 摘要 (項目) · 摘要(一) · 摘要(二) · 金額 · 動支類別 · 動支帳戶 · the balances; 號 is picked in
# the 摘要(一) column, which shows the code's text, so a row copied from the exported sheet pastes field by
# field. Then, on screen only, what is still available of each source.
COLUMNS: tuple[str, ...] = (*(column.key for column in ENTRY_ROWS.columns), *SOURCE_KEYS)
HEADERS: dict[str, str] = {**{column.key: column.label for column in ENTRY_ROWS.columns}, **SOURCE_LABELS}
RUNNING = frozenset({*BALANCE_KEYS, *SOURCE_KEYS})
COMPUTED = frozenset({*(column.key for column in ENTRY_ROWS.columns if column.computed), *RUNNING})
NUMERIC = frozenset({"amount", *RUNNING})


def money(value: int) -> str:
    return f"{value:,}"


def running_value(running: RunningBalances, row: int, key: str) -> int:
    """A balance (BALANCE_KEYS) or an available amount (SOURCE_KEYS) after entry ``row``."""
    if key in SOURCE_KEYS:
        return running.sources_amounts_after(row)[SOURCE_KEYS.index(key)]
    amounts = running.amounts_after(row)
    return sum(amounts) if key == "balance_total" else amounts[BALANCE_KEYS.index(key) - 1]


class LedgerTableModel(QAbstractTableModel):
    def __init__(self, document: ProjectDocument, checker: Checker, year: int) -> None:
        super().__init__()
        self.document, self.checker, self.year = document, checker, year
        self.book = document.ledger(year)
        self.running = RunningBalances(self.book, year, self.opening_sources())
        self.labels = {**HEADERS}

    def opening_sources(self) -> Sources:
        from treasurer_app.rules.ledger_year import ledger_opening_sources

        project = self.document.project
        return ledger_opening_sources(project, self.year) if self.year in project.years else Sources()

    def entries(self) -> list[Record]:
        return self.book.entries

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.book.entries) + 1

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            key = COLUMNS[section]
            if key in SOURCE_KEYS:
                source = SOURCES[SOURCE_KEYS.index(key)]
                return f"{self.labels[key]}：{SOURCE_OPENING_NOTES[source]}"
            return self.labels[key]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.labels[COLUMNS[section]]
        return "＋" if section == len(self.book.entries) else str(section + 1)

    def field(self, column: int) -> Field | None:
        return ENTRY_FIELD.get(COLUMNS[column])

    def text(self, row: int, key: str) -> str:
        entries = self.book.entries
        return entries[row].get(key, "") if row < len(entries) else ""

    def display(self, row: int, key: str) -> str:
        entries = self.book.entries
        if row >= len(entries):
            return ""
        record = entries[row]
        kind, code = record.get("kind", "").strip(), record.get("code", "").strip()
        if key == SUMMARY:
            return summary_one(kind, code)
        if key == "code":  # 摘要(一): the code's text, or the 號 as typed when it is not in the parameter table
            return code_text(kind, record.get("code", ""))
        if key == "item":
            return code_item(kind, code)
        if key == "year":
            return "" if is_blank(record) else str(self.year)
        if key in RUNNING:
            if is_blank(record):
                return ""
            return money(running_value(self.running, row, key))
        text = record.get(key, "")
        return grouped(text) if key == "amount" else text

    def cell_findings(self, row: int, key: str) -> list[Finding]:
        entries = self.book.entries
        if row >= len(entries) or is_blank(entries[row]):
            return []
        found = [f for f in self.checker.for_field(LEDGER_FORM, key, row) if not own_rule(f)]
        field = ENTRY_FIELD.get(key)
        if field is not None:
            own = field_finding(LEDGER_FORM, field, entries[row].get(key, ""), self.year, row, f"第 {row + 1} 筆 ")
            # The ledger's rules say some of the same (a blank 字 with its choices): each thing is told once.
            told = own is not None and (
                own.message in {f.message for f in found}
                or (own.rule == "field.required" and any(f.rule.endswith(".required") for f in found))
            )
            if own is not None and not told:
                found.insert(0, own)
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, key = index.row(), COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, key)
        if role == Qt.ItemDataRole.EditRole:
            return self.text(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self.document.unsaved.touches(self.year, LEDGER_FORM, row, key):
                return theme.UNSAVED_CELL
            mark = worst_mark(self.cell_findings(row, key))
            if mark == "error":
                return theme.ERROR_CELL
            if mark == "warning":
                return theme.WARNING_CELL
            if key in COMPUTED:
                return theme.READ_ONLY_CELL
        if role == MARK_ROLE:
            return worst_mark(self.cell_findings(row, key))
        if role == Qt.ItemDataRole.ForegroundRole and key in RUNNING and self.below_zero(row, key):
            return theme.ERROR_COLOR
        if role == Qt.ItemDataRole.ToolTipRole:
            messages = [f.message for f in self.cell_findings(row, key)]
            if self.document.unsaved.touches(self.year, LEDGER_FORM, row, key):
                messages.insert(0, UNSAVED_CELL_TEXT)
            field = ENTRY_FIELD.get(key)
            if key in SOURCE_KEYS:
                source = SOURCES[SOURCE_KEYS.index(key)]
                notes = [*messages, f"{source}還可動支的金額：{SOURCE_OPENING_NOTES[source]}"]
                if self.below_zero(row, key):
                    notes.append("負數表示先動支、後收入；全年的收入仍不足支應時，超支的那一筆會標示錯誤。")
                return "\n".join(notes)
            return "\n".join(messages) or (field.hint if field else "自動計算，不必輸入")
        return None

    def below_zero(self, row: int, key: str) -> bool:
        entries = self.book.entries
        return row < len(entries) and not is_blank(entries[row]) and running_value(self.running, row, key) < 0

    def entry_findings(self, row: int) -> list[Finding]:
        """Every finding of one entry, column by column (the line under the register shows them)."""
        found: list[Finding] = []
        for key in COLUMNS:
            found.extend(self.cell_findings(row, key))
        return found

    def sources_changed(self) -> None:
        """Budget lines 2 and 4 may have changed: the available amounts start from them."""
        if self.running.set_opening_sources(self.opening_sources()):
            self._all_changed()

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if COLUMNS[index.column()] in COMPUTED:
            return flags
        return flags | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = COLUMNS[index.column()]
        field = ENTRY_FIELD[key]
        raw = str(value or "")
        row = index.row()
        if key == "code":  # a 摘要(一) text typed or picked names its 號
            raw = code_from_text(self.text(row, "kind"), raw)
        text = field.type.parse(raw).text if raw.strip() else ""
        entries = self.book.entries
        if row >= len(entries):
            if not text:
                return False
            self.document.insert_rows(self.year, LEDGER_FORM, row, [self._new_record(key, text)], "新增分錄")
            return True
        if key in ("kind", "code"):
            record = {**entries[row], key: text}
            self.document.set_record(self.year, LEDGER_FORM, row, fill_from_code(record), f"修改{field.label}")
            return True
        self.document.set_cell(self.year, LEDGER_FORM, row, key, text)
        return True

    def _new_record(self, key: str, text: str) -> Record:
        """A new entry starts in the month of the one before it (entries are chronological)."""
        record: Record = {key: text}
        if key != "month" and self.book.entries:
            record["month"] = self.book.entries[-1].get("month", "")
        return fill_from_code(record) if key in ("kind", "code") else record

    def document_changed(self, change: Change) -> None:
        if change.year != self.year:
            return
        if change.area == "ledger_header":
            self.running.header_changed()
            self._all_changed()
            return
        if change.area != LEDGER_FORM or change.row is None:
            return
        if change.kind == "cell":
            self.running.edited(change.row)
            first = self.index(change.row, 0)
            self.dataChanged.emit(first, self.index(self.rowCount() - 1, self.columnCount() - 1))
        elif change.kind == "insert":
            # Typing into the empty last row turns it into an entry: a new empty row appears below it,
            # so the cursor stays on the entry being typed.
            appended = change.row == len(self.book.entries) - 1
            position = change.row + 1 if appended else change.row
            self.beginInsertRows(NO_PARENT, position, position)
            self.running.inserted(change.row)
            self.endInsertRows()
            self.dataChanged.emit(self.index(change.row, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        elif change.kind == "delete":
            self.beginRemoveRows(NO_PARENT, change.row, change.row)
            self.running.deleted(change.row)
            self.endRemoveRows()
            self._all_changed()

    def _all_changed(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def choices(self, index: QModelIndex) -> tuple[str, ...] | None:
        key = COLUMNS[index.column()]
        kind = self.text(index.row(), "kind").strip()
        code = self.text(index.row(), "code").strip()
        if key == "kind":
            return kinds()
        if key == "code":
            every_code = tuple(dict.fromkeys(c for k in kinds() for c in codes(k)))
            return codes(kind) if kind else every_code
        if key == "category":
            allowed = allowed_categories(kind, code)
            return allowed if allowed or kind == TRANSFER else CATEGORIES
        if key == "account":
            return allowed_accounts(kind, code) or ACCOUNTS
        return None


def pasted_record(cells: list[str], first_column: int) -> Record:
    """One pasted row from ``first_column`` on, each value normalised by its column's type."""
    record: Record = {}
    for offset, cell in enumerate(cells):
        column = first_column + offset
        if column >= len(COLUMNS):
            break
        key = COLUMNS[column]
        if key == "code":  # the exported sheet's 摘要(一) text, or a bare 號
            cell = code_from_text(record.get("kind", ""), cell)
        if key not in COMPUTED:
            record[key] = ENTRY_FIELD[key].type.parse(cell).text if cell.strip() else ""
    return record


class LedgerFilter(QSortFilterProxyModel):
    """Month, quarter, code and member filters; the empty row for a new entry always stays, and so does
    every entry typed, pasted or edited since the filters were set, until they are set again: an entry
    that stopped matching half-way through its typing (its month carried over, its code not picked yet)
    would vanish under the cursor and the next keys would start another one."""

    def __init__(self, model: LedgerTableModel) -> None:
        super().__init__()
        self.ledger = model
        self.setSourceModel(model)
        self.months: tuple[int, ...] = ()
        self.code = ""
        self.member = ""
        self.pinned: set[int] = set()  # source rows shown whatever the filters say
        # Before the proxy itself filters the new rows: they are pinned by then.
        model.rowsAboutToBeInserted.connect(self._inserting)
        model.rowsRemoved.connect(self._removed)

    def set_filters(self, months: tuple[int, ...], code: str, member: str) -> None:
        self.beginFilterChange()
        self.months, self.code, self.member = months, code, member.strip()
        self.pinned.clear()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filtering(self) -> bool:
        return bool(self.months or self.code or self.member)

    def pin(self, source_row: int) -> None:
        if self.filtering():
            self.pinned.add(source_row)

    def _inserting(self, parent: Index, first: int, last: int) -> None:
        count = last - first + 1
        self.pinned = {row + count if row >= first else row for row in self.pinned}
        for row in range(first, last + 1):
            self.pin(row)

    def _removed(self, parent: Index, first: int, last: int) -> None:
        count = last - first + 1
        self.pinned = {row - count if row > last else row for row in self.pinned if not first <= row <= last}

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.isValid():
            self.pin(self.mapToSource(index).row())  # before the edit: the proxy re-filters the row on it
        return super().setData(index, value, role)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        entries = self.ledger.book.entries
        if source_row >= len(entries) or source_row in self.pinned:
            return True
        record = entries[source_row]
        if self.months and whole_number(record.get("month", "").strip()) not in self.months:
            return False
        if self.code and f"{record.get('kind', '').strip()} {record.get('code', '').strip()}" != self.code:
            return False
        return not (self.member and self.member not in record.get("memo", ""))
