"""The project interchange file (docs/interchange.md) and the project model (years, roll-over)."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treasurer_app import interchange
from treasurer_app.fields import Count, Money
from treasurer_app.findings import FIELD_INVALID
from treasurer_app.forms import FORMS, SCALAR_FORMS
from treasurer_app.interchange import (
    FORMAT_NAME,
    FORMAT_VERSION,
    InterchangeError,
    dumps,
    load,
    loads,
    project_from_dict,
    project_to_dict,
    save,
)
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook, session_totals
from treasurer_app.rules import check_project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = FIXTURES / "guide_example.json"
CORRECTED = FIXTURES / "guide_example_corrected.json"


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def corrected_doc() -> dict[str, Any]:
    return json.loads(CORRECTED.read_text(encoding="utf-8"))


def small_doc() -> dict[str, Any]:
    """The corrected example, three members, with a ledger, attachments and acknowledged warnings."""
    doc = corrected_doc()
    year = doc["years"]["115"]
    year["roster"] = year["roster"][:3]
    year["forms"]["application"]["member_count"] = "3"
    year["ledger"] = {
        "header": {"opening_acct1": "100000", "interest_carried_in": "937"},
        "entries": [
            {"month": "1", "day": "5", "kind": "收", "code": "1", "voucher": "A1", "amount": "467000",
             "category": "分配款", "account": "專戶存款1"},
            {"month": "2", "day": "1", "kind": "支", "code": "1-1", "voucher": "A2", "memo": "講師", "amount": "8000",
             "category": "分配款", "account": "專戶存款1"},
        ],
    }  # fmt: skip
    year["attachments"] = {"meeting": "會議紀錄.pdf", "method": "辦法.pdf"}
    year["acknowledged"] = ["final_accounts|compliance.admin_10|exp_6_allocation|"]
    return doc


def read(doc: object) -> Project:
    return loads(json.dumps(doc, ensure_ascii=False))


def refusal(doc: object) -> InterchangeError:
    with pytest.raises(InterchangeError) as raised:
        read(doc)
    return raised.value


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize("fixture", [GUIDE, CORRECTED], ids=lambda p: p.name)
def test_fixture_round_trip(fixture: Path) -> None:
    project = load(fixture)
    again = loads(dumps(project))
    assert project_to_dict(again) == project_to_dict(project)
    # the fixtures are written in the canonical form: reading and writing changes nothing
    assert project_to_dict(project) == json.loads(fixture.read_text(encoding="utf-8"))


def test_round_trip_keeps_ledger_attachments_and_acknowledged() -> None:
    project = read(small_doc())
    book = project.years[115]
    assert book.ledger is not None
    assert book.ledger.header == {"opening_acct1": "100000", "interest_carried_in": "937"}
    assert [e["voucher"] for e in book.ledger.entries] == ["A1", "A2"]
    assert book.attachments == {"meeting": "會議紀錄.pdf", "method": "辦法.pdf"}
    assert book.acknowledged == {"final_accounts|compliance.admin_10|exp_6_allocation|"}
    assert project_to_dict(loads(dumps(project))) == project_to_dict(project)


def test_dumps_writes_the_format_name_and_version_and_keeps_chinese_readable() -> None:
    text = dumps(load(CORRECTED))
    doc = json.loads(text)
    assert (doc["format"], doc["version"]) == (FORMAT_NAME, FORMAT_VERSION) == ("treasurer-app-project", 3)
    assert "00職業工會" in text  # not \\u escapes: the file is readable in a text editor
    assert list(doc["years"]["115"]) == [
        "forms", "roster", "training_report", "ledger", "attachments", "acknowledged"
    ]  # fmt: skip
    assert list(doc["years"]["115"]["forms"]) == list(SCALAR_FORMS)


def test_sheet_4_is_written_as_training_report_and_read_from_older_files_as_training_sessions() -> None:
    """Version 3 gave sheet 4's rows the name the form has everywhere (``training_report``); files of
    versions 1 and 2 keep theirs, and a key of the other version is refused, never read as no sessions."""
    project = load(CORRECTED)
    sessions = project.years[115].training_report
    assert sessions and project_to_dict(project)["years"]["115"]["training_report"] == sessions
    old = project_to_dict(project)  # as version 2 wrote it
    old["version"] = 2
    old["years"]["115"]["training_sessions"] = old["years"]["115"].pop("training_report")
    assert project_to_dict(loads(json.dumps(old))) == project_to_dict(project)
    mixed = project_to_dict(project)
    mixed["years"]["115"]["training_sessions"] = mixed["years"]["115"].pop("training_report")
    with pytest.raises(InterchangeError, match="第 3 版的檔案應寫為 training_report"):
        loads(json.dumps(mixed))
    old["years"]["115"]["training_report"] = old["years"]["115"].pop("training_sessions")
    with pytest.raises(InterchangeError, match="training_report"):
        loads(json.dumps(old))


def test_years_are_written_in_order() -> None:
    project = Project()
    for year in (116, 114, 115):
        project.add_year(year)
    assert list(project_to_dict(project)["years"]) == ["114", "115", "116"]


def test_save_writes_atomically_and_loads_back(tmp_path: Path) -> None:
    project = load(CORRECTED)
    target = tmp_path / "union.json"
    save(project, target)
    assert project_to_dict(load(target)) == project_to_dict(project)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["union.json"]  # no .tmp left behind
    project.years[115].forms["application"]["contact"] = "林XX"
    save(project, target)
    assert load(target).years[115].forms["application"]["contact"] == "林XX"


def test_a_bom_is_accepted() -> None:
    raw = "\ufeff" + CORRECTED.read_text(encoding="utf-8")
    assert project_to_dict(loads(raw.encode("utf-8"))) == project_to_dict(load(CORRECTED))


# ---------------------------------------------------------------- values: text, numbers accepted


@pytest.mark.parametrize(
    ("value", "text"),
    [(467000, "467000"), (467000.0, "467000"), (0, "0"), (1.5, "1.5"), (None, ""), ("４６７,０００", "467000")],
)
def test_numbers_and_null_are_accepted_as_text(value: object, text: str) -> None:
    doc = corrected_doc()
    doc["years"]["115"]["forms"]["final_accounts"]["rev_allocation"] = value
    assert read(doc).years[115].forms["final_accounts"]["rev_allocation"] == text


@pytest.mark.parametrize("amount", [8000, 8000.0, None, "８,０００"])
def test_an_entry_of_numbers_or_null_is_read_as_text(amount: object) -> None:
    """A file's records are taken as they are only when they hold texts alone; any other is read value by value."""
    doc = small_doc()
    doc["years"]["115"]["ledger"]["entries"][1]["amount"] = amount
    entries = read(doc).years[115].ledger.entries  # type: ignore[union-attr]  # the document has a ledger
    assert entries[1]["amount"] == ("" if amount is None else "8000")
    assert entries[0]["amount"] == "467000"


