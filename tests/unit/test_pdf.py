"""The PDF writer (export.pdf) and the printable package (export.pdf_package).

The layout is checked on the pages the writer lays out (every text run inside its
cell, every cell on the page) and on the PDFs themselves with poppler: fonts
embedded, the text extractable, every word's box inside a cell, page numbers.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from treasurer_app.export import pdf, pdf_draw, pdf_fit, pdf_frame, pdf_package, pdf_stream, pdf_text
from treasurer_app.export.grid import Grid, Style
from treasurer_app.export.layouts import application_grids, ledger_grids
from treasurer_app.forms import FORM_IDS, training_report
from treasurer_app.interchange import load
from treasurer_app.ledger.balances import closing_balances
from treasurer_app.ledger.codes import ACCOUNTS
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.quarters import quarter_slice
from treasurer_app.project import Project
from treasurer_app.rules import check_project

FIXTURES = Path(__file__).parent.parent / "fixtures"
CORRECTED = FIXTURES / "guide_example_corrected.json"
AS_PRINTED = FIXTURES / "guide_example.json"
LEDGER = FIXTURES / "ledger_114.json"
YEAR = 115
TAX_ID = "12345675"
ISSUED = date(2026, 1, 20)
SIGNATURE_LABELS = ("理事長（簽章）", "常務監事（簽章）", "會計（簽章）", "製表人（簽章）")

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="poppler-utils (pdftotext, pdffonts) absent"
)

# Every label DOMAIN.md §3–§9 prints, verbatim (Y = 115).
LABELS = (
    # §3
    "商港服務費福利專款申請書(含工會基本資料)",
    "申請年度", "工會名稱", "統一編號", "成立日期", "解散、合併日期", "港區工作性質", "帳號戶名",
    "行庫別名稱及帳號", "會址", "電話", "傳真", "工會負責人 (理事長或常務理事)", "會員人數", "聯絡人",
    "聯絡人電話", "聯絡人電子信箱",
    # §4
    "福利專款會員名冊", "職業工會會員名冊", "序號", "姓名", "性別", "身分證字號", "出生日期", "入會日期", "投保單位",
    # §5
    "福利專款決算及運用情形(含結存分析表)", "商港服務費福利專款 114年度決算運用情形",
    "1、114年度分配款金額", "2、截至114年度利息收入", "A：運用於(2)-(4)項", "B：運用於(1)-(6)項",
    "3、其他收入(繳回款、代管款等)", "4、動支截至上一年113年歷年累積結餘款金額", "合計",
    "上一年度113年歷年累積結餘款剩餘數", "結餘款金額 (包括其他收入)", "分配款金額", "利息",
    "1、教育訓練", "2、急難救助", "3、職業災害團體保險或慰問金(合計)", "3-1、職業災害團體保險", "3-2、慰問金",
    "4、退休補助", "5、會員福利(合計)", "5-1會員進修、會員子女獎助金等教育獎助", "5-2婚、喪、喜、慶、生育等補助",
    "5-3自強活動、聯誼活動等", "5-4春節、中秋、端午、重陽、五一等節日禮券、禮品", "5-5其他(書報、雜誌等)",
    "6、行政事務費", "小計", "總計", "截至114年度歷年累積結餘款", "場次", "課程時數", "受益人次(男)", "受益人次(女)",
    # §6
    "福利專款教育訓練成果報告", "商港服務費福利專款 114年度教育訓練成果報告", "日期", "第一天", "第二天", "天數",
    "教育訓練名稱", "地點", "上課方式", "上課講授", "分組討論", "生態參訪", "課程類別", "勞動知能及法令", "港務法規",
    "職場健康", "工作調適", "職業(或職場業務)相關知識", "生活安全知識", "課程名稱", "時數", "場次使用經費",
    "受益人數", "效益",
    # §7
    "福利專款教育訓練經費表", "講師鐘點費", "講師交通費", "工作人員費", "場地費", "場地佈置費", "餐費", "印刷費",
    "茶點費", "租車費", "平安保險費", "郵電費", "運費", "雜支",
    # §8
    "福利專款工作計畫書", "商港服務費福利專款 115年度工作計畫書", "(1)教育訓練", "(2)急難救助",
    "(3)職業災害團體保險或慰問金", "(4)退休補助", "(5)會員福利事項", "(6)行政事務", "說明", "數量 (如場次、人次)",
    "預算經費", "合計金額", "辦理時間", "(另使用利息8,000元)",
    # §9
    "福利專款歲入歲出預算書", "1、115申請年度分配款", "2、截至上一年度114年度利息收入", "3、115年度利息收入(預估)",
    "4、動支截至上一年度114年歷年累積結餘款", "上一年度114年歷年累積結餘款剩餘數",
    "1、教育訓練經費 (應占分配款預算40%以上)", "利息收入 (支用於教育訓練經費不得低於40%)", "2、會員急難救助經費",
    "3、職業災害團體保險或慰問金經費", "4、會員退休補助經費", "5、有關會員福利事項經費",
    "6、行政事務費 (應占分配款預算10%以下)",
)  # fmt: skip

# Every figure of the worked examples (DOMAIN.md §5, §7–§9), as printed: #,##0.
FIGURES = (
    # §5 revenue, table, totals
    "467,000", "15,937", "513,600", "996,537", "2,352,194", "193,700", "6,000", "489,600", "24,000", "72,000",
    "197,400", "9,000", "63,500", "9,400", "124,500", "463,100", "15,000", "991,700", "2,357,031",
    # §7
    "28,000", "20,000", "1,500", "70,240", "21,920", "10,560", "40,000", "7,480", "199,700",
    # §8
    "200,000", "463,200", "120,000", "213,500", "14,000",
    # §9
    "937", "19,872", "563,700", "1,051,509", "20,809", "1,793,331",
    # §3 and §5 counts
    "385", "436", "378", "219",
)  # fmt: skip


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_count(path: Path) -> int:
    return pdftotext(path).count("\f")


@pytest.fixture(scope="module")
def font() -> pdf_text.Font:
    return pdf_text.default_font()


@pytest.fixture
def guide() -> Project:
    return load(CORRECTED)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    project = load(CORRECTED)
    out = tmp_path_factory.mktemp("package")
    return pdf_package.write_pdf_package(project, YEAR, out, application_grids(project, YEAR), issued=ISSUED)


def max_session(n: int) -> dict[str, str]:
    """A training session with every text at its maximum length."""
    name = (f"第{n}場港區勞工職業安全衛生暨勞動法令研習會" * 3)[:50]
    place = ("臺中市梧棲區臺灣大道十段二號港區綜合大樓國際會議廳" * 3)[:50]
    course = ("職場安全衛生與勞動基準法重點說明及案例研討Workshop" * 2)[:49] + "、" + ("港區作業安全實務演練" * 5)[:50]
    benefit = ("提升會員對勞動法令之認識，增進職場安全與健康，並強化工會組織運作能力。" * 3)[:100]
    session = {
        "day1": "1140721", "day2": "1140722", "days": "2", "name": name, "place": place,
        "methods": "上課講授、分組討論、生態參訪", "cost": "1234567", "male": "12345", "female": "12345",
        "benefit": benefit,
    }  # fmt: skip
    for i in range(1, len(training_report.CATEGORIES) + 1):
        session[training_report.course_key(i)] = course
        session[training_report.hours_key(i)] = "4"
    assert len(name) == 50 and len(place) == 50 and len(course) == 100 and len(benefit) == 100
    return session


@pytest.fixture(scope="module")
def wide_report() -> Grid:
    """The training report of 10 sessions with maximum-length texts, as the layouts build it."""
    project = load(CORRECTED)
    project.years[YEAR].training_report = [max_session(n) for n in range(1, 11)]
    return application_grids(project, YEAR)[FORM_IDS.index("training_report")]


def texts_of(pages: list[pdf.Page]) -> list[str]:
    return [run.text for page in pages for run in page.texts]


def assert_everything_inside(pages: list[pdf.Page]) -> None:
    for number, page in enumerate(pages, start=1):
        for run in page.texts:
            assert run.frame.contains(run.box), f"第 {number} 頁「{run.text}」超出所在格 {run.frame}"
            assert page.box.contains(run.frame), f"第 {number} 頁「{run.text}」的格超出頁面"
        for cell in page.cells:
            assert page.box.contains(cell), f"第 {number} 頁有格超出頁面 {cell}"
            assert cell.x0 >= pdf_frame.MARGIN_X - 0.01 and cell.x1 <= page.width - pdf_frame.MARGIN_X + 0.01
            assert cell.y0 >= pdf_frame.MARGIN_BOTTOM + pdf_frame.BAND - 0.01, "rows go into the footer"
            assert cell.y1 <= page.height - pdf_frame.MARGIN_TOP - pdf_frame.BAND + 0.01, "rows go into the header"


# ---------------------------------------------------------------- text


def test_cjk_wraps_per_character_and_latin_per_word() -> None:
    def measure(text: str) -> float:
        return float(len(text))

    assert pdf_text.wrap("港區勞工教育", 4, measure) == ["港區勞工", "教育"]
    assert pdf_text.wrap("hello world again", 11, measure) == ["hello world", "again"]
    assert pdf_text.wrap("費用50,000元", 7, measure) == ["費用", "50,000元"]


def test_punctuation_never_starts_a_line_and_deliberate_spaces_stay() -> None:
    def measure(text: str) -> float:
        return float(len(text))

    assert pdf_text.wrap("港區勞工，教育", 4, measure) == ["港區勞", "工，教育"]
    assert pdf_text.wrap("請　鑒核", 10, measure) == ["請　鑒核"]
    assert pdf_text.wrap("a  b", 10, measure) == ["a b"]


def test_a_word_wider_than_the_cell_is_refused_unless_words_may_break() -> None:
    def measure(text: str) -> float:
        return float(len(text))

    assert pdf_text.wrap("1140721", 4, measure, break_words=False) is None
    assert pdf_text.wrap("1140721", 4, measure) == ["1140", "721"]
    assert pdf_text.wrap("港", 0.5, measure) is None


def test_text_shrinks_before_a_date_is_broken(font: pdf_text.Font) -> None:
    width = font.width("1140721", 10) - 1
    size, lines = pdf_text.fit_text("1140721", width, 100, 10, font)
    assert lines == ("1140721",) and size < 10
    size, lines = pdf_text.fit_text("港區勞工教育訓練", font.width("港區勞工", 10), 1000, 10, font)
    assert size == 10 and lines == ("港區勞工", "教育訓練"), "CJK text wraps at full size"


def test_cells_print_money_slashes_and_numbers() -> None:
    grid = Grid("s", "t", [10])
    assert pdf_text.cell_text(grid.add(0, 0, 1051509, Style.MONEY)) == "1,051,509"
    assert pdf_text.cell_text(grid.add(1, 0, "467000", Style.MONEY)) == "467,000"
    assert pdf_text.cell_text(grid.add(2, 0, -1500, Style.MONEY)) == "-1,500"
    assert pdf_text.cell_text(grid.add(3, 0, "abc", Style.MONEY)) == "abc"
    assert pdf_text.cell_text(grid.add(4, 0, None, Style.SLASH)) == "/"
    assert pdf_text.cell_text(grid.add(5, 0, 0.5, Style.NUMBER)) == "0.5"
    assert pdf_text.cell_text(grid.add(6, 0, None, Style.TEXT)) == ""
    assert pdf_text.cell_text(grid.add(7, 0, "第一行\r\n第二行\r第三行  ", Style.TEXT)) == "第一行\n第二行\n第三行"
    assert pdf_text.cell_text(grid.add(8, 0, True, Style.MONEY)) == "True"
    assert pdf_text.cell_text(grid.add(9, 0, 12, Style.NUMBER)) == "12"
    assert pdf_text.cell_text(grid.add(10, 0, "12", Style.SLASH)) == "/"


def test_a_text_fits_as_every_text_differing_from_it_in_digits_alone(font: pdf_text.Font) -> None:
    """CellFits fits a text on one line from the fit of a text with other digits (a ledger's balances, vouchers,
    members): the same as fitting each afresh, its own text on its line; texts that wrap are fitted themselves."""
    grid = Grid("s", "t", [6, 14, 10, 20], landscape=True)
    values = [899840200, 1234, -5678, 848561272, 100000000000, "V03878", "V12345", "會員048277", "會員913344",
              "第1次理監事會議 出席12人", "第9次理監事會議 出席37人", "1-1、講師鐘點費", "2-6、餐費"]  # fmt: skip
    cells = [grid.add(row, col, value, style)
             for row, value in enumerate(values)
             for col, style in ((0, Style.CENTER), (1, Style.MONEY), (2, Style.TEXT), (3, Style.TEXT))]  # fmt: skip
    frame = pdf_frame.page_frame(grid)
    edges, scale = pdf_frame.column_edges(grid, frame), pdf_frame.table_text_scale(grid, frame)
    shared = pdf_fit.CellFits(font, edges, scale)
    for cell in cells:
        fitted = shared.fit(cell, 60.0)
        assert fitted == pdf_fit.CellFits(font, edges, scale).fit(cell, 60.0), cell
        assert not fitted[4] or "".join(fitted[4]).replace(" ", "") == pdf_text.cell_text(cell).replace(" ", "")


def test_roc_date_line_and_signature_labels() -> None:
    assert pdf_text.roc_date_line(date(2026, 1, 20)) == "中華民國 115 年 1 月 20 日"
    assert pdf_text.signature_label("理事長") == "理事長（簽章）"
    assert pdf_text.signature_label("本會印信（蓋章）") == "本會印信（蓋章）"
    assert pdf_draw.page_number_label(2, 7) == "第 2 頁／共 7 頁"


# ---------------------------------------------------------------- layout


def test_money_is_right_aligned_and_slash_centred(font: pdf_text.Font) -> None:
    grid = Grid("s", "t", [20, 20])
    grid.add(0, 0, 1234567, Style.MONEY)
    grid.add(0, 1, None, Style.SLASH)
    page = pdf.layout_grid(grid, font)[0]
    money, slash = (next(r for r in page.texts if r.text == t) for t in ("1,234,567", "/"))
    assert money.box.x1 == pytest.approx(money.frame.x1 - pdf.PAD_X)
    assert (slash.box.x0 + slash.box.x1) / 2 == pytest.approx((slash.frame.x0 + slash.frame.x1) / 2)


def test_columns_fill_the_page_width_in_proportion(font: pdf_text.Font) -> None:
    for landscape in (False, True):
        grid = Grid("s", "t", [10, 30, 20], landscape=landscape)
        frame = pdf_frame.page_frame(grid)
        edges = pdf_frame.column_edges(grid, frame)
        assert edges[0] == pytest.approx(pdf_frame.MARGIN_X) and edges[-1] == pytest.approx(
            frame.width - pdf_frame.MARGIN_X
        )
        widths = [b - a for a, b in itertools.pairwise(edges)]
        assert widths[1] == pytest.approx(3 * widths[0]) and widths[2] == pytest.approx(2 * widths[0])


def test_merged_cells_span_their_rows_and_columns(font: pdf_text.Font) -> None:
    grid = Grid("s", "t", [10, 10, 10])
    grid.add(0, 0, "合併", Style.TEXT, rowspan=2, colspan=2)
    grid.add(0, 2, "a", Style.TEXT)
    grid.add(1, 2, "b", Style.TEXT)
    page = pdf.layout_grid(grid, font)[0]
    merged, a, b = (next(r for r in page.texts if r.text == t).frame for t in ("合併", "a", "b"))
    assert merged.x1 == pytest.approx(a.x0) and merged.y1 == pytest.approx(a.y1) and merged.y0 == pytest.approx(b.y0)


def test_long_text_grows_its_row_at_full_size(font: pdf_text.Font) -> None:
    grid = Grid("s", "t", [20, 20])
    grid.add(0, 0, "港區" * 60, Style.TEXT)
    grid.add(0, 1, "短", Style.TEXT)
    page = pdf.layout_grid(grid, font)[0]
    long_runs = [r for r in page.texts if r.text.startswith("港")]
    assert len(long_runs) > 3 and {r.size for r in long_runs} == {10}
    assert "".join(r.text for r in long_runs) == "港區" * 60
    assert_everything_inside([page])


def test_rows_fitted_together_are_fitted_as_each_alone(font: pdf_text.Font) -> None:
    """A long table's blocks of one row are fitted a few hundred at a time (GridLayout._fit_single_rows): the same
    heights and fits as fitting each block alone (_fit_block), a row taller than a page shrunk alone."""
    grid = Grid("s", "t", [6, 30])
    for r in range(600):
        grid.add(r, 0, r, Style.NUMBER)
        grid.add(r, 1, "港區工作性質" * (1400 if r == 300 else 1 + r % 4), Style.TEXT)  # row 300: pages long
    together = pdf.GridLayout(grid, font, "d")
    alone = pdf.GridLayout(grid, font, "d")
    limit = alone.frame.body_height
    for r in range(600):
        alone._fit_block(r, r, limit)
    assert together.heights == alone.heights
    fits = [together._kept_fits(r, together._cells_at(r)) for r in range(600)]
    assert fits == [alone._kept_fits(r, alone._cells_at(r)) for r in range(600)]
    assert together.heights[300] <= limit, "the row taller than a page is shrunk to fit one"
    assert min(fit[3] for fit in fits[300]) < pdf_text.SHRINK_FLOOR, "below the floor"


def test_cells_added_out_of_row_order_are_laid_out_as_in_order(font: pdf_text.Font) -> None:
    """GridLayout finds each row's cells by their rows, whatever order the grid holds them in (a row's in the
    grid's order)."""
    in_order = Grid("s", "t", [6, 20, 10])
    for r in range(40):
        in_order.add(r, 0, r, Style.NUMBER)
        in_order.add(r, 1, "港區" * (1 + r % 5), Style.TEXT, rowspan=2 if r % 7 == 3 else 1)
        in_order.add(r, 2, r * 1000, Style.MONEY)
    shuffled = replace(in_order, cells=sorted(in_order.cells, key=lambda cell: -cell.row))
    assert [c.row for c in shuffled.cells] != [c.row for c in in_order.cells]
    assert pdf.layout_grid(shuffled, font) == pdf.layout_grid(in_order, font)


