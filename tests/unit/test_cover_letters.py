"""A cover letter (函) prints its heading once: its first line, the union's name and 函, centred above the
letterhead. The band the sheets carry on top (the document's title, the year) printed that heading a second
time above it; a letter goes without it, and keeps its page numbers below. The sheets and checklists keep it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_line_documents import ISSUED as LINE_ISSUED
from tests.unit.test_line_documents import union_project
from tests.unit.test_pdf import CORRECTED, ISSUED, YEAR, needs_poppler, pdftotext, squeeze
from treasurer_app.export import pdf_package
from treasurer_app.export.layouts import application_grids
from treasurer_app.interchange import load
from treasurer_app.line_subsidy import documents as line_documents


@pytest.fixture(scope="module")
def port_fund(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    project = load(CORRECTED)
    out = tmp_path_factory.mktemp("package")
    written = pdf_package.write_pdf_package(project, YEAR, out, application_grids(project, YEAR), issued=ISSUED)
    return {path.name.split("_", 2)[2]: squeeze(pdftotext(path)) for path in written}


@needs_poppler
def test_the_port_fund_letter_prints_its_heading_once(port_fund: dict[str, str]) -> None:
    letter = port_fund["cover_letter.pdf"]
    assert letter.startswith("00職業工會函地址：")  # the heading first and once, then the letterhead
    assert "年度申請資料" not in letter  # nor the band's year
    assert letter.endswith("第1頁／共1頁")  # the page number kept
    checklist = port_fund["checklist.pdf"]
    assert checklist.startswith("00職業工會115年度商港服務費福利專款申請資料檢核表115年度申請資料")  # its band, kept


@needs_poppler
@pytest.mark.parametrize("stage", [line_documents.APPLICATION, line_documents.CLAIM])
def test_the_line_subsidy_letters_print_their_heading_once(tmp_path: Path, stage: str) -> None:
    project = union_project()
    written = line_documents.write_line_documents(project, YEAR, tmp_path, stage, issued=LINE_ISSUED)
    letter = squeeze(pdftotext(next(p for p in written if p.name.endswith("_cover_letter.pdf"))))
    heading = f"{project.union_name(YEAR)}函"
    assert letter.startswith(heading + "地址：")  # the heading first and once, then the letterhead
    assert "LINE補助" not in letter.split("主旨")[0]  # the band's label is gone from above the letter