def test_the_garbage_collector_is_paused_while_a_file_is_read_and_resumed_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its collections were a fifth of reading a quarter of 25,000 entries; nothing read is in a cycle."""
    import gc

    seen: list[bool] = []
    normalise = interchange.normalise_project
    monkeypatch.setattr(
        interchange, "normalise_project", lambda project: seen.append(gc.isenabled()) or normalise(project)
    )
    assert gc.isenabled()
    read(small_doc())
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(InterchangeError):
        loads("{", "union.json")
    assert gc.isenabled()  # resumed after a refusal too


def test_a_document_given_is_left_as_the_caller_had_it() -> None:
    """project_from_dict copies the records it normalises: the caller's document does not change under it."""
    doc = small_doc()
    doc["years"]["115"]["ledger"]["entries"][1]["amount"] = "８０００"
    project = project_from_dict(doc)
    assert project.years[115].ledger.entries[1]["amount"] == "8000"  # type: ignore[union-attr]  # it has a ledger
    assert doc["years"]["115"]["ledger"]["entries"][1]["amount"] == "８０００"


def test_a_lone_surrogate_in_a_text_given_as_such_is_refused() -> None:
    """Not only an escape: a text handed to loads may hold the surrogate itself."""
    doc = small_doc()
    doc["years"]["115"]["ledger"]["entries"][1]["memo"] = "講師\udfff"
    with pytest.raises(InterchangeError) as raised:
        loads(json.dumps(doc, ensure_ascii=False), "union.json")
    assert raised.value.path == "years.115.ledger.entries[1].memo"


