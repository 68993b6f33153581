"""How a typed text is read before any field type looks at it: spaces trimmed at its edges, full-width
digits, letters and dashes folded to half-width, and digits other than 0–9 (², ①, ٣…) caught, so that a
figure is never guessed from them. Shared by the field types (fields.py); no field knowledge here.
"""

from __future__ import annotations

import re
import unicodedata

_EDGE_SPACE = re.compile(r"^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$")
_ZERO_WIDTH = ("\u200b", "\ufeff")
# NFKC leaves these dash look-alikes alone; an IME in full-width mode produces several of them.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"))
# Addresses keep their CJK text and punctuation as typed; only digits, letters and the hyphen fold.
FULLWIDTH_ALNUM = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
    | {"\uff0d": "-"}
)


def trim(text: str) -> str:
    """The text without the spaces (and zero-width spaces, byte-order marks) at its edges."""
    if text and not (text[0].isspace() or text[-1].isspace() or text[0] in _ZERO_WIDTH or text[-1] in _ZERO_WIDTH):
        return text  # most texts: nothing to trim (str.isspace is what \s matches), without the regex (~3,000 a check)
    return _EDGE_SPACE.sub("", text)


def fold(text: str) -> str:
    """Full-width digits, letters and punctuation → half-width (for structured, non-prose values)."""
    if text.isascii():  # NFKC keeps ASCII as it is, and every dash folded is beyond it
        return text
    return unicodedata.normalize("NFKC", text).translate(_DASHES)


# Digits a number may be written in: ASCII and their full-width forms (an IME in full-width mode).
ARABIC_DIGITS = frozenset("0123456789０１２３４５６７８９")
_DIGIT_KINDS = {"<super>": "上標數字", "<sub>": "下標數字", "<circle>": "圈號數字", "<font>": "數學字型的數字"}


def foreign_digit(text: str) -> str | None:
    """The first character that is a digit or number but not 0–9 (half- or full-width): ², ₂, ①, ⑴, ٣, Ⅻ, 〇, ㏩.

    NFKC would quietly read「²」as 2 and「10²」as 102; a figure is never guessed from such a character.
    """
    if text.isascii():
        return None
    for char in text:
        if char in ARABIC_DIGITS or char.isascii():
            continue
        if unicodedata.category(char)[0] == "N" or any(c in ARABIC_DIGITS for c in unicodedata.normalize("NFKC", char)):
            return char
    return None


def option_digits_problem(text: str, options: tuple[str, ...]) -> str | None:
    """A choice typed with ² or ① where no option is spelled so: refused (「①」would fold to the option「1」)."""
    if text in options:
        return None
    char = foreign_digit(text)
    if char is None or any(char in option for option in options):
        return None
    return foreign_digit_problem(char)


def foreign_digit_problem(char: str) -> str:
    """The Chinese rule message for a digit that is not 0–9, naming its kind (上標數字, 圈號數字…)."""
    tag = unicodedata.decomposition(char).split(" ", 1)[0]
    kind = _DIGIT_KINDS.get(tag, "不是阿拉伯數字")
    kind = kind if kind.startswith("不是") else f"是{kind}"
    return f"「{char}」{kind}，請改用阿拉伯數字 0–9"
