"""Sheet 3 — 福利專款決算及運用情形(含結存分析表): final accounts of year Y−1 (DOMAIN.md §5)."""

from __future__ import annotations

from treasurer_app.fields import Choice, Count, Field, Money
from treasurer_app.forms.base import Derived, FormSpec, sum_of
from treasurer_app.forms.layout import SLASH as NO_VALUE
from treasurer_app.forms.layout import Gap, Heading, Layout, Line, Lines, Matrix, MatrixColumn, MatrixRow, Title
from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final

MONEY = Money(9)
COUNT = Count(5)

# Source columns of the expenditure table.
SURPLUS, ALLOCATION, INTEREST = "surplus", "allocation", "interest"
SOURCE_COLUMNS: tuple[tuple[str, str], ...] = (
    (SURPLUS, "結餘款金額 (包括其他收入)"),
    (ALLOCATION, "分配款金額"),
    (INTEREST, "利息"),
)
SOURCE_LABELS = dict(SOURCE_COLUMNS)

INTEREST_USE_OPTIONS = ("A", "B")
INTEREST_USE_LABELS = {"A": "A：運用於(2)-(4)項", "B": "B：運用於(1)-(6)項"}


class ExpenditureRow(Value):
    __slots__ = ("columns", "id", "label", "parts")

    def __init__(self, id: str, label: str, columns: tuple[str, ...], parts: tuple[str, ...] = ()) -> None:
        self.id: Final = id  # "1", "3-1", "5-4" …
        self.label: Final = label
        self.columns: Final = columns  # source columns that may hold money; the others print "/"
        self.parts: Final = parts  # a (合計) row is the sum of these rows

    @property
    def is_total(self) -> bool:
        return bool(self.parts)


ALL = (SURPLUS, ALLOCATION, INTEREST)
NO_SURPLUS = (ALLOCATION, INTEREST)

EXPENDITURE_ROWS: tuple[ExpenditureRow, ...] = (
    ExpenditureRow("1", "1、教育訓練", NO_SURPLUS),
    ExpenditureRow("2", "2、急難救助", ALL),
    ExpenditureRow("3", "3、職業災害團體保險或慰問金(合計)", ALL, parts=("3-1", "3-2")),
    ExpenditureRow("3-1", "3-1、職業災害團體保險", ALL),
    ExpenditureRow("3-2", "3-2、慰問金", ALL),
    ExpenditureRow("4", "4、退休補助", ALL),
    ExpenditureRow("5", "5、會員福利(合計)", NO_SURPLUS, parts=("5-1", "5-2", "5-3", "5-4", "5-5")),
    ExpenditureRow("5-1", "5-1會員進修、會員子女獎助金等教育獎助", NO_SURPLUS),
    ExpenditureRow("5-2", "5-2婚、喪、喜、慶、生育等補助", NO_SURPLUS),
    ExpenditureRow("5-3", "5-3自強活動、聯誼活動等", NO_SURPLUS),
    ExpenditureRow("5-4", "5-4春節、中秋、端午、重陽、五一等節日禮券、禮品", NO_SURPLUS),
    ExpenditureRow("5-5", "5-5其他(書報、雜誌等)", NO_SURPLUS),
    ExpenditureRow("6", "6、行政事務費", NO_SURPLUS),
)
EXPENDITURE_BY_ID = {r.id: r for r in EXPENDITURE_ROWS}
TOP_LEVEL_ROWS = ("1", "2", "3", "4", "5", "6")  # what 小計 adds up
SUBTOTAL_LABEL = "小計"
TOTAL_LABEL = "總計"
EXPENDITURE_HEADER = "項目名稱"
EXPENDITURE_AMOUNT_HEADER = "決算金額"
SLASH = "/"


def exp_key(row_id: str, column: str) -> str:
    return f"exp_{row_id}_{column}"


def subtotal_key(column: str) -> str:
    return f"subtotal_{column}"


# Beneficiaries (受益情形).
class BeneficiaryRow(Value):
    __slots__ = ("id", "label", "parts")

    def __init__(self, id: str, label: str, parts: tuple[str, ...] = ()) -> None:
        self.id: Final = id
        self.label: Final = label
        self.parts: Final = parts


