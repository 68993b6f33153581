"""Properties of the cash ledger over generated ledgers (hypothesis), and one deterministic 50,000-entry year.

The expected balances are computed here with the test's own reading of DOMAIN.md §10
(收 adds to its account, 支 subtracts, 轉 moves between the two accounts the table names),
not with the module's helpers.
"""

from __future__ import annotations

import itertools
import random
from datetime import date
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treasurer_app.forms import training_expenses
from treasurer_app.ledger.balances import balances, closing_balances, opening_balances
from treasurer_app.ledger.codes import PARAMETER_TABLE
from treasurer_app.ledger.derivation import (
    EXPENDITURE_KEYS,
    derive_final_accounts,
    derive_training_expenses,
    next_year_header,
)
from treasurer_app.ledger.entries import LedgerBook, is_blank, parse_entry
from treasurer_app.ledger.quarters import quarter_slice
from treasurer_app.rules.ledger import check_caps, check_ledger

YEAR = 114
ACCOUNTS = ("專戶存款1", "專戶存款2", "定期存款", "零用金")
# 轉 code → (from, to); None is the account chosen in 動支帳戶 (DOMAIN.md §10's transfer table).
TRANSFERS = {
    "1": (None, "定期存款"),
    "2": (None, "零用金"),
    "3": ("定期存款", None),
    "4": (None, "零用金"),
    "5": (None, "專戶存款2"),
    "6": (None, "專戶存款1"),
}
OPENING_KEYS = ("opening_acct1", "opening_acct2", "opening_fixed", "opening_petty")
FIELDS = ("month", "day", "kind", "code", "voucher", "memo", "amount", "category", "account")


def effect(record: dict[str, str]) -> dict[str, int]:
    """How a well-formed record changes each account."""
    amount = int(record["amount"])
    account = record["account"]
    if record["kind"] == "收":
        return {account: amount}
    if record["kind"] == "支":
        return {account: -amount}
    source, target = TRANSFERS[record["code"]]
    change = {source or account: -amount}
    change[target or account] = change.get(target or account, 0) + amount
    return change


@st.composite
def good_records(draw: st.DrawFn) -> dict[str, str]:
    spec = draw(st.sampled_from(PARAMETER_TABLE))
    # Mostly allowed accounts, sometimes any: a disallowed account is an error but the money still moves.
    account = draw(st.one_of(st.sampled_from(spec.accounts), st.sampled_from(ACCOUNTS)))
    category = draw(st.sampled_from(spec.categories)) if spec.categories else ""
    return {
        "month": str(draw(st.integers(1, 12))),
        "day": str(draw(st.integers(1, 28))),
        "kind": spec.kind,
        "code": spec.code,
        "voucher": "",
        "memo": draw(st.sampled_from(("王小明", "李大華", "", "春節禮券"))),
        "amount": str(draw(st.integers(1, 2_000_000))),
        "category": category,
        "account": account,
    }


BROKEN = st.sampled_from(
    (
        {"amount": "abc"},
        {"amount": "0"},
        {"kind": "借"},
        {"code": "9-9"},
        {"month": "13"},
        {"day": "32"},
        {"account": ""},
    )
)


@st.composite
def ledgers(draw: st.DrawFn, max_entries: int = 40) -> tuple[LedgerBook, list[bool]]:
    """A ledger and, per entry, whether it is well-formed (broken ones must leave the balances alone)."""
    count = draw(st.integers(0, max_entries))
    records, good = [], []
    for i in range(count):
        record = draw(good_records())
        ok = draw(st.booleans()) or draw(st.booleans())
        if not ok:
            record.update(draw(BROKEN))
        record["voucher"] = f"V{i}"
        records.append(record)
        good.append(ok)
    header = {key: str(draw(st.integers(0, 5_000_000))) for key in OPENING_KEYS}
    return LedgerBook(header, records), good


def expected_running(book: LedgerBook, good: list[bool]) -> list[dict[str, int]]:
    current = {account: int(book.header[key]) for account, key in zip(ACCOUNTS, OPENING_KEYS, strict=True)}
    result = []
    for record, ok in zip(book.entries, good, strict=True):
        if ok:
            for account, change in effect(record).items():
                current[account] += change
        result.append(dict(current))
    return result


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ledgers())
def test_per_account_balances_are_opening_plus_in_minus_out(case: tuple[LedgerBook, list[bool]]) -> None:
    book, good = case
    running = balances(book, YEAR)
    assert [dict(zip(ACCOUNTS, b.amounts(), strict=True)) for b in running] == expected_running(book, good)


@SETTINGS
@given(ledgers())
def test_totals_move_by_receipts_minus_payments_and_never_by_transfers(case: tuple[LedgerBook, list[bool]]) -> None:
    book, good = case
    running = balances(book, YEAR)
    opening = opening_balances(book)
    before = opening
    receipts = payments = 0
    for record, ok, after in zip(book.entries, good, running, strict=True):
        if not ok:
            assert after == before  # an unusable entry leaves every balance alone
        elif record["kind"] == "轉":
            assert after.total == before.total
        elif record["kind"] == "收":
            receipts += int(record["amount"])
        else:
            payments += int(record["amount"])
        before = after
    opening = opening.total
    closing = closing_balances(book, YEAR)
    assert closing.total - opening == receipts - payments
    header = next_year_header(book, YEAR)
    assert [int(header[key]) for key in OPENING_KEYS] == list(closing.amounts())


