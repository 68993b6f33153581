"""The open project: every edit is an undoable command, written through the store as it happens.

Editors never change the Project themselves: they call ``set_value``,
``set_cell``, ``insert_rows``… here, which push a QUndoCommand; its redo/undo
changes the project, tells the project which year changed (its kept derivations are
redone from there), tells the store, and emits ``changed``.

A row's record is replaced by an edit, never changed in place: a snapshot of the project
(``Project.snapshot``, checked on another thread) shares the records and must not see them move.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from treasurer_app.project import LedgerBook, Project, Record, YearBook
from treasurer_app.specs import ALL_FORMS
from treasurer_app.ui.services import Change, Persistence, UnsavedEdits

TABLE_AREAS = ("roster", "training_report", "ledger")
LEDGER_AREAS = ("ledger", "ledger_header")
SAVE_DELAY_MS = 400
READ_ONLY_TEXT = "唯讀：這份資料以唯讀方式開啟，不能修改"
SAVED_TEXT = "已儲存"
SAVING_TEXT = "儲存中…"
KEEP_ALIVE_MS = 60_000  # the store's lock turns stale for other PCs after 10 minutes without a heartbeat
_MERGE_ID = 0x7EA5


class ProjectDocument(QObject):
    changed = Signal(object)  # Change
    reset = Signal()  # the whole project was replaced (restore, sample, import)
    save_state = Signal(str)  # "儲存中…" / "已儲存" / 「有 3 項修改尚未儲存（磁碟空間不足）」 / an error message
    unsaved_changed = Signal()  # edits joined or left the list of those not in the file

    def __init__(self, project: Project, persistence: Persistence, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        project.keep_derivations()
        self.persistence = persistence
        self.undo_stack = QUndoStack(self)
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)
        self._keep_alive_timer = QTimer(self, interval=KEEP_ALIVE_MS)
        self._keep_alive_timer.timeout.connect(self.keep_alive)
        self._keep_alive_timer.start()
        self._closed = False
        self.read_only = False  # opened read-only (held elsewhere, or its key not on this PC): edits are refused
        self.unsaved = UnsavedEdits()  # edits the file could not take: shown, retried, asked about at closing

    # ---------------------------------------------------------------- reading

    def book(self, year: int) -> YearBook:
        return self.project.years[year]

    def scalar(self, year: int, area: str) -> Record:
        book = self.book(year)
        if area == "ledger_header":
            return self.ledger(year).header
        if area == "attachments":
            return book.attachments
        return book.forms.setdefault(area, {})

    def value(self, year: int, area: str, key: str) -> str:
        return self.scalar(year, area).get(key, "")

    def rows(self, year: int, area: str) -> list[Record]:
        if area == "ledger":
            return self.ledger(year).entries
        return self.book(year).table(area)

    def ledger(self, year: int) -> LedgerBook:
        book = self.book(year)
        if book.ledger is None:
            book.ledger = LedgerBook()
        return book.ledger

    # ---------------------------------------------------------------- editing (undoable)

    def refused(self, change: Change | None = None) -> bool:
        """In a project opened read-only an edit is not made; the editor shows the stored text again."""
        if not self.read_only:
            return False
        self.save_state.emit(READ_ONLY_TEXT)
        if change is not None:
            self.changed.emit(change)
        return True

    def set_value(self, year: int, area: str, key: str, text: str) -> None:
        old = self.value(year, area, key)
        if old == text or self.refused(Change("value", year, area, key)):
            return
        self.undo_stack.push(_SetValue(self, year, area, key, old, text))

    def set_cell(self, year: int, area: str, row: int, key: str, text: str) -> None:
        rows = self.rows(year, area)
        old = rows[row].get(key, "") if row < len(rows) else ""
        if (row < len(rows) and old == text) or self.refused():
            return
        self.undo_stack.push(_SetCell(self, year, area, row, key, old, text))

    def set_record(self, year: int, area: str, row: int, record: Record, label: str = "修改一列") -> None:
        """Several cells of one row at once (e.g. 字/號 that also fill 動支類別)."""
        old = dict(self.rows(year, area)[row])
        new = {**old, **record}
        if new != old and not self.refused():
            self.undo_stack.push(_SetRecord(self, year, area, row, old, new, label))

    def insert_rows(self, year: int, area: str, index: int, records: Sequence[Record], label: str = "新增") -> None:
        if records and not self.refused():
            self.undo_stack.push(_InsertRows(self, year, area, index, [dict(r) for r in records], label))

    def delete_rows(self, year: int, area: str, indexes: Sequence[int]) -> None:
        if indexes and not self.refused():
            self.undo_stack.push(_DeleteRows(self, year, area, sorted(set(indexes))))

    def set_acknowledged(self, year: int, keys: set[str]) -> None:
        old = set(self.book(year).acknowledged)
        if old != keys and not self.refused(Change("value", year, "acknowledged")):
            self.undo_stack.push(_SetAcknowledged(self, year, old, set(keys)))

    def roll_over(self, year: int) -> int | None:
        if self.refused():
            return None
        self.undo_stack.push(_RollOver(self, year))
        return year + 1

    def add_year(self, year: int) -> None:
        if not self.refused():
            self.undo_stack.push(_AddYear(self, year))

    def replace_years(self, books: Sequence[YearBook], label: str) -> bool:
        """Whole years in place of the project's (an import of workbooks): one step that one undo takes back."""
        if not books or self.refused():
            return False
        self.undo_stack.push(_ReplaceYears(self, list(books), label))
        return True

    # ---------------------------------------------------------------- applying (called by commands)

    def _apply(self, change: Change) -> None:
        self.project.touch(change.year, ledger=change.area in LEDGER_AREAS or change.kind == "year")
        waiting = len(self.unsaved)
        if self.unsaved.record(self.persistence, self.project, change):
            self.save_state.emit(SAVING_TEXT)
        else:
            self.save_state.emit(self.unsaved_text())
            if len(self.unsaved) != waiting:
                self.unsaved_changed.emit()
        self._save_timer.start()  # also the next try for edits not yet in the file
        self.changed.emit(change)

    def unsaved_text(self) -> str:
        """「有 3 項修改尚未儲存（磁碟空間不足）」; empty when the file holds every edit."""
        if not self.unsaved:
            return ""
        return f"{self.unsaved.summary()}（{self.unsaved.reason}）" if self.unsaved.reason else self.unsaved.summary()

    def retry_save(self, automatic: bool = False) -> bool:
        """Write the edits not yet in the file (重試儲存; ``automatic``: the save after a later edit, the idle
        timer, which a large project's slow failing retries space out); True when none is left."""
        if not self.unsaved:
            return True
        if self.unsaved.retry(self.persistence, self.project, automatic):
            self.unsaved_changed.emit()
            self.save_state.emit(SAVED_TEXT)  # every edit is in the file now
            return True
        self.save_state.emit(self.unsaved_text())
        return False

    def discard_unsaved(self) -> None:
        """The user chose to close without them: the file keeps what it holds."""
        if self.unsaved:
            self.unsaved.forget()
            self.unsaved_changed.emit()

    def flush(self, automatic: bool = True) -> None:
        """The save after the edits pause (``automatic``), or on demand (重試儲存, closing)."""
        if not self.retry_save(automatic):
            return  # never 已儲存 while an edit is not in the file
        try:
            self.persistence.flush(self.project)
        except Exception as exc:  # a backup that failed: the edits themselves are in the file
            self.save_state.emit(f"{SAVED_TEXT}（但{_backup_problem(exc)}）")
            return
        self.save_state.emit(SAVED_TEXT)

    def keep_alive(self) -> None:
        """Once a minute while the project is open, edited or not: the lock's heartbeat and a due backup."""
        if self.unsaved:
            self.retry_save(automatic=True)  # space freed while the window sat idle: in without another edit
        try:
            self.persistence.keep_alive()
        except Exception as exc:  # e.g. the lock was broken from another PC: the store says so in Chinese
            self.save_state.emit(self.unsaved_text() or _keep_alive_problem(exc))

    def replace_project(self, project: Project) -> None:
        """After a restore or opening the sample: history no longer applies, nor do edits not yet saved
        (the project they belonged to is gone; the window asked before, where it could)."""
        self.project = project
        project.keep_derivations()
        self.undo_stack.clear()
        self.discard_unsaved()
        self.reset.emit()

    def switch(self, persistence: Persistence, project: Project) -> None:
        """Another project file in place of this one: this one is saved and released first."""
        self.close()
        self.persistence = persistence
        self._closed = False
        self._keep_alive_timer.start()
        self.replace_project(project)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._save_timer.stop()
        self._keep_alive_timer.stop()
        self.flush(automatic=False)  # a last try for edits not yet in the file; the window asked about them
        self.persistence.close()


