"""The printed structure of a sheet, declared by field keys in a small vocabulary.

Every form module declares its ``LAYOUT`` with these blocks, top to bottom:

* ``Title``    the union name and the sheet title (one cell on two lines, or two rows);
* ``Heading``  a section title across the sheet (「114年度歲入」);
* ``Gap``      an empty row;
* ``Lines``    a label/value table: an optional header row, then one row per ``Line``
               (label, the key's value, and optionally a third cell: a 說明 note key);
* ``Matrix``   rows × source columns: each cell a key or ``SLASH`` (prints「/」);
               ``stacked`` prints each row's cells as sub-rows under one label (受益情形);
* ``Rows``     repeating records (members, sessions, ledger entries) with column widths,
               a numbering column and spare unlocked rows;
* ``ScreenOnly`` inputs kept with the form but not printed (工會類型).

One interpreter (``treasurer_app.export.layouts``) turns a layout and a project into
the printable grid; the screen editor (``ui/form_plan.py``), the ledger register,
its row paste and the workbook importer read the same declaration. Labels are only
labels: nothing learns a position from label text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

SLASH = None  # a Matrix cell that may not hold a value: prints「/」
UNION = "{union}"  # placeholder in title lines: the union's name
YEAR_PLACEHOLDERS = ("{Y}", "{Y1}", "{Y2}")


@dataclass(frozen=True)
class Title:
    """The union name and the sheet title: one row each, or (``join`` not None) one cell joined by ``join``."""

    lines: tuple[str, ...] = (UNION, "{title}")
    join: str | None = "\n"


@dataclass(frozen=True)
class Heading:
    text: str  # may hold {Y} {Y1} {Y2}


@dataclass(frozen=True)
class Gap:
    pass


@dataclass(frozen=True)
class Line:
    """One label/value row. ``label`` None: the field's (or derived figure's) own label."""

    key: str
    label: str | None = None
    note: str | None = None  # key of the third cell (說明); printed empty when None
    note_default: str = ""  # printed in the note cell when nothing was typed (the guide's 依據上年度實際分配數預估)
    unit: str = ""  # printed in its own cell after the value (the ledger header's「元」)


@dataclass(frozen=True)
class Lines:
    lines: tuple[Line, ...]
    headers: tuple[str, ...] = ()  # header row: label, value[, note]
    label_span: int = 1  # columns the label spans
    value_span: int = 1  # columns the value cell spans
    note_span: int = 1  # columns the note cell spans (a line without a note prints an empty one)

    def field_keys(self) -> Iterator[str]:
        for line in self.lines:
            if line.key:
                yield line.key
            if line.note:
                yield line.note


@dataclass(frozen=True)
class MatrixRow:
    label: str
    cells: tuple[str | None, ...]  # one per Matrix column: a key, or SLASH; a single key: one figure for all (總計)


@dataclass(frozen=True)
class MatrixColumn:
    label: str
    printed_in: int | None = None  # screen-only column whose value prints inside column ``printed_in``


@dataclass(frozen=True)
class Matrix:
    corner: str  # header over the row labels (項目名稱, 工作項目)
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]
    band: str = ""  # a header spanning the columns, above their own headers (決算金額)
    unit_header: str = ""  # stacked: header of the unit column (單位)
    value_header: str = ""  # stacked: header of the value column (場次、時數、人次)
    stacked: bool = False  # print each row's cells as sub-rows: label | column label | value
    as_cards: bool = False  # on screen: one card per row (long texts)

    def field_keys(self) -> Iterator[str]:
        for row in self.rows:
            yield from (key for key in row.cells if key is not SLASH)


@dataclass(frozen=True)
class Column:
    """One column of a repeating table.

    ``computed``: a figure worked out from the record (年, 項目, running balances), never typed.
    ``lines``: several keys printed one per line in this one cell (課程名稱 of the six categories).
    ``group``: a header spanning consecutive columns of the same group, above their own (日期 › 第一天).
    """

    key: str
    label: str
    width: float
    computed: bool = False
    lines: tuple[str, ...] = ()
    group: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lines or ((self.key,) if not self.computed else ())


@dataclass(frozen=True)
class Rows:
    columns: tuple[Column, ...]
    number: str = ""  # header of a numbering column printed first (序號, 場次); "" for none
    number_width: float = 6
    spare: int = 0  # empty unlocked rows after the records, for lines added in Excel

    def field_keys(self) -> Iterator[str]:
        for column in self.columns:
            yield from column.keys

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class ScreenOnly:
    keys: tuple[str, ...]


Block = Title | Heading | Gap | Lines | Matrix | Rows | ScreenOnly


@dataclass(frozen=True)
class Layout:
    blocks: tuple[Block, ...]
    widths: tuple[float, ...] = ()  # column widths in Excel characters (Rows widths come from their columns)
    landscape: bool = False

    def printed_keys(self) -> list[str]:
        """Every key the sheet prints, in printed order (screen-only columns at the cell they print in)."""
        keys: list[str] = []
        for block in self.blocks:
            if isinstance(block, Lines | Rows | Matrix):
                keys += block.field_keys()
        return keys

    def screen_keys(self) -> list[str]:
        """Every key the editor shows, in order: the printed keys, then the screen-only ones."""
        keys = self.printed_keys()
        for block in self.blocks:
            if isinstance(block, ScreenOnly):
                keys += block.keys
        return keys

    def rows(self) -> Rows | None:
        return next((b for b in self.blocks if isinstance(b, Rows)), None)

    def table(self) -> Rows:
        """The ``Rows`` block of a table form's layout; a layout without one (a scalar form's) is a ValueError."""
        rows = self.rows()
        if rows is None:
            raise ValueError("this layout has no table (Rows) block")
        return rows
