"""The guide's parameter table (§2.8 四、參數說明) as data: 字 · 號 → 項目, 摘要(一), the allowed
動支類別 and 動支帳戶, and where a code's money goes (DOMAIN.md §10).

The register's drop-downs, the entry parser, the rules and the derivations all read it from here;
``fill_from_code`` is what choosing a 字 or 號 does to the rest of an entry.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final

# ---------------------------------------------------------------- names (verbatim, DOMAIN.md §10)

RECEIPT, TRANSFER, PAYMENT = "收", "轉", "支"
KINDS: tuple[str, ...] = (RECEIPT, TRANSFER, PAYMENT)

ACCT1, ACCT2, FIXED, PETTY = "專戶存款1", "專戶存款2", "定期存款", "零用金"
ACCOUNTS: tuple[str, ...] = (ACCT1, ACCT2, FIXED, PETTY)

CAT_ALLOCATION, CAT_INTEREST, CAT_OTHER, CAT_CORRECTION = "分配款", "利息收入", "其他收入", "誤植或扣抵"
CATEGORIES: tuple[str, ...] = (CAT_ALLOCATION, CAT_INTEREST, CAT_OTHER, CAT_CORRECTION)

RECEIPT_ITEM = "年度收入"
TRANSFER_ITEM = "動支存款"


class LedgerCode(Value):
    """One line of the parameter table.

    For a transfer, ``fixed_source`` / ``fixed_target`` name the account the guide
    fixes; the other end is the chosen 動支帳戶. ``final_row`` is the final-accounts
    expenditure row a payment feeds (None: not reported, 7-x); ``training_line`` the
    line of the training-expenses sheet (1-n → n).
    """

    __slots__ = (
        "accounts",
        "categories",
        "code",
        "final_row",
        "fixed_source",
        "fixed_target",
        "item",
        "kind",
        "summary",
        "training_line",
    )

    def __init__(
        self,
        kind: str,
        code: str,
        item: str,
        summary: str,
        categories: tuple[str, ...],
        accounts: tuple[str, ...],
        fixed_source: str | None = None,
        fixed_target: str | None = None,
        final_row: str | None = None,
        training_line: int | None = None,
    ) -> None:
        self.kind: Final = kind
        self.code: Final = code
        self.item: Final = item
        self.summary: Final = summary  # 摘要(一)
        self.categories: Final = categories
        self.accounts: Final = accounts
        self.fixed_source: Final = fixed_source
        self.fixed_target: Final = fixed_target
        self.final_row: Final = final_row
        self.training_line: Final = training_line

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


CODE_BY_KEY: dict[tuple[str, str], LedgerCode] = {(c.kind, c.code): c for c in PARAMETER_TABLE}
CODES_BY_KIND: dict[str, tuple[str, ...]] = {k: tuple(c.code for c in PARAMETER_TABLE if c.kind == k) for k in KINDS}


def squeeze(text: str) -> str:
    """Drop inner spaces: the guide itself writes both「專戶存款 1」and「專戶存款1」."""
    return "".join(text.split())


def kinds() -> tuple[str, ...]:
    """The 字 dropdown: 收, 轉, 支."""
    return KINDS


def codes(kind: str) -> tuple[str, ...]:
    """The 號 dropdown for a 字, in the guide's order; empty for an unknown 字."""
    return CODES_BY_KIND.get(kind, ())


def lookup(kind: str, code: str) -> LedgerCode | None:
    return CODE_BY_KEY.get((kind, code))


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
        return squeeze(unicodedata.normalize("NFKC", value))

    wanted = plain(text or "")
    if not wanted:
        return ""
    for spec in PARAMETER_TABLE:
        if (not kind.strip() or spec.kind == kind.strip()) and plain(spec.summary) == wanted:
            return spec.code
    return text.strip()


def code_item(kind: str, code: str) -> str:
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


def fill_from_code(record: Mapping[str, str]) -> dict[str, str]:
    """After 字 or 號 changes: keep 動支類別 / 動支帳戶 only if allowed; fill them when only one is."""
    kind, code = record.get("kind", "").strip(), record.get("code", "").strip()
    filled = dict(record)
    if not lookup(kind, code):
        return filled
    for key, allowed in (("category", allowed_categories(kind, code)), ("account", allowed_accounts(kind, code))):
        current = filled.get(key, "").strip()
        if current and current not in allowed:
            filled[key] = ""
        if not filled.get(key) and len(allowed) == 1:
            filled[key] = allowed[0]
    return filled
