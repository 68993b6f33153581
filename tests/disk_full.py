"""A full disk for the store, on demand: its SQLite connection answers every commit as SQLite does when the
disk is full (SQLITE_FULL, "database or disk is full"), until space is "freed".

The commit fails after the statements ran, as on a real full disk (the WAL append is what needs the space),
so the store's own rollback and error translation are what the tests exercise.
"""

from __future__ import annotations

import sqlite3
from typing import Any


class _FullConnection:
    def __init__(self, conn: sqlite3.Connection, disk: FullDisk) -> None:
        self._conn, self._disk = conn, disk

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self._disk.full and sql.strip().upper().startswith(("COMMIT", "END")):
            self._disk.refused += 1
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class FullDisk:
    """``FullDisk(store)``: ``full = True`` fills the disk, ``full = False`` frees it; ``refused`` counts commits
    refused."""

    def __init__(self, store: Any) -> None:
        self.full = False
        self.refused = 0
        store._conn = _FullConnection(store._conn, self)