def test_rows_never_split_and_headers_repeat(font: pdf_text.Font) -> None:
    grid = Grid("s", "t", [10, 40])
    grid.add(0, 0, "標題", Style.TITLE, colspan=2)
    grid.add(1, 0, "序號", Style.HEADER)
    grid.add(1, 1, "內容", Style.HEADER)
    grid.header_rows = (1, 1)
    for n in range(2, 120):
        grid.add(n, 0, n - 1, Style.CENTER)
        grid.add(n, 1, "教育訓練" * (n % 7 + 1), Style.TEXT)
    pages = pdf.layout_grid(grid, font)
    assert len(pages) > 2
    for page in pages[1:]:
        assert [r.text for r in page.texts[:2]] == ["序號", "內容"]
    assert all(sum(r.text == "內容" for r in page.texts) == 1 for page in pages)
    numbers = [r.text for p in pages for r in p.texts if r.text.isdigit()]
    assert numbers == [str(n) for n in range(1, 119)], "every row printed once, in order"
    assert_everything_inside(pages)


def test_text_keeps_its_size_unless_the_table_is_crowded(font: pdf_text.Font, guide: Project) -> None:
    grids = dict(zip(FORM_IDS, application_grids(guide, YEAR), strict=True))
    sizes = {run.size for page in pdf.layout_grid(grids["application"], font) for run in page.texts}
    assert sizes == {pdf.DATE_SIZE, 10}, "the date line and cells at their usual sizes (sheet 1 has no title row)"
    final = {run.size for page in pdf.layout_grid(grids["final_accounts"], font) for run in page.texts}
    assert 16 in final, "titles at their usual size"
    report = grids["training_report"]
    assert pdf_frame.table_text_scale(report, pdf_frame.page_frame(report)) == pdf_frame.MIN_TEXT_SCALE
    cells = [run for page in pdf.layout_grid(report, font) for run in page.texts if run.frame in page.cells]
    assert max(run.size for run in cells) == 8, "a crowded landscape table prints at 8 points"
    assert min(run.size for run in cells) >= pdf_text.SHRINK_FLOOR


