"""The PDF layout: where each cell of a printable grid goes on A4 pages.

The grids are the same ones the workbook writers read (``export.grid``); this module
only decides where each cell goes on paper. Layout and drawing are separate steps:
``layout_grid`` turns a grid into pages of boxes and text runs (every run knows the
box it must stay inside, which the tests check); ``export.pdf_draw`` adds the page
header and footer and writes them. A long grid (a quarter's ledger) is laid out a
page at a time and each page drawn as soon as it is complete (``GridLayout.stream``):
the layout keeps its rows' heights and each row's fits until it is placed (those made from a
like as the like: ``export.pdf_fit``), and its painter (``export.pdf_stream.StreamPainter``)
writes each row straight into PDF operators, so no box or run objects are held at all.

Rules of the layout: columns keep their proportions and are scaled to the page
width (none is cut); text wraps inside its cell (CJK per character, Latin per word)
and rows grow to fit; the font shrinks only when a character is wider than its cell
or a row would not fit on a page; rows are never split across pages; the table
header rows repeat on every page the table runs over.
"""

from __future__ import annotations

import bisect
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from treasurer_app.export.grid import Cell, Grid, Style
from treasurer_app.export.pdf_fit import LOOKS, PAD_X, PAD_Y, SEAL_BOX, CellFits, Fit
from treasurer_app.export.pdf_frame import column_edges, page_frame, table_text_scale
from treasurer_app.export.pdf_text import (
    BLANK_DATE_LINE,
    EPSILON,
    HARD_FLOOR,
    LEADING,
    SHRINK_FLOOR,
    SHRINK_STEP,
    Font,
    cell_text,
    signature_label,
    wrap,
)

DEFAULT_ROW_HEIGHT = 20.0
BORDER_WIDTH = 0.6
SIGNATURE_GAP = 8.0
DATE_SIZE = 12.0
FOOTER_SIZE = 10.0


# ---------------------------------------------------------------- geometry


