"""Where the edits go: the project file (the SQLite store), and the edits it could not take yet.

``StorePersistence`` writes each ``Change`` as it is made (one value, one row) and a whole year when
needed; ``UnsavedEdits`` keeps the edits a failing disk refused, retries them, and never lets one be
dropped. No Qt here: the window (ui/document.py), the CLI and the tests use the same classes.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

from treasurer_app.editing.changes import Area, Change, ChangeKind
from treasurer_app.value import Value

if TYPE_CHECKING:
    from collections.abc import Iterable

    from treasurer_app.project import Project


class BackupInfo(Value):
    __slots__ = ("handle", "label")

    def __init__(self, label: str, handle: Any) -> None:
        self.label: Final = label  # shown in the menu
        self.handle: Final = handle  # what the store wants back to restore it


class Persistence(Protocol):
    location: Path

    def load(self) -> Project: ...

    def record(self, project: Project, change: Change) -> None: ...

    def flush(self, project: Project) -> None: ...

    def close(self) -> None: ...

    def backups(self) -> list[BackupInfo]: ...

    def restore(self, backup: BackupInfo) -> Project: ...

    def replace(self, project: Project) -> None: ...

    def resync(self, project: Project, years: set[int]) -> None: ...

    def keep_alive(self, now: datetime | None = None) -> None: ...


class PendingPersistence:
    """Stands in while the project is being opened, so the window can appear first; nothing to save yet."""

    location = Path()

    def load(self) -> Project:
        from treasurer_app.project import Project

        return Project()

    def record(self, project: Project, change: Change) -> None:
        raise ValueError("工會資料尚未開啟完成，請稍候再修改")

    def flush(self, project: Project) -> None:
        return None

    def close(self) -> None:
        return None

    def backups(self) -> list[BackupInfo]:
        return []

    def restore(self, backup: BackupInfo) -> Project:
        raise ValueError("工會資料尚未開啟完成")

    def replace(self, project: Project) -> None:
        raise ValueError("工會資料尚未開啟完成")

    def resync(self, project: Project, years: set[int]) -> None:
        raise ValueError("工會資料尚未開啟完成")

    def keep_alive(self, now: datetime | None = None) -> None:
        return None


class StorePersistence:
    """The project in the SQLite store (``treasurer_app.store``): each edit committed as it is made."""

    def __init__(
        self,
        location: Path,
        break_lock: bool = False,
        read_only: bool = False,
        create: bool = True,
        check_in_background: bool = False,
    ) -> None:
        """``create``: a new empty project where there is no file (the user's working project);
        else a missing file is ``StoreNotFound``. ``check_in_background`` (the window): the file's integrity
        check is left to a thread of its own, every write waiting for its answer (``treasurer_app.store.integrity``;
        ``integrity_checked``, ``check_integrity``)."""
        from treasurer_app.store import Store

        self.location = location
        if location.exists() or not create or read_only:  # read-only never makes a file
            self._store = Store.open(
                location, break_lock=break_lock, read_only=read_only, check_in_background=check_in_background
            )
        else:
            self._store = Store.create(location)
        self._acknowledged: dict[int, set[str]] = {}

    def load(self) -> Project:
        project = self._store.load(lazy=True)  # each year's rows read when first asked for
        self._acknowledged = {year: set(book.acknowledged) for year, book in project.years.items()}
        return project

    def record(self, project: Project, change: Change) -> None:
        from treasurer_app.editing.edits import ledger, rows

        store, book, area = self._store, project.years.get(change.year), change.area.value
        if change.kind == ChangeKind.YEAR:
            if book is None:
                store.delete_year(change.year)
            else:
                store.put_year(book)
                self._acknowledged[change.year] = set(book.acknowledged)
            return
        assert book is not None
        if change.area == Area.ACKNOWLEDGED:
            self._write_acknowledged(change.year, book.acknowledged)
        elif change.kind == ChangeKind.VALUE and change.area == Area.LEDGER_HEADER and change.key:
            store.set_ledger_value(change.year, change.key, ledger(book).header.get(change.key, ""))
        elif change.kind == ChangeKind.VALUE and change.area == Area.ATTACHMENTS and change.key:
            store.set_attachment(change.year, change.key, book.attachments.get(change.key, ""))
        elif change.kind == ChangeKind.VALUE and change.key:
            store.set_value(change.year, area, change.key, book.forms[area].get(change.key, ""))
        elif change.kind == ChangeKind.CELL and change.row is not None:
            store.set_row(change.year, area, change.row, rows(book, area)[change.row])
        elif change.kind == ChangeKind.INSERT and change.row is not None:
            store.insert_row(change.year, area, change.row, rows(book, area)[change.row])
        elif change.kind == ChangeKind.DELETE and change.row is not None:
            store.delete_row(change.year, area, change.row)
        elif change.kind == ChangeKind.MOVE and change.row is not None and change.source is not None:
            store.move_row(change.year, area, change.source, change.row)

    def _write_acknowledged(self, year: int, keys: set[str]) -> None:
        before = self._acknowledged.get(year, set())
        for key in keys - before:
            self._store.set_acknowledged(year, key, True)
        for key in before - keys:
            self._store.set_acknowledged(year, key, False)
        self._acknowledged[year] = set(keys)

    def resync(self, project: Project, years: set[int]) -> None:
        """Write ``years`` whole, as ``project`` holds them now (a year gone from it is deleted), in one
        transaction: after edits that could not be saved, the file catches up with the window at once."""
        store = self._store
        with store.transaction():
            for year in sorted(years):
                book = project.years.get(year)
                if book is not None:
                    store.put_year(book)
                elif year in store.years():
                    store.delete_year(year)
        for year in years:
            if year in project.years:
                self._acknowledged[year] = set(project.years[year].acknowledged)
            else:
                self._acknowledged.pop(year, None)

    def flush(self, project: Project) -> None:
        self._store.maybe_backup()  # only when something changed and the minimum interval passed

    def keep_alive(self, now: datetime | None = None) -> None:
        """While the window is open, idle or not: other PCs see the lock alive (it turns stale after
        10 minutes without a heartbeat), and an edit made within a backup's minimum interval still
        gets its backup once the interval has passed."""
        self._store.heartbeat(now)
        self._store.maybe_backup(now)

    def close(self) -> None:
        self._store.close()

    def backups(self) -> list[BackupInfo]:
        kinds = {"before-restore": "（還原前）", "before-import": "（匯入前）"}
        return [
            BackupInfo(f"{b.taken_at:%Y-%m-%d %H:%M}{kinds.get(b.kind, '')}", b.path)
            for b in self._store.list_backups()
        ]

    def restore(self, backup: BackupInfo) -> Project:
        self._store.restore(backup.handle)
        return self.load()

    def backup_now(self, kind: str = "") -> Path:
        """A backup now; ``kind`` names why (「before-import」 shows as （匯入前） in the 備份 menu)."""
        return Path(self._store.backup_now(kind=kind))

    def replace(self, project: Project) -> None:
        self._store.replace_project(project)
        self._acknowledged = {year: set(book.acknowledged) for year, book in project.years.items()}

    @property
    def integrity_checked(self) -> bool:
        """Whether the file's integrity check has answered (at once unless opened ``check_in_background``)."""
        return bool(self._store.integrity_checked)

    def check_integrity(self) -> None:
        """Returns when the file is sound; ``StoreDamaged`` (its Chinese message) when it is not. Waits for
        the check if it still runs."""
        self._store.check_integrity()

    # ---- the encryption key (DOMAIN §13) ----

    @property
    def read_only(self) -> bool:
        return bool(self._store.read_only)

    @property
    def storage_note(self) -> str:
        """Said once in the status bar on opening: e.g. the project is on a network drive (see ``netdrive``)."""
        return self._store.storage_note

    def key_location(self) -> str | None:
        """Where this PC keeps the project's key: "os" (credential store), "file" (none here) or None."""
        from treasurer_app.privacy import key_location

        return key_location(self._store.project_id)

    def key_file_exists(self) -> bool:
        """Whether this PC keeps a key file for the project (asks no credential store: see ``key_location``)."""
        from treasurer_app.privacy import key_file_exists

        return key_file_exists(self._store.project_id)

    def export_key(self, passphrase: str) -> str:
        return str(self._store.export_key(passphrase))

    def import_key(self, text: str, passphrase: str) -> None:
        self._store.import_key(text, passphrase)


class UnsavedEdits:
    """Edits the file could not take (disk full, I/O error, a file made read-only): kept, shown, retried.

    The first edit that fails marks its year as behind the file; from then on every edit only joins the
    list (granular writes would land on rows the file no longer has in the same places), and ``retry``
    writes each year behind whole, in one transaction. Nothing is ever dropped: the list empties only
    when the file holds every edit in it.
    """

    def __init__(self) -> None:
        self.changes: dict[Change, None] = {}  # in the order made; a field typed into twice counts once
        self.years: set[int] = set()
        self.problem = ""  # why the last write failed, in Chinese (the store's whole message)
        self.reason = ""  # the same in a few words, for the status bar (磁碟空間不足)
        self._next_automatic = 0.0  # time.monotonic() before which an automatic retry is not made

    def __len__(self) -> int:
        return len(self.changes)

    def record(self, persistence: Persistence, project: Project, change: Change) -> bool:
        """Write one edit; False when it stays unsaved (while others wait, it waits with them)."""
        if not self.changes:
            try:
                persistence.record(project, change)
            except Exception as exc:  # the store's own errors carry a Chinese message
                self._failed(exc)
            else:
                return True
        self.changes[change] = None
        self.years.add(change.year)
        return False

    def record_together(self, persistence: Persistence, project: Project, changes: Iterable[Change]) -> bool:
        """Write whole years at once (an import): every year of ``changes`` in one transaction, or none of
        them; False when they stay unsaved."""
        changes = list(changes)
        if not self.changes:
            try:
                persistence.resync(project, {change.year for change in changes})
            except Exception as exc:  # the store's own errors carry a Chinese message
                self._failed(exc)
            else:
                return True
        for change in changes:
            self.changes[change] = None
            self.years.add(change.year)
        return False

    def retry(self, persistence: Persistence, project: Project, automatic: bool = False) -> bool:
        """Write every year behind the file; True when nothing is left unsaved.

        ``automatic`` (the save after an edit, the idle timer): skipped for ten times as long as the last
        failed try took, so that rewriting a 50,000-entry year on a disk still full does not freeze the
        window after every keystroke; a small project is retried at once. 重試儲存 always tries.
        """
        if not self.changes:
            return True
        if automatic and time.monotonic() < self._next_automatic:
            return False
        started = time.monotonic()
        try:
            persistence.resync(project, set(self.years))
        except Exception as exc:
            self._failed(exc)
            self._next_automatic = time.monotonic() + 10 * (time.monotonic() - started)
            return False
        self.forget()
        return True

    def _failed(self, exc: BaseException) -> None:
        self.problem = str(exc)
        self.reason = str(getattr(exc, "reason", "") or exc)

    def forget(self) -> None:
        """The edits are given up (the user chose to discard them, or the project was replaced)."""
        self.changes.clear()
        self.years.clear()
        self.problem = self.reason = ""

    def touches(self, year: int, area: str, row: int | None = None, key: str | None = None) -> bool:
        """Whether a field (``key``) or a table cell (``row``, ``key``) holds an edit not yet in the file."""
        for change in self.changes:
            if change.year != year or change.area != area:
                continue
            if row is None:
                if change.key == key:
                    return True
            elif change.row == row and (change.key is None or change.key == key):
                return True
        return False

    def summary(self) -> str:
        """「有 3 項修改尚未儲存」, for the status bar."""
        return f"有 {len(self.changes)} 項修改尚未儲存" if self.changes else ""
