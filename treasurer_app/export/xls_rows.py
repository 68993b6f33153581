"""A worksheet's cells encoded as xlwt encodes them, a row at a time, and the workbook saved without a copy.

xlwt keeps an object per cell until the workbook is saved, then joins every record into one
string, and the whole workbook into another, before writing the file: a quarter's ledger of
25,000 entries held about 114 MB of cells and copied about 190 MB on saving. Here a cell is
kept as the little its record needs (``Entry``) only until its row is complete; the row's cell
records are then encoded, byte for byte as xlwt's ``_get_cells_biff_data_mul`` encodes them
(runs of blanks and of RK numbers joined into MULBLANK and MULRK records), and spilled to a
temporary file with the row's ROW record (``row_record``, packed from xlwt's row object, which still
keeps the order xlwt writes rows in: the order each row was first touched). The shared strings are
one SST record cut into CONTINUE records as xlwt cuts them (``shared_strings_record``). ``book_stream``
is the workbook's records, the spilled rows read back in megabyte stretches; ``CompoundFile`` (xlwt's
compound document, its sector table built from ranges) writes them into a ``TargetFile`` a piece at a
time: the same bytes as xlwt's, never the whole file in memory.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import struct
import tempfile
from collections.abc import Callable, Iterator
from itertools import accumulate, count, repeat
from operator import add, eq, mul, rshift
from pathlib import Path
from typing import IO, Any

import xlwt
from xlwt.BIFFRecords import MulBlankRecord, SharedStringTable
from xlwt.Cell import BooleanCell, NumberCell
from xlwt.CompoundDoc import XlsDoc
from xlwt.UnicodeUtils import upack2

from treasurer_app.export.atomic import temporary_folder_named
from treasurer_app.export.grid import excel_text

# A cell until its row is encoded: an int is a blank cell's XF index, a pair an RK number (RK value, XF index),
# bytes its whole record (text, a formula, a number no RK value holds, …), None a column a MULBLANK record covers.
Entry = int | tuple[int, int] | bytes | None

_ROW_RECORD = 20  # bytes of a ROW record (a 4-byte header and 16 bytes)
_COPY_CHUNK = 1 << 20
# BIFF8 cell record ids (MS-XLS 2.4)
_LABEL_SST, _BLANK, _RK, _MULBLANK, _MULRK = 0x00FD, 0x0201, 0x027E, 0x00BE, 0x00BD
LABEL_SST = struct.Struct("<5HL").pack  # LABELSST: id, length 10, row, column, XF index, shared string index
FORMULA_HEAD = struct.Struct("<5HdHLH").pack  # FORMULA: id, length, row, column, XF, result, flags, 0, tokens' size
_BLANK_RECORD = struct.Struct("<5H").pack
_RK_RECORD = struct.Struct("<5Hi").pack
RK_LIMIT = 0x20000000  # an int n with -RK_LIMIT <= n < RK_LIMIT is the RK value 2 | n << 2 (a 30-bit integer)


@functools.cache
def _mul_record(kind: int, count: int) -> Callable[..., bytes]:
    """The packer of a MULBLANK or MULRK record of ``count`` cells: id, length, row, first column, each
    cell's XF index (MULRK: and RK value), last column."""
    return struct.Struct("<4H" + ("H" if kind == _MULBLANK else "Hi") * count + "H").pack


class Texts:
    """The workbook's shared strings, added as xlwt's ``add_str`` adds them, each text cleaned (``excel_text``).

    A cell's text is looked up in xlwt's own table (``index``: text → its string's index) as it is: a text
    found there is one already cleaned, which cleaning leaves as it is. Only a text not found is cleaned
    (``first``), and kept as the cell's own string object when cleaning changed nothing."""

    def __init__(self, book: xlwt.Workbook) -> None:
        self.sst = book._Workbook__sst
        self.index: dict[str, int] = self.sst._str_indexes
        self.tally: list[int] = self.sst._tally  # how many cells show each string (0: written over)

    def first(self, text: str) -> int:
        """The index of a text not in ``index``, cleaned and added (as one use); -1 when blank once cleaned."""
        # A label record: never a formula, whatever it starts with. A printable text has nothing to clean.
        cleaned = text if text.isprintable() else excel_text(text)
        if not cleaned:
            return -1
        index: int = self.sst.add_str(text if cleaned == text else cleaned)
        return index

    def release(self) -> None:
        """Let go of the strings once saved (the workbook is a cycle only the garbage collector would free, and
        an export pauses it: a quarter's ledger has 45,000 distinct texts)."""
        self.index.clear()
        self.tally.clear()

    def used(self, count: int) -> None:
        """``count`` more uses of strings already added (their tallies counted by the caller)."""
        self.sst._add_calls += count


