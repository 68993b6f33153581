"""Screen, print and import read one layout declaration per form (issue 13).

For every sheet: the fields the editor shows, the cells the grid prints and the cells the importer
reads are the same keys in the same order; every total is a formula whose cached result is the
figure; the guide example's worked figures come out of both formats as formulas.
"""

from __future__ import annotations

import dataclasses
import operator
import pickle
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest
import xlrd
from hypothesis import given
from hypothesis import strategies as st

from treasurer_app import interchange
from treasurer_app.export import layouts
from treasurer_app.export.grid import Cell, Grid, Style, display_width
from treasurer_app.export.importer import import_workbook
from treasurer_app.export.ledger_parameters import PARAMETER_SHEET_NAME
from treasurer_app.export.xls import write_xls
from treasurer_app.export.xlsx import write_xlsx
from treasurer_app.forms import FORMS, SCALAR_FORMS, TABLE_FORMS, training_report, work_plan
from treasurer_app.ledger.balances import balances, closing_balances
from treasurer_app.ledger.codes import ACCOUNTS, CATEGORIES, KINDS, PARAMETER_TABLE, PETTY
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.sheet import ENTRY_ROWS, LEDGER_TITLE, SPARE_ENTRIES
from treasurer_app.project import Project, YearBook
from treasurer_app.ui.form_plan import Grid as PlanGrid
from treasurer_app.ui.form_plan import plan

FIXTURE = Path(__file__).parent.parent / "fixtures" / "guide_example_corrected.json"
YEAR = 115
# Inputs the editor shows that the sheet does not print (the union type decides the roster's header;
# the work plan's totals are not on the guide's sheet).
SCREEN_ONLY = {"application": ["union_type", "port"], "work_plan": ["amount_total", "interest_total"]}
# Printed cells that carry several fields: a session's six course names and hours, one line each, and
# 預算經費 with the planned interest inside, e.g. (另使用利息8,000元).
CARRIED = {
    "course": [training_report.course_key(n) for n in range(1, 7)],
    "hours": [training_report.hours_key(n) for n in range(1, 7)],
    **{
        work_plan.plan_key(n, "budget_text"): [work_plan.plan_key(n, "budget_text"), work_plan.plan_key(n, "interest")]
        for n in range(1, 7)
    },
}


@pytest.fixture(scope="module")
def project() -> Project:
    return interchange.load(FIXTURE)


@pytest.fixture(scope="module")
def grids(project: Project) -> dict[str, object]:
    return dict(zip(FORMS, layouts.application_grids(project, YEAR), strict=True))


def editor_keys(form_id: str) -> list[str]:
    spec = FORMS[form_id]
    if form_id in TABLE_FORMS:
        return [f.key for f in spec.row_fields]
    keys: list[str] = []
    for section in plan(spec):
        if isinstance(section, PlanGrid):
            keys += [section.cells[r, c].key for r in section.rows for c in section.columns if (r, c) in section.cells]
        else:
            keys.append(section.item.key)
    return keys


def printed_keys(grid, table: bool) -> list[str]:  # type: ignore[no-untyped-def]
    keys: list[str] = []
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        if not cell.key:
            continue
        if table:
            index, _, key = cell.key.partition(":")
            if index != "0":  # the first record stands for every row
                continue
        else:
            key = cell.key
        keys += CARRIED.get(key, [key])
    return keys


@pytest.mark.parametrize("form_id", list(FORMS))
def test_the_editor_shows_what_the_sheet_prints_in_the_printed_order(form_id: str, grids) -> None:  # type: ignore[no-untyped-def]
    shown = editor_keys(form_id)
    printed = printed_keys(grids[form_id], form_id in TABLE_FORMS)
    assert shown == printed + SCREEN_ONLY.get(form_id, [])
    spec = FORMS[form_id]
    every = {f.key for f in (*spec.fields, *spec.extra_fields, *spec.columns)} | {d.key for d in spec.derived}
    assert set(shown) == every | {d.key for d in spec.linked}, "every field and figure of the form, once"
    assert len(shown) == len(set(shown))


