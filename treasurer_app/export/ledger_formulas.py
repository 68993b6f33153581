"""The cash ledger's running balances as formulas, each printed only when a writer asks for it.

Each account's balance on the ledger sheet is the one above it (the opening balance for the
first entry) moved by the entry, as an Excel formula of about 300 characters; 結存 is the sum of
the four. A quarter of 25,000 entries has 100,000 of them (70 MB of text), which only the
workbook writers read, one at a time: a balance cell keeps the cell above it and prints its
formula when read (``Cell.formula``), the same text every time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from treasurer_app.export.grid import Cell, Style, a1
from treasurer_app.ledger.codes import ACCOUNTS, PARAMETER_TABLE, PAYMENT, RECEIPT, TRANSFER
from treasurer_app.ledger.sheet import ENTRY_ROWS

_ACCOUNT_BALANCES = dict(
    zip(ACCOUNTS, ("balance_acct1", "balance_acct2", "balance_fixed", "balance_petty"), strict=True)
)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def balance_formula(account: str, previous: str, kind: str, summary: str, chosen: str, amount: str) -> str:
    """The balance of ``account`` after one entry: the balance before it (``previous``) moved by the entry.

    A receipt adds to, a payment takes from, the chosen 動支帳戶; a transfer takes from its source and
    adds to its target, each either fixed by the parameter table (轉 1 → 定期存款) or the chosen account.
    The entry's 號 is read from its 摘要(一) text, as everywhere on the sheet.
    """
    return _balance_template(account).format(previous, kind, summary, chosen, amount)


@functools.cache
def _balance_template(account: str) -> str:
    """``balance_formula`` of ``account`` with {0}…{4} where the cells go: built once, filled in for every entry."""
    marks = [f"\0{n}\0" for n in range(5)]
    template = _balance_expression(account, *marks).replace("{", "{{").replace("}", "}}")
    for n, mark in enumerate(marks):
        template = template.replace(mark, f"{{{n}}}")
    return template


def _balance_expression(account: str, previous: str, kind: str, summary: str, chosen: str, amount: str) -> str:

    def end(fixed: str) -> str:
        branches = [
            (code, getattr(code, fixed)) for code in PARAMETER_TABLE if code.kind == TRANSFER and getattr(code, fixed)
        ]
        expression = f"{chosen}={_quoted(account)}"
        for code, fixed_account in reversed(branches):
            constant = "TRUE" if fixed_account == account else "FALSE"
            expression = f"IF({summary}={_quoted(code.summary)},{constant},{expression})"
        return expression

    mine = f"{chosen}={_quoted(account)}"
    transfer = f"{amount}*(({end('fixed_target')})-({end('fixed_source')}))"
    return (
        f"{previous}+IF({kind}={_quoted(RECEIPT)},IF({mine},{amount},0),"
        f"IF({kind}={_quoted(PAYMENT)},IF({mine},-{amount},0),"
        f"IF({kind}={_quoted(TRANSFER)},{transfer},0)))"
    )


_COLUMNS = {key: i for i, key in enumerate(c.key for c in ENTRY_ROWS.columns)}
_ACCOUNT_OF_COLUMN = {_COLUMNS[key]: account for account, key in _ACCOUNT_BALANCES.items()}
_STORED = Cell.__dict__["formula"]  # Cell's own slot for a formula, which a balance cell's property stands in front of


class _BalanceCell(Cell):
    """A running balance whose formula is printed from its position and the cell above it when read."""

    __slots__ = ("before",)

    def __init__(self, row: int, col: int, value: int, style: Style, before: Cell) -> None:
        # Cell's fields set here (its __init__ would set the formula through the property): a quarter has 100,000.
        self.before = before
        self.row, self.col, self.value, self.style = row, col, value, style
        self.rowspan, self.colspan, self.locked, self.key = 1, 1, True, None
        _STORED.__set__(self, None)

    @property
    def formula(self) -> str | None:
        stored: str | None = _STORED.__get__(self)
        if stored is not None:  # set afterwards: it wins, as on any cell
            return stored
        row, before = self.row, self.before
        return balance_formula(
            _ACCOUNT_OF_COLUMN[self.col],
            a1(before.row, before.col),
            a1(row, _COLUMNS["kind"]),
            a1(row, _COLUMNS["code"]),
            a1(row, _COLUMNS["account"]),
            a1(row, _COLUMNS["amount"]),
        )

    @formula.setter
    def formula(self, text: str | None) -> None:
        _STORED.__set__(self, text)

    @property
    def formula_shape(self) -> tuple[str, int, int, int] | None:
        """What a writer may know this cell's formula by without printing it: balance cells with the same
        shape hold one formula moved by the rows between them (None: a formula set afterwards)."""
        if _STORED.__get__(self) is not None:
            return None
        before = self.before
        return ("balance", self.col, before.col, before.row - self.row)


def balance_column(
    key: str, rows: Iterable[int], values: Iterable[int], opening: Cell | None, style: Style
) -> list[Cell]:
    """One account's running balances down the entries' rows (``key`` its column, balance_acct1…), the app's
    figures cached: each the balance above (``opening``, the opening balance's cell, for the first entry)
    moved by the entry. Made down the column, each cell keeping the one above it."""
    col = _COLUMNS[key]
    cells: list[Cell] = []
    before = opening
    for row, value in zip(rows, values, strict=True):
        cell = Cell(row, col, value, style) if before is None else _BalanceCell(row, col, value, style, before)
        cells.append(cell)
        before = cell
    return cells


def total_formula(row: int) -> str:
    """結存 of an entry's row: the sum of its four balances."""
    return f"SUM({a1(row, _COLUMNS['balance_acct1'])}:{a1(row, _COLUMNS['balance_petty'])})"
