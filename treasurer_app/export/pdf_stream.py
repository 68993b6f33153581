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
from typing import cast

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.pdfdoc import PDFDocument, PDFPage, PDFStream
from reportlab.pdfbase.ttfonts import TTFont

from treasurer_app.export.grid import Cell
from treasurer_app.export.pdf import BORDER_WIDTH, Box, Page, TextRun
from treasurer_app.export.pdf_fit import PAD_Y, Fit
from treasurer_app.export.pdf_text import LEADING, Font

BOLD_STROKE = 0.35  # outline added to glyphs for a bold look
_NUMBERS_KEPT = 50_000  # formatted coordinates a painter remembers (a page's rows repeat the last page's)
_DIGITS = "0123456789"
PIECES_KEPT = 20_000  # texts whose split a document remembers (a ledger's 100,000 balances would take 15 MB)
TEXT_START = f"q 0 g 0 G {BOLD_STROKE:.2f} w BT"
TEXT_END = "ET Q"
# zlib's fastest level for the pages' content: a quarter's ledger (32 MB of operators over 1,462 pages) is
# compressed in ~0.2 s instead of ~0.43 s at the default level 6, for a file 0.74 MB (14 %) larger (5.26 → 6.0 MB)
PAGE_COMPRESSION = 1


class TextOperators:
    """Text runs as PDF text operators in one document, a page's text object at a time.

    Bold is fill-and-stroke of the one regular face. The TrueType font is split into
    subsets per document by reportlab, which numbers a subset's glyphs in the order the
    file first uses them: texts are split in the order they are drawn.
    """

    def __init__(self, ttf: TTFont, document: object) -> None:
        self._ttf = ttf
        self._document = document
        # text → its (subset, Tj operator) pieces in this file: a text once split always splits the same way
        self.pieces: dict[str, list[tuple[int, str]]] = {}
        self._chars: dict[str, tuple[int, str]] = {}  # character → its subset and its escaped code there
        self._first_known: dict[int, None] = {}  # the characters of subset 0, to delete with str.translate
        self._first_escaped: dict[int, str] = {}  # the characters of subset 0 → their escaped codes
        self._fonts: dict[tuple[int, float], str] = {}  # (subset, size) → its Tf operator
        self.mode = 0  # text rendering mode: 0 fill, 2 fill and stroke (bold)
        self.current: tuple[int, float] | None = None  # the subset and size the text object is set to

    def begin(self) -> list[str]:
        """A page's text object, opened: add runs to the list, then TEXT_END."""
        self.mode, self.current = 0, None
        return [TEXT_START]

    def split(self, text: str) -> list[tuple[int, str]]:
        """The text's pieces, one per subset it runs through in turn: (subset, its Tj operator)."""
        pieces = self.pieces.get(text)
        if pieces is None:
            if len(self.pieces) >= PIECES_KEPT:
                self.pieces.clear()  # splitting again gives the same pieces: the subsets keep their numbering
            if text and not text.translate(self._first_known):  # all in subset 0, known: one translation
                pieces = [(0, f"({text.translate(self._first_escaped)}) Tj")]
            else:
                pieces = [(subset, f"({escaped}) Tj") for subset, escaped in self._pieces(text)]
            self.pieces[text] = pieces
        return pieces

    def plain(self, text: str) -> bool | None:
        """Whether ``text`` and every text differing from it in its digits alone show as themselves in subset 0
        (its characters and the ten digits each split before, each its own code there, none escaped): they are
        then shown without being split (a ledger's balances, amounts and dates). None while one of them is new."""
        chars = self._chars
        for char in _DIGITS + text:
            known = chars.get(char)
            if known is None:
                return None
            if known != (0, char):
                return False
        return True

    def _pieces(self, text: str) -> list[tuple[int, str]]:
        """What reportlab's TTFont.splitString gives for the text, escaped. A character new to the file is
        given its code by splitString itself, alone: it numbers new characters in the order it meets them, so
        the codes are those the whole text would get."""
        pieces: list[tuple[int, str]] = []
        subset, run = -1, ""
        for char in text:
            known = self._chars.get(char)
            if known is None:
                [(code_subset, encoded)] = self._ttf.splitString(char, self._document)
                known = self._chars[char] = (code_subset, escapePDF(encoded))
                if code_subset == 0:
                    self._first_known[ord(char)] = None
                    self._first_escaped[ord(char)] = known[1]
            if known[0] != subset:
                if run:
                    pieces.append((subset, run))
                subset, run = known[0], ""
            run += known[1]
        if run:
            pieces.append((subset, run))
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
        for subset, shown in self.pieces.get(text) or self.split(text):
            if (subset, size) != self.current:
                self.current = (subset, size)
                operators.append(self.font(subset, size))
            operators.append(shown)


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


