"""The 備份 menu's backups: 立即備份 and 還原到 … for each backup the store keeps.

The menu is filled each time it opens (the list changes as the store makes and thins backups); the key's
entries (``ui/key_actions``) follow, added by the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QMessageBox

from treasurer_app.ui.shell import Shell, store_persistence

if TYPE_CHECKING:
    from treasurer_app.editing.persistence import BackupInfo


class BackupActions:
    def __init__(self, shell: Shell) -> None:
        self.shell = shell

    def add_to_menu(self, menu: QMenu) -> None:
        document = self.shell.document
        assert document is not None
        now = menu.addAction("立即備份")
        now.setToolTip("程式會自動備份；要做大幅修改前，也可以先備份一份")
        now.triggered.connect(self.backup_now)
        now.setEnabled(callable(getattr(document.persistence, "backup_now", None)))
        menu.addSeparator()
        try:
            backups = document.persistence.backups()
        except Exception as exc:
            backups = []
            self.shell.statusBar().showMessage(f"無法列出備份：{exc}", 8000)
        if not backups:
            empty = menu.addAction("（目前沒有備份）")
            empty.setEnabled(False)
        for backup in backups:
            action = menu.addAction(f"還原到 {backup.label}")
            action.triggered.connect(lambda _=False, chosen=backup: self.restore_backup(chosen))

    def backup_now(self) -> bool:
        persistence = store_persistence(self.shell, "立即備份")
        if persistence is None:
            return False
        try:
            path = persistence.backup_now()
        except Exception as exc:  # the store's errors carry a Chinese message
            QMessageBox.warning(self.shell.window(), "立即備份", f"無法備份：{exc}")
            return False
        self.shell.statusBar().showMessage(f"已備份：{path.name}（可從「備份」選單還原）", 8000)
        return True

    def restore_backup(self, backup: BackupInfo) -> None:
        parent = self.shell.window()
        answer = QMessageBox.question(parent, "還原備份", f"以備份「{backup.label}」取代目前的資料？")
        if answer != QMessageBox.StandardButton.Yes or not self.shell.may_close("還原備份"):
            return
        document = self.shell.document
        assert document is not None
        try:
            project = document.persistence.restore(backup)
        except Exception as exc:
            QMessageBox.warning(parent, "還原備份", f"無法還原：{exc}")
            return
        document.replace_project(project)
        # Restored, the file is the sound backup's, open for editing (a file opened read-only refuses a restore):
        # a window made read-only by a damaged file takes edits again.
        document.read_only = self.shell.read_only = False
        self.shell.update_title()