def test_pages_start_at_the_top_without_spacer_rows(font: pdf_text.Font, guide: Project) -> None:
    for grid in application_grids(guide, YEAR):
        top = pdf_frame.page_frame(grid).top
        for page in pdf.layout_grid(grid, font):
            assert max(run.frame.y1 for run in page.texts) == pytest.approx(top), grid.sheet_name


def test_the_wide_training_report_fits_the_page(font: pdf_text.Font, wide_report: Grid) -> None:
    pages = pdf.layout_grid(wide_report, font)
    assert len(pages) >= 5, "ten maximum-length sessions take several pages"
    assert all(p.width > p.height for p in pages), "landscape"
    assert_everything_inside(pages)
    frame = pdf_frame.page_frame(wide_report)
    edges = pdf_frame.column_edges(wide_report, frame)
    for page in pages:
        lefts = {round(c.x0, 2) for c in page.cells}
        rights = {round(c.x1, 2) for c in page.cells}
        assert {round(e, 2) for e in edges[:-1]} <= lefts, "every column is on every page"
        assert round(edges[-1], 2) in rights
        headers = [r.text for r in page.texts]
        for label in ("場次", "教育訓練名稱", "課程類別", "效益"):
            assert label in headers, f"表頭「{label}」每頁重複"
    printed: dict[tuple[int, pdf.Box], str] = {}
    for number, page in enumerate(pages):
        for run in page.texts:
            printed[number, run.frame] = printed.get((number, run.frame), "") + run.text
    for n in range(1, 11):
        session = max_session(n)
        for key in ("name", "place", training_report.course_key(1), training_report.course_key(6), "benefit"):
            texts = [text for text in printed.values() if session[key] in text]
            assert texts, f"第 {n} 場 {key} 印出全文"  # course names: one line each inside the session's cell
    sizes = [r.size for p in pages for r in p.texts]
    assert min(sizes) >= pdf_text.SHRINK_FLOOR, "even the longest texts stay legible"