class SheetRows:
    """The cells of one worksheet, written in the grid's order as ``Worksheet.write``/``write_merge`` would
    write them, kept as encoded records in ``spill`` once their row is complete."""

    def __init__(self, book: xlwt.Workbook, sheet: xlwt.Worksheet, spill: Spill, texts: Texts) -> None:
        self.book, self.sheet, self.spill, self.texts = book, sheet, spill, texts
        self.pending: dict[int, dict[int, Entry]] = {}  # row → column → cell
        self.encoded: dict[int, tuple[int, int]] = {}  # row → (offset, length) of its cell records in ``spill``
        self.first_col, self.last_col = sheet.first_used_col, sheet.last_used_col
        self.rows_used, self.cols_used = 0, 0  # 1 + the last row and column holding a cell (0: none)

    def line(self, row: int) -> dict[int, Entry]:
        """Row ``row``'s cells (column → cell), to write into with ``put``."""
        cells = self.pending.get(row)
        if cells is None:
            if row in self.encoded:
                raise ValueError(f"row {row} of sheet {self.sheet.name!r} written after it was complete")
            self.sheet.row(row)  # xlwt's row: created where xlwt creates it (the order rows are written in)
            cells = self.pending[row] = {}
        return cells

    def put(self, cells: dict[int, Entry], col: int, entry: Entry) -> None:
        old = cells.get(col)
        if type(old) is bytes and old[:2] == b"\xfd\x00":  # a text: as xlwt does when a cell is written over
            self.book.del_str(struct.unpack_from("<L", old, 10)[0])
        cells[col] = entry

    def value(self, row: int, col: int, value: object, xf: int) -> Entry:
        """The cell ``Worksheet.write(row, col, value, style)`` makes of a value that is not a formula."""
        if isinstance(value, str):
            texts = self.texts
            index = texts.index.get(value)
            if index is None:
                index = texts.first(value)
            else:
                texts.tally[index] += 1
                texts.used(1)
            return LABEL_SST(_LABEL_SST, 10, row, col, xf, index) if index >= 0 else xf
        if isinstance(value, bool):
            data: bytes = BooleanCell(row, col, xf, value).get_biff_data()
            return data
        if isinstance(value, int | float):
            is_rk, number = NumberCell(row, col, xf, value).get_encoded_data()
            return (number, xf) if is_rk else number
        if value is None:
            return xf
        raise TypeError(f"Unexpected data type {type(value)!r}")

    def blanks(self, row: int, first_col: int, last_col: int, xf: int) -> None:
        """``Row.write_blanks``: one MULBLANK record in the first column, None in the others."""
        cells = self.line(row)
        self.put(cells, first_col, MulBlankRecord(row, first_col, last_col, xf).get())
        for col in range(first_col + 1, last_col + 1):
            self.put(cells, col, None)

    def complete_before(self, row: int) -> None:
        """Every row above ``row`` will get no more cells: encode and let go of them."""
        pending = self.pending
        if len(pending) == 1:  # the row just left, in a grid written row after row
            done = next(iter(pending))
            if done < row:
                self._encode(done)
            return
        for done in [r for r in pending if r < row]:
            self._encode(done)

    def finish(self) -> None:
        for row in list(self.pending):
            self._encode(row)
        self.sheet.first_used_col, self.sheet.last_used_col = self.first_col, self.last_col

    def _encode(self, row: int) -> None:
        cells = sorted(self.pending.pop(row).items())
        xlwt_row = self.sheet._Worksheet__rows[row]  # made by line()
        if cells:
            low, high = cells[0][0], cells[-1][0]
            self.first_col, self.last_col = min(self.first_col, low), max(self.last_col, high)
            self.rows_used, self.cols_used = max(self.rows_used, row + 1), max(self.cols_used, high + 1)
            if high > xlwt_row._Row__max_col_idx:
                xlwt_row._Row__max_col_idx = high
        # The row is complete, so is its ROW record (its height is set before any cell): spilled with its cells.
        data = row_record(xlwt_row) + encode_row(row, cells)
        self.encoded[row] = (self.spill.add(data), len(data))

    def release(self) -> None:
        """Let go of xlwt's row objects once saved: each refers to its sheet and workbook, a cycle only the
        garbage collector would free (tens of megabytes for a long ledger)."""
        self.sheet._Worksheet__rows.clear()
        self.encoded.clear()

    def row_block(self) -> tuple[int, Iterator[Piece]]:
        """The sheet's ROW and cell records in xlwt's order, and their length: a row with cells as spilled (its
        ROW record first), a row without its ROW record alone. Rows spilled one after the other in that order,
        as a grid's rows are, are copied from the spill in large pieces."""
        rows = self.sheet._Worksheet__rows
        encoded = self.encoded
        total = sum(encoded[r][1] if r in encoded else _ROW_RECORD for r in rows)

        def chunks() -> Iterator[Piece]:
            start = end = 0  # the stretch of the spill to copy next
            for index, xlwt_row in rows.items():
                place = encoded.get(index)
                if place is not None and place[0] == end:
                    end += place[1]
                    continue
                yield from self.spill.stretch(start, end)
                if place is None:
                    start = end = 0
                    yield row_record(xlwt_row)
                else:
                    start, end = place[0], place[0] + place[1]
            yield from self.spill.stretch(start, end)

        return total, chunks()


