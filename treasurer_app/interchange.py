"""The project interchange file: a versioned JSON document holding a whole project.

Described in ``docs/interchange.md``. Reading never raises anything but
``InterchangeError``, whose message names the file, the path inside the
document and the reason, in Chinese.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Mapping
from pathlib import Path

from treasurer_app.forms import FORMS, SCALAR_FORMS
from treasurer_app.forms.base import Record
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.sheet import ENTRY_KEYS, HEADER_KEYS
from treasurer_app.line_subsidy.forms import LINE_FORMS, LINE_SCALAR_FORMS, LINE_TABLES
from treasurer_app.normalise import normalise_project
from treasurer_app.project import ATTACHMENT_KINDS, Project, YearBook

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Any

FORMAT_NAME = "treasurer-app-project"
# 2: years.Y.line_subsidy (the LINE official-account subsidy)
# 3: years.Y.training_report, sheet 4's rows under the form's own name (training_sessions before; still read)
FORMAT_VERSION = 3
SESSIONS_KEY_BEFORE_3 = "training_sessions"
LINE_KEY = "line_subsidy"
MAX_FILE_BYTES = 200 * 1024 * 1024


class InterchangeError(Exception):
    """A file that cannot be read as a project. ``str(error)`` is the Chinese message."""

    def __init__(self, source: str, path: str, reason: str) -> None:
        self.source = source
        self.path = path
        self.reason = reason
        where = f"（位置：{_printable(path)}）" if path else ""
        super().__init__(f"{_printable(source)}：{reason}{where}")


def _printable(text: str) -> str:
    """The text with lone surrogates (a key in the file, an undecodable file name) written as \\udxxx:
    a message that cannot be encoded cannot be shown or printed."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _lone_surrogate(text: str) -> str | None:
    """The first code point of ``text`` that no file can hold (U+D800–U+DFFF on its own), as U+XXXX."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"U+{ord(text[exc.start]):04X}"
    return None


# ---------------------------------------------------------------- writing


def project_to_dict(project: Project) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "years": {str(year): _year_to_dict(book) for year, book in sorted(project.years.items())},
    }


def _year_to_dict(book: YearBook) -> dict[str, Any]:
    return {
        "forms": {form_id: dict(book.forms.get(form_id, {})) for form_id in SCALAR_FORMS},
        "roster": [dict(r) for r in book.roster],
        "training_report": [dict(r) for r in book.training_report],
        "ledger": None
        if book.ledger is None
        else {"header": dict(book.ledger.header), "entries": [dict(e) for e in book.ledger.entries]},
        "attachments": dict(book.attachments),
        "acknowledged": sorted(book.acknowledged),
        **_line_to_dict(book),
    }


def _line_to_dict(book: YearBook) -> dict[str, Any]:
    """The LINE subsidy of the year, left out when the union does not use it that year."""
    forms = {form_id: dict(book.forms.get(form_id, {})) for form_id in LINE_SCALAR_FORMS}
    tables = {form_id: [dict(r) for r in book.line_rows.get(form_id, [])] for form_id in LINE_TABLES}
    if not any(text for record in forms.values() for text in record.values()) and not any(tables.values()):
        return {}  # blank texts left by an undone edit are no use of the programme
    return {LINE_KEY: {"forms": forms, "tables": tables}}


def dumps(project: Project) -> str:
    return json.dumps(project_to_dict(project), ensure_ascii=False, indent=1)


def save(project: Project, path: str | Path) -> None:
    target = Path(path)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(dumps(project), encoding="utf-8")
    temporary.replace(target)  # never leave a half-written file behind


# ---------------------------------------------------------------- reading


def load(path: str | Path) -> Project:
    source = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise InterchangeError(source, "", "檔案過大，不是本程式的專案檔")
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InterchangeError(source, "", "找不到檔案") from None
    except IsADirectoryError:
        raise InterchangeError(source, "", "這是資料夾，不是專案檔") from None
    except PermissionError:
        raise InterchangeError(source, "", "沒有讀取權限") from None
    except OSError as exc:
        raise InterchangeError(source, "", f"無法讀取檔案（{exc.strerror or exc}）") from None
    return loads(raw, source)


def loads(raw: bytes | str, source: str = "專案檔") -> Project:
    # A lone surrogate (U+D800–U+DFFF) no file can hold comes from an escape (\\ud800) or a text given as such.
    surrogates = not isinstance(raw, bytes) and _lone_surrogate(raw) is not None
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InterchangeError(source, "", "不是 UTF-8 文字檔，無法當作專案檔讀取") from None
    if not raw.strip():
        raise InterchangeError(source, "", "檔案是空的，不是專案檔")
    # The cyclic garbage collector paused while the file becomes a project: a year's ledger is tens of thousands
    # of records, none in a cycle, and the collections their making set off were a fifth of the reading.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read(raw, source, surrogates)
    finally:
        if collecting:
            gc.enable()


def _read(raw: str, source: str, surrogates: bool) -> Project:
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InterchangeError(source, f"第 {exc.lineno} 行第 {exc.colno} 字", "JSON 格式錯誤") from None
    except RecursionError:
        raise InterchangeError(source, "", "JSON 巢狀過深") from None
    except ValueError:  # e.g. an integer literal longer than Python converts (4,300 digits)
        raise InterchangeError(source, "", "JSON 內含無法讀取的數值（位數過多）") from None
    # The document is this reader's own: its records become the project's as they are; its texts are searched
    # for a lone surrogate only when the file can hold one.
    surrogates = surrogates or _SURROGATE_ESCAPE.search(raw) is not None
    return _project(document, source, owned=True, surrogates=surrogates)


def project_from_dict(document: Any, source: str = "專案檔") -> Project:
    """The project in a document already read (its records are copied: the document stays the caller's)."""
    return _project(document, source, owned=False, surrogates=True)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_TEXT_ONLY = frozenset((str,))


def _project(document: Any, source: str, owned: bool, surrogates: bool) -> Project:
    reader = _Reader(source, 0, owned, surrogates)
    root = reader.mapping(document, "")
    if root.get("format") != FORMAT_NAME:
        raise InterchangeError(source, "format", f"不是本程式的專案檔（format 應為 {FORMAT_NAME}）")
    version = root.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InterchangeError(source, "version", "缺少版本號或版本號不是整數")
    if version > FORMAT_VERSION:
        raise InterchangeError(
            source, "version", f"檔案版本 {version} 比本程式支援的版本 {FORMAT_VERSION} 新，請更新程式"
        )
    if version < 1:
        raise InterchangeError(source, "version", f"不支援的版本 {version}")
    reader.version = version
    project = Project()
    years = reader.mapping(root.get("years", {}), "years")
    for year_text, year_doc in years.items():
        path = f"years.{year_text}"
        is_year = isinstance(year_text, str) and year_text.isascii() and year_text.isdigit()  # not ¹¹⁵ or １１５
        if not (is_year and 100 <= int(year_text) <= 999):
            raise InterchangeError(source, path, "年度須為 3 位數民國年（例如 115）")
        project.years[int(year_text)] = reader.year(int(year_text), year_doc, path)
    # Values as the editor would have stored them had they been typed: 「１２３４５６７５」 is 12345675.
    return normalise_project(project)


class _Reader:
    """Reads a document into a project. ``owned``: the document is the reader's own, so a record holding only
    known keys and texts is taken as it is, not copied. ``surrogates``: a text may hold a lone surrogate."""

    def __init__(self, source: str, version: int, owned: bool = False, surrogates: bool = True) -> None:
        self.source = source
        self.version = version
        self.owned = owned
        self.surrogates = surrogates

    def fail(self, path: str, reason: str) -> InterchangeError:
        return InterchangeError(self.source, path, reason)

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "應為物件（{…}）")
        return value

    def sequence(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, "應為陣列（[…]）")
        return value

    def record(self, value: Any, path: str, allowed: frozenset[str] | None) -> Record:
        result: Record = {}
        for key, item in self.mapping(value, path).items():
            if allowed is not None and key not in allowed:
                raise self.fail(f"{path}.{key}", "不認得的欄位")
            result[key] = self.text(item, f"{path}.{key}")
        return result

    def records(self, value: Any, path: str, allowed: frozenset[str]) -> list[Record]:
        """The array at ``path`` as records (an entry, a member, a session…): each one taken as it is when the
        document is the reader's own and it holds only known keys and plain texts (a quarter's 25,000 entries),
        else read and checked value by value (``record``)."""
        result: list[Record] = []
        take = self.owned and not self.surrogates
        for i, row in enumerate(self.sequence(value, path)):
            if (
                take
                and type(row) is dict
                and allowed.issuperset(row)
                and _TEXT_ONLY.issuperset(map(type, row.values()))
            ):
                result.append(row)
            else:
                result.append(self.record(row, f"{path}[{i}]", allowed))
        return result

    def text(self, value: Any, path: str) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            raise self.fail(path, "應為文字或數字，不可為 true/false")
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            if value.is_integer():
                return str(int(value))
            return repr(value)
        if isinstance(value, str):
            # JSON may spell half a character pair (\\ud800); no workbook, PDF or report could hold it.
            if self.surrogates and (bad := _lone_surrogate(value)):
                raise self.fail(path, f"含有無效的字元（{bad}，不成對的代理字元），請更正這個值")
            return value
        raise self.fail(path, "應為文字或數字")

    def year(self, year: int, value: Any, path: str) -> YearBook:
        doc = self.mapping(value, path)
        book = YearBook(year)
        forms = self.mapping(doc.get("forms", {}), f"{path}.forms")
        for form_id, form_doc in forms.items():
            if form_id not in SCALAR_FORMS:
                raise self.fail(f"{path}.forms.{form_id}", "不認得的表單")
            spec = FORMS[form_id]
            keys = frozenset(f.key for f in (*spec.fields, *spec.extra_fields))
            book.forms[form_id] = self.record(form_doc, f"{path}.forms.{form_id}", keys)
        book.forms["application"].setdefault("year", str(year))
        sessions_key = "training_report" if self.version >= 3 else SESSIONS_KEY_BEFORE_3
        wrong_key = SESSIONS_KEY_BEFORE_3 if self.version >= 3 else "training_report"
        if wrong_key in doc:  # read as nothing, the sessions would be lost without a word
            raise self.fail(f"{path}.{wrong_key}", f"第 {self.version} 版的檔案應寫為 {sessions_key}")
        for key, form_id, target in (
            ("roster", "roster", book.roster),
            (sessions_key, "training_report", book.training_report),
        ):
            columns = frozenset(f.key for f in FORMS[form_id].columns)
            target.extend(self.records(doc.get(key, []), f"{path}.{key}", columns))
        ledger = doc.get("ledger")
        if ledger is not None:
            ledger_doc = self.mapping(ledger, f"{path}.ledger")
            header = self.record(ledger_doc.get("header", {}), f"{path}.ledger.header", frozenset(HEADER_KEYS))
            entries = self.records(ledger_doc.get("entries", []), f"{path}.ledger.entries", frozenset(ENTRY_KEYS))
            book.ledger = LedgerBook(header, entries)
        attachments = self.record(doc.get("attachments", {}), f"{path}.attachments", frozenset(ATTACHMENT_KINDS))
        book.attachments.update(attachments)
        acknowledged = self.sequence(doc.get("acknowledged", []), f"{path}.acknowledged")
        book.acknowledged = {self.text(a, f"{path}.acknowledged[{i}]") for i, a in enumerate(acknowledged)}
        if doc.get(LINE_KEY) is not None:
            self.line(book, doc[LINE_KEY], f"{path}.{LINE_KEY}")
        return book

    def line(self, book: YearBook, value: Any, path: str) -> None:
        doc = self.mapping(value, path)
        for key in doc:
            if key not in ("forms", "tables"):
                raise self.fail(f"{path}.{key}", "不認得的欄位")
        forms = self.mapping(doc.get("forms", {}), f"{path}.forms")
        for form_id, form_doc in forms.items():
            if form_id not in LINE_SCALAR_FORMS:
                raise self.fail(f"{path}.forms.{form_id}", "不認得的表單")
            keys = frozenset(f.key for f in LINE_FORMS[form_id].fields)
            book.forms[form_id] = self.record(form_doc, f"{path}.forms.{form_id}", keys)
        tables = self.mapping(doc.get("tables", {}), f"{path}.tables")
        for form_id, rows in tables.items():
            if form_id not in LINE_TABLES:
                raise self.fail(f"{path}.tables.{form_id}", "不認得的表格")
            columns = frozenset(f.key for f in LINE_FORMS[form_id].columns)
            book.line_rows[form_id] = self.records(rows, f"{path}.tables.{form_id}", columns)
