"""All or nothing: a package that fails to write at any file leaves the target folder exactly as it was
(no new file, earlier files unchanged), says so in Chinese naming the file, and leaves no staging folder.
The same for the quarterly ledger, and through the CLI."""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pdf_samples import one_page_pdf
from tests.unit.test_export_odd_projects import CORRECTED, ENTRY, YEAR
from treasurer_app import interchange
from treasurer_app.export.package import ExportRefused, export_application, export_ledger
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = interchange.load(CORRECTED)
    book = project.years[YEAR]
    for kind in ("meeting", "method"):
        attachment = tmp_path / f"{kind}.pdf"
        attachment.write_bytes(one_page_pdf(kind))
        book.attachments[kind] = str(attachment)
    book.ledger = LedgerBook({"opening_acct1": "1000"}, [dict(ENTRY)])
    return project


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def count_renames(monkeypatch: pytest.MonkeyPatch, run: Callable[[], object]) -> int:
    """How many os.replace calls a successful run makes (every file written, then every file moved in)."""
    calls = 0
    real = os.replace

    def counting(source: object, target: object) -> None:
        nonlocal calls
        calls += 1
        real(source, target)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", counting)
        run()
    return calls


def fail_at(monkeypatch: pytest.MonkeyPatch, failing: int) -> None:
    """The ``failing``-th os.replace finds the disk full (a file written, or one moved into the target)."""
    calls = 0
    real = os.replace

    def full_disk(source: object, target: object) -> None:
        nonlocal calls
        calls += 1
        if calls == failing:
            raise OSError(errno.ENOSPC, "No space left on device", str(source))
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", full_disk)


EXPORTS: dict[str, Callable[[Project, Path], object]] = {
    "export": lambda project, out: export_application(project, YEAR, out, pdf=True),
    "export-ledger": lambda project, out: export_ledger(project, f"{YEAR}Q1", out, pdf=True),
}


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_failure_at_any_file_leaves_the_target_as_it_was(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    export = EXPORTS[kind]
    out = tmp_path / "upload"
    out.mkdir()
    (out / "notes.txt").write_text("the treasurer's own file", encoding="utf-8")
    renames = count_renames(monkeypatch, lambda: export(project, tmp_path / "first"))
    files_written = len(list((tmp_path / "first").iterdir()))
    assert renames == 2 * files_written  # each file written under a temporary name, then moved in
    if kind == "export":
        assert files_written >= 12  # the 12th file of the issue exists
    before = snapshot(out)

    for failing in sorted({1, min(12, renames), files_written, files_written + 1, renames}):
        with monkeypatch.context() as patch:
            fail_at(patch, failing)
            with pytest.raises(ExportRefused) as refused:
                export(project, out)
        message = refused.value.findings[0].message
        assert message.startswith("匯出：磁碟空間不足（"), message
        assert f"{out} 沒有留下任何新檔案，原有的檔案沒有變動" in message
        assert str(out / "") in message and ".writing-" not in message and ".tmp" not in message  # names the file
        assert snapshot(out) == before, failing
        assert [p.name for p in tmp_path.iterdir() if ".writing-" in p.name] == []


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_failure_while_moving_in_puts_back_the_files_it_replaced(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    export = EXPORTS[kind]
    out = tmp_path / "upload"
    export(project, out)  # last month's package
    for file in out.iterdir():
        file.write_bytes(b"last month: " + file.read_bytes()[:100])
    before = snapshot(out)
    renames = count_renames(monkeypatch, lambda: export(project, tmp_path / "again"))
    moving = renames // 2  # the writes come first, then the moves (each replacing an old file: two renames)
    for failing in (moving + 1, moving + 4, moving + 2 * moving):
        with monkeypatch.context() as patch:
            fail_at(patch, failing)
            with pytest.raises(ExportRefused):
                export(project, out)
        assert snapshot(out) == before, failing


def test_the_cli_says_the_target_was_left_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.unit.test_cli import EXIT_FINDINGS, exportable, run

    source = str(exportable(tmp_path))
    out = tmp_path / "out"
    fail_at(monkeypatch, 3)
    code, printed, _ = run(capsys, "export", source, "--out", str(out), "--pdf")
    assert code == EXIT_FINDINGS
    assert "磁碟空間不足" in printed and "沒有留下任何新檔案" in printed
    assert list(out.iterdir()) == []
    monkeypatch.undo()
    fail_at(monkeypatch, 2)
    code, printed, _ = run(capsys, "export-ledger", source, "--quarter", "115Q1", "--out", str(out))
    assert code == EXIT_FINDINGS and "沒有留下任何新檔案" in printed
    assert list(out.iterdir()) == []
