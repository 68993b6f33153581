"""Whole workbooks into a project: what several files hold, what would change, and the report in Chinese.

``export.importer`` reads one workbook (an application year or a year's cash ledger)
and names the cell of every value. Here the files of one import are put together
(last year's application and its quarterly ledgers, each ledger being the year to
date), compared with what a project already holds form by form, applied as one
replacement, and checked the way a project is checked, each finding named by the
sheet and cell it was read from. No Qt: the CLI and the window both use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from treasurer_app.editing.edits import ReplaceYears
from treasurer_app.export.importer import ImportResult, WorkbookImportError, import_workbook
from treasurer_app.findings import Finding, error
from treasurer_app.forms import FORM_NAMES, FORMS, SCALAR_FORMS
from treasurer_app.forms.base import Record
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.sheet import LEDGER_TITLE, OPENING_KEYS
from treasurer_app.project import Project, YearBook
from treasurer_app.rules.ledger import check_caps, check_ledger

LEDGER = "ledger"
LEDGER_NAME = LEDGER_TITLE
AREAS = (*FORMS, LEDGER)  # what an import replaces, in the order the report and the diff list it
NEW, CHANGED, UNCHANGED = "新增", "變更", "相同"


def area_name(area: str) -> str:
    return LEDGER_NAME if area == LEDGER else FORM_NAMES.get(area, area)


@dataclass
class FileRead:
    """One file of an import: what it held, or why it could not be read."""

    path: Path
    result: ImportResult | None = None
    failure: str = ""  # the Chinese reason, when the file could not be imported
    superseded_by: str = ""  # a quarter's ledger that a later quarter of the same year contains
    differing: int = 0  # entries of this earlier quarter that the later one holds otherwise

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Batch:
    """The files of one import and the years they make up."""

    files: list[FileRead]
    years: dict[int, YearBook] = field(default_factory=dict)
    areas: dict[int, list[str]] = field(default_factory=dict)  # year → the areas the files hold for it
    # (year, form id) → the keys the workbook has a cell for: others (港區, screen-only fields) are kept
    keys: dict[tuple[int, str], set[str]] = field(default_factory=dict)

    @property
    def failed(self) -> list[FileRead]:
        return [f for f in self.files if f.result is None]

    @property
    def read(self) -> list[FileRead]:
        return [f for f in self.files if f.result is not None]


def read_workbooks(paths: Iterable[str | Path], year: int | None = None) -> Batch:
    """Read every file; a file that cannot be read is named with its reason, never raised.

    ``year``: only workbooks of that year are taken, another year is refused with a reason.
    """
    files = []
    for path in paths:
        read = FileRead(Path(path))
        try:
            read.result = import_workbook(path)
        except WorkbookImportError as failure:
            read.failure = failure.reason
        if read.result is not None and year is not None and read.result.year != year:
            what = _kind_name(read.result.kind)
            read.failure = f"這是 {read.result.year} 年度的{what}，不是指定的 {year} 年度，未匯入"
            read.result = None
        files.append(read)
    return _assemble(files)


def _kind_name(kind: str) -> str:
    return "申請書" if kind == "application" else LEDGER_NAME


def _assemble(files: list[FileRead]) -> Batch:
    batch = Batch(files)
    ledgers: dict[int, list[FileRead]] = {}
    for read in batch.read:
        result = read.result
        assert result is not None
        book = batch.years.setdefault(result.year, YearBook(result.year))
        areas = batch.areas.setdefault(result.year, [])
        if result.kind == "application":
            if any(area in SCALAR_FORMS for area in areas):
                read.failure = f"同一次匯入已有 {result.year} 年度的申請書，這一份未匯入"
                read.result = None
                continue
            ledger = book.ledger
            taken = [form_id for form_id in FORMS if form_id in result.sheets]
            for form_id in taken:
                if form_id in SCALAR_FORMS:
                    book.forms[form_id] = dict(result.book.forms[form_id])
                    held = {key for form, key, row in result.cells if form == form_id and key and row is None}
                    batch.keys[result.year, form_id] = held | set(result.book.forms[form_id])
            if "roster" in taken:
                book.roster = list(result.book.roster)
            if "training_report" in taken:
                book.training_report = list(result.book.training_report)
            book.ledger = ledger
            areas.extend(taken)
        else:
            ledgers.setdefault(result.year, []).append(read)
    for year, reads in ledgers.items():
        # Each quarter's workbook is the year to date: the one with the most entries holds the others.
        reads.sort(key=lambda r: len(_ledger_of(r).entries))
        latest = reads[-1]
        for earlier in reads[:-1]:
            earlier.superseded_by = latest.name
            earlier.differing = _differs_as_prefix(_ledger_of(earlier), _ledger_of(latest))
        book = batch.years[year]
        book.ledger = _ledger_of(latest)
        application = book.forms["application"]
        assert latest.result is not None  # as _ledger_of(latest) just asserted
        for key in ("union_name", "tax_id"):
            if not application.get(key):
                application[key] = latest.result.book.forms["application"].get(key, "")
        batch.areas[year].append(LEDGER)
    return batch


def _ledger_of(read: FileRead) -> LedgerBook:
    assert read.result is not None and read.result.book.ledger is not None
    return read.result.book.ledger


def _differs_as_prefix(shorter: LedgerBook, longer: LedgerBook) -> int:
    """How many of the shorter ledger's entries the longer one holds differently."""
    return sum(1 for a, b in zip(shorter.entries, longer.entries, strict=False) if a != b)