# ---------------------------------------------------------------- commands


class _SetValue(QUndoCommand):
    def __init__(self, doc: ProjectDocument, year: int, area: str, key: str, old: str, new: str) -> None:
        super().__init__(f"修改「{_label(area, key, year)}」")
        self.doc, self.year, self.area, self.key, self.old, self.new = doc, year, area, key, old, new

    def id(self) -> int:
        return _MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Keystrokes in one field become one undo step.
        if not isinstance(other, _SetValue) or (other.year, other.area, other.key) != (self.year, self.area, self.key):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self._put(self.new)

    def undo(self) -> None:
        self._put(self.old)

    def _put(self, text: str) -> None:
        self.doc.scalar(self.year, self.area)[self.key] = text
        self.doc._apply(Change("value", self.year, self.area, self.key))


class _SetCell(QUndoCommand):
    def __init__(self, doc: ProjectDocument, year: int, area: str, row: int, key: str, old: str, new: str) -> None:
        super().__init__(f"修改第 {row + 1} 列「{_label(area, key, year)}」")
        self.doc, self.year, self.area, self.row, self.key, self.old, self.new = doc, year, area, row, key, old, new
        self.appended = False

    def redo(self) -> None:
        rows = self.doc.rows(self.year, self.area)
        if self.row >= len(rows):  # typing into the empty row at the end makes it a row
            rows.append({})
            self.appended = True
            self.doc._apply(Change("insert", self.year, self.area, row=self.row))
        rows[self.row] = {**rows[self.row], self.key: self.new}
        self.doc._apply(Change("cell", self.year, self.area, self.key, self.row))

    def undo(self) -> None:
        rows = self.doc.rows(self.year, self.area)
        if self.appended:
            del rows[self.row]
            self.doc._apply(Change("delete", self.year, self.area, row=self.row))
            return
        rows[self.row] = {**rows[self.row], self.key: self.old}
        self.doc._apply(Change("cell", self.year, self.area, self.key, self.row))


