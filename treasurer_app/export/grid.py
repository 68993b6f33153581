"""Printable grids: one per sheet, the single layout the .xls, .xlsx and PDF writers all read.

A grid is a list of cells on a row/column lattice with merges, styles and
column widths. Builders (``treasurer_app.export.layouts``) make grids from the
form declarations and a project; writers never know which form they print.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from operator import add, attrgetter
from typing import NamedTuple


class Style(StrEnum):
    TITLE = "title"  # centred, large, bold: union name and sheet title
    SUBTITLE = "subtitle"  # centred, bold: section headings ("114年度歲入")
    HEADER = "header"  # table header: centred, bold, shaded, bordered
    LABEL = "label"  # row label: left, bordered
    TEXT = "text"  # user text: left, wrapped, bordered
    CENTER = "center"  # short text centred, bordered (dates, counts of rows)
    MONEY = "money"  # integer, #,##0, right-aligned, bordered
    NUMBER = "number"  # plain integer or decimal, right-aligned, bordered
    SLASH = "slash"  # a cell that may not hold a value: prints "/" centred, bordered
    NOTE = "note"  # small text without border (footnotes, "單位：新臺幣元")
    SIGNATURE = "signature"  # signature/seal box: label at top, empty room below


class InputFill(StrEnum):
    """How a workbook marks the cells a person fills in (the unlocked cells)."""

    NONE = "none"  # no fill: input cells look like the others (the behaviour before issue 13)
    RED = "red"  # the application workbook: 僅填寫表單紅色區域部分
    WHITE = "white"  # the cash ledger: 僅填寫表單白色區域部分 (locked cells are then shaded grey)


@dataclass(frozen=True)
class ListSource:
    """Where a drop-down too long for an explicit list reads its options: one column of cells (0-based,
    inclusive) on another sheet of the same workbook, named by its grid's ``sheet_name``."""

    sheet_name: str
    col: int
    first_row: int
    last_row: int


@dataclass(frozen=True)
class Validation:
    """A drop-down list on a block of cells (rows and columns 0-based, inclusive): the ``options`` themselves,
    or, when they exceed what an explicit list holds, the cells in ``source`` that hold them."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    options: tuple[str, ...]
    prompt: str = ""  # input message shown when the cell is selected (Traditional Chinese)
    error: str = "請從清單中選擇。"  # shown when a typed value is not one of the options
    source: ListSource | None = None  # the options' cells; writers then list these instead of ``options``


@dataclass(slots=True)  # one per printed cell: a quarter's ledger sheet has hundreds of thousands
class Cell:
    row: int
    col: int
    value: str | int | float | None
    style: Style = Style.TEXT
    rowspan: int = 1
    colspan: int = 1
    locked: bool = True  # False for input cells (the official template's fill-in area)
    key: str | None = None  # the form field this cell shows (for import and tests)
    # An A1-style formula without the leading "=" (e.g. "SUM(C5:C9)"), referring to this grid's own cells;
    # ``value`` is then its cached result, which every writer stores so a reader of values sees the figure.
    formula: str | None = None

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


_ROW = attrgetter("row")
_COL = attrgetter("col")
_ROWSPAN = attrgetter("rowspan")
_COLSPAN = attrgetter("colspan")


class _NotedSize(NamedTuple):
    """A grid's size as its layout noted it (Grid.measured_as), with the cells it was noted of."""

    cells: list[Cell]
    length: int  # len(cells) then
    widths: int  # len(col_widths) then
    n_rows: int
    n_cols: int


