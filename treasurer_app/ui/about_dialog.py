"""說明 → 關於: the version, and each bundled component with its licence and the licence's full text."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from treasurer_app import APP_NAME, about

LICENCE_TEXT_LIMIT = 200_000  # characters shown per file; the LGPL is ≈ 8,000


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"關於{APP_NAME}")
        self.components = about.components()
        layout = QVBoxLayout(self)
        self.title = QLabel(f"{APP_NAME}　版本 {about.app_version()}", objectName="pageTitle")
        layout.addWidget(self.title)
        intro = QLabel(
            "協助工會會計填寫商港服務費福利專款申請書及現金收支登記簿。"
            "本程式內含下列第三方元件，點選元件可看其授權條款全文。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        splitter = QSplitter(self)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        for component in self.components:
            version = about.component_version(component)
            shown = f"{component.name} {version}" if version else component.name
            item = QListWidgetItem(f"{shown}（{component.licence}）")
            item.setToolTip(component.role)
            self.list.addItem(item)
        self.text = QPlainTextEdit(readOnly=True)
        splitter.addWidget(self.list)
        splitter.addWidget(self.text)
        splitter.setSizes([280, 520])
        layout.addWidget(splitter, 1)
        notices = [c.notice for c in self.components if c.notice]
        if notices:
            notice = QLabel("\n".join(notices), objectName="pageHint")
            notice.setWordWrap(True)
            layout.addWidget(notice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self.show_licence)
        self.list.setCurrentRow(0)
        self.resize(860, 560)

    def show_licence(self, row: int) -> None:
        if not 0 <= row < len(self.components):
            return
        component = self.components[row]
        parts = [f"{component.name}（{component.licence}）：{component.role}"]
        if component.notice:
            parts.append(component.notice)
        files = about.licence_files(component)
        for path in files:
            try:
                body = path.read_text(encoding="utf-8", errors="replace")[:LICENCE_TEXT_LIMIT]
            except OSError as exc:
                body = f"（無法讀取：{exc.strerror or exc}）"
            parts.append(f"──── {path.name} ────\n{body}")
        if not files:
            parts.append("（這台電腦上找不到授權條款檔案）")
        self.text.setPlainText("\n\n".join(parts))
