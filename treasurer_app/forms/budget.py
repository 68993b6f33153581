"""Sheet 7 — 福利專款歲入歲出預算書: the budget of year Y (DOMAIN.md §9)."""

from __future__ import annotations

from treasurer_app.fields import Field, Money, Text
from treasurer_app.forms.base import Derived, FormSpec, Linked, sum_of
from treasurer_app.forms.layout import Gap, Layout, Line, Lines, Title

MONEY = Money(9)
NOTE = Text(100)
REVENUE_HEADERS = ("歲 入 項 目", "金 額", "說 明")
EXPENDITURE_HEADERS = ("歲 出 項 目", "金 額")

REVENUE_LINES: tuple[tuple[str, str], ...] = (
    ("rev_1", "1、{Y}申請年度分配款"),
    ("rev_2", "2、截至上一年度{Y1}年度利息收入"),
    ("rev_3", "3、{Y}年度利息收入(預估)"),
    ("rev_4", "4、動支截至上一年度{Y1}年歷年累積結餘款"),
)
DEFAULT_NOTES = {"rev_1": "依據上年度實際分配數預估", "rev_3": "依據上年度實際分配數預估"}
EXPENDITURE_LINES: tuple[tuple[str, str], ...] = (
    ("exp_1", "1、教育訓練經費 (應占分配款預算40%以上)"),
    ("exp_interest", "利息收入 (支用於教育訓練經費不得低於40%)"),
    ("exp_2", "2、會員急難救助經費"),
    ("exp_3", "3、職業災害團體保險或慰問金經費"),
    ("exp_4", "4、會員退休補助經費"),
    ("exp_5", "5、有關會員福利事項經費"),
    ("exp_6", "6、行政事務費 (應占分配款預算10%以下)"),
)
EXPENDITURE_KEYS = tuple(key for key, _ in EXPENDITURE_LINES)
# Budget expenditure line of each work-plan item (1)–(6).
PLAN_ITEM_LINES = ("exp_1", "exp_2", "exp_3", "exp_4", "exp_5", "exp_6")
SURPLUS_REMAINING_LABEL = "上一年度{Y1}年歷年累積結餘款剩餘數"


def note_key(line_key: str) -> str:
    return f"{line_key}_note"


# rev_2 is not typed: it is last year's interest income minus the interest spent (§5).
REV_2_SOURCE = "= 決算表「截至{Y1}年度利息收入」－決算表利息小計"

LAYOUT = Layout(
    blocks=(
        Title(),
        Lines(
            (
                *(Line(key, note=note_key(key), note_default=DEFAULT_NOTES.get(key, "")) for key, _ in REVENUE_LINES),
                Line("rev_total"),
            ),
            headers=REVENUE_HEADERS,
        ),
        Gap(),
        Lines((Line("surplus_remaining"),)),
        Gap(),
        Lines((*(Line(key) for key in EXPENDITURE_KEYS), Line("exp_total")), headers=EXPENDITURE_HEADERS, value_span=2),
    ),
    widths=(48, 18, 30),
)

SPEC = FormSpec(
    id="budget",
    number=7,
    sheet_name="福利專款歲入歲出預算書",
    title="商港服務費福利專款 {Y}年度歲入歲出預算書",
    period=0,
    fields=(
        Field("rev_1", REVENUE_LINES[0][1], MONEY, hint="可參考上上年度分配款估算當年度分配款。"),
        Field(note_key("rev_1"), "說明（分配款）", NOTE, required=False),
        Field(note_key("rev_2"), "說明（利息收入）", NOTE, required=False),
        Field("rev_3", REVENUE_LINES[2][1], MONEY, hint="預估當年度利息收入。"),
        Field(note_key("rev_3"), "說明（利息收入預估）", NOTE, required=False),
        Field("rev_4", REVENUE_LINES[3][1], MONEY, hint="預估要動支上一年度歷年累積結餘款金額。"),
        Field(note_key("rev_4"), "說明（動支結餘款）", NOTE, required=False),
        Field(
            "surplus_remaining",
            SURPLUS_REMAINING_LABEL,
            MONEY,
            hint="動支結餘款後之剩餘金額；與第 4 項相加須等於決算表歷年累積結餘款。",
        ),
        *(
            Field(key, label, MONEY, hint="參考上一年度運用情形估算；須與工作計畫書一致。")
            for key, label in EXPENDITURE_LINES
        ),
    ),
    linked=(Linked("rev_2", REVENUE_LINES[1][1], REV_2_SOURCE),),
    derived=(
        Derived("rev_total", "合計", sum_of("rev_1", "rev_2", "rev_3", "rev_4"), "= 歲入 1＋2＋3＋4"),
        Derived("exp_total", "合計", sum_of(*EXPENDITURE_KEYS), "= 歲出各項相加"),
    ),
    layout=LAYOUT,
    hint="金額最多 9 位數字；歲入合計須等於歲出合計；說明最多 100 個文字。",
)
