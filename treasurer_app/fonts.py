"""The bundled Traditional Chinese font, for reportlab PDFs and for Qt (no Qt here).

The font is Noto Sans CJK TC converted to TrueType outlines and renamed
"Noto Sans TC TT" (see resources/fonts/README.md); reportlab cannot read the CFF
original. Qt loads the files from `bundled_font_files()` with
`QFontDatabase.addApplicationFont` and asks for `FONT_FAMILY`.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from treasurer_app.resources import resources_dir

FONT_FAMILY = "Noto Sans TC TT"
REPORTLAB_FONT = "NotoSansTCTT"
REPORTLAB_BOLD_FONT = "NotoSansTCTT-Bold"

REGULAR_FILE = "NotoSansTC-Regular.ttf"
BOLD_FILE = "NotoSansTC-Bold.ttf"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def font_path(bold: bool = False) -> Path:
    """The bundled font file.

    Only a Regular face ships today (a Bold face would double the installer's
    font weight), so `bold=True` gives the Bold file when present and otherwise
    the Regular one; Qt then emboldens it itself.
    """
    regular = fonts_dir() / REGULAR_FILE
    bold_file = fonts_dir() / BOLD_FILE
    if bold and bold_file.is_file():
        return bold_file
    if not regular.is_file():
        raise FileNotFoundError(f"內建字型：找不到字型檔（{regular}）")
    return regular


def bundled_font_files() -> list[Path]:
    """Every bundled face, Regular first: what Qt should load."""
    regular = font_path()
    bold = font_path(bold=True)
    return [regular] if bold == regular else [regular, bold]


def register_reportlab_fonts() -> str:
    """Register the bundled font with reportlab once and return the name for `setFont`.

    The family is mapped so `<b>` in a Paragraph resolves to the Bold face, or to
    the Regular face when no Bold face is bundled, instead of raising.
    """
    if REPORTLAB_FONT in pdfmetrics.getRegisteredFontNames():
        return REPORTLAB_FONT
    regular_path = font_path()
    bold_path = font_path(bold=True)
    bold_name = REPORTLAB_FONT
    if bold_path != regular_path:
        pdfmetrics.registerFont(TTFont(REPORTLAB_BOLD_FONT, str(bold_path)))
        bold_name = REPORTLAB_BOLD_FONT
    pdfmetrics.registerFont(TTFont(REPORTLAB_FONT, str(regular_path)))
    pdfmetrics.registerFontFamily(
        REPORTLAB_FONT, normal=REPORTLAB_FONT, bold=bold_name, italic=REPORTLAB_FONT, boldItalic=bold_name
    )
    return REPORTLAB_FONT