@pytest.fixture(scope="module")
def imported(project: Project, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = write_xlsx(layouts.application_grids(project, YEAR), tmp_path_factory.mktemp("x") / "a.xlsx")
    return import_workbook(path).book


@pytest.mark.parametrize("form_id", SCALAR_FORMS)
def test_the_importer_reads_the_printed_inputs_in_the_printed_order(form_id: str, grids, imported) -> None:  # type: ignore[no-untyped-def]
    spec = FORMS[form_id]
    printed_inputs = [k for k in printed_keys(grids[form_id], table=False) if spec.has_field(k)]
    read = [k for k in imported.forms[form_id] if k not in SCREEN_ONLY.get(form_id, [])]
    assert read == [k for k in printed_inputs if k in read]
    unread = set(printed_inputs) - set(read)  # only planned interest that was never typed (nothing printed)
    assert all(k.endswith("_interest") and not imported.forms[form_id].get(k) for k in unread), unread


def test_the_importer_reads_every_column_of_the_tables(project: Project, imported) -> None:  # type: ignore[no-untyped-def]
    roster_keys = {f.key for f in FORMS["roster"].row_fields}
    assert imported.roster == [{k: v for k, v in m.items() if k in roster_keys} for m in project.years[YEAR].roster]
    sessions = [{k: v for k, v in s.items() if v} for s in imported.training_report]
    assert sessions == [{k: v for k, v in s.items() if v} for s in project.years[YEAR].training_report]


def test_rows_typed_in_the_spare_lines_are_read(project: Project, tmp_path: Path) -> None:
    """Spare unlocked rows after the roster, the sessions and the ledger entries: lines added in Excel."""
    grids = layouts.application_grids(project, YEAR)
    path = write_xlsx(grids, tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(path)
    roster = book[FORMS["roster"].sheet_name]
    spare_roster = next(r for r in range(1, roster.max_row + 1) if roster.cell(r, 2).value is None and r > 3)
    assert roster.cell(spare_roster, 2).protection.locked is False
    roster.cell(spare_roster, 2).value = "新會員"
    roster.cell(spare_roster, 4).value = "A123456789"
    sessions = book[FORMS["training_report"].sheet_name]
    spare_session = next(r for r in range(4, sessions.max_row + 1) if sessions.cell(r, 5).value is None)
    sessions.cell(spare_session, 5).value = "加開場次"
    sessions.cell(spare_session, 4).value = "1"
    book.save(tmp_path / "added.xlsx")
    result = import_workbook(tmp_path / "added.xlsx").book
    assert result.roster[-1]["name"] == "新會員" and len(result.roster) == len(project.years[YEAR].roster) + 1
    assert result.training_report[-1]["name"] == "加開場次"
    assert len(result.training_report) == len(project.years[YEAR].training_report) + 1


# ---------------------------------------------------------------- totals are formulas with their figures

WORKED = {  # (sheet, field key) → the guide's worked figure
    ("final_accounts", "rev_total"): 996_537,
    ("final_accounts", "exp_total"): 991_700,
    ("final_accounts", "accumulated"): 2_357_031,
    ("final_accounts", "subtotal_surplus"): 513_600,
    ("final_accounts", "subtotal_allocation"): 463_100,
    ("final_accounts", "ben_5_male"): 436,
    ("training_expenses", "total"): 199_700,
    ("budget", "rev_total"): 1_051_509,
    ("budget", "exp_total"): 1_051_509,
}


def test_every_total_is_a_formula_over_the_cells_it_adds(grids) -> None:  # type: ignore[no-untyped-def]
    for (form_id, key), figure in WORKED.items():
        cell = grids[form_id].by_key()[key]
        assert cell.formula and cell.formula.startswith("SUM("), (form_id, key)
        assert cell.value == figure, (form_id, key)
    for form_id, spec in FORMS.items():
        by_key = grids[form_id].by_key()
        for item in spec.derived:
            if item.key in by_key:
                assert by_key[item.key].formula, (form_id, item.key)
    assert grids["final_accounts"].by_key()["accumulated"].formula.count("-") == 1  # 剩餘數＋歲入合計－總計


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
def test_the_worked_figures_read_back_as_formulas_with_their_values(grids, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    ordered = list(grids.values())
    if fmt == "xls":
        path = write_xls(ordered, tmp_path / "a.xls")
        book = xlrd.open_workbook(str(path), formatting_info=True)
        for (form_id, key), figure in WORKED.items():
            cell = grids[form_id].by_key()[key]
            sheet = book.sheet_by_name(FORMS[form_id].sheet_name)
            assert sheet.cell_value(cell.row, cell.col) == figure, (form_id, key)
        return
    path = write_xlsx(ordered, tmp_path / "a.xlsx")
    formulas, values = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    for (form_id, key), figure in WORKED.items():
        cell = grids[form_id].by_key()[key]
        name = FORMS[form_id].sheet_name
        assert formulas[name].cell(cell.row + 1, cell.col + 1).value == "=" + cell.formula, (form_id, key)
        assert values[name].cell(cell.row + 1, cell.col + 1).value == figure, (form_id, key)


def ledger_project() -> Project:
    import json

    from treasurer_app.ledger.entries import LedgerBook
    from treasurer_app.project import YearBook

    document = json.loads((FIXTURE.parent / "ledger_114.json").read_text(encoding="utf-8"))
    book = LedgerBook(header=document["header"], entries=document["entries"])
    return Project({114: YearBook(114, ledger=book)})


def test_drop_downs_where_the_guide_describes_one(grids, project: Project) -> None:  # type: ignore[no-untyped-def]
    options = {form_id: {v.options for v in grid.validations} for form_id, grid in grids.items()}
    assert ("0.5", "1", "2") in options["training_report"]  # 天數
    assert ("A：運用於(2)-(4)項", "B：運用於(1)-(6)項") in options["final_accounts"]
    days = next(v for v in grids["training_report"].validations if v.options == ("0.5", "1", "2"))
    spare = training_report.SPARE_SESSIONS
    assert days.last_row - days.first_row + 1 == len(project.years[YEAR].training_report) + spare
    for book in (ledger_project(), project):  # with entries, and empty (the spare rows only)
        year = min(book.years)
        sheet = layouts.ledger_grids(book, year)[0]
        drop_downs = {v.options: v for v in sheet.validations}
        assert {KINDS, CATEGORIES, ACCOUNTS} <= set(drop_downs)
        entries = book.years[year].ledger.entries if book.years[year].ledger else []
        kinds = drop_downs[KINDS]
        assert kinds.last_row - kinds.first_row + 1 == len(entries) + SPARE_ENTRIES
        # 摘要(一), which carries 號: its texts are too long for an explicit list, so it lists the parameter
        # table's column, down the same rows as 字
        column = [c.key for c in ENTRY_ROWS.columns].index("code")
        [summaries] = [v for v in sheet.validations if v.first_col == column]
        assert (summaries.first_row, summaries.last_row) == (kinds.first_row, kinds.last_row)
        assert summaries.first_col == summaries.last_col == column
        assert summaries.options == tuple(code.summary for code in PARAMETER_TABLE)
        assert len(",".join(summaries.options)) > 255 and summaries.source is not None
        table = layouts.ledger_grids(book, year)[1]
        assert summaries.source.sheet_name == table.sheet_name == PARAMETER_SHEET_NAME
        listed = [
            table.at(row, summaries.source.col)
            for row in range(summaries.source.first_row, summaries.source.last_row + 1)
        ]
        assert [cell.value for cell in listed] == list(summaries.options)  # exactly the table's 摘要(一) cells


def test_the_ledger_running_balances_are_formulas_with_the_apps_figures() -> None:
    project = ledger_project()
    sheet = layouts.ledger_grids(project, 114)[0]
    column = {c.key: i for i, c in enumerate(ENTRY_ROWS.columns)}
    running = balances(project.years[114].ledger, 114)
    totals = sorted((c for c in sheet.cells if c.formula and c.col == column["balance_total"]), key=lambda c: c.row)
    assert [c.value for c in totals] == [b.total for b in running]
    assert all(c.formula.startswith("SUM(") for c in totals)
    petty = sorted((c for c in sheet.cells if c.formula and c.col == column["balance_petty"]), key=lambda c: c.row)
    assert [c.value for c in petty] == [b.of(PETTY) for b in running]
    opening = sheet.by_key()["opening_petty"]
    assert petty[0].formula.startswith(f"{layouts.a1(opening.row, opening.col)}+")  # from the opening balance
    assert petty[1].formula.startswith(f"{layouts.a1(petty[0].row, petty[0].col)}+")  # then the row above


def test_a_balance_column_moves_the_balance_above_or_the_opening() -> None:
    from treasurer_app.export.ledger_formulas import balance_column

    opening = Cell(5, 4, 1000)  # E6
    cells = balance_column("balance_acct1", [10, 11, 12], [1, 2, 3], opening, Style.MONEY)
    col = cells[0].col
    shapes = [("balance", col, 4, -5), ("balance", col, col, -1), ("balance", col, col, -1)]
    assert [c.formula_shape for c in cells] == shapes
    assert cells[0].formula.startswith("E6+") and cells[2].formula.startswith(f"{layouts.a1(11, col)}+")
    cells[2].formula = "1+1"
    assert cells[2].formula == "1+1" and cells[2].formula_shape is None  # set afterwards: it wins
    first, second = balance_column("balance_acct1", [10, 11], [1, 2], None, Style.MONEY)
    assert type(first) is Cell and first.formula is None and second.formula_shape == shapes[1]
    for rows, values in (([10, 12], [1, 2]), ([10, 11], [1, 2, 3]), ([10, 11], [1])):
        with pytest.raises(ValueError):
            balance_column("balance_acct1", rows, values, opening, Style.MONEY)


def test_the_ledger_entries_input_cells_are_keyed_by_entry_and_behave_as_cells() -> None:
    project = ledger_project()
    sheet = layouts.ledger_grids(project, 114)[0]
    entries = project.years[114].ledger.entries
    keyed = [c for c in sheet.cells if c.key and ":" in c.key]
    first = min(keyed, key=lambda c: c.row)
    month = next(c for c in keyed if c.key == "0:month")
    assert month.row == first.row and month.value == int(entries[0]["month"])
    assert next(c for c in keyed if c.key == f"{len(entries) - 1}:voucher").row == first.row + len(entries) - 1
    again = layouts.ledger_grids(project, 114)[0]
    assert again.cells == sheet.cells  # two layouts of the same ledger are the same cells
    assert pickle.loads(pickle.dumps(month)) == month
    moved = dataclasses.replace(month, row=month.row + 1)
    assert moved.key == "0:month" and moved == month.__class__(**{**vars_of(month), "row": month.row + 1})
    month.key = "changed"
    assert month.key == "changed"  # a key set afterwards wins, as on any cell


def vars_of(cell: Cell) -> dict[str, object]:
    return {f.name: getattr(cell, f.name) for f in dataclasses.fields(cell)}


def test_the_ledger_rows_fitted_a_column_at_a_time_are_as_fit_row_heights_fits_them() -> None:
    """The entries' rows are fitted column by column; fitting every cell of the sheet gives the same heights,
    in the same order (the .xls writer sets them in the order given)."""
    from treasurer_app.export.row_heights import fit_row_heights

    project = ledger_project()
    entries = project.years[114].ledger.entries
    entries += [
        {**entries[-1], "memo": "王" * 30},
        {**entries[-1], "memo": "第一行\n第二行"},
        {**entries[-1], "memo": ""},
        *({**entries[-1], "voucher": "V" + "0" * n, "memo": "x" * (n + 9)} for n in range(5, 10)),  # ASCII, ±room
        {**entries[-1], "voucher": "A\nB"},
    ]
    sheet = layouts.ledger_grids(project, 114)[0]
    titles = {c.row for c in sheet.cells if c.style is Style.TITLE}
    again = Grid(sheet.sheet_name, sheet.title, sheet.col_widths, list(sheet.cells))
    again.row_heights = {row: height for row, height in sheet.row_heights.items() if row in titles}
    fit_row_heights(again)
    assert list(again.row_heights.items()) == list(sheet.row_heights.items())
    assert max(sheet.row_heights.values()) > 2 * layouts.TITLE_ROW_HEIGHT  # the long memo wraps


@pytest.mark.parametrize("quarter", [1, None])
def test_the_ledger_sheet_prints_its_opening_and_closing_balances_under_it(quarter: int | None) -> None:
    """The PDF prints the sheet's footer: the closing balances are the sheet's own last running balances."""
    from treasurer_app.ledger.quarters import quarter_slice

    project = ledger_project()
    book = project.years[114].ledger
    sliced = quarter_slice(book, 114, quarter) if quarter else book
    sheet = layouts.ledger_grids(project, 114, quarter)[0]
    closing = closing_balances(sliced, 114)  # the ledger's own closing, not the sheet's last running balance
    assert closing == balances(sliced, 114)[-1]
    day = "114 年 3 月 31 日" if quarter else "114 年 12 月 31 日"
    amounts = "、".join(f"{account} {amount:,} 元" for account, amount in zip(ACCOUNTS, closing.amounts(), strict=True))
    assert sheet.footer[0].startswith("上年度結存：合計 ")
    assert sheet.footer[1] == f"本期結存（截至 {day}）：合計 {closing.total:,} 元（{amounts}）"
    assert layouts.ledger_grids(Project({114: YearBook(114)}), 114)[0].footer == []  # no ledger, no balances


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_computes_every_running_balance_to_the_apps_figure(tmp_path: Path) -> None:
    """The caches are zeroed before writing: the figures LibreOffice shows are the formulas' own."""
    from tests.unit.test_workbook_writers import convert

    grids = layouts.ledger_grids(ledger_project(), 114)
    expected = {}
    for cell in grids[0].cells:
        if cell.formula:
            expected[cell.row, cell.col], cell.value = cell.value, 0
    assert len(expected) == 5 * len(ledger_project().years[114].ledger.entries)  # 結存 and the four accounts
    sheet = openpyxl.load_workbook(convert(write_xls(grids, tmp_path / "l.xls"), "xlsx", tmp_path), data_only=True)
    computed = {(r, c): sheet.worksheets[0].cell(r + 1, c + 1).value for r, c in expected}
    assert computed == expected


def test_the_paper_copy_leaves_out_the_spare_rows(grids) -> None:  # type: ignore[no-untyped-def]
    sheet = layouts.ledger_grids(ledger_project(), 114)[0]
    paper = layouts.paper_copy(sheet)
    entries = len(ledger_project().years[114].ledger.entries)
    assert sheet.n_rows - paper.n_rows == SPARE_ENTRIES
    header = sheet.header_rows[1]  # type: ignore[index]
    assert paper.n_rows == header + 1 + entries
    roster = layouts.paper_copy(grids["roster"])
    assert grids["roster"].n_rows - roster.n_rows == 20 and not roster.validations
    assert layouts.paper_copy(grids["final_accounts"]) is grids["final_accounts"]  # nothing spare: unchanged


def _measured_afresh(grid: Grid) -> tuple[int, int]:
    """n_rows and n_cols as a grid given the same cells in a list of its own measures them, cell by cell."""
    fresh = dataclasses.replace(grid, cells=list(grid.cells))
    return fresh.n_rows, fresh.n_cols


def test_the_ledger_and_its_paper_copy_say_the_size_their_cells_have(grids) -> None:  # type: ignore[no-untyped-def]
    """ledger_grids and paper_copy give the size they know without reading every cell: the size the cells have
    (the .xls refusal and the PDF's pages read it); each grid the application prints too, with a merged cell
    kept over a spare row and one dropped."""
    sheets = layouts.ledger_grids(ledger_project(), 114)
    tall = Grid("t", "t", [5, 5], cells=[Cell(0, 0, "a"), Cell(0, 1, None, rowspan=3), Cell(2, 0, None)])
    tall.cells += [Cell(4, 0, ""), Cell(4, 1, None, rowspan=2), Cell(5, 0, 0), Cell(6, 0, None)]
    tall.cells += [Cell(7, 0, "z"), Cell(7, 1, None, rowspan=3), Cell(10, 0, None)]
    wide = Grid("w", "w", [5, 5], cells=[Cell(0, 0, "a"), Cell(1, 0, None, colspan=4), Cell(2, 0, "b")])
    for grid in [*sheets, *grids.values(), tall, wide]:
        assert (grid.n_rows, grid.n_cols) == _measured_afresh(grid)
        paper = layouts.paper_copy(grid)
        assert (paper.n_rows, paper.n_cols) == _measured_afresh(paper)
    assert _measured_afresh(layouts.paper_copy(tall)) == (10, 2)  # rows 4, 6 and 10 dropped, row 5's 0 kept
    assert _measured_afresh(layouts.paper_copy(wide)) == (3, 2)  # the wide cell's row dropped
    empty = Grid("e", "e", [5], cells=[Cell(0, 0, None, rowspan=2), Cell(1, 0, "")])
    assert (layouts.paper_copy(empty).n_rows, layouts.paper_copy(empty).n_cols) == (0, 1)


def test_the_ledgers_paper_copy_is_the_one_its_cells_give() -> None:
    """ledger_grids notes which rows its paper copy leaves out (the spare rows after the entries) so that
    paper_copy need not read the cells: the copy is the one reading them gives, for a quarter, a year, a
    ledger without entries, and one whose title row is empty (then nothing is noted: that row is spare too)."""
    project, untitled = ledger_project(), ledger_project()  # the latter without a union name
    empty = Project({114: YearBook(114, ledger=LedgerBook(header=project.years[114].ledger.header))})
    for named in (project, empty):
        named.years[114].forms["application"]["union_name"] = "基隆港碼頭工會"
    sheets = [layouts.ledger_grids(project, 114, quarter)[0] for quarter in (1, None)]
    sheets += [layouts.ledger_grids(empty, 114)[0], layouts.ledger_grids(untitled, 114)[0]]
    for sheet, noted in zip(sheets, (True, True, True, False), strict=True):
        assert (sheet.noted_spare_rows() is not None) is noted
        sheet.row_heights[sheet.n_rows - 1] = 30.0  # a spare row's height, which the paper copy leaves out
        paper = layouts.paper_copy(dataclasses.replace(sheet, landscape=True))  # as the PDF asks for it
        read = layouts.paper_copy(dataclasses.replace(sheet, cells=list(sheet.cells)))  # nothing noted
        assert len(paper.cells) == len(read.cells) and all(map(operator.is_, paper.cells, read.cells))
        assert list(paper.row_heights.items()) == list(read.row_heights.items()) and not paper.validations
        assert sheet.n_rows - 1 not in paper.row_heights
        assert (paper.n_rows, paper.n_cols) == (read.n_rows, read.n_cols) == _measured_afresh(paper)
    assert len(sheets[0].cells) - len(layouts.paper_copy(sheets[0]).cells) == SPARE_ENTRIES * len(ENTRY_ROWS.columns)


def test_a_ledger_without_spare_rows_says_the_size_its_entries_give(monkeypatch: pytest.MonkeyPatch) -> None:
    from treasurer_app.forms.layout import Layout, Rows

    rows = Rows(ENTRY_ROWS.columns, number="#", spare=0)  # its entries' rows and columns are the sheet's last
    blocks = tuple(rows if block is ENTRY_ROWS else block for block in layouts.LEDGER_LAYOUT.blocks)
    monkeypatch.setattr(layouts, "LEDGER_LAYOUT", Layout(blocks, landscape=True))
    sheet = layouts.ledger_grids(ledger_project(), 114)[0]
    assert sheet.cells[-1].row == sheet.n_rows - 1 and sheet.n_cols == len(ENTRY_ROWS.columns) + 1
    assert (sheet.n_rows, sheet.n_cols) == _measured_afresh(sheet)


def test_a_grid_measures_its_cells_again_once_they_change() -> None:
    grid = Grid("g", "g", [5])
    assert (grid.n_rows, grid.n_cols) == (0, 1)
    grid.add(2, 0, "a", colspan=3)
    assert (grid.n_rows, grid.n_cols) == (3, 3)  # a cell added
    grid.cells = [Cell(0, 0, "b", rowspan=4)]
    assert (grid.n_rows, grid.n_cols) == (4, 1)  # another list of cells
    grid.col_widths.append(5)
    assert grid.n_cols == 2  # another column's width
    copy = dataclasses.replace(grid, cells=[Cell(0, 0, "c")])
    assert (copy.n_rows, grid.n_rows) == (1, 4)
    grid.cells[0] = Cell(5, 3, "moved")  # in place, the list as long: a grid whose size no layout noted sees it
    assert (grid.n_rows, grid.n_cols) == (6, 4)
    grid.cells[0].rowspan = 9
    assert grid.n_rows == 14
    grid.measured_as(14, 4)
    assert (dataclasses.replace(grid).n_rows, grid.n_cols) == (14, 4)  # noted: kept, by a copy too


def test_a_line_added_in_one_place_reaches_editor_print_formula_and_import(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding a field is a one-place change: one more entry in training_expenses.LINES (here 講義費)."""
    from treasurer_app.forms import training_expenses

    spec = training_expenses.declare((*training_expenses.LINES, "講義費"))
    monkeypatch.setitem(FORMS, "training_expenses", spec)
    project.years[YEAR].forms["training_expenses"]["line_14"] = "1200"
    try:
        grids = layouts.application_grids(project, YEAR)
        sheet = grids[list(FORMS).index("training_expenses")]
        assert [k for k in editor_keys("training_expenses") if k.startswith("line_")][-1] == "line_14"
        assert printed_keys(sheet, table=False) == editor_keys("training_expenses")
        cell, total = sheet.by_key()["line_14"], sheet.by_key()["total"]
        assert sheet.at(cell.row, 0).value == "講義費" and cell.value == 1200
        assert total.value == 199_700 + 1200 and total.formula == f"SUM(B3:{layouts.a1(cell.row, 1)})"
        book = import_workbook(write_xlsx(grids, tmp_path / "a.xlsx")).book
        assert book.forms["training_expenses"]["line_14"] == "1200"
    finally:
        del project.years[YEAR].forms["training_expenses"]["line_14"]


def test_an_entry_typed_in_the_ledgers_spare_rows_is_imported(tmp_path: Path) -> None:
    project = ledger_project()
    entries = project.years[114].ledger.entries
    path = write_xlsx(layouts.ledger_grids(project, 114), tmp_path / "l.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "年")
    row = header + len(entries) + 1  # the first spare row
    assert sheet.cell(row, 2).protection.locked is False and sheet.cell(row, 2).value is None
    typed = {2: "12", 3: "30", 4: "支", 5: "支999", 7: "1-6、餐費", 8: "年終聚餐", 9: 3000, 10: "分配款", 11: "零用金"}
    for col, value in typed.items():
        sheet.cell(row, col).value = value
    book.save(tmp_path / "added.xlsx")
    imported = import_workbook(tmp_path / "added.xlsx").book.ledger.entries
    assert len(imported) == len(entries) + 1
    assert imported[-1] == {
        "month": "12", "day": "30", "kind": "支", "voucher": "支999", "code": "1-6", "memo": "年終聚餐",
        "amount": "3000", "category": "分配款", "account": "零用金",
    }  # fmt: skip


def test_a_ledger_written_before_issue_13_with_its_own_column_is_still_read(tmp_path: Path) -> None:
    """Files exported earlier print 年 月 日 字 項目 號 摘要(一) 傳票序號 …: 號 is read from its own column."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = LEDGER_TITLE
    sheet.append([LEDGER_TITLE])
    sheet.append(["年度：", None, None, "114"])
    old_headers = ["年", "月", "日", "字", "項目", "號", "摘要(一)", "傳票序號", "摘要(二)", "金額", "動支類別"]
    sheet.append([*old_headers, "動支帳戶", "結存"])
    sheet.append(["114", 1, 6, "支", "3、職災保險或慰問金", "3-2-1", "3-2-1、會員住院或死亡等慰問金", "支001", "黃俊傑",
                  2000, "分配款", "零用金", 1998000])  # fmt: skip
    book.save(tmp_path / "old.xlsx")
    [entry] = import_workbook(tmp_path / "old.xlsx").book.ledger.entries
    assert entry == {"month": "1", "day": "6", "kind": "支", "code": "3-2-1", "voucher": "支001", "memo": "黃俊傑",
                     "amount": "2000", "category": "分配款", "account": "零用金"}  # fmt: skip


@given(st.text(max_size=30))
def test_a_texts_width_counts_its_wide_characters_twice(text: str) -> None:
    """Row heights wrap text by this width (the table of widths it keeps must answer as unicodedata does)."""
    assert display_width(text) == sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    assert display_width("王a１ ") == 6  # wide, narrow, full-width (F), narrow
