"""BIFF8 .xls writer (xlwt): every grid becomes one protected worksheet, input cells unlocked.

Like the official template, sheets are protected without a password (an empty
one): the user can lift the protection in Excel with no password at all.

xlwt leaves out three things the official workbook has; this module adds them as
plain BIFF8 records, each checked by reading the file back with xlrd and after a
LibreOffice round trip (tests/unit/test_workbook_writers.py):

* A formula's cached result. xlwt writes every FORMULA record with the result
  "empty string", so a program reading values (xlrd, the upload system) sees ``''``
  where the total should be. ``_formula_record`` writes the same record with the
  grid's figure as the result (an IEEE double, or a STRING record for text).
* Print area and repeated rows (print titles): the built-in names ``Print_Area``
  and ``Print_Titles``, as NAME records scoped to their sheet, referring to it
  through the EXTERNSHEET table xlwt already writes for formulas.
* Drop-down lists: a DVAL record and one DV record per list (explicit lists up to
  255 characters, the limit Excel sets). A longer list reads its options from cells
  of another sheet (the ledger's 摘要(一) from the parameter table): BIFF8 data
  validation may not refer to another sheet directly, so the DV formula is a
  workbook-wide defined name (a NAME record, ``DropDownList1`` …) and the name
  refers to the cells, as Excel itself writes such a list.

A formula is parsed once per shape, the same formula further down being its tokens moved
(``xls_formulas``).

Cells are not kept as xlwt's cell objects: each is encoded at once as the few values its record
needs, and each row's records as xlwt encodes them once the row is complete (``xls_rows``). Rows
laid out alike (a ledger's entries) are encoded a column at a time (``xls_block``).
"""

from __future__ import annotations

import operator
import struct
from collections.abc import Iterable, Sequence
from itertools import islice
from operator import attrgetter
from pathlib import Path

import xlwt
from xlwt.BIFFRecords import FormulaRecord
from xlwt.UnicodeUtils import upack2

from treasurer_app.export import xls_block, xls_rows
from treasurer_app.export.atomic import write_atomically
from treasurer_app.export.excel_look import FONT_NAME, LOOKS, cell_fill
from treasurer_app.export.grid import (
    Cell,
    Grid,
    InputFill,
    ListSource,
    Style,
    Validation,
    excel_sheet_name,
    excel_text,
    explicit_list,
    validation_message,
)
from treasurer_app.export.xls_formulas import Formulas

A4 = 9  # BIFF paper size code
MAX_COLUMN_WIDTH = 255  # characters; BIFF8 stores width in 1/256 of a character, 16 bits
MAX_COLUMN = 255  # the last column of a BIFF8 sheet
_HORIZONTAL = {
    "left": xlwt.Alignment.HORZ_LEFT,
    "center": xlwt.Alignment.HORZ_CENTER,
    "right": xlwt.Alignment.HORZ_RIGHT,
}
# Palette slots redefined for the fills (default palette slots 40-47 are pale colours nothing else here uses);
# 22 is the default palette's 25 % grey, kept for the header shading.
_PALETTE_SLOTS = range(40, 48)
_DEFAULT_GREY = ((0xC0, 0xC0, 0xC0), 22)

# BIFF8 record ids and built-in name codes (MS-XLS 2.4, 2.5.4)
_FORMULA, _STRING, _NAME, _DVAL, _DV = 0x0006, 0x0207, 0x0018, 0x01B2, 0x01BE
_PRINT_AREA, _PRINT_TITLES = 0x06, 0x07
_T_AREA_3D = 0x3B  # ptg: a 3-D area reference (sheet + rectangle)
_T_NAME = 0x23  # ptg: a defined name (reference class), by its 1-based index among the NAME records
_T_STR = 0x17  # ptg: a string constant


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HH", record_id, len(data)) + data


_FORMULA_HEAD = xls_rows.FORMULA_HEAD
_TEXT_RESULT = b"\x00" + b"\x00" * 5 + b"\xff\xff"  # result type 0 (text) in the first byte, 0xFFFF in the last two


def _formula_record(row: int, col: int, xf: int, tokens: bytes, result: str | int | float | None) -> bytes:
    """A FORMULA record carrying its result (a reader of values then sees the figure without recalculating),
    or xlwt's own record (the result "empty string") without one."""
    if result is None:
        record: bytes = FormulaRecord(row, col, xf, struct.pack("<H", len(tokens)) + tokens).get()
        return record
    if isinstance(result, str):  # the text follows in a STRING record
        head = struct.pack("<3H", row, col, xf) + _TEXT_RESULT + struct.pack("<HLH", 0, 0, len(tokens))
        return _record(_FORMULA, head + tokens) + _record(_STRING, upack2(excel_text(result)))
    return _FORMULA_HEAD(_FORMULA, 22 + len(tokens), row, col, xf, float(result), 0, 0, len(tokens)) + tokens


