"""The open project in the window: an ``EditSession`` (treasurer_app/editing) behind a ``QUndoStack``.

Editors never change the Project themselves: they call ``set_value``, ``set_cell``, ``insert_rows``…
here, which push an edit (``treasurer_app.editing.edits``) on the undo stack; its command only adapts
it (redo applies it, undo reverts it, through the session that writes each step to the store), and
every step is announced with ``changed``. This module adds what a window needs: the status texts, the
save timer, the lock's heartbeat, refusing edits in a project opened read-only, and picking up the answer
of the file's integrity check, which runs on a thread of its own after opening (``treasurer_app.store.integrity``):
a damaged file turns the project read-only and is announced with ``damaged``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from treasurer_app.editing.changes import Area, Change, ChangeKind
from treasurer_app.editing.edits import (
    AddYear,
    DeleteRows,
    Edit,
    InsertRows,
    ReplaceYears,
    RollOver,
    SetAcknowledged,
    SetCell,
    SetRecord,
    SetValue,
    ledger,
    rows,
    scalar,
)
from treasurer_app.editing.persistence import Persistence, UnsavedEdits
from treasurer_app.editing.session import EditSession, Written
from treasurer_app.forms.base import Record
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook
from treasurer_app.ui.shell import SAVED_TEXT

SAVE_DELAY_MS = 400
READ_ONLY_TEXT = "唯讀：這份資料以唯讀方式開啟，不能修改"
SAVING_TEXT = "儲存中…"
KEEP_ALIVE_MS = 60_000  # the store's lock turns stale for other PCs after 10 minutes without a heartbeat
INTEGRITY_POLL_MS = 50  # how often the answer of the file's integrity check is looked for, until it is there
_MERGE_ID = 0x7EA5


class ProjectDocument(QObject):
    changed = Signal(object)  # Change
    reset = Signal()  # the whole project was replaced (restore, sample, import)
    save_state = Signal(str)  # "儲存中…" / "已儲存" / 「有 3 項修改尚未儲存（磁碟空間不足）」 / an error message
    unsaved_changed = Signal()  # edits joined or left the list of those not in the file
    damaged = Signal(str, str)  # (message, details): the integrity check found the file damaged; read-only since

    def __init__(self, project: Project, persistence: Persistence, parent: QObject | None = None) -> None:
        super().__init__(parent)
        project.keep_derivations()
        self.session = EditSession(project, persistence, self._written)
        self.undo_stack = QUndoStack(self)
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)
        self._keep_alive_timer = QTimer(self, interval=KEEP_ALIVE_MS)
        self._keep_alive_timer.timeout.connect(self.keep_alive)
        self._keep_alive_timer.start()
        self._integrity_timer = QTimer(self, interval=INTEGRITY_POLL_MS)
        self._integrity_timer.timeout.connect(self._integrity_answered)
        self._integrity_timer.start()
        self._closed = False
        self.read_only = False  # opened read-only (held elsewhere, or its key not on this PC): edits are refused

    @property
    def project(self) -> Project:
        return self.session.project

    @property
    def persistence(self) -> Persistence:
        return self.session.persistence

    @property
    def unsaved(self) -> UnsavedEdits:
        """Edits the file could not take: shown, retried, asked about at closing."""
        return self.session.unsaved

    # ---------------------------------------------------------------- reading

    def book(self, year: int) -> YearBook:
        return self.project.years[year]

    def scalar(self, year: int, area: str) -> Record:
        return scalar(self.book(year), area)

    def value(self, year: int, area: str, key: str) -> str:
        return self.scalar(year, area).get(key, "")

    def rows(self, year: int, area: str) -> list[Record]:
        return rows(self.book(year), area)

    def ledger(self, year: int) -> LedgerBook:
        return ledger(self.book(year))

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
        if old == text or self.refused(Change(ChangeKind.VALUE, year, Area(area), key)):
            return
        self.undo_stack.push(_ValueCommand(self, SetValue(year, Area(area), key, text)))

    def set_cell(self, year: int, area: str, row: int, key: str, text: str) -> None:
        table = self.rows(year, area)
        old = table[row].get(key, "") if row < len(table) else ""
        if (row < len(table) and old == text) or self.refused():
            return
        self.push(SetCell(year, Area(area), row, key, text))

    def set_record(self, year: int, area: str, row: int, record: Record, label: str = "修改一列") -> None:
        """Several cells of one row at once (e.g. 字/號 that also fill 動支類別)."""
        old = self.rows(year, area)[row]
        if {**old, **record} != old and not self.refused():
            self.push(SetRecord(year, Area(area), row, dict(record), label))

    def insert_rows(self, year: int, area: str, index: int, records: Sequence[Record], label: str = "新增") -> None:
        if records and not self.refused():
            self.push(InsertRows(year, Area(area), index, [dict(r) for r in records], label))

    def delete_rows(self, year: int, area: str, indexes: Sequence[int]) -> None:
        if indexes and not self.refused():
            self.push(DeleteRows(year, Area(area), indexes))

    def set_acknowledged(self, year: int, keys: set[str]) -> None:
        old = set(self.book(year).acknowledged)
        if old != keys and not self.refused(Change(ChangeKind.VALUE, year, Area.ACKNOWLEDGED)):
            self.push(SetAcknowledged(year, set(keys)))

    def roll_over(self, year: int) -> int | None:
        if self.refused():
            return None
        self.push(RollOver(year))
        return year + 1

    def add_year(self, year: int) -> None:
        if not self.refused():
            self.push(AddYear(year))

    def import_years(self, edit: ReplaceYears) -> bool:
        """Whole years in place of the project's (an import of workbooks, ``workbook_import.import_edit``):
        one step that one undo takes back."""
        if not edit.books or self.refused():
            return False
        self.push(edit)
        return True

    def push(self, edit: Edit) -> None:
        """``edit`` made now, and one step of 復原 (callers have checked ``refused``)."""
        self.undo_stack.push(_EditCommand(self, edit))

    # ---------------------------------------------------------------- each step, as the session wrote it

    def _written(self, written: Written) -> None:
        if written.saved:
            self.save_state.emit(SAVING_TEXT)
        else:
            self.save_state.emit(self.unsaved_text())
            if written.joined:
                self.unsaved_changed.emit()
        self._save_timer.start()  # also the next try for edits not yet in the file
        self.changed.emit(written.change)

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
        if self.session.retry(automatic):
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
            self.session.flush()
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

    def _integrity_answered(self) -> None:
        """Once the file's integrity check has answered: a damaged file refuses edits from now on (the store
        refuses to write into it anyway; edits it refused stay listed unsaved) and is announced."""
        persistence = self.persistence
        if not getattr(persistence, "integrity_checked", True):
            return
        self._integrity_timer.stop()
        from treasurer_app.store import StoreDamaged  # not at the top: the store loads after the first paint

        try:
            getattr(persistence, "check_integrity", lambda: None)()
        except StoreDamaged as damage:
            self.read_only = True
            self.save_state.emit(str(damage))
            self.damaged.emit(str(damage), damage.details)
        except Exception:  # the check could not read the file: it is asked again before the next write
            return

    def replace_project(self, project: Project) -> None:
        """After a restore or opening the sample: history no longer applies, nor do edits not yet saved
        (the project they belonged to is gone; the window asked before, where it could)."""
        project.keep_derivations()
        self.undo_stack.clear()
        self.discard_unsaved()
        self.session.replace(project)
        self.reset.emit()

    def switch(self, persistence: Persistence, project: Project) -> None:
        """Another project file in place of this one: this one is saved and released first."""
        self.close()
        self.session.persistence = persistence
        self._closed = False
        self._keep_alive_timer.start()
        self._integrity_timer.start()
        self.replace_project(project)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._save_timer.stop()
        self._keep_alive_timer.stop()
        self._integrity_timer.stop()
        self.flush(automatic=False)  # a last try for edits not yet in the file; the window asked about them
        self.persistence.close()


# ---------------------------------------------------------------- commands: the undo stack's adapters


class _EditCommand(QUndoCommand):
    """One edit on the undo stack: redo applies it, undo reverts it, both through the session."""

    def __init__(self, document: ProjectDocument, edit: Edit) -> None:
        super().__init__(edit.title)
        self.document, self.edit = document, edit

    def redo(self) -> None:
        self.document.session.apply(self.edit)

    def undo(self) -> None:
        self.document.session.revert(self.edit)


class _ValueCommand(_EditCommand):
    """A field's value: keystrokes in one field become one undo step."""

    edit: SetValue

    def id(self) -> int:
        return _MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        return isinstance(other, _ValueCommand) and self.edit.merge(other.edit)


def _backup_problem(exc: BaseException) -> str:
    reason = getattr(exc, "reason", "") or str(exc)
    return f"自動備份失敗：{reason}"


def _keep_alive_problem(exc: BaseException) -> str:
    """What the status bar says when the idle heartbeat or backup fails: the edits are in the file."""
    from treasurer_app.store import StoreBackupFailed, StoreDamaged, StoreLockLost

    if isinstance(exc, (StoreLockLost, StoreDamaged)):  # nothing more is written into the file: never 已儲存
        return str(exc)
    if isinstance(exc, StoreBackupFailed):
        return f"{SAVED_TEXT}（但{_backup_problem(exc)}）"
    reason = getattr(exc, "reason", "") or str(exc)
    return f"{SAVED_TEXT}（但無法更新專案檔的使用中標記：{reason}）"
