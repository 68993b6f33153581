"""檔案 → 匯入活頁簿…: the per-form diff, the question, the backup, one undo (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QDialog

from treasurer_app import interchange, workbook_import
from treasurer_app.export import layouts
from treasurer_app.export.xls import write_xls
from treasurer_app.export.xlsx import write_xlsx
from treasurer_app.forms import FORMS
from treasurer_app.interchange import project_to_dict
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook
from treasurer_app.ui.import_dialog import ImportDialog

FIXTURES = Path(__file__).parent.parent / "fixtures"
YEAR = 115


@pytest.fixture
def workbooks(tmp_path: Path) -> dict[str, Path]:
    guide = interchange.load(FIXTURES / "guide_example_corrected.json")
    app = tmp_path / "115_12345675_application.xls"
    write_xls(layouts.application_grids(guide, YEAR), app)
    document = json.loads((FIXTURES / "ledger_114.json").read_text(encoding="utf-8"))
    book = YearBook(114)
    book.forms["application"].update(union_name="00職業工會", tax_id="12345675")
    book.ledger = LedgerBook(document["header"], document["entries"])
    ledger = tmp_path / "11412_12345675_accounting.xls"
    write_xls(layouts.ledger_grids(Project({114: book}), 114), ledger)
    edited = tmp_path / "edited.xlsx"
    write_xlsx(layouts.application_grids(guide, YEAR), edited)
    opened = openpyxl.load_workbook(edited)
    opened[FORMS["application"].sheet_name]["B3"] = "港務工會"
    opened.save(edited)
    return {"application": app, "ledger": ledger, "edited": edited}


def answer(monkeypatch: pytest.MonkeyPatch, accept: bool, seen: list[ImportDialog]) -> None:
    def exec_(dialog: ImportDialog) -> int:
        seen.append(dialog)
        if accept and dialog.accept_button is not None:
            dialog.accept_button.click()
        else:
            dialog.reject()
        return dialog.result()

    monkeypatch.setattr(ImportDialog, "exec", exec_)


def test_import_into_an_empty_project_then_replace_with_a_diff_a_backup_and_one_undo(
    window, workbooks: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[ImportDialog] = []
    answer(monkeypatch, True, seen)
    assert window.files.import_workbook_files([workbooks["application"], workbooks["ledger"]])
    dialog = seen[-1]
    assert [dialog.diff_view.topLevelItem(i).text(2) for i in range(dialog.diff_view.topLevelItemCount())] == [
        workbook_import.NEW
    ] * 8  # the seven sheets of 115 and the ledger of 114
    assert dialog.accept_button is not None and dialog.accept_button.text() == "匯入"
    project = window.document.project
    assert sorted(project.years) == [114, YEAR]
    assert len(project.years[114].ledger.entries) == 206
    assert project.union_name(YEAR) == "00職業工會"
    assert window.year == YEAR
    backups_before = len(window.document.persistence.backups())
    before = project_to_dict(window.document.project)
    depth = window.document.undo_stack.count()

    answer(monkeypatch, False, seen)  # asked, and declined: nothing changes
    assert not window.files.import_workbook_files([workbooks["edited"]])
    assert seen[-1].replaces and seen[-1].accept_button.text() == "取代並匯入"
    changed = [seen[-1].diff_view.topLevelItem(i) for i in range(seen[-1].diff_view.topLevelItemCount())]
    assert [(item.text(1), item.text(2)) for item in changed if item.text(2) != workbook_import.UNCHANGED] == [
        (FORMS["application"].sheet_name, workbook_import.CHANGED)
    ]
    assert "工會名稱" in changed[0].text(3)
    assert project_to_dict(window.document.project) == before

    answer(monkeypatch, True, seen)
    assert window.files.import_workbook_files([workbooks["edited"]])
    assert window.document.project.union_name(YEAR) == "港務工會"
    assert window.document.undo_stack.count() == depth + 1  # one step
    backups = window.document.persistence.backups()
    assert len(backups) == backups_before + 1 and "（匯入前）" in backups[0].label + backups[-1].label
    window.undo_action.trigger()
    assert project_to_dict(window.document.project) == before
    window.document.flush(automatic=False)
    reopened = window.document.persistence.load()
    assert reopened.union_name(YEAR) == "00職業工會"  # the store followed the undo


def test_files_that_cannot_be_read_are_named_and_nothing_is_offered(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[ImportDialog] = []
    answer(monkeypatch, True, seen)
    broken = tmp_path / "broken.xls"
    broken.write_bytes(b"nothing")
    assert not window.files.import_workbook_files([broken])
    assert seen[-1].accept_button is None
    assert "✗ broken.xls：未匯入" in seen[-1].report.toPlainText()
    assert window.document.project.years == {}
    assert QDialog.DialogCode.Rejected == seen[-1].result()


def test_a_union_started_mid_cycle_comes_from_last_years_workbooks(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """建立本工會的資料 for 116 offers to import 115's application and ledger first; 116 is then started from
    them as 開始新年度 does, its final accounts computed from the imported ledger; the home page says so."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from treasurer_app.ui.dashboard import Dashboard

    guide = interchange.load(FIXTURES / "guide_example_corrected.json")
    document = json.loads((FIXTURES / "ledger_114.json").read_text(encoding="utf-8"))
    guide.years[YEAR].ledger = LedgerBook(document["header"], document["entries"])
    app = tmp_path / "115_12345675_application.xls"
    write_xls(layouts.application_grids(guide, YEAR), app)
    ledger = tmp_path / "11512_12345675_accounting.xls"
    write_xls(layouts.ledger_grids(guide, YEAR), ledger)
    seen: list[ImportDialog] = []
    answer(monkeypatch, True, seen)
    offered: list[int] = []
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(lambda *args: (116, True)))
    monkeypatch.setattr(type(window), "ask_last_year_first", lambda self, year: offered.append(year) or True)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *args: ([str(app), str(ledger)], "")))
    window.create_union()
    assert offered == [116]
    project = window.document.project
    assert sorted(project.years) == [YEAR, 116] and window.year == 116
    assert project.years[116].roster == guide.years[YEAR].roster  # carried over as 開始新年度 does
    derived = project.effective(116, "final_accounts")
    assert derived.sources and all(
        s == "由 115 年度現金收支登記簿計算" for s in derived.sources.values() if "登記簿" in s
    )
    window.show_step("home")
    home = window.findChild(Dashboard)
    assert home is not None
    now, later = home.sources_texts
    assert "由 115 年的現金收支登記簿（206 筆收支）自動計算" in now
    assert "明年（117 年度）申請書的「決算及運用情形」與「教育訓練經費表」" in later and "目前 0 筆收支" in later
