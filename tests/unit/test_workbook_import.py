"""Issue 15: every workbook comes back in — round trips, edited workbooks, the report, `check FILE.xls`, `import`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from treasurer_app import interchange, workbook_import
from treasurer_app.cli import main
from treasurer_app.export import layouts
from treasurer_app.export.grid import Grid
from treasurer_app.export.importer import import_workbook
from treasurer_app.export.xls import write_xls
from treasurer_app.export.xlsx import write_xlsx
from treasurer_app.forms import FORMS
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook
from treasurer_app.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures"
GUIDE = FIXTURES / "guide_example_corrected.json"
SAMPLE = Path(__file__).parent.parent.parent / "resources" / "sample" / "sample_union.json"
YEAR = 115
SHEET_1 = FORMS["application"].sheet_name
SHEET_2 = FORMS["roster"].sheet_name
SHEET_3 = FORMS["final_accounts"].sheet_name
SHEET_5 = FORMS["training_expenses"].sheet_name
LEDGER_SHEET = workbook_import.LEDGER_NAME
WRITERS = {"xls": write_xls, "xlsx": write_xlsx}


def cells(grids: list[Grid]) -> dict[str, list[tuple[object, ...]]]:
    """What a workbook shows: every cell's place, value and formula, sheet by sheet."""
    return {g.sheet_name: sorted((c.row, c.col, str(c.value), c.formula or "") for c in g.cells) for g in grids}


def ledger_project() -> Project:
    document = json.loads((FIXTURES / "ledger_114.json").read_text(encoding="utf-8"))
    book = YearBook(114)
    book.forms["application"].update(union_name="00職業工會", tax_id="12345675")
    book.ledger = LedgerBook(document["header"], document["entries"])
    return Project({114: book})


def export_application(project: Project, folder: Path, fmt: str = "xls") -> Path:
    path = folder / f"{YEAR}_12345675_application.{fmt}"
    WRITERS[fmt](layouts.application_grids(project, YEAR), path)
    return path


def export_ledger(project: Project, folder: Path, fmt: str = "xls") -> Path:
    path = folder / f"11412_12345675_accounting.{fmt}"
    WRITERS[fmt](layouts.ledger_grids(project, 114), path)
    return path


# ---------------------------------------------------------------- export → import → export


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
@pytest.mark.parametrize("source", [GUIDE, SAMPLE], ids=["guide", "sample"])
def test_an_application_round_trips_through_its_own_workbook(tmp_path: Path, source: Path, fmt: str) -> None:
    project = interchange.load(source)
    path = export_application(project, tmp_path, fmt)
    batch = workbook_import.read_workbooks([path])
    result = batch.files[0].result
    assert result is not None and result.notes == []
    again = workbook_import.applied(Project(), batch)
    assert cells(layouts.application_grids(again, YEAR)) == cells(layouts.application_grids(project, YEAR))
    assert workbook_import.diff(project, batch) == [
        workbook_import.AreaChange(YEAR, area, workbook_import.UNCHANGED, detail)
        for area, detail in zip(
            FORMS,
            [
                "",
                f"{len(project.years[YEAR].roster)} 位會員",
                "",
                f"{len(project.years[YEAR].training_report)} 個場次",
                "",
                "",
                "",
            ],
            strict=True,
        )
    ]


def test_the_206_entry_ledger_round_trips(tmp_path: Path) -> None:
    project = ledger_project()
    path = export_ledger(project, tmp_path)
    batch = workbook_import.read_workbooks([path])
    result = batch.files[0].result
    assert result is not None and len(result.book.ledger.entries) == 206
    assert result.notes == ["「上年度未動支利息」不在登記簿上，未匯入；年度結轉時會自動計算"]
    again = workbook_import.applied(project, batch)
    assert again.years[114].ledger.entries == project.years[114].ledger.entries
    assert again.years[114].ledger.header == project.years[114].ledger.header  # 上年度未動支利息 kept
    assert cells(layouts.ledger_grids(again, 114)) == cells(layouts.ledger_grids(project, 114))
    assert [c.status for c in workbook_import.diff(project, batch)] == [workbook_import.UNCHANGED]


