"""Upload-ready workbooks (issue 4): grids, the .xls and .xlsx writers, the export package and import.

The project is the guide's worked example as corrected (tests/fixtures/guide_example_corrected.json);
the figures and labels below are typed from DOMAIN.md §3–§9, independently of the form modules.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlrd

from tests.pdf_samples import one_page_pdf
from treasurer_app import interchange
from treasurer_app.export import layouts, printed_fields
from treasurer_app.export.grid import Style
from treasurer_app.export.importer import WorkbookImportError, import_workbook
from treasurer_app.export.package import ExportRefused, export_application, export_ledger
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project
from treasurer_app.rules import check_project, finding_key

FIXTURES = Path(__file__).parent.parent / "fixtures"
CORRECTED = FIXTURES / "guide_example_corrected.json"
AS_PRINTED = FIXTURES / "guide_example.json"
YEAR = 115
TAX_ID = "12345675"
FORMATS = ("xls", "xlsx")

SHEET_1 = "商港服務費福利專款申請書(含工會基本資料)"
SHEET_2 = "福利專款會員名冊"
SHEET_3 = "福利專款決算及運用情形(含結存分析表)"
SHEET_4 = "福利專款教育訓練成果報告"
SHEET_5 = "福利專款教育訓練經費表"
SHEET_6 = "福利專款工作計畫書"
SHEET_7 = "福利專款歲入歲出預算書"


# ---------------------------------------------------------------- helpers


def pdf_bytes(text: str = "minutes") -> bytes:
    return one_page_pdf(text)


def load_project(tmp_path: Path, source: Path = CORRECTED) -> Project:
    project = interchange.load(source)
    for kind in ("meeting", "method"):
        attachment = tmp_path / f"{kind}-original.pdf"
        attachment.write_bytes(pdf_bytes(kind))
        project.years[YEAR].attachments[kind] = str(attachment)
    return project


def number(value: object) -> object:
    """xlrd reads every number as a float: whole numbers become int so they compare exactly."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_sheets(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cell values, through xlrd for .xls and openpyxl for .xlsx (None/'' → '')."""
    if path.suffix == ".xls":
        book = xlrd.open_workbook(str(path), formatting_info=True)
        return {
            sheet.name: [[number(v) for v in sheet.row_values(r)] for r in range(sheet.nrows)]
            for sheet in book.sheets()
        }
    book = openpyxl.load_workbook(path, data_only=True)  # totals are formulas: read their cached figures
    return {
        ws.title: [["" if v is None else number(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for ws in book.worksheets
    }


class SheetReader:
    """Finds a label in a sheet and the value beside it."""

    def __init__(self, rows: list[list[object]]) -> None:
        self.rows = rows

    def find(self, text: str, after: int = -1, col: int | None = None) -> tuple[int, int]:
        for r, row in enumerate(self.rows):
            if r <= after:
                continue
            for c, value in enumerate(row):
                if value == text and (col is None or c == col):
                    return r, c
        raise AssertionError(f"「{text}」not found after row {after}")

    def beside(self, label: str, after: int = -1, column: int | None = None) -> object:
        """The first non-empty value right of ``label`` (or the value in ``column`` of its row)."""
        r, c = self.find(label, after, col=0)
        row = self.rows[r]
        if column is not None:
            return row[column]
        return next(v for v in row[c + 1 :] if v != "")


def export(tmp_path: Path, fmt: str, project: Project | None = None, name: str = "out") -> Path:
    project = project or load_project(tmp_path)
    report = export_application(project, YEAR, tmp_path / name, fmt=fmt)
    return next(f.path for f in report.files if f.path.suffix == f".{fmt}")


# ---------------------------------------------------------------- the worked example, figure by figure

APPLICATION_VALUES = {
    "申請年度": "115",
    "工會名稱": "00職業工會",
    "統一編號": TAX_ID,
    "成立日期": "0670127",
    "港區工作性質": "碼頭裝卸作業",
    "帳號戶名": "00工會商港服務費福利專款",
    "行庫別名稱及帳號": "臺灣銀行00港分行甲存戶123456789022",
    "會址": "111臺中市XX區XX里北XX路XX號",
    "電話": "04-12345678",
    "傳真": "04-12345678",
    "工會負責人 (理事長或常務理事)": "黃XX理事長",
    "會員人數": 385,
    "聯絡人": "洪XX",
    "聯絡人電話": "04-12345678",
    "聯絡人電子信箱": "test@gmail.com",
}
REVENUE_114 = {
    "1、114年度分配款金額": 467000,
    "2、截至114年度利息收入": 15937,
    "3、其他收入(繳回款、代管款等)": 0,
    "4、動支截至上一年113年歷年累積結餘款金額": 513600,
    "合計": 996537,
}
EXPENDITURE_114 = {  # 結餘款 / 分配款 / 利息 (DOMAIN.md §5)
    "1、教育訓練": ("/", 193700, 6000),
    "2、急難救助": (0, 0, 0),
    "3、職業災害團體保險或慰問金(合計)": (489600, 0, 0),
    "3-1、職業災害團體保險": (489600, 0, 0),
    "3-2、慰問金": (0, 0, 0),
    "4、退休補助": (24000, 72000, 0),
    "5、會員福利(合計)": ("/", 197400, 9000),
    "5-1會員進修、會員子女獎助金等教育獎助": ("/", 63500, 0),
    "5-2婚、喪、喜、慶、生育等補助": ("/", 9400, 9000),
    "5-3自強活動、聯誼活動等": ("/", 0, 0),
    "5-4春節、中秋、端午、重陽、五一等節日禮券、禮品": ("/", 124500, 0),
    "5-5其他(書報、雜誌等)": ("/", 0, 0),
    "6、行政事務費": ("/", 0, 0),
    "小計": (513600, 463100, 15000),
}
BENEFICIARIES_114 = {
    "1、教育訓練": {"場次": 4, "課程時數": 32, "受益人次(男)": 219, "受益人次(女)": 33},
    "2、急難救助": {"受益人次(男)": 0, "受益人次(女)": 0},
    "3、職業災害團體保險或慰問金 (合計)": {"受益人次(男)": 378, "受益人次(女)": 30},
    "3-1職業災害團體保險": {"受益人次(男)": 378, "受益人次(女)": 30},
    "3-2慰問金": {"受益人次(男)": 0, "受益人次(女)": 0},
    "4、退休補助": {"受益人次(男)": 15, "受益人次(女)": 1},
    "5、會員福利(合計)": {"受益人次(男)": 436, "受益人次(女)": 33},
    "5-1會員進修、會員子女獎助金等教育獎助": {"受益人次(男)": 34, "受益人次(女)": 2},
    "5-2婚、喪、喜、慶、生育等補助": {"受益人次(男)": 17, "受益人次(女)": 1},
    "5-3自強活動、聯誼活動等": {"受益人次(男)": 0, "受益人次(女)": 0},
    "5-4春節、中秋、端午、重陽、五一等節日禮券、禮品": {"受益人次(男)": 385, "受益人次(女)": 30},
    "5-5其他(書報、雜誌等)": {"受益人次(男)": 0, "受益人次(女)": 0},
}
TRAINING_EXPENSES_114 = {
    "講師鐘點費": 28000,
    "講師交通費": 0,
    "工作人員費": 0,
    "場地費": 20000,
    "場地佈置費": 1500,
    "餐費": 70240,
    "印刷費": 21920,
    "茶點費": 10560,
    "租車費": 40000,
    "平安保險費": 7480,
    "郵電費": 0,
    "運費": 0,
    "雜支": 0,
    "合計": 199700,
}
WORK_PLAN_115 = {
    "(1)教育訓練": 200000,
    "(2)急難救助": 20000,
    "(3)職業災害團體保險或慰問金": 463200,
    "(4)退休補助": 120000,
    "(5)會員福利事項": 213500,
    "(6)行政事務": 14000,
}
BUDGET_REVENUE_115 = {
    "1、115申請年度分配款": 467000,
    "2、截至上一年度114年度利息收入": 937,
    "3、115年度利息收入(預估)": 19872,
    "4、動支截至上一年度114年歷年累積結餘款": 563700,
}
BUDGET_EXPENDITURE_115 = {
    "1、教育訓練經費 (應占分配款預算40%以上)": 200000,
    "利息收入 (支用於教育訓練經費不得低於40%)": 20809,
    "2、會員急難救助經費": 20000,
    "3、職業災害團體保險或慰問金經費": 463200,
    "4、會員退休補助經費": 120000,
    "5、有關會員福利事項經費": 213500,
    "6、行政事務費 (應占分配款預算10%以下)": 14000,
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_worked_example_figure_sits_beside_its_label(tmp_path: Path, fmt: str) -> None:
    sheets = read_sheets(export(tmp_path, fmt))
    assert list(sheets) == [SHEET_1, SHEET_2, SHEET_3, SHEET_4, SHEET_5, SHEET_6, SHEET_7]

    application = SheetReader(sheets[SHEET_1])
    for label, value in APPLICATION_VALUES.items():
        assert application.beside(label) == value, label
    assert application.rows[0][:2] == ["項 目", "內 容"]  # the guide prints the table alone (issue 13)

    final = SheetReader(sheets[SHEET_3])
    assert final.rows[0][0] == "00職業工會\n商港服務費福利專款 114年度決算運用情形"  # one cell, two lines
    for label, value in REVENUE_114.items():
        assert final.beside(label) == value, label
    interest_row, _ = final.find("2、截至114年度利息收入")
    assert "● B：運用於(1)-(6)項" in final.rows[interest_row][2]
    assert "○ A：運用於(2)-(4)項" in final.rows[interest_row][2]
    assert final.beside("上一年度113年歷年累積結餘款剩餘數") == 2352194
    table_title, _ = final.find("114年度決算表")
    header_row, surplus_col = final.find("結餘款金額 (包括其他收入)", after=table_title)
    columns = (surplus_col, final.find("分配款金額", after=table_title)[1], final.find("利息", after=table_title)[1])
    for label, expected in EXPENDITURE_114.items():
        row, _ = final.find(label, after=header_row, col=0)
        assert tuple(final.rows[row][c] for c in columns) == expected, label
    assert final.beside("總計", after=header_row) == 991700
    assert final.beside("截至114年度歷年累積結餘款") == 2357031
    ben_title, _ = final.find("114年度商港福利專款受益情形")
    for label, units in BENEFICIARIES_114.items():
        row, _ = final.find(label, after=ben_title, col=0)
        for offset, (unit, value) in enumerate(units.items()):
            assert final.rows[row + offset][1] == unit, (label, unit)
            assert final.rows[row + offset][2] == value, (label, unit)

    expenses = SheetReader(sheets[SHEET_5])
    for label, value in TRAINING_EXPENSES_114.items():
        assert expenses.beside(label) == value, label

    plan = SheetReader(sheets[SHEET_6])
    amount_col = plan.find("合計金額")[1]
    budget_col = plan.find("預算經費")[1]
    for label, value in WORK_PLAN_115.items():
        assert plan.beside(label, column=amount_col) == value, label
    assert plan.beside("(1)教育訓練", column=budget_col).endswith("(另使用利息8,000元)")
    assert plan.beside("(4)退休補助", column=budget_col).endswith("(另使用利息12,000元)")
    assert "另使用利息" not in plan.beside("(2)急難救助", column=budget_col)

    budget = SheetReader(sheets[SHEET_7])
    assert budget.rows[0][0] == "00職業工會\n商港服務費福利專款 115年度歲入歲出預算書"
    for label, value in BUDGET_REVENUE_115.items():
        assert budget.beside(label) == value, label
    revenue_total_row, _ = budget.find("合計", col=0)
    assert budget.rows[revenue_total_row][1] == 1051509
    assert budget.beside("上一年度114年歷年累積結餘款剩餘數") == 1793331
    expenditure_header, _ = budget.find("歲 出 項 目")
    for label, value in BUDGET_EXPENDITURE_115.items():
        assert budget.beside(label, after=expenditure_header) == value, label
    assert budget.beside("合計", after=expenditure_header) == 1051509

    report = SheetReader(sheets[SHEET_4])
    assert report.rows[0][0] == "00職業工會商港服務費福利專款 114年度教育訓練成果報告"  # one line, as the guide
    assert [row[0] for row in report.rows if isinstance(row[0], int)] == [1, 2, 3, 4]
    first_session, day1_col = report.find("1140721")
    assert day1_col == 1
    session_rows = [row for row in report.rows if isinstance(row[0], int)]
    assert session_rows[0] == report.rows[first_session]  # one row per session, not six
    course_col = report.find("課程名稱")[1]
    assert session_rows[3][course_col].split("\n")[5] == "防災避難演練"  # category 6 on line 6

    roster = sheets[SHEET_2]
    header = roster[2]
    assert header == ["序號", "姓名", "性別", "身分證字號", "出生日期", "入會日期", "投保單位"]
    assert len(roster) == 3 + 385 + 20  # 20 spare unlocked rows for members added in Excel


LABELS_VERBATIM = {
    SHEET_3: [
        "114年度歲入", "項目名稱", "決算金額", "說明", "分配款金額", "利息", "結餘款金額 (包括其他收入)",
        "114年度決算表", "總計", "單位", "場次、時數、人次",
    ],
    SHEET_4: [
        "場次", "日期", "第一天", "第二天", "天數 半日: 0.5 1日: 1 2日: 2", "教育訓練名稱", "地點", "上課方式",
        "課程類別", "課程名稱", "時數", "場次使用經費", "受益人數", "男", "女", "效益", "勞動知能及法令", "港務法規",
        "職場健康", "工作調適", "職業(或職場業務)相關知識", "生活安全知識",
    ],
    SHEET_5: ["教育訓練支出經費項目", "金 額"],
    SHEET_6: ["工作項目", "說明", "數量 (如場次、人次)", "預算經費", "合計金額", "辦理時間"],
    SHEET_7: ["歲 入 項 目", "金 額", "說 明", "歲 出 項 目"],
    SHEET_1: ["項 目", "內 容", "解散、合併日期"],
}  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_labels_are_printed_verbatim(tmp_path: Path, fmt: str) -> None:
    sheets = read_sheets(export(tmp_path, fmt))
    for sheet_name, labels in LABELS_VERBATIM.items():
        texts = {line for row in sheets[sheet_name] for v in row if isinstance(v, str) for line in (v, *v.split("\n"))}
        assert set(labels) <= texts, (sheet_name, set(labels) - texts)
    assert "職業工會會員名冊" in {v for row in sheets[SHEET_2] for v in row}


@pytest.mark.parametrize("typed", ["企業工會", " 企業工會 "])
def test_enterprise_union_roster_prints_service_department(tmp_path: Path, typed: str) -> None:
    project = load_project(tmp_path)
    project.years[YEAR].forms["application"]["union_type"] = typed
    roster = next(g for g in layouts.application_grids(project, YEAR) if g.sheet_name == SHEET_2)
    header = [c.value for c in roster.cells if c.style is Style.HEADER]
    assert "服務部門" in header and "投保單位" not in header
    assert "企業工會會員名冊" in [c.value for c in roster.cells]


def test_grids_key_every_input_and_lock_every_computed_figure(tmp_path: Path) -> None:
    grids = {g.sheet_name: g for g in layouts.application_grids(load_project(tmp_path), YEAR)}
    final = grids[SHEET_3].by_key()
    assert final["rev_allocation"].locked is False and final["rev_allocation"].style is Style.MONEY
    for computed in ("rev_total", "exp_total", "accumulated", "subtotal_allocation", "exp_3_surplus", "ben_5_male"):
        assert final[computed].locked is True, computed
        assert isinstance(final[computed].value, int), computed
    slashes = [c for c in grids[SHEET_3].cells if c.style is Style.SLASH]
    assert len(slashes) == 8 and {c.value for c in slashes} == {"/"}
    roster = grids[SHEET_2].by_key()
    assert roster["0:name"].locked is False and roster["384:national_id"].locked is False
    sessions = grids[SHEET_4].by_key()
    assert sessions["3:course"].value.split("\n")[5] == "防災避難演練"  # category 6, line 6
    assert sessions["3:hours"].value.split("\n")[5] == "2"
    assert grids[SHEET_4].landscape
    for grid in grids.values():
        assert grid.signatures == ("理事長", "常務監事", "會計", "製表人")
    assert grids[SHEET_2].header_rows == (2, 2)
    assert grids[SHEET_4].header_rows == (1, 2)


@pytest.mark.parametrize("typed", ["B", "b", "Ｂ"])
def test_the_interest_choice_prints_as_the_field_reads_it(typed: str) -> None:
    assert printed_fields.interest_use_text(typed) == "○ A：運用於(2)-(4)項\n● B：運用於(1)-(6)項"
    assert printed_fields.interest_use_text("C") == "C"  # not a choice: printed as typed (the rules report it)


def test_budget_text_interest_is_printed_once_and_read_back() -> None:
    printed = printed_fields.budget_text_with_interest("每場次50,000元*4場次=200,000元。", "8000")
    assert printed == "每場次50,000元*4場次=200,000元。\n(另使用利息8,000元)"
    assert printed_fields.split_budget_text(printed) == ("每場次50,000元*4場次=200,000元。", 8000)
    assert printed_fields.budget_text_with_interest(printed, "8000") == printed  # not appended twice
    assert printed_fields.split_budget_text("退休補助=120,000元。(另使用利息12,000)") == ("退休補助=120,000元。", 12000)
    assert printed_fields.budget_text_with_interest("x", "") == "x"


# ---------------------------------------------------------------- text stays text


@pytest.mark.parametrize("fmt", FORMATS)
def test_formula_like_member_names_stay_literal_text(tmp_path: Path, fmt: str) -> None:
    project = load_project(tmp_path)
    project.years[YEAR].roster[0]["name"] = "=SUM(A1)"
    project.years[YEAR].roster[1]["name"] = "+886912345678"
    project.years[YEAR].roster[2]["name"] = "@cmd|' /C calc'!A0"
    path = export(tmp_path, fmt, project)
    if fmt == "xls":
        sheet = xlrd.open_workbook(str(path)).sheet_by_name(SHEET_2)
        for row, name in ((3, "=SUM(A1)"), (4, "+886912345678"), (5, "@cmd|' /C calc'!A0")):
            assert sheet.cell_type(row, 1) == xlrd.XL_CELL_TEXT
            assert sheet.cell_value(row, 1) == name
    else:
        sheet = openpyxl.load_workbook(path)[SHEET_2]
        for row, name in ((4, "=SUM(A1)"), (5, "+886912345678"), (6, "@cmd|' /C calc'!A0")):
            assert sheet.cell(row=row, column=2).value == name
            assert sheet.cell(row=row, column=2).data_type == "s"
        import zipfile

        with zipfile.ZipFile(path) as archive:
            xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
        formulas = re.findall(rb"<f(?: [^>]*)?>(.*?)</f>", xml)
        assert formulas, "the totals are formulas (issue 13)"
        assert all(f.startswith(b"SUM(") for f in formulas), formulas  # and nothing a member typed is one


# ---------------------------------------------------------------- protection and page setup


def xls_sheet_protection(path: Path) -> list[bool]:
    """PROTECT (0x0012) of each worksheet substream, read from the BIFF records themselves."""
    from xlrd.compdoc import CompDoc

    data = path.read_bytes()
    stream = CompDoc(data, logfile=io.StringIO()).get_named_stream("Workbook")
    result: list[bool] = []
    pos, depth, in_sheet = 0, 0, False
    while pos + 4 <= len(stream):
        record, length = struct.unpack("<HH", stream[pos : pos + 4])
        body = stream[pos + 4 : pos + 4 + length]
        if record == 0x0809:  # BOF
            kind = struct.unpack("<H", body[2:4])[0]
            in_sheet = kind == 0x0010
            if in_sheet:
                result.append(False)
        elif record == 0x0012 and in_sheet and depth == 0:
            result[-1] = struct.unpack("<H", body)[0] == 1
        pos += 4 + length
    return result


@pytest.mark.parametrize("fmt", FORMATS)
def test_sheets_are_protected_with_only_input_cells_unlocked(tmp_path: Path, fmt: str) -> None:
    path = export(tmp_path, fmt)
    if fmt == "xls":
        assert xls_sheet_protection(path) == [True] * 7
        book = xlrd.open_workbook(str(path), formatting_info=True)
        sheet = book.sheet_by_name(SHEET_1)
        year_row = 1  # the 項 目 | 內 容 header is the first row (issue 13)

        def locked(row: int, col: int) -> bool:
            return bool(book.xf_list[sheet.cell_xf_index(row, col)].protection.cell_locked)

        def number_format(s: xlrd.sheet.Sheet, row: int, col: int) -> str:
            return book.format_map[book.xf_list[s.cell_xf_index(row, col)].format_key].format_str

        assert sheet.cell_value(year_row, 0) == "申請年度"
        assert locked(year_row, 0) and not locked(year_row, 1)
        final = book.sheet_by_name(SHEET_3)
        assert number_format(final, 3, 1) == "#,##0"
        assert len(final.merged_cells) > 10
    else:
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            assert sheet.protection.sheet is True
            assert not sheet.protection.password
            assert int(sheet.page_setup.paperSize) == 9  # A4
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            assert sheet.page_setup.fitToWidth in (None, 1)  # an absent fitToWidth means 1 (ECMA-376)
            assert sheet.page_setup.fitToHeight == 0
        sheet = book[SHEET_1]
        assert sheet["A2"].value == "申請年度"
        assert sheet["A2"].protection.locked and not sheet["B2"].protection.locked
        assert book[SHEET_3]["B4"].number_format == "#,##0"
        assert book[SHEET_4].page_setup.orientation == "landscape"
        assert book[SHEET_1].page_setup.orientation == "portrait"
        assert book[SHEET_2].print_title_rows == "$3:$3"


def test_sheet_names_are_excel_safe() -> None:
    from treasurer_app.export.grid import excel_sheet_name

    used: set[str] = set()
    name = excel_sheet_name("a[b]:c*d?e/f\\g" + "長" * 40, used)
    assert len(name) <= 31 and not set("[]:*?/\\") & set(name)
    assert excel_sheet_name("A", used) == "A"
    assert excel_sheet_name("a", used) == "a(2)"


# ---------------------------------------------------------------- export → import → export


def workbook_cells(path: Path) -> dict[str, list[list[object]]]:
    return read_sheets(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_import_export_gives_identical_cells(tmp_path: Path, fmt: str) -> None:
    original = load_project(tmp_path)
    original.years[YEAR].roster[0]["name"] = "=SUM(A1)"
    first = export(tmp_path, fmt, original, "first")
    result = import_workbook(first)
    assert result.kind == "application" and result.year == YEAR
    assert result.notes == []
    book = result.book
    book.attachments = dict(original.years[YEAR].attachments)
    again = Project({YEAR: book})
    assert [f for f in check_project(again, YEAR) if f.is_error] == []
    second = export(tmp_path, fmt, again, "second")
    assert workbook_cells(first) == workbook_cells(second)
    assert book.forms["work_plan"]["plan_1_interest"] == "8000"
    assert book.forms["work_plan"]["plan_1_budget_text"] == "每場次50,000元*4場次=200,000元。"
    assert book.forms["final_accounts"]["interest_use"] == "B"
    assert book.training_report[0]["methods"] == "上課講授、生態參訪"
    assert book.roster[0]["name"] == "=SUM(A1)"


def ledger_project(tmp_path: Path) -> Project:
    project = load_project(tmp_path)
    document = json.loads((FIXTURES / "ledger_114.json").read_text(encoding="utf-8"))
    book = project.years[YEAR]
    book.ledger = LedgerBook(
        header={k: v for k, v in document["header"].items() if k != "interest_carried_in"},
        entries=[{**entry} for entry in document["entries"]],
    )
    return project


@pytest.mark.parametrize("fmt", FORMATS)
def test_ledger_export_import_export_gives_identical_cells(tmp_path: Path, fmt: str) -> None:
    project = ledger_project(tmp_path)
    book = project.years[YEAR].ledger
    assert book is not None
    entries = book.entries
    quarter_end = max(int(e["month"]) for e in entries if int(e["month"]) <= 6)
    report = export_ledger(project, f"{YEAR}Q2", tmp_path / "first", fmt=fmt)
    first = report.files[0].path
    assert first.name == f"{YEAR}06_{TAX_ID}_accounting.{fmt}"
    result = import_workbook(first)
    assert result.kind == "ledger" and result.year == YEAR
    assert result.book.ledger is not None
    assert len(result.book.ledger.entries) == sum(1 for e in entries if int(e["month"]) <= quarter_end)
    again = Project({YEAR: result.book})
    second = export_ledger(again, f"{YEAR}Q2", tmp_path / "second", fmt=fmt).files[0].path
    assert workbook_cells(first) == workbook_cells(second)
    sheet = SheetReader(read_sheets(first)["商港服務費福利專款現金收支登記簿"])
    assert sheet.beside("統一編號：") == TAX_ID
    assert sheet.beside("專戶存款1：") == int(project.years[YEAR].ledger.header["opening_acct1"])
    header_row, summary_col = sheet.find("摘要(一)")
    first_entry = sheet.rows[header_row + 1]
    assert first_entry[summary_col] == "轉-提福利專款存款為零用金"  # from the code, never typed


def test_ledger_grid_has_running_balances_and_the_parameter_table(tmp_path: Path) -> None:
    from treasurer_app.ledger.balances import balances

    project = ledger_project(tmp_path)
    book = project.years[YEAR].ledger
    assert book is not None
    sheet, parameters = layouts.ledger_grids(project, YEAR, None)
    running = balances(book, YEAR)
    last = len(book.entries) - 1
    cells = sheet.by_key()
    row = cells[f"{last}:amount"].row
    totals = [c.value for c in sheet.cells if c.row == row and c.style is Style.MONEY and c.key is None]
    assert totals == [running[-1].total, *running[-1].amounts()]
    assert parameters.sheet_name == "參數表"
    texts = [c.value for c in parameters.cells]
    assert "6-3 交通費、車馬費、出席費、誤餐費、加班費等" in texts
    assert texts.count("◎") > 40


# ---------------------------------------------------------------- refusals and the report


def test_export_is_refused_while_errors_remain(tmp_path: Path) -> None:
    project = load_project(tmp_path, AS_PRINTED)
    out = tmp_path / "out"
    with pytest.raises(ExportRefused) as refused:
        export_application(project, YEAR, out)
    messages = [f.message for f in refused.value.findings]
    assert "統一編號：檢查碼不符（12345678）" in messages
    assert any("1141140" in m for m in messages)
    assert "統一編號：檢查碼不符（12345678）" in str(refused.value)
    assert not out.exists() or list(out.iterdir()) == []


def test_export_is_refused_without_valid_attachments(tmp_path: Path) -> None:
    project = load_project(tmp_path)
    not_pdf = tmp_path / "minutes.pdf"
    not_pdf.write_bytes(b"PK\x03\x04 a zip file renamed")
    project.years[YEAR].attachments["meeting"] = str(not_pdf)
    project.years[YEAR].attachments.pop("method")
    with pytest.raises(ExportRefused) as refused:
        export_application(project, YEAR, tmp_path / "out")
    messages = [f.message for f in refused.value.findings]
    assert messages == [
        f"會員大會或理監事會議紀錄：不是 PDF 檔（開頭不是 %PDF-）（{not_pdf}）",
        "福利專款運用補助辦法：尚未選擇 PDF 檔",
    ]
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(pdf_bytes()[:30])
    project.years[YEAR].attachments.update(meeting=str(truncated), method=str(tmp_path / "missing.pdf"))
    with pytest.raises(ExportRefused) as refused:
        export_application(project, YEAR, tmp_path / "out")
    reasons = " ".join(f.message for f in refused.value.findings)
    assert "%%EOF" in reasons and "找不到檔案" in reasons


def test_ledger_export_is_refused_while_the_ledger_has_errors(tmp_path: Path) -> None:
    project = ledger_project(tmp_path)
    ledger_book = project.years[YEAR].ledger
    assert ledger_book is not None
    ledger_book.entries[0]["voucher"] = ""
    with pytest.raises(ExportRefused) as refused:
        export_ledger(project, f"{YEAR}Q1", tmp_path / "out")
    assert any("傳票序號" in f.message for f in refused.value.findings)
    with pytest.raises(ExportRefused) as refused:
        export_ledger(project, "2026Q1", tmp_path / "out")
    assert "季別" in refused.value.findings[0].message
    assert not (tmp_path / "out").exists()


def test_export_writes_named_files_and_a_report_with_sizes_and_sha256(tmp_path: Path) -> None:
    project = load_project(tmp_path)
    project.years[YEAR].training_report[0]["day2"] = "1140723"  # not the day after: a warning, not an error
    findings = check_project(project, YEAR)
    warnings = [f for f in findings if not f.is_error]
    assert len(warnings) == 1 and not any(f.is_error for f in findings)
    out = tmp_path / "out"
    report = export_application(project, YEAR, out, fmt="xls")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            f"{YEAR}_{TAX_ID}_application.xls",
            f"{YEAR}_{TAX_ID}_metting.pdf",
            f"{YEAR}_{TAX_ID}_method.pdf",
            f"export-report-{YEAR}.html",
        ]
    )
    assert (out / f"{YEAR}_{TAX_ID}_metting.pdf").read_bytes() == pdf_bytes("meeting")
    text = report.report_path.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in text and "匯出報告" in text
    assert len(report.files) == 3
    for written in report.files:
        data = written.path.read_bytes()
        assert written.size == len(data)
        assert written.sha256 == hashlib.sha256(data).hexdigest()
        assert written.path.name in text and f"{len(data):,}" in text and written.sha256 in text
    assert warnings[0].message in text and "未確認" in text
    assert report.warnings == [(warnings[0], False)]
    assert "個人資料" in text

    project.years[YEAR].acknowledged.add(finding_key(warnings[0]))
    again = export_application(project, YEAR, out, fmt="xlsx")
    assert again.warnings == [(warnings[0], True)]
    assert "已確認" in again.report_path.read_text(encoding="utf-8")
    assert export_application(project, YEAR, out, acknowledged=True).warnings[0][1] is True


def test_a_failed_write_leaves_no_file_under_the_final_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from treasurer_app.export import xls_rows

    def broken_save(self: xls_rows.CompoundFile, path: str, stream: object) -> None:  # what writes the .xls file
        Path(path).write_bytes(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xls_rows.CompoundFile, "save", broken_save)
    out = tmp_path / "out"
    with pytest.raises(ExportRefused, match="磁碟空間不足"):
        export_application(load_project(tmp_path), YEAR, out)
    assert not out.exists()  # nothing new: not even the folder, made for the export


# ---------------------------------------------------------------- a workbook filled in by hand


def test_hand_filled_template_is_read_by_labels_not_coordinates(tmp_path: Path) -> None:
    """Labels one column further right, extra rows, no merges, numbers as text, a date that lost its 0."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = SHEET_1
    first.append([])
    first.append([None, "00職業工會 商港服務費福利專款申請書"])
    first.append([None, "項　目", "內　容"])
    rows = {**APPLICATION_VALUES, "成立日期": 670127, "會員人數": "1"}
    for label, value in rows.items():
        first.append([None, label, value])
    roster = book.create_sheet(SHEET_2)
    roster.append(["序號", "姓名", "性別", "身分證字號", "出生日期", "入會日期", "服務部門"])
    roster.append([1, "王小明", "男", "A123456789", "0650315", "0900101", "碼頭課"])
    roster.append([2])  # a pre-numbered empty line of the template
    expenses = book.create_sheet(SHEET_5)
    expenses.append(["00職業工會 商港服務費福利專款 114年度教育訓練經費報告表"])
    expenses.append(["教育訓練支出經費項目", "金 額"])
    for label, value in TRAINING_EXPENSES_114.items():
        if label != "合計":
            expenses.append([label, f"{value:,}"])
    report = book.create_sheet(SHEET_4)
    report.append(["場次", "日期", None, "天數 平日: 0.5 1日: 1 2日: 2", "教育訓練名稱", "地點", "上課方式", "課程類別",
                   "課程名稱", "時數", "場次費用經費", "受益人數", None, "效益"])  # fmt: skip
    report.append([None, "第1天", "第2天", None, None, None, None, None, None, None, None, "男", "女"])
    report.append([1, "1140721", "1140722", 2, "研習會", "嘉義", "☑上課講授 ☐分組討論 ☑生態參訪",
                   "勞動知能及法令\n港務法規", "勞動基準法重點說明\n工會會議概況", "2\n1", 74600, 38, 10,
                   "向心力"])  # fmt: skip
    path = tmp_path / "hand.xlsx"
    book.save(path)

    result = import_workbook(path)
    application = result.book.forms["application"]
    assert result.year == YEAR
    assert application["union_name"] == "00職業工會"
    assert application["founded"] == "0670127"
    assert any("0670127" in note for note in result.notes)
    assert application["union_type"] == "企業工會"
    assert result.book.roster == [
        {"name": "王小明", "sex": "男", "national_id": "A123456789", "birth_date": "0650315", "joined": "0900101",
         "unit": "碼頭課"}
    ]  # fmt: skip
    assert result.book.forms["training_expenses"]["line_1"] == "28000"
    session = result.book.training_report[0]
    assert session["methods"] == "上課講授、生態參訪"
    assert session["day1"] == "1140721" and session["days"] == "2" and session["cost"] == "74600"
    assert (session["course_1"], session["hours_1"], session["course_2"], session["hours_2"]) == (
        "勞動基準法重點說明",
        "2",
        "工會會議概況",
        "1",
    )
    assert any(SHEET_3 in note for note in result.notes)  # the missing sheets are named


def test_a_figure_typed_in_a_slashed_cell_is_reported_not_dropped(tmp_path: Path) -> None:
    """DOMAIN.md §5: 結餘款 may not pay for education, welfare or administration; their cells print「/」."""
    edited = tmp_path / "edited.xlsx"
    book = openpyxl.load_workbook(export(tmp_path, "xlsx"))
    sheet = book[SHEET_3]
    slashed = {sheet.cell(c.row, 1).value: c for row in sheet.iter_rows() for c in row if c.value == "/"}
    slashed["5-1會員進修、會員子女獎助金等教育獎助"].value = 12000
    slashed["1、教育訓練"].value = "／"  # a full-width slash is still a slash
    slashed["6、行政事務費"].value = None  # and an emptied one is still empty
    book.save(edited)
    result = import_workbook(edited)
    assert [note for note in result.notes if "「/」" in note] == [
        f"{SHEET_3}!{slashed['5-1會員進修、會員子女獎助金等教育獎助'].coordinate} "
        "5-1會員進修、會員子女獎助金等教育獎助／結餘款金額 (包括其他收入)："
        "此欄印「/」不可填寫，讀到「12000」，未匯入"
    ]
    assert "exp_5-1_surplus" not in result.book.forms["final_accounts"]


def test_a_date_in_a_cell_that_is_not_a_date_is_reported(tmp_path: Path) -> None:
    """Excel turns「5/7」typed into 辦理時間 into 7 May; the import says what it read instead of hiding it."""
    import datetime

    edited = tmp_path / "edited.xlsx"
    book = openpyxl.load_workbook(export(tmp_path, "xlsx"))
    plan = book[SHEET_6]
    period = next(c for row in plan.iter_rows() for c in row if c.value == "1-12月")
    period.value = datetime.datetime(2025, 5, 7)
    founded = next(c for row in book[SHEET_1].iter_rows() for c in row if c.value == "0670127")
    founded.value = datetime.datetime(1978, 1, 27)  # a date where a date belongs
    book.save(edited)
    result = import_workbook(edited)
    row_label = plan.cell(period.row, 1).value
    assert (
        f"{SHEET_6}!{period.coordinate} {row_label}／辦理時間：儲存格是日期（2025-05-07），已讀成 1140507，請確認"
        in result.notes
    )
    assert sum("儲存格是日期" in note for note in result.notes) == 1  # 成立日期 is not reported
    assert result.book.forms["application"]["founded"] == "0670127"


def test_a_table_without_its_header_row_is_named_in_the_notes(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(export(tmp_path, "xlsx"))
    for name in (SHEET_2, SHEET_4):
        for row in book[name].iter_rows(min_row=2, max_row=4):
            for cell in row:
                if isinstance(cell, openpyxl.cell.cell.Cell):
                    cell.value = None
    book.save(tmp_path / "headless.xlsx")
    notes = import_workbook(tmp_path / "headless.xlsx").notes
    assert f"「{SHEET_2}」找不到「姓名」「身分證字號」等欄位標題，名冊未匯入" in notes
    assert f"「{SHEET_4}」找不到「教育訓練名稱」「課程類別」等欄位標題，成果報告未匯入" in notes


def test_wrong_layout_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.active["A1"] = "家計簿"
    path = tmp_path / "budget.xlsx"
    book.save(path)
    with pytest.raises(WorkbookImportError) as failure:
        import_workbook(path)
    assert "budget.xlsx" in str(failure.value) and "不是申請書或登記簿的格式" in str(failure.value)


# ---------------------------------------------------------------- LibreOffice opens both formats


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_both_formats_to_pdf(tmp_path: Path) -> None:
    workbooks = [export(tmp_path, fmt, name=f"out-{fmt}") for fmt in FORMATS]
    profile = tmp_path / "lo-profile"
    for workbook in workbooks:
        target = tmp_path / f"pdf-{workbook.suffix[1:]}"
        completed = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(target),
                str(workbook),
            ],
            capture_output=True,
            timeout=180,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin:/usr/local/bin"},
            check=False,
        )
        pdf = target / f"{workbook.stem}.pdf"
        assert completed.returncode == 0, completed.stderr
        assert pdf.read_bytes().startswith(b"%PDF-")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
            # Money prints with thousands separators in both formats (#,##0 applied).
            for figure in ("467,000", "996,537", "2,357,031", "1,051,509"):
                assert figure in text, (workbook.name, figure)
            assert re.search(r"1\s*/\s*\d+", text)  # the page-number footer


def test_pdf_option_hands_the_same_grids_to_the_pdf_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    import treasurer_app.export

    calls: list[tuple[str, int, list[str]]] = []

    def write_pdf_package(project: Project, year: int, out_dir: Path, grids: list) -> list[Path]:
        calls.append(("application", year, [g.sheet_name for g in grids]))
        path = out_dir / f"{year}_{TAX_ID}_application.pdf"
        path.write_bytes(pdf_bytes("package"))
        return [path]

    def write_ledger_pdf(project: Project, year: int, quarter: int, out_dir: Path, grids: list) -> Path:
        calls.append(("ledger", quarter, [g.sheet_name for g in grids]))
        path = out_dir / f"{year}0{quarter * 3}_{TAX_ID}_accounting.pdf"
        path.write_bytes(pdf_bytes("ledger"))
        return path

    fake = types.ModuleType("treasurer_app.export.pdf_package")
    fake.write_pdf_package = write_pdf_package  # type: ignore[attr-defined]
    fake.write_ledger_pdf = write_ledger_pdf  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "treasurer_app.export.pdf_package", fake)
    monkeypatch.setattr(treasurer_app.export, "pdf_package", fake, raising=False)

    project = ledger_project(tmp_path)
    report = export_application(project, YEAR, tmp_path / "out", pdf=True)
    assert calls[0] == ("application", YEAR, [SHEET_1, SHEET_2, SHEET_3, SHEET_4, SHEET_5, SHEET_6, SHEET_7])
    assert f"{YEAR}_{TAX_ID}_application.pdf" in [f.path.name for f in report.files]
    ledger_report = export_ledger(project, f"{YEAR}Q2", tmp_path / "out", pdf=True)
    assert calls[1] == ("ledger", 2, ["商港服務費福利專款現金收支登記簿", "參數表"])
    assert [f.path.name for f in ledger_report.files] == [
        f"{YEAR}06_{TAX_ID}_accounting.xls",
        f"{YEAR}06_{TAX_ID}_accounting.pdf",
    ]
    assert ledger_report.report_path.name == f"export-report-{YEAR}06.html"
    assert f"{YEAR}06_{TAX_ID}_accounting.pdf" in ledger_report.report_path.read_text(encoding="utf-8")


def test_an_attachment_must_open_as_a_real_pdf(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    from treasurer_app.rules.attachments import pdf_problem

    good = tmp_path / "good.pdf"
    good.write_bytes(one_page_pdf())
    assert pdf_problem(good) is None

    locked = tmp_path / "locked.pdf"
    writer = PdfWriter(clone_from=good)
    writer.encrypt("secret")
    with locked.open("wb") as stream:
        writer.write(stream)
    assert pdf_problem(locked) == "PDF 檔有密碼保護，主管機關無法開啟，請存成沒有密碼的 PDF"

    fake = tmp_path / "fake.pdf"  # right first and last bytes, nothing a reader can open
    fake.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4 + b"\n%%EOF\n")
    assert pdf_problem(fake) == "PDF 檔已損壞，無法讀取內容"

    empty = tmp_path / "empty.pdf"
    with empty.open("wb") as stream:
        PdfWriter().write(stream)
    assert pdf_problem(empty) == "PDF 檔沒有任何頁面"
