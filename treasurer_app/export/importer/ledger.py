"""Reading a cash ledger workbook (現金收支登記簿): its header (union, year, opening balances) and its entries,
號 read from 摘要(一) (or from a 號 column of its own, as files written before issue 13 had).
"""

from __future__ import annotations

from treasurer_app.export.importer.cells import (
    ImportResult,
    Matcher,
    Sheet,
    WorkbookImportError,
    cell_name,
    find_header,
    label_key,
    no_headers,
    sheet_for,
    stored_text,
)
from treasurer_app.export.ledger_parameters import PARAMETER_SHEET_NAME
from treasurer_app.forms import FORMS
from treasurer_app.forms.base import Record
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
from treasurer_app.project import YearBook

# ---------------------------------------------------------------- a cash ledger workbook


_OLD_CODE = "old_code"  # a 號 column of its own, as files written before issue 13 had


class LedgerReader:
    def __init__(self, sheets: list[Sheet], source: str) -> None:
        self.sheets = sheets
        self.source = source
        self.notes: list[str] = []
        self.cells: dict[tuple[str, str | None, int | None], str] = {}
        self.taken = 0

    def read(self) -> ImportResult:
        sheet = sheet_for(self.sheets, LEDGER_TITLE, LEDGER_TITLE)
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
        book.ledger = LedgerBook(
            header={k: v for k, v in header.items() if k in OPENING_KEYS.values()}, entries=self._entries(sheet)
        )
        self.notes.append("「上年度未動支利息」不在登記簿上，未匯入；年度結轉時會自動計算")
        parameters = label_key(PARAMETER_SHEET_NAME)
        for other in self.sheets:
            if other is not sheet and label_key(other.name) != parameters and not other.empty:
                self.notes.append(f"略過不認得的工作表「{other.name}」")
        sheets = {"ledger": sheet.name, "application": sheet.name}
        return ImportResult(book, "ledger", self.notes, self.cells, sheets, self.taken)

    def _header(self, sheet: Sheet) -> dict[str, str]:
        header: dict[str, str] = {}
        application = FORMS["application"]
        money = {f.key: f for f in HEADER_FIELDS}
        matcher = Matcher(sheet)
        for key, label in HEADER_LABELS:
            if key not in OPENING_KEYS.values() and not application.has_field(key):
                continue
            found = matcher.find([(0, label_key(label))])
            if found is None:
                self.notes.append(f"「{LEDGER_TITLE}」找不到「{label}」，略過")
                continue
            row, offset = found
            col = sheet.column_right_of(row, offset)
            raw = None if col is None else sheet.get(row, col)
            where = f"{cell_name(sheet.name, row, offset if col is None else col)} {label}"
            if isinstance(raw, str):
                raw = raw.strip().removesuffix(MONEY_UNIT).strip()
            spec_field = money.get(key) or (application.field(key) if application.has_field(key) else None)
            header[key] = stored_text(raw, spec_field, where, self.notes)
            address = where.split(" ")[0]
            for form in ("ledger", "application") if application.has_field(key) else ("ledger",):
                self.cells[form, key, None] = address
            self.taken += raw not in (None, "")
        return header

    def _entries(self, sheet: Sheet) -> list[Record]:
        # The declared columns; 號 is read from 摘要(一), or from a 號 column of an older file when there is one.
        headers = {c.key: [c.label] for c in ENTRY_ROWS.columns if not c.computed}
        headers[_OLD_CODE] = [COLUMN_LABELS["code"]]
        required = ("voucher", "amount")
        header_row, columns = find_header(sheet, headers, required)
        if header_row is None:
            self.notes.append(no_headers(LEDGER_TITLE, headers, required, "收支記錄"))
            return []
        code_col = columns.pop(_OLD_CODE, None)
        if code_col is not None:
            columns["code"] = code_col
        first_col = min(columns.values())
        entries: list[Record] = []
        for row in range(header_row + 1, sheet.n_rows):
            raw = {key: sheet.get(row, col) for key, col in columns.items()}
            wheres = {key: cell_name(sheet.name, row, col) for key, col in columns.items()}
            notes: list[str] = []
            if code_col is None and "code" in raw:
                kind = stored_text(raw.get("kind"), ENTRY_FIELD["kind"], wheres.get("kind", ""), notes)
                raw["code"] = code_from_text(kind, stored_text(raw.get("code"), None, wheres["code"], notes))
            entry = {key: stored_text(value, ENTRY_FIELD[key], wheres[key], notes) for key, value in raw.items()}
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