class _SetRecord(QUndoCommand):
    def __init__(self, doc: ProjectDocument, year: int, area: str, row: int, old: Record, new: Record, label: str):
        super().__init__(f"{label}（第 {row + 1} 列）")
        self.doc, self.year, self.area, self.row, self.old, self.new = doc, year, area, row, old, new

    def redo(self) -> None:
        self._put(self.new)

    def undo(self) -> None:
        self._put(self.old)

    def _put(self, record: Record) -> None:
        self.doc.rows(self.year, self.area)[self.row] = dict(record)
        self.doc._apply(Change("cell", self.year, self.area, None, self.row))


class _InsertRows(QUndoCommand):
    def __init__(self, doc: ProjectDocument, year: int, area: str, index: int, records: list[Record], label: str):
        super().__init__(f"{label} {len(records)} 列")
        self.doc, self.year, self.area, self.index, self.records = doc, year, area, index, records

    def redo(self) -> None:
        rows = self.doc.rows(self.year, self.area)
        for offset, record in enumerate(self.records):
            rows.insert(self.index + offset, dict(record))
        for offset in range(len(self.records)):
            self.doc._apply(Change("insert", self.year, self.area, row=self.index + offset))

    def undo(self) -> None:
        rows = self.doc.rows(self.year, self.area)
        del rows[self.index : self.index + len(self.records)]
        for _ in self.records:
            self.doc._apply(Change("delete", self.year, self.area, row=self.index))


class _DeleteRows(QUndoCommand):
    def __init__(self, doc: ProjectDocument, year: int, area: str, indexes: list[int]) -> None:
        super().__init__(f"刪除 {len(indexes)} 列")
        self.doc, self.year, self.area, self.indexes = doc, year, area, indexes
        self.removed: list[Record] = []

    def redo(self) -> None:
        rows = self.doc.rows(self.year, self.area)
        self.removed = [rows[i] for i in self.indexes]
        for i in reversed(self.indexes):
            del rows[i]
            self.doc._apply(Change("delete", self.year, self.area, row=i))

    def undo(self) -> None:
        rows = self.doc.rows(self.year, self.area)
        for i, record in zip(self.indexes, self.removed, strict=True):
            rows.insert(i, record)
            self.doc._apply(Change("insert", self.year, self.area, row=i))


