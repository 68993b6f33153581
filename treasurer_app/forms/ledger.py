"""The cash ledger — 商港服務費福利專款現金收支登記簿 (DOMAIN.md §10, §11; guide §2.8).

The ledger of one calendar year is a ``LedgerBook``: a header (opening balances of
the four accounts, unspent interest carried in) and entries, every value the text
the user typed. This module holds

* the guide's parameter table (字 · 號 → 項目, 摘要(一), allowed 動支類別 and 動支帳戶)
  and the printed layout of the sheet, as data;
* typed entries (``parse_entry``) and the ledger's rules (``check_ledger``, ``check_caps``),
  which return findings and never raise;
* running balances per account, the closing balances and the next year's header;
* the year-end derivation of the final accounts (sheet 3) and the training expenses (sheet 5);
* the quarterly slice submitted at the end of March, June, September and December.

Every record is parsed once per call; all work is linear in the number of entries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from treasurer_app.fields import ROC_OFFSET, Choice, Count, Field, Money, Text
from treasurer_app.findings import Finding, Severity, error
from treasurer_app.forms import final_accounts as fa
from treasurer_app.forms import training_expenses as te
from treasurer_app.forms.base import Record
from treasurer_app.forms.layout import UNION, Column, Gap, Layout, Line, Lines, Rows, Title
from treasurer_app.project import LedgerBook

FORM = "ledger"

# ---------------------------------------------------------------- names (verbatim, DOMAIN.md §10)

RECEIPT, TRANSFER, PAYMENT = "收", "轉", "支"
KINDS: tuple[str, ...] = (RECEIPT, TRANSFER, PAYMENT)

ACCT1, ACCT2, FIXED, PETTY = "專戶存款1", "專戶存款2", "定期存款", "零用金"
ACCOUNTS: tuple[str, ...] = (ACCT1, ACCT2, FIXED, PETTY)

CAT_ALLOCATION, CAT_INTEREST, CAT_OTHER, CAT_CORRECTION = "分配款", "利息收入", "其他收入", "誤植或扣抵"
CATEGORIES: tuple[str, ...] = (CAT_ALLOCATION, CAT_INTEREST, CAT_OTHER, CAT_CORRECTION)

RECEIPT_ITEM = "年度收入"
TRANSFER_ITEM = "動支存款"


@dataclass(frozen=True)
class LedgerCode:
    """One line of the parameter table.

    For a transfer, ``fixed_source`` / ``fixed_target`` name the account the guide
    fixes; the other end is the chosen 動支帳戶. ``final_row`` is the final-accounts
    expenditure row a payment feeds (None: not reported, 7-x); ``training_line`` the
    line of the training-expenses sheet (1-n → n).
    """

    kind: str
    code: str
    item: str
    summary: str  # 摘要(一)
    categories: tuple[str, ...]
    accounts: tuple[str, ...]
    fixed_source: str | None = None
    fixed_target: str | None = None
    final_row: str | None = None
    training_line: int | None = None

    @property
    def label(self) -> str:
        """How messages name the code: 「支 1-1」, 「收 2」."""
        return f"{self.kind} {self.code}"

    def ends(self, account: str) -> tuple[str | None, str | None]:
        """(source, target) of the money when ``account`` is the chosen 動支帳戶."""
        if self.kind == RECEIPT:
            return None, account
        if self.kind == PAYMENT:
            return account, None
        return self.fixed_source or account, self.fixed_target or account


_ALLOC_INTEREST = (CAT_ALLOCATION, CAT_INTEREST)
_INTEREST_OTHER = (CAT_INTEREST, CAT_OTHER)
_ALLOC_INTEREST_OTHER = (CAT_ALLOCATION, CAT_INTEREST, CAT_OTHER)
_SPECIAL_ACCOUNTS = (ACCT1, ACCT2)
_ACCT1_PETTY = (ACCT1, PETTY)
_SPECIAL_PETTY = (ACCT1, ACCT2, PETTY)


def _receipt(code: str, summary: str, categories: tuple[str, ...], accounts: tuple[str, ...]) -> LedgerCode:
    return LedgerCode(RECEIPT, code, RECEIPT_ITEM, summary, categories, accounts)


def _transfer(code: str, summary: str, accounts: tuple[str, ...], source: str | None, target: str | None) -> LedgerCode:
    return LedgerCode(TRANSFER, code, TRANSFER_ITEM, summary, (), accounts, fixed_source=source, fixed_target=target)


def _payment(
    item: str, code: str, summary: str, categories: tuple[str, ...], accounts: tuple[str, ...], row: str | None
) -> LedgerCode:
    line = int(code.split("-")[1]) if code.startswith("1-") else None
    return LedgerCode(PAYMENT, code, item, summary, categories, accounts, final_row=row, training_line=line)


_EDUCATION = "1、教育訓練"
_EMERGENCY = "2、急難救助"
_OCCUPATIONAL = "3、職災保險或慰問金"
_RETIREMENT = "4、退休"
_WELFARE = "5、會員福利"
_ADMIN = "6、行政事務費"
_CORRECTION = "7、福利專款誤植或扣抵"

# The guide's parameter table (§2.8 四、參數說明), quirks kept: 6-2's text says 6-3; 5-5 and 6-x lack 、.
PARAMETER_TABLE: tuple[LedgerCode, ...] = (
    _receipt("1", "收-商港服務費福利專款", (CAT_ALLOCATION,), (ACCT1,)),
    _receipt("2", "收-定存利息", (CAT_INTEREST,), _SPECIAL_ACCOUNTS),
    _receipt("3", "收-活期利息", (CAT_INTEREST,), _SPECIAL_ACCOUNTS),
    _receipt("4", "收-其他收入 (繳回款、移轉代管等)", (CAT_OTHER,), _SPECIAL_ACCOUNTS),
    _receipt("5", "收-非商港服務費福利專款", (CAT_CORRECTION,), (ACCT1,)),
    _transfer("1", "轉-提福利專款存款為定期存款", _SPECIAL_ACCOUNTS, None, FIXED),
    _transfer("2", "轉-提福利專款存款為零用金", _SPECIAL_ACCOUNTS, None, PETTY),
    _transfer("3", "轉-提定期存款為福利專款存款", _SPECIAL_ACCOUNTS, FIXED, None),
    _transfer("4", "轉-提定期存款為零用金", (FIXED,), None, PETTY),
    _transfer("5", "轉-提福利專款存款 1 為福利專款存款 2", (ACCT1,), None, ACCT2),
    _transfer("6", "轉-提福利專款存款 2 為福利專款存款 1", (ACCT2,), None, ACCT1),
    _payment(_EDUCATION, "1-1", "1-1、講師鐘點費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-2", "1-2、講師交通費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-3", "1-3、工作人員費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-4", "1-4、場地費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-5", "1-5、場地佈置費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-6", "1-6、餐費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-7", "1-7、印刷費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-8", "1-8、茶點費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-9", "1-9、租車費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-10", "1-10、平安保險費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-11", "1-11、郵電費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-12", "1-12、運費", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EDUCATION, "1-13", "1-13、雜支", _ALLOC_INTEREST, _ACCT1_PETTY, "1"),
    _payment(_EMERGENCY, "2-1", "2-1、天然災害救助金", _INTEREST_OTHER, _SPECIAL_PETTY, "2"),
    _payment(_EMERGENCY, "2-2", "2-2、會員家庭重大變故救助金", _ALLOC_INTEREST_OTHER, _SPECIAL_PETTY, "2"),
    _payment(_OCCUPATIONAL, "3-1", "3-1、(職災)團體意外保險", _INTEREST_OTHER, _SPECIAL_PETTY, "3-1"),
    _payment(_OCCUPATIONAL, "3-2-1", "3-2-1、會員住院或死亡等慰問金", _ALLOC_INTEREST_OTHER, _SPECIAL_PETTY, "3-2"),
    _payment(_OCCUPATIONAL, "3-2-2", "3-2-2、會員家屬住院或死亡慰問金", _ALLOC_INTEREST_OTHER, _SPECIAL_PETTY, "3-2"),
    _payment(_RETIREMENT, "4-1", "4-1、退休補助", _ALLOC_INTEREST_OTHER, _SPECIAL_PETTY, "4"),
    _payment(_RETIREMENT, "4-2", "4-2、離職", _INTEREST_OTHER, _SPECIAL_PETTY, "4"),
    _payment(_RETIREMENT, "4-3", "4-3、資遣", _INTEREST_OTHER, _SPECIAL_PETTY, "4"),
    _payment(_WELFARE, "5-1", "5-1、會員進修、會員教育子女補助", _ALLOC_INTEREST, _ACCT1_PETTY, "5-1"),
    _payment(_WELFARE, "5-2", "5-2、婚喪喜慶、生育補助", _ALLOC_INTEREST, _ACCT1_PETTY, "5-2"),
    _payment(_WELFARE, "5-3", "5-3、自強活動、聯誼活動", _ALLOC_INTEREST, _ACCT1_PETTY, "5-3"),
    _payment(
        _WELFARE,
        "5-4",
        "5-4、春節、中秋、端午、重陽、五一勞動節禮券、紀念品生日禮券、禮品",
        _ALLOC_INTEREST,
        _ACCT1_PETTY,
        "5-4",
    ),
    _payment(_WELFARE, "5-5", "5-5 其他(書報、雜誌、刊物)", _ALLOC_INTEREST, _ACCT1_PETTY, "5-5"),
    _payment(_ADMIN, "6-1", "6-1 辦公文具用品(電腦消耗品、紙張、水電費等)", _ALLOC_INTEREST, _ACCT1_PETTY, "6"),
    _payment(_ADMIN, "6-2", "6-3 交通費、車馬費、出席費、誤餐費、加班費等", _ALLOC_INTEREST, _ACCT1_PETTY, "6"),
    _payment(_CORRECTION, "7-1", "7-1、轉帳錯誤", (CAT_CORRECTION,), _SPECIAL_ACCOUNTS, None),
    _payment(_CORRECTION, "7-2", "7-2、定期存款解約利息損失", (CAT_CORRECTION,), (FIXED,), None),
)

_BY_KEY: dict[tuple[str, str], LedgerCode] = {(c.kind, c.code): c for c in PARAMETER_TABLE}
_CODES: dict[str, tuple[str, ...]] = {k: tuple(c.code for c in PARAMETER_TABLE if c.kind == k) for k in KINDS}


def kinds() -> tuple[str, ...]:
    """The 字 dropdown: 收, 轉, 支."""
    return KINDS


def codes(kind: str) -> tuple[str, ...]:
    """The 號 dropdown for a 字, in the guide's order; empty for an unknown 字."""
    return _CODES.get(kind, ())


