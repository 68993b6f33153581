"""The one interpreter of the layout declarations: a form's ``LAYOUT`` + a project → a printable grid.

Every sheet of the application and the cash ledger is declared once, by field keys, in
``treasurer_app.forms`` (vocabulary: ``treasurer_app.forms.layout``); this module only turns
those blocks into cells. Input cells are unlocked and carry their field key (``"{row}:{key}"``
inside repeating tables) so a workbook can be read back; computed figures are locked.
The few fields printed in a form of their own (the A/B choice as radio marks, 上課方式 as
check boxes, planned interest inside 預算經費) have their printers, with their readers, in printed_fields.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from itertools import chain, compress, repeat, takewhile
from operator import attrgetter, gt, itemgetter, not_

from treasurer_app.export.grid import Cell, Grid, InputFill, ListSource, Style, Validation, a1, extent
from treasurer_app.export.ledger_cells import EntryInput, EntryPlaces
from treasurer_app.export.ledger_footer import balance_lines
from treasurer_app.export.ledger_formulas import balance_column, total_formula
from treasurer_app.export.ledger_parameters import PARAMETER_SUMMARIES, parameter_sheet
from treasurer_app.export.printed_fields import budget_text_with_interest, interest_use_text, methods_text
from treasurer_app.export.row_heights import (
    DEFAULT_ROW_HEIGHT,
    TITLE_ROW_HEIGHT,
    WRAPPED,
    column_heights,
    fit_row_heights,
)
from treasurer_app.fields import Choice, Count, Field, Money, RocDate, RocYear
from treasurer_app.forms import FORMS, final_accounts, training_report, work_plan
from treasurer_app.forms import roster as roster_form
from treasurer_app.forms.base import SIGNATURES, Derived, FormSpec, Record, terms, year_labels
from treasurer_app.forms.layout import SLASH, Column, Gap, Heading, Layout, Lines, Matrix, Rows, ScreenOnly, Title
from treasurer_app.ledger.balances import Balances, RunningBalances, opening_balances
from treasurer_app.ledger.codes import ACCOUNTS, PARAMETER_TABLE, code_item, code_text
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.quarters import quarter_slice
from treasurer_app.ledger.sheet import ENTRY_FIELD, HEADER_FIELD, LEDGER_LAYOUT, LEDGER_TITLE, OPENING_KEYS
from treasurer_app.project import Effective, Project

_NO_VALUE = frozenset((None, ""))  # what an empty cell holds (0 is a value)
_ROW, _ROWSPAN, _VALUE = attrgetter("row"), attrgetter("rowspan"), attrgetter("value")

CellValue = str | int | float | None
# (value, style, locked, key) of one printed cell
Printed = tuple[CellValue, Style, bool, str | None]


# ---------------------------------------------------------------- the application workbook


def application_grids(project: Project, year: int) -> list[Grid]:
    """One printable grid per sheet of the application of ``year``, in the guide's order."""
    grids = []
    project = project.reading()
    for spec in FORMS.values():
        grid = sheet_grid(spec, project, year)
        grid.input_fill = InputFill.RED  # the guide: 僅填寫表單紅色區域部分
        grid.signatures = SIGNATURES
        fit_row_heights(grid)
        grids.append(grid)
    return grids


def sheet_grid(spec: FormSpec, project: Project, year: int) -> Grid:
    """The grid of one application sheet: its declared layout filled with the project's figures."""
    union_type = project.union_type(year)
    names = {
        **year_labels(year),
        "union": project.union_name(year),
        "title": spec.title_for(year),
        "roster_title": roster_form.ROSTER_TITLES.get(union_type, ""),
        "unit": roster_form.unit_label(union_type),
    }
    title = f"{names['union']} {names['title']}"
    if spec.is_table:
        records = project.years[year].roster if spec.id == "roster" else project.years[year].training_report
        source: _Source = _TableSource(spec, records)
    else:
        source = _FormSource(spec, project.effective(year, spec.id), year)
    grid = _Interpreter(spec.layout, spec.sheet_name, title, names, source).run()
    add_formulas(grid, spec)
    return grid