# ---------------------------------------------------------------- what would change


@dataclass(frozen=True)
class AreaChange:
    year: int
    area: str
    status: str  # NEW, CHANGED or UNCHANGED
    detail: str  # Chinese: how many values or rows

    def line(self) -> str:
        detail = f"（{self.detail}）" if self.detail else ""
        return f"{self.year} 年度 {area_name(self.area)}：{self.status}{detail}"


def _filled(record: Record) -> Record:
    return {k: v for k, v in record.items() if v not in ("", None)}


def _rows(rows: Sequence[Record]) -> list[Record]:
    return [_filled(r) for r in rows if _filled(r)]


def diff(project: Project, batch: Batch) -> list[AreaChange]:
    """Form by form, what replacing the project's years with the batch's would do."""
    changes = []
    for year in sorted(batch.years):
        new = batch.years[year]
        old = project.years.get(year)
        for area in AREAS:
            if area not in batch.areas.get(year, []):
                continue
            changes.append(_area_change(year, area, old, new, batch.keys.get((year, area), set())))
    return changes


def _area_change(year: int, area: str, old: YearBook | None, new: YearBook, keys: set[str]) -> AreaChange:
    if area in SCALAR_FORMS:
        before = {k: v for k, v in _filled(old.forms[area]).items() if k in keys} if old else {}
        after = _filled(new.forms[area])
        if area == "application":  # the year is implied by the year itself
            before.pop("year", None)
            after.pop("year", None)
        if not before:
            return AreaChange(year, area, NEW, f"{len(after)} 個欄位")
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        if not changed:
            return AreaChange(year, area, UNCHANGED, "")
        spec = FORMS[area]
        labels = [spec.label(k, year) if spec.has_field(k) else k for k in changed]
        shown = "、".join(labels[:4]) + ("…" if len(labels) > 4 else "")
        return AreaChange(year, area, CHANGED, f"{len(changed)} 個欄位：{shown}")
    if area == LEDGER:
        before_ledger = old.ledger if old else None
        after_ledger = new.ledger or LedgerBook()
        if before_ledger is None or not (_rows(before_ledger.entries) or _filled(before_ledger.header)):
            return AreaChange(year, area, NEW, f"{len(after_ledger.entries)} 筆收支")
        opening = set(OPENING_KEYS.values())
        header_before = {k: v for k, v in _filled(before_ledger.header).items() if k in opening}
        header_changed = header_before != _filled(after_ledger.header)
        return _rows_change(
            year,
            area,
            _rows(before_ledger.entries),
            _rows(after_ledger.entries),
            "筆收支",
            "期初餘額變更" if header_changed else "",
        )
    unit = "位會員" if area == "roster" else "個場次"
    before_rows = _rows(_table(old, area)) if old else []
    after_rows = _rows(_table(new, area))
    if not before_rows:
        return AreaChange(year, area, NEW, f"{len(after_rows)} {unit}")
    return _rows_change(year, area, before_rows, after_rows, unit, "")


def _table(book: YearBook, area: str) -> list[Record]:
    return book.roster if area == "roster" else book.training_report


def _rows_change(year: int, area: str, before: list[Record], after: list[Record], unit: str, extra: str) -> AreaChange:
    if before == after and not extra:
        return AreaChange(year, area, UNCHANGED, f"{len(after)} {unit}")
    same = sum(1 for a, b in zip(before, after, strict=False) if a == b)
    parts = [f"原 {len(before)} {unit}，匯入 {len(after)} {unit}，其中 {len(after) - same} 列不同"]
    if extra:
        parts.append(extra)
    return AreaChange(year, area, CHANGED, "；".join(parts))


def replaces_something(project: Project, changes: Sequence[AreaChange]) -> bool:
    """Whether applying would change data the project already holds (then the user is asked first)."""
    return any(c.status == CHANGED for c in changes)


