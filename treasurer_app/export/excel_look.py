"""How each grid style looks in a workbook; shared by the .xls and .xlsx writers (the PDF writer has its own)."""

from __future__ import annotations

from dataclasses import dataclass

from treasurer_app.export.grid import Style

FONT_NAME = "新細明體"  # PMingLiU: the Traditional Chinese font every Windows PC in Taiwan has


@dataclass(frozen=True)
class Look:
    """How a style prints in a workbook."""

    points: int = 12
    bold: bool = False
    border: bool = True
    align: str = "left"  # left / center / right
    shaded: bool = False
    number_format: str | None = None  # Excel format code; "@" marks a text cell


LOOKS: dict[Style, Look] = {
    Style.TITLE: Look(points=16, bold=True, border=False, align="center"),
    Style.SUBTITLE: Look(points=13, bold=True, border=False, align="center"),
    Style.HEADER: Look(bold=True, align="center", shaded=True),
    Style.LABEL: Look(),
    # Text cells are formatted as text, so a date typed later as 0670127 keeps its leading zero.
    Style.TEXT: Look(number_format="@"),
    Style.CENTER: Look(align="center", number_format="@"),
    Style.MONEY: Look(align="right", number_format="#,##0"),
    Style.NUMBER: Look(align="right", number_format="0"),
    Style.SLASH: Look(align="center"),
    Style.NOTE: Look(points=10, border=False),
    Style.SIGNATURE: Look(),
}