# ---------------------------------------------------------------- totals as formulas


def sum_formula(cells: list[tuple[Cell, int]]) -> str:
    """SUM over the cells (sign +1/−1 each); a column of adjacent cells added is a range."""
    plus = sorted((c.row, c.col) for c, sign in cells if sign > 0)
    minus = [a1(c.row, c.col) for c, sign in cells if sign < 0]
    same_col = len({col for _, col in plus}) == 1
    if len(plus) > 1 and same_col and [r for r, _ in plus] == list(range(plus[0][0], plus[-1][0] + 1)):
        parts = [f"{a1(*plus[0])}:{a1(*plus[-1])}"]
    else:
        parts = [a1(r, c) for r, c in plus]
    return "SUM(" + ",".join(parts + [f"-{m}" for m in minus]) + ")"


def add_formulas(grid: Grid, spec: FormSpec) -> None:
    """Every printed total (合計, 小計, 總計, 歷年累積結餘款…) becomes a formula over the cells it adds up;
    the figure the app worked out stays as its cached result. A total whose parts are not all printed
    stays a plain figure."""
    by_key = grid.by_key()
    for item in spec.derived:
        cell = by_key.get(item.key)
        if cell is None:
            continue
        found = [(by_key.get(key), sign) for key, sign in terms(item).items()]
        parts = [(part, sign) for part, sign in found if part is not None]
        if parts and len(parts) == len(found):
            cell.formula = sum_formula(parts)


# ---------------------------------------------------------------- values of cells


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


def input_style(field: Field) -> Style:
    return input_value(field, "")[1]


class _Source:
    """Where the interpreter gets a sheet's labels and values."""

    def label(self, key: str) -> str:
        raise KeyError(key)

    def cell(self, key: str, companion: str | None = None) -> Printed:
        raise KeyError(key)

    def records(self) -> list[Record]:
        return []

    def record_cell(self, index: int, record: Record, key: str) -> Printed:
        raise KeyError(key)

    def add_records(self, grid: Grid, block: Rows, first_row: int) -> None:
        """One row of cells per record from ``first_row`` on, a numbering cell first when the table numbers its rows."""
        offset = 1 if block.number else 0
        add = grid.add
        for index, record in enumerate(self.records()):
            row = first_row + index
            if block.number:
                add(row, 0, index + 1, Style.CENTER)
            for col, column in enumerate(block.columns, start=offset):
                value, style, locked, key = self.record_cell(index, record, column.key)
                add(row, col, value, style, locked=locked, key=key)

    def spare_style(self, key: str) -> Style:
        return Style.TEXT

    def options(self, key: str) -> tuple[str, ...]:
        """The drop-down of an input, empty for none."""
        return ()

    def list_source(self, key: str) -> ListSource | None:
        """For a drop-down too long for an explicit list: the cells of another sheet holding its options."""
        return None


def _choices(field: Field | None) -> tuple[str, ...]:
    return field.type.options if field is not None and isinstance(field.type, Choice) else ()


