"""The sample union (先看看範例工會, resources/sample/): what the program writes, and the guide's worked example."""

from __future__ import annotations

from treasurer_app import interchange
from treasurer_app.ledger.balances import opening_balances
from treasurer_app.resources import resources_dir
from treasurer_app.rules import check_project
from treasurer_app.rules.ledger_year import ledger_opening_sources

SAMPLE = resources_dir() / "sample" / "sample_union.json"


def test_the_sample_is_written_as_the_program_writes_a_project() -> None:
    """The current interchange version, in the app's own layout: saving the opened sample changes nothing."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert interchange.dumps(interchange.loads(text)) == text


def test_the_sample_ledger_opens_with_what_the_fund_held_at_the_end_of_last_year() -> None:
    """The guide's example: the fund held 2,357,031 at the end of 114 (sheet 3's 截至114年度歷年累積結餘款); the
    115 budget draws 563,700 of it (line 4) and keeps 1,793,331. That money is in the accounts when the 115
    ledger starts (上年度結存), so what the sources make available (937 interest carried in, 563,700 of the
    surplus, spent as 其他收入) is money the ledger holds, not a figure beside a 目前結存 of 0."""
    project = interchange.load(SAMPLE)
    year = 115
    accumulated = project.effective(year, "final_accounts").number("accumulated")
    budget = project.effective(year, "budget")
    assert accumulated == 2_357_031 == budget.number("rev_4") + budget.number("surplus_remaining")
    book = project.years[year].ledger
    assert book is not None and book.entries == []  # no entries yet: the year has just begun
    opening = opening_balances(book)
    assert opening.total == accumulated
    assert sum(ledger_opening_sources(project, year).amounts()) <= opening.total
    assert check_project(project, year) == []
