"""The fund's sources kept by the ledger, and the auditor's petty-cash rules (工會財務處理準則 第19條).

Each rule is shown to fire on the entry that breaks it and to stay quiet one dollar short of it.
"""

from __future__ import annotations

import pytest

from tests.unit.test_ledger import OPENING, book, entry
from treasurer_app import interchange, rules
from treasurer_app.findings import Finding, Severity
from treasurer_app.forms import final_accounts
from treasurer_app.ledger.balances import RunningBalances, Sources
from treasurer_app.ledger.codes import allowed_accounts, codes
from treasurer_app.ledger.derivation import next_year_header
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.sheet import ENTRY_FIELD, INTEREST_CARRIED_IN
from treasurer_app.project import Project
from treasurer_app.rules import ledger_year
from treasurer_app.rules.ledger import check_audit, check_ledger

YEAR = 115


def rule_findings(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


NOTHING = Sources()


def audit(ledger: LedgerBook, opening: Sources = NOTHING) -> list[Finding]:
    return check_audit(ledger, YEAR, opening)


# ---------------------------------------------------------------- the fund's sources


def test_running_sources_follow_receipts_and_payments_by_category() -> None:
    ledger = book(
        entry(kind="收", code="1", category="分配款", amount=467_000),
        entry(kind="收", code="3", category="利息收入", amount=1_250),
        entry(code="1-1", category="利息收入", amount=1_000),
        entry(kind="轉", code="2", category="", amount=5_000),  # a transfer moves no source
        entry(kind="收", code="4", category="其他收入", amount=300, account="專戶存款2"),
        entry(code="2-2", category="其他收入", amount=800, account="專戶存款2"),
        entry(code="6-1", category="分配款", amount=2_000),
        entry(kind="收", code="5", category="誤植或扣抵", amount=70),  # not the fund's money: no source
    )
    running = RunningBalances(ledger, YEAR, Sources(0, 937, 500))
    assert [running.sources_after(row).amounts() for row in range(len(running))] == [
        (467_000, 937, 500),
        (467_000, 2_187, 500),
        (467_000, 1_187, 500),
        (467_000, 1_187, 500),
        (467_000, 1_187, 800),
        (467_000, 1_187, 0),
        (465_000, 1_187, 0),
        (465_000, 1_187, 0),
    ]


def test_paying_more_interest_than_received_is_flagged_on_that_payment() -> None:
    """The issue's example: 15,000 paid from 利息收入 after 1,250 of interest received."""
    ledger = book(
        entry(kind="收", code="1", category="分配款", amount=467_000),
        entry(kind="收", code="3", category="利息收入", amount=1_250),
        entry(code="4-1", category="利息收入", amount=15_000),
        entry(code="4-1", category="利息收入", amount=500),  # still overdrawn: not flagged again
    )
    found = rule_findings(audit(ledger), "ledger.source_overspent")
    assert len(found) == 1
    finding = found[0]
    assert finding.severity is Severity.ERROR and finding.form == "ledger"
    assert finding.row == 2 and finding.field == "category"
    assert finding.message == "第 3 筆 動支類別：利息收入全年可動支 1,250 元，動支至本筆累計 15,000 元，超支 13,750 元"


def test_a_source_is_overspent_against_what_it_receives_in_the_whole_year() -> None:
    """Paid in January, received in March: sheet 3 accepts it, and so does the ledger (the running
    figure is below zero meanwhile); the payment that the year's receipts do not cover is flagged."""
    ahead = book(
        entry(month=1, code="4-1", category="利息收入", amount=1_000),
        entry(month=3, kind="收", code="3", category="利息收入", amount=1_250),
    )
    assert not rule_findings(audit(ahead), "ledger.source_overspent")
    assert RunningBalances(ahead, YEAR).sources_after(0).interest == -1_000
    beyond = book(*ahead.entries, entry(month=4, code="4-1", category="利息收入", amount=251, voucher="P9"))
    found = rule_findings(audit(beyond), "ledger.source_overspent")
    assert [f.row for f in found] == [2]
    assert "累計 1,251 元，超支 1 元" in found[0].message


def test_allocation_spent_before_any_is_received_is_a_warning() -> None:
    """The guide's own example pays from 分配款 in January; the allocation arrives later in the year."""
    ledger = book(entry(code="6-1", category="分配款", amount=2_000), entry(code="6-1", category="分配款", amount=5))
    found = audit(ledger)
    assert [(f.rule, f.row, f.severity) for f in found] == [("ledger.allocation_not_received", 0, Severity.WARNING)]
    assert "尚未登記分配款收入（收 1）" in found[0].message
    received = book(*ledger.entries, entry(month=2, kind="收", code="1", category="分配款", amount=467_000))
    assert audit(received) == []


def test_interest_carried_in_counts_as_available() -> None:
    payment = entry(code="4-1", category="利息收入", amount=2_187)
    received = entry(kind="收", code="3", category="利息收入", amount=1_250)
    assert not rule_findings(audit(book(received, payment), Sources(0, 937, 0)), "ledger.source_overspent")
    assert rule_findings(audit(book(received, payment), Sources(0, 936, 0)), "ledger.source_overspent")


@pytest.mark.parametrize(("category", "code", "name"), [("分配款", "6-1", "分配款"), ("其他收入", "2-2", "其他收入")])
def test_allocation_and_other_income_are_sources_too(category: str, code: str, name: str) -> None:
    ledger = book(entry(code=code, category=category, amount=100))
    assert not rule_findings(audit(ledger, Sources(100, 0, 100)), "ledger.source_overspent")
    found = rule_findings(audit(ledger, Sources(99, 0, 99)), "ledger.source_overspent")
    assert [f.row for f in found] == [0]
    assert f"{name}全年可動支 99 元（" in found[0].message and "超支 1 元" in found[0].message


def test_the_check_is_part_of_the_projects_ledger_check() -> None:
    project = Project()
    project.add_year(YEAR).ledger = book(entry(code="4-1", category="利息收入", amount=10))
    assert rule_findings(rules.check_project(project, YEAR), "ledger.source_overspent")


# ---------------------------------------------------------------- what is available at the start of the year


def sample_project() -> Project:
    from treasurer_app.resources import resources_dir

    return interchange.load(resources_dir() / "sample" / "sample_union.json")


def test_the_years_opening_sources_come_from_its_application() -> None:
    """Interest: budget line 2 (15,937 − 15,000 = 937); other income: the surplus drawn, budget line 4."""
    project = sample_project()
    project.years[YEAR].ledger = LedgerBook()
    assert ledger_year.ledger_opening_sources(project, YEAR) == Sources(0, 937, 563_700)


def test_the_sample_union_pays_interest_beyond_what_is_carried_in_and_received() -> None:
    project = sample_project()
    project.years[YEAR].ledger = book(
        entry(kind="收", code="3", category="利息收入", amount=1_250),
        entry(code="4-1", category="利息收入", amount=2_188),
        header=dict(OPENING),
    )
    found = rule_findings(rules.check_project(project, YEAR), "ledger.source_overspent")
    assert [f.row for f in found] == [1]
    assert found[0].message == (
        "第 2 筆 動支類別：利息收入全年可動支 2,187 元（上年度未動支利息 937 元＋本年度收入 1,250 元），"
        "動支至本筆累計 2,188 元，超支 1 元"
    )


# ---------------------------------------------------------------- carrying the unspent interest into the new year


def overspent_sample() -> Project:
    """The issue's example: 937 carried in, 1,250 received, 15,000 paid from interest."""
    project = sample_project()
    project.years[YEAR].ledger = book(
        entry(kind="收", code="1", category="分配款", amount=467_000),
        entry(kind="收", code="3", category="利息收入", amount=1_250),
        entry(code="4-1", category="利息收入", amount=15_000),
        header=dict(OPENING),
    )
    return project


def carried_figures(project: Project, year: int) -> tuple[str, int, int]:
    """(next ledger header, sheet 3 interest left, budget line 2) of ``year``."""
    ledger = project.years[year].ledger
    assert ledger is not None
    final = project.effective(year, "final_accounts")
    left = final.number("rev_interest") - final.number(final_accounts.subtotal_key(final_accounts.INTEREST))
    return ledger.header[INTEREST_CARRIED_IN], left, project.effective(year, "budget").number("rev_2")


def test_unspent_interest_is_one_figure_on_the_new_header_sheet_3_and_budget_line_2() -> None:
    project = sample_project()
    project.years[YEAR].ledger = book(
        entry(kind="收", code="3", category="利息收入", amount=1_250),
        entry(code="1-1", category="利息收入", amount=1_000),
        header=dict(OPENING),
    )
    project.roll_over(YEAR)
    assert carried_figures(project, YEAR + 1) == ("1187", 1_187, 1_187)  # 937 + 1,250 − 1,000


def test_overspent_interest_carries_zero_never_a_negative_figure() -> None:
    project = overspent_sample()
    project.roll_over(YEAR)
    header, _, line_2 = carried_figures(project, YEAR + 1)
    assert (header, line_2) == ("0", 0)
    findings = rules.check_project(project, YEAR + 1)
    assert not [f for f in findings if f.field == INTEREST_CARRIED_IN]  # the header is accepted as it is
    assert rule_findings(findings, "final_accounts.interest_not_overspent")  # the overspending stays in sight


def test_a_header_figure_that_disagrees_with_budget_line_2_is_an_error() -> None:
    project = sample_project()
    project.years[YEAR].ledger = LedgerBook({INTEREST_CARRIED_IN: "1000"}, [])
    found = rule_findings(rules.check_project(project, YEAR), "ledger.interest_carried_in_matches")
    assert len(found) == 1
    assert found[0].field == INTEREST_CARRIED_IN and found[0].is_error
    assert "1,000" in found[0].message and "937" in found[0].message
    project.years[YEAR].ledger.header[INTEREST_CARRIED_IN] = "937"
    assert not rule_findings(rules.check_project(project, YEAR), "ledger.interest_carried_in_matches")


# ---------------------------------------------------------------- 工會財務處理準則 第19條


def petty_book(*entries: dict[str, str], petty: int = 5_000) -> LedgerBook:
    return book(*entries, header={**OPENING, "opening_petty": str(petty)})


def test_a_petty_cash_payment_over_10000_is_a_warning() -> None:
    at_limit = petty_book(entry(code="6-1", amount=10_000, account="零用金"), petty=50_000)
    assert not rule_findings(audit(at_limit, Sources(10**6, 0, 0)), "ledger.petty_cash_payment_limit")
    over = petty_book(
        entry(code="6-1", amount=10_000, account="零用金"),
        entry(code="6-1", amount=10_001, account="零用金", voucher="P-88"),
        entry(code="6-1", amount=20_000, account="專戶存款1"),  # from the bank account: fine
        petty=50_000,
    )
    found = rule_findings(audit(over, Sources(10**6, 0, 0)), "ledger.petty_cash_payment_limit")
    assert [(f.row, f.field, f.severity) for f in found] == [(1, "amount", Severity.WARNING)]
    assert found[0].message.startswith("第 2 筆 金額：由零用金支付 10,001 元（傳票 P-88）")
    assert "第19條" in found[0].message and "10,000" in found[0].message


def test_a_petty_cash_balance_over_100000_is_a_warning_on_the_entry_that_raises_it() -> None:
    ledger = petty_book(
        entry(kind="轉", code="2", category="", amount=40_000),  # 60,000 + 40,000 = 100,000: at the limit
        entry(kind="轉", code="2", category="", amount=1),  # 100,001
        entry(kind="轉", code="2", category="", amount=5),  # still above: not again
        entry(code="6-1", amount=10, account="零用金"),  # 99,996
        entry(kind="轉", code="4", category="", amount=10, account="定期存款"),  # 100,006: again
        petty=60_000,
    )
    found = rule_findings(audit(ledger, Sources(10**6, 0, 0)), "ledger.petty_cash_balance_limit")
    assert [(f.row, f.severity) for f in found] == [(1, Severity.WARNING), (4, Severity.WARNING)]
    assert found[0].message.startswith("第 2 筆 零用金餘額 100,001 元")
    assert "第19條" in found[0].message and "100,000" in found[0].message


def test_an_opening_petty_cash_over_100000_is_a_warning_on_the_header() -> None:
    found = rule_findings(audit(petty_book(petty=100_001)), "ledger.petty_cash_balance_limit")
    assert [(f.row, f.field) for f in found] == [(None, "opening_petty")]
    assert not rule_findings(audit(petty_book(petty=100_000)), "ledger.petty_cash_balance_limit")


def test_the_petty_cash_rules_are_part_of_the_projects_check() -> None:
    project = Project()
    project.add_year(YEAR).ledger = petty_book(entry(code="6-1", amount=20_000, account="零用金"), petty=120_000)
    found = {f.rule for f in rules.check_project(project, YEAR)}
    assert {"ledger.petty_cash_payment_limit", "ledger.petty_cash_balance_limit"} <= found


def test_the_ledgers_own_next_header_never_carries_negative_interest() -> None:
    overspent = book(
        entry(kind="收", code="3", category="利息收入", amount=1_250),
        entry(code="4-1", category="利息收入", amount=15_000),
    )
    assert next_year_header(overspent, YEAR)[INTEREST_CARRIED_IN] == "0"


# ---------------------------------------------------------------- 轉 has no 動支類別


@pytest.mark.parametrize("code", codes("轉"))
def test_a_transfer_needs_no_category_neither_in_its_cell_nor_in_the_entry_rules(code: str) -> None:
    account = allowed_accounts("轉", code)[0]
    transfer = entry(kind="轉", code=code, category="", account=account, amount=10)
    assert ENTRY_FIELD["category"].check("")[1] is None  # the cell's own check: no 必填
    assert not [f for f in check_ledger(book(transfer), YEAR) if f.field == "category"]
    payment = entry(code="6-1", category="")
    assert rule_findings(check_ledger(book(payment), YEAR), "ledger.required")[0].field == "category"