class _SetAcknowledged(QUndoCommand):
    def __init__(self, doc: ProjectDocument, year: int, old: set[str], new: set[str]) -> None:
        super().__init__("確認警告")
        self.doc, self.year, self.old, self.new = doc, year, old, new

    def redo(self) -> None:
        self._put(self.new)

    def undo(self) -> None:
        self._put(self.old)

    def _put(self, keys: set[str]) -> None:
        self.doc.book(self.year).acknowledged = set(keys)
        self.doc._apply(Change("value", self.year, "acknowledged"))


class _RollOver(QUndoCommand):
    def __init__(self, doc: ProjectDocument, year: int) -> None:
        super().__init__(f"開始 {year + 1} 年度")
        self.doc, self.year = doc, year
        self.created: YearBook | None = None

    def redo(self) -> None:
        if self.created is None:
            self.created = self.doc.project.roll_over(self.year)
            self.created = copy.deepcopy(self.created)  # a redo after undo puts back this very state
        self.doc.project.years[self.year + 1] = copy.deepcopy(self.created)
        self.doc._apply(Change("year", self.year + 1, "year"))

    def undo(self) -> None:
        del self.doc.project.years[self.year + 1]
        self.doc._apply(Change("year", self.year + 1, "year"))


class _AddYear(QUndoCommand):
    def __init__(self, doc: ProjectDocument, year: int) -> None:
        super().__init__(f"新增 {year} 年度")
        self.doc, self.year = doc, year

    def redo(self) -> None:
        self.doc.project.add_year(self.year)
        self.doc._apply(Change("year", self.year, "year"))

    def undo(self) -> None:
        del self.doc.project.years[self.year]
        self.doc._apply(Change("year", self.year, "year"))


class _ReplaceYears(QUndoCommand):
    def __init__(self, doc: ProjectDocument, books: list[YearBook], label: str) -> None:
        super().__init__(label)
        self.doc = doc
        self.new = [copy.deepcopy(book) for book in books]
        self.old = {book.year: copy.deepcopy(doc.project.years.get(book.year)) for book in books}

    def redo(self) -> None:
        for book in self.new:
            self.doc.project.years[book.year] = copy.deepcopy(book)
            self.doc._apply(Change("year", book.year, "year"))

    def undo(self) -> None:
        for year, book in self.old.items():
            if book is None:
                self.doc.project.years.pop(year, None)
            else:
                self.doc.project.years[year] = copy.deepcopy(book)
            self.doc._apply(Change("year", year, "year"))


def _backup_problem(exc: BaseException) -> str:
    reason = getattr(exc, "reason", "") or str(exc)
    return f"自動備份失敗：{reason}"


def _keep_alive_problem(exc: BaseException) -> str:
    """What the status bar says when the idle heartbeat or backup fails: the edits are in the file."""
    from treasurer_app.store import StoreBackupFailed, StoreLockLost

    if isinstance(exc, StoreLockLost):
        return str(exc)
    if isinstance(exc, StoreBackupFailed):
        return f"{SAVED_TEXT}（但{_backup_problem(exc)}）"
    reason = getattr(exc, "reason", "") or str(exc)
    return f"{SAVED_TEXT}（但無法更新專案檔的使用中標記：{reason}）"


def _label(area: str, key: str | None, year: int) -> str:
    if area == "attachments" and key:
        from treasurer_app.export.package import ATTACHMENT_LABELS

        return ATTACHMENT_LABELS.get(key, key)
    spec = ALL_FORMS.get(area)
    if spec is not None and key and spec.has_field(key):
        return spec.label(key, year)
    if area in ("ledger", "ledger_header") and key:
        from treasurer_app.forms import ledger

        labels = {**ledger.COLUMN_LABELS, **{f.key: f.label for f in ledger.HEADER_FIELDS}}
        return labels.get(key, key)
    return key or area