class LightRow:
    """xlwt's row object as this writer uses it (``Worksheet.Row``, which ``Worksheet.row`` makes): the fields of
    its ROW record (``row_record``) and its outline level, which xlwt reads. xlwt's own sets 17 fields and keeps
    a table of cells this writer never fills; a quarter's ledger has 25,000 rows. The defaults are xlwt's."""

    __slots__ = ("_Row__idx", "_Row__max_col_idx", "height", "height_mismatch")
    has_default_height = level = collapse = hidden = space_above = space_below = 0
    _Row__min_col_idx, _Row__xf_index, _Row__has_default_xf_index = 0, 0x0F, 0

    def __init__(self, index: int, sheet: object, height: int | None = None) -> None:
        if not (isinstance(index, int) and 0 <= index <= 65535):
            raise ValueError(f"row index was {index!r}, not allowed by .xls format")  # as xlwt's Row says it
        self._Row__idx = index
        self._Row__max_col_idx = 0
        self.height, self.height_mismatch = (0x00FF, 0) if height is None else (height, 1)

    @staticmethod
    def add_heights(sheet: xlwt.Worksheet, heights: dict[int, float]) -> None:
        """``row = sheet.row(n); row.height_mismatch = True; row.height = int(points * 20)`` for each row
        ``n`` of ``heights`` (points), the rows of a sheet that has none yet made at once (25,000 of a ledger)."""
        rows: dict[int, Any] = sheet._Worksheet__rows
        if rows or not heights:
            for row, points in heights.items():
                made = sheet.row(row)
                made.height_mismatch = True
                made.height = int(points * 20)
            return
        twips = map(int, map(mul, heights.values(), repeat(20)))
        rows.update(zip(heights, map(LightRow, heights, repeat(sheet), twips), strict=False))
        sheet.last_used_row = max(sheet.last_used_row, max(heights))
        sheet.first_used_row = min(sheet.first_used_row, min(heights))


_ROW = struct.Struct("<8HL").pack  # ROW: id, length 16, row, first column, last column + 1, height, 0, 0, options


