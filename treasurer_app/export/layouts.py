"""Printable grids of the seven application sheets and of the cash ledger, built from the form declarations.

Every label comes from ``treasurer_app.forms``; this module only decides where
things go. Input cells are unlocked and carry their field key (``"{row}:{column}"``
inside tables) so a workbook can be read back; computed figures are written as
values, never as formulas.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from treasurer_app.export.grid import Grid, Style, display_width
from treasurer_app.fields import Choice, Count, Field, Money, RocDate, RocYear
from treasurer_app.forms import FORMS, ledger
from treasurer_app.forms import application as app_form
from treasurer_app.forms import budget as budget_form
from treasurer_app.forms import final_accounts as fa
from treasurer_app.forms import roster as roster_form
from treasurer_app.forms import training_expenses as te
from treasurer_app.forms import training_report as tr
from treasurer_app.forms import work_plan as wp
from treasurer_app.forms.base import SIGNATURES, FormSpec, year_labels
from treasurer_app.project import Effective, LedgerBook, Project

# Marks for choices printed on paper (the official template uses check boxes and radio buttons).
CHECKED, UNCHECKED = "■", "□"
SELECTED, UNSELECTED = "●", "○"
CHECK_MARKS = (CHECKED, "☑", "✓", "✔", "☒")  # what counts as ticked when reading a workbook back

DEFAULT_ROW_HEIGHT = 18.0  # points
LINE_HEIGHT = 16.0
FILL_RATIO = 0.85  # a wrapped line holds a little less than the column width: fonts differ
TITLE_ROW_HEIGHT = 24.0

CellValue = str | int | float | None


# ---------------------------------------------------------------- the application workbook


def application_grids(project: Project, year: int) -> list[Grid]:
    """One printable grid per sheet of the application of ``year``, in the guide's order."""
    builders: tuple[Callable[[Project, int], Grid], ...] = (
        _application,
        _roster,
        _final_accounts,
        _training_report,
        _training_expenses,
        _work_plan,
        _budget,
    )
    grids = []
    for build in builders:
        grid = build(project, year)
        grid.signatures = SIGNATURES
        fit_row_heights(grid)
        grids.append(grid)
    return grids


def _new_grid(spec: FormSpec, project: Project, year: int, widths: list[float], landscape: bool = False) -> Grid:
    union_name = project.union_name(year)
    title = spec.title_for(year)
    grid = Grid(spec.sheet_name, f"{union_name} {title}", widths, landscape=landscape)
    last = len(widths) - 1
    grid.add(0, 0, union_name or None, Style.TITLE, colspan=last + 1)
    grid.add(1, 0, title, Style.TITLE, colspan=last + 1)
    grid.row_heights[0] = grid.row_heights[1] = TITLE_ROW_HEIGHT
    return grid


def _number_style(field: Field) -> Style | None:
    if isinstance(field.type, Money):
        return Style.MONEY
    if isinstance(field.type, Count):
        return Style.NUMBER
    return None


def input_value(field: Field, text: str | None) -> tuple[CellValue, Style]:
    """What an input cell prints for the stored text: numbers as numbers, everything else as text."""
    text = text or ""
    number_style = _number_style(field)
    if number_style is not None:
        if not text.strip():
            return None, number_style
        value = field.type.parse(text).value
        return (value if isinstance(value, int) else text), number_style
    style = Style.CENTER if isinstance(field.type, RocDate | RocYear | Choice) else Style.TEXT
    return (text or None), style


def _field_value(form: Effective, field: Field) -> tuple[CellValue, Style]:
    if field.key in form.supplied:
        return form.supplied[field.key], _number_style(field) or Style.NUMBER
    return input_value(field, form.values.get(field.key, ""))


def _put_field(grid: Grid, row: int, col: int, form: Effective, field: Field, **kw: object) -> None:
    value, style = _field_value(form, field)
    grid.add(row, col, value, style, locked=False, key=field.key, **kw)


