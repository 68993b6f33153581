"""The PDF writer: lays printable grids out on A4 pages and draws them with reportlab.

The grids are the same ones the workbook writers read (``export.grid``); this module
only decides where each cell goes on paper. Layout and drawing are separate steps:
``layout_grid`` turns a grid into pages of boxes and text runs (every run knows the
box it must stay inside, which the tests check), ``finish_pages`` adds the page
header and footer, and ``draw_pages`` writes them.

Rules of the layout: columns keep their proportions and are scaled to the page
width (none is cut); text wraps inside its cell (CJK per character, Latin per word)
and rows grow to fit; the font shrinks only when a character is wider than its cell
or a row would not fit on a page; rows are never split across pages; the table
header rows repeat on every page the table runs over.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from treasurer_app.export.grid import Cell, Grid, Style
from treasurer_app.fields import ROC_OFFSET

MM = 72 / 25.4
MARGIN_X = 15 * MM
MARGIN_TOP = 12 * MM
MARGIN_BOTTOM = 12 * MM
BAND = 16.0  # height of the page header and footer bands
BAND_SIZE = 8.0
PAD_X = 3.0
PAD_Y = 2.5
LEADING = 1.25  # line height as a multiple of the font size
DEFAULT_ROW_HEIGHT = 20.0
DEFAULT_COL_CHARS = 10.0
SHRINK_FLOOR = 6.0  # the smallest size a crowded cell shrinks to
HARD_FLOOR = 3.0  # below the floor only when a single character is wider than its cell
SHRINK_STEP = 0.5
BORDER_WIDTH = 0.6
HEADER_FILL = 0.88  # grey level of table header cells
SEAL_BOX = 30 * MM  # room for a seal: about 3 × 3 cm
SIGNATURE_GAP = 8.0
DATE_SIZE = 12.0
FOOTER_SIZE = 10.0
EPSILON = 1e-6
BOLD_STROKE = 0.35  # outline added to glyphs for a bold look
POINTS_PER_UNIT = 5.0  # an Excel width unit holds half a 10-point CJK character
MIN_TEXT_SCALE = 0.8  # crowded tables print their text at no less than 8 points


# ---------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Box:
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


@dataclass(frozen=True)
class TextRun:
    """One line of text as drawn; ``box`` is its glyph box, ``frame`` the box it must stay in."""

    text: str
    x: float
    baseline: float
    size: float
    bold: bool
    box: Box
    frame: Box


@dataclass(frozen=True)
class Rect:
    box: Box
    fill: float | None = None  # grey level, None for no fill
    stroke: bool = True
    line_width: float = BORDER_WIDTH


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


# ---------------------------------------------------------------- font


@dataclass(frozen=True)
class Font:
    name: str
    ascent: float  # per unit of font size
    descent: float  # negative, per unit of font size

    def width(self, text: str, size: float) -> float:
        return _unit_width(self.name, text) * size


_WIDTHS: dict[str, dict[str, float]] = {}  # font name → character → advance width at size 1
# font name → text → its width at size 1: a ledger measures the same dates, codes, amounts and names
# hundreds of thousands of times. Bounded: emptied when it grows past _TEXT_WIDTHS_MAX texts.
_TEXT_WIDTHS: dict[str, dict[str, float]] = {}
_TEXT_WIDTHS_MAX = 200_000


def _unit_width(font_name: str, text: str) -> float:
    known = _TEXT_WIDTHS.get(font_name)
    if known is None:
        known = _TEXT_WIDTHS[font_name] = {}
    width = known.get(text)
    if width is not None:
        return width
    widths = _WIDTHS.setdefault(font_name, {})
    try:
        width = sum(map(widths.__getitem__, text))
    except KeyError:
        for char in text:
            if char not in widths:
                widths[char] = pdfmetrics.stringWidth(char, font_name, 1.0)
        width = sum(map(widths.__getitem__, text))
    if len(known) >= _TEXT_WIDTHS_MAX:
        known.clear()
    known[text] = width
    return width


@functools.cache
def default_font() -> Font:
    """The app's bundled CJK TrueType font, registered once per process."""
    from treasurer_app.fonts import register_reportlab_fonts

    return font_info(register_reportlab_fonts())


