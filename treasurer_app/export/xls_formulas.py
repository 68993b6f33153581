"""Formula tokens for the .xls writer, each shape of formula parsed once.

xlwt's formula parser takes milliseconds a formula (about 4 ms for a ledger's running
balance), which made a year's ledger of a few thousand entries take minutes. A formula is
parsed once per shape: the same formula a row further down (the running balances, the
totals of each row) is the parsed one's tokens with their relative rows moved, exactly
as Excel moves them when a formula is copied down (``Formulas``). A ledger's running
balances are not even printed as text: cells that say their formula's shape (``formula_shape``)
are the first such cell's tokens moved.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import repeat
from operator import add, attrgetter, countOf, is_not, ne
from typing import TYPE_CHECKING

import xlwt

from treasurer_app.export.grid import Cell

if TYPE_CHECKING:
    from treasurer_app.export import xls_block

_ROW_OF, _TEXT = attrgetter("row"), attrgetter("formula")
_SHAPE, _NONE = repeat("formula_shape"), repeat(None)  # getattr's name and default, for every cell of a column

# A1 references outside quoted text: not preceded by a letter/digit (TAN2, LOG10 are functions) and not followed
# by "(" (a function call), "!" (a sheet name) or more name characters. Texts in "…" and sheet names in '…' are
# matched first and kept.
_REFERENCE = re.compile(
    r"(\"(?:[^\"]|\"\")*\")|('(?:[^']|'')*')|(?<![A-Za-z0-9_.])(\$?[A-Z]{1,3})(\$?)([0-9]+)(?![A-Za-z0-9_(!])"
)


class Formulas:
    """Formula tokens per cell, parsing each shape of formula once.

    A formula is known by its text without digits (its skeleton) and the digit runs it holds;
    a later formula with the same skeleton whose digit runs differ from a known one's only in
    the relative rows, each by the same number of rows, is that formula moved (the regex that
    tells rows from other digits runs once per shape, not once per cell).

    Formulas come in repeating sequences (a ledger row's four running balances and its 結存, row
    after row): the shape that followed the last one matched is tried first, by printing it at
    the new row and comparing the texts, which spares the regexes over a long formula's text.

    A cell may say what its formula is without printing it (``keyed``): cells giving the same key
    hold one formula moved by the rows between them (a ledger's running balances), so only the
    first is printed and matched, the others are its tokens moved.
    """

    MAX_PER_SKELETON = 8  # shapes kept per skeleton (SUM(C5:C9) and SUM(C5:C12) share one), most recent first

    def __init__(self) -> None:
        self.known: dict[str, list[_Shape]] = {}  # skeleton → the shapes parsed
        self.matched: _Shape | None = None  # the shape of the formula given last
        self.after: dict[_Shape, _Shape] = {}  # a shape → the shape of the formula that came after it last
        self.before_parsed: _Shape | None = None  # the shape matched before the formula being parsed afresh
        self.by_key: dict[Hashable, _Shape] = {}  # a key given to ``keyed`` → the shape of its formulas
        self.key_parsed: Hashable | None = None  # the key of the formula being parsed afresh, if any
        self.previous: _Shape | None = None  # the shape matched before the formula given last

    def formula(self, text: str, row: int) -> bytes | xlwt.Formula:
        """The tokens of ``text`` at ``row`` when it is a known formula moved, else the formula parsed."""
        tokens = self.moved(text, row)
        if tokens is not None:
            return tokens
        self.before_parsed = self.previous  # learn() links the shape it makes to it
        return xlwt.Formula(text)

    def moved(self, text: str, row: int) -> bytes | None:
        """The tokens of ``text`` at ``row`` when it is a known formula moved (its shape then ``matched``)."""
        self.previous, self.matched, self.key_parsed = self.matched, None, None
        previous = self.previous
        guess = self.after.get(previous) if previous is not None else None
        if guess is not None:
            tokens = guess.printed_at(text, row)
            if tokens is not None:
                self.matched = guess
                return tokens
        numbers = _DIGITS.findall(text)
        for shape in self.known.get(_DIGITS.sub("", text), ()):
            tokens = shape.moved_to(numbers, row)
            if tokens is not None:
                self._follows(previous, shape)
                return tokens
        return None

    def column(self, cell: Cell) -> xls_block.FormulaColumn | None:
        """For the cells of a column (``xls_block``): ``cell``'s formula tokens when they are a known formula's
        moved (None when it would be parsed afresh), where they hold relative rows, and what tells the cells of
        its column that do not hold the same formula moved to their rows."""
        key = None if type(cell) is Cell else getattr(cell, "formula_shape", None)
        if key is not None:
            shape = self.by_key.get(key)
            tokens = None if shape is None else shape.tokens(cell.row - shape.row)
            if shape is None or tokens is None:
                return None
            kind = type(cell)
            if getattr(kind, "shape_by_class", False):  # every cell of its class in a column has this shape
                return tokens, shape.references, lambda cells: _other_class(cells, kind)
            return tokens, shape.references, lambda cells: map(ne, map(getattr, cells, _SHAPE, _NONE), repeat(key))
        text = cell.formula
        tokens = self.moved(text, cell.row) if text else None
        matched = self.matched
        if tokens is None or matched is None:
            return None
        return tokens, matched.references, lambda cells: map(ne, map(_TEXT, cells), matched.printed(cells))

    def keyed(self, key: Hashable, cell: Cell) -> bytes | xlwt.Formula:
        """``formula(cell.formula, cell.row)``, where every cell giving ``key`` holds the same formula moved."""
        shape = self.by_key.get(key)
        if shape is not None:
            tokens = shape.tokens(cell.row - shape.row)
            if tokens is not None:
                return tokens
        formula = self.formula(str(cell.formula), cell.row)
        if isinstance(formula, bytes):
            if self.matched is not None:
                self.by_key[key] = self.matched
        else:
            self.key_parsed = key  # learn() files the shape it makes under it
        return formula

    def _follows(self, previous: _Shape | None, shape: _Shape) -> None:
        if previous is not None:
            self.after[previous] = shape
        self.matched = shape

    def learn(self, formula: xlwt.Formula, row: int) -> None:
        """Remember a freshly parsed formula once written (xlwt fills in its sheet references then)."""
        key, self.key_parsed = self.key_parsed, None
        text = formula.text()
        moving = moving_numbers(text)
        tokens = formula.rpn()[2:]
        offsets = relative_rows(tokens)
        if moving is None or offsets is None:
            return
        shapes = self.known.setdefault(_DIGITS.sub("", text), [])
        shape = _Shape(row, tokens, text, moving, offsets)
        shapes.insert(0, shape)
        del shapes[self.MAX_PER_SKELETON :]
        self._follows(self.before_parsed, shape)
        if key is not None:
            self.by_key[key] = shape


def _other_class(cells: Sequence[Cell], kind: type) -> Iterable[bool]:
    """Whether each cell is not of class ``kind`` (counted first: nearly always all are, then no mask is made)."""
    if countOf(map(type, cells), kind) == len(cells):
        return ()
    return map(is_not, map(type, cells), repeat(kind))


_DIGITS = re.compile(r"[0-9]+")


class _Shape:
    """A parsed formula: its row and tokens, its digit runs as written (the relative rows apart), and the
    tokens cut where they hold the relative rows."""

    __slots__ = ("fixed", "fixed_at", "high", "low", "moving_at", "references", "row", "runs", "starts", "text_parts")

    def __init__(self, row: int, tokens: bytes, text: str, moving: list[bool], offsets: list[int]) -> None:
        numbers = _DIGITS.findall(text)
        self.row, self.references = row, offsets
        self.moving_at = [i for i, moves in enumerate(moving) if moves]
        self.fixed_at = [i for i, moves in enumerate(moving) if not moves]
        self.fixed = [numbers[i] for i in self.fixed_at]  # as written: 存款01 is not 存款1
        self.starts = [int(numbers[i]) for i in self.moving_at]
        # The text cut around its relative rows: [text, row, text, row, …, text], to print it at another row.
        spans = [match.span() for match, moves in zip(_DIGITS.finditer(text), moving, strict=True) if moves]
        cuts = [0, *(at for span in spans for at in span), len(text)]
        self.text_parts: list[str] = []
        for n in range(len(spans) + 1):
            self.text_parts += [text[cuts[2 * n] : cuts[2 * n + 1]], ""]
        self.text_parts.pop()
        # The tokens cut where they hold relative rows: [bytes, row, bytes, row, …, bytes]. Rows in a run of equal
        # ones (a ledger balance's own row, 16 times) are put in with one join: (row, [bytes before each, …]),
        # the last run also holding the bytes after it, the others an empty piece for their last row.
        rows = [struct.unpack_from("<H", tokens, at)[0] for at in offsets]
        cuts = [0, *(at for offset in offsets for at in (offset, offset + 2)), len(tokens)]
        pieces = [tokens[cuts[2 * n] : cuts[2 * n + 1]] for n in range(len(offsets) + 1)]
        self.runs: list[tuple[int, list[bytes]]] = []
        for n, value in enumerate(rows):
            if not self.runs or rows[n - 1] != value:
                self.runs.append((value, []))
            self.runs[-1][1].append(pieces[n])
        for _, run in self.runs:
            run.append(b"")
        if self.runs:
            self.runs[-1][1][-1] = pieces[-1]
        else:
            self.runs.append((0, pieces))  # nothing to move: the tokens as they are
        self.low, self.high = min(rows, default=0), max(rows, default=0)

    def printed(self, cells: Sequence[Cell]) -> Iterator[str]:
        """The formula printed at each cell's row (``printed_at``'s texts, for a column of cells at once)."""
        parts = [part.replace("{", "{{").replace("}", "}}") for part in self.text_parts[::2]]
        template = "".join(f"{part}{{{n}}}" for n, part in enumerate(parts[:-1])) + parts[-1]
        rows = list(map(_ROW_OF, cells))
        return map(template.format, *(map(add, rows, repeat(start - self.row)) for start in self.starts))

    def moved_to(self, numbers: list[str], row: int) -> bytes | None:
        """The tokens for the formula whose digit runs are ``numbers`` at ``row``, when it is this one moved."""
        if len(numbers) != len(self.fixed_at) + len(self.moving_at):
            return None
        if [numbers[i] for i in self.fixed_at] != self.fixed:
            return None
        delta = row - self.row
        written = [numbers[i] for i in self.moving_at]
        if written != [str(start + delta) for start in self.starts]:
            return None
        return self.tokens(delta)

    def printed_at(self, text: str, row: int) -> bytes | None:
        """The tokens for ``text`` at ``row`` when it is this formula moved there, printed the same."""
        delta = row - self.row
        parts = self.text_parts
        parts[1::2] = [str(start + delta) for start in self.starts]
        if "".join(parts) != text:
            return None
        return self.tokens(delta)

    def tokens(self, delta: int) -> bytes | None:
        """The tokens moved ``delta`` rows down (None when a row would leave the sheet)."""
        if self.low + delta < 0 or self.high + delta > 0xFFFF:
            return None
        tokens = b""
        for value, run in self.runs:  # a loop, not a comprehension: two runs mostly, and this is per cell
            tokens += _ROW(value + delta).join(run)
        return tokens


_ROW = struct.Struct("<H").pack


def moving_numbers(text: str) -> list[bool] | None:
    """For each digit run of the formula, whether it is a relative row: 'M12+I13' → [True, True],
    'SUM($A$1:A5)' → [False, True] (an absolute row), 'IF(K5="專戶存款1",1,0)' → [True, False, False, False]
    (text and numbers are no rows); None when nothing moves."""
    rows = {match.start(5) for match in _REFERENCE.finditer(text) if match.group(3) is not None and not match.group(4)}
    if not rows:
        return None
    return [match.start() in rows for match in _DIGITS.finditer(text)]


# Payload sizes of the BIFF8 formula tokens a formula of ours may hold (MS-XLS 2.5.198); the class bits (0x20, 0x40,
# 0x60) of operand tokens are folded to 0x20. Tokens not listed make the formula be parsed afresh.
_FIXED = {
    **dict.fromkeys(range(0x03, 0x17), 0),  # operators, tParen, tMissArg
    0x1C: 1, 0x1D: 1, 0x1E: 2, 0x1F: 8,  # tErr, tBool, tInt, tNum
    0x21: 2, 0x22: 3, 0x23: 4,  # tFunc, tFuncVar, tName
}  # fmt: skip
_REF, _AREA, _REF_3D, _AREA_3D = 0x24, 0x25, 0x3A, 0x3B
_ROW_RELATIVE = 0x8000  # in a reference's column field


def relative_rows(tokens: bytes) -> list[int] | None:
    """Where the tokens hold a row-relative reference's row (two bytes each); None when a token is not understood."""
    offsets: list[int] = []
    i = 0
    while i < len(tokens):
        ptg = tokens[i]
        base = (ptg & 0x1F) | 0x20 if ptg & 0x60 else ptg
        i += 1
        if base in _FIXED:
            i += _FIXED[base]
        elif base == 0x17:  # tStr: length, flags, characters
            length, flags = tokens[i], tokens[i + 1]
            i += 2 + length * (2 if flags & 1 else 1)
        elif base == 0x19:  # tAttr: type, data; tAttrChoose adds a jump table
            kind, count = tokens[i], struct.unpack_from("<H", tokens, i + 1)[0]
            i += 3 + (2 * (count + 1) if kind & 0x04 else 0)
        elif base in (_REF, _REF_3D):
            at = i + (2 if base == _REF_3D else 0)
            offsets += _relative(tokens, at, at + 2)
            i = at + 4
        elif base in (_AREA, _AREA_3D):
            at = i + (2 if base == _AREA_3D else 0)
            offsets += _relative(tokens, at, at + 4) + _relative(tokens, at + 2, at + 6)
            i = at + 8
        else:
            return None
    return offsets if i == len(tokens) else None


def _relative(tokens: bytes, row_at: int, column_at: int) -> list[int]:
    return [row_at] if struct.unpack_from("<H", tokens, column_at)[0] & _ROW_RELATIVE else []