def lookup(kind: str, code: str) -> LedgerCode | None:
    return _BY_KEY.get((kind, code))


def summary_one(kind: str, code: str) -> str:
    """摘要(一) of a code (never typed: it comes from the table); empty for an unknown code."""
    spec = lookup(kind, code)
    return spec.summary if spec else ""


def code_text(kind: str, code: str) -> str:
    """What the 摘要(一) column shows for an entry: the code's 摘要(一), or the 號 as typed when unknown."""
    return summary_one(kind.strip(), code.strip()) or code


def code_from_text(kind: str, text: str) -> str:
    """The 號 a 摘要(一) cell names (「1-1、講師鐘點費」→ 1-1); a bare 號 or an unknown text is kept as is."""
    def plain(value: str) -> str:
        return _squeeze(unicodedata.normalize("NFKC", value))

    wanted = plain(text or "")
    if not wanted:
        return ""
    for spec in PARAMETER_TABLE:
        if (not kind.strip() or spec.kind == kind.strip()) and plain(spec.summary) == wanted:
            return spec.code
    return text.strip()


def item(kind: str, code: str) -> str:
    """項目 of a code; empty for an unknown code."""
    spec = lookup(kind, code)
    return spec.item if spec else ""


def allowed_categories(kind: str, code: str) -> tuple[str, ...]:
    """The 動支類別 dropdown; empty for a transfer (it has none) and for an unknown code."""
    spec = lookup(kind, code)
    return spec.categories if spec else ()