@dataclass
class Grid:
    """One sheet's layout. Rows and columns are 0-based."""

    sheet_name: str  # worksheet name (≤ 31 characters)
    title: str  # for PDF page headers: "{工會名稱} {sheet title}"
    col_widths: list[float]  # in characters (Excel's unit)
    cells: list[Cell] = field(default_factory=list)
    row_heights: dict[int, float] = field(default_factory=dict)  # points; missing rows use the default
    landscape: bool = False
    header_rows: tuple[int, int] | None = None  # (first, last) rows repeated on each printed page (PDF and workbooks)
    fit_width: bool = True  # workbooks: print one page wide, as many pages tall as needed
    # Workbooks: the printed area as (first_row, first_col, last_row, last_col); None = every cell of the grid.
    print_area: tuple[int, int, int, int] | None = None
    input_fill: InputFill = InputFill.NONE  # workbooks: how unlocked (input) cells are filled
    validations: list[Validation] = field(default_factory=list)  # workbooks: drop-down lists
    footer: list[str] = field(default_factory=list)  # lines printed after the table (PDF only)
    signatures: tuple[str, ...] = ()  # signature blocks printed at the end (PDF only)
    # n_rows and n_cols as noted by the code that laid the grid out (measured_as), with what they were noted of;
    # a copy made by dataclasses.replace carries them, and uses them while it has the same cells.
    _measured: _NotedSize | None = field(default=None, repr=False, compare=False)
    # The spare rows as noted by the code that laid them out (see note_spare_rows), with what they were noted of.
    _spare: tuple[list[Cell], int, slice, frozenset[int], tuple[int, int]] | None = field(
        default=None, repr=False, compare=False
    )

    def add(
        self,
        row: int,
        col: int,
        value: str | int | float | None,
        style: Style = Style.TEXT,
        *,
        rowspan: int = 1,
        colspan: int = 1,
        locked: bool = True,
        key: str | None = None,
        formula: str | None = None,
    ) -> Cell:
        cell = Cell(row, col, value, style, rowspan, colspan, locked, key, formula)
        self.cells.append(cell)
        return cell

    @property
    def n_rows(self) -> int:
        return self._extent()[0]

    @property
    def n_cols(self) -> int:
        return self._extent()[1]

    def _extent(self) -> tuple[int, int]:
        """(n_rows, n_cols): as noted by ``measured_as`` while the grid has the same list of cells, as many of
        them and as many column widths (a cell added, or the list replaced, is measured again); else measured
        (a ledger's grid has 400,000 cells, which the size refusal, the paper copy and the PDF would read)."""
        cells, widths = self.cells, len(self.col_widths)
        noted = self._measured
        if noted is not None and noted.cells is cells and noted.length == len(cells) and noted.widths == widths:
            return noted.n_rows, noted.n_cols
        rows, cols = extent(cells)
        return rows, max(widths, cols)

    def measured_as(self, n_rows: int, n_cols: int) -> None:
        """Notes the grid's n_rows and n_cols as its cells now are, worked out by the code that made them
        (``layouts.ledger_grids``, ``layouts.paper_copy``), which knows them without reading every cell. Only
        for a laid-out grid: its cells are read from then on, never moved or replaced one by one (which the note
        cannot see)."""
        self._measured = _NotedSize(self.cells, len(self.cells), len(self.col_widths), n_rows, n_cols)

    def note_spare_rows(self, cells: slice, rows: frozenset[int], paper_size: tuple[int, int]) -> None:
        """Notes what the code that laid the grid out knows of its spare rows (``layouts.paper_copy``): they are
        ``rows``, their cells are ``cells`` of the list and no others, and the grid without them has
        ``paper_size`` (n_rows, n_cols). Kept, as n_rows is, while the grid has the same cells."""
        self._spare = (self.cells, len(self.cells), cells, rows, paper_size)

    def noted_spare_rows(self) -> tuple[slice, frozenset[int], tuple[int, int]] | None:
        """What note_spare_rows noted, while the grid has the cells it was noted of."""
        known = self._spare
        if known is None or known[0] is not self.cells or known[1] != len(self.cells):
            return None
        return known[2], known[3], known[4]

    def at(self, row: int, col: int) -> Cell | None:
        for cell in self.cells:
            if cell.row <= row <= cell.last_row and cell.col <= col <= cell.last_col:
                return cell
        return None

    def by_key(self) -> dict[str, Cell]:
        return {c.key: c for c in self.cells if c.key}