def row_record(row: Any) -> bytes:
    """``xlwt.Row.get_row_biff_data``: the ROW record of an xlwt row (its height, format and columns used)."""
    height = (row.height & 0x7FFF) | (row.has_default_height & 1) << 15
    options = (
        (row.level & 0x07) | (row.collapse & 1) << 4 | (row.hidden & 1) << 5 | (row.height_mismatch & 1) << 6
        | (row._Row__has_default_xf_index & 1) << 7 | 0x100 | (row._Row__xf_index & 0x0FFF) << 16
        | (row.space_above & 1) << 28 | (row.space_below & 1) << 29
    )  # fmt: skip
    first, last = row._Row__min_col_idx, row._Row__max_col_idx
    return _ROW(0x0208, 16, row._Row__idx, first, last + 1, height, 0, 0, options)


def encode_row(row: int, cells: list[tuple[int, Entry]]) -> bytes:
    """A row's cell records, its cells in column order, as ``xlwt.Cell._get_cells_biff_data_mul`` writes them:
    a run of blanks (or of RK numbers) in adjacent columns is one MULBLANK (MULRK) record, a lone one a BLANK
    (RK) record; a number no RK value holds ends a run of RK numbers."""
    pieces: list[bytes] = []
    append = pieces.append
    run: list[Any] | None = None  # the blanks' XF indexes, or the RK numbers, of the run going on
    run_col = next_col = 0
    run_kind: type | None = None
    for col, entry in cells:
        kind = type(entry)
        if run is not None:
            if kind is run_kind and col == next_col:
                run.append(entry)
                next_col += 1
                continue
            append(_run_records(row, run_col, run))
            run = None
        if kind is bytes:
            append(entry)  # type: ignore[arg-type]  # bytes: its type was just told
        elif entry is not None:
            run, run_col, run_kind, next_col = [entry], col, kind, col + 1
    if run is not None:
        append(_run_records(row, run_col, run))
    return b"".join(pieces)


def _run_records(row: int, col: int, run: list[Any]) -> bytes:
    """A run of blanks (XF indexes) or of RK numbers ((RK value, XF index) pairs) from column ``col``."""
    count = len(run)
    if type(run[0]) is int:
        if count == 1:
            return _BLANK_RECORD(_BLANK, 6, row, col, run[0])
        return _mul_record(_MULBLANK, count)(_MULBLANK, 2 * count + 6, row, col, *run, col + count - 1)
    if count == 1:
        number, xf = run[0]
        return _RK_RECORD(_RK, 10, row, col, xf, number)
    values: list[int] = []
    for number, xf in run:
        values += (xf, number)
    return _mul_record(_MULRK, count)(_MULRK, 6 * count + 6, row, col, *values, col + count - 1)


_PIECE = 0x2020  # bytes of an SST or CONTINUE record's data at most
_SST_HEAD = struct.Struct("<2HII").pack  # SST: id, length, cells showing a string, strings
_CONTINUE_HEAD = struct.Struct("<2H").pack  # CONTINUE: id, length


_STRING_HEAD = struct.Struct("<HB").pack  # characters, flags (0: one byte each, 1: UTF-16)


