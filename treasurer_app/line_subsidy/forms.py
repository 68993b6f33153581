"""The LINE official-account subsidy (勞動部補助工會運用行動通訊軟體實施要點), declared like the port-fund forms.

Year Y of a project holds the subsidy for Y: the monthly fees of December Y−1 to November Y (九(一)),
applied for between 1 September and 31 October of Y−1 (四(一)) and claimed by 15 November Y (九(二)).
Two single-valued forms (the application, the approval and claim) and four tables (fees paid,
MOL messages forwarded, MOL training attended, other agencies' subsidies of the same fee).

Plan prices are the union's own figures, typed from its invoices; the only amount the rules know
is the ceiling of 三(二)2 (NT$4,200 a month for the high-usage plan).
"""

from __future__ import annotations

from treasurer_app.fields import BankAccount, Choice, Count, Field, Money, RocDate, RocYearMonth, Text
from treasurer_app.forms.base import FormSpec
from treasurer_app.forms.layout import Column, Layout, Line, Lines, Rows

PROGRAMME_NAME = "LINE 官方帳號補助"
RULES_TITLE = "勞動部補助工會運用行動通訊軟體實施要點"
FIRST, REPEAT = "初次申請", "非初次申請"
MEDIUM_PLAN, HIGH_PLAN = "中用量方案", "高用量方案"
PLANS = (MEDIUM_PLAN, HIGH_PLAN)
YES, NO = "是", "否"
ATTACHED, NOT_ATTACHED = "已附", "未附"
MAIL_METHODS = ("掛號郵件", "快捷郵件", "包裹郵件", "自行送件", "其他可查詢交寄日期之方式")
MOL_ACCOUNT, MOL_NEWS = "本部LINE官方帳號訊息", "本部新聞公告相關訊息"
MESSAGE_KINDS = (MOL_ACCOUNT, MOL_NEWS)
HIGH_PLAN_MONTHLY_CAP = 4200  # 三(二)2: 最高每月補助新臺幣四千二百元
REPEAT_MIN_TARGET_FRIENDS = 2000  # 三(二)2, 四(二)5(2)
MIN_MESSAGES_PER_MONTH = 3  # 七
# The programme's two dates, (month, day), and how every text says them: the papers for year Y are mailed
# 1 September – 31 October of Y−1 (四(一)), the claim sent by 15 November of Y (九(二)). The rules hold them
# as dates (line_subsidy.rules.application_window, claim_deadline).
APPLICATION_OPENS, APPLICATION_CLOSES = (9, 1), (10, 31)
CLAIM_DUE = (11, 15)


def month_day(day: tuple[int, int]) -> str:
    """「9 月 1 日」."""
    return f"{day[0]} 月 {day[1]} 日"


APPLICATION_PERIOD = f"{month_day(APPLICATION_OPENS)}至 {month_day(APPLICATION_CLOSES)}"  # 9 月 1 日至 10 月 31 日
CLAIM_DAY = month_day(CLAIM_DUE)  # 11 月 15 日


def application_period(year: int) -> str:
    """When the papers for ``year`` are mailed: 「114 年 9 月 1 日至 10 月 31 日」 for 115."""
    return f"{year - 1} 年 {APPLICATION_PERIOD}"


def claim_by(year: int) -> str:
    """By when the claim of ``year`` is sent: 「115 年 11 月 15 日前」."""
    return f"{year} 年 {CLAIM_DAY}前"


