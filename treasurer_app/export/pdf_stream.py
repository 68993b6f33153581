"""A long grid's rows drawn straight into PDF operators, a page's content compressed as soon as it is drawn.

``GridLayout`` places rows; what it places them as is up to its painter. The tests read
pages of boxes and text runs (``GridLayout._record_row``); a quarter's ledger, hundreds of
thousands of cells, is written by ``StreamPainter`` instead, which formats each row's
borders, fills and text operators as the row is placed, sharing the row's coordinates
among its cells, and keeps no box or run objects. Both give the same bytes
(``PageWriter.draw`` writes either the same way; tests/unit/test_pdf.py compares them).

``TextOperators`` is the one place a text run becomes operators (text matrix, the
font subset, the escaped string), for the painter and for ``PageWriter`` alike.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.pdfdoc import PDFPage, PDFStream
from reportlab.pdfbase.ttfonts import TTFont

from treasurer_app.export.grid import Cell
from treasurer_app.export.pdf import BORDER_WIDTH, PAD_Y, Box, Fit, Page, TextRun
from treasurer_app.export.pdf_text import LEADING, Font

BOLD_STROKE = 0.35  # outline added to glyphs for a bold look
PIECES_KEPT = 20_000  # texts whose split a document remembers (a ledger's 100,000 balances would take 15 MB)
TEXT_START = f"q 0 g 0 G {BOLD_STROKE:.2f} w BT"
TEXT_END = "ET Q"


class TextOperators:
    """Text runs as PDF text operators in one document, a page's text object at a time.

    Bold is fill-and-stroke of the one regular face. The TrueType font is split into
    subsets per document by reportlab, which numbers a subset's glyphs in the order the
    file first uses them: texts are split in the order they are drawn.
    """

    def __init__(self, ttf: TTFont, document: object) -> None:
        self._ttf = ttf
        self._document = document
        # text → its (subset, escaped bytes) pieces in this file: a text once split always splits the same way
        self.pieces: dict[str, list[tuple[int, str]]] = {}
        self._fonts: dict[tuple[int, float], str] = {}  # (subset, size) → its Tf operator
        self.mode = 0  # text rendering mode: 0 fill, 2 fill and stroke (bold)
        self.current: tuple[int, float] | None = None  # the subset and size the text object is set to

    def begin(self) -> list[str]:
        """A page's text object, opened: add runs to the list, then TEXT_END."""
        self.mode, self.current = 0, None
        return [TEXT_START]

    def split(self, text: str) -> list[tuple[int, str]]:
        pieces = self.pieces.get(text)
        if pieces is None:
            split = self._ttf.splitString(text, self._document)
            if len(self.pieces) >= PIECES_KEPT:
                self.pieces.clear()  # splitting again gives the same pieces: the subsets keep their numbering
            pieces = self.pieces[text] = [(subset, escapePDF(encoded)) for subset, encoded in split]
        return pieces

    def font(self, subset: int, size: float) -> str:
        operator = self._fonts.get((subset, size))
        if operator is None:
            name = self._ttf.getSubsetInternalName(subset, self._document)
            operator = self._fonts[(subset, size)] = f"{name} {size:.2f} Tf"
        return operator

    def add(self, operators: list[str], text: str, matrix: str, size: float, bold: bool) -> None:
        """One run: ``matrix`` is its Tm operator."""
        mode = 2 if bold else 0
        if mode != self.mode:
            self.mode = mode
            operators.append(f"{mode} Tr")
        operators.append(matrix)
        for subset, escaped in self.pieces.get(text) or self.split(text):
            if (subset, size) != self.current:
                self.current = (subset, size)
                operators.append(self.font(subset, size))
            operators.append(f"({escaped}) Tj")


def inside(box: Box, frame: Box) -> bool:
    """Whether a run's glyphs stay in its cell (within half a point); the writer clips those that do not."""
    return (
        box.x0 >= frame.x0 - 0.5 and box.y0 >= frame.y0 - 0.5 and box.x1 <= frame.x1 + 0.5 and box.y1 <= frame.y1 + 0.5
    )


@dataclass
class PageBody:
    """A page's table, drawn: fills by grey level and borders as path operators, text operators, clipped runs."""

    fills: dict[float, list[str]] = field(default_factory=dict)
    strokes: dict[float, list[str]] = field(default_factory=dict)  # by line width
    texts: list[str] = field(default_factory=list)  # the open text object's operators
    clipped: list[TextRun] = field(default_factory=list)


