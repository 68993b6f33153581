"""LINE 補助文件: the claim worked out, the months' messages, and the papers of each stage written to a folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from treasurer_app.export.atomic import PackageFailed, failure_text, write_reason
from treasurer_app.line_subsidy import documents as line_documents
from treasurer_app.line_subsidy import forms as line_forms
from treasurer_app.line_subsidy import rules as line_rules
from treasurer_app.line_subsidy.numerals import receipt_amount
from treasurer_app.ui.checker import Checker
from treasurer_app.ui.dashboard import card, month_line, scroll_page
from treasurer_app.ui.document import ProjectDocument

STAGE_BUTTONS = {
    line_documents.APPLICATION: f"匯出申請文件（前一年 {line_forms.APPLICATION_PERIOD}寄出）",
    line_documents.CLAIM: f"匯出結報請款文件（{line_forms.CLAIM_DAY}前寄出）",
}


class LinePapersPage(QWidget):
    def __init__(self, document: ProjectDocument, checker: Checker, year: int, today: date | None = None) -> None:
        super().__init__()
        self.document, self.checker, self.year = document, checker, year
        self.today = today or date.today()
        self.written: list[Path] = []
        _body, self.layout_ = scroll_page(self)
        self.layout_.addWidget(QLabel(f"LINE 官方帳號補助文件　{year} 年度", objectName="pageTitle"))
        hint = QLabel(
            f"{line_forms.RULES_TITLE}：補助 {year - 1} 年 12 月至 {year} 年 11 月的月租費。"
            f"申請文件於前一年 {line_forms.APPLICATION_PERIOD}以掛號等可查詢交寄日期的方式寄送；"
            f"結報請款文件於 {line_forms.CLAIM_DAY}前以專函送勞動部。",
            objectName="pageHint",
        )
        hint.setWordWrap(True)
        self.layout_.addWidget(hint)
        frame, layout = card("請款金額")
        self.claim_label = QLabel()
        self.claim_label.setWordWrap(True)
        layout.addWidget(self.claim_label)
        self.layout_.addWidget(frame)
        frame, layout = card("每月轉發勞動部訊息（每月 3 則以上）")
        self.months = QGridLayout()
        for column in (1, 3):  # two months a line: each month's text takes the room left beside it
            self.months.setColumnStretch(column, 1)
        layout.addLayout(self.months)
        self.layout_.addWidget(frame)
        self._export_card()
        self.layout_.addStretch(1)
        checker.findings_changed.connect(self.refresh)
        self.refresh()

    def _export_card(self) -> None:
        frame, layout = card("匯出文件（PDF，A4）")
        row = QHBoxLayout()
        row.addWidget(QLabel("資料夾："))
        self.folder_line = QLineEdit(str(Path.home() / "Documents" / f"LINE補助{self.year}"))
        row.addWidget(self.folder_line, 1)
        choose = QPushButton("選擇…")
        choose.clicked.connect(self._choose_folder)
        row.addWidget(choose)
        layout.addLayout(row)
        self.stage_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        for stage, text in STAGE_BUTTONS.items():
            button = QPushButton(text, objectName="primary" if stage == line_documents.CLAIM else "")
            button.clicked.connect(lambda _=False, s=stage: self._export_clicked(s))
            buttons.addWidget(button)
            self.stage_buttons[stage] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = QLabel(objectName="message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.open_folder = QPushButton("開啟資料夾")
        self.open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder_line.text())))
        self.open_folder.hide()
        layout.addWidget(self.open_folder)
        self.layout_.addWidget(frame)

    def _export_clicked(self, stage: str) -> list[Path]:
        if not self.folder_line.text().strip():  # not the folder the program was started from
            self.open_folder.hide()
            self.message.setText("資料夾：尚未填寫，請按「選擇…」選一個資料夾")
            return []
        return self.export(stage, Path(self.folder_line.text().strip()))

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "匯出到哪個資料夾", self.folder_line.text())
        if folder:
            self.folder_line.setText(folder)

    # ---------------------------------------------------------------- showing

    def refresh(self) -> None:
        project = self.document.project
        if self.year not in project.years:
            return
        book = project.years[self.year]
        claim = line_rules.claim(book)
        limit = f"每月最高 {claim.monthly_limit:,} 元" if claim.monthly_limit else "核定方案月租費尚未填寫"
        own = f"；超過核定方案部分 {claim.own_cost:,} 元由工會自行負擔" if claim.own_cost else ""
        others = f"；減其他機關補助 {claim.others:,} 元" if claim.others else ""
        self.claim_label.setText(
            f"核定 {len(claim.months)} 個月，{limit}；實付月租費 {claim.paid:,} 元{own}{others}。\n"
            f"申請本部補助：{claim.total:,} 元（{receipt_amount(claim.total)}）"
        )
        while self.months.count():
            widget = self.months.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        for row, status in enumerate(line_rules.month_statuses(book, self.today) if line_rules.approved(book) else []):
            name, text, style = month_line(status)
            for col, value in enumerate((name, text)):
                label = QLabel(value)
                label.setStyleSheet(style)
                self.months.addWidget(label, row // 2, col + (row % 2) * 2)
        if not line_rules.approved(book):
            self.months.addWidget(QLabel("核定後（填寫「核定及結報」）才開始逐月計算。"), 0, 0, 1, 4)

    # ---------------------------------------------------------------- writing

    def export(self, stage: str, folder: Path) -> list[Path]:
        """Write the stage's papers into ``folder``; the errors that stop it are said instead."""
        project = self.document.project
        findings = line_rules.check_line(project, self.year, self.today)
        stopping = line_rules.blocking(findings, stage)
        self.open_folder.hide()
        if stopping:
            listed = "\n".join(f"・{f.message}" for f in stopping[:8])
            more = f"\n…等共 {len(stopping)} 項" if len(stopping) > 8 else ""
            self.message.setText(f"尚未匯出：請先更正下列錯誤\n{listed}{more}")
            return []
        if not project.tax_id(self.year).strip():
            self.message.setText("尚未匯出：檔名須用統一編號，請先在「工會基本資料」填寫統一編號")
            return []
        try:
            self.written = line_documents.write_line_documents(project, self.year, folder, stage, issued=self.today)
        except PackageFailed as problem:
            self.message.setText(f"匯出失敗：{failure_text(problem)}")
            return []
        except OSError as problem:  # the folder itself
            self.message.setText(f"匯出失敗（{folder}）：{write_reason(problem)}")
            return []
        except ValueError as problem:  # a 統一編號 a file name cannot hold
            self.message.setText(f"匯出失敗：{problem}")
            return []
        names = "、".join(p.name for p in self.written)
        self.message.setText(f"已寫入 {len(self.written)} 個檔案到 {folder}：{names}")
        self.open_folder.show()
        return self.written
