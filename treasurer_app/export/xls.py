"""BIFF8 .xls writer (xlwt): every grid becomes one protected worksheet, input cells unlocked.

Like the official template, sheets are protected without a password (an empty
one): the user can lift the protection in Excel with no password at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import xlwt

from treasurer_app.export.atomic import write_atomically
from treasurer_app.export.excel_look import FONT_NAME, LOOKS
from treasurer_app.export.grid import Cell, Grid, Style, excel_sheet_name, excel_text

A4 = 9  # BIFF paper size code
MAX_COLUMN_WIDTH = 255  # characters; BIFF8 stores width in 1/256 of a character, 16 bits
GREY_25 = 22  # the default palette's 25 % grey
_HORIZONTAL = {
    "left": xlwt.Alignment.HORZ_LEFT,
    "center": xlwt.Alignment.HORZ_CENTER,
    "right": xlwt.Alignment.HORZ_RIGHT,
}

def write_xls(grids: Sequence[Grid], path: str | Path) -> Path:
    """Write the grids as one .xls workbook at ``path`` (replacing it only once fully written)."""
    book = xlwt.Workbook(encoding="utf-8")
    styles: dict[tuple[Style, bool], xlwt.XFStyle] = {}
    used: set[str] = set()
    for grid in grids:
        _write_sheet(book.add_sheet(excel_sheet_name(grid.sheet_name, used), cell_overwrite_ok=True), grid, styles)
    return write_atomically(path, lambda temporary: book.save(str(temporary)))


def _write_sheet(sheet: xlwt.Worksheet, grid: Grid, styles: dict[tuple[Style, bool], xlwt.XFStyle]) -> None:
    for col, width in enumerate(grid.col_widths):
        sheet.col(col).width = int(min(width, MAX_COLUMN_WIDTH) * 256)
    for row, height in grid.row_heights.items():
        sheet.row(row).height_mismatch = True
        sheet.row(row).height = int(height * 20)
    for cell in grid.cells:
        style = _style(styles, cell.style, cell.locked)
        value = _value(cell)
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.write_merge(cell.row, cell.last_row, cell.col, cell.last_col, value, style)
        else:
            sheet.write(cell.row, cell.col, value, style)
    sheet.paper_size_code = A4
    sheet.portrait = not grid.landscape
    sheet.fit_num_pages = 1  # "fit to": one page wide, as many pages tall as needed
    sheet.fit_width_to_pages = 1
    sheet.fit_height_to_pages = 0
    sheet.print_centered_horz = True
    sheet.header_str = b""
    sheet.footer_str = b"&P / &N"
    sheet.protect = True
    sheet.password = ""


def _value(cell: Cell) -> str | int | float | None:
    if isinstance(cell.value, str):
        return excel_text(cell.value)  # a label record: never a formula, whatever it starts with
    return cell.value


def _style(cache: dict[tuple[Style, bool], xlwt.XFStyle], style: Style, locked: bool) -> xlwt.XFStyle:
    if (style, locked) not in cache:
        cache[style, locked] = _make_style(style, locked)
    return cache[style, locked]


def _make_style(style: Style, locked: bool) -> xlwt.XFStyle:
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
    if look.shaded:
        pattern = xlwt.Pattern()
        pattern.pattern = xlwt.Pattern.SOLID_PATTERN
        pattern.pattern_fore_colour = GREY_25
        xf.pattern = pattern
    if look.number_format:
        xf.num_format_str = look.number_format
    protection = xlwt.Protection()
    protection.cell_locked = int(locked)
    xf.protection = protection
    return xf
