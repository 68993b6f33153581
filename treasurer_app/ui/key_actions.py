"""The encryption key's actions in the 備份 menu: 匯出金鑰… before moving to a new PC, 匯入金鑰… on it.

The key that unlocks the members' personal data lives in the PC's credential store, never in the project
file; a project opened on a PC without its key is opened read-only until the key is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

from treasurer_app.ui.shell import Shell, busy, store_persistence

NO_OS_STORE_TEXT = "此電腦沒有系統認證儲存區，加密金鑰存放在使用者資料夾"


class KeyActions:
    """Export and import of the open project's key; ``reopen`` opens the file again for editing (once its
    key is in, a file opened read-only for want of it)."""

    def __init__(self, shell: Shell, reopen: Callable[[], bool]) -> None:
        self.shell = shell
        self.reopen = reopen

    def location(self) -> str | None:
        """Where the open project's key is kept: "os" (the credential store), "file" (no credential store
        on this PC), or None (no key here, or no project yet)."""
        document = self.shell.document
        where = getattr(document.persistence, "key_location", None) if document is not None else None
        try:
            return where() if callable(where) else None
        except Exception:  # a credential store that fails to answer: nothing to say about it here
            return None

    def kept_in_file(self) -> bool:
        """Whether the open project's key is kept in a file (no credential store on this PC). Without a key
        file the answer is no, found without asking the credential store (which would load keyring)."""
        document = self.shell.document
        has_file = getattr(document.persistence, "key_file_exists", None) if document is not None else None
        if callable(has_file) and not has_file():
            return False
        return self.location() == "file"

    def add_to_menu(self, menu: QMenu) -> None:
        export = menu.addAction("匯出金鑰…")
        export.setToolTip("換電腦或重灌前：以復原密語保護，匯出解開會員個資所需的金鑰")
        export.triggered.connect(self.export_key)
        where = self.location()
        export.setEnabled(where is not None)
        imported = menu.addAction("匯入金鑰…")
        imported.setToolTip("在新電腦上：載入從舊電腦匯出的金鑰備份")
        imported.triggered.connect(self.import_key)
        if where == "file":
            note = menu.addAction(NO_OS_STORE_TEXT)
            note.setEnabled(False)

    def export_key(self) -> bool:
        # Here, not at the top: the dialog loads privacy (keyring, cryptography), not needed for the first paint.
        from treasurer_app.ui.key_dialog import PassphraseDialog

        dialog = PassphraseDialog(self.shell.window(), confirm=True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        assert self.shell.document is not None
        stem = self.shell.document.persistence.location.stem
        suggested = Path.home() / f"{stem}-金鑰備份-{date.today():%Y%m%d}.key"
        path, _ = QFileDialog.getSaveFileName(self.shell.window(), "匯出金鑰", str(suggested), "金鑰備份 (*.key)")
        return self.write_key(Path(path), dialog.passphrase()) if path else False

    def write_key(self, path: Path, passphrase: str) -> bool:
        # Here, not at the top: services loads the store, not needed for the first paint.
        from treasurer_app.ui.services import write_private

        parent = self.shell.window()
        persistence = store_persistence(self.shell, "匯出金鑰")
        if persistence is None:
            return False
        try:
            with busy():  # the passphrase is stretched on purpose (≈ 0.5 s)
                text = persistence.export_key(passphrase)
            write_private(path, text)
        except OSError as exc:
            QMessageBox.warning(parent, "匯出金鑰", f"匯出金鑰失敗：{path}：無法寫入（{exc.strerror or exc}）")
            return False
        except Exception as exc:  # the store's and privacy's errors carry a Chinese message
            QMessageBox.warning(parent, "匯出金鑰", f"匯出金鑰失敗：{exc}")
            return False
        QMessageBox.information(
            parent, "匯出金鑰", f"已匯出金鑰備份：\n{path}\n\n請記住復原密語，並將金鑰備份與專案檔分開保存。"
        )
        return True

    def import_key(self) -> bool:
        from treasurer_app.ui.key_dialog import PassphraseDialog  # not at the top: as in export_key

        parent = self.shell.window()
        path, _ = QFileDialog.getOpenFileName(parent, "匯入金鑰", str(Path.home()), "金鑰備份 (*.key);;所有檔案 (*)")
        if not path:
            return False
        dialog = PassphraseDialog(parent, confirm=False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.read_key(Path(path), dialog.passphrase())

    def read_key(self, path: Path, passphrase: str) -> bool:
        """Put the key backup at ``path`` on this PC; a file opened read-only for want of it is reopened for editing."""
        parent = self.shell.window()
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            QMessageBox.warning(parent, "匯入金鑰", f"匯入金鑰失敗：{path}：無法讀取（{reason}）")
            return False
        persistence = store_persistence(self.shell, "匯入金鑰")
        if persistence is None:
            return False
        try:
            with busy():
                persistence.import_key(text, passphrase)
        except Exception as exc:  # WrongPassphrase, KeyFileMismatch…: Chinese messages naming the problem
            QMessageBox.warning(parent, "匯入金鑰", f"匯入金鑰失敗：{exc}")
            return False
        if self.shell.read_only:
            self.reopen()
        self.shell.statusBar().showMessage("已匯入金鑰：會員個資可以解開，資料可以修改", 8000)
        return True
