"""The LINE subsidy's papers: the four attachments of the 要點, the month-by-month proof of the
messages forwarded, and for each stage (the application in September–October, the claim by
15 November) a cover letter to 勞動部 and a checklist of every document of 四(二) and 九(二).

The 要點 names the attachments and what they must state but gives no layout. Each is declared
once below (``ATTACHMENTS``: its items by fact key, its table, its signature boxes) and laid out
by one interpreter (``attachment_grid``) into the package's printable grids, so a declaration can
be matched to MOL's own forms when they are known without touching the writer
(docs/line-subsidy.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from treasurer_app.export.atomic import staged_folder, write_atomically
from treasurer_app.export.grid import Grid, Style
from treasurer_app.export.pdf import Page, layout_grid
from treasurer_app.export.pdf_draw import draw_pages, finish_pages
from treasurer_app.export.pdf_package import CHECKED, LETTERHEAD, UNCHECKED, Enclosure, file_prefix, sign_letter
from treasurer_app.export.pdf_text import Font, default_font, roc_date_line
from treasurer_app.fields import ROC_OFFSET, roc_to_date
from treasurer_app.line_subsidy import forms as line_forms
from treasurer_app.line_subsidy import rules as line_rules
from treasurer_app.line_subsidy.numerals import receipt_amount
from treasurer_app.project import Project

APPLICATION, CLAIM = "application", "claim"
STAGE_NAMES = {APPLICATION: "申請", CLAIM: "結報請款"}
MINISTRY = "勞動部"
UNION_SEAL = "工會印信"


@dataclass(frozen=True)
class Item:
    """One printed line of an attachment: its label and the fact (``facts()`` key) it shows."""

    label: str
    fact: str


@dataclass(frozen=True)
class Attachment:
    """One document, declared once: numbered as the 要點 numbers it (附件一…四; 0 for the app's own)."""

    key: str  # ASCII, in the file name
    stage: str  # APPLICATION or CLAIM
    number: str  # 附件一 … 附件四, or "" for a document the 要點 names without a form
    title: str
    items: tuple[Item, ...] = ()
    table: str = ""  # "months" (附件四), "messages" (九(二)4), or ""
    statement: str = ""  # a paragraph above the items, with {fact} placeholders
    closing: tuple[str, ...] = ()  # lines after the table (此致 勞動部)
    signatures: tuple[str, ...] = (UNION_SEAL, "理事長")


ATTACHMENTS: tuple[Attachment, ...] = (
    Attachment(
        "1_plan",
        APPLICATION,
        "附件一",
        "{Y}年度運用行動通訊軟體實施計畫書",
        items=(
            Item("工會名稱", "union_name"),
            Item("申請別", "kind"),
            Item("一、LINE官方帳號顯示名稱", "display_name"),
            Item("二、規格：LINE官方帳號 ID", "account_id"),
            Item("　　加入好友人數", "friends"),
            Item("　　群組目標好友人數", "target_friends"),
            Item("　　預計每月發送本部訊息數", "expected_messages"),
            Item("三、預期效益", "benefits"),
            Item("四、申請補助之付費方案", "plan_line"),
            Item("計畫執行期間", "period"),
        ),
    ),
    Attachment(
        "2_union_status",
        APPLICATION,
        "附件二",
        "工會組織運作動態表",
        items=(
            Item("工會名稱", "union_name"),
            Item("成立日期", "founded"),
            Item("會址", "address"),
            Item("負責人", "leader"),
            Item("會議召開情形：會員（代表）大會", "member_meetings"),
            Item("會議召開情形：理事會", "board_meetings"),
            Item("會議召開情形：監事會", "supervisor_meetings"),
            Item("財務收支狀況：上年度收入總額", "income"),
            Item("財務收支狀況：上年度支出總額", "expenditure"),
            Item("財務收支狀況：收支結餘", "balance"),
            Item("會員人數", "member_count"),
        ),
        signatures=(UNION_SEAL, "理事長", "製表人"),
    ),
    Attachment(
        "3_receipt",
        CLAIM,
        "附件三",
        "領據",
        statement="茲收到　勞動部補助本會{Y}年度運用行動通訊軟體（LINE官方帳號月租費）補助款"
        "{claim_capital}（{claim_figure}）無誤。",
        items=(
            Item("金額", "claim_capital"),
            Item("補助期間", "approved_period"),
            Item("核准函", "approval_letter"),
            Item("受款單位（全銜）", "union_name"),
            Item("統一編號", "tax_id"),
            Item("帳號戶名", "account_name"),
            Item("匯款帳戶（行庫別名稱及帳號）", "bank_account"),
            Item("會址", "address"),
        ),
        closing=("此致", "勞動部"),
        signatures=(UNION_SEAL, "負責人", "會計", "出納"),
    ),
    Attachment(
        "4_results",
        CLAIM,
        "附件四",
        "{Y}年度運用行動通訊軟體成果報告表",
        items=(
            Item("工會名稱", "union_name"),
            Item("LINE官方帳號顯示名稱", "display_name"),
            Item("LINE官方帳號 ID", "account_id"),
            Item("好友人數", "friends_now"),
            Item("群組目標好友人數", "target_friends_now"),
            Item("核定補助方案", "approved_plan_line"),
            Item("補助期間", "approved_period"),
            Item("參加本部教育訓練", "training"),
            Item("與勞動事務相關之群發訊息則數", "labour_messages"),
            Item("執行成果說明", "results"),
            Item("全部實支經費總額（月租費）", "paid_total"),
            Item("其他機關補助", "others_line"),
            Item("申請本部補助金額", "claim_figure"),
        ),
        table="months",
        signatures=(UNION_SEAL, "理事長", "製表人"),
    ),
    Attachment(
        "5_messages",
        CLAIM,
        "",
        "每個月傳遞本部訊息證明（九(二)4）",
        items=(Item("工會名稱", "union_name"), Item("LINE官方帳號 ID", "account_id")),
        table="messages",
        signatures=(UNION_SEAL, "製表人"),
    ),
)

# What the 要點 requires with each stage, in its order; the attachments the app writes are named by key.
REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    APPLICATION: (
        ("實施計畫書（附件一）（四(二)1）", "1_plan"),
        ("工會團體登記證書影本（四(二)2）", ""),
        ("工會組織運作動態表（附件二）（四(二)3）", "2_union_status"),
        ("依工會法第三十一條所送事項經主管機關同意備查之最近一次證明文件（四(二)4）", ""),
    ),
    CLAIM: (
        ("原核准函影本（九(二)1）", ""),
        ("領據（附件三）（九(二)2）", "3_receipt"),
        ("成果報告表（附件四）（九(二)3）", "4_results"),
        ("每個月傳遞本部訊息三則以上之證明（九(二)4）", "5_messages"),
        ("補助經費之佐證資料：系統付款紀錄、月租費發票影本（九(二)5）", ""),
    ),
}
REPEAT_EXTRA = (
    ("最近一次申請之本部核准函影本（四(二)5(1)）", "last_letter"),
    ("LINE官方帳號群組目標好友人數達二千人以上之證明文件（四(二)5(2)）", "friends_proof"),
)


