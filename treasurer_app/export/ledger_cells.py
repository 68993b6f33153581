"""The cash ledger sheet's input cells, which make their key from their place (a quarter has 225,000)."""

from __future__ import annotations

from treasurer_app.export.grid import Cell, Style

CellValue = str | int | float | None

_KEY_SLOT = Cell.__dict__["key"]  # Cell's own slot for a key, which an entry's input cell reads first


class EntryInput(Cell):
    """An input cell of a ledger entry. Its key, ``"{index}:{column key}"``, is made from its place when read
    instead of kept: a quarter of 25,000 entries has 225,000 of them (13 MiB), which only the tests read.
    Each sheet has its own class (``entry_inputs``), knowing the row of its first entry."""

    __slots__ = ()
    formula_shape = None  # a typed value, no formula (what the .xls writer asks of a cell that is not a plain Cell)
    first_row = 0  # the row of entry 0
    column_keys: tuple[str, ...] = ()  # the key of each column of the table, by column

    def __init__(
        self,
        row: int,
        col: int,
        value: CellValue,
        style: Style,
        rowspan: int = 1,
        colspan: int = 1,
        locked: bool = False,
        key: str | None = None,
        formula: str | None = None,
    ) -> None:  # Cell's fields (dataclasses.replace gives them all), the key kept only when one is given
        self.row, self.col, self.value, self.style = row, col, value, style
        self.rowspan, self.colspan, self.locked, self.formula = rowspan, colspan, locked, formula
        if key is not None:
            _KEY_SLOT.__set__(self, key)

    @property
    def key(self) -> str | None:
        try:
            stored: str | None = _KEY_SLOT.__get__(self)
        except AttributeError:  # never set: its place says it
            return f"{self.row - self.first_row}:{self.column_keys[self.col]}"
        return stored  # set afterwards: it wins, as on any cell

    @key.setter
    def key(self, text: str | None) -> None:
        _KEY_SLOT.__set__(self, text)


def entry_inputs(first_row: int, column_keys: tuple[str, ...]) -> type[EntryInput]:
    """The class of one sheet's entry input cells: entry 0 on ``first_row``, the columns' keys."""
    return type("EntryInput", (EntryInput,), {"__slots__": (), "first_row": first_row, "column_keys": column_keys})
