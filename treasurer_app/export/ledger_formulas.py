"""The cash ledger's running balances as formulas, each printed only when a writer asks for it.

Each account's balance on the ledger sheet is the one above it (the opening balance for the
first entry) moved by the entry, as an Excel formula of about 300 characters; 結存 is the sum of
the four. A quarter of 25,000 entries has 100,000 of them (70 MB of text), which only the
workbook writers read, one at a time: a balance cell keeps the cell above it and prints its
formula when read (``Cell.formula``), the same text every time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from itertools import repeat

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
    """A running balance moving the same account's balance on the row above (the entries' rows follow one
    another), its formula printed from its position when read.

    What its formula is, its class says: the first entry's moves the opening balance (``_OpeningBalance``, which
    keeps that cell), and one given a formula afterwards becomes a ``_SetBalance``. So every cell of this class in
    a column has the same ``formula_shape``, and a writer reading a column at once checks their class instead
    of asking each of them (``shape_by_class``; a quarter has 100,000)."""

    __slots__ = ("before",)
    before: Cell  # the cell moved, kept by an opening's balance only
    shape_by_class = True

    def __init__(self, row: int, col: int, value: int, style: Style) -> None:
        # Cell's fields set here (its __init__ would set the formula through the property): a quarter has 100,000.
        self.row = row
        self.col = col
        self.value = value
        self.style = style
        self.rowspan = 1
        self.colspan = 1
        self.locked = True
        self.key = None  # its formula slot left unset until a formula is set (it then becomes a _SetBalance)

    def _above(self) -> tuple[int, int]:
        """The row and column of the balance this one moves."""
        return self.row - 1, self.col

    def _printed(self) -> str:
        row = self.row
        return balance_formula(
            _ACCOUNT_OF_COLUMN[self.col],
            a1(*self._above()),
            a1(row, _COLUMNS["kind"]),
            a1(row, _COLUMNS["code"]),
            a1(row, _COLUMNS["account"]),
            a1(row, _COLUMNS["amount"]),
        )

    def _shape(self) -> tuple[str, int, int, int]:
        row, col = self._above()
        return ("balance", self.col, col, row - self.row)

    @property
    def formula(self) -> str | None:
        return self._printed()

    @formula.setter
    def formula(self, text: str | None) -> None:
        _STORED.__set__(self, text)
        self.__class__ = _SetBalance

    @property
    def formula_shape(self) -> tuple[str, int, int, int] | None:
        """What a writer may know this cell's formula by without printing it: balance cells with the same
        shape hold one formula moved by the rows between them (None: a formula set afterwards)."""
        return self._shape()


class _OpeningBalance(_BalanceCell):
    """The first entry's running balance, moving the opening balance (``before``)."""

    __slots__ = ()
    shape_by_class = False  # its shape is where its opening balance is

    def __init__(self, row: int, col: int, value: int, style: Style, before: Cell) -> None:
        super().__init__(row, col, value, style)
        self.before = before

    def _above(self) -> tuple[int, int]:
        return self.before.row, self.before.col


class _SetBalance(_BalanceCell):
    """A running balance given a formula afterwards: that formula wins, as on any cell (set to None, the
    balance's own is printed again)."""

    __slots__ = ()
    shape_by_class = False

    def _stored(self) -> str | None:
        stored: str | None = _STORED.__get__(self)
        return stored

    def _above(self) -> tuple[int, int]:
        try:
            before = self.before
        except AttributeError:  # none kept: the same account's balance on the row above
            return self.row - 1, self.col
        return before.row, before.col

    @property
    def formula(self) -> str | None:
        stored = self._stored()
        return self._printed() if stored is None else stored

    @formula.setter
    def formula(self, text: str | None) -> None:
        _STORED.__set__(self, text)

    @property
    def formula_shape(self) -> tuple[str, int, int, int] | None:
        return self._shape() if self._stored() is None else None


def balance_column(
    key: str, rows: Sequence[int], values: Iterable[int], opening: Cell | None, style: Style
) -> list[Cell]:
    """One account's running balances down the entries' rows (``rows``, one after another; ``key`` its column,
    balance_acct1…), the app's figures cached: each the balance above (``opening``, the opening balance's
    cell, for the first entry) moved by the entry."""
    if not rows:
        return []
    if rows[-1] - rows[0] != len(rows) - 1:
        raise ValueError(f"the entries' rows follow one another: {rows[0]}…{rows[-1]} is not {len(rows)} rows")
    col = _COLUMNS[key]
    values = iter(values)
    first = next(values)
    # The first balance moves the opening's (when there is none, it is a figure only); each other the one above.
    cells = [
        Cell(rows[0], col, first, style) if opening is None else _OpeningBalance(rows[0], col, first, style, opening)
    ]
    cells += map(_BalanceCell, rows[1:], repeat(col), values, repeat(style))
    if len(cells) != len(rows) or next(values, None) is not None:
        raise ValueError(f"{len(rows)} rows and another number of balances")
    return cells


def total_formula(row: int) -> str:
    """結存 of an entry's row: the sum of its four balances."""
    return _TOTAL.format(row + 1)


_TOTAL = "SUM({}:{})".format(*(a1(0, _COLUMNS[key])[:-1] + "{0}" for key in ("balance_acct1", "balance_petty")))
