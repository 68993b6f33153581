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

from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final

SLASH = None  # a Matrix cell that may not hold a value: prints「/」
UNION = "{union}"  # placeholder in title lines: the union's name
YEAR_PLACEHOLDERS = ("{Y}", "{Y1}", "{Y2}")


class Title(Value):
    """The union name and the sheet title: one row each, or (``join`` not None) one cell joined by ``join``."""

    __slots__ = ("join", "lines")

    def __init__(self, lines: tuple[str, ...] = (UNION, "{title}"), join: str | None = "\n") -> None:
        self.lines: Final = lines
        self.join: Final = join


class Heading(Value):
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text: Final = text  # may hold {Y} {Y1} {Y2}


class Gap(Value):
    __slots__ = ()


class Line(Value):
    """One label/value row. ``label`` None: the field's (or derived figure's) own label."""

    __slots__ = ("key", "label", "note", "note_default", "unit")

    def __init__(
        self, key: str, label: str | None = None, note: str | None = None, note_default: str = "", unit: str = ""
    ) -> None:
        self.key: Final = key
        self.label: Final = label
        self.note: Final = note  # key of the third cell (說明); printed empty when None
        # printed in the note cell when nothing was typed (the guide's 依據上年度實際分配數預估)
        self.note_default: Final = note_default
        self.unit: Final = unit  # printed in its own cell after the value (the ledger header's「元」)


class Lines(Value):
    __slots__ = ("headers", "label_span", "lines", "note_span", "value_span")

    def __init__(
        self,
        lines: tuple[Line, ...],
        headers: tuple[str, ...] = (),
        label_span: int = 1,
        value_span: int = 1,
        note_span: int = 1,
    ) -> None:
        self.lines: Final = lines
        self.headers: Final = headers  # header row: label, value[, note]
        self.label_span: Final = label_span  # columns the label spans
        self.value_span: Final = value_span  # columns the value cell spans
        self.note_span: Final = note_span  # columns the note cell spans (a line without a note prints an empty one)

    def field_keys(self) -> Iterator[str]:
        for line in self.lines:
            if line.key:
                yield line.key
            if line.note:
                yield line.note


class MatrixRow(Value):
    __slots__ = ("cells", "label")

    def __init__(self, label: str, cells: tuple[str | None, ...]) -> None:
        self.label: Final = label
        # one per Matrix column: a key, or SLASH; a single key: one figure for all (總計)
        self.cells: Final = cells


class MatrixColumn(Value):
    __slots__ = ("label", "printed_in")

    def __init__(self, label: str, printed_in: int | None = None) -> None:
        self.label: Final = label
        self.printed_in: Final = printed_in  # screen-only column whose value prints inside column ``printed_in``


class Matrix(Value):
    __slots__ = ("as_cards", "band", "columns", "corner", "rows", "stacked", "unit_header", "value_header")

    def __init__(
        self,
        corner: str,
        columns: tuple[MatrixColumn, ...],
        rows: tuple[MatrixRow, ...],
        band: str = "",
        unit_header: str = "",
        value_header: str = "",
        stacked: bool = False,
        as_cards: bool = False,
    ) -> None:
        self.corner: Final = corner  # header over the row labels (項目名稱, 工作項目)
        self.columns: Final = columns
        self.rows: Final = rows
        self.band: Final = band  # a header spanning the columns, above their own headers (決算金額)
        self.unit_header: Final = unit_header  # stacked: header of the unit column (單位)
        self.value_header: Final = value_header  # stacked: header of the value column (場次、時數、人次)
        self.stacked: Final = stacked  # print each row's cells as sub-rows: label | column label | value
        self.as_cards: Final = as_cards  # on screen: one card per row (long texts)

    def field_keys(self) -> Iterator[str]:
        for row in self.rows:
            yield from (key for key in row.cells if key is not SLASH)


class Column(Value):
    """One column of a repeating table.

    ``computed``: a figure worked out from the record (年, 項目, running balances), never typed.
    ``lines``: several keys printed one per line in this one cell (課程名稱 of the six categories).
    ``group``: a header spanning consecutive columns of the same group, above their own (日期 › 第一天).
    """

    __slots__ = ("computed", "group", "key", "label", "lines", "width")

    def __init__(
        self, key: str, label: str, width: float, computed: bool = False, lines: tuple[str, ...] = (), group: str = ""
    ) -> None:
        self.key: Final = key
        self.label: Final = label
        self.width: Final = width
        self.computed: Final = computed
        self.lines: Final = lines
        self.group: Final = group

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lines or ((self.key,) if not self.computed else ())


class Rows(Value):
    __slots__ = ("columns", "number", "number_width", "spare")

    def __init__(self, columns: tuple[Column, ...], number: str = "", number_width: float = 6, spare: int = 0) -> None:
        self.columns: Final = columns
        self.number: Final = number  # header of a numbering column printed first (序號, 場次); "" for none
        self.number_width: Final = number_width
        self.spare: Final = spare  # empty unlocked rows after the records, for lines added in Excel

    def field_keys(self) -> Iterator[str]:
        for column in self.columns:
            yield from column.keys

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


class ScreenOnly(Value):
    __slots__ = ("keys",)

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys: Final = keys


Block = Title | Heading | Gap | Lines | Matrix | Rows | ScreenOnly


class Layout(Value):
    __slots__ = ("blocks", "landscape", "widths")

    def __init__(self, blocks: tuple[Block, ...], widths: tuple[float, ...] = (), landscape: bool = False) -> None:
        self.blocks: Final = blocks
        self.widths: Final = widths  # column widths in Excel characters (Rows widths come from their columns)
        self.landscape: Final = landscape

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
