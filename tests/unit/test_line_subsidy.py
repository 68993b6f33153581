"""The LINE official-account subsidy (勞動部補助工會運用行動通訊軟體實施要點): declarations, rules, claim."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from treasurer_app.findings import FIELD_REQUIRED
from treasurer_app.line_subsidy import forms as line_forms
from treasurer_app.line_subsidy import rules as line_rules
from treasurer_app.line_subsidy.numerals import capital, receipt_amount
from treasurer_app.project import Project

YEAR = 115  # subsidy of 114年12月 – 115年11月, applied for in Sep–Oct 114
IN_SEPTEMBER = date(2025, 9, 20)
IN_NOVEMBER = date(2026, 11, 5)

# ---------------------------------------------------------------- capital numerals

CAPITALS = [
    (0, "零"),
    (1, "壹"),
    (9, "玖"),
    (10, "壹拾"),
    (11, "壹拾壹"),
    (20, "貳拾"),
    (100, "壹佰"),
    (101, "壹佰零壹"),
    (105, "壹佰零伍"),
    (110, "壹佰壹拾"),
    (1000, "壹仟"),
    (1001, "壹仟零壹"),
    (1010, "壹仟零壹拾"),
    (1100, "壹仟壹佰"),
    (4200, "肆仟貳佰"),
    (10000, "壹萬"),
    (10001, "壹萬零壹"),
    (10010, "壹萬零壹拾"),
    (20500, "貳萬零伍佰"),
    (50400, "伍萬零肆佰"),
    (100000, "壹拾萬"),
    (100001, "壹拾萬零壹"),
    (110000, "壹拾壹萬"),
    (1000000, "壹佰萬"),
    (1001120, "壹佰萬零壹仟壹佰貳拾"),
    (1010000, "壹佰零壹萬"),
    (1234567, "壹佰貳拾參萬肆仟伍佰陸拾柒"),
    (10000000, "壹仟萬"),
    (10010000, "壹仟零壹萬"),
    (12345678, "壹仟貳佰參拾肆萬伍仟陸佰柒拾捌"),
    (100000000, "壹億"),
    (100000001, "壹億零壹"),
    (100010000, "壹億零壹萬"),
    (101000000, "壹億零壹佰萬"),
    (200003000, "貳億零參仟"),
    (999999999, "玖億玖仟玖佰玖拾玖萬玖仟玖佰玖拾玖"),
]


@pytest.mark.parametrize(("amount", "expected"), CAPITALS)
def test_capital_numerals(amount: int, expected: str) -> None:
    assert capital(amount) == expected


def test_the_table_is_long_enough() -> None:
    assert len(CAPITALS) >= 30


def test_receipt_amount_line() -> None:
    assert receipt_amount(4200) == "新臺幣肆仟貳佰元整"
    assert receipt_amount(50400) == "新臺幣伍萬零肆佰元整"


@pytest.mark.parametrize("amount", [1_000_000_000, 12_345_678_901])
def test_more_than_nine_digits_is_refused(amount: int) -> None:
    with pytest.raises(ValueError, match="9 位"):
        capital(amount)


def test_negative_and_non_integers_are_refused() -> None:
    with pytest.raises(ValueError):
        capital(-1)
    with pytest.raises(TypeError):
        capital(4200.0)  # type: ignore[arg-type]


# ---------------------------------------------------------------- a repeat application and its claim


def repeat_project() -> Project:
    """A repeat applicant, all correct: mailed on 1140915, approved 高用量方案 at 4,200, every month 3 messages."""
    project = Project()
    book = project.add_year(YEAR)
    book.forms["application"]["union_name"] = "基隆港碼頭裝卸職業工會"
    book.form(line_forms.APPLICATION.id).update(
        {
            "kind": line_forms.REPEAT,
            "has_account": "是",
            "has_group": "是",
            "short_name": "基港裝卸工會",
            "display_name": "基港裝卸工會",
            "account_id": "@klport",
            "friends": "2450",
            "target_friends": "2310",
            "expected_messages": "4",
            "benefits": "即時傳遞勞動法令與工會訊息",
            "plan": line_forms.HIGH_PLAN,
            "plan_fee": "4200",
            "friends_proof": line_forms.ATTACHED,
            "last_letter_no": "勞動關1字第1130000001號",
            "last_letter_date": "1131120",
            "mailed_on": "1140915",
            "mail_method": "掛號郵件",
            "mail_tracking": "123456-001",
            "member_meetings": "1",
            "board_meetings": "4",
            "supervisor_meetings": "4",
            "income": "3500000",
            "expenditure": "3200000",
        }
    )
    book.form(line_forms.APPROVAL.id).update(
        {
            "letter_no": "勞動關1字第1140000002號",
            "letter_date": "1141120",
            "approved_plan": line_forms.HIGH_PLAN,
            "approved_fee": "4200",
            "first_month": "11412",
            "last_month": "11511",
            "claimed_on": "1151105",
            "claim_letter_no": "基港裝字第1150123號",
        }
    )
    for month in line_rules.subsidy_months(YEAR):
        ym = f"{month.roc_year:03d}{month.month:02d}"
        book.line_rows[line_forms.FEES.id].append(
            {"month": ym, "paid_on": f"{ym}05", "invoice": "AB12345678", "plan": line_forms.HIGH_PLAN, "amount": "4200"}
        )
        for day in ("03", "12", "21"):
            book.line_rows[line_forms.MESSAGES.id].append(
                {"date": f"{ym}{day}", "title": "勞動部新聞", "kind": line_forms.MOL_NEWS}
            )
    book.line_rows[line_forms.TRAINING.id].append(
        {"date": "1150310", "name": "運用行動通訊軟體教育訓練", "attendee": "王小明"}
    )
    return project


def rules_of(project: Project, today: date = IN_NOVEMBER) -> set[str]:
    return {f.rule for f in line_rules.check_line(project, YEAR, today)}


def test_the_whole_repeat_application_and_claim_is_clean() -> None:
    assert line_rules.check_line(repeat_project(), YEAR, IN_NOVEMBER) == []


def test_an_unused_programme_says_nothing() -> None:
    project = Project()
    project.add_year(YEAR)
    assert line_rules.check_line(project, YEAR, IN_NOVEMBER) == []


def test_claim_total_is_the_approved_fee_over_the_months() -> None:
    result = line_rules.claim(repeat_project().years[YEAR])
    assert len(result.months) == 12
    assert result.total == 12 * 4200 == 50400


def test_claim_caps_each_month_and_subtracts_other_agencies() -> None:
    project = repeat_project()
    book = project.years[YEAR]
    book.forms[line_forms.APPROVAL.id]["approved_fee"] = "4800"  # the union's plan costs more than the ceiling
    book.line_rows[line_forms.FEES.id][0]["amount"] = "5300"  # December: extra messages bought
    book.line_rows[line_forms.FEES.id][1]["amount"] = "3000"  # January: a cheaper bill
    book.line_rows[line_forms.OTHER_SUBSIDIES.id].append({"agency": "基隆市政府", "amount": "5000"})
    result = line_rules.claim(book)
    assert result.monthly_limit == 4200
    assert result.subsidised == 11 * 4200 + 3000
    assert result.total == 11 * 4200 + 3000 - 5000
    assert result.own_cost == 5300 - 4200


def test_claim_covers_only_the_approved_months() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPROVAL.id]["first_month"] = "11503"
    assert line_rules.claim(project.years[YEAR]).total == 9 * 4200


# ---------------------------------------------------------------- each rule fails when removed


def test_eligibility() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPLICATION.id]["has_group"] = "否"
    assert "line.not_eligible" in rules_of(project)


def test_display_name_must_hold_the_union_name() -> None:
    project = repeat_project()
    values = project.years[YEAR].forms[line_forms.APPLICATION.id]
    values["display_name"] = "港區好朋友"
    assert "line.display_name_union" in rules_of(project)
    values["display_name"] = "基隆港碼頭裝卸職業工會官方帳號"  # the full name will do
    assert "line.display_name_union" not in rules_of(project)


def test_first_application_is_the_medium_plan() -> None:
    project = repeat_project()
    values = project.years[YEAR].forms[line_forms.APPLICATION.id]
    values.update({"kind": line_forms.FIRST, "plan": line_forms.HIGH_PLAN})
    assert "line.plan_first_medium" in rules_of(project)
    values["plan"] = line_forms.MEDIUM_PLAN
    assert "line.plan_first_medium" not in rules_of(project)


def test_repeat_application_is_the_high_plan() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPLICATION.id]["plan"] = line_forms.MEDIUM_PLAN
    assert "line.plan_repeat_high" in rules_of(project)


def test_repeat_needs_two_thousand_target_friends() -> None:
    project = repeat_project()
    values = project.years[YEAR].forms[line_forms.APPLICATION.id]
    values["target_friends"] = "1999"
    assert "line.repeat_target_friends" in rules_of(project)
    values["target_friends"] = "2000"
    assert "line.repeat_target_friends" not in rules_of(project)


def test_repeat_needs_the_proof_of_friends() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPLICATION.id]["friends_proof"] = line_forms.NOT_ATTACHED
    assert "line.repeat_friends_proof" in rules_of(project)


def test_repeat_needs_the_last_approval_letter() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPLICATION.id]["last_letter_no"] = ""
    findings = [f for f in line_rules.check_line(project, YEAR, IN_NOVEMBER) if f.rule == "line.repeat_last_letter"]
    assert [f.field for f in findings] == ["last_letter_no"]


def test_fee_above_the_ceiling_is_the_unions_own_cost() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPLICATION.id]["plan_fee"] = "4800"
    assert "line.fee_over_cap" in rules_of(project)


def test_expected_messages_under_three() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPLICATION.id]["expected_messages"] = "2"
    assert "line.expected_messages_low" in rules_of(project)


@pytest.mark.parametrize(
    ("mailed", "late"),
    [("1140831", True), ("1140901", False), ("1141031", False), ("1141101", True), ("1150915", True)],
)
def test_application_inside_september_and_october_of_the_year_before(mailed: str, late: bool) -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPLICATION.id]["mailed_on"] = mailed
    assert ("line.application_window" in rules_of(project)) is late


def test_the_programmes_dates_are_said_from_the_one_place_that_holds_them() -> None:
    """The rules' dates and every text that names them (hints, messages, the papers, the pages) come from
    line_subsidy/forms.py: no other module of the app spells 9 月 1 日, 10 月 31 日 or 11 月 15 日."""
    assert line_rules.application_window(YEAR) == (date(2025, 9, 1), date(2025, 10, 31))
    assert line_rules.claim_deadline(YEAR) == date(2026, 11, 15)
    assert line_forms.application_period(YEAR) == "114 年 9 月 1 日至 10 月 31 日"
    assert line_forms.claim_by(YEAR) == "115 年 11 月 15 日前"
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPLICATION.id]["mailed_on"] = "1141101"
    late = [f for f in line_rules.check_line(project, YEAR, IN_NOVEMBER) if f.rule == "line.application_window"]
    assert [f.message for f in late] == [
        "申請文件交寄日期：114 年 11 月 1 日不在申請期間（114 年 9 月 1 日至 10 月 31 日，四(一)），逾期不予受理"
    ]
    spelled = re.compile(r"\b(?:9\s*月\s*1|10\s*月\s*31|11\s*月\s*(?:15|\{CLAIM_DAY\}))\s*日")
    app = Path(line_forms.__file__).parent.parent
    found = [
        f"{path.relative_to(app)}:{number}"
        for path in sorted(app.rglob("*.py"))
        if path != Path(line_forms.__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if spelled.search(line)
    ]
    assert found == []


def test_mailing_must_be_trackable() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPLICATION.id]["mail_tracking"] = ""
    findings = line_rules.check_line(project, YEAR, IN_NOVEMBER)
    assert any((f.rule, f.field) == (FIELD_REQUIRED, "mail_tracking") for f in findings)


def test_a_short_month_that_is_over_is_an_error_naming_it() -> None:
    project = repeat_project()
    messages = project.years[YEAR].line_rows[line_forms.MESSAGES.id]
    del messages[6:8]  # 115年2月 keeps one message
    findings = [f for f in line_rules.check_line(project, YEAR, IN_NOVEMBER) if f.rule == "line.month_messages_short"]
    assert len(findings) == 1
    assert "115年2月" in findings[0].message and findings[0].is_error


def test_the_running_month_short_is_a_warning_before_it_ends() -> None:
    project = repeat_project()
    book = project.years[YEAR]
    book.line_rows[line_forms.MESSAGES.id] = [
        m for m in book.line_rows[line_forms.MESSAGES.id] if not m["date"].startswith("11505")
    ]
    book.line_rows[line_forms.MESSAGES.id].append(
        {"date": "1150502", "title": "勞動部新聞", "kind": line_forms.MOL_NEWS}
    )
    findings = [f for f in line_rules.check_line(project, YEAR, date(2026, 5, 20)) if f.rule.startswith("line.month_")]
    assert [(f.rule, f.is_error) for f in findings] == [("line.month_messages_running_short", False)]
    assert "115年5月" in findings[0].message
    assert "line.month_messages_short" in rules_of(project, date(2026, 6, 1))


def test_a_message_outside_the_subsidy_year() -> None:
    project = repeat_project()
    project.years[YEAR].line_rows[line_forms.MESSAGES.id].append(
        {"date": "1151202", "title": "x", "kind": line_forms.MOL_NEWS}
    )
    assert "line.message_outside_period" in rules_of(project)


def test_fee_above_the_approved_plan() -> None:
    project = repeat_project()
    project.years[YEAR].line_rows[line_forms.FEES.id][3]["amount"] = "4500"
    assert "line.fee_over_approved" in rules_of(project)


def test_fee_outside_the_approved_months() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPROVAL.id]["first_month"] = "11501"
    assert "line.fee_month_outside" in rules_of(project)


def test_approved_month_outside_the_subsidy_year() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPROVAL.id]["last_month"] = "11512"
    assert "line.approved_month_outside" in rules_of(project)


def test_approved_plan_other_than_requested() -> None:
    project = repeat_project()
    project.years[YEAR].forms[line_forms.APPROVAL.id]["approved_plan"] = line_forms.MEDIUM_PLAN
    assert "line.approved_plan_differs" in rules_of(project)


def test_other_agencies_covering_the_fee() -> None:
    project = repeat_project()
    project.years[YEAR].line_rows[line_forms.OTHER_SUBSIDIES.id].append({"agency": "某市政府", "amount": "60000"})
    assert "line.others_cover_fee" in rules_of(project)
    assert line_rules.claim(project.years[YEAR]).total == 0


def test_claim_by_15_november() -> None:
    project = repeat_project()
    approval = project.years[YEAR].forms[line_forms.APPROVAL.id]
    approval["claimed_on"] = ""
    assert "line.claim_due" in rules_of(project, date(2026, 11, 5))
    assert "line.claim_overdue" in rules_of(project, date(2026, 11, 16))
    assert not {"line.claim_due", "line.claim_overdue"} & rules_of(project, date(2026, 10, 31))
    approval["claimed_on"] = "1151116"
    assert "line.claim_late" in rules_of(project)
    approval["claimed_on"] = "1151115"
    assert not {"line.claim_late", "line.claim_due", "line.claim_overdue"} & rules_of(project, date(2026, 11, 20))


def test_training_attended() -> None:
    project = repeat_project()
    project.years[YEAR].line_rows[line_forms.TRAINING.id].clear()
    assert "line.training_missing" in rules_of(project)


def test_table_rows_are_checked_field_by_field() -> None:
    project = repeat_project()
    project.years[YEAR].line_rows[line_forms.FEES.id][0]["invoice"] = ""
    findings = line_rules.check_line(project, YEAR, IN_NOVEMBER)
    findings = [f for f in findings if (f.rule, f.field) == (FIELD_REQUIRED, "invoice")]
    assert findings and findings[0].row == 0 and findings[0].form == line_forms.FEES.id


def test_september_application_without_approval_checks_only_the_application() -> None:
    project = repeat_project()
    book = project.years[YEAR]
    book.forms[line_forms.APPROVAL.id].clear()
    book.line_rows[line_forms.MESSAGES.id].clear()
    book.line_rows[line_forms.TRAINING.id].clear()
    book.line_rows[line_forms.FEES.id].clear()
    assert line_rules.check_line(project, YEAR, IN_SEPTEMBER) == []


def test_every_rule_id_is_distinct_and_tested() -> None:
    import inspect
    import re

    source = inspect.getsource(line_rules)
    ids = set(re.findall(r'"(line\.[a-z_]+)"', source))
    tests = inspect.getsource(inspect.getmodule(test_eligibility))
    assert ids and all(rule in tests.replace("rules_of", "") for rule in ids), ids


def test_month_statuses_for_the_home_page() -> None:
    project = repeat_project()
    book = project.years[YEAR]
    book.line_rows[line_forms.MESSAGES.id] = [
        m for m in book.line_rows[line_forms.MESSAGES.id] if m["date"][:5] not in ("11502", "11505", "11506")
    ]
    book.line_rows[line_forms.MESSAGES.id].append(
        {"date": "1150502", "title": "勞動部新聞", "kind": line_forms.MOL_NEWS}
    )
    states = {
        line_rules.month_name(s.month): (s.state, s.missing) for s in line_rules.month_statuses(book, date(2026, 5, 20))
    }
    assert states["115年2月"] == (line_rules.MONTH_SHORT, 3)
    assert states["115年5月"] == (line_rules.MONTH_RUNNING, 2)
    assert states["115年6月"] == (line_rules.MONTH_AHEAD, 3)
    assert states["115年1月"] == (line_rules.MONTH_MET, 0)


def test_the_sample_union_carries_a_clean_repeat_application_and_claim() -> None:
    from treasurer_app.interchange import load
    from treasurer_app.resources import resources_dir

    project = load(resources_dir() / "sample" / "sample_union.json")
    book = project.years[YEAR]
    assert book.forms[line_forms.APPLICATION.id]["kind"] == line_forms.REPEAT
    assert line_rules.check_line(project, YEAR, date(2026, 12, 2)) == []
    assert line_rules.claim(book).total == 12 * 4200
    assert all(s.state == line_rules.MONTH_MET for s in line_rules.month_statuses(book, date(2026, 12, 2)))


def test_the_year_after_an_approval_starts_as_a_repeat_application_citing_it() -> None:
    project = repeat_project()
    new = project.roll_over(YEAR)
    line = new.forms[line_forms.APPLICATION.id]
    assert line["kind"] == line_forms.REPEAT and line["plan"] == line_forms.HIGH_PLAN
    assert (line["last_letter_no"], line["last_letter_date"]) == ("勞動關1字第1140000002號", "1141120")
    assert line["display_name"] == "基港裝卸工會" and "mailed_on" not in line
    assert not any(new.line_rows.values())  # fees, messages and training are the new year's own
    unused = Project()
    unused.add_year(YEAR)
    assert line_forms.APPLICATION.id not in unused.roll_over(YEAR).forms
