"""The year-end derivation from the ledger (DOMAIN.md §10): the final accounts (sheet 3) and the
training expenses (sheet 5) of the next year's application, each figure with the entries behind it,
and the next year's ledger header (closing balances, unspent interest).
"""

from __future__ import annotations

from collections.abc import Sequence

from treasurer_app.forms import final_accounts, training_expenses
from treasurer_app.ledger.balances import RunningBalances, header_money
from treasurer_app.ledger.codes import ACCOUNTS, CAT_ALLOCATION, CAT_INTEREST, CAT_OTHER, PAYMENT, RECEIPT, TRANSFER
from treasurer_app.ledger.entries import ANY_YEAR, Entry, LedgerBook, parse_entries
from treasurer_app.ledger.sheet import INTEREST_CARRIED_IN, OPENING_KEYS
from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final


class Derivation(Value):
    """Figures for another form, by field key, and the ledger entries (indexes) behind each."""

    __slots__ = ("entries", "values")

    def __init__(self, values: dict[str, int], entries: dict[str, list[int]]) -> None:
        self.values: Final = values
        self.entries: Final = entries

    def add(self, key: str, entry: Entry) -> None:
        self.values[key] += entry.amount
        self.entries[key].append(entry.index)


def _empty_derivation(keys: Sequence[str]) -> Derivation:
    return Derivation({key: 0 for key in keys}, {key: [] for key in keys})


# Which final-accounts column a payment's 動支類別 feeds; 誤植或扣抵 (7-x) feeds none.
CATEGORY_COLUMN: dict[str, str] = {
    CAT_ALLOCATION: final_accounts.ALLOCATION,
    CAT_INTEREST: final_accounts.INTEREST,
    CAT_OTHER: final_accounts.SURPLUS,
}
# Which revenue line a receipt feeds; 收 5 (money that is not the fund's) feeds none.
RECEIPT_REVENUE: dict[str, str] = {"1": "rev_allocation", "2": "rev_interest", "3": "rev_interest", "4": "rev_other"}
REVENUE_KEYS = ("rev_allocation", "rev_interest", "rev_other")
EXPENDITURE_KEYS: tuple[str, ...] = tuple(
    final_accounts.exp_key(row.id, column)
    for row in final_accounts.EXPENDITURE_ROWS
    if not row.is_total
    for column in row.columns
)


def _counted(entries: Sequence[Entry | None]) -> list[Entry]:
    """The entries that feed the year-end forms: parsed, with a 動支類別 the table allows for their code.
    The others are left out — check_ledger reports them as errors, which block the export."""
    return [e for e in entries if e is not None and e.kind != TRANSFER and e.category_allowed]


def _derive_final_accounts(entries: Sequence[Entry | None], interest_carried_in: int) -> Derivation:
    derivation = _empty_derivation((*REVENUE_KEYS, *EXPENDITURE_KEYS))
    derivation.values["rev_interest"] = interest_carried_in
    for entry in _counted(entries):
        spec = entry.spec
        if entry.kind == RECEIPT:
            key = RECEIPT_REVENUE.get(spec.code)
        elif spec.final_row is not None and entry.category is not None:
            key = final_accounts.exp_key(spec.final_row, CATEGORY_COLUMN[entry.category])
        else:
            key = None
        if key in derivation.values:
            derivation.add(key, entry)
    return derivation


def derive_final_accounts(book: LedgerBook, year: int, interest_carried_in: int) -> Derivation:
    """Sheet 3 of the application for ``year`` + 1 from the ledger of ``year`` (DOMAIN.md §10).

    Revenue: 收 1 → 分配款; 收 2 + 收 3 + ``interest_carried_in`` → 利息收入; 收 4 → 其他收入;
    收 5 left out. Expenditure: 支 entries summed by row (1 ← 1-x, 2 ← 2-x, 3-1, 3-2 ← 3-2-x,
    4 ← 4-x, 5-k, 6 ← 6-x; 7-x left out) and by column (分配款, 利息收入 → 利息, 其他收入 →
    結餘款金額). Every input cell of those rows is present, 0 when nothing feeds it.
    """
    return _derive_final_accounts(parse_entries(book, year), interest_carried_in)


def derive_training_expenses(book: LedgerBook, year: int) -> Derivation:
    """Sheet 5's thirteen lines: line n ← 支 1-n (分配款 and 利息收入 alike)."""
    derivation = _empty_derivation(training_expenses.LINE_KEYS)
    for entry in _counted(parse_entries(book, year)):
        line = entry.spec.training_line
        if entry.kind == PAYMENT and line is not None:
            derivation.add(training_expenses.line_key(line), entry)
    return derivation


def _interest_left(derivation: Derivation) -> int:
    """Interest carried in + received (收 2, 收 3) − spent (支 paid from 利息收入): budget line 2's figure."""
    spent = sum(derivation.values[k] for k in EXPENDITURE_KEYS if k.endswith(f"_{final_accounts.INTEREST}"))
    return derivation.values["rev_interest"] - spent


def interest_left(book: LedgerBook, year: int, interest_carried_in: int) -> int:
    return _interest_left(_derive_final_accounts(parse_entries(book, year), interest_carried_in))


def next_year_header(book: LedgerBook, year: int | None = None) -> dict[str, str]:
    """The header of the next year's ledger: closing balances as opening balances, and the
    interest still unspent (never below 0: interest overspent is an error of this year, flagged where it
    happened). Balances are written as they are — a negative closing balance (an error this year)
    shows up as an invalid figure next year rather than being hidden.

    ``year`` is the ledger's ROC year; when it is not given (the project's roll-over does
    not pass it), dates are read as in a leap year, so a 2月29日 entry still counts.
    """
    ledger_year = ANY_YEAR if year is None else year
    entries = parse_entries(book, ledger_year)
    closing = RunningBalances(book, ledger_year, parsed=entries).closing()
    carried = header_money(book.header, INTEREST_CARRIED_IN)
    header = {OPENING_KEYS[account]: str(closing.of(account)) for account in ACCOUNTS}
    header[INTEREST_CARRIED_IN] = str(max(0, _interest_left(_derive_final_accounts(entries, carried))))
    return header