def _put_derived(grid: Grid, row: int, col: int, form: Effective, key: str, style: Style = Style.MONEY,
                 **kw: object) -> None:
    grid.add(row, col, form.number(key), style, key=key, **kw)


# ---- sheet 1


def _application(project: Project, year: int) -> Grid:
    spec = FORMS["application"]
    form = project.effective(year, "application")
    years = year_labels(year)
    grid = _new_grid(spec, project, year, [34, 64])
    row = 2
    for col, header in enumerate(app_form.HEADERS):
        grid.add(row, col, header, Style.HEADER)
    for field in spec.fields:
        row += 1
        grid.add(row, 0, field.label_for(years), Style.LABEL)
        value, style = _field_value(form, field)
        grid.add(row, 1, value, Style.NUMBER if style is Style.NUMBER else Style.TEXT, locked=False, key=field.key)
    return grid


# ---- sheet 2


def _roster(project: Project, year: int) -> Grid:
    spec = FORMS["roster"]
    union_type = project.union_type(year)
    grid = _new_grid(spec, project, year, [6, 14, 6, 14, 11, 11, 26])
    grid.add(2, 0, roster_form.ROSTER_TITLES.get(union_type, ""), Style.SUBTITLE, colspan=7)
    header_row = 3
    grid.add(header_row, 0, roster_form.SEQUENCE_LABEL, Style.HEADER)
    for col, field in enumerate(spec.columns, start=1):
        label = roster_form.unit_label(union_type) if field.key == "unit" else field.label
        grid.add(header_row, col, label, Style.HEADER)
    grid.header_rows = (header_row, header_row)
    for i, member in enumerate(project.years[year].roster):
        row = header_row + 1 + i
        grid.add(row, 0, i + 1, Style.CENTER)
        for col, field in enumerate(spec.columns, start=1):
            value, style = input_value(field, member.get(field.key, ""))
            grid.add(row, col, value, style, locked=False, key=f"{i}:{field.key}")
    return grid


# ---- sheet 3


def interest_use_text(choice: str) -> str | None:
    """The A/B choice printed as two radio marks, the chosen one filled."""
    parsed = fa.INTEREST_USE.type.parse(choice)
    if parsed.problem is not None:
        return parsed.text
    return "\n".join(
        f"{SELECTED if option == parsed.value else UNSELECTED} {fa.INTEREST_USE_LABELS[option]}"
        for option in fa.INTEREST_USE_OPTIONS
    )


def parse_interest_use(text: str) -> str:
    """The stored choice ("A", "B") from a printed cell: marks, a bare letter or a label."""
    text = (text or "").strip()
    for option in fa.INTEREST_USE_OPTIONS:
        if re.search(rf"{SELECTED}\s*{re.escape(fa.INTEREST_USE_LABELS[option])}", text):
            return option
    if SELECTED in text or UNSELECTED in text:
        return ""
    letter = re.match(r"\s*([AaBb])(?:\s*[：:].*)?$", text, re.DOTALL)
    return letter.group(1).upper() if letter else text


