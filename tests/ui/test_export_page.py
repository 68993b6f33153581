"""Exporting the sample union's package from the 匯出與列印 page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QScrollArea

from tests.pdf_samples import one_page_pdf
from treasurer_app.ui.services import load_sample

MINIMAL_PDF = one_page_pdf()


def test_export_is_blocked_until_attachments_are_chosen_then_writes_the_named_files(window, tmp_path: Path) -> None:
    window.load_project(load_sample())
    window.show_step("export")
    page = window.page("export")
    window.checker.run_now()
    assert page.summary.text() == "還有 2 個錯誤，更正後才能匯出申請檔："
    assert "會員大會或理監事會議紀錄：尚未選擇 PDF 檔" in page.errors_label.text()
    assert "有錯誤" in window.navigator.state_text("export")

    for kind in ("meeting", "method"):
        pdf = tmp_path / f"{kind}.pdf"
        pdf.write_bytes(MINIMAL_PDF)
        page.pick_attachment(kind, str(pdf))
    window.checker.run_now()
    assert page.summary.text() == "沒有錯誤或警告，可以匯出。"
    assert page.attachment_lines["meeting"].text().endswith("meeting.pdf")

    out = tmp_path / "out"
    page.folder_line.setText(str(out))
    page.pdf_box.setChecked(False)
    assert page.export_application()
    written = sorted(p.name for p in out.iterdir())
    assert "115_12345675_application.xls" in written
    assert "115_12345675_metting.pdf" in written
    assert "115_12345675_method.pdf" in written
    assert page.result.text().startswith(f"已匯出到 {out}")
    assert page.progress.value() == page.progress.maximum()
    assert page.open_folder_button.isEnabled()


def test_quarterly_ledger_export_refuses_without_a_ledger(window, tmp_path: Path) -> None:
    project = load_sample()
    project.years[115].ledger = None  # the sample's ledger has its 上年度結存: this year has none at all
    window.load_project(project)
    window.show_step("export")
    page = window.page("export")
    page.folder_line.setText(str(tmp_path / "out"))
    assert not page.export_ledger()
    assert "現金收支登記簿：沒有 115 年度的資料" in page.ledger_result.text()


def test_year_rollover_starts_the_next_year_from_this_one(window) -> None:
    window.load_project(load_sample())
    assert window.roll_over() == 116
    project = window.document.project
    assert window.year == 116
    assert project.union_name(116) == "00職業工會"
    assert len(project.years[116].roster) == 385
    assert window.year_box.currentText() == "116 年度"
    window.undo_action.trigger()
    assert 116 not in project.years
    assert window.year == 115


def test_the_window_finds_what_check_project_finds(window) -> None:
    from treasurer_app.ledger.entries import LedgerBook
    from treasurer_app.rules import check_project

    project = load_sample()
    project.years[115].ledger = LedgerBook({"opening_acct1": "1000"}, [
        {"month": "1", "day": "3", "kind": "支", "code": "1-1", "voucher": "P1", "amount": "5000",
         "category": "分配款", "account": "專戶存款1"},
    ])  # fmt: skip
    window.load_project(project)
    window.checker.run_now()
    expected = [f for f in check_project(window.document.project, 115)]
    assert [f for f in window.checker.findings if f.rule.startswith("export.") is False] == expected
    assert any(f.form == "ledger" for f in expected)  # the account goes negative
    window.document.set_value(115, "application", "contact", "")  # a form edit re-uses the ledger findings
    window.checker.run_now()
    assert [f for f in window.checker.findings if not f.rule.startswith("export.")] == check_project(
        window.document.project, 115
    )


def test_dashboard_shows_the_education_ratio_history(window) -> None:
    window.load_project(load_sample())
    window.show_step("home")
    window.checker.run_now()
    texts = window.dashboard.texts()
    line = next(t for t in texts if t.startswith("114 年度：教育訓練 199,700 元／分配款 467,000 元＝42."))
    assert line.endswith("%　✓ 達標")


def test_a_blank_folder_is_asked_for_not_taken_as_the_programs_own(window, tmp_path: Path, monkeypatch) -> None:
    from treasurer_app.ui.export_page import NO_FOLDER

    started_in = tmp_path / "started_in"
    started_in.mkdir()
    monkeypatch.chdir(started_in)
    window.load_project(load_sample())
    window.show_step("export")
    page = window.page("export")
    for kind in ("meeting", "method"):
        pdf = tmp_path / f"{kind}.pdf"
        pdf.write_bytes(MINIMAL_PDF)
        page.pick_attachment(kind, str(pdf))
    window.checker.run_now()
    page.folder_line.setText("")
    assert not page.export_application()
    assert page.result.text() == NO_FOLDER
    assert not page.export_ledger()
    assert page.ledger_result.text() == NO_FOLDER
    assert list(started_in.iterdir()) == []


def test_an_empty_quarter_is_exported_and_the_page_says_so(window, tmp_path: Path) -> None:
    window.load_project(load_sample())  # its ledger has the opening balances and no entry yet
    window.show_step("export")
    page = window.page("export")
    page.folder_line.setText(str(tmp_path / "out"))
    page.quarter_box.setCurrentIndex(page.quarter_box.findData(1))
    assert page.export_ledger()
    text = page.ledger_result.text()
    assert text == (
        "已匯出：11503_12345675_accounting.xls\n"
        "注意：115 年第 1 季（1–3 月）沒有分錄，全年到 3 月也沒有：匯出的登記簿只有上年度結存。"
    )
    # The answer is seen whole: the page scrolled down to it (the ledger's card is the last, below the fold).
    scroll = page.findChild(QScrollArea)
    viewport = scroll.viewport()
    seen = QRect(page.ledger_result.mapTo(viewport, QPoint(0, 0)), page.ledger_result.size())
    assert viewport.rect().contains(seen), (seen, viewport.rect())
