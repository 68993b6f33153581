"""The bundled font, the Taiwan locale and one style sheet for the whole app."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from treasurer_app.resources import resources_dir

ERROR_COLOR = QColor("#c62828")
WARNING_COLOR = QColor("#b26a00")
DONE_COLOR = QColor("#2e7d32")
IDLE_COLOR = QColor("#9e9e9e")
NAVIGATOR_STATE = QColor("#b0bec5")  # a step's state beside its name, on the navigator's dark ground
NAVIGATOR_STATE_SELECTED = QColor("#ffffff")
ERROR_CELL = QColor("#fde7e7")
WARNING_CELL = QColor("#fff2dc")
READ_ONLY_CELL = QColor("#f1f3f4")
UNSAVED_CELL = QColor("#e8dcf5")  # an edit not yet in the file (disk full…): violet, unlike any finding
POINT_SIZE = 10

STYLE_SHEET = """
QWidget#page { background: #fbfbfa; }
QLabel#pageTitle { font-size: 15pt; font-weight: bold; color: #1f2d3d; padding-bottom: 4px; }
QLabel#pageHint { color: #555; padding-bottom: 6px; }
QLabel#sectionTitle { font-size: 12pt; font-weight: bold; color: #1f2d3d; padding-top: 10px; }
QLabel#fieldLabel { color: #222; padding-top: 5px; }
QLabel#columnHeader { font-weight: bold; color: #333; background: #eceff1; padding: 4px; }
QLabel#rowLabel { color: #222; }
QLabel#slash { color: #999; }
QLabel#figure { background: #eef1f3; border: 1px solid #cfd6db; border-radius: 3px; padding: 4px 6px; min-width: 90px; }
QLabel#message { font-size: 9pt; padding: 0 2px 4px 2px; }
QLabel#message[mark="error"] { color: #c62828; }
QLabel#message[mark="warning"] { color: #b26a00; }
QLabel#message[mark="missing"] { color: #8a6d00; }
QLabel#message[mark="hint"] { color: #777; }
QLabel#message[mark="source"] { color: #1565c0; }
QLabel#message[mark="unsaved"], QLabel#saveState[mark="unsaved"] { color: #6a1b9a; font-weight: bold; }
QLineEdit, QPlainTextEdit, QComboBox { border: 1px solid #b9c0c6; border-radius: 3px; padding: 3px; background: white; }
QLineEdit:focus, QPlainTextEdit:focus { border: 1px solid #1976d2; }
QComboBox QAbstractItemView { background: white; selection-background-color: #1976d2; selection-color: white; }
QComboBox QAbstractItemView::item { padding: 4px 6px; }
QLineEdit:read-only { background: #eef1f3; color: #333; }
QLineEdit[mark="error"], QPlainTextEdit[mark="error"], QComboBox[mark="error"], QFrame#multiChoice[mark="error"],
QLabel#figure[mark="error"] { border: 2px solid #d32f2f; background: #fff6f6; }
QLineEdit[mark="warning"], QPlainTextEdit[mark="warning"], QComboBox[mark="warning"],
QFrame#multiChoice[mark="warning"], QLabel#figure[mark="warning"] { border: 2px solid #ef8f00; }
QLineEdit[mark="missing"], QPlainTextEdit[mark="missing"], QComboBox[mark="missing"],
QFrame#multiChoice[mark="missing"] { border: 1px solid #d9a441; }
QLineEdit[mark="unsaved"], QPlainTextEdit[mark="unsaved"], QComboBox[mark="unsaved"],
QFrame#multiChoice[mark="unsaved"] { border: 2px dashed #6a1b9a; background: #f7f1fc; }
QPushButton#retrySave { color: #6a1b9a; font-weight: bold; padding: 2px 10px; }
QLineEdit[flash="true"], QPlainTextEdit[flash="true"], QComboBox[flash="true"],
QLabel[flash="true"] { background: #fff3b0; }
QListWidget#navigator { background: #263238; color: #eceff1; border: none; font-size: 11pt; outline: 0; }
QListWidget#navigator::item { padding: 3px 8px; border-bottom: 1px solid #37474f; }
QListWidget#navigator::item:hover { background: #37474f; }
QListWidget#navigator::item:selected, QListWidget#navigator::item:selected:active,
QListWidget#navigator::item:selected:!active { background: #1976d2; color: white; }
QGroupBox { font-weight: bold; border: 1px solid #d0d7dc; border-radius: 4px; margin-top: 12px; padding: 8px; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }
QPushButton#primary { background: #1976d2; color: white; border-radius: 4px; padding: 8px 16px; font-weight: bold; }
QPushButton#primary:disabled { background: #90a4ae; }
QFrame#card { background: white; border: 1px solid #dde3e7; border-radius: 6px; }
"""


def font_file() -> Path | None:
    """The bundled font (what ``treasurer_app.fonts.font_path()`` names). Found without importing
    that module: it loads reportlab, which the window does not need."""
    bundled = sorted((resources_dir() / "fonts").glob("*.tt[fc]"), key=lambda p: ("Regular" not in p.name, p.name))
    return bundled[0] if bundled else None


def install_font(app: QApplication) -> str | None:
    """Load the bundled Noto Sans TC and make it the app's font (the PCs may have no CJK font)."""
    path = font_file()
    family = None
    if path is not None:
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = families[0] if families else None
    font = QFont(family) if family else QFont()
    font.setPointSize(POINT_SIZE)
    app.setFont(font)
    return family


def install_translations(app: QApplication) -> bool:
    """Qt's own texts (確定／取消, 是／否, the file dialog) in Traditional Chinese, from the bundled
    qtbase_zh_TW.qm. Not needed for the first frame, which has none of them."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_zh_TW", folder):
        return False
    return app.installTranslator(translator)


def with_fusion_style(argv: list[str]) -> list[str]:
    """Arguments for a new QApplication that create the Fusion style as its first and only style
    (``app.setStyle`` afterwards builds a second one, ≈ 8 ms of the first paint)."""
    if "-style" in argv:
        return list(argv)
    return [argv[0] if argv else "treasurer-app", "-style", "fusion", *argv[1:]]


def apply_theme(app: QApplication, set_style: bool = True) -> str | None:
    """Locale, bundled font and style sheet; the Fusion style unless the app was created with it."""
    QLocale.setDefault(QLocale("zh_TW"))  # by name: QLocale's Language and Country enums are slow to build
    family = install_font(app)
    if set_style:
        app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
    return family