def _final_accounts(project: Project, year: int) -> Grid:
    spec = FORMS["final_accounts"]
    form = project.effective(year, "final_accounts")
    years = year_labels(year)
    grid = _new_grid(spec, project, year, [46, 18, 16, 14])
    row = 2
    grid.add(row, 0, fa.REVENUE_TITLE.format(**years), Style.SUBTITLE, colspan=4)
    row += 1
    grid.add(row, 0, fa.REVENUE_HEADERS[0], Style.HEADER)
    grid.add(row, 1, fa.REVENUE_HEADERS[1], Style.HEADER)
    grid.add(row, 2, fa.REVENUE_HEADERS[2], Style.HEADER, colspan=2)
    for field in fa.REVENUE_FIELDS:
        row += 1
        grid.add(row, 0, field.label_for(years), Style.LABEL)
        _put_field(grid, row, 1, form, field)
        if field.key == "rev_interest":
            choice = form.values.get(fa.INTEREST_USE.key, "")
            grid.add(row, 2, interest_use_text(choice), Style.TEXT, colspan=2, locked=False, key=fa.INTEREST_USE.key)
        else:
            grid.add(row, 2, None, Style.TEXT, colspan=2)
    row += 1
    grid.add(row, 0, spec.label("rev_total", year), Style.LABEL)
    _put_derived(grid, row, 1, form, "rev_total")
    grid.add(row, 2, None, Style.TEXT, colspan=2)
    row += 2
    grid.add(row, 0, fa.SURPLUS_REMAINING.label_for(years), Style.LABEL)
    _put_field(grid, row, 1, form, fa.SURPLUS_REMAINING)
    row += 2
    row = _expenditure_table(grid, row, form, year)
    row += 1
    grid.add(row, 0, fa.ACCUMULATED_LABEL.format(**years), Style.LABEL)
    _put_derived(grid, row, 1, form, "accumulated")
    row += 2
    _beneficiary_table(grid, row, form, years)
    return grid


def _expenditure_table(grid: Grid, row: int, form: Effective, year: int) -> int:
    spec = FORMS["final_accounts"]
    grid.add(row, 0, fa.EXPENDITURE_TITLE.format(**year_labels(year)), Style.SUBTITLE, colspan=4)
    row += 1
    grid.add(row, 0, fa.EXPENDITURE_HEADER, Style.HEADER, rowspan=2)
    grid.add(row, 1, fa.EXPENDITURE_AMOUNT_HEADER, Style.HEADER, colspan=3)
    row += 1
    for col, (_, label) in enumerate(fa.SOURCE_COLUMNS, start=1):
        grid.add(row, col, label, Style.HEADER)
    for exp_row in fa.EXPENDITURE_ROWS:
        row += 1
        grid.add(row, 0, exp_row.label, Style.LABEL)
        for col, (column, _) in enumerate(fa.SOURCE_COLUMNS, start=1):
            key = fa.exp_key(exp_row.id, column)
            if column not in exp_row.columns:
                grid.add(row, col, fa.SLASH, Style.SLASH)
            elif exp_row.is_total:
                _put_derived(grid, row, col, form, key)
            else:
                _put_field(grid, row, col, form, spec.field(key))
    row += 1
    grid.add(row, 0, fa.SUBTOTAL_LABEL, Style.LABEL)
    for col, (column, _) in enumerate(fa.SOURCE_COLUMNS, start=1):
        _put_derived(grid, row, col, form, fa.subtotal_key(column))
    row += 1
    grid.add(row, 0, fa.TOTAL_LABEL, Style.LABEL)
    _put_derived(grid, row, 1, form, "exp_total", colspan=3)
    return row + 1


def _beneficiary_table(grid: Grid, row: int, form: Effective, years: dict[str, int]) -> int:
    spec = FORMS["final_accounts"]
    grid.add(row, 0, fa.BENEFICIARY_TITLE.format(**years), Style.SUBTITLE, colspan=4)
    row += 1
    grid.add(row, 0, fa.BENEFICIARY_HEADERS[0], Style.HEADER)
    grid.add(row, 1, fa.BENEFICIARY_HEADERS[1], Style.HEADER)
    grid.add(row, 2, fa.BENEFICIARY_HEADERS[2], Style.HEADER, colspan=2)
    for ben_row in fa.BENEFICIARY_ROWS:
        units = fa.EDUCATION_UNITS if ben_row.id == "1" else fa.PERSON_UNITS
        grid.add(row + 1, 0, ben_row.label, Style.LABEL, rowspan=len(units))
        for unit, unit_label in units:
            row += 1
            key = fa.ben_key(ben_row.id, unit)
            grid.add(row, 1, unit_label, Style.LABEL)
            if ben_row.parts:
                _put_derived(grid, row, 2, form, key, Style.NUMBER, colspan=2)
            else:
                _put_field(grid, row, 2, form, spec.field(key), colspan=2)
    return row + 1


