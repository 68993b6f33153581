"""The cash ledger's sheet, declared once: its title and header, the columns of the entries
(``ENTRY_ROWS``, ``LEDGER_LAYOUT``, read by the register, the Excel writers, the PDF writer and the
workbook importer; see docs/layouts.md) and the fields a treasurer types in an entry or the header.
"""

from __future__ import annotations

from treasurer_app.fields import Choice, Count, Field, Money, Text
from treasurer_app.forms.layout import UNION, Column, Gap, Layout, Line, Lines, Rows, Title
from treasurer_app.ledger.codes import ACCOUNTS, ACCT1, ACCT2, CATEGORIES, FIXED, KINDS, PARAMETER_TABLE, PETTY

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