def test_numbers_as_numbers_give_the_same_check_as_numbers_as_text() -> None:
    doc = corrected_doc()
    for form_id, form_values in doc["years"]["115"]["forms"].items():
        for key, value in form_values.items():
            if isinstance(FORMS[form_id].field(key).type, Money | Count) and value:
                form_values[key] = int(value)
    for row in doc["years"]["115"]["training_report"]:
        row["cost"] = int(row["cost"])
    project = read(doc)
    assert project_to_dict(project) == project_to_dict(load(CORRECTED))
    assert check_project(project, 115) == []


def test_missing_parts_default_to_empty() -> None:
    project = read({"format": FORMAT_NAME, "version": 1, "years": {"115": {}}})
    book = project.years[115]
    assert book.forms["application"] == {"year": "115"}  # the year field follows the year
    assert set(book.forms) == set(SCALAR_FORMS)
    assert (book.roster, book.training_report, book.ledger, book.attachments, book.acknowledged) == (
        [],
        [],
        None,
        {},
        set(),
    )
    assert read({"format": FORMAT_NAME, "version": 1}).years == {}


def test_a_date_written_as_a_number_loses_its_leading_zero_and_is_reported() -> None:
    doc = corrected_doc()
    doc["years"]["115"]["forms"]["application"]["founded"] = 670127  # should be the text "0670127"
    project = read(doc)
    assert project.years[115].forms["application"]["founded"] == "670127"
    assert [(f.rule, f.field) for f in check_project(project, 115)] == [(FIELD_INVALID, "founded")]


def test_typed_year_field_is_kept_as_typed() -> None:
    doc = corrected_doc()
    doc["years"]["115"]["forms"]["application"]["year"] = "114"
    assert read(doc).years[115].forms["application"]["year"] == "114"  # check_project reports it


# ---------------------------------------------------------------- refusals: path and Chinese reason


def at(doc: dict[str, Any], path: str) -> tuple[Any, str]:
    """The container and last key of a dotted path like years.115.roster[0].name."""
    parts: list[Any] = []
    for piece in path.split("."):
        name, *indexes = piece.replace("]", "").split("[")
        parts.append(name)
        parts.extend(int(i) for i in indexes)
    node: Any = doc
    for part in parts[:-1]:
        node = node[part]
    return node, parts[-1]


