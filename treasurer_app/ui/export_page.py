"""匯出與列印: readiness, attachments, the upload files, the quarterly ledger, preview and print."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from treasurer_app.export import package
from treasurer_app.findings import Finding
from treasurer_app.project import ATTACHMENT_KINDS
from treasurer_app.rules import finding_key
from treasurer_app.rules.attachments import ATTACHMENT_LABELS, pdf_problem
from treasurer_app.ui.checker import Checker
from treasurer_app.ui.dashboard import card, scroll_page
from treasurer_app.ui.document import ProjectDocument
from treasurer_app.ui.steps import STEP_NAMES, step_of
from treasurer_app.ui.widgets import set_mark

ATTACHMENT_NAMES = {kind: f"{label}（PDF）" for kind, label in ATTACHMENT_LABELS.items()}
MAX_LISTED = 30


NO_FOLDER = "存到：尚未填寫資料夾，請按「選擇資料夾…」選一個"


class ExportPage(QWidget):
    def __init__(self, document: ProjectDocument, checker: Checker, year: int) -> None:
        super().__init__()
        self.document, self.checker, self.year = document, checker, year
        self.written: list[Path] = []
        self.out_dir = Path.home() / "Documents" / f"福利專款{year}"
        _body, self.layout_ = scroll_page(self)
        self.layout_.addWidget(QLabel(f"匯出與列印　{year} 年度", objectName="pageTitle"))
        self._readiness_card()
        self._attachments_card()
        self._application_card()
        self._ledger_card()
        self.layout_.addStretch(1)
        checker.findings_changed.connect(self.refresh)
        self.refresh()

    # ---------------------------------------------------------------- building

    def _readiness_card(self) -> None:
        frame, layout = card("檢查結果")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.errors_label = QLabel(objectName="message")
        self.errors_label.setWordWrap(True)
        layout.addWidget(self.errors_label)
        self.warning_box = QVBoxLayout()
        layout.addLayout(self.warning_box)
        self.warning_checks: list[tuple[QCheckBox, str]] = []
        self.layout_.addWidget(frame)

    def _attachments_card(self) -> None:
        frame, layout = card("附件")
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.attachment_lines: dict[str, QLineEdit] = {}
        self.attachment_notes: dict[str, QLabel] = {}
        for row, kind in enumerate(ATTACHMENT_KINDS):
            line = QLineEdit(readOnly=True)
            line.setPlaceholderText("尚未選擇")
            button = QPushButton("選擇 PDF…")
            button.clicked.connect(lambda _=False, k=kind: self.pick_attachment(k))
            note = QLabel(objectName="message")
            note.setWordWrap(True)
            grid.addWidget(QLabel(ATTACHMENT_NAMES[kind]), row * 2, 0)
            grid.addWidget(line, row * 2, 1)
            grid.addWidget(button, row * 2, 2)
            grid.addWidget(note, row * 2 + 1, 1)
            self.attachment_lines[kind], self.attachment_notes[kind] = line, note
        layout.addLayout(grid)
        self.layout_.addWidget(frame)

    def _application_card(self) -> None:
        frame, layout = card("申請檔（1 月 31 日前）")
        row = QHBoxLayout()
        row.addWidget(QLabel("存到："))
        self.folder_line = QLineEdit(str(self.out_dir))
        row.addWidget(self.folder_line, 1)
        choose = QPushButton("選擇資料夾…")
        choose.clicked.connect(self.pick_folder)
        row.addWidget(choose)
        layout.addLayout(row)
        options = QHBoxLayout()
        options.addWidget(QLabel("格式："))
        self.format_box = QComboBox()
        self.format_box.addItem("Excel 97-2003（.xls，主管機關指定）", "xls")
        self.format_box.addItem("Excel（.xlsx）", "xlsx")
        options.addWidget(self.format_box)
        self.pdf_box = QCheckBox("同時產生可列印的 PDF")
        self.pdf_box.setChecked(True)
        options.addWidget(self.pdf_box)
        options.addStretch(1)
        layout.addLayout(options)
        # DOMAIN §13: an export that holds personal data says so before it is written.
        self.personal_note = QLabel(package.PERSONAL_DATA_NOTE, objectName="pageHint")
        self.personal_note.setWordWrap(True)
        layout.addWidget(self.personal_note)
        buttons = QHBoxLayout()
        self.export_button = QPushButton("匯出申請檔", objectName="primary")
        self.export_button.clicked.connect(self.export_application)
        buttons.addWidget(self.export_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 4)
        self.progress.setValue(0)
        self.progress.setFormat("%v／%m")
        buttons.addWidget(self.progress, 1)
        layout.addLayout(buttons)
        after = QHBoxLayout()
        self.open_folder_button = QPushButton("開啟資料夾")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.preview_button = QPushButton("預覽 PDF")
        self.preview_button.clicked.connect(self.preview)
        self.print_button = QPushButton("列印…")
        self.print_button.setToolTip("以系統的 PDF 檢視程式開啟，再從該程式列印")
        self.print_button.clicked.connect(self.preview)
        for button in (self.open_folder_button, self.preview_button, self.print_button):
            button.setEnabled(False)
            after.addWidget(button)
        after.addStretch(1)
        layout.addLayout(after)
        self.result = QLabel()  # below the buttons: a list of fourteen files does not push them off the page
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result)
        self.layout_.addWidget(frame)

    def _ledger_card(self) -> None:
        frame, layout = card("現金收支登記簿季報（3、6、9、12 月底）")
        row = QHBoxLayout()
        row.addWidget(QLabel("季別："))
        self.quarter_box = QComboBox()
        for quarter, month in ((1, 3), (2, 6), (3, 9), (4, 12)):
            label = f"{self.year} 年第 {quarter} 季（截至 {month} 月，{self.year}{month:02d}）"
            self.quarter_box.addItem(label, quarter)
        row.addWidget(self.quarter_box)
        self.ledger_button = QPushButton("匯出季報")
        self.ledger_button.clicked.connect(self.export_ledger)
        row.addWidget(self.ledger_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.ledger_result = QLabel()
        self.ledger_result.setWordWrap(True)
        layout.addWidget(self.ledger_result)
        self.layout_.addWidget(frame)

    # ---------------------------------------------------------------- readiness

    def refresh(self) -> None:
        if self.year not in self.document.project.years:
            return
        self.personal_note.setVisible(bool(self.document.book(self.year).roster))
        findings = self.checker.findings
        errors = [f for f in findings if f.is_error]
        warnings = [f for f in findings if not f.is_error]
        if errors:
            self.summary.setText(f"還有 {len(errors)} 個錯誤，更正後才能匯出申請檔：")
        elif warnings:
            self.summary.setText(f"沒有錯誤。有 {len(warnings)} 個警告，請逐項確認後匯出：")
        else:
            self.summary.setText("沒有錯誤或警告，可以匯出。")
        self.errors_label.setText(_listed(errors))
        set_mark(self.errors_label, "error" if errors else "")
        self.errors_label.setVisible(bool(errors))
        self._show_warnings(warnings)
        for kind in ATTACHMENT_KINDS:
            path = self.document.book(self.year).attachments.get(kind, "")
            self.attachment_lines[kind].setText(path)
            problem = pdf_problem(Path(path)) if path else None
            self.attachment_notes[kind].setText(problem or "")
            self.attachment_notes[kind].setVisible(bool(problem))  # an empty line would leave a gap
            set_mark(self.attachment_notes[kind], "error" if problem else "")

    def _show_warnings(self, warnings: list[Finding]) -> None:
        while self.warning_box.count():
            widget = self.warning_box.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # see Dashboard._clear: its queued "show" would still pop it up
                widget.deleteLater()
        acknowledged = self.document.book(self.year).acknowledged
        self.warning_checks = []
        for warning in warnings:
            key = finding_key(warning)
            row = WrappedCheck(f"已確認：{warning.message}（{STEP_NAMES.get(step_of(warning.form), warning.form)}）")
            row.label.setStyleSheet("color: #b26a00")
            row.box.setChecked(key in acknowledged)
            row.box.toggled.connect(lambda on, k=key: self._acknowledge(k, on))
            self.warning_box.addWidget(row)
            self.warning_checks.append((row.box, key))

    def warning_text(self, box: QCheckBox) -> QLabel:
        """The wrapped text beside a warning's check box."""
        row = box.parentWidget()
        assert isinstance(row, WrappedCheck)
        return row.label

    def _acknowledge(self, key: str, on: bool) -> None:
        keys = set(self.document.book(self.year).acknowledged)
        keys = keys | {key} if on else keys - {key}
        self.document.set_acknowledged(self.year, keys)

    def all_acknowledged(self) -> bool:
        return all(box.isChecked() for box, _ in self.warning_checks)

    # ---------------------------------------------------------------- choosing files

    def attachment_folder(self, kind: str) -> str:
        """Where the file dialog opens: beside the PDF already chosen, else beside the other one, else Documents."""
        attachments = self.document.book(self.year).attachments
        for chosen in (attachments.get(kind, ""), *attachments.values()):
            if chosen and Path(chosen).parent.is_dir():
                return str(Path(chosen).parent)
        documents = Path.home() / "Documents"
        return str(documents if documents.is_dir() else Path.home())

    def pick_attachment(self, kind: str, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, ATTACHMENT_NAMES[kind], self.attachment_folder(kind), "PDF 檔 (*.pdf)"
            )
        if path:
            self.document.set_value(self.year, "attachments", kind, path)
            self.refresh()

    def pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "匯出到哪個資料夾", self.folder_line.text())
        if folder:
            self.folder_line.setText(folder)

    # ---------------------------------------------------------------- exporting

    def export_application(self) -> bool:
        if not self.all_acknowledged():
            self.show_result("請先逐項勾選確認上面的警告，再匯出。", error=True)
            return False
        if not self.folder_line.text().strip():  # not the folder the program was started from
            self.show_result(NO_FOLDER, error=True)
            return False
        self._progress(1)
        self.checker.run_now()
        self._progress(2)
        try:
            report = package.export_application(
                self.document.project,
                self.year,
                Path(self.folder_line.text()),
                fmt=self.format_box.currentData(),
                pdf=self.pdf_box.isChecked(),
                acknowledged=True,
            )
        except package.ExportRefused as refused:
            self._progress(0)
            self.show_result(_refusal("無法匯出", refused.findings), error=True)
            return False
        except (OSError, ValueError) as exc:
            self._progress(0)
            self.show_result(f"無法匯出：{exc}", error=True)
            return False
        self._progress(4)
        self.written = [f.path for f in report.files] + [report.report_path]
        names = "\n".join(f"・{f.path.name}（{f.size:,} 位元組）" for f in report.files)
        folder = Path(self.folder_line.text())
        self.show_result(f"已匯出到 {folder}：\n{names}\n・{report.report_path.name}（匯出報告）")
        for button in (self.open_folder_button, self.preview_button, self.print_button):
            button.setEnabled(True)
        self.preview_button.setEnabled(any(p.suffix == ".pdf" for p in self.written))
        self.print_button.setEnabled(self.preview_button.isEnabled())
        return True

    def _progress(self, value: int) -> None:
        self.progress.setValue(value)
        QApplication.processEvents()

    def show_result(self, text: str, error: bool = False) -> None:
        self.result.setText(text)
        self.result.setStyleSheet("color: #c62828" if error else "color: #2e7d32")

    def export_ledger(self) -> bool:
        quarter = self.quarter_box.currentData()
        if not self.folder_line.text().strip():
            return self._ledger_said(NO_FOLDER, error=True)
        try:
            folder = Path(self.folder_line.text())
            report = package.export_ledger(self.document.project, f"{self.year}Q{quarter}", folder)
        except package.ExportRefused as refused:
            return self._ledger_said(_refusal("無法匯出季報", refused.findings), error=True)
        except (OSError, ValueError) as exc:
            return self._ledger_said(f"無法匯出季報：{exc}", error=True)
        self.written += [f.path for f in report.files]
        self.open_folder_button.setEnabled(True)
        notes = "".join(f"\n注意：{note}" for note in report.notes)  # a quarter without entries
        return self._ledger_said("已匯出：" + "、".join(f.path.name for f in report.files) + notes)

    def _ledger_said(self, text: str, error: bool = False) -> bool:
        """The quarterly ledger's answer, scrolled into sight: its card is the page's last, and the answer fell
        below the bottom of a 768-pixel screen. Whether the ledger was exported."""
        self.ledger_result.setText(text)
        self.ledger_result.setStyleSheet("color: #c62828" if error else "color: #2e7d32")
        self.layout_.activate()  # the answer's height, now
        scroll = self.findChild(QScrollArea)
        if scroll is not None:
            scroll.ensureWidgetVisible(self.ledger_result, 0, 16)
        return not error

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder_line.text()))

    def preview(self) -> None:
        for path in self.written:
            if path.suffix == ".pdf":
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class _ClickableLabel(QLabel):
    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


class WrappedCheck(QWidget):
    """A check box whose text wraps onto as many lines as it needs (a QCheckBox's own text never
    wraps: a long warning widened the page past the screen and was cut). Clicking the text ticks it."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox(self)
        self.box.setAccessibleName(text)
        self.label = _ClickableLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.box)
        self.label.clicked.connect(self.box.toggle)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)


def _refusal(heading: str, findings: list[Finding]) -> str:
    """A disk that refused the files is nothing to correct in the data: then the heading does not ask for it."""
    written = all(f.rule == "export.write_failed" for f in findings)
    return f"{heading}{'' if written else '，請先更正'}：\n" + _listed(findings)


def _listed(findings: list[Finding]) -> str:
    lines = [f"・{f.message}" for f in findings[:MAX_LISTED]]
    if len(findings) > MAX_LISTED:
        lines.append(f"…另有 {len(findings) - MAX_LISTED} 項（見右側「檢查結果」）")
    return "\n".join(lines)
