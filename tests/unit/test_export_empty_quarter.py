"""A quarter without entries is handed in all the same (the ledger is due every quarter), but the export says
so, in the report and to whoever exported it: the file then holds only earlier quarters, or the balances."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_export_odd_projects import CORRECTED, ENTRY, YEAR
from treasurer_app import interchange
from treasurer_app.export.package import export_ledger
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project


def with_entries(*months: str) -> Project:
    project = interchange.load(CORRECTED)
    entries = [dict(ENTRY, month=month, voucher=f"A{n}") for n, month in enumerate(months, 1)]
    project.years[YEAR].ledger = LedgerBook({"opening_acct1": "1000"}, entries)
    return project


@pytest.mark.parametrize(
    ("months", "quarter", "notes"),
    [
        (("1", "3"), 1, []),
        (("1", "4"), 2, []),  # the last entry in the quarter
        (("5", "6"), 2, []),
        (("1", "3"), 2, ["115 年第 2 季（4–6 月）沒有分錄：匯出的登記簿只有之前各季（到 3 月為止）的 2 筆分錄。"]),
        (("2",), 4, ["115 年第 4 季（10–12 月）沒有分錄：匯出的登記簿只有之前各季（到 9 月為止）的 1 筆分錄。"]),
        ((), 1, ["115 年第 1 季（1–3 月）沒有分錄，全年到 3 月也沒有：匯出的登記簿只有上年度結存。"]),
        (("7",), 1, ["115 年第 1 季（1–3 月）沒有分錄，全年到 3 月也沒有：匯出的登記簿只有上年度結存。"]),
    ],
)
def test_an_empty_quarter_is_said(tmp_path: Path, months: tuple[str, ...], quarter: int, notes: list[str]) -> None:
    report = export_ledger(with_entries(*months), f"{YEAR}Q{quarter}", tmp_path / "out")
    assert report.notes == notes
    page = report.report_path.read_text(encoding="utf-8")
    assert all(f"<p>{note}</p>" in page for note in notes)
    assert ("沒有分錄" in page) == bool(notes)


def test_the_cli_says_the_quarter_is_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.unit.test_cli import EXIT_OK, exportable, run

    source = str(exportable(tmp_path))  # one entry, in January
    code, printed, _ = run(capsys, "export-ledger", source, "--quarter", "115Q2", "--out", str(tmp_path / "out"))
    assert code == EXIT_OK
    lines = printed.splitlines()
    assert lines[0] == "注意：115 年第 2 季（4–6 月）沒有分錄：匯出的登記簿只有之前各季（到 3 月為止）的 1 筆分錄。"
    assert lines[1].startswith("已寫入 ") and lines[1].endswith("位元組）")
    code, printed, _ = run(capsys, "export-ledger", source, "--quarter", "115Q1", "--out", str(tmp_path / "out"))
    assert code == EXIT_OK and "注意" not in printed
