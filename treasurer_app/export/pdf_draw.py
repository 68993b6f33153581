"""Drawing laid-out pages into a PDF file: the page header and footer bands, then reportlab.

``finish_pages`` / ``finish_page`` add the bands (union name and year on top, the sheet
name and 第 N 頁／共 M 頁 below); ``PageWriter`` draws pages one after another into one
file. ``write_grids`` does the whole job a page at a time (``GridLayout.stream``): a
quarter's ledger of 25,000 entries never holds more than one page of boxes. The output
is byte-for-byte the same for the same pages, whichever way they were produced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import TracebackType

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from treasurer_app.export.grid import Grid
from treasurer_app.export.pdf import Box, GridLayout, Page, Rect, TextRun, layout_grid
from treasurer_app.export.pdf_frame import BAND, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, page_frame
from treasurer_app.export.pdf_stream import (
    TEXT_END,
    PageBody,
    StreamPainter,
    TextOperators,
    compress_page,
    inside,
    rect_operator,
)
from treasurer_app.export.pdf_text import SHRINK_FLOOR, SHRINK_STEP, Font, date_line_text, default_font

BAND_SIZE = 8.0


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


def finish_page(
    page: Page, font: Font, number: int, total: int, *, union_name: str, year_label: str, head: bool = True
) -> Page:
    """A copy of the page with the title (and so the union name) and the year on top, the sheet
    name and 第 N 頁／共 M 頁 below. ``head=False``: nothing on top — a letter (函), whose first line is its
    own heading, the union's name and 函, which the band printed a second time above it."""
    done = replace(page, rects=list(page.rects), texts=list(page.texts), cells=list(page.cells))
    left, right = MARGIN_X, page.width - MARGIN_X
    width = right - left
    band = Box(left, page.height - MARGIN_TOP - BAND, right, page.height - MARGIN_TOP)
    foot = Box(left, MARGIN_BOTTOM, right, MARGIN_BOTTOM + BAND)
    if head:
        done.rects.append(Rect(Box(left, band.y0, right, band.y0), line_width=0.4))
    done.rects.append(Rect(Box(left, foot.y1, right, foot.y1), line_width=0.4))
    if head:
        heading = page.title if union_name in page.title else f"{union_name} {page.title}".strip()
        _band_text(done, font, heading, "left", band, width * 0.7)
        _band_text(done, font, year_label, "right", band, width * 0.25)
    _band_text(done, font, page.sheet_name, "left", foot, width * 0.7)
    _band_text(done, font, page_number_label(number, total), "right", foot, width * 0.25)
    return done


def finish_pages(
    pages: Sequence[Page], font: Font, *, union_name: str, year_label: str, head: bool = True
) -> list[Page]:
    """Copies of the pages with their bands (``finish_page``); N counts the pages of this file."""
    total = len(pages)
    return [
        finish_page(page, font, number, total, union_name=union_name, year_label=year_label, head=head)
        for number, page in enumerate(pages, start=1)
    ]


# ---------------------------------------------------------------- drawing