def font_info(name: str) -> Font:
    face = pdfmetrics.getFont(name).face
    return Font(name, face.ascent / 1000, face.descent / 1000)


# ---------------------------------------------------------------- text


IDEOGRAPHIC_SPACE = "\u3000"
_NO_LINE_START = frozenset("，。、；：！？）」』》〉】〕…,.;:!?)]}%")
_NO_LINE_END = frozenset("（「『《〈【〔([{")


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WFA"


def tokens(paragraph: str) -> list[str]:
    """Line-break units: one token per wide (CJK) character, one per Latin word, " " for spaces.

    Closing punctuation sticks to the token before it and opening punctuation to the
    token after it, so neither starts or ends a line on its own.
    """
    raw: list[str] = []
    word = ""
    for char in paragraph:
        breakable_space = char.isspace() and char != IDEOGRAPHIC_SPACE  # 「請　鑒核」: a deliberate gap
        if breakable_space or _is_wide(char):
            if word:
                raw.append(word)
                word = ""
            raw.append(" " if breakable_space else char)
        else:
            word += char
    if word:
        raw.append(word)
    merged: list[str] = []
    for token in raw:
        joins = merged and merged[-1] != " " and token != " "
        if joins and (token[0] in _NO_LINE_START or merged[-1][-1] in _NO_LINE_END):
            merged[-1] += token
            continue
        if token == " " and merged and merged[-1] == " ":
            continue
        merged.append(token)
    return merged


def wrap(text: str, width: float, measure: Callable[[str], float], break_words: bool = True) -> list[str] | None:
    """Greedy line breaking within ``width``.

    None when a single character is wider than ``width``, or, unless ``break_words``,
    when a Latin word is (a date or an amount broken in two is hard to read).
    """
    lines: list[str] = []
    space = measure(" ")
    for paragraph in text.split("\n"):
        line, line_width, pending_space = "", 0.0, False
        for token in tokens(paragraph):
            if token == " ":
                pending_space = bool(line)
                continue
            token_width = measure(token)
            gap = space if pending_space else 0.0
            pending_space = False
            if line and line_width + gap + token_width <= width + EPSILON:
                line, line_width = line + (" " if gap else "") + token, line_width + gap + token_width
                continue
            if line:
                lines.append(line)
                line, line_width = "", 0.0
            if token_width <= width + EPSILON:
                line, line_width = token, token_width
                continue
            if not break_words:
                return None
            for char in token:  # a word wider than the cell breaks between characters
                char_width = measure(char)
                if char_width > width + EPSILON:
                    return None
                if line and line_width + char_width > width + EPSILON:
                    lines.append(line)
                    line, line_width = "", 0.0
                line, line_width = line + char, line_width + char_width
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def roc_date_line(day: date) -> str:
    return f"中華民國 {day.year - ROC_OFFSET} 年 {day.month} 月 {day.day} 日"


BLANK_DATE_LINE = "中華民國　　　　年　　　　月　　　　日"


def signature_label(name: str) -> str:
    """「理事長」→「理事長（簽章）」; a label that already says what to do is kept."""
    return name if "（" in name or "(" in name else f"{name}（簽章）"


def cell_text(cell: Cell) -> str:
    """The text a cell prints: money as #,##0, the slash for cells that may hold no value."""
    value = cell.value
    if cell.style is Style.SLASH:
        return "/"
    if value is None:
        return ""
    if cell.style is Style.MONEY:
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, float):
            return f"{round(value):,}"
        digits = value.replace(",", "").strip()
        if digits.lstrip("-").isdigit():
            return f"{int(digits):,}"
        return value.strip()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("\r\n", "\n").replace("\r", "\n").rstrip()


# ---------------------------------------------------------------- looks of the styles


