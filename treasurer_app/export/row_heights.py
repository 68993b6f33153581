"""Row heights for wrapped text: how tall each row of a grid must be for its cells' text to show whole.

Excel does not grow a row whose height a file gives when it opens the file, and the PDF prints the heights the
grid holds, so every writer reads these (``Grid.row_heights``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from treasurer_app.export.excel_look import LOOKS
from treasurer_app.export.grid import Cell, Grid, Style, display_width

DEFAULT_ROW_HEIGHT = 18.0  # points
TITLE_ROW_HEIGHT = 24.0  # a title line's row
LINE_HEIGHT = 16.0
FILL_RATIO = 0.85  # a wrapped line holds a little less than the column width: fonts differ
WRAPPED = frozenset(  # the styles whose text wraps
    (Style.TEXT, Style.LABEL, Style.HEADER, Style.SUBTITLE, Style.TITLE, Style.CENTER)
)
_LINES_KEPT = 50_000  # texts whose height fit_row_heights remembers (a ledger repeats its texts)


def fit_row_heights(grid: Grid, cells: Iterable[Cell] | None = None) -> None:
    """Tall enough rows for wrapped text (Excel does not grow explicit-height rows when a file opens):
    the grid's cells', or only ``cells``' (when the others' rows were fitted otherwise, see ``column_heights``)."""
    rooms: dict[tuple[int, int, int, Style], tuple[float, float, float]] = {}  # a cell's place → usable, scale, 1 line
    fitted: dict[tuple[str, float, float, int], float] = {}  # (text, usable, scale, rows spanned) → height per row
    heights, widths = grid.row_heights, grid.col_widths
    for cell in grid.cells if cells is None else cells:
        value = cell.value
        if not isinstance(value, str):  # numbers and empty cells never wrap
            continue
        style = cell.style
        if style not in WRAPPED:
            continue
        rowspan = cell.rowspan
        place = (cell.col, cell.colspan, rowspan, style)
        room = rooms.get(place)
        if room is None:
            room = rooms[place] = _room(widths, cell.col, cell.last_col, rowspan, style)
        usable, scale, one_line = room
        if len(value) * 2 <= usable and "\n" not in value:  # one line, even were every character wide
            per_row = one_line
        else:
            key = (value, usable, scale, rowspan)
            known = fitted.get(key)
            if known is not None:
                per_row = known
            else:
                if len(fitted) >= _LINES_KEPT:
                    fitted.clear()
                per_row = fitted[key] = _row_height(_lines(value, usable), scale, rowspan)
        row = cell.row
        if rowspan == 1:
            if per_row > heights.get(row, DEFAULT_ROW_HEIGHT):
                heights[row] = per_row
            continue
        for spanned in range(row, row + rowspan):
            if per_row > heights.get(spanned, DEFAULT_ROW_HEIGHT):
                heights[spanned] = per_row


def column_heights(grid: Grid, col: int, style: Style, values: Iterable[object]) -> list[float]:
    """What the one-row cells of a column (``values``, down its rows, all in ``style``, one of WRAPPED) each
    need of their row, as fit_row_heights works it out, 0 for a cell that does not wrap. A ledger's entries
    are fitted so a column at a time, their rows' heights the largest of their cells'."""
    usable, scale, one_line = _room(grid.col_widths, col, col, 1, style)
    fitted: dict[str, float] = {}

    def measured(value: object) -> float:
        if not isinstance(value, str):  # numbers and empty cells never wrap
            return 0.0
        known = fitted.get(value)
        if known is None:
            if len(fitted) >= _LINES_KEPT:
                fitted.clear()
            known = fitted[value] = _row_height(_lines(value, usable), scale, 1)
        return known

    # One line, even were every character wide, for most of a ledger's texts; or a line of ASCII no longer than
    # the room (a voucher's number: each character one unit wide).
    fits = 0.5 * usable
    return [one_line if value.__class__ is str and "\n" not in value
            and (len(value) <= fits or (len(value) <= usable and value.isascii())) else measured(value)
            for value in values]  # fmt: skip


def _room(widths: list[float], first_col: int, last_col: int, rowspan: int, style: Style) -> tuple[float, float, float]:
    """A wrapped text's room in a cell spanning these columns: its usable width (in characters of the style),
    the style's size against the body text's, and the height per row of one line."""
    width = sum(widths[c] for c in range(first_col, last_col + 1) if c < len(widths))
    scale = LOOKS[style].points / LOOKS[Style.TEXT].points  # a 16-point title is wider and taller
    return max(1.0, (width - 1) * FILL_RATIO / scale), scale, _row_height(1, scale, rowspan)


def _lines(text: str, usable: float) -> int:
    """The lines a wrapped text takes in a cell ``usable`` characters wide: each of its lines, wrapped."""
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def _row_height(lines: int, scale: float, rowspan: int) -> float:
    return (lines * LINE_HEIGHT * scale + 4) / rowspan
