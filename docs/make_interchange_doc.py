"""Writes docs/interchange.md from the form declarations and the reader itself, so the document cannot drift.

Every field table comes from ``treasurer_app.forms`` (and ``ledger/sheet.py``); every error
message is produced by running ``treasurer_app.interchange`` on a broken example.
``tests/unit/test_interchange.py`` fails when the committed document differs from this output.

Run: ``python docs/make_interchange_doc.py`` (``--check`` only compares, exit 1 when out of date).
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from treasurer_app import interchange
from treasurer_app.fields import Field, FieldType
from treasurer_app.forms import FORMS, SCALAR_FORMS
from treasurer_app.forms.base import FormSpec
from treasurer_app.ledger.sheet import ENTRY_FIELDS, ENTRY_KEYS, HEADER_FIELDS, HEADER_KEYS
from treasurer_app.line_subsidy.forms import LINE_FORMS, LINE_SCALAR_FORMS, LINE_TABLES
from treasurer_app.project import ATTACHMENT_KINDS

TARGET = Path(__file__).resolve().parent / "interchange.md"
NAME, VERSION = interchange.FORMAT_NAME, interchange.FORMAT_VERSION


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def type_name(field_type: FieldType) -> str:
    name = type(field_type).__name__
    for attribute in ("digits", "max_chars"):
        if hasattr(field_type, attribute):
            return f"{name}({getattr(field_type, attribute)})"
    return name


def field_rows(fields: Iterable[Field], optional: bool = False) -> list[tuple[str, ...]]:
    return [
        (
            f"`{f.key}`",
            f.label,
            f"{type_name(f.type)}：{f.type.description}",
            REQUIRED_NOTES.get(f.key) or ("必填" if f.required and not optional else "選填"),
        )
        for f in fields
    ]


# Required or not by another value of the record, which the field's declaration cannot say.
REQUIRED_NOTES = {"category": "收、支必填；轉不填"}


FIELD_HEADERS = ("key", "label (Chinese)", "type and limit", "required")
# What the declarations alone do not say: figures the project supplies in place of typed ones.
FORM_NOTES = {
    "application": "`union_type` is checked only when filled; blank means 職業工會 (the roster's 投保單位 column). "
    "`port` (港區) is checked only when filled; it names the 受文者 of the cover letter, the local government of "
    "the port area (基隆港→基隆市政府, 蘇澳港→宜蘭縣政府, 臺北港→新北市政府 …); blank leaves that line to be "
    "written by hand, with a warning.",
    "final_accounts": "When the ledger of year Y−1 has entries, revenue lines 1–3 and the expenditure table are taken "
    "from it and typed ones are ignored. `ben_1_*` left blank are taken from the training sessions' totals.",
    "training_expenses": "When the ledger of year Y−1 has entries, the thirteen lines are taken from it "
    "(支 1-1 … 1-13).",
}


def computed_rows(spec: FormSpec) -> list[tuple[str, ...]]:
    return [(f"`{d.key}`", d.label, d.explanation) for d in (*spec.linked, *spec.derived)]


def form_section(form_id: str) -> list[str]:
    spec = FORMS[form_id]
    lines = [f"### `{form_id}` — 第 {spec.number} 表 {spec.sheet_name}", ""]
    lines += table(FIELD_HEADERS, field_rows(spec.fields))
    if spec.extra_fields:
        lines += ["", "Kept with the form but not printed on the official sheet:", ""]
        lines += table(FIELD_HEADERS, field_rows(spec.extra_fields, optional=True))
    if spec.derived or spec.linked:
        lines += ["", "Computed, never stored (a file that holds these keys is refused):", ""]
        lines += table(("key", "label", "computed as"), computed_rows(spec))
    if form_id in FORM_NOTES:
        lines += ["", FORM_NOTES[form_id]]
    return [*lines, ""]


def record_section(title: str, fields: Sequence[Field], keys: Sequence[str]) -> list[str]:
    if [f.key for f in fields] != list(keys):  # the reader's key list and the declarations must agree
        raise SystemExit(f"{title}: declared {[f.key for f in fields]} but the reader accepts {list(keys)}")
    return [title, "", *table(FIELD_HEADERS, field_rows(fields)), ""]


# ---------------------------------------------------------------- error messages, produced by the reader


def minimal(**changes: object) -> str:
    document: dict[str, object] = {"format": NAME, "version": VERSION, "years": {"115": {}}}
    document.update(changes)
    return json.dumps(document, ensure_ascii=False)


def in_year(year: dict[str, object]) -> str:
    return minimal(years={"115": year})


ERROR_EXAMPLES: tuple[tuple[str, str | bytes], ...] = (
    ("not UTF-8 text", "工會".encode("big5")),
    ("not JSON", "工會名稱,統一編號"),
    ("nested too deeply", "[" * 100_000),
    ("not a JSON object", "[]"),
    ("another program's file", json.dumps({"format": "other", "version": 1})),
    ("no integer version", minimal(version="1")),
    ("a newer version", minimal(version=VERSION + 1)),
    ("a version below 1", minimal(version=0)),
    ("a year that is not a 3-digit ROC year", minimal(years={"2026": {}})),
    ("a year that is not an object", minimal(years={"115": []})),
    ("an unknown form", in_year({"forms": {"sheet8": {}}})),
    ("an unknown field", in_year({"forms": {"budget": {"rev_2": "937"}}})),
    ("a list where text belongs", in_year({"roster": [{"name": ["黃", "XX"]}]})),
    ("true/false where text belongs", in_year({"forms": {"application": {"member_count": True}}})),
    ("an object where a list belongs", in_year({"training_report": {}})),
    ("sheet 4 under its old key in a version 3 file", in_year({"training_sessions": []})),
    ("an unknown LINE subsidy table", in_year({"line_subsidy": {"tables": {"line_stickers": []}}})),
)


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        yield Path(folder)


def refusal(read: Callable[[], object]) -> str:
    try:
        read()
    except interchange.InterchangeError as error:
        return str(error)
    raise SystemExit("an error example was read without an error")


def error_rows() -> list[tuple[str, str]]:
    rows = []
    with scratch_folder() as folder:  # the file errors, with a file name that does not depend on where this runs
        rows.append(("the file does not exist", refusal(lambda: interchange.load("union.json"))))
        (folder / "union.json").mkdir()
        rows.append(("a folder, not a file", refusal(lambda: interchange.load("union.json"))))
    for situation, raw in ERROR_EXAMPLES:
        rows.append((situation, refusal(lambda raw=raw: interchange.loads(raw, "union.json"))))
    return [(situation, f"`{message}`") for situation, message in rows]


# ---------------------------------------------------------------- the document


def render() -> str:
    kinds = ", ".join(f"`{kind}`" for kind in ATTACHMENT_KINDS)
    lines = [
        "# The project interchange file (JSON), version " + str(VERSION),
        "",
        "<!-- Generated by docs/make_interchange_doc.py from the form declarations. Do not edit by hand:",
        "     change the declarations, run `python docs/make_interchange_doc.py`, commit both. -->",
        "",
        "One file holds a whole union project: every year's seven sheets, the member roster, the",
        "training sessions, the cash ledger, the attachments and the warnings the user acknowledged.",
        "`treasurer-app check FILE.json` reads it; `treasurer_app.interchange` reads and writes it.",
        "",
        "The file holds members' names, national IDs and birth dates **in clear text** (personal data",
        "under the Personal Data Protection Act, DOMAIN.md §13): keep it as safe as the paper roster.",
        "",
        "## Encoding",
        "",
        "* UTF-8 text (a byte-order mark is accepted), one JSON object; written with 1-space indentation",
        "  and Chinese characters as they are (not `\\u` escapes).",
        f"* Files larger than {interchange.MAX_FILE_BYTES // (1024 * 1024)} MB are refused.",
        "",
        "## Top level",
        "",
        *table(
            ("key", "value"),
            [
                ("`format`", f'always `"{NAME}"`'),
                ("`version`", f"an integer; this document describes version {VERSION}"),
                ("`years`", 'an object: ROC year as a 3-digit string (`"115"`, 100–999) → that year\'s object'),
            ],
        ),
        "",
        "## A year",
        "",
        "Year Y holds the application filed for year Y (its plans for Y and its report on Y−1) and",
        "the ledger kept during calendar year Y. Every key may be left out (it then reads as empty).",
        "",
        *table(
            ("key", "value"),
            [
                ("`forms`", "an object: form id → record (below); the five single-valued sheets"),
                ("`roster`", "an array of member records (sheet 2)"),
                (
                    "`training_report`",
                    "an array of session records (sheet 4), one per 場次, in order; "
                    "`training_sessions` in versions 1 and 2 (files of those versions are read with it)",
                ),
                ("`ledger`", '`null` (no ledger) or an object `{"header": record, "entries": [record, …]}`'),
                ("`attachments`", f"an object: {kinds} → path of the user's PDF"),
                ("`acknowledged`", "an array of strings: the warnings the user acknowledged (`form|rule|field|row`)"),
                (
                    "`line_subsidy`",
                    'left out, or an object `{"forms": {…}, "tables": {…}}`: the LINE '
                    "official-account subsidy of year Y (below); since version 2",
                ),
            ],
        ),
        "",
        "## Values",
        "",
        "* Every value is a **string**: the text as the user typed it, normalised by the editor",
        "  (full-width digits → half-width, `1,234` → `1234`, spaces trimmed). Text written by another",
        "  program is normalised on reading exactly as if it had been typed (`１２３４５６７５` → `12345675`,",
        "  `067/01/27` → `0670127`, `b200010000` → `B200010000`) and checked like typed text; invalid",
        "  text is kept, and `treasurer-app check` reports it — reading the file does not refuse it.",
        "  Numbers must use the digits 0–9 (half- or full-width): `²`, `①`, `٣` are errors, not 2, 1, 3.",
        '* On import, numbers are accepted and turned into text: `467000` and `467000.0` → `"467000"`,',
        '  `1.5` → `"1.5"`; `null` → `""`. `true`/`false`, arrays and objects are refused.',
        '  Write dates, 統一編號 and IDs as strings: the number `670127` is not the date `"0670127"`.',
        "* A key left out and an empty string mean the same: the field is blank.",
        "* Keys a record may not hold (a misspelt field, a computed figure) are refused, so that",
        "  nothing typed is silently dropped.",
        "* Labels below may hold `{Y}` (the application year), `{Y1}` (Y−1) and `{Y2}` (Y−2).",
        "",
        "## Forms (`years.Y.forms`)",
        "",
    ]
    for form_id in SCALAR_FORMS:
        lines += form_section(form_id)
    lines += ["## Table records", ""]
    lines += record_section(
        "### `roster` — 第 2 表 福利專款會員名冊 (one member per record)",
        FORMS["roster"].columns,
        [f.key for f in FORMS["roster"].columns],
    )
    lines += record_section(
        "### `training_report` — 第 4 表 福利專款教育訓練成果報告 (one session per record)",
        FORMS["training_report"].columns,
        [f.key for f in FORMS["training_report"].columns],
    )
    lines += [
        "A record whose values are all blank is an empty line of the editor: every rule ignores it.",
        "",
        "## The cash ledger (`years.Y.ledger`)",
        "",
    ]
    lines += record_section("### `header`", HEADER_FIELDS, HEADER_KEYS)
    lines += record_section("### `entries` (in the order entered)", ENTRY_FIELDS, ENTRY_KEYS)
    lines += [
        "摘要(一), 項目 and the running balances are computed from 字 and 號 and never stored.",
        "",
        "## The LINE official-account subsidy (`years.Y.line_subsidy`)",
        "",
        "勞動部補助工會運用行動通訊軟體實施要點: the subsidy of year Y pays the monthly fees of December",
        "Y−1 to November Y; it is applied for between 1 September and 31 October of Y−1 and claimed by",
        "15 November Y (docs/line-subsidy.md). Written only for a year that uses it.",
        "",
    ]
    for form_id in LINE_SCALAR_FORMS:
        spec = LINE_FORMS[form_id]
        lines += [f"### `forms.{form_id}` — {spec.sheet_name}", "", *table(FIELD_HEADERS, field_rows(spec.fields)), ""]
    for form_id in LINE_TABLES:
        spec = LINE_FORMS[form_id]
        lines += record_section(
            f"### `tables.{form_id}` — {spec.sheet_name} (an array, one record per line)",
            spec.columns,
            [f.key for f in spec.columns],
        )
    lines += [
        "## Versioning",
        "",
        f'* Files are written with `"version": {VERSION}`. A reader accepts every version from 1 up to',
        "  its own and refuses a newer one with a message asking for the program to be updated —",
        "  it never guesses at a file it does not understand.",
        "* Because unknown keys are refused, any new key, any new form and any change of a key's",
        "  meaning or type needs a new version number. A key is never reused with another meaning.",
        "* A newer program reads every older version, converting it on reading; it writes only its",
        "  own version.",
        "* Version 3 renamed a year's `training_sessions` to `training_report`, the name sheet 4 has",
        "  everywhere else (its form id, the project file's table, the findings). Version 3 files are",
        "  written with `training_report` only; a version 1 or 2 file is read with `training_sessions`.",
        "",
        "## Error messages",
        "",
        "Reading never raises anything but `InterchangeError`. Its message names the file, the reason",
        "and, inside the document, the place (`years.115.roster[0].name`), in Chinese; the command",
        "line prints it after `無法使用：` and exits with status 2. Produced by the reader itself:",
        "",
        *table(("situation", "message"), error_rows()),
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python docs/make_interchange_doc.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