@dataclass(frozen=True)
class Look:
    size: float
    align: str  # "left", "center", "right"
    bold: bool = False
    border: bool = True
    fill: float | None = None
    top: bool = False  # text at the top of the cell instead of the middle
    fixed: bool = False  # keeps its size when a crowded table's text is scaled down


LOOKS: dict[Style, Look] = {
    Style.TITLE: Look(16, "center", bold=True, border=False, fixed=True),
    Style.SUBTITLE: Look(12, "center", bold=True, border=False, fixed=True),
    Style.HEADER: Look(10, "center", bold=True, fill=HEADER_FILL),
    Style.LABEL: Look(10, "left"),
    Style.TEXT: Look(10, "left"),
    Style.CENTER: Look(10, "center"),
    Style.MONEY: Look(10, "right"),
    Style.NUMBER: Look(10, "right"),
    Style.SLASH: Look(10, "center"),
    Style.NOTE: Look(10, "left", border=False, top=True),
    Style.SIGNATURE: Look(10, "center", top=True),
}


@dataclass
class _Fitted:
    cell: Cell
    look: Look
    x0: float
    x1: float
    size: float
    lines: tuple[str, ...]
    needed: float  # height the cell needs

    @property
    def inner_width(self) -> float:
        return self.x1 - self.x0 - 2 * PAD_X


@functools.lru_cache(maxsize=8192)  # rosters and ledgers repeat the same short texts in the same columns
def fit_text(text: str, width: float, max_height: float, size: float, font: Font) -> tuple[float, tuple[str, ...]]:
    """The size and lines of ``text`` in a cell ``width`` wide, in order of preference:

    1. ``size``, or a smaller size down to SHRINK_FLOOR, with whole words, within ``max_height``;
    2. at the floor, words broken between characters; a text still too tall keeps the floor
       (its row grows; rows that must stay together shrink as a block, see GridLayout);
    3. below the floor only when a single character is wider than the cell.
    """

    def attempt(at: float, break_words: bool) -> tuple[list[str] | None, bool]:
        lines = wrap(text, width, functools.partial(font.width, size=at), break_words)
        return lines, lines is not None and len(lines) * at * LEADING <= max_height + EPSILON

    current = size
    while True:
        lines, fits = attempt(current, break_words=False)
        if fits and lines is not None:
            return current, tuple(lines)
        if current - SHRINK_STEP < SHRINK_FLOOR - EPSILON:
            break
        current -= SHRINK_STEP
    while current >= HARD_FLOOR - EPSILON:
        lines, _ = attempt(current, break_words=True)
        if lines is not None:
            return current, tuple(lines)
        current -= SHRINK_STEP
    return HARD_FLOOR, (text,)  # a column narrower than one character: the drawing clips it


# ---------------------------------------------------------------- one grid


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