class _Workbook(xlwt.Workbook):
    """xlwt's workbook plus sheet-scoped built-in names (print area, print titles), which xlwt cannot write."""

    def __init__(self) -> None:
        super().__init__(encoding="utf-8")
        self.names: list[tuple[int, int, bytes]] = []  # (sheet index, built-in code, formula tokens)
        self.lists: list[tuple[str, bytes]] = []  # workbook-wide names of drop-down sources: (name, formula tokens)
        self._sheet_count = 0
        self._fills: dict[tuple[int, int, int], int] = {_DEFAULT_GREY[0]: _DEFAULT_GREY[1]}
        self.rows: dict[int, xls_rows.SheetRows] = {}  # each sheet's cells, by sheet index
        self.before_eof: dict[int, bytes] = {}  # records a sheet holds just before its EOF (drop-down lists)

    def get_biff_data(self) -> xls_rows.BookStream:  # read as the file is written, not joined first
        return xls_rows.book_stream(self, self.rows, self.before_eof)

    def save_to(self, path: Path) -> None:
        """``Workbook.save`` into a file that takes the records a piece at a time (``xls_rows.TargetFile``)."""
        target = xls_rows.TargetFile(path)
        try:
            xls_rows.CompoundFile().save(target, self.get_biff_data())
        finally:
            target.close()

    def add_named_sheet(self, name: str) -> xlwt.Worksheet:
        self._sheet_count += 1
        sheet = self.add_sheet(name, cell_overwrite_ok=True)
        sheet.Row = xls_rows.LightRow  # the rows Worksheet.row makes
        return sheet

    def fill_colour(self, rgb: tuple[int, int, int]) -> int:
        """The palette index showing ``rgb``, redefining one of the spare slots the first time."""
        if rgb not in self._fills:
            slot = _PALETTE_SLOTS[len(self._fills) - 1]
            self.set_colour_RGB(slot, *rgb)
            self._fills[rgb] = slot
        return self._fills[rgb]

    def add_area_name(self, code: int, sheet_index: int, area: tuple[int, int, int, int]) -> None:
        """A built-in name of sheet ``sheet_index`` referring to ``area`` (first_row, first_col, last_row, last_col)."""
        self.names.append((sheet_index, code, self._area(sheet_index, area)))

    def add_list_name(self, sheet_index: int, source: ListSource) -> int:
        """A workbook-wide name referring to ``source``'s cells on sheet ``sheet_index``; its 1-based index
        among the NAME records (the list names come first, see ``_Workbook__all_links_rec``)."""
        area = (source.first_row, source.col, source.last_row, source.col)
        self.lists.append((f"DropDownList{len(self.lists) + 1}", self._area(sheet_index, area)))
        return len(self.lists)

    def _area(self, sheet_index: int, area: tuple[int, int, int, int]) -> bytes:
        first_row, first_col, last_row, last_col = area
        return struct.pack("<BHHHHH", _T_AREA_3D, self._sheet_ref(sheet_index), first_row, last_row,
                           first_col, last_col)  # fmt: skip

    def _sheet_ref(self, sheet_index: int) -> int:
        """The sheet's entry in EXTERNSHEET (the table of sheet references formulas and names use)."""
        if self._ownbook_supbookx is None:
            self.setup_ownbook()
        refs: dict[tuple[int, int, int], int] = self._Workbook__sheet_refs
        return refs.setdefault((self._ownbook_supbookx, sheet_index, sheet_index), len(refs))

    def _Workbook__all_links_rec(self) -> bytes:  # replaces xlwt's private method of that name
        # NAME records belong right after SUPBOOK/EXTERNSHEET, before the shared string table.
        links: bytes = xlwt.Workbook._Workbook__all_links_rec(self)
        lists = b"".join(_list_name_record(*name) for name in self.lists)
        return links + lists + b"".join(_name_record(*name) for name in sorted(self.names))


def _name_record(sheet_index: int, code: int, tokens: bytes) -> bytes:
    # Flags: built-in name (0x0020); no shortcut; name length 1; formula size; reserved; scope = sheet (1-based);
    # no menu, description, help or status text; then the name as an uncompressed-flag byte and its one code.
    head = struct.pack("<HBBHHHBBBB", 0x0020, 0, 1, len(tokens), 0, sheet_index + 1, 0, 0, 0, 0)
    return _record(_NAME, head + bytes([0, code]) + tokens)


