"""The LINE subsidy's papers: the attachments declared once, their facts, the files of each stage."""

from __future__ import annotations

import errno
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.unit.test_line_subsidy import YEAR, repeat_project
from treasurer_app.export import pdf_package
from treasurer_app.export.atomic import PackageFailed, write_reason
from treasurer_app.export.grid import Grid, Style
from treasurer_app.line_subsidy import documents as line_documents
from treasurer_app.project import Project

ISSUED = date(2026, 11, 5)


def union_project() -> Project:
    project = repeat_project()
    project.years[YEAR].forms["application"].update(
        {
            "tax_id": "12345675",
            "founded": "0840301",
            "address": "202基隆市中正區中正路1號",
            "leader": "陳大文理事長",
            "account_name": "基隆港碼頭裝卸職業工會",
            "bank_account": "臺灣銀行基隆分行 123456789012",
        }
    )
    project.years[YEAR].roster.extend({"name": f"會員{i}"} for i in range(3))
    project.years[YEAR].line_rows["line_other_subsidies"].append({"agency": "基隆市政府", "amount": "6000"})
    return project


def test_each_attachment_is_declared_once_and_every_item_has_a_fact() -> None:
    keys = [a.key for a in line_documents.ATTACHMENTS]
    assert len(keys) == len(set(keys))
    known = line_documents.facts(union_project(), YEAR)
    for attachment in line_documents.ATTACHMENTS:
        assert all(item.fact in known for item in attachment.items), attachment.key
    assert [a.number for a in line_documents.ATTACHMENTS if a.number] == ["附件一", "附件二", "附件三", "附件四"]


def test_the_receipt_says_the_claim_in_capital_numerals_with_the_four_seals() -> None:
    grid = line_documents.attachment_grid(
        next(a for a in line_documents.ATTACHMENTS if a.key == "3_receipt"), union_project(), YEAR
    )
    cells = grid.by_key()
    assert cells["claim_capital"].value == "新臺幣肆萬肆仟肆佰元整"  # 12 × 4,200 − 6,000
    assert cells["union_name"].value == "基隆港碼頭裝卸職業工會"
    assert cells["bank_account"].value == "臺灣銀行基隆分行 123456789012"
    assert grid.signatures == ("工會印信", "負責人", "會計", "出納")


def test_the_union_status_reuses_the_roster_and_union_data() -> None:
    values = line_documents.facts(union_project(), YEAR)
    assert values["member_count"] == "3 人（會員名冊）"
    assert values["founded"] == "84年3月1日"
    assert values["balance"] == "300,000 元"


def test_the_repeat_application_lists_the_last_approval_and_the_friends_proof(tmp_path: Path) -> None:
    titles = [e.title for e in line_documents.enclosures(union_project(), YEAR, line_documents.APPLICATION, tmp_path)]
    assert any("核准函影本（四(二)5(1)）" in t for t in titles)
    assert any("二千人以上之證明文件" in t for t in titles)
    first = union_project()
    first.years[YEAR].forms["line_application"]["kind"] = "初次申請"
    assert not any(
        "四(二)5" in e.title for e in line_documents.enclosures(first, YEAR, line_documents.APPLICATION, tmp_path)
    )


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("application", ["1_plan", "2_union_status", "all", "cover_letter", "checklist"]),
        ("claim", ["3_receipt", "4_results", "5_messages", "all", "cover_letter", "checklist"]),
    ],
)
def test_each_stage_writes_its_files_named_by_year_and_tax_id(tmp_path: Path, stage: str, expected: list[str]) -> None:
    written = line_documents.write_line_documents(union_project(), YEAR, tmp_path, stage, issued=ISSUED)
    assert [p.name for p in written] == [f"115_12345675_line_{stage}_{part}.pdf" for part in expected]
    assert all(p.read_bytes().startswith(b"%PDF") for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)  # no temporary left


@pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"), reason="poppler-utils")
def test_the_receipt_pdf_holds_the_amount_and_embeds_its_font(tmp_path: Path) -> None:
    line_documents.write_line_documents(union_project(), YEAR, tmp_path, line_documents.CLAIM, issued=ISSUED)
    receipt = tmp_path / "115_12345675_line_claim_3_receipt.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(receipt), "-"], capture_output=True, text=True).stdout
    assert "新臺幣肆萬肆仟肆佰元整" in text and "出納" in text
    fonts = subprocess.run(["pdffonts", str(receipt)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)  # emb column


def test_the_claim_letter_and_checklist_name_every_document_of_nine_two(tmp_path: Path) -> None:
    items = line_documents.enclosures(union_project(), YEAR, line_documents.CLAIM, tmp_path)
    assert [t for t in (e.title for e in items) if "九(二)" in t] == [e.title for e in items]
    assert len(items) == 5
    letter = line_documents.cover_letter_grid(union_project(), YEAR, line_documents.CLAIM, items, ISSUED)
    assert any("44,400" in str(c.value) for c in letter.cells)


def foot(grid: Grid) -> list[tuple[int, int, object, Style, int]]:
    """The letter's cells from 正本 on, rows counted from it."""
    [first] = [c.row for c in grid.cells if str(c.value).startswith("正本：")]
    return [(c.row - first, c.col, c.value, c.style, c.colspan) for c in grid.cells if c.row >= first]


def test_both_cover_letters_are_signed_by_the_one_foot_of_a_letter(tmp_path: Path) -> None:
    """The LINE letter and the port-fund letter end alike (pdf_package.sign_letter): 正本, 副本, and the union with
    its leader beside a box for the union's seal and one for the leader's, whatever the leader's title."""
    project = union_project()
    project.years[YEAR].forms["application"]["leader"] = "王大明常務理事"
    items = line_documents.enclosures(project, YEAR, line_documents.CLAIM, tmp_path)
    line_letter = line_documents.cover_letter_grid(project, YEAR, line_documents.CLAIM, items, ISSUED)
    port_letter = pdf_package.cover_letter_grid(project, YEAR, [], ISSUED)
    expected = Grid("函", "", list(port_letter.col_widths))
    pdf_package.sign_letter(expected, 0, line_documents.MINISTRY, project.union_name(YEAR), "王大明常務理事")
    assert foot(line_letter) == foot(expected)
    assert [cell[1:] for cell in foot(expected)] == [
        (0, f"正本：{line_documents.MINISTRY}", Style.NOTE, 6),
        (0, "副本：本會（存查）", Style.NOTE, 6),
        (3, f"{project.union_name(YEAR)}　常務理事　王大明", Style.NOTE, 1),
        (4, "本會印信", Style.SIGNATURE, 1),
        (5, "常務理事簽章", Style.SIGNATURE, 1),
    ]
    authority = pdf_package.local_authority(project, YEAR) or pdf_package.BLANK_FILL
    assert foot(port_letter) == [
        (row, col, f"正本：{authority}" if value == f"正本：{line_documents.MINISTRY}" else value, style, span)
        for row, col, value, style, span in foot(expected)
    ]


def test_the_receipt_takes_the_payee_account_when_one_is_given() -> None:
    project = union_project()
    project.years[YEAR].forms["line_approval"].update(
        {"payee_account_name": "基隆港碼頭裝卸職業工會", "payee_bank_account": "基隆第一信用合作社 0012345678"}
    )
    values = line_documents.facts(project, YEAR)
    assert values["bank_account"] == "基隆第一信用合作社 0012345678"


def refusing_the_fourth_file(monkeypatch: pytest.MonkeyPatch) -> None:
    real, calls = line_documents._write, []

    def write(pages, path: Path, *args):  # type: ignore[no-untyped-def]
        calls.append(path)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(pages, path, *args)

    monkeypatch.setattr(line_documents, "_write", write)


def test_a_disk_refusing_one_file_leaves_the_folder_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All or nothing, as the port fund's package: no new file, and last time's receipt not replaced."""
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "115_12345675_line_claim_3_receipt.pdf"
    earlier.write_bytes(b"last week's receipt")
    refusing_the_fourth_file(monkeypatch)
    with pytest.raises(PackageFailed) as failure:
        line_documents.write_line_documents(union_project(), YEAR, out, line_documents.CLAIM, issued=ISSUED)
    assert write_reason(failure.value) == "磁碟空間不足"
    assert [p.name for p in out.iterdir()] == [earlier.name]
    assert earlier.read_bytes() == b"last week's receipt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left behind


def test_the_papers_are_dated_as_the_stage_was_mailed(tmp_path: Path) -> None:
    project = union_project()
    assert line_documents.stage_date(project, YEAR, line_documents.APPLICATION) == date(
        2025, 9, 15
    )  # mailed_on 1140915
    assert line_documents.stage_date(project, YEAR, line_documents.CLAIM) == date(2026, 11, 5)  # claimed_on 1151105
    project.years[YEAR].forms["line_approval"]["claimed_on"] = ""
    assert line_documents.stage_date(project, YEAR, line_documents.CLAIM) is None