# ---------------------------------------------------------------- file names


def pdf_name(year: int, tax_id: str, stage: str, part: str) -> str:
    """(115, '12345675', 'claim', '3_receipt') → '115_12345675_line_claim_3_receipt.pdf' (ASCII, as the package's)."""
    return f"{file_prefix(year, tax_id)}_line_{stage}_{part}.pdf"


# ---------------------------------------------------------------- the facts the documents print


def _roc(day: object) -> str:
    return f"{day.year - ROC_OFFSET}年{day.month}月{day.day}日" if isinstance(day, date) else ""


def _count(text: str, unit: str) -> str:
    return f"{int(text):,} {unit}" if text.strip().isdigit() else text


def facts(project: Project, year: int) -> dict[str, str]:
    """Every value the documents print, as text, from the project (the union's data, the roster, the subsidy)."""
    book = project.years[year]
    union = book.forms.get("application", {})
    app = book.forms.get(line_forms.APPLICATION.id, {})
    approval = book.forms.get(line_forms.APPROVAL.id, {})
    claim = line_rules.claim(book)
    months = line_rules.approved_months(book)
    members = sum(1 for r in book.roster if not line_rules.is_blank(r)) or None
    income = line_rules.typed(line_forms.APPLICATION.id, app, "income")
    spent = line_rules.typed(line_forms.APPLICATION.id, app, "expenditure")
    balance = income - spent if isinstance(income, int) and isinstance(spent, int) else None
    trainings = [r for r in book.line_rows.get(line_forms.TRAINING.id, []) if not line_rules.is_blank(r)]
    others = [r for r in book.line_rows.get(line_forms.OTHER_SUBSIDIES.id, []) if not line_rules.is_blank(r)]
    letter_date = _roc(line_rules.typed(line_forms.APPROVAL.id, approval, "letter_date"))
    fee = app.get("plan_fee", "").strip()
    approved_fee = approval.get("approved_fee", "").strip()
    return {
        "Y": str(year),
        "union_name": project.union_name(year).strip(),
        "tax_id": project.tax_id(year).strip(),
        "founded": _roc(roc_to_date(union.get("founded", ""))) or union.get("founded", ""),
        "address": union.get("address", ""),
        "leader": union.get("leader", ""),
        "account_name": approval.get("payee_account_name", "").strip() or union.get("account_name", ""),
        "bank_account": approval.get("payee_bank_account", "").strip() or union.get("bank_account", ""),
        "kind": app.get("kind", ""),
        "display_name": app.get("display_name", ""),
        "account_id": app.get("account_id", ""),
        "friends": _count(app.get("friends", ""), "人"),
        "target_friends": _count(app.get("target_friends", ""), "人"),
        "expected_messages": _count(app.get("expected_messages", ""), "則"),
        "benefits": app.get("benefits", ""),
        "plan_line": f"{app.get('plan', '')}（月租費新臺幣 {_count(fee, '元')}）" if fee else app.get("plan", ""),
        "period": f"{year - 1}年12月1日至{year}年11月30日",
        "member_meetings": _count(app.get("member_meetings", ""), "次"),
        "board_meetings": _count(app.get("board_meetings", ""), "次"),
        "supervisor_meetings": _count(app.get("supervisor_meetings", ""), "次"),
        "income": _count(app.get("income", ""), "元"),
        "expenditure": _count(app.get("expenditure", ""), "元"),
        "balance": "" if balance is None else f"{balance:,} 元",
        "member_count": f"{members:,} 人（會員名冊）" if members else _count(union.get("member_count", ""), "人"),
        "approval_letter": " ".join(t for t in (letter_date, approval.get("letter_no", "").strip()) if t),
        "approved_plan_line": f"{approval.get('approved_plan', '')}（月租費新臺幣 {_count(approved_fee, '元')}）"
        if approved_fee
        else approval.get("approved_plan", ""),
        "approved_period": (
            f"{line_rules.month_name(months[0])}至{line_rules.month_name(months[-1])}（{len(months)} 個月）"
            if months
            else ""
        ),
        "friends_now": _count(approval.get("friends_now", ""), "人"),
        "target_friends_now": _count(approval.get("target_friends_now", ""), "人"),
        "labour_messages": _count(approval.get("labour_messages", ""), "則"),
        "results": approval.get("results", ""),
        "training": "；".join(
            f"{_roc(line_rules.typed(line_forms.TRAINING.id, r, 'date'))} "
            f"{r.get('name', '')}（{r.get('attendee', '')}）"
            for r in trainings
        )
        or "尚未登錄",
        "paid_total": f"{claim.paid:,} 元（超過核定方案部分 {claim.own_cost:,} 元由本會自行負擔）"
        if claim.own_cost
        else f"{claim.paid:,} 元",
        "others_line": "；".join(f"{r.get('agency', '')} {_count(r.get('amount', ''), '元')}" for r in others) or "無",
        "claim_figure": f"新臺幣 {claim.total:,} 元",
        "claim_capital": receipt_amount(claim.total),
        "claim_letter_no": approval.get("claim_letter_no", ""),
    }


