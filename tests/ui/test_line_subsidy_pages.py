"""The second programme in the window: its steps in the navigator, its pages, findings, home card and papers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import type_chinese
from tests.unit.test_line_subsidy import YEAR, repeat_project
from treasurer_app.line_subsidy import forms as line_forms

IN_MAY = date(2026, 5, 20)  # 115年5月: the month is running


@pytest.fixture
def may_window(themed_app: QApplication, qtbot, tmp_path: Path):
    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.main_window import MainWindow
    from treasurer_app.ui.services import open_persistence

    persistence = open_persistence(tmp_path / "data")
    document = ProjectDocument(persistence.load(), persistence)
    main = MainWindow(document, today=IN_MAY)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def may_project():
    project = repeat_project()
    book = project.years[YEAR]
    book.forms["application"]["tax_id"] = "12345675"
    book.forms[line_forms.APPROVAL.id]["claimed_on"] = ""
    book.line_rows[line_forms.MESSAGES.id] = [
        m for m in book.line_rows[line_forms.MESSAGES.id] if m["date"] < "1150500"
    ]
    book.line_rows[line_forms.MESSAGES.id].append(
        {"date": "1150504", "title": "勞動部：職場防疫", "kind": line_forms.MOL_ACCOUNT}
    )
    return project


def test_one_union_two_programmes_in_the_navigator(may_window) -> None:
    may_window.load_project(may_project())
    nav = may_window.navigator
    texts = [nav.item(i).text().split("\n")[0] for i in range(nav.count())]
    assert texts.index("勞動部 LINE 官方帳號補助") < texts.index("LINE 補助申請") < texts.index("LINE 補助文件")
    assert texts.index("商港服務費福利專款") < texts.index("工會基本資料")
    may_window.show_step("line_application")
    assert may_window.current_step() == "line_application"


def test_typing_in_the_line_application_is_checked_live_and_saved(may_window, qtbot) -> None:
    may_window.load_project(may_project())
    may_window.show_step("line_application")
    editor = may_window.page("line_application")
    assert may_window.stack.currentWidget() is editor
    name = editor.inputs["display_name"].line
    name.selectAll()
    type_chinese(name, "港區好朋友")
    editor._finished("display_name")
    may_window.checker.run_now()
    assert any("LINE官方帳號顯示名稱：「港區好朋友」應有工會之全稱或簡稱" in m for m in may_window.findings.messages())
    assert "有錯誤" in may_window.navigator.state_text("line_application")
    friends = editor.inputs["target_friends"].line
    friends.selectAll()
    qtbot.keyClicks(friends, "1500")
    editor._finished("target_friends")
    may_window.checker.run_now()
    assert any("群組目標好友人數：1,500 人，非初次申請須達 2,000 人以上" in m for m in may_window.findings.messages())
    assert may_window.document.value(YEAR, "line_application", "target_friends") == "1500"


def test_the_messages_table_takes_a_new_row(may_window, qtbot) -> None:
    may_window.load_project(may_project())
    may_window.show_step("line_messages")
    page = may_window.page("line_messages")
    rows_before = len(may_window.document.rows(YEAR, "line_messages"))
    may_window.document.set_cell(YEAR, "line_messages", rows_before, "date", "1150512")
    assert len(may_window.document.rows(YEAR, "line_messages")) == rows_before + 1
    assert page.model.rowCount() == rows_before + 2  # and the empty row to type into
    assert page.count_label.text() == f"共 {rows_before + 1} 則"


def test_the_home_page_warns_of_a_short_month_before_it_ends(may_window) -> None:
    may_window.load_project(may_project())
    may_window.show_step("home")
    texts = may_window.dashboard.texts()
    assert "115年5月" in texts
    assert "轉發勞動部訊息：目前 1 則，月底前還須 2 則" in texts
    may_window.checker.run_now()
    assert any(m.startswith("115年5月：本月目前轉發本部訊息 1 則") for m in may_window.findings.messages())


def test_the_papers_page_writes_the_claim(may_window, tmp_path: Path) -> None:
    may_window.load_project(may_project())
    may_window.show_step("line_export")
    page = may_window.page("line_export")
    assert "申請本部補助：50,400 元（新臺幣伍萬零肆佰元整）" in page.claim_label.text()
    written = page.export("claim", tmp_path / "out")
    assert written[0].name == "115_12345675_line_claim_3_receipt.pdf"
    assert "已寫入 6 個檔案" in page.message.text()
    may_window.document.set_value(YEAR, "line_application", "has_group", "否")
    assert page.export("application", tmp_path / "again") == []
    assert "尚未匯出" in page.message.text() and "補助資格" in page.message.text()


def test_a_full_disk_is_said_in_chinese_and_the_folder_keeps_what_it_had(
    may_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.unit.test_line_documents import refusing_the_fourth_file

    may_window.load_project(may_project())
    may_window.show_step("line_export")
    page = may_window.page("line_export")
    out = tmp_path / "out"
    out.mkdir()
    refusing_the_fourth_file(monkeypatch)
    assert page.export("claim", out) == []
    message = page.message.text()
    assert message.startswith("匯出失敗：磁碟空間不足（") and message.endswith("沒有留下任何新檔案，原有的檔案沒有變動")
    assert "No space" not in message and not page.open_folder.isVisibleTo(page)
    assert list(out.iterdir()) == []
    new = tmp_path / "new" / "out"  # a folder made for the papers is not left behind either
    refusing_the_fourth_file(monkeypatch)
    assert page.export("claim", new) == []
    assert page.message.text().endswith(f"；{new} 原本不存在，沒有建立，也沒有留下任何檔案")
    assert not (tmp_path / "new").exists()


def test_in_september_the_home_page_names_next_years_application_window(themed_app, qtbot, tmp_path: Path) -> None:
    from treasurer_app.project import Project
    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.main_window import MainWindow
    from treasurer_app.ui.services import open_persistence

    persistence = open_persistence(tmp_path / "data")
    main = MainWindow(ProjectDocument(persistence.load(), persistence), today=date(2025, 9, 10))
    qtbot.addWidget(main)
    main.show()
    project = Project()
    project.add_year(114)
    main.load_project(project)
    main.show_step("home")
    texts = main.dashboard.texts()
    assert "115 年度補助的申請期間（請先以「開始新年度…」建立該年度）" in texts
    assert "還有 51 天" in texts  # to 31 October


def test_money_in_a_table_is_grouped_and_right_aligned_as_in_the_forms(may_window) -> None:
    from PySide6.QtCore import Qt

    may_window.load_project(may_project())
    may_window.show_step(line_forms.FEES.id)
    model = may_window.page(line_forms.FEES.id).model
    column = next(i for i, f in enumerate(model.columns) if f.key == "amount")
    fee = model.index(0, column)
    assert model.data(fee, Qt.ItemDataRole.DisplayRole) == "4,200"
    assert model.data(fee, Qt.ItemDataRole.EditRole) == "4200"  # typing starts from the plain digits
    assert model.data(fee, Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    month = model.index(0, 0)
    assert model.data(month, Qt.ItemDataRole.DisplayRole) == "11412"  # a month is not a sum of money


def test_a_choice_column_shows_its_longest_option_in_full(may_window) -> None:
    may_window.load_project(may_project())
    may_window.show_step(line_forms.MESSAGES.id)
    page = may_window.page(line_forms.MESSAGES.id)
    column = next(i for i, f in enumerate(page.model.columns) if f.key == "kind")
    metrics = page.table.fontMetrics()
    longest = max(metrics.horizontalAdvance(option) for option in line_forms.MESSAGE_KINDS)
    assert page.table.columnWidth(column) >= longest + 12  # the text and the cell's margins


def test_a_blank_folder_is_asked_for_not_taken_as_the_programs_own(
    may_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started_in = tmp_path / "started_in"
    started_in.mkdir()
    monkeypatch.chdir(started_in)
    may_window.load_project(may_project())
    may_window.show_step("line_export")
    page = may_window.page("line_export")
    page.folder_line.setText("   ")
    page.stage_buttons["claim"].click()
    assert page.message.text() == "資料夾：尚未填寫，請按「選擇…」選一個資料夾"
    assert list(started_in.iterdir()) == []
