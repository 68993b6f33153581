"""Reading a workbook's file and cells: the bytes (size and kind checked), the worksheets as plain values
with merged areas resolved, labels compared as the readers compare them, and a cell's value as the text
the app stores (dates, amounts, codes). What the sheets mean is the readers' job (``application``, ``ledger``).
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

from treasurer_app.export.grid import a1
from treasurer_app.fields import Field, RocDate, date_to_roc
from treasurer_app.identifiers import TaxId
from treasurer_app.project import YearBook

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Literal

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


# ---------------------------------------------------------------- reading the file


def read_file(path: Path, source: str) -> bytes:
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
class Sheet:
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
                col: label_key(v) for col, v in self.rows.get(row, {}).items() if isinstance(v, str) and v.strip()
            }
        return self._texts[row]

    @property
    def empty(self) -> bool:
        return not any(v not in (None, "") for v in self.values.values())

    def column_right_of(self, row: int, offset: int) -> int | None:
        """The first column right of ``offset`` on ``row`` holding a value (a label's value), merged areas read
        from their first cell."""
        for col in sorted(self.rows.get(row, {})):
            if col > offset and not (self.origins.get((row, col), (row, col))[1] <= offset):
                return self.origins.get((row, col), (row, col))[1]
        return None


def open_sheets(data: bytes, source: str) -> list[Sheet]:
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


def _guarded(reader: Callable[[bytes, str], list[Sheet]], data: bytes, source: str, reason: str) -> list[Sheet]:
    """Run a reader; whatever a damaged file makes it raise becomes ``reason``."""
    try:
        return reader(data, source)
    except (WorkbookImportError, MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise WorkbookImportError(source, reason, repr(exc)) from None


def _open_xls(data: bytes, source: str) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO(), verbosity=0)
    except xlrd.biffh.XLRDError as exc:  # also xlrd.XLRDError, which the stubs do not declare
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
        sheets.append(Sheet(sheet.name, values, _origins(merges)))
    return sheets


def _xls_value(kind: int, value: object, datemode: Literal[0, 1]) -> Value:
    import xlrd

    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_TEXT:
        return str(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_DATE:
        if not isinstance(value, int | float):  # xlrd gives a date cell's day serial as a float
            return None
        try:
            return xlrd.xldate_as_datetime(float(value), datemode).date()
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return None


def _open_xlsx(data: bytes, source: str) -> list[Sheet]:
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
        sheets.append(Sheet(sheet.title, values, _origins(merges)))
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


def label_key(value: object) -> str:
    """How labels are compared: width, spaces and case folded, ROC years masked (a 113/114 mix-up still matches)."""
    return re.sub(r"(?<![0-9])[0-9]{3}(?![0-9])", "#", _plain(str(value)).translate(_NUMERALS))


def similar(a: str, b: str) -> bool:
    # Lengths first (difflib's real_quick_ratio, before building a matcher): a 32,000-character cell is
    # never like a 6-character label, and building and running the matcher on every row takes seconds.
    if 2 * min(len(a), len(b)) < FUZZY_RATIO * (len(a) + len(b)):
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= FUZZY_RATIO and matcher.ratio() >= FUZZY_RATIO


def sheet_for(sheets: Sequence[Sheet], name: str, title: str | None = None) -> Sheet | None:
    wanted = label_key(name)
    for sheet in sheets:
        if label_key(sheet.name) == wanted:
            return sheet
    for sheet in sheets:
        key = label_key(sheet.name)
        if key and (wanted.startswith(key) or key.startswith(wanted)) and len(key) >= 4:
            return sheet
    if title:
        title_key = label_key(title)
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


def stored_text(value: Value, spec_field: Field | None, where: str, notes: list[str]) -> str:
    """The text the app stores for a cell's value, normalised by the field type."""
    if value is None:
        return ""
    if (
        isinstance(value, int)
        and spec_field is not None
        and isinstance(spec_field.type, RocDate)
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


class Matcher:
    """Finds template rows in a worksheet by their labels, in order."""

    def __init__(self, sheet: Sheet) -> None:
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
            if text != anchor and (strict or not similar(text, anchor)):
                continue
            offset = col - anchor_col
            if not strict or all(texts.get(c + offset) == label for c, label in labels[:-1]):
                return offset
        return None


def decimal_of(value: object) -> Decimal | None:
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


def cell_lines(raw: Value, count: int) -> list[str]:
    """A cell's lines, as many as ``count`` when the cell has fewer (a reader may drop trailing empty lines)."""
    if raw is None:
        return [""] * count
    text = _number_text(raw) if isinstance(raw, int | float) else str(raw)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return lines + [""] * (count - len(lines)) if len(lines) < count else lines


def no_headers(sheet_name: str, headers: dict[str, list[str]], required: Sequence[str], what: str) -> str:
    """The note for a table whose header row was not found, naming the headers looked for."""
    wanted = "".join(f"「{headers[key][0]}」" for key in required)
    return f"「{sheet_name}」找不到{wanted}等欄位標題，{what}未匯入"


def find_header(
    sheet: Sheet, headers: dict[str, list[str]], required: Sequence[str], depth: int = 1
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
                wanted = [label_key(label) for label in labels]
                taken = {col for _, col in found.values()}
                for r, col, text in candidates:
                    if col not in taken and (text in wanted if exact else any(similar(text, w) for w in wanted)):
                        found[key] = (r, col)
                        break
        if all(key in found and found[key][0] == row for key in required):
            return max(r for r, _ in found.values()), {key: col for key, (_, col) in found.items()}
    return None, {}