_Run = tuple[float, str, bool]  # a one-line run's baseline in a row, its Tm operator's end, whether it fits


@dataclass(slots=True)
class _Plan:
    """How a cell of one line that fits its column is drawn, but for its row's numbers: its column's x0 and width
    formatted for its rectangle, its fill and border, its text's size, the start of its Tm operator and its mode;
    whether its texts show as themselves (``TextOperators.plain``: the fits sharing a placed line, a like's, show
    texts differing in their digits alone), None until known; and the text it showed last if of one piece (a text
    without digits is its placed line's only one), with its Tj operator and the font it is shown in."""

    x0: str
    width: str
    fill: float | None
    border: bool
    size: float
    start: str
    mode: int
    plain: bool | None = None
    line: str | None = None
    shown: str = ""
    font: tuple[int, float] | None = None


_NO_PLANS: dict[int, tuple[object, _Plan]] = {}  # what a row of no height has


class StreamPainter:
    """Draws rows as ``GridLayout`` places them (its ``Painter``), a page's body at a time; ``take`` hands
    the finished page's body to ``PageWriter.draw``. Every number is computed as ``_record_row`` and
    ``pdf_draw`` compute it, so the bytes are the same; a row's numbers are formatted once for all its cells,
    a column's for all its rows."""

    def __init__(self, font: Font, text: TextOperators) -> None:
        self._font = font
        self._text = text
        self._page: Page | None = None
        self._body = PageBody()
        self._columns: dict[float, tuple[float, str, str]] = {}  # x0 → x1, x0 and width, formatted
        self._xs: dict[float, str] = {}  # a run's x → the start of its Tm operator
        self._baselines: dict[float, str] = {}  # a run's baseline → the end of its Tm operator
        # a row's bottom and top → its part of its cells' rectangles (None if of no height), and its one-line runs
        # by their size (see _run): the rows of a page are where the last page's were
        self._rows: dict[tuple[float, float], tuple[tuple[str, str] | None, dict[float, _Run]]] = {}
        # id of a one-line fit's placed line → (it, the cell's plan): a column's fits made from one like share it
        self._plans: dict[int, tuple[object, _Plan]] = {}

    def take(self) -> PageBody | None:
        """The body of the page drawn last (None when no row was drawn on it); the painter lets it go."""
        body = self._body if self._page is not None else None
        self._page, self._body = None, PageBody()
        return body

    def __call__(
        self, page: Page, r: int, cells: list[Cell], fits: list[Fit], tops: list[float], first: int, last: int
    ) -> None:
        body, text = self._body, self._text
        if self._page is not page:
            self._page = page
            body.texts = text.begin()
            if (  # checked a page at a time: a page adds a few hundred at most
                len(self._xs) > _NUMBERS_KEPT
                or len(self._baselines) > _NUMBERS_KEPT
                or len(self._plans) > _NUMBERS_KEPT
                or len(self._rows) > _NUMBERS_KEPT
            ):
                self._xs.clear()
                self._baselines.clear()
                self._plans.clear()
                self._rows.clear()
        texts, pieces = body.texts, text.pieces
        strokes = body.strokes.get(BORDER_WIDTH)
        y1 = tops[r - first]
        y0 = tops[r - first + 1]  # the bottom of the row's own cells (a merged cell's is lower)
        known_row = self._rows.get((y0, y1))
        if known_row is None:
            known_row = self._rows[(y0, y1)] = ((f"{y0:.2f}", f"{y1 - y0:.2f} re") if y1 != y0 else None, {})
        row, runs = known_row
        plans = self._plans if row is not None else _NO_PLANS  # a row of no height: its rectangles are lines
        bottom, height = row or ("", "")  # the row's part of its cells' rectangles
        for cell, fit in zip(cells, fits, strict=True):
            known = plans.get(id(fit[6]))  # (the plan holds the placed line: no other object has its id meanwhile)
            if known is not None and cell.rowspan == 1:
                # a cell of one line that fits its column, as planned for its column's like: the row's numbers
                plan = known[1]
                size = plan.size
                run = runs.get(size) or self._run(runs, size, y0, y1)
                if run[2]:  # else drawn clipped below
                    shape = plan.x0 + bottom + plan.width + height
                    if plan.fill is not None:
                        body.fills.setdefault(plan.fill, []).append(shape)
                    if plan.border:
                        if strokes is None:
                            strokes = body.strokes.setdefault(BORDER_WIDTH, [])
                        strokes.append(shape)
                    line = fit[4][0]
                    plain = plan.plain
                    if plain is None:
                        plain = plan.plain = text.plain(line)
                    if plain:  # TextOperators.add, for a text shown as itself: not split, not remembered
                        if plan.mode != text.mode:
                            text.mode = plan.mode
                            texts.append(f"{plan.mode} Tr")
                        texts.append(plan.start + run[1])
                        if (0, size) != text.current:
                            text.current = (0, size)
                            texts.append(text.font(0, size))
                        texts.append(f"({line}) Tj")
                        continue
                    if line is not plan.line:  # (the same text is the same string, from the same fit)
                        shown = pieces.get(line) or text.split(line)
                        if len(shown) != 1:
                            text.add(texts, line, plan.start + run[1], size, plan.mode == 2)
                            continue
                        plan.line, plan.shown, plan.font = line, shown[0][1], (shown[0][0], size)
                    if plan.mode == text.mode and plan.font == text.current:
                        texts.append(plan.start + run[1])  # TextOperators.add, for the usual run
                        texts.append(plan.shown)
                    else:
                        text.add(texts, line, plan.start + run[1], size, plan.mode == 2)
                    continue
            self._one(cell, fit, tops, first, last, row, y0, y1, runs)

    def _run(self, runs: dict[float, tuple[float, str, bool]], size: float, y0: float, y1: float) -> _Run:
        """A one-line run's baseline in the row from y0 to y1 (the arithmetic of _record_row for one line in the
        middle of the cell), its Tm operator's end, and whether its glyphs stay within the row's height."""
        ascent, descent = self._font.ascent, self._font.descent
        leading = size * LEADING
        line_top = y1 - (y1 - y0 - 1 * leading) / 2
        baseline = line_top - (size * LEADING - (ascent - descent) * size) / 2 - ascent * size
        end = self._baselines.get(baseline)
        if end is None:
            end = self._baselines[baseline] = f"{baseline:.2f} Tm"
        fits_height = baseline + descent * size >= y0 - 0.5 and baseline + ascent * size <= y1 + 0.5
        run = runs[size] = (baseline, end, fits_height)
        return run

    def _one(
        self, cell: Cell, fit: Fit, tops: list[float], first: int, last: int, row: tuple[str, str] | None,
        y0: float, y1: float, runs: dict[float, _Run],
    ) -> None:  # fmt: skip
        """A cell not planned: drawn from its fit, and planned if it is a cell of one line that fits its column."""
        body, text = self._body, self._text
        look, x0, x1, size, lines, _, placed = fit
        if cell.rowspan != 1 or row is None or look.top or len(lines) > 1:
            self._cell(cell, fit, y0 if cell.rowspan == 1 else tops[min(cell.last_row, last) - first + 1], y1)
            return
        column = self._columns.get(x0)
        if column is None or column[0] != x1:
            column = self._column(x0, x1)
        if look.border or look.fill is not None:
            shape = column[1] + row[0] + column[2] + row[1] if column[1] else rect_operator(x0, y0, x1, y1)
            if look.fill is not None:
                body.fills.setdefault(look.fill, []).append(shape)
            if look.border:
                body.strokes.setdefault(BORDER_WIDTH, []).append(shape)
        if not lines or not lines[0]:
            return
        run = runs.get(size) or self._run(runs, size, y0, y1)
        x, width = placed[0]
        line = lines[0]
        if not (x >= x0 - 0.5 and x + width <= x1 + 0.5):  # drawn clipped, after the text object
            self._clip(line, x, width, run[0], size, look.bold, Box(x0, y0, x1, y1))
            return
        start = self._xs.get(x)
        if start is None:
            start = self._xs[x] = f"1 0 0 1 {x:.2f} "
        if column[1]:  # a column of some width: its next cells of one line drawn as planned
            plan = _Plan(column[1], column[2], look.fill, look.border, size, start, 2 if look.bold else 0)
            self._plans[id(placed)] = (placed, plan)
        if not run[2]:
            self._clip(line, x, width, run[0], size, look.bold, Box(x0, y0, x1, y1))
            return
        text.add(body.texts, line, start + run[1], size, look.bold)

    def _clip(self, line: str, x: float, width: float, baseline: float, size: float, bold: bool, frame: Box) -> None:
        """A run whose glyphs stick out of its cell: drawn after the text object, clipped to its cell."""
        descent, ascent = self._font.descent, self._font.ascent
        glyphs = Box(x, baseline + descent * size, x + width, baseline + ascent * size)
        self._body.clipped.append(TextRun(line, x, baseline, size, bold, glyphs, frame))

    def _column(self, x0: float, x1: float) -> tuple[float, str, str]:
        """A column's (x1, x0 and width formatted for its cells' rectangles); empty for a column of no width."""
        width = x1 - x0
        column = self._columns[x0] = (x1, f"{x0:.2f} " if width else "", f" {width:.2f} ")
        return column

    def _cell(self, cell: Cell, fit: Fit, y0: float, y1: float) -> None:
        """One cell, whatever it holds: the arithmetic of ``GridLayout._record_row``, line by line."""
        body, add = self._body, self._text.add
        look, x0, x1, size, lines, _, placed = fit
        if look.border or look.fill is not None:
            shape = rect_operator(x0, y0, x1, y1)
            if look.fill is not None:
                body.fills.setdefault(look.fill, []).append(shape)
            if look.border:
                body.strokes.setdefault(BORDER_WIDTH, []).append(shape)
        if not lines:
            return
        ascent, descent = self._font.ascent, self._font.descent
        leading = size * LEADING
        line_top = y1 - PAD_Y if look.top else y1 - (y1 - y0 - len(lines) * leading) / 2
        em = (ascent - descent) * size
        above, below = ascent * size, descent * size
        xs, baselines = self._xs, self._baselines
        for line, (x, width) in zip(lines, placed, strict=True):
            if line:
                baseline = line_top - (size * LEADING - em) / 2 - above
                low, high = baseline + below, baseline + above  # its glyphs' box: inside(glyphs, frame), written out
                if x >= x0 - 0.5 and low >= y0 - 0.5 and x + width <= x1 + 0.5 and high <= y1 + 0.5:
                    start = xs.get(x) or xs.setdefault(x, f"1 0 0 1 {x:.2f} ")
                    end = baselines.get(baseline) or baselines.setdefault(baseline, f"{baseline:.2f} Tm")
                    add(body.texts, line, start + end, size, look.bold)
                else:
                    glyphs, frame = Box(x, low, x + width, high), Box(x0, y0, x1, y1)
                    body.clipped.append(TextRun(line, x, baseline, size, look.bold, glyphs, frame))
            line_top -= leading