APPLICATION_FIELDS = (
    Field(
        "kind", "申請別", Choice((FIRST, REPEAT)), hint="初次申請補助中用量方案；非初次申請補助高用量方案（三(二)）。"
    ),
    Field(
        "has_account", "已申請 LINE 官方帳號", Choice((YES, NO)), hint="補助資格（三(一)）：須已申請 LINE 官方帳號。"
    ),
    Field("has_group", "已建置 LINE 官方帳號群組", Choice((YES, NO)), hint="補助資格（三(一)）：須已建置群組。"),
    Field(
        "short_name",
        "工會簡稱",
        Text(30),
        required=False,
        hint="顯示名稱可用工會全稱（申請書的工會名稱）或本欄簡稱（四(二)1(1)）。",
    ),
    Field("display_name", "LINE官方帳號顯示名稱", Text(50), hint="應有工會之全稱或簡稱（四(二)1(1)）。"),
    Field("account_id", "LINE官方帳號 ID", Text(30), hint="例如 @abc1234。"),
    Field("friends", "加入好友人數", Count(7)),
    Field(
        "target_friends", "群組目標好友人數", Count(7), hint="非初次申請須達 2,000 人以上，並附證明文件（四(二)5(2)）。"
    ),
    Field(
        "expected_messages",
        "預計每月發送本部訊息數",
        Count(3),
        hint="預計每個月發送本部 LINE 官方帳號訊息或本部新聞公告相關訊息數，至少 3 則（七）。",
    ),
    Field("benefits", "預期效益", Text(300, multiline=True)),
    Field("plan", "申請補助之付費方案", Choice(PLANS), hint="初次申請為中用量方案，非初次申請為高用量方案。"),
    Field("plan_fee", "方案月租費（依帳單）", Money(6), hint="工會帳單上的方案月租費（元），不含加購訊息。"),
    Field(
        "friends_proof",
        "群組目標好友人數證明文件",
        Choice((ATTACHED, NOT_ATTACHED)),
        required=False,
        hint="非初次申請必附（四(二)5(2)）。",
    ),
    Field(
        "last_letter_no",
        "最近一次核准函文號",
        Text(40),
        required=False,
        hint="非初次申請必附最近一次申請之本部核准函影本（四(二)5(1)）。",
    ),
    Field("last_letter_date", "最近一次核准函日期", RocDate(), required=False),
    Field("mailed_on", "申請文件交寄日期", RocDate(), hint=f"須在前一年度 {APPLICATION_PERIOD}之間（四(一)）。"),
    Field("mail_method", "交寄方式", Choice(MAIL_METHODS), hint="須可查詢交寄日期（五）。"),
    Field("mail_tracking", "掛號號碼或收件證明", Text(40), hint="可供查詢交寄日期的號碼或收件收據（五）。"),
    # 附件二 工會組織運作動態表: what the project does not know already (the member count is the roster's)
    Field("member_meetings", "會員（代表）大會召開次數", Count(3), hint="申請前一年內（附件二）。"),
    Field("board_meetings", "理事會召開次數", Count(3)),
    Field("supervisor_meetings", "監事會召開次數", Count(3)),
    Field("income", "上年度收入總額", Money(9), hint="工會全部收入（附件二 財務收支狀況）。"),
    Field("expenditure", "上年度支出總額", Money(9)),
)

APPROVAL_FIELDS = (
    Field("letter_no", "核准函文號", Text(40), hint="例如 勞動關1字第1140000000號。"),
    Field("letter_date", "核准函日期", RocDate()),
    Field("approved_plan", "核定補助方案", Choice(PLANS)),
    Field("approved_fee", "核定方案月租費", Money(6), hint="核定方案的月租費（依帳單，元）。"),
    Field("first_month", "補助起月", RocYearMonth(), hint="通常為前一年度 12 月，例如 11412。"),
    Field("last_month", "補助迄月", RocYearMonth(), hint="通常為當年度 11 月，例如 11511。"),
    Field("friends_now", "目前好友人數", Count(7), required=False, hint="成果報告表（附件四、十）。"),
    Field("target_friends_now", "目前群組目標好友人數", Count(7), required=False),
    Field("labour_messages", "與勞動事務相關之群發訊息則數", Count(4), required=False, hint="成果報告表（十）。"),
    Field("results", "執行成果說明", Text(300, multiline=True), required=False),
    Field(
        "payee_account_name",
        "撥款帳戶戶名",
        Text(100),
        required=False,
        hint="領據的受款帳戶；不填則用工會基本資料的帳號戶名（那是福利專款專戶，一般補助款多撥入工會帳戶）。",
    ),
    Field(
        "payee_bank_account",
        "撥款帳戶（行庫別名稱及帳號）",
        BankAccount(100),
        required=False,
        hint="不填則用工會基本資料的行庫別名稱及帳號。",
    ),
    Field("claimed_on", "結報專函發文日期", RocDate(), required=False, hint=f"須在當年度 {CLAIM_DAY}以前（九(二)）。"),
    Field("claim_letter_no", "結報專函發文字號", Text(40), required=False),
)

FEE_COLUMNS = (
    Field("month", "月份", RocYearMonth(), hint="帳單所屬月份，例如 11412。"),
    Field("paid_on", "付款日期", RocDate()),
    Field("invoice", "發票號碼", Text(20), hint="例如 AB12345678。"),
    Field("plan", "方案", Choice(PLANS)),
    Field("amount", "月租費", Money(6), hint="本月實付的方案月租費（元）；加購訊息另列於說明，不在補助內（三(三)）。"),
    Field("note", "說明", Text(60), required=False),
)
MESSAGE_COLUMNS = (
    Field("date", "轉發日期", RocDate()),
    Field("title", "訊息標題", Text(100)),
    Field("kind", "訊息來源", Choice(MESSAGE_KINDS)),
)
TRAINING_COLUMNS = (
    Field("date", "日期", RocDate()),
    Field("name", "教育訓練名稱", Text(60)),
    Field("attendee", "參加人員", Text(30)),
)
OTHER_COLUMNS = (
    Field("agency", "補助機關", Text(50)),
    Field("amount", "實際補助金額", Money(7)),
    Field("note", "說明", Text(60), required=False),
)


