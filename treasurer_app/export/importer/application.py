"""Reading an application workbook (sheets 1–7): this app's own or the official template filled in by hand.

Cells are found by the labels beside them in the very grids ``export.layouts`` prints (the two cannot
drift apart); tables by their header rows; totals the app computes are compared with what the sheet printed.
"""

from __future__ import annotations

from datetime import date

from treasurer_app.export import layouts, printed_fields
from treasurer_app.export.grid import Cell, Grid, Style
from treasurer_app.export.importer.cells import (
    HEADER_SEARCH_ROWS,
    ImportResult,
    Matcher,
    Sheet,
    Value,
    WorkbookImportError,
    cell_lines,
    cell_name,
    decimal_of,
    find_header,
    label_key,
    no_headers,
    sheet_for,
    similar,
    stored_text,
)
from treasurer_app.forms import FORMS, SCALAR_FORMS, final_accounts, training_report, work_plan
from treasurer_app.forms import roster as roster_form
from treasurer_app.forms.base import Record
from treasurer_app.project import Project, YearBook


def _read_rows(grid: Grid) -> dict[int, list[Cell]]:
    """By row: the input cells to read, and the「/」cells that must be found empty."""
    rows: dict[int, list[Cell]] = {}
    for cell in grid.cells:
        if cell.key or cell.style is Style.SLASH:
            rows.setdefault(cell.row, []).append(cell)
    return rows


def _column_header(grid: Grid, cell: Cell) -> str:
    """The nearest header above ``cell`` that spans its column (e.g. 結餘款金額 (包括其他收入))."""
    headers = [
        h for h in grid.cells if h.style is Style.HEADER and h.last_row < cell.row and h.col <= cell.col <= h.last_col
    ]
    return str(max(headers, key=lambda h: h.last_row).value) if headers else f"第 {cell.col + 1} 欄"


def _row_labels(grid: Grid, row: int) -> list[tuple[int, str, str]]:
    """(column, comparison key, text) of the labels of a template row, merged labels from rows above included."""
    labels = [
        (cell.col, label_key(cell.value), cell.value)
        for cell in grid.cells
        if cell.style is Style.LABEL and cell.row <= row <= cell.last_row and isinstance(cell.value, str) and cell.value
    ]
    return sorted(labels)


