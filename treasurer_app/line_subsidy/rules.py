"""The rules of the LINE official-account subsidy: eligibility, the application, the months, the claim.

``check_line(project, year, today)`` returns the findings for the subsidy of ``year`` (Dec Y−1 – Nov Y);
nothing when the union does not use the programme that year. ``claim(book)`` works out the amount
claimed: the approved plan's fee over the approved months, capped per month, minus other agencies.
"""

from __future__ import annotations

from datetime import date

from treasurer_app.fields import ROC_OFFSET, YearMonth
from treasurer_app.findings import Finding, error, warning
from treasurer_app.forms.base import Record, check_fields, parse
from treasurer_app.line_subsidy import forms as line_forms
from treasurer_app.project import Project, YearBook
from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final


def money(n: int) -> str:
    return f"{n:,}"


def month_name(month: YearMonth) -> str:
    return f"{month.roc_year}年{month.month}月"


def typed(spec_id: str, record: Record, key: str) -> object:
    return parse(line_forms.LINE_FORMS[spec_id].field(key), record.get(key)).value


def is_blank(record: Record) -> bool:
    return not any((v or "").strip() for v in record.values())


def in_use(book: YearBook) -> bool:
    """The union takes part in the programme for this year: anything of it typed."""
    forms = (book.forms.get(form_id, {}) for form_id in line_forms.LINE_SCALAR_FORMS)
    return any(not is_blank(r) for r in forms) or any(book.has_filled_row(table) for table in line_forms.LINE_TABLES)


def approved(book: YearBook) -> bool:
    return not is_blank(book.forms.get(line_forms.APPROVAL.id, {}))


def subsidy_months(year: int) -> list[YearMonth]:
    """December of Y−1 to November of Y (九(一))."""
    return [YearMonth(year - 1, 12), *(YearMonth(year, m) for m in range(1, 12))]


def approved_months(book: YearBook) -> list[YearMonth]:
    """The approval's months (inside the subsidy year); the whole subsidy year when not typed."""
    approval = book.forms.get(line_forms.APPROVAL.id, {})
    first, last = (
        typed(line_forms.APPROVAL.id, approval, "first_month"),
        typed(line_forms.APPROVAL.id, approval, "last_month"),
    )
    months = subsidy_months(book.year)
    if isinstance(first, YearMonth):
        months = [m for m in months if m >= first]
    if isinstance(last, YearMonth):
        months = [m for m in months if m <= last]
    return months


def month_end(month: YearMonth) -> date:
    year = month.roc_year + ROC_OFFSET
    if month.month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month.month + 1, 1).toordinal() - 1)


def month_of(day: date) -> YearMonth:
    return YearMonth(day.year - ROC_OFFSET, day.month)


def application_window(year: int) -> tuple[date, date]:
    """1 September – 31 October of the year before (四(一))."""
    before = year - 1 + ROC_OFFSET
    return date(before, *line_forms.APPLICATION_OPENS), date(before, *line_forms.APPLICATION_CLOSES)


def claim_deadline(year: int) -> date:
    """15 November of the subsidised year (九(二))."""
    return date(year + ROC_OFFSET, *line_forms.CLAIM_DUE)


def messages_per_month(book: YearBook) -> dict[YearMonth, int]:
    counts = {m: 0 for m in subsidy_months(book.year)}
    for record in book.line_rows.get(line_forms.MESSAGES.id, []):
        day = typed(line_forms.MESSAGES.id, record, "date")
        if isinstance(day, date) and month_of(day) in counts:
            counts[month_of(day)] += 1
    return counts


class ClaimMonth(Value):
    __slots__ = ("month", "paid", "subsidised")

    def __init__(self, month: YearMonth, paid: int, subsidised: int) -> None:
        self.month: Final = month
        self.paid: Final = paid  # what the fee rows of the month add up to
        self.subsidised: Final = subsidised  # min(paid, approved fee, ceiling)


