"""The recovery passphrase that protects an exported key (備份 → 匯出金鑰… / 匯入金鑰…)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from treasurer_app.privacy import MIN_PASSPHRASE_CHARS
from treasurer_app.ui.widgets import set_mark

EXPORT_TEXT = (
    "金鑰備份讓這份資料在另一台電腦（或重灌後）仍能解開會員個資。"
    f"請設定一組復原密語（至少 {MIN_PASSPHRASE_CHARS} 個字元），並把它記在安全的地方："
    "沒有復原密語，金鑰備份無法使用；請將金鑰備份與專案檔分開保存。"
)
IMPORT_TEXT = "請輸入匯出這份金鑰備份時設定的復原密語。"


class PassphraseDialog(QDialog):
    """Asks for the passphrase (twice when exporting) and says what is wrong before accepting."""

    def __init__(self, parent: QWidget | None = None, confirm: bool = True) -> None:
        super().__init__(parent)
        self.confirm = confirm
        self.setWindowTitle("匯出金鑰" if confirm else "匯入金鑰")
        layout = QVBoxLayout(self)
        intro = QLabel(EXPORT_TEXT if confirm else IMPORT_TEXT)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.first = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        form.addRow("復原密語", self.first)
        self.second = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        if confirm:
            form.addRow("再輸入一次", self.second)
        layout.addLayout(form)
        self.message = QLabel(objectName="message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def passphrase(self) -> str:
        return self.first.text()

    def problem(self) -> str | None:
        text = self.first.text()
        if not text:
            return "復原密語：必填"
        if self.confirm and len(text) < MIN_PASSPHRASE_CHARS:
            return f"復原密語：至少須 {MIN_PASSPHRASE_CHARS} 個字元"
        if self.confirm and self.second.text() != text:
            return "再輸入一次：與復原密語不一致"
        return None

    def accept(self) -> None:
        problem = self.problem()
        self.message.setText(problem or "")
        set_mark(self.message, "error" if problem else "")
        if problem is None:
            super().accept()