# ---------------------------------------------------------------- the one interpreter

_WIDTHS = [34, 64]
_MONTH_HEADERS = ("月份", "轉發本部訊息則數", "實付月租費", "補助金額")
_MONTH_WIDTHS = [22, 26, 25, 25]
_MESSAGE_HEADERS = ("月份", "轉發日期", "訊息標題", "訊息來源")
_MESSAGE_WIDTHS = [14, 16, 46, 22]


def attachment_grid(attachment: Attachment, project: Project, year: int) -> Grid:
    values = facts(project, year)
    title = attachment.title.format(Y=year)
    heading = f"{attachment.number}　{title}" if attachment.number else title
    widths = {"months": _MONTH_WIDTHS, "messages": _MESSAGE_WIDTHS}.get(attachment.table, _WIDTHS)
    every = len(widths)
    grid = Grid(attachment.number or "證明", f"{values['union_name']} {title}", list(widths))
    grid.add(0, 0, heading, Style.TITLE, colspan=every)
    row = 1
    if attachment.statement:
        grid.add(row, 0, attachment.statement.format(**values), Style.NOTE, colspan=every)
        row += 1
    label_span = every // 2
    for item in attachment.items:
        grid.add(row, 0, item.label, Style.LABEL, colspan=label_span, key=f"label_{item.fact}")
        grid.add(row, label_span, values.get(item.fact, ""), Style.TEXT, colspan=every - label_span, key=item.fact)
        row += 1
    if attachment.table == "months":
        row = _month_table(grid, row, project, year)
    elif attachment.table == "messages":
        row = _message_table(grid, row, project, year)
    grid.footer = list(attachment.closing)
    grid.signatures = attachment.signatures
    return grid


