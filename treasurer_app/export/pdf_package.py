"""The printable side of the package: the seven sheets as PDFs, the cover letter, the checklist, the ledger.

Everything prints through the one grid renderer (``export.pdf``): the sheets from
the grids the workbook writers read, and the cover letter (函) and the checklist
(申請資料檢核表) from grids built here. File names are ASCII, like the upload files.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from treasurer_app.export import names
from treasurer_app.export.atomic import write_atomically
from treasurer_app.export.grid import Grid, Style
from treasurer_app.export.pdf import (
    Font,
    Page,
    default_font,
    draw_pages,
    finish_pages,
    layout_grid,
    roc_date_line,
)
from treasurer_app.fields import ROC_OFFSET
from treasurer_app.forms import FORM_IDS, FORMS
from treasurer_app.forms import application as app_form
from treasurer_app.forms import ledger as ledger_engine
from treasurer_app.project import ATTACHMENT_KINDS, Project
from treasurer_app.rules import check_project

WORKBOOK_FORMATS = ("xls", "xlsx")
CHECKED, UNCHECKED = "☑", "☐"
BLANK_FILL = "＿＿＿＿＿＿＿＿＿＿"  # a line to write on by hand
ATTACHMENT_TITLES = {
    "meeting": "會員大會或理監事會議紀錄",
    "method": "會員(代表)大會通過之商港服務費福利專款運用補助辦法",
}
DEADLINE = "每年 1 月 31 日前"
# 直轄市、縣(市): the local authority is the government of the one the union's seat is in.
LOCAL_GOVERNMENTS = (
    "臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市", "基隆市", "新竹市", "嘉義市",
    "新竹縣", "苗栗縣", "彰化縣", "南投縣", "雲林縣", "嘉義縣", "屏東縣", "宜蘭縣", "花蓮縣",
    "臺東縣", "澎湖縣", "金門縣", "連江縣",
)  # fmt: skip


# ---------------------------------------------------------------- file names


def file_prefix(year: int, tax_id: str) -> str:
    """'115_12345678': the start every file of the package shares."""
    return names.application_file_stem(year, tax_id).removesuffix("_application")


def sheet_pdf_name(year: int, tax_id: str, form_id: str) -> str:
    """(115, '12345675', 'application') → '115_12345675_1_application.pdf'."""
    return f"{file_prefix(year, tax_id)}_{FORMS[form_id].number}_{form_id}.pdf"


def combined_pdf_name(year: int, tax_id: str) -> str:
    return f"{file_prefix(year, tax_id)}_application.pdf"


def cover_letter_name(year: int, tax_id: str) -> str:
    return f"{file_prefix(year, tax_id)}_cover_letter.pdf"


def checklist_name(year: int, tax_id: str) -> str:
    return f"{file_prefix(year, tax_id)}_checklist.pdf"


def ledger_pdf_name(year: int, quarter: int | None, tax_id: str) -> str:
    """Per quarter '11503_12345675_accounting.pdf'; for the whole year '115_12345675_accounting.pdf'."""
    if quarter is not None:
        return f"{names.accounting_file_stem(year, quarter, tax_id)}.pdf"
    return f"{file_prefix(year, tax_id)}_accounting.pdf"


def workbook_name(out_dir: Path, year: int, tax_id: str) -> tuple[str, bool]:
    """The workbook's file name and whether it is in ``out_dir`` (.xls unless only an .xlsx is there)."""
    stem = names.application_file_stem(year, tax_id)
    for fmt in WORKBOOK_FORMATS:
        if (out_dir / f"{stem}.{fmt}").is_file():
            return f"{stem}.{fmt}", True
    return f"{stem}.{WORKBOOK_FORMATS[0]}", False


# ---------------------------------------------------------------- the union, as a letter names it


def local_authority(project: Project, year: int) -> str:
    """受文者: the government of the city or county of the union's seat; "" when the address does not say."""
    form = project.years[year].forms["application"]
    address = re.sub(r"^[0-9\s-]+", "", (form.get("address") or "").strip()).replace("台", "臺")
    for place in LOCAL_GOVERNMENTS:
        if address.startswith(place):
            return f"{place}政府"
    return ""


def leader_parts(leader: str) -> tuple[str, str]:
    """'黃XX理事長' → ('理事長', '黃XX'); a text without a known title → ('理事長', text)."""
    text = leader.strip()
    for title in app_form.LEADER_TITLES:
        if text.endswith(title):
            return title, text[: -len(title)].strip()
        if text.startswith(title):
            return title, text[len(title) :].strip()
    return app_form.LEADER_TITLES[0], text


def year_label(year: int) -> str:
    return f"{year} 年度申請資料"


# ---------------------------------------------------------------- the cover letter (函)