def test_signatures_and_the_date_line_follow_the_table(font: pdf_text.Font) -> None:
    grid = Grid("s", "t", [10, 10])
    grid.add(0, 0, "a", Style.TEXT)
    grid.signatures = ("理事長", "常務監事", "會計", "製表人")
    grid.footer = ["註：請簽章。"]
    page = pdf.layout_grid(grid, font, "中華民國 115 年 1 月 20 日")[0]
    texts = [r.text for r in page.texts]
    assert texts[1:] == ["註：請簽章。", *SIGNATURE_LABELS, "中華民國 115 年 1 月 20 日"]
    seals = [r.box for r in page.rects if r.box.height > 80]
    assert len(seals) == 4
    assert all(s.width == pytest.approx(pdf.SEAL_BOX) and s.height == pytest.approx(pdf.SEAL_BOX) for s in seals)
    assert pdf.layout_grid(grid, font)[0].texts[-1].text == pdf_text.BLANK_DATE_LINE


def test_the_last_rows_keep_the_signatures_company(font: pdf_text.Font) -> None:
    grid = Grid("s", "t", [10, 10])
    grid.header_rows = (0, 0)
    grid.add(0, 0, "表頭", Style.HEADER, colspan=2)
    rows = 1
    while True:  # fill the page so that the signatures no longer fit under the last row
        grid.add(rows, 0, rows, Style.NUMBER)
        rows += 1
        if len(pdf.layout_grid(replace(grid, signatures=()), font)) > 1:
            break
    grid.cells = [c for c in grid.cells if c.row < rows - 1]
    grid.signatures = ("理事長",)
    pages = pdf.layout_grid(grid, font)
    assert len(pages) == 2
    last = [r.text for r in pages[1].texts]
    assert last[0] == "表頭" and last[1].isdigit() and "理事長（簽章）" in last