def _list_name_record(name: str, tokens: bytes) -> bytes:
    # Flags: none (a user-defined name); no shortcut; name length; formula size; reserved; scope 0 = the
    # whole workbook; no menu, description, help or status text; then the name, compressed (ASCII).
    head = struct.pack("<HBBHHHBBBB", 0, 0, len(name), len(tokens), 0, 0, 0, 0, 0, 0)
    return _record(_NAME, head + b"\0" + name.encode("ascii") + tokens)


def write_xls(grids: Sequence[Grid], path: str | Path) -> Path:
    """Write the grids as one .xls workbook at ``path`` (replacing it only once fully written)."""
    book = _Workbook()
    styles: dict[tuple[Style, bool, InputFill], int] = {}
    formulas = Formulas()
    used: set[str] = set()
    # Every sheet exists before any cell is written: a formula may refer to a later sheet by name.
    sheets = [book.add_named_sheet(excel_sheet_name(grid.sheet_name, used)) for grid in grids]
    indexes = dict(reversed([(grid.sheet_name, index) for index, grid in enumerate(grids)]))  # first one wins
    list_names: dict[ListSource, int] = {}
    for grid in grids:
        for validation in grid.validations:
            source = validation.source
            if source is not None and source not in list_names and source.sheet_name in indexes:
                list_names[source] = book.add_list_name(indexes[source.sheet_name], source)
    with xls_rows.Spill() as spill:
        rows: dict[int, xls_rows.SheetRows] = {}
        validations: dict[int, bytes] = {}
        texts = xls_rows.Texts(book)
        for index, (grid, sheet) in enumerate(zip(grids, sheets, strict=True)):
            rows[index] = _write_sheet(book, sheet, grid, styles, formulas, spill, texts)
            book.add_area_name(_PRINT_AREA, index, _print_area(grid, rows[index]))
            if grid.header_rows is not None:
                first, last = grid.header_rows
                book.add_area_name(_PRINT_TITLES, index, (first, 0, last, MAX_COLUMN))
            validations[index] = _validation_records(grid.validations, list_names)
        book.rows, book.before_eof = rows, validations
        try:
            return write_atomically(path, book.save_to)
        finally:
            for sheet_rows in rows.values():
                sheet_rows.release()
            texts.release()


_ROW_OF = attrgetter("row")


def _print_area(grid: Grid, rows: xls_rows.SheetRows) -> tuple[int, int, int, int]:
    """``grid.print_area``'s answer, every cell's row and column read from the cells written (the grid's
    ``n_rows`` and ``n_cols`` would read its 400,000 cells again)."""
    if grid.print_area is not None:
        return grid.print_area
    return (0, 0, max(rows.rows_used - 1, 0), max(max(len(grid.col_widths), rows.cols_used) - 1, 0))


def _write_sheet(
    book: _Workbook,
    sheet: xlwt.Worksheet,
    grid: Grid,
    styles: dict[tuple[Style, bool, InputFill], int],
    formulas: Formulas,
    spill: xls_rows.Spill,
    texts: xls_rows.Texts,
) -> xls_rows.SheetRows:
    for col, width in enumerate(grid.col_widths):
        sheet.col(col).width = int(min(width, MAX_COLUMN_WIDTH) * 256)
    xls_rows.LightRow.add_heights(sheet, grid.row_heights)
    rows = xls_rows.SheetRows(book, sheet, spill, texts)
    _write_cells(book, rows, grid, styles, formulas)
    rows.finish()
    sheet.paper_size_code = A4
    sheet.portrait = not grid.landscape
    if grid.fit_width:
        sheet.fit_num_pages = 1  # "fit to": one page wide, as many pages tall as needed
        sheet.fit_width_to_pages = 1
        sheet.fit_height_to_pages = 0
    sheet.print_centered_horz = True
    sheet.header_str = b""
    sheet.footer_str = b"&P / &N"
    sheet.protect = True
    sheet.password = ""
    return rows