@dataclass
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
        self.by_first_row: dict[int, list[_Fitted]] = {}
        self.heights: list[float] = [DEFAULT_ROW_HEIGHT] * self.n_rows
        self._fit_cells()
        self.pages: list[Page] = []
        self.y = 0.0
        self._fresh_y = 0.0

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

    def _fit(self, cell: Cell, max_height: float, size_cap: float | None = None) -> _Fitted:
        look = LOOKS.get(cell.style, LOOKS[Style.TEXT])
        x0 = self.edges[min(cell.col, len(self.edges) - 1)]
        x1 = self.edges[min(cell.last_col + 1, len(self.edges) - 1)]
        room = SEAL_BOX if cell.style is Style.SIGNATURE else 0.0
        size = look.size if look.fixed else round(look.size * self.text_scale * 2) / 2
        size = size if size_cap is None else min(size, size_cap)
        text = cell_text(cell)
        if not text:
            return _Fitted(cell, look, x0, x1, size, (), 2 * PAD_Y + room)
        size, lines = fit_text(text, x1 - x0 - 2 * PAD_X, max_height - 2 * PAD_Y - room, size, self.font)
        return _Fitted(cell, look, x0, x1, size, lines, len(lines) * size * LEADING + 2 * PAD_Y + room)

    def _fit_cells(self) -> None:
        body = self.frame.body_height
        header_height = 0.0
        if self.header is not None:
            first, last = self.header
            self._fit_rows(first, last, body / 2)
            header_height = sum(self.heights[first : last + 1])
        limit = body - header_height  # a block of rows must fit under the repeated header
        first_after_header = True
        ranges = self._block_ranges()
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
            self._fit_block(first, last, room)
            if room < limit and self._smallest_size(first, last) < SHRINK_FLOOR - EPSILON:
                self._fit_block(first, last, limit)  # legible text matters more than keeping company

    def _fit_block(self, first: int, last: int, room: float) -> None:
        self._fit_rows(first, last, room)
        if sum(self.heights[first : last + 1]) > room + EPSILON:
            self._shrink_rows(first, last, room)

    def _smallest_size(self, first: int, last: int) -> float:
        return min((f.size for r in range(first, last + 1) for f in self.by_first_row[r]), default=SHRINK_FLOOR)

    def _fit_rows(self, first: int, last: int, limit: float, size_cap: float | None = None) -> None:
        for r in range(first, last + 1):
            self.by_first_row[r] = [self._fit(c, limit) for c in self._cells_at.get(r, [])]
            if size_cap is not None:  # only the cells that make rows grow shrink; dates and amounts keep their size
                self.by_first_row[r] = [
                    self._fit(f.cell, limit, size_cap) if f.needed > f.cell.rowspan * DEFAULT_ROW_HEIGHT else f
                    for f in self.by_first_row[r]
                ]
        self._measure_rows(first, last, explicit=size_cap is None)

    def _shrink_rows(self, first: int, last: int, limit: float) -> None:
        """The last resort for rows that must stay together but are taller than a page.

        Row heights set for the workbook are dropped first, then every cell of the block
        shrinks by the same step until the block fits (or the smallest size is reached).
        """
        self._measure_rows(first, last, explicit=False)
        size = max((f.size for r in range(first, last + 1) for f in self.by_first_row[r]), default=HARD_FLOOR)
        while sum(self.heights[first : last + 1]) > limit + EPSILON and size - SHRINK_STEP >= HARD_FLOOR - EPSILON:
            size -= SHRINK_STEP
            self._fit_rows(first, last, limit, size_cap=size)

    def _measure_rows(self, first: int, last: int, explicit: bool) -> None:
        """Row heights of rows first..last: the workbook's height (if ``explicit``) or the default,
        grown to what the cells need; a merged cell's extra need is shared by its rows."""
        for r in range(first, last + 1):
            given = self.grid.row_heights.get(r, DEFAULT_ROW_HEIGHT) if explicit else DEFAULT_ROW_HEIGHT
            self.heights[r] = max(given, *(f.needed for f in self.by_first_row[r] if f.cell.rowspan == 1), 0.0)
        spanning = [f for r in range(first, last + 1) for f in self.by_first_row[r] if f.cell.rowspan > 1]
        for f in sorted(spanning, key=lambda f: f.cell.rowspan):
            rows = range(f.cell.row, self._last(f.cell) + 1)
            deficit = f.needed - sum(self.heights[r] for r in rows)
            if deficit > 0:
                for r in rows:
                    self.heights[r] += deficit / len(rows)

    # ---- blocks of rows that stay together

    @functools.cached_property
    def _cells_at(self) -> dict[int, list[Cell]]:
        cells: dict[int, list[Cell]] = {}
        for cell in self.grid.cells:
            cells.setdefault(cell.row, []).append(cell)
        return cells

    def _reach(self) -> list[int]:
        """For each row, the last row it must stay on the same page with (merged cells, the header)."""
        reach = list(range(self.n_rows))
        for cell in self.grid.cells:
            for r in range(cell.row, self._last(cell) + 1):
                reach[r] = max(reach[r], self._last(cell))
        if self.header is not None:
            for r in range(self.header[0], self.header[1] + 1):
                reach[r] = max(reach[r], self.header[1])
        return reach

    def _block_ranges(self) -> list[tuple[int, int]]:
        ranges: list[tuple[int, int]] = []
        first = 0
        while first < self.n_rows:
            last = first
            r = first
            while r <= last:
                last = max(last, self.reach[r])
                r += 1
            ranges.append((first, last))
            first = last + 1
        return ranges

    def _blocks(self) -> list[_Block]:
        return [
            _Block(first, last, sum(self.heights[first : last + 1]), self._kind(first, last))
            for first, last in self._block_ranges()
        ]

    def _kind(self, first: int, last: int) -> str:
        if self.header is not None and first <= self.header[0] <= last:
            return "header"
        cells = [f for r in range(first, last + 1) for f in self.by_first_row.get(r, [])]
        return "body" if any(f.look.border for f in cells) else "title"

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
        self._new_page(repeat_header=False)
        repeating = False  # whether the table header repeats on the next page
        chunks = self._chunks(self._blocks())
        for n, chunk in enumerate(chunks, start=1):
            height = sum(b.height for b in chunk)
            if n == len(chunks) and height + self._tail_height() <= self.frame.body_height:
                height += self._tail_height()  # the signatures never stand alone on a page
            if height > self._room() and not self._page_is_fresh():
                self._new_page(repeating and chunk[0].kind == "body")
            for block in chunk:
                if block.height > self._room() and not self._page_is_fresh():
                    self._new_page(repeating and block.kind == "body")
                if self._page_is_fresh() and self._is_empty(block):
                    continue  # a spacer row does not open a page
                self._place_rows(block.first, block.last)
                if block.kind == "header":
                    repeating = True
                elif block.kind == "title":
                    repeating = False  # the table ended: a later table has its own headings
        self._place_footer_lines()
        self._place_signatures()
        return self.pages

    def _is_empty(self, block: _Block) -> bool:
        return not any(self.by_first_row.get(r) for r in range(block.first, block.last + 1))

    def _new_page(self, repeat_header: bool) -> None:
        self.pages.append(Page(self.frame.width, self.frame.height, self.grid.title, self.grid.sheet_name))
        self.y = self.frame.top
        if repeat_header and self.header is not None:
            self._place_rows(*self.header)
        self._fresh_y = self.y  # a page holding only the repeated header counts as empty

    def _page_is_fresh(self) -> bool:
        return self.y >= self._fresh_y - EPSILON

    def _room(self) -> float:
        return self.y - self.frame.bottom

    def _place_rows(self, first: int, last: int) -> None:
        tops = [self.y]
        for r in range(first, last + 1):
            tops.append(tops[-1] - self.heights[r])
        page = self.pages[-1]
        for r in range(first, last + 1):
            for fitted in self.by_first_row.get(r, []):
                end = min(fitted.cell.last_row, last)
                box = Box(fitted.x0, tops[end - first + 1], fitted.x1, tops[r - first])
                self._draw_cell(page, fitted, box)
        self.y = tops[-1]

    def _draw_cell(self, page: Page, fitted: _Fitted, box: Box) -> None:
        look = fitted.look
        if look.border or look.fill is not None:
            page.rects.append(Rect(box, fill=look.fill, stroke=look.border))
        if look.border:
            page.cells.append(box)
        size = fitted.size
        leading = size * LEADING
        text_height = len(fitted.lines) * leading
        line_top = box.y1 - PAD_Y if look.top else box.y1 - (box.height - text_height) / 2
        inner = Box(box.x0 + PAD_X, box.y0, box.x1 - PAD_X, box.y1)
        for line in fitted.lines:
            self._add_text(page, line, size, look.align, line_top, inner, box, look.bold)
            line_top -= leading

    def _add_text(
        self, page: Page, text: str, size: float, align: str, line_top: float, inner: Box, frame: Box, bold: bool
    ) -> None:
        if not text:
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
            self._add_text(self.pages[-1], line, FOOTER_SIZE, "left", self.y, box, box, False)
            self.y -= leading

    def _place_signatures(self) -> None:
        plan = self._signatures
        if plan is None:
            return
        if plan.height > self._room():
            self._new_page(repeat_header=False)
        page = self.pages[-1]
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