BENEFICIARY_ROWS: tuple[BeneficiaryRow, ...] = (
    BeneficiaryRow("1", "1、教育訓練"),
    BeneficiaryRow("2", "2、急難救助"),
    BeneficiaryRow("3", "3、職業災害團體保險或慰問金 (合計)", parts=("3-1", "3-2")),
    BeneficiaryRow("3-1", "3-1職業災害團體保險"),
    BeneficiaryRow("3-2", "3-2慰問金"),
    BeneficiaryRow("4", "4、退休補助"),
    BeneficiaryRow("5", "5、會員福利(合計)", parts=("5-1", "5-2", "5-3", "5-4", "5-5")),
    BeneficiaryRow("5-1", "5-1會員進修、會員子女獎助金等教育獎助"),
    BeneficiaryRow("5-2", "5-2婚、喪、喜、慶、生育等補助"),
    BeneficiaryRow("5-3", "5-3自強活動、聯誼活動等"),
    BeneficiaryRow("5-4", "5-4春節、中秋、端午、重陽、五一等節日禮券、禮品"),
    BeneficiaryRow("5-5", "5-5其他(書報、雜誌等)"),
)
BENEFICIARY_TITLE = "{Y1}年度商港福利專款受益情形"
BENEFICIARY_HEADERS = ("項目名稱", "單位", "場次、時數、人次")
# Units of the education row, then of every other row.
EDUCATION_UNITS: tuple[tuple[str, str], ...] = (
    ("sessions", "場次"),
    ("hours", "課程時數"),
    ("male", "受益人次(男)"),
    ("female", "受益人次(女)"),
)
PERSON_UNITS: tuple[tuple[str, str], ...] = (("male", "受益人次(男)"), ("female", "受益人次(女)"))


def ben_key(row_id: str, unit: str) -> str:
    return f"ben_{row_id}_{unit}"


def _units(row: BeneficiaryRow) -> tuple[tuple[str, str], ...]:
    return EDUCATION_UNITS if row.id == "1" else PERSON_UNITS


REVENUE_TITLE = "{Y1}年度歲入"
REVENUE_HEADERS = ("項目名稱", "決算金額", "說明")
EXPENDITURE_TITLE = "{Y1}年度決算表"
ACCUMULATED_LABEL = "截至{Y1}年度歷年累積結餘款"

REVENUE_FIELDS: tuple[Field, ...] = (
    Field("rev_allocation", "1、{Y1}年度分配款金額", MONEY, hint="輸入該年度之分配款。"),
    Field(
        "rev_interest",
        "2、截至{Y1}年度利息收入",
        MONEY,
        hint="輸入截至該年度之歷年累積利息；運用於(1)-(6)項者，教育訓練經費不得低於 40%。",
    ),
    Field("rev_other", "3、其他收入(繳回款、代管款等)", MONEY, hint="輸入繳回款、代管款等其他收入。"),
    Field("rev_surplus_drawn", "4、動支截至上一年{Y2}年歷年累積結餘款金額", MONEY, hint="輸入動支歷年累積結餘款金額。"),
)
INTEREST_USE = Field(
    "interest_use",
    "利息運用方式",
    Choice(INTEREST_USE_OPTIONS),
    hint="A：利息只運用於(2)-(4)項；B：運用於(1)-(6)項，教育訓練經費不得低於所用利息 40%。",
)
SURPLUS_REMAINING = Field(
    "prev_surplus_remaining",
    "上一年度{Y2}年歷年累積結餘款剩餘數",
    MONEY,
    hint="輸入扣除歷年累積結餘款動支數後，未動支部分之金額。",
)


def _expenditure_fields() -> tuple[Field, ...]:
    fields = []
    for row in EXPENDITURE_ROWS:
        if row.is_total:
            continue
        for column in row.columns:
            fields.append(Field(exp_key(row.id, column), f"{row.label}／{SOURCE_LABELS[column]}", MONEY))
    return tuple(fields)


def _beneficiary_fields() -> tuple[Field, ...]:
    fields = []
    for row in BENEFICIARY_ROWS:
        if row.parts:
            continue
        for unit, unit_label in _units(row):
            fields.append(Field(ben_key(row.id, unit), f"{row.label}／{unit_label}", COUNT))
    return tuple(fields)


