"""Sheet 2 — 福利專款會員名冊 (DOMAIN.md §4).

The official column layouts are illegible in the guide we have; this one table
is the single place to change when the official template is known.
"""

from __future__ import annotations

from treasurer_app.fields import Choice, Field, RocDate, Text
from treasurer_app.forms.base import FormSpec, Record
from treasurer_app.forms.layout import Column, Heading, Layout, Rows, Title
from treasurer_app.identifiers import NationalId, national_id_sex

SEXES = ("男", "女")
PERSONAL_COLUMNS = ("name", "national_id", "birth_date")  # personal data (§13): encrypted at rest
UNIT_LABELS = {"職業工會": "投保單位", "企業工會": "服務部門"}
ROSTER_TITLES = {"職業工會": "職業工會會員名冊", "企業工會": "企業工會會員名冊"}
SEQUENCE_LABEL = "序號"
SPARE_ROWS = 20  # empty unlocked rows after the members, for members added in Excel
# Headings that depend on the union type, filled in by the interpreter.
ROSTER_TITLE, UNIT_HEADER = "{roster_title}", "{unit}"

LAYOUT = Layout(
    blocks=(
        Title(),
        Heading(ROSTER_TITLE),
        Rows(
            (
                Column("name", "姓名", 14),
                Column("sex", "性別", 6),
                Column("national_id", "身分證字號", 14),
                Column("birth_date", "出生日期", 11),
                Column("joined", "入會日期", 11),
                Column("unit", UNIT_HEADER, 26),
            ),
            number=SEQUENCE_LABEL,
            spare=SPARE_ROWS,
        ),
    )
)

SPEC = FormSpec(
    id="roster",
    number=2,
    sheet_name="福利專款會員名冊",
    title="商港服務費福利專款 {Y}年度會員名冊",
    period=0,
    columns=(
        Field("name", "姓名", Text(50)),
        Field("sex", "性別", Choice(SEXES), hint="男或女，須與身分證字號第 2 碼相符。"),
        Field("national_id", "身分證字號", hint="身分證或居留證號碼，例如 A123456789。", type=NationalId()),
        Field("birth_date", "出生日期", RocDate(), hint="民國年月日 7 碼，例如 0650315。"),
        Field("joined", "入會日期", RocDate(), hint="民國年月日 7 碼，須晚於出生日期。"),
        Field("unit", "投保單位", Text(100), required=False, hint="職業工會填投保單位；企業工會填服務部門。"),
    ),
    layout=LAYOUT,
)


def unit_label(union_type: str) -> str:
    return UNIT_LABELS.get(union_type, UNIT_LABELS["職業工會"])


def with_sex_from_id(member: Record) -> Record:
    """``member`` with 性別 read from the 身分證字號 (its second character) when 性別 is empty and the ID
    is valid. A 性別 already there is kept, even one the ID contradicts: the rule roster.sex_matches_id
    says so, and the treasurer decides."""
    if (member.get("sex") or "").strip():
        return member
    sex = national_id_sex(member.get("national_id"))
    return {**member, "sex": sex} if sex else member