# ---------------------------------------------------------------- page header and footer


def page_number_label(number: int, total: int) -> str:
    return f"第 {number} 頁／共 {total} 頁"


def _band_text(page: Page, font: Font, text: str, align: str, band: Box, limit: float) -> None:
    if not text:
        return
    size = BAND_SIZE
    while size > SHRINK_FLOOR and font.width(text, size) > limit:
        size -= SHRINK_STEP
    while len(text) > 1 and font.width(text, size) > limit:  # the full name is in the page's own title rows
        text = text[:-2] + "…"
    width = font.width(text, size)
    x = band.x1 - width if align == "right" else band.x0
    baseline = band.y0 + (band.height - (font.ascent - font.descent) * size) / 2 - font.descent * size
    glyphs = Box(x, baseline + font.descent * size, x + width, baseline + font.ascent * size)
    page.texts.append(TextRun(text, x, baseline, size, False, glyphs, band))


def finish_pages(pages: Sequence[Page], font: Font, *, union_name: str, year_label: str) -> list[Page]:
    """Copies of the pages with the title (and so the union name) and the year on top, the sheet
    name and 第 N 頁／共 M 頁 below; N counts the pages of this file."""
    finished: list[Page] = []
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        done = replace(page, rects=list(page.rects), texts=list(page.texts), cells=list(page.cells))
        left, right = MARGIN_X, page.width - MARGIN_X
        width = right - left
        head = Box(left, page.height - MARGIN_TOP - BAND, right, page.height - MARGIN_TOP)
        foot = Box(left, MARGIN_BOTTOM, right, MARGIN_BOTTOM + BAND)
        done.rects.append(Rect(Box(left, head.y0, right, head.y0), line_width=0.4))
        done.rects.append(Rect(Box(left, foot.y1, right, foot.y1), line_width=0.4))
        heading = page.title if union_name in page.title else f"{union_name} {page.title}".strip()
        _band_text(done, font, heading, "left", head, width * 0.7)
        _band_text(done, font, year_label, "right", head, width * 0.25)
        _band_text(done, font, page.sheet_name, "left", foot, width * 0.7)
        _band_text(done, font, page_number_label(number, total), "right", foot, width * 0.25)
        finished.append(done)
    return finished


