"""The window: navigator on the left, the current step in the middle, findings on the right.

The window is built in two steps so that it is on screen before any domain module is loaded:
``MainWindow()`` is the shell (navigator, toolbar, menus, an empty page), painted at once;
``attach(document)`` then adds the project, the checker and the pages (each page built on first visit).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from treasurer_app import APP_NAME
from treasurer_app.ui.panels import ROLE_TARGET, FindingsPanel, Navigator
from treasurer_app.ui.step_names import EXPORT, HOME, LEDGER_STEP, LINE_EXPORT
from treasurer_app.ui.window_place import available_area, fitted

if TYPE_CHECKING:
    from treasurer_app.project import Project
    from treasurer_app.ui.checker import Checker
    from treasurer_app.ui.dashboard import Dashboard
    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.services import Change, Persistence

OPENING_TEXT = "正在開啟工會資料…"
CREATE_YEAR_TEXT = (
    "從哪一個年度開始？（民國年）\n\n"
    "年度＝申請書的申請年度，也是現金收支登記簿記帳的年度。\n"
    "之後每年用「開始新年度…」接續，工會資料與會員名冊會沿用。"
)
NO_OS_STORE_TEXT = "此電腦沒有系統認證儲存區，加密金鑰存放在使用者資料夾"
PERSONAL_DATA_IN_JSON = (
    "交換檔含會員個人資料（姓名、身分證字號、出生日期），存成未加密的文字檔。"
    "依個人資料保護法請妥善保管、勿任意傳送，用完請刪除。"
)


@contextmanager
def busy() -> Iterator[None]:
    from PySide6.QtCore import Qt

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class MainWindow(QMainWindow):
    first_painted = Signal()  # once, after the first frame is on screen: the moment to load the rest

    def __init__(self, document: ProjectDocument | None = None, today: date | None = None) -> None:
        super().__init__()
        self.document: ProjectDocument | None = None
        self.checker: Checker | None = None
        self.dashboard: Dashboard | None = None
        self.today = today or date.today()
        self.pages: dict[str, QWidget] = {}
        self.save_state = "已儲存"
        self.year: int | None = None
        self.opened = False  # True once a project is attached
        self.read_only = False
        self.quit_after_open = False  # set by app.py for TREASURER_APP_QUIT_AFTER_SHOW
        self._painted = False
        self.setGeometry(fitted(available_area(self)))  # app.py then maximises it or puts it where it was
        self._build()
        self._update_title()
        if document is not None:
            self.attach(document)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)  # after this frame has been flushed

    # ---------------------------------------------------------------- building

    def _build(self) -> None:
        self.navigator = Navigator()
        self.stack = QStackedWidget()
        self.waiting = QWidget(objectName="page")
        waiting_layout = QVBoxLayout(self.waiting)
        waiting_layout.setContentsMargins(24, 16, 24, 24)
        self.waiting_label = QLabel(OPENING_TEXT, objectName="pageHint")
        waiting_layout.addWidget(self.waiting_label)
        waiting_layout.addStretch(1)
        self.stack.addWidget(self.waiting)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigator)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.navigator.step_chosen.connect(self._show_page)

        self._build_actions()
        self.save_label = QLabel("", objectName="saveState")
        self.retry_button = QPushButton("重試儲存", objectName="retrySave")
        self.retry_button.setToolTip("把尚未存入專案檔的修改再寫一次（例如空出磁碟空間之後）")
        self.retry_button.hide()
        self.retry_button.clicked.connect(self.retry_save)
        self.statusBar().addPermanentWidget(self.save_label)
        self.statusBar().addPermanentWidget(self.retry_button)

    def _build_findings_dock(self) -> None:
        """The findings panel comes with the project: a dock needs PySide's Qt namespace, slow to load."""
        from PySide6.QtCore import Qt

        self.findings = FindingsPanel()
        self.findings.jump.connect(self.jump_to)
        dock = QDockWidget("檢查結果", self)
        dock.setObjectName("findingsDock")
        dock.setWidget(self.findings)
        features = QDockWidget.DockWidgetFeature
        dock.setFeatures(features.DockWidgetMovable | features.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.resizeDocks([dock], [320], Qt.Orientation.Horizontal)
        self.findings_dock = dock
        self.view_menu.addAction(dock.toggleViewAction())

    def _build_actions(self) -> None:
        # One history for the window; the project's undo stack joins it when the project is attached.
        self.undo_group = QUndoGroup(self)
        self.undo_action = self.undo_group.createUndoAction(self, "復原")
        self.undo_action.setShortcuts([QKeySequence.StandardKey.Undo])
        self.redo_action = self.undo_group.createRedoAction(self, "重做")
        redo_keys = [QKeySequence("Ctrl+Y")]
        redo_keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in redo_keys]
        self.redo_action.setShortcuts(redo_keys)
        toolbar = QToolBar("工具列", self)
        toolbar.setObjectName("toolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        toolbar.addWidget(QLabel(" 年度 "))
        self.year_box = QComboBox()
        self.year_box.setMinimumWidth(110)
        self.year_box.activated.connect(self._year_picked)
        toolbar.addWidget(self.year_box)
        self.roll_button = QPushButton("開始新年度…")
        self.roll_button.setToolTip("以目前年度為底，建立下一年度（沿用工會資料、會員名冊、期末結存）")
        self.roll_button.clicked.connect(self.start_next_year)
        self.roll_button.setEnabled(False)
        toolbar.addWidget(self.roll_button)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)

        file_menu = self.menuBar().addMenu("檔案")
        self.open_file_action = QAction("開啟專案檔…", self)
        self.open_file_action.setShortcuts(QKeySequence.StandardKey.Open)
        self.open_file_action.triggered.connect(self.choose_project_file)
        file_menu.addAction(self.open_file_action)
        self.sample_action = QAction("開啟範例工會", self)
        self.sample_action.triggered.connect(self.open_sample)
        file_menu.addAction(self.sample_action)
        file_menu.addSeparator()
        self.import_action = QAction("匯入交換檔 (.json)…", self)
        self.import_action.setToolTip("以交換檔的內容取代目前的資料（取代前自動備份）")
        self.import_action.triggered.connect(self.import_interchange)
        file_menu.addAction(self.import_action)
        self.import_workbooks_action = QAction("匯入活頁簿 (.xls/.xlsx)…", self)
        self.import_workbooks_action.setToolTip(
            "匯入申請書與現金收支登記簿活頁簿（可一次選多個：去年的申請書與四季的登記簿）；先列出變化再決定")
        self.import_workbooks_action.triggered.connect(self.import_workbooks)
        file_menu.addAction(self.import_workbooks_action)
        self.export_json_action = QAction("匯出交換檔 (.json)…", self)
        self.export_json_action.setToolTip("把整個專案存成一個交換檔，可在另一台電腦匯入")
        self.export_json_action.triggered.connect(self.export_interchange)
        file_menu.addAction(self.export_json_action)
        file_menu.addSeparator()
        quit_action = QAction("結束", self)
        quit_action.setShortcuts(QKeySequence.StandardKey.Quit)  # not setShortcut: its overloads load the Qt enums
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu("編輯")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self.backup_menu = self.menuBar().addMenu("備份")
        self.backup_menu.aboutToShow.connect(self._fill_backups)
        self.view_menu = self.menuBar().addMenu("檢視")
        help_menu = self.menuBar().addMenu("說明")
        about_action = QAction("關於", self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)
        # Need an open project (開啟專案檔… too: it replaces the one being opened).
        self.project_actions = [self.open_file_action, self.sample_action, self.import_action, self.export_json_action]
        for action in self.project_actions:
            action.setEnabled(False)

    # ---------------------------------------------------------------- the project

    def attach(self, document: ProjectDocument, read_only: bool = False) -> None:
        """Show ``document``: the checker, the dashboard and the pages come in now."""
        from treasurer_app.ui.checker import Checker
        from treasurer_app.ui.dashboard import Dashboard

        self.document = document
        self.read_only = read_only
        self._build_findings_dock()
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        self.checker = Checker(document, self)
        self.checker.today = self.today
        self.navigator.show_programmes()
        self.dashboard = Dashboard(self.today)
        self.dashboard.create_union.connect(self.create_union)
        self.dashboard.open_sample.connect(self.open_sample)
        self.dashboard.go_to.connect(self.show_step)
        self.stack.addWidget(self.dashboard)
        self.pages[HOME] = self.dashboard
        self.year = document.project.latest_year()
        document.save_state.connect(self._saved)
        document.unsaved_changed.connect(self._unsaved_changed)
        document.changed.connect(self._document_changed)
        document.reset.connect(self._reset)
        self.checker.findings_changed.connect(self._findings_changed)
        self._fill_years()
        self.checker.year = self.year
        self.checker.schedule()  # the first full check once the page is on screen
        for action in self.project_actions:
            action.setEnabled(True)
        self.opened = True
        self.save_label.setText(self.save_state)
        if self.navigator.currentItem() is None:
            self.navigator.select(HOME)  # highlighted in the navigator, and shown
        else:
            self._show_page(self.current_step())
        self.stack.removeWidget(self.waiting)
        self._update_title()

    # ---------------------------------------------------------------- years

    def _fill_years(self) -> None:
        self.year_box.clear()
        for year in sorted(self.document.project.years, reverse=True):
            self.year_box.addItem(f"{year} 年度", year)
        if self.year is not None:
            self.year_box.setCurrentIndex(self.year_box.findData(self.year))
        self.roll_button.setEnabled(self.year is not None)

    def _year_picked(self, index: int) -> None:
        self.set_year(self.year_box.itemData(index))

    def set_year(self, year: int | None) -> None:
        if year != self.year:
            self._show_year(year)

    def _show_year(self, year: int | None) -> None:
        """Pages built for another year (or another project) go; the check runs on ``year``."""
        self.year = year
        self._drop_pages()
        self._fill_years()
        self.checker.set_year(year)
        self._update_title()

    def start_next_year(self) -> None:
        if self.year is None:
            return
        target = self.year + 1
        if target in self.document.project.years:
            QMessageBox.information(self, "開始新年度", f"{target} 年度已經存在，已切換過去。")
            self.set_year(target)
            return
        answer = QMessageBox.question(
            self,
            "開始新年度",
            f"以 {self.year} 年度為底建立 {target} 年度？\n\n"
            "會沿用：工會基本資料、會員名冊、現金收支登記簿的期末結存（成為新年度的上年度結存）、"
            "歷年累積結餘款。\n其餘表單從空白開始。可以用「復原」取消。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.roll_over()

    def roll_over(self) -> int | None:
        assert self.year is not None
        new_year = self.document.roll_over(self.year)
        if new_year is not None:
            self.set_year(new_year)
        return new_year

    def create_union(self, year: int | None = None) -> None:
        from treasurer_app.ui.steps import default_year

        if year is None:
            suggested = default_year(self.today)
            year, ok = QInputDialog.getInt(self, "建立本工會的資料", CREATE_YEAR_TEXT, suggested, 100, 999)
            if not ok:
                return
            first = self.ask_last_year_first(year)
            if first is None:
                return
            if first:
                paths, _ = QFileDialog.getOpenFileNames(
                    self, f"匯入 {year - 1} 年度的活頁簿", str(Path.home()), "Excel 活頁簿 (*.xls *.xlsx)")
                self.start_from_last_year(year, [Path(p) for p in paths])
        if year not in self.document.project.years:
            self.document.add_year(year)
            if year not in self.document.project.years:
                return  # refused: read-only
        self.set_year(year)
        self.show_step("application")

    def ask_last_year_first(self, year: int) -> bool | None:
        """Starting in mid-cycle: True to import last year's workbooks first, False to start empty, None cancel."""
        if self.document.project.years:
            return False
        box = QMessageBox(self)
        box.setWindowTitle("建立本工會的資料")
        box.setText(
            f"若去年已用官方活頁簿辦理，建議先匯入 {year - 1} 年度的申請書"
            f"（{year - 1}_統一編號_application.xls）與 {year - 1} 年各季的現金收支登記簿（…_accounting.xls）。\n\n"
            f"工會資料與會員名冊會沿用，{year} 年度的「決算及運用情形」與「教育訓練經費表」會由登記簿自動計算，"
            "不必再從紙本打一次。"
        )
        first = box.addButton(f"先匯入 {year - 1} 年度的活頁簿…", QMessageBox.ButtonRole.AcceptRole)
        empty = box.addButton("直接建立", QMessageBox.ButtonRole.NoRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(first)
        box.exec()
        clicked = box.clickedButton()
        return True if clicked is first else False if clicked is empty else None

    def start_from_last_year(self, year: int, paths: list[Path]) -> bool:
        """Last year's workbooks imported, then ``year`` started from them as 開始新年度 does; False when
        nothing was imported (the year is then created empty by the caller)."""
        if not paths or not self.import_workbook_files(paths):
            return False
        if year not in self.document.project.years and year - 1 in self.document.project.years:
            self.document.roll_over(year - 1)
        return year in self.document.project.years

    def open_sample(self) -> None:
        has_data = bool(self.document.project.years)
        if has_data:
            answer = QMessageBox.question(
                self,
                "開啟範例工會",
                "範例工會會取代目前的資料。要繼續嗎？\n（可以從「備份」選單還原。）",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        from treasurer_app.ui.services import load_sample

        self.load_project(load_sample())

    def load_project(self, project: Project) -> bool:
        """``project`` in place of the open one (the store keeps a backup of what it replaces)."""
        if not self.may_close("取代目前的資料"):
            return False
        try:
            self.document.persistence.replace(project)
        except Exception as exc:  # the store's errors carry a Chinese message
            QMessageBox.warning(self, APP_NAME, f"無法寫入：{exc}")
            return False
        self.document.replace_project(project)
        return True

    # ---------------------------------------------------------------- files

    def choose_project_file(self) -> bool:
        folder = str(self.document.persistence.location.parent) if self.document else ""
        path, _ = QFileDialog.getOpenFileName(self, "開啟專案檔", folder, "工會專案檔 (*.tap)")
        return self.open_store(Path(path), must_exist=True) if path else False

    def import_interchange(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(self, "匯入交換檔", str(Path.home()), "交換檔 (*.json)")
        if not path:
            return False
        if self.document.project.years:
            answer = QMessageBox.question(
                self, "匯入交換檔",
                "交換檔的資料會取代目前的資料。取代前會自動備份，可從「備份」選單還原。要繼續嗎？",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self.read_interchange(Path(path))

    def read_interchange(self, path: Path) -> bool:
        from treasurer_app.interchange import InterchangeError, load

        try:
            project = load(path)
        except InterchangeError as exc:
            QMessageBox.warning(self, "匯入交換檔", f"無法匯入：{exc}")
            return False
        if not self.load_project(project):
            return False
        self.statusBar().showMessage(f"已匯入交換檔：{path.name}", 8000)
        return True

    def import_workbooks(self) -> bool:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "匯入活頁簿", str(Path.home()), "Excel 活頁簿 (*.xls *.xlsx);;所有檔案 (*)")
        return self.import_workbook_files([Path(p) for p in paths]) if paths else False

    def import_workbook_files(self, paths: list[Path]) -> bool:
        """Read the workbooks, show what they would change and the report, and on 匯入: back up, then replace
        the years as one step that 復原 takes back."""
        from treasurer_app import workbook_import as wi
        from treasurer_app.ui.import_dialog import ImportDialog

        batch = wi.read_workbooks(paths)
        dialog = ImportDialog(self.document.project, batch, self)
        if dialog.exec() != ImportDialog.DialogCode.Accepted or dialog.accept_button is None:
            return False
        backup = getattr(self.document.persistence, "backup_now", None)
        if dialog.replaces and callable(backup):
            try:
                backup(kind="before-import")
            except Exception as exc:  # the store's errors carry a Chinese message
                QMessageBox.warning(self, "匯入活頁簿", f"匯入前無法備份，未匯入：{exc}")
                return False
        years = sorted(batch.years)
        names = "、".join(f.name for f in batch.read)
        shown = self.year
        if not self.document.import_years(wi.import_edit(self.document.project, batch, f"匯入活頁簿（{names}）")):
            return False
        self.set_year(shown if shown in self.document.project.years else max(years))
        self.statusBar().showMessage(f"已匯入 {len(batch.read)} 個活頁簿（可按「復原」整批還原）", 8000)
        return True

    def export_interchange(self) -> bool:
        answer = QMessageBox.question(self, "匯出交換檔", PERSONAL_DATA_IN_JSON + "\n\n要繼續嗎？")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        name = self.document.project.union_name(self.year) if self.year is not None else ""
        suggested = Path.home() / f"{name or '工會'}-{date.today():%Y%m%d}.json"
        path, _ = QFileDialog.getSaveFileName(self, "匯出交換檔", str(suggested), "交換檔 (*.json)")
        return self.write_interchange(Path(path)) if path else False

    def write_interchange(self, path: Path) -> bool:
        from treasurer_app.interchange import save

        try:
            save(self.document.project, path)
        except OSError as exc:
            QMessageBox.warning(self, "匯出交換檔", f"無法寫入 {path}：{exc.strerror or exc}")
            return False
        self.statusBar().showMessage(f"已匯出交換檔：{path}（含會員個人資料，請妥善保管）", 10000)
        return True

    # ---------------------------------------------------------------- pages

    def _drop_pages(self) -> None:
        for step_id, page in list(self.pages.items()):
            if step_id == HOME:
                continue
            self.stack.removeWidget(page)
            page.deleteLater()
            del self.pages[step_id]
        self._show_page(self.current_step())

    def current_step(self) -> str:
        item = self.navigator.currentItem()
        return item.data(ROLE_TARGET) if item is not None else HOME

    def show_step(self, step_id: str) -> None:
        if self.current_step() == step_id:
            self._show_page(step_id)
        else:
            self.navigator.select(step_id)

    def page(self, step_id: str) -> QWidget:
        if step_id not in self.pages:
            self.pages[step_id] = self._make_page(step_id)
            self.stack.addWidget(self.pages[step_id])
        return self.pages[step_id]

    def _make_page(self, step_id: str) -> QWidget:
        from treasurer_app.forms import TABLE_FORMS
        from treasurer_app.line_subsidy.forms import LINE_TABLES

        assert self.year is not None
        if step_id == LINE_EXPORT:
            from treasurer_app.ui.line_page import LinePapersPage

            return LinePapersPage(self.document, self.checker, self.year, self.today)
        if step_id == LEDGER_STEP:
            from treasurer_app.ui.ledger_view import LedgerPage

            ledger_page = LedgerPage(self.document, self.checker, self.year)
            ledger_page.jump.connect(self.jump_to)  # its own findings panel names other steps too
            return ledger_page
        if step_id in TABLE_FORMS or step_id in LINE_TABLES:
            from treasurer_app.ui.table_editor import TablePage

            return TablePage(self.document, self.checker, step_id, self.year)
        if step_id == EXPORT:
            from treasurer_app.ui.export_page import ExportPage

            return ExportPage(self.document, self.checker, self.year)
        from treasurer_app.ui.form_editor import FormEditor

        editor = FormEditor(self.document, self.checker, step_id, self.year)
        editor.drilldown_requested.connect(self.show_drilldown)
        return editor

    def _show_page(self, step_id: str) -> None:
        if self.document is None or self.dashboard is None:
            return  # still opening: the empty page stays
        if step_id != HOME and (self.year is None or self.year not in self.document.project.years):
            step_id = HOME
        if step_id == HOME:
            self.dashboard.show_project(self.document.project, self.year, self.checker.findings, self.checker.history)
        # The register needs the width for its balance columns; the page has its own findings panel.
        self.findings_dock.setVisible(step_id != LEDGER_STEP)
        self.stack.setCurrentWidget(self.page(step_id))

    def show_about(self) -> None:
        from treasurer_app.ui.about_dialog import AboutDialog

        AboutDialog(self).exec()

    def show_drilldown(self, title: str, indexes: list[int]) -> None:
        from treasurer_app.ui.ledger_view import DrilldownDialog

        assert self.year is not None
        DrilldownDialog(self.document, self.year - 1, title, indexes, self).exec()

    def jump_to(self, form: str, field: str | None, row: int | None) -> None:
        from treasurer_app.specs import ALL_FORMS
        from treasurer_app.ui.steps import step_of

        step_id = step_of(form)
        if step_id not in ALL_FORMS and step_id not in (LEDGER_STEP, EXPORT, LINE_EXPORT):
            step_id = EXPORT
        self.show_step(step_id)
        page = self.page(step_id)
        focus = getattr(page, "focus_field", None) or getattr(page, "focus_cell", None)
        if callable(focus):
            if row is None:
                focus(field)
            else:
                focus(row, field)

    # ---------------------------------------------------------------- reacting

    def _findings_changed(self) -> None:
        self.navigator.update_states(self.document.project, self.year, self.checker.findings)
        has_year = self.year is not None and self.year in self.document.project.years
        self.findings.show_findings(self.checker.findings, checked=has_year)
        if self.stack.currentWidget() is self.dashboard:
            self.dashboard.show_project(self.document.project, self.year, self.checker.findings, self.checker.history)

    def _document_changed(self, change: Change) -> None:
        if change.kind == "year":
            years = self.document.project.years
            if self.year not in years:  # removed (undo), or the first one back (redo)
                self.set_year(self.document.project.latest_year())
            else:
                self._fill_years()
        if change.area == "application" and change.key == "union_name":
            self._update_title()

    def _reset(self) -> None:
        # Always: a project without years keeps year None, and the old project's pages must still go.
        self._show_year(self.document.project.latest_year())
        self._findings_changed()

    def _saved(self, state: str) -> None:
        self.save_state = state
        self.save_label.setText(state)
        unsaved = self.document.unsaved if self.document is not None else None
        self.save_label.setProperty("mark", "unsaved" if unsaved else "")
        self.save_label.style().polish(self.save_label)
        self.save_label.setToolTip(f"{unsaved.problem}\n空出磁碟空間或排除問題後，按「重試儲存」。" if unsaved else "")
        self.retry_button.setVisible(bool(unsaved))
        self._update_title()

    def _unsaved_changed(self) -> None:
        self.retry_button.setVisible(bool(self.document.unsaved))

    def retry_save(self) -> bool:
        """重試儲存: the edits not yet in the file, written now; True when none is left."""
        with busy():
            self.document.flush(automatic=False)
        return not self.document.unsaved

    def _update_title(self) -> None:
        parts = [APP_NAME]
        if self.document is not None and self.year is not None and self.year in self.document.project.years:
            name = self.document.project.union_name(self.year) or "未命名工會"
            parts.append(f"{name} {self.year} 年度")
        if self.document is None:
            parts.append(OPENING_TEXT)
        else:
            parts.append("唯讀" if self.read_only else self.save_state)
        self.setWindowTitle(" — ".join(parts))

    def _fill_backups(self) -> None:
        self.backup_menu.clear()
        if self.document is None:
            return
        now = self.backup_menu.addAction("立即備份")
        now.setToolTip("程式會自動備份；要做大幅修改前，也可以先備份一份")
        now.triggered.connect(self.backup_now)
        now.setEnabled(callable(getattr(self.document.persistence, "backup_now", None)))
        self.backup_menu.addSeparator()
        try:
            backups = self.document.persistence.backups()
        except Exception as exc:
            backups = []
            self.statusBar().showMessage(f"無法列出備份：{exc}", 8000)
        if not backups:
            empty = self.backup_menu.addAction("（目前沒有備份）")
            empty.setEnabled(False)
        for backup in backups:
            action = self.backup_menu.addAction(f"還原到 {backup.label}")
            action.triggered.connect(lambda _=False, chosen=backup: self.restore_backup(chosen))
        self.backup_menu.addSeparator()
        export = self.backup_menu.addAction("匯出金鑰…")
        export.setToolTip("換電腦或重灌前：以復原密語保護，匯出解開會員個資所需的金鑰")
        export.triggered.connect(self.export_key)
        export.setEnabled(self._key_location() is not None)
        imported = self.backup_menu.addAction("匯入金鑰…")
        imported.setToolTip("在新電腦上：載入從舊電腦匯出的金鑰備份")
        imported.triggered.connect(self.import_key)
        if self._key_location() == "file":
            note = self.backup_menu.addAction(NO_OS_STORE_TEXT)
            note.setEnabled(False)

    def backup_now(self) -> bool:
        try:
            path = self.document.persistence.backup_now()  # type: ignore[attr-defined]
        except Exception as exc:  # the store's errors carry a Chinese message
            QMessageBox.warning(self, "立即備份", f"無法備份：{exc}")
            return False
        self.statusBar().showMessage(f"已備份：{path.name}（可從「備份」選單還原）", 8000)
        return True

    def restore_backup(self, backup: object) -> None:
        answer = QMessageBox.question(self, "還原備份", f"以備份「{backup.label}」取代目前的資料？")  # type: ignore[attr-defined]
        if answer != QMessageBox.StandardButton.Yes or not self.may_close("還原備份"):
            return
        try:
            project = self.document.persistence.restore(backup)  # type: ignore[arg-type]
        except Exception as exc:
            QMessageBox.warning(self, "還原備份", f"無法還原：{exc}")
            return
        self.document.replace_project(project)

    def ask_how_to_open(self, error: BaseException) -> str | None:
        """When the file cannot be opened for editing: "break" (a stale lock), "read_only", "import_key"
        (the key is not on this PC), or None to give up. A read-only file is offered read-only, as its
        message says it can be."""
        from treasurer_app.privacy import KeyMissing
        from treasurer_app.store import StoreFileReadOnly
        from treasurer_app.ui.services import lock_state

        stale = lock_state(error)
        key_missing = isinstance(error, KeyMissing)
        if stale is None and not key_missing and not isinstance(error, StoreFileReadOnly):
            return None
        from treasurer_app.ui.open_messages import open_failure_texts

        message, details = open_failure_texts(error)  # which computer, since when; the path under 詳細資料
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message, parent=self)
        if details:
            box.setDetailedText(details)
        first = None
        if key_missing:
            first = box.addButton("匯入金鑰…", QMessageBox.ButtonRole.AcceptRole)
        elif stale:
            first = box.addButton("解除鎖定並開啟", QMessageBox.ButtonRole.AcceptRole)
        read_only = box.addButton("以唯讀方式開啟", QMessageBox.ButtonRole.ActionRole)
        box.addButton("取消" if self.opened else "結束", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if first is not None and box.clickedButton() is first:
            return "import_key" if key_missing else "break"
        return "read_only" if box.clickedButton() is read_only else None

    def show_open_failure(self, message: str, details: str = "") -> None:
        """Later the open project stays. At start the window cannot go on without a project: it offers
        another project file, else it ends. ``details``: SQLite's own (English) words, under 詳細資料 only."""
        if self.opened:
            QMessageBox.warning(self, APP_NAME, f"無法開啟工會資料：\n{message}")
            return
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, f"無法開啟工會資料：\n{message}", parent=self)
        if details:
            box.setDetailedText(details)
        other = box.addButton("開啟其他專案檔…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("結束", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not other or not self.choose_project_file():
            self.close()

    # ---------------------------------------------------------------- opening a project file

    def open_store(self, location: Path | None = None, break_lock: bool = False, read_only: bool = False,
                   reopen: bool = False, must_exist: bool = False) -> bool:
        """Open the project file ``location`` (the user's working project, created if need be, by default).

        A file another copy holds asks whether to unlock it or open it read-only; a file whose key is not
        on this PC offers to import the key (the file is opened read-only to take it). ``reopen``: the open
        file again, e.g. for editing once its key is imported. ``must_exist``: a file the user chose, not
        created when it is gone (only the working project is created). With ``quit_after_open``
        (the frozen smoke test) nothing is asked: the outcome is the exit status, a failure goes to stderr.
        """
        from treasurer_app.ui.services import StorePersistence, lock_state, working_project_path

        location = location or working_project_path()
        if self.document is not None and self.document.persistence.location == location and not reopen:
            self.statusBar().showMessage("這個專案檔已經開啟", 5000)
            return True
        if self.document is not None and not reopen and not self.may_close("開啟其他專案檔"):
            return False
        try:
            persistence = StorePersistence(location, break_lock=break_lock, read_only=read_only,
                                           create=not must_exist)
            project = persistence.load()
        except Exception as exc:  # the store's and privacy's errors carry a Chinese message
            if self.quit_after_open:
                print(f"無法開啟工會資料：{exc}", file=sys.stderr)
                QApplication.exit(1)
                return False
            # Read-only that failed too is not offered again: the same question would come back for ever.
            choice = None if read_only and not break_lock and lock_state(exc) is None else self.ask_how_to_open(exc)
            if choice is None:
                from treasurer_app.ui.open_messages import open_failure_texts

                message, details = open_failure_texts(exc)
                self.show_open_failure(*(message, details) if details else (message,))
                return False
            if choice == "import_key":
                if not self.open_store(location, read_only=True, reopen=reopen, must_exist=must_exist):
                    return False
                self.import_key()  # once the key is in, the file is reopened for editing; cancelled, it stays read-only
                return True
            return self.open_store(location, break_lock=choice == "break", read_only=choice == "read_only",
                                   reopen=reopen, must_exist=must_exist)
        self.use_store(persistence, project, read_only)
        if self.quit_after_open:
            QTimer.singleShot(0, QApplication.quit)
        return True

    def use_store(self, persistence: Persistence, project: Project, read_only: bool = False) -> None:
        from treasurer_app.ui.document import ProjectDocument

        if self.document is None:
            self.attach(ProjectDocument(project, persistence), read_only)
        else:
            self.read_only = read_only
            self.document.switch(persistence, project)
        self.document.read_only = read_only
        # A project on a network drive is kept in a mode SQLite supports there: said once, on opening.
        note = getattr(persistence, "storage_note", "")
        if self._key_location() == "file":  # said once, where it is seen; the 備份 menu keeps saying it
            key_note = f"{NO_OS_STORE_TEXT}（可從「備份」匯出金鑰）"
            self.statusBar().showMessage(f"{key_note}。{note}" if note else key_note, 15000)
        elif note:
            self.statusBar().showMessage(f"已開啟工會資料。{note}", 15000)
        else:
            self.statusBar().showMessage("已開啟工會資料（唯讀）" if read_only else "已開啟工會資料", 5000)
        self._update_title()

    # ---------------------------------------------------------------- the encryption key

    def _key_location(self) -> str | None:
        where = getattr(self.document.persistence, "key_location", None) if self.document else None
        try:
            return where() if callable(where) else None
        except Exception:  # a credential store that fails to answer: nothing to say about it here
            return None

    def export_key(self) -> bool:
        from treasurer_app.ui.key_dialog import PassphraseDialog

        dialog = PassphraseDialog(self, confirm=True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        stem = self.document.persistence.location.stem
        suggested = Path.home() / f"{stem}-金鑰備份-{date.today():%Y%m%d}.key"
        path, _ = QFileDialog.getSaveFileName(self, "匯出金鑰", str(suggested), "金鑰備份 (*.key)")
        return self.write_key(Path(path), dialog.passphrase()) if path else False

    def write_key(self, path: Path, passphrase: str) -> bool:
        from treasurer_app.ui.services import write_private

        try:
            with busy():  # the passphrase is stretched on purpose (≈ 0.5 s)
                text = self.document.persistence.export_key(passphrase)  # type: ignore[attr-defined]
            write_private(path, text)
        except OSError as exc:
            QMessageBox.warning(self, "匯出金鑰", f"匯出金鑰失敗：{path}：無法寫入（{exc.strerror or exc}）")
            return False
        except Exception as exc:  # the store's and privacy's errors carry a Chinese message
            QMessageBox.warning(self, "匯出金鑰", f"匯出金鑰失敗：{exc}")
            return False
        QMessageBox.information(
            self, "匯出金鑰", f"已匯出金鑰備份：\n{path}\n\n請記住復原密語，並將金鑰備份與專案檔分開保存。"
        )
        return True

    def import_key(self) -> bool:
        from treasurer_app.ui.key_dialog import PassphraseDialog

        path, _ = QFileDialog.getOpenFileName(self, "匯入金鑰", str(Path.home()), "金鑰備份 (*.key);;所有檔案 (*)")
        if not path:
            return False
        dialog = PassphraseDialog(self, confirm=False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.read_key(Path(path), dialog.passphrase())

    def read_key(self, path: Path, passphrase: str) -> bool:
        """Put the key backup at ``path`` on this PC; a file opened read-only for want of it is reopened for editing."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            QMessageBox.warning(self, "匯入金鑰", f"匯入金鑰失敗：{path}：無法讀取（{reason}）")
            return False
        try:
            with busy():
                self.document.persistence.import_key(text, passphrase)  # type: ignore[attr-defined]
        except Exception as exc:  # WrongPassphrase, KeyFileMismatch…: Chinese messages naming the problem
            QMessageBox.warning(self, "匯入金鑰", f"匯入金鑰失敗：{exc}")
            return False
        if self.read_only:
            self.open_store(self.document.persistence.location, reopen=True)
        self.statusBar().showMessage("已匯入金鑰：會員個資可以解開，資料可以修改", 8000)
        return True

    def close_document(self) -> None:
        if self.checker is not None:
            self.checker.stop()
        if self.document is not None:
            self.document.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_close():
            event.ignore()
            return
        self.close_document()
        super().closeEvent(event)

    def may_close(self, doing: str = "關閉") -> bool:
        """With edits the file could not take: try once more, then ask (save again / discard / cancel).
        ``doing``: what comes next and would lose them (關閉, 開啟其他專案檔, 還原備份…)."""
        document = self.document
        if document is None or not document.unsaved or self.quit_after_open:
            return True
        while not self.retry_save():
            choice = self.ask_about_unsaved(doing)
            if choice == "discard":
                document.discard_unsaved()
                return True
            if choice != "retry":
                return False
        return True

    def ask_about_unsaved(self, doing: str = "關閉") -> str:
        """"retry", "discard" or "cancel", for the edits not yet in the project file."""
        unsaved = self.document.unsaved
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME,
                          f"有 {len(unsaved)} 項修改還沒有存入專案檔（{unsaved.reason}）。", parent=self)
        box.setInformativeText(
            f"「再試一次儲存」：空出磁碟空間或排除問題後再寫一次；成功才會{doing}。\n"
            f"「放棄這些修改並{doing}」：這些修改會遺失，專案檔保留最後一次成功儲存的內容。\n"
            "「取消」：回到視窗，修改仍保留在畫面上。"
        )
        box.setDetailedText(unsaved.problem)
        retry = box.addButton("再試一次儲存", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(f"放棄這些修改並{doing}", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(retry)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is retry:
            return "retry"
        return "discard" if clicked is discard else "cancel"
