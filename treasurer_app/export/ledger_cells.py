"""The cash ledger sheet's input cells, which make their key from their place (a quarter has 225,000)."""

from __future__ import annotations

from treasurer_app.export.grid import Cell, Style

CellValue = str | int | float | None

_KEY_SLOT = Cell.__dict__["key"]  # Cell's own slot for a key, which an entry's input cell reads first


class EntryPlaces:
    """Where one sheet's entries are: the row of entry 0 and each column's key (shared by all its input cells)."""

    __slots__ = ("column_keys", "first_row")

    def __init__(self, first_row: int, column_keys: tuple[str, ...]) -> None:
        self.first_row, self.column_keys = first_row, column_keys


class EntryInput(Cell):
    """An input cell of a ledger entry. Its key, ``"{index}:{column key}"``, is made from its place when read
    instead of kept: a quarter of 25,000 entries has 225,000 of them (13 MiB), which only the tests read.
    The cell holds a reference to its sheet's ``EntryPlaces`` (8 bytes) instead; one class for every sheet, so
    the cells of two layouts of the same ledger compare equal and a cell pickles like any other."""

    __slots__ = ("_places",)
    formula_shape = None  # a typed value, no formula (what the .xls writer asks of a cell that is not a plain Cell)

    def __init__(
        self,
        row: int,
        col: int,
        value: CellValue,
        style: Style,
        places: EntryPlaces | None = None,
        rowspan: int = 1,
        colspan: int = 1,
        locked: bool = False,
        key: str | None = None,
        formula: str | None = None,
    ) -> None:
        # Made with its place (five arguments: each one passed costs, 225,000 times), or by dataclasses.replace
        # with Cell's fields, the key included (a copy keeps its key). One field a line: faster than in tuples.
        self.row = row
        self.col = col
        self.value = value
        self.style = style
        self.rowspan = rowspan
        self.colspan = colspan
        self.locked = locked
        self.formula = formula
        self._places = places
        if key is not None or places is None:
            _KEY_SLOT.__set__(self, key)

    @property
    def key(self) -> str | None:
        try:
            stored: str | None = _KEY_SLOT.__get__(self)
        except AttributeError:  # never set: its place says it
            places = self._places
            assert places is not None  # the key slot is set whenever no places are given
            return f"{self.row - places.first_row}:{places.column_keys[self.col]}"
        return stored  # set afterwards: it wins, as on any cell

    @key.setter
    def key(self, text: str | None) -> None:
        _KEY_SLOT.__set__(self, text)