def rect_operator(x0: float, y0: float, x1: float, y1: float) -> str:
    """A rectangle as path operators; one of no width or height is a line."""
    width, height = x1 - x0, y1 - y0
    if width == 0 or height == 0:
        return f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l"
    return f"{x0:.2f} {y0:.2f} {width:.2f} {height:.2f} re"


class _Deflated:
    """A stream filter for content compressed already (as reportlab's own FlateDecode filter does it)."""

    pdfname = "FlateDecode"

    @staticmethod
    def encode(content: bytes) -> bytes:
        return content


def compress_page(page: PDFPage, dictionaries: dict[tuple[float, float, int, int], tuple[bytes, bytes]]) -> None:
    """The page's content compressed now (FlateDecode, as reportlab would when it saves the file, but at zlib's
    fastest level) and its text let go: a ledger's 1,500 pages would otherwise stay in memory, uncompressed. Its
    dictionary is written from ``dictionaries``, the file's (see ``DrawnPage``)."""
    stream = PDFStream(content=zlib.compress(page.stream.encode("utf8"), PAGE_COMPRESSION), filters=[_Deflated])
    stream.__Comment__ = "page stream"  # type: ignore[attr-defined]  # reportlab's own label (absent from the stubs)
    page.Contents = stream
    page.stream = None
    page.__class__ = DrawnPage
    cast(DrawnPage, page).dictionaries = dictionaries


