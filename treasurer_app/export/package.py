"""The upload package: the application workbook, the two attachment PDFs, the quarterly ledger, an export report.

Nothing is written while an error remains (``ExportRefused`` lists the reasons).
Warnings go into ``export-report-….html`` with whether each was acknowledged,
beside every file written with its size and SHA-256. Each file is written to a
temporary name and renamed, and the whole package into a hidden folder beside the
target, moved in only when every file is written: a failed export leaves nothing
new in the target, not a package that looks complete and is not.
"""

from __future__ import annotations

import gc
import hashlib
import html
import importlib
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from treasurer_app.export import names
from treasurer_app.export.atomic import failure_text, staged_folder, write_atomically
from treasurer_app.export.grid import Grid
from treasurer_app.export.layouts import application_grids, ledger_grids
from treasurer_app.fields import ROC_OFFSET
from treasurer_app.findings import Finding, error
from treasurer_app.forms import FORM_NAMES, FORMS, LEDGER_FORM, PROJECT_FORM
from treasurer_app.forms.roster import PERSONAL_COLUMNS
from treasurer_app.ledger.balances import RunningBalances
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.quarters import QUARTER_MONTHS, parse_quarter, quarter_month, quarter_slice
from treasurer_app.ledger.sheet import LEDGER_TITLE
from treasurer_app.project import Project
from treasurer_app.rules import check_project, errors_only, finding_key
from treasurer_app.rules.attachments import chosen_attachments
from treasurer_app.rules.ledger import check_caps, check_ledger

Writer = Callable[[Sequence[Grid], str | Path], Path]
# Each format's writer (module, function), imported when first used: an .xls export need not load xlsxwriter.
WRITERS: dict[str, tuple[str, str]] = {
    "xls": ("treasurer_app.export.xls", "write_xls"),
    "xlsx": ("treasurer_app.export.xlsx", "write_xlsx"),
}
# What one worksheet of each format can hold (rows, columns): BIFF8 and Office Open XML.
SHEET_LIMITS: dict[str, tuple[int, int]] = {"xls": (65_536, 256), "xlsx": (1_048_576, 16_384)}
_PERSONAL_LABELS = "、".join(FORMS["roster"].field(key).label for key in PERSONAL_COLUMNS)
PERSONAL_DATA_NOTE = f"會員名冊含個人資料（{_PERSONAL_LABELS}），依個人資料保護法請妥善保管、勿任意傳送。"


class ExportRefused(Exception):
    """Export refused while errors remain; ``findings`` are the reasons, ``str()`` a Chinese summary."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        lines = "\n".join(f"・{f.message}" for f in self.findings[:20])
        more = f"\n…另有 {len(self.findings) - 20} 項" if len(self.findings) > 20 else ""
        super().__init__(f"無法匯出：有 {len(self.findings)} 個錯誤須先更正\n{lines}{more}")


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    size: int
    sha256: str


@dataclass
class ExportReport:
    files: list[WrittenFile]  # everything written except the report itself
    warnings: list[tuple[Finding, bool]]  # (warning, acknowledged)
    report_path: Path
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the application


def export_application(
    project: Project, year: int, out_dir: str | Path, fmt: str = "xls", pdf: bool = False, acknowledged: bool = False
) -> ExportReport:
    """Write ``{Y}_{統一編號}_application.{fmt}``, the two attachments and ``export-report-{Y}.html`` into ``out_dir``.

    ``acknowledged``: the user has acknowledged every warning now shown (the report says so).
    Raises ``ExportRefused`` while any error remains, missing or invalid attachments included.
    """
    writer = _writer(fmt)
    findings = check_project(project, year, attachments=True)
    problems = errors_only(findings)
    if problems:
        raise ExportRefused(problems)
    attachments = chosen_attachments(project.years[year].attachments)
    tax_id = project.tax_id(year).strip()
    grids = application_grids(project, year)
    _refuse_what_does_not_fit(grids, fmt, PROJECT_FORM)
    with _write_problems_refused(PROJECT_FORM), staged_folder(out_dir) as out:
        written = [writer(grids, out / f"{names.application_file_stem(year, tax_id)}.{fmt}")]
        for kind, source in attachments.items():
            target = out / names.attachment_file_name(year, tax_id, kind)
            written.append(write_atomically(target, partial(shutil.copyfile, source)))
        if pdf:
            from treasurer_app.export import pdf_package

            written += pdf_package.write_pdf_package(project, year, out, grids)
        title = f"{project.union_name(year)} {year} 年度商港服務費福利專款申請檔"
        report = _finish(
            project,
            year,
            findings,
            acknowledged,
            written,
            out / f"export-report-{year}.html",
            title,
            [PERSONAL_DATA_NOTE] if project.years[year].roster else [],
        )
    return _moved(report, Path(out_dir))


def _writer(fmt: str) -> Writer:
    if fmt not in WRITERS:
        raise ValueError(f"格式：須為 {'、'.join(WRITERS)} 之一（填了 {fmt}）")
    module, name = WRITERS[fmt]
    writer: Writer = getattr(importlib.import_module(module), name)
    return writer


def _moved(report: ExportReport, out: Path) -> ExportReport:
    """The report of a package written in its staging folder, speaking of the files where they now are."""
    files = [WrittenFile(out / f.path.name, f.size, f.sha256) for f in report.files]
    return ExportReport(files, report.warnings, out / report.report_path.name, report.notes)


def _refuse_what_does_not_fit(grids: Sequence[Grid], fmt: str, form: str) -> None:
    """A sheet larger than the format holds is refused before anything is written (a year's ledger
    of 70,000 lines does not fit an .xls worksheet)."""
    most_rows, most_cols = SHEET_LIMITS[fmt]
    problems = [
        error(
            form,
            "export.sheet_too_large",
            f"{grid.sheet_name}：有 {grid.n_rows:,} 列、{grid.n_cols:,} 欄，超過 .{fmt} 工作表的上限"
            f"（{most_rows:,} 列、{most_cols:,} 欄）" + ("，請改匯出 .xlsx" if fmt == "xls" else ""),
        )
        for grid in grids
        if grid.n_rows > most_rows or grid.n_cols > most_cols
    ]
    if problems:
        raise ExportRefused(problems)


def _refuse_entries_that_cannot_fit(entries: int, fmt: str) -> None:
    """Each entry is a row of the ledger sheet: a quarter with more entries than the format has rows is
    refused at once, not after its checks and its layout (seconds on a long ledger) — the exact size,
    with the sheet's title and header rows, is checked again once the sheet is laid out."""
    most_rows, _ = SHEET_LIMITS[fmt]
    if entries > most_rows:
        raise ExportRefused(
            [
                error(
                    LEDGER_FORM,
                    "export.sheet_too_large",
                    f"{FORM_NAMES[LEDGER_FORM]}：有 {entries:,} 筆分錄，超過 .{fmt} 工作表的上限（{most_rows:,} 列）"
                    + ("，請改匯出 .xlsx" if fmt == "xls" else ""),
                )
            ]
        )


