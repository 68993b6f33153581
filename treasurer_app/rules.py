"""Every rule of the domain: per form, across forms, and the compliance rules of §11.

``check_project(project, year)`` returns the findings for the application of
``year`` and the ledger kept in ``year``; it never raises on any data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from treasurer_app.fields import national_id_sex
from treasurer_app.findings import Finding, error, warning
from treasurer_app.forms import FORMS, LEDGER_FORM, PROJECT_FORM
from treasurer_app.forms import application as app_form
from treasurer_app.forms import budget as budget_form
from treasurer_app.forms import final_accounts as fa
from treasurer_app.forms import roster as roster_form
from treasurer_app.forms import training_report as tr
from treasurer_app.forms import work_plan as wp
from treasurer_app.forms.base import Record, check_fields, int_getter, parse, year_labels
from treasurer_app.project import Effective, LedgerBook, Project, session_totals

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from treasurer_app.forms.ledger_audit import Sources

EDUCATION_MIN_PERCENT = 40
ADMIN_MAX_PERCENT = 10
INTEREST_EDUCATION_MIN_PERCENT = 40
INTEREST_A_ROWS = ("2", "3-1", "3-2", "4")  # choice A: interest only on rows (2)–(4)


def money(n: int) -> str:
    return f"{n:,}"


def percent(part: int, whole: int) -> str:
    """One decimal, rounded down: 39.99 % must never print as 40.0 % in a message saying it is under 40 %."""
    if not whole:
        return "—"
    tenths = abs(part) * 1000 // abs(whole)
    sign = "-" if (part < 0) != (whole < 0) and tenths else ""
    return f"{sign}{tenths // 10}.{tenths % 10}%"


def at_least_percent(part: int, whole: int, minimum: int) -> bool:
    return part * 100 >= whole * minimum


def finding_key(finding: Finding) -> str:
    """A stable key for acknowledging a warning."""
    return f"{finding.form}|{finding.rule}|{finding.field or ''}|{'' if finding.row is None else finding.row}"


def is_blank(record: Record) -> bool:
    return not any((v or "").strip() for v in record.values())


# ---------------------------------------------------------------- the whole project


def check_project(project: Project, year: int) -> list[Finding]:
    if year not in project.years:
        return [error(PROJECT_FORM, "project.year_missing", f"專案沒有 {year} 年度的資料")]
    findings: list[Finding] = []
    with project.memoized():
        findings = _check_all(project, year)
    return findings


def _check_all(project: Project, year: int) -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(project, year))
    return findings


def errors_only(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


# ---------------------------------------------------------------- sheet 1


def check_application(project: Project, year: int) -> list[Finding]:
    values = project.years[year].forms["application"]
    spec = FORMS["application"]
    findings = check_fields(spec, values, year)
    findings += check_fields(spec, values, year, fields=[f for f in spec.extra_fields if values.get(f.key)])
    typed_year = parse(spec.field("year"), values.get("year")).value
    if isinstance(typed_year, int) and typed_year != year:
        findings.append(
            error(
                "application",
                "application.year_matches",
                f"{spec.label('year', year)}：須與專案年度 {year} 相同（填了 {typed_year}）",
                "year",
            )
        )
    founded = parse(spec.field("founded"), values.get("founded")).value
    dissolved = parse(spec.field("dissolved"), values.get("dissolved")).value
    if isinstance(founded, date) and isinstance(dissolved, date) and dissolved <= founded:
        findings.append(
            error(
                "application",
                "application.dissolved_after_founded",
                f"{spec.label('dissolved', year)}：須晚於{spec.label('founded', year)}",
                "dissolved",
            )
        )
    leader = (values.get("leader") or "").strip()
    if leader and not leader_title_ok(leader):
        findings.append(
            error(
                "application",
                "application.leader_title",
                f"{spec.label('leader', year)}：須為人名加職稱（{'或'.join(app_form.LEADER_TITLES)}），例如 黃XX理事長",
                "leader",
            )
        )
    if not (values.get("port") or "").strip():
        findings.append(
            warning(
                "application",
                "application.port_missing",
                f"{spec.label('port', year)}：尚未選擇；申請函的受文者（港區所在地之直轄市、縣（市）政府）將留白須手寫",
                "port",
            )
        )
    members = parse(spec.field("member_count"), values.get("member_count")).value
    roster_size = sum(1 for r in project.years[year].roster if not is_blank(r))
    if isinstance(members, int) and members != roster_size:
        findings.append(
            error(
                "application",
                "application.member_count_roster",
                f"{spec.label('member_count', year)}：須等於會員名冊人數（填了 {members} 人，名冊有 {roster_size} 人）",
                "member_count",
            )
        )
    return findings


def leader_title_ok(leader: str) -> bool:
    """A name followed by 理事長 or 常務理事 — not 副理事長 (the vice-chair)."""
    for title in app_form.LEADER_TITLES:
        name = leader.removesuffix(title)
        if name != leader and name and not name.endswith("副"):
            return True
    return False


# ---------------------------------------------------------------- sheet 2


def check_roster(project: Project, year: int) -> list[Finding]:
    spec = FORMS["roster"]
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for i, member in enumerate(project.years[year].roster):
        if is_blank(member):
            continue
        findings += check_fields(spec, member, year, fields=spec.columns, row=i)
        national_id = parse(spec.field("national_id"), member.get("national_id")).value
        if isinstance(national_id, str):
            if national_id in seen:
                findings.append(
                    error(
                        "roster",
                        "roster.id_unique",
                        f"第 {i + 1} 列 {spec.label('national_id', year)}：與第 {seen[national_id] + 1} 列重複",
                        "national_id",
                        i,
                    )
                )
            else:
                seen[national_id] = i
            sex_by_id = national_id_sex(national_id)
            id_label = spec.label("national_id", year)
            sex = (member.get("sex") or "").strip()
            if sex_by_id and sex in roster_form.SEXES and sex != sex_by_id:
                findings.append(
                    error(
                        "roster",
                        "roster.sex_matches_id",
                        f"第 {i + 1} 列 {spec.label('sex', year)}：與{id_label}不符（{id_label}為{sex_by_id}性）",
                        "sex",
                        i,
                    )
                )
        born = parse(spec.field("birth_date"), member.get("birth_date")).value
        joined = parse(spec.field("joined"), member.get("joined")).value
        if isinstance(born, date) and isinstance(joined, date) and joined <= born:
            message = f"第 {i + 1} 列 {spec.label('joined', year)}：須晚於{spec.label('birth_date', year)}"
            findings.append(error("roster", "roster.joined_after_birth", message, "joined", i))
    return findings


# ---------------------------------------------------------------- sheet 3


def check_final_accounts(project: Project, year: int) -> list[Finding]:
    spec = FORMS["final_accounts"]
    form = project.effective(year, "final_accounts")
    typed_fields = [f for f in spec.fields if f.key not in form.supplied]
    findings = check_fields(spec, form.values, year, fields=typed_fields)
    get = form.number
    labels = year_labels(year)

    def fail(rule: str, message: str, field: str | None = None) -> None:
        findings.append(error("final_accounts", rule, message, field))

    spent_allocation = get(fa.subtotal_key(fa.ALLOCATION))
    if spent_allocation > get("rev_allocation"):
        fail(
            "final_accounts.allocation_not_overspent",
            f"分配款金額小計：{money(spent_allocation)} 超過分配款收入 {money(get('rev_allocation'))}",
            fa.subtotal_key(fa.ALLOCATION),
        )
    spent_interest = get(fa.subtotal_key(fa.INTEREST))
    if spent_interest > get("rev_interest"):
        fail(
            "final_accounts.interest_not_overspent",
            f"利息小計：{money(spent_interest)} 超過利息收入 {money(get('rev_interest'))}",
            fa.subtotal_key(fa.INTEREST),
        )
    spent_surplus = get(fa.subtotal_key(fa.SURPLUS))
    surplus_available = get("rev_surplus_drawn") + get("rev_other")
    if spent_surplus > surplus_available:
        fail(
            "final_accounts.surplus_not_overspent",
            f"結餘款金額小計：{money(spent_surplus)} 超過動支結餘款加其他收入 {money(surplus_available)}",
            fa.subtotal_key(fa.SURPLUS),
        )
    choice = parse(fa.INTEREST_USE, form.values.get(fa.INTEREST_USE.key)).value  # "a" and "Ａ" are A too
    if choice == "A":
        for row in fa.EXPENDITURE_ROWS:
            if row.is_total or row.id in INTEREST_A_ROWS or fa.INTEREST not in row.columns:
                continue
            amount = get(fa.exp_key(row.id, fa.INTEREST))
            if amount:
                fail(
                    "final_accounts.interest_choice_a",
                    f"{spec.label(fa.exp_key(row.id, fa.INTEREST), year)}：選擇 A（利息運用於(2)-(4)項）時不可動支利息"
                    f"（填了 {money(amount)}）",
                    fa.exp_key(row.id, fa.INTEREST),
                )
    elif choice == "B" and spent_interest:
        education_interest = get(fa.exp_key("1", fa.INTEREST))
        if not at_least_percent(education_interest, spent_interest, INTEREST_EDUCATION_MIN_PERCENT):
            fail(
                "final_accounts.interest_choice_b_education",
                f"{spec.label(fa.exp_key('1', fa.INTEREST), year)}：選擇 B 時教育訓練動支利息須占所用利息"
                f" {INTEREST_EDUCATION_MIN_PERCENT}% 以上"
                f"（{money(education_interest)}／{money(spent_interest)}"
                f"＝{percent(education_interest, spent_interest)}）",
                fa.exp_key("1", fa.INTEREST),
            )
    accumulated = get("accumulated")
    if accumulated < 0:
        fail(
            "final_accounts.accumulated_not_negative",
            f"{fa.ACCUMULATED_LABEL.format(**labels)}：不可為負數（{money(accumulated)}）",
            "accumulated",
        )
    allocation = get("rev_allocation")
    education = get(fa.exp_key("1", fa.ALLOCATION)) + get(fa.exp_key("1", fa.INTEREST))
    if allocation and not at_least_percent(education, allocation, EDUCATION_MIN_PERCENT):
        findings.append(
            warning(
                "final_accounts",
                "compliance.education_40",
                f"{fa.EXPENDITURE_BY_ID['1'].label}：{year - 1} 年度教育訓練支出 {money(education)}"
                f" 未達分配款 {money(allocation)} 的 {EDUCATION_MIN_PERCENT}%"
                f"（{percent(education, allocation)}）；連續 2 年未達者次 1 年度不予分配",
                fa.exp_key("1", fa.ALLOCATION),
            )
        )
    admin = get(fa.exp_key("6", fa.ALLOCATION)) + get(fa.exp_key("6", fa.INTEREST))
    if allocation and admin * 100 > allocation * ADMIN_MAX_PERCENT:
        findings.append(
            warning(
                "final_accounts",
                "compliance.admin_10",
                f"{fa.EXPENDITURE_BY_ID['6'].label}：{money(admin)} 超過分配款 {money(allocation)} 的"
                f" {ADMIN_MAX_PERCENT}%（{percent(admin, allocation)}）",
                fa.exp_key("6", fa.ALLOCATION),
            )
        )
    findings += _check_education_beneficiaries(project, year, form)
    return findings


def _check_education_beneficiaries(project: Project, year: int, form: Effective) -> list[Finding]:
    sessions = [s for s in project.years[year].sessions if not is_blank(s)]
    totals = session_totals(sessions)
    findings = []
    for unit, _ in fa.EDUCATION_UNITS:
        key = fa.ben_key("1", unit)
        if key in form.supplied:
            continue
        stated = form.number(key)
        if stated != totals[unit]:
            findings.append(
                error(
                    "final_accounts",
                    "final_accounts.education_vs_report",
                    f"{FORMS['final_accounts'].label(key, year)}：{stated} 與教育訓練成果報告合計 {totals[unit]} 不符",
                    key,
                )
            )
    return findings


# ---------------------------------------------------------------- sheet 4


def check_training_report(project: Project, year: int) -> list[Finding]:
    spec = FORMS["training_report"]
    report_year = year - 1
    findings: list[Finding] = []
    for i, session in enumerate(project.years[year].sessions):
        if is_blank(session):
            continue
        findings += check_fields(spec, session, year, fields=spec.columns, row=i, row_noun="場次")
        findings += _check_session(session, i, report_year)
    return findings


def _check_session(session: Record, i: int, report_year: int) -> list[Finding]:
    spec = FORMS["training_report"]
    findings: list[Finding] = []
    where = f"第 {i + 1} 場次"

    def fail(rule: str, message: str, field: str) -> None:
        findings.append(error("training_report", rule, f"{where} {message}", field, i))

    day1 = parse(spec.field("day1"), session.get("day1")).value
    day2 = parse(spec.field("day2"), session.get("day2")).value
    days = parse(spec.field("days"), session.get("days")).value  # "2.0" is 2 days too
    has_day2 = bool((session.get("day2") or "").strip())
    second, length = spec.field("day2").label, spec.field("days").label
    if days == "2" and not has_day2:
        fail("training_report.day2_required", f"{second}：{length}為 2 日時必填", "day2")
    if days in ("0.5", "1") and has_day2:
        fail("training_report.day2_only_for_two_days", f"{second}：{length}為 {days} 日時不可填寫", "day2")
    for key, day in (("day1", day1), ("day2", day2)):
        if isinstance(day, date) and day.year - 1911 != report_year:
            fail(
                "training_report.date_in_year",
                f"{spec.field(key).label}：須在 {report_year} 年度內",
                key,
            )
    if isinstance(day1, date) and isinstance(day2, date) and days == "2" and day2 != day1 + timedelta(days=1):
        findings.append(
            warning(
                "training_report",
                "training_report.day2_next_day",
                f"{where} {second}：應為{tr.HEADERS['day1']}的次日",
                "day2",
                i,
            )
        )
    get = int_getter(spec, session)
    total_hours = 0
    any_course = False
    for n in range(1, len(tr.CATEGORIES) + 1):
        course_label, hours_label = spec.field(tr.course_key(n)).label, spec.field(tr.hours_key(n)).label
        names = tr.course_names(session.get(tr.course_key(n), ""))
        hours = get(tr.hours_key(n))
        total_hours += hours
        any_course = any_course or bool(names)
        for name in names:
            if len(name) > tr.MAX_COURSE_NAME_CHARS:
                fail(
                    "training_report.course_name_length",
                    f"{course_label}：每項{tr.HEADERS['course']}最多 {tr.MAX_COURSE_NAME_CHARS} 個字"
                    f"（「{name[:10]}…」有 {len(name)} 個字）",
                    tr.course_key(n),
                )
        if names and not hours:
            fail("training_report.hours_for_course", f"{hours_label}：有{tr.HEADERS['course']}就須填時數",
                 tr.hours_key(n))
        if hours and not names:
            fail("training_report.course_for_hours", f"{course_label}：有時數就須填{tr.HEADERS['course']}",
                 tr.course_key(n))
    if not any_course:
        course = tr.HEADERS["course"]
        fail("training_report.course_required", f"{course}：至少填一個{tr.HEADERS['category']}的{course}",
             tr.course_key(1))
    if total_hours > tr.MAX_HOURS_PER_SESSION:
        fail(
            "training_report.hours_max_24",
            f"{tr.HEADERS['hours']}：每場次合計不可超過 {tr.MAX_HOURS_PER_SESSION} 小時（合計 {total_hours} 小時）",
            tr.hours_key(1),
        )
    return findings


# ---------------------------------------------------------------- sheet 5


def check_training_expenses(project: Project, year: int) -> list[Finding]:
    spec = FORMS["training_expenses"]
    form = project.effective(year, "training_expenses")
    findings = check_fields(spec, form.values, year, fields=[f for f in spec.fields if f.key not in form.supplied])
    final = project.effective(year, "final_accounts")
    education = final.number(fa.exp_key("1", fa.ALLOCATION)) + final.number(fa.exp_key("1", fa.INTEREST))
    total = form.number("total")
    if total != education:
        findings.append(
            error(
                "training_expenses",
                "training_expenses.total_matches_education",
                f"合計：{money(total)} 須等於決算表教育訓練分配款＋利息 {money(education)}",
                "total",
            )
        )
    sessions = [s for s in project.years[year].sessions if not is_blank(s)]
    if sessions:
        session_spec = FORMS["training_report"]
        session_costs = sum(int_getter(session_spec, s)("cost") for s in sessions)
        if session_costs != total:
            findings.append(
                warning(
                    "training_expenses",
                    "training_expenses.total_matches_sessions",
                    f"合計：{money(total)} 與教育訓練成果報告各場次使用經費合計 {money(session_costs)} 不符",
                    "total",
                )
            )
    return findings


# ---------------------------------------------------------------- sheet 6


def check_work_plan(project: Project, year: int) -> list[Finding]:
    spec = FORMS["work_plan"]
    values = project.years[year].forms["work_plan"]
    findings = check_fields(spec, values, year)
    plan = int_getter(spec, values)
    budget = project.effective(year, "budget")
    for item_no, line_key in enumerate(budget_form.PLAN_ITEM_LINES, start=1):
        key = wp.plan_key(item_no, "amount")
        if plan(key) != budget.number(line_key):
            findings.append(
                error(
                    "work_plan",
                    "work_plan.amount_matches_budget",
                    f"{spec.label(key, year)}：{money(plan(key))} 須等於歲入歲出預算書"
                    f"「{FORMS['budget'].label(line_key, year)}」{money(budget.number(line_key))}",
                    key,
                )
            )
    planned_interest = plan("interest_total")
    budget_interest = budget.number("exp_interest")
    if planned_interest > budget_interest:
        findings.append(
            error(
                "work_plan",
                "work_plan.interest_within_budget",
                f"{spec.label('interest_total', year)}：{money(planned_interest)} 超過預算書利息收入"
                f" {money(budget_interest)}",
                wp.plan_key(1, "interest"),
            )
        )
    education_interest = plan(wp.plan_key(1, "interest"))
    if planned_interest and not at_least_percent(education_interest, planned_interest, INTEREST_EDUCATION_MIN_PERCENT):
        findings.append(
            error(
                "work_plan",
                "work_plan.interest_education_40",
                f"{spec.label(wp.plan_key(1, 'interest'), year)}：須占全部另使用利息"
                f" {INTEREST_EDUCATION_MIN_PERCENT}% 以上"
                f"（{money(education_interest)}／{money(planned_interest)}"
                f"＝{percent(education_interest, planned_interest)}）",
                wp.plan_key(1, "interest"),
            )
        )
    return findings


# ---------------------------------------------------------------- sheet 7


def check_budget(project: Project, year: int) -> list[Finding]:
    spec = FORMS["budget"]
    budget = project.effective(year, "budget")
    findings = check_fields(spec, budget.values, year)
    get = budget.number
    labels = year_labels(year)

    def fail(rule: str, message: str, field: str) -> None:
        findings.append(error("budget", rule, message, field))

    if get("rev_total") != get("exp_total"):
        fail(
            "budget.revenue_equals_expenditure",
            f"合計：歲入合計 {money(get('rev_total'))} 須等於歲出合計 {money(get('exp_total'))}",
            "exp_total",
        )
    interest_available = get("rev_2") + get("rev_3")
    if get("exp_interest") > interest_available:
        fail(
            "budget.interest_within_revenue",
            f"{spec.label('exp_interest', year)}：{money(get('exp_interest'))} 超過歲入第 2、3 項合計"
            f" {money(interest_available)}",
            "exp_interest",
        )
    accumulated = project.effective(year, "final_accounts").number("accumulated")
    drawn_plus_remaining = get("rev_4") + get("surplus_remaining")
    if drawn_plus_remaining != accumulated:
        fail(
            "budget.surplus_matches_final_accounts",
            f"{budget_form.SURPLUS_REMAINING_LABEL.format(**labels)}：第 4 項 {money(get('rev_4'))} 加剩餘數"
            f" {money(get('surplus_remaining'))} 須等於決算表"
            f"{fa.ACCUMULATED_LABEL.format(**labels)} {money(accumulated)}",
            "surplus_remaining",
        )
    allocation = get("rev_1")
    if allocation and not at_least_percent(get("exp_1"), allocation, EDUCATION_MIN_PERCENT):
        fail(
            "compliance.budget_education_40",
            f"{spec.label('exp_1', year)}：{money(get('exp_1'))} 未達分配款 {money(allocation)}"
            f" 的 {EDUCATION_MIN_PERCENT}%"
            f"（{percent(get('exp_1'), allocation)}）",
            "exp_1",
        )
    if allocation and get("exp_6") * 100 > allocation * ADMIN_MAX_PERCENT:
        fail(
            "compliance.budget_admin_10",
            f"{spec.label('exp_6', year)}：{money(get('exp_6'))} 超過分配款 {money(allocation)}"
            f" 的 {ADMIN_MAX_PERCENT}%"
            f"（{percent(get('exp_6'), allocation)}）",
            "exp_6",
        )
    return findings


# ---------------------------------------------------------------- §11 history


@dataclass(frozen=True)
class EducationYear:
    """One reported year's education spending against its allocation."""

    year: int  # the year reported on (Y−1 of the application)
    education: int
    allocation: int

    @property
    def met(self) -> bool:
        return self.allocation == 0 or at_least_percent(self.education, self.allocation, EDUCATION_MIN_PERCENT)

    @property
    def percent_text(self) -> str:
        return percent(self.education, self.allocation)