@SETTINGS
@given(ledgers())
def test_derivations_account_for_every_reportable_payment(case: tuple[LedgerBook, list[bool]]) -> None:
    book, good = case
    final = derive_final_accounts(book, YEAR, 0)
    training = derive_training_expenses(book, YEAR)
    reportable = [
        r
        for r, ok in zip(book.entries, good, strict=True)
        if ok and r["kind"] == "支" and not r["code"].startswith("7-")
    ]
    assert sum(final.values[k] for k in EXPENDITURE_KEYS) == sum(int(r["amount"]) for r in reportable)
    education = sum(int(r["amount"]) for r in reportable if r["code"].startswith("1-"))
    assert (
        sum(training.values.values()) == education == final.values["exp_1_allocation"] + final.values["exp_1_interest"]
    )
    for key, indexes in final.entries.items():
        assert final.values[key] == sum(int(book.entries[i]["amount"]) for i in indexes)
    assert set(training.values) == set(training_expenses.LINE_KEYS)


@SETTINGS
@given(ledgers(max_entries=30))
def test_quarter_slices_are_nested_and_the_fourth_is_the_year(case: tuple[LedgerBook, list[bool]]) -> None:
    book, _ = case
    slices = [quarter_slice(book, YEAR, q).entries for q in (1, 2, 3, 4)]
    for smaller, larger in itertools.pairwise(slices):
        assert all(record in larger for record in smaller)
    assert slices[3] == book.entries


TEXT = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ("收", "轉", "支", "1-1", "零用金", "分配款")
)
ANY_RECORD = st.fixed_dictionaries({key: TEXT for key in FIELDS})


@settings(max_examples=300, deadline=None)
@given(st.lists(ANY_RECORD, max_size=8), st.dictionaries(st.sampled_from((*OPENING_KEYS, "interest_carried_in")), TEXT))
def test_never_raises_and_every_unusable_entry_is_reported(
    records: list[dict[str, str]], header: dict[str, str]
) -> None:
    book = LedgerBook(header, records)
    findings = check_ledger(book, YEAR)
    check_caps(book, YEAR)
    balances(book, YEAR)
    derive_final_accounts(book, YEAR, 0)
    derive_training_expenses(book, YEAR)
    next_year_header(book)
    quarter_slice(book, YEAR, 2)
    flagged = {f.row for f in findings if f.is_error}
    for i, record in enumerate(records):
        if parse_entry(record, YEAR) is None and not is_blank(record):
            assert i in flagged, record


@settings(max_examples=100, deadline=None)
@given(st.lists(ANY_RECORD | good_records(), max_size=10))
def test_the_quick_path_finds_what_the_full_rules_find(records: list[dict[str, str]]) -> None:
    for i, record in enumerate(records):
        record["voucher"] = record["voucher"] or f"V{i}"
    book = LedgerBook({key: "100000000" for key in OPENING_KEYS}, records)
    quick = check_ledger(book, YEAR)
    with mock.patch("treasurer_app.rules.ledger._plainly_valid", lambda entry, record: False):
        assert check_ledger(book, YEAR) == quick


def test_non_text_values_are_read_as_text() -> None:
    record = {"month": 3, "day": 5, "kind": "支", "code": "6-1", "voucher": None, "amount": 500, "account": "零用金"}
    parsed = parse_entry(record, YEAR)  # type: ignore[arg-type]
    assert parsed is not None and parsed.amount == 500 and parsed.voucher == ""
    check_ledger(LedgerBook({}, [record]), YEAR)  # type: ignore[list-item]


def big_year(count: int, seed: int) -> tuple[LedgerBook, list[bool]]:
    """A year of ``count`` well-formed entries in date order, with generous opening balances."""
    rng = random.Random(seed)
    specs = PARAMETER_TABLE
    days = sorted(date.fromordinal(rng.randint(date(2025, 1, 1).toordinal(), date(2025, 12, 31).toordinal()))
                  for _ in range(count))  # fmt: skip
    records = []
    for i, day in enumerate(days):
        spec = rng.choice(specs)
        records.append(
            {
                "month": str(day.month),
                "day": str(day.day),
                "kind": spec.kind,
                "code": spec.code,
                "voucher": f"V{i}",
                "memo": rng.choice(("王小明", "李大華", "陳志明", "")),
                "amount": str(rng.randint(1, 5_000)),
                "category": rng.choice(spec.categories) if spec.categories else "",
                "account": rng.choice(spec.accounts),
            }
        )
    header = dict.fromkeys(OPENING_KEYS, "900000000")
    return LedgerBook(header, records), [True] * count


def test_fifty_thousand_entries() -> None:
    book, good = big_year(50_000, seed=20250101)
    running = balances(book, YEAR)
    assert [dict(zip(ACCOUNTS, b.amounts(), strict=True)) for b in running] == expected_running(book, good)
    receipts = sum(int(r["amount"]) for r in book.entries if r["kind"] == "收")
    payments = sum(int(r["amount"]) for r in book.entries if r["kind"] == "支")
    assert running[-1].total - opening_balances(book).total == receipts - payments
    # Its speed is measured in benchmarks/bench_ledger.py, never timed here.
    assert check_ledger(book, YEAR) == []
