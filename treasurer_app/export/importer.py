"""Reading a workbook back: this app's own .xls/.xlsx, or the official template filled in by hand.

Sheets are found by name (or by their printed title), cells by the labels
beside them, not by fixed coordinates: the layout the importer expects is the
very grid ``layouts`` prints, so the two can never drift apart. Whatever the
file holds, ``import_workbook`` returns an ``ImportResult`` or raises
``WorkbookImportError`` with a Chinese message naming the file and the reason.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from treasurer_app.export import layouts
from treasurer_app.export.grid import Cell, Grid, Style, a1
from treasurer_app.fields import Field, RocDate, TaxId, date_to_roc
from treasurer_app.forms import FORMS, SCALAR_FORMS
from treasurer_app.forms import final_accounts as fa
from treasurer_app.forms import roster as roster_form
from treasurer_app.forms import training_report as tr
from treasurer_app.forms import work_plan as wp
from treasurer_app.ledger.codes import KINDS, code_from_text, lookup
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.sheet import (
    COLUMN_LABELS,
    ENTRY_FIELD,
    ENTRY_KEYS,
    ENTRY_ROWS,
    HEADER_FIELDS,
    HEADER_LABELS,
    LEDGER_TITLE,
    MONEY_UNIT,
    OPENING_KEYS,
    YEAR_UNIT,
)
from treasurer_app.normalise import normalise_book
from treasurer_app.project import Project, Record, YearBook

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks to more
MAX_ROWS = 200_000  # a year's ledger of 50,000 entries fits many times over
MAX_MERGED_CELLS = 2_000_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_XLSX_MARK = "EncryptionInfo".encode("utf-16-le")  # an encrypted .xlsx is an OLE file with this stream
HEADER_SEARCH_ROWS = 40
FUZZY_RATIO = 0.8

Value = str | int | float | date | None


class WorkbookImportError(Exception):
    """A workbook that cannot be imported. ``str(error)`` is the Chinese message: file name and reason."""

    def __init__(self, source: str, reason: str, detail: str = "") -> None:
        self.source = source
        self.reason = reason
        self.detail = detail  # the reader's own exception, for a log; never shown as the message
        super().__init__(f"{source}：{reason}")


@dataclass
class ImportResult:
    """What a workbook held: an application year (``kind`` "application") or a year's cash ledger ("ledger")."""

    book: YearBook
    kind: str
    notes: list[str] = field(default_factory=list)  # Chinese: everything skipped or adjusted, by sheet!cell
    # Where each value was read: (form id or "ledger", field key, table row or None) → 「工作表!C16」.
    cells: dict[tuple[str, str | None, int | None], str] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)  # form id → the worksheet it was read from
    taken: int = 0  # how many cells held a value that was taken

    def where(self, form: str, key: str | None, row: int | None) -> str:
        """「工作表!C16」 of a value, the row's first cell for a table row, the sheet's name at least; "" unknown."""
        for candidate in ((form, key, row), (form, None, row), (form, key, None)):
            if candidate in self.cells:
                return self.cells[candidate]
        return self.sheets.get(form, "")

    @property
    def year(self) -> int:
        return self.book.year


def import_workbook(path: str | Path) -> ImportResult:
    source = Path(path).name or str(path)
    try:
        data = _read_bytes(Path(path), source)
        sheets = _open(data, source)
        result = _interpret(sheets, source)
        normalise_book(result.book)  # every value as typing it would store it, whatever path it came in by
        return result
    except WorkbookImportError:
        raise
    except MemoryError:
        raise WorkbookImportError(source, "檔案太大，記憶體不足以讀取") from None
    except RecursionError:
        raise WorkbookImportError(source, "檔案結構異常（巢狀過深），可能已損壞") from None
    except Exception as exc:  # any failure on a damaged file: never a traceback for the user
        raise WorkbookImportError(source, "檔案內容無法解讀，可能已損壞", repr(exc)) from None


# ---------------------------------------------------------------- reading the file


def _read_bytes(path: Path, source: str) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise WorkbookImportError(source, "這是資料夾，不是 Excel 活頁簿")
        if size > MAX_FILE_BYTES:
            raise WorkbookImportError(source, f"檔案太大（{size // (1024 * 1024)} MB），不像申請書或登記簿")
        data = path.read_bytes()
    except FileNotFoundError:
        raise WorkbookImportError(source, "找不到檔案") from None
    except PermissionError:
        raise WorkbookImportError(source, "沒有讀取權限（檔案可能正在 Excel 中開啟）") from None
    except OSError as exc:
        raise WorkbookImportError(source, f"無法讀取檔案（{exc.strerror or exc}）") from None
    if not data:
        raise WorkbookImportError(source, "檔案是空的（0 位元組）")
    return data