def allowed_accounts(kind: str, code: str) -> tuple[str, ...]:
    """The 動支帳戶 dropdown. For a transfer: the source, except 轉 3 where it is the receiving account."""
    spec = lookup(kind, code)
    return spec.accounts if spec else ()


def transfer_ends(code: str, account: str) -> tuple[str, str] | None:
    """(from, to) of a transfer with the chosen account, e.g. ('定期存款', '專戶存款2') for 轉 3."""
    spec = lookup(TRANSFER, code)
    if spec is None:
        return None
    source, target = spec.ends(account)
    return (source, target) if source and target else None


# ---------------------------------------------------------------- the printed sheet

LEDGER_TITLE = "商港服務費福利專款現金收支登記簿"
OPENING_TITLE = "上年度結存"
MONEY_UNIT = "元"  # the header prints balances as「1,500,000 元」
YEAR_UNIT = "年"  # and the year as「115 年」
OPENING_KEYS: dict[str, str] = {
    ACCT1: "opening_acct1",
    ACCT2: "opening_acct2",
    FIXED: "opening_fixed",
    PETTY: "opening_petty",
}
INTEREST_CARRIED_IN = "interest_carried_in"
# Label rows above the table, in printed order; the values come from the application form and the header.
HEADER_LABELS: tuple[tuple[str, str], ...] = (
    ("union_name", "工會名稱："),
    ("year", "年度："),
    ("tax_id", "統一編號："),
    ("opening_title", OPENING_TITLE),
    *((key, f"{account}：") for account, key in OPENING_KEYS.items()),
)
# What each value of an entry is called (messages, undo, drill-down), computed ones included.
COLUMN_LABELS: dict[str, str] = {
    "year": "年",
    "month": "月",
    "day": "日",
    "kind": "字",
    "item": "項目",
    "code": "號",
    "summary_one": "摘要(一)",
    "voucher": "傳票序號",
    "memo": "摘要(二)",
    "amount": "金額",
    "category": "動支類別",
    "account": "動支帳戶",
    "balance_total": "結存",
    "balance_acct1": ACCT1,
    "balance_acct2": ACCT2,
    "balance_fixed": FIXED,
    "balance_petty": PETTY,
}
ITEM_HEADER = "摘要"  # the guide's header over the 項目 column
SPARE_ENTRIES = 30  # empty unlocked rows after the entries, for lines added in Excel
# The register's columns, printed and on screen, in the order of the guide's example header. 號 has no
# column of its own: the 摘要(一) column holds it (the guide's drop-downs pick 字 and 號 and fill 摘要(一);
# each 字 + 摘要(一) names exactly one 號), see docs/layouts.md.
ENTRY_ROWS = Rows(
    (
        Column("year", COLUMN_LABELS["year"], 6, computed=True),
        Column("month", COLUMN_LABELS["month"], 5),
        Column("day", COLUMN_LABELS["day"], 5),
        Column("kind", COLUMN_LABELS["kind"], 5),
        Column("voucher", COLUMN_LABELS["voucher"], 10),
        Column("item", ITEM_HEADER, 20, computed=True),
        Column("code", COLUMN_LABELS["summary_one"], 40),
        Column("memo", COLUMN_LABELS["memo"], 20),
        Column("amount", COLUMN_LABELS["amount"], 14),
        Column("category", COLUMN_LABELS["category"], 12),
        Column("account", COLUMN_LABELS["account"], 14),
        *(
            Column(key, COLUMN_LABELS[key], 14, computed=True)
            for key in ("balance_total", "balance_acct1", "balance_acct2", "balance_fixed", "balance_petty")
        ),
    ),
    spare=SPARE_ENTRIES,
)
SHEET_COLUMNS: tuple[tuple[str, str], ...] = tuple((c.key, c.label) for c in ENTRY_ROWS.columns)
LEDGER_LAYOUT = Layout(
    blocks=(
        Title(lines=("{title}", UNION), join=None),
        Lines(
            tuple(
                Line(
                    key if key != "opening_title" else "",
                    label,
                    unit=YEAR_UNIT if key == "year" else MONEY_UNIT if key in OPENING_KEYS.values() else "",
                )
                for key, label in HEADER_LABELS
            ),
            label_span=3,  # 年 · 月 · 日
            value_span=3,  # 字 · 傳票序號 · 摘要, then the unit
        ),
        Gap(),
        ENTRY_ROWS,
    ),
    landscape=True,
)