def _write_cells(
    book: _Workbook, rows: xls_rows.SheetRows, grid: Grid, styles: dict[tuple[Style, bool, InputFill], int],
    formulas: Formulas,
) -> None:  # fmt: skip
    """Every cell of the grid, in its order, as ``Worksheet.write`` and ``write_merge`` write them: a grid written
    row after row in blocks of rows laid out alike where it has them (``xls_block``), the rest cell by cell."""
    cells = grid.cells
    row_of = list(map(_ROW_OF, cells))
    starts = xls_block.row_starts(row_of)  # of each run of cells on one row
    firsts = list(map(row_of.__getitem__, islice(starts, 0, len(starts) - 1)))  # each run's row
    del row_of
    # Rows in order (then a row is complete once passed): each run's row below the one before it.
    in_order = all(map(operator.lt, firsts, islice(firsts, 1, None)))
    writer = _CellWriter(book, rows, grid, styles, formulas, in_order)
    blocks = list(xls_block.blocks(starts, firsts)) if in_order else []
    done = 0
    for block in blocks:
        writer.write(islice(cells, done, block[0]))
        xls_block.write_block(cells, block, writer, rows, formulas)
        done = block[1]
    writer.write(islice(cells, done, None))
    rows.texts.used(writer.uses)


class _CellWriter:
    """Cells written one at a time. The usual ones are encoded here at once: a text (its shared string
    looked up once per distinct text), a 30-bit integer (an RK value), an empty cell, a formula."""

    def __init__(
        self, book: _Workbook, rows: xls_rows.SheetRows, grid: Grid, styles: dict[tuple[Style, bool, InputFill], int],
        formulas: Formulas, in_order: bool,
    ) -> None:  # fmt: skip
        self.book, self.rows, self.styles, self.formulas, self.in_order = book, rows, styles, formulas, in_order
        self.input_fill = grid.input_fill
        self.xfs: dict[tuple[Style, bool], int] = {}
        self.uses = 0  # of shared strings already added, counted once at the end

    def known_xf(self, cell: Cell) -> int | None:
        return self.xfs.get((cell.style, cell.locked))

    def xf(self, cell: Cell) -> int:
        """The XF index of ``cell``'s look, the style added to the workbook the first time."""
        xf = self.xfs.get((cell.style, cell.locked))
        if xf is None:
            key = (cell.style, cell.locked, self.input_fill)
            xf = self.styles.get(key)
            if xf is None:
                xf = self.styles[key] = self.book.add_style(_make_style(self.book, *key))
            self.xfs[cell.style, cell.locked] = xf
        return xf

    def write(self, cells: Iterable[Cell]) -> None:
        book, rows, formulas, in_order, xfs = self.book, self.rows, self.formulas, self.in_order, self.xfs
        texts = rows.texts
        text_index, tally = texts.index, texts.tally
        uses = 0
        line: dict[int, xls_rows.Entry] = {}
        last_row = -1
        label, rk_limit, put, head = xls_rows.LABEL_SST, xls_rows.RK_LIMIT, rows.put, _FORMULA_HEAD
        for cell in cells:
            row, col = cell.row, cell.col
            if row != last_row:
                if in_order:
                    rows.complete_before(row)
                line = rows.line(row)
                last_row = row
            if not 0 <= col <= MAX_COLUMN:
                raise ValueError(f"column index ({col!r}) not an int in range(256)")
            xf = xfs.get((cell.style, cell.locked))
            if xf is None:
                xf = self.xf(cell)
            value = cell.value
            shape = None if type(cell) is Cell else getattr(cell, "formula_shape", None)
            if shape is not None:
                tokens: bytes | xlwt.Formula | None = formulas.keyed(shape, cell)
            elif text := cell.formula:  # read once: a formula may be printed when read (export.ledger_formulas)
                tokens = formulas.formula(text, row)
            else:
                tokens = None
            if tokens is not None:
                if type(tokens) is bytes and type(value) is int:  # a formula moved, its figure cached: most of them
                    size = len(tokens)
                    entry: xls_rows.Entry = head(_FORMULA, 22 + size, row, col, xf, float(value), 0, 0, size) + tokens
                else:
                    entry = _formula(book, formulas, tokens, row, col, xf, value)
            elif type(value) is str:
                index = text_index.get(value)
                if index is None:
                    index = texts.first(value)
                else:
                    tally[index] += 1
                    uses += 1
                entry = label(0x00FD, 10, row, col, xf, index) if index >= 0 else xf
            elif type(value) is int and -rk_limit <= value < rk_limit:
                entry = (2 | value << 2, xf)
            else:
                entry = rows.value(row, col, value, xf)
            if col in line:
                put(line, col, entry)
            else:
                line[col] = entry
            if cell.rowspan > 1 or cell.colspan > 1:  # Worksheet.write_merge: blanks over the rest, then the range
                if cell.colspan > 1:
                    rows.blanks(row, col + 1, cell.last_col, xf)
                for below in range(row + 1, cell.last_row + 1):
                    rows.blanks(below, col, cell.last_col, xf)
                rows.sheet._Worksheet__merged_ranges.append((row, cell.last_row, col, cell.last_col))
        self.uses += uses


