"""Export never crashes: on any odd project it writes the files or refuses with Chinese reasons.

Table-driven: each row changes the corrected worked example in one odd way (nothing, a
formula-like name, no members, texts at their limits…) and says what must happen. A
folder that cannot be written and a sheet larger than the format holds are refusals too.
"""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import xlrd
import xlwt

from tests.pdf_samples import one_page_pdf
from treasurer_app import interchange
from treasurer_app.cli import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, main
from treasurer_app.export import package, xls_rows
from treasurer_app.export.package import ExportRefused, ExportReport, export_application, export_ledger
from treasurer_app.fields import BankAccount, Text
from treasurer_app.forms import FORMS, SCALAR_FORMS
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project

CORRECTED = Path(__file__).parent.parent / "fixtures" / "guide_example_corrected.json"
YEAR = 115
ENTRY = {"month": "1", "day": "2", "kind": "收", "code": "1", "voucher": "A1", "memo": "分配款", "amount": "467000",
         "category": "分配款", "account": "專戶存款1"}  # fmt: skip


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = interchange.load(CORRECTED)
    book = project.years[YEAR]
    for kind in ("meeting", "method"):
        attachment = tmp_path / f"{kind}.pdf"
        attachment.write_bytes(one_page_pdf(kind))
        book.attachments[kind] = str(attachment)
    book.ledger = LedgerBook({"opening_acct1": "1000"}, [dict(ENTRY)])
    return project


def application(project: Project) -> dict[str, str]:
    return project.years[YEAR].forms["application"]


def no_members(project: Project) -> None:
    project.years[YEAR].roster.clear()
    application(project)["member_count"] = "0"


def texts_at_their_limits(project: Project) -> None:
    """Every free text as long as its field allows, starting with characters spreadsheets treat as formulas."""
    book = project.years[YEAR]
    for form_id in SCALAR_FORMS:
        for field in FORMS[form_id].fields:
            if isinstance(field.type, Text) and field.key != "leader":
                text = ("=" + "長" * 300)[: field.type.max_chars]
                if isinstance(field.type, BankAccount):  # it must hold an account number
                    text = text[:-12] + "123456789022"
                book.forms[form_id][field.key] = text
    for member in book.roster:
        member["name"], member["unit"] = "+" + "名" * 49, "@" * 100
    for session in book.training_report:
        session["name"], session["place"], session["benefit"] = "-" * 50, "=A1" * 16, "\n" * 99 + "x"


def set_application(key: str, text: str) -> Callable[[Project], None]:
    return lambda project: application(project).__setitem__(key, text)


def set_memo(text: str) -> Callable[[Project], None]:
    return lambda project: project.years[YEAR].ledger.entries[0].__setitem__("memo", text)  # type: ignore[union-attr]


ODD_PROJECTS: list[tuple[str, Callable[[Project], None], str, str]] = [
    # (id, change, application outcome, ledger outcome): "written" or a fragment of a refusal's reasons
    ("as-is", lambda project: None, "written", "written"),
    ("no-union-name", set_application("union_name", ""), "工會名稱：必填", "工會名稱：必填"),
    ("no-tax-id", set_application("tax_id", ""), "統一編號：必填", "統一編號：必填"),
    ("placeholder-tax-id", set_application("tax_id", "12345678"), "檢查碼不符", "檢查碼不符"),
    ("no-members", no_members, "written", "written"),
    ("formula-name", set_application("union_name", '=HYPERLINK("x")工會'), "written", "written"),
    ("control-characters", set_application("union_name", "\x00\x07工會\x1b\x7f"), "written", "written"),
    ("xml-non-characters", set_application("union_name", "港區\ufffe職業\uffff工會"), "written", "written"),
    ("rare-characters", set_application("union_name", "𪚥🚢⚓港區職業工會"), "written", "written"),
    ("bidi-and-zero-width", set_application("union_name", "\u202e工會\u200b\ufeff"), "written", "written"),
    ("texts-at-their-limits", texts_at_their_limits, "written", "written"),
    ("no-ledger", lambda project: setattr(project.years[YEAR], "ledger", None), "written", "沒有 115 年度的資料"),
    ("empty-ledger", lambda project: setattr(project.years[YEAR], "ledger", LedgerBook()), "written", "written"),
    ("formula-memo", set_memo("=1+1"), "written", "written"),
]


def outcome(export: Callable[[], ExportReport]) -> str:
    try:
        report = export()
    except ExportRefused as refused:
        assert refused.findings and all(is_chinese(f.message) for f in refused.findings), refused.findings
        return " ".join(f.message for f in refused.findings)
    assert report.files and all(f.path.is_file() and f.size > 0 for f in report.files)
    assert report.report_path.is_file()
    for written in report.files:  # "written" means a workbook Excel can open, not just bytes on disk
        if written.path.suffix == ".xlsx":
            openpyxl.load_workbook(written.path)
        elif written.path.suffix == ".xls":
            xlrd.open_workbook(str(written.path))
    return "written"


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
@pytest.mark.parametrize(
    ("change", "expected", "expected_ledger"), [row[1:] for row in ODD_PROJECTS], ids=[row[0] for row in ODD_PROJECTS]
)
def test_an_odd_project_is_written_or_refused_with_reasons(
    project: Project, tmp_path: Path, fmt: str, change: Callable[[Project], None], expected: str, expected_ledger: str
) -> None:
    change(project)
    written = outcome(lambda: export_application(project, YEAR, tmp_path / "out", fmt=fmt))
    assert expected in written
    written = outcome(lambda: export_ledger(project, f"{YEAR}Q1", tmp_path / "ledger", fmt=fmt))
    assert expected_ledger in written