# ---- sheet 4

# The printed columns (tr.HEADERS keys) in order; the importer reads them back by these headers.
TRAINING_REPORT_COLUMNS = (
    "no", "day1", "day2", "days", "name", "place", "methods", "category", "course", "hours",
    "cost", "male", "female", "benefit",
)  # fmt: skip
_TR_WIDTHS = [6, 10, 10, 12, 20, 16, 15, 24, 30, 6, 12, 7, 7, 25]


def methods_text(text: str) -> str | None:
    """上課方式 printed as the guide's check boxes, one per line."""
    field = FORMS["training_report"].field("methods")
    parsed = field.type.parse(text or "")
    if parsed.text and not isinstance(parsed.value, tuple):
        return parsed.text
    chosen = parsed.value if isinstance(parsed.value, tuple) else ()
    return "\n".join(f"{CHECKED if option in chosen else UNCHECKED}{option}" for option in tr.METHODS)


def parse_methods(text: str) -> str:
    """The stored 上課方式 text from a printed cell: the ticked boxes, or the text as typed."""
    text = (text or "").strip()
    boxes = (*CHECK_MARKS, UNCHECKED, "☐")
    if not any(mark in text for mark in boxes):
        return text
    ticked = "|".join(re.escape(mark) for mark in CHECK_MARKS)
    return "、".join(option for option in tr.METHODS if re.search(rf"(?:{ticked})\s*{re.escape(option)}", text))


def _training_report(project: Project, year: int) -> Grid:
    spec = FORMS["training_report"]
    grid = _new_grid(spec, project, year, list(_TR_WIDTHS), landscape=True)
    col = {name: i for i, name in enumerate(TRAINING_REPORT_COLUMNS)}
    top, sub = 2, 3
    for name in TRAINING_REPORT_COLUMNS:
        if name in ("day1", "day2", "male", "female"):
            grid.add(sub, col[name], tr.HEADERS[name], Style.HEADER)
    grid.add(top, col["day1"], tr.HEADERS["date"], Style.HEADER, colspan=2)
    grid.add(top, col["male"], tr.HEADERS["people"], Style.HEADER, colspan=2)
    for name in ("no", "days", "name", "place", "methods", "category", "course", "hours", "cost", "benefit"):
        grid.add(top, col[name], tr.HEADERS[name], Style.HEADER, rowspan=2)
    grid.header_rows = (top, sub)
    span = len(tr.CATEGORIES)
    row = sub + 1
    for i, session in enumerate(project.years[year].sessions):
        grid.add(row, col["no"], i + 1, Style.CENTER, rowspan=span)
        for name in ("day1", "day2", "days", "name", "place", "cost", "male", "female", "benefit"):
            value, style = input_value(spec.field(name), session.get(name, ""))
            grid.add(row, col[name], value, style, rowspan=span, locked=False, key=f"{i}:{name}")
        grid.add(row, col["methods"], methods_text(session.get("methods", "")), Style.TEXT, rowspan=span,
                 locked=False, key=f"{i}:methods")
        for n, category in enumerate(tr.CATEGORIES, start=1):
            sub_row = row + n - 1
            grid.add(sub_row, col["category"], category, Style.LABEL)
            for name, key in (("course", tr.course_key(n)), ("hours", tr.hours_key(n))):
                value, style = input_value(spec.field(key), session.get(key, ""))
                grid.add(sub_row, col[name], value, style, locked=False, key=f"{i}:{key}")
        row += span
    return grid


# ---- sheet 5