def _derived() -> tuple[Derived, ...]:
    derived: list[Derived] = [
        Derived(
            "rev_total",
            "合計",
            sum_of("rev_allocation", "rev_interest", "rev_other", "rev_surplus_drawn"),
            "= 歲入 1＋2＋3＋4",
        )
    ]
    for row in EXPENDITURE_ROWS:
        if not row.is_total:
            continue
        for column in row.columns:
            parts = tuple(exp_key(p, column) for p in row.parts)
            derived.append(
                Derived(
                    exp_key(row.id, column),
                    f"{row.label}／{SOURCE_LABELS[column]}",
                    sum_of(*parts),
                    "= " + "＋".join(row.parts),
                )
            )
    for column, column_label in SOURCE_COLUMNS:
        present = tuple(exp_key(r, column) for r in TOP_LEVEL_ROWS if column in EXPENDITURE_BY_ID[r].columns)
        derived.append(
            Derived(subtotal_key(column), f"{SUBTOTAL_LABEL}／{column_label}", sum_of(*present), "= 第 1 至 6 項")
        )
    derived.append(Derived("exp_total", TOTAL_LABEL, sum_of(*(subtotal_key(c) for c in ALL)), "= 三欄小計相加"))
    derived.append(
        Derived(
            "accumulated",
            ACCUMULATED_LABEL,
            lambda get: get("prev_surplus_remaining") + get("rev_total") - get("exp_total"),
            "= 上一年度歷年累積結餘款剩餘數＋歲入合計－決算總計",
        )
    )
    for beneficiary in BENEFICIARY_ROWS:
        if not beneficiary.parts:
            continue
        for unit, unit_label in _units(beneficiary):
            derived.append(
                Derived(
                    ben_key(beneficiary.id, unit),
                    f"{beneficiary.label}／{unit_label}",
                    sum_of(*(ben_key(p, unit) for p in beneficiary.parts)),
                    "= " + "＋".join(beneficiary.parts),
                )
            )
    return tuple(derived)


def _expenditure_matrix() -> Matrix:
    rows = [
        MatrixRow(row.label, tuple(exp_key(row.id, c) if c in row.columns else NO_VALUE for c, _ in SOURCE_COLUMNS))
        for row in EXPENDITURE_ROWS
    ]
    rows.append(MatrixRow(SUBTOTAL_LABEL, tuple(subtotal_key(c) for c, _ in SOURCE_COLUMNS)))
    rows.append(MatrixRow(TOTAL_LABEL, ("exp_total",)))  # one figure for the three columns
    return Matrix(
        corner=EXPENDITURE_HEADER,
        band=EXPENDITURE_AMOUNT_HEADER,
        columns=tuple(MatrixColumn(label) for _, label in SOURCE_COLUMNS),
        rows=tuple(rows),
    )


def _beneficiary_matrix() -> Matrix:
    units = dict(EDUCATION_UNITS)
    return Matrix(
        corner=BENEFICIARY_HEADERS[0],
        unit_header=BENEFICIARY_HEADERS[1],
        value_header=BENEFICIARY_HEADERS[2],
        columns=tuple(MatrixColumn(label) for label in units.values()),
        rows=tuple(
            MatrixRow(row.label, tuple(ben_key(row.id, u) if u in dict(_units(row)) else NO_VALUE for u in units))
            for row in BENEFICIARY_ROWS
        ),
        stacked=True,
    )


LAYOUT = Layout(
    blocks=(
        Title(),
        Heading(REVENUE_TITLE),
        Lines(
            (
                Line("rev_allocation"),
                Line("rev_interest", note=INTEREST_USE.key),
                Line("rev_other"),
                Line("rev_surplus_drawn"),
                Line("rev_total"),
            ),
            headers=REVENUE_HEADERS,
            note_span=2,
        ),
        Gap(),
        Lines((Line(SURPLUS_REMAINING.key),)),
        Gap(),
        Heading(EXPENDITURE_TITLE),
        _expenditure_matrix(),
        Gap(),
        Lines((Line("accumulated"),)),
        Gap(),
        Heading(BENEFICIARY_TITLE),
        _beneficiary_matrix(),
    ),
    widths=(46, 18, 16, 14),
)

SPEC = FormSpec(
    id="final_accounts",
    number=3,
    sheet_name="福利專款決算及運用情形(含結存分析表)",
    title="商港服務費福利專款 {Y1}年度決算運用情形",
    period=-1,
    fields=(*REVENUE_FIELDS, INTEREST_USE, SURPLUS_REMAINING, *_expenditure_fields(), *_beneficiary_fields()),
    derived=_derived(),
    layout=LAYOUT,
    hint="金額最多 9 位數字；場次、時數、人次最多 5 位數字。合計、小計、總計及歷年累積結餘款自動計算。",
)
