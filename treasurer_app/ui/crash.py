"""The window program's last line of defence: an exception nothing else caught, while starting or once running,
is written to a log file and said in a Chinese message box (the technical details under 詳細資料).

The windowed program has no console: without this, a failure while starting ended it with nothing on screen,
and one in a button's handler printed to a console that is not there. ``install`` is called before anything
that can fail (``cli.main`` calls it before the window's modules are imported), so this module imports only
the standard library; Qt is imported when there is something to show, and a Qt that cannot be loaded at all
falls back to Windows' own message box.
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import datetime
from pathlib import Path
from types import TracebackType

from treasurer_app import APP_ID, APP_NAME

DATA_DIR_ENV = "TREASURER_APP_DATA_DIR"  # store.files.DATA_DIR_ENV (not imported: it loads the store)
LOG_FOLDER = "logs"
STARTING_TEXT = f"{APP_NAME}無法啟動。\n程式發生未預期的錯誤。"
RUNNING_TEXT = (
    "程式發生未預期的錯誤，剛才的動作可能沒有完成。\n已存入專案檔的資料不受影響，可以繼續使用或重新開啟程式。"
)

_state = {"running": False, "showing": False}
_shown: set[str] = set()  # the failures already shown: one that recurs (in every repaint, say) is logged only
# How often each traceback has come: it is logged in full the first time, then as one line at its 2nd, 4th, 8th…
# time (a failure in every repaint would otherwise grow the log by megabytes).
_seen: dict[str, int] = {}


def install() -> None:
    """Make ``handle`` the program's ``sys.excepthook``: before the event loop, a failure is a failed start."""
    sys.excepthook = handle


def event_loop_started() -> None:
    """From now on a failure is an action that did not complete, not a failed start."""
    _state["running"] = True


def handle(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in a console: Python's own way
        sys.__excepthook__(kind, error, trace)
        return
    import traceback

    details = "".join(traceback.format_exception(kind, error, trace))
    if sys.stderr is not None:  # a console, when there is one (not in the windowed program)
        sys.stderr.write(details)
    times = _seen[details] = _seen.get(details, 0) + 1
    if times == 1:
        log = write_log(details)
    elif times & (times - 1) == 0:  # a power of two
        log = write_log(f"同一個錯誤第 {times} 次：{kind.__name__}: {error}\n")
    else:
        log = log_path()
    text = RUNNING_TEXT if _state["running"] else STARTING_TEXT
    where = f"\n\n錯誤紀錄已存到：\n{log}\n請把這個檔案交給協助您的人員。" if log else "\n\n（錯誤紀錄無法寫入磁碟。）"
    said = f"{kind.__name__}: {error}"
    if not _state["showing"] and said not in _shown:  # one box at a time, once for each failure
        _state["showing"] = True
        _shown.add(said)
        try:
            show(text + where, details)
        finally:
            _state["showing"] = False


def log_folder() -> Path:
    """``logs`` in the user's data folder (where the projects live unless another place was chosen)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override) / LOG_FOLDER
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_ID / LOG_FOLDER


def write_log(details: str) -> Path | None:
    """The details appended to ``error-YYYYMMDD.log`` in ``log_folder()``, else in the temporary folder; None
    when neither can be written."""
    now = datetime.now()
    entry = f"==== {now:%Y-%m-%d %H:%M:%S} {APP_NAME} {_version()}\n{details}\n"
    for folder in _log_folders():
        path = folder / f"error-{now:%Y%m%d}.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as log:
                log.write(entry)
        except OSError:
            continue
        return path
    return None


def log_path() -> Path | None:
    """Today's log as written last, without writing to it (None when there is none)."""
    name = f"error-{datetime.now():%Y%m%d}.log"
    return next((folder / name for folder in _log_folders() if (folder / name).is_file()), None)


def _log_folders() -> tuple[Path, Path]:
    import tempfile

    return log_folder(), Path(tempfile.gettempdir()) / APP_ID / LOG_FOLDER


def _version() -> str:
    try:
        from treasurer_app.about import app_version

        return app_version()
    except Exception:  # the version is a nicety: never a second failure
        return ""


def show(text: str, details: str) -> None:
    """A modal Chinese message box, the details under 詳細資料; Windows' own box if Qt cannot be used."""
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        existing = QApplication.instance()
        app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0] if sys.argv else APP_ID])
        with contextlib.suppress(Exception):  # Qt's own words on the box (確定, 顯示詳細資料…) in Chinese
            from treasurer_app.ui.theme import install_translations

            install_translations(app)
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, text, QMessageBox.StandardButton.Ok)
        box.setDetailedText(details)
        box.exec()
    except Exception:
        if os.name == "nt":
            import ctypes

            windows = ctypes.windll  # type: ignore[attr-defined]  # ctypes has windll on Windows only
            windows.user32.MessageBoxW(None, text, APP_NAME, 0x10)  # MB_ICONERROR
