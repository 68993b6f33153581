"""How each grid style looks in a workbook; shared by the .xls and .xlsx writers (the PDF writer has its own)."""

from __future__ import annotations

from dataclasses import dataclass

from treasurer_app.export.grid import InputFill, Style

FONT_NAME = "新細明體"  # PMingLiU: the Traditional Chinese font every Windows PC in Taiwan has
HEADER_GREY = (0xC0, 0xC0, 0xC0)  # table headers
# Input cells of the application workbook (僅填寫表單紅色區域部分): a light red that black text stays legible on.
INPUT_RED = (0xFF, 0xB3, 0xB3)
INPUT_WHITE = (0xFF, 0xFF, 0xFF)  # input cells of the ledger (僅填寫表單白色區域部分)
# Where input cells are white, the locked table cells are this light grey, so they are visibly not for input.
LOCKED_GREY = (0xD9, 0xD9, 0xD9)


@dataclass(frozen=True)
class Look:
    """How a style prints in a workbook."""

    points: int = 12
    bold: bool = False
    border: bool = True
    align: str = "left"  # left / center / right
    shaded: bool = False
    number_format: str | None = None  # Excel format code; "@" marks a text cell


def cell_fill(look: Look, locked: bool, input_fill: InputFill) -> tuple[int, int, int] | None:
    """The solid fill of a cell as (red, green, blue), or None for no fill."""
    if not locked and input_fill is InputFill.RED:
        return INPUT_RED
    if not locked and input_fill is InputFill.WHITE:
        return INPUT_WHITE
    if look.shaded:
        return HEADER_GREY
    if locked and input_fill is InputFill.WHITE and look.border:
        return LOCKED_GREY
    return None


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
