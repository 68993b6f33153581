"""Office Open XML .xlsx writer (XlsxWriter), from the same grids as the .xls writer.

XlsxWriter rather than openpyxl (which still reads workbooks, in the importer):
openpyxl writes a formula with no cached value, so a program reading values sees
nothing where a total should be until Excel recalculates; XlsxWriter stores the
value beside the formula, and writes drop-down lists, print titles and print areas.

Sheets are protected without a password, like the official template; only input
cells are unlocked. Every text is written as a string, never parsed as a formula,
number or link, so a name such as ``=SUM(A1)`` or a date like ``0670127`` stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from treasurer_app.export.atomic import write_atomically
from treasurer_app.export.excel_look import FONT_NAME, LOOKS, cell_fill
from treasurer_app.export.grid import (
    Cell,
    Grid,
    InputFill,
    Style,
    Validation,
    excel_sheet_name,
    excel_text,
    explicit_list,
    print_area,
    source_range,
    validation_message,
)

MAX_COLUMN_WIDTH = 255
A4 = 9  # paper size code
_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


class _Worksheet(Worksheet):
    """XlsxWriter's worksheet, storing our formulas as written. It otherwise runs some thirty regular
    expressions over each formula to spell Excel 365's dynamic-array functions (FILTER, XLOOKUP …) as
    _xlfn.…, which took most of a year's ledger's export; the grids use only SUM and IF."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula.removeprefix("=")


def write_xlsx(grids: Sequence[Grid], path: str | Path) -> Path:
    """Write the grids as one .xlsx workbook at ``path`` (replacing it only once fully written)."""

    def write(temporary: Path) -> None:
        book = xlsxwriter.Workbook(str(temporary), _OPTIONS)
        formats: dict[tuple[Style, bool, InputFill], Format] = {}
        used: set[str] = set()
        # Every name is known before any sheet is written: a drop-down may list cells of a later sheet.
        written = [excel_sheet_name(grid.sheet_name, used) for grid in grids]
        names = dict(reversed(list(zip((grid.sheet_name for grid in grids), written, strict=True))))  # first wins
        for grid, name in zip(grids, written, strict=True):
            sheet = book.add_worksheet(name, worksheet_class=_Worksheet)
            _write_sheet(book, sheet, grid, formats, names)
        book.close()

    return write_atomically(path, write)


def _write_sheet(
    book: xlsxwriter.Workbook,
    sheet: Worksheet,
    grid: Grid,
    formats: dict[tuple[Style, bool, InputFill], Format],
    names: dict[str, str],
) -> None:
    for col, width in enumerate(grid.col_widths):
        sheet.set_column(col, col, min(width, MAX_COLUMN_WIDTH))
    for row, height in grid.row_heights.items():
        sheet.set_row(row, height)
    for cell in grid.cells:
        key = (cell.style, cell.locked, grid.input_fill)
        if key not in formats:
            formats[key] = _make_format(book, *key)
        fmt = formats[key]
        if cell.rowspan > 1 or cell.colspan > 1:
            # merge_range writes the blank area with the format (borders on every edge); the value goes on top.
            sheet.merge_range(cell.row, cell.col, cell.last_row, cell.last_col, "", fmt)
        _write_value(sheet, cell, fmt)
    for validation in grid.validations:
        source = _list_source(validation, names)
        if source is None:
            continue
        sheet.data_validation(
            validation.first_row,
            validation.first_col,
            validation.last_row,
            validation.last_col,
            {
                "validate": "list",
                "source": source,
                "input_message": validation_message(validation.prompt),
                "error_message": validation_message(validation.error),
                "error_type": "stop",
                "ignore_blank": True,
            },
        )
    _page_setup(sheet, grid)
    sheet.protect()  # no password, as in the official template


def _write_value(sheet: Worksheet, cell: Cell, fmt: Format) -> None:
    value, formula = cell.value, cell.formula  # a ledger balance prints its formula when read
    if formula:
        cached = excel_text(value) if isinstance(value, str) else (0 if value is None else value)
        sheet.write_formula(cell.row, cell.col, f"={formula}", fmt, cached)
    elif isinstance(value, str):
        sheet.write_string(cell.row, cell.col, excel_text(value), fmt)
    elif value is None:
        sheet.write_blank(cell.row, cell.col, None, fmt)
    else:
        sheet.write_number(cell.row, cell.col, value, fmt)


def _make_format(book: xlsxwriter.Workbook, style: Style, locked: bool, input_fill: InputFill) -> Format:
    look = LOOKS[style]
    properties: dict[str, object] = {
        "font_name": FONT_NAME,
        "font_size": look.points,
        "bold": look.bold,
        "align": look.align,
        "valign": "vcenter",
        "text_wrap": True,
        "locked": locked,
    }
    if look.border:
        properties["border"] = 1
    fill = cell_fill(look, locked, input_fill)
    if fill is not None:
        properties["pattern"] = 1
        properties["bg_color"] = "#{:02X}{:02X}{:02X}".format(*fill)
    if look.number_format:
        properties["num_format"] = look.number_format
    return book.add_format(properties)


def _list_source(validation: Validation, names: dict[str, str]) -> list[str] | str | None:
    """The options as XlsxWriter takes them: a list, or a reference to the cells holding them; None when
    neither can be written (too long for an explicit list and no source, or a source sheet not written)."""
    if validation.source is not None:
        if validation.source.sheet_name not in names:
            return None
        return "=" + source_range(validation.source, names[validation.source.sheet_name])
    return list(validation.options) if explicit_list(validation.options) is not None else None


def _page_setup(sheet: Worksheet, grid: Grid) -> None:
    sheet.set_paper(A4)
    if grid.landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    if grid.fit_width:
        sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    sheet.center_horizontally()
    sheet.set_footer("&C&P / &N")
    if grid.header_rows is not None:
        sheet.repeat_rows(*grid.header_rows)
    sheet.print_area(*print_area(grid))
