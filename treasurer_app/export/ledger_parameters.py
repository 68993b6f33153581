"""The cash ledger workbook's parameter table (參數表): the guide's codes, and the cells its 摘要(一) drop-down
reads."""

from __future__ import annotations

from treasurer_app.export.grid import Grid, ListSource, Style
from treasurer_app.export.row_heights import TITLE_ROW_HEIGHT
from treasurer_app.ledger.codes import ACCOUNTS, CATEGORIES, PARAMETER_TABLE
from treasurer_app.ledger.sheet import COLUMN_LABELS, LEDGER_TITLE

PARAMETER_SHEET_NAME = "參數表"  # the guide: 「請參照表單內參數表選填」
_PARAMETER_FIRST_ROW = 3  # the parameter table's first code, below its title and two header rows
_PARAMETER_COLUMNS = ("kind", "item", "code", "summary_one")  # then one column per 動支類別 and 動支帳戶
# The cells listing every 摘要(一) text, one code a row: the source of the ledger's 摘要(一) drop-down.
PARAMETER_SUMMARIES = ListSource(
    PARAMETER_SHEET_NAME,
    _PARAMETER_COLUMNS.index("summary_one"),
    _PARAMETER_FIRST_ROW,
    _PARAMETER_FIRST_ROW + len(PARAMETER_TABLE) - 1,
)
ALLOWED_MARK = "◎"  # the guide's mark for an allowed 動支類別 / 動支帳戶


def parameter_sheet() -> Grid:
    """The parameter table the ledger's drop-downs read: each code's 字, 項目, 號 and 摘要(一), and ◎ under the 動支類別
    and 動支帳戶 it allows."""
    labels = COLUMN_LABELS
    widths: list[float] = [5, 20, 7, 44, *([9] * len(CATEGORIES)), *([10] * len(ACCOUNTS))]
    grid = Grid(PARAMETER_SHEET_NAME, f"{LEDGER_TITLE} {PARAMETER_SHEET_NAME}", widths, landscape=True)
    grid.add(0, 0, f"{LEDGER_TITLE} {PARAMETER_SHEET_NAME}", Style.TITLE, colspan=len(widths))
    grid.row_heights[0] = TITLE_ROW_HEIGHT
    first_category = 4
    first_account = first_category + len(CATEGORIES)
    for col, key in enumerate(_PARAMETER_COLUMNS):
        grid.add(1, col, labels[key], Style.HEADER, rowspan=2)
    grid.add(1, first_category, labels["category"], Style.HEADER, colspan=len(CATEGORIES))
    grid.add(1, first_account, labels["account"], Style.HEADER, colspan=len(ACCOUNTS))
    for col, name in enumerate((*CATEGORIES, *ACCOUNTS), start=first_category):
        grid.add(2, col, name, Style.HEADER)
    grid.header_rows = (1, 2)
    for row, code in enumerate(PARAMETER_TABLE, start=_PARAMETER_FIRST_ROW):
        for col, value in enumerate((code.kind, code.item, code.code, code.summary)):
            grid.add(row, col, value, Style.CENTER if col != 3 else Style.LABEL)
        for col, category in enumerate(CATEGORIES, start=first_category):
            grid.add(row, col, ALLOWED_MARK if category in code.categories else None, Style.CENTER)
        for col, account in enumerate(ACCOUNTS, start=first_account):
            grid.add(row, col, ALLOWED_MARK if account in code.accounts else None, Style.CENTER)
    return grid
