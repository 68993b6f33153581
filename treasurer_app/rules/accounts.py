"""Sheets 3, 6 and 7: the final accounts (決算表), the work plan (工作計畫) and the budget (歲入歲出預算書),
with the §11 shares (education ≥ 40 %, administration ≤ 10 %) and the figures they must share."""

from __future__ import annotations

from treasurer_app.findings import Finding, error, warning
from treasurer_app.forms import FORMS, final_accounts, work_plan
from treasurer_app.forms import budget as budget_form
from treasurer_app.forms.base import check_fields, int_getter, parse, year_labels
from treasurer_app.project import Effective, Project, session_totals
from treasurer_app.rules.common import (
    ADMIN_MAX_PERCENT,
    EDUCATION_MIN_PERCENT,
    INTEREST_A_ROWS,
    INTEREST_EDUCATION_MIN_PERCENT,
    at_least_percent,
    is_blank,
    money,
    percent,
)

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

    # Each column of the expenditure table spends no more than the revenue it is paid from.
    for column, spent_label, revenue, available, rule in (
        (final_accounts.ALLOCATION, "分配款金額", "分配款收入", get("rev_allocation"), "allocation_not_overspent"),
        (final_accounts.INTEREST, "利息", "利息收入", get("rev_interest"), "interest_not_overspent"),
        (
            final_accounts.SURPLUS,
            "結餘款金額",
            "動支結餘款加其他收入",
            get("rev_surplus_drawn") + get("rev_other"),
            "surplus_not_overspent",
        ),
    ):
        subtotal = final_accounts.subtotal_key(column)
        if get(subtotal) > available:
            message = f"{spent_label}小計：{money(get(subtotal))} 超過{revenue} {money(available)}"
            fail(f"final_accounts.{rule}", message, subtotal)
    spent_interest = get(final_accounts.subtotal_key(final_accounts.INTEREST))
    choice = parse(
        final_accounts.INTEREST_USE, form.values.get(final_accounts.INTEREST_USE.key)
    ).value  # "a" and "Ａ" are A too
    if choice == "A":
        for row in final_accounts.EXPENDITURE_ROWS:
            if row.is_total or row.id in INTEREST_A_ROWS or final_accounts.INTEREST not in row.columns:
                continue
            amount = get(final_accounts.exp_key(row.id, final_accounts.INTEREST))
            if amount:
                fail(
                    "final_accounts.interest_choice_a",
                    f"{spec.label(final_accounts.exp_key(row.id, final_accounts.INTEREST), year)}："
                    "選擇 A（利息運用於(2)-(4)項）時不可動支利息"
                    f"（填了 {money(amount)}）",
                    final_accounts.exp_key(row.id, final_accounts.INTEREST),
                )
    elif choice == "B" and spent_interest:
        education_interest = get(final_accounts.exp_key("1", final_accounts.INTEREST))
        if not at_least_percent(education_interest, spent_interest, INTEREST_EDUCATION_MIN_PERCENT):
            fail(
                "final_accounts.interest_choice_b_education",
                f"{spec.label(final_accounts.exp_key('1', final_accounts.INTEREST), year)}："
                "選擇 B 時教育訓練動支利息須占所用利息"
                f" {INTEREST_EDUCATION_MIN_PERCENT}% 以上"
                f"（{money(education_interest)}／{money(spent_interest)}"
                f"＝{percent(education_interest, spent_interest)}）",
                final_accounts.exp_key("1", final_accounts.INTEREST),
            )
    accumulated = get("accumulated")
    if accumulated < 0:
        fail(
            "final_accounts.accumulated_not_negative",
            f"{final_accounts.ACCUMULATED_LABEL.format(**labels)}：不可為負數（{money(accumulated)}）",
            "accumulated",
        )
    allocation = get("rev_allocation")
    education = get(final_accounts.exp_key("1", final_accounts.ALLOCATION)) + get(
        final_accounts.exp_key("1", final_accounts.INTEREST)
    )
    if allocation and not at_least_percent(education, allocation, EDUCATION_MIN_PERCENT):
        findings.append(
            warning(
                "final_accounts",
                "compliance.education_40",
                f"{final_accounts.EXPENDITURE_BY_ID['1'].label}：{year - 1} 年度教育訓練支出 {money(education)}"
                f" 未達分配款 {money(allocation)} 的 {EDUCATION_MIN_PERCENT}%"
                f"（{percent(education, allocation)}）；連續 2 年未達者次 1 年度不予分配",
                final_accounts.exp_key("1", final_accounts.ALLOCATION),
            )
        )
    admin = get(final_accounts.exp_key("6", final_accounts.ALLOCATION)) + get(
        final_accounts.exp_key("6", final_accounts.INTEREST)
    )
    if allocation and admin * 100 > allocation * ADMIN_MAX_PERCENT:
        findings.append(
            warning(
                "final_accounts",
                "compliance.admin_10",
                f"{final_accounts.EXPENDITURE_BY_ID['6'].label}：{money(admin)} 超過分配款 {money(allocation)} 的"
                f" {ADMIN_MAX_PERCENT}%（{percent(admin, allocation)}）",
                final_accounts.exp_key("6", final_accounts.ALLOCATION),
            )
        )
    findings += _check_education_beneficiaries(project, year, form)
    return findings


def _check_education_beneficiaries(project: Project, year: int, form: Effective) -> list[Finding]:
    sessions = [s for s in project.years[year].training_report if not is_blank(s)]
    totals = session_totals(sessions)
    findings = []
    for unit, _ in final_accounts.EDUCATION_UNITS:
        key = final_accounts.ben_key("1", unit)
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


# ---------------------------------------------------------------- sheet 6


def check_work_plan(project: Project, year: int) -> list[Finding]:
    spec = FORMS["work_plan"]
    values = project.years[year].forms["work_plan"]
    findings = check_fields(spec, values, year)
    plan = int_getter(spec, values)
    budget = project.effective(year, "budget")
    for item_no, line_key in enumerate(budget_form.PLAN_ITEM_LINES, start=1):
        key = work_plan.plan_key(item_no, "amount")
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
                work_plan.plan_key(1, "interest"),
            )
        )
    education_interest = plan(work_plan.plan_key(1, "interest"))
    if planned_interest and not at_least_percent(education_interest, planned_interest, INTEREST_EDUCATION_MIN_PERCENT):
        findings.append(
            error(
                "work_plan",
                "work_plan.interest_education_40",
                f"{spec.label(work_plan.plan_key(1, 'interest'), year)}：須占全部另使用利息"
                f" {INTEREST_EDUCATION_MIN_PERCENT}% 以上"
                f"（{money(education_interest)}／{money(planned_interest)}"
                f"＝{percent(education_interest, planned_interest)}）",
                work_plan.plan_key(1, "interest"),
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
            f"{final_accounts.ACCUMULATED_LABEL.format(**labels)} {money(accumulated)}",
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
