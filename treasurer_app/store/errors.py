"""What goes wrong, in Chinese: the ``StoreError`` family, and SQLite's and the system's English said in Chinese.

``OS_REASONS`` is the program's one table of system errors (``errno``) in Chinese; the exporters read it
too (``export.atomic.write_reason``). Every message names the file; SQLite's own English goes only to
``details`` (a 詳細資料 section at most).
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from treasurer_app.store.lock import LockHolder


class StoreError(Exception):
    """The store cannot do what was asked. ``str(error)`` is the Chinese message."""

    details = ""  # SQLite's or the system's own words (English), for a 詳細資料 section at most


class StoreNotFound(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}：找不到專案檔")


class StoreNotProject(StoreError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}：不是本程式的專案檔（{detail}）")


class StoreDamaged(StoreError):
    def __init__(self, path: Path, detail: str, details: str = "") -> None:
        super().__init__(f"{path}：專案檔已損毀或不完整（{detail}），請從備份還原")
        self.details = details


class StoreTooNew(StoreError):
    def __init__(self, path: Path, version: int, supported: int) -> None:
        super().__init__(
            f"{path}：此專案檔由較新版本的程式建立（資料結構版本 {version}，本程式支援到 {supported}），"
            "請更新程式後再開啟"
        )


class StoreNeedsUpgrade(StoreError):
    def __init__(self, path: Path, version: int, current: int) -> None:
        super().__init__(
            f"{path}：資料結構版本 {version} 需先升級為 {current} 才能讀取，請以一般（可修改）方式開啟一次"
        )


class StoreFileReadOnly(StoreError):
    def __init__(self, path: Path, what: str = "檔案") -> None:
        super().__init__(f"{path}：{what}為唯讀，無法寫入修改；可改以唯讀方式開啟，或取消唯讀屬性後再開啟")
        self.reason = f"{what}為唯讀"


class StoreCannotCreate(StoreError):
    """No project file yet, and none can be made where it should be (a read-only folder or disk, a full disk)."""

    def __init__(self, path: Path, detail: str, details: str = "") -> None:
        super().__init__(
            f"{path.parent}：{detail}，無法在這裡建立新的專案檔 {path.name}；"
            "請改用可寫入的資料夾，或開啟其他位置已有的專案檔"
        )
        self.reason = detail
        self.details = details


class StoreExists(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}：檔案已存在，不會覆蓋")


class StoreReadOnly(StoreError):
    """A write on a store opened read-only."""


class StoreWriteFailed(StoreError):
    def __init__(self, path: Path, detail: str, details: str = "") -> None:
        super().__init__(f"{path}：無法存檔（{detail}），剛才的修改沒有儲存")
        self.reason = detail
        self.details = details


class StoreBackupFailed(StoreError):
    """A backup could not be written; no edit is involved (edits are in the project file already)."""

    def __init__(self, folder: Path, detail: str, details: str = "") -> None:
        super().__init__(f"{folder}：無法寫入備份（{detail}）")
        self.reason = detail
        self.details = details


class StoreBusy(StoreError):
    """Another program (or, on a network drive, another computer) is using the file right now."""

    def __init__(self, path: Path, network: bool = False) -> None:
        if network:
            super().__init__(f"{path}：專案檔正由另一台電腦開啟（網路磁碟上同一時間只能一台電腦開啟），請稍後再試")
        else:
            super().__init__(f"{path}：檔案正被其他程式寫入，請稍後再試")


class StoreLockLost(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}：本程式對專案檔的鎖定已被其他程式解除，為免兩邊同時修改，之後的修改不會儲存；請關閉後重新開啟"
        )
        self.reason = "專案檔的鎖定已被其他程式解除"


class BackupMismatch(StoreError):
    def __init__(self, backup: Path, path: Path) -> None:
        super().__init__(f"{backup}：這份備份屬於另一個專案，不能還原到 {path}")


class StoreLocked(StoreError):
    def __init__(self, path: Path, holder: LockHolder, stale: bool) -> None:
        self.path = path
        self.holder = holder
        self.stale = stale
        if stale:
            text = (
                f"{path}：專案檔曾由 {holder.describe()} 開啟，但該程式似乎已不在執行（鎖定已失效）。"
                "若確定沒有其他人在使用，可解除鎖定後開啟；也可以唯讀方式開啟。"
            )
        else:
            text = (
                f"{path}：專案檔正由 {holder.describe()} 使用中，為免兩邊同時修改而遺失資料，"
                "現在只能以唯讀方式開啟；請對方關閉程式後再試。"
            )
        super().__init__(text)


# ---------------------------------------------------------------- SQLite's and the system's words in Chinese

_SQLITE_REASONS = (  # (words in SQLite's English message, what it means to the user)
    ("full", "磁碟空間不足"),
    ("readonly", "檔案或所在的資料夾為唯讀"),
    ("read-only", "檔案或所在的資料夾為唯讀"),
    ("locked", "檔案正被其他程式使用"),
    ("busy", "檔案正被其他程式使用"),
    ("malformed", "資料庫結構損壞"),
    ("corrupt", "資料庫結構損壞"),
    ("not a database", "檔案內容無法辨識"),
    ("i/o", "磁碟讀寫錯誤"),
    ("unable to open", "無法開啟檔案（可能沒有權限，或所在的磁碟無法存取）"),
    ("out of memory", "記憶體不足"),
    ("interrupt", "作業被中斷"),
)


def sqlite_reason(exc: sqlite3.Error) -> str:
    """SQLite's English error in Chinese words; one no rule knows is "資料庫錯誤" with its code, never English."""
    text = str(exc).lower()
    for words, reason in _SQLITE_REASONS:
        if words in text:
            return reason
    code = getattr(exc, "sqlite_errorname", "") or type(exc).__name__
    return f"資料庫錯誤（{code}）"


