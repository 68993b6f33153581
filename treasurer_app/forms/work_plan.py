"""Sheet 6 — 福利專款工作計畫書: the work plan of year Y (DOMAIN.md §8)."""

from __future__ import annotations

from treasurer_app.fields import Field, Money, Text
from treasurer_app.forms.base import Derived, FormSpec, sum_of
from treasurer_app.forms.layout import Layout, Matrix, MatrixColumn, MatrixRow, ScreenOnly, Title

ITEMS = ("(1)教育訓練", "(2)急難救助", "(3)職業災害團體保險或慰問金", "(4)退休補助", "(5)會員福利事項", "(6)行政事務")
COLUMNS: tuple[tuple[str, str], ...] = (
    ("description", "說明"),
    ("quantity", "數量 (如場次、人次)"),
    ("budget_text", "預算經費"),
    ("amount", "合計金額"),
    ("period", "辦理時間"),
)
ITEM_HEADER = "工作項目"
INTEREST_LABEL = "其中另使用利息"


def plan_key(item: int, column: str) -> str:
    return f"plan_{item}_{column}"


def _fields() -> tuple[Field, ...]:
    hints = {
        "description": "依工會福利專款運用辦法及會議決議，說明辦理項目內容及資格條件。",
        "quantity": "依上年度運用情形，預估場次、人次等。",
        "budget_text": "以文字列出計算方式，例如 每場次50,000元*4場次=200,000元。",
        "amount": "須等於歲入歲出預算書對應的歲出項目。",
        "period": "預計辦理月份，例如 5、7、9月 或 1-12月。",
    }
    fields: list[Field] = []
    for item_no, item in enumerate(ITEMS, start=1):
        for column, label in COLUMNS:
            field_type = Money(9) if column == "amount" else Text(200, multiline=column != "period")
            fields.append(Field(plan_key(item_no, column), f"{item}／{label}", field_type, hint=hints[column]))
        fields.append(
            Field(
                plan_key(item_no, "interest"),
                f"{item}／{INTEREST_LABEL}",
                Money(9),
                required=False,
                hint="合計金額以外另使用的利息；會印在預算經費文字內，例如（另使用利息8,000元）。",
            )
        )
    return tuple(fields)


AMOUNT_KEYS = tuple(plan_key(i, "amount") for i in range(1, len(ITEMS) + 1))
INTEREST_KEYS = tuple(plan_key(i, "interest") for i in range(1, len(ITEMS) + 1))

BUDGET_TEXT_COLUMN = 2  # 預算經費: the planned interest prints inside it, e.g. (另使用利息8,000元)
_PLAN_COLUMNS = (*COLUMNS[:3], ("interest", INTEREST_LABEL), *COLUMNS[3:])  # the interest right after 預算經費

LAYOUT = Layout(
    blocks=(
        Title(),
        Matrix(
            corner=ITEM_HEADER,
            columns=tuple(
                MatrixColumn(label, printed_in=BUDGET_TEXT_COLUMN if key == "interest" else None)
                for key, label in _PLAN_COLUMNS
            ),
            rows=tuple(
                MatrixRow(item, tuple(plan_key(n, key) for key, _ in _PLAN_COLUMNS))
                for n, item in enumerate(ITEMS, start=1)
            ),
            as_cards=True,
        ),
        ScreenOnly(("amount_total", "interest_total")),  # the guide prints no total row
    ),
    widths=(24, 44, 16, 44, 14, 12),
    landscape=True,
)

SPEC = FormSpec(
    id="work_plan",
    number=6,
    sheet_name="福利專款工作計畫書",
    title="商港服務費福利專款 {Y}年度工作計畫書",
    period=0,
    fields=_fields(),
    derived=(
        Derived("amount_total", "合計金額合計", sum_of(*AMOUNT_KEYS), "= (1)至(6)合計金額相加"),
        Derived("interest_total", "另使用利息合計", sum_of(*INTEREST_KEYS), "= (1)至(6)另使用利息相加"),
    ),
    layout=LAYOUT,
    hint="所有欄位必填，每欄最多 200 個文字；各項合計金額須與歲入歲出預算書一致。",
)


def interest_note(amount: int) -> str:
    """The text the guide writes inside 預算經費 for planned interest."""
    return f"(另使用利息{amount:,}元)"
