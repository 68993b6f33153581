"""The findings panel: long messages wrap within its width; groups the user closed stay closed."""

from __future__ import annotations

from treasurer_app.findings import FIELD_INVALID, error
from treasurer_app.ui.findings_panel import FindingsPanel

SHORT = error("application", FIELD_INVALID, "統一編號：檢查碼不符（12345678）", "tax_id")
LONG = error(
    "roster",
    "roster.count",
    "會員人數：須等於會員名冊人數（工會基本資料填了 300 人，會員名冊有 385 人），"
    "請更正其中之一；人數用於計算分配款，填錯會影響申請",
    "member_count",
)


def child_rect(panel: FindingsPanel, message: str):
    for i in range(panel.topLevelItemCount()):
        top = panel.topLevelItem(i)
        for j in range(top.childCount()):
            if top.child(j).text(0) == message:
                return panel.visualItemRect(top.child(j))
    raise AssertionError(message)


def test_a_long_finding_wraps_to_the_panels_width(themed_app, qtbot) -> None:
    panel = FindingsPanel()
    qtbot.addWidget(panel)
    panel.resize(320, 500)
    panel.show()
    panel.show_findings([SHORT, LONG])
    qtbot.wait(20)
    short, long = child_rect(panel, SHORT.message), child_rect(panel, LONG.message)
    assert long.height() >= 3 * short.height() * 0.8  # three lines or more at 320 px
    assert long.right() <= panel.viewport().width()
    assert panel.horizontalScrollBar().maximum() == 0
    panel.resize(900, 500)  # wider: fewer lines
    qtbot.waitUntil(lambda: child_rect(panel, LONG.message).height() < long.height(), timeout=2000)


def test_a_group_the_user_closed_stays_closed_and_a_new_one_opens(themed_app, qtbot) -> None:
    panel = FindingsPanel()
    qtbot.addWidget(panel)
    panel.show_findings([SHORT])
    application = panel.topLevelItem(0)
    assert application.isExpanded()
    application.setExpanded(False)  # the user closes it
    panel.show_findings([SHORT, LONG])
    groups = {panel.topLevelItem(i).text(0).split("（")[0]: panel.topLevelItem(i) for i in range(2)}
    assert not groups["工會基本資料"].isExpanded()
    assert groups["會員名冊"].isExpanded()