def _unicode_string(text: str) -> bytes:
    """``xlwt.UnicodeUtils.upack2``: one byte a character when all fit (Latin-1), else UTF-16, told without
    trying Latin-1 on a Chinese text first."""
    if len(text) > 0x7FFF:
        data: bytes = upack2(text)  # refused as xlwt refuses it
        return data
    if text.isascii() or max(text) <= "\xff":
        return _STRING_HEAD(len(text), 0) + text.encode("latin-1")
    encoded = text.encode("utf-16-le")
    return _STRING_HEAD(len(encoded) // 2, 1) + encoded


def _unicode_strings(texts: list[str]) -> list[bytes]:
    """``_unicode_string`` of each text, the texts encoded and their heads packed a list at a time."""
    if max(map(len, texts), default=0) > 0x7FFF:
        return list(map(_unicode_string, texts))  # one is refused as xlwt refuses it
    wide = [not (text.isascii() or max(text) <= "\xff") for text in texts]  # UTF-16, not one byte a character
    encoded = list(map(str.encode, texts, map(_CODECS.__getitem__, wide)))
    characters = map(rshift, map(len, encoded), wide)  # a wide text's in UTF-16 units (two bytes each)
    return list(map(add, map(_STRING_HEAD, characters, wide), encoded))


_CODECS = ("latin-1", "utf-16-le")


def shared_strings_record(sst: SharedStringTable) -> bytes:
    """``SharedStringTable.get_biff_record``: the SST record and its CONTINUE records, a string that ends in the
    next record cut as xlwt cuts it (its head and first character never apart, UTF-16 text at a character).
    Strings are copied whole while they fit, as nearly all do, a record's worth at a time (found by bisecting
    the strings' ends) instead of xlwt's atom by atom."""
    if sst._rt_indexes:  # rich text, which this writer never adds
        record: bytes = sst.get_biff_record()
        return record
    indexes: dict[str, int] = sst._str_indexes
    texts = list(indexes)  # in the order added, which is their indexes' (0, 1, 2, …)
    if not all(map(eq, indexes.values(), count())):
        texts.sort(key=indexes.__getitem__)
    tally = sst._tally
    if 0 in tally:  # strings written over: each an empty one in the table, as xlwt writes them
        texts = [text if uses else "" for text, uses in zip(texts, tally, strict=True)]
    strings = _unicode_strings(texts)
    ends = list(accumulate(map(len, strings)))  # where each string ends, the strings one after another
    records: list[bytes] = []
    piece = bytearray(8)  # the first record's counts, put in at the end
    n = 0  # strings in the records
    while n < len(strings):
        start = ends[n - 1] if n else 0
        whole = bisect.bisect_right(ends, start + _PIECE - len(piece), lo=n)  # the strings that fit whole
        if whole > n:
            piece += b"".join(strings[n:whole])
            n = whole
            continue
        data = strings[n]  # goes on in the next record
        unicode = data[2] == 1
        head = 5 if unicode else 4  # length, flags and the first character
        if _PIECE - len(piece) < len(data[:head]):
            records.append(bytes(piece))
            piece = bytearray()
            continue
        piece += data[:head]
        rest, at = data[head:], 0
        while at < len(rest):
            free = _PIECE - len(piece)
            if free >= len(rest) - at:
                piece += rest[at:]
                break
            size = free & 0xFFFE if unicode else free
            piece += rest[at : at + size]
            records.append(bytes(piece))
            piece = bytearray(b"\x01" if unicode else b"\x00")  # a string going on says its flags again
            at += size
        n += 1
    records.append(bytes(piece))
    first = records[0]
    heads = [_SST_HEAD(0x00FC, len(first), sst._add_calls, len(sst._str_indexes)) + first[8:]]
    return b"".join(heads + [_CONTINUE_HEAD(0x003C, len(r)) + r for r in records[1:]])


Piece = bytes | bytearray  # of the file, as written
# Bytes kept as made again when read: (start, end) of them → their pieces (``Spill.add_made``).
Make = Callable[[int, int], Iterator[Piece]]


class Spill:
    """Encoded rows kept until the workbook is saved: in a temporary file, written and read back a megabyte at
    a time, or as what makes them again (rows written a block at a time, ``xls_block``)."""

    def __init__(self) -> None:
        # In the system's temporary folder, not beside the target: on the local disk when the target is a USB
        # stick or a network share, and gone with the process whatever happens to it.
        with temporary_folder_named():
            self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by __exit__)
        self.size = 0  # bytes added
        self.file_size = 0  # of them in the file (or pending)
        self.pending: list[bytes] = []  # added, not yet written
        self.pending_size = 0
        # Where the bytes added are, in the order of their offsets: (start, end, their offset in the file or what
        # makes them), and the starts alone (to look an offset up).
        self.segments: list[tuple[int, int, int | Make]] = []
        self.starts: list[int] = []

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):  # what is left to flush is not needed (a full disk said so already)
            self.file.close()
        # Let go of what makes rows again (their fields: megabytes for a long ledger) at once: the workbook
        # refers to the spill through a cycle only the garbage collector frees, and an export pauses it.
        self.segments.clear()
        self.starts.clear()

    def add(self, data: bytes) -> int:
        """Keep ``data``; its offset, for ``stretch``."""
        offset = self._place(len(data), self.file_size)
        self.file_size += len(data)
        self.pending.append(data)
        self.pending_size += len(data)
        if self.pending_size >= _COPY_CHUNK:
            self._write_pending()
        return offset

    def add_made(self, length: int, make: Make) -> int:
        """Keep ``length`` bytes that ``make(start, end)`` makes again when they are read (``start`` and ``end``
        counted from the first of them); their offset, for ``stretch``."""
        return self._place(length, make)

    def _place(self, length: int, source: int | Make) -> int:
        offset = self.size
        self.size += length
        if self.segments and isinstance(source, int):
            start, end, last = self.segments[-1]
            if isinstance(last, int) and last + end - start == source:  # the file's bytes going on
                self.segments[-1] = (start, self.size, last)
                return offset
        self.segments.append((offset, self.size, source))
        self.starts.append(offset)
        return offset

    def _write_pending(self) -> None:
        with temporary_folder_named():  # its disk full, say: named, not taken for the target's
            self.file.seek(0, 2)
            self.file.write(b"".join(self.pending))
        self.pending.clear()
        self.pending_size = 0

    def stretch(self, start: int, end: int) -> Iterator[Piece]:
        """The bytes kept from ``start`` to ``end``, a megabyte at a time."""
        if self.pending:
            self._write_pending()
        at = bisect.bisect_right(self.starts, start) - 1
        while start < end:
            first, last, source = self.segments[at]
            stop = min(end, last)
            if isinstance(source, int):
                yield from self._read(source + start - first, stop - start)
            else:
                yield from source(start - first, stop - first)
            start, at = stop, at + 1

    def _read(self, offset: int, length: int) -> Iterator[Piece]:
        with temporary_folder_named():
            self.file.seek(offset)
        while length > 0:
            with temporary_folder_named():
                piece = self.file.read(min(length, _COPY_CHUNK))
            length -= len(piece)
            yield piece