def _training_expenses(project: Project, year: int) -> Grid:
    spec = FORMS["training_expenses"]
    form = project.effective(year, "training_expenses")
    grid = _new_grid(spec, project, year, [36, 20])
    row = 2
    for col, header in enumerate(te.HEADERS):
        grid.add(row, col, header, Style.HEADER)
    for field in spec.fields:
        row += 1
        grid.add(row, 0, field.label, Style.LABEL)
        _put_field(grid, row, 1, form, field)
    row += 1
    grid.add(row, 0, spec.label("total", year), Style.LABEL)
    _put_derived(grid, row, 1, form, "total")
    return grid


# ---- sheet 6

_INTEREST_NOTE = re.compile(r"\s*[(（]\s*另使用利息\s*([0-9０-９][0-9０-９,，]*)\s*元?\s*[)）]\s*$")


def budget_text_with_interest(text: str, interest_text: str) -> str:
    """預算經費 as printed: the text, then the planned interest the guide's way, e.g. (另使用利息8,000元)."""
    interest = Money(9).parse(interest_text or "").value
    if not isinstance(interest, int) or interest == 0:
        return text
    _, already = split_budget_text(text)
    if already == interest:
        return text
    return f"{text}\n{wp.interest_note(interest)}" if text else wp.interest_note(interest)


def split_budget_text(text: str) -> tuple[str, int | None]:
    """(text, planned interest) from a printed 預算經費 that may end with (另使用利息8,000元)."""
    match = _INTEREST_NOTE.search(text or "")
    if match is None:
        return text or "", None
    amount = Money(9).parse(match.group(1)).value
    if not isinstance(amount, int):
        return text, None
    return text[: match.start()].rstrip(), amount


def _work_plan(project: Project, year: int) -> Grid:
    spec = FORMS["work_plan"]
    values = project.years[year].forms["work_plan"]
    grid = _new_grid(spec, project, year, [24, 44, 16, 44, 14, 12], landscape=True)
    row = 2
    grid.add(row, 0, wp.ITEM_HEADER, Style.HEADER)
    for col, (_, label) in enumerate(wp.COLUMNS, start=1):
        grid.add(row, col, label, Style.HEADER)
    grid.header_rows = (row, row)
    for item_no, item in enumerate(wp.ITEMS, start=1):
        row += 1
        grid.add(row, 0, item, Style.LABEL)
        for col, (column, _) in enumerate(wp.COLUMNS, start=1):
            key = wp.plan_key(item_no, column)
            text = values.get(key, "")
            if column == "budget_text":
                text = budget_text_with_interest(text, values.get(wp.plan_key(item_no, "interest"), ""))
                grid.add(row, col, text or None, Style.TEXT, locked=False, key=key)
            else:
                value, style = input_value(spec.field(key), text)
                grid.add(row, col, value, style, locked=False, key=key)
    return grid


# ---- sheet 7


def _budget(project: Project, year: int) -> Grid:
    spec = FORMS["budget"]
    form = project.effective(year, "budget")
    years = year_labels(year)
    grid = _new_grid(spec, project, year, [48, 18, 30])
    row = 2
    for col, header in enumerate(budget_form.REVENUE_HEADERS):
        grid.add(row, col, header, Style.HEADER)
    for key, label in budget_form.REVENUE_LINES:
        row += 1
        grid.add(row, 0, label.format(**years), Style.LABEL)
        if spec.has_field(key):
            _put_field(grid, row, 1, form, spec.field(key))
        else:
            _put_derived(grid, row, 1, form, key)
        note_key = budget_form.note_key(key)
        note = form.values.get(note_key, "") or budget_form.DEFAULT_NOTES.get(key, "")
        grid.add(row, 2, note or None, Style.TEXT, locked=False, key=note_key)
    row += 1
    grid.add(row, 0, spec.label("rev_total", year), Style.LABEL)
    _put_derived(grid, row, 1, form, "rev_total")
    grid.add(row, 2, None, Style.TEXT)
    row += 2
    grid.add(row, 0, budget_form.SURPLUS_REMAINING_LABEL.format(**years), Style.LABEL)
    _put_field(grid, row, 1, form, spec.field("surplus_remaining"))
    row += 2
    grid.add(row, 0, budget_form.EXPENDITURE_HEADERS[0], Style.HEADER)
    grid.add(row, 1, budget_form.EXPENDITURE_HEADERS[1], Style.HEADER, colspan=2)
    for key, label in budget_form.EXPENDITURE_LINES:
        row += 1
        grid.add(row, 0, label, Style.LABEL)
        _put_field(grid, row, 1, form, spec.field(key), colspan=2)
    row += 1
    grid.add(row, 0, spec.label("exp_total", year), Style.LABEL)
    _put_derived(grid, row, 1, form, "exp_total", colspan=2)
    return grid


