"""The 檔案 menu: opening a project file (and what to do when it cannot be opened for editing), the sample
union, the interchange file (.json) both ways, last years' workbooks (.xls/.xlsx), 結束.

The domain (store, interchange, workbook import) is imported where it is first needed: this module is
loaded with the window's shell, before the first paint, and those are not needed for it.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox

from treasurer_app import APP_NAME
from treasurer_app.ui.key_actions import NO_OS_STORE_TEXT, KeyActions
from treasurer_app.ui.shell import Shell

if TYPE_CHECKING:
    from treasurer_app.editing.persistence import Persistence
    from treasurer_app.project import Project

DAMAGED_ADVICE = (
    "為免損毀擴大，這份資料現在只能檢視、不能修改，任何修改都不會寫入檔案。"
    "請從「備份」選單選「還原到 …」，回到損毀前的備份。"
)
PERSONAL_DATA_IN_JSON = (
    "交換檔含會員個人資料（姓名、身分證字號、出生日期），存成未加密的文字檔。"
    "依個人資料保護法請妥善保管、勿任意傳送，用完請刪除。"
)


class FileActions:
    """``keys``: a file whose key is not on this PC is opened read-only, then its key is asked for."""

    def __init__(self, shell: Shell, keys: KeyActions) -> None:
        self.shell = shell
        self.keys = keys
        self.project_actions: list[QAction] = []  # enabled once a project is open

    def add_to_menu(self, menu: QMenu) -> None:
        parent = self.shell.window()
        self.open_file_action = QAction("開啟專案檔…", parent)
        self.open_file_action.setShortcuts(QKeySequence.StandardKey.Open)
        self.open_file_action.triggered.connect(self.choose_project_file)
        menu.addAction(self.open_file_action)
        self.sample_action = QAction("開啟範例工會", parent)
        self.sample_action.triggered.connect(self.open_sample)
        menu.addAction(self.sample_action)
        menu.addSeparator()
        self.import_action = QAction("匯入交換檔 (.json)…", parent)
        self.import_action.setToolTip("以交換檔的內容取代目前的資料（取代前自動備份）")
        self.import_action.triggered.connect(self.import_interchange)
        menu.addAction(self.import_action)
        self.import_workbooks_action = QAction("匯入活頁簿 (.xls/.xlsx)…", parent)
        self.import_workbooks_action.setToolTip(
            "匯入申請書與現金收支登記簿活頁簿（可一次選多個：去年的申請書與四季的登記簿）；先列出變化再決定"
        )
        self.import_workbooks_action.triggered.connect(self.import_workbooks)
        menu.addAction(self.import_workbooks_action)
        self.export_json_action = QAction("匯出交換檔 (.json)…", parent)
        self.export_json_action.setToolTip("把整個專案存成一個交換檔，可在另一台電腦匯入")
        self.export_json_action.triggered.connect(self.export_interchange)
        menu.addAction(self.export_json_action)
        menu.addSeparator()
        quit_action = QAction("結束", parent)
        quit_action.setShortcuts(QKeySequence.StandardKey.Quit)  # not setShortcut: its overloads load the Qt enums
        quit_action.triggered.connect(self.shell.close)
        menu.addAction(quit_action)
        # Need an open project (開啟專案檔… too: it replaces the one being opened).
        self.project_actions = [self.open_file_action, self.sample_action, self.import_action, self.export_json_action]
        self.set_enabled(False)

    def set_enabled(self, enabled: bool) -> None:
        for action in self.project_actions:
            action.setEnabled(enabled)

    # ---------------------------------------------------------------- opening a project file

    def choose_project_file(self) -> bool:
        document = self.shell.document
        folder = str(document.persistence.location.parent) if document is not None else ""
        path, _ = QFileDialog.getOpenFileName(self.shell.window(), "開啟專案檔", folder, "工會專案檔 (*.tap)")
        return self.open_store(Path(path), must_exist=True) if path else False

    def open_store(
        self,
        location: Path | None = None,
        break_lock: bool = False,
        read_only: bool = False,
        reopen: bool = False,
        must_exist: bool = False,
    ) -> bool:
        """Open the project file ``location`` (the user's working project, created if need be, by default).

        A file another copy holds asks whether to unlock it or open it read-only; a file whose key is not
        on this PC offers to import the key (the file is opened read-only to take it). ``reopen``: the open
        file again, e.g. for editing once its key is imported. ``must_exist``: a file the user chose, not
        created when it is gone (only the working project is created). With ``quit_after_open``
        (the frozen smoke test) nothing is asked: the outcome is the exit status, a failure goes to stderr.
        """
        # Here, not at the top: these load the store (SQLite, keyring, cryptography) after the first paint.
        # StorePersistence is looked up in its module as it is used: the tests of a refused file replace it there.
        from treasurer_app.editing import persistence as editing
        from treasurer_app.ui import services

        shell = self.shell
        location = location or services.working_project_path()
        if shell.document is not None and shell.document.persistence.location == location and not reopen:
            shell.statusBar().showMessage("這個專案檔已經開啟", 5000)
            return True
        if shell.document is not None and not reopen and not shell.may_close("開啟其他專案檔"):
            return False
        try:
            persistence = editing.StorePersistence(
                location, break_lock=break_lock, read_only=read_only, create=not must_exist, check_in_background=True
            )
            project = persistence.load()
        except Exception as exc:  # the store's and privacy's errors carry a Chinese message
            if shell.quit_after_open:
                print(f"無法開啟工會資料：{exc}", file=sys.stderr)
                QApplication.exit(1)
                return False
            # Read-only that failed too is not offered again: the same question would come back for ever.
            refused = read_only and not break_lock and services.lock_state(exc) is None
            choice = None if refused else self.ask_how_to_open(exc)
            if choice is None:
                from treasurer_app.ui.open_messages import open_failure_texts  # not at the top: as services

                message, details = open_failure_texts(exc)
                self.show_open_failure(*(message, details) if details else (message,))
                return False
            if choice == "import_key":
                if not self.open_store(location, read_only=True, reopen=reopen, must_exist=must_exist):
                    return False
                # Once the key is in, the file is reopened for editing; cancelled, it stays read-only.
                self.keys.import_key()
                return True
            return self.open_store(
                location,
                break_lock=choice == "break",
                read_only=choice == "read_only",
                reopen=reopen,
                must_exist=must_exist,
            )
        self.use_store(persistence, project, read_only)
        if shell.quit_after_open:
            QTimer.singleShot(0, QApplication.quit)
        return True

    def reopen(self) -> bool:
        """The open file again, for editing (its key was just imported)."""
        assert self.shell.document is not None
        return self.open_store(self.shell.document.persistence.location, reopen=True)

    def use_store(self, persistence: Persistence, project: Project, read_only: bool = False) -> None:
        from treasurer_app.ui.document import ProjectDocument  # not at the top: it loads the domain's project

        shell = self.shell
        if shell.document is None:
            shell.attach(ProjectDocument(project, persistence), read_only)
        else:
            shell.read_only = read_only
            shell.document.switch(persistence, project)
        assert shell.document is not None
        shell.document.read_only = read_only
        # A project on a network drive is kept in a mode SQLite supports there: said once, on opening.
        note = getattr(persistence, "storage_note", "")
        status = shell.statusBar()
        if self.keys.kept_in_file():  # said once, where it is seen; the 備份 menu keeps saying it
            key_note = f"{NO_OS_STORE_TEXT}（可從「備份」匯出金鑰）"
            status.showMessage(f"{key_note}。{note}" if note else key_note, 15000)
        elif note:
            status.showMessage(f"已開啟工會資料。{note}", 15000)
        else:
            status.showMessage("已開啟工會資料（唯讀）" if read_only else "已開啟工會資料", 5000)
        shell.update_title()

    def show_damage(self, message: str, details: str = "") -> None:
        """The file's integrity check, run after opening (``treasurer_app.store.integrity``), found it damaged: said
        at once, and the window turns read-only until a backup is restored (the store writes nothing into it)."""
        shell = self.shell
        shell.read_only = True
        shell.update_title()
        if shell.quit_after_open:
            print(f"專案檔損毀：{message}", file=sys.stderr)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, f"{message}\n\n{DAMAGED_ADVICE}", parent=shell.window())
        if details:
            box.setDetailedText(details)
        box.exec()

    def ask_how_to_open(self, error: BaseException) -> str | None:
        """When the file cannot be opened for editing: "break" (a stale lock), "read_only", "import_key"
        (the key is not on this PC), or None to give up. A read-only file is offered read-only, as its
        message says it can be."""
        # Not at the top: these load the store and privacy (keyring, cryptography), after the first paint.
        from treasurer_app.privacy import KeyMissing
        from treasurer_app.store import StoreFileReadOnly
        from treasurer_app.ui.open_messages import open_failure_texts
        from treasurer_app.ui.services import lock_state

        stale = lock_state(error)
        key_missing = isinstance(error, KeyMissing)
        if stale is None and not key_missing and not isinstance(error, StoreFileReadOnly):
            return None
        message, details = open_failure_texts(error)  # which computer, since when; the path under 詳細資料
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message, parent=self.shell.window())
        if details:
            box.setDetailedText(details)
        first = None
        if key_missing:
            first = box.addButton("匯入金鑰…", QMessageBox.ButtonRole.AcceptRole)
        elif stale:
            first = box.addButton("解除鎖定並開啟", QMessageBox.ButtonRole.AcceptRole)
        read_only = box.addButton("以唯讀方式開啟", QMessageBox.ButtonRole.ActionRole)
        box.addButton("取消" if self.shell.opened else "結束", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if first is not None and box.clickedButton() is first:
            return "import_key" if key_missing else "break"
        return "read_only" if box.clickedButton() is read_only else None

    def show_open_failure(self, message: str, details: str = "") -> None:
        """Later the open project stays. At start the window cannot go on without a project: it offers
        another project file, else it ends. ``details``: SQLite's own (English) words, under 詳細資料 only."""
        parent = self.shell.window()
        if self.shell.opened:
            QMessageBox.warning(parent, APP_NAME, f"無法開啟工會資料：\n{message}")
            return
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, f"無法開啟工會資料：\n{message}", parent=parent)
        if details:
            box.setDetailedText(details)
        other = box.addButton("開啟其他專案檔…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("結束", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not other or not self.choose_project_file():
            self.shell.close()

    # ---------------------------------------------------------------- the sample, the interchange file, workbooks

    def open_sample(self) -> None:
        assert self.shell.document is not None
        if self.shell.document.project.years:
            answer = QMessageBox.question(
                self.shell.window(),
                "開啟範例工會",
                "範例工會會取代目前的資料。要繼續嗎？\n（可以從「備份」選單還原。）",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        from treasurer_app.ui.services import load_sample  # not at the top: as in open_store

        self.shell.load_project(load_sample())

    def import_interchange(self) -> bool:
        parent = self.shell.window()
        path, _ = QFileDialog.getOpenFileName(parent, "匯入交換檔", str(Path.home()), "交換檔 (*.json)")
        if not path:
            return False
        assert self.shell.document is not None
        if self.shell.document.project.years:
            answer = QMessageBox.question(
                parent, "匯入交換檔", "交換檔的資料會取代目前的資料。取代前會自動備份，可從「備份」選單還原。要繼續嗎？"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self.read_interchange(Path(path))

    def read_interchange(self, path: Path) -> bool:
        # Not at the top: the interchange module loads the domain, not needed for the first paint.
        from treasurer_app.interchange import InterchangeError, load

        try:
            project = load(path)
        except InterchangeError as exc:
            QMessageBox.warning(self.shell.window(), "匯入交換檔", f"無法匯入：{exc}")
            return False
        if not self.shell.load_project(project):
            return False
        self.shell.statusBar().showMessage(f"已匯入交換檔：{path.name}", 8000)
        return True

    def export_interchange(self) -> bool:
        parent = self.shell.window()
        answer = QMessageBox.question(parent, "匯出交換檔", PERSONAL_DATA_IN_JSON + "\n\n要繼續嗎？")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        assert self.shell.document is not None
        year = self.shell.year
        name = self.shell.document.project.union_name(year) if year is not None else ""
        suggested = Path.home() / f"{name or '工會'}-{date.today():%Y%m%d}.json"
        path, _ = QFileDialog.getSaveFileName(parent, "匯出交換檔", str(suggested), "交換檔 (*.json)")
        return self.write_interchange(Path(path)) if path else False

    def write_interchange(self, path: Path) -> bool:
        from treasurer_app.interchange import save  # not at the top: as in read_interchange

        assert self.shell.document is not None
        try:
            save(self.shell.document.project, path)
        except OSError as exc:
            QMessageBox.warning(self.shell.window(), "匯出交換檔", f"無法寫入 {path}：{exc.strerror or exc}")
            return False
        self.shell.statusBar().showMessage(f"已匯出交換檔：{path}（含會員個人資料，請妥善保管）", 10000)
        return True

    def import_workbooks(self) -> bool:
        paths, _ = QFileDialog.getOpenFileNames(
            self.shell.window(), "匯入活頁簿", str(Path.home()), "Excel 活頁簿 (*.xls *.xlsx);;所有檔案 (*)"
        )
        return self.import_workbook_files([Path(p) for p in paths]) if paths else False

    def import_workbook_files(self, paths: list[Path]) -> bool:
        """Read the workbooks, show what they would change and the report, and on 匯入: back up, then replace
        the years as one step that 復原 takes back."""
        # Not at the top: the workbook readers (xlrd, openpyxl) are loaded only when workbooks are imported.
        from treasurer_app import workbook_import
        from treasurer_app.ui.import_dialog import ImportDialog

        shell = self.shell
        document = shell.document
        assert document is not None
        batch = workbook_import.read_workbooks(paths)
        dialog = ImportDialog(document.project, batch, shell.window())
        if dialog.exec() != ImportDialog.DialogCode.Accepted or dialog.accept_button is None:
            return False
        backup = getattr(document.persistence, "backup_now", None)
        if dialog.replaces and callable(backup):
            try:
                backup(kind="before-import")
            except Exception as exc:  # the store's errors carry a Chinese message
                QMessageBox.warning(shell.window(), "匯入活頁簿", f"匯入前無法備份，未匯入：{exc}")
                return False
        years = sorted(batch.years)
        names = "、".join(f.name for f in batch.read)
        shown = shell.year
        if not document.import_years(workbook_import.import_edit(document.project, batch, f"匯入活頁簿（{names}）")):
            return False
        shell.set_year(shown if shown in document.project.years else max(years))
        shell.statusBar().showMessage(f"已匯入 {len(batch.read)} 個活頁簿（可按「復原」整批還原）", 8000)
        return True