# ---------------------------------------------------------------- the PDF itself


def test_the_same_grids_give_the_same_bytes(tmp_path: Path, guide: Project) -> None:
    grids = application_grids(guide, YEAR)[:1]
    names = {"union_name": "00職業工會", "year_label": "115", "date_line": ISSUED}
    first = pdf_draw.render_grids(grids, tmp_path / "a.pdf", **names)
    second = pdf_draw.render_grids(grids, tmp_path / "b.pdf", **names)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().startswith(b"%PDF-")


@needs_poppler
def test_only_embedded_fonts(package: list[Path]) -> None:
    for path in package:
        lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
        fonts = lines[2:]
        assert fonts, path.name
        for line in fonts:
            columns = line.split()
            assert columns[-5] == "yes" and columns[-4] == "yes", f"{path.name}: {line}"
            assert "Helvetica" not in line


@needs_poppler
def test_the_combined_pdf_holds_every_label_and_figure(package: list[Path]) -> None:
    combined = next(p for p in package if p.name == f"{YEAR}_{TAX_ID}_printout_all_sheets.pdf")
    text = squeeze(pdftotext(combined))
    missing = [label for label in LABELS if squeeze(label) not in text]
    assert not missing, f"缺少標籤：{missing}"
    missing = [figure for figure in FIGURES if figure not in text]
    assert not missing, f"缺少數字：{missing}"


@needs_poppler
def test_the_package_files(package: list[Path]) -> None:
    prefix = f"{YEAR}_{TAX_ID}"
    assert [p.name for p in package] == [
        f"{prefix}_printout_1_application.pdf",
        f"{prefix}_printout_2_roster.pdf",
        f"{prefix}_printout_3_final_accounts.pdf",
        f"{prefix}_printout_4_training_report.pdf",
        f"{prefix}_printout_5_training_expenses.pdf",
        f"{prefix}_printout_6_work_plan.pdf",
        f"{prefix}_printout_7_budget.pdf",
        f"{prefix}_printout_all_sheets.pdf",
        f"{prefix}_cover_letter.pdf",
        f"{prefix}_checklist.pdf",
    ]
    assert all(p.name.isascii() for p in package)
    sheets = sum(page_count(p) for p in package[:7])
    assert page_count(package[7]) == sheets, "the combined PDF is the seven sheets"


@needs_poppler
def test_page_numbers_count_the_pages_of_each_file(package: list[Path]) -> None:
    for path in (package[1], package[7]):
        total = page_count(path)
        assert total > 1
        for number in range(1, total + 1):
            assert f"第{number}頁／共{total}頁" in squeeze(pdftotext(path, number, number)), (path.name, number)


@needs_poppler
def test_every_sheet_carries_the_signature_blocks_and_the_date(package: list[Path]) -> None:
    for path in package[:7]:
        last_page = squeeze(pdftotext(path, page_count(path), page_count(path)))
        for label in (*SIGNATURE_LABELS, "中華民國115年1月20日"):
            assert squeeze(label) in last_page, (path.name, label)


@needs_poppler
def test_the_union_and_year_head_every_page(package: list[Path]) -> None:
    pages = pdftotext(package[7]).split("\f")[:-1]
    assert all("00職業工會" in page and "115 年度申請資料" in page for page in pages)
    assert "福利專款會員名冊" in squeeze(pages[2]), "the roster's later pages name their sheet"


@needs_poppler
def test_words_stay_inside_their_cells_in_the_pdf(tmp_path: Path, font: pdf_text.Font, wide_report: Grid) -> None:
    pages = pdf_draw.finish_pages(pdf.layout_grid(wide_report, font), font, union_name="00職業工會", year_label="115")
    path = pdf_draw.draw_pages(pages, tmp_path / "wide.pdf", font)
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    printed = re.split(r"<page ", html)[1:]
    assert len(printed) == len(pages)
    words = 0
    for page, markup in zip(pages, printed, strict=True):
        frames = [run.frame for run in page.texts]
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', markup
        ):
            words += 1
            box = pdf.Box(float(x0), page.height - float(y1), float(x1), page.height - float(y0))
            assert page.box.contains(box, tolerance=0.5), word
            assert any(frame.contains(box, tolerance=1.0) for frame in frames), f"「{word}」不在任何格內 {box}"
    assert words > 500


@needs_poppler
def test_the_wide_report_repeats_its_header_on_every_page(tmp_path: Path, wide_report: Grid) -> None:
    path = pdf_draw.render_grids([wide_report], tmp_path / "wide.pdf", union_name="00職業工會", year_label="115")
    pages = pdftotext(path).split("\f")[:-1]
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        text = squeeze(page)
        for label in ("教育訓練名稱", "課程類別", "場次使用經費", "效益", f"第{number}頁／共{len(pages)}頁"):
            assert label in text, (number, label)


# ---------------------------------------------------------------- cover letter and checklist


@needs_poppler
def test_the_cover_letter(package: list[Path]) -> None:
    text = squeeze(pdftotext(package[8]))
    for expected in (
        "00職業工會函",
        "受文者：臺中市政府",
        "發文日期：中華民國115年1月20日",
        "主旨：",
        "檢送本會115年度商港服務費福利專款申請資料",
        "說明：",
        f"{YEAR}_{TAX_ID}_application.xls",
        f"{YEAR}_{TAX_ID}_metting.pdf",
        f"{YEAR}_{TAX_ID}_method.pdf",
        "書面列印資料",
        "正本：臺中市政府",
        "副本：",
        "地址：111臺中市XX區XX里北XX路XX號",
        "電話：04-12345678",
        "理事長黃XX",
        "本會印信",
        "理事長簽章",
    ):
        assert expected in text, expected