def _sheet_parts(
    sheet: xlwt.Worksheet, rows: SheetRows, before_eof: bytes
) -> tuple[int, list[bytes | Iterator[Piece]]]:
    """``Worksheet.get_biff_data`` as pieces (the row block a stream), with records added before its EOF."""
    ws = "_Worksheet__"
    head = b"".join(
        getattr(sheet, ws + name)()
        for name in (
            "bof_rec", "calc_settings_rec", "guts_rec", "defaultrowheight_rec", "wsbool_rec", "colinfo_rec",
            "dimensions_rec", "print_settings_rec", "protection_rec",
        )
    )  # fmt: skip
    block_length, block = rows.row_block()
    tail = b"".join(getattr(sheet, ws + name)() for name in ("merged_rec", "bitmaps_rec", "window2_rec", "panes_rec"))
    tail += before_eof + getattr(sheet, ws + "eof_rec")()
    return len(head) + block_length + len(tail), [head, block, tail]


class BookStream:
    """The workbook's records as ``Workbook.get_biff_data`` returns them, but read as the file is written:
    its length is known, its bytes are produced piece by piece (``TargetFile.write`` takes them so)."""

    def __init__(self, length: int, parts: list[bytes | Iterator[Piece]]) -> None:
        self.length, self.parts = length, parts

    def __len__(self) -> int:
        return self.length

    def chunks(self) -> Iterator[Piece]:
        for part in self.parts:
            if isinstance(part, bytes):
                yield part
            else:
                yield from part


def book_stream(book: xlwt.Workbook, rows: dict[int, SheetRows], before_eof: dict[int, bytes]) -> BookStream:
    """``Workbook.get_biff_data`` as a ``BookStream``: ``rows`` holds each sheet's cells (by sheet index),
    ``before_eof`` the records a sheet adds before its EOF (drop-down lists)."""
    wb = "_Workbook__"
    before = b"".join(
        getattr(book, wb + name)()
        for name in (
            "bof_rec", "intf_hdr_rec", "intf_mms_rec", "intf_end_rec", "write_access_rec", "codepage_rec",
            "dsf_rec", "tabid_rec", "fngroupcount_rec", "wnd_protect_rec", "protect_rec", "obj_protect_rec",
            "password_rec", "prot4rev_rec", "prot4rev_pass_rec", "backup_rec", "hide_obj_rec", "window1_rec",
            "datemode_rec", "precision_rec", "refresh_all_rec", "bookbool_rec",
            "all_fonts_num_formats_xf_styles_rec", "palette_rec", "useselfs_rec",
        )
    )  # fmt: skip
    country = getattr(book, wb + "country_rec")()
    all_links = getattr(book, wb + "all_links_rec")()
    after = country + all_links + shared_strings_record(getattr(book, wb + "sst"))
    ext_sst = getattr(book, wb + "ext_sst_rec")(0)
    eof = getattr(book, wb + "eof_rec")()
    worksheets = getattr(book, wb + "worksheets")
    worksheets[getattr(book, wb + "active_sheet")].selected = True
    sheets = [_sheet_parts(sheet, rows[index], before_eof.get(index, b"")) for index, sheet in enumerate(worksheets)]
    lengths = [length for length, _ in sheets]
    bound = getattr(book, wb + "boundsheets_rec")(len(before), len(after) + len(ext_sst) + len(eof), lengths)
    head = before + bound + after + ext_sst + eof
    return BookStream(len(head) + sum(lengths), [head, *(part for _, parts in sheets for part in parts)])