VOUCHER_MAX = 10  # 傳票序號最多 10 個文字
MEMO_MAX = 50  # 摘要(二) 最多 50 個文字
# What the user types per entry; kind/code/category/account are dropdowns filled from PARAMETER_TABLE.
# Labelled as the sheet prints its columns.
ENTRY_FIELDS: tuple[Field, ...] = (
    Field("month", COLUMN_LABELS["month"], Count(2), hint="依時間順序輸入月、日。"),
    Field("day", COLUMN_LABELS["day"], Count(2), hint="依時間順序輸入月、日。"),
    Field("kind", COLUMN_LABELS["kind"], Choice(KINDS), hint="收、轉、支。"),
    Field(
        "code",
        COLUMN_LABELS["code"],
        Choice(tuple(dict.fromkeys(c.code for c in PARAMETER_TABLE))),
        hint="依參數表選填號（例如 1-1），自動代出摘要(一)。",
    ),
    Field("voucher", COLUMN_LABELS["voucher"], Text(VOUCHER_MAX), hint=f"請自行輸入，最多 {VOUCHER_MAX} 個文字。"),
    Field(
        "memo",
        COLUMN_LABELS["memo"],
        Text(MEMO_MAX),
        required=False,
        hint=f"請自行輸入，記錄會員姓名，最多 {MEMO_MAX} 個文字。",
    ),
    Field("amount", COLUMN_LABELS["amount"], Money(9), hint="最多 9 位數字。"),
    # Required except on a transfer, which has none: that depends on 字, so the entry's rule
    # (ledger.required) says it, and the cell's own check does not (a 轉 must show no 必填).
    Field("category", COLUMN_LABELS["category"], Choice(CATEGORIES), required=False, hint="依單據內容選填；轉帳不填。"),
    Field("account", COLUMN_LABELS["account"], Choice(ACCOUNTS), hint="依單據內容選填。"),
)
ENTRY_FIELD: dict[str, Field] = {f.key: f for f in ENTRY_FIELDS}
ENTRY_KEYS: tuple[str, ...] = tuple(ENTRY_FIELD)  # what one entry record holds (interchange, store, sheet)
HEADER_FIELDS: tuple[Field, ...] = (
    *(
        Field(key, f"{OPENING_TITLE} {account}", Money(9), required=False, hint="金額最多 9 位數字。")
        for account, key in OPENING_KEYS.items()
    ),
    Field(
        INTEREST_CARRIED_IN,
        "上年度未動支利息",
        Money(9),
        required=False,
        hint="歷年利息收入扣除已動支利息後的餘額，年度結轉時自動帶入。",
    ),
)
HEADER_FIELD: dict[str, Field] = {f.key: f for f in HEADER_FIELDS}
HEADER_KEYS: tuple[str, ...] = tuple(HEADER_FIELD)  # what the header record holds

