"""The .xls and .xlsx writers (issue 13 item 3): formulas with cached results, drop-down lists,
print setup, input-cell fill and text that keeps its leading zeros — read back with xlrd and
openpyxl, and after a LibreOffice round trip (the format converted to the other one and back).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlrd

from treasurer_app import interchange
from treasurer_app.export import layouts
from treasurer_app.export.excel_look import INPUT_RED, LOCKED_GREY
from treasurer_app.export.grid import (
    Cell,
    Grid,
    InputFill,
    ListSource,
    Style,
    Validation,
    a1,
    a1_range,
    explicit_list,
    on_sheet,
    source_range,
)
from treasurer_app.export.xls import write_xls
from treasurer_app.export.xlsx import write_xlsx

FIXTURES = Path(__file__).parent.parent / "fixtures"
YEAR = 115
WRITERS = {"xls": write_xls, "xlsx": write_xlsx}
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


def plain(value: object) -> object:
    """xlrd reads every number as a float; whole numbers compare as int; empty cells as ''."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


def budget_grid(fill: InputFill = InputFill.RED) -> Grid:
    """A small table: two inputs, their total as a formula, a text formula, a date and a 統一編號 as text."""
    grid = Grid("預算", "測試 預算", [12, 14, 10], landscape=True, input_fill=fill)
    grid.add(0, 0, "項目", Style.HEADER)
    grid.add(0, 1, "金額", Style.HEADER)
    grid.add(0, 2, "天數", Style.HEADER)
    grid.add(1, 0, "講師費", Style.LABEL)
    grid.add(1, 1, 467_000, Style.MONEY, locked=False)
    grid.add(1, 2, "1", Style.CENTER, locked=False)
    grid.add(2, 0, "場地費", Style.LABEL)
    grid.add(2, 1, 529_537, Style.MONEY, locked=False)
    grid.add(2, 2, "0.5", Style.CENTER, locked=False)
    grid.add(3, 0, "合計", Style.LABEL)
    grid.add(3, 1, 996_537, Style.MONEY, formula="SUM(B2:B3)")
    grid.add(4, 0, "說明", Style.LABEL)
    grid.add(4, 1, "講師費場地費", Style.TEXT, formula="A2&A3", colspan=2)
    grid.add(5, 0, "0670127", Style.CENTER)  # a date as the guide writes it
    grid.add(5, 1, "01234567", Style.CENTER, locked=False)  # a 統一編號 with a leading zero
    grid.header_rows = (0, 0)
    grid.validations.append(Validation(1, 2, 2, 2, ("0.5", "1", "2"), prompt="請點選 0.5、1、2 日"))
    accounts = ("專戶存款1", "專戶存款2", "定期存款", "零用金")
    grid.validations.append(Validation(6, 0, 40, 0, accounts, error="須為動支帳戶之一"))
    return grid


EXPECTED = [
    ["項目", "金額", "天數"],
    ["講師費", 467_000, "1"],
    ["場地費", 529_537, "0.5"],
    ["合計", 996_537, ""],
    ["說明", "講師費場地費", ""],
    ["0670127", "01234567", ""],
]