class PageWriter:
    """One PDF file, drawn a page at a time: ``with PageWriter(...) as writer: writer.draw(page)``.

    The file is written when the block ends without an error; a file with no page gets one
    blank page, titled ``title``.
    """

    def __init__(self, path: str | Path, font: Font, *, title: str, first_size: tuple[float, float] = A4) -> None:
        self.path = Path(path)
        self.font = font
        self.title = title
        self.first_size = first_size
        self.pages = 0
        ttf = pdfmetrics.getFont(font.name)
        if not isinstance(ttf, TTFont):
            raise TypeError(f"{font.name} is not a TrueType font: the PDF writer prints only the bundled TrueType font")
        self._saved_a85 = rl_config.useA85
        rl_config.useA85 = 0  # binary streams: smaller, and reportlab's pure-Python base-85 encoder is slow
        try:
            self.canvas = canvas.Canvas(
                str(self.path),
                pagesize=first_size,
                invariant=1,
                pageCompression=1,
                # else every page names Helvetica, a font that is not embedded; the stubs type it as a number
                initialFontName=font.name,  # type: ignore[arg-type]
                initialFontSize=10,
            )
        except BaseException:
            rl_config.useA85 = self._saved_a85
            raise
        # The canvas's document: the TrueType font is split into subsets per document (absent from the stubs).
        self._document = self.canvas._doc  # type: ignore[attr-defined]
        self.text = TextOperators(ttf, self._document)
        self._page_dictionaries: dict[tuple[float, float, int, int], tuple[bytes, bytes]] = {}  # see DrawnPage
        self.canvas.setTitle(title)
        self.canvas.setCreator("treasurer_app")
        self.canvas.setProducer("treasurer_app")

    def __enter__(self) -> PageWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                if not self.pages:
                    self.draw(Page(*self.first_size, self.title))
                self.canvas.save()
        finally:
            rl_config.useA85 = self._saved_a85

    def draw(self, page: Page, body: PageBody | None = None) -> None:
        """Draw the page; ``body``: its table, drawn already by a ``StreamPainter`` of this writer. The page's
        content is compressed and let go at once."""
        self.canvas.setPageSize((page.width, page.height))
        _draw_rects(self.canvas, page.rects, body)
        self._draw_texts(page.texts, body)
        self.canvas.showPage()
        compress_page(self._document.Pages.pages[-1], self._page_dictionaries)
        self.pages += 1

    def _draw_texts(self, runs: Sequence[TextRun], body: PageBody | None) -> None:
        """All of a page's text in one text object, written as PDF operators (like the borders, for speed):
        the body's, then ``runs``; the runs that would stick out of their cell are drawn after it, clipped."""
        pdf, text = self.canvas, self.text
        operators = body.texts if body is not None else text.begin()
        clipped = body.clipped if body is not None else []
        for run in runs:
            if inside(run.box, run.frame):
                text.add(operators, run.text, f"1 0 0 1 {run.x:.2f} {run.baseline:.2f} Tm", run.size, run.bold)
            else:
                clipped.append(run)
        operators.append(TEXT_END)
        pdf.addLiteral("\n".join(operators))
        for run in clipped:  # only a character wider than its cell at the smallest size: keep it inside
            pdf.saveState()
            clip = pdf.beginPath()
            clip.rect(run.frame.x0, run.frame.y0, run.frame.width, run.frame.height)
            pdf.clipPath(clip, stroke=0, fill=0)
            single = pdf.beginText(run.x, run.baseline)
            single.setFont(self.font.name, run.size)
            single.textOut(run.text)
            pdf.drawText(single)
            pdf.restoreState()


def draw_pages(pages: Sequence[Page], path: str | Path, font: Font, *, title: str = "") -> Path:
    """Write the pages; the output is byte-for-byte the same for the same pages."""
    first = pages[0] if pages else Page(*A4, title)
    with PageWriter(path, font, title=title or first.title, first_size=(first.width, first.height)) as writer:
        for page in pages:
            writer.draw(page)
    return Path(path)


def _draw_rects(pdf: canvas.Canvas, rects: Sequence[Rect], body: PageBody | None = None) -> None:
    """Fills first, then every border of one width as one path (a page has hundreds of cells): the body's
    shapes, then the rects'.

    The path is written as PDF operators directly: reportlab formats every number in
    pure Python, which made drawing borders most of the time spent on a package.
    """
    fills = body.fills if body is not None else {}
    strokes = body.strokes if body is not None else {}
    for r in rects:
        if r.fill is not None:
            fills.setdefault(r.fill, []).append(_rect_operator(r.box))
        if r.stroke:
            strokes.setdefault(r.line_width, []).append(_rect_operator(r.box))
    for level in sorted(fills):
        pdf.addLiteral(f"q {level:.3f} g {' '.join(fills[level])} f Q")
    for width in sorted(strokes):
        pdf.addLiteral(f"q 0 G {width:.2f} w {' '.join(strokes[width])} S Q")


def _rect_operator(box: Box) -> str:
    return rect_operator(*box)


# ---------------------------------------------------------------- the whole job


def layout_document(
    grids: Sequence[Grid], font: Font, *, union_name: str, year_label: str, date_line: str
) -> list[Page]:
    pages: list[Page] = []
    for grid in grids:
        pages.extend(layout_grid(grid, font, date_line))
    return finish_pages(pages, font, union_name=union_name, year_label=year_label)


def write_grids(
    grids: Sequence[Grid], path: str | Path, font: Font, *, union_name: str, year_label: str, date_line: str,
    title: str,
) -> Path:  # fmt: skip
    """Print grids to one PDF a page at a time, each grid starting on a new page: the page breaks are
    found first (第 N 頁／共 M 頁 needs M), then each page is laid out, drawn and let go."""
    layouts = [GridLayout(grid, font, date_line) for grid in grids]
    total = sum(layout.page_count() for layout in layouts)
    first = page_frame(grids[0]) if grids else None
    first_size = (first.width, first.height) if first is not None else A4
    with PageWriter(path, font, title=title, first_size=first_size) as writer:
        painter = StreamPainter(font, writer.text)

        def draw(page: Page) -> None:
            number = writer.pages + 1
            finished = finish_page(page, font, number, total, union_name=union_name, year_label=year_label)
            writer.draw(finished, painter.take())

        for layout in layouts:
            layout.stream(draw, painter)
    return Path(path)


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
    title = grids[0].title if grids else ""
    return write_grids(grids, path, font, union_name=union_name, year_label=year_label,
                       date_line=date_line_text(date_line), title=title)  # fmt: skip