class _FormSource(_Source):
    def __init__(self, spec: FormSpec, form: Effective, year: int) -> None:
        self.spec, self.form, self.year = spec, form, year

    def label(self, key: str) -> str:
        return self.spec.label(key, self.year)

    def cell(self, key: str, companion: str | None = None) -> Printed:
        spec, values = self.spec, self.form.values
        if not spec.has_field(key):  # a derived or linked figure
            return self.form.number(key), self._figure_style(key), True, key
        field = spec.field(key)
        if field is final_accounts.INTEREST_USE and spec.id == final_accounts.SPEC.id:
            return interest_use_text(values.get(key, "")), Style.TEXT, False, key
        if companion is not None and spec.id == work_plan.SPEC.id:  # 預算經費 with the planned interest inside
            text = budget_text_with_interest(values.get(key, ""), values.get(companion, ""))
            return text or None, Style.TEXT, False, key
        if key in self.form.supplied:
            return self.form.supplied[key], _number_style(field) or Style.NUMBER, False, key
        value, style = input_value(field, values.get(key, ""))
        return value, style, False, key

    def options(self, key: str) -> tuple[str, ...]:
        if not self.spec.has_field(key):
            return ()
        if self.spec.field(key) is final_accounts.INTEREST_USE:  # the printed choice reads back from its label
            return tuple(final_accounts.INTEREST_USE_LABELS[option] for option in final_accounts.INTEREST_USE_OPTIONS)
        return _choices(self.spec.field(key))

    def _figure_style(self, key: str) -> Style:
        """A sum of counts prints as a count (受益情形 totals), any other figure as money."""
        item = self.spec.derived_field(key)
        if not isinstance(item, Derived):
            return Style.MONEY
        for part in terms(item):
            if self.spec.has_field(part):
                return _number_style(self.spec.field(part)) or Style.MONEY
            return self._figure_style(part)
        return Style.MONEY


class _TableSource(_Source):
    def __init__(self, spec: FormSpec, records: list[Record]) -> None:
        self.spec, self._records = spec, records

    def records(self) -> list[Record]:
        return self._records

    def record_cell(self, index: int, record: Record, key: str) -> Printed:
        column = self.spec.layout.table().column(key)
        if column.computed:  # 課程類別: the six categories, one per line
            return "\n".join(training_report.CATEGORIES), Style.LABEL, True, None
        if column.lines:
            lines = [(record.get(k) or "").replace("\n", "、").strip() for k in column.lines]
            return ("\n".join(lines) if any(lines) else None), Style.TEXT, False, f"{index}:{key}"
        if key == "methods" and self.spec.id == training_report.SPEC.id:
            return methods_text(record.get(key, "")), Style.TEXT, False, f"{index}:{key}"
        value, style = input_value(self.spec.field(key), record.get(key, ""))
        return value, style, False, f"{index}:{key}"

    def options(self, key: str) -> tuple[str, ...]:
        return _choices(self.spec.field(key)) if self.spec.has_field(key) else ()

    def spare_style(self, key: str) -> Style:
        column = self.spec.layout.table().column(key)
        return Style.TEXT if column.lines or column.computed else input_style(self.spec.field(key))


_BALANCE_INDEX = {"balance_acct1": 0, "balance_acct2": 1, "balance_fixed": 2, "balance_petty": 3}
_OPENING_OF_BALANCE = {key: OPENING_KEYS[ACCOUNTS[index]] for key, index in _BALANCE_INDEX.items()}
_BALANCE_OF = {key: itemgetter(index) for key, index in _BALANCE_INDEX.items()}  # an account's of the four


# The entries' columns whose every cell holds a value: the year, and the balances (numbers; 0 is a value).
_ALWAYS_FILLED = frozenset(("year", "balance_total", *_BALANCE_INDEX))


