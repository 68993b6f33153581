"""The window: navigator on the left, the current step in the middle, findings on the right.

It is the shell (menus, toolbar, status bar, the save state), the navigation between pages and the years;
the menus' actions live in ui/file_actions (檔案), ui/backup_actions and ui/key_actions (備份), which
see the window only as a ``ui.shell.Shell``.

The window is built in two steps so that it is on screen before any domain module is loaded:
``MainWindow()`` is the shell (navigator, toolbar, menus, an empty page), painted at once;
``attach(document)`` then adds the project, the checker and the pages (each page built on first visit);
the findings dock follows once the project's page is on screen (``_finish_opening``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QUndoGroup
from PySide6.QtWidgets import (
    QComboBox,
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
from treasurer_app.ui.backup_actions import BackupActions
from treasurer_app.ui.file_actions import FileActions
from treasurer_app.ui.key_actions import KeyActions
from treasurer_app.ui.panels import ROLE_TARGET, Navigator
from treasurer_app.ui.shell import SAVED_TEXT, busy
from treasurer_app.ui.step_names import EXPORT, HOME, LEDGER_STEP, LINE_EXPORT
from treasurer_app.ui.window_place import available_area, fitted

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from treasurer_app.editing.changes import Change
    from treasurer_app.project import Project
    from treasurer_app.ui.checker import Checker
    from treasurer_app.ui.dashboard import Dashboard
    from treasurer_app.ui.document import ProjectDocument
    from treasurer_app.ui.findings_panel import FindingsPanel

OPENING_TEXT = "正在開啟工會資料…"
READ_ONLY_STATE = "唯讀"  # the save state of a file opened read-only
CREATE_YEAR_TEXT = (
    "從哪一個年度開始？（民國年）\n\n"
    "年度＝申請書的申請年度，也是現金收支登記簿記帳的年度。\n"
    "之後每年用「開始新年度…」接續，工會資料與會員名冊會沿用。"
)


class MainWindow(QMainWindow):
    first_painted = Signal()  # once, after the first frame is on screen: the moment to load the rest

    def __init__(self, document: ProjectDocument | None = None, today: date | None = None) -> None:
        super().__init__()
        self.document: ProjectDocument | None = None
        self.checker: Checker | None = None
        self.dashboard: Dashboard | None = None
        self.today = today or date.today()
        self.pages: dict[str, QWidget] = {}
        self.save_state = ""  # the document's last word on saving; see save_text for what is shown
        self.year: int | None = None
        self.opened = False  # True once a project is attached
        self.read_only = False
        self.quit_after_open = False  # set by app.py for TREASURER_APP_QUIT_AFTER_SHOW
        self._painted = False
        self._findings: FindingsPanel | None = None
        self._findings_dock: QDockWidget | None = None
        self._finishing = False  # _finish_opening is due after the next frame
        self.setGeometry(fitted(available_area(self)))  # app.py then maximises it or puts it where it was
        self._build()
        self.update_title()
        if document is not None:
            self.attach(document)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)  # after this frame has been flushed
        if self._finishing:
            self._finishing = False
            QTimer.singleShot(0, self, self._finish_opening)

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

    @property
    def findings(self) -> FindingsPanel:
        """The findings panel (in its dock): built once the open project's page is on screen, or when first used."""
        if self._findings is None:
            self._build_findings_dock()
        assert self._findings is not None
        return self._findings

    @property
    def findings_dock(self) -> QDockWidget:
        if self._findings_dock is None:
            self._build_findings_dock()
        assert self._findings_dock is not None
        return self._findings_dock

    def _finish_opening(self) -> None:
        """What the open project's first frame does without: the findings dock and the navigator's programme
        headings made inert. Both need PySide's Qt namespace, whose ≈ 90 enums are all built on its first use:
        ≈ 20 ms that would otherwise hold the project's page back. The panel is empty until the first check
        (checker.RECHECK_DELAY_MS later) in any case."""
        if self.document is None:
            return
        if self._findings_dock is None:
            self._build_findings_dock()
        self.navigator.settle_headings()

    def _build_findings_dock(self) -> None:
        # Not at the top, as this is built after the project's first frame: the Qt namespace's enums are built on
        # first use (≈ 20 ms); the panel's item views and the dock bring their own (≈ 3 ms).
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDockWidget

        from treasurer_app.ui.findings_panel import FindingsPanel

        self._findings = FindingsPanel()
        self._findings.jump.connect(self.jump_to)
        dock = QDockWidget("檢查結果", self)
        dock.setObjectName("findingsDock")
        dock.setWidget(self._findings)
        features = QDockWidget.DockWidgetFeature
        dock.setFeatures(features.DockWidgetMovable | features.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.resizeDocks([dock], [320], Qt.Orientation.Horizontal)
        self._findings_dock = dock
        self.view_menu.addAction(dock.toggleViewAction())
        dock.setVisible(self.current_step() != LEDGER_STEP)  # as _show_page would have shown it

    def _build_actions(self) -> None:
        # One history for the window; the project's undo stack joins it when the project is attached.
        self.undo_group = QUndoGroup(self)
        self.undo_action = self.undo_group.createUndoAction(self, "復原")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
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

        # The menus' actions live in their own modules; they reach the window only through ui/shell.Shell.
        self.keys = KeyActions(self, reopen=lambda: self.files.reopen())
        self.files = FileActions(self, self.keys)
        self.backups = BackupActions(self)
        self.files.add_to_menu(self.menuBar().addMenu("檔案"))
        edit_menu = self.menuBar().addMenu("編輯")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self.backup_menu = self.menuBar().addMenu("備份")
        self.backup_menu.aboutToShow.connect(self.fill_backup_menu)
        self.view_menu = self.menuBar().addMenu("檢視")
        help_menu = self.menuBar().addMenu("說明")
        about_action = QAction("關於", self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)

    # ---------------------------------------------------------------- the project

    def attach(self, document: ProjectDocument, read_only: bool = False) -> None:
        """Show ``document``: the checker, the dashboard and the pages come in now."""
        # Not at the top, as every domain module and page below: loaded after the first paint, on first use.
        from treasurer_app.ui.checker import Checker
        from treasurer_app.ui.dashboard import Dashboard

        self.document = document
        self.read_only = read_only
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        self.checker = Checker(document, self)
        self.checker.today = self.today
        self.dashboard = Dashboard(self.today)
        self.dashboard.create_union.connect(self.create_union)
        self.dashboard.open_sample.connect(self.files.open_sample)
        self.dashboard.go_to.connect(self.show_step)
        self.stack.addWidget(self.dashboard)
        self.pages[HOME] = self.dashboard
        self.year = document.project.latest_year()
        document.save_state.connect(self._saved)
        document.unsaved_changed.connect(self._unsaved_changed)
        document.damaged.connect(self.files.show_damage)
        document.changed.connect(self._document_changed)
        document.reset.connect(self._reset)
        self.checker.findings_changed.connect(self._findings_changed)
        self._fill_years()
        self.checker.year = self.year
        self.checker.schedule()  # the first full check once the page is on screen
        self.files.set_enabled(True)
        self.opened = True
        self.save_state = SAVED_TEXT  # just read from the file: all of it is there
        if self.navigator.currentItem() is None:
            self.navigator.select(HOME)  # highlighted in the navigator, and shown
        else:
            self._show_page(self.current_step())
        self.stack.removeWidget(self.waiting)
        self.update_title()
        self._finishing = True
        self.update()  # the whole window is painted again, and its paintEvent brings in _finish_opening

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
        self.update_title()

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
        from treasurer_app.ui.steps import default_year  # not at the top: it loads the forms

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
                    self, f"匯入 {year - 1} 年度的活頁簿", str(Path.home()), "Excel 活頁簿 (*.xls *.xlsx)"
                )
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
        if not paths or not self.files.import_workbook_files(paths):
            return False
        if year not in self.document.project.years and year - 1 in self.document.project.years:
            self.document.roll_over(year - 1)
        return year in self.document.project.years

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
        target = item.data(ROLE_TARGET) if item is not None else None
        return str(target) if target is not None else HOME  # (a programme's heading names no step)

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
        # Not at the top: each page (and the forms) is loaded on its first visit.
        from treasurer_app.forms import TABLE_FORMS
        from treasurer_app.line_subsidy.forms import LINE_TABLES

        document, checker, year = self.document, self.checker, self.year
        assert document is not None and checker is not None and year is not None
        if step_id == LINE_EXPORT:
            from treasurer_app.ui.line_page import LinePapersPage

            return LinePapersPage(document, checker, year, self.today)
        if step_id == LEDGER_STEP:
            from treasurer_app.ui.ledger_view import LedgerPage

            ledger_page = LedgerPage(document, checker, year)
            ledger_page.jump.connect(self.jump_to)  # its own findings panel names other steps too
            return ledger_page
        if step_id in TABLE_FORMS or step_id in LINE_TABLES:
            from treasurer_app.ui.table_editor import TablePage

            return TablePage(document, checker, step_id, year)
        if step_id == EXPORT:
            from treasurer_app.ui.export_page import ExportPage

            return ExportPage(document, checker, year)
        from treasurer_app.ui.form_editor import FormEditor

        editor = FormEditor(document, checker, step_id, year)
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
        if self._findings_dock is not None:  # else built by _finish_opening, and shown or not then
            self._findings_dock.setVisible(step_id != LEDGER_STEP)
        self.stack.setCurrentWidget(self.page(step_id))

    def show_about(self) -> None:
        from treasurer_app.ui.about_dialog import AboutDialog  # not at the top: it reads the package metadata

        AboutDialog(self).exec()

    def show_drilldown(self, title: str, indexes: list[int]) -> None:
        from treasurer_app.ui.ledger_view import DrilldownDialog  # not at the top: the register, on first use

        assert self.document is not None and self.year is not None
        DrilldownDialog(self.document, self.year - 1, title, indexes, self).exec()

    def jump_to(self, form: str, field: str | None, row: int | None) -> None:
        from treasurer_app.specs import ALL_FORMS  # not at the top: these load the forms
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
            self.update_title()

    def _reset(self) -> None:
        # Always: a project without years keeps year None, and the old project's pages must still go.
        self._show_year(self.document.project.latest_year())
        self._findings_changed()
        self._saved(SAVED_TEXT)  # the new project is all in its file (read from it, or written before it came in)

    def _saved(self, state: str) -> None:
        self.save_state = state
        unsaved = self.document.unsaved if self.document is not None else None
        self.save_label.setProperty("mark", "unsaved" if unsaved else "")
        self.save_label.style().polish(self.save_label)
        self.save_label.setToolTip(f"{unsaved.problem}\n空出磁碟空間或排除問題後，按「重試儲存」。" if unsaved else "")
        self.retry_button.setVisible(bool(unsaved))
        self.update_title()

    def _unsaved_changed(self) -> None:
        self.retry_button.setVisible(bool(self.document.unsaved))

    def retry_save(self) -> bool:
        """重試儲存: the edits not yet in the file, written now; True when none is left."""
        with busy():
            self.document.flush(automatic=False)
        return not self.document.unsaved

    def save_text(self) -> str:
        """What the status bar and the title say of saving: 唯讀 for a file opened read-only (nothing is
        saved); nothing before a project is open, nor 已儲存 while it holds no year (nothing of the user's
        was saved: the first start); else the document's last word (儲存中…, 已儲存, what is not saved)."""
        if self.document is None:
            return ""
        if self.read_only:
            return READ_ONLY_STATE
        if self.save_state == SAVED_TEXT and not self.document.project.years:
            return ""
        return self.save_state

    def update_title(self) -> None:
        """The window's title and the status bar's save state, always said together."""
        parts = [APP_NAME]
        if self.document is not None and self.year is not None and self.year in self.document.project.years:
            name = self.document.project.union_name(self.year) or "未命名工會"
            parts.append(f"{name} {self.year} 年度")
        save_text = self.save_text()
        self.save_label.setText(save_text)
        if self.document is None:
            parts.append(OPENING_TEXT)
        elif save_text:
            parts.append(save_text)
        self.setWindowTitle(" — ".join(parts))

    def fill_backup_menu(self) -> None:
        """備份, each time it opens: the backups (ui/backup_actions), then the key (ui/key_actions)."""
        self.backup_menu.clear()
        if self.document is None:
            return
        self.backups.add_to_menu(self.backup_menu)
        self.backup_menu.addSeparator()
        self.keys.add_to_menu(self.backup_menu)

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
        """ "retry", "discard" or "cancel", for the edits not yet in the project file."""
        unsaved = self.document.unsaved
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_NAME,
            f"有 {len(unsaved)} 項修改還沒有存入專案檔（{unsaved.reason}）。",
            parent=self,
        )
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
