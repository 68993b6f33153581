"""The .xls writer's own cell encoding (export/xls_rows.py) against xlwt's: a row's records byte for byte the
ones xlwt's cell objects give, whatever the mix of texts, blanks, numbers, booleans and merged blanks."""

from __future__ import annotations

import random
from typing import Any

import xlwt
from xlwt.Cell import BlankCell, BooleanCell, MulBlankCell, NumberCell, StrCell, _get_cells_biff_data_mul

from treasurer_app.export import xls_rows
from treasurer_app.export.grid import excel_text

# Numbers at the edges of what an RK value holds (a 30-bit integer, or one hundredth of it), and beyond.
VALUES: list[object] = [
    None, "", "text", "\x01", "其他", 0, 1, -1, 7, 2**29 - 1, 2**29, -(2**29), -(2**29) - 1, 899_765_900,
    1.5, 0.01, -0.25, 1e300, 123456.78, True, False,
]  # fmt: skip


def xlwt_cell(book: xlwt.Workbook, row: int, col: int, value: object, xf: int) -> object:
    """The cell ``Row.write`` makes of ``value`` (the writer cleans texts first: "\\x01" is blank)."""
    if isinstance(value, str):
        text = value.replace("\x01", "")
        return StrCell(row, col, xf, book.add_str(text)) if text else BlankCell(row, col, xf)
    if isinstance(value, bool):
        return BooleanCell(row, col, xf, value)
    if value is None:
        return BlankCell(row, col, xf)
    return NumberCell(row, col, xf, value)


def test_rows_are_encoded_as_xlwt_encodes_them() -> None:
    rng = random.Random(16)
    ours, theirs = xlwt.Workbook(), xlwt.Workbook()
    sheet = ours.add_sheet("s")
    with xls_rows.Spill() as spill:
        rows = xls_rows.SheetRows(ours, sheet, spill, xls_rows.Texts(ours))
        for row in range(400):
            expected: dict[int, object] = {}
            line = rows.line(row)
            col = 0
            while col < 40:
                xf = rng.choice((15, 16, 17))
                if rng.random() < 0.1:  # a merged cell's blanks: Row.write_blanks
                    last = col + rng.randrange(3)
                    expected[col] = MulBlankCell(row, col, last, xf)
                    rows.blanks(row, col, last, xf)
                    col = last + 1
                    continue
                if rng.random() < 0.8:  # else a column left out
                    value = rng.choice(VALUES)
                    expected[col] = xlwt_cell(theirs, row, col, value, xf)
                    rows.put(line, col, rows.value(row, col, value, xf))
                col += 1
            encoded = xls_rows.encode_row(row, sorted(line.items()))
            assert encoded == _get_cells_biff_data_mul(row, sorted(expected.items())), row
    ours_sst, theirs_sst = ours._Workbook__sst, theirs._Workbook__sst
    assert ours_sst._str_indexes == theirs_sst._str_indexes
    assert (ours_sst._tally, ours_sst._add_calls) == (theirs_sst._tally, theirs_sst._add_calls)


def test_a_text_written_over_is_no_longer_counted() -> None:
    book = xlwt.Workbook()
    with xls_rows.Spill() as spill:
        rows = xls_rows.SheetRows(book, book.add_sheet("s"), spill, xls_rows.Texts(book))
        line = rows.line(0)
        rows.put(line, 0, rows.value(0, 0, "old", 15))
        rows.put(line, 1, rows.value(0, 1, "kept", 15))
        rows.put(line, 0, rows.value(0, 0, 5, 15))
    sst = book._Workbook__sst
    assert sst._tally == [0, 1]  # "old" is written as an empty string in the table, as xlwt does
    assert sst._add_calls == 1


def test_row_records_are_xlwt_s() -> None:
    sheet = xlwt.Workbook().add_sheet("s")
    for index, (height, mismatch, hidden, level) in enumerate([(255, 0, 0, 0), (720, 1, 0, 0), (400, 1, 1, 3)]):
        row = sheet.row(index * 7)
        row.height, row.height_mismatch, row.hidden, row.level = height, mismatch, hidden, level
        row.write(index * 3, "x")
        if index == 2:
            row.set_style(xlwt.easyxf("font: bold on"))
        assert xls_rows.row_record(row) == row.get_row_biff_data()


def test_the_shared_string_table_is_xlwt_s() -> None:
    """Strings cut across CONTINUE records as xlwt cuts them: long ones, one-byte and UTF-16 ones, ones that
    reach a record's end exactly or by their head alone, strings no cell shows any more (written empty)."""
    rng = random.Random(21)
    alphabets = ["abc", "é\xff ", "其他會員", "a其", "x\U0001f600"]  # one byte, Latin-1, CJK, mixed, astral
    for trial in range(30):
        book = xlwt.Workbook()
        sst = book._Workbook__sst
        for n in range(rng.randrange(1, 400)):
            length = rng.choice([0, 1, 2, 5, 30, 200, 3000, 9000, 20000]) if trial % 3 else rng.randrange(0, 12)
            index = book.add_str(f"{n}" + "".join(rng.choice(rng.choice(alphabets)) for _ in range(length)))
            if rng.random() < 0.05:
                book.del_str(index)
        assert xls_rows.shared_strings_record(sst) == sst.get_biff_record(), trial


