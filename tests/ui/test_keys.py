"""The encryption key: a PC without a credential store, and moving a union to a new PC (匯出／匯入金鑰)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QMessageBox

from tests.memory_keyring import MemoryKeyring
from treasurer_app import privacy
from treasurer_app.ui.app import create_window_then_open
from treasurer_app.ui.key_actions import NO_OS_STORE_TEXT
from treasurer_app.ui.services import load_sample

PASSPHRASE = "港區工會 2026 復原"


def opened_window(qtbot, folder: Path):
    window = create_window_then_open(folder)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.opened or not window.isVisible(), timeout=10000)
    return window


def backup_menu_texts(window) -> list[str]:
    window.fill_backup_menu()
    return [a.text() for a in window.backup_menu.actions() if a.text()]


@pytest.fixture
def quiet_boxes(monkeypatch) -> list[str]:
    said: list[str] = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda parent, title, text, *_, s=said: s.append(text))
    return said


def test_without_a_credential_store_the_app_works_and_says_where_the_key_is(themed_app, qtbot, tmp_path) -> None:
    keyring.set_keyring(fail.Keyring())  # Linux without a desktop session
    assert not privacy.os_store_available()
    window = opened_window(qtbot, tmp_path / "data")
    assert window.opened and not window.read_only
    assert window.statusBar().currentMessage().startswith(NO_OS_STORE_TEXT)
    assert NO_OS_STORE_TEXT in backup_menu_texts(window)
    assert window.load_project(load_sample())
    assert window.document.project.years[115].roster[0]["name"]
    key_files = list(Path(os.environ["TREASURER_APP_KEY_DIR"]).glob("*.key"))
    assert len(key_files) == 1
    if sys.platform != "win32":
        assert key_files[0].stat().st_mode & 0o077 == 0  # the user's only


def test_with_a_credential_store_nothing_is_said_about_it(window) -> None:
    texts = backup_menu_texts(window)
    assert NO_OS_STORE_TEXT not in texts
    assert "匯出金鑰…" in texts and "匯入金鑰…" in texts


def test_moving_to_a_new_pc_export_then_import_the_key(themed_app, qtbot, tmp_path, monkeypatch, quiet_boxes) -> None:
    old_pc = opened_window(qtbot, tmp_path / "data")
    old_pc.load_project(load_sample())
    member = old_pc.document.project.years[115].roster[0]["name"]
    key_backup = tmp_path / "union.key"
    assert old_pc.keys.write_key(key_backup, PASSPHRASE)
    assert key_backup.read_text(encoding="utf-8").startswith("# 工會福利專款助手")
    if sys.platform != "win32":
        assert key_backup.stat().st_mode & 0o077 == 0
    old_pc.close()

    keyring.set_keyring(MemoryKeyring())  # the new PC: the project file came along, its key did not
    monkeypatch.setenv("TREASURER_APP_KEY_DIR", str(tmp_path / "new-pc-keys"))
    asked: list[str] = []
    new_pc = create_window_then_open(tmp_path / "data")
    qtbot.addWidget(new_pc)
    monkeypatch.setattr(new_pc.files, "ask_how_to_open", lambda error: asked.append(str(error)) or "import_key")
    attempts = iter(["wrong passphrase", PASSPHRASE])
    monkeypatch.setattr(new_pc.keys, "import_key", lambda: new_pc.keys.read_key(key_backup, next(attempts)))
    new_pc.show()
    qtbot.waitUntil(lambda: new_pc.opened, timeout=10000)
    assert "找不到此專案的加密金鑰" in asked[0]
    assert quiet_boxes[-1].startswith("匯入金鑰失敗：復原密語：不正確")
    assert new_pc.read_only  # the wrong passphrase: read-only, the personal data still sealed
    assert new_pc.document.project.years[115].roster[0]["name"] == privacy.LOCKED_TEXT

    assert new_pc.keys.import_key()  # the right passphrase this time (備份 → 匯入金鑰…)
    assert not new_pc.read_only and not new_pc.document.read_only
    assert new_pc.document.project.years[115].roster[0]["name"] == member
    new_pc.document.set_value(115, "application", "contact", "洪小姐")
    assert new_pc.document.value(115, "application", "contact") == "洪小姐"


def test_backup_and_key_actions_wait_for_the_file_to_be_open(themed_app, qtbot, tmp_path, quiet_boxes) -> None:
    """Before the project file is open (a stand-in persistence): 立即備份, 匯出金鑰 and 匯入金鑰 each say so once."""
    from treasurer_app.editing.persistence import PendingPersistence
    from treasurer_app.project import Project
    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.main_window import MainWindow
    from treasurer_app.ui.shell import STILL_OPENING

    window = MainWindow(ProjectDocument(Project(), PendingPersistence()))
    qtbot.addWidget(window)
    key_file = tmp_path / "union.key"
    key_file.write_text("not read", encoding="utf-8")
    assert not window.backups.backup_now()
    assert not window.keys.write_key(tmp_path / "out.key", PASSPHRASE)
    assert not window.keys.read_key(key_file, PASSPHRASE)
    assert quiet_boxes == [STILL_OPENING] * 3
    assert not (tmp_path / "out.key").exists()
