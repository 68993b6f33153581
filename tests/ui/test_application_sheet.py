"""Creating a union and filling the application sheet, with a typo caught and corrected as it is typed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import type_chinese


def test_first_start_offers_to_create_the_union_or_open_the_sample(window) -> None:
    texts = window.dashboard.texts()
    assert "歡迎使用工會福利專款助手" in texts
    assert any("1 月 31 日" in t for t in texts)
    buttons = [b.text() for b in window.dashboard.body.findChildren(type(window.roll_button))]
    assert "建立本工會的資料" in buttons
    assert "先看看範例工會（指引的填寫範例）" in buttons
    assert any("116年1月31日" in t for t in texts) or any("115年1月31日" in t for t in texts)


def test_tax_id_typo_is_marked_live_and_cleared_when_corrected(window, qtbot) -> None:
    window.create_union(115)
    editor = window.page("application")
    assert window.stack.currentWidget() is editor
    type_chinese(editor.inputs["union_name"].line, "基隆港碼頭職業工會")
    tax_id = editor.inputs["tax_id"].line
    tax_id.setFocus()
    qtbot.keyClicks(tax_id, "12345678")

    line = editor.lines["tax_id"]
    assert line.text() == "統一編號：檢查碼不符（12345678）"
    assert line.property("mark") == "error"
    assert tax_id.property("mark") == "error"
    window.checker.run_now()
    assert "統一編號：檢查碼不符（12345678）" in window.findings.messages()
    assert "有錯誤" in window.navigator.state_text("application")

    tax_id.selectAll()
    qtbot.keyClicks(tax_id, "12345675")
    assert tax_id.property("mark") == ""
    assert line.text() == editor.spec.field("tax_id").hint  # the guide's hint is back, no message
    window.checker.run_now()
    assert not any("統一編號" in m for m in window.findings.messages())
    assert window.document.value(115, "application", "tax_id") == "12345675"
    assert window.document.value(115, "application", "union_name") == "基隆港碼頭職業工會"


def test_invalid_text_is_kept_and_full_width_digits_are_normalised_on_leaving(window, qtbot) -> None:
    window.create_union(115)
    editor = window.page("application")
    phone = editor.inputs["phone"].line
    phone.setFocus()
    qtbot.keyClicks(phone, "0425670000")
    assert window.document.value(115, "application", "phone") == "0425670000"  # kept although invalid
    assert editor.lines["phone"].text().startswith("電話：須加區域碼及「-」")

    count = editor.inputs["member_count"].line
    type_chinese(count, "３８５")
    editor._finished("member_count")
    assert window.document.value(115, "application", "member_count") == "385"


BLANKS = "尚未填寫 14 個必填欄位：工會名稱、統一編號、成立日期"


def test_finding_click_jumps_to_the_field(window, qtbot) -> None:
    window.create_union(115)
    window.show_step("home")
    window.checker.run_now()
    target = next(
        window.findings.topLevelItem(i).child(j)
        for i in range(window.findings.topLevelItemCount())
        for j in range(window.findings.topLevelItem(i).childCount())
        if window.findings.topLevelItem(i).child(j).text(0).startswith(BLANKS)
    )
    window.findings.itemClicked.emit(target, 0)
    editor = window.page("application")
    assert window.stack.currentWidget() is editor
    assert QApplication.focusWidget() is editor.inputs["union_name"].line
    assert editor.lines["tax_id"].text() == "必填。" + editor.spec.field("tax_id").hint
    assert editor.inputs["tax_id"].line.property("mark") == "missing"


def test_date_calendar_shows_roc_years(window) -> None:
    window.create_union(115)
    editor = window.page("application")
    founded = editor.inputs["founded"]
    founded.line.setText("0670127")
    popup = founded.open_calendar()
    assert popup.header_text() == "民國 67 年 1 月"
    popup.calendar.clicked.emit(popup.calendar.selectedDate().addDays(1))
    assert window.document.value(115, "application", "founded") == "0670128"
    popup.hide()


def test_edits_are_saved_to_the_store(window, qtbot, tmp_path) -> None:
    from treasurer_app import store

    window.create_union(115)
    editor = window.page("application")
    type_chinese(editor.inputs["contact"].line, "洪小姐")
    qtbot.waitUntil(lambda: window.save_label.text() == "已儲存", timeout=3000)
    assert window.windowTitle().endswith("已儲存")
    saved = store.Store.open(window.document.persistence.location, read_only=True)
    try:
        assert saved.load().years[115].forms["application"]["contact"] == "洪小姐"
    finally:
        saved.close()


def test_undo_and_redo_with_the_keyboard(window, qtbot) -> None:
    window.create_union(115)
    editor = window.page("application")
    name = editor.inputs["union_name"].line
    type_chinese(name, "高雄港職業工會")
    qtbot.keyClicks(editor.inputs["tax_id"].line, "04595257")
    tax_line = editor.inputs["tax_id"].line
    tax_line.setFocus()
    qtbot.keyClick(tax_line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.value(115, "application", "tax_id") == ""
    assert tax_line.text() == ""
    assert name.text() == "高雄港職業工會"
    qtbot.keyClick(tax_line, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.document.value(115, "application", "tax_id") == "04595257"
    assert tax_line.text() == "04,595,257" or tax_line.text() == "04595257"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert name.text() == ""
    window.redo_action.trigger()
    assert name.text() == "高雄港職業工會"


class ShownWindows(QObject):
    """Every widget shown as a window of its own, however briefly."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            self.shown.append(f"{type(watched).__name__}#{watched.objectName()}")
        return False


def test_no_card_of_the_dashboard_pops_up_as_a_window_of_its_own(window, qtbot) -> None:
    watcher = ShownWindows()
    QApplication.instance().installEventFilter(watcher)
    try:
        window.create_union(115)  # the dashboard is rebuilt twice in a row, the second time before it is painted
        qtbot.wait(100)
    finally:
        QApplication.instance().removeEventFilter(watcher)
    assert watcher.shown == []


def test_no_page_shows_a_widget_as_a_window_of_its_own(window, qtbot) -> None:
    from treasurer_app.ui.services import load_sample
    from treasurer_app.ui.step_names import STEPS

    watcher = ShownWindows()
    QApplication.instance().installEventFilter(watcher)
    try:
        window.load_project(load_sample())
        for step in STEPS:
            window.show_step(step.id)
            qtbot.wait(20)
        window.checker.run_now()
        qtbot.wait(50)
    finally:
        QApplication.instance().removeEventFilter(watcher)
    assert watcher.shown == []
