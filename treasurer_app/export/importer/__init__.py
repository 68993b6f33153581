"""Reading a workbook back: this app's own .xls/.xlsx, or the official template filled in by hand.

Sheets are found by name (or by their printed title), cells by the labels
beside them, not by fixed coordinates: the layout the importer expects is the
very grid ``layouts`` prints, so the two can never drift apart. Whatever the
file holds, ``import_workbook`` returns an ``ImportResult`` or raises
``WorkbookImportError`` with a Chinese message naming the file and the reason.
"""

from __future__ import annotations

from pathlib import Path

from treasurer_app.export.importer.application import ApplicationReader
from treasurer_app.export.importer.cells import (
    ImportResult,
    Sheet,
    WorkbookImportError,
    open_sheets,
    read_file,
    sheet_for,
)
from treasurer_app.export.importer.ledger import LedgerReader
from treasurer_app.forms import FORMS
from treasurer_app.ledger.sheet import LEDGER_TITLE
from treasurer_app.normalise import normalise_book


def import_workbook(path: str | Path) -> ImportResult:
    source = Path(path).name or str(path)
    try:
        data = read_file(Path(path), source)
        sheets = open_sheets(data, source)
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


def _interpret(sheets: list[Sheet], source: str) -> ImportResult:
    if not sheets or all(sheet.empty for sheet in sheets):
        raise WorkbookImportError(source, "活頁簿是空的，沒有任何資料")
    first = FORMS["application"]
    if sheet_for(sheets, first.sheet_name, first.title) is not None:
        return ApplicationReader(sheets, source).read()
    if sheet_for(sheets, LEDGER_TITLE, LEDGER_TITLE) is not None:
        return LedgerReader(sheets, source).read()
    names = "、".join(f"「{s.name}」" for s in sheets[:7])
    raise WorkbookImportError(
        source,
        f"找不到「{first.sheet_name}」或「{LEDGER_TITLE}」工作表（活頁簿裡有 {names}），不是申請書或登記簿的格式",
    )


__all__ = ["ImportResult", "WorkbookImportError", "import_workbook"]
