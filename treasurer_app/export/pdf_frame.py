"""The printable frame of a page and the edges of a grid's columns on it (for ``export.pdf``'s layout).

A4, upright or landscape as the grid says, less the margins and the bands that hold the page
header and footer; columns keep the proportions of the workbook's widths, scaled to the frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape

from treasurer_app.export.grid import Grid
from treasurer_app.export.pdf_fit import MM

MARGIN_X = 15 * MM
MARGIN_TOP = 12 * MM
MARGIN_BOTTOM = 12 * MM
BAND = 16.0  # height of the page header and footer bands
DEFAULT_COL_CHARS = 10.0
POINTS_PER_UNIT = 5.0  # an Excel width unit holds half a 10-point CJK character
MIN_TEXT_SCALE = 0.8  # crowded tables print their text at no less than 8 points


@dataclass(frozen=True)
class Frame:
    """The printable area of a page."""

    width: float
    height: float

    @property
    def left(self) -> float:
        return MARGIN_X

    @property
    def right(self) -> float:
        return self.width - MARGIN_X

    @property
    def top(self) -> float:
        return self.height - MARGIN_TOP - BAND

    @property
    def bottom(self) -> float:
        return MARGIN_BOTTOM + BAND

    @property
    def body_height(self) -> float:
        return self.top - self.bottom


def page_frame(grid: Grid) -> Frame:
    width, height = landscape(A4) if grid.landscape else A4
    return Frame(width, height)


def column_units(grid: Grid) -> list[float]:
    """Each column's width in Excel's units; columns the grid gives no width get the default."""
    given = grid.col_widths
    return [max(given[i], 0.0) if i < len(given) else DEFAULT_COL_CHARS for i in range(grid.n_cols)]


def column_edges(grid: Grid, frame: Frame) -> list[float]:
    """x of each column's left edge and of the last column's right edge, filling the frame's width."""
    raw = column_units(grid)
    scale = (frame.right - frame.left) / (sum(raw) or 1.0)
    edges = [frame.left]
    for width in raw:
        edges.append(edges[-1] + width * scale)
    edges[-1] = frame.right
    return edges


def table_text_scale(grid: Grid, frame: Frame) -> float:
    """How much smaller than its usual size table text prints, like Excel's fit-to-width printing.

    A 10-point CJK character takes two of Excel's width units (5 points each); when the
    columns had to shrink more than that to fit the page, the text shrinks with them,
    but never below MIN_TEXT_SCALE: beyond that rows grow instead.
    """
    units = sum(column_units(grid))
    if units <= 0:
        return 1.0
    per_unit = (frame.right - frame.left) / units
    return max(MIN_TEXT_SCALE, min(1.0, per_unit / POINTS_PER_UNIT))