class ApplicationReader:
    def __init__(self, sheets: list[Sheet], source: str) -> None:
        self.sheets = sheets
        self.source = source
        self.notes: list[str] = []
        self.cells: dict[tuple[str, str | None, int | None], str] = {}
        self.sheet_names: dict[str, str] = {}
        self.taken = 0
        # Totals this app computes, as the workbook printed them: (form id, template cell, read value, sheet!cell).
        self.computed: list[tuple[str, Cell, Value, str]] = []

    def _took(self, form_id: str, key: str | None, row: int | None, where: str, raw: Value) -> None:
        self.cells[form_id, key, row] = where
        if raw not in (None, ""):
            self.taken += 1

    def fail(self, reason: str) -> WorkbookImportError:
        return WorkbookImportError(self.source, reason)

    def read(self) -> ImportResult:
        year = self._year()
        book = YearBook(year)
        template_project = Project({year: YearBook(year)})
        unit_type = self._union_type()
        if unit_type:
            template_project.years[year].forms["application"]["union_type"] = unit_type
        templates = {grid.sheet_name: grid for grid in layouts.application_grids(template_project, year)}
        used: set[str] = set()
        matched_any = False
        for form_id in FORMS:
            spec = FORMS[form_id]
            sheet = sheet_for(self.sheets, spec.sheet_name, spec.title_for(year))
            if sheet is None:
                self.notes.append(f"找不到「{spec.sheet_name}」工作表，這一表未匯入")
                continue
            used.add(sheet.name)
            self.sheet_names[form_id] = sheet.name
            if form_id in SCALAR_FORMS:
                values, found = self._scalar(templates[spec.sheet_name], sheet, form_id, year)
                book.forms[form_id].update(values)
                matched_any = matched_any or found
            elif form_id == "roster":
                book.roster = self._roster(sheet)
            else:
                book.training_report = self._sessions(sheet)
        if not matched_any:
            raise self.fail("工作表名稱相符，但找不到任何欄位標題（例如「申請年度」），版面與申請書不同，無法匯入")
        if unit_type:
            book.forms["application"]["union_type"] = unit_type
        book.forms["application"].setdefault("year", str(year))
        for sheet in self.sheets:
            if sheet.name not in used and not sheet.empty:
                self.notes.append(f"略過不認得的工作表「{sheet.name}」")
        self._compare_totals(book, year)
        return ImportResult(book, "application", self.notes, self.cells, self.sheet_names, self.taken)

    def _compare_totals(self, book: YearBook, year: int) -> None:
        """A total the workbook printed is never taken (it is computed here); one that differs is reported."""
        if not self.computed:
            return
        grids = {grid.sheet_name: grid for grid in layouts.application_grids(Project({year: book}), year)}
        for form_id, cell, raw, where in self.computed:
            grid = grids.get(FORMS[form_id].sheet_name)
            if grid is None:
                continue
            ours = grid.at(cell.row, cell.col)
            if ours is None or raw in (None, "") or isinstance(raw, date):
                continue
            read = decimal_of(raw)
            expected = decimal_of(ours.value)
            if read is None or expected is None or read == expected:
                continue
            self.notes.append(
                f"{where}／{_column_header(grid, cell)}：活頁簿寫 {read.normalize():,f}，"
                f"本程式依各項計算為 {expected.normalize():,f}，此合計不匯入（由各項自動相加）"
            )

    # ---- sheet 1 first: the year every other label depends on

    def _year(self) -> int:
        spec = FORMS["application"]
        sheet = sheet_for(self.sheets, spec.sheet_name, spec.title)
        assert sheet is not None
        label = spec.field("year").label
        found = Matcher(sheet).find([(0, label_key(label))])
        if found is None:
            raise self.fail(f"「{spec.sheet_name}」工作表找不到「{label}」，版面與申請書不同，無法匯入")
        row, offset = found
        text = stored_text(self._value_right_of(sheet, row, offset), spec.field("year"), label, self.notes)
        year = spec.field("year").type.parse(text).value
        if not isinstance(year, int) or not 100 <= year <= 999:
            raise self.fail(f"{label}：須為 3 位數字的民國年（讀到「{text}」），無法決定各表的年度")
        return year

    @staticmethod
    def _value_right_of(sheet: Sheet, row: int, offset: int) -> Value:
        col = sheet.column_right_of(row, offset)
        return None if col is None else sheet.get(row, col)

    def _union_type(self) -> str:
        spec = FORMS["roster"]
        sheet = sheet_for(self.sheets, spec.sheet_name)
        if sheet is None:
            return ""
        wanted = {label_key(label): union_type for union_type, label in roster_form.UNIT_LABELS.items()}
        titles = {label_key(title): union_type for union_type, title in roster_form.ROSTER_TITLES.items()}
        for row in range(min(sheet.n_rows, HEADER_SEARCH_ROWS)):
            for text in sheet.texts(row).values():
                if text in wanted:
                    return wanted[text]
                if text in titles:
                    return titles[text]
        return ""

    # ---- label-matched sheets

    def _scalar(self, template: Grid, sheet: Sheet, form_id: str, year: int) -> tuple[Record, bool]:
        spec = FORMS[form_id]
        values: Record = {}
        matcher = Matcher(sheet)
        found_any = False
        rows = [(row, cells, _row_labels(template, row)) for row, cells in sorted(_read_rows(template).items())]
        rows = [(row, cells, labels) for row, cells, labels in rows if labels]
        # First every row by its labels, then a row whose locked label was changed by its place beside a row found.
        found: dict[int, tuple[int, int] | None] = {
            row: matcher.find([(c, k) for c, k, _ in labels]) for row, _, labels in rows
        }
        every_label = {label_key(c.value) for c in template.cells if c.style is Style.LABEL and c.value}
        for row, _, labels in rows:
            if found[row] is None:
                found[row] = self._by_place(sheet, labels, row, found, every_label)
        for row, cells, labels in rows:
            label_text = "／".join(text for _, _, text in labels)
            has_inputs = any(cell.style is not Style.SLASH and not cell.locked for cell in cells)
            place = found[row]
            if place is None:
                if has_inputs:
                    self.notes.append(f"「{sheet.name}」找不到「{label_text}」這一列，略過")
                continue
            found_any = found_any or has_inputs
            sheet_row, offset = place
            for cell in cells:
                raw = sheet.get(sheet_row, cell.col + offset)
                address = cell_name(sheet.name, sheet_row, cell.col + offset)
                if cell.style is Style.SLASH:
                    self._slashed(template, cell, raw, f"{address} {label_text}")
                elif cell.locked:
                    self.computed.append((form_id, cell, raw, f"{address} {label_text}"))
                    self._took(form_id, cell.key, None, address, None)
                else:
                    key = cell.key or ""
                    named = f"{address} {spec.label(key, year) if spec.has_field(key) else label_text}"
                    self._store(values, form_id, key, raw, named)
                    self._took(form_id, key, None, address, raw)
        return values, found_any

    def _by_place(
        self,
        sheet: Sheet,
        labels: list[tuple[int, str, str]],
        row: int,
        found: dict[int, tuple[int, int] | None],
        every_label: set[str],
    ) -> tuple[int, int] | None:
        """A row whose locked label was changed: found by its place from the nearest row found by its label,
        when the text there is no other row's label. The change is reported; the values are read."""
        neighbours = sorted((abs(other - row), other, place) for other, place in found.items() if place is not None)
        if not neighbours:
            return None
        _, other, (sheet_row, offset) = neighbours[0]
        candidate = sheet_row + (row - other)
        col, _, text = labels[-1]
        value = sheet.get(candidate, col + offset)
        if not isinstance(value, str) or not value.strip() or label_key(value) in every_label:
            return None
        if any(place is not None and place[0] == candidate for place in found.values()):
            return None
        self.notes.append(
            f"{cell_name(sheet.name, candidate, col + offset)}：固定標籤「{text}」被改成「{value.strip()}」，"
            "未採用；這一列依位置讀取"
        )
        return candidate, offset

    def _slashed(self, template: Grid, cell: Cell, raw: Value, where: str) -> None:
        """A「/」cell may hold nothing: a figure typed there has no field to go to, so the user is told."""
        text = stored_text(raw, None, where, self.notes)
        if text and label_key(text) != label_key(cell.value):
            self.notes.append(
                f"{where}／{_column_header(template, cell)}：此欄印「{cell.value}」不可填寫，讀到「{text}」，未匯入"
            )

    def _store(self, values: Record, form_id: str, key: str, raw: Value, where: str) -> None:
        spec = FORMS[form_id]
        if form_id == "final_accounts" and key == final_accounts.INTEREST_USE.key:
            values[key] = printed_fields.parse_interest_use(stored_text(raw, None, where, self.notes))
            return
        if form_id == "work_plan" and key.endswith("_budget_text"):
            text, interest = printed_fields.split_budget_text(stored_text(raw, spec.field(key), where, self.notes))
            values[key] = text
            if interest is not None:
                values[key.replace("_budget_text", "_interest")] = str(interest)
            return
        if form_id == "work_plan" and key in work_plan.INTEREST_KEYS:
            return
        values[key] = stored_text(raw, spec.field(key), where, self.notes)

    # ---- header-matched tables

    def _roster(self, sheet: Sheet) -> list[Record]:
        spec = FORMS["roster"]
        headers = {c.key: [c.label] for c in spec.layout.table().columns}
        headers["unit"] = list(roster_form.UNIT_LABELS.values())  # the header names the union type
        required = ("name", "national_id")
        header_row, columns = find_header(sheet, headers, required)
        if header_row is None:
            self.notes.append(no_headers(spec.sheet_name, headers, required, "名冊"))
            return []
        members: list[Record] = []
        for row in range(header_row + 1, sheet.n_rows):
            member = {
                key: stored_text(sheet.get(row, col), spec.field(key), cell_name(sheet.name, row, col), self.notes)
                for key, col in columns.items()
            }
            if any(member.values()):
                index = len(members)
                for key, col in columns.items():
                    self._took("roster", key, index, cell_name(sheet.name, row, col), sheet.get(row, col))
                self.cells["roster", None, index] = cell_name(sheet.name, row, min(columns.values()))
                members.append(member)
        return members

    def _sessions(self, sheet: Sheet) -> list[Record]:
        """One row per session (the declared layout); older files with six rows per session are read too."""
        spec = FORMS["training_report"]
        rows = spec.layout.rows()
        assert rows is not None
        headers = {"no": [rows.number], **{c.key: [c.label] for c in rows.columns}}
        required = ("name", "category")
        header_row, columns = find_header(sheet, headers, required, depth=2)
        if header_row is None:
            self.notes.append(no_headers(spec.sheet_name, headers, required, "成果報告"))
            return []
        start_col = columns.get("no", columns["name"])
        plain = [c.key for c in rows.columns if not c.computed and not c.lines and c.key != "methods"]
        sessions: list[Record] = []
        where_of: list[dict[str | None, str]] = []
        current: Record | None = None
        for row in range(header_row + 1, sheet.n_rows):
            if row not in sheet.rows:
                continue
            continued = sheet.continues_merge(row, start_col)
            typed = any(sheet.get(row, columns[k]) not in (None, "") for k in ("no", *plain) if k in columns)
            if not continued and typed:
                current = {}
                sessions.append(current)
                where_of.append({None: cell_name(sheet.name, row, start_col)})
                for key in plain:
                    if key in columns:
                        where = cell_name(sheet.name, row, columns[key])
                        current[key] = stored_text(sheet.get(row, columns[key]), spec.field(key), where, self.notes)
                        where_of[-1][key] = where
                if "methods" in columns:
                    where = cell_name(sheet.name, row, columns["methods"])
                    methods = stored_text(sheet.get(row, columns["methods"]), None, where, self.notes)
                    current["methods"] = printed_fields.parse_methods(methods)
                    where_of[-1]["methods"] = where
            if current is not None:
                self._courses(sheet, row, columns, current, where_of[-1])
        kept: list[Record] = []
        for session, wheres in zip(sessions, where_of, strict=True):
            for key in [k for k, v in session.items() if not v and k.startswith(("course_", "hours_"))]:
                del session[key]
            if any(session.values()):
                for taken, where in wheres.items():
                    self._took("training_report", taken, len(kept), where, session.get(taken) if taken else None)
                kept.append(session)
        return kept

    def _courses(
        self, sheet: Sheet, row: int, columns: dict[str, int], session: Record, wheres: dict[str | None, str]
    ) -> None:
        if "category" not in columns or "course" not in columns:
            return
        where = cell_name(sheet.name, row, columns["course"])
        category_where = cell_name(sheet.name, row, columns["category"])
        category_text = stored_text(sheet.get(row, columns["category"]), None, category_where, self.notes)
        categories = [c for c in (_category_index(line) for line in category_text.split("\n") if line.strip())]
        if sheet.continues_merge(row, columns["course"]):
            return
        field = FORMS["training_report"].field
        course_raw = sheet.get(row, columns["course"])
        hours_raw = sheet.get(row, columns["hours"]) if "hours" in columns else None
        course_text = stored_text(course_raw, None, where, self.notes)
        hours_text = stored_text(hours_raw, None, where, self.notes)
        n_all = len(training_report.CATEGORIES)
        consistent = len(categories) == len(cell_lines(course_raw, 0)) and None not in categories
        if not consistent and len(cell_lines(course_raw, 0)) == n_all and course_text.strip():
            # The app's sheet prints all six categories in a locked cell and one course line for each: the
            # lines are read by their place, whatever that locked cell was changed to.
            if category_text.strip():
                self.notes.append(
                    f"{category_where} 課程類別：此欄是固定的六個類別，"
                    f"被改成「{category_text.replace(chr(10), '、')}」，"
                    "未採用；課程名稱與時數依列序對應六個類別"
                )
            categories = list(range(1, n_all + 1))
        if not categories:
            if course_text.strip():
                self.notes.append(f"{where} 課程名稱：找不到對應的課程類別，未匯入「{course_text}」")
            return
        for n in range(1, n_all + 1):
            wheres[training_report.course_key(n)] = where
            if "hours" in columns:
                wheres[training_report.hours_key(n)] = cell_name(sheet.name, row, columns["hours"])
        if len(categories) == 1 and categories[0] is not None:
            n = categories[0]
            session[training_report.course_key(n)] = field(training_report.course_key(n)).type.parse(course_text).text
            session[training_report.hours_key(n)] = field(training_report.hours_key(n)).type.parse(hours_text).text
            return
        # One line per category in each of the three cells (this app's sheet and the guide's own example).
        courses = cell_lines(course_raw, len(categories))
        hours = cell_lines(hours_raw, len(categories)) if "\n" in str(hours_raw or "") else hours_text.split()
        if len(courses) == len(categories) == len(hours) and None not in categories:
            for category, course, hour in zip(categories, courses, hours, strict=True):
                if category is not None and (course or hour):  # (never None here: checked above; for the type checker)
                    course_key, hours_key = training_report.course_key(category), training_report.hours_key(category)
                    session[course_key] = field(course_key).type.parse(course).text
                    session[hours_key] = field(hours_key).type.parse(hour).text
        elif course_text.strip():
            self.notes.append(
                f"{where}：課程名稱與課程類別對不起來（{len(categories)} 類、{len(courses)} 個名稱），請在程式中補填"
            )


def _category_index(text: str) -> int | None:
    key = label_key(text)
    for n, category in enumerate(training_report.CATEGORIES, start=1):
        if label_key(category) == key:
            return n
    for n, category in enumerate(training_report.CATEGORIES, start=1):
        if similar(label_key(category), key):
            return n
    return None