def test_the_letter_goes_to_the_government_of_the_port_not_of_the_address(guide: Project) -> None:
    form = guide.years[YEAR].forms["application"]
    assert form["port"] == "臺中港" and pdf_package.local_authority(guide, YEAR) == "臺中市政府"
    form["address"] = "100臺北市中正區XX路1號"  # the seat in 臺北市 ...
    for port, authority in (
        ("臺北港", "新北市政府"),  # ... the port in 新北市八里區
        ("基隆港", "基隆市政府"),
        ("蘇澳港", "宜蘭縣政府"),
        ("臺中港", "臺中市政府"),
        ("高雄港", "高雄市政府"),
        ("花蓮港", "花蓮縣政府"),
        ("安平港", "臺南市政府"),
        ("布袋港", "嘉義縣政府"),
    ):
        form["port"] = port
        assert pdf_package.local_authority(guide, YEAR) == authority, port
        texts = [str(c.value) for c in pdf_package.cover_letter_grid(guide, YEAR, [], ISSUED).cells]
        assert f"受文者：{authority}" in texts and f"正本：{authority}" in texts


def test_the_letter_leaves_a_line_when_the_port_is_unknown(guide: Project) -> None:
    for port in ("", "某港"):
        guide.years[YEAR].forms["application"]["port"] = port
        assert pdf_package.local_authority(guide, YEAR) == ""
        letter = pdf_package.cover_letter_grid(guide, YEAR, [], ISSUED)
        texts = [str(c.value) for c in letter.cells]
        assert f"受文者：{pdf_package.BLANK_FILL}" in texts and f"正本：{pdf_package.BLANK_FILL}" in texts
    guide.years[YEAR].forms["application"]["port"] = ""
    [missing] = [f for f in check_project(guide, YEAR) if f.rule == "application.port_missing"]
    assert not missing.is_error and missing.field == "port" and "受文者" in missing.message


def test_the_letter_cites_the_guide_by_its_title(guide: Project) -> None:
    texts = " ".join(str(c.value) for c in pdf_package.cover_letter_grid(guide, YEAR, [], ISSUED).cells)
    assert "依勞動部「商港服務費福利專款管理系統(現金收支登記簿)填表說明書」辦理" in texts


def test_a_union_led_by_a_standing_director_signs_as_such(tmp_path: Path, guide: Project) -> None:
    guide.years[YEAR].forms["application"]["leader"] = "王大明常務理事"
    enclosures = pdf_package.letter_enclosures(guide, YEAR, tmp_path)
    letter = pdf_package.cover_letter_grid(guide, YEAR, enclosures, ISSUED)
    texts = " ".join(str(c.value) for c in letter.cells)
    assert "常務理事　王大明" in texts and "常務理事簽章" in texts and "各表經常務理事、常務監事" in texts
    assert "理事長" not in texts
    items = pdf_package.checklist_items(guide, YEAR, tmp_path)
    assert "理事長" not in " ".join(f"{i.title} {i.file_name} {i.note}" for i in items)
    for grid in application_grids(guide, YEAR):
        signed = pdf_package.signed_by_leader(grid, pdf_package.leader_title(guide, YEAR))
        assert "理事長" not in signed.signatures
        assert signed.signatures == tuple("常務理事" if s == "理事長" else s for s in grid.signatures)


@needs_poppler
def test_every_printed_sheet_of_a_standing_directors_union_says_so(tmp_path: Path, guide: Project) -> None:
    guide.years[YEAR].forms["application"]["leader"] = "王大明常務理事"
    written = pdf_package.write_pdf_package(guide, YEAR, tmp_path, application_grids(guide, YEAR), issued=ISSUED)
    for path in written[1:7]:  # sheet 1 names both titles in its label 工會負責人 (理事長或常務理事)
        text = squeeze(pdftotext(path))
        assert "常務理事" in text and "理事長" not in text, path.name
    raw = json.loads(LEDGER.read_text(encoding="utf-8"))
    guide.years[YEAR].ledger = LedgerBook(header=raw["header"], entries=raw["entries"])
    ledger = pdf_package.write_ledger_pdf(guide, YEAR, 1, tmp_path, ledger_grids(guide, YEAR, 1), issued=ISSUED)
    text = squeeze(pdftotext(ledger))
    assert "常務理事" in text and "理事長" not in text


def test_leader_name_and_title() -> None:
    assert pdf_package.leader_parts("黃XX理事長") == ("理事長", "黃XX")
    assert pdf_package.leader_parts("常務理事 王大明") == ("常務理事", "王大明")


def checklist_marks(items: list[pdf_package.Enclosure]) -> dict[str, bool]:
    return {item.title: item.ready for item in items}


def test_the_checklist_ticks_only_what_the_app_verified(tmp_path: Path, guide: Project) -> None:
    items = pdf_package.checklist_items(guide, YEAR, tmp_path)
    marks = checklist_marks(items)
    assert len(marks) == 17
    assert [t for t, ready in marks.items() if ready] == ["各表檢核"], "nothing written yet; the rules pass"
    (tmp_path / f"{YEAR}_{TAX_ID}_application.xls").write_bytes(b"x")
    (tmp_path / f"{YEAR}_{TAX_ID}_metting.pdf").write_bytes(b"%PDF-")
    for form_id in FORM_IDS:
        (tmp_path / pdf_package.sheet_pdf_name(YEAR, TAX_ID, form_id)).write_bytes(b"%PDF-")
    items = pdf_package.checklist_items(guide, YEAR, tmp_path)
    marks = checklist_marks(items)
    assert marks["申請電子表單（7 個工作表）"]
    assert marks["會員大會或理監事會議紀錄（PDF）"]
    assert not marks["會員(代表)大會通過之商港服務費福利專款運用補助辦法（PDF）"]
    assert marks["列印檔：福利專款會員名冊"]
    assert not marks["函（PDF）"]
    by_hand = [i for i in items if i.by_hand]
    assert [i.title for i in by_hand] == ["列印 7 個工作表", "各表簽章", "列印會議紀錄及補助辦法", "函用印",
                                          "函送臺中市政府"]  # fmt: skip
    assert not any(i.ready for i in by_hand)
    grid = pdf_package.checklist_grid(guide, YEAR, [replace(i, ready=True) for i in items])
    boxes = [c.value for c in grid.cells if c.col == 3 and c.value in (pdf_package.CHECKED, pdf_package.UNCHECKED)]
    assert boxes == [pdf_package.CHECKED] * 12 + [pdf_package.UNCHECKED] * 5, "by hand: always an empty box"