def values(path: Path) -> list[list[object]]:
    """The first sheet's values as a reader of values sees them: xlrd, or openpyxl with data_only."""
    if path.suffix == ".xls":
        sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
        return [[plain(v) for v in sheet.row_values(r)] for r in range(sheet.nrows)]
    sheet = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    return [[plain(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def convert(source: Path, fmt: str, tmp_path: Path) -> Path:
    """LibreOffice opens ``source`` and saves it as ``fmt`` (the round trip a person's office suite makes)."""
    out = tmp_path / f"lo-{source.suffix[1:]}-to-{fmt}"
    completed = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", fmt, "--outdir", str(out), str(source)],
        capture_output=True, timeout=180, check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )  # fmt: skip
    converted = out / f"{source.stem}.{fmt}"
    assert completed.returncode == 0 and converted.is_file(), completed.stderr
    return converted


# ---------------------------------------------------------------- formulas keep their figures


@pytest.mark.parametrize("fmt", WRITERS)
def test_formula_cells_carry_their_cached_result(tmp_path: Path, fmt: str) -> None:
    path = WRITERS[fmt]([budget_grid()], tmp_path / f"budget.{fmt}")
    assert values(path) == EXPECTED


def test_xlsx_stores_the_formula_and_its_value(tmp_path: Path) -> None:
    path = write_xlsx([budget_grid()], tmp_path / "budget.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["B4"].value == "=SUM(B2:B3)"
    assert sheet["B5"].value == "=A2&A3"


@needs_soffice
@pytest.mark.parametrize(("fmt", "other"), [("xls", "xlsx"), ("xlsx", "xls")])
def test_libreoffice_round_trip_keeps_formulas_values_and_setup(tmp_path: Path, fmt: str, other: str) -> None:
    written = WRITERS[fmt]([budget_grid()], tmp_path / f"budget.{fmt}")
    there = convert(written, other, tmp_path)
    back = convert(there, fmt, tmp_path / "back")
    for path in (there, back):
        expected = [list(row) for row in EXPECTED]
        if path.suffix == ".xls":
            # LibreOffice itself writes a text formula's result into .xls so that xlrd reads 0 (its own
            # .xlsx → .xls too); the totals, which are numbers, are what must survive.
            expected[4][1] = plain(xlrd.open_workbook(str(path)).sheet_by_index(0).cell_value(4, 1))
        assert values(path) == expected, path.name
    xlsx = there if other == "xlsx" else back
    book = openpyxl.load_workbook(xlsx)
    sheet = book.worksheets[0]
    assert sheet["B4"].value == "=SUM(B2:B3)"  # still a formula, not a pasted number
    check_xlsx_setup(sheet)


# ---------------------------------------------------------------- print setup, drop-downs, fills, protection


def check_xlsx_setup(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.print_area == "'預算'!$A$1:$C$6"
    validation, accounts = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"0.5,1,2"'
    assert str(validation.sqref) == "C2:C3"
    assert validation.prompt == "請點選 0.5、1、2 日" and validation.error == "請從清單中選擇。"
    assert accounts.type == "list" and accounts.formula1 == '"專戶存款1,專戶存款2,定期存款,零用金"'
    assert str(accounts.sqref) == "A7:A41" and accounts.error == "須為動支帳戶之一"
    assert sheet.protection.sheet
    assert sheet["B2"].fill.fgColor.rgb == "FF{:02X}{:02X}{:02X}".format(*INPUT_RED)
    assert not sheet["B2"].protection.locked
    assert sheet["B4"].protection.locked and sheet["B4"].fill.fill_type in (None, "none")
    assert sheet["B6"].number_format == "@" and sheet["B2"].number_format == "#,##0"


def test_xlsx_print_setup_drop_down_and_red_input_cells(tmp_path: Path) -> None:
    path = write_xlsx([budget_grid()], tmp_path / "budget.xlsx")
    check_xlsx_setup(openpyxl.load_workbook(path).worksheets[0])


def test_xls_print_area_and_repeated_rows_are_built_in_names(tmp_path: Path) -> None:
    grids = [budget_grid(), budget_grid()]
    grids[1].header_rows = None
    path = write_xls(grids, tmp_path / "budget.xls")
    book = xlrd.open_workbook(str(path))
    names = {(n.name, n.scope): n for n in book.name_obj_list}
    assert set(names) == {("Print_Area", 0), ("Print_Titles", 0), ("Print_Area", 1)}
    sheet, first_row, end_row, first_col, end_col = names["Print_Area", 0].area2d()
    assert (sheet.name, first_row, end_row, first_col, end_col) == ("預算", 0, 6, 0, 3)
    sheet, first_row, end_row, _, _ = names["Print_Titles", 0].area2d()
    assert (sheet.name, first_row, end_row) == ("預算", 0, 1)
    assert names["Print_Area", 1].area2d()[0].name == "預算(2)"


def test_xls_red_input_cells_and_formats(tmp_path: Path) -> None:
    path = write_xls([budget_grid()], tmp_path / "budget.xls")
    book = xlrd.open_workbook(str(path), formatting_info=True)
    sheet = book.sheet_by_index(0)

    def xf(row: int, col: int) -> xlrd.formatting.XF:
        return book.xf_list[sheet.cell_xf_index(row, col)]

    def fill(row: int, col: int) -> tuple[int, int, int] | None:
        background = xf(row, col).background
        return book.colour_map.get(background.pattern_colour_index) if background.fill_pattern else None

    assert fill(1, 1) == INPUT_RED and not xf(1, 1).protection.cell_locked
    assert fill(3, 1) is None and xf(3, 1).protection.cell_locked
    assert book.format_map[xf(5, 0).format_key].format_str == "@"
    assert book.format_map[xf(1, 1).format_key].format_str == "#,##0"


@pytest.mark.parametrize("fmt", WRITERS)
def test_white_input_cells_and_grey_locked_cells_for_the_ledger(tmp_path: Path, fmt: str) -> None:
    path = WRITERS[fmt]([budget_grid(InputFill.WHITE)], tmp_path / f"ledger.{fmt}")
    if fmt == "xls":
        book = xlrd.open_workbook(str(path), formatting_info=True)
        sheet = book.sheet_by_index(0)

        def fill(row: int, col: int) -> tuple[int, int, int] | None:
            background = book.xf_list[sheet.cell_xf_index(row, col)].background
            return book.colour_map.get(background.pattern_colour_index) if background.fill_pattern else None
    else:
        sheet = openpyxl.load_workbook(path).worksheets[0]

        def fill(row: int, col: int) -> tuple[int, int, int] | None:
            colour = sheet.cell(row + 1, col + 1).fill
            if colour.fill_type != "solid":
                return None
            rgb = colour.fgColor.rgb[-6:]
            return (int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16))

    assert fill(1, 1) == (255, 255, 255)  # input: white
    assert fill(3, 1) == LOCKED_GREY and fill(1, 0) == LOCKED_GREY  # a total and a label: grey, visibly not input


@needs_soffice
def test_xls_drop_down_survives_libreoffice(tmp_path: Path) -> None:
    """xlrd does not read data validation: LibreOffice does, and writes it into the .xlsx it saves."""
    written = write_xls([budget_grid()], tmp_path / "budget.xls")
    sheet = openpyxl.load_workbook(convert(written, "xlsx", tmp_path)).worksheets[0]
    check_xlsx_setup(sheet)


@pytest.mark.parametrize("fmt", WRITERS)
def test_a_list_too_long_for_excel_is_left_out_not_broken(tmp_path: Path, fmt: str) -> None:
    grid = budget_grid()
    grid.validations = [Validation(1, 0, 1, 0, tuple(f"選項{n:03d}" for n in range(60)))]  # > 255 characters
    grid.validations.append(Validation(1, 1, 1, 1, ("甲,乙", "丙")))  # a comma inside an option
    path = WRITERS[fmt]([grid], tmp_path / f"long.{fmt}")
    assert values(path) == EXPECTED
    if fmt == "xlsx":
        assert not openpyxl.load_workbook(path).worksheets[0].data_validations.dataValidation


def sourced_grids() -> list[Grid]:
    """A sheet whose drop-down lists 60 options (far beyond 255 characters) from a later sheet's column B,
    and one whose source sheet is not in the workbook."""
    options = tuple(f"{n}-{n}、第{n:03d}項支出" for n in range(60))
    sheet = Grid("登記簿", "測試 登記簿", [20, 20])
    sheet.add(0, 0, "摘要(一)", Style.HEADER)
    sheet.add(1, 0, None, Style.TEXT, locked=False)
    sheet.validations.append(Validation(1, 0, 30, 0, options, source=ListSource("參數's", 1, 2, 61)))
    sheet.validations.append(Validation(1, 1, 30, 1, options, source=ListSource("不在本檔", 1, 2, 61)))
    table = Grid("參數's", "測試 參數表", [6, 30])
    table.add(0, 0, "參數表", Style.TITLE, colspan=2)
    table.add(1, 0, "號", Style.HEADER)
    table.add(1, 1, "摘要(一)", Style.HEADER)
    for row, option in enumerate(options, start=2):
        table.add(row, 0, str(row - 1), Style.CENTER)
        table.add(row, 1, option, Style.LABEL)
    return [sheet, table]


def listed_options(book: openpyxl.Workbook, formula: str) -> list[object]:
    """The values a list drop-down's formula (a range on a sheet, or a defined name for one) offers."""
    if formula in book.defined_names:
        formula = book.defined_names[formula].attr_text
    sheet_name, cells = formula.rsplit("!", 1)
    sheet_name = sheet_name.strip("'").replace("''", "'")
    return [cell.value for (cell,) in book[sheet_name][cells.replace("$", "")]]


@needs_soffice
def test_a_long_list_lists_the_cells_of_another_sheet_in_both_formats(tmp_path: Path) -> None:
    """The .xlsx refers to the cells directly; the .xls through a defined name (BIFF8 data validation may not
    refer to another sheet), which LibreOffice reads back as the same range. A source sheet not written
    leaves the drop-down out rather than breaking the file."""
    grids = sourced_grids()
    options = list(grids[0].validations[0].options)
    xlsx = openpyxl.load_workbook(write_xlsx(grids, tmp_path / "sourced.xlsx"))
    [written] = xlsx.worksheets[0].data_validations.dataValidation
    assert written.type == "list" and str(written.sqref) == "A2:A31"
    assert written.formula1 == "'參數''s'!$B$3:$B$62" == source_range(grids[0].validations[0].source, "參數's")
    assert listed_options(xlsx, written.formula1) == options
    xls = write_xls(grids, tmp_path / "sourced.xls")
    assert xlrd.open_workbook(str(xls)).sheet_by_index(1).col_values(1)[2:] == options  # still a readable .xls
    from_xls = openpyxl.load_workbook(convert(xls, "xlsx", tmp_path))
    [written] = from_xls.worksheets[0].data_validations.dataValidation
    assert written.type == "list" and str(written.sqref) == "A2:A31"
    assert not written.prompt and written.error == "請從清單中選擇。"
    assert from_xls.defined_names[written.formula1].attr_text.replace("$", "") == "'參數''s'!B3:B62"
    assert listed_options(from_xls, written.formula1) == options
    assert from_xls.worksheets[0].print_area == "'登記簿'!$A$1:$B$2"  # the built-in names are still right


# ---------------------------------------------------------------- the real exports


def guide_grids() -> list[tuple[str, list[Grid]]]:
    project = interchange.load(FIXTURES / "guide_example_corrected.json")
    return [("application", layouts.application_grids(project, YEAR)), ("ledger", layouts.ledger_grids(project, YEAR))]


def grid_values(grid: Grid) -> dict[tuple[int, int], object]:
    return {(c.row, c.col): plain(c.value) for c in grid.cells}


@pytest.mark.parametrize("fmt", WRITERS)
def test_real_exports_read_back_cell_for_cell(tmp_path: Path, fmt: str) -> None:
    """Every cell of the guide example's grids — formula cells included — reads back as the grid's value."""
    for name, grids in guide_grids():
        path = WRITERS[fmt](grids, tmp_path / f"{name}.{fmt}")
        if fmt == "xls":
            book = xlrd.open_workbook(str(path))
            sheets = [(s.cell_value, s) for s in book.sheets()]
            # xlrd without formatting_info drops blank cells: spare input rows at the end read as ''
            read = [
                lambda r, c, s=s: plain(s.cell_value(r, c) if r < s.nrows and c < s.ncols else "") for _, s in sheets
            ]
        else:
            book = openpyxl.load_workbook(path, data_only=True)
            read = [lambda r, c, s=s: plain(s.cell(r + 1, c + 1).value) for s in book.worksheets]
        assert len(read) == len(grids)
        for grid, cell_value in zip(grids, read, strict=True):
            for (row, col), expected in grid_values(grid).items():
                assert cell_value(row, col) == expected, (name, grid.sheet_name, row, col)


@needs_soffice
def test_real_exports_survive_libreoffice_with_every_total(tmp_path: Path) -> None:
    """LibreOffice recomputes an .xls on opening: every figure of the guide example — formulas included —
    must come out of the round trip as the grid has it."""
    for name, grids in guide_grids():
        written = write_xls(grids, tmp_path / f"{name}.xls")
        book = openpyxl.load_workbook(convert(written, "xlsx", tmp_path), data_only=True)
        for grid, sheet in zip(grids, book.worksheets, strict=True):
            for cell in grid.cells:
                if isinstance(cell.value, int | float) or cell.formula:
                    read = plain(sheet.cell(cell.row + 1, cell.col + 1).value)
                    assert read == plain(cell.value), (name, grid.sheet_name, cell)
        if name == "application":
            text = {str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value is not None}
            for figure in (996_537, 991_700, 2_357_031, 199_700, 1_051_509):
                assert str(figure) in text


def fills(path: Path) -> list[dict[tuple[int, int], tuple[tuple[int, int, int] | None, bool]]]:
    """Per sheet: (row, col) → (solid fill colour or None, locked), through xlrd or openpyxl."""
    result = []
    if path.suffix == ".xls":
        book = xlrd.open_workbook(str(path), formatting_info=True)
        for sheet in book.sheets():
            cells = {}
            for row in range(sheet.nrows):
                for col in range(sheet.ncols):
                    xf = book.xf_list[sheet.cell_xf_index(row, col)]
                    background = xf.background
                    colour = book.colour_map.get(background.pattern_colour_index) if background.fill_pattern else None
                    cells[row, col] = (colour, bool(xf.protection.cell_locked))
            result.append(cells)
        return result
    for sheet in openpyxl.load_workbook(path).worksheets:
        cells = {}
        for line in sheet.iter_rows():
            for cell in line:
                colour = None
                if cell.fill.fill_type == "solid":
                    rgb = cell.fill.fgColor.rgb[-6:]
                    colour = (int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16))
                cells[cell.row - 1, cell.column - 1] = (colour, bool(cell.protection.locked))
        result.append(cells)
    return result


@pytest.mark.parametrize("fmt", WRITERS)
def test_real_exports_fill_input_cells_red_in_the_application_and_white_in_the_ledger(tmp_path: Path, fmt: str) -> None:
    (_, application), (_, ledger) = guide_grids()
    for grids, input_colour in ((application, INPUT_RED), (ledger[:1], (255, 255, 255))):
        sheets = fills(WRITERS[fmt](grids, tmp_path / f"fills-{len(grids)}.{fmt}"))
        for grid, cells in zip(grids, sheets, strict=True):
            inputs = [c for c in grid.cells if not c.locked]
            assert inputs, grid.sheet_name
            for cell in inputs:
                assert cells[cell.row, cell.col] == (input_colour, False), (grid.sheet_name, cell)
            for cell in grid.cells:
                if cell.locked:
                    colour, locked = cells[cell.row, cell.col]
                    assert locked and colour != input_colour, (grid.sheet_name, cell)


@pytest.mark.parametrize("fmt", WRITERS)
def test_formulas_may_refer_to_earlier_and_later_sheets(tmp_path: Path, fmt: str) -> None:
    final = Grid("福利專款決算及運用情形(含結存分析表)", "決算", [12])
    final.add(0, 0, 563_700, Style.MONEY)
    budget = Grid("福利專款歲入歲出預算書", "預算", [12])
    budget.add(0, 0, 563_700, Style.MONEY, formula="'福利專款決算及運用情形(含結存分析表)'!A1")
    budget.add(1, 0, 937, Style.MONEY, formula="'利息'!A1")
    interest = Grid("利息", "利息", [12])
    interest.add(0, 0, 937, Style.MONEY)
    path = WRITERS[fmt]([final, budget, interest], tmp_path / f"sheets.{fmt}")
    if fmt == "xls":
        sheet = xlrd.open_workbook(str(path)).sheet_by_index(1)
        assert [plain(v) for v in sheet.col_values(0)] == [563_700, 937]
    else:
        sheet = openpyxl.load_workbook(path, data_only=True).worksheets[1]
        assert [sheet["A1"].value, sheet["A2"].value] == [563_700, 937]


@pytest.mark.parametrize("fmt", WRITERS)
def test_real_exports_keep_leading_zeros_as_text_and_money_as_thousands(tmp_path: Path, fmt: str) -> None:
    (_, application), (_, ledger) = guide_grids()
    grids = [*application, ledger[0]]
    path = WRITERS[fmt](grids, tmp_path / f"formats.{fmt}")
    if fmt == "xls":
        book = xlrd.open_workbook(str(path), formatting_info=True)

        def read(index: int, row: int, col: int) -> tuple[object, str]:
            sheet = book.sheet_by_index(index)
            xf = book.xf_list[sheet.cell_xf_index(row, col)]
            return sheet.cell_value(row, col), book.format_map[xf.format_key].format_str
    else:
        sheets = openpyxl.load_workbook(path, data_only=True).worksheets

        def read(index: int, row: int, col: int) -> tuple[object, str]:
            cell = sheets[index].cell(row + 1, col + 1)
            return cell.value, cell.number_format

    zeros = money = 0
    for index, grid in enumerate(grids):
        for cell in grid.cells:
            value, number_format = read(index, cell.row, cell.col)
            if isinstance(cell.value, str) and cell.value[:1] == "0" and cell.value.isdigit():
                zeros += 1
                assert value == cell.value, (grid.sheet_name, cell)  # 0670127, 0840301 … stay text
            if cell.style is Style.MONEY:
                money += 1
                assert number_format == "#,##0", (grid.sheet_name, cell)
            if cell.style in (Style.TEXT, Style.CENTER):
                assert number_format == "@", (grid.sheet_name, cell)  # typed later, a date keeps its zero
    assert zeros > 100 and money > 100  # the roster's dates, the sheets' and the ledger's figures


def test_a1_names() -> None:
    assert [a1(0, 0), a1(4, 1), a1(0, 25), a1(0, 26), a1(9, 27), a1(0, 255)] == ["A1", "B5", "Z1", "AA1", "AB10", "IV1"]
    assert a1_range(4, 1, 8, 1) == "B5:B9"
    assert on_sheet("福利專款工作計畫書", "C5") == "'福利專款工作計畫書'!C5"


@needs_soffice
def test_libreoffice_recalculates_xls_formulas_so_the_round_trip_checks_them(tmp_path: Path) -> None:
    """LibreOffice computes an .xls's formulas on opening (it keeps an .xlsx's cached values): a wrong
    cached figure comes back corrected, so the real export's round trip proves the formulas themselves."""
    grid = Grid("預算", "預算", [12])
    grid.add(0, 0, 467_000, Style.MONEY)
    grid.add(1, 0, 529_537, Style.MONEY)
    grid.add(2, 0, 1, Style.MONEY, formula="SUM(A1:A2)")  # a wrong cache on purpose
    written = write_xls([grid], tmp_path / "wrong.xls")
    assert xlrd.open_workbook(str(written)).sheet_by_index(0).cell_value(2, 0) == 1
    sheet = openpyxl.load_workbook(convert(written, "xlsx", tmp_path), data_only=True).worksheets[0]
    assert sheet["A3"].value == 996_537


@pytest.mark.parametrize("fmt", WRITERS)
def test_a_long_prompt_is_shortened_not_the_drop_down_lost(tmp_path: Path, fmt: str) -> None:
    grid = budget_grid()
    grid.validations = [Validation(1, 2, 2, 2, ("0.5", "1", "2"), prompt="天數：" + "依課程時數點選。" * 40)]
    path = WRITERS[fmt]([grid], tmp_path / f"prompt.{fmt}")
    if fmt == "xls":
        path = convert(path, "xlsx", tmp_path) if shutil.which("soffice") else None
    if path is not None:
        [validation] = openpyxl.load_workbook(path).worksheets[0].data_validations.dataValidation
        assert validation.formula1 == '"0.5,1,2"'
        assert len(validation.prompt) == 255 and validation.prompt.startswith("天數：") and validation.prompt[-1] == "…"


def declared_drop_downs(grid: Grid) -> list[tuple[str, str]]:
    """(cells, list) of every drop-down the grid declares, as openpyxl shows them (a range without quotes)."""
    result = []
    for v in grid.validations:
        if v.source is not None:
            listed = source_range(v.source, v.source.sheet_name).replace("'", "")
        else:
            text = explicit_list(v.options)
            assert text is not None, (grid.sheet_name, v)  # every explicit list the layouts declare fits Excel
            listed = f'"{text}"'
        single = (v.first_row, v.first_col) == (v.last_row, v.last_col)
        cells = a1(v.first_row, v.first_col) if single else a1_range(v.first_row, v.first_col, v.last_row, v.last_col)
        result.append((cells, listed))
    return sorted(result)


def written_drop_downs(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[tuple[str, str]]:
    """(cells, list) of every drop-down written; a defined name (how an .xls lists cells) read as its range."""
    names = sheet.parent.defined_names

    def listed(formula: str) -> str:
        return (names[formula].attr_text if formula in names else formula).replace("'", "")

    return sorted((str(d.sqref), listed(d.formula1)) for d in sheet.data_validations.dataValidation)


@needs_soffice
def test_real_exports_carry_every_declared_drop_down_in_both_formats(tmp_path: Path) -> None:
    declared = 0
    for name, grids in guide_grids():
        xlsx = openpyxl.load_workbook(write_xlsx(grids, tmp_path / f"{name}.xlsx"))
        from_xls = openpyxl.load_workbook(convert(write_xls(grids, tmp_path / f"{name}.xls"), "xlsx", tmp_path))
        for grid, sheet, other in zip(grids, xlsx.worksheets, from_xls.worksheets, strict=True):
            expected = declared_drop_downs(grid)
            declared += len(expected)
            assert written_drop_downs(sheet) == expected, (name, grid.sheet_name)
            assert written_drop_downs(other) == expected, (name, grid.sheet_name)
    assert declared, "the guide's drop-downs (天數, A/B, 字, 動支類別, 動支帳戶) are declared by the layouts"


def ledger_project(entries: int) -> list[Grid]:
    import json

    from treasurer_app.ledger.entries import LedgerBook

    project = interchange.load(FIXTURES / "guide_example_corrected.json")
    raw = json.loads((FIXTURES / "ledger_114.json").read_text(encoding="utf-8"))
    repeated = (raw["entries"] * (entries // len(raw["entries"]) + 1))[:entries]
    project.years[YEAR].ledger = LedgerBook(header=raw["header"], entries=repeated)
    return layouts.ledger_grids(project, YEAR)


def test_xls_formulas_moved_down_are_the_tokens_xlwt_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each shape of formula is parsed once and moved to the rows below: the file is byte for byte the one
    parsing every formula afresh gives (the guide example's application and a ledger with every kind of entry)."""
    from treasurer_app.export import xls
    from treasurer_app.export.xls_formulas import Formulas

    (_, application), _ = guide_grids()
    extra = Grid("其他", "其他", [10, 10, 10])
    for row in range(40):
        extra.add(row, 0, row, Style.NUMBER)
        extra.add(row, 1, row * 2, Style.NUMBER, formula=f"A{row + 1}*2")
        extra.add(row, 2, 0, Style.NUMBER, formula=f"IF(A{row + 1}>$A$3,SUM($A$1:A{row + 1})-B{row + 1},0)+LOG10(1)*0")
    extra.add(40, 0, 1, Style.NUMBER, formula="'其他'!A2+SUM(A1:A40)*0")
    extra.add(41, 0, 1, Style.NUMBER, formula="'其他'!A3+SUM(A2:A41)*0")
    grids = [*application, *ledger_project(300), extra]
    fast = xls.write_xls(grids, tmp_path / "fast.xls").read_bytes()
    parsed_once = []
    original, original_keyed = Formulas.formula, Formulas.keyed
    inside_keyed = []  # a keyed formula not known yet is made by formula(): counted once, as the keyed one

    def count(self: Formulas, text: str, row: int) -> object:
        formula = original(self, text, row)
        if not inside_keyed:
            parsed_once.append(not isinstance(formula, bytes))  # bytes: a known formula's tokens moved
        return formula

    def count_keyed(self: Formulas, key: object, cell: Cell) -> object:
        inside_keyed.append(key)
        try:
            formula = original_keyed(self, key, cell)
        finally:
            inside_keyed.pop()
        parsed_once.append(not isinstance(formula, bytes))
        return formula

    monkeypatch.setattr(Formulas, "formula", count)
    monkeypatch.setattr(Formulas, "keyed", count_keyed)
    xls.write_xls(grids, tmp_path / "counted.xls")
    formula_cells = sum(1 for grid in grids for cell in grid.cells if cell.formula)  # some moved a block at a time
    assert sum(parsed_once) < formula_cells / 10, "most formulas are moved, not parsed"
    # Every formula parsed afresh, from its text, the running balances' keys ignored (and no rows written a block
    # at a time, which move the formulas of a column from one row's):
    monkeypatch.setattr(Formulas, "formula", lambda self, text, row: xls.xlwt.Formula(text))
    monkeypatch.setattr(Formulas, "keyed", lambda self, key, cell: xls.xlwt.Formula(cell.formula))
    monkeypatch.setattr(Formulas, "column", lambda self, cell: None)
    slow = xls.write_xls(grids, tmp_path / "slow.xls").read_bytes()
    assert fast == slow


def test_formula_shapes_move_only_relative_rows() -> None:
    from treasurer_app.export.xls_formulas import moving_numbers as _moving_numbers

    assert _moving_numbers("M12+I13") == [True, True]
    assert _moving_numbers("SUM($A$1:A5)") == [False, True]  # an absolute row stays where it is
    assert _moving_numbers("'專戶1'!A1+LOG10(A2)") == [False, True, False, True]  # sheet names and functions: no cells
    assert _moving_numbers('IF(K5="專戶存款1",1,0)') == [True, False, False, False]  # nor is text
    assert _moving_numbers("AB1!A1") == [False, True]
    assert _moving_numbers("SUM(1,2)") is None