# ---------------------------------------------------------------- typed entries

_ACCOUNT_INDEX = {account: i for i, account in enumerate(ACCOUNTS)}
_MONEY = Money(9)
_SMALL = Count(2)
_KIND_TYPE = Choice(KINDS)
_ACCOUNT_TYPE = Choice(ACCOUNTS)
_CATEGORY_TYPE = Choice(CATEGORIES)
_CODE_TYPES = {kind: Choice(_CODES[kind]) for kind in KINDS}
_ASCII_DIGITS = re.compile(r"[0-9]{1,9}")
_ANY_YEAR = 113  # a leap year: where the ledger's year is unknown, 2月29日 is given the benefit of the doubt


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger line as typed values.

    ``source`` is the account the money leaves, ``target`` the one it enters:
    a receipt has only a target, a payment only a source, a transfer both.
    ``category`` is None for a transfer (and when the typed category is not one of the four).
    """

    index: int
    date: date
    kind: str
    code: str
    voucher: str
    memo: str
    amount: int
    category: str | None
    account: str
    source: str | None
    target: str | None

    @property
    def spec(self) -> LedgerCode:
        return _BY_KEY[(self.kind, self.code)]

    @property
    def category_allowed(self) -> bool:
        return self.category in self.spec.categories


def _text(record: Mapping[str, object], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value).strip()


def _squeeze(text: str) -> str:
    """Drop inner spaces: the guide itself writes both「專戶存款 1」and「專戶存款1」."""
    return "".join(text.split())


def _choice(choice: Choice, text: str) -> str | None:
    if text in choice.options:
        return text
    value = choice.parse(_squeeze(text)).value
    return value if isinstance(value, str) else None


def _number(field_type: Money | Count, text: str) -> int | None:
    if _ASCII_DIGITS.fullmatch(text):
        value = int(text)
    else:
        parsed = field_type.parse(text).value
        if not isinstance(parsed, int):
            return None
        value = parsed
    return value if len(str(value)) <= field_type.digits else None


def _month(text: str) -> int | None:
    value = _number(_SMALL, text)
    return value if value is not None and 1 <= value <= 12 else None


def _date(year: int, month: int | None, day_text: str) -> date | None:
    day = _number(_SMALL, day_text)
    if month is None or day is None or day < 1:
        return None
    try:
        return date(year + ROC_OFFSET, month, day)
    except (ValueError, OverflowError):
        return None


def _kind(text: str) -> str | None:
    return _choice(_KIND_TYPE, text)


def _code(kind: str | None, text: str) -> LedgerCode | None:
    if kind is None:
        return None
    spec = _BY_KEY.get((kind, text))
    if spec is not None:
        return spec
    code = _choice(_CODE_TYPES[kind], text)
    return _BY_KEY.get((kind, code)) if code else None


def _amount(text: str) -> int | None:
    value = _number(_MONEY, text)
    return value if value else None


def _account(text: str) -> str | None:
    return _choice(_ACCOUNT_TYPE, text)


def _category(text: str) -> str | None:
    return _choice(_CATEGORY_TYPE, text) if text else None


def is_blank(record: Mapping[str, object]) -> bool:
    """A row with nothing typed in it (an empty line of the editor): ignored by every rule."""
    return not any(_text(record, key) for key in ENTRY_FIELD)


class _EntryParser:
    """Parses records of one year, remembering what each distinct text means.

    A year's ledger repeats the same few hundred dates, codes, accounts and amounts
    thousands of times; looking them up instead of re-parsing keeps 50,000 entries fast.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        self.dates: dict[tuple[str, str], date | None] = {}
        self.specs: dict[tuple[str, str], LedgerCode | None] = {}
        self.amounts: dict[str, int | None] = {}
        self.accounts: dict[str, str | None] = {}
        self.categories: dict[str, str | None] = {}

    def parse(self, record: Mapping[str, object], index: int) -> Entry | None:
        try:
            return self._parse(record, index)
        except (TypeError, AttributeError):  # a value that is not text (None, a number…): read it as text
            return self._parse({key: _text(record, key) for key in ENTRY_FIELD}, index)

    def _parse(self, record: Mapping[str, object], index: int) -> Entry | None:
        get = record.get
        key = (get("month", ""), get("day", ""))
        if key in self.dates:
            when = self.dates[key]
        else:
            when = self.dates[key] = _date(self.year, _month(key[0].strip()), key[1].strip())
        key = (get("kind", ""), get("code", ""))
        if key in self.specs:
            spec = self.specs[key]
        else:
            spec = self.specs[key] = _code(_kind(key[0].strip()), key[1].strip())
        text = get("amount", "")
        if text in self.amounts:
            amount = self.amounts[text]
        else:
            amount = self.amounts[text] = _amount(text.strip())
        text = get("account", "")
        if text in self.accounts:
            account = self.accounts[text]
        else:
            account = self.accounts[text] = _account(text.strip())
        if when is None or spec is None or amount is None or account is None:
            return None
        category = None
        if spec.kind != TRANSFER:
            text = get("category", "")
            if text in self.categories:
                category = self.categories[text]
            else:
                category = self.categories[text] = _category(text.strip())
        source, target = spec.ends(account)
        voucher, memo = get("voucher", ""), get("memo", "")
        return Entry(
            index, when, spec.kind, spec.code, voucher.strip(), memo.strip(), amount, category, account, source, target
        )


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