class Claim(Value):
    __slots__ = ("monthly_limit", "months", "others")

    def __init__(self, months: tuple[ClaimMonth, ...], monthly_limit: int, others: int) -> None:
        self.months: Final = months
        self.monthly_limit: Final = monthly_limit  # the approved fee, capped at NT$4,200 for the high-usage plan
        self.others: Final = others  # other agencies' payments of the same fee (十一)

    @property
    def paid(self) -> int:
        return sum(m.paid for m in self.months)

    @property
    def subsidised(self) -> int:
        return sum(m.subsidised for m in self.months)

    @property
    def total(self) -> int:
        return max(0, self.subsidised - self.others)

    @property
    def own_cost(self) -> int:
        return self.paid - self.subsidised


def monthly_limit(book: YearBook) -> int:
    approval = book.forms.get(line_forms.APPROVAL.id, {})
    fee = typed(line_forms.APPROVAL.id, approval, "approved_fee")
    limit = fee if isinstance(fee, int) else 0
    if typed(line_forms.APPROVAL.id, approval, "approved_plan") == line_forms.HIGH_PLAN:
        limit = min(limit, line_forms.HIGH_PLAN_MONTHLY_CAP)
    return limit


def claim(book: YearBook) -> Claim:
    limit = monthly_limit(book)
    paid: dict[YearMonth, int] = {m: 0 for m in approved_months(book)}
    for record in book.line_rows.get(line_forms.FEES.id, []):
        month, amount = typed(line_forms.FEES.id, record, "month"), typed(line_forms.FEES.id, record, "amount")
        if month in paid and isinstance(amount, int):
            paid[month] += amount
    others = 0
    for record in book.line_rows.get(line_forms.OTHER_SUBSIDIES.id, []):
        amount = typed(line_forms.OTHER_SUBSIDIES.id, record, "amount")
        others += amount if isinstance(amount, int) else 0
    months = tuple(ClaimMonth(m, p, min(p, limit)) for m, p in paid.items())
    return Claim(months, limit, others)


# ---------------------------------------------------------------- checks


def check_line(project: Project, year: int, today: date | None = None) -> list[Finding]:
    book = project.years.get(year)
    if book is None or not in_use(book):
        return []
    today = today or date.today()
    findings = check_application(project, year)
    if approved(book):
        findings += check_approval(book)
        findings += check_messages(book, today)
        findings += check_fees(book)
        findings += check_claim(book, today)
    findings += check_tables(book)
    return findings


def check_application(project: Project, year: int) -> list[Finding]:
    book = project.years[year]
    values = book.forms.get(line_forms.APPLICATION.id, {})
    form = line_forms.APPLICATION.id
    findings = check_fields(line_forms.APPLICATION, values, year)
    if line_forms.NO in (values.get("has_account"), values.get("has_group")):
        findings.append(
            error(
                form,
                "line.not_eligible",
                "補助資格：工會需完成申請 LINE 官方帳號並已建置 LINE 官方帳號群組（三(一)），目前尚未具備",
                "has_account" if values.get("has_account") == line_forms.NO else "has_group",
            )
        )
    findings += _check_display_name(project, year, values)
    kind, plan = values.get("kind"), values.get("plan")
    if kind == line_forms.FIRST and plan == line_forms.HIGH_PLAN:
        findings.append(
            error(
                form,
                "line.plan_first_medium",
                "申請補助之付費方案：初次申請之工會補助中用量方案月租費（三(二)1）",
                "plan",
            )
        )
    if kind == line_forms.REPEAT:
        findings += _check_repeat(values)
    fee = typed(form, values, "plan_fee")
    if values.get("plan") == line_forms.HIGH_PLAN and isinstance(fee, int) and fee > line_forms.HIGH_PLAN_MONTHLY_CAP:
        findings.append(
            warning(
                form,
                "line.fee_over_cap",
                f"方案月租費（依帳單）：{money(fee)} 元，"
                f"高用量方案最高每月補助 {money(line_forms.HIGH_PLAN_MONTHLY_CAP)} 元"
                f"（三(二)2），每月超過的 {money(fee - line_forms.HIGH_PLAN_MONTHLY_CAP)} 元由工會自行負擔",
                "plan_fee",
            )
        )
    expected = typed(form, values, "expected_messages")
    if isinstance(expected, int) and expected < line_forms.MIN_MESSAGES_PER_MONTH:
        findings.append(
            warning(
                form,
                "line.expected_messages_low",
                f"預計每月發送本部訊息數：{expected} 則，核定後每個月須傳遞本部訊息 "
                f"{line_forms.MIN_MESSAGES_PER_MONTH} 則以上（七）",
                "expected_messages",
            )
        )
    findings += _check_mailing(year, values)
    return findings


