"""A worksheet's cells encoded as xlwt encodes them, a row at a time, and the workbook saved without a copy.

xlwt keeps an object per cell until the workbook is saved, then joins every record into one
string, and the whole workbook into another, before writing the file: a quarter's ledger of
25,000 entries held about 114 MB of cells and copied about 190 MB on saving. Here each
row's cell records are encoded as soon as the row is complete, with xlwt's own cell classes
and its own function for runs of blanks and numbers (``_get_cells_biff_data_mul``), and
spilled to a temporary file; xlwt's row objects stay (they write the ROW records and keep
the order xlwt writes rows in: the order each row was first touched). ``book_stream`` is the
workbook's records, which xlwt's own ``save`` writes (into a ``TargetFile``) a piece at a time,
reading the spilled rows back in that order: the same bytes, never the whole file in memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import xlwt
from xlwt.Cell import BlankCell, BooleanCell, MulBlankCell, NumberCell, StrCell, _get_cells_biff_data_mul

_ROW_RECORD = 20  # bytes of a ROW record (a 4-byte header and 16 bytes)
_COPY_CHUNK = 1 << 20


class SheetRows:
    """The cells of one worksheet, written in the grid's order as ``Worksheet.write``/``write_merge`` would
    write them, kept as encoded records in ``spill`` once their row is complete."""

    def __init__(self, book: xlwt.Workbook, sheet: xlwt.Worksheet, spill: IO[bytes]) -> None:
        self.book, self.sheet, self.spill = book, sheet, spill
        self.pending: dict[int, dict[int, Any]] = {}  # row → column → xlwt cell object (None: inside a MULBLANK)
        self.encoded: dict[int, tuple[int, int]] = {}  # row → (offset, length) of its cell records in ``spill``
        self.first_col, self.last_col = sheet.first_used_col, sheet.last_used_col

    def _row(self, row: int) -> dict[int, Any]:
        cells = self.pending.get(row)
        if cells is None:
            if row in self.encoded:
                raise ValueError(f"row {row} of sheet {self.sheet.name!r} written after it was complete")
            self.sheet.row(row)  # xlwt's row: created where xlwt creates it (the order rows are written in)
            cells = self.pending[row] = {}
        return cells

    def _put(self, cells: dict[int, Any], col: int, cell: Any) -> None:
        old = cells.get(col)
        if old is not None and isinstance(old, StrCell):
            self.book.del_str(old.sst_idx)  # as xlwt does when a cell is written over
        cells[col] = cell

    def write(self, row: int, col: int, value: object, xf: int) -> None:
        """``Worksheet.write(row, col, value, style)`` for a value that is not a formula."""
        if not 0 <= col <= 255:
            raise ValueError(f"column index ({col!r}) not an int in range(256)")
        cells = self._row(row)
        if isinstance(value, str):
            cell: Any = StrCell(row, col, xf, self.book.add_str(value)) if value else BlankCell(row, col, xf)
        elif isinstance(value, bool):
            cell = BooleanCell(row, col, xf, value)
        elif isinstance(value, int | float):
            cell = NumberCell(row, col, xf, value)
        elif value is None:
            cell = BlankCell(row, col, xf)
        else:
            raise TypeError(f"Unexpected data type {type(value)!r}")
        self._put(cells, col, cell)

    def write_record(self, row: int, col: int, cell: Any) -> None:
        """A cell already made (a formula with its cached result)."""
        self._put(self._row(row), col, cell)

    def blanks(self, row: int, first_col: int, last_col: int, xf: int) -> None:
        """``Row.write_blanks``: one MULBLANK object in the first column, None in the others."""
        cells = self._row(row)
        self._put(cells, first_col, MulBlankCell(row, first_col, last_col, xf))
        for col in range(first_col + 1, last_col + 1):
            self._put(cells, col, None)

    def complete_before(self, row: int) -> None:
        """Every row above ``row`` will get no more cells: encode and let go of them."""
        for done in [r for r in self.pending if r < row]:
            self._encode(done)

    def finish(self) -> None:
        for row in list(self.pending):
            self._encode(row)
        self.sheet.first_used_col, self.sheet.last_used_col = self.first_col, self.last_col

    def _encode(self, row: int) -> None:
        cells = self.pending.pop(row)
        if cells:
            columns = cells.keys()
            low, high = min(columns), max(columns)
            self.first_col, self.last_col = min(self.first_col, low), max(self.last_col, high)
            xlwt_row = self.sheet.row(row)
            xlwt_row._Row__max_col_idx = max(xlwt_row._Row__max_col_idx, high)
        data = _get_cells_biff_data_mul(row, sorted(item for item in cells.items() if item[1] is not None))
        self.encoded[row] = (self.spill.tell(), len(data))
        self.spill.write(data)

    def release(self) -> None:
        """Let go of xlwt's row objects once saved: each refers to its sheet and workbook, a cycle only the
        garbage collector would free (tens of megabytes for a long ledger)."""
        self.sheet._Worksheet__rows.clear()
        self.encoded.clear()

    def row_block(self) -> tuple[int, Iterator[bytes]]:
        """The sheet's ROW and cell records in xlwt's order, and their length."""
        rows = self.sheet._Worksheet__rows
        total = sum(_ROW_RECORD + self.encoded.get(r, (0, 0))[1] for r in rows)

        def chunks() -> Iterator[bytes]:
            buffered: list[bytes] = []
            size = 0
            for index, xlwt_row in rows.items():
                buffered.append(xlwt_row.get_row_biff_data())
                offset, length = self.encoded.get(index, (0, 0))
                if length:
                    self.spill.seek(offset)
                    buffered.append(self.spill.read(length))
                size += _ROW_RECORD + length
                if size >= _COPY_CHUNK:
                    yield b"".join(buffered)
                    buffered, size = [], 0
            yield b"".join(buffered)

        return total, chunks()


def new_spill() -> IO[bytes]:
    return tempfile.TemporaryFile()


def _sheet_parts(
    sheet: xlwt.Worksheet, rows: SheetRows, before_eof: bytes
) -> tuple[int, list[bytes | Iterator[bytes]]]:
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

    def __init__(self, length: int, parts: list[bytes | Iterator[bytes]]) -> None:
        self.length, self.parts = length, parts

    def __len__(self) -> int:
        return self.length

    def chunks(self) -> Iterator[bytes]:
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
    after = country + all_links + getattr(book, wb + "sst_rec")()
    ext_sst = getattr(book, wb + "ext_sst_rec")(0)
    eof = getattr(book, wb + "eof_rec")()
    worksheets = getattr(book, wb + "worksheets")
    worksheets[getattr(book, wb + "active_sheet")].selected = True
    sheets = [_sheet_parts(sheet, rows[index], before_eof.get(index, b"")) for index, sheet in enumerate(worksheets)]
    lengths = [length for length, _ in sheets]
    bound = getattr(book, wb + "boundsheets_rec")(len(before), len(after) + len(ext_sst) + len(eof), lengths)
    head = before + bound + after + ext_sst + eof
    return BookStream(len(head) + sum(lengths), [head, *(part for _, parts in sheets for part in parts)])


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