# What a page's dictionary holds besides its content, size, rotation, parent, resources and type, and its transition:
# none of them on a page PageWriter draws (no annotation, image, form, colour space, shading or transparency)
_OTHER_ENTRIES = tuple(
    name
    for name in PDFPage.__NoDefault__
    if name not in ("Contents", "MediaBox", "Parent", "Resources", "Rotate", "Annots", "Trans")
)


class DrawnPage(PDFPage):
    """A page drawn by ``PageWriter``, its dictionary written as reportlab writes it (``PDFCatalog.format``) once per
    look (``_look``) in a file, in ``dictionaries``: the page dictionaries of a ledger's 1,500 pages differ in the
    reference to their content alone. A page with anything else (an annotation, an image, a transition, …) is
    written by reportlab itself."""

    dictionaries: dict[tuple[float, float, int, int], tuple[bytes, bytes]]

    def format(self, document: PDFDocument) -> bytes:
        look = self._look()
        known = self.dictionaries.get(look) if look is not None else None
        if known is None:
            written = super().format(document)
            if look is not None:
                contents = b"/Contents " + self._reference(document) + b" "  # registered by format, as its own
                before, found, after = written.partition(contents)
                if found and contents not in after:
                    self.dictionaries[look] = (before + b"/Contents ", b" " + after)
            return written
        # what PDFCatalog.format does to the document for such a page: its content registered, and nothing else
        return known[0] + self._reference(document) + known[1]

    def _reference(self, document: PDFDocument) -> bytes:
        """The reference to the page's content, which it registers (reportlab's PDFDocument.Reference)."""
        # reportlab's stubs leave PDFDocument.Reference untyped
        return cast(bytes, document.Reference(self.Contents).format(document))  # type: ignore[no-untyped-call]

    def _look(self) -> tuple[float, float, int, int] | None:
        """The page's size, rotation and whether it says it may hold images (reportlab's canvas says so of every
        page: the procedure sets of its resources), or None if its dictionary holds more than those, its content,
        parent, resources of fonts alone, an empty transition and its type."""
        if self.MediaBox is not None or self.Resources is not None or self.Parent is not None:
            return None
        used = ("ExtGState", "_colorsUsed", "_shadingUsed")  # set by the canvas (absent from the stubs)
        if self.XObjects or any(getattr(self, name, None) for name in used):
            return None
        if self.Annots or (self.Trans is not None and self.Trans.dict):
            return None
        if any(getattr(self, name) is not None for name in _OTHER_ENTRIES):
            return None
        return (self.pagewidth, self.pageheight, getattr(self, "Rotate", 0), self.hasImages)
