"""說明 → 關於 and the window icon."""

from __future__ import annotations

from treasurer_app import about
from treasurer_app.ui.about_dialog import AboutDialog


def test_about_box_shows_the_version_and_each_component_with_its_licence_text(window, qtbot) -> None:
    action = next(a for menu in window.menuBar().actions() if menu.text() == "說明" for a in menu.menu().actions())
    assert action.text() == "關於"
    dialog = AboutDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.title.text().endswith(f"版本 {about.app_version()}")
    names = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert names[0].startswith("Noto Sans TC") and names[0].endswith("（OFL-1.1）")
    assert any(n.startswith("PySide6 / Qt ") and n.endswith("（LGPL-3.0-only）") for n in names)
    assert "SIL OPEN FONT LICENSE" in dialog.text.toPlainText().upper()  # the font's licence, in full
    pyside = next(i for i, n in enumerate(names) if n.startswith("PySide6"))
    dialog.list.setCurrentRow(pyside)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.text.toPlainText()


def test_the_app_has_its_icon() -> None:
    from treasurer_app.ui.app import app_icon

    icon = app_icon()
    assert {(s.width(), s.height()) for s in icon.availableSizes()} >= {(16, 16), (32, 32), (256, 256)}
