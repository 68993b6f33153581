"""檔案 → 匯入活頁簿…: what the chosen workbooks hold, what they would change, and the question before replacing."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from treasurer_app import workbook_import
from treasurer_app.project import Project

TITLE = "匯入活頁簿"
STATUS_COLOURS = {
    workbook_import.NEW: "#1565c0",
    workbook_import.CHANGED: "#b71c1c",
    workbook_import.UNCHANGED: "#2e7d32",
}


class ImportDialog(QDialog):
    """The per-form diff (新增 / 變更 / 相同) above the import report; 匯入 or 取代並匯入 only when there is
    something to take."""

    def __init__(self, project: Project, batch: workbook_import.Batch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(900, 600)
        self.changes = workbook_import.diff(project, batch)
        self.replaces = workbook_import.replaces_something(project, self.changes)
        layout = QVBoxLayout(self)
        if self.changes:
            layout.addWidget(QLabel("匯入後各表的變化："))
        self.diff_view = QTreeWidget()
        self.diff_view.setHeaderLabels(["年度", "表", "變化", "說明"])
        self.diff_view.setRootIsDecorated(False)
        for change in self.changes:
            area = workbook_import.area_name(change.area)
            item = QTreeWidgetItem([f"{change.year}", area, change.status, change.detail])
            item.setForeground(2, _brush(STATUS_COLOURS[change.status]))
            self.diff_view.addTopLevelItem(item)
        for column in range(3):
            self.diff_view.resizeColumnToContents(column)
        self.diff_view.setVisible(bool(self.changes))
        layout.addWidget(self.diff_view, 2)
        if self.replaces:
            text = (
                "標示「變更」的表會被活頁簿的內容取代。匯入前會先自動備份；匯入後按「復原」（Ctrl+Z）一次就能整批還原。"
            )
        elif self.changes:
            text = "匯入後按「復原」（Ctrl+Z）一次就能整批還原。"
        else:
            text = "選擇的檔案都無法匯入，原因如下。"
        self.question = QLabel(text)
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        layout.addWidget(QLabel("匯入報告（讀入了什麼、哪些儲存格沒有讀入及原因）："))
        self.report = QPlainTextEdit("\n".join(workbook_import.report_lines(batch)))
        self.report.setReadOnly(True)
        layout.addWidget(self.report, 2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消" if self.changes else "關閉")
        self.accept_button = None
        if self.changes and any(c.status != workbook_import.UNCHANGED for c in self.changes):
            label = "取代並匯入" if self.replaces else "匯入"
            self.accept_button = self.buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


def _brush(colour: str) -> QBrush:
    return QBrush(QColor(colour))