# ---------------------------------------------------------------- drawing


def draw_pages(pages: Sequence[Page], path: str | Path, font: Font, *, title: str = "") -> Path:
    """Write the pages; the output is byte-for-byte the same for the same pages."""
    target = Path(path)
    first = pages[0] if pages else Page(*A4, title)
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0  # binary streams: smaller, and reportlab's pure-Python base-85 encoder is slow
    try:
        pdf = canvas.Canvas(
            str(target),
            pagesize=(first.width, first.height),
            invariant=1,
            pageCompression=1,
            initialFontName=font.name,  # else every page names Helvetica, a font that is not embedded
            initialFontSize=10,
        )
        pdf.setTitle(title or first.title)
        pdf.setCreator("treasurer_app")
        pdf.setProducer("treasurer_app")
        for page in pages or [first]:
            pdf.setPageSize((page.width, page.height))
            _draw_rects(pdf, page.rects)
            _draw_texts(pdf, page.texts, font)
            pdf.showPage()
        pdf.save()
    finally:
        rl_config.useA85 = saved_a85
    return target


def _draw_rects(pdf: canvas.Canvas, rects: Sequence[Rect]) -> None:
    """Fills first, then every border of one width as one path (a page has hundreds of cells).

    The path is written as PDF operators directly: reportlab formats every number in
    pure Python, which made drawing borders most of the time spent on a package.
    """
    for level in sorted({r.fill for r in rects if r.fill is not None}):
        shapes = [_rect_operator(r.box) for r in rects if r.fill == level]
        pdf.addLiteral(f"q {level:.3f} g {' '.join(shapes)} f Q")
    for width in sorted({r.line_width for r in rects if r.stroke}):
        shapes = [_rect_operator(r.box) for r in rects if r.stroke and r.line_width == width]
        pdf.addLiteral(f"q 0 G {width:.2f} w {' '.join(shapes)} S Q")