def education_history(project: Project) -> list[EducationYear]:
    with project.memoized():  # each year's final accounts draw on the one before: worked out once each
        return _education_history(project)


def _education_history(project: Project) -> list[EducationYear]:
    history = []
    for year in sorted(project.years):
        final = project.effective(year, "final_accounts")
        allocation = final.number("rev_allocation")
        if not allocation:
            continue
        education = final.number(fa.exp_key("1", fa.ALLOCATION)) + final.number(fa.exp_key("1", fa.INTEREST))
        history.append(EducationYear(year - 1, education, allocation))
    return history


def check_education_history(project: Project, year: int) -> list[Finding]:
    history = {h.year: h for h in education_history(project)}
    last, before = history.get(year - 1), history.get(year - 2)
    if last is None or before is None or last.met or before.met:
        return []
    lines = "；".join(f"{h.year} 年度 {h.percent_text}" for h in (before, last))
    return [
        warning(
            PROJECT_FORM,
            "compliance.education_two_years",
            f"教育訓練支出比率：連續 2 年未達分配款 {EDUCATION_MIN_PERCENT}%（{lines}），依規定次 1 年度不予分配",
        )
    ]


# ---------------------------------------------------------------- ledger


def ledger_opening_sources(project: Project, year: int) -> Sources:
    """What the fund's sources hold when the ledger of ``year`` starts: no allocation yet (it arrives
    as 收 1), the unspent interest carried in (budget line 2, or the ledger header's figure), and
    the accumulated surplus the year's budget draws (line 4), which payments spend as 其他收入."""
    from treasurer_app.forms.ledger_audit import Sources

    budget = project.effective(year, "budget")
    return Sources(0, max(0, project.interest_carried_in(year)), max(0, budget.number("rev_4")))


