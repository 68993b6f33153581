"""The edits a treasurer makes to a project, without Qt: each applies itself and reverts itself.

An edit is made with what it should do (the new text, the rows to insert…); ``apply`` changes the
project and keeps what it replaced, ``revert`` puts that back. Both return the ``Change`` of each step,
in order, and hand each to ``step`` the moment the project holds it (the window redraws a table row by
row as the rows go). Every step also tells the project which year changed (``Project.touch``), so what
was derived from that year is worked out again when next asked for.

A row's record is replaced by an edit, never changed in place: a snapshot of the project
(``Project.snapshot``, checked on another thread) shares the records and must not see them move.

Applying an edit twice in a row, or reverting one that is not applied, is a mistake of the caller;
undo stacks (the window's ``QUndoStack``) alternate them as they should.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

from treasurer_app.editing.changes import Area, Change, ChangeKind
from treasurer_app.forms.base import Record
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.sheet import COLUMN_LABELS, HEADER_FIELDS
from treasurer_app.project import Project, YearBook

Step = Callable[[Change], None]


def scalar(book: YearBook, area: str) -> Record:
    """The values of a single-valued area of a year (a form, the ledger's header, the attachments)."""
    if area == Area.LEDGER_HEADER:
        return ledger(book).header
    if area == Area.ATTACHMENTS:
        return book.attachments
    return book.forms.setdefault(area, {})


def rows(book: YearBook, area: str) -> list[Record]:
    """The rows of a table of a year, or the entries of its cash ledger."""
    if area == Area.LEDGER:
        return ledger(book).entries
    return book.table(area)


def ledger(book: YearBook) -> LedgerBook:
    """The year's cash ledger, made empty where the year has none yet."""
    if book.ledger is None:
        book.ledger = LedgerBook()
    return book.ledger


class Edit:
    """One undoable edit. ``together``: its steps are written to the file all or none (whole years)."""

    together = False

    @property
    def title(self) -> str:
        """What the edit did, as 復原/取消復原 name it."""
        raise NotImplementedError

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        raise NotImplementedError

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        raise NotImplementedError


class _Steps:
    """The steps of one apply or revert: each touches its year and is handed on as it happens."""

    def __init__(self, project: Project, step: Step | None) -> None:
        self.project, self.step = project, step
        self.changes: list[Change] = []

    def __call__(self, change: Change) -> None:
        self.project.touch(change.year, ledger=change.area.touches_ledger or change.kind == ChangeKind.YEAR)
        self.changes.append(change)
        if self.step is not None:
            self.step(change)


class SetValue(Edit):
    """One value of a single-valued area: a form's field, a ledger header value, an attachment's path."""

    def __init__(self, year: int, area: Area, key: str, new: str, old: str = "") -> None:
        self.year, self.area, self.key, self.new = year, area, key, new
        self.old = old  # what it replaced, kept by ``apply``

    @property
    def title(self) -> str:
        return f"修改「{field_label(self.area, self.key, self.year)}」"

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        self.old = scalar(project.years[self.year], self.area).get(self.key, "")
        return self._put(project, self.new, step)

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        return self._put(project, self.old, step)

    def merge(self, later: Edit) -> bool:
        """Keystrokes in one field become one edit: ``later`` (applied after this one) folded in."""
        if not isinstance(later, SetValue) or (later.year, later.area, later.key) != (self.year, self.area, self.key):
            return False
        self.new = later.new
        return True

    def _put(self, project: Project, text: str, step: Step | None) -> list[Change]:
        steps = _Steps(project, step)
        scalar(project.years[self.year], self.area)[self.key] = text
        steps(Change(ChangeKind.VALUE, self.year, self.area, self.key))
        return steps.changes


class SetCell(Edit):
    """One cell of a table or of the ledger; typing into the empty row after the last makes it a row."""

    def __init__(
        self, year: int, area: Area, row: int, key: str, new: str, old: str = "", appended: bool = False
    ) -> None:
        self.year, self.area, self.row, self.key, self.new, self.old = year, area, row, key, new, old
        self.appended = appended  # the row did not exist: ``apply`` added it, ``revert`` takes it away

    @property
    def title(self) -> str:
        return f"修改第 {self.row + 1} 列「{field_label(self.area, self.key, self.year)}」"

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        table = rows(project.years[self.year], self.area)
        self.appended = self.row >= len(table)
        if self.appended:
            table.append({})
            steps(Change(ChangeKind.INSERT, self.year, self.area, row=self.row))
        self.old = table[self.row].get(self.key, "")
        table[self.row] = {**table[self.row], self.key: self.new}
        steps(Change(ChangeKind.CELL, self.year, self.area, self.key, self.row))
        return steps.changes

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        table = rows(project.years[self.year], self.area)
        if self.appended:
            del table[self.row]
            steps(Change(ChangeKind.DELETE, self.year, self.area, row=self.row))
        else:
            table[self.row] = {**table[self.row], self.key: self.old}
            steps(Change(ChangeKind.CELL, self.year, self.area, self.key, self.row))
        return steps.changes


class SetRecord(Edit):
    """Several cells of one row at once (字/號 that also fill 動支類別, a pasted row)."""

    def __init__(
        self, year: int, area: Area, row: int, values: Record, verb: str = "修改一列", old: Record | None = None
    ) -> None:
        self.year, self.area, self.row, self.values, self.verb = year, area, row, values, verb
        self.old: Record = {} if old is None else old

    @property
    def title(self) -> str:
        return f"{self.verb}（第 {self.row + 1} 列）"

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        self.old = dict(rows(project.years[self.year], self.area)[self.row])
        return self._put(project, {**self.old, **self.values}, step)

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        return self._put(project, self.old, step)

    def _put(self, project: Project, record: Record, step: Step | None) -> list[Change]:
        steps = _Steps(project, step)
        rows(project.years[self.year], self.area)[self.row] = dict(record)
        steps(Change(ChangeKind.CELL, self.year, self.area, None, self.row))
        return steps.changes


class InsertRows(Edit):
    def __init__(self, year: int, area: Area, index: int, records: Sequence[Record], verb: str = "新增") -> None:
        self.year, self.area, self.index, self.records, self.verb = year, area, index, records, verb

    @property
    def title(self) -> str:
        return f"{self.verb} {len(self.records)} 列"

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        table = rows(project.years[self.year], self.area)
        for offset, record in enumerate(self.records):
            table.insert(self.index + offset, dict(record))
        for offset in range(len(self.records)):
            steps(Change(ChangeKind.INSERT, self.year, self.area, row=self.index + offset))
        return steps.changes

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        del rows(project.years[self.year], self.area)[self.index : self.index + len(self.records)]
        for _ in self.records:
            steps(Change(ChangeKind.DELETE, self.year, self.area, row=self.index))
        return steps.changes


class DeleteRows(Edit):
    def __init__(self, year: int, area: Area, indexes: Sequence[int], removed: list[Record] | None = None) -> None:
        self.year, self.area = year, area
        self.indexes: Sequence[int] = sorted(set(indexes))  # given in any order, repeats ignored
        self.removed: list[Record] = [] if removed is None else removed

    @property
    def title(self) -> str:
        return f"刪除 {len(self.indexes)} 列"

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        table = rows(project.years[self.year], self.area)
        self.removed = [table[i] for i in self.indexes]
        for i in reversed(self.indexes):
            del table[i]
            steps(Change(ChangeKind.DELETE, self.year, self.area, row=i))
        return steps.changes

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        table = rows(project.years[self.year], self.area)
        for i, record in zip(self.indexes, self.removed, strict=True):
            table.insert(i, record)
            steps(Change(ChangeKind.INSERT, self.year, self.area, row=i))
        return steps.changes


class MoveRow(Edit):
    """The row at ``source`` moved so that it ends up at ``target`` (the rows between shift by one)."""

    def __init__(self, year: int, area: Area, source: int, target: int) -> None:
        self.year, self.area, self.source, self.target = year, area, source, target

    @property
    def title(self) -> str:
        return f"移動第 {self.source + 1} 列到第 {self.target + 1} 列"

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        return self._move(project, self.source, self.target, step)

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        return self._move(project, self.target, self.source, step)

    def _move(self, project: Project, source: int, target: int, step: Step | None) -> list[Change]:
        steps = _Steps(project, step)
        table = rows(project.years[self.year], self.area)
        table.insert(target, table.pop(source))
        steps(Change(ChangeKind.MOVE, self.year, self.area, row=target, source=source))
        return steps.changes


class SetAcknowledged(Edit):
    """The warnings of a year the treasurer acknowledged (by finding key), all at once."""

    def __init__(self, year: int, keys: set[str], old: set[str] | None = None) -> None:
        self.year, self.keys = year, keys
        self.old: set[str] = set() if old is None else old

    @property
    def title(self) -> str:
        return "確認警告"

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        self.old = set(project.years[self.year].acknowledged)
        return self._put(project, self.keys, step)

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        return self._put(project, self.old, step)

    def _put(self, project: Project, keys: set[str], step: Step | None) -> list[Change]:
        steps = _Steps(project, step)
        project.years[self.year].acknowledged = set(keys)
        steps(Change(ChangeKind.VALUE, self.year, Area.ACKNOWLEDGED))
        return steps.changes


class RollOver(Edit):
    """Year ``year + 1`` started from ``year`` (``Project.roll_over``); a redo puts back the very same year."""

    def __init__(self, year: int, created: YearBook | None = None) -> None:
        self.year, self.created = year, created

    @property
    def title(self) -> str:
        return f"開始 {self.year + 1} 年度"

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        if self.created is None:
            self.created = copy.deepcopy(project.roll_over(self.year))
        project.years[self.year + 1] = copy.deepcopy(self.created)
        steps(Change(ChangeKind.YEAR, self.year + 1, Area.YEAR))
        return steps.changes

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        del project.years[self.year + 1]
        steps(Change(ChangeKind.YEAR, self.year + 1, Area.YEAR))
        return steps.changes


class AddYear(Edit):
    """An empty year (``Project.add_year``)."""

    def __init__(self, year: int) -> None:
        self.year = year

    @property
    def title(self) -> str:
        return f"新增 {self.year} 年度"

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        project.add_year(self.year)
        steps(Change(ChangeKind.YEAR, self.year, Area.YEAR))
        return steps.changes

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        del project.years[self.year]
        steps(Change(ChangeKind.YEAR, self.year, Area.YEAR))
        return steps.changes


class ReplaceYears(Edit):
    """Whole years in place of the project's (an import of workbooks): all of them or, reverted, none."""

    together = True

    def __init__(self, books: Sequence[YearBook], title: str) -> None:
        self.books = [copy.deepcopy(book) for book in books]
        self._title = title
        self.old: dict[int, YearBook | None] | None = None  # the years replaced, kept by the first ``apply``

    @property
    def title(self) -> str:
        return self._title

    @property
    def years(self) -> list[int]:
        return [book.year for book in self.books]

    def apply(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        if self.old is None:
            self.old = {book.year: copy.deepcopy(project.years.get(book.year)) for book in self.books}
        for book in self.books:
            project.years[book.year] = copy.deepcopy(book)
            steps(Change(ChangeKind.YEAR, book.year, Area.YEAR))
        return steps.changes

    def revert(self, project: Project, step: Step | None = None) -> list[Change]:
        steps = _Steps(project, step)
        for year, book in (self.old or {}).items():
            if book is None:
                project.years.pop(year, None)
            else:
                project.years[year] = copy.deepcopy(book)
            steps(Change(ChangeKind.YEAR, year, Area.YEAR))
        return steps.changes


def field_label(area: str, key: str | None, year: int) -> str:
    """How the forms name a field, for an edit's title (「修改「工會名稱」」)."""
    if area == Area.ATTACHMENTS and key:
        from treasurer_app.rules.attachments import ATTACHMENT_LABELS

        return ATTACHMENT_LABELS.get(key, key)
    from treasurer_app.specs import ALL_FORMS

    spec = ALL_FORMS.get(area)
    if spec is not None and key and spec.has_field(key):
        return spec.label(key, year)
    if area in (Area.LEDGER, Area.LEDGER_HEADER) and key:
        labels = {**COLUMN_LABELS, **{f.key: f.label for f in HEADER_FIELDS}}
        return labels.get(key, key)
    return key or str(area)
