"""Per-year derivations are worked out once per year and kept until that year changes (issue 16).

A year's application draws its final accounts from the ledger of the year before, whose interest
carried in is budget line 2 of that year, drawn from the ledger before it, and so on: without care
every caller walks the whole chain again (the home page took 399 derivations for 20 years).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treasurer_app.forms import final_accounts
from treasurer_app.interchange import load
from treasurer_app.ledger.derivation import Derivation, derive_final_accounts
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.sheet import INTEREST_CARRIED_IN
from treasurer_app.project import Project
from treasurer_app.rules import check_project
from treasurer_app.rules.education import education_history

FIXTURES = Path(__file__).parent.parent / "fixtures"
LAST = 115
FORMS = ("final_accounts", "training_expenses", "budget")


def entries(year: int, count: int) -> list[dict[str, str]]:
    """An allocation received, interest received and spent (so it carries over), payments of 分配款."""
    rng = random.Random(year)
    records = [
        {"month": "1", "day": "2", "kind": "收", "code": "1", "voucher": "R1", "memo": "",
         "amount": "1000000", "category": "分配款", "account": "專戶存款1"},
        {"month": "1", "day": "3", "kind": "收", "code": "3", "voucher": "R2", "memo": "",
         "amount": str(rng.randint(500, 5000)), "category": "利息收入", "account": "專戶存款1"},
        {"month": "1", "day": "4", "kind": "支", "code": "1-1", "voucher": "P0", "memo": "王小明",
         "amount": str(rng.randint(100, 400)), "category": "利息收入", "account": "專戶存款1"},
    ]  # fmt: skip
    for i in range(count):
        records.append(
            {
                "month": str(2 + i * 10 // count),
                "day": "5",
                "kind": "支",
                "code": rng.choice(["1-1", "1-6", "6-1"]),
                "voucher": f"P{i + 1}",
                "memo": "王小明",
                "amount": str(rng.randint(1, 90) * 100),
                "category": "分配款",
                "account": "專戶存款1",
            }
        )
    return records


def years_project(count: int, per_year: int = 20) -> Project:
    """``count`` years ending in 115, each with the worked example's forms and its own ledger."""
    example = load(FIXTURES / "guide_example_corrected.json")
    template = example.years[LAST]
    project = Project()
    for year in range(LAST - count + 1, LAST + 1):
        book = project.add_year(year)
        book.forms = copy.deepcopy(template.forms)
        book.forms["application"]["year"] = str(year)
        book.ledger = LedgerBook({"opening_acct1": "0"}, entries(year, per_year))
    return project


@pytest.fixture
def derive_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The ledger years derive_final_accounts is called for, in order."""
    calls: list[int] = []
    original = derive_final_accounts

    def counting(book: LedgerBook, year: int, interest_carried_in: int) -> Derivation:
        calls.append(year)
        return original(book, year, interest_carried_in)

    monkeypatch.setattr("treasurer_app.project.derive_final_accounts", counting)  # the name project.py calls
    yield calls


@pytest.mark.parametrize("years", [2, 5, 10, 20])
def test_education_history_derives_each_year_once(years: int, derive_calls: list[int]) -> None:
    """Linear in years: one derivation per ledger that feeds a year, for the home page's history as
    for the whole check (it was 3 / 24 / 99 / 399 for 2 / 5 / 10 / 20 years)."""
    project = years_project(years)
    history = education_history(project)
    assert len(history) == years  # the first year from its typed sheet 3, the others from their ledgers
    assert sorted(derive_calls) == list(range(LAST - years + 1, LAST))
    derive_calls.clear()
    check_project(project, LAST)
    assert len(derive_calls) <= years - 1


@pytest.mark.parametrize("years", [2, 5, 10, 20])
def test_kept_derivations_are_not_redone_per_caller(years: int, derive_calls: list[int]) -> None:
    project = years_project(years)
    project.keep_derivations()
    education_history(project)
    check_project(project, LAST)
    for year in project.years:
        for form_id in FORMS:
            project.effective(year, form_id)
    education_history(project)  # the home page again, after the check: nothing new to work out
    assert sorted(derive_calls) == list(range(LAST - years + 1, LAST))


def test_an_edit_in_a_year_redoes_that_year_and_the_years_carrying_it(derive_calls: list[int]) -> None:
    project = years_project(10)
    project.keep_derivations()
    education_history(project)
    before = {year: project.effective(year, "final_accounts") for year in project.years}
    derive_calls.clear()

    # A payment of 分配款 in the ledger of 110: its year's derivation only (the interest it leaves is the same).
    book = project.years[110].ledger
    assert book is not None
    book.entries[5] = {**book.entries[5], "amount": "12300"}
    project.touch(110)
    education_history(project)
    assert derive_calls == [110]
    for year in project.years:
        now = project.effective(year, "final_accounts")
        if year < 110:
            assert now is before[year], f"{year} does not depend on 110"
        else:  # 110's own sheets are looked at again (cheaply: the ledger of 109 is not), and those after it
            assert now is not before[year], f"{year} is 110 or carries over from it"

    # Interest spent in 110: the interest carried into 111, 112… changes, so their derivations are redone.
    derive_calls.clear()
    book.entries[2] = {**book.entries[2], "amount": "300"}
    project.touch(110)
    education_history(project)
    assert derive_calls == list(range(110, LAST))

    # A form of 113 (not its ledger): no ledger is parsed again.
    derive_calls.clear()
    project.years[113].forms["budget"]["exp_1"] = "1"
    project.touch(113, ledger=False)
    assert project.effective(113, "budget").number("exp_1") == 1
    check_project(project, LAST)
    assert derive_calls == []


def test_an_untouched_project_keeps_nothing(derive_calls: list[int]) -> None:
    """Code that changes a project's dicts without saying so (tests, the importer) never sees old results."""
    project = years_project(3)
    education_history(project)
    book = project.years[114].ledger
    assert book is not None
    book.entries[0] = {**book.entries[0], "amount": "5"}
    assert project.effective(LAST, "final_accounts").number("rev_allocation") == 5


