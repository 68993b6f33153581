"""Values that reach the project from a file are normalised exactly as typed values are (issue 11).

Every reader — the interchange .json, the project store, an imported workbook — passes what it
read through the field types, so that the rules, the editor and the exporters see one spelling:
「１２３４５６７５」 is 12345675, 「067/01/27」 is 0670127. Digits other than 0–9 (half- or full-width)
are an error naming the field, never a number; no file makes the CLI print a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.pdf_samples import one_page_pdf
from tests.store_support import raw_connection
from treasurer_app import interchange
from treasurer_app.cli import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, main
from treasurer_app.export.importer import import_workbook
from treasurer_app.forms import FORMS
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.normalise import normalise_project
from treasurer_app.privacy import LOCKED_TEXT
from treasurer_app.project import Project, YearBook
from treasurer_app.rules import check_project
from treasurer_app.store import NORMALISED_KEY, Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORRECTED = FIXTURES / "guide_example_corrected.json"
REPO = Path(__file__).resolve().parents[2]
YEAR = 115

# As another program, an older version or an IME in full-width mode wrote them → as typing stores them.
APPLICATION_AS_WRITTEN = {
    "tax_id": ("１２３４５６７５", "12345675"),
    "founded": ("067/01/27", "0670127"),
    "phone": ("０４－１２３４５６７８", "04-12345678"),
    "fax": (" 04-12345678\u3000", "04-12345678"),
    "contact_email": ("\u3000test@gmail.com\u3000", "test@gmail.com"),
    "member_count": ("３８５", "385"),
    "union_type": (" 職業工會 ", "職業工會"),
}
MEMBER_AS_WRITTEN = {"national_id": ("b200010000", "B200010000"), "birth_date": ("60/11/08", "0601108")}
ENTRY_AS_WRITTEN = {
    "month": "０１", "day": "５", "kind": "收", "code": "1", "voucher": " R1 ", "memo": "",
    "amount": "３３８,０３７", "category": "分配款", "account": "專戶存款１",
}  # fmt: skip
ENTRY_AS_TYPED = {
    "month": "1", "day": "5", "kind": "收", "code": "1", "voucher": "R1", "memo": "",
    "amount": "338037", "category": "分配款", "account": "專戶存款1",
}  # fmt: skip


def written_document() -> dict[str, Any]:
    """The guide's corrected example as another program wrote it, with a ledger for the year before."""
    doc = json.loads(CORRECTED.read_text(encoding="utf-8"))
    year = doc["years"][str(YEAR)]
    year["forms"]["application"].update({key: written for key, (written, _) in APPLICATION_AS_WRITTEN.items()})
    year["roster"][0].update({key: written for key, (written, _) in MEMBER_AS_WRITTEN.items()})
    year["ledger"] = {"header": {"opening_acct1": "１,５００,０００"}, "entries": [dict(ENTRY_AS_WRITTEN)]}
    return doc