def _check_display_name(project: Project, year: int, values: Record) -> list[Finding]:
    shown = (values.get("display_name") or "").strip()
    if not shown:
        return []
    full = (project.union_name(year) or "").strip()
    short = (values.get("short_name") or "").strip()
    if (full and full in shown) or (short and short in shown):
        return []
    names = "、".join(f"「{n}」" for n in (full, short) if n) or "（申請書的工會名稱及工會簡稱皆未填）"
    return [
        error(
            line_forms.APPLICATION.id,
            "line.display_name_union",
            f"LINE官方帳號顯示名稱：「{shown}」應有工會之全稱或簡稱（四(二)1(1)），未見 {names}",
            "display_name",
        )
    ]


def _check_repeat(values: Record) -> list[Finding]:
    form = line_forms.APPLICATION.id
    findings: list[Finding] = []
    if values.get("plan") == line_forms.MEDIUM_PLAN:
        findings.append(
            error(
                form,
                "line.plan_repeat_high",
                "申請補助之付費方案：非初次申請之工會補助高用量方案月租費（三(二)2）",
                "plan",
            )
        )
    friends = typed(form, values, "target_friends")
    if isinstance(friends, int) and friends < line_forms.REPEAT_MIN_TARGET_FRIENDS:
        findings.append(
            error(
                form,
                "line.repeat_target_friends",
                f"群組目標好友人數：{money(friends)} 人，"
                f"非初次申請須達 {money(line_forms.REPEAT_MIN_TARGET_FRIENDS)} 人以上"
                "（三(二)2、四(二)5(2)）",
                "target_friends",
            )
        )
    if values.get("friends_proof") != line_forms.ATTACHED:
        findings.append(
            error(
                form,
                "line.repeat_friends_proof",
                "群組目標好友人數證明文件：非初次申請應附群組目標好友人數達二千人以上之證明（四(二)5(2)）",
                "friends_proof",
            )
        )
    for key, label in (("last_letter_no", "最近一次核准函文號"), ("last_letter_date", "最近一次核准函日期")):
        if not (values.get(key) or "").strip():
            findings.append(
                error(
                    form,
                    "line.repeat_last_letter",
                    f"{label}：非初次申請應附最近一次申請之本部核准函影本（四(二)5(1)）",
                    key,
                )
            )
    return findings


def _check_mailing(year: int, values: Record) -> list[Finding]:
    mailed = typed(line_forms.APPLICATION.id, values, "mailed_on")
    if not isinstance(mailed, date):
        return []
    start, end = application_window(year)
    if start <= mailed <= end:
        return []
    return [
        error(
            line_forms.APPLICATION.id,
            "line.application_window",
            f"申請文件交寄日期：{mailed.year - ROC_OFFSET} 年 {mailed.month} 月 {mailed.day} 日不在申請期間"
            f"（{line_forms.application_period(year)}，四(一)），逾期不予受理",
            "mailed_on",
        )
    ]


