"""The cash ledger's rules (DOMAIN.md §10, §11): every entry's values, the order of the dates, unique
vouchers, no account below zero, the per-person ceilings on payments, and what an auditor checks
beside the accounts. They return findings and never raise.

* The sources (DOMAIN.md §5, §10): every payment is made from 分配款, 利息收入 or 其他收入
  (its 動支類別), and a source cannot give more than it holds. What each holds runs through the
  year like an account balance (ledger/balances.py). The payment by which a source has given more
  than it receives in the year is flagged on that entry, as an overdrawn account is.
* 工會財務處理準則 第19條: petty cash (零用金) is kept at NT$100,000 at most, and a single
  payment above NT$10,000 goes through the bank account. Both are warnings: the auditor asks, the
  authority does not refuse the ledger for them.

These rules know only the ledger; ``rules/ledger_year.py`` runs them for a year of the project, with the
sources' opening from its application. The ledger itself is ``treasurer_app/ledger/``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date

from treasurer_app.findings import Finding, Severity, error, warning
from treasurer_app.forms import LEDGER_FORM
from treasurer_app.ledger.balances import SOURCES, RunningBalances, Sources, source_move
from treasurer_app.ledger.codes import (
    ACCOUNTS,
    CAT_ALLOCATION,
    CAT_INTEREST,
    CAT_OTHER,
    CATEGORIES,
    KINDS,
    PAYMENT,
    PETTY,
    TRANSFER,
    LedgerCode,
    codes,
)
from treasurer_app.ledger.entries import (
    ACCOUNT_INDEX,
    MONEY,
    Entry,
    LedgerBook,
    cell_text,
    is_blank,
    parse_entries,
    read_account,
    read_category,
    read_code,
    read_date,
    read_kind,
    read_month,
)
from treasurer_app.ledger.sheet import ENTRY_FIELD, HEADER_FIELDS, MEMO_MAX, OPENING_KEYS, VOUCHER_MAX
from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final


def _row(index: int) -> str:
    return f"第 {index + 1} 筆 "


def _money(amount: int) -> str:
    return f"{amount:,}"


def _choices(options: Sequence[str]) -> str:
    return "、".join(options)


def _finding(index: int, key: str, rule: str, problem: str) -> Finding:
    return error(LEDGER_FORM, rule, f"{_row(index)}{ENTRY_FIELD[key].label}：{problem}", field=key, row=index)


def _check_header(header: Mapping[str, object]) -> list[Finding]:
    findings = []
    for header_field in HEADER_FIELDS:
        _, message = header_field.check(cell_text(header, header_field.key))
        if message:
            findings.append(error(LEDGER_FORM, "ledger.header_money", message, field=header_field.key))
    return findings


class _EntryChecker:
    """The rules of one entry; collects findings."""

    def __init__(self, index: int, record: Mapping[str, object], year: int) -> None:
        self.index = index
        self.record = record
        self.year = year
        self.findings: list[Finding] = []

    def fail(self, key: str, rule: str, problem: str) -> None:
        self.findings.append(_finding(self.index, key, rule, problem))

    def text(self, key: str) -> str:
        return cell_text(self.record, key)

    def run(self) -> list[Finding]:
        self.check_date()
        spec = self.check_code()
        self.check_voucher()
        self.check_memo()
        self.check_amount()
        self.check_category(spec)
        self.check_account(spec)
        return self.findings

    def check_date(self) -> None:
        month_text, day_text = self.text("month"), self.text("day")
        month = self.check_number("month", month_text, 12)
        day = self.check_number("day", day_text, 31)
        if month is None or day is None:
            return
        if read_date(self.year, month, day_text) is None:
            self.fail("day", "ledger.date_real", f"日期不存在（{self.year}年{month}月沒有{day}日）")

    def check_number(self, key: str, text: str, highest: int) -> int | None:
        if not text:
            self.fail(key, "ledger.required", "必填")
            return None
        parsed = ENTRY_FIELD[key].type.parse(text)
        if parsed.problem is not None or not isinstance(parsed.value, int):
            self.fail(key, "ledger.date_real", parsed.problem or "須為數字")
            return None
        if not 1 <= parsed.value <= highest:
            self.fail(key, "ledger.date_real", f"須為 1 至 {highest}（填了 {parsed.text}）")
            return None
        return parsed.value

    def check_code(self) -> LedgerCode | None:
        kind_text, code_text = self.text("kind"), self.text("code")
        kind = read_kind(kind_text)
        if not kind_text:
            self.fail("kind", "ledger.required", f"必填（可選 {_choices(KINDS)}）")
        elif kind is None:
            self.fail("kind", "ledger.kind", f"須為 {_choices(KINDS)} 之一（填了 {kind_text}）")
        if not code_text:
            hint = f"（{kind} 可選 {_choices(codes(kind))}）" if kind else ""
            self.fail("code", "ledger.required", f"必填{hint}")
            return None
        spec = read_code(kind, code_text)
        if kind is not None and spec is None:
            self.fail("code", "ledger.code_allowed", f"{kind} 字沒有 {code_text} 號，可選 {_choices(codes(kind))}")
        return spec

    def check_voucher(self) -> None:
        text = self.text("voucher")
        if not text:
            self.fail("voucher", "ledger.required", "必填")
            return
        problem = ENTRY_FIELD["voucher"].type.parse(text).problem
        if problem:
            self.fail("voucher", "ledger.voucher_length", problem)

    def check_memo(self) -> None:
        problem = ENTRY_FIELD["memo"].type.parse(self.text("memo")).problem
        if problem:
            self.fail("memo", "ledger.memo_length", problem)

    def check_amount(self) -> None:
        text = self.text("amount")
        if not text:
            self.fail("amount", "ledger.required", "必填")
            return
        parsed = MONEY.parse(text)
        if parsed.problem is not None:
            self.fail("amount", "ledger.amount", parsed.problem)
        elif parsed.value == 0:
            self.fail("amount", "ledger.amount_positive", "須大於 0")

    def check_category(self, spec: LedgerCode | None) -> None:
        text = self.text("category")
        kind = spec.kind if spec else read_kind(self.text("kind"))
        if kind == TRANSFER:
            if text:
                name = spec.label if spec else TRANSFER
                self.fail("category", "ledger.transfer_category", f"{name} 是轉帳，不填動支類別（填了 {text}）")
            return
        if spec is None:
            if text and read_category(text) is None:
                self.fail("category", "ledger.category_allowed", f"須為 {_choices(CATEGORIES)} 之一（填了 {text}）")
            elif not text:
                self.fail("category", "ledger.required", "必填")
            return
        if not text:
            self.fail("category", "ledger.required", f"必填（{spec.label} 可選 {_choices(spec.categories)}）")
        elif read_category(text) not in spec.categories:
            self.fail(
                "category", "ledger.category_allowed", f"{spec.label} 只能用 {_choices(spec.categories)}（填了 {text}）"
            )

    def check_account(self, spec: LedgerCode | None) -> None:
        text = self.text("account")
        options = spec.accounts if spec else ACCOUNTS
        if not text:
            hint = f"（{spec.label} 可選 {_choices(options)}）" if spec else ""
            self.fail("account", "ledger.required", f"必填{hint}")
            return
        account = read_account(text)
        if spec is None:
            if account is None:
                self.fail("account", "ledger.account_allowed", f"須為 {_choices(ACCOUNTS)} 之一（填了 {text}）")
        elif account not in spec.accounts:
            self.fail("account", "ledger.account_allowed", f"{spec.label} 只能用 {_choices(options)}（填了 {text}）")


def _check_order(book: LedgerBook, year: int, parsed: Sequence[Entry | None]) -> list[Finding]:
    """Chronological order: an entry dated before an earlier line is out of place."""
    findings = []
    latest: tuple[date, int] | None = None
    for index, record in enumerate(book.entries):
        entry = parsed[index]
        when = (
            entry.date if entry else read_date(year, read_month(cell_text(record, "month")), cell_text(record, "day"))
        )
        if when is None:
            continue
        if latest is not None and when < latest[0]:
            before, before_index = latest
            key = "month" if when.month < before.month else "day"
            findings.append(
                _finding(
                    index,
                    key,
                    "ledger.date_order",
                    f"須依時間順序登記，{when.month}月{when.day}日 早於第 {before_index + 1} 筆的"
                    f" {before.month}月{before.day}日",
                )
            )
        else:
            latest = (when, index)
    return findings


def _voucher_key(text: str) -> str:
    if text.isascii():  # NFKC keeps ASCII as it is (a ledger's vouchers: 25,000 of them a quarter)
        return text.casefold()
    return unicodedata.normalize("NFKC", text).casefold()


def _check_vouchers(book: LedgerBook) -> list[Finding]:
    findings = []
    first_use: dict[str, int] = {}
    for index, record in enumerate(book.entries):
        text = cell_text(record, "voucher")
        if not text:
            continue
        key = _voucher_key(text)
        if key in first_use:
            findings.append(
                _finding(index, "voucher", "ledger.voucher_unique", f"與第 {first_use[key] + 1} 筆重複（{text}）")
            )
        else:
            first_use[key] = index
    return findings


def _check_negative(running: RunningBalances) -> list[Finding]:
    """The entry that takes an account below zero (once per overdraft, not on every line while it lasts)."""
    findings = []
    for entry in running.parsed:
        if entry is None or entry.source is None:
            continue
        after = running.amounts_after(entry.index)[ACCOUNT_INDEX[entry.source]]
        if after < 0 <= after + entry.amount:
            findings.append(
                error(
                    LEDGER_FORM,
                    "ledger.balance_negative",
                    f"{_row(entry.index)}{entry.source} 餘額不足，差 {_money(-after)} 元",
                    field="amount",
                    row=entry.index,
                )
            )
    return findings


def _plainly_valid(entry: Entry | None, record: Mapping[str, object]) -> bool:
    """A quick test that only passes entries every per-entry rule accepts; the rules run on the rest.
    (A year of well-kept entries is then checked at the speed of parsing it.)"""
    if entry is None or not 0 < len(entry.voucher) <= VOUCHER_MAX or len(entry.memo) > MEMO_MAX:
        return False
    spec = entry.spec
    if entry.account not in spec.accounts:
        return False
    if spec.kind == TRANSFER:
        return not cell_text(record, "category")
    return entry.category in spec.categories


def check_ledger(book: LedgerBook, year: int, running: RunningBalances | None = None) -> list[Finding]:
    """Every rule of the ledger (DOMAIN.md §10) as findings; never raises on any text.

    Blank lines are ignored. Findings carry form "ledger", the entry's 0-based index as
    ``row`` and the column key as ``field``; messages start with 「第 N 筆」. ``running``: the book's
    running balances when the caller keeps them (its entries parsed once, its overdrafts read there).
    """
    findings = _check_header(book.header)
    running = RunningBalances(book, year) if running is None else running
    parsed = running.parsed
    for index, record in enumerate(book.entries):
        if not _plainly_valid(parsed[index], record) and not is_blank(record):
            findings.extend(_EntryChecker(index, record, year).run())
    findings.extend(_check_order(book, year, parsed))
    findings.extend(_check_vouchers(book))
    findings.extend(_check_negative(running))
    return sorted(findings, key=lambda f: -1 if f.row is None else f.row)


# ---------------------------------------------------------------- per-person caps (§11)


class Cap(Value):
    """A per-person ceiling of the guide's §1.3 on 支 payments of some codes.

    ``per_payment``: each payment on its own (急難救助: 「給付金額每名最高不得超過」, and
    DOMAIN.md §11 says per payment). Otherwise the member's payments of each code of the
    group are added up over the year (DOMAIN.md §11: "per code and year") — a member paid
    80,000 and then 80,000 under 3-2-1 has received 160,000, which the ceiling is meant to
    stop; paying in instalments must not get round it.
    """

    __slots__ = ("codes", "limit", "name", "per_payment", "rule")

    def __init__(self, rule: str, name: str, codes: tuple[str, ...], limit: int, per_payment: bool = False) -> None:
        self.rule: Final = rule
        self.name: Final = name
        self.codes: Final = codes
        self.limit: Final = limit
        self.per_payment: Final = per_payment


CAPS: tuple[Cap, ...] = (
    Cap("ledger.cap_emergency", "急難救助金", ("2-1", "2-2"), 60_000, per_payment=True),
    Cap("ledger.cap_insurance", "團體保險", ("3-1",), 1_000_000),
    Cap("ledger.cap_condolence", "職災慰問金", ("3-2-1", "3-2-2"), 100_000),
    Cap("ledger.cap_retirement", "退休補助金", ("4-1", "4-2", "4-3"), 150_000),
    Cap("ledger.cap_welfare", "福利金", ("5-1", "5-2", "5-3", "5-4", "5-5"), 10_000),
)
# Codes usually paid in one sum for everyone (an insurer's premium, a trip, holiday gifts,
# subscriptions), whose 摘要(二) names the occasion rather than a member — the guide's own
# example pays「五一禮品」100,000 under 5-4. Over the ceiling on these alone is a warning
# (it may well be legitimate); with a personal code involved it is an error.
BULK_CODES = frozenset({"3-1", "5-3", "5-4", "5-5"})


def _cap_finding(cap: Cap, entries: Sequence[Entry], total: int, at: Entry, member: str) -> Finding:
    used = _choices(tuple(dict.fromkeys(f"{PAYMENT} {e.code}" for e in entries)))
    who = f"{member} " if member else "（摘要(二)未填姓名）"
    if cap.per_payment or len(entries) == 1:
        how = f"{who}{used} 單筆 {_money(total)} 元"
    else:
        rows = _choices(tuple(str(e.index + 1) for e in entries))
        how = f"{who}{used} 全年合計 {_money(total)} 元（第 {rows} 筆）"
    per = "每名每次" if cap.per_payment else "每名"
    message = f"{_row(at.index)}金額：{how}，超過{cap.name}{per}上限 {_money(cap.limit)} 元"
    if all(e.code in BULK_CODES for e in entries):
        message += "；若為全體會員共同支出，請確認每人分得的金額未超過上限"
        return Finding(Severity.WARNING, LEDGER_FORM, message, cap.rule, "amount", at.index)
    return Finding(Severity.ERROR, LEDGER_FORM, message, cap.rule, "amount", at.index)


def _check_cap(cap: Cap, payments: Sequence[Entry]) -> list[Finding]:
    findings = []
    by_member: dict[str, list[Entry]] = {}
    for entry in payments:
        member = entry.memo.strip()
        if cap.per_payment or not member:
            # Without a name the payments cannot be added up: each one is checked on its own.
            if entry.amount > cap.limit:
                findings.append(_cap_finding(cap, [entry], entry.amount, entry, member))
        else:
            by_member.setdefault(member, []).append(entry)
    for member, entries in by_member.items():
        total = sum(e.amount for e in entries)
        if total <= cap.limit:
            continue
        running, crossing = 0, entries[-1]
        for entry in entries:
            running += entry.amount
            if running > cap.limit:
                crossing = entry
                break
        findings.append(_cap_finding(cap, entries, total, crossing, member))
    return findings


def check_caps(book: LedgerBook, year: int, running: RunningBalances | None = None) -> list[Finding]:
    """The per-person ceilings of DOMAIN.md §11 on the year's 支 payments, grouped by member
    (摘要(二), trimmed), per code and year; a finding sits on the payment that crosses the ceiling.

    The member is whatever 摘要(二) says: payments written「王小明」and「王小明住院」are
    two people to this check. Entries that do not parse are left to check_ledger. ``running``: as
    check_ledger's.
    """
    entries = parse_entries(book, year) if running is None else running.parsed
    payments: dict[str, list[Entry]] = {}  # by code, in the order entered
    for entry in entries:
        if entry is not None and entry.kind == PAYMENT:
            payments.setdefault(entry.code, []).append(entry)
    findings: list[Finding] = []
    for cap in CAPS:
        for code in cap.codes:  # DOMAIN.md §11: grouped by member, per code and year
            findings.extend(_check_cap(cap, payments.get(code, [])))
    return sorted(findings, key=lambda f: f.row or 0)


# ---------------------------------------------------------------- sources and 第19條 (the auditor's checks)

# How messages name a source's opening.
SOURCE_OPENING_NAMES: dict[str, str] = {
    CAT_ALLOCATION: "上年度分配款",
    CAT_INTEREST: "上年度未動支利息",
    CAT_OTHER: "動支歷年累積結餘款",
}

PETTY_BALANCE_LIMIT = 100_000  # 工會財務處理準則 第19條: 零用金以新臺幣十萬元為限
PETTY_PAYMENT_LIMIT = 10_000  # 第19條: 每筆支付超過一萬元者，應以銀行帳戶支付
ARTICLE_19 = "工會財務處理準則第19條"


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
            findings.append(
                warning(LEDGER_FORM, "ledger.allocation_not_received", message, field="category", row=entry.index)
            )
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


def check_audit(book: LedgerBook, year: int, opening: Sources, running: RunningBalances | None = None) -> list[Finding]:
    """The sources overspent and the 第19條 warnings of the ledger of ``year``, in entry order.
    ``running``: the book's running balances when the caller keeps them (parsed once per check)."""
    running = RunningBalances(book, year, opening) if running is None else running
    findings = _check_sources(running.parsed, opening) + _check_petty_cash(running)
    return sorted(findings, key=lambda f: -1 if f.row is None else f.row)
