"""The window's wiring to the store, the sample union and the exporter's attachment check (no Qt here).

The domain modules are imported where they are first needed, not at import:
the window is painted before any of them is loaded.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from treasurer_app.resources import resources_dir

if TYPE_CHECKING:
    from treasurer_app.findings import Finding
    from treasurer_app.project import Project

RESOURCES = resources_dir()
SAMPLE_UNION = RESOURCES / "sample" / "sample_union.json"
PROJECT_FILE_NAME = "union"


# ---------------------------------------------------------------- folders and resources


def data_dir() -> Path:
    from treasurer_app.store import default_data_dir

    return default_data_dir()


# ---------------------------------------------------------------- persistence


@dataclass(frozen=True)
class Change:
    """What one edit touched, for the store's granular writes.

    ``area``: a scalar form id, ``"ledger_header"``, a table (``"roster"``,
    ``"training_report"``, ``"ledger"``), ``"attachments"``, ``"acknowledged"``
    or ``"year"`` (a whole year added or removed).
    ``kind``: ``"value"``, ``"cell"``, ``"insert"``, ``"delete"``, ``"year"``.
    """

    kind: str
    year: int
    area: str
    key: str | None = None
    row: int | None = None


@dataclass(frozen=True)
class BackupInfo:
    label: str  # shown in the menu
    handle: Any  # what the store wants back to restore it


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

    def __init__(self, location: Path, break_lock: bool = False, read_only: bool = False,
                 create: bool = True) -> None:
        """``create``: a new empty project where there is no file (the user's working project);
        else a missing file is ``StoreNotFound``."""
        from treasurer_app.store import Store

        self.location = location
        if location.exists() or not create or read_only:  # read-only never makes a file
            self._store = Store.open(location, break_lock=break_lock, read_only=read_only)
        else:
            self._store = Store.create(location)
        self._acknowledged: dict[int, set[str]] = {}

    def load(self) -> Project:
        project = self._store.load()
        self._acknowledged = {year: set(book.acknowledged) for year, book in project.years.items()}
        return project

    def record(self, project: Project, change: Change) -> None:
        store, book = self._store, project.years.get(change.year)
        if change.kind == "year":
            if book is None:
                store.delete_year(change.year)
            else:
                store.put_year(book)
                self._acknowledged[change.year] = set(book.acknowledged)
            return
        assert book is not None
        if change.area == "acknowledged":
            self._write_acknowledged(change.year, book.acknowledged)
        elif change.kind == "value" and change.area == "ledger_header" and change.key:
            store.set_ledger_value(change.year, change.key, book.ledger.header.get(change.key, ""))
        elif change.kind == "value" and change.area == "attachments" and change.key:
            store.set_attachment(change.year, change.key, book.attachments.get(change.key, ""))
        elif change.kind == "value" and change.key:
            store.set_value(change.year, change.area, change.key, book.forms[change.area].get(change.key, ""))
        elif change.kind == "cell" and change.row is not None:
            store.set_row(change.year, change.area, change.row, _rows(book, change.area)[change.row])
        elif change.kind == "insert" and change.row is not None:
            store.insert_row(change.year, change.area, change.row, _rows(book, change.area)[change.row])
        elif change.kind == "delete" and change.row is not None:
            store.delete_row(change.year, change.area, change.row)

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


def _rows(book: Any, area: str) -> list[dict[str, str]]:
    if area == "ledger":
        return book.ledger.entries
    return book.table(area)


def working_project_path(folder: Path | None = None) -> Path:
    """The user's working project: ``union.tap`` in ``folder`` (the data folder by default)."""
    from treasurer_app.store import PROJECT_SUFFIX

    return (folder or data_dir()) / f"{PROJECT_FILE_NAME}{PROJECT_SUFFIX}"


def open_persistence(folder: Path | None = None, break_lock: bool = False, read_only: bool = False) -> Persistence:
    """The user's working project in ``folder`` (the data folder by default), created when there is none."""
    return StorePersistence(working_project_path(folder), break_lock, read_only)


def write_private(path: Path, text: str) -> None:
    """A file only this user can read (a key backup): created with mode 0600 where that means something."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def load_sample() -> Project:
    from treasurer_app.interchange import load

    return load(SAMPLE_UNION)


# ---------------------------------------------------------------- export and store errors


def attachment_findings(project: Project, year: int) -> list[Finding]:
    """The two attachment PDFs the export needs: missing or unreadable ones, as the exporter reports them."""
    if year not in project.years:
        return []
    from treasurer_app.export.package import check_attachments

    return check_attachments(project.years[year].attachments)


def lock_state(error: BaseException) -> bool | None:
    """For the store's "someone holds this file" error: whether the lock is stale; None for any other error."""
    from treasurer_app.store import StoreLocked

    return error.stale if isinstance(error, StoreLocked) else None