def _month_table(grid: Grid, row: int, project: Project, year: int) -> int:
    book = project.years[year]
    counts = line_rules.messages_per_month(book)
    claim = line_rules.claim(book)
    row += 1
    for col, header in enumerate(_MONTH_HEADERS):
        grid.add(row, col, header, Style.HEADER)
    grid.header_rows = (row, row)
    for month in claim.months:
        row += 1
        grid.add(row, 0, line_rules.month_name(month.month), Style.CENTER)
        grid.add(row, 1, counts.get(month.month, 0), Style.NUMBER)
        grid.add(row, 2, month.paid, Style.MONEY)
        grid.add(row, 3, month.subsidised, Style.MONEY)
    row += 1
    grid.add(row, 0, "合計", Style.LABEL)
    grid.add(row, 1, sum(counts.get(m.month, 0) for m in claim.months), Style.NUMBER)
    grid.add(row, 2, claim.paid, Style.MONEY)
    grid.add(row, 3, claim.subsidised, Style.MONEY)
    if claim.others:
        row += 1
        grid.add(row, 0, "減：其他機關補助", Style.LABEL, colspan=3)
        grid.add(row, 3, claim.others, Style.MONEY)
        row += 1
        grid.add(row, 0, "申請本部補助金額", Style.LABEL, colspan=3)
        grid.add(row, 3, claim.total, Style.MONEY)
    return row + 1


def _message_table(grid: Grid, row: int, project: Project, year: int) -> int:
    book = project.years[year]
    counts = line_rules.messages_per_month(book)
    by_month: dict[object, list[dict[str, str]]] = {m: [] for m in counts}
    for record in book.line_rows.get(line_forms.MESSAGES.id, []):
        day = line_rules.typed(line_forms.MESSAGES.id, record, "date")
        if isinstance(day, date) and line_rules.month_of(day) in by_month:
            by_month[line_rules.month_of(day)].append(record)
    row += 1
    for col, header in enumerate(_MESSAGE_HEADERS):
        grid.add(row, col, header, Style.HEADER)
    grid.header_rows = (row, row)
    for month in line_rules.approved_months(book):
        records = sorted(by_month.get(month, []), key=lambda r: r.get("date", ""))
        row += 1
        label = f"{line_rules.month_name(month)}\n共 {len(records)} 則"
        grid.add(row, 0, label, Style.CENTER, rowspan=max(1, len(records)))
        if not records:
            grid.add(row, 1, "（本月未轉發）", Style.TEXT, colspan=3)
        for i, record in enumerate(records):
            day = line_rules.typed(line_forms.MESSAGES.id, record, "date")
            grid.add(row + i, 1, _roc(day), Style.CENTER)
            grid.add(row + i, 2, record.get("title", ""), Style.TEXT)
            grid.add(row + i, 3, record.get("kind", ""), Style.TEXT)
        row += max(0, len(records) - 1)
    return row + 1


# ---------------------------------------------------------------- the letter and the checklist

_LETTER_WIDTHS = [10, 5, 5, 30, 19, 19]
_NUMERALS = "一二三四五六七八九十"


def enclosures(project: Project, year: int, stage: str, out_dir: Path) -> list[Enclosure]:
    """The documents of 四(二) (application) or 九(二) (claim), each with its file when the app writes it."""
    tax_id = project.tax_id(year).strip()
    app = project.years[year].forms.get(line_forms.APPLICATION.id, {})
    listed = list(REQUIRED[stage])
    if stage == APPLICATION and app.get("kind") == line_forms.REPEAT:
        listed += REPEAT_EXTRA
    result = []
    for title, part in listed:
        if part in {a.key for a in ATTACHMENTS}:
            name = pdf_name(year, tax_id, stage, part)
            result.append(Enclosure(title, name, (out_dir / name).is_file(), "本程式產生"))
        elif part == "last_letter":
            note = f"{app.get('last_letter_date', '')} {app.get('last_letter_no', '')}".strip() or "尚未填寫文號"
            result.append(Enclosure(title, "影本 1 份", False, note, by_hand=True))
        elif part == "friends_proof":
            attached = app.get("friends_proof") == line_forms.ATTACHED
            result.append(Enclosure(title, "影本 1 份", False, "已備妥" if attached else "尚未備妥", by_hand=True))
        else:
            result.append(Enclosure(title, "影本 1 份", False, "請自備影本", by_hand=True))
    return result