class StreamPainter:
    """Draws rows as ``GridLayout`` places them (its ``Painter``), a page's body at a time; ``take`` hands
    the finished page's body to ``PageWriter.draw``. Every number is computed as ``_record_row`` and
    ``pdf_draw`` compute it, so the bytes are the same."""

    def __init__(self, font: Font, text: TextOperators) -> None:
        self._font = font
        self._text = text
        self._page: Page | None = None
        self._body = PageBody()
        self._columns: dict[tuple[float, float], tuple[str, str]] = {}  # (x0, x1) → x0 and width, formatted

    def take(self) -> PageBody | None:
        """The body of the page drawn last (None when no row was drawn on it); the painter lets it go."""
        body = self._body if self._page is not None else None
        self._page, self._body = None, PageBody()
        return body

    def __call__(
        self, page: Page, r: int, cells: list[Cell], fits: list[Fit], tops: list[float], first: int, last: int
    ) -> None:
        body = self._body
        if self._page is not page:
            self._page = page
            body.texts = self._text.begin()
        font, add, columns = self._font, self._text.add, self._columns
        ascent, descent = font.ascent, font.descent
        fills, strokes, texts, clipped = body.fills, body.strokes, body.texts, body.clipped
        y1 = tops[r - first]
        rows: dict[float, tuple[str, str]] = {}  # y0 → y0 and height, formatted
        for cell, (look, x0, x1, size, lines, _, placed) in zip(cells, fits, strict=True):
            y0 = tops[min(cell.last_row, last) - first + 1]
            if look.border or look.fill is not None:
                shape = _shape(x0, y0, x1, y1, columns, rows)
                if look.fill is not None:
                    fills.setdefault(look.fill, []).append(shape)
                if look.border:
                    strokes.setdefault(BORDER_WIDTH, []).append(shape)
            if not lines:
                continue
            leading = size * LEADING
            line_top = y1 - PAD_Y if look.top else y1 - (y1 - y0 - len(lines) * leading) / 2
            em = (ascent - descent) * size
            above, below = ascent * size, descent * size
            bold = look.bold
            for line, (x, width) in zip(lines, placed, strict=True):
                if line:
                    baseline = line_top - (size * LEADING - em) / 2 - above
                    if (
                        x >= x0 - 0.5 and baseline + below >= y0 - 0.5 and x + width <= x1 + 0.5
                        and baseline + above <= y1 + 0.5
                    ):  # fmt: skip
                        add(texts, line, f"1 0 0 1 {x:.2f} {baseline:.2f} Tm", size, bold)
                    else:
                        glyphs = Box(x, baseline + below, x + width, baseline + above)
                        clipped.append(TextRun(line, x, baseline, size, bold, glyphs, Box(x0, y0, x1, y1)))
                line_top -= leading


def _shape(
    x0: float, y0: float, x1: float, y1: float, columns: dict[tuple[float, float], tuple[str, str]],
    rows: dict[float, tuple[str, str]],
) -> str:  # fmt: skip
    """A cell's rectangle as path operators (``pdf_draw.rect_operator``), its columns' and row's numbers
    formatted once."""
    width, height = x1 - x0, y1 - y0
    if width == 0 or height == 0:
        return f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l"
    column = columns.get((x0, x1))
    if column is None:
        column = columns[(x0, x1)] = (f"{x0:.2f}", f"{width:.2f}")
    row = rows.get(y0)
    if row is None:
        row = rows[y0] = (f"{y0:.2f}", f"{height:.2f}")
    return f"{column[0]} {row[0]} {column[1]} {row[1]} re"


class _Deflated:
    """A stream filter for content compressed already (as reportlab's own FlateDecode filter does it)."""

    pdfname = "FlateDecode"

    @staticmethod
    def encode(content: bytes) -> bytes:
        return content


def compress_page(page: PDFPage) -> None:
    """The page's content compressed now, exactly as reportlab compresses it when it saves the file, and its
    text let go: a ledger's 1,500 pages would otherwise stay in memory, uncompressed, until then."""
    stream = PDFStream(content=zlib.compress(page.stream.encode("utf8")), filters=[_Deflated])
    stream.__Comment__ = "page stream"  # type: ignore[attr-defined]  # reportlab's own label (absent from the stubs)
    page.Contents = stream
    page.stream = None