# Columns: label (主旨：) · item number (一、) · sub-item number ((一)) · text · two for the letterhead and seals.
_LETTER_WIDTHS = [10, 5, 5, 30, 19, 19]
_NUMERALS = "一二三四五六七八九十"
LETTERHEAD = (("地址", "address"), ("聯絡人", "contact"), ("電話", "contact_phone"), ("傳真", "fax"),
              ("電子信箱", "contact_email"))  # fmt: skip


@dataclass(frozen=True)
class Enclosure:
    """One thing the package holds: what it is, its file, and whether it is ready."""

    title: str
    file_name: str
    ready: bool
    note: str


def cover_letter_grid(project: Project, year: int, enclosures: Sequence[Enclosure], issued: date) -> Grid:
    form = project.years[year].forms["application"]
    union_name = project.union_name(year)
    authority = local_authority(project, year) or BLANK_FILL
    title, leader_name = leader_parts(form.get("leader", ""))
    every = len(_LETTER_WIDTHS)
    grid = Grid("函", f"{union_name} 函", list(_LETTER_WIDTHS))
    row = 0
    grid.add(row, 0, f"{union_name}　函", Style.TITLE, colspan=every)
    for label, key in LETTERHEAD:
        row += 1
        grid.add(row, 4, f"{label}：{form.get(key, '').strip()}", Style.NOTE, colspan=2)
    row += 1
    for label, text in (
        ("受文者：", authority),
        ("發文日期：", roc_date_line(issued)),
        ("發文字號：", "　　　字第　　　　　　號"),
        ("速別：", "普通件"),
        ("密等及解密條件或保密期限：", "普通"),
        ("附件：", "如說明二"),
    ):
        row += 1
        grid.add(row, 0, label + text, Style.NOTE, colspan=every)
    row += 2
    grid.add(row, 0, "主旨：", Style.NOTE)
    grid.add(row, 1, f"檢送本會 {year} 年度商港服務費福利專款申請資料，請　鑒核。", Style.NOTE, colspan=every - 1)
    row += 1
    grid.add(row, 0, "說明：", Style.NOTE)
    row = _letter_items(grid, row, project, year, enclosures)
    row += 2
    grid.add(row, 0, f"正本：{authority}", Style.NOTE, colspan=every)
    row += 1
    grid.add(row, 0, "副本：本會（存查）", Style.NOTE, colspan=every)
    row += 2
    grid.add(row, 3, f"{union_name}　{title}　{leader_name}", Style.NOTE)
    grid.add(row, 4, "本會印信", Style.SIGNATURE)
    grid.add(row, 5, f"{title}簽章", Style.SIGNATURE)
    return grid


def _letter_items(grid: Grid, row: int, project: Project, year: int, enclosures: Sequence[Enclosure]) -> int:
    """說明 一、二、三; 二 lists the enclosures as (一)(二)…, each number hanging left of its text."""
    form = project.years[year].forms["application"]
    every = len(_LETTER_WIDTHS)
    items = [
        f"依勞動部「商港服務費福利專款申請填表說明」辦理，申請資料應於{DEADLINE}送達。",
        "檢送下列資料：",
        f"聯絡人：{form.get('contact', '').strip()}，電話：{form.get('contact_phone', '').strip()}，"
        f"電子信箱：{form.get('contact_email', '').strip()}。",
    ]
    for n, text in enumerate(items):
        grid.add(row, 1, f"{_NUMERALS[n]}、", Style.NOTE)
        grid.add(row, 2, text, Style.NOTE, colspan=every - 2)
        if n == 1:
            for k, enclosure in enumerate(enclosures):
                row += 1
                grid.add(row, 2, f"({_NUMERALS[k]})", Style.NOTE)
                grid.add(row, 3, f"{enclosure.title}：{enclosure.file_name}。", Style.NOTE, colspan=every - 3)
        row += 1
    return row - 1


def letter_enclosures(project: Project, year: int, out_dir: Path) -> list[Enclosure]:
    """What the letter says is enclosed: the workbook, the two attachments, the printed copies."""
    tax_id = project.tax_id(year).strip()
    workbook, workbook_ready = workbook_name(out_dir, year, tax_id)
    sheets = "、".join(FORMS[f].sheet_name for f in FORM_IDS)
    enclosures = [Enclosure(f"申請電子表單（{sheets}，共 7 個工作表）", workbook, workbook_ready, "")]
    for kind in ATTACHMENT_KINDS:
        file_name = names.attachment_file_name(year, tax_id, kind)
        ready = _attachment_ready(project, year, kind, out_dir)
        enclosures.append(Enclosure(ATTACHMENT_TITLES[kind], file_name, ready, ""))
    enclosures.append(
        Enclosure(
            "前開電子檔之書面列印資料（各表經理事長、常務監事、會計、製表人簽章）",
            "各 1 份",
            True,
            "",
        )
    )
    return enclosures