def check_approval(book: YearBook) -> list[Finding]:
    values = book.forms.get(line_forms.APPROVAL.id, {})
    form = line_forms.APPROVAL.id
    findings = check_fields(line_forms.APPROVAL, values, book.year)
    requested = book.forms.get(line_forms.APPLICATION.id, {}).get("plan")
    if requested and values.get("approved_plan") and values["approved_plan"] != requested:
        findings.append(
            warning(
                form,
                "line.approved_plan_differs",
                f"核定補助方案：核定為{values['approved_plan']}，與申請的{requested}不同；補助以核定方案計算（三(三)）",
                "approved_plan",
            )
        )
    months = set(subsidy_months(book.year))
    for key in ("first_month", "last_month"):
        month = typed(form, values, key)
        if isinstance(month, YearMonth) and month not in months:
            findings.append(
                error(
                    form,
                    "line.approved_month_outside",
                    f"{line_forms.APPROVAL.field(key).label}：{month_name(month)}不在補助期間"
                    f"（{book.year - 1}年12月至{book.year}年11月，九(一)）",
                    key,
                )
            )
    return findings


def check_messages(book: YearBook, today: date) -> list[Finding]:
    """Every approved month with at least three MOL messages forwarded (七, 九(二)4)."""
    counts = messages_per_month(book)
    findings: list[Finding] = []
    short_done: list[str] = []
    for month in approved_months(book):
        count = counts.get(month, 0)
        if count >= line_forms.MIN_MESSAGES_PER_MONTH:
            continue
        missing = line_forms.MIN_MESSAGES_PER_MONTH - count
        if today > month_end(month):
            short_done.append(month_name(month))
            findings.append(
                error(
                    line_forms.MESSAGES.id,
                    "line.month_messages_short",
                    f"{month_name(month)}：轉發本部訊息 {count} 則，少 {missing} 則"
                    f"（每個月須 {line_forms.MIN_MESSAGES_PER_MONTH} 則以上，七）",
                    "date",
                )
            )
        elif month_of(today) == month:
            findings.append(
                warning(
                    line_forms.MESSAGES.id,
                    "line.month_messages_running_short",
                    f"{month_name(month)}：本月目前轉發本部訊息 {count} 則，月底前還須 {missing} 則"
                    f"（每個月 {line_forms.MIN_MESSAGES_PER_MONTH} 則以上，七）",
                    "date",
                )
            )
    for i, record in enumerate(book.line_rows.get(line_forms.MESSAGES.id, [])):
        day = typed(line_forms.MESSAGES.id, record, "date")
        if isinstance(day, date) and month_of(day) not in counts:
            findings.append(
                warning(
                    line_forms.MESSAGES.id,
                    "line.message_outside_period",
                    f"第 {i + 1} 列 轉發日期：不在補助期間（{book.year - 1}年12月至{book.year}年11月），不計入每月則數",
                    "date",
                    i,
                )
            )
    return findings


def check_fees(book: YearBook) -> list[Finding]:
    form = line_forms.FEES.id
    limit = monthly_limit(book)
    months = set(approved_months(book))
    findings: list[Finding] = []
    for i, record in enumerate(book.line_rows.get(form, [])):
        month, amount = typed(form, record, "month"), typed(form, record, "amount")
        if isinstance(month, YearMonth) and month not in months:
            findings.append(
                warning(
                    form,
                    "line.fee_month_outside",
                    f"第 {i + 1} 列 月份：{month_name(month)}不在核定補助月份內，不列入請款",
                    "month",
                    i,
                )
            )
        if isinstance(amount, int) and limit and amount > limit:
            findings.append(
                warning(
                    form,
                    "line.fee_over_approved",
                    f"第 {i + 1} 列 月租費：{money(amount)} 元超過核定方案每月補助 {money(limit)} 元，"
                    f"超過的 {money(amount - limit)} 元由工會自行負擔（三(三)）",
                    "amount",
                    i,
                )
            )
    return findings


