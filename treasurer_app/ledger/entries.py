"""The ledger's book and its entries as typed values.

A ``LedgerBook`` is the cash ledger of one calendar year: header values and entries, every value
the text the user typed. ``parse_entries`` reads them into ``Entry`` records, each distinct text
parsed once; the readers here (``read_date``, ``read_kind``…) are what the rules use to say why a
text does not parse. Never raises on any text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from treasurer_app.fields import ROC_OFFSET, Choice, Count, Money
from treasurer_app.forms.base import Record
from treasurer_app.ledger.codes import (
    ACCOUNTS,
    CATEGORIES,
    CODE_BY_KEY,
    CODES_BY_KIND,
    KINDS,
    TRANSFER,
    LedgerCode,
    squeeze,
)
from treasurer_app.ledger.sheet import ENTRY_FIELD
from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Any, Final


class LedgerBook(Value):
    """The cash ledger of one calendar year: header values and entries, all as text records."""

    __slots__ = ("entries", "header")
    __hash__ = None  # type: ignore[assignment]  # changed in place, so no hash (as a dataclass that is not frozen)

    def __init__(self, header: Record | None = None, entries: list[Record] | None = None) -> None:
        self.header = {} if header is None else header
        self.entries = [] if entries is None else entries


ACCOUNT_INDEX = {account: i for i, account in enumerate(ACCOUNTS)}
MONEY = Money(9)
_SMALL = Count(2)
_KIND_TYPE = Choice(KINDS)
_ACCOUNT_TYPE = Choice(ACCOUNTS)
_CATEGORY_TYPE = Choice(CATEGORIES)
_CODE_TYPES = {kind: Choice(CODES_BY_KIND[kind]) for kind in KINDS}
_ASCII_DIGITS = re.compile(r"[0-9]{1,9}")
ANY_YEAR = 113  # a leap year: where the ledger's year is unknown, 2月29日 is given the benefit of the doubt


class Entry(Value):
    """One ledger line as typed values.

    ``source`` is the account the money leaves, ``target`` the one it enters:
    a receipt has only a target, a payment only a source, a transfer both.
    ``category`` is None for a transfer (and when the typed category is not one of the four).
    """

    __slots__ = (
        "account",
        "amount",
        "category",
        "code",
        "date",
        "index",
        "kind",
        "memo",
        "source",
        "target",
        "voucher",
    )

    def __init__(
        self,
        index: int,
        date: date,
        kind: str,
        code: str,
        voucher: str,
        memo: str,
        amount: int,
        category: str | None,
        account: str,
        source: str | None,
        target: str | None,
    ) -> None:
        self.index: Final = index
        self.date: Final = date
        self.kind: Final = kind
        self.code: Final = code
        self.voucher: Final = voucher
        self.memo: Final = memo
        self.amount: Final = amount
        self.category: Final = category
        self.account: Final = account
        self.source: Final = source
        self.target: Final = target

    @property
    def spec(self) -> LedgerCode:
        return CODE_BY_KEY[(self.kind, self.code)]

    @property
    def category_allowed(self) -> bool:
        return self.category in self.spec.categories


def cell_text(record: Mapping[str, object], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value).strip()


def _choice(choice: Choice, text: str) -> str | None:
    if text in choice.options:
        return text
    value = choice.parse(squeeze(text)).value
    return value if isinstance(value, str) else None


def read_number(field_type: Money | Count, text: str) -> int | None:
    if _ASCII_DIGITS.fullmatch(text):
        value = int(text)
    else:
        parsed = field_type.parse(text).value
        if not isinstance(parsed, int):
            return None
        value = parsed
    return value if len(str(value)) <= field_type.digits else None


def read_month(text: str) -> int | None:
    value = read_number(_SMALL, text)
    return value if value is not None and 1 <= value <= 12 else None


def read_date(year: int, month: int | None, day_text: str) -> date | None:
    day = read_number(_SMALL, day_text)
    if month is None or day is None or day < 1:
        return None
    try:
        return date(year + ROC_OFFSET, month, day)
    except (ValueError, OverflowError):
        return None


def read_kind(text: str) -> str | None:
    return _choice(_KIND_TYPE, text)


def read_code(kind: str | None, text: str) -> LedgerCode | None:
    if kind is None:
        return None
    spec = CODE_BY_KEY.get((kind, text))
    if spec is not None:
        return spec
    code = _choice(_CODE_TYPES[kind], text)
    return CODE_BY_KEY.get((kind, code)) if code else None


def _amount(text: str) -> int | None:
    value = read_number(MONEY, text)
    return value if value else None


def read_account(text: str) -> str | None:
    return _choice(_ACCOUNT_TYPE, text)


def read_category(text: str) -> str | None:
    return _choice(_CATEGORY_TYPE, text) if text else None


def is_blank(record: Mapping[str, object]) -> bool:
    """A row with nothing typed in it (an empty line of the editor): ignored by every rule."""
    return not any(cell_text(record, key) for key in ENTRY_FIELD)


class _EntryParser:
    """Parses records of one year, remembering what each distinct text means.

    A year's ledger repeats the same few hundred dates, codes, accounts and amounts
    thousands of times; looking them up instead of re-parsing keeps 50,000 entries fast.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        self.dates: dict[tuple[str, str], date | None] = {}
        self.amounts: dict[str, int | None] = {}
        # (字, 號, 動支帳戶, 動支類別) → what they say (see _moves): a ledger uses a few dozen of them.
        self.moves: dict[tuple[str, str, str, str], _Moves | None] = {}

    def parse(self, record: Mapping[str, object], index: int) -> Entry | None:
        try:
            # Text in every record but an odd file's; a value that is not text fails here and is read below.
            return self._parse(record, index)  # type: ignore[arg-type]  # see the line above
        except (TypeError, AttributeError):  # a value that is not text (None, a number…): read it as text
            return self._parse({key: cell_text(record, key) for key in ENTRY_FIELD}, index)

    def _parse(self, record: Mapping[str, str], index: int) -> Entry | None:
        get = record.get
        key = (get("month", ""), get("day", ""))
        when = self.dates.get(key, _UNREAD)
        if when is _UNREAD:
            when = self.dates[key] = read_date(self.year, read_month(key[0].strip()), key[1].strip())
        text = get("amount", "")
        amount = self.amounts.get(text, _UNREAD)
        if amount is _UNREAD:
            amount = self.amounts[text] = _amount(text.strip())
        texts = (get("kind", ""), get("code", ""), get("account", ""), get("category", ""))
        moves = self.moves.get(texts, _UNREAD)
        if moves is _UNREAD:
            moves = self.moves[texts] = _moves(*texts)
        if when is None or amount is None or moves is None:
            return None
        kind, code, category, account, source, target = moves
        voucher, memo = get("voucher", ""), get("memo", "")
        return Entry(index, when, kind, code, voucher.strip(), memo.strip(), amount, category, account, source, target)