# ---------------------------------------------------------------- row heights

_WRAPPED = (Style.TEXT, Style.LABEL, Style.HEADER, Style.SUBTITLE, Style.TITLE, Style.CENTER)


def fit_row_heights(grid: Grid) -> None:
    """Tall enough rows for wrapped text (Excel does not grow explicit-height rows when a file opens)."""
    for cell in grid.cells:
        if cell.style not in _WRAPPED or not isinstance(cell.value, str):
            continue
        width = sum(grid.col_widths[c] for c in range(cell.col, cell.last_col + 1) if c < len(grid.col_widths))
        usable = max(1.0, (width - 1) * FILL_RATIO)
        lines = sum(max(1, math.ceil(display_width(part) / usable)) for part in cell.value.split("\n"))
        per_row = (lines * LINE_HEIGHT + 4) / cell.rowspan
        for row in range(cell.row, cell.last_row + 1):
            if per_row > grid.row_heights.get(row, DEFAULT_ROW_HEIGHT):
                grid.row_heights[row] = per_row


# ---------------------------------------------------------------- the cash ledger

PARAMETER_SHEET_NAME = "參數表"  # the guide: 「請參照表單內參數表選填」
ALLOWED_MARK = "◎"  # the guide's mark for an allowed 動支類別 / 動支帳戶
_LEDGER_WIDTHS = [6, 5, 5, 5, 20, 7, 40, 12, 20, 14, 12, 14, 14, 14, 14, 14, 14]
_BALANCE_COLUMNS = {
    "balance_acct1": 0,
    "balance_acct2": 1,
    "balance_fixed": 2,
    "balance_petty": 3,
}


def ledger_grids(project: Project, year: int, quarter: int | None = None) -> list[Grid]:
    """The cash ledger kept in ``year`` (year to date after ``quarter``, or the whole year) and the parameter table."""
    book = project.years[year].ledger or LedgerBook()
    if quarter is not None:
        book = ledger.quarter_slice(book, year, quarter)
    grids = [_ledger_sheet(project, year, book), _parameter_sheet()]
    for grid in grids:
        fit_row_heights(grid)
    grids[0].signatures = SIGNATURES
    return grids