def test_a_reading_works_each_sheet_out_once_and_leaves_its_project_as_it_was(derive_calls: list[int]) -> None:
    """check_project and the application's grids read a ``reading()``: the project itself is never put
    into a mode where it remembers results (a change to its dicts is seen at once, as before)."""
    project = years_project(3)
    reading = project.reading()
    assert reading is not project and reading.reading() is reading
    assert reading.effective(LAST, "budget") is reading.effective(LAST, "budget")
    assert project.effective(LAST, "budget") is not project.effective(LAST, "budget")
    kept = years_project(2)
    kept.keep_derivations()
    assert kept.reading() is kept  # its results are kept across edits already


def test_a_snapshot_does_not_move_with_its_project() -> None:
    project = years_project(3)
    project.keep_derivations()
    snapshot = project.snapshot()
    book = project.years[114].ledger
    assert book is not None
    book.entries[0] = {**book.entries[0], "amount": "5"}
    book.entries.append(dict(book.entries[-1]))
    project.years[114].forms["budget"]["exp_1"] = "9"
    project.touch(114)
    assert snapshot.years[114].ledger is not None
    assert snapshot.years[114].ledger.entries[0]["amount"] == "1000000"
    assert len(snapshot.years[114].ledger.entries) == len(book.entries) - 1
    assert snapshot.years[114].forms["budget"].get("exp_1") != "9"
    assert snapshot.effective(LAST, "final_accounts").number("rev_allocation") == 1_000_000
    assert project.effective(LAST, "final_accounts").number("rev_allocation") == 5


def fresh(project: Project) -> Project:
    """The same data with nothing kept: what every kept result must equal."""
    return Project(copy.deepcopy(project.years))


def figures(project: Project) -> dict[tuple[int, str], tuple[dict[str, int], dict[str, int]]]:
    result = {}
    for year in project.years:
        for form_id in FORMS:
            form = project.effective(year, form_id)
            result[(year, form_id)] = (dict(form.supplied), form.derived())
    return result


EDIT = st.tuples(
    st.sampled_from(range(LAST - 4, LAST + 1)),  # the year
    st.sampled_from(["amount", "category", "code", "header", "form", "add", "delete"]),
    st.integers(min_value=0, max_value=10_000),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(EDIT, min_size=1, max_size=12))
def test_kept_results_equal_a_fresh_computation(edits: list[tuple[int, str, int]]) -> None:
    """After any run of edits (each followed by the touch the window's document makes), every kept
    derivation, the history and the findings equal those of the same data worked out from scratch."""
    project = years_project(5, per_year=8)
    project.keep_derivations()
    for year, what, n in edits:
        book = project.years[year]
        assert book.ledger is not None
        rows = book.ledger.entries
        i = n % len(rows)
        if what == "amount":
            rows[i] = {**rows[i], "amount": str(n)}
        elif what == "category":
            rows[i] = {**rows[i], "category": ("分配款", "利息收入", "其他收入", "")[n % 4]}
        elif what == "code":
            rows[i] = {**rows[i], "kind": "收" if n % 3 == 0 else "支", "code": ("1", "2", "3", "1-1", "6-1")[n % 5]}
        elif what == "header":
            book.ledger.header[INTEREST_CARRIED_IN] = str(n) if n % 2 else ""
        elif what == "form":
            book.forms["final_accounts"][final_accounts.exp_key("1", final_accounts.ALLOCATION)] = str(n)
        elif what == "add":
            rows.insert(i, {**rows[i], "voucher": f"N{n}"})
        else:
            del rows[i]
        project.touch(year, ledger=what != "form")
        # Look in between, so that kept results exist when the next edit comes.
        if n % 2:
            education_history(project)
        else:
            check_project(project, year)
    scratch = fresh(project)
    assert figures(project) == figures(scratch)
    assert education_history(project) == education_history(scratch)
    for year in project.years:
        assert check_project(project, year) == check_project(scratch, year)


def test_the_ledger_check_after_an_edit_runs_the_balances_from_that_entry_on_only() -> None:
    """The running balances of the last check are kept and brought up to date with the entries that
    changed (issue 16: a recheck redoes what the edit touched, not the whole year)."""
    project = years_project(1, per_year=300)
    project.keep_derivations()
    assert project.derivations is not None
    check_project(project, LAST)
    book = project.years[LAST].ledger
    assert book is not None
    count = len(book.entries)

    def kept_recomputed() -> int:
        running, *_ = project.derivations.take(("running_balances", LAST))  # type: ignore[misc, union-attr]
        project.derivations.put(("running_balances", LAST), (running, *_))  # type: ignore[union-attr]
        return running.recomputed  # type: ignore[no-any-return]

    before = kept_recomputed()
    book.entries[count - 10] = {**book.entries[count - 10], "amount": "123400"}  # 10 entries from the end
    project.touch(LAST)
    assert check_project(project, LAST) == check_project(fresh(project), LAST)
    assert kept_recomputed() - before == 10
    before = kept_recomputed()
    book.entries.insert(count - 3, {**book.entries[5], "voucher": "N1"})
    del book.entries[count - 1]
    book.entries[count - 20] = {**book.entries[count - 20], "memo": "陳小華"}
    project.touch(LAST)
    assert check_project(project, LAST) == check_project(fresh(project), LAST)
    assert kept_recomputed() - before <= 3 * 20  # from the first entry changed on, for each kind of change