def assert_as_typed(project: Project) -> None:
    book = project.years[YEAR]
    for key, (_, typed) in APPLICATION_AS_WRITTEN.items():
        assert book.forms["application"][key] == typed, key
    for key, (_, typed) in MEMBER_AS_WRITTEN.items():
        assert book.roster[0][key] == typed, key
    assert book.ledger is not None
    assert book.ledger.header == {"opening_acct1": "1500000"}
    assert book.ledger.entries == [ENTRY_AS_TYPED]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def write(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def attachments(tmp_path: Path) -> list[str]:
    arguments = []
    for kind in ("meeting", "method"):
        (tmp_path / f"{kind}.pdf").write_bytes(one_page_pdf(kind))
        arguments += [f"--{kind}", str(tmp_path / f"{kind}.pdf")]
    return arguments


# ---------------------------------------------------------------- the interchange file


def test_an_interchange_file_is_read_as_if_its_values_had_been_typed() -> None:
    project = interchange.loads(json.dumps(written_document(), ensure_ascii=False))
    assert_as_typed(project)
    assert not [f for f in check_project(project, YEAR) if f.is_error]


def test_normalising_twice_changes_nothing() -> None:
    project = interchange.loads(json.dumps(written_document(), ensure_ascii=False))
    before = interchange.project_to_dict(project)
    assert interchange.project_to_dict(normalise_project(project)) == before


def test_equal_texts_read_from_a_file_share_one_object() -> None:
    """A year's ledger repeats its 字, 動支類別 and 動支帳戶 thousands of times: each text is kept once."""
    entries = json.loads(json.dumps([{"kind": "支", "account": "專戶存款1", "amount": "100"}] * 3, ensure_ascii=False))
    assert entries[0]["kind"] is not entries[1]["kind"]  # as a JSON reader makes them: one object per value
    project = Project({115: YearBook(115, ledger=LedgerBook({}, entries))})
    normalise_project(project)
    for key in ("kind", "account", "amount"):
        assert entries[0][key] is entries[1][key] is entries[2][key], key
    assert entries[0] == {"kind": "支", "account": "專戶存款1", "amount": "100"}


def test_export_of_a_full_width_tax_id_writes_the_half_width_file_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """It used to pass `check` and then crash `export` with a traceback in names._tax_id."""
    source = write(tmp_path / "written.json", written_document())
    assert run(capsys, "check", str(source))[0] == EXIT_OK
    out = tmp_path / "out"
    code, printed, err = run(capsys, "export", str(source), "--out", str(out), *attachments(tmp_path))
    assert (code, err) == (EXIT_OK, "")
    assert (out / "115_12345675_application.xls").is_file()
    assert "已寫入" in printed


def test_export_ledger_of_a_full_width_tax_id_writes_the_half_width_file_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = written_document()
    year = doc["years"][str(YEAR)]
    year["ledger"]["header"] = {"opening_acct1": "0", "opening_acct2": "0", "opening_fixed": "0", "opening_petty": "0"}
    source = write(tmp_path / "written.json", doc)
    code, _, err = run(capsys, "export-ledger", str(source), "--quarter", "115Q1", "--out", str(tmp_path / "q"))
    assert (code, err) == (EXIT_OK, "")
    assert (tmp_path / "q" / "11503_12345675_accounting.xls").is_file()


@pytest.mark.parametrize("command", ["export", "export-ledger"])
def test_an_invalid_tax_id_in_a_file_is_refused_in_chinese_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    doc = written_document()
    doc["years"][str(YEAR)]["forms"]["application"]["tax_id"] = "１２３４５６７８"  # checksum wrong
    source = write(tmp_path / "written.json", doc)
    assert run(capsys, "check", str(source))[0] == EXIT_FINDINGS
    extra = ["--quarter", "115Q1"] if command == "export-ledger" else attachments(tmp_path)
    code, printed, _ = run(capsys, command, str(source), "--out", str(tmp_path / "out"), *extra)
    assert code == EXIT_FINDINGS
    assert "統一編號：檢查碼不符（12345678）" in printed
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.xls"))


NUMERIC_FIELDS = [
    ("application", "member_count"),
    ("application", "year"),
    ("final_accounts", "rev_allocation"),
    ("budget", "rev_1"),
]


@pytest.mark.parametrize("written", ["²", "10²", "①", "٣٨٥", "𝟑"])
@pytest.mark.parametrize(("form_id", "key"), NUMERIC_FIELDS)
def test_digits_other_than_0_to_9_in_a_file_are_errors_naming_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, form_id: str, key: str, written: str
) -> None:
    """Money, count and year: 「10²」 used to be read as 102 and「①」as 1."""
    doc = written_document()
    doc["years"][str(YEAR)]["forms"][form_id][key] = written
    source = write(tmp_path / "written.json", doc)
    code, printed, err = run(capsys, "check", str(source))
    label = FORMS[form_id].label(key, YEAR)
    assert (code, err) == (EXIT_FINDINGS, "")
    assert f"{label}：「{written[-1] if written != '٣٨٥' else '٣'}」" in printed
    assert "請改用阿拉伯數字 0–9" in printed
    project = interchange.loads(json.dumps(doc, ensure_ascii=False))
    assert project.years[YEAR].forms[form_id][key] == written  # kept as written, for the user to correct


def test_digits_other_than_0_to_9_in_a_ledger_entry_are_errors(tmp_path: Path) -> None:
    doc = written_document()
    doc["years"][str(YEAR)]["ledger"]["entries"][0]["amount"] = "1000²"
    project = interchange.loads(json.dumps(doc, ensure_ascii=False))
    previous = project.years[YEAR]
    assert previous.ledger is not None
    from treasurer_app.ledger.entries import parse_entry
    from treasurer_app.rules.ledger import check_ledger

    assert parse_entry(previous.ledger.entries[0], YEAR) is None  # never 10002
    messages = [f.message for f in check_ledger(previous.ledger, YEAR) if f.is_error]
    assert any("金額：「²」是上標數字" in m for m in messages), messages


def test_a_bank_account_without_an_account_number_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = written_document()
    doc["years"][str(YEAR)]["forms"]["application"]["bank_account"] = "臺灣銀行00港分行甲存戶"
    code, printed, _ = run(capsys, "check", str(write(tmp_path / "written.json", doc)))
    assert code == EXIT_FINDINGS
    assert "行庫別名稱及帳號：缺帳號" in printed


def test_the_cli_reads_a_file_with_such_values_in_a_child_process_without_a_traceback(tmp_path: Path) -> None:
    """The installed command, as the treasurer runs it: exit 1 with Chinese findings on stdout."""
    doc = written_document()
    doc["years"][str(YEAR)]["forms"]["application"]["member_count"] = "38⁵"
    source = write(tmp_path / "written.json", doc)
    done = subprocess.run(
        [sys.executable, "-m", "treasurer_app.cli", "check", str(source)],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, check=False,
    )  # fmt: skip
    assert done.returncode == EXIT_FINDINGS, done.stderr
    assert "會員人數：「⁵」是上標數字，請改用阿拉伯數字 0–9" in done.stdout
    assert "Traceback" not in done.stderr


