"""The 匯出與列印 page on a disk that fills up midway: the folder is left as it was, and the page says so."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.pdf_samples import one_page_pdf
from tests.unit.test_export_all_or_nothing import fail_at, snapshot
from treasurer_app.ui.services import load_sample


def test_a_package_that_fails_midway_leaves_the_folder_unchanged_and_says_so(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.load_project(load_sample())
    window.show_step("export")
    page = window.page("export")
    for kind in ("meeting", "method"):
        pdf = tmp_path / f"{kind}.pdf"
        pdf.write_bytes(one_page_pdf(kind))
        page.pick_attachment(kind, str(pdf))
    window.checker.run_now()
    out = tmp_path / "out"
    out.mkdir()
    (out / "去年的申請檔.xls").write_bytes(b"last year")
    before = snapshot(out)
    page.folder_line.setText(str(out))
    page.pdf_box.setChecked(True)

    with monkeypatch.context() as patch:
        fail_at(patch, 12)  # the 12th file written or moved finds the disk full
        assert not page.export_application()
    text = page.result.text()
    assert text.startswith("無法匯出：\n・匯出：磁碟空間不足（"), text
    assert "請先更正" not in text  # nothing in the data to correct
    assert f"{out} 沒有留下任何新檔案，原有的檔案沒有變動" in text
    assert snapshot(out) == before

    assert page.export_application()  # space again: the whole package
    assert len(snapshot(out)) > 12


def test_the_quarterly_ledger_on_a_full_temporary_disk_names_that_folder(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .xls writer's scratch file is in the system's temporary folder: the window names it, and the new
    target folder is not left behind."""
    from tests.unit.test_export_all_or_nothing import FullTemporaryDisk
    from treasurer_app.export import xls_rows

    window.load_project(load_sample())
    window.show_step("export")
    page = window.page("export")
    temporary = tmp_path / "temp"
    temporary.mkdir()
    out = tmp_path / "季報"
    page.folder_line.setText(str(out))
    with monkeypatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(temporary))
        patch.setattr(xls_rows.tempfile, "TemporaryFile", FullTemporaryDisk)
        assert not page.export_ledger()
    text = page.ledger_result.text()
    assert text == (
        f"無法匯出季報：\n・匯出：磁碟空間不足（暫存資料夾 {temporary}：匯出時在這裡暫放資料）；"
        f"{out} 原本不存在，沒有建立，也沒有留下任何檔案"
    )
    assert not out.exists()
    assert page.export_ledger()  # space again
    assert out.is_dir()
