"""港區 on sheet 1: picked from the eight ports, it names the cover letter's 受文者; left empty, a warning says so."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import type_chinese
from treasurer_app.export import pdf_package


def test_the_port_is_picked_on_sheet_one_and_addresses_the_letter(window, qtbot) -> None:
    window.create_union(115)
    editor = window.page("application")
    window.checker.run_now()
    assert any(m.startswith("港區：尚未選擇") for m in window.findings.messages())
    port = editor.inputs["port"]
    combo = port.combo
    assert [combo.itemText(i) for i in range(1, combo.count())] == [
        "基隆港", "蘇澳港", "臺中港", "高雄港", "花蓮港", "安平港", "臺北港", "布袋港",
    ]  # fmt: skip
    type_chinese(combo, "臺北港")  # an input method commits the port's name; the drop-down picks it
    assert window.document.value(115, "application", "port") == "臺北港"
    window.checker.run_now()
    assert not any(m.startswith("港區") for m in window.findings.messages())
    assert pdf_package.local_authority(window.document.project, 115) == "新北市政府"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the next port, as a keyboard user picks it
    assert window.document.value(115, "application", "port") == "布袋港"
    assert pdf_package.local_authority(window.document.project, 115) == "嘉義縣政府"