def check_claim(book: YearBook, today: date) -> list[Finding]:
    form = line_forms.APPROVAL.id
    values = book.forms.get(form, {})
    findings: list[Finding] = []
    result = claim(book)
    if result.others and result.others >= result.subsidised:
        findings.append(
            warning(
                line_forms.OTHER_SUBSIDIES.id,
                "line.others_cover_fee",
                f"其他機關補助合計 {money(result.others)} 元，已達可請款的月租費 "
                f"{money(result.subsidised)} 元，本部補助請款金額為 0 元（十一）",
                "amount",
            )
        )
    deadline = claim_deadline(book.year)
    claimed = typed(form, values, "claimed_on")
    due = f"{book.year} 年 {line_forms.CLAIM_DAY}"
    if isinstance(claimed, date):
        if claimed > deadline:
            findings.append(
                error(
                    form,
                    "line.claim_late",
                    f"結報專函發文日期：晚於 {due}（九(二)），請款文件應於當年度 {line_forms.CLAIM_DAY}前送達",
                    "claimed_on",
                )
            )
    elif today > deadline:
        findings.append(
            error(form, "line.claim_overdue", f"結報專函發文日期：未填，結報期限 {due} 已過（九(二)）", "claimed_on")
        )
    elif today >= date(deadline.year, 11, 1):
        findings.append(
            warning(
                form,
                "line.claim_due",
                f"結報專函發文日期：結報期限 {due}（還有 {(deadline - today).days} 天，九(二)）",
                "claimed_on",
            )
        )
    if not any(not is_blank(r) for r in book.line_rows.get(line_forms.TRAINING.id, [])):
        findings.append(
            warning(
                line_forms.TRAINING.id,
                "line.training_missing",
                "參加本部教育訓練：經核定補助者應派員參加本部舉辦之運用行動通訊軟體教育訓練（七），尚未登錄",
                "name",
            )
        )
    return findings


def check_tables(book: YearBook) -> list[Finding]:
    findings: list[Finding] = []
    for form_id in line_forms.LINE_TABLES:
        spec = line_forms.LINE_FORMS[form_id]
        for i, record in enumerate(book.line_rows.get(form_id, [])):
            if not is_blank(record):
                findings += check_fields(spec, record, book.year, spec.columns, row=i, form_id=form_id)
    return findings


# ---------------------------------------------------------------- where the year stands (the home page)

MONTH_MET, MONTH_SHORT, MONTH_RUNNING, MONTH_AHEAD = "met", "short", "running", "ahead"


class MonthStatus(Value):
    __slots__ = ("count", "month", "state")

    def __init__(self, month: YearMonth, count: int, state: str) -> None:
        self.month: Final = month
        self.count: Final = count
        # MONTH_MET, MONTH_SHORT (over with fewer than 3), MONTH_RUNNING (this month, still short), MONTH_AHEAD
        self.state: Final = state

    @property
    def missing(self) -> int:
        return max(0, line_forms.MIN_MESSAGES_PER_MONTH - self.count)


def month_statuses(book: YearBook, today: date) -> list[MonthStatus]:
    """Each approved month with its forwarded messages: met, short (over), running short (this month), ahead."""
    counts = messages_per_month(book)
    result = []
    for month in approved_months(book):
        count = counts.get(month, 0)
        if count >= line_forms.MIN_MESSAGES_PER_MONTH:
            state = MONTH_MET
        elif today > month_end(month):
            state = MONTH_SHORT
        elif month_of(today) == month:
            state = MONTH_RUNNING
        else:
            state = MONTH_AHEAD
        result.append(MonthStatus(month, count, state))
    return result


# Rules about when something happened: printing the papers again cannot mend them, so they do not stop it.
TIMING_RULES = frozenset({"line.application_window", "line.claim_late", "line.claim_overdue"})
APPLICATION_FORMS = frozenset({line_forms.APPLICATION.id})


def blocking(findings: list[Finding], stage: str) -> list[Finding]:
    """The errors that stop the stage's papers (``"application"`` or ``"claim"``) from being written."""
    return [
        f
        for f in findings
        if f.is_error and f.rule not in TIMING_RULES and (stage != "application" or f.form in APPLICATION_FORMS)
    ]