@dataclass
class _Sheet:
    """A worksheet as plain values, 0-based, with merged areas resolved to their first cell."""

    name: str
    values: dict[tuple[int, int], Value]
    origins: dict[tuple[int, int], tuple[int, int]]  # covered cell → first cell of its merged area
    rows: dict[int, dict[int, Value]] = field(default_factory=dict)  # row → col → value, merges filled in
    _texts: dict[int, dict[int, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for (row, col), value in self.values.items():
            self.rows.setdefault(row, {})[col] = value
        for (row, col), origin in self.origins.items():
            value = self.values.get(origin)
            if value is not None:
                self.rows.setdefault(row, {})[col] = value

    @property
    def n_rows(self) -> int:
        return max(self.rows, default=-1) + 1

    def get(self, row: int, col: int) -> Value:
        return self.values.get(self.origins.get((row, col), (row, col)))

    def continues_merge(self, row: int, col: int) -> bool:
        origin = self.origins.get((row, col))
        return origin is not None and origin[0] != row

    def texts(self, row: int) -> dict[int, str]:
        """The row's texts as labels compare (worked out once: the matchers ask for each row many times)."""
        if row not in self._texts:
            self._texts[row] = {
                col: _label_key(v) for col, v in self.rows.get(row, {}).items() if isinstance(v, str) and v.strip()
            }
        return self._texts[row]

    @property
    def empty(self) -> bool:
        return not any(v not in (None, "") for v in self.values.values())


def _open(data: bytes, source: str) -> list[_Sheet]:
    if data.startswith(ZIP_MAGIC):
        return _guarded(_open_xlsx, data, source, "檔案已損壞，無法當作 Excel 活頁簿（.xlsx）讀取")
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_XLSX_MARK in data:
            raise WorkbookImportError(source, "檔案有密碼保護（加密），請先在 Excel 取消密碼再匯入")
        return _guarded(_open_xls, data, source, "檔案已損壞，無法當作 Excel 97-2003 活頁簿（.xls）讀取")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<", b"\xef\xbb\xbf<")):
        raise WorkbookImportError(source, "不是 Excel 活頁簿（內容是網頁或 XML 文字），請在 Excel 另存為 .xls 或 .xlsx")
    if head.startswith(b"%pdf"):
        raise WorkbookImportError(source, "這是 PDF 檔，不是 Excel 活頁簿")
    raise WorkbookImportError(source, "不是 Excel 活頁簿（.xls 或 .xlsx），無法匯入")


def _guarded(
    reader: Callable[[bytes, str], list[_Sheet]], data: bytes, source: str, reason: str
) -> list[_Sheet]:
    """Run a reader; whatever a damaged file makes it raise becomes ``reason``."""
    try:
        return reader(data, source)
    except (WorkbookImportError, MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise WorkbookImportError(source, reason, repr(exc)) from None


def _open_xls(data: bytes, source: str) -> list[_Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO(), verbosity=0)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise WorkbookImportError(source, "檔案有密碼保護（加密），請先在 Excel 取消密碼再匯入") from None
        raise WorkbookImportError(source, "檔案已損壞或不是 Excel 97-2003 活頁簿（.xls），無法讀取") from None
    sheets = []
    for sheet in book.sheets():
        if sheet.nrows > MAX_ROWS:
            raise WorkbookImportError(source, f"工作表「{sheet.name}」有 {sheet.nrows} 列，超過可匯入的 {MAX_ROWS} 列")
        values: dict[tuple[int, int], Value] = {}
        for row in range(sheet.nrows):
            for col, (kind, value) in enumerate(zip(sheet.row_types(row), sheet.row_values(row), strict=False)):
                cell_value = _xls_value(kind, value, book.datemode)
                if cell_value is not None:
                    values[row, col] = cell_value
        merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
        sheets.append(_Sheet(sheet.name, values, _origins(merges)))
    return sheets


def _xls_value(kind: int, value: object, datemode: int) -> Value:
    import xlrd

    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_TEXT:
        return str(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(float(value), datemode).date()  # type: ignore[arg-type]
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return None


def _open_xlsx(data: bytes, source: str) -> list[_Sheet]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(max(0, info.file_size) for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise WorkbookImportError(source, "檔案已損壞（zip 結構不完整），無法讀取") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookImportError(source, "檔案解壓縮後過大，不像申請書或登記簿")
    if "xl/workbook.xml" not in names:
        raise WorkbookImportError(source, "不是 Excel 活頁簿（.xlsx 缺少 workbook 內容），可能已損壞或是其他軟體的檔案")
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    sheets = []
    for sheet in book.worksheets:
        # ``_cells`` holds only the cells the file has; iter_rows would create every empty cell up to max_row.
        cells = sheet._cells
        if len(cells) > MAX_ROWS * 20:
            raise WorkbookImportError(source, f"工作表「{sheet.title}」太大，超過可匯入的範圍")
        values: dict[tuple[int, int], Value] = {}
        for (row, col), cell in cells.items():
            value = _xlsx_value(cell.value)
            if value is not None:
                if row > MAX_ROWS:
                    raise WorkbookImportError(source, f"工作表「{sheet.title}」超過 {MAX_ROWS} 列，無法匯入")
                values[row - 1, col - 1] = value
        merges = [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
        sheets.append(_Sheet(sheet.title, values, _origins(merges)))
    return sheets


FORMULA_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"})


def _xlsx_value(value: object) -> Value:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return None if value in FORMULA_ERRORS else value  # an error cached in place of a formula's result
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _origins(merges: Iterable[tuple[int, int, int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for first_row, last_row, first_col, last_col in merges:
        area = (last_row - first_row + 1) * (last_col - first_col + 1)
        if area <= 1 or len(origins) + area > MAX_MERGED_CELLS:
            continue
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                origins[row, col] = (first_row, first_col)
    return origins


# ---------------------------------------------------------------- matching texts


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


# The guide itself writes both 第一天 and 第1天.
_NUMERALS = str.maketrans({"一": "1", "二": "2"})


def _label_key(value: object) -> str:
    """How labels are compared: width, spaces and case folded, ROC years masked (a 113/114 mix-up still matches)."""
    return re.sub(r"(?<![0-9])[0-9]{3}(?![0-9])", "#", _plain(str(value)).translate(_NUMERALS))


def _similar(a: str, b: str) -> bool:
    # Lengths first (difflib's real_quick_ratio, before building a matcher): a 32,000-character cell is
    # never like a 6-character label, and building and running the matcher on every row takes seconds.
    if 2 * min(len(a), len(b)) < FUZZY_RATIO * (len(a) + len(b)):
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= FUZZY_RATIO and matcher.ratio() >= FUZZY_RATIO


def _sheet_for(sheets: Sequence[_Sheet], name: str, title: str | None = None) -> _Sheet | None:
    wanted = _label_key(name)
    for sheet in sheets:
        if _label_key(sheet.name) == wanted:
            return sheet
    for sheet in sheets:
        key = _label_key(sheet.name)
        if key and (wanted.startswith(key) or key.startswith(wanted)) and len(key) >= 4:
            return sheet
    if title:
        title_key = _label_key(title)
        for sheet in sheets:
            for row in range(min(sheet.n_rows, 6)):
                texts = sheet.texts(row).values()
                if any(text == title_key or (len(text) > 4 and text.endswith(title_key)) for text in texts):
                    return sheet
    return None


# ---------------------------------------------------------------- cell values → stored text


def _number_text(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    try:
        return format(Decimal(repr(value)).normalize(), "f")
    except InvalidOperation:
        return repr(value)


def cell_name(sheet: str, row: int, col: int) -> str:
    """「決算及運用情形!C16」: how the report names a cell (0-based row and column)."""
    return f"{sheet}!{a1(row, col)}"


EXCEL_SERIALS = range(1, 2958466)  # 1900-01-01 … 9999-12-31 as Excel counts days


def _serial_date(value: int) -> date | None:
    """The date Excel means by a day serial (the 1900 system, its phantom 29 Feb 1900 included)."""
    from datetime import timedelta

    if value not in EXCEL_SERIALS:
        return None
    try:
        return date(1899, 12, 30) + timedelta(days=value) if value > 60 else date(1899, 12, 31) + timedelta(days=value)
    except OverflowError:
        return None


def _text(value: Value, spec_field: Field | None, where: str, notes: list[str]) -> str:
    """The text the app stores for a cell's value, normalised by the field type."""
    if value is None:
        return ""
    if (
        isinstance(value, int) and spec_field is not None and isinstance(spec_field.type, RocDate)
        and 10_000 <= value <= 99_999
    ):
        # A date typed in Excel and turned into its day serial by a format change: 45852 is 2025-07-14.
        meant = _serial_date(value)
        if meant is not None and meant.year >= 1912:
            text = date_to_roc(meant)
            notes.append(f"{where}：儲存格是 Excel 日期序號 {value}（{meant.isoformat()}），已讀成 {text}，請確認")
            return text
    if isinstance(value, date):
        text = date_to_roc(value) if 1912 <= value.year <= 2910 else value.isoformat()
        if spec_field is not None and not isinstance(spec_field.type, RocDate):
            # Excel turns 5/7 typed into 辦理時間 (or a figure formatted as a date) into a date.
            notes.append(f"{where}：儲存格是日期（{value.isoformat()}），已讀成 {text}，請確認")
            return spec_field.type.parse(text).text
        return text
    if isinstance(value, int | float):
        text = _number_text(value)
        if spec_field is not None and text.isdigit():
            width = 7 if isinstance(spec_field.type, RocDate) else 8 if isinstance(spec_field.type, TaxId) else 0
            if len(text) < width:
                notes.append(f"{where}：儲存格是數字 {text}，已補回開頭的 0 成為 {text.zfill(width)}")
                text = text.zfill(width)
    else:
        text = str(value)
    if spec_field is None:
        return text.strip()
    return spec_field.type.parse(text).text


# ---------------------------------------------------------------- interpreting the workbook


def _interpret(sheets: list[_Sheet], source: str) -> ImportResult:
    if not sheets or all(sheet.empty for sheet in sheets):
        raise WorkbookImportError(source, "活頁簿是空的，沒有任何資料")
    first = FORMS["application"]
    if _sheet_for(sheets, first.sheet_name, first.title) is not None:
        return _Application(sheets, source).read()
    if _sheet_for(sheets, LEDGER_TITLE, LEDGER_TITLE) is not None:
        return _Ledger(sheets, source).read()
    names = "、".join(f"「{s.name}」" for s in sheets[:7])
    raise WorkbookImportError(
        source,
        f"找不到「{first.sheet_name}」或「{LEDGER_TITLE}」工作表（活頁簿裡有 {names}），"
        "不是申請書或登記簿的格式",
    )


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
        h for h in grid.cells
        if h.style is Style.HEADER and h.last_row < cell.row and h.col <= cell.col <= h.last_col
    ]
    return str(max(headers, key=lambda h: h.last_row).value) if headers else f"第 {cell.col + 1} 欄"


def _row_labels(grid: Grid, row: int) -> list[tuple[int, str, str]]:
    """(column, comparison key, text) of the labels of a template row, merged labels from rows above included."""
    labels = [
        (cell.col, _label_key(cell.value), cell.value)
        for cell in grid.cells
        if cell.style is Style.LABEL and cell.row <= row <= cell.last_row and isinstance(cell.value, str) and cell.value
    ]
    return sorted(labels)


class _Matcher:
    """Finds template rows in a worksheet by their labels, in order."""

    def __init__(self, sheet: _Sheet) -> None:
        self.sheet = sheet
        self.cursor = 0

    def find(self, labels: Sequence[tuple[int, str]]) -> tuple[int, int] | None:
        """(worksheet row, column offset) of the row carrying ``labels``; None when not found."""
        rows = sorted(self.sheet.rows)
        after = [r for r in rows if r >= self.cursor]
        before = [r for r in rows if r < self.cursor]
        for candidates, strict in ((after, True), (before, True), (after, False)):
            for row in candidates:
                offset = self._match(row, labels, strict)
                if offset is not None:
                    self.cursor = row + 1
                    return row, offset
        return None

    def _match(self, row: int, labels: Sequence[tuple[int, str]], strict: bool) -> int | None:
        texts = self.sheet.texts(row)
        anchor_col, anchor = labels[-1]
        for col, text in texts.items():
            if text != anchor and (strict or not _similar(text, anchor)):
                continue
            offset = col - anchor_col
            if not strict or all(texts.get(c + offset) == label for c, label in labels[:-1]):
                return offset
        return None


class _Application:
    def __init__(self, sheets: list[_Sheet], source: str) -> None:
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
            sheet = _sheet_for(self.sheets, spec.sheet_name, spec.title_for(year))
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
                book.sessions = self._sessions(sheet)
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
            ours = grid.at(cell.row, cell.col) if grid is not None else None
            if ours is None or raw in (None, "") or isinstance(raw, date):
                continue
            read = _number(raw)
            expected = _number(ours.value)
            if read is None or expected is None or read == expected:
                continue
            self.notes.append(
                f"{where}／{_column_header(grid, cell)}：活頁簿寫 {read.normalize():,f}，"
                f"本程式依各項計算為 {expected.normalize():,f}，此合計不匯入（由各項自動相加）"
            )

    # ---- sheet 1 first: the year every other label depends on

    def _year(self) -> int:
        spec = FORMS["application"]
        sheet = _sheet_for(self.sheets, spec.sheet_name, spec.title)
        assert sheet is not None
        label = spec.field("year").label
        found = _Matcher(sheet).find([(0, _label_key(label))])
        if found is None:
            raise self.fail(f"「{spec.sheet_name}」工作表找不到「{label}」，版面與申請書不同，無法匯入")
        row, offset = found
        text = _text(self._value_right_of(sheet, row, offset), spec.field("year"), label, self.notes)
        year = spec.field("year").type.parse(text).value
        if not isinstance(year, int) or not 100 <= year <= 999:
            raise self.fail(f"{label}：須為 3 位數字的民國年（讀到「{text}」），無法決定各表的年度")
        return year

    @staticmethod
    def column_right_of(sheet: _Sheet, row: int, offset: int) -> int | None:
        for col in sorted(sheet.rows.get(row, {})):
            if col > offset and not (sheet.origins.get((row, col), (row, col))[1] <= offset):
                return sheet.origins.get((row, col), (row, col))[1]
        return None

    @classmethod
    def _value_right_of(cls, sheet: _Sheet, row: int, offset: int) -> Value:
        col = cls.column_right_of(sheet, row, offset)
        return None if col is None else sheet.get(row, col)

    def _union_type(self) -> str:
        spec = FORMS["roster"]
        sheet = _sheet_for(self.sheets, spec.sheet_name)
        if sheet is None:
            return ""
        wanted = {_label_key(label): union_type for union_type, label in roster_form.UNIT_LABELS.items()}
        titles = {_label_key(title): union_type for union_type, title in roster_form.ROSTER_TITLES.items()}
        for row in range(min(sheet.n_rows, HEADER_SEARCH_ROWS)):
            for text in sheet.texts(row).values():
                if text in wanted:
                    return wanted[text]
                if text in titles:
                    return titles[text]
        return ""

    # ---- label-matched sheets

    def _scalar(self, template: Grid, sheet: _Sheet, form_id: str, year: int) -> tuple[Record, bool]:
        spec = FORMS[form_id]
        values: Record = {}
        matcher = _Matcher(sheet)
        found_any = False
        rows = [(row, cells, _row_labels(template, row)) for row, cells in sorted(_read_rows(template).items())]
        rows = [(row, cells, labels) for row, cells, labels in rows if labels]
        # First every row by its labels, then a row whose locked label was changed by its place beside a row found.
        found: dict[int, tuple[int, int] | None] = {row: matcher.find([(c, k) for c, k, _ in labels])
                                                    for row, _, labels in rows}
        every_label = {_label_key(c.value) for c in template.cells if c.style is Style.LABEL and c.value}
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
        self, sheet: _Sheet, labels: list[tuple[int, str, str]], row: int,
        found: dict[int, tuple[int, int] | None], every_label: set[str],
    ) -> tuple[int, int] | None:
        """A row whose locked label was changed: found by its place from the nearest row found by its label,
        when the text there is no other row's label. The change is reported; the values are read."""
        neighbours = sorted((abs(other - row), other) for other, place in found.items() if place is not None)
        if not neighbours:
            return None
        other = neighbours[0][1]
        sheet_row, offset = found[other]  # type: ignore[misc]
        candidate = sheet_row + (row - other)
        col, _, text = labels[-1]
        value = sheet.get(candidate, col + offset)
        if not isinstance(value, str) or not value.strip() or _label_key(value) in every_label:
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
        text = _text(raw, None, where, self.notes)
        if text and _label_key(text) != _label_key(cell.value):
            self.notes.append(
                f"{where}／{_column_header(template, cell)}：此欄印「{cell.value}」不可填寫，讀到「{text}」，未匯入"
            )

    def _store(self, values: Record, form_id: str, key: str, raw: Value, where: str) -> None:
        spec = FORMS[form_id]
        if form_id == "final_accounts" and key == fa.INTEREST_USE.key:
            values[key] = layouts.parse_interest_use(_text(raw, None, where, self.notes))
            return
        if form_id == "work_plan" and key.endswith("_budget_text"):
            text, interest = layouts.split_budget_text(_text(raw, spec.field(key), where, self.notes))
            values[key] = text
            if interest is not None:
                values[key.replace("_budget_text", "_interest")] = str(interest)
            return
        if form_id == "work_plan" and key in wp.INTEREST_KEYS:
            return
        values[key] = _text(raw, spec.field(key), where, self.notes)

    # ---- header-matched tables

    def _roster(self, sheet: _Sheet) -> list[Record]:
        spec = FORMS["roster"]
        headers = {c.key: [c.label] for c in spec.layout.rows().columns}  # type: ignore[union-attr]
        headers["unit"] = list(roster_form.UNIT_LABELS.values())  # the header names the union type
        required = ("name", "national_id")
        header_row, columns = _find_header(sheet, headers, required)
        if header_row is None:
            self.notes.append(_no_headers(spec.sheet_name, headers, required, "名冊"))
            return []
        members = []
        for row in range(header_row + 1, sheet.n_rows):
            member = {
                key: _text(sheet.get(row, col), spec.field(key), cell_name(sheet.name, row, col), self.notes)
                for key, col in columns.items()
            }
            if any(member.values()):
                index = len(members)
                for key, col in columns.items():
                    self._took("roster", key, index, cell_name(sheet.name, row, col), sheet.get(row, col))
                self.cells["roster", None, index] = cell_name(sheet.name, row, min(columns.values()))
                members.append(member)
        return members

    def _sessions(self, sheet: _Sheet) -> list[Record]:
        """One row per session (the declared layout); older files with six rows per session are read too."""
        spec = FORMS["training_report"]
        rows = spec.layout.rows()
        assert rows is not None
        headers = {"no": [rows.number], **{c.key: [c.label] for c in rows.columns}}
        required = ("name", "category")
        header_row, columns = _find_header(sheet, headers, required, depth=2)
        if header_row is None:
            self.notes.append(_no_headers(spec.sheet_name, headers, required, "成果報告"))
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
                        current[key] = _text(sheet.get(row, columns[key]), spec.field(key), where, self.notes)
                        where_of[-1][key] = where
                if "methods" in columns:
                    where = cell_name(sheet.name, row, columns["methods"])
                    current["methods"] = layouts.parse_methods(_text(sheet.get(row, columns["methods"]), None, where,
                                                                      self.notes))
                    where_of[-1]["methods"] = where
            if current is not None:
                self._courses(sheet, row, columns, current, where_of[-1])
        kept = []
        for session, wheres in zip(sessions, where_of, strict=True):
            for key in [k for k, v in session.items() if not v and k.startswith(("course_", "hours_"))]:
                del session[key]
            if any(session.values()):
                for key, where in wheres.items():
                    self._took("training_report", key, len(kept), where, session.get(key) if key else None)
                kept.append(session)
        return kept

    def _courses(
        self, sheet: _Sheet, row: int, columns: dict[str, int], session: Record, wheres: dict[str | None, str]
    ) -> None:
        if "category" not in columns or "course" not in columns:
            return
        where = cell_name(sheet.name, row, columns["course"])
        category_where = cell_name(sheet.name, row, columns["category"])
        category_text = _text(sheet.get(row, columns["category"]), None, category_where, self.notes)
        categories = [c for c in (_category_index(line) for line in category_text.split("\n") if line.strip())]
        if sheet.continues_merge(row, columns["course"]):
            return
        field = FORMS["training_report"].field
        course_raw = sheet.get(row, columns["course"])
        hours_raw = sheet.get(row, columns["hours"]) if "hours" in columns else None
        course_text = _text(course_raw, None, where, self.notes)
        hours_text = _text(hours_raw, None, where, self.notes)
        n_all = len(tr.CATEGORIES)
        consistent = len(categories) == len(_cell_lines(course_raw, 0)) and None not in categories
        if not consistent and len(_cell_lines(course_raw, 0)) == n_all and course_text.strip():
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
            wheres[tr.course_key(n)] = where
            if "hours" in columns:
                wheres[tr.hours_key(n)] = cell_name(sheet.name, row, columns["hours"])
        if len(categories) == 1 and categories[0] is not None:
            n = categories[0]
            session[tr.course_key(n)] = field(tr.course_key(n)).type.parse(course_text).text
            session[tr.hours_key(n)] = field(tr.hours_key(n)).type.parse(hours_text).text
            return
        # One line per category in each of the three cells (this app's sheet and the guide's own example).
        courses = _cell_lines(course_raw, len(categories))
        hours = _cell_lines(hours_raw, len(categories)) if "\n" in str(hours_raw or "") else hours_text.split()
        if len(courses) == len(categories) == len(hours) and None not in categories:
            for n, course, hour in zip(categories, courses, hours, strict=True):
                if course or hour:
                    session[tr.course_key(n)] = field(tr.course_key(n)).type.parse(course).text  # type: ignore[arg-type]
                    session[tr.hours_key(n)] = field(tr.hours_key(n)).type.parse(hour).text  # type: ignore[arg-type]
        elif course_text.strip():
            self.notes.append(
                f"{where}：課程名稱與課程類別對不起來（{len(categories)} 類、{len(courses)} 個名稱），請在程式中補填"
            )


def _number(value: object) -> Decimal | None:
    """A figure as a workbook or a grid holds it (1,234 as text too); None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        try:
            return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return None
    text = str(value).replace(",", "").strip()
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _cell_lines(raw: Value, count: int) -> list[str]:
    """A cell's lines, as many as ``count`` when the cell has fewer (a reader may drop trailing empty lines)."""
    if raw is None:
        return [""] * count
    text = _number_text(raw) if isinstance(raw, int | float) else str(raw)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return lines + [""] * (count - len(lines)) if len(lines) < count else lines


def _category_index(text: str) -> int | None:
    key = _label_key(text)
    for n, category in enumerate(tr.CATEGORIES, start=1):
        if _label_key(category) == key:
            return n
    for n, category in enumerate(tr.CATEGORIES, start=1):
        if _similar(_label_key(category), key):
            return n
    return None


def _no_headers(sheet_name: str, headers: dict[str, list[str]], required: Sequence[str], what: str) -> str:
    """The note for a table whose header row was not found, naming the headers looked for."""
    wanted = "".join(f"「{headers[key][0]}」" for key in required)
    return f"「{sheet_name}」找不到{wanted}等欄位標題，{what}未匯入"


def _find_header(
    sheet: _Sheet, headers: dict[str, list[str]], required: Sequence[str], depth: int = 1
) -> tuple[int | None, dict[str, int]]:
    """The last header row of a table and the column of each header key: exact texts first, then similar ones.

    ``depth`` is how many rows the header may span (the training report's has a second row: 第一天, 男…).
    """
    for row in range(min(sheet.n_rows, HEADER_SEARCH_ROWS)):
        candidates = [
            (r, col, text)
            for r in range(row, row + depth)
            for col, text in sorted(sheet.texts(r).items())
            if r == row or not sheet.continues_merge(r, col)
        ]
        found: dict[str, tuple[int, int]] = {}
        for exact in (True, False):
            for key, labels in headers.items():
                if key in found:
                    continue
                wanted = [_label_key(label) for label in labels]
                taken = {col for _, col in found.values()}
                for r, col, text in candidates:
                    if col not in taken and (text in wanted if exact else any(_similar(text, w) for w in wanted)):
                        found[key] = (r, col)
                        break
        if all(key in found and found[key][0] == row for key in required):
            return max(r for r, _ in found.values()), {key: col for key, (_, col) in found.items()}
    return None, {}


# ---------------------------------------------------------------- a cash ledger workbook


_OLD_CODE = "old_code"  # a 號 column of its own, as files written before issue 13 had


class _Ledger:
    def __init__(self, sheets: list[_Sheet], source: str) -> None:
        self.sheets = sheets
        self.source = source
        self.notes: list[str] = []
        self.cells: dict[tuple[str, str | None, int | None], str] = {}
        self.taken = 0

    def read(self) -> ImportResult:
        sheet = _sheet_for(self.sheets, LEDGER_TITLE, LEDGER_TITLE)
        assert sheet is not None
        header = self._header(sheet)
        year_text = header.pop("year", "")
        year_value = FORMS["application"].field("year").type.parse(year_text.removesuffix(YEAR_UNIT)).value
        if not isinstance(year_value, int) or not 100 <= year_value <= 999:
            raise WorkbookImportError(
                self.source, f"「{LEDGER_TITLE}」年度：須為 3 位數字的民國年（讀到「{year_text}」）"
            )
        book = YearBook(year_value)
        for key in ("union_name", "tax_id"):
            if header.get(key):
                book.forms["application"][key] = header.pop(key)
        book.ledger = LedgerBook(header={k: v for k, v in header.items() if k in OPENING_KEYS.values()},
                                 entries=self._entries(sheet))
        self.notes.append("「上年度未動支利息」不在登記簿上，未匯入；年度結轉時會自動計算")
        parameters = _label_key(layouts.PARAMETER_SHEET_NAME)
        for other in self.sheets:
            if other is not sheet and _label_key(other.name) != parameters and not other.empty:
                self.notes.append(f"略過不認得的工作表「{other.name}」")
        sheets = {"ledger": sheet.name, "application": sheet.name}
        return ImportResult(book, "ledger", self.notes, self.cells, sheets, self.taken)

    def _header(self, sheet: _Sheet) -> dict[str, str]:
        header: dict[str, str] = {}
        application = FORMS["application"]
        money = {f.key: f for f in HEADER_FIELDS}
        matcher = _Matcher(sheet)
        for key, label in HEADER_LABELS:
            if key not in OPENING_KEYS.values() and not application.has_field(key):
                continue
            found = matcher.find([(0, _label_key(label))])
            if found is None:
                self.notes.append(f"「{LEDGER_TITLE}」找不到「{label}」，略過")
                continue
            row, offset = found
            col = _Application.column_right_of(sheet, row, offset)
            raw = None if col is None else sheet.get(row, col)
            where = f"{cell_name(sheet.name, row, offset if col is None else col)} {label}"
            if isinstance(raw, str):
                raw = raw.strip().removesuffix(MONEY_UNIT).strip()
            spec_field = money.get(key) or (application.field(key) if application.has_field(key) else None)
            header[key] = _text(raw, spec_field, where, self.notes)
            address = where.split(" ")[0]
            for form in ("ledger", "application") if application.has_field(key) else ("ledger",):
                self.cells[form, key, None] = address
            self.taken += raw not in (None, "")
        return header

    def _entries(self, sheet: _Sheet) -> list[Record]:
        # The declared columns; 號 is read from 摘要(一), or from a 號 column of an older file when there is one.
        headers = {c.key: [c.label] for c in ENTRY_ROWS.columns if not c.computed}
        headers[_OLD_CODE] = [COLUMN_LABELS["code"]]
        required = ("voucher", "amount")
        header_row, columns = _find_header(sheet, headers, required)
        if header_row is None:
            self.notes.append(_no_headers(LEDGER_TITLE, headers, required, "收支記錄"))
            return []
        code_col = columns.pop(_OLD_CODE, None)
        if code_col is not None:
            columns["code"] = code_col
        first_col = min(columns.values())
        entries = []
        for row in range(header_row + 1, sheet.n_rows):
            raw = {key: sheet.get(row, col) for key, col in columns.items()}
            wheres = {key: cell_name(sheet.name, row, col) for key, col in columns.items()}
            notes: list[str] = []
            if code_col is None and "code" in raw:
                kind = _text(raw.get("kind"), ENTRY_FIELD["kind"], wheres.get("kind", ""), notes)
                raw["code"] = code_from_text(kind, _text(raw.get("code"), None, wheres["code"], notes))
            entry = {key: _text(value, ENTRY_FIELD[key], wheres[key], notes) for key, value in raw.items()}
            if not any(entry.values()):
                continue
            self.notes.extend(notes)
            index = len(entries)
            kind, code = entry.get("kind", "").strip(), entry.get("code", "").strip()
            if code and kind in KINDS and lookup(kind, code) is None:
                self.notes.append(
                    f"{wheres['code']} 摘要(一)：「{code}」不在參數表（{kind}）中，未能對應代號，"
                    "照原文匯入，請改選正確項目"
                )
            for key, where in wheres.items():
                self.cells["ledger", key, index] = where
                self.taken += raw.get(key) not in (None, "")
            self.cells["ledger", None, index] = cell_name(sheet.name, row, first_col)
            entries.append({key: entry.get(key, "") for key in ENTRY_KEYS if key in entry})
        return entries


__all__ = ["ImportResult", "WorkbookImportError", "import_workbook"]
