"""Rows laid out alike (a ledger's entries), encoded a column at a time.

A quarter's ledger is 25,000 rows of the same 16 cells; taking each cell through Python code (its record
packed, then its row's records joined) took most of the .xls writer's time. Here a block of rows whose
cells have the same columns, looks, classes and kinds of value (a text, a 30-bit integer, a blank, a
formula moved from the row above's) is written at once:

* its cells are read and checked a column at a time, by ``map`` over the column's cells (a row whose cell
  does not fit its column, say a blank where the others hold text, is written by the plain writer in its
  place, cell by cell);
* every row of a block has the same records, of the same length, differing only in a few fields: the row,
  a shared string's index, an RK number, a formula's result and the rows its references name. A row is
  encoded once (``template``, by ``xls_rows.encode_row``, as any row) and copied for every row of the
  block; each varying field is packed for all the rows at once and written into every copy by a strided
  slice assignment (``_Field``).

The bytes are the ones the plain writer gives, checked in tests/unit/test_xls_block.py.
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import chain, compress, count, groupby, islice, repeat
from operator import attrgetter, countOf, ne, not_, sub
from typing import Any, Protocol

from treasurer_app.export import xls_rows
from treasurer_app.export.grid import Cell, excel_text

MIN_ROWS = 32  # a shorter run of alike rows is written cell by cell (a block's set-up costs about as much)
_LEARNING_ROWS = 8  # a block's first rows tried for a plan, each written cell by cell if it gives none
_PART_ROWS = 2048  # rows checked and encoded together
_CHUNK_ROWS = 512  # rows encoded into one buffer (a ledger row is about 2.6 kB)
_MAX_COLUMN, _MAX_ROW = 255, 0xFFFF

_ROW_OF = attrgetter("row")
_VALUE = attrgetter("value")
_FORMULA = attrgetter("formula")
_ALIKE = ("col", "style", "locked", "rowspan", "colspan")  # what cells of a column share, with their class
_LOOK = attrgetter(*_ALIKE, "__class__")


class CellWriter(Protocol):
    """The plain writer (``xls._CellWriter``): cells one at a time, and the XF index of a cell's look if it is
    in the workbook already."""

    def write(self, cells: Iterable[Cell]) -> None: ...

    def known_xf(self, cell: Cell) -> int | None: ...


Check = Callable[[Sequence[Cell]], Iterable[bool]]  # a column's cells → whether each is not what the plan holds
# A formula cell's tokens at its row, where they hold relative rows, and what tells the cells of its column that
# do not hold it moved to their rows.
FormulaColumn = tuple[bytes, list[int], Check]


class Formulas(Protocol):
    def column(self, cell: Cell) -> FormulaColumn | None: ...


def row_starts(row_of: Sequence[int]) -> list[int]:
    """Where each run of cells on one row starts among cells (``row_of``: each cell's row), then their count."""
    total = len(row_of)
    return [0, *compress(range(1, total), map(ne, row_of, islice(row_of, 1, None))), total] if total else [0]


def blocks(starts: list[int], rows: list[int]) -> Iterator[tuple[int, int, int]]:
    """The blocks of cells listed row after row (``row_starts`` and each run's row, in order): runs of at least
    ``MIN_ROWS`` consecutive rows holding the same number of cells, as (first cell, end, cells a row)."""
    widths = map(sub, islice(starts, 1, None), starts)
    at = 0  # rows passed
    # Consecutive rows of one width keep the same (width, row - its place in the list).
    for (width, _), run in groupby(zip(widths, map(sub, rows, count()), strict=False)):
        length = len(list(run))
        if length >= MIN_ROWS:
            yield starts[at], starts[at + length], width
        at += length


def write_block(
    cells: Sequence[Cell], block: tuple[int, int, int], writer: CellWriter, rows: xls_rows.SheetRows,
    formulas: Formulas,
) -> None:  # fmt: skip
    """The cells of a block (``blocks``: its first cell, end and cells a row), as the plain writer writes them."""
    first, end, width = block

    def row(n: int) -> Sequence[Cell]:  # the block's row n
        return cells[first + n * width : first + (n + 1) * width]

    n = (end - first) // width
    # The plan from the first row laid out as most of the block's rows are (the most common of a few rows
    # spread over it) that gives one; the rows before it as any others (a ledger's first running balances
    # refer to the opening balances: the formulas learn the next ones' shape from the row after).
    spread = Counter(_layout(row(at)) for at in {*range(min(n, 8)), *range(0, n, max(1, n // 8))})
    usual = spread.most_common(1)[0][0]
    plan, at = None, 0
    while plan is None and at < min(n, _LEARNING_ROWS):
        if _layout(row(at)) == usual:
            plan = _plan(row(at), writer, formulas, rows.texts)
        if plan is None:
            writer.write(row(at))
            at += 1
    if plan is None or not plan.reaches(row(at)[0].row, row(n - 1)[0].row):
        writer.write(islice(cells, first + at * width, end))
        return
    for start in range(at, n, _PART_ROWS):  # a part at a time: what is made of each row is let go soon
        part = cells[first + start * width : min(first + (start + _PART_ROWS) * width, end)]
        _write_part(part, width, plan, writer, rows)


def _layout(cells: Sequence[Cell]) -> tuple[Any, ...]:
    """What a row's cells must share with another row's for one plan to encode both (their formulas aside)."""
    return (*map(_LOOK, cells), *map(type, map(_VALUE, cells)))


def _write_part(cells: Sequence[Cell], width: int, plan: _Plan, writer: CellWriter, rows: xls_rows.SheetRows) -> None:
    """Rows of a block: the runs of those that fit ``plan`` encoded by it, each other row written as any other."""
    n = len(cells) // width
    columns = [cells[j::width] for j in range(width)]
    values = [list(map(_VALUE, column)) for column in columns]
    misfits: set[int] = set()
    for j, column in enumerate(columns):
        for mask in plan.misfits(j, column, values[j]):
            misfits.update(compress(range(n), mask))
    done = 0
    for bad in [*sorted(misfits), n]:
        while done < bad:  # rows that fit
            first = cells[done * width].row
            rows.complete_before(first)
            # A row holding cells already (the blanks of a cell merged down from a row above) as any other.
            fit = min([bad, *(done + pending - first for pending in rows.pending)])
            if fit > done:
                plan.encode(rows, first, [column[done:fit] for column in values])
            else:
                writer.write(cells[done * width : (done + 1) * width])
                fit += 1
            done = fit
        if bad < n:
            writer.write(cells[bad * width : (bad + 1) * width])
        done = bad + 1


def _unlike(items: Callable[[], Iterable[Any]], expected: object, n: int) -> Iterable[bool]:
    """Whether each of the ``n`` ``items()`` is not ``expected``: counted first, as nearly always all are (then
    no mask is made)."""
    if countOf(items(), expected) == n:
        return ()
    return map(ne, items(), repeat(expected))


_TEXT, _RK, _BLANK, _FORMULA_CELL = "text", "rk", "blank", "formula"


class _Plan:
    """How a block's rows are encoded: one row's records (``template``) and where its varying fields are."""

    def __init__(
        self, sample: Sequence[Cell], kinds: list[str], template: bytes, fields: list[_Field],
        checks: list[Check | None], texts: xls_rows.Texts,
    ) -> None:  # fmt: skip
        self.sample = sample
        self.kinds, self.template, self.fields, self.checks, self.texts = kinds, template, fields, checks, texts
        self.text_columns = [j for j, kind in enumerate(kinds) if kind == _TEXT]
        self.low, self.high = sample[0].col, sample[-1].col
        shifts = [field.source[1] for field in fields if field.source[0] == "row"]  # rows a formula refers to, by
        self.nearest, self.furthest = min(shifts), max(shifts)  # how far from their own (0: a record's own row)

    def reaches(self, first: int, last: int) -> bool:
        """Whether rows ``first`` to ``last`` and the rows their formulas refer to are all rows of a sheet."""
        return first + self.nearest >= 0 and last + self.furthest <= _MAX_ROW

    def misfits(self, j: int, cells: Sequence[Cell], values: list[Any]) -> Iterator[Iterable[bool]]:
        """Masks of the cells of column ``j`` the template does not hold (empty when all fit)."""
        sample, n = self.sample[j], len(cells)
        for name in _ALIKE:
            yield _unlike(partial(map, attrgetter(name), cells), getattr(sample, name), n)
        yield _unlike(partial(map, type, cells), type(sample), n)
        kind = self.kinds[j]
        if kind != _FORMULA_CELL:
            yield _unlike(partial(map, _FORMULA, cells), None, n)
        if kind == _TEXT:
            yield _unlike(partial(map, type, values), str, n)
            yield map(not_, values)  # an empty text is a blank cell
            printable = list(map(str.isprintable, map(str, values)))
            if not all(printable):  # a text cleaning empties is a blank cell too
                yield [not ok and not excel_text(str(value)) for ok, value in zip(printable, values, strict=True)]
        elif kind == _RK:
            limit = xls_rows.RK_LIMIT
            yield [type(value) is not int or not -limit <= value < limit for value in values]
        elif kind == _BLANK:
            yield _unlike(partial(iter, values), None, n)
        else:
            yield _unlike(partial(map, type, values), int, n)
            check = self.checks[j]
            assert check is not None
            yield check(cells)

    def encode(self, rows: xls_rows.SheetRows, first: int, values: list[list[Any]]) -> None:
        """Rows ``first``… of the block, each column's values given, encoded: their fields packed and kept in the
        spill, the rows made of them as the file is written (never held whole, never copied)."""
        n = len(values[0])
        indexes = self._text_indexes(values)
        data: dict[tuple[str, int], bytes] = {}  # each field's rows packed, by what the field holds
        for field in self.fields:
            if field.source[0] != "row":  # rows: made with the rows' bytes
                data[field.source] = field.packed(first, n, values, indexes)
        _xlwt_rows(rows, range(first, first + n), self.high)
        size = len(self.template)
        made = partial(self._made, data, first, rows.sheet._Worksheet__rows)
        offset = rows.spill.add_made(n * size, made)  # the bytes made as the file is written
        places = zip(range(offset, offset + n * size, size), repeat(size), strict=False)
        rows.encoded.update(zip(range(first, first + n), places, strict=True))
        rows.first_col, rows.last_col = min(rows.first_col, self.low), max(rows.last_col, self.high)
        rows.rows_used, rows.cols_used = max(rows.rows_used, first + n), max(rows.cols_used, self.high + 1)

    def _made(
        self, data: dict[tuple[str, int], bytes], first: int, xlwt_rows: dict[int, Any], start: int, end: int
    ) -> Iterator[xls_rows.Piece]:
        """Bytes ``start`` to ``end`` (whole rows) of the run of rows ``first``… whose other fields are ``data``,
        a few hundred rows at a time: copies of the template, each field written into every copy at once."""
        size = len(self.template)
        last = end // size
        for at in range(start // size, last, _CHUNK_ROWS):
            count = min(at + _CHUNK_ROWS, last) - at
            numbers = range(first + at, first + at + count)
            buffer = bytearray(self.template * count)
            # The rows' own fields, made here rather than kept: their ROW records and the rows their records name.
            made = {_ROW_FIELD.source: b"".join(map(xls_rows.row_record, map(xlwt_rows.__getitem__, numbers)))}
            for field in (_ROW_FIELD, *self.fields):
                if field.source[0] == "row":
                    made[field.source] = field.packed(numbers[0], count, [], [])
                if field.source in made:
                    field.put(buffer, size, made[field.source], 0, count)
                else:
                    field.put(buffer, size, data[field.source], at, at + count)
            yield buffer

    def _text_indexes(self, values: list[list[Any]]) -> list[list[int]]:
        """Each text column's shared string indexes, the texts added to the table in the plain writer's order
        (row after row) and counted."""
        if not self.text_columns:
            return []
        texts = self.texts
        known = texts.index
        row_major = list(chain.from_iterable(zip(*(values[j] for j in self.text_columns), strict=True)))
        new = [text for text in dict.fromkeys(row_major) if text not in known]
        if all(map(str.isprintable, new)):  # added as they are (the usual case: all at once)
            sst = texts.sst
            known.update(zip(new, count(len(known) + len(sst._rt_indexes))))
            texts.tally.extend(repeat(0, len(new)))
            found = list(map(known.__getitem__, row_major))
            tally = texts.tally
            for string, uses in Counter(found).items():
                tally[string] += uses
            texts.used(len(found))
        else:
            found = []
            for text in row_major:
                index = known.get(text)
                if index is not None:
                    texts.tally[index] += 1
                    texts.used(1)
                found.append(texts.first(text) if index is None else index)
        step = len(self.text_columns)
        return [found[t::step] for t in range(step)]


class _Field:
    """A field varying from row to row: ``size`` bytes of ``source`` (a row's own or another's, a text's shared
    string index, an RK number, a formula's result) at ``offsets`` in the template (a row is in every record)."""

    __slots__ = ("code", "offsets", "size", "source")

    def __init__(self, offsets: list[int], code: str, source: tuple[str, int]) -> None:
        self.offsets, self.code, self.source = offsets, code, source
        self.size = struct.calcsize("<" + code)

    def packed(self, first: int, n: int, values: list[list[Any]], indexes: list[list[int]]) -> bytes:
        """The field of rows ``first``… packed one after another."""
        kind, arg = self.source
        if kind == "row":
            items: Iterable[Any] = range(first + arg, first + arg + n)
        elif kind == _TEXT:
            items = indexes[arg]
        elif kind == _RK:
            items = [2 | value << 2 for value in values[arg]]
        else:
            items = map(float, values[arg])
        return struct.pack(f"<{n}{self.code}", *items)

    def put(self, buffer: bytearray, row_size: int, data: bytes, start: int, end: int) -> None:
        """Write rows ``start``…``end`` of ``data`` into ``buffer``'s copies of the template, a byte of the field
        at a time: that byte of every row at once, where it is in every copy."""
        size = self.size
        for byte in range(size):
            column = data[start * size + byte : end * size : size]
            for offset in self.offsets:
                buffer[offset + byte :: row_size] = column


_ROW_FIELD = _Field([0], "20s", ("ROW", 0))  # a row's ROW record, which starts its bytes


def _xlwt_rows(rows: xls_rows.SheetRows, numbers: range, high: int) -> None:
    """Makes xlwt's row objects of rows ``numbers`` (in their order, as the plain writer makes them), their last
    column ``high`` at least (their ROW records are made from them as the file is written)."""
    made = rows.sheet._Worksheet__rows
    for number, row in zip(numbers, map(made.get, numbers), strict=True):
        if row is None:
            row = rows.sheet.row(number)
        if high > row._Row__max_col_idx:
            row._Row__max_col_idx = high


def _plan(sample: Sequence[Cell], writer: CellWriter, formulas: Formulas, texts: xls_rows.Texts) -> _Plan | None:
    """The plan of a block's rows made from its row ``sample`` (None when its cells are not all of the kinds a
    plan holds: a text, a 30-bit integer, a blank, a known formula moved with a whole number as its result, in a
    look the workbook has already: a look added here would come before others the plain writer adds first)."""
    row = sample[0].row
    cols = [cell.col for cell in sample]
    if cols != sorted(set(cols)) or cols[0] < 0 or cols[-1] > _MAX_COLUMN:
        return None
    kinds: list[str] = []
    entries: list[xls_rows.Entry] = []
    checks: list[Check | None] = []
    references: dict[int, tuple[bytes, list[int]]] = {}  # a formula's place → its tokens, where they hold rows
    for cell in sample:
        if cell.rowspan != 1 or cell.colspan != 1:
            return None
        value, xf, check = cell.value, writer.known_xf(cell), None
        if xf is None:
            return None
        if getattr(type(cell), "formula_shape", None) is not None or cell.formula:
            column = formulas.column(cell) if type(value) is int else None
            if column is None or not isinstance(value, int):  # a whole number its result (isinstance: for mypy)
                return None
            tokens, offsets, check = column
            references[len(kinds)] = tokens, offsets
            size = len(tokens)
            kind = _FORMULA_CELL
            entry: xls_rows.Entry = (
                xls_rows.FORMULA_HEAD(0x0006, 22 + size, row, cell.col, xf, float(value), 0, 0, size) + tokens
            )
        elif type(value) is str:
            kind, entry = _TEXT, xls_rows.LABEL_SST(0x00FD, 10, row, cell.col, xf, 0)
        elif type(value) is int and -xls_rows.RK_LIMIT <= value < xls_rows.RK_LIMIT:
            kind, entry = _RK, (2 | value << 2, xf)
        elif value is None:
            kind, entry = _BLANK, xf
        else:
            return None
        kinds.append(kind)
        entries.append(entry)
        checks.append(check)
    template = bytes(_ROW_FIELD.size) + xls_rows.encode_row(row, list(zip(cols, entries, strict=True)))
    fields = _fields(row, cols, kinds, references)
    return _Plan(sample, kinds, template, fields, checks, texts)


def _fields(
    row: int, cols: list[int], kinds: list[str], references: dict[int, tuple[bytes, list[int]]]
) -> list[_Field]:
    """Where the varying fields of a row's records are, the records laid out as ``xls_rows.encode_row`` lays
    them out (runs of RK numbers or of blanks in adjacent columns one MULRK or MULBLANK record)."""
    fields: dict[tuple[str, int], _Field] = {}

    def field(offset: int, code: str, source: tuple[str, int]) -> None:
        if source in fields:
            fields[source].offsets.append(offset)
        else:
            fields[source] = _Field([offset], code, source)

    at = _ROW_FIELD.size
    j, texts = 0, 0
    while j < len(kinds):
        kind = kinds[j]
        field(at + 4, "H", ("row", 0))  # every record's row, after its id and length
        if kind in (_RK, _BLANK):
            end = j + 1
            while end < len(kinds) and kinds[end] == kind and cols[end] == cols[end - 1] + 1:
                end += 1
            count = end - j
            if kind == _RK:  # RK: row, column, XF, number; MULRK: row, first column, (XF, number)…, last column
                for n in range(count):
                    field(at + 10 + 6 * n, "i", (_RK, j + n))
                at += 14 if count == 1 else 10 + 6 * count
            else:  # BLANK: row, column, XF; MULBLANK: row, first column, XF…, last column
                at += 10 if count == 1 else 10 + 2 * count
            j = end
            continue
        if kind == _TEXT:  # LABELSST: row, column, XF, shared string index
            field(at + 10, "I", (_TEXT, texts))
            texts += 1
            at += 14
        else:  # FORMULA: row, column, XF, result, flags, 0, tokens' size, tokens
            tokens, offsets = references[j]
            field(at + 10, "d", ("result", j))
            for offset in offsets:
                field(at + 26 + offset, "H", ("row", struct.unpack_from("<H", tokens, offset)[0] - row))
            at += 26 + len(tokens)
        j += 1
    return list(fields.values())