class _LedgerSource(_Source):
    def __init__(
        self, book: LedgerBook, year: int, union_name: str, tax_id: str, running: RunningBalances | None = None
    ) -> None:
        self.book, self.year = book, year
        self.header = {"union_name": union_name, "year": str(year), "tax_id": tax_id}
        # The four accounts after each entry
        self.amounts = (RunningBalances(book, year) if running is None else running).amounts_after_each()
        self.entry_cells = slice(0)  # where the entries' cells are in the grid, once laid out
        self.entries_end = (0, 0)  # the row and column after them: one row each, one cell a column
        self.entries_filled = False  # whether each entry's row holds a value (a column that always does)
        self._pairs: tuple[list[tuple[str, str]], set[tuple[str, str]]] | None = None  # see _codes
        self.entry_heights: dict[int, float] = {}  # the heights their rows need (ledger_grids fits the others)

    def cell(self, key: str, companion: str | None = None) -> Printed:
        if key in self.header:
            return self.header[key] or None, Style.TEXT, False, key
        value, style = input_value(HEADER_FIELD[key], self.book.header.get(key, ""))
        return value, style, False, key

    def records(self) -> list[Record]:
        return self.book.entries

    def add_records(self, grid: Grid, block: Rows, first_row: int) -> None:
        """The entries' cells, made a column at a time: a quarter's sheet has 25,000 rows of 16 cells, and each
        column's style, lock and kind of value are the same all the way down."""
        count = len(self.book.entries)
        rows = list(range(first_row, first_row + count))  # each row's number one object, shared by its cells
        offset = 1 if block.number else 0
        opening = {cell.key: cell for cell in grid.cells if cell.key in _OPENING_OF_BALANCE.values()}
        places = EntryPlaces(first_row, ("",) * offset + tuple(column.key for column in block.columns))
        columns: list[Iterable[Cell]] = []
        heights: list[list[float]] = []  # what each wrapped column's cells need of their rows
        if block.number:
            columns.append(map(Cell, rows, repeat(0), range(1, count + 1), repeat(Style.CENTER)))
        for col, column in enumerate(block.columns, start=offset):
            key = column.key
            if key in _OPENING_OF_BALANCE:  # each account's balance a formula over the one above it
                balances = map(_BALANCE_OF[key], self.amounts)
                columns.append(balance_column(key, rows, balances, opening.get(_OPENING_OF_BALANCE[key]), Style.MONEY))
                continue
            values, style, locked, keyed = self._column(key)
            if style in WRAPPED:
                values = list(values)
                heights.append(column_heights(grid, col, style, values))
            if keyed:  # an input: unlocked, its key made from its place when read
                columns.append(map(EntryInput, rows, repeat(col), values, repeat(style), repeat(places)))
                continue
            formulas = map(total_formula, rows) if key == "balance_total" else repeat(None)
            plain = repeat(None)  # no key
            cells = map(Cell, rows, repeat(col), values, repeat(style), repeat(1), repeat(1), repeat(locked), plain,
                        formulas)  # fmt: skip
            columns.append(cells)
        first_cell = len(grid.cells)
        grid.cells.extend(chain.from_iterable(zip(*columns, strict=True)))  # row by row, left to right
        self.entry_cells = slice(first_cell, len(grid.cells))
        if count:
            self.entries_end = (first_row + count, len(columns))
        self.entries_filled = any(column.key in _ALWAYS_FILLED for column in block.columns)
        if heights:  # each row's tallest cell, where it is taller than a row's default
            tallest = map(max, *heights, repeat(0.0, count))
            self.entry_heights = {row: h for row, h in zip(rows, tallest, strict=True) if h > DEFAULT_ROW_HEIGHT}

    def _column(self, key: str) -> tuple[Iterable[CellValue], Style, bool, bool]:
        """A column of the entries: its values, style, lock, and whether it is an input (unlocked, each cell
        keyed ``"{index}:{key}"``)."""
        records = self.book.entries
        if key == "year":
            return repeat(str(self.year), len(records)), Style.CENTER, True, False
        if key in ("item", "code"):
            pairs, distinct = self._codes()
            if key == "item":
                items = {pair: code_item(pair[0].strip(), pair[1].strip()) or None for pair in distinct}
                return map(items.__getitem__, pairs), Style.TEXT, True, False
            summaries = {pair: code_text(*pair) or None for pair in distinct}
            return map(summaries.__getitem__, pairs), Style.TEXT, False, True
        if key == "balance_total":
            return list(map(sum, self.amounts)), Style.MONEY, True, False  # 結存: the four accounts
        field = ENTRY_FIELD[key]
        style = input_style(field)
        if _number_style(field) is None:
            return [record.get(key) or None for record in records], style, False, True
        texts = [record.get(key, "") for record in records]
        try:  # a ledger repeats its days and amounts: each distinct text read once
            numbers = {text: input_value(field, text)[0] for text in set(texts)}
        except TypeError:  # a value that cannot be a key (an odd file's): read each one
            return [input_value(field, text)[0] for text in texts], style, False, True
        return map(numbers.__getitem__, texts), style, False, True

    def _codes(self) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
        """Each entry's (字, 號) and the distinct ones, read once for the 項目 and 摘要(一) columns."""
        if self._pairs is None:
            pairs = [(record.get("kind", ""), record.get("code", "")) for record in self.book.entries]
            self._pairs = pairs, set(pairs)
        return self._pairs

    def options(self, key: str) -> tuple[str, ...]:
        if key == "code":  # 號 is chosen in 摘要(一): the parameter table's texts, in the guide's order
            return tuple(code.summary for code in PARAMETER_TABLE)
        return _choices(ENTRY_FIELD.get(key))

    def list_source(self, key: str) -> ListSource | None:
        # 摘要(一)'s texts exceed the 255 characters an explicit list holds: the list is the parameter table's column
        return PARAMETER_SUMMARIES if key == "code" else None

    def spare_style(self, key: str) -> Style:
        field = ENTRY_FIELD.get(key)
        if field is None:
            return Style.MONEY if key.startswith("balance_") else Style.TEXT
        return input_style(field) if key != "code" else Style.TEXT