def test_a_sheet_with_errors_is_not_ready(tmp_path: Path) -> None:
    project = load(AS_PRINTED)  # the guide as printed: errors on sheets 1, 3 and 4
    for form_id in FORM_IDS:
        (tmp_path / pdf_package.sheet_pdf_name(YEAR, "12345678", form_id)).write_bytes(b"%PDF-")
    items = pdf_package.checklist_items(project, YEAR, tmp_path)
    marks = checklist_marks(items)
    assert not marks["各表檢核"]
    assert not marks["列印檔：商港服務費福利專款申請書(含工會基本資料)"]
    assert not marks["列印檔：福利專款教育訓練成果報告"]
    assert marks["列印檔：福利專款教育訓練經費表"]
    notes = {item.title: item.note for item in items}
    assert notes["列印檔：福利專款決算及運用情形(含結存分析表)"] == "有 3 個錯誤，請先更正"


def test_the_combined_pdf_is_not_named_like_an_upload_file() -> None:
    from treasurer_app.export import names

    uploads = {
        names.application_file_stem(YEAR, TAX_ID),
        *(Path(names.attachment_file_name(YEAR, TAX_ID, kind)).stem for kind in ("meeting", "method")),
        *(names.accounting_file_stem(YEAR, quarter, TAX_ID) for quarter in (1, 2, 3, 4)),
    }
    printouts = [pdf_package.combined_pdf_name(YEAR, TAX_ID)]
    printouts += [pdf_package.ledger_pdf_name(YEAR, quarter, TAX_ID) for quarter in (1, 2, 3, 4, None)]
    printouts += [pdf_package.sheet_pdf_name(YEAR, TAX_ID, form_id) for form_id in FORM_IDS]
    for name in printouts:
        assert "printout" in name and name.isascii()
        assert not any(stem in name for stem in uploads), name


@needs_poppler
def test_the_checklist_page(package: list[Path]) -> None:
    text = squeeze(pdftotext(package[9]))
    assert "115年度商港服務費福利專款申請資料檢核表" in text
    assert text.count(pdf_package.CHECKED) >= 8, "the seven sheets and the cover letter are ready"
    assert pdf_package.UNCHECKED in text, "the workbook and the attachments were not in the folder"
    assert f"{YEAR}_{TAX_ID}_cover_letter.pdf" in text


# ---------------------------------------------------------------- the cash ledger


@pytest.fixture
def with_ledger(guide: Project) -> Project:
    raw = json.loads(LEDGER.read_text(encoding="utf-8"))
    guide.years[YEAR].ledger = LedgerBook(header=raw["header"], entries=raw["entries"])
    return guide


@needs_poppler
@pytest.mark.parametrize("quarter", [1, None])
def test_the_ledger_pdf(tmp_path: Path, with_ledger: Project, quarter: int | None) -> None:
    grids = ledger_grids(with_ledger, YEAR, quarter)
    path = pdf_package.write_ledger_pdf(with_ledger, YEAR, quarter, tmp_path, grids, issued=ISSUED)
    prefix = f"11503_{TAX_ID}" if quarter else f"{YEAR}_{TAX_ID}"
    assert path.name == f"{prefix}_printout_accounting.pdf", "not the upload file's {yyyMM}_{統一編號}_accounting"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276" in info, "landscape A4"
    book = with_ledger.years[YEAR].ledger
    assert book is not None
    sliced = quarter_slice(book, YEAR, quarter) if quarter else book
    closing = closing_balances(sliced, YEAR)
    text = squeeze(pdftotext(path))
    day = "115年3月31日" if quarter else "115年12月31日"
    amounts = "、".join(f"{a}{n:,}元" for a, n in zip(ACCOUNTS, closing.amounts(), strict=True))
    assert f"本期結存（截至{day}）：合計{closing.total:,}元（{amounts}）" in text
    assert "上年度結存：合計2,020,000元（專戶存款11,200,000元" in text
    assert "參數表" not in text, "the parameter table is not printed"
    for label in (*SIGNATURE_LABELS, "中華民國115年1月20日", "傳票序號", "摘要(一)", "動支帳戶"):
        assert squeeze(label) in text
    total = page_count(path)
    assert f"第{total}頁／共{total}頁" in text


def test_a_ledger_drawn_a_page_at_a_time_is_the_same_file_as_drawn_from_all_its_pages(
    tmp_path: Path, with_ledger: Project
) -> None:
    """The long ledger is written as it is laid out (never holding all its pages): same bytes, same page count."""
    font = pdf_text.default_font()
    sheet = ledger_grids(with_ledger, YEAR)[0]
    layout = pdf.GridLayout(sheet, font, "中華民國 115 年 1 月 20 日")
    pages = layout.layout()
    assert len(pages) > 2 and layout.page_count() == len(pages)
    names = {"union_name": "00職業工會", "year_label": "115 年度"}
    whole = pdf_draw.draw_pages(pdf_draw.finish_pages(pages, font, **names), tmp_path / "whole.pdf", font, title="t")
    streamed = pdf_draw.write_grids([sheet], tmp_path / "streamed.pdf", font, date_line="中華民國 115 年 1 月 20 日",
                                    title="t", **names)  # fmt: skip
    assert streamed.read_bytes() == whole.read_bytes()