def _formula(
    book: _Workbook, formulas: Formulas, formula: bytes | xlwt.Formula, row: int, col: int, xf: int,
    result: str | int | float | None,
) -> bytes:  # fmt: skip
    """A formula's record: its tokens moved from a formula already written, or parsed afresh (and learnt)."""
    if isinstance(formula, bytes):
        return _formula_record(row, col, xf, formula, result)
    book.add_sheet_reference(formula)  # resolves the sheet names a freshly parsed formula refers to
    record = _formula_record(row, col, xf, formula.rpn()[2:], result)
    formulas.learn(formula, row)
    return record


def _make_style(book: _Workbook, style: Style, locked: bool, input_fill: InputFill) -> xlwt.XFStyle:
    look = LOOKS[style]
    xf = xlwt.XFStyle()
    font = xlwt.Font()
    font.name = FONT_NAME
    font.height = 20 * look.points
    font.bold = look.bold
    xf.font = font
    alignment = xlwt.Alignment()
    alignment.horz = _HORIZONTAL[look.align]
    alignment.vert = xlwt.Alignment.VERT_CENTER
    alignment.wrap = xlwt.Alignment.WRAP_AT_RIGHT
    xf.alignment = alignment
    if look.border:
        borders = xlwt.Borders()
        borders.left = borders.right = borders.top = borders.bottom = xlwt.Borders.THIN
        xf.borders = borders
    fill = cell_fill(look, locked, input_fill)
    if fill is not None:
        pattern = xlwt.Pattern()
        pattern.pattern = xlwt.Pattern.SOLID_PATTERN
        pattern.pattern_fore_colour = book.fill_colour(fill)
        xf.pattern = pattern
    if look.number_format:
        xf.num_format_str = look.number_format
    protection = xlwt.Protection()
    protection.cell_locked = int(locked)
    xf.protection = protection
    return xf


# ---------------------------------------------------------------- drop-down lists (DVAL + DV records)


def _validation_records(validations: Sequence[Validation], list_names: dict[ListSource, int]) -> bytes:
    """The DVAL and DV records a sheet holds just before its EOF (none without a drop-down)."""
    records = []
    for validation in validations:
        if validation.source is not None:
            if validation.source in list_names:  # the defined name referring to the source cells
                tokens = bytes([_T_NAME]) + struct.pack("<HH", list_names[validation.source], 0)
                records.append(_dv_record(validation, tokens))
        elif (text := explicit_list(validation.options)) is not None:
            tokens = bytes([_T_STR]) + _short_unicode(text.replace(",", "\0"))
            records.append(_dv_record(validation, tokens, explicit=True))
    if not records:
        return b""
    # DVAL: no flags, no drop-down object position (-1 = none), no object id (-1), number of DV records.
    dval = _record(_DVAL, struct.pack("<HLLLL", 0, 0, 0, 0xFFFFFFFF, len(records)))
    return dval + b"".join(records)


def _dv_record(validation: Validation, tokens: bytes, explicit: bool = False) -> bytes:
    """A list drop-down whose options are ``tokens``: a string constant (an explicit list) or a defined name."""
    # Flags: type list (3); error style stop (0); explicit list (0x80) or not; ignore blank (0x100);
    # show the input message (0x40000) and the error message (0x80000). The in-cell drop-down shows
    # unless bit 0x200 is set.
    flags = 0x03 | (0x80 if explicit else 0) | 0x100 | 0x40000 | 0x80000
    messages = (validation_message(validation.prompt), validation_message(validation.error))
    strings = b"".join(_dv_string(s) for s in ("", "", *messages))
    formulas = struct.pack("<HH", len(tokens), 0) + tokens + struct.pack("<HH", 0, 0)
    ranges = struct.pack("<H", 1) + struct.pack(
        "<HHHH", validation.first_row, validation.last_row, validation.first_col, validation.last_col
    )
    return _record(_DV, struct.pack("<L", flags) + strings + formulas + ranges)


def _dv_string(text: str) -> bytes:
    """A DV title or message: an XLUnicodeString, where an empty one is written as one NUL character."""
    string: bytes = upack2(text or "\0")
    return string


def _short_unicode(text: str) -> bytes:
    """ShortXLUnicodeString (one-byte length) as the tStr token holds it: always as UTF-16 (flag 1)."""
    return struct.pack("<BB", len(text), 1) + text.encode("utf-16-le")