def test_an_unreadable_file_still_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "check", str(broken))
    assert code == EXIT_UNUSABLE and err.startswith("無法使用：")


# ---------------------------------------------------------------- the project store


def legacy_store(path: Path) -> None:
    """A store an older version wrote: values as the interchange reader used to pass them on, no rules mark."""
    project = interchange.loads(json.dumps(written_document(), ensure_ascii=False))
    with Store.create(path) as created:
        created.replace_project(project)
        year = created.years()[0]
        for key, (written, _) in APPLICATION_AS_WRITTEN.items():
            created.set_value(year, "application", key, written)
        created.set_ledger_header(year, {"opening_acct1": "１,５００,０００"})
        created.set_row(year, "ledger", 0, dict(ENTRY_AS_WRITTEN))
        member = dict(project.years[YEAR].roster[0])
        member.update({key: written for key, (written, _) in MEMBER_AS_WRITTEN.items()})
        created.set_row(year, "roster", 0, member)
    with raw_connection(path) as conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (NORMALISED_KEY,))
    conn.close()


def stored_values(path: Path) -> dict[str, str]:
    conn = raw_connection(path)
    try:
        return dict(conn.execute("SELECT key, value FROM form_values WHERE form_id = 'application'").fetchall())
    finally:
        conn.close()


def test_a_store_written_by_an_older_version_is_read_normalised_and_rewritten_once(tmp_path: Path) -> None:
    path = tmp_path / "union.tap"
    legacy_store(path)
    assert stored_values(path)["tax_id"] == "１２３４５６７５"
    with Store.open(path, read_only=True) as reading:
        assert_as_typed(reading.load())
    assert stored_values(path)["tax_id"] == "１２３４５６７５"  # read-only writes nothing
    with Store.open(path) as writing:
        before = writing.change_seq
        assert_as_typed(writing.load())
        assert writing.change_seq == before + 1  # one edit: the next backup keeps the old spelling's successor
    assert stored_values(path)["tax_id"] == "12345675"
    with Store.open(path) as again:
        seq = again.change_seq
        assert_as_typed(again.load())  # rows decrypted from the rewritten file, sealed values included
        assert again.change_seq == seq  # nothing left to rewrite


def test_a_store_opened_without_its_key_keeps_the_locked_marker(tmp_path: Path) -> None:
    path = tmp_path / "union.tap"
    legacy_store(path)
    with Store.open(path) as opened:
        project_id = opened.project_id
    from treasurer_app import privacy

    privacy.delete_key(project_id)
    with Store.open(path, read_only=True) as reading:
        project = reading.load()
    member = project.years[YEAR].roster[0]
    assert member["national_id"] == LOCKED_TEXT  # not folded to「(已加密)」: the CLI recognises it
    assert project.years[YEAR].forms["application"]["tax_id"] == "12345675"


# ---------------------------------------------------------------- an imported workbook


def test_an_imported_workbook_is_read_as_if_its_values_had_been_typed(tmp_path: Path) -> None:
    """The guide's own layout stacks a session's categories, courses and hours in one cell each:
    hours typed full-width there used to be kept as they were."""
    application, report = FORMS["application"], FORMS["training_report"]
    book = openpyxl.Workbook()
    first = book.active
    first.title = application.sheet_name
    first.append([None, f"00職業工會 {application.sheet_name}"])
    first.append([None, "項　目", "內　容"])
    for label, value in (("申請年度", "１１５"), ("工會名稱", "00職業工會"), ("統一編號", "１２３４５６７５")):
        first.append([None, label, value])
    sheet = book.create_sheet(report.sheet_name)
    sheet.append(["場次", "日期", None, "天數 平日: 0.5 1日: 1 2日: 2", "教育訓練名稱", "地點", "上課方式", "課程類別",
                  "課程名稱", "時數", "場次費用經費", "受益人數", None, "效益"])  # fmt: skip
    sheet.append([None, "第1天", "第2天", None, None, None, None, None, None, None, None, "男", "女"])
    sheet.append([1, "114/7/21", "1140722", "２", "研習會", "嘉義", "☑上課講授", "勞動知能及法令\n港務法規",
                  "勞動基準法重點說明\n工會會議概況", "２ １", "７４,６００", 38, 10, "向心力"])  # fmt: skip
    path = tmp_path / "hand.xlsx"
    book.save(path)

    result = import_workbook(path)
    assert result.year == YEAR
    assert result.book.forms["application"]["tax_id"] == "12345675"
    session = result.book.training_report[0]
    assert (session["day1"], session["days"], session["cost"]) == ("1140721", "2", "74600")
    assert (session["hours_1"], session["hours_2"]) == ("2", "1")


def test_a_ledger_in_memory_is_not_changed_by_reading_twice() -> None:
    book = LedgerBook({}, [dict(ENTRY_AS_TYPED)])
    project = Project()
    project.years[YEAR] = YearBook(YEAR)
    project.years[YEAR].ledger = book
    normalise_project(project)
    assert book.entries == [ENTRY_AS_TYPED]