def test_the_print_area_is_read_from_the_cells_written() -> None:
    """The .xls writer's print area, from the rows and columns it wrote, is ``grid.print_area``'s."""
    from treasurer_app.export import xls
    from treasurer_app.export.grid import Grid, Style, print_area
    from treasurer_app.export.xls_formulas import Formulas

    grids = [Grid("empty", "t", []), Grid("widths only", "t", [8, 8, 8])]
    merged = Grid("merged", "t", [8])
    merged.add(0, 0, "a")
    merged.add(3, 1, "b", rowspan=4, colspan=3)  # the last row and column are the merge's
    wide = Grid("wide", "t", [8] * 9)  # the widths reach further than the cells
    wide.add(5, 2, 1, Style.NUMBER)
    wide.add(2, 0, None)
    preset = Grid("preset", "t", [8], print_area=(1, 0, 4, 0))
    preset.add(9, 9, "x")
    grids += [merged, wide, preset]
    book = xls._Workbook()
    with xls_rows.Spill() as spill:
        texts = xls_rows.Texts(book)
        for grid in grids:
            sheet = book.add_named_sheet(grid.sheet_name)
            rows = xls._write_sheet(book, sheet, grid, {}, Formulas(), spill, texts)
            assert xls._print_area(grid, rows) == print_area(grid), grid.sheet_name


def test_a_printable_text_is_one_cleaning_leaves_as_it_is() -> None:
    """Texts.first cleans only a text that is not printable: every printable character is kept by excel_text."""
    from treasurer_app.export.grid import excel_text

    printable = "".join(ch for ch in map(chr, range(0x110000)) if ch.isprintable())
    assert excel_text(printable) == printable
    assert not any(ch.isprintable() for ch in "\r\n\x00\x1f\x7f\ufffe\uffff")  # what it removes or changes


def written_by_xlwt(book: Any, grid: Any) -> Any:
    """``grid`` written by xlwt's own rows (which write cells) into a new sheet of ``book``: the bytes ours must be."""
    from treasurer_app.export import xls

    sheet = book.add_sheet("s", cell_overwrite_ok=True)
    for row, height in grid.row_heights.items():
        sheet.row(row).height_mismatch = True
        sheet.row(row).height = int(height * 20)
    styles: dict[object, xlwt.XFStyle] = {}
    for cell in grid.cells:
        key = (cell.style, cell.locked, grid.input_fill)
        style = styles.setdefault(key, xls._make_style(book, *key))
        value = excel_text(cell.value) if isinstance(cell.value, str) else cell.value
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.write_merge(cell.row, cell.last_row, cell.col, cell.last_col, value, style)
        else:
            sheet.write(cell.row, cell.col, value, style)
    return sheet


def sheet_grid(rng: random.Random, in_order: bool) -> object:
    """A grid of texts, numbers and blanks, some merged, some rows with a height and no cell."""
    from treasurer_app.export.grid import Grid, Style

    grid = Grid("s", "t", [8] * 12)
    places = [(row, col) for row in range(60) for col in range(0, 12, rng.choice((1, 2)))]
    rng.shuffle(places)
    if in_order:
        places.sort(key=lambda place: place[0])
    for row, col in places[:300]:
        value = rng.choice(VALUES[:-2])  # no booleans: a grid's cells hold none
        span = rng.random() < 0.05
        grid.add(row, col, value, rng.choice((Style.TEXT, Style.MONEY)),
                 rowspan=2 if span else 1, colspan=rng.choice((1, 3)) if span else 1)  # fmt: skip
    grid.row_heights = {row: 12 + row % 5 for row in rng.sample(range(70), 30)}  # some rows have no cell
    return grid


def test_a_sheet_s_rows_are_the_records_xlwt_writes() -> None:
    """The row block (ROW records, each row's with its cells, in xlwt's order) as xlwt's own Worksheet.write and
    write_merge give it, for grids in row order and not, with merges, cells written over and rows of no cell."""
    from treasurer_app.export import xls
    from treasurer_app.export.xls_formulas import Formulas

    rng = random.Random(8)
    for trial in range(12):
        grid: Any = sheet_grid(rng, in_order=trial % 2 == 0)
        ours, theirs = xls._Workbook(), xls._Workbook()
        with xls_rows.Spill() as spill:
            rows = xls._write_sheet(ours, ours.add_named_sheet("s"), grid, {}, Formulas(), spill,
                                    xls_rows.Texts(ours))  # fmt: skip
            length, chunks = rows.row_block()
            block = b"".join(chunks)
        sheet = written_by_xlwt(theirs, grid)
        assert block == sheet._Worksheet__row_blocks_rec(), trial
        assert length == len(block)
        assert ours._Workbook__sst._str_indexes == theirs._Workbook__sst._str_indexes


def test_the_compound_file_s_sector_tables_are_xlwt_s() -> None:
    """Workbooks from one sector to past the header's 109 table sectors and several MSAT sectors (a 66 MB
    ledger quarter needs about 1,000 table sectors)."""
    from xlwt.CompoundDoc import XlsDoc

    for sectors in (8, 127, 128, 4000, 13_880, 13_960, 14_100, 30_000, 128_520, 300_000):
        docs = [XlsDoc(), xls_rows.CompoundFile()]
        for doc in docs:
            doc.book_stream_len = sectors * 512
            doc._build_directory()
            doc._build_sat()
        names = ("packed_SAT", "packed_MSAT_1st", "packed_MSAT_2nd", "book_stream_sect", "SAT_sect", "MSAT_sect_2nd",
                 "dir_stream_sect")  # fmt: skip
        for name in names:
            assert getattr(docs[1], name) == getattr(docs[0], name), (sectors, name)
