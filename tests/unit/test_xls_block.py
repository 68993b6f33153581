"""Rows laid out alike written a block at a time (export/xls_block.py): the bytes xlwt's own Worksheet.write gives,
and the ones the .xls writer gives cell by cell, whatever odd rows the block holds."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_xls_rows import written_by_xlwt
from treasurer_app import interchange
from treasurer_app.export import layouts, xls, xls_block, xls_rows
from treasurer_app.export.grid import Grid, Style
from treasurer_app.export.xls_formulas import Formulas
from treasurer_app.ledger.entries import LedgerBook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Values a block's column may meet in a row that does not fit it: none, an empty text, a text cleaning empties,
# a text to clean, numbers no RK value holds or of another kind.
ODD = [None, "", "\x01", "甲\n乙", 2**29, -(2**29) - 1, 1.5, "text", 7]


def block_grid(rng: random.Random) -> Grid:
    """A title, a block of 150 rows (texts, adjacent numbers, adjacent and lone blanks), some rows odd (a value,
    a look, a lock, a column, a cell merged down over the row below), and a footer; some rows with a height."""
    grid = Grid("s", "t", [8] * 12)
    grid.add(0, 0, "標題", Style.TITLE, colspan=12)
    grid.add(1, 0, "表頭", Style.HEADER, rowspan=2)
    for row in range(3, 153):
        texts = [f"摘要{rng.randrange(40)}", rng.choice(("收", "支", "轉")), f"row {row}"]
        values: list[Any] = [*texts, rng.randrange(-9, 10**6), rng.randrange(13), None, None, 900_000, "◎", None]
        if rng.random() < 0.1:  # an odd row: one cell not of its column's kind
            values[rng.randrange(len(values))] = rng.choice(ODD)
        looks = [(Style.MONEY if col in (3, 4, 7) else Style.TEXT, col != 2, 1, col) for col in range(len(values))]
        if rng.random() < 0.05:  # an odd row: one cell of another look, lock, column or merged with the row below
            col = rng.randrange(len(values))
            style, locked, rowspan, _ = looks[col]
            looks[col] = rng.choice(
                [(Style.CENTER, locked, 1, col), (style, not locked, 1, col), (style, locked, 2, col)]
            )
            if col == len(values) - 1:
                looks[col] = (style, locked, 1, col + 1)
        for value, (style, locked, rowspan, col) in zip(values, looks, strict=True):
            grid.add(row, col, value, style, locked=locked, rowspan=rowspan)
    grid.add(153, 0, "合計", Style.LABEL, colspan=3)
    grid.add(153, 3, 12, Style.MONEY)
    grid.row_heights = {row: 12 + row % 5 for row in rng.sample(range(160), 40)}
    return grid


def written_by_blocks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each run of rows the block writer encodes (its number of rows), recorded as it is written."""
    runs: list[int] = []
    encode = xls_block._Plan.encode

    def spy(plan: Any, rows: xls_rows.SheetRows, first: int, values: list[list[Any]]) -> None:
        runs.append(len(values[0]))
        encode(plan, rows, first, values)

    monkeypatch.setattr(xls_block._Plan, "encode", spy)
    return runs


def test_a_block_s_rows_are_the_records_xlwt_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = written_by_blocks(monkeypatch)
    rng = random.Random(22)
    for trial in range(6):
        grid = block_grid(rng)
        ours, theirs = xls._Workbook(), xls._Workbook()
        runs.clear()
        with xls_rows.Spill() as spill:
            rows = xls._write_sheet(ours, ours.add_named_sheet("s"), grid, {}, Formulas(), spill, xls_rows.Texts(ours))
            block = b"".join(rows.row_block()[1])
        assert sum(runs) > 100, "most of the block's rows are written a block at a time"
        sheet = written_by_xlwt(theirs, grid)
        assert block == sheet._Worksheet__row_blocks_rec(), trial
        ours_sst, theirs_sst = ours._Workbook__sst, theirs._Workbook__sst
        assert ours_sst._str_indexes == theirs_sst._str_indexes, trial  # the texts in the order xlwt adds them
        assert (ours_sst._tally, ours_sst._add_calls) == (theirs_sst._tally, theirs_sst._add_calls), trial
        assert (sheet.first_used_row, sheet.last_used_row) == (
            ours.get_sheet(0).first_used_row,
            ours.get_sheet(0).last_used_row,
        )


def ledger_grids(entries: int) -> list[Grid]:
    project = interchange.load(FIXTURES / "guide_example_corrected.json")
    raw = json.loads((FIXTURES / "ledger_114.json").read_text(encoding="utf-8"))
    repeated = (raw["entries"] * (entries // len(raw["entries"]) + 1))[:entries]
    project.years[115].ledger = LedgerBook(header=raw["header"], entries=repeated)
    return layouts.ledger_grids(project, 115)


def test_a_ledger_written_by_blocks_is_the_file_written_cell_by_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The running balances and 結存 formulas moved down a column at a time, rows whose formula is another
    (a 結存 of another sum, a balance given its own formula) written cell by cell in their place."""
    grids = ledger_grids(400)
    sheet = grids[0]
    totals = [cell for cell in sheet.cells if cell.formula and cell.formula.startswith("SUM(")]
    totals[150].formula = totals[150].formula.replace("SUM(", "SUM(L1,")
    balances = [cell for cell in sheet.cells if getattr(cell, "formula_shape", None) is not None]
    balances[201].formula = "1+2"
    runs = written_by_blocks(monkeypatch)
    by_blocks = xls.write_xls(grids, tmp_path / "blocks.xls").read_bytes()
    assert sum(runs) > 300 and len(runs) > 2, runs  # the odd rows between runs
    monkeypatch.setattr(xls_block, "blocks", lambda starts, rows: iter(()))
    assert xls.write_xls(grids, tmp_path / "cells.xls").read_bytes() == by_blocks


def test_blocks_are_runs_of_rows_of_as_many_cells() -> None:
    def blocks(row_of: list[int]) -> list[tuple[int, int, int]]:
        starts = xls_block.row_starts(row_of)
        return list(xls_block.blocks(starts, [row_of[at] for at in starts[:-1]]))

    rows = [0, 0, *sorted(list(range(1, 41)) * 3), 41, *sorted(list(range(42, 80)) * 3)]
    assert blocks(rows) == [(2, 122, 3), (123, 237, 3)]  # row 41's single cell parts them
    gap = sorted(list(range(0, 40)) * 2) + sorted(list(range(41, 80)) * 2)  # row 40 missing: two runs
    assert blocks(gap) == [(0, 80, 2), (80, 158, 2)]
    assert blocks(list(range(10))) == []  # too short
    assert blocks([]) == []
