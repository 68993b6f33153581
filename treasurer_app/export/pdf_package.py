"""The printable side of the package: the seven sheets as PDFs, the cover letter, the checklist, the ledger.

Everything prints through the one grid renderer (``export.pdf``): the sheets from
the grids the workbook writers read, and the cover letter (函) and the checklist
(申請資料檢核表) from grids built here. File names are ASCII, like the upload files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from treasurer_app.export import names
from treasurer_app.export.atomic import write_atomically
from treasurer_app.export.grid import Grid, Style
from treasurer_app.export.layouts import paper_copy
from treasurer_app.export.pdf import Page, layout_grid
from treasurer_app.export.pdf_draw import draw_pages, finish_pages, write_grids
from treasurer_app.export.pdf_text import Font, default_font, roc_date_line
from treasurer_app.forms import FORM_IDS, FORMS
from treasurer_app.forms import application as app_form
from treasurer_app.ledger.quarters import quarter_month
from treasurer_app.ledger.sheet import LEDGER_TITLE
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
GUIDE_TITLE = "商港服務費福利專款管理系統(現金收支登記簿)填表說明書"  # the guide's own title page


# ---------------------------------------------------------------- file names


def file_prefix(year: int, tax_id: str) -> str:
    """'115_12345678': the start every file of the package shares."""
    return names.application_file_stem(year, tax_id).removesuffix("_application")


# The PDFs are for printing on paper; the word "printout" keeps them from being taken for the upload files
# ({Y}_{統一編號}_application.xls, _metting.pdf, _method.pdf), whose names they would otherwise echo.
PRINTOUT = "printout"


def sheet_pdf_name(year: int, tax_id: str, form_id: str) -> str:
    """(115, '12345675', 'roster') → '115_12345675_printout_2_roster.pdf'."""
    return f"{file_prefix(year, tax_id)}_{PRINTOUT}_{FORMS[form_id].number}_{form_id}.pdf"


def combined_pdf_name(year: int, tax_id: str) -> str:
    """(115, '12345675') → '115_12345675_printout_all_sheets.pdf': the seven sheets in one file, to print."""
    return f"{file_prefix(year, tax_id)}_{PRINTOUT}_all_sheets.pdf"


def cover_letter_name(year: int, tax_id: str) -> str:
    return f"{file_prefix(year, tax_id)}_cover_letter.pdf"


def checklist_name(year: int, tax_id: str) -> str:
    return f"{file_prefix(year, tax_id)}_checklist.pdf"


def ledger_pdf_name(year: int, quarter: int | None, tax_id: str) -> str:
    """Per quarter '11503_12345675_printout_accounting.pdf'; for the year '115_12345675_printout_accounting.pdf'
    (not '11503_12345675_accounting', the upload file's name)."""
    if quarter is not None:
        stem = names.accounting_file_stem(year, quarter, tax_id).removesuffix("_accounting")
        return f"{stem}_{PRINTOUT}_accounting.pdf"
    return f"{file_prefix(year, tax_id)}_{PRINTOUT}_accounting.pdf"


def workbook_name(out_dir: Path, year: int, tax_id: str) -> tuple[str, bool]:
    """The workbook's file name and whether it is in ``out_dir`` (.xls unless only an .xlsx is there)."""
    stem = names.application_file_stem(year, tax_id)
    for fmt in WORKBOOK_FORMATS:
        if (out_dir / f"{stem}.{fmt}").is_file():
            return f"{stem}.{fmt}", True
    return f"{stem}.{WORKBOOK_FORMATS[0]}", False


# ---------------------------------------------------------------- the union, as a letter names it


def local_authority(project: Project, year: int) -> str:
    """受文者: the government of the union's port area (guide 1.1: 港區所在地之直轄市、縣（市）政府), from the
    port chosen on sheet 1; "" when none is chosen. Not the address: a union at 臺北港 may sit in 臺北市,
    yet its port is in 新北市."""
    port = (project.years[year].forms["application"].get("port") or "").strip()
    option = FORMS["application"].field("port").type.parse(port).value if port else None
    return app_form.PORT_AUTHORITIES.get(option, "") if isinstance(option, str) else ""


def leader_parts(leader: str) -> tuple[str, str]:
    """'黃XX理事長' → ('理事長', '黃XX'); a text without a known title → ('理事長', text)."""
    text = leader.strip()
    for title in app_form.LEADER_TITLES:
        if text.endswith(title):
            return title, text[: -len(title)].strip()
        if text.startswith(title):
            return title, text[len(title) :].strip()
    return app_form.LEADER_TITLES[0], text


def leader_title(project: Project, year: int) -> str:
    """理事長 or 常務理事: the title of the union's leader, as sheet 1 gives it (理事長 when it does not say)."""
    return leader_parts(project.years[year].forms["application"].get("leader", ""))[0]


def signed_by_leader(grid: Grid, title: str) -> Grid:
    """The grid with its 理事長 signature block titled as the union's leader is (常務理事 where so)."""
    default = app_form.LEADER_TITLES[0]
    if title == default or default not in grid.signatures:
        return grid
    return replace(grid, signatures=tuple(title if s == default else s for s in grid.signatures))


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
    """One thing the package holds: what it is, its file, and whether the app has verified it is ready.

    ``by_hand``: a step only a person can do (print, sign, stamp, mail); the checklist never ticks it
    and leaves an empty box to tick on paper.
    """

    title: str
    file_name: str
    ready: bool
    note: str
    by_hand: bool = False


def cover_letter_grid(project: Project, year: int, enclosures: Sequence[Enclosure], issued: date) -> Grid:
    form = project.years[year].forms["application"]
    union_name = project.union_name(year)
    authority = local_authority(project, year) or BLANK_FILL
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
    sign_letter(grid, row + 2, authority, union_name, form.get("leader", ""))
    return grid


def sign_letter(grid: Grid, row: int, recipient: str, union_name: str, leader: str) -> None:
    """A letter's foot from ``row`` on, in the letter's columns (the port fund's and the LINE subsidy's): 正本 to
    ``recipient``, 副本 kept by the union, then the signing line — the union, its leader's title and name, and a
    box for the union's seal (本會印信) and one for the leader's (理事長簽章)."""
    every = len(grid.col_widths)
    title, leader_name = leader_parts(leader)
    grid.add(row, 0, f"正本：{recipient}", Style.NOTE, colspan=every)
    grid.add(row + 1, 0, "副本：本會（存查）", Style.NOTE, colspan=every)
    grid.add(row + 3, 3, f"{union_name}　{title}　{leader_name}", Style.NOTE)
    grid.add(row + 3, 4, "本會印信", Style.SIGNATURE)
    grid.add(row + 3, 5, f"{title}簽章", Style.SIGNATURE)


def _letter_items(grid: Grid, row: int, project: Project, year: int, enclosures: Sequence[Enclosure]) -> int:
    """說明 一、二、三; 二 lists the enclosures as (一)(二)…, each number hanging left of its text."""
    form = project.years[year].forms["application"]
    every = len(_LETTER_WIDTHS)
    items = [
        f"依勞動部「{GUIDE_TITLE}」辦理，申請資料應於{DEADLINE}送達。",
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
    title = leader_title(project, year)
    tax_id = project.tax_id(year).strip()
    workbook, workbook_ready = workbook_name(out_dir, year, tax_id)
    sheets = "、".join(FORMS[f].sheet_name for f in FORM_IDS)
    enclosures = [Enclosure(f"申請電子表單（{sheets}，共 7 個工作表）", workbook, workbook_ready, "")]
    for kind in ATTACHMENT_KINDS:
        file_name = names.attachment_file_name(year, tax_id, kind)
        ready = _attachment_ready(project, year, kind, out_dir)
        enclosures.append(Enclosure(ATTACHMENT_TITLES[kind], file_name, ready, ""))
    enclosures.append(
        Enclosure(f"前開電子檔之書面列印資料（各表經{title}、常務監事、會計、製表人簽章）", "各 1 份", True, "")
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
    """Everything the package needs: first what the app verifies (a file written, the rules passed),
    then what a person does by hand (print, sign, stamp, mail), never ticked here."""
    tax_id = project.tax_id(year).strip()
    errors: dict[str, int] = {}
    for finding in check_project(project, year):
        if finding.is_error:
            errors[finding.form] = errors.get(finding.form, 0) + 1
    total = sum(errors.values())
    workbook, workbook_ready = workbook_name(out_dir, year, tax_id)
    items = [
        Enclosure("申請電子表單（7 個工作表）", workbook, workbook_ready, "已產生" if workbook_ready else "尚未匯出"),
        Enclosure("各表檢核", "7 個工作表", not total, f"有 {total} 個錯誤，請先更正" if total else "檢核通過"),
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
        note = f"有 {count} 個錯誤，請先更正" if count else ("已產生" if written else "尚未產生")
        items.append(Enclosure(f"列印檔：{FORMS[form_id].sheet_name}", file_name, written and not count, note))
    letter = cover_letter_name(year, tax_id)
    letter_ready = (out_dir / letter).is_file()
    items.append(Enclosure("函（PDF）", letter, letter_ready, "已產生" if letter_ready else "尚未產生"))
    title = leader_title(project, year)
    authority = local_authority(project, year) or "港區所在地之直轄市、縣（市）政府"
    items += [
        Enclosure("列印 7 個工作表", "各 1 份", False, "列印後打勾", by_hand=True),
        Enclosure("各表簽章", f"{title}、常務監事、會計、製表人", False, "逐表簽章後打勾", by_hand=True),
        Enclosure("列印會議紀錄及補助辦法", "各 1 份", False, "列印後打勾", by_hand=True),
        Enclosure("函用印", f"本會印信、{title}簽章", False, "用印後打勾", by_hand=True),
        Enclosure(f"函送{authority}", DEADLINE, False, "寄出後打勾", by_hand=True),
    ]
    return items


def checklist_grid(project: Project, year: int, items: Sequence[Enclosure]) -> Grid:
    union_name = project.union_name(year)
    title = CHECKLIST_TITLE.format(Y=year)
    every = len(_CHECKLIST_WIDTHS)
    grid = Grid("申請資料檢核表", f"{union_name} {title}", list(_CHECKLIST_WIDTHS))
    grid.add(0, 0, union_name or None, Style.TITLE, colspan=every)
    grid.add(1, 0, title, Style.TITLE, colspan=every)
    for col, header in enumerate(CHECKLIST_HEADERS):
        grid.add(2, col, header, Style.HEADER)
    grid.header_rows = (2, 2)
    row = 2
    sections = (
        ("一、本程式已確認（檔案已產生、檢核已通過者打勾）", False),
        ("二、須親自完成（完成後請在方框內打勾）", True),
    )
    n = 0
    for heading, by_hand in sections:
        row += 1
        grid.add(row, 0, heading, Style.LABEL, colspan=every)
        for item in (i for i in items if i.by_hand == by_hand):
            row += 1
            n += 1
            grid.add(row, 0, n, Style.CENTER)
            grid.add(row, 1, item.title, Style.TEXT)
            grid.add(row, 2, item.file_name, Style.TEXT)
            grid.add(row, 3, CHECKED if item.ready and not item.by_hand else UNCHECKED, Style.CENTER)
            grid.add(row, 4, item.note, Style.TEXT)
    authority = local_authority(project, year) or "港區所在地之直轄市、縣（市）政府"
    grid.footer = [
        f"{CHECKED} 表示本程式已確認（檔案已產生、檢核已通過）；{UNCHECKED} 表示尚未完成，"
        "或須親自列印、簽章、用印、寄送，完成後請在方框內打勾。",
        f"申請資料（電子檔及書面資料）請於{DEADLINE}函送{authority}（地方主管機關）。",
    ]
    return grid


# ---------------------------------------------------------------- writing


def _write(pages: Sequence[Page], path: Path, font: Font, title: str) -> Path:
    return write_atomically(path, lambda temporary: draw_pages(pages, temporary, font, title=title))


def write_pdf_package(
    project: Project, year: int, out_dir: str | Path, grids: Sequence[Grid], *, issued: date | None = None
) -> list[Path]:
    """Write the application's PDFs into ``out_dir`` and return their paths:

    one per sheet (``{Y}_{統一編號}_printout_{n}_{sheet}.pdf``), the seven in one
    (``{Y}_{統一編號}_printout_all_sheets.pdf``), the cover letter and the checklist.
    The 理事長 signature block carries the leader's own title (常務理事 where so).
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
    grids = [signed_by_leader(grid, leader_title(project, year)) for grid in grids]
    laid_out = [layout_grid(paper_copy(grid), font, date_line) for grid in grids]  # without the spare rows
    written: list[Path] = []
    for form_id, grid, pages in zip(_form_ids(grids), grids, laid_out, strict=True):
        finished = finish_pages(pages, font, union_name=union_name, year_label=label)
        written.append(_write(finished, out / sheet_pdf_name(year, tax_id, form_id), font, grid.title))
    everything = finish_pages([p for pages in laid_out for p in pages], font, union_name=union_name, year_label=label)
    title = f"{union_name} {year} 年度商港服務費福利專款申請資料"
    written.append(_write(everything, out / combined_pdf_name(year, tax_id), font, title))
    letter = cover_letter_grid(project, year, letter_enclosures(project, year, out), issued)
    path = out / cover_letter_name(year, tax_id)
    written.append(_render(letter, path, font, union_name, label, date_line, head=False))  # its own heading
    checklist = checklist_grid(project, year, checklist_items(project, year, out))
    written.append(_render(checklist, out / checklist_name(year, tax_id), font, union_name, label, date_line))
    return written


def _render(grid: Grid, path: Path, font: Font, union_name: str, label: str, date_line: str, head: bool = True) -> Path:
    """``grid`` on its own pages; ``head=False`` for the letter, which is its own heading (``finish_page``)."""
    pages = layout_grid(grid, font, date_line)
    return _write(finish_pages(pages, font, union_name=union_name, year_label=label, head=head), path, font, grid.title)


def _form_ids(grids: Sequence[Grid]) -> list[str]:
    """The form each grid prints: by its sheet name, else by its place in the guide's order."""
    by_name = {FORMS[f].sheet_name: f for f in FORM_IDS}
    return [by_name.get(grid.sheet_name, FORM_IDS[i % len(FORM_IDS)]) for i, grid in enumerate(grids)]


# ---------------------------------------------------------------- the cash ledger


def ledger_label(year: int, quarter: int | None) -> str:
    if quarter is None:
        return f"{year} 年度{LEDGER_TITLE}"
    return f"{year} 年第 {quarter} 季（{quarter_month(year, quarter)}）"


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

    The ledger sheet's grid prints with the opening and closing balances under it (its footer, from
    ``ledger_grids``); the parameter table, a reference the workbook carries, is not printed.
    """
    font = default_font()
    sheets = [g for g in grids if g.sheet_name == LEDGER_TITLE] or list(grids[:1])
    title = leader_title(project, year)
    printed = [signed_by_leader(replace(g, landscape=True), title) for g in sheets]  # the balances in its footer
    date_line = roc_date_line(issued or date.today())
    union_name = project.union_name(year)
    label = ledger_label(year, quarter)
    path = Path(out_dir) / ledger_pdf_name(year, quarter, project.tax_id(year).strip())
    title = f"{union_name} {label} {LEDGER_TITLE}"
    paper = [paper_copy(grid) for grid in printed]  # no spare rows
    return write_atomically(  # a page at a time: a quarter may hold tens of thousands of entries
        path, lambda temporary: write_grids(paper, temporary, font, union_name=union_name, year_label=label,
                                            date_line=date_line, title=title))  # fmt: skip