def test_the_fits_kept_from_fitting_to_drawing_are_the_fits_made_afresh(with_ledger: Project) -> None:
    """GridLayout keeps each row's fits from fitting its rows to drawing them, a fit made from a like (a balance,
    a voucher) as its like: the row drawn gets the fits a fresh fit of the row gives, each cell's own text."""
    font = pdf_text.default_font()
    sheet = ledger_grids(with_ledger, YEAR)[0]
    layout = pdf.GridLayout(sheet, font, "中華民國 115 年 1 月 20 日")
    assert any(kept is not None and kept[1] for kept in layout._kept), "some fits are kept as their likes"
    kept = {r: layout._kept_fits(r, layout._cells_at(r)) for r in range(layout.n_rows)}
    layout._cell_fits = pdf_fit.CellFits(font, layout.edges, layout.text_scale)
    for r, fits in kept.items():
        assert fits == layout._fit_row(r)[0], r


def test_a_text_shown_as_itself_is_known_by_its_characters(tmp_path: Path) -> None:
    """The painter shows a planned cell's text without splitting it when TextOperators.plain says every text
    differing from it in its digits alone shows as itself: the ten digits and its characters split before, each
    its own code in subset 0, none escaped (the bytes: the ledger tests above and below)."""
    with pdf_draw.PageWriter(tmp_path / "p.pdf", pdf_text.default_font(), title="t") as writer:
        text = writer.text
        assert text.plain("1,234") is None, "the digits are not split yet"
        text.split("0123456789")
        assert text.plain("1,234") is None, "the comma is not"
        text.split("V,")
        assert text.plain("1,234") and text.plain("V01331")
        text.split("港()")
        assert text.plain("港1") is False, "港 has another code"
        assert text.plain("(1)") is False, "a parenthesis is escaped"
        assert text.split("1,234") == [(0, "(1,234) Tj")], "as split"


def clipped_grid() -> Grid:
    """A column narrower than one character (drawn clipped), bold shaded headers, a tall merged cell."""
    grid = Grid("窄", "窄欄", [0.2, 12, 12])
    for col, header in enumerate(("序", "內容", "金額")):
        grid.add(0, col, header, Style.HEADER)
    grid.header_rows = (0, 0)
    grid.add(1, 0, "港", Style.TEXT)
    grid.add(1, 1, "港區工作性質 " * 12, Style.TEXT, rowspan=2)
    grid.add(1, 2, 1234567, Style.MONEY)
    grid.add(2, 2, None, Style.SLASH)
    return grid


def test_page_dictionaries_written_once_per_look_are_reportlabs(
    tmp_path: Path, guide: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PageWriter writes a page's dictionary from the first of its look (size, rotation) in the file
    (pdf_stream.DrawnPage): the same bytes as reportlab writing every page's itself, upright and landscape pages."""
    font = pdf_text.default_font()
    grids = [*application_grids(guide, YEAR)[:2], replace(application_grids(guide, YEAR)[2], landscape=True)]
    pages = [page for grid in grids for page in pdf.layout_grid(grid, font)]
    pages = pages + pages[:2]  # upright again after landscape
    assert len({(page.width, page.height) for page in pages}) == 2
    with pdf_draw.PageWriter(tmp_path / "once.pdf", font, title="t") as writer:
        for page in pages:
            writer.draw(page)
    assert len(writer._page_dictionaries) == 2, "one dictionary a look"
    monkeypatch.setattr(pdf_stream.DrawnPage, "format", pdf_stream.PDFPage.format)
    with pdf_draw.PageWriter(tmp_path / "each.pdf", font, title="t") as each:
        for page in pages:
            each.draw(page)
    assert (tmp_path / "once.pdf").read_bytes() == (tmp_path / "each.pdf").read_bytes()


def test_rows_drawn_straight_into_operators_are_the_same_file_as_drawn_from_pages(
    tmp_path: Path, guide: Project, wide_report: Grid
) -> None:
    """write_grids draws rows as they are placed (pdf_stream.StreamPainter), the package draws pages of boxes and
    runs: the same bytes for every sheet of the package, a letter, a report over many pages, clipped and bold text."""
    font = pdf_text.default_font()
    letter = pdf_package.cover_letter_grid(guide, YEAR, [], ISSUED)
    notes = Grid("註", "註", [20, 20])  # no bordered cell
    notes.add(0, 0, "單位：新臺幣元", Style.NOTE, colspan=2)
    grids = [*application_grids(guide, YEAR), letter, notes, wide_report, clipped_grid()]
    date_line = "中華民國 115 年 1 月 20 日"
    names = {"union_name": "00職業工會", "year_label": "115 年度"}
    pages = [page for grid in grids for page in pdf.layout_grid(grid, font, date_line)]
    assert any(not run.frame.contains(run.box, tolerance=0.5) for run in pages[-1].texts), "a run is clipped"
    whole = pdf_draw.draw_pages(pdf_draw.finish_pages(pages, font, **names), tmp_path / "whole.pdf", font, title="t")
    streamed = pdf_draw.write_grids(grids, tmp_path / "streamed.pdf", font, date_line=date_line, title="t", **names)
    assert streamed.read_bytes() == whole.read_bytes()


@needs_poppler
def test_the_export_command_writes_the_printable_package(tmp_path: Path, guide: Project) -> None:
    from treasurer_app.export.package import export_application

    for kind in ("meeting", "method"):
        blank = [Grid(kind, kind, [10])]
        attachment = pdf_draw.render_grids(blank, tmp_path / f"{kind}.pdf", union_name="", year_label="")
        guide.years[YEAR].attachments[kind] = str(attachment)
    report = export_application(guide, YEAR, tmp_path / "out", pdf=True, acknowledged=True)
    written = [f.path.name for f in report.files]
    for form_id in FORM_IDS:
        assert pdf_package.sheet_pdf_name(YEAR, TAX_ID, form_id) in written
    checklist = tmp_path / "out" / pdf_package.checklist_name(YEAR, TAX_ID)
    assert checklist.name in written
    text = pdftotext(checklist)
    assert text.count(pdf_package.CHECKED) == 12 + 1, "all twelve verified items ready (and the legend)"
    assert text.count(pdf_package.UNCHECKED) == 5 + 1, "the five steps done by hand (and the legend)"