# ---------------------------------------------------------------- balances


@dataclass(frozen=True, slots=True)
class Balances:
    """Balances of the four accounts at one point of the year; ``total`` is 結存."""

    acct1: int = 0
    acct2: int = 0
    fixed: int = 0
    petty: int = 0

    @property
    def total(self) -> int:
        return self.acct1 + self.acct2 + self.fixed + self.petty

    def amounts(self) -> tuple[int, int, int, int]:
        """In the order of ``ACCOUNTS``."""
        return (self.acct1, self.acct2, self.fixed, self.petty)

    def of(self, account: str) -> int:
        return self.amounts()[_ACCOUNT_INDEX[account]]


def _header_money(header: Mapping[str, object], key: str) -> int:
    value = _number(_MONEY, _text(header, key))
    return value or 0


def opening_balances(book: LedgerBook) -> Balances:
    """上年度結存 from the header; an empty or invalid figure counts as 0 (check_ledger reports it)."""
    return Balances(*(_header_money(book.header, OPENING_KEYS[account]) for account in ACCOUNTS))


def _moves(entry: Entry) -> tuple[int | None, int | None]:
    source = _ACCOUNT_INDEX[entry.source] if entry.source else None
    target = _ACCOUNT_INDEX[entry.target] if entry.target else None
    return source, target


def _running(book: LedgerBook, entries: Sequence[Entry | None]) -> list[Balances]:
    current = list(opening_balances(book).amounts())
    result: list[Balances] = []
    snapshot = Balances(*current)
    for entry in entries:
        if entry is not None:
            source, target = _moves(entry)
            if source is not None:
                current[source] -= entry.amount
            if target is not None:
                current[target] += entry.amount
            snapshot = Balances(*current)
        result.append(snapshot)
    return result


def balances(book: LedgerBook, year: int) -> list[Balances]:
    """The balances after each entry, aligned with ``book.entries``, in the order entered.
    An entry that cannot be parsed leaves them unchanged (``check_ledger`` reports it)."""
    return _running(book, parse_entries(book, year))


def closing_balances(book: LedgerBook, year: int) -> Balances:
    running = balances(book, year)
    return running[-1] if running else opening_balances(book)


def balance_at(book: LedgerBook, year: int, when: date) -> Balances:
    """The balances at the end of day ``when``: the opening plus every entry dated on or before it."""
    current = list(opening_balances(book).amounts())
    for entry in parse_entries(book, year):
        if entry is None or entry.date > when:
            continue
        source, target = _moves(entry)
        if source is not None:
            current[source] -= entry.amount
        if target is not None:
            current[target] += entry.amount
    return Balances(*current)


# ---------------------------------------------------------------- year-end derivation


@dataclass(frozen=True)
class Derivation:
    """Figures for another form, by field key, and the ledger entries (indexes) behind each."""

    values: dict[str, int]
    entries: dict[str, list[int]]

    def add(self, key: str, entry: Entry) -> None:
        self.values[key] += entry.amount
        self.entries[key].append(entry.index)


def _empty_derivation(keys: Sequence[str]) -> Derivation:
    return Derivation({key: 0 for key in keys}, {key: [] for key in keys})


