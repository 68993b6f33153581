"""The one place the window reaches into modules other engineers own.

Store, ledger engine, exporter, importer and font are looked up here, so that
their wiring (and what happens while one is not there yet) is in one file.
Nothing here imports Qt.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from treasurer_app import APP_ID
from treasurer_app.project import Project
from treasurer_app.resources import resources_dir

RESOURCES = resources_dir()
SAMPLE_UNION = RESOURCES / "sample" / "sample_union.json"
DATA_DIR_ENV = "TREASURER_APP_DATA_DIR"  # used when the store does not name its own
PROJECT_FILE_NAME = "union"


def optional_module(name: str) -> ModuleType | None:
    """A colleague's module, or None while it does not exist (or fails to import)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


# ---------------------------------------------------------------- folders and resources


def data_dir() -> Path:
    store = optional_module("treasurer_app.store")
    finder = getattr(store, "data_dir", None) or getattr(store, "default_data_dir", None)
    if callable(finder):
        return Path(finder())
    override = os.environ.get(getattr(store, "DATA_DIR_ENV", DATA_DIR_ENV))
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def font_file() -> Path | None:
    """The bundled font (what ``treasurer_app.fonts.font_path()`` names). Found without importing
    that module: it loads reportlab, which the window does not need at start."""
    bundled = sorted((RESOURCES / "fonts").glob("*.tt[fc]"), key=lambda p: ("Regular" not in p.name, p.name))
    return bundled[0] if bundled else None


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


class JsonPersistence:
    """The project kept as one interchange file, rewritten whole on flush (atomic replace)."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self._dirty = False

    def load(self) -> Project:
        from treasurer_app.interchange import load

        return load(self.location) if self.location.exists() else Project()

    def record(self, project: Project, change: Change) -> None:
        self._dirty = True

    def flush(self, project: Project) -> None:
        if not self._dirty and self.location.exists():
            return
        from treasurer_app.interchange import save

        self.location.parent.mkdir(parents=True, exist_ok=True)
        save(project, self.location)
        self._dirty = False

    def close(self) -> None:
        return None

    def backups(self) -> list[BackupInfo]:
        return []

    def restore(self, backup: BackupInfo) -> Project:
        raise ValueError("此專案檔不提供備份")


class StorePersistence:
    """The project in the SQLite store (treasurer_app.store): each edit written as it happens."""

    def __init__(self, location: Path, store_module: ModuleType) -> None:
        self.location = location
        self._module = store_module
        self._store = store_module.open_store(location)

    def load(self) -> Project:
        return self._store.load()

    def record(self, project: Project, change: Change) -> None:
        _write_change(self._store, project, change)

    def flush(self, project: Project) -> None:
        commit = getattr(self._store, "commit", None) or getattr(self._store, "flush", None)
        if callable(commit):
            commit()

    def close(self) -> None:
        self._store.close()

    def backups(self) -> list[BackupInfo]:
        lister = getattr(self._store, "backups", None) or getattr(self._store, "list_backups", None)
        if not callable(lister):
            return []
        return [BackupInfo(_backup_label(b), b) for b in lister()]

    def restore(self, backup: BackupInfo) -> Project:
        restorer = getattr(self._store, "restore", None) or getattr(self._store, "restore_backup", None)
        if not callable(restorer):
            raise ValueError("此專案資料庫不提供還原")
        restorer(backup.handle)
        return self._store.load()


def _backup_label(backup: object) -> str:
    for attribute in ("label", "name", "created", "path"):
        value = getattr(backup, attribute, None)
        if value:
            return str(value.name if isinstance(value, Path) else value)
    return str(backup)


def _write_change(store: Any, project: Project, change: Change) -> None:
    book = project.years.get(change.year)
    if change.kind == "year":
        if book is None:
            store.delete_year(change.year)
        else:
            store.save_year(book) if hasattr(store, "save_year") else store.save(project)
        return
    assert book is not None
    if change.kind == "value":
        text = _scalar(book, change.area).get(change.key or "", "")
        store.set_value(change.year, change.area, change.key, text)
    elif change.kind == "cell":
        store.set_row(change.year, change.area, change.row, _rows(book, change.area)[change.row or 0])
    elif change.kind == "insert":
        store.insert_row(change.year, change.area, change.row, _rows(book, change.area)[change.row or 0])
    elif change.kind == "delete":
        store.delete_row(change.year, change.area, change.row)


def _scalar(book: Any, area: str) -> dict[str, str]:
    if area == "ledger_header":
        return book.ledger.header if book.ledger else {}
    if area == "attachments":
        return book.attachments
    return book.forms[area]


def _rows(book: Any, area: str) -> list[dict[str, str]]:
    if area == "ledger":
        return book.ledger.entries
    return book.table(area)


def open_persistence(folder: Path | None = None) -> Persistence:
    """The user's working project in ``folder`` (the data folder by default)."""
    folder = folder or data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    store = optional_module("treasurer_app.store")
    if store is not None and callable(getattr(store, "open_store", None)):
        return StorePersistence(folder / f"{PROJECT_FILE_NAME}.sqlite", store)
    return JsonPersistence(folder / f"{PROJECT_FILE_NAME}.json")


def load_sample() -> Project:
    from treasurer_app.interchange import load

    return load(SAMPLE_UNION)


# ---------------------------------------------------------------- ledger, export, import


def ledger_engine() -> ModuleType | None:
    return optional_module("treasurer_app.forms.ledger")


def exporter() -> ModuleType | None:
    return optional_module("treasurer_app.export.package")


def workbook_importer() -> Callable[..., Any] | None:
    importer = optional_module("treasurer_app.export.importer")
    found = getattr(importer, "import_workbook", None)
    return found if callable(found) else None
