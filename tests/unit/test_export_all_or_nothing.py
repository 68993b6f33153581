"""All or nothing: a package that fails to write at any file leaves the target folder exactly as it was
(no new file, earlier files unchanged), says so in Chinese naming the file, and leaves no staging folder.
The same for the quarterly ledger, and through the CLI."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
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
    assert printed.startswith("無法匯出：\n  匯出：磁碟空間不足（")  # nothing in the data to correct
    assert printed.rstrip().endswith(f"；{out} 原本不存在，沒有建立，也沒有留下任何檔案"), printed
    assert not out.exists()  # not even the folder: it was made for the export
    out.mkdir()
    monkeypatch.undo()
    fail_at(monkeypatch, 2)
    code, printed, _ = run(capsys, "export-ledger", source, "--quarter", "115Q1", "--out", str(out))
    assert code == EXIT_FINDINGS and printed.startswith("無法匯出現金收支登記簿：\n  匯出：磁碟空間不足（")
    assert printed.rstrip().endswith(f"；{out} 沒有留下任何新檔案，原有的檔案沒有變動"), printed
    assert list(out.iterdir()) == []


class FullTemporaryDisk:
    """A scratch file in a temporary folder whose disk is full: every write is refused (as a file object's
    write() says it, without a file name), buffered bytes included when it is closed."""

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def read(self, size: int = -1) -> bytes:
        return b""

    def close(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_full_temporary_folder_is_named_and_a_new_target_is_not_left_behind(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The .xls writer keeps its rows in the system's temporary folder: when that disk is full the message
    names that folder (not the target, whose disk has room), and the target folders the export made are gone."""
    from treasurer_app.export import xls_rows

    temporary = tmp_path / "temp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setattr(xls_rows.tempfile, "TemporaryFile", FullTemporaryDisk)
    out = tmp_path / "new" / "upload"
    with pytest.raises(ExportRefused) as refused:
        EXPORTS[kind](project, out)
    message = refused.value.findings[0].message
    assert message == (
        f"匯出：磁碟空間不足（暫存資料夾 {temporary}：匯出時在這裡暫放資料）；"
        f"{out} 原本不存在，沒有建立，也沒有留下任何檔案"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meeting.pdf", "method.pdf", "temp"]  # no "new" left


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_full_target_disk_names_the_file_it_refused(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """A writer's write() refused by a full disk says no file name: the message names the file being written."""
    from treasurer_app.export import xls

    def full_disk(self: object, path: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xls._Workbook, "save_to", full_disk)
    out = tmp_path / "upload"
    out.mkdir()
    with pytest.raises(ExportRefused) as refused:
        EXPORTS[kind](project, out)
    message = refused.value.findings[0].message
    assert message.startswith(f"匯出：磁碟空間不足（{out / ''}") and message.endswith(
        ".xls）" + f"；{out} 沒有留下任何新檔案，原有的檔案沒有變動"
    ), message
    assert list(out.iterdir()) == []


def test_a_failure_removes_only_the_folders_the_export_made(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that existed stays, even empty; the folders made for the export go."""
    fail_at(monkeypatch, 1)
    existing = tmp_path / "existing"
    existing.mkdir()
    with pytest.raises(ExportRefused) as refused:
        export_ledger(project, f"{YEAR}Q1", existing, pdf=True)
    assert existing.is_dir() and list(existing.iterdir()) == []
    assert refused.value.findings[0].message.endswith(f"；{existing} 沒有留下任何新檔案，原有的檔案沒有變動")
    deep = existing / "a" / "b" / "c"
    monkeypatch.undo()
    fail_at(monkeypatch, 1)
    with pytest.raises(ExportRefused):
        export_ledger(project, f"{YEAR}Q1", deep, pdf=True)
    assert list(existing.iterdir()) == []


def test_a_temporary_file_failing_with_its_own_name_is_the_temporary_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows a file made in the temporary folder fails with the file's name (…\\Temp\\tmpab12cd), on Linux
    with the folder's: both are said as the temporary folder."""
    from treasurer_app.export.atomic import failure_text, in_temporary_folder, temporary_folder_named

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for name in (str(tmp_path / "tmpab12cd"), str(tmp_path), None):
        with pytest.raises(OSError) as failed, temporary_folder_named():
            raise OSError(errno.EACCES, "Permission denied", name)
        assert in_temporary_folder(failed.value), name
        assert f"（暫存資料夾 {tmp_path}：" in failure_text(failed.value)
    with pytest.raises(OSError) as failed, temporary_folder_named():
        raise OSError(errno.EACCES, "Permission denied", str(tmp_path / "sub" / "file"))
    assert not in_temporary_folder(failed.value)


def test_a_made_folder_that_cannot_be_removed_is_said_to_be_left(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer holding the new folder open: it stays (empty), and the message does not say it was not made."""
    fail_at(monkeypatch, 1)
    out = tmp_path / "new"
    real_rmdir = Path.rmdir

    def held_open(folder: Path) -> None:
        if folder == out:
            raise PermissionError(errno.EACCES, "in use", str(folder))
        real_rmdir(folder)

    monkeypatch.setattr(Path, "rmdir", held_open)
    with pytest.raises(ExportRefused) as refused:
        export_ledger(project, f"{YEAR}Q1", out, pdf=True)
    assert out.is_dir() and list(out.iterdir()) == []
    assert refused.value.findings[0].message.endswith(
        f"；{out} 原本不存在，匯出時建立的這個資料夾無法移除，但裡面沒有留下任何檔案"
    )
