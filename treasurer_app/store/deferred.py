"""A year's rows read lazily (``Store.load(lazy=True)``, ``YearBook.defer_rows``): read from the file the first time
any copy of the year asks for them, and what the home page asks of them (how many entries, whether a table has a
filled row) answered by the file without reading them."""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import TYPE_CHECKING

from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import YearRows
from treasurer_app.store.errors import StoreDamaged, translate_open_error

if TYPE_CHECKING:
    from treasurer_app.store.records import Records


class DeferredRows:
    """The rows of one year, read from the file the first time any copy of the year asks for them (on any
    thread: the window's, or the checker's on a snapshot) and then given to every copy that asks."""

    def __init__(self, records: Records, year: int, ledger: LedgerBook | None) -> None:
        self._records, self._year, self._ledger = records, year, ledger
        self._lock = threading.Lock()
        self._rows: YearRows | None = None

    def __call__(self) -> YearRows:
        with self._lock:
            if self._rows is None:
                self._rows = self._records._year_rows(self._year, self._ledger)
            return self._rows

    def has_filled_row(self, table: str) -> bool | None:
        """Whether a row of ``table`` in the file has a non-blank value, answered before the rows are read: True
        (an unsealed value), False (no row at all), None (only sealed or blank values: the rows must tell)."""
        with self._lock:
            if self._rows is not None:
                return None
        return self._has_filled_row(table)

    def count_ledger_entries(self) -> int:
        """The year's cash ledger entries counted in the file (0 without a ledger), its rows left unread."""
        with self._lock:
            if self._rows is not None:
                return 0 if self._rows.ledger is None else len(self._rows.ledger.entries)
        return 0 if self._ledger is None else self._count_rows("ledger")

    def _has_filled_row(self, table: str) -> bool | None:
        """``has_filled_row`` asked of the file: True, False, or None when only the rows' sealed values could tell."""
        conn, own = self._records._reader()
        rows = 0
        try:
            for (plain,) in conn.execute("SELECT plain FROM rows WHERE year = ? AND tbl = ?", (self._year, table)):
                rows += 1
                values = json.loads(plain)
                if isinstance(values, dict) and any(str(value).strip() for value in values.values() if value):
                    return True
        except sqlite3.DatabaseError as exc:
            raise translate_open_error(self._records.path, exc) from None
        except json.JSONDecodeError as exc:
            raise StoreDamaged(self._records.path, "資料內容不符", str(exc)) from None
        finally:
            if not own:
                conn.close()
        return False if rows == 0 else None

    def _count_rows(self, table: str) -> int:
        """How many rows of ``table`` the file holds for the year, none of them read."""
        conn, own = self._records._reader()
        try:
            row = conn.execute("SELECT COUNT(*) FROM rows WHERE year = ? AND tbl = ?", (self._year, table)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise translate_open_error(self._records.path, exc) from None
        finally:
            if not own:
                conn.close()
        return int(row[0])
