"""The ledger of year Y−1 feeds the application of year Y (DOMAIN.md §10 "What the ledger feeds")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from treasurer_app.forms import final_accounts
from treasurer_app.interchange import load
from treasurer_app.ledger.balances import closing_balances
from treasurer_app.ledger.derivation import derive_final_accounts
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project
from treasurer_app.rules import check_project
from treasurer_app.rules.accounts import check_final_accounts
from treasurer_app.rules.training import check_training_expenses

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def project() -> Project:
    """The corrected guide example for 115, with the 206-entry ledger of 114 kept in the app."""
    project = load(FIXTURES / "guide_example_corrected.json")
    document = json.loads((FIXTURES / "ledger_114.json").read_text(encoding="utf-8"))
    book = project.add_year(114)
    book.ledger = LedgerBook(document["header"], document["entries"])
    return project


def test_final_accounts_come_from_the_ledger_with_their_origin(project: Project) -> None:
    form = project.effective(115, "final_accounts")
    # The ledger test works these out by hand: 分配款 459,000, 利息 10,200, 結餘款 464,000 spent.
    assert form.number(final_accounts.subtotal_key(final_accounts.ALLOCATION)) == 459_000
    assert form.number(final_accounts.subtotal_key(final_accounts.INTEREST)) == 10_200
    assert form.number(final_accounts.subtotal_key(final_accounts.SURPLUS)) == 464_000
    assert form.number("exp_total") == 933_200
    assert form.number("rev_interest") == 12_566
    assert form.sources[final_accounts.exp_key("1", final_accounts.ALLOCATION)] == "由 114 年度現金收支登記簿計算"
    behind = form.drilldown[final_accounts.exp_key("1", final_accounts.ALLOCATION)]
    entries = document_entries(project)
    assert behind and all(entries[i]["code"].startswith("1-") for i in behind)
    assert sum(int(entries[i]["amount"]) for i in behind if entries[i]["category"] == "分配款") == form.number(
        final_accounts.exp_key("1", final_accounts.ALLOCATION)
    )


def document_entries(project: Project) -> list[dict[str, str]]:
    book = project.years[114].ledger
    assert book is not None
    return book.entries


def test_typed_figures_are_overridden_by_the_ledger(project: Project) -> None:
    key = final_accounts.exp_key("1", final_accounts.ALLOCATION)
    project.years[115].forms["final_accounts"][key] = "1"
    ledger_book = project.years[114].ledger
    assert ledger_book is not None
    from_ledger = derive_final_accounts(ledger_book, 114, project.interest_carried_in(114)).values[key]
    assert from_ledger > 1
    assert project.effective(115, "final_accounts").number(key) == from_ledger


def test_training_expenses_are_the_ledgers_1_x_lines(project: Project) -> None:
    expenses = project.effective(115, "training_expenses")
    assert expenses.number("line_1") == 28_000
    assert expenses.number("line_6") == 70_240
    assert expenses.number("line_9") == 40_000
    final = project.effective(115, "final_accounts")
    education = final.number(final_accounts.exp_key("1", final_accounts.ALLOCATION)) + final.number(
        final_accounts.exp_key("1", final_accounts.INTEREST)
    )
    assert expenses.number("total") == education


def test_derived_final_accounts_pass_every_rule_of_the_domain(project: Project) -> None:
    errors = [f for f in check_final_accounts(project, 115) if f.is_error]
    # The beneficiaries are typed from the guide example; everything the ledger derives must be clean.
    assert [f for f in errors if f.rule != "final_accounts.education_vs_report"] == []
    expense_errors = [f for f in check_training_expenses(project, 115) if f.is_error]
    assert expense_errors == []


def test_ledger_findings_reach_check(project: Project) -> None:
    book = project.years[114].ledger
    assert book is not None
    assert (book.entries[1]["kind"], book.entries[1]["code"]) == ("支", "3-2-1")
    book.entries[1]["account"] = "定期存款"  # 3-2-1 may not be paid from a fixed deposit
    found = [(f.rule, f.field, f.row) for f in check_project(project, 114) if f.form == "ledger"]
    assert ("ledger.account_allowed", "account", 1) in found


def test_roll_over_carries_the_closing_balances(project: Project) -> None:
    book = project.years[114].ledger
    assert book is not None
    closing = closing_balances(book, 114)
    only_114 = Project(years={114: project.years[114]})
    after = only_114.roll_over(114)
    assert after.year == 115 and after.ledger is not None
    assert after.ledger.header["opening_acct1"] == str(closing.acct1)
    assert after.ledger.header["opening_acct2"] == str(closing.acct2)
    assert after.ledger.header["opening_fixed"] == str(closing.fixed)
    assert after.ledger.header["opening_petty"] == str(closing.petty)
    assert after.ledger.header["interest_carried_in"] == "2366"  # worked out in test_ledger.py
    assert after.ledger.entries == []