def _ledger_sheet(project: Project, year: int, book: LedgerBook) -> Grid:
    union_name = project.union_name(year)
    widths = list(_LEDGER_WIDTHS)
    last = len(widths)
    grid = Grid(ledger.LEDGER_TITLE, f"{union_name} {ledger.LEDGER_TITLE}", widths, landscape=True)
    grid.add(0, 0, ledger.LEDGER_TITLE, Style.TITLE, colspan=last)
    grid.add(1, 0, union_name or None, Style.TITLE, colspan=last)
    grid.row_heights[0] = grid.row_heights[1] = TITLE_ROW_HEIGHT
    application = FORMS["application"]
    header_values: dict[str, tuple[CellValue, Style, str | None]] = {
        "union_name": (union_name or None, Style.TEXT, None),
        "year": (str(year), Style.TEXT, ledger.YEAR_UNIT),
        "tax_id": (project.tax_id(year) or None, Style.TEXT, None),
    }
    header_fields = {f.key: f for f in ledger.HEADER_FIELDS}
    for key in ledger.OPENING_KEYS.values():
        value, style = input_value(header_fields[key], book.header.get(key, ""))
        header_values[key] = (value, style, ledger.MONEY_UNIT)
    row = 1
    for key, label in ledger.HEADER_LABELS:
        row += 1
        if key not in header_values:  # 上年度結存: a heading over the four balances
            grid.add(row, 0, label, Style.LABEL, colspan=3)
            continue
        value, style, unit = header_values[key]
        grid.add(row, 0, label, Style.LABEL, colspan=3)
        field_key = key if key in ledger.OPENING_KEYS.values() or application.has_field(key) else None
        grid.add(row, 3, value, style, colspan=4, locked=False, key=field_key)
        if unit:
            grid.add(row, 7, unit, Style.LABEL)
    row += 2
    header_row = row
    for col, (_, label) in enumerate(ledger.SHEET_COLUMNS):
        grid.add(header_row, col, label, Style.HEADER)
    grid.header_rows = (header_row, header_row)
    running = ledger.balances(book, year)
    for i, record in enumerate(book.entries):
        row += 1
        balance = running[i]
        for col, (key, _) in enumerate(ledger.SHEET_COLUMNS):
            if key in ledger.ENTRY_FIELD:
                value, style = input_value(ledger.ENTRY_FIELD[key], record.get(key, ""))
                grid.add(row, col, value, style, locked=False, key=f"{i}:{key}")
            elif key == "year":
                grid.add(row, col, str(year), Style.CENTER)
            elif key == "item":
                grid.add(row, col, ledger.item(record.get("kind", ""), record.get("code", "")) or None, Style.TEXT)
            elif key == "summary_one":
                text = ledger.summary_one(record.get("kind", ""), record.get("code", ""))
                grid.add(row, col, text or None, Style.TEXT)
            elif key == "balance_total":
                grid.add(row, col, balance.total, Style.MONEY)
            else:
                grid.add(row, col, balance.amounts()[_BALANCE_COLUMNS[key]], Style.MONEY)
    return grid


def _parameter_sheet() -> Grid:
    labels = ledger.COLUMN_LABELS
    widths = [5, 20, 7, 44, *([9] * len(ledger.CATEGORIES)), *([10] * len(ledger.ACCOUNTS))]
    grid = Grid(PARAMETER_SHEET_NAME, f"{ledger.LEDGER_TITLE} {PARAMETER_SHEET_NAME}", widths, landscape=True)
    grid.add(0, 0, f"{ledger.LEDGER_TITLE} {PARAMETER_SHEET_NAME}", Style.TITLE, colspan=len(widths))
    grid.row_heights[0] = TITLE_ROW_HEIGHT
    first_category = 4
    first_account = first_category + len(ledger.CATEGORIES)
    for col, key in enumerate(("kind", "item", "code", "summary_one")):
        grid.add(1, col, labels[key], Style.HEADER, rowspan=2)
    grid.add(1, first_category, labels["category"], Style.HEADER, colspan=len(ledger.CATEGORIES))
    grid.add(1, first_account, labels["account"], Style.HEADER, colspan=len(ledger.ACCOUNTS))
    for col, name in enumerate((*ledger.CATEGORIES, *ledger.ACCOUNTS), start=first_category):
        grid.add(2, col, name, Style.HEADER)
    grid.header_rows = (1, 2)
    for row, code in enumerate(ledger.PARAMETER_TABLE, start=3):
        for col, value in enumerate((code.kind, code.item, code.code, code.summary)):
            grid.add(row, col, value, Style.CENTER if col != 3 else Style.LABEL)
        for col, category in enumerate(ledger.CATEGORIES, start=first_category):
            grid.add(row, col, ALLOWED_MARK if category in code.categories else None, Style.CENTER)
        for col, account in enumerate(ledger.ACCOUNTS, start=first_account):
            grid.add(row, col, ALLOWED_MARK if account in code.accounts else None, Style.CENTER)
    return grid