def _ledger_in_use(book: LedgerBook | None) -> bool:
    return book is not None and (bool(book.entries) or any(v.strip() for v in book.header.values()))


def check_year_ledger(project: Project, year: int) -> list[Finding]:
    book = project.years[year].ledger
    if book is None or not _ledger_in_use(book):
        return []
    from treasurer_app.forms import ledger as ledger_engine
    from treasurer_app.forms import ledger_audit

    opening = ledger_opening_sources(project, year)  # from the application: part of what the result depends on

    def check() -> list[Finding]:
        entries = ledger_engine.parse_entries(book, year)
        audit = ledger_audit.check_audit(book, year, opening, entries)
        return [*ledger_engine.check_ledger(book, year), *audit, *ledger_engine.check_caps(book, year)]

    return project.ledger_result("findings", year, opening, check)


def check_interest_carried_in(project: Project, year: int) -> list[Finding]:
    """The unspent interest carried into ``year`` is one figure: the ledger header may state it, and
    then it must be budget line 2's (which sheet 3 works out), or the two years' reports disagree."""
    from treasurer_app.forms import ledger as ledger_engine

    book = project.years[year].ledger
    if book is None or not _ledger_in_use(book):
        return []
    key = ledger_engine.INTEREST_CARRIED_IN
    typed = parse(ledger_engine.HEADER_FIELD[key], book.header.get(key, "")).value
    line_2 = project.effective(year, "budget").number("rev_2")
    if not isinstance(typed, int) or typed == line_2:
        return []
    return [
        error(
            LEDGER_FORM,
            "ledger.interest_carried_in_matches",
            f"{ledger_engine.HEADER_FIELD[key].label}：填了 {money(typed)} 元，與預算書"
            f"「{FORMS['budget'].label('rev_2', year)}」{money(line_2)} 元不符；兩者是同一個數字"
            f"（{year - 1} 年度利息收入扣除已動支利息）",
            key,
        )
    ]


# Every check check_project runs, in order; each takes (project, year) and returns findings.
# LEDGER_CHECK is the slow one on a long ledger: with the project's derivations kept (the window's), its
# findings are reused until the ledger changes.
LEDGER_CHECK = check_year_ledger
CHECKS: tuple[Callable[[Project, int], list[Finding]], ...] = (
    check_application,
    check_roster,
    check_final_accounts,
    check_training_report,
    check_training_expenses,
    check_work_plan,
    check_budget,
    check_education_history,
    check_interest_carried_in,
    LEDGER_CHECK,
)

__all__ = [
    "CHECKS", "LEDGER_CHECK", "LEDGER_FORM", "check_project", "education_history", "errors_only", "finding_key",
    "ledger_opening_sources",
]