def test_a_whole_year_round_trips_application_and_quarterly_ledgers(tmp_path: Path) -> None:
    """Last year's application and the four quarterly ledgers (each the year to date) in one import."""
    project = ledger_project()
    union = interchange.load(GUIDE).years[YEAR]
    union.ledger = project.years[114].ledger
    whole = Project({YEAR: union})
    whole.years[YEAR].ledger = LedgerBook(
        dict(project.years[114].ledger.header), [{**e} for e in project.years[114].ledger.entries]
    )
    app = export_application(whole, tmp_path)
    quarters = []
    for quarter in (1, 2, 3, 4):
        path = tmp_path / f"q{quarter}.xls"
        write_xls(layouts.ledger_grids(whole, YEAR, quarter), path)
        quarters.append(path)
    batch = workbook_import.read_workbooks([app, *reversed(quarters)])
    imported = workbook_import.applied(Project(), batch)
    assert imported.years[YEAR].ledger.entries == whole.years[YEAR].ledger.entries
    assert cells(layouts.application_grids(imported, YEAR)) == cells(layouts.application_grids(whole, YEAR))
    report = "\n".join(workbook_import.report_lines(batch))
    assert report.count("已包含在 q4.xls 之中") == 3


# ---------------------------------------------------------------- edited workbooks: exactly the expected changes


@pytest.fixture
def guide() -> Project:
    return interchange.load(GUIDE)


def test_a_workbook_edited_in_input_locked_and_spare_cells(tmp_path: Path, guide: Project) -> None:
    book = openpyxl.load_workbook(export_application(guide, tmp_path, "xlsx"))
    first = book[SHEET_1]
    first["B3"] = "港務工會"  # 工會名稱, an input cell
    roster = book[SHEET_2]
    members = len(guide.years[YEAR].roster)
    spare = next(r for r in range(3, roster.max_row + 1) if roster.cell(r, 2).value is None)  # the first spare row
    assert roster.cell(spare, 2).value is None and roster.cell(spare, 2).protection.locked is False
    roster.cell(spare, 2).value = "新會員"
    roster.cell(spare, 4).value = "A123456789"
    roster.cell(spare, 5).value = 45852  # 出生日期 turned into Excel's day serial (2025-07-14)
    accounts = book[SHEET_3]
    total = accounts["B8"]  # 歲入合計, locked: its formula typed over with a figure
    assert total.value == "=SUM(B4:B7)"
    total.value = 999999
    expenses = book[SHEET_5]
    first_line = FORMS["training_expenses"].fields[0].label
    label = next(c for row in expenses.iter_rows() for c in row if c.value == first_line)
    label.value = "講師費（改）"  # a locked label changed: the row is still read by its place
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    batch = workbook_import.read_workbooks([edited])
    result = batch.files[0].result
    assert result is not None
    assert result.notes == [
        f"{SHEET_2}!E{spare}：儲存格是 Excel 日期序號 45852（2025-07-14），已讀成 1140714，請確認",
        f"{SHEET_5}!{label.coordinate}：固定標籤「{FORMS['training_expenses'].fields[0].label}」被改成「講師費（改）」，"
        "未採用；這一列依位置讀取",
        f"{SHEET_3}!{total.coordinate} 合計／決算金額：活頁簿寫 999,999，"
        "本程式依各項計算為 996,537，此合計不匯入（由各項自動相加）",
    ]
    assert result.book.forms["training_expenses"] == guide.years[YEAR].forms["training_expenses"]
    changes = {c.area: c for c in workbook_import.diff(guide, batch)}
    assert changes["application"].status == workbook_import.CHANGED and "工會名稱" in changes["application"].detail
    assert changes["roster"].detail == f"原 {members} 位會員，匯入 {members + 1} 位會員，其中 1 列不同"
    assert [a for a, c in changes.items() if c.status == workbook_import.CHANGED] == ["application", "roster"]
    assert result.book.roster[-1]["birth_date"] == "1140714"