OS_REASONS = {  # why a file or folder could not be written, by the system's error number
    errno.ENOSPC: "磁碟空間不足",
    errno.EROFS: "磁碟是唯讀的",
    errno.EACCES: "沒有寫入權限",
    errno.EPERM: "沒有寫入權限",
    errno.EIO: "磁碟讀寫錯誤",
    errno.EEXIST: "同名的檔案已存在，不是資料夾",
    errno.ENOTDIR: "路徑中有一段是檔案，不是資料夾",
}


def os_reason(exc: OSError) -> str:
    """A system error in Chinese words (the system's own words are English)."""
    return OS_REASONS.get(exc.errno or 0, f"無法寫入（系統錯誤代碼 {exc.errno}）")


def translate_open_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """SQLite's error while opening or reading ``path``, in Chinese; its own English words go only to ``details``."""
    error = _open_error(path, exc)
    error.details = error.details or str(exc)
    return error


def _open_error(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc).lower()
    if "not a database" in text or "file is encrypted" in text:
        return StoreNotProject(path, "檔案內容無法辨識")
    if "malformed" in text or "corrupt" in text:
        return StoreDamaged(path, "資料庫結構損壞")
    if "readonly" in text or "read-only" in text:
        return StoreFileReadOnly(path)
    if "locked" in text or "busy" in text:
        return StoreBusy(path)
    if "unable to open" in text:
        return StoreError(f"{path}：無法開啟檔案（可能沒有權限，或所在的磁碟無法存取）")
    return StoreDamaged(path, sqlite_reason(exc), str(exc))


def write_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """SQLite's error while writing ``path`` (an edit, a migration, a restore), in Chinese."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return StoreFileReadOnly(path)
    if "malformed" in text or "corrupt" in text:
        return StoreDamaged(path, "資料庫結構損壞")
    return StoreWriteFailed(path, sqlite_reason(exc), str(exc))
