"""How a cell's text fits its cell: the looks of the styles, and the size, lines and place of a text in its columns.

``CellFits`` answers a cell's fit for ``GridLayout`` (export.pdf), once per text, look and
columns: a long ledger repeats its dates, codes and item texts in the same columns. The
line breaking and the font's metrics are ``pdf_text``'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from treasurer_app.export.grid import Cell, Style
from treasurer_app.export.pdf_text import LEADING, Font, cell_text, fit_text, fit_word, unit_width

MM = 72 / 25.4
PAD_X = 3.0
PAD_Y = 2.5
HEADER_FILL = 0.88  # grey level of table header cells
SEAL_BOX = 30 * MM  # room for a seal: about 3 × 3 cm
_FITS_KEPT = 20_000  # fitted texts remembered (emptied when full)
# A text's digits as 0, in its UTF-8 bytes (where a digit's byte is never part of another character's): a bytes
# table, which translates several times faster than str.translate's mapping
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_NEW_KEPT = 2_000  # fits remembered per column and look: a column of ever new texts is fitted afresh


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


# A cell's fit, which depends on its text, look and columns alone: look, x0, x1, size, lines, needed (the height
# the cell needs), placed (each line's x and width as drawn). The layout keeps a row's fits until it draws the row,
# a fit made from a like (one per text: a ledger's balances) as the like, which is remembered anyway.
Fit = tuple[Look, float, float, float, tuple[str, ...], float, tuple[tuple[float, float], ...]]
# A cell's look, x0, x1, size (before shrinking), room kept for a seal, and the width and height its text may take
CellRoom = tuple[Look, float, float, float, float, float, float]


class CellFits:
    """Cells' fits in one grid's columns (``edges``, the x of each column's left edge and of the last one's right
    edge), its table text printed at ``text_scale`` of its size."""

    def __init__(self, font: Font, edges: list[float], text_scale: float) -> None:
        self.font = font
        self.edges = edges
        self.text_scale = text_scale
        self.fits: dict[tuple[object, ...], Fit] = {}  # (style, col, colspan, class, value, height, cap) → fit
        # (style, col, colspan, height, cap) → its room, and how many fits were made in it (a one-item list)
        self._rooms: dict[tuple[object, ...], tuple[CellRoom, list[int]]] = {}
        # The font's digits all one width (the bundled font's are): a text's size, width and place on one line are
        # those of any text differing from it in its digits alone (a ledger's balances, vouchers, member numbers),
        # every width summed of the same numbers in the same order, every line break decided alike.
        self._digits_alike = len({unit_width(font, digit) for digit in "0123456789"}) == 1
        self._alike: dict[tuple[object, ...], Fit] = {}  # (room key, text with its digits as 0) → a fit on one line
        # the like the last fit_afresh made its fit from (None if it did not): a layout keeping fits keeps the like
        self.like: Fit | None = None

    def fit(self, cell: Cell, max_height: float, size_cap: float | None = None) -> Fit:
        # A ledger repeats its dates, kinds, codes, accounts and amounts in the same columns: each is fitted once.
        value = cell.value
        key = (cell.style, cell.col, cell.colspan, value.__class__, value, max_height, size_cap)
        fitted = self.fits.get(key)
        return self.fit_afresh(key, cell, max_height, size_cap) if fitted is None else fitted

    def fit_afresh(self, key: tuple[object, ...], cell: Cell, max_height: float, size_cap: float | None = None) -> Fit:
        """The fit of a cell not in ``fits`` (``key``: its key there), remembered unless its column's texts
        keep being new (after _NEW_KEPT of them: a ledger's balances, vouchers and members never repeat)."""
        room_key = (cell.style, cell.col, cell.colspan, max_height, size_cap)
        known = self._rooms.get(room_key)
        if known is None:
            known = self._rooms[room_key] = (self._cell_room(cell, max_height, size_cap), [0])
        room, made = known
        text = cell_text(cell)
        alike = None
        if self._digits_alike:  # a text fits as every text differing from it in its digits alone does
            alike_key = (room_key, text.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_ZERO))
            alike = self._alike.get(alike_key)
        if alike is not None:
            fitted: Fit = (alike[0], alike[1], alike[2], alike[3], (text,), alike[5], alike[6])
        else:
            fitted = self._afresh(text, room)
            if self._digits_alike and fitted[4] == (text,) and len(self._alike) < _FITS_KEPT:
                self._alike[alike_key] = fitted  # one whole line: the same size and place for its likes
        self.like = alike
        made[0] += 1
        if made[0] <= _NEW_KEPT:
            if len(self.fits) >= _FITS_KEPT:
                self.fits.clear()
            self.fits[key] = fitted
        return fitted

    def _cell_room(self, cell: Cell, max_height: float, size_cap: float | None) -> CellRoom:
        """What a cell's fit depends on besides its text (the same for a whole column of a long table)."""
        look = LOOKS.get(cell.style, LOOKS[Style.TEXT])
        x0 = self.edges[min(cell.col, len(self.edges) - 1)]
        x1 = self.edges[min(cell.last_col + 1, len(self.edges) - 1)]
        seal = SEAL_BOX if cell.style is Style.SIGNATURE else 0.0
        size = look.size if look.fixed else round(look.size * self.text_scale * 2) / 2
        size = size if size_cap is None else min(size, size_cap)
        return look, x0, x1, size, seal, x1 - x0 - 2 * PAD_X, max_height - 2 * PAD_Y - seal

    def _afresh(self, text: str, room: CellRoom) -> Fit:
        look, x0, x1, size, seal, width, height = room
        if not text:
            return look, x0, x1, size, (), 2 * PAD_Y + seal, ()
        if text.split() == [text]:
            unit = unit_width(self.font, text)
            fitted = fit_word(text, unit, width, height, size)
            if fitted is not None:
                line_width = unit * fitted  # Font.width(text, fitted)
                one_line = ((self._line_x(look, x0, x1, line_width), line_width),)
                return look, x0, x1, fitted, (text,), fitted * LEADING + 2 * PAD_Y + seal, one_line
        size, lines = fit_text(text, width, height, size, self.font)
        placed = tuple((self._line_x(look, x0, x1, w), w) for w in (self.font.width(line, size) for line in lines))
        return look, x0, x1, size, lines, len(lines) * size * LEADING + 2 * PAD_Y + seal, placed

    @staticmethod
    def _line_x(look: Look, x0: float, x1: float, width: float) -> float:
        """Where a line ``width`` wide starts in a cell from x0 to x1."""
        if look.align == "right":
            return x1 - PAD_X - width
        if look.align == "center":
            return ((x0 + PAD_X) + (x1 - PAD_X) - width) / 2  # the same sums as ever: the same bytes
        return x0 + PAD_X
