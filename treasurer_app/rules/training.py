"""Sheets 4 and 5: the training report (教育訓練成果報告) and its expenses (教育訓練經費支出明細), the
expenses against the final accounts' education row and the report's sessions."""

from __future__ import annotations

from datetime import date, timedelta

from treasurer_app.findings import Finding, error, warning
from treasurer_app.forms import FORMS, final_accounts, training_report
from treasurer_app.forms.base import Record, check_fields, int_getter, parse
from treasurer_app.project import Project
from treasurer_app.rules.common import is_blank, money

# ---------------------------------------------------------------- sheet 4


def check_training_report(project: Project, year: int) -> list[Finding]:
    spec = FORMS["training_report"]
    report_year = year - 1
    findings: list[Finding] = []
    for i, session in enumerate(project.years[year].training_report):
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
            fail("training_report.date_in_year", f"{spec.field(key).label}：須在 {report_year} 年度內", key)
    if isinstance(day1, date) and isinstance(day2, date) and days == "2" and day2 != day1 + timedelta(days=1):
        findings.append(
            warning(
                "training_report",
                "training_report.day2_next_day",
                f"{where} {second}：應為{training_report.HEADERS['day1']}的次日",
                "day2",
                i,
            )
        )
    get = int_getter(spec, session)
    total_hours = 0
    any_course = False
    for n in range(1, len(training_report.CATEGORIES) + 1):
        course_label, hours_label = (
            spec.field(training_report.course_key(n)).label,
            spec.field(training_report.hours_key(n)).label,
        )
        names = training_report.course_names(session.get(training_report.course_key(n), ""))
        hours = get(training_report.hours_key(n))
        total_hours += hours
        any_course = any_course or bool(names)
        for name in names:
            if len(name) > training_report.MAX_COURSE_NAME_CHARS:
                fail(
                    "training_report.course_name_length",
                    f"{course_label}：每項{training_report.HEADERS['course']}"
                    f"最多 {training_report.MAX_COURSE_NAME_CHARS} 個字"
                    f"（「{name[:10]}…」有 {len(name)} 個字）",
                    training_report.course_key(n),
                )
        if names and not hours:
            fail(
                "training_report.hours_for_course",
                f"{hours_label}：有{training_report.HEADERS['course']}就須填時數",
                training_report.hours_key(n),
            )
        if hours and not names:
            fail(
                "training_report.course_for_hours",
                f"{course_label}：有時數就須填{training_report.HEADERS['course']}",
                training_report.course_key(n),
            )
    if not any_course:
        course = training_report.HEADERS["course"]
        fail(
            "training_report.course_required",
            f"{course}：至少填一個{training_report.HEADERS['category']}的{course}",
            training_report.course_key(1),
        )
    if total_hours > training_report.MAX_HOURS_PER_SESSION:
        fail(
            "training_report.hours_max_24",
            f"{training_report.HEADERS['hours']}：每場次合計不可超過 {training_report.MAX_HOURS_PER_SESSION} 小時"
            f"（合計 {total_hours} 小時）",
            training_report.hours_key(1),
        )
    return findings


# ---------------------------------------------------------------- sheet 5


def check_training_expenses(project: Project, year: int) -> list[Finding]:
    spec = FORMS["training_expenses"]
    form = project.effective(year, "training_expenses")
    findings = check_fields(spec, form.values, year, fields=[f for f in spec.fields if f.key not in form.supplied])
    final = project.effective(year, "final_accounts")
    education = final.number(final_accounts.exp_key("1", final_accounts.ALLOCATION)) + final.number(
        final_accounts.exp_key("1", final_accounts.INTEREST)
    )
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
    sessions = [s for s in project.years[year].training_report if not is_blank(s)]
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
