"""Office Open XML .xlsx writer (openpyxl), from the same grids as the .xls writer.

Sheets are protected without a password, like the official template; only input
cells are unlocked. Every text is a string cell, so a name such as ``=SUM(A1)``
stays text (openpyxl would otherwise store it as a formula).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from treasurer_app.export.atomic import write_atomically
from treasurer_app.export.excel_look import FONT_NAME, LOOKS
from treasurer_app.export.grid import Grid, Style, excel_sheet_name, excel_text

MAX_COLUMN_WIDTH = 255
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill(fill_type="solid", start_color="FFC0C0C0", end_color="FFC0C0C0")


def write_xlsx(grids: Sequence[Grid], path: str | Path) -> Path:
    """Write the grids as one .xlsx workbook at ``path`` (replacing it only once fully written)."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for grid in grids:
        _write_sheet(book.create_sheet(excel_sheet_name(grid.sheet_name, used)), grid)
    return write_atomically(path, lambda temporary: book.save(str(temporary)))


def _write_sheet(sheet: Worksheet, grid: Grid) -> None:
    for col, width in enumerate(grid.col_widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(width, MAX_COLUMN_WIDTH)
    for row, height in grid.row_heights.items():
        sheet.row_dimensions[row + 1].height = height
    for cell in grid.cells:
        target = sheet.cell(row=cell.row + 1, column=cell.col + 1)
        if isinstance(cell.value, str):
            target.value = excel_text(cell.value)
            target.data_type = "s"  # never a formula, whatever the text starts with
        else:
            target.value = cell.value
        _apply_style(target, cell.style, cell.locked)
        if cell.rowspan > 1 or cell.colspan > 1:
            # merge_cells copies the first cell's border onto the merged area's edges.
            sheet.merge_cells(
                start_row=cell.row + 1,
                start_column=cell.col + 1,
                end_row=cell.last_row + 1,
                end_column=cell.last_col + 1,
            )
    _page_setup(sheet, grid)
    sheet.protection.sheet = True  # no password, as in the official template


def _apply_style(target: Cell, style: Style, locked: bool) -> None:
    look = LOOKS[style]
    target.font = Font(name=FONT_NAME, size=look.points, bold=look.bold)
    target.alignment = Alignment(horizontal=look.align, vertical="center", wrap_text=True)
    if look.border:
        target.border = _BORDER
    if look.shaded:
        target.fill = _HEADER_FILL
    if look.number_format:
        target.number_format = look.number_format
    target.protection = Protection(locked=locked)


def _page_setup(sheet: Worksheet, grid: Grid) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if grid.landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "&P / &N"
    if grid.header_rows is not None:
        first, last = grid.header_rows
        sheet.print_title_rows = f"{first + 1}:{last + 1}"
