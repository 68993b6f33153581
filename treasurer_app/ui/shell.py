"""What the main window offers the modules that add its menus' actions (file, backup, key).

``ui/main_window.MainWindow`` builds those modules and hands itself to them as a ``Shell``; they never
import the window, so the window's module can import theirs without an import circle.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QApplication, QMessageBox, QStatusBar, QWidget

if TYPE_CHECKING:
    from treasurer_app.editing.persistence import StorePersistence
    from treasurer_app.project import Project
    from treasurer_app.ui.document import ProjectDocument

STILL_OPENING = "專案檔還在開啟中，請稍候再試一次。"
# The status bar's word for "every edit is in the file": ui/document says it, the window shows it.
SAVED_TEXT = "已儲存"


class Shell(Protocol):
    """The window as its action modules see it."""

    document: ProjectDocument | None  # None until the first project is attached
    year: int | None  # the year shown
    read_only: bool  # the open file was opened read-only
    opened: bool  # a project has been attached
    quit_after_open: bool  # the frozen smoke test: ask nothing, quit once open

    def window(self) -> QWidget: ...  # the parent of the dialogs (QWidget.window(): the window itself)

    def statusBar(self) -> QStatusBar: ...

    def close(self) -> bool: ...

    def attach(self, document: ProjectDocument, read_only: bool = False) -> None: ...

    def set_year(self, year: int | None) -> None: ...

    def update_title(self) -> None: ...

    def may_close(self, doing: str = "關閉") -> bool: ...

    def load_project(self, project: Project) -> bool: ...


@contextmanager
def busy() -> Iterator[None]:
    """The wait cursor while the window does something slow the user asked for."""
    # Here, not at the top: PySide's Qt namespace builds all its enums on first use (≈ 20 ms of the first paint).
    from PySide6.QtCore import Qt

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def store_persistence(shell: Shell, title: str) -> StorePersistence | None:
    """The project file behind the window, whose backups and key these actions handle; None while the file
    is still being opened (the window shows before its project is read), said in a box titled ``title``."""
    # Here, not at the top: editing.persistence loads the store, not needed for the first paint.
    from treasurer_app.editing.persistence import StorePersistence

    assert shell.document is not None
    persistence = shell.document.persistence
    if isinstance(persistence, StorePersistence):
        return persistence
    QMessageBox.warning(shell.window(), title, STILL_OPENING)
    return None
