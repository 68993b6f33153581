"""A quarter too large for .xls is refused before any work: no check, no layout, no file (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from treasurer_app.export import layouts
from treasurer_app.export.package import ExportRefused, export_ledger
from treasurer_app.interchange import load
from treasurer_app.ledger.entries import LedgerBook

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ENTRY = {"month": "2", "day": "3", "kind": "支", "code": "1-1", "voucher": "", "memo": "", "amount": "100",
         "category": "分配款", "account": "專戶存款1"}  # fmt: skip


def test_a_quarter_too_large_for_xls_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = load(FIXTURES / "guide_example_corrected.json")
    project.years[115].ledger = LedgerBook({"opening_acct1": "0"}, [dict(ENTRY) for _ in range(65_537)])

    def no_work(*_: object, **__: object) -> None:
        raise AssertionError("worked on a quarter that cannot be exported")

    import treasurer_app.export.package as package

    for module, name in ((package, "check_ledger"), (package, "check_caps"), (layouts, "ledger_grids")):
        monkeypatch.setattr(module, name, no_work)
    monkeypatch.setattr(package, "ledger_grids", no_work)
    with pytest.raises(ExportRefused) as refused:
        export_ledger(project, "115Q1", tmp_path / "out", fmt="xls", pdf=True)
    (finding,) = refused.value.findings
    assert finding.rule == "export.sheet_too_large"
    assert finding.message == "現金收支登記簿：有 65,537 筆分錄，超過 .xls 工作表的上限（65,536 列），請改匯出 .xlsx"
    assert not (tmp_path / "out").exists()