def cover_letter_grid(project: Project, year: int, stage: str, items: Sequence[Enclosure], issued: date) -> Grid:
    union = project.years[year].forms.get("application", {})
    union_name = project.union_name(year).strip()
    every = len(_LETTER_WIDTHS)
    grid = Grid("函", f"{union_name} 函", list(_LETTER_WIDTHS))
    grid.add(0, 0, f"{union_name}　函", Style.TITLE, colspan=every)
    row = 0
    for label, key in LETTERHEAD:
        row += 1
        grid.add(row, 4, f"{label}：{union.get(key, '').strip()}", Style.NOTE, colspan=2)
    claim = line_rules.claim(project.years[year])
    approval = facts(project, year)["approval_letter"]
    if stage == APPLICATION:
        subject = f"檢送本會申請 {year} 年度運用行動通訊軟體補助（LINE官方帳號月租費）申請文件，請　核辦。"
        basis = f"依「{line_forms.RULES_TITLE}」第四點規定辦理，申請期間為 {line_forms.application_period(year)}。"
        letter_no = "　　　字第　　　　　　號"
    else:
        subject = f"檢送本會 {year} 年度運用行動通訊軟體補助款領據等結報文件，請款新臺幣 {claim.total:,} 元，請　撥款。"
        basis = f"依「{line_forms.RULES_TITLE}」第九點規定及　貴部 {approval} 核准函辦理。"
        typed_no = project.years[year].forms.get(line_forms.APPROVAL.id, {}).get("claim_letter_no", "").strip()
        letter_no = typed_no or "　　　字第　　　　　　號"
    row += 1
    for label, text in (
        ("受文者：", MINISTRY),
        ("發文日期：", roc_date_line(issued)),
        ("發文字號：", letter_no),
        ("速別：", "普通件"),
        ("附件：", "如說明二"),
    ):
        row += 1
        grid.add(row, 0, label + text, Style.NOTE, colspan=every)
    row += 2
    grid.add(row, 0, "主旨：", Style.NOTE)
    grid.add(row, 1, subject, Style.NOTE, colspan=every - 1)
    row += 1
    grid.add(row, 0, "說明：", Style.NOTE)
    contact = (
        f"聯絡人：{union.get('contact', '').strip()}，電話：{union.get('contact_phone', '').strip()}，"
        f"電子信箱：{union.get('contact_email', '').strip()}。"
    )
    for n, text in enumerate((basis, "檢附下列文件：", contact)):
        grid.add(row, 1, f"{_NUMERALS[n]}、", Style.NOTE)
        grid.add(row, 2, text, Style.NOTE, colspan=every - 2)
        if n == 1:
            for k, item in enumerate(items):
                row += 1
                grid.add(row, 2, f"({_NUMERALS[k]})", Style.NOTE)
                grid.add(row, 3, f"{item.title}。", Style.NOTE, colspan=every - 3)
        row += 1
    sign_letter(grid, row + 1, MINISTRY, union_name, union.get("leader", ""))
    return grid


_CHECKLIST_WIDTHS = [6, 40, 36, 7, 22]
_CHECKLIST_HEADERS = ("項次", "應備文件", "檔案名稱／份數", "備妥", "說明")


