"""A sheet's title row is tall enough for its title at the title's own size: sheet 5's two columns are
narrower than 「商港服務費福利專款 114年度教育訓練經費報告表」 at 16 points, so it wraps to a third line,
which LibreOffice and Excel cut (the union's name above and 表 below) when the row holds two."""

from __future__ import annotations

from pathlib import Path

from treasurer_app import interchange
from treasurer_app.export import layouts
from treasurer_app.export.excel_look import LOOKS
from treasurer_app.export.grid import Style
from treasurer_app.export.row_heights import LINE_HEIGHT
from treasurer_app.forms import FORMS

FIXTURE = Path(__file__).parent.parent / "fixtures" / "guide_example_corrected.json"


def test_a_title_that_wraps_at_its_own_size_gets_a_row_for_every_line() -> None:
    grids = dict(zip(FORMS, layouts.application_grids(interchange.load(FIXTURE), 115), strict=True))
    grid = grids["training_expenses"]
    title = next(cell for cell in grid.cells if cell.style is Style.TITLE)
    assert title.value.split("\n")[1] == "商港服務費福利專款 114年度教育訓練經費報告表"
    line = LINE_HEIGHT * LOOKS[Style.TITLE].points / LOOKS[Style.TEXT].points  # a 16-point line
    assert grid.row_heights[title.row] >= 3 * line  # union name, the title and its wrapped end


def test_titles_that_fit_keep_their_height() -> None:
    grids = dict(zip(FORMS, layouts.application_grids(interchange.load(FIXTURE), 115), strict=True))
    for form_id in ("roster", "final_accounts", "work_plan", "budget"):
        grid = grids[form_id]
        title = next(cell for cell in grid.cells if cell.style is Style.TITLE)
        assert grid.row_heights[title.row] == 2 * layouts.TITLE_ROW_HEIGHT, form_id
