"""What a first-time user ran into under a real display (issue 6), each fixed and kept fixed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from treasurer_app.export.package import PERSONAL_DATA_NOTE
from treasurer_app.ui.panels import NOTHING_CHECKED
from treasurer_app.ui.services import load_sample
from treasurer_app.ui.step_names import HOME

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