_FREE, _END_OF_CHAIN, _SAT_SECTOR, _MSAT_SECTOR = -1, -2, -3, -4  # sector ids of the compound file's table
_MSAT_IN_HEADER = 109  # SAT sectors listed in the header; further ones in MSAT sectors of 127 each (and a link)


class CompoundFile(XlsDoc):  # type: ignore[misc]  # xlwt ships no type information: XlsDoc is Any
    """xlwt's compound document (the .xls file around the workbook's records), its sector allocation table
    built from ranges instead of a Python loop per 512-byte sector (a 66 MB workbook has 128,000)."""

    def _build_sat(self) -> None:
        book = self.book_stream_len >> 9
        directory = len(self.dir_stream) >> 9
        total, sat, msat, listed = book + directory, 0, 0, _MSAT_IN_HEADER
        while total > 128 * sat or sat > listed:  # the table's own sectors, and those listing them, count too
            sat += 1
            total += 1
            if sat > listed:
                msat += 1
                total += 1
                listed += 127
        table = [_FREE] * (128 * sat)
        table[: book - 1] = range(1, book)  # the workbook: one chain of sectors from 0
        table[book - 1] = _END_OF_CHAIN
        self.book_stream_sect = list(range(book))
        self.MSAT_sect_2nd = list(range(book, book + msat))
        table[book : book + msat] = [_MSAT_SECTOR] * msat
        first = book + msat
        self.SAT_sect = list(range(first, first + sat))
        table[first : first + sat] = [_SAT_SECTOR] * sat
        first += sat
        self.dir_stream_sect = list(range(first, first + directory))
        table[first : first + directory - 1] = range(first + 1, first + directory)
        table[first + directory - 1] = _END_OF_CHAIN
        self.packed_SAT = struct.pack(f"<{128 * sat}l", *table)
        header = (self.SAT_sect + [_FREE] * _MSAT_IN_HEADER)[:_MSAT_IN_HEADER]
        self.packed_MSAT_1st = struct.pack(f"<{_MSAT_IN_HEADER}l", *header)
        # The SAT sectors past the header's, 127 to an MSAT sector whose last entry links to the next one.
        more = [_FREE] * (128 * msat)
        if msat:
            more[-1] = _END_OF_CHAIN
        at, link, slot = _MSAT_IN_HEADER, 0, 0
        while at < sat:
            if (slot + 1) % 128 == 0:
                link += 1
                if link < msat:
                    more[slot] = self.MSAT_sect_2nd[link]
            else:
                more[slot] = self.SAT_sect[at]
                at += 1
            slot += 1
        self.packed_MSAT_2nd = struct.pack(f"<{128 * msat}l", *more)


class TargetFile:
    """The file ``Workbook.save`` writes to, given as a stream (so that it takes a ``BookStream`` a piece
    at a time) that is also a path (``os.fspath`` gives the file's name)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.stream: IO[bytes] | None = None

    def __fspath__(self) -> str:
        return self.path

    def write(self, data: bytes | BookStream) -> None:
        if self.stream is None:
            self.stream = open(self.path, "w+b")  # noqa: SIM115 (closed by close(), after the last write)
        if isinstance(data, BookStream):
            for chunk in data.chunks():
                self.stream.write(chunk)
        else:
            self.stream.write(data)

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
