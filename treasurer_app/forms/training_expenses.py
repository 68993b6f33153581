"""Sheet 5 — 福利專款教育訓練經費表: year Y−1's education spending by line (DOMAIN.md §7)."""

from __future__ import annotations

from treasurer_app.fields import Field, Money
from treasurer_app.forms.base import Derived, FormSpec, sum_of
from treasurer_app.forms.layout import Layout, Line, Lines, Title

LINES = (
    "講師鐘點費",
    "講師交通費",
    "工作人員費",
    "場地費",
    "場地佈置費",
    "餐費",
    "印刷費",
    "茶點費",
    "租車費",
    "平安保險費",
    "郵電費",
    "運費",
    "雜支",
)
HEADERS = ("教育訓練支出經費項目", "金 額")


def line_key(number: int) -> str:
    """Line n (1–13) matches ledger code 支 1-n."""
    return f"line_{number}"


def declare(lines: tuple[str, ...]) -> FormSpec:
    """The sheet for these expense lines: each line is a field, a printed row, an editor row, a cell the
    importer reads and a term of 合計 (and of its formula) — the one place a line is added."""
    keys = tuple(line_key(n) for n in range(1, len(lines) + 1))
    return FormSpec(
        id="training_expenses",
        number=5,
        sheet_name="福利專款教育訓練經費表",
        title="商港服務費福利專款 {Y1}年度教育訓練經費報告表",
        period=-1,
        fields=tuple(
            Field(key, label, Money(9), hint="填寫該年度所有場次之合計金額。")
            for key, label in zip(keys, lines, strict=True)
        ),
        derived=(Derived("total", "合計", sum_of(*keys), f"= {len(lines)} 項相加"),),
        layout=Layout(
            blocks=(Title(), Lines((*(Line(key) for key in keys), Line("total")), headers=HEADERS)), widths=(36, 20)
        ),
        hint="每項填該年度所有場次的合計；合計須等於決算表教育訓練之分配款＋利息。",
    )


LINE_KEYS = tuple(line_key(n) for n in range(1, len(LINES) + 1))
SPEC = declare(LINES)
