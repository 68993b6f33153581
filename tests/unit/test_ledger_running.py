"""The one running balance (ledger/balances.py): kept in step with the edits, it always equals a full
recomputation, and an edit runs only the entries from the edited one on.

Every single edit the register makes — an entry inserted, deleted, or its amount, account, 字 / 號,
category or month changed, the header's opening balances changed — is applied to a generated
ledger, told to the running balance, and compared with one computed afresh from the edited book.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_ledger_properties import ACCOUNTS, BROKEN, OPENING_KEYS, YEAR, good_records, ledgers
from treasurer_app.ledger.balances import RunningBalances, Sources, balance_at
from treasurer_app.ledger.codes import PARAMETER_TABLE
from treasurer_app.ledger.entries import LedgerBook, parse_entries

OPENING_SOURCES = Sources(1_000, 2_000, 3_000)


def assert_same(kept: RunningBalances, book: LedgerBook) -> None:
    """What the kept figures say is what a fresh pass over the edited book says, entry by entry."""
    fresh = RunningBalances(book, YEAR, kept.opening_sources)
    assert kept.parsed == fresh.parsed == parse_entries(book, YEAR)
    assert len(kept) == len(fresh) == len(book.entries)
    assert kept.balances() == fresh.balances()
    assert [kept.sources_after(row) for row in range(len(kept))] == [
        fresh.sources_after(row) for row in range(len(fresh))
    ]
    assert kept.closing() == fresh.closing()
    assert kept.closing_sources() == fresh.closing_sources()


CHANGES = st.one_of(
    st.fixed_dictionaries({"amount": st.integers(1, 2_000_000).map(str)}),
    st.fixed_dictionaries({"account": st.sampled_from(ACCOUNTS)}),
    st.fixed_dictionaries({"month": st.integers(1, 12).map(str)}),
    st.fixed_dictionaries({"category": st.sampled_from(("分配款", "利息收入", "其他收入", "誤植或扣抵", ""))}),
    st.sampled_from(PARAMETER_TABLE).map(lambda spec: {"kind": spec.kind, "code": spec.code}),
    BROKEN,  # an entry that stops parsing (or starts again) moves nothing from there on
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(max_entries=25), st.data())
def test_a_changed_entry_leaves_the_figures_a_fresh_pass_gives(
    case: tuple[LedgerBook, list[bool]], data: st.DataObject
) -> None:
    book, _ = case
    if not book.entries:
        return
    running = RunningBalances(book, YEAR, OPENING_SOURCES)
    row = data.draw(st.integers(0, len(book.entries) - 1))
    book.entries[row] = {**book.entries[row], **data.draw(CHANGES)}  # replaced, as the window's edits do
    before = running.recomputed
    running.edited(row)
    assert running.recomputed - before == len(book.entries) - row  # the entries before it are kept
    assert_same(running, book)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(max_entries=25), st.data())
def test_an_inserted_entry_leaves_the_figures_a_fresh_pass_gives(
    case: tuple[LedgerBook, list[bool]], data: st.DataObject
) -> None:
    book, _ = case
    running = RunningBalances(book, YEAR, OPENING_SOURCES)
    row = data.draw(st.integers(0, len(book.entries)))
    count = data.draw(st.integers(1, 3))
    book.entries[row:row] = [data.draw(good_records() | BROKEN) for _ in range(count)]
    before = running.recomputed
    running.inserted(row, count)
    assert running.recomputed - before == len(book.entries) - row
    assert_same(running, book)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(max_entries=25), st.data())
def test_a_deleted_entry_leaves_the_figures_a_fresh_pass_gives(
    case: tuple[LedgerBook, list[bool]], data: st.DataObject
) -> None:
    book, _ = case
    if not book.entries:
        return
    running = RunningBalances(book, YEAR, OPENING_SOURCES)
    row = data.draw(st.integers(0, len(book.entries) - 1))
    count = data.draw(st.integers(1, len(book.entries) - row))
    del book.entries[row : row + count]
    running.deleted(row, count)
    assert_same(running, book)
    # Entries keep their place as their index: what the rules report on them names the right line.
    assert all(entry.index == i for i, entry in enumerate(running.parsed) if entry is not None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(max_entries=20), st.sampled_from(OPENING_KEYS), st.integers(0, 5_000_000))
def test_a_changed_opening_balance_moves_every_figure(
    case: tuple[LedgerBook, list[bool]], key: str, amount: int
) -> None:
    book, _ = case
    running = RunningBalances(book, YEAR, OPENING_SOURCES)
    book.header = {**book.header, key: str(amount)}
    running.header_changed()
    assert_same(running, book)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(max_entries=20), st.lists(st.integers(-5_000, 5_000), min_size=3, max_size=3))
def test_new_opening_sources_run_the_sources_again(case: tuple[LedgerBook, list[bool]], amounts: list[int]) -> None:
    book, _ = case
    running = RunningBalances(book, YEAR, OPENING_SOURCES)
    opening = Sources(*amounts)
    assert running.set_opening_sources(opening) is (opening != OPENING_SOURCES)
    assert not running.set_opening_sources(opening)
    assert_same(running, book)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(max_entries=15), st.lists(st.sampled_from("eid"), max_size=6), st.data())
def test_a_run_of_edits_of_every_kind_stays_in_step(
    case: tuple[LedgerBook, list[bool]], edits: list[str], data: st.DataObject
) -> None:
    book, _ = case
    running = RunningBalances(book, YEAR, OPENING_SOURCES)
    for how in edits:
        if how == "e" and book.entries:
            row = data.draw(st.integers(0, len(book.entries) - 1))
            book.entries[row] = {**book.entries[row], **data.draw(CHANGES)}
            running.edited(row)
        elif how == "i":
            row = data.draw(st.integers(0, len(book.entries)))
            book.entries.insert(row, data.draw(good_records()))
            running.inserted(row)
        elif how == "d" and book.entries:
            row = data.draw(st.integers(0, len(book.entries) - 1))
            del book.entries[row]
            running.deleted(row)
        assert_same(running, book)


def entry(month: int, day: int, amount: int, kind: str = "收", code: str = "2") -> dict[str, str]:
    category = "利息收入" if kind == "收" else "分配款"
    return {
        "month": str(month),
        "day": str(day),
        "kind": kind,
        "code": code,
        "voucher": f"{month}-{day}",
        "memo": "",
        "amount": str(amount),
        "category": category,
        "account": "專戶存款1",
    }


@pytest.mark.parametrize(
    ("when", "expected"),
    [(date(2025, 1, 31), 100), (date(2025, 2, 28), 130), (date(2025, 3, 1), 1_130), (date(2024, 12, 31), 0)],
)
def test_balance_at_counts_each_entry_by_its_date_even_out_of_order(when: date, expected: int) -> None:
    """An entry typed out of order (reported by ledger.date_order) still counts on its own date."""
    book = LedgerBook(
        {}, [entry(1, 5, 100), entry(3, 1, 1_000), entry(2, 10, 50), entry(2, 20, 20, kind="支", code="1-1")]
    )
    assert balance_at(book, YEAR, when).acct1 == expected