@contextmanager
def _write_problems_refused(form: str) -> Iterator[None]:
    """A folder or file that cannot be written is a refusal with the reason, not a crash."""
    try:
        yield
    except OSError as exc:
        raise ExportRefused([error(form, "export.write_failed", f"匯出：{failure_text(exc)}")]) from None


# ---------------------------------------------------------------- the quarterly ledger


def export_ledger(
    project: Project, quarter_text: str, out_dir: str | Path, fmt: str = "xls", pdf: bool = False
) -> ExportReport:
    """Write ``{yyyMM}_{統一編號}_accounting.{fmt}`` (the year to date after the quarter) and its report.

    ``quarter_text`` is like ``115Q1``. Raises ``ExportRefused`` while the ledger has errors.
    """
    with _collector_paused():
        return _export_ledger(project, quarter_text, out_dir, fmt, pdf)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a ledger is laid out and written: a quarter of 25,000 entries
    makes a few million cells, boxes and text runs, none in a cycle, and each full collection walked them all
    (about 15 % of the export's time). Nothing is lost: collection resumes afterwards."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _export_ledger(project: Project, quarter_text: str, out_dir: str | Path, fmt: str, pdf: bool) -> ExportReport:
    writer = _writer(fmt)
    try:
        year, quarter = parse_quarter(quarter_text)
    except ValueError as exc:
        raise ExportRefused([error(LEDGER_FORM, "export.quarter", str(exc))]) from None
    book = project.years.get(year)
    if book is None or book.ledger is None:
        raise ExportRefused([error(LEDGER_FORM, "export.ledger_missing", f"現金收支登記簿：沒有 {year} 年度的資料")])
    findings, grids, notes = _checked_ledger_grids(project, year, quarter, book.ledger, fmt)
    stem = names.accounting_file_stem(year, quarter, project.tax_id(year).strip())
    with _write_problems_refused(LEDGER_FORM), staged_folder(out_dir) as out:
        written = [writer(grids, out / f"{stem}.{fmt}")]
        if pdf:
            from treasurer_app.export import pdf_package

            written.append(pdf_package.write_ledger_pdf(project, year, quarter, out, grids))
        month = quarter_month(year, quarter)
        title = f"{project.union_name(year)} {LEDGER_TITLE}（{year} 年第 {quarter} 季，{month}）"
        report = _finish(project, year, findings, False, written, out / f"export-report-{month}.html", title, notes)
    return _moved(report, Path(out_dir))


def _checked_ledger_grids(
    project: Project, year: int, quarter: int, ledger: LedgerBook, fmt: str
) -> tuple[list[Finding], list[Grid], list[str]]:
    """The quarter's findings, its sheets, laid out once nothing refuses them, and what the user should be told
    of them (``empty_quarter_notes``). The entries are parsed once,
    for the checks, the caps and the sheet's balances, and let go with the rest of this work before anything
    is written (the writers need only the sheets)."""
    submitted = quarter_slice(ledger, year, quarter)
    _refuse_entries_that_cannot_fit(len(submitted.entries), fmt)  # before checking or laying out anything
    running = RunningBalances(submitted, year)
    findings = [*check_ledger(submitted, year, running), *check_caps(submitted, year, running)]
    problems = errors_only(findings) + _check_ledger_header(project, year)
    if problems:
        raise ExportRefused(problems)
    grids = ledger_grids(project, year, quarter, submitted=submitted, running=running)
    _refuse_what_does_not_fit(grids, fmt, LEDGER_FORM)
    return findings, grids, empty_quarter_notes(running, year, quarter)


def empty_quarter_notes(running: RunningBalances, year: int, quarter: int) -> list[str]:
    """A quarter without entries is handed in all the same (the ledger is due every quarter, nothing spent
    or received included), but not without saying so: the file then holds only the earlier quarters'
    entries, or only the opening balances. ``running`` is the year to date's, its entries checked."""
    first, last = QUARTER_MONTHS[quarter][0], QUARTER_MONTHS[quarter][-1]
    # The last entry decides it in a ledger kept in order: a quarter with entries costs no scan.
    if any(entry is not None and entry.date.month >= first for entry in reversed(running.parsed)):
        return []
    said = f"{year} 年第 {quarter} 季（{first}–{last} 月）沒有分錄"
    before = len(running.parsed)
    if before == 0:
        return [f"{said}，全年到 {last} 月也沒有：匯出的登記簿只有上年度結存。"]
    return [f"{said}：匯出的登記簿只有之前各季（到 {first - 1} 月為止）的 {before:,} 筆分錄。"]


def _check_ledger_header(project: Project, year: int) -> list[Finding]:
    """The union name and 統一編號 the ledger sheet and its file name print."""
    spec = FORMS["application"]
    problems = []
    for key in ("union_name", "tax_id"):
        _, message = spec.field(key).check(project.years[year].forms["application"].get(key, ""))
        if message:
            problems.append(error(LEDGER_FORM, f"export.ledger_{key}", f"{FORM_NAMES['application']} {message}", key))
    return problems


# ---------------------------------------------------------------- the report


def _finish(
    project: Project,
    year: int,
    findings: Sequence[Finding],
    acknowledged: bool,
    written: Sequence[Path],
    report_path: Path,
    title: str,
    notes: list[str],
) -> ExportReport:
    known = project.years[year].acknowledged
    warnings = [(f, acknowledged or finding_key(f) in known) for f in findings if not f.is_error]
    files = [describe(path) for path in written]
    document = render_report(title, warnings, files, notes)
    write_atomically(report_path, lambda temporary: temporary.write_text(document, encoding="utf-8"))
    return ExportReport(files, warnings, report_path, notes)


def describe(path: Path) -> WrittenFile:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return WrittenFile(path, path.stat().st_size, digest.hexdigest())


def render_report(
    title: str, warnings: Sequence[tuple[Finding, bool]], files: Sequence[WrittenFile], notes: Sequence[str]
) -> str:
    now = datetime.now()
    when = f"民國 {now.year - ROC_OFFSET} 年 {now.month} 月 {now.day} 日 {now:%H:%M}"
    esc = html.escape
    lines = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hant">',
        '<head><meta charset="utf-8">',
        f"<title>{esc(title)} 匯出報告</title>",
        "<style>body{font-family:'Microsoft JhengHei','Noto Sans TC',sans-serif;margin:2em}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:left}"
        "code{font-size:90%}</style></head>",
        "<body>",
        f"<h1>{esc(title)} 匯出報告</h1>",
        f"<p>匯出時間：{esc(when)}</p>",
        f"<h2>警告（{len(warnings)} 項）</h2>",
    ]
    if warnings:
        lines.append("<table><tr><th>表單</th><th>內容</th><th>是否已確認</th></tr>")
        for finding, done in warnings:
            form = FORM_NAMES.get(finding.form, finding.form)
            lines.append(
                f"<tr><td>{esc(form)}</td><td>{esc(finding.message)}</td><td>{'已確認' if done else '未確認'}</td></tr>"
            )
        lines.append("</table>")
    else:
        lines.append("<p>沒有警告。</p>")
    lines.append(f"<h2>寫出的檔案（{len(files)} 個）</h2>")
    lines.append("<table><tr><th>檔名</th><th>大小（位元組）</th><th>SHA-256</th></tr>")
    for item in files:
        lines.append(
            f"<tr><td>{esc(item.path.name)}</td><td>{item.size:,}</td><td><code>{item.sha256}</code></td></tr>"
        )
    lines.append("</table>")
    lines += [f"<p>{esc(note)}</p>" for note in notes]
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines)