# Which final-accounts column a payment's 動支類別 feeds; 誤植或扣抵 (7-x) feeds none.
CATEGORY_COLUMN: dict[str, str] = {CAT_ALLOCATION: fa.ALLOCATION, CAT_INTEREST: fa.INTEREST, CAT_OTHER: fa.SURPLUS}
# Which revenue line a receipt feeds; 收 5 (money that is not the fund's) feeds none.
RECEIPT_REVENUE: dict[str, str] = {"1": "rev_allocation", "2": "rev_interest", "3": "rev_interest", "4": "rev_other"}
REVENUE_KEYS = ("rev_allocation", "rev_interest", "rev_other")
EXPENDITURE_KEYS: tuple[str, ...] = tuple(
    fa.exp_key(row.id, column) for row in fa.EXPENDITURE_ROWS if not row.is_total for column in row.columns
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
            key = fa.exp_key(spec.final_row, CATEGORY_COLUMN[entry.category])
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
    derivation = _empty_derivation(te.LINE_KEYS)
    for entry in _counted(parse_entries(book, year)):
        line = entry.spec.training_line
        if entry.kind == PAYMENT and line is not None:
            derivation.add(te.line_key(line), entry)
    return derivation


def _interest_left(derivation: Derivation) -> int:
    """Interest carried in + received (收 2, 收 3) − spent (支 paid from 利息收入): budget line 2's figure."""
    spent = sum(derivation.values[k] for k in EXPENDITURE_KEYS if k.endswith(f"_{fa.INTEREST}"))
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
    entries = parse_entries(book, _ANY_YEAR if year is None else year)
    closing = _running(book, entries)[-1] if entries else opening_balances(book)
    carried = _header_money(book.header, INTEREST_CARRIED_IN)
    header = {OPENING_KEYS[account]: str(closing.of(account)) for account in ACCOUNTS}
    header[INTEREST_CARRIED_IN] = str(max(0, _interest_left(_derive_final_accounts(entries, carried))))
    return header


# ---------------------------------------------------------------- rules


def _row(index: int) -> str:
    return f"第 {index + 1} 筆 "


def _money(amount: int) -> str:
    return f"{amount:,}"


def _choices(options: Sequence[str]) -> str:
    return "、".join(options)


def _finding(index: int, key: str, rule: str, problem: str) -> Finding:
    return error(FORM, rule, f"{_row(index)}{ENTRY_FIELD[key].label}：{problem}", field=key, row=index)


def _check_header(header: Mapping[str, object]) -> list[Finding]:
    findings = []
    for header_field in HEADER_FIELDS:
        _, message = header_field.check(_text(header, header_field.key))
        if message:
            findings.append(error(FORM, "ledger.header_money", message, field=header_field.key))
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
        return _text(self.record, key)

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
        if _date(self.year, month, day_text) is None:
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
        kind = _kind(kind_text)
        if not kind_text:
            self.fail("kind", "ledger.required", f"必填（可選 {_choices(KINDS)}）")
        elif kind is None:
            self.fail("kind", "ledger.kind", f"須為 {_choices(KINDS)} 之一（填了 {kind_text}）")
        if not code_text:
            hint = f"（{kind} 可選 {_choices(codes(kind))}）" if kind else ""
            self.fail("code", "ledger.required", f"必填{hint}")
            return None
        spec = _code(kind, code_text)
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
        parsed = _MONEY.parse(text)
        if parsed.problem is not None:
            self.fail("amount", "ledger.amount", parsed.problem)
        elif parsed.value == 0:
            self.fail("amount", "ledger.amount_positive", "須大於 0")

    def check_category(self, spec: LedgerCode | None) -> None:
        text = self.text("category")
        kind = spec.kind if spec else _kind(self.text("kind"))
        if kind == TRANSFER:
            if text:
                name = spec.label if spec else TRANSFER
                self.fail("category", "ledger.transfer_category", f"{name} 是轉帳，不填動支類別（填了 {text}）")
            return
        if spec is None:
            if text and _category(text) is None:
                self.fail("category", "ledger.category_allowed", f"須為 {_choices(CATEGORIES)} 之一（填了 {text}）")
            elif not text:
                self.fail("category", "ledger.required", "必填")
            return
        if not text:
            self.fail("category", "ledger.required", f"必填（{spec.label} 可選 {_choices(spec.categories)}）")
        elif _category(text) not in spec.categories:
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
        account = _account(text)
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
        when = entry.date if entry else _date(year, _month(_text(record, "month")), _text(record, "day"))
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
    return unicodedata.normalize("NFKC", text).casefold()


def _check_vouchers(book: LedgerBook) -> list[Finding]:
    findings = []
    first_use: dict[str, int] = {}
    for index, record in enumerate(book.entries):
        text = _text(record, "voucher")
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


def _check_negative(book: LedgerBook, parsed: Sequence[Entry | None]) -> list[Finding]:
    """The entry that takes an account below zero (once per overdraft, not on every line while it lasts)."""
    findings = []
    current = list(opening_balances(book).amounts())
    for entry in parsed:
        if entry is None:
            continue
        source, target = _moves(entry)
        if target is not None:
            current[target] += entry.amount
        if source is None:
            continue
        before = current[source]
        current[source] -= entry.amount
        if current[source] < 0 <= before:
            account = ACCOUNTS[source]
            findings.append(
                error(
                    FORM,
                    "ledger.balance_negative",
                    f"{_row(entry.index)}{account} 餘額不足，差 {_money(-current[source])} 元",
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
        return not _text(record, "category")
    return entry.category in spec.categories


def check_ledger(book: LedgerBook, year: int) -> list[Finding]:
    """Every rule of the ledger (DOMAIN.md §10) as findings; never raises on any text.

    Blank lines are ignored. Findings carry form "ledger", the entry's 0-based index as
    ``row`` and the column key as ``field``; messages start with 「第 N 筆」.
    """
    findings = _check_header(book.header)
    parsed = parse_entries(book, year)
    for index, record in enumerate(book.entries):
        if not _plainly_valid(parsed[index], record) and not is_blank(record):
            findings.extend(_EntryChecker(index, record, year).run())
    findings.extend(_check_order(book, year, parsed))
    findings.extend(_check_vouchers(book))
    findings.extend(_check_negative(book, parsed))
    return sorted(findings, key=lambda f: -1 if f.row is None else f.row)


# ---------------------------------------------------------------- per-person caps (§11)


@dataclass(frozen=True)
class Cap:
    """A per-person ceiling of the guide's §1.3 on 支 payments of some codes.

    ``per_payment``: each payment on its own (急難救助: 「給付金額每名最高不得超過」, and
    DOMAIN.md §11 says per payment). Otherwise the member's payments of each code of the
    group are added up over the year (DOMAIN.md §11: "per code and year") — a member paid
    80,000 and then 80,000 under 3-2-1 has received 160,000, which the ceiling is meant to
    stop; paying in instalments must not get round it.
    """

    rule: str
    name: str
    codes: tuple[str, ...]
    limit: int
    per_payment: bool = False


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
        return Finding(Severity.WARNING, FORM, message, cap.rule, "amount", at.index)
    return Finding(Severity.ERROR, FORM, message, cap.rule, "amount", at.index)


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


def check_caps(book: LedgerBook, year: int) -> list[Finding]:
    """The per-person ceilings of DOMAIN.md §11 on the year's 支 payments, grouped by member
    (摘要(二), trimmed), per code and year; a finding sits on the payment that crosses the ceiling.

    The member is whatever 摘要(二) says: payments written「王小明」and「王小明住院」are
    two people to this check. Entries that do not parse are left to check_ledger.
    """
    parsed = [e for e in parse_entries(book, year) if e is not None and e.kind == PAYMENT]
    findings: list[Finding] = []
    for cap in CAPS:
        for code in cap.codes:  # DOMAIN.md §11: grouped by member, per code and year
            findings.extend(_check_cap(cap, [e for e in parsed if e.code == code]))
    return sorted(findings, key=lambda f: f.row or 0)


# ---------------------------------------------------------------- quarterly submission

QUARTER_END_MONTH: dict[int, int] = {1: 3, 2: 6, 3: 9, 4: 12}
_QUARTER = re.compile(r"([0-9]{3})Q([1-4])")


def parse_quarter(text: str) -> tuple[int, int]:
    """'115Q1' → (115, 1); raises ValueError with a Chinese message for anything else."""
    folded = _squeeze(unicodedata.normalize("NFKC", text or "")).upper()
    match = _QUARTER.fullmatch(folded)
    if match is None or int(match.group(1)) < 100:
        raise ValueError(f"季別：格式為民國年加 Q 及季數 1–4，例如 115Q1（填了「{text}」）")
    return int(match.group(1)), int(match.group(2))


def _check_quarter(quarter: int) -> int:
    if quarter not in QUARTER_END_MONTH:
        raise ValueError(f"季別：須為 1 至 4（填了 {quarter}）")
    return QUARTER_END_MONTH[quarter]


def quarter_month(year: int, quarter: int) -> str:
    """The 上傳年月 of a quarter: its last month, e.g. (115, 1) → '11503'."""
    return f"{year:03d}{_check_quarter(quarter):02d}"


def quarter_slice(book: LedgerBook, year: int, quarter: int) -> LedgerBook:
    """The year-to-date ledger submitted after ``quarter``: the header and every entry up to the
    end of March, June, September or December (a new book; its entries are new indexes).

    Blank lines are dropped. A line whose month cannot be read is kept, so the export's
    checks still see — and report — it instead of it vanishing from the submission.
    """
    last = _check_quarter(quarter)
    kept: list[Record] = []
    for record in book.entries:
        if is_blank(record):
            continue
        month = _month(_text(record, "month"))
        if month is None or month <= last:
            kept.append(dict(record))
    return LedgerBook(header=dict(book.header), entries=kept)