def _rect_operator(box: Box) -> str:
    if box.width == 0 or box.height == 0:
        return f"{box.x0:.2f} {box.y0:.2f} m {box.x1:.2f} {box.y1:.2f} l"
    return f"{box.x0:.2f} {box.y0:.2f} {box.width:.2f} {box.height:.2f} re"


def _draw_texts(pdf: canvas.Canvas, runs: Sequence[TextRun], font: Font) -> None:
    """All of a page's text in one text object, written as PDF operators (like the borders, for speed).

    Bold is fill-and-stroke of the one regular face. The TrueType font is split into
    subsets per document by reportlab, which is why the canvas's document is needed.
    """
    ttf = pdfmetrics.getFont(font.name)
    document = pdf._doc
    operators = [f"q 0 g 0 G {BOLD_STROKE:.2f} w BT"]
    current: tuple[int, float] | None = None
    mode = 0
    clipped: list[TextRun] = []
    for run in runs:
        if not run.frame.contains(run.box, tolerance=0.5):
            clipped.append(run)
            continue
        if (2 if run.bold else 0) != mode:
            mode = 2 if run.bold else 0
            operators.append(f"{mode} Tr")
        operators.append(f"1 0 0 1 {run.x:.2f} {run.baseline:.2f} Tm")
        for subset, encoded in ttf.splitString(run.text, document):
            if (subset, run.size) != current:
                current = (subset, run.size)
                operators.append(f"{ttf.getSubsetInternalName(subset, document)} {run.size:.2f} Tf")
            operators.append(f"({escapePDF(encoded)}) Tj")
    operators.append("ET Q")
    pdf.addLiteral("\n".join(operators))
    for run in clipped:  # only a character wider than its cell at the smallest size: keep it inside
        pdf.saveState()
        clip = pdf.beginPath()
        clip.rect(run.frame.x0, run.frame.y0, run.frame.width, run.frame.height)
        pdf.clipPath(clip, stroke=0, fill=0)
        single = pdf.beginText(run.x, run.baseline)
        single.setFont(font.name, run.size)
        single.textOut(run.text)
        pdf.drawText(single)
        pdf.restoreState()


# ---------------------------------------------------------------- the whole job


def layout_document(
    grids: Sequence[Grid], font: Font, *, union_name: str, year_label: str, date_line: str
) -> list[Page]:
    pages: list[Page] = []
    for grid in grids:
        pages.extend(layout_grid(grid, font, date_line))
    return finish_pages(pages, font, union_name=union_name, year_label=year_label)


def date_line_text(date_line: date | str | None) -> str:
    if date_line is None:
        return BLANK_DATE_LINE
    if isinstance(date_line, date):
        return roc_date_line(date_line)
    return date_line


def render_grids(
    grids: Sequence[Grid],
    path: str | Path,
    *,
    union_name: str,
    year_label: str,
    date_line: date | str | None = None,
    font: Font | None = None,
) -> Path:
    """Print grids to one A4 PDF, each grid starting on a new page.

    ``date_line`` goes under the signature blocks: a date (printed as 中華民國 Y 年 M 月 D 日),
    a ready-made line, or None for a blank line to fill in by hand.
    """
    font = font or default_font()
    pages = layout_document(
        grids, font, union_name=union_name, year_label=year_label, date_line=date_line_text(date_line)
    )
    return draw_pages(pages, path, font, title=grids[0].title if grids else "")