def import_edit(project: Project, batch: Batch, title: str = "匯入活頁簿") -> ReplaceYears:
    """The import as one edit: each year of the batch as ``project`` holds it with the batch's areas in
    place of its own (other forms of the year untouched). The window pushes it on its undo stack, the
    CLI applies it through a session, ``applied`` to a copy."""
    books = []
    for year, new in sorted(batch.years.items()):
        book = project.years[year].snapshot() if year in project.years else YearBook(year)
        for area in batch.areas.get(year, []):
            if area in SCALAR_FORMS:
                held = batch.keys.get((year, area), set())
                kept = {k: v for k, v in book.forms[area].items() if k not in held}
                book.forms[area] = {**kept, **new.forms[area]}
            elif area == "roster":
                book.roster = list(new.roster)
            elif area == "training_report":
                book.training_report = list(new.training_report)
            elif area == LEDGER:
                carried = (book.ledger.header if book.ledger else {}).get("interest_carried_in", "")
                header = dict(new.ledger.header) if new.ledger else {}
                if carried and not header.get("interest_carried_in"):
                    header["interest_carried_in"] = carried  # not on the ledger sheet: what the project had stays
                book.ledger = LedgerBook(header, list(new.ledger.entries) if new.ledger else [])
                application = book.forms["application"]
                for key in ("union_name", "tax_id"):
                    if not application.get(key) and new.forms["application"].get(key):
                        application[key] = new.forms["application"][key]
        books.append(book)
    return ReplaceYears(books, title)


def applied(project: Project, batch: Batch) -> Project:
    """A copy of ``project`` with the import made: the batch's areas in place of its own."""
    copy = Project({year: book.snapshot() for year, book in project.years.items()})
    import_edit(project, batch).apply(copy)
    return copy


# ---------------------------------------------------------------- the report


def report_lines(batch: Batch) -> list[str]:
    """The import report: per file, what was taken and every cell left out or adjusted, with the reason."""
    lines = []
    for read in batch.files:
        if read.result is None:
            lines.append(f"✗ {read.name}：未匯入 — {read.failure}")
            continue
        result = read.result
        what = f"{result.year} 年度{_kind_name(result.kind)}"
        if result.kind == "application":
            taken = "、".join(FORM_NAMES[f] for f in FORMS if f in result.sheets)
            counts = f"{len(result.book.roster)} 位會員、{len(result.book.training_report)} 個場次"
            lines.append(f"✓ {read.name}：{what}，讀入 {result.taken} 個儲存格（{taken}；{counts}）")
        else:
            entries = len(result.book.ledger.entries) if result.book.ledger else 0
            lines.append(f"✓ {read.name}：{what}，讀入 {result.taken} 個儲存格（表頭、期初餘額、{entries} 筆收支）")
        if read.superseded_by:
            lines.append(f"    這是年初至該季的登記簿，已包含在 {read.superseded_by} 之中，以後者為準")
            if read.differing:
                lines.append(f"    注意：其中 {read.differing} 筆在 {read.superseded_by} 裡的內容不同（以後者為準）")
        if result.notes:
            lines.append(f"    未匯入或已調整（{len(result.notes)} 項）：")
            lines.extend(f"    ・{note}" for note in result.notes)
        else:
            lines.append("    沒有未匯入的儲存格")
    return lines


# ---------------------------------------------------------------- checking a workbook as the upload system would


@dataclass
class WorkbookCheck:
    read: FileRead
    heading: str
    findings: list[Finding]

    def where(self, finding: Finding) -> str:
        result = self.read.result
        if result is None:
            return ""
        form = "application" if finding.form == LEDGER and finding.field in ("union_name", "tax_id") else finding.form
        return result.where(form, finding.field, finding.row) or result.where(finding.form, finding.field, None)


def _off_the_workbook(result: ImportResult, finding: Finding) -> bool:
    form, key = finding.form, finding.field
    if form not in SCALAR_FORMS or not key or not FORMS[form].has_field(key) or form not in result.sheets:
        return False
    return (form, key, None) not in result.cells


def check_workbook(path: str | Path) -> WorkbookCheck:
    """The findings ``treasurer-app check`` reports for a project, for one workbook as it stands."""
    from treasurer_app.rules import check_project

    read = read_workbooks([path]).files[0]
    result = read.result
    if result is None:
        return WorkbookCheck(read, f"{read.name}：無法讀取（{read.failure}）", [])
    year = result.year
    project = Project({year: result.book})
    name = project.union_name(year) or "（未填工會名稱）"
    if result.kind == "application":
        # A field the workbook has no cell for (港區, which only the app's cover letter uses) is not the
        # workbook's to fill: the upload system never sees it.
        findings = [f for f in check_project(project, year) if not _off_the_workbook(result, f)]
        return WorkbookCheck(read, f"{read.name}：{name} {year} 年度申請檢查結果", findings)
    book = result.book.ledger or LedgerBook()
    findings = [*check_ledger(book, year), *check_caps(book, year)]
    spec = FORMS["application"]
    for key in ("union_name", "tax_id"):
        _, message = spec.field(key).check(result.book.forms["application"].get(key, ""))
        if message:
            findings.insert(0, error(LEDGER, f"ledger.header_{key}", message, key))
    return WorkbookCheck(read, f"{read.name}：{name} {year} 年度{LEDGER_NAME}檢查結果", findings)


__all__ = [
    "AREAS",
    "CHANGED",
    "NEW",
    "UNCHANGED",
    "AreaChange",
    "Batch",
    "FileRead",
    "WorkbookCheck",
    "applied",
    "area_name",
    "check_workbook",
    "diff",
    "import_edit",
    "read_workbooks",
    "replaces_something",
    "report_lines",
]
