"""What the ledger keeps beside its accounts: the fund's sources, and the rules an auditor checks.

* The sources (DOMAIN.md §5, §10): every payment is made from 分配款, 利息收入 or 其他收入
  (its 動支類別), and a source cannot give more than it holds. What each holds runs through the
  year like an account balance: the opening (what the application says is available), plus the
  receipts of that category (收 1 → 分配款, 收 2 / 收 3 → 利息收入, 收 4 → 其他收入), minus the
  payments. The payment by which a source has given more than it receives in the year is flagged
  on that entry, as an overdrawn account is.
* 工會財務處理準則 第19條: petty cash (零用金) is kept at NT$100,000 at most, and a single
  payment above NT$10,000 goes through the bank account. Both are warnings: the auditor asks, the
  authority does not refuse the ledger for them.

The opening of the sources comes from the project (``rules.ledger_opening_sources``); this module
knows only the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence

from treasurer_app.findings import Finding, error, warning
from treasurer_app.forms import LEDGER_FORM
from treasurer_app.ledger.balances import SOURCES, RunningBalances, Sources, source_move
from treasurer_app.ledger.codes import CAT_ALLOCATION, CAT_INTEREST, CAT_OTHER, PAYMENT, PETTY
from treasurer_app.ledger.entries import ACCOUNT_INDEX, Entry, LedgerBook
from treasurer_app.ledger.sheet import OPENING_KEYS

# How messages name a source's opening.
SOURCE_OPENING_NAMES: dict[str, str] = {
    CAT_ALLOCATION: "上年度分配款",
    CAT_INTEREST: "上年度未動支利息",
    CAT_OTHER: "動支歷年累積結餘款",
}

PETTY_BALANCE_LIMIT = 100_000  # 工會財務處理準則 第19條: 零用金以新臺幣十萬元為限
PETTY_PAYMENT_LIMIT = 10_000  # 第19條: 每筆支付超過一萬元者，應以銀行帳戶支付
ARTICLE_19 = "工會財務處理準則第19條"


def _money(amount: int) -> str:
    return f"{amount:,}"


def _row(index: int) -> str:
    return f"第 {index + 1} 筆 "


def _check_sources(entries: Sequence[Entry | None], opening: Sources) -> list[Finding]:
    """The payment whose source has by then given more than it receives in the whole year (what it
    opened with plus every receipt of its category): flagged on that entry, once per source.

    The year's receipts count wherever they stand: unions pay from 分配款 in January and receive the
    allocation later (the guide's own example does), which sheet 3 accepts. A 分配款 spent while the
    year has no allocation at all is a warning (not yet received); any other overspending is an error,
    the one sheet 3 would report at the year's end, shown where it happened.
    """
    available = list(opening.amounts())
    for entry in entries:
        move = source_move(entry) if entry is not None else None
        if move is not None and move[1] > 0:
            available[move[0]] += move[1]
    spent = [0] * len(SOURCES)
    findings = []
    for entry in entries:
        move = source_move(entry) if entry is not None else None
        if move is None or entry is None or move[1] > 0:
            continue
        index = move[0]
        before = spent[index]
        spent[index] += entry.amount
        if not before <= available[index] < spent[index]:
            continue
        source = SOURCES[index]
        if source == CAT_ALLOCATION and available[index] == 0:
            message = (
                f"{_row(entry.index)}動支類別：本年度尚未登記分配款收入（收 1），已動支分配款"
                f" {_money(spent[index])} 元；收到分配款時請登記，否則決算時分配款動支將超過收入"
            )
            findings.append(warning(LEDGER_FORM, "ledger.allocation_not_received", message, field="category",
                                    row=entry.index))
            continue
        total, opened = available[index], opening.of(source)
        parts = f"（{SOURCE_OPENING_NAMES[source]} {_money(opened)} 元＋本年度收入 {_money(total - opened)} 元）"
        message = (
            f"{_row(entry.index)}動支類別：{source}全年可動支 {_money(total)} 元{parts if opened else ''}，"
            f"動支至本筆累計 {_money(spent[index])} 元，超支 {_money(spent[index] - total)} 元"
        )
        findings.append(error(LEDGER_FORM, "ledger.source_overspent", message, field="category", row=entry.index))
    return findings


def _voucher(entry: Entry) -> str:
    return f"（傳票 {entry.voucher}）" if entry.voucher else ""


def _check_petty_cash(running: RunningBalances) -> list[Finding]:
    findings = []
    balance = running.opening.petty
    if balance > PETTY_BALANCE_LIMIT:
        findings.append(
            warning(
                LEDGER_FORM,
                "ledger.petty_cash_balance_limit",
                f"上年度結存 零用金：{_money(balance)} 元，超過{ARTICLE_19}的零用金上限"
                f" {_money(PETTY_BALANCE_LIMIT)} 元；多出的部分宜存回專戶存款",
                field=OPENING_KEYS[PETTY],
            )
        )
    petty = ACCOUNT_INDEX[PETTY]
    for entry in running.parsed:
        if entry is None:
            continue
        if entry.kind == PAYMENT and entry.source == PETTY and entry.amount > PETTY_PAYMENT_LIMIT:
            findings.append(
                warning(
                    LEDGER_FORM,
                    "ledger.petty_cash_payment_limit",
                    f"{_row(entry.index)}金額：由零用金支付 {_money(entry.amount)} 元{_voucher(entry)}，"
                    f"超過{ARTICLE_19}單筆 {_money(PETTY_PAYMENT_LIMIT)} 元的上限；"
                    "較大的支出應由專戶存款（銀行帳戶）支付",
                    field="amount",
                    row=entry.index,
                )
            )
        before = balance
        balance = running.amounts_after(entry.index)[petty]
        if before <= PETTY_BALANCE_LIMIT < balance:
            findings.append(
                warning(
                    LEDGER_FORM,
                    "ledger.petty_cash_balance_limit",
                    f"{_row(entry.index)}零用金餘額 {_money(balance)} 元{_voucher(entry)}，"
                    f"超過{ARTICLE_19}的零用金上限 {_money(PETTY_BALANCE_LIMIT)} 元",
                    field="amount",
                    row=entry.index,
                )
            )
    return findings


def check_audit(book: LedgerBook, year: int, opening: Sources, running: RunningBalances | None = None) -> list[
        Finding]:
    """The sources overspent and the 第19條 warnings of the ledger of ``year``, in entry order.
    ``running``: the book's running balances when the caller keeps them (parsed once per check)."""
    running = RunningBalances(book, year, opening) if running is None else running
    findings = _check_sources(running.parsed, opening) + _check_petty_cash(running)
    return sorted(findings, key=lambda f: -1 if f.row is None else f.row)
