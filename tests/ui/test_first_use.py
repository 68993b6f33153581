"""What a first-time user ran into under a real display (issue 6), each fixed and kept fixed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from tests.pdf_samples import one_page_pdf
from treasurer_app.export.package import PERSONAL_DATA_NOTE
from treasurer_app.ui.findings_panel import NOTHING_CHECKED
from treasurer_app.ui.ledger_model import COLUMNS
from treasurer_app.ui.services import load_sample
from treasurer_app.ui.step_names import HOME

MINIMAL_PDF = one_page_pdf()


def test_qt_dialog_buttons_speak_chinese(themed_app) -> None:
    from treasurer_app.ui.theme import install_translations

    assert install_translations(themed_app)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_before_any_union_the_findings_panel_says_what_it_is_for(window) -> None:
    window.checker.run_now()
    assert window.findings.topLevelItem(0).text(0) == NOTHING_CHECKED  # not a green "no errors"
    home = window.navigator.item_for(HOME)
    assert window.navigator.currentItem() is home and home.isSelected()


def test_the_pdf_picker_opens_beside_the_pdf_already_chosen(window, tmp_path: Path) -> None:
    window.load_project(load_sample())
    window.show_step("export")
    page = window.page("export")
    minutes = tmp_path / "union papers" / "minutes.pdf"
    minutes.parent.mkdir()
    minutes.write_bytes(MINIMAL_PDF)
    page.pick_attachment("meeting", str(minutes))
    assert page.attachment_folder("method") == str(minutes.parent)
    assert window.undo_action.text() == "復原 修改「會員大會或理監事會議紀錄」"  # its name, not "meeting"


def test_the_export_says_it_holds_personal_data_before_writing(window) -> None:
    window.load_project(load_sample())
    window.show_step("export")
    page = window.page("export")
    assert page.personal_note.isVisibleTo(page) and page.personal_note.text() == PERSONAL_DATA_NOTE


def test_backup_now_from_the_menu_and_restore_it(window, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    window.load_project(load_sample())
    window.fill_backup_menu()
    assert window.backup_menu.actions()[0].text() == "立即備份"
    before = len(window.document.persistence.backups())
    assert window.backups.backup_now()
    backups = window.document.persistence.backups()
    assert len(backups) == before + 1
    window.document.set_value(115, "application", "contact", "王先生")
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    newest = max(backups, key=lambda b: str(b.handle))
    window.backups.restore_backup(newest)
    assert window.document.value(115, "application", "contact") != "王先生"


def test_undo_names_the_ledger_column(window) -> None:
    window.create_union(115)
    window.show_step("ledger")
    page = window.page("ledger")
    day = COLUMNS.index("day")
    page.model.setData(page.model.index(0, day), "5")
    assert window.undo_action.text() == "復原 新增分錄 1 列"
    page.model.setData(page.model.index(0, day), "6")
    assert window.undo_action.text() == "復原 修改第 1 列「日」"
    window.checker.run_now()  # the totals and the count follow the (debounced) check
    assert page.count_label.text() == "顯示 1 筆／共 1 筆"  # an entry still being typed is counted as shown
