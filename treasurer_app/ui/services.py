"""The window's wiring to the store, the sample union and the exporter's attachment check (no Qt here).

The domain modules are imported where they are first needed, not at import:
the window is painted before any of them is loaded.

The edit model itself lives in ``treasurer_app.editing`` (changes, persistence): import it from there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from treasurer_app.editing.persistence import Persistence, StorePersistence
from treasurer_app.resources import resources_dir

if TYPE_CHECKING:
    from treasurer_app.project import Project

RESOURCES = resources_dir()
SAMPLE_UNION = RESOURCES / "sample" / "sample_union.json"
PROJECT_FILE_NAME = "union"


# ---------------------------------------------------------------- folders and resources


def data_dir() -> Path:
    from treasurer_app.store import default_data_dir

    return default_data_dir()


# ---------------------------------------------------------------- persistence


def working_project_path(folder: Path | None = None) -> Path:
    """The user's working project: ``union.tap`` in ``folder`` (the data folder by default)."""
    from treasurer_app.store import PROJECT_SUFFIX

    return (folder or data_dir()) / f"{PROJECT_FILE_NAME}{PROJECT_SUFFIX}"


def open_persistence(folder: Path | None = None, break_lock: bool = False, read_only: bool = False) -> Persistence:
    """The user's working project in ``folder`` (the data folder by default), created when there is none; its
    integrity checked on a thread of its own while the window shows it (``treasurer_app.store.integrity``)."""
    return StorePersistence(working_project_path(folder), break_lock, read_only, check_in_background=True)


def write_private(path: Path, text: str) -> None:
    """A file only this user can read (a key backup): created with mode 0600 where that means something."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def load_sample() -> Project:
    from treasurer_app.interchange import load

    return load(SAMPLE_UNION)


# ---------------------------------------------------------------- export and store errors


def lock_state(error: BaseException) -> bool | None:
    """For the store's "someone holds this file" error: whether the lock is stale; None for any other error."""
    from treasurer_app.store import StoreLocked

    return error.stale if isinstance(error, StoreLocked) else None
