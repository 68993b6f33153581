"""The navigator never scrolls sideways: a heading wider than the list goes onto a second line.

Under Wine (and Windows' own fonts) 勞動部 LINE 官方帳號補助 in bold is wider than the navigator less its
vertical scroll bar, which a 1366×768 screen always shows; the list then scrolled sideways, its scroll bar
over the last row and the heading cut. Here the list is made narrower than the heading instead."""

from __future__ import annotations

from PySide6.QtCore import Qt

from treasurer_app.ui.panels import ROLE_TARGET, Navigator
from treasurer_app.ui.step_names import PROGRAMME_HEADINGS


def test_a_heading_wider_than_the_navigator_wraps_instead_of_scrolling_sideways(themed_app, qtbot) -> None:
    navigator = Navigator()
    qtbot.addWidget(navigator)
    # As built for the first paint, before settle_headings (which needs the Qt namespace) is called.
    items = [navigator.item(i) for i in range(navigator.count())]
    heading = next(
        i for i in items if i.data(ROLE_TARGET) is None and i.text() == PROGRAMME_HEADINGS["line_application"]
    )
    one_line = navigator.visualItemRect(navigator.item(0)).height()
    navigator.setFixedSize(160, 300)  # narrower than the bold heading, too short for every row
    navigator.show()
    qtbot.waitExposed(navigator)
    assert navigator.verticalScrollBar().isVisible()
    assert not navigator.horizontalScrollBar().isVisible()
    assert navigator.visualItemRect(heading).height() > one_line  # on two lines, all of it in view
    assert navigator.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
