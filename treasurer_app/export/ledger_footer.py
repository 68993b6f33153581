"""The lines printed under the cash ledger's table: 上年度結存 and the balances at the end of the period, per
account and in all (the PDF prints a grid's ``footer``; the workbooks do not)."""

from __future__ import annotations

from treasurer_app.fields import ROC_OFFSET
from treasurer_app.ledger.balances import Balances, opening_balances
from treasurer_app.ledger.codes import ACCOUNTS
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.quarters import period_end
from treasurer_app.ledger.sheet import OPENING_TITLE


def balance_lines(book: LedgerBook, closing: Balances, year: int, quarter: int | None) -> list[str]:
    """The book's opening balances and ``closing``, its balances after its last entry, at the end of ``quarter``
    (None: of the year)."""
    end = period_end(year, quarter)

    def line(title: str, balances: Balances) -> str:
        amounts = zip(ACCOUNTS, balances.amounts(), strict=True)
        parts = [f"{account} {amount:,} 元" for account, amount in amounts]
        return f"{title}：合計 {balances.total:,} 元（{'、'.join(parts)}）"

    return [
        line(OPENING_TITLE, opening_balances(book)),
        line(f"本期結存（截至 {end.year - ROC_OFFSET} 年 {end.month} 月 {end.day} 日）", closing),
    ]
