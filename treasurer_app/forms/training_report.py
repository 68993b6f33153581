"""Sheet 4 — 福利專款教育訓練成果報告: one row per training session of year Y−1 (DOMAIN.md §6)."""

from __future__ import annotations

import re

from treasurer_app.fields import Choice, Count, Field, Money, MultiChoice, RocDate, Text
from treasurer_app.forms.base import FormSpec
from treasurer_app.forms.layout import Column, Layout, Rows, Title

DAY_OPTIONS = ("0.5", "1", "2")
METHODS = ("上課講授", "分組討論", "生態參訪")
CATEGORIES = ("勞動知能及法令", "港務法規", "職場健康", "工作調適", "職業(或職場業務)相關知識", "生活安全知識")
MAX_HOURS_PER_SESSION = 24
MAX_COURSE_NAME_CHARS = 50
COURSE_SEPARATORS = re.compile(r"[、\n；;]+")

# Printed headers, verbatim from the guide.
HEADERS = {
    "no": "場次",
    "date": "日期",
    "day1": "第一天",
    "day2": "第二天",
    "days": "天數 半日: 0.5 1日: 1 2日: 2",
    "name": "教育訓練名稱",
    "place": "地點",
    "methods": "上課方式",
    "category": "課程類別",
    "course": "課程名稱",
    "hours": "時數",
    "cost": "場次使用經費",
    "people": "受益人數",
    "male": "男",
    "female": "女",
    "benefit": "效益",
}


def course_key(index: int) -> str:
    return f"course_{index}"


def hours_key(index: int) -> str:
    return f"hours_{index}"


def _category_columns() -> tuple[Field, ...]:
    columns: list[Field] = []
    for i, category in enumerate(CATEGORIES, start=1):
        columns.append(
            Field(
                course_key(i),
                f"課程名稱（{category}）",
                Text(100, multiline=True),
                required=False,
                hint="同一課程類別可填多項課程名稱，以「、」或換行分隔；每項最多 50 字，合計最多 100 字。",
            )
        )
        columns.append(Field(hours_key(i), f"時數（{category}）", Count(2), required=False))
    return tuple(columns)


SPARE_SESSIONS = 5  # empty unlocked rows after the sessions, for sessions added in Excel

# One row per session, as the guide's template and example print it: the six categories, the course
# names and the hours each in one cell, one line per category.
LAYOUT = Layout(
    blocks=(
        Title(join=""),  # the guide: 「OO工會商港服務費福利專款 114年度教育訓練成果報告」in one line
        Rows(
            (
                Column("day1", HEADERS["day1"], 10, group=HEADERS["date"]),
                Column("day2", HEADERS["day2"], 10, group=HEADERS["date"]),
                Column("days", HEADERS["days"], 12),
                Column("name", HEADERS["name"], 20),
                Column("place", HEADERS["place"], 16),
                Column("methods", HEADERS["methods"], 15),
                Column("category", HEADERS["category"], 24, computed=True),
                Column("course", HEADERS["course"], 30, lines=tuple(course_key(i) for i in range(1, 7))),
                Column("hours", HEADERS["hours"], 6, lines=tuple(hours_key(i) for i in range(1, 7))),
                Column("cost", HEADERS["cost"], 12),
                Column("male", HEADERS["male"], 7, group=HEADERS["people"]),
                Column("female", HEADERS["female"], 7, group=HEADERS["people"]),
                Column("benefit", HEADERS["benefit"], 25),
            ),
            number=HEADERS["no"],
            spare=SPARE_SESSIONS,
        ),
    ),
    landscape=True,
)

SPEC = FormSpec(
    id="training_report",
    number=4,
    sheet_name="福利專款教育訓練成果報告",
    title="商港服務費福利專款 {Y1}年度教育訓練成果報告",
    period=-1,
    columns=(
        Field("day1", "日期（第一天）", RocDate(), hint="民國年月日 7 碼，例如 1140721；須在報告年度內。"),
        Field("day2", "日期（第二天）", RocDate(), required=False, hint="天數為 2 日者必填，應為第一天的次日。"),
        Field("days", "天數", Choice(DAY_OPTIONS), hint="半日 0.5、1 日 1、2 日 2。"),
        Field("name", "教育訓練名稱", Text(50), hint="最多 50 個文字。"),
        Field("place", "地點", Text(50), hint="最多 50 個文字。"),
        Field("methods", "上課方式", MultiChoice(METHODS), hint="上課講授、分組討論、生態參訪，可複選。"),
        *_category_columns(),
        Field("cost", "場次使用經費", Money(7), hint="該場次實際支出總金額，最多 7 位數字。"),
        Field("male", "受益人數（男）", Count(5)),
        Field("female", "受益人數（女）", Count(5)),
        Field("benefit", "效益", Text(100, multiline=True), hint="最多 100 個文字。"),
    ),
    layout=LAYOUT,
    hint="每列一個場次；時數合計每場次不可超過 24 小時。場次、時數及人次合計自動帶入決算表受益情形。",
)


def course_names(text: str) -> list[str]:
    return [name.strip() for name in COURSE_SEPARATORS.split(text or "") if name.strip()]