WRITTEN = [row for row in ODD_PROJECTS if row[2] == "written"]


@pytest.mark.parametrize(
    ("change", "expected_ledger"), [(row[1], row[3]) for row in WRITTEN], ids=[row[0] for row in WRITTEN]
)
def test_an_odd_project_prints_to_pdf(
    project: Project, tmp_path: Path, change: Callable[[Project], None], expected_ledger: str
) -> None:
    change(project)
    assert outcome(lambda: export_application(project, YEAR, tmp_path / "out", pdf=True)) == "written"
    assert expected_ledger in outcome(lambda: export_ledger(project, f"{YEAR}Q1", tmp_path / "ledger", pdf=True))


# ---------------------------------------------------------------- where the files go


def test_an_output_folder_that_is_a_file_is_a_refusal(project: Project, tmp_path: Path) -> None:
    a_file = tmp_path / "exports"
    a_file.write_text("not a folder", encoding="utf-8")
    exports = (lambda out: export_application(project, YEAR, out), lambda out: export_ledger(project, "115Q1", out))
    for export in exports:
        with pytest.raises(ExportRefused) as refused:
            export(a_file)
        assert [f.message for f in refused.value.findings] == [f"匯出：同名的檔案已存在，不是資料夾（{a_file}）"]
        with pytest.raises(ExportRefused) as refused:
            export(a_file / "inside")
        assert [f.message for f in refused.value.findings] == [
            f"匯出：路徑中有一段是檔案，不是資料夾（{a_file / 'inside'}）"
        ]


def test_a_full_disk_is_a_refusal_that_leaves_no_half_file(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(self: xls_rows.CompoundFile, path: str, stream: object) -> None:  # what writes the .xls file
        Path(path).write_bytes(b"half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(xls_rows.CompoundFile, "save", full_disk)
    out = tmp_path / "out"
    with pytest.raises(ExportRefused) as refused:
        export_application(project, YEAR, out)
    assert refused.value.findings[0].message.startswith("匯出：磁碟空間不足（")
    assert not out.exists()  # nothing new: not even the folder, made for the export


def test_the_xls_row_limit_is_the_real_one() -> None:
    sheet = xlwt.Workbook().add_sheet("s")
    rows, _ = package.SHEET_LIMITS["xls"]
    sheet.write(rows - 1, 0, "last row")
    with pytest.raises(ValueError, match=r"not allowed by \.xls format"):
        sheet.write(rows, 0, "one too many")


def test_a_ledger_longer_than_an_xls_sheet_is_refused_before_writing(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 65,536 rows scaled down to 50 so the test is quick (the parameter table has 44); the check is the same.
    monkeypatch.setitem(package.SHEET_LIMITS, "xls", (50, 256))
    entries = [dict(ENTRY, voucher=str(n), amount="1") for n in range(40)]
    project.years[YEAR].ledger = LedgerBook({}, entries)
    out = tmp_path / "out"
    with pytest.raises(ExportRefused) as refused:
        export_ledger(project, "115Q1", out)
    (finding,) = refused.value.findings
    assert finding.message.startswith("商港服務費福利專款現金收支登記簿：有 ")
    assert finding.message.endswith("超過 .xls 工作表的上限（50 列、256 欄），請改匯出 .xlsx")
    assert not out.exists()
    assert outcome(lambda: export_ledger(project, "115Q1", out, fmt="xlsx")) == "written"


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
def test_characters_a_workbook_cannot_hold_are_left_out_and_the_rest_reads_back(
    project: Project, tmp_path: Path, fmt: str
) -> None:
    from treasurer_app.export.importer import import_workbook

    application(project)["union_name"] = "港區\x00職業\ufffe工會\uffff\x1b"
    export_application(project, YEAR, tmp_path / "out", fmt=fmt)
    result = import_workbook(tmp_path / "out" / f"115_12345675_application.{fmt}")  # a well-formed file
    assert result.book.forms["application"]["union_name"] == "港區職業工會"


# ---------------------------------------------------------------- the same through treasurer-app


@pytest.mark.parametrize(
    ("change", "expected", "expected_ledger"), [row[1:] for row in ODD_PROJECTS], ids=[row[0] for row in ODD_PROJECTS]
)
def test_the_commands_exit_0_1_or_2_on_an_odd_project(
    project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[Project], None],
    expected: str,
    expected_ledger: str,
) -> None:
    change(project)
    path = tmp_path / "odd.json"
    interchange.save(project, path)
    wanted = {"check": None, "export": expected, "export-ledger": expected_ledger}
    for command, extra in (
        ("check", []),
        ("export", ["--out", str(tmp_path / "a")]),
        ("export-ledger", ["--quarter", "115Q1", "--out", str(tmp_path / "l")]),
    ):
        code = main([command, str(path), *extra])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        if wanted[command] is None:
            assert code in (EXIT_OK, EXIT_FINDINGS) and "檢查結果" in out
        elif wanted[command] == "written":
            assert (code, err) == (EXIT_OK, "") and "已寫入" in out, (command, out, err)
        else:
            assert code == EXIT_FINDINGS and wanted[command] in out, (command, out, err)


def test_the_commands_refuse_a_file_with_half_a_character_pair(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    application(project)["union_name"] = "港區\ud800工會"
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(interchange.project_to_dict(project)), encoding="utf-8")  # ASCII JSON: \ud800
    for command, extra in (("check", []), ("export", ["--out", str(tmp_path / "a")])):
        assert main([command, str(path), *extra]) == EXIT_UNUSABLE
        out, err = capsys.readouterr()
        assert out == "" and "union_name" in err and "U+D800" in err