_UNREAD: Any = object()  # a text not read yet (None is a text that does not parse)
if TYPE_CHECKING:  # 字, 號, 動支類別, 動支帳戶 and the accounts the money leaves and enters
    _Moves = tuple[str, str, str | None, str, str | None, str | None]


def _moves(kind_text: str, code_text: str, account_text: str, category_text: str) -> _Moves | None:
    """What an entry's 字, 號, 動支帳戶 and 動支類別 say, or None when they cannot move money (no such 號 or
    動支帳戶). A transfer has no category."""
    spec = read_code(read_kind(kind_text.strip()), code_text.strip())
    account = read_account(account_text.strip())
    if spec is None or account is None:
        return None
    category = None if spec.kind == TRANSFER else read_category(category_text.strip())
    return (spec.kind, spec.code, category, account, *spec.ends(account))


def parse_entry(record: Mapping[str, object], year: int, index: int = 0) -> Entry | None:
    """The typed entry, or None when it cannot move money: a date that is not real in ``year``,
    an unknown 字 or 號, an amount that is not a positive integer of ≤ 9 digits, or no usable
    動支帳戶. Disallowed combinations (e.g. 支 1-1 from 專戶存款2) still parse — the money
    did move — and ``check_ledger`` reports them. Never raises.
    """
    return _EntryParser(year).parse(record, index)


def parse_entries(book: LedgerBook, year: int) -> list[Entry | None]:
    """Every record parsed once, aligned with ``book.entries``."""
    parser = _EntryParser(year)
    return [parser.parse(record, i) for i, record in enumerate(book.entries)]