BAD_VALUES: list[tuple[str, object, str, str]] = [
    # (where, value, path in the message, reason)
    ("format", "other-app", "format", "不是本程式的專案檔（format 應為 treasurer-app-project）"),
    ("version", "1", "version", "缺少版本號或版本號不是整數"),
    ("version", True, "version", "缺少版本號或版本號不是整數"),
    ("version", 1.5, "version", "缺少版本號或版本號不是整數"),
    ("version", 4, "version", "檔案版本 4 比本程式支援的版本 3 新，請更新程式"),
    ("version", 0, "version", "不支援的版本 0"),
    ("years", [], "years", "應為物件（{…}）"),
    ("years.115", "x", "years.115", "應為物件（{…}）"),
    ("years.115.forms", [], "years.115.forms", "應為物件（{…}）"),
    ("years.115.forms.roster", {}, "years.115.forms.roster", "不認得的表單"),
    ("years.115.forms.ledger", {}, "years.115.forms.ledger", "不認得的表單"),
    ("years.115.forms.application", "00職業工會", "years.115.forms.application", "應為物件（{…}）"),
    ("years.115.forms.application.union_name", ["00", "職業工會"], "years.115.forms.application.union_name",
     "應為文字或數字"),
    ("years.115.forms.application.member_count", True, "years.115.forms.application.member_count",
     "應為文字或數字，不可為 true/false"),
    ("years.115.forms.final_accounts.exp_1_surplus", "0", "years.115.forms.final_accounts.exp_1_surplus",
     "不認得的欄位"),
    ("years.115.forms.final_accounts.accumulated", "0", "years.115.forms.final_accounts.accumulated", "不認得的欄位"),
    ("years.115.forms.budget.rev_2", 937, "years.115.forms.budget.rev_2", "不認得的欄位"),
    ("years.115.forms.training_expenses.total", 199700, "years.115.forms.training_expenses.total", "不認得的欄位"),
    ("years.115.roster", {}, "years.115.roster", "應為陣列（[…]）"),
    ("years.115.roster[1]", "B100000000", "years.115.roster[1]", "應為物件（{…}）"),
    ("years.115.roster[2].age", "50", "years.115.roster[2].age", "不認得的欄位"),
    ("years.115.roster[0].national_id", {"id": 1}, "years.115.roster[0].national_id", "應為文字或數字"),
    ("years.115.training_report", "4", "years.115.training_report", "應為陣列（[…]）"),
    ("years.115.training_report[3].hours_7", "1", "years.115.training_report[3].hours_7", "不認得的欄位"),
    ("years.115.training_report[2].day1", [1141104], "years.115.training_report[2].day1", "應為文字或數字"),
    ("years.115.ledger", [], "years.115.ledger", "應為物件（{…}）"),
    ("years.115.ledger.header", [], "years.115.ledger.header", "應為物件（{…}）"),
    ("years.115.ledger.header.opening_cash", "0", "years.115.ledger.header.opening_cash", "不認得的欄位"),
    ("years.115.ledger.entries", {}, "years.115.ledger.entries", "應為陣列（[…]）"),
    ("years.115.ledger.entries[1].amount", [8000], "years.115.ledger.entries[1].amount", "應為文字或數字"),
    ("years.115.ledger.entries[0].balance", "1", "years.115.ledger.entries[0].balance", "不認得的欄位"),
    ("years.115.attachments", [], "years.115.attachments", "應為物件（{…}）"),
    ("years.115.attachments.budget", "x.pdf", "years.115.attachments.budget", "不認得的欄位"),
    ("years.115.acknowledged", "all", "years.115.acknowledged", "應為陣列（[…]）"),
    ("years.115.acknowledged[0]", {}, "years.115.acknowledged[0]", "應為文字或數字"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("where", "value", "path", "reason"), BAD_VALUES, ids=[f"{w}={v!r}" for w, v, _, _ in BAD_VALUES]
)
def test_malformed_value_is_refused_naming_the_path(where: str, value: object, path: str, reason: str) -> None:
    doc = small_doc()
    container, key = at(doc, where)
    container[key] = value
    error = refusal(doc)
    assert (error.source, error.path, error.reason) == ("專案檔", path, reason)
    assert str(error) == f"專案檔：{reason}（位置：{path}）"


@pytest.mark.parametrize("year", ["abc", "99", "1150", "-115", "115.0", "", "１１５"])
def test_year_keys_must_be_three_digit_roc_years(year: str) -> None:
    doc = {"format": FORMAT_NAME, "version": 1, "years": {year: {}}}
    error = refusal(doc)
    assert (error.path, error.reason) == (f"years.{year}", "年度須為 3 位數民國年（例如 115）")


@pytest.mark.parametrize("year", ["¹¹⁵", "١١٥"])
def test_year_keys_in_other_digit_scripts_are_refused_not_crashed_on(year: str) -> None:
    error = refusal({"format": FORMAT_NAME, "version": 1, "years": {year: {}}})
    assert error.reason == "年度須為 3 位數民國年（例如 115）"


@pytest.mark.parametrize(
    ("raw", "path", "reason"),
    [
        ("", "", "檔案是空的，不是專案檔"),
        ('{"format": "treasurer-app-project",\n "version": 1,,}', "第 2 行第 15 字", "JSON 格式錯誤"),
        ("[" * 100_000, "", "JSON 巢狀過深"),
        ("null", "", "應為物件（{…}）"),
        ('"treasurer-app-project"', "", "應為物件（{…}）"),
        ("{}", "format", "不是本程式的專案檔（format 應為 treasurer-app-project）"),
    ],
    ids=["empty", "syntax", "deep", "null", "string", "no-format"],
)
def test_unreadable_text_is_refused(raw: str, path: str, reason: str) -> None:
    with pytest.raises(InterchangeError) as raised:
        loads(raw, "union.json")
    assert (raised.value.path, raised.value.reason) == (path, reason)
    assert str(raised.value).startswith("union.json：")


@pytest.mark.parametrize(
    ("place", "path"),
    [
        (
            lambda year: year["forms"]["application"].__setitem__("union_name", "港區\ud800工會"),
            "years.115.forms.application.union_name",
        ),
        (lambda year: year["roster"][0].__setitem__("name", "\udcff"), "years.115.roster[0].name"),
        (
            lambda year: year["ledger"]["entries"][1].__setitem__("memo", "講師\udfff"),
            "years.115.ledger.entries[1].memo",
        ),
        (lambda year: year.__setitem__("acknowledged", ["\ud83d"]), "years.115.acknowledged[0]"),
    ],
    ids=["form", "roster", "ledger", "acknowledged"],
)
def test_half_a_character_pair_is_refused_where_it_stands(place: Any, path: str) -> None:
    """JSON can spell a lone surrogate (\\ud800); no workbook, PDF or report can hold one."""
    doc = small_doc()
    place(doc["years"]["115"])
    with pytest.raises(InterchangeError) as raised:
        loads(json.dumps(doc), "union.json")  # ASCII JSON: the surrogate travels as an escape
    assert raised.value.path == path
    assert raised.value.reason.startswith("含有無效的字元（U+D") and "代理字元" in raised.value.reason


def test_messages_about_undecodable_names_can_be_printed() -> None:
    doc = small_doc()
    doc["years"]["115"]["forms"]["application"]["\ud800"] = "x"
    with pytest.raises(InterchangeError) as raised:
        loads(json.dumps(doc), "\udcff.json")  # a file name the OS could not decode
    message = str(raised.value)
    assert message == "\\udcff.json：不認得的欄位（位置：years.115.forms.application.\\ud800）"
    message.encode("utf-8")  # printable: no lone surrogate left in it


def test_bytes_that_are_not_utf8_are_refused() -> None:
    with pytest.raises(InterchangeError) as raised:
        loads(b'{"format": "\xa4u\xb7|"}')
    assert raised.value.reason == "不是 UTF-8 文字檔，無法當作專案檔讀取"


def test_a_number_too_long_for_python_is_refused() -> None:
    with pytest.raises(InterchangeError):
        loads(
            '{"format": "treasurer-app-project", "version": 1, "years": {"115": {"forms": {"budget": {"rev_1": '
            + "9" * 5000
            + "}}}}}"
        )


def test_missing_file_folder_and_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(InterchangeError) as raised:
        load(missing)
    assert str(raised.value) == f"{missing}：找不到檔案"
    with pytest.raises(InterchangeError) as raised:
        load(tmp_path)
    assert raised.value.reason == "這是資料夾，不是專案檔"
    monkeypatch.setattr(interchange, "MAX_FILE_BYTES", 100)
    with pytest.raises(InterchangeError) as raised:
        load(CORRECTED)
    assert raised.value.reason == "檔案過大，不是本程式的專案檔"


# ---------------------------------------------------------------- any malformed document: only InterchangeError


def paths_of(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += paths_of(child, (*prefix, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            found += paths_of(child, (*prefix, i))
    return found


BASE = small_doc()
# A few members and form keys are enough to reach every kind of place; the rest is more of the same.
BASE["years"]["115"]["roster"] = BASE["years"]["115"]["roster"][:2]
BASE_PATHS = paths_of(BASE)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)
MUTATION = st.tuples(
    st.sampled_from(BASE_PATHS),
    st.sampled_from(["replace", "delete", "add"]),
    JSON_VALUES,
    st.one_of(st.text(max_size=8), st.sampled_from(["115", "１１５", "¹¹⁵", "year", "name", "rev_2", "999"])),
)


def mutate(doc: dict[str, Any], path: tuple[Any, ...], how: str, value: Any, new_key: str) -> None:
    if not path:
        if how == "add":
            doc[new_key] = value
        return
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    last = path[-1]
    if how == "replace":
        node[last] = value
    elif how == "delete":
        del node[last]
    elif isinstance(node[last], dict):
        node[last][new_key] = value
    elif isinstance(node[last], list):
        node[last].append(value)
    else:
        node[last] = value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_any_mutation_of_a_valid_document_is_read_or_refused_in_chinese(
    mutations: list[tuple[tuple[Any, ...], str, Any, str]],
) -> None:
    doc = copy.deepcopy(BASE)
    for path, how, value, new_key in mutations:
        try:
            mutate(doc, path, how, value, new_key)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the place
    text = json.dumps(doc, ensure_ascii=False)
    try:
        project = loads(text)
    except InterchangeError as error:
        assert is_chinese(error.reason), error
        assert str(error).startswith("專案檔：")
        return
    # what was read writes back to a document that reads the same
    assert project_to_dict(loads(dumps(project))) == project_to_dict(project)


@settings(max_examples=200, deadline=None)
@given(raw=st.one_of(st.binary(max_size=200), st.text(max_size=200)))
def test_any_bytes_are_read_or_refused_in_chinese(raw: bytes | str) -> None:
    try:
        loads(raw)
    except InterchangeError as error:
        assert is_chinese(error.reason)


@settings(max_examples=200, deadline=None)
@given(document=JSON_VALUES)
def test_any_json_value_is_read_or_refused_in_chinese(document: Any) -> None:
    try:
        project_from_dict(document)
    except InterchangeError as error:
        assert is_chinese(error.reason)


# ---------------------------------------------------------------- the project model


def test_new_year_has_every_scalar_form_and_its_year() -> None:
    project = Project()
    book = project.add_year(115)
    assert isinstance(book, YearBook)
    assert set(book.forms) == set(SCALAR_FORMS)
    assert book.forms["application"] == {"year": "115"}
    assert book.table("roster") is book.roster
    assert book.table("training_report") is book.training_report
    assert project.latest_year() == 115
    with pytest.raises(ValueError, match="115 年度已存在"):
        project.add_year(115)
    assert Project().latest_year() is None


def test_union_name_tax_id_and_type_come_from_the_application() -> None:
    project = load(CORRECTED)
    assert (project.union_name(115), project.tax_id(115), project.union_type(115)) == (
        "00職業工會",
        "12345675",
        "職業工會",
    )
    project.years[115].forms["application"]["union_type"] = ""
    assert project.union_type(115) == "職業工會"  # the default roster layout


def test_session_totals_skip_blank_rows() -> None:
    project = load(CORRECTED)
    sessions = [*project.years[115].training_report, {}, {"name": " "}]
    assert session_totals(sessions) == {"sessions": 4, "hours": 32, "male": 219, "female": 33}


def rolled() -> tuple[Project, YearBook]:
    project = load(CORRECTED)
    return project, project.roll_over(115)


def test_roll_over_starts_the_next_year_from_the_union_data() -> None:
    project, new = rolled()
    assert project.latest_year() == 116
    assert project.years[116] is new
    old_application = project.years[115].forms["application"]
    assert new.forms["application"] == {**old_application, "year": "116"}
    assert old_application["year"] == "115"
    new.forms["application"]["contact"] = "林XX"
    assert old_application["contact"] == "洪XX"  # a copy, not the same record


def test_roll_over_copies_the_roster() -> None:
    project, new = rolled()
    assert new.roster == project.years[115].roster
    assert len(new.roster) == 385
    new.roster[0]["name"] = "改名"
    new.roster.append({"name": "新會員"})
    assert project.years[115].roster[0]["name"] != "改名"
    assert len(project.years[115].roster) == 385


def test_roll_over_carries_the_accumulated_balance_into_the_new_final_accounts() -> None:
    project, new = rolled()
    final = new.forms["final_accounts"]
    # 115's budget drew 563,700 of the accumulated 2,357,031 and left 1,793,331: 116 reports on 115.
    assert final["rev_surplus_drawn"] == "563700"
    assert final["prev_surplus_remaining"] == "1793331"
    accumulated_115 = project.effective(115, "final_accounts").number("accumulated")
    assert int(final["rev_surplus_drawn"]) + int(final["prev_surplus_remaining"]) == accumulated_115 == 2_357_031
    labels = FORMS["final_accounts"]
    assert labels.label("rev_surplus_drawn", 116) == "4、動支截至上一年114年歷年累積結餘款金額"
    assert labels.label("prev_surplus_remaining", 116) == "上一年度114年歷年累積結餘款剩餘數"


def test_roll_over_keeps_the_interest_choice() -> None:
    project = load(CORRECTED)
    project.years[115].forms["final_accounts"]["interest_use"] = "A"
    assert project.roll_over(115).forms["final_accounts"]["interest_use"] == "A"


def test_roll_over_leaves_blank_what_was_blank() -> None:
    project = Project()
    project.add_year(115)
    new = project.roll_over(115)
    assert new.forms["final_accounts"] == {}
    assert new.forms["application"] == {"year": "116"}
    assert new.roster == []
    assert new.ledger == LedgerBook()


def test_roll_over_opens_the_new_ledger_with_the_closing_balances() -> None:
    project = read(small_doc())
    new = project.roll_over(115)
    assert new.ledger is not None
    assert new.ledger.entries == []
    # opening 100,000 + 收 467,000 − 支 8,000; the interest carried in stays 937 (none received or spent)
    assert new.ledger.header["opening_acct1"] == "559000"
    assert new.ledger.header["interest_carried_in"] == "937"


def test_roll_over_does_not_touch_the_old_years_findings() -> None:
    project, _ = rolled()
    assert check_project(project, 115) == []


def test_roll_over_into_an_existing_year_is_refused() -> None:
    project = load(CORRECTED)
    project.add_year(116)
    with pytest.raises(ValueError, match="116 年度已存在"):
        project.roll_over(115)


# ---------------------------------------------------------------- docs/interchange.md


def doc_generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_interchange_doc", DOCS / "make_interchange_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_interchange_doc_is_the_generated_one() -> None:
    generated = doc_generator().render()
    committed = (DOCS / "interchange.md").read_text(encoding="utf-8")
    assert committed == generated, "docs/interchange.md is out of date: run python docs/make_interchange_doc.py"


def test_interchange_doc_lists_every_key_the_reader_accepts() -> None:
    text = (DOCS / "interchange.md").read_text(encoding="utf-8")
    for form_id in SCALAR_FORMS:
        spec = FORMS[form_id]
        for field in (*spec.fields, *spec.extra_fields):
            assert f"| `{field.key}` | {field.label} |" in text
    for form_id in ("roster", "training_report"):
        for field in FORMS[form_id].columns:
            assert f"| `{field.key}` | {field.label} |" in text
    assert f"version {FORMAT_VERSION}" in text


def test_an_empty_file_is_called_empty(tmp_path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"  \n")
    with pytest.raises(InterchangeError, match="檔案是空的"):
        load(empty)


def test_the_line_subsidy_round_trips_and_is_left_out_when_unused() -> None:
    from tests.unit.test_line_subsidy import YEAR, repeat_project

    project = repeat_project()
    document = json.loads(dumps(project))
    line = document["years"][str(YEAR)]["line_subsidy"]
    assert line["forms"]["line_application"]["kind"] == "非初次申請"
    assert len(line["tables"]["line_messages"]) == 36
    again = loads(dumps(project))
    assert again.years[YEAR].line_rows == project.years[YEAR].line_rows
    assert again.years[YEAR].forms == project.years[YEAR].forms
    unused = Project()
    unused.add_year(YEAR)
    assert "line_subsidy" not in json.loads(dumps(unused))["years"][str(YEAR)]


def test_line_subsidy_values_are_normalised_and_unknown_keys_refused() -> None:
    document = {
        "format": FORMAT_NAME,
        "version": 2,
        "years": {
            "115": {
                "line_subsidy": {
                    "forms": {"line_application": {"mailed_on": "114/9/15", "target_friends": "２３１０"}},
                    "tables": {"line_fees": [{"month": "114/12", "amount": "4,200"}]},
                }
            }
        },
    }
    book = read(document).years[115]
    assert book.forms["line_application"] == {"mailed_on": "1140915", "target_friends": "2310"}
    assert book.line_rows["line_fees"] == [{"month": "11412", "amount": "4200"}]
    document["years"]["115"]["line_subsidy"]["tables"]["line_fees"][0]["stamp"] = "x"
    with pytest.raises(InterchangeError, match="不認得的欄位"):
        read(document)