# ---------------------------------------------------------------- the interpreter


class _Names(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _rows_widths(rows: Rows | None) -> list[float]:
    if rows is None:
        return [40, 20]
    return [*([rows.number_width] if rows.number else []), *(c.width for c in rows.columns)]


class _Interpreter:
    """Lays a declaration's blocks out top to bottom, each row filled from the source."""

    def __init__(
        self, layout: Layout, sheet_name: str, title: str, names: Mapping[str, object], source: _Source
    ) -> None:
        self.layout, self.source = layout, source
        self.names = _Names({k: ("" if v is None else v) for k, v in names.items()})
        widths = list(layout.widths) or _rows_widths(layout.rows())
        self.grid = Grid(sheet_name, title, widths, landscape=layout.landscape)
        self.row = 0
        self.tables = sum(isinstance(b, Matrix | Rows) for b in layout.blocks)

    @property
    def n_cols(self) -> int:
        return len(self.grid.col_widths)

    def text(self, template: str) -> str:
        return template.format_map(self.names)

    def put(self, col: int, printed: Printed, drop_down: bool = True, colspan: int = 1) -> Cell:
        value, style, locked, key = printed
        if drop_down and key and not locked:
            self.drop_down(self.row, col, self.row, key)
        return self.grid.add(self.row, col, value, style, colspan=colspan, locked=locked, key=key)

    def run(self) -> Grid:
        for block in self.layout.blocks:
            if isinstance(block, Title):
                self.title(block)
            elif isinstance(block, Heading):
                self.grid.add(self.row, 0, self.text(block.text) or None, Style.SUBTITLE, colspan=self.n_cols)
                self.row += 1
            elif isinstance(block, Gap):
                self.row += 1
            elif isinstance(block, Lines):
                self.lines(block)
            elif isinstance(block, Matrix):
                self.stacked(block) if block.stacked else self.matrix(block)
            elif isinstance(block, Rows):
                self.rows(block)
            elif not isinstance(block, ScreenOnly):
                raise TypeError(block)
        return self.grid

    def drop_down(self, first_row: int, col: int, last_row: int, key: str) -> None:
        """A drop-down list on an input whose field is a choice (天數, A/B, 性別, 字, 動支類別, 動支帳戶)."""
        options = self.source.options(key)
        if options:
            self.grid.validations.append(
                Validation(
                    first_row,
                    col,
                    last_row,
                    col,
                    options,
                    prompt="請從清單中選擇。",
                    source=self.source.list_source(key),
                )
            )

    def title(self, block: Title) -> None:
        lines = [self.text(line) for line in block.lines]
        if block.join is None:
            for line in lines:
                self.grid.add(self.row, 0, line or None, Style.TITLE, colspan=self.n_cols)
                self.grid.row_heights[self.row] = TITLE_ROW_HEIGHT
                self.row += 1
            return
        shown = [line for line in lines if line]
        self.grid.add(self.row, 0, block.join.join(shown) or None, Style.TITLE, colspan=self.n_cols)
        height = len(shown) if block.join == "\n" else 1
        self.grid.row_heights[self.row] = TITLE_ROW_HEIGHT * max(1, height)
        self.row += 1

    def lines(self, block: Lines) -> None:
        value_col = block.label_span
        note_col = value_col + block.value_span
        with_note = any(line.note for line in block.lines) or len(block.headers) > 2
        spans = (block.label_span, block.value_span, block.note_span)
        if block.headers:
            col = 0
            for header, span in zip(block.headers, spans, strict=False):
                self.grid.add(self.row, col, header, Style.HEADER, colspan=span)
                col += span
            self.row += 1
        for line in block.lines:
            label = self.text(line.label) if line.label is not None else self.source.label(line.key)
            self.grid.add(self.row, 0, label, Style.LABEL, colspan=block.label_span)
            if line.key:  # a label/value table's values read left-aligned, dates and years too (sheet 1)
                value, style, locked, key = self.source.cell(line.key)
                style = Style.TEXT if style is Style.CENTER else style
                self.put(value_col, (value, style, locked, key), colspan=block.value_span)
            if line.unit:
                self.grid.add(self.row, note_col, line.unit, Style.LABEL)
            if line.note:
                value, style, locked, key = self.source.cell(line.note)
                self.put(note_col, (value or line.note_default or None, style, locked, key), colspan=block.note_span)
            elif with_note:
                self.grid.add(self.row, note_col, None, Style.TEXT, colspan=block.note_span)
            self.row += 1

    def matrix(self, block: Matrix) -> None:
        printed = [i for i, c in enumerate(block.columns) if c.printed_in is None]
        companions = {c.printed_in: j for j, c in enumerate(block.columns) if c.printed_in is not None}
        first = self.row
        if block.band:
            self.grid.add(self.row, 0, block.corner, Style.HEADER, rowspan=2)
            self.grid.add(self.row, 1, block.band, Style.HEADER, colspan=len(printed))
            self.row += 1
        else:
            self.grid.add(self.row, 0, block.corner, Style.HEADER)
        for col, i in enumerate(printed, start=1):
            self.grid.add(self.row, col, block.columns[i].label, Style.HEADER)
        if self.tables == 1:
            self.grid.header_rows = (first, self.row)
        self.row += 1
        for matrix_row in block.rows:
            self.grid.add(self.row, 0, self.text(matrix_row.label), Style.LABEL)
            if len(matrix_row.cells) == 1 and len(printed) > 1:  # one figure for all the columns (總計)
                total = matrix_row.cells[0]
                if total is SLASH:
                    self.grid.add(self.row, 1, final_accounts.SLASH, Style.SLASH)
                else:
                    self.put(1, self.source.cell(total))
                for col in range(2, len(printed) + 1):  # under the first column, as the guide prints it
                    self.grid.add(self.row, col, None, Style.TEXT)
                self.row += 1
                continue
            for col, i in enumerate(printed, start=1):
                key = matrix_row.cells[i]
                if key is SLASH:
                    self.grid.add(self.row, col, final_accounts.SLASH, Style.SLASH)
                    continue
                companion = matrix_row.cells[companions[i]] if i in companions else None
                self.put(col, self.source.cell(key, companion))
            self.row += 1

    def stacked(self, block: Matrix) -> None:
        self.grid.add(self.row, 0, block.corner, Style.HEADER)
        self.grid.add(self.row, 1, block.unit_header, Style.HEADER)
        self.grid.add(self.row, 2, block.value_header, Style.HEADER, colspan=self.n_cols - 2)
        self.row += 1
        for matrix_row in block.rows:
            present = [(c.label, key) for c, key in zip(block.columns, matrix_row.cells, strict=True) if key]
            self.grid.add(self.row, 0, self.text(matrix_row.label), Style.LABEL, rowspan=len(present))
            for unit, key in present:
                self.grid.add(self.row, 1, unit, Style.LABEL)
                value, style, locked, cell_key = self.source.cell(key)
                style = Style.NUMBER if style is Style.MONEY else style
                self.put(2, (value, style, locked, cell_key), colspan=self.n_cols - 2)
                self.row += 1

    def rows(self, block: Rows) -> None:
        offset = 1 if block.number else 0
        grouped = any(c.group for c in block.columns)
        top = self.row
        depth = 2 if grouped else 1
        if block.number:
            self.grid.add(top, 0, block.number, Style.HEADER, rowspan=depth)
        col = offset
        columns = list(block.columns)
        while col - offset < len(columns):
            column = columns[col - offset]
            if column.group:
                span = _group_span(columns, col - offset)
                self.grid.add(top, col, self.text(column.group), Style.HEADER, colspan=span)
                for n in range(span):
                    self.grid.add(top + 1, col + n, self.text(columns[col - offset + n].label), Style.HEADER)
                col += span
                continue
            self.grid.add(top, col, self.text(column.label), Style.HEADER, rowspan=depth)
            col += 1
        self.grid.header_rows = (top, top + depth - 1)
        self.row = top + depth
        first = self.row
        self.source.add_records(self.grid, block, first)
        self.row += len(self.source.records())
        if self.row + block.spare > first:  # one drop-down down each choice column, the spare rows included
            for col, column in enumerate(block.columns, start=offset):
                if not column.computed and not column.lines:
                    self.drop_down(first, col, self.row + block.spare - 1, column.key)
        for _ in range(block.spare):
            if block.number:
                self.grid.add(self.row, 0, None, Style.CENTER)
            for col, column in enumerate(block.columns, start=offset):
                locked = column.computed and not column.lines
                self.grid.add(self.row, col, None, self.source.spare_style(column.key), locked=locked)
            self.row += 1


def paper_copy(grid: Grid) -> Grid:
    """The grid as printed on paper: the spare rows left for lines added in Excel (rows with no value in
    any cell) are dropped; the workbook keeps them."""
    noted = grid.noted_spare_rows()  # the ledger's: its 400,000 cells are not read again
    if noted is not None:
        at, spare_rows, (n_rows, n_cols) = noted
        paper = _without(grid, spare_rows, [*grid.cells[: at.start], *grid.cells[at.stop :]])
        paper.measured_as(n_rows, n_cols)
        return paper
    rows, spare, filled, tall = _spare_rows(grid.cells)
    if not spare:
        return grid
    paper = _without(grid, spare, list(compress(grid.cells, map(not_, map(spare.__contains__, rows)))))
    if grid.n_cols == len(grid.col_widths):  # no cell beyond the columns' widths: none is left on paper either
        # Its rows end after the last filled one or after a cell kept over several rows (the PDF asks).
        ends = [cell.row + cell.rowspan for cell in tall if cell.row not in spare]
        paper.measured_as(max([max(filled, default=-1) + 1, *ends]), grid.n_cols)
    return paper


def _spare_rows(cells: list[Cell]) -> tuple[list[int], set[int], set[int], list[Cell]]:
    """Each cell's row; the rows with no value in any cell and under no filled merged cell; the filled rows;
    the cells over several rows."""
    # Read in C over the cells (a quarter's ledger has 400,000): each cell's row, and whether it holds a value.
    rows = list(map(_ROW, cells))
    filled = set(compress(rows, map(not_, map(_NO_VALUE.__contains__, map(_VALUE, cells)))))
    tall = list(compress(cells, map(gt, map(_ROWSPAN, cells), repeat(1))))
    for cell in tall:
        if cell.value not in _NO_VALUE:
            filled.update(range(cell.row, cell.last_row + 1))
    return rows, set(rows) - filled, filled, tall


def _without(grid: Grid, spare: set[int] | frozenset[int], cells: list[Cell]) -> Grid:
    """The grid with ``cells`` instead of its own, its ``spare`` rows' heights and its drop-downs left out."""
    heights = {row: height for row, height in grid.row_heights.items() if row not in spare}
    return replace(grid, cells=cells, row_heights=heights, validations=[])


# ---------------------------------------------------------------- the cash ledger


def ledger_grids(
    project: Project,
    year: int,
    quarter: int | None = None,
    *,
    submitted: LedgerBook | None = None,
    running: RunningBalances | None = None,
) -> list[Grid]:
    """The cash ledger kept in ``year`` (year to date after ``quarter``, or the whole year) and the parameter table.

    ``submitted``: the quarter's slice when the caller has it already (``quarter_slice`` of the same book).
    ``running``: that book's running balances when the caller has them (its entries parsed once).
    """
    book = project.years[year].ledger or LedgerBook()
    if submitted is not None:
        book = submitted
    elif quarter is not None:
        book = quarter_slice(book, year, quarter)
    union_name = project.union_name(year)
    names = {**year_labels(year), "union": union_name, "title": LEDGER_TITLE}
    source = _LedgerSource(book, year, union_name, project.tax_id(year), running)
    sheet = _Interpreter(LEDGER_LAYOUT, LEDGER_TITLE, f"{union_name} {LEDGER_TITLE}", names, source).run()
    sheet.input_fill = InputFill.WHITE  # the guide: 僅填寫表單白色區域部分
    if project.years[year].ledger is not None:  # the balances printed under the table, from its own figures
        closing = Balances(*source.amounts[-1]) if source.amounts else opening_balances(book)
        sheet.footer = balance_lines(book, closing, year, quarter)
    above, below = sheet.cells[: source.entry_cells.start], sheet.cells[source.entry_cells.stop :]
    # Row heights as fit_row_heights gives them, in the same order: the entries' rows were fitted a column at a time.
    fit_row_heights(sheet, above)
    sheet.row_heights.update(source.entry_heights)
    fit_row_heights(sheet, below)
    # The sheet's size, the entries' part known from their layout (the size refusal and the PDF ask; measuring
    # would read the 400,000 cells), and what its paper copy leaves out.
    (rows_above, cols_above), (rows_below, cols_below) = extent(above), extent(below)
    last_row, last_col = source.entries_end
    n_cols = max(len(sheet.col_widths), cols_above, cols_below, last_col)
    sheet.measured_as(max(rows_above, rows_below, last_row), n_cols)
    if _only_spare_below(above, below, source.entries_filled, max(rows_above, last_row)):
        paper_size = (max(rows_above, last_row), max(len(sheet.col_widths), cols_above, last_col))
        sheet.note_spare_rows(slice(source.entry_cells.stop, len(sheet.cells)), frozenset(map(_ROW, below)), paper_size)
    parameters = parameter_sheet()
    fit_row_heights(parameters)
    sheet.signatures = SIGNATURES
    return [sheet, parameters]


def _only_spare_below(above: list[Cell], below: list[Cell], entries_filled: bool, rows_before: int) -> bool:
    """Whether the rows of the cells after a ledger's entries (``below``) are the spare rows paper_copy finds, and
    the only ones: those cells hold nothing, one row each, below every other cell (which end before row
    ``rows_before``); each of the entries' rows holds a value, and every row above them."""
    if not below or not entries_filled or _spare_rows(above)[1]:
        return False
    return min(map(_ROW, below)) >= rows_before and all(c.value in _NO_VALUE and c.rowspan == 1 for c in below)


def _group_span(columns: list[Column], start: int) -> int:
    """How many columns from ``start`` on share the header group of the column at ``start``."""
    group = columns[start].group
    return len(list(takewhile(lambda c: c.group == group, columns[start:])))