def _attachment_ready(project: Project, year: int, kind: str, out_dir: Path) -> bool:
    if (out_dir / names.attachment_file_name(year, project.tax_id(year).strip(), kind)).is_file():
        return True
    chosen = (project.years[year].attachments.get(kind) or "").strip()
    return bool(chosen) and Path(chosen).is_file()


# ---------------------------------------------------------------- the checklist (申請資料檢核表)

_CHECKLIST_WIDTHS = [6, 36, 38, 7, 24]
CHECKLIST_HEADERS = ("項次", "應備資料", "檔案名稱／份數", "備妥", "說明")
CHECKLIST_TITLE = "{Y} 年度商港服務費福利專款申請資料檢核表"


def checklist_items(project: Project, year: int, out_dir: Path) -> list[Enclosure]:
    """Everything the package must contain, each with whether it is ready now."""
    tax_id = project.tax_id(year).strip()
    errors: dict[str, int] = {}
    for finding in check_project(project, year):
        if finding.is_error:
            errors[finding.form] = errors.get(finding.form, 0) + 1
    workbook, workbook_ready = workbook_name(out_dir, year, tax_id)
    items = [
        Enclosure("申請電子表單（7 個工作表）", workbook, workbook_ready, "已產生" if workbook_ready else "尚未匯出")
    ]
    for kind in ATTACHMENT_KINDS:
        ready = _attachment_ready(project, year, kind, out_dir)
        items.append(
            Enclosure(
                f"{ATTACHMENT_TITLES[kind]}（PDF）",
                names.attachment_file_name(year, tax_id, kind),
                ready,
                "已附檔" if ready else "尚未選擇 PDF 檔",
            )
        )
    for form_id in FORM_IDS:
        file_name = sheet_pdf_name(year, tax_id, form_id)
        written = (out_dir / file_name).is_file()
        count = errors.get(form_id, 0)
        note = f"有 {count} 個錯誤，請先更正" if count else ("請列印後簽章" if written else "尚未產生")
        items.append(
            Enclosure(f"書面資料：{FORMS[form_id].sheet_name}（經簽章）", file_name, written and not count, note)
        )
    for kind in ATTACHMENT_KINDS:
        ready = _attachment_ready(project, year, kind, out_dir)
        items.append(
            Enclosure(f"書面資料：{ATTACHMENT_TITLES[kind]}", "1 份", ready, "請列印" if ready else "尚未附檔")
        )
    letter = cover_letter_name(year, tax_id)
    letter_ready = (out_dir / letter).is_file()
    items.append(
        Enclosure("函（送地方主管機關）", letter, letter_ready, "請用印後寄送" if letter_ready else "尚未產生")
    )
    return items


def checklist_grid(project: Project, year: int, items: Sequence[Enclosure]) -> Grid:
    union_name = project.union_name(year)
    title = CHECKLIST_TITLE.format(Y=year)
    grid = Grid("申請資料檢核表", f"{union_name} {title}", list(_CHECKLIST_WIDTHS))
    grid.add(0, 0, union_name or None, Style.TITLE, colspan=len(_CHECKLIST_WIDTHS))
    grid.add(1, 0, title, Style.TITLE, colspan=len(_CHECKLIST_WIDTHS))
    for col, header in enumerate(CHECKLIST_HEADERS):
        grid.add(2, col, header, Style.HEADER)
    grid.header_rows = (2, 2)
    for n, item in enumerate(items, start=1):
        row = 2 + n
        grid.add(row, 0, n, Style.CENTER)
        grid.add(row, 1, item.title, Style.TEXT)
        grid.add(row, 2, item.file_name, Style.TEXT)
        grid.add(row, 3, CHECKED if item.ready else UNCHECKED, Style.CENTER)
        grid.add(row, 4, item.note, Style.TEXT)
    authority = local_authority(project, year) or "地方主管機關"
    grid.footer = [
        f"{CHECKED} 表示已備妥；{UNCHECKED} 表示尚未備妥，請補齊後再寄送。",
        f"申請資料（電子檔及書面資料）請於{DEADLINE}函送{authority}。",
    ]
    return grid


# ---------------------------------------------------------------- writing


def _write(pages: Sequence[Page], path: Path, font: Font, title: str) -> Path:
    return write_atomically(path, lambda temporary: draw_pages(pages, temporary, font, title=title))


