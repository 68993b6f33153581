"""Project files: `treasurer-app PATH.tap` and 檔案 → 開啟專案檔…, 匯入／匯出交換檔 (.json)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from treasurer_app import cli, store
from treasurer_app.interchange import dumps, load
from treasurer_app.ui.app import create_window_then_open
from treasurer_app.ui.services import load_sample


def sample_store(path: Path) -> Path:
    with store.Store.create(path) as created:
        created.replace_project(load_sample())
    return path


def test_a_tap_file_on_the_command_line_opens_in_the_window(tmp_path: Path, monkeypatch) -> None:
    from treasurer_app.ui import app

    tap = sample_store(tmp_path / "港區工會.tap")
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(app, "run_app", lambda **kwargs: calls.append(kwargs) or 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the window's route installs the crash box: undone after
    assert cli.main([str(tap)]) == 0
    assert calls == [{"project_path": tap}]
    calls.clear()
    assert cli.main([]) == 0  # no argument: the working project, as before
    assert calls == [{}]


def test_a_subcommand_is_never_taken_for_a_file(tmp_path: Path, monkeypatch, capsys) -> None:
    from treasurer_app.ui import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "check").write_text("", encoding="utf-8")  # a file named like the subcommand
    monkeypatch.setattr(app, "run_app", lambda **kwargs: pytest.fail("the window was opened"))
    sample = tmp_path / "sample.json"
    sample.write_text(dumps(load_sample()), encoding="utf-8")
    assert cli.main(["check", str(sample)]) == 0
    assert "0 個錯誤" in capsys.readouterr().out


def test_the_window_opens_the_file_it_was_given_not_the_working_project(themed_app, qtbot, tmp_path: Path) -> None:
    tap = sample_store(tmp_path / "elsewhere" / "港區工會.tap")
    window = create_window_then_open(tmp_path / "data", project_path=tap)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.opened, timeout=5000)
    assert window.document.persistence.location == tap
    assert window.document.project.union_name(115) == "00職業工會"
    assert not (tmp_path / "data" / "union.tap").exists()
    assert "00職業工會 115 年度" in window.windowTitle()


def test_opening_another_file_releases_the_first(window, tmp_path: Path) -> None:
    first = window.document.persistence.location
    other = sample_store(tmp_path / "other.tap")
    assert window.files.open_store(other)
    assert window.document.persistence.location == other
    assert window.year == 115
    assert window.year_box.currentText() == "115 年度"
    with store.Store.open(first):  # writable: the window no longer holds its lock
        pass
    with pytest.raises(store.StoreLocked):
        store.Store.open(other)


def test_a_project_on_a_network_drive_is_said_to_be_kept_in_the_compatible_mode(
    window, tmp_path: Path, monkeypatch
) -> None:
    """Issue 16: detected (forced here: no SMB/NFS mount in the test sandbox), said once on opening."""
    from treasurer_app.netdrive import NETWORK_DRIVE_ENV

    other = sample_store(tmp_path / "other.tap")
    monkeypatch.setenv(NETWORK_DRIVE_ENV, "1")
    assert window.files.open_store(other)
    assert window.statusBar().currentMessage() == f"已開啟工會資料。{store.NETWORK_MODE_NOTE}"
    assert other.read_bytes()[18] == 1  # a rollback journal, not WAL
    window.document.set_value(115, "application", "contact", "林XX")
    monkeypatch.setenv(NETWORK_DRIVE_ENV, "0")
    assert window.files.open_store(tmp_path / "third.tap")  # a local file: nothing to say about it
    assert store.NETWORK_MODE_NOTE not in window.statusBar().currentMessage()
    with store.Store.open(other, read_only=True) as reopened:
        assert reopened.load().years[115].forms["application"]["contact"] == "林XX"


def test_interchange_file_round_trip(window, tmp_path: Path) -> None:
    window.load_project(load_sample())
    window.document.set_value(115, "application", "contact", "洪小姐")
    exported = tmp_path / "union.json"
    assert window.files.write_interchange(exported)
    assert load(exported).years[115].forms["application"]["contact"] == "洪小姐"
    assert "含會員個人資料" in window.statusBar().currentMessage()

    window.document.set_value(115, "application", "contact", "王先生")
    assert window.files.read_interchange(exported)
    assert window.document.value(115, "application", "contact") == "洪小姐"
    assert any("匯入前" in b.label for b in window.document.persistence.backups())  # what it replaced is kept


def test_an_unreadable_interchange_file_is_said_so_and_changes_nothing(window, tmp_path: Path, monkeypatch) -> None:
    window.load_project(load_sample())
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    assert not window.files.read_interchange(broken)
    assert warnings and warnings[0].startswith("無法匯入：") and "JSON 格式錯誤" in warnings[0]
    assert window.document.project.union_name(115) == "00職業工會"