def extent(cells: list[Cell]) -> tuple[int, int]:
    """How many rows and columns ``cells`` reach (their spans' ends), worked out in C."""
    rows = max(map(add, map(_ROW, cells), map(_ROWSPAN, cells)), default=0)
    return rows, max(map(add, map(_COL, cells), map(_COLSPAN, cells)), default=0)


# ---------------------------------------------------------------- helpers shared by the writers

EXCEL_SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))
# Characters neither BIFF8 readers nor the xlsx XML accept: controls (tab and line feed stay) and the
# non-characters U+FFFE and U+FFFF, which XML 1.0 forbids (Excel calls such a file damaged).
_CONTROL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF])


def excel_sheet_name(name: str, used: set[str]) -> str:
    """A worksheet name Excel accepts: ≤ 31 characters, none of []:*?/\\, not quoted, unique (case-insensitive)."""
    base = (name.translate(_SHEET_NAME_FORBIDDEN).strip("'").strip() or "Sheet")[:EXCEL_SHEET_NAME_MAX]
    candidate, n = base, 1
    while candidate.casefold() in used:
        n += 1
        suffix = f"({n})"
        candidate = base[: EXCEL_SHEET_NAME_MAX - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


def excel_text(text: str) -> str:
    """Text as a workbook cell can hold it: control characters other than tab and line feed removed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)


class _CharWidths(dict[str, int]):
    """Each character's width in Excel character units, worked out the first time it is asked for."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def display_width(text: str) -> int:
    """Width in Excel character units: CJK and other wide characters count 2."""
    if text.isascii():  # no ASCII character is wide
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))  # a ledger's memos are thousands of texts of a few characters


def print_area(grid: Grid) -> tuple[int, int, int, int]:
    """The printed rectangle (first_row, first_col, last_row, last_col): the grid's own or all its cells."""
    if grid.print_area is not None:
        return grid.print_area
    return (0, 0, max(grid.n_rows - 1, 0), max(grid.n_cols - 1, 0))


EXPLICIT_LIST_MAX = 255  # characters Excel allows in a drop-down list typed into the validation itself
VALIDATION_MESSAGE_MAX = 255  # characters Excel shows of a drop-down's input or error message


def validation_message(text: str) -> str:
    """A drop-down's prompt or error as Excel can hold it (longer ones would make the validation refused)."""
    text = excel_text(text)
    return text if len(text) <= VALIDATION_MESSAGE_MAX else text[: VALIDATION_MESSAGE_MAX - 1] + "…"


def explicit_list(options: tuple[str, ...]) -> str | None:
    """The options as one comma-separated list for a drop-down, or None when Excel cannot hold them so
    (longer than 255 characters, or an option containing a comma or a double quote)."""
    if not options or any("," in o or '"' in o for o in options):
        return None
    text = ",".join(options)
    return text if len(text) <= EXPLICIT_LIST_MAX else None


def _column_letters(col: int) -> str:
    letters = ""
    n = col + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_LETTERS = tuple(_column_letters(col) for col in range(702))  # A … ZZ: every column a formula of ours names


def a1(row: int, col: int) -> str:
    """The A1 name of a 0-based cell: (0, 0) → 'A1', (4, 27) → 'AB5' (for Cell.formula)."""
    letters = _LETTERS[col] if 0 <= col < len(_LETTERS) else _column_letters(col)
    return f"{letters}{row + 1}"


def a1_range(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    """'B5:B9' for the 0-based rectangle (4, 1, 8, 1)."""
    return f"{a1(first_row, first_col)}:{a1(last_row, last_col)}"


def source_range(source: ListSource, sheet_name: str) -> str:
    """A drop-down's source cells as an absolute reference on ``sheet_name`` (the name the writer gave the
    source's sheet): "'參數表'!$D$4:$D$44"."""
    column = a1(0, source.col)[:-1]
    return on_sheet(sheet_name, f"${column}${source.first_row + 1}:${column}${source.last_row + 1}")


def on_sheet(sheet_name: str, reference: str) -> str:
    """A reference on another sheet of the workbook: "'福利專款工作計畫書'!C5" (the name as written, quoted)."""
    return "'{}'!{}".format(sheet_name.replace("'", "''"), reference)
