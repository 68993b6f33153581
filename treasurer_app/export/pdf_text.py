"""Text for the PDF writer: the bundled font's metrics, line breaking, and the size a text fits a cell at.

Measuring is the hot path of a long ledger (every cell of every row): widths are
cached per character and per text, and ``fit_text`` answers a text that fits its
cell on one line without breaking it into tokens. Nothing here knows about pages.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from treasurer_app.export.grid import Cell, Style
from treasurer_app.fields import ROC_OFFSET

LEADING = 1.25  # line height as a multiple of the font size
SHRINK_FLOOR = 6.0  # the smallest size a crowded cell shrinks to
HARD_FLOOR = 3.0  # below the floor only when a single character is wider than its cell
SHRINK_STEP = 0.5
EPSILON = 1e-6


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
_TEXT_WIDTHS_MAX = 20_000


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
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):
        raise TypeError(f"{name} is not a TrueType font: the PDF writer prints only the bundled TrueType font")
    face = font.face
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


_MONEY, _SLASH = Style.MONEY, Style.SLASH


def cell_text(cell: Cell) -> str:
    """The text a cell prints: money as #,##0, the slash for cells that may hold no value."""
    value = cell.value
    style = cell.style
    if value.__class__ is int and style is _MONEY:  # most of a ledger's cells, answered first
        return f"{value:,}"
    if isinstance(value, str) and value.__class__ is str and style is not _MONEY and style is not _SLASH:
        return value.replace("\r\n", "\n").replace("\r", "\n").rstrip()  # as the last line says
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


# ---------------------------------------------------------------- a text in a cell


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

    if text.isascii() and text.split() == [text]:  # one Latin word (an amount, a date): it shrinks, never breaks
        at = size
        while at >= SHRINK_FLOOR - EPSILON:
            if font.width(text, at) <= width + EPSILON and at * LEADING <= max_height + EPSILON:
                return at, (text,)  # what the first loop below finds, without tokenising at every size
            at -= SHRINK_STEP
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


def unit_width(font: Font, text: str) -> float:
    """The text's width at size 1 (``Font.width`` is this times the size), summed without remembering the text
    once its characters are known (a ledger's balances are all different)."""
    widths = _WIDTHS.get(font.name)
    if widths is not None:
        try:
            return sum(map(widths.__getitem__, text))  # as _unit_width sums them
        except KeyError:
            pass
    return _unit_width(font.name, text)


def fit_word(word: str, unit: float, width: float, max_height: float, size: float) -> float | None:
    """The size a text without spaces or line breaks, ``unit`` wide at size 1, keeps whole on one line at, as
    ``fit_text`` answers it (``size``, or an ASCII word shrunk toward SHRINK_FLOOR) without breaking it into
    tokens: a ledger's balances and vouchers are all different. None when ``fit_text`` must break it."""
    if size * LEADING <= max_height + EPSILON and unit * size <= width:
        return size
    if not word.isascii():
        return None
    at = size
    while at >= SHRINK_FLOOR - EPSILON:
        if unit * at <= width + EPSILON and at * LEADING <= max_height + EPSILON:
            return at
        at -= SHRINK_STEP
    return None


def date_line_text(date_line: date | str | None) -> str:
    if date_line is None:
        return BLANK_DATE_LINE
    if isinstance(date_line, date):
        return roc_date_line(date_line)
    return date_line
