"""Row order: the rows of one table of one year are ordered by a sparse ``position`` column, so inserting,
moving or editing one row of a 50,000-entry ledger touches that row only (and, rarely, re-spreads a few
neighbours when two positions have no room left between them)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

POSITION_GAP = 1 << 16  # room left between neighbouring rows for later inserts


@dataclass
class RowOrder:
    """Row ids of one table of one year in display order, with their position values."""

    ids: list[int] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)

    @classmethod
    def read(cls, conn: sqlite3.Connection, year: int, table: str) -> RowOrder:
        order = cls()
        for row_id, position in conn.execute(
            "SELECT id, position FROM rows WHERE year = ? AND tbl = ? ORDER BY position", (year, table)
        ):
            order.ids.append(row_id)
            order.positions.append(position)
        return order

    def append(self, row_id: int, position: int) -> None:
        self.ids.append(row_id)
        self.positions.append(position)

    def index(self, index: int, *, inserting: bool = False) -> int:
        """``index`` after checking it names a row (or, ``inserting``, the place after the last)."""
        size = len(self.ids) + (1 if inserting else 0)
        if not 0 <= index < size:
            raise IndexError(f"row {index} out of range 0..{size - 1}")
        return index

    def room_at(self, conn: sqlite3.Connection, index: int) -> int:
        """A free position between the rows now at ``index - 1`` and ``index`` (re-spreading if none)."""
        positions = self.positions
        before = positions[index - 1] if index > 0 else 0
        if index == len(positions):
            return before + POSITION_GAP
        if positions[index] - before >= 2:
            return (before + positions[index]) // 2
        self._respread(conn, index)
        before = positions[index - 1] if index > 0 else 0
        return (before + positions[index]) // 2

    def _respread(self, conn: sqlite3.Connection, index: int) -> None:
        """Spread out the smallest window of rows around ``index`` that has room (amortised O(log² n))."""
        size = len(self.ids)
        reach = 1
        while True:
            low_index, high_index = max(0, index - reach), min(size, index + reach)
            low = self.positions[low_index - 1] if low_index > 0 else 0
            count = high_index - low_index
            if high_index == size:
                step = POSITION_GAP
                break
            step = (self.positions[high_index] - low) // (count + 1)
            if step >= 4:
                break
            reach *= 2
        window = self.ids[low_index:high_index]
        # Negative ids are unique and below every real position: the unique index never trips.
        conn.executemany("UPDATE rows SET position = -id WHERE id = ?", [(row_id,) for row_id in window])
        spread = [low + step * (offset + 1) for offset in range(count)]
        conn.executemany("UPDATE rows SET position = ? WHERE id = ?", list(zip(spread, window, strict=True)))
        self.positions[low_index:high_index] = spread