def test_a_ledger_with_an_unknown_code_names_its_cell(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(export_ledger(ledger_project(), tmp_path, "xlsx"))
    sheet = book[LEDGER_SHEET]
    memo = next(c for row in sheet.iter_rows() for c in row if c.value == "1-1、講師鐘點費")
    memo.value = "9-9、不知名支出"
    book.save(tmp_path / "odd.xlsx")
    result = import_workbook(tmp_path / "odd.xlsx")
    assert (
        f"{LEDGER_SHEET}!{memo.coordinate} 摘要(一)：「9-9、不知名支出」不在參數表（支）中，未能對應代號，照原文匯入，"
        "請改選正確項目"
    ) in result.notes


def test_a_workbook_resaved_by_libreoffice_imports_the_same(tmp_path: Path, guide: Project) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    original = export_application(guide, tmp_path)
    out = tmp_path / "resaved"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(out), str(original)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = import_workbook(out / original.name)
    assert resaved.notes == []
    assert resaved.book.forms == import_workbook(original).book.forms
    assert resaved.book.roster == guide.years[YEAR].roster


# ---------------------------------------------------------------- treasurer-app check FILE.xls


def test_check_a_clean_workbook_exits_0(tmp_path: Path, guide: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = export_application(guide, tmp_path)
    assert main(["check", str(path)]) == 0
    assert "0 個錯誤、0 個警告" in capsys.readouterr().out  # 港區 has no cell in the workbook: not its finding


def test_check_names_the_cells_typed_by_another_program(
    tmp_path: Path, guide: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The guide's placeholder 統一編號 and an impossible date typed with openpyxl (numbers, as Excel stores them)."""
    book = openpyxl.load_workbook(export_application(guide, tmp_path, "xlsx"))
    first = book[SHEET_1]
    assert (first["A4"].value, first["A5"].value) == ("統一編號", "成立日期")
    first["B4"] = 12345678
    first["B5"] = 1141140
    book.save(tmp_path / "typed.xlsx")
    assert main(["check", str(tmp_path / "typed.xlsx")]) == 1
    out = capsys.readouterr().out
    assert f"錯誤  {SHEET_1}!B4  統一編號：檢查碼不符（12345678）" in out
    assert f"錯誤  {SHEET_1}!B5  成立日期：日期不存在（1141140：11月沒有40日）" in out
    if shutil.which("soffice") is None:
        return
    # The same workbook saved by LibreOffice as the .xls the upload system takes.
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path / "lo"),
            str(tmp_path / "typed.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert main(["check", str(tmp_path / "lo" / "typed.xls")]) == 1
    out = capsys.readouterr().out
    assert f"{SHEET_1}!B4  統一編號：檢查碼不符（12345678）" in out and f"{SHEET_1}!B5  成立日期：日期不存在" in out


def test_check_several_workbooks_and_json(tmp_path: Path, guide: Project, capsys: pytest.CaptureFixture[str]) -> None:
    app = export_application(guide, tmp_path)
    ledger = export_ledger(ledger_project(), tmp_path)
    broken = tmp_path / "broken.xls"
    broken.write_bytes(b"not a workbook")
    assert main(["check", str(app), str(ledger)]) == 0
    out = capsys.readouterr().out
    assert "共 2 個活頁簿：2 個無錯誤、0 個有錯誤、0 個無法讀取" in out
    assert f"{LEDGER_SHEET}!I21  第 9 筆 金額" in out  # a ledger warning names the entry's amount cell
    assert main(["check", "--json", str(app), str(broken)]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report[0]["year"] == YEAR and report[1]["file"] == "broken.xls" and "Excel" in report[1]["unusable"]


def test_a_file_that_is_no_workbook_is_said_unusable_once(
    tmp_path: Path, guide: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """As every unusable input: exit 2 and one 無法使用 line on stderr (it was printed on stdout too)."""
    junk = tmp_path / "junk.xls"
    junk.write_bytes(b"not a workbook")
    said = "無法使用：junk.xls：不是 Excel 活頁簿（.xls 或 .xlsx），無法匯入\n"
    assert main(["check", str(junk)]) == 2
    assert capsys.readouterr() == ("", said)
    app = export_application(guide, tmp_path)  # beside a workbook that reads: its report, the count, and once
    assert main(["check", str(app), str(junk)]) == 2
    out, err = capsys.readouterr()
    assert err == said and "junk.xls" not in out
    assert out.endswith("\n\n共 2 個活頁簿：1 個無錯誤、0 個有錯誤、1 個無法讀取\n")
    assert main(["check", str(junk), str(junk)]) == 2  # nothing read: no report, the count, each file once
    assert capsys.readouterr() == ("共 2 個活頁簿：0 個無錯誤、0 個有錯誤、2 個無法讀取\n", said * 2)


# ---------------------------------------------------------------- treasurer-app import


def test_import_into_a_json_asks_before_replacing(
    tmp_path: Path, guide: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    app = export_application(guide, tmp_path)
    target = tmp_path / "union.json"
    assert main(["import", str(app), "--into", str(target)]) == 0
    assert interchange.load(target).years[YEAR].roster == guide.years[YEAR].roster
    out = capsys.readouterr().out
    assert f"{YEAR} 年度 {SHEET_2}：新增（{len(guide.years[YEAR].roster)} 位會員）" in out
    book = openpyxl.load_workbook(export_application(guide, tmp_path, "xlsx"))
    book[SHEET_1]["B3"] = "港務工會"
    book.save(tmp_path / "changed.xlsx")
    before = target.read_bytes()
    assert main(["import", str(tmp_path / "changed.xlsx"), "--into", str(target)]) == 1  # no terminal to ask
    assert target.read_bytes() == before
    assert "--yes" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "changed.xlsx"), "--into", str(target), "--yes"]) == 0
    assert interchange.load(target).years[YEAR].forms["application"]["union_name"] == "港務工會"
    assert (tmp_path / "union.json.bak").read_bytes() == before


def test_import_into_a_store_backs_up_first(tmp_path: Path, guide: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "union.tap"
    with Store.create(path) as created:
        created.put_year(guide.years[YEAR])
    ledger = export_ledger(ledger_project(), tmp_path)
    assert main(["import", str(ledger), "--into", str(path)]) == 0
    out = capsys.readouterr().out
    assert "114 年度 現金收支登記簿：新增（206 筆收支）" in out.replace(workbook_import.LEDGER_NAME, "現金收支登記簿")
    assert "匯入前已備份" in out
    with Store.open(path, read_only=True) as opened:
        project = opened.load()
        assert len(project.years[114].ledger.entries) == 206
        assert project.years[YEAR].roster == guide.years[YEAR].roster
        assert opened.list_backups()


def test_an_import_the_store_refuses_leaves_none_of_its_years_in_the_file(
    tmp_path: Path, guide: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """treasurer-app import --into makes the window's import edit through an edit session: the years are
    written together, and when the file refuses them the command says why and the file keeps what it had."""
    from treasurer_app.editing.persistence import StorePersistence

    path = tmp_path / "union.tap"
    with Store.create(path) as created:
        created.put_year(guide.years[YEAR])
    app = export_application(guide, tmp_path)
    ledger = export_ledger(ledger_project(), tmp_path)

    def full_disk(self: StorePersistence, project: Project, years: set[int]) -> None:
        raise OSError("磁碟空間不足")

    monkeypatch.setattr(StorePersistence, "resync", full_disk)
    assert main(["import", str(app), str(ledger), "--into", str(path), "--yes"]) == 2
    assert "磁碟空間不足" in capsys.readouterr().err
    with Store.open(path, read_only=True) as opened:
        assert opened.years() == [YEAR]  # 114 from the ledger is not there, nor anything of 115 replaced
        held = interchange.project_to_dict(opened.load())
    assert held == interchange.project_to_dict(Project({YEAR: guide.years[YEAR]}))


def test_import_of_another_year_is_refused_by_name(tmp_path: Path, guide: Project, capsys) -> None:  # type: ignore[no-untyped-def]
    app = export_application(guide, tmp_path)
    assert main(["import", str(app), "--year", "114"]) == 2
    out = capsys.readouterr()
    assert f"這是 {YEAR} 年度的申請書，不是指定的 114 年度，未匯入" in out.out


def test_course_names_do_not_depend_on_the_locked_category_cell(tmp_path: Path, guide: Project) -> None:
    """The app's sheet 4 prints the six categories in a locked cell and one course line for each: a changed
    category cell is reported and the courses are still read by their line."""
    book = openpyxl.load_workbook(export_application(guide, tmp_path, "xlsx"))
    sheet = book[FORMS["training_report"].sheet_name]
    category = sheet["H4"]
    assert category.value.startswith("勞動知能及法令\n") and category.protection.locked
    category.value = "勞動知能及法令"  # a user "cleaned up" the locked list
    book.save(tmp_path / "categories.xlsx")
    result = import_workbook(tmp_path / "categories.xlsx")
    assert result.notes == [
        f"{sheet.title}!H4 課程類別：此欄是固定的六個類別，被改成「勞動知能及法令」，"
        "未採用；課程名稱與時數依列序對應六個類別"
    ]
    assert result.book.training_report == [
        {k: v for k, v in s.items() if v or not k.startswith(("course_", "hours_"))}
        for s in guide.years[YEAR].training_report
    ]