class Box(NamedTuple):
    """A rectangle in PDF points, origin at the bottom left of the page."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def contains(self, other: Box, tolerance: float = 0.01) -> bool:
        return (
            other.x0 >= self.x0 - tolerance
            and other.y0 >= self.y0 - tolerance
            and other.x1 <= self.x1 + tolerance
            and other.y1 <= self.y1 + tolerance
        )


class TextRun(NamedTuple):
    """One line of text as drawn; ``box`` is its glyph box, ``frame`` the box it must stay in."""

    text: str
    x: float
    baseline: float
    size: float
    bold: bool
    box: Box
    frame: Box


class Rect(NamedTuple):
    box: Box
    fill: float | None = None  # grey level, None for no fill
    stroke: bool = True
    line_width: float = BORDER_WIDTH


# The named tuples made without their Python-level __new__ (the layout of a long ledger makes millions).
_box: Callable[[tuple[float, float, float, float]], Box] = functools.partial(tuple.__new__, Box)
_rect: Callable[[tuple[Box, float | None, bool, float]], Rect] = functools.partial(tuple.__new__, Rect)
_text_run: Callable[[tuple[str, float, float, float, bool, Box, Box]], TextRun] = functools.partial(
    tuple.__new__, TextRun
)


@dataclass
class Page:
    width: float
    height: float
    title: str  # the grid's title (union name and sheet title), printed on top of every page
    sheet_name: str = ""  # the official sheet name, printed at the foot of every page
    rects: list[Rect] = field(default_factory=list)
    texts: list[TextRun] = field(default_factory=list)
    cells: list[Box] = field(default_factory=list)  # every table cell's box, for tests and containment checks

    @property
    def box(self) -> Box:
        return Box(0, 0, self.width, self.height)


_NEEDED = operator.itemgetter(5)  # a fit's height needed
_ROW, _STYLE = operator.attrgetter("row"), operator.attrgetter("style")
_UNBORDERED = frozenset(style for style, look in LOOKS.items() if not look.border)  # a style without a look has one
_ROWS_FITTED_TOGETHER = 256  # their fits are held until measured

# What draws one row's cells on a page: (page, row, its cells, their fits, the tops of rows first..last+1, first, last)
Painter = Callable[["Page", int, list[Cell], list[Fit], list[float], int, int], None]


# ---------------------------------------------------------------- one grid


@dataclass(slots=True)  # one per block of rows: a quarter's ledger has 25,000
class _Block:
    first: int
    last: int
    height: float
    kind: str  # "title" (no bordered cell), "header" or "body"


class GridLayout:
    """Lays one grid out on as many pages as it needs."""

    def __init__(self, grid: Grid, font: Font, date_line: str) -> None:
        self.grid = grid
        self.font = font
        self.date_line = date_line
        self.frame = page_frame(grid)
        self.edges = column_edges(grid, self.frame)
        self.text_scale = table_text_scale(grid, self.frame)
        self.n_rows = grid.n_rows
        self.header = self._header_range()
        self.reach = self._reach()
        self._cell_fits = CellFits(font, self.edges, self.text_scale)
        self.heights: list[float] = [DEFAULT_ROW_HEIGHT] * self.n_rows
        # Each row's last fit: (the height its cells may take, the size its growing cells are capped at).
        self._fitted_as: list[tuple[float, float | None]] = [(0.0, None)] * self.n_rows
        # Each row's fits as its last fit made them, kept until the row is drawn (see _keep)
        self._kept: list[tuple[tuple[Fit, ...], tuple[int, ...]] | None] = [None] * self.n_rows
        self._like_places: dict[tuple[int, ...], tuple[int, ...]] = {}  # the places of a row's likes, shared
        self._fit_cells()
        self.y = 0.0
        self._fresh_y = 0.0
        self._page: Page | None = None  # the page being filled
        self._emit: Callable[[Page], None] = lambda page: None
        self._paint: Painter = self._record_row
        self._drawing = True  # False while only counting pages: rows then move y and place nothing

    # ---- measuring

    def _header_range(self) -> tuple[int, int] | None:
        if self.grid.header_rows is None:
            return None
        first, last = self.grid.header_rows
        if first > last or first >= self.n_rows:
            return None
        return first, min(last, self.n_rows - 1)

    def _last(self, cell: Cell) -> int:
        return min(cell.last_row, self.n_rows - 1)

    def _fit_cells(self) -> None:
        body = self.frame.body_height
        header_height = 0.0
        if self.header is not None:
            first, last = self.header
            self._fit_rows(first, last, body / 2)
            header_height = sum(self.heights[first : last + 1])
        limit = body - header_height  # a block of rows must fit under the repeated header
        first_after_header = True
        ranges = self._ranges
        rows: list[int] = []  # single rows fitted within ``limit``: fitted together, a few hundred at a time
        for first, last in ranges:
            if self.header is not None and first == self.header[0]:
                continue
            room = limit
            if (first, last) == ranges[-1]:  # the last rows keep the signatures company
                room = max(limit / 2, limit - self._tail_height())
            if self.header is not None and first > self.header[1] and first_after_header:
                # the first rows under the header share the first page with the titles above it
                first_after_header = False
                room = max(limit / 2, room - sum(self.heights[: self.header[0]]))
            if first == last and room == limit:
                rows.append(first)
                if len(rows) == _ROWS_FITTED_TOGETHER:
                    self._fit_single_rows(rows, limit)
                continue
            self._fit_single_rows(rows, limit)
            fits = self._fit_block(first, last, room)
            if room < limit and min((f[3] for row in fits for f in row), default=SHRINK_FLOOR) < SHRINK_FLOOR - EPSILON:
                self._fit_block(first, last, limit)  # legible text matters more than keeping company
        self._fit_single_rows(rows, limit)

    def _fit_single_rows(self, rows: list[int], limit: float) -> None:
        """Blocks of one row each (``rows``, in order; emptied) fitted within ``limit``, as ``_fit_block`` fits
        each: their runs of adjacent rows fitted and measured in one go, a row taller than ``limit`` fitted again
        and shrunk alone."""
        start = 0
        for n in range(1, len(rows) + 1):
            if n == len(rows) or rows[n] != rows[n - 1] + 1:
                self._fit_rows(rows[start], rows[n - 1], limit)
                start = n
        heights = self.heights
        for r in rows:
            if heights[r] > limit + EPSILON:
                self._fit_block(r, r, limit)
        rows.clear()

    def _fit_block(self, first: int, last: int, room: float) -> list[list[Fit]]:
        """Fit rows first..last within ``room``: their cells' fits."""
        fits = self._fit_rows(first, last, room)
        if sum(self.heights[first : last + 1]) > room + EPSILON:
            fits = self._shrink_rows(first, last, room, fits)
        return fits

    def _fit_rows(self, first: int, last: int, limit: float, size_cap: float | None = None) -> list[list[Fit]]:
        """Each row's fits (see ``_fit_row``), and the rows' heights measured from them."""
        fitted_as = (limit, size_cap)
        fits = []
        kept = self._kept
        for r in range(first, last + 1):
            self._fitted_as[r] = fitted_as
            row, kept[r] = self._fit_row(r)
            fits.append(row)
        self._measure_rows(first, last, fits, explicit=size_cap is None)
        return fits

    def _fit_row(self, r: int) -> tuple[list[Fit], tuple[tuple[Fit, ...], tuple[int, ...]]]:
        """The fits of the cells starting on row ``r`` as its last fit made them, and the same to keep until it is
        drawn: a fit made from a like (balances, vouchers, members: ever new texts; 14 MB a quarter) kept as the
        like, which is kept anyway, its place noted, its text the cell's again when drawn (_kept_fits)."""
        limit, size_cap = self._fitted_as[r]
        cell_fits = self._cell_fits
        fits, fit_afresh = cell_fits.fits, cell_fits.fit_afresh
        fitted: list[Fit] = []
        likes: list[tuple[int, Fit]] = []
        cells = self._cells_at(r)
        for c in cells:  # fit(c, limit), written out
            value = c.value
            key = (c.style, c.col, c.colspan, value.__class__, value, limit, None)
            known = fits.get(key)
            if known is None:
                known = fit_afresh(key, c, limit)
                if cell_fits.like is not None:
                    likes.append((len(fitted), cell_fits.like))
            fitted.append(known)
        if size_cap is not None:  # only the cells that make rows grow shrink; dates and amounts keep their size
            fitted = [
                cell_fits.fit(c, limit, size_cap) if f[5] > c.rowspan * DEFAULT_ROW_HEIGHT else f
                for c, f in zip(cells, fitted, strict=True)
            ]
            return fitted, (tuple(fitted), ())  # a block shrunk to fit a page: rare, kept as it is
        if not likes:
            return fitted, (tuple(fitted), ())
        kept = list(fitted)
        for i, like in likes:
            kept[i] = like
        places = tuple(i for i, _ in likes)
        return fitted, (tuple(kept), self._like_places.setdefault(places, places))

    def _kept_fits(self, r: int, cells: list[Cell]) -> list[Fit]:
        """Row ``r``'s fits as kept by its last fit (let go once taken, the header's rows' excepted: they are drawn
        on every page), or fitted again."""
        kept = self._kept[r]
        if kept is None:
            return self._fit_row(r)[0]
        if self.header is None or not self.header[0] <= r <= self.header[1]:
            self._kept[r] = None
        row = list(kept[0])
        for i in kept[1]:
            like = row[i]
            row[i] = (like[0], like[1], like[2], like[3], (cell_text(cells[i]),), like[5], like[6])
        return row

    def _shrink_rows(self, first: int, last: int, limit: float, fits: list[list[Fit]]) -> list[list[Fit]]:
        """The last resort for rows that must stay together but are taller than a page.

        Row heights set for the workbook are dropped first, then every cell of the block
        shrinks by the same step until the block fits (or the smallest size is reached).
        """
        self._measure_rows(first, last, fits, explicit=False)
        size = max((f[3] for row in fits for f in row), default=HARD_FLOOR)
        while sum(self.heights[first : last + 1]) > limit + EPSILON and size - SHRINK_STEP >= HARD_FLOOR - EPSILON:
            size -= SHRINK_STEP
            fits = self._fit_rows(first, last, limit, size_cap=size)
        return fits

    def _measure_rows(self, first: int, last: int, fits: list[list[Fit]], explicit: bool) -> None:
        """Row heights of rows first..last: the workbook's height (if ``explicit``) or the default,
        grown to what the cells need; a merged cell's extra need is shared by its rows."""
        spanning = []
        heights, given, cells_at, merged = self.heights, self.grid.row_heights, self._cells_at, self._merged_rows
        for r, row in zip(range(first, last + 1), fits, strict=True):
            height = given.get(r, DEFAULT_ROW_HEIGHT) if explicit else DEFAULT_ROW_HEIGHT
            if r not in merged:  # no cell of the row spans rows (most of a long table's): the tallest need, in C
                needed = max(map(_NEEDED, row), default=height)
                if needed > height:
                    height = needed
            else:
                for c, f in zip(cells_at(r), row, strict=True):  # max(height, *needs, 0.0), written out
                    if c.rowspan > 1:
                        spanning.append((c, f[5]))
                    elif f[5] > height:
                        height = f[5]
            heights[r] = 0.0 if height < 0.0 else height
        for cell, needed in sorted(spanning, key=lambda spans: spans[0].rowspan):
            rows = range(cell.row, self._last(cell) + 1)
            deficit = needed - sum(self.heights[r] for r in rows)
            if deficit > 0:
                for r in rows:
                    self.heights[r] += deficit / len(rows)

    # ---- blocks of rows that stay together

    @functools.cached_property
    def _by_row(self) -> tuple[list[Cell], list[int]]:
        """The grid's cells in the order of their rows (a row's in the grid's order), and where each row's
        start: a list of offsets instead of a list of cells per row (a ledger has 25,000 rows)."""
        cells = self.grid.cells
        rows = [cell.row for cell in cells]
        in_order = sorted(rows)  # one pass when they are in order already
        if rows != in_order:
            cells = sorted(cells, key=_ROW)  # a stable sort: a row's cells stay in the grid's order
        return cells, [bisect.bisect_left(in_order, r) for r in range(self.n_rows + 1)]

    def _cells_at(self, r: int) -> list[Cell]:
        """The cells starting on row ``r``, in the grid's order."""
        cells, starts = self._by_row
        return cells[starts[r] : starts[r + 1]]

    @functools.cached_property
    def _spanning(self) -> list[Cell]:  # the cells spanning rows, picked once (a ledger has 400,000 cells)
        return [cell for cell in self.grid.cells if cell.rowspan > 1]

    @functools.cached_property
    def _merged_rows(self) -> set[int]:  # the rows a cell spanning rows starts on
        return {cell.row for cell in self._spanning}

    def _reach(self) -> list[int]:
        """For each row, the last row it must stay on the same page with (merged cells, the header)."""
        reach = list(range(self.n_rows))
        for cell in self._spanning:  # a cell of one row keeps no other row company
            for r in range(cell.row, self._last(cell) + 1):
                reach[r] = max(reach[r], self._last(cell))
        if self.header is not None:
            for r in range(self.header[0], self.header[1] + 1):
                reach[r] = max(reach[r], self.header[1])
        return reach

    @functools.cached_property
    def _ranges(self) -> list[tuple[int, int]]:  # _block_ranges, worked out once for fitting and placing them
        return self._block_ranges()

    def _block_ranges(self) -> list[tuple[int, int]]:
        ranges: list[tuple[int, int]] = []
        first, reach = 0, self.reach
        while first < self.n_rows:
            last = first
            r = first
            while r <= last:
                if reach[r] > last:
                    last = reach[r]
                r += 1
            ranges.append((first, last))
            first = last + 1
        return ranges

    def _blocks(self) -> list[_Block]:
        heights = self.heights
        return [  # a block of one row (most of a long table's) is its row's height: the same number as the sum
            _Block(
                first,
                last,
                heights[first] if first == last else sum(heights[first : last + 1]),
                self._kind(first, last),
            )
            for first, last in self._ranges
        ]

    def _kind(self, first: int, last: int) -> str:
        if self.header is not None and first <= self.header[0] <= last:
            return "header"
        cells = (
            self._cells_at(first) if first == last else [c for r in range(first, last + 1) for c in self._cells_at(r)]
        )
        return "title" if _UNBORDERED.issuperset(map(_STYLE, cells)) else "body"  # else a cell has a border

    @functools.cached_property
    def _chunked(self) -> list[list[_Block]]:
        """The blocks, in chunks (the same for counting the pages and for drawing them)."""
        chunks = self._chunks(self._blocks())
        self.__dict__.pop("_ranges", None)  # the blocks know their rows: 25,000 pairs let go
        return chunks

    def _chunks(self, blocks: list[_Block]) -> list[list[_Block]]:
        """Titles and the header keep with the block after them."""
        chunks: list[list[_Block]] = []
        pending: list[_Block] = []
        for block in blocks:
            pending.append(block)
            if block.kind == "body":
                chunks.append(pending)
                pending = []
        if pending:
            chunks.append(pending)
        return chunks

    # ---- pages

    def layout(self) -> list[Page]:
        """Every page of the grid."""
        pages: list[Page] = []
        self.stream(pages.append)
        return pages

    def page_count(self) -> int:
        """How many pages the grid takes: the page breaks alone, no cell placed (第 N 頁／共 M 頁 needs M
        before the first page is drawn)."""
        count = 0

        def counted(page: Page) -> None:
            nonlocal count
            count += 1

        self._drawing = False
        try:
            self.stream(counted)
        finally:
            self._drawing = True
        return count

    def stream(self, emit: Callable[[Page], None], paint: Painter | None = None) -> None:
        """Lay the grid out, handing each page to ``emit`` as soon as it is complete; none is kept. ``paint``
        draws each row's cells on its page (by default as the page's boxes and text runs, ``_record_row``)."""
        self._emit, self._page = emit, None
        self._paint = paint or self._record_row
        self._new_page(repeat_header=False)
        repeating = False  # whether the table header repeats on the next page
        chunks = self._chunked
        bottom = self.frame.bottom  # _room() and whether the page is fresh written out: a ledger has 25,000 blocks
        for n, chunk in enumerate(chunks, start=1):
            height = chunk[0].height if len(chunk) == 1 else sum(b.height for b in chunk)
            if n == len(chunks) and height + self._tail_height() <= self.frame.body_height:
                height += self._tail_height()  # the signatures never stand alone on a page
            if height > self.y - bottom and not self.y >= self._fresh_y - EPSILON:
                self._new_page(repeating and chunk[0].kind == "body")
            for block in chunk:
                if block.height > self.y - bottom and not self.y >= self._fresh_y - EPSILON:
                    self._new_page(repeating and block.kind == "body")
                if self.y >= self._fresh_y - EPSILON and self._is_empty(block):
                    continue  # a spacer row does not open a page
                self._place_rows(block.first, block.last)
                if block.kind == "header":
                    repeating = True
                elif block.kind == "title":
                    repeating = False  # the table ended: a later table has its own headings
        self._place_footer_lines()
        self._place_signatures()
        assert self._page is not None
        emit(self._page)
        self._page = None

    def _is_empty(self, block: _Block) -> bool:
        return not any(self._cells_at(r) for r in range(block.first, block.last + 1))

    def _new_page(self, repeat_header: bool) -> None:
        if self._page is not None:
            self._emit(self._page)
        self._page = Page(self.frame.width, self.frame.height, self.grid.title, self.grid.sheet_name)
        self.y = self.frame.top
        if repeat_header and self.header is not None:
            self._place_rows(*self.header)
        self._fresh_y = self.y  # a page holding only the repeated header counts as empty

    def _room(self) -> float:
        return self.y - self.frame.bottom

    def _place_rows(self, first: int, last: int) -> None:
        if not self._drawing:
            for r in range(first, last + 1):
                self.y -= self.heights[r]  # the same steps as the tops below: the same page breaks
            return
        if first == last:  # most of a long table's blocks: the loops below, written out
            cells, bottom = self._cells_at(first), self.y - self.heights[first]
            if cells:
                self._paint(self._current(), first, cells, self._kept_fits(first, cells), [self.y, bottom], first, last)
            self.y = bottom
            return
        tops = [self.y]
        for r in range(first, last + 1):
            tops.append(tops[-1] - self.heights[r])
        page, paint, cells_at = self._current(), self._paint, self._cells_at
        for r in range(first, last + 1):
            cells = cells_at(r)
            if cells:
                paint(page, r, cells, self._kept_fits(r, cells), tops, first, last)
        self.y = tops[-1]

    def _record_row(
        self, page: Page, r: int, cells: list[Cell], fits: list[Fit], tops: list[float], first: int, last: int
    ) -> None:
        """Row ``r``'s cells as the page's boxes, borders, fills and text runs (the tests read them; the long
        ledger is written by ``pdf_stream.StreamPainter``, which draws the same rows straight into PDF operators).
        Written out with the named tuples made directly: a page holds hundreds of cells."""
        rects, boxes, texts = page.rects, page.cells, page.texts
        font = self.font
        ascent, descent = font.ascent, font.descent
        top = tops[r - first]
        for cell, (look, x0, x1, size, lines, _, placed) in zip(cells, fits, strict=True):
            box = _box((x0, tops[min(cell.last_row, last) - first + 1], x1, top))
            if look.border or look.fill is not None:
                rects.append(_rect((box, look.fill, look.border, BORDER_WIDTH)))
            if look.border:
                boxes.append(box)
            if not lines:
                continue
            leading = size * LEADING
            y0, y1 = box[1], box[3]
            line_top = y1 - PAD_Y if look.top else y1 - (y1 - y0 - len(lines) * leading) / 2
            em = (ascent - descent) * size
            above, below = ascent * size, descent * size
            bold = look.bold
            for line, (x, width) in zip(lines, placed, strict=True):
                if line:
                    baseline = line_top - (size * LEADING - em) / 2 - above
                    glyphs = _box((x, baseline + below, x + width, baseline + above))
                    texts.append(_text_run((line, x, baseline, size, bold, glyphs, box)))
                line_top -= leading

    def _current(self) -> Page:
        assert self._page is not None, "a page is open while the grid is laid out"
        return self._page

    def _add_text(
        self, page: Page, text: str, size: float, align: str, line_top: float, inner: Box, frame: Box, bold: bool
    ) -> None:
        if not text or not self._drawing:
            return
        font = self.font
        width = font.width(text, size)
        em = (font.ascent - font.descent) * size
        baseline = line_top - (size * LEADING - em) / 2 - font.ascent * size
        if align == "right":
            x = inner.x1 - width
        elif align == "center":
            x = (inner.x0 + inner.x1 - width) / 2
        else:
            x = inner.x0
        glyphs = Box(x, baseline + font.descent * size, x + width, baseline + font.ascent * size)
        page.texts.append(TextRun(text, x, baseline, size, bold, glyphs, frame))

    # ---- after the table: footer lines, signature blocks, the date

    @functools.cached_property
    def _footer_lines(self) -> list[str]:
        width = self.frame.right - self.frame.left
        measure = functools.partial(self.font.width, size=FOOTER_SIZE)
        return [line for text in self.grid.footer for line in (wrap(text, width, measure) or [text])]

    @functools.cached_property
    def _signatures(self) -> _SignaturePlan | None:
        names = self.grid.signatures
        if not names:
            return None
        width = self.frame.right - self.frame.left
        per_row = max(1, min(len(names), int(width // (SEAL_BOX + 2 * SIGNATURE_GAP))))
        slot = width / per_row
        size = LOOKS[Style.SIGNATURE].size
        measure = functools.partial(self.font.width, size=size)
        labels = [wrap(signature_label(n), slot - 2 * PAD_X, measure) or [] for n in names]
        label_height = max(len(lines) for lines in labels) * size * LEADING
        return _SignaturePlan(size, per_row, slot, labels, label_height)

    def _tail_height(self) -> float:
        footer = (len(self._footer_lines) + 0.5) * FOOTER_SIZE * LEADING if self._footer_lines else 0.0
        plan = self._signatures
        return footer + (plan.height if plan else 0.0)

    def _place_footer_lines(self) -> None:
        if not self._footer_lines:
            return
        leading = FOOTER_SIZE * LEADING
        self.y -= leading / 2
        for line in self._footer_lines:
            if leading > self._room():
                self._new_page(repeat_header=False)
            box = Box(self.frame.left, self.y - leading, self.frame.right, self.y)
            self._add_text(self._current(), line, FOOTER_SIZE, "left", self.y, box, box, False)
            self.y -= leading

    def _place_signatures(self) -> None:
        plan = self._signatures
        if plan is None:
            return
        if plan.height > self._room():
            self._new_page(repeat_header=False)
        page = self._current()
        self.y -= SIGNATURE_GAP
        for index, lines in enumerate(plan.labels):
            column = index % plan.per_row
            if index and column == 0:
                self.y -= plan.row_height
            x0 = self.frame.left + column * plan.slot
            label_box = Box(x0, self.y - plan.label_height, x0 + plan.slot, self.y)
            inner = Box(x0 + PAD_X, label_box.y0, label_box.x1 - PAD_X, label_box.y1)
            for n, line in enumerate(lines):
                line_top = self.y - n * plan.size * LEADING
                self._add_text(page, line, plan.size, "center", line_top, inner, label_box, False)
            centre = x0 + plan.slot / 2
            seal_top = label_box.y0 - PAD_Y
            page.rects.append(Rect(Box(centre - SEAL_BOX / 2, seal_top - SEAL_BOX, centre + SEAL_BOX / 2, seal_top)))
        self.y -= plan.row_height
        box = Box(self.frame.left, self.y - DATE_SIZE * LEADING, self.frame.right, self.y)
        self._add_text(page, self.date_line, DATE_SIZE, "center", self.y, box, box, False)
        self.y -= DATE_SIZE * LEADING + SIGNATURE_GAP


@dataclass(frozen=True)
class _SignaturePlan:
    size: float
    per_row: int
    slot: float
    labels: list[list[str]]
    label_height: float

    @property
    def row_height(self) -> float:
        return self.label_height + PAD_Y + SEAL_BOX + SIGNATURE_GAP

    @property
    def height(self) -> float:
        rows = -(-len(self.labels) // self.per_row)
        return SIGNATURE_GAP + rows * self.row_height + DATE_SIZE * LEADING + SIGNATURE_GAP


def layout_grid(grid: Grid, font: Font, date_line: str = BLANK_DATE_LINE) -> list[Page]:
    return GridLayout(grid, font, date_line).layout()