def _lines(fields: tuple[Field, ...]) -> Layout:
    return Layout(blocks=(Lines(tuple(Line(f.key) for f in fields), headers=("項 目", "內 容")),), widths=(34, 64))


def _rows(fields: tuple[Field, ...], widths: tuple[float, ...]) -> Layout:
    return Layout(
        blocks=(Rows(tuple(Column(f.key, f.label, w) for f, w in zip(fields, widths, strict=True)), number="序號"),)
    )


APPLICATION = FormSpec(
    id="line_application",
    number=1,
    sheet_name="LINE補助申請",
    title="{Y}年度運用行動通訊軟體補助申請",
    period=0,
    fields=APPLICATION_FIELDS,
    layout=_lines(APPLICATION_FIELDS),
    hint=f"前一年度 {APPLICATION_PERIOD}以掛號等可查詢交寄日期之方式寄送（四(一)、五）。",
)
APPROVAL = FormSpec(
    id="line_approval",
    number=2,
    sheet_name="LINE補助核定及結報",
    title="{Y}年度運用行動通訊軟體補助核定及結報",
    period=0,
    fields=APPROVAL_FIELDS,
    layout=_lines(APPROVAL_FIELDS),
    hint=f"當年度 {CLAIM_DAY}前以專函檢具領據、成果報告表及證明送勞動部（九(二)）。",
)
FEES = FormSpec(
    id="line_fees",
    number=3,
    sheet_name="月租費付款紀錄",
    title="{Y}年度LINE官方帳號月租費付款紀錄",
    period=0,
    columns=FEE_COLUMNS,
    layout=_rows(FEE_COLUMNS, (10, 12, 14, 12, 10, 24)),
    hint="每月一列：帳單月份、付款日期、發票號碼、方案及實付月租費（九(二)5 佐證資料）。",
)
MESSAGES = FormSpec(
    id="line_messages",
    number=4,
    sheet_name="轉發本部訊息紀錄",
    title="{Y}年度轉發勞動部訊息紀錄",
    period=0,
    columns=MESSAGE_COLUMNS,
    layout=_rows(MESSAGE_COLUMNS, (12, 60, 24)),
    hint="每則轉發一列；每個月至少 3 則（七、九(二)4）。",
)
TRAINING = FormSpec(
    id="line_training",
    number=5,
    sheet_name="參加本部教育訓練",
    title="{Y}年度參加勞動部運用行動通訊軟體教育訓練",
    period=0,
    columns=TRAINING_COLUMNS,
    layout=_rows(TRAINING_COLUMNS, (12, 50, 20)),
    hint="經核定補助者應派員參加本部舉辦之教育訓練（七）。",
)
OTHER_SUBSIDIES = FormSpec(
    id="line_other_subsidies",
    number=6,
    sheet_name="其他機關補助",
    title="{Y}年度同一案件其他機關補助",
    period=0,
    columns=OTHER_COLUMNS,
    layout=_rows(OTHER_COLUMNS, (30, 14, 40)),
    hint="同一案件由二個以上機關補助者，應列明各機關實際補助金額（十一）。",
)

# What a new year's application starts from (Project.roll_over): the account, and for a union approved
# this year, a repeat application citing this year's approval letter (四(二)5(1)).
CARRIED_KEYS = (
    "has_account",
    "has_group",
    "short_name",
    "display_name",
    "account_id",
    "friends",
    "target_friends",
    "expected_messages",
    "benefits",
)


def next_application(application: dict[str, str], approval: dict[str, str]) -> dict[str, str]:
    """The LINE application of the year after, from this year's application and approval ({} when unused)."""
    carried = {key: application[key] for key in CARRIED_KEYS if application.get(key, "").strip()}
    if approval.get("letter_no", "").strip() or approval.get("letter_date", "").strip():
        carried.update(
            kind=REPEAT,
            plan=HIGH_PLAN,
            last_letter_no=approval.get("letter_no", ""),
            last_letter_date=approval.get("letter_date", ""),
        )
        if approval.get("friends_now", "").strip():
            carried["friends"] = approval["friends_now"]
        if approval.get("target_friends_now", "").strip():
            carried["target_friends"] = approval["target_friends_now"]
    return {key: text for key, text in carried.items() if text}


LINE_FORMS: dict[str, FormSpec] = {
    spec.id: spec for spec in (APPLICATION, APPROVAL, FEES, MESSAGES, TRAINING, OTHER_SUBSIDIES)
}
LINE_SCALAR_FORMS: tuple[str, ...] = (APPLICATION.id, APPROVAL.id)
LINE_TABLES: tuple[str, ...] = (FEES.id, MESSAGES.id, TRAINING.id, OTHER_SUBSIDIES.id)
LINE_FORM_NAMES: dict[str, str] = {form_id: spec.sheet_name for form_id, spec in LINE_FORMS.items()}