def write_pdf_package(
    project: Project, year: int, out_dir: str | Path, grids: Sequence[Grid], *, issued: date | None = None
) -> list[Path]:
    """Write the application's PDFs into ``out_dir`` and return their paths:

    one per sheet (``{Y}_{統一編號}_{n}_{sheet}.pdf``), the whole application in one
    (``{Y}_{統一編號}_application.pdf``), the cover letter and the checklist.
    ``grids`` are the seven sheets' grids, in order; ``issued`` (default today) dates
    the signature blocks and the letter.
    """
    issued = issued or date.today()
    out = Path(out_dir)
    font = default_font()
    tax_id = project.tax_id(year).strip()
    union_name = project.union_name(year)
    label = year_label(year)
    date_line = roc_date_line(issued)
    laid_out = [layout_grid(grid, font, date_line) for grid in grids]
    written: list[Path] = []
    for form_id, grid, pages in zip(_form_ids(grids), grids, laid_out, strict=True):
        finished = finish_pages(pages, font, union_name=union_name, year_label=label)
        written.append(_write(finished, out / sheet_pdf_name(year, tax_id, form_id), font, grid.title))
    everything = finish_pages([p for pages in laid_out for p in pages], font, union_name=union_name, year_label=label)
    title = f"{union_name} {year} 年度商港服務費福利專款申請資料"
    written.append(_write(everything, out / combined_pdf_name(year, tax_id), font, title))
    letter = cover_letter_grid(project, year, letter_enclosures(project, year, out), issued)
    written.append(_render(letter, out / cover_letter_name(year, tax_id), font, union_name, label, date_line))
    checklist = checklist_grid(project, year, checklist_items(project, year, out))
    written.append(_render(checklist, out / checklist_name(year, tax_id), font, union_name, label, date_line))
    return written


def _render(grid: Grid, path: Path, font: Font, union_name: str, label: str, date_line: str) -> Path:
    pages = finish_pages(layout_grid(grid, font, date_line), font, union_name=union_name, year_label=label)
    return _write(pages, path, font, grid.title)


def _form_ids(grids: Sequence[Grid]) -> list[str]:
    """The form each grid prints: by its sheet name, else by its place in the guide's order."""
    by_name = {FORMS[f].sheet_name: f for f in FORM_IDS}
    return [by_name.get(grid.sheet_name, FORM_IDS[i % len(FORM_IDS)]) for i, grid in enumerate(grids)]


# ---------------------------------------------------------------- the cash ledger


def period_end(year: int, quarter: int | None) -> date:
    month = 12 if quarter is None else ledger_engine.QUARTER_END_MONTH[quarter]
    gregorian = year + ROC_OFFSET
    return date(gregorian, month, calendar.monthrange(gregorian, month)[1])


def balance_lines(project: Project, year: int, quarter: int | None) -> list[str]:
    """上年度結存 and the balances at the end of the period, per account and in all."""
    book = project.years[year].ledger
    if book is None:
        return []
    if quarter is not None:
        book = ledger_engine.quarter_slice(book, year, quarter)
    opening = ledger_engine.opening_balances(book)
    closing = ledger_engine.closing_balances(book, year)
    end = period_end(year, quarter)

    def line(title: str, balances: ledger_engine.Balances) -> str:
        amounts = zip(ledger_engine.ACCOUNTS, balances.amounts(), strict=True)
        parts = [f"{account} {amount:,} 元" for account, amount in amounts]
        return f"{title}：合計 {balances.total:,} 元（{'、'.join(parts)}）"

    return [
        line(ledger_engine.OPENING_TITLE, opening),
        line(f"本期結存（截至 {end.year - ROC_OFFSET} 年 {end.month} 月 {end.day} 日）", closing),
    ]


def ledger_label(year: int, quarter: int | None) -> str:
    if quarter is None:
        return f"{year} 年度{ledger_engine.LEDGER_TITLE}"
    return f"{year} 年第 {quarter} 季（{ledger_engine.quarter_month(year, quarter)}）"


def write_ledger_pdf(
    project: Project,
    year: int,
    quarter: int | None,
    out_dir: str | Path,
    grids: Sequence[Grid],
    *,
    issued: date | None = None,
) -> Path:
    """The cash ledger printable for a quarter (the year to date) or the whole year, landscape.

    The ledger sheet's grid prints with the opening and closing balances under it; the
    parameter table, a reference the workbook carries, is not printed.
    """
    font = default_font()
    sheets = [g for g in grids if g.sheet_name == ledger_engine.LEDGER_TITLE] or list(grids[:1])
    lines = balance_lines(project, year, quarter)
    printed = [replace(g, landscape=True, footer=[*g.footer, *lines]) for g in sheets]
    date_line = roc_date_line(issued or date.today())
    pages = [p for grid in printed for p in layout_grid(grid, font, date_line)]
    union_name = project.union_name(year)
    finished = finish_pages(pages, font, union_name=union_name, year_label=ledger_label(year, quarter))
    path = Path(out_dir) / ledger_pdf_name(year, quarter, project.tax_id(year).strip())
    return _write(finished, path, font, f"{union_name} {ledger_label(year, quarter)} {ledger_engine.LEDGER_TITLE}")