def checklist_grid(project: Project, year: int, stage: str, items: Sequence[Enclosure]) -> Grid:
    union_name = project.union_name(year).strip()
    title = f"{year} 年度運用行動通訊軟體補助{STAGE_NAMES[stage]}文件檢核表"
    every = len(_CHECKLIST_WIDTHS)
    grid = Grid("檢核表", f"{union_name} {title}", list(_CHECKLIST_WIDTHS))
    grid.add(0, 0, union_name or None, Style.TITLE, colspan=every)
    grid.add(1, 0, title, Style.TITLE, colspan=every)
    for col, header in enumerate(_CHECKLIST_HEADERS):
        grid.add(2, col, header, Style.HEADER)
    grid.header_rows = (2, 2)
    errors = line_rules.blocking(line_rules.check_line(project, year), stage)  # what stops this stage's papers
    checked = Enclosure(
        "本程式檢核", "LINE 補助各表", not errors, f"有 {len(errors)} 個錯誤，請先更正" if errors else "檢核通過"
    )
    if stage == APPLICATION:
        by_hand = [
            Enclosure("函用印", "本會印信、理事長簽章", False, "用印後打勾", by_hand=True),
            Enclosure(
                f"以掛號等可查詢交寄日期之方式寄送{MINISTRY}（五）",
                line_forms.application_period(year),
                False,
                "寄出後填交寄日期及號碼",
                by_hand=True,
            ),
        ]
    else:
        by_hand = [
            Enclosure("領據用印", "工會印信、負責人、會計、出納", False, "用印後打勾", by_hand=True),
            Enclosure(f"以專函送{MINISTRY}（九(二)）", line_forms.claim_by(year), False, "寄出後打勾", by_hand=True),
        ]
    row = 2
    for n, item in enumerate([checked, *items, *by_hand], start=1):
        row += 1
        grid.add(row, 0, n, Style.CENTER)
        grid.add(row, 1, item.title, Style.TEXT)
        grid.add(row, 2, item.file_name, Style.TEXT)
        grid.add(row, 3, CHECKED if item.ready and not item.by_hand else UNCHECKED, Style.CENTER)
        grid.add(row, 4, item.note, Style.TEXT)
    grid.footer = [
        f"{CHECKED} 表示本程式已確認（檔案已產生、檢核已通過）；{UNCHECKED} 表示須親自備妥、用印或寄送，"
        "完成後請在方框內打勾。"
    ]
    return grid


# ---------------------------------------------------------------- writing


def write_line_documents(
    project: Project, year: int, out_dir: str | Path, stage: str, *, issued: date | None = None
) -> list[Path]:
    """Write the stage's PDFs into ``out_dir`` (each attachment, all of them in one, the letter, the checklist):
    all of them or, a file failing, none (``PackageFailed``; files of the same name left as they were).

    ``issued`` dates the letter and the signature blocks: by default the day typed for the stage (the mailing
    of the application, the claim letter), else today."""
    issued = issued or stage_date(project, year, stage) or date.today()
    font = default_font()
    tax_id = project.tax_id(year).strip()
    union_name = project.union_name(year).strip()
    label = f"{year} 年度 LINE 補助{STAGE_NAMES[stage]}"
    date_line = roc_date_line(issued)
    written: list[Path] = []
    laid_out: list[Page] = []
    with staged_folder(out_dir) as out:

        def write(part: str, pages: list[Page], title: str, head: bool = True) -> None:
            path = out / pdf_name(year, tax_id, stage, part)
            written.append(_write(pages, path, font, union_name, label, title, head))

        def write_grid(part: str, grid: Grid, head: bool = True) -> list[Page]:
            pages = layout_grid(grid, font, date_line)
            write(part, pages, grid.title, head)
            return pages

        for attachment in (a for a in ATTACHMENTS if a.stage == stage):
            laid_out.extend(write_grid(attachment.key, attachment_grid(attachment, project, year)))
        write("all", laid_out, f"{union_name} {year} 年度運用行動通訊軟體補助{STAGE_NAMES[stage]}文件")
        letter = cover_letter_grid(project, year, stage, enclosures(project, year, stage, out), issued)
        write_grid("cover_letter", letter, head=False)  # its first line is its heading: not printed twice
        write_grid("checklist", checklist_grid(project, year, stage, enclosures(project, year, stage, out)))
    return [Path(out_dir) / path.name for path in written]


def stage_date(project: Project, year: int, stage: str) -> date | None:
    form, key = (
        (line_forms.APPLICATION.id, "mailed_on") if stage == APPLICATION else (line_forms.APPROVAL.id, "claimed_on")
    )
    day = line_rules.typed(form, project.years[year].forms.get(form, {}), key)
    return day if isinstance(day, date) else None


def _write(
    pages: list[Page], path: Path, font: Font, union_name: str, label: str, title: str, head: bool = True
) -> Path:
    finished = finish_pages(pages, font, union_name=union_name, year_label=label, head=head)
    return write_atomically(path, lambda temporary: draw_pages(finished, temporary, font, title=title))
