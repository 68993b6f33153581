"""The window: navigator on the left, the current step in the middle, findings on the right."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from treasurer_app import APP_NAME
from treasurer_app.forms import FORMS, LEDGER_FORM, TABLE_FORMS
from treasurer_app.project import Project
from treasurer_app.ui.checker import Checker
from treasurer_app.ui.dashboard import Dashboard
from treasurer_app.ui.document import ProjectDocument
from treasurer_app.ui.panels import FindingsPanel, Navigator
from treasurer_app.ui.services import Change, load_sample
from treasurer_app.ui.steps import EXPORT, HOME, default_year, step_of


class MainWindow(QMainWindow):
    def __init__(self, document: ProjectDocument, today: date | None = None) -> None:
        super().__init__()
        self.document = document
        self.today = today or date.today()
        self.checker = Checker(document, self)
        self.pages: dict[str, QWidget] = {}
        self.save_state = "已儲存"
        self.year: int | None = document.project.latest_year()
        self.opened = True  # False only while create_window_then_open is still opening the project
        self.read_only = False
        self.resize(1280, 800)
        self._build()
        document.save_state.connect(self._saved)
        document.changed.connect(self._document_changed)
        document.reset.connect(self._reset)
        self.checker.findings_changed.connect(self._findings_changed)
        self._fill_years()
        self.checker.year = self.year
        self.checker.schedule()  # the first full check after the window is on screen
        self.navigator.select(HOME)
        self._update_title()

    # ---------------------------------------------------------------- building

    def _build(self) -> None:
        self.navigator = Navigator()
        self.stack = QStackedWidget()
        self.dashboard = Dashboard(self.today)
        self.dashboard.create_union.connect(self.create_union)
        self.dashboard.open_sample.connect(self.open_sample)
        self.dashboard.go_to.connect(self.show_step)
        self.stack.addWidget(self.dashboard)
        self.pages[HOME] = self.dashboard
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigator)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.navigator.step_chosen.connect(self._show_page)

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

        self._build_actions()
        self.save_label = QLabel("已儲存")
        self.statusBar().addPermanentWidget(self.save_label)

    def _build_actions(self) -> None:
        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "復原")
        self.undo_action.setShortcuts([QKeySequence.StandardKey.Undo])
        self.redo_action = stack.createRedoAction(self, "重做")
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
        toolbar.addWidget(self.roll_button)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)

        file_menu = self.menuBar().addMenu("檔案")
        sample = QAction("開啟範例工會", self)
        sample.triggered.connect(self.open_sample)
        file_menu.addAction(sample)
        file_menu.addSeparator()
        quit_action = QAction("結束", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu("編輯")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self.backup_menu = self.menuBar().addMenu("備份")
        self.backup_menu.aboutToShow.connect(self._fill_backups)
        view_menu = self.menuBar().addMenu("檢視")
        view_menu.addAction(self.findings_dock.toggleViewAction())

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
        if year == self.year:
            return
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

    def roll_over(self) -> int:
        assert self.year is not None
        new_year = self.document.roll_over(self.year)
        self.set_year(new_year)
        return new_year

    def create_union(self, year: int | None = None) -> None:
        if year is None:
            year, ok = QInputDialog.getInt(
                self, "建立本工會的資料", "從哪一個年度開始？（民國年）", default_year(self.today), 100, 999
            )
            if not ok:
                return
        if year not in self.document.project.years:
            self.document.add_year(year)
        self.set_year(year)
        self.show_step("application")

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
        self.load_project(load_sample())

    def load_project(self, project: Project) -> None:
        try:
            self.document.persistence.replace(project)
        except Exception as exc:  # the store's errors carry a Chinese message
            QMessageBox.warning(self, APP_NAME, f"無法寫入：{exc}")
            return
        self.document.replace_project(project)

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
        return item.data(Qt.ItemDataRole.UserRole + 1) if item is not None else HOME

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
        assert self.year is not None
        if step_id == LEDGER_FORM:
            from treasurer_app.ui.ledger_view import LedgerPage

            return LedgerPage(self.document, self.checker, self.year)
        if step_id in TABLE_FORMS:
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
        if step_id != HOME and (self.year is None or self.year not in self.document.project.years):
            step_id = HOME
        if step_id == HOME:
            self.dashboard.show_project(self.document.project, self.year, self.checker.findings)
        # The register needs the width for its balance columns; its cells carry their own marks.
        self.findings_dock.setVisible(step_id != LEDGER_FORM)
        self.stack.setCurrentWidget(self.page(step_id))

    def show_drilldown(self, title: str, indexes: list[int]) -> None:
        from treasurer_app.ui.ledger_view import DrilldownDialog

        assert self.year is not None
        DrilldownDialog(self.document, self.year - 1, title, indexes, self).exec()

    def jump_to(self, form: str, field: str | None, row: int | None) -> None:
        step_id = step_of(form)
        if step_id not in FORMS and step_id not in (LEDGER_FORM, EXPORT):
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
        self.findings.show_findings(self.checker.findings)
        if self.stack.currentWidget() is self.dashboard:
            self.dashboard.show_project(self.document.project, self.year, self.checker.findings)

    def _document_changed(self, change: Change) -> None:
        if change.kind == "year":
            years = self.document.project.years
            if self.year is not None and self.year not in years:
                self.set_year(self.document.project.latest_year())
            else:
                self._fill_years()
        if change.area == "application" and change.key == "union_name":
            self._update_title()

    def _reset(self) -> None:
        self.year = None
        self.set_year(self.document.project.latest_year())
        self._findings_changed()

    def _saved(self, state: str) -> None:
        self.save_state = state
        self.save_label.setText(state)
        self._update_title()

    def _update_title(self) -> None:
        parts = [APP_NAME]
        if self.year is not None and self.year in self.document.project.years:
            name = self.document.project.union_name(self.year) or "未命名工會"
            parts.append(f"{name} {self.year} 年度")
        parts.append("唯讀" if getattr(self, "read_only", False) else self.save_state)
        self.setWindowTitle(" — ".join(parts))

    def _fill_backups(self) -> None:
        self.backup_menu.clear()
        try:
            backups = self.document.persistence.backups()
        except Exception as exc:
            backups = []
            self.statusBar().showMessage(f"無法列出備份：{exc}", 8000)
        if not backups:
            empty = self.backup_menu.addAction("（目前沒有備份）")
            empty.setEnabled(False)
            return
        for backup in backups:
            action = self.backup_menu.addAction(f"還原到 {backup.label}")
            action.triggered.connect(lambda _=False, chosen=backup: self.restore_backup(chosen))

    def restore_backup(self, backup: object) -> None:
        answer = QMessageBox.question(self, "還原備份", f"以備份「{backup.label}」取代目前的資料？")  # type: ignore[attr-defined]
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            project = self.document.persistence.restore(backup)  # type: ignore[arg-type]
        except Exception as exc:
            QMessageBox.warning(self, "還原備份", f"無法還原：{exc}")
            return
        self.document.replace_project(project)

    def ask_about_lock(self, error: BaseException) -> str | None:
        """When another copy holds (or held) the file: "break", "read_only", or None to give up."""
        from treasurer_app.ui.services import lock_state

        stale = lock_state(error)
        if stale is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, str(error), parent=self)
        unlock = box.addButton("解除鎖定並開啟", QMessageBox.ButtonRole.AcceptRole) if stale else None
        read_only = box.addButton("以唯讀方式開啟", QMessageBox.ButtonRole.ActionRole)
        box.addButton("結束", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if unlock is not None and box.clickedButton() is unlock:
            return "break"
        return "read_only" if box.clickedButton() is read_only else None

    def show_open_failure(self, message: str) -> None:
        QMessageBox.critical(self, APP_NAME, f"無法開啟工會資料：\n{message}")
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.document.close()
        super().closeEvent(event)
