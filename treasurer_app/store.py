"""The project store: one SQLite file per union, every edit committed as it is made.

* WAL journal with ``synchronous=FULL``: an edit acknowledged by a method's
  return survives a killed process and a power cut.
* On a network drive (``treasurer_app.netdrive``), where WAL's shared memory is not
  safe, a rollback journal with ``locking_mode=EXCLUSIVE`` instead: one computer
  at a time (``Store.storage_note`` says so). The file header then reads like a
  backup's; backups are told apart by their ``meta.is_backup`` mark.
* Every edit method is its own transaction; ``transaction()`` groups several
  into one (all kept or none).
* Rows of the roster, the training sessions and the ledger have stable ids;
  their order is a sparse ``position`` column, so inserting, moving or editing
  one row of a 50,000-entry ledger touches that row only.
* A lock row names the host, process and user holding the file (GnuCash); a
  second copy gets ``StoreLocked`` and may open the file read-only.
* Backups are made with SQLite's online backup API, only when something changed
  and a minimum interval passed, thinned to daily / weekly / monthly (Anki).
  Backup files are opened immutable, so opening one never changes it.
* Schema migrations run in order, each after a backup copy of the file.
* Personal values are sealed by ``treasurer_app.privacy`` before they reach SQL.

Every failure a user can meet is a ``StoreError`` (or a ``privacy.PrivacyError``
for key problems) whose ``str`` is a Chinese message; no traceback reaches them.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import glob
import json
import os
import re
import socket
import sqlite3
import stat
import struct
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import platformdirs

from treasurer_app import netdrive, normalise, privacy
from treasurer_app.forms import FORMS, SCALAR_FORMS
from treasurer_app.forms.ledger import ENTRY_FIELD, ENTRY_KEYS, HEADER_FIELD, HEADER_KEYS
from treasurer_app.line_subsidy.forms import LINE_FORMS, LINE_SCALAR_FORMS, LINE_TABLES
from treasurer_app.project import (
    ATTACHMENT_KINDS,
    LedgerBook,
    Project,
    YearBook,
)

APPLICATION_ID = 0x54524541  # "TREA" in the SQLite header marks our project files
SCHEMA_VERSION = 2  # 2: the LINE subsidy's tables (line_subsidy/forms.py) among the rows
PROJECT_SUFFIX = ".tap"
DATA_DIR_ENV = "TREASURER_APP_DATA_DIR"  # overrides the platformdirs folder (tests, portable installs)
BACKUP_FOLDER = "backups"
LOCK_TIMEOUT = timedelta(minutes=10)  # a lock not refreshed for this long may be broken
HEARTBEAT_INTERVAL = timedelta(minutes=1)  # edits refresh the lock at most this often; call heartbeat() when idle
BUSY_TIMEOUT_MS = 5000
POSITION_GAP = 1 << 16  # room left between neighbouring rows for later inserts

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "roster": tuple(f.key for f in FORMS["roster"].columns),
    "sessions": tuple(f.key for f in FORMS["training_report"].columns),
    "ledger": ENTRY_KEYS,
    **{table: tuple(f.key for f in LINE_FORMS[table].columns) for table in LINE_TABLES},
}
TABLE_NAMES = {
    "roster": "會員名冊", "sessions": "教育訓練成果報告", "ledger": "現金收支登記簿",
    **{table: LINE_FORMS[table].sheet_name for table in LINE_TABLES},
}
_TABLE_ALIASES = {"training_report": "sessions"}  # YearBook.table() speaks of form ids
_FORM_KEYS: dict[str, frozenset[str]] = {
    form_id: frozenset(f.key for f in (*FORMS[form_id].fields, *FORMS[form_id].extra_fields))
    for form_id in SCALAR_FORMS
} | {form_id: frozenset(f.key for f in LINE_FORMS[form_id].fields) for form_id in LINE_SCALAR_FORMS}
_COLUMN_SETS = {table: frozenset(columns) for table, columns in TABLE_COLUMNS.items()}
_TABLE_FIELDS = {"roster": normalise.ROSTER_FIELDS, "sessions": normalise.SESSION_FIELDS, "ledger": ENTRY_FIELD,
                 **normalise.LINE_TABLE_FIELDS}
# meta: the normalisation rules (normalise.RULES_VERSION) every stored value was last written with.
NORMALISED_KEY = "normalised"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_WAL_VERSION = 2  # header bytes 18/19: 2 = WAL (a project), 1 = rollback journal (backups, projects on a share)
NETWORK_MODE_NOTE = "專案檔在網路磁碟上：改用相容模式儲存，同一時間只能一台電腦開啟。"


# ---------------------------------------------------------------- errors


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
    def __init__(self, path: Path, version: int) -> None:
        super().__init__(
            f"{path}：此專案檔由較新版本的程式建立（資料結構版本 {version}，本程式支援到 {SCHEMA_VERSION}），"
            "請更新程式後再開啟"
        )


class StoreNeedsUpgrade(StoreError):
    def __init__(self, path: Path, version: int) -> None:
        super().__init__(
            f"{path}：資料結構版本 {version} 需先升級為 {SCHEMA_VERSION} 才能讀取，請以一般（可修改）方式開啟一次"
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


@dataclass(frozen=True)
class LockHolder:
    """Who holds a project file open for writing."""

    host: str
    pid: int
    user: str
    since: datetime  # UTC
    heartbeat: datetime  # UTC, refreshed while the holder runs
    token: str

    def describe(self) -> str:
        since = self.since.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{self.user or '不明使用者'} 在電腦 {self.host}（程式編號 {self.pid}）自 {since} 起"


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


# ---------------------------------------------------------------- folders and names


def default_data_dir() -> Path:
    """Where projects live unless the user picks another place."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("treasurer_app", appauthor=False))


def default_project_path(stem: str) -> Path:
    return default_data_dir() / f"{stem}{PROJECT_SUFFIX}"


# ---------------------------------------------------------------- backups: names, policy, thinning


@dataclass(frozen=True)
class BackupPolicy:
    """When to make backups and how many to keep (Anki's rule)."""

    min_interval_minutes: int = 30
    keep_all_hours: int = 24
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # local time, from the file name
    kind: str  # "" for a regular backup; "before-restore", "before-import", "before-migration-vN"


_STAMP = "%Y%m%d-%H%M%S"


def backup_name(project_path: Path, taken_at: datetime, kind: str = "", serial: int = 1) -> str:
    tag = f"-{kind}" if kind else ""
    extra = f"_{serial}" if serial > 1 else ""
    return f"{project_path.stem}.backup-{taken_at.strftime(_STAMP)}{tag}{extra}{project_path.suffix}"


def list_backups(project_path: str | Path, backup_dir: str | Path | None = None) -> list[BackupInfo]:
    """The project's backups in ``backup_dir`` (default ``backups/`` beside it), newest first."""
    project_path = Path(project_path)
    folder = Path(backup_dir) if backup_dir is not None else project_path.parent / BACKUP_FOLDER
    pattern = re.compile(
        rf"^{re.escape(project_path.stem)}\.backup-(\d{{8}}-\d{{6}})(?:-([a-z][a-z0-9-]*?))?(?:_\d+)?"
        rf"{re.escape(project_path.suffix)}$"
    )
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match is None or not entry.is_file():
            continue
        try:
            taken_at = datetime.strptime(match.group(1), _STAMP)
        except ValueError:
            continue
        found.append(BackupInfo(entry, taken_at, match.group(2) or ""))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def backups_to_remove(backups: Iterable[BackupInfo], now: datetime, policy: BackupPolicy) -> list[BackupInfo]:
    """Regular backups the policy no longer keeps.

    Newest first: everything from the last ``keep_all_hours``; then the newest
    of each earlier day up to ``daily`` days, of each earlier week up to
    ``weekly`` weeks, of each earlier month up to ``monthly`` months. Days,
    weeks and months are counted among those that have a backup, so a project
    edited once a month still keeps a year of history. Tagged backups (before
    restore, import or migration) are never removed here.
    """
    recent_since = now - timedelta(hours=policy.keep_all_hours)
    daily, weekly, monthly = policy.daily, policy.weekly, policy.monthly
    last_day = last_week = last_month = None
    obsolete: list[BackupInfo] = []
    for backup in sorted((b for b in backups if not b.kind), key=lambda b: b.taken_at, reverse=True):
        day = backup.taken_at.date().toordinal()
        week = day - backup.taken_at.weekday()
        month = backup.taken_at.year * 12 + backup.taken_at.month
        if backup.taken_at >= recent_since:
            keep = True
        elif daily > 0 and (last_day is None or day < last_day):
            daily -= 1
            keep = True
        elif weekly > 0 and (last_week is None or week < last_week):
            weekly -= 1
            keep = True
        elif monthly > 0 and (last_month is None or month < last_month):
            monthly -= 1
            keep = True
        else:
            keep = False
        if keep:
            last_day, last_week, last_month = day, week, month
        else:
            obsolete.append(backup)
    return obsolete


# ---------------------------------------------------------------- locks


def _host() -> str:
    return socket.gethostname() or "unknown"


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getuser raises whatever the platform lookup raises
        return ""


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _windows_pid_alive(pid: int) -> bool:
    # os.kill(pid, 0) on Windows would send CTRL+C; ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    query_limited_information, still_active = 0x1000, 259
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def lock_is_stale(holder: LockHolder, now: datetime | None = None, timeout: timedelta = LOCK_TIMEOUT) -> bool:
    """A lock whose holder is gone.

    On this host the holder's process is asked for: the lock is stale exactly
    when that process is not running (an idle copy of the app is never taken
    for gone). For another host only the heartbeat can tell: stale when it is
    older than ``timeout``; a running app refreshes it (``Store.heartbeat``).
    """
    if holder.host == _host():
        return not _pid_alive(holder.pid)
    return _utc(now) - holder.heartbeat > timeout


def _utc(now: datetime | None) -> datetime:
    """Lock times are UTC; a naive ``now`` is taken as local time."""
    if now is None:
        return datetime.now(UTC)
    return now.astimezone(UTC)


def _parse_utc(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# ---------------------------------------------------------------- schema


def _create_v1(conn: sqlite3.Connection) -> None:
    for statement in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID",
        """CREATE TABLE lock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            token TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, user TEXT NOT NULL,
            since TEXT NOT NULL, heartbeat TEXT NOT NULL)""",
        "CREATE TABLE years (year INTEGER PRIMARY KEY, has_ledger INTEGER NOT NULL DEFAULT 0)",
        """CREATE TABLE form_values (
            year INTEGER NOT NULL REFERENCES years (year) ON DELETE CASCADE,
            form_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (year, form_id, key)) WITHOUT ROWID""",
        """CREATE TABLE ledger_header (
            year INTEGER NOT NULL REFERENCES years (year) ON DELETE CASCADE,
            key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (year, key)) WITHOUT ROWID""",
        # plain: JSON of the row's ordinary values; sealed: JSON of column → privacy.Cipher.seal(...)
        """CREATE TABLE rows (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            year INTEGER NOT NULL REFERENCES years (year) ON DELETE CASCADE,
            tbl TEXT NOT NULL CHECK (tbl IN ('roster', 'sessions', 'ledger')),
            position INTEGER NOT NULL,
            plain TEXT NOT NULL, sealed TEXT NOT NULL)""",
        "CREATE UNIQUE INDEX rows_order ON rows (year, tbl, position)",
        """CREATE TABLE attachments (
            year INTEGER NOT NULL REFERENCES years (year) ON DELETE CASCADE,
            kind TEXT NOT NULL, path TEXT NOT NULL,
            PRIMARY KEY (year, kind)) WITHOUT ROWID""",
        """CREATE TABLE acknowledged (
            year INTEGER NOT NULL REFERENCES years (year) ON DELETE CASCADE,
            finding TEXT NOT NULL,
            PRIMARY KEY (year, finding)) WITHOUT ROWID""",
    ):
        conn.execute(statement)


def _line_tables_v2(conn: sqlite3.Connection) -> None:
    """The rows table also holds the LINE subsidy's tables: its CHECK lists them, so it is rebuilt
    (ids, positions and the AUTOINCREMENT counter kept: sealed values are bound to their row id)."""
    names = ", ".join(f"'{table}'" for table in ("roster", "sessions", "ledger", *LINE_TABLES))
    sequence = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'rows'").fetchone()
    for statement in (
        f"""CREATE TABLE rows_v2 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            year INTEGER NOT NULL REFERENCES years (year) ON DELETE CASCADE,
            tbl TEXT NOT NULL CHECK (tbl IN ({names})),
            position INTEGER NOT NULL,
            plain TEXT NOT NULL, sealed TEXT NOT NULL)""",
        "INSERT INTO rows_v2 (id, year, tbl, position, plain, sealed) "
        "SELECT id, year, tbl, position, plain, sealed FROM rows",
        "DROP TABLE rows",
        "ALTER TABLE rows_v2 RENAME TO rows",
        "CREATE UNIQUE INDEX rows_order ON rows (year, tbl, position)",
    ):
        conn.execute(statement)
    if sequence is not None:  # DROP TABLE forgot the counter; rows_v2 counted only up to the highest id kept
        conn.execute("DELETE FROM sqlite_sequence WHERE name = 'rows'")
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('rows', ?)", (sequence[0],))


# MIGRATIONS[v] takes a file from schema version v to v + 1; each runs in its own
# transaction after a backup copy of the file. Entry 0 builds a new file.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_create_v1, _line_tables_v2]


# ---------------------------------------------------------------- opening files


@dataclass(frozen=True)
class _Header:
    write_version: int
    application_id: int


def _read_header(path: Path) -> _Header:
    """Classify a file before SQLite touches it: missing, not a project, or visibly truncated."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise StoreNotFound(path) from None
    except OSError as exc:
        raise StoreError(f"{path}：無法讀取檔案（{exc.strerror or exc}）") from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreNotProject(path, "這是資料夾")
    if info.st_size == 0:
        raise StoreNotProject(path, "空白檔案")
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except PermissionError:
        raise StoreError(f"{path}：沒有讀取權限") from None
    except OSError as exc:
        raise StoreError(f"{path}：無法讀取檔案（{exc.strerror or exc}）") from None
    if not head.startswith(_SQLITE_MAGIC):
        raise StoreNotProject(path, _describe_foreign(head))
    if len(head) < 100:
        raise StoreDamaged(path, "檔案不完整")
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, page_count = struct.unpack(">II", head[24:32])
    valid_for = struct.unpack(">I", head[92:96])[0]
    application_id = struct.unpack(">I", head[68:72])[0]
    if application_id != APPLICATION_ID:
        raise StoreNotProject(path, "這是其他程式的 SQLite 資料庫")
    if page_size < 512 or page_size & (page_size - 1):
        raise StoreDamaged(path, "檔頭的頁面大小不正確")
    wal = path.with_name(path.name + "-wal")
    wal_has_frames = wal.exists() and wal.stat().st_size > 32
    # An unfinished checkpoint may leave the file shorter than its header says while the WAL holds the rest.
    if not wal_has_frames and (
        info.st_size % page_size or (valid_for == change_counter and info.st_size < page_count * page_size)
    ):
        raise StoreDamaged(path, "檔案被截斷，可能是複製或下載中斷")
    return _Header(write_version=head[18], application_id=application_id)


def _describe_foreign(head: bytes) -> str:
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "這是 Excel 97-2003 活頁簿（.xls）或其他 Office 文件"
    if head.startswith(b"PK\x03\x04"):
        return "這是 Excel 活頁簿（.xlsx）或其他壓縮檔"
    if head.startswith(b"%PDF"):
        return "這是 PDF 文件"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "這看起來是專案交換檔（JSON），請用「匯入」開啟"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "檔案內容無法辨識"
    return "這是文字檔"


def _uri(path: Path, *, read_only: bool, immutable: bool = False) -> str:
    posix = path.absolute().as_posix()
    # "file:///C:/x", "file:////server/share/x" (UNC) and "file:///home/x" are what SQLite expects.
    prefix = "file://" if posix.startswith("/") else "file:///"
    mode = "ro" if read_only else "rw"
    suffix = "&immutable=1" if immutable else ""
    return f"{prefix}{quote(posix, safe='/:')}?mode={mode}{suffix}"


def _connect(path: Path, *, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(
            _uri(path, read_only=read_only, immutable=immutable),
            uri=True,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
    except sqlite3.Error as exc:
        raise _translate_open_error(path, exc) from None
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _translate_open_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """SQLite's error in Chinese; its own English words go only to ``details``."""
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


_OS_REASONS = {
    errno.ENOSPC: "磁碟空間不足",
    errno.EROFS: "磁碟是唯讀的",
    errno.EACCES: "沒有寫入權限",
    errno.EPERM: "沒有寫入權限",
    errno.EIO: "磁碟讀寫錯誤",
}


def os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno or 0, f"無法寫入（系統錯誤代碼 {exc.errno}）")


def _check_writable(path: Path) -> None:
    info = path.stat()
    # The mode bit is checked too: as administrator os.access says yes even to a file marked read-only.
    if not os.access(path, os.W_OK) or not info.st_mode & stat.S_IWUSR:
        raise StoreFileReadOnly(path)
    if not os.access(path.parent, os.W_OK):
        raise StoreFileReadOnly(path, "所在的資料夾")


def _local(now: datetime | None) -> datetime:
    """Backups are named and thinned in local wall-clock time."""
    if now is None:
        return datetime.now()
    return now.astimezone().replace(tzinfo=None) if now.tzinfo else now


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return  # directories cannot be opened for fsync there; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _backup_connection(conn: sqlite3.Connection, target: Path) -> None:
    """Copy ``conn`` into a new self-contained file with the online backup API, atomically named ``target``."""
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, *_sidecars(partial)):
        leftover.unlink(missing_ok=True)
    dest = sqlite3.connect(partial, isolation_level=None)
    try:
        # One fsync below, before the rename, is all a not-yet-visible file needs.
        dest.execute("PRAGMA synchronous = OFF")
        conn.backup(dest)
        # A backup is one file in rollback-journal mode: reading it never needs -wal/-shm files.
        dest.execute("PRAGMA journal_mode = DELETE")
        dest.execute("BEGIN")
        dest.execute("DELETE FROM lock")
        dest.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('is_backup', 1)")
        dest.execute("COMMIT")
    finally:
        dest.close()
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    _fsync_dir(target.parent)


def _sidecars(path: Path) -> tuple[Path, ...]:
    """The files SQLite may keep beside ``path`` while it is open, left behind when the process is killed."""
    return tuple(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))


def _roll_back_unfinished_edit(path: Path) -> None:
    """What SQLite does for any reader allowed to write: undo the part of an edit a killed copy left in the
    file (a hot rollback journal). No committed value changes; StoreFileReadOnly where that is not allowed."""
    try:
        conn = _connect(path, read_only=False)
    except StoreError:
        raise StoreFileReadOnly(path, "所在的資料夾") from None
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise _translate_open_error(path, exc) from None
        raise StoreFileReadOnly(path, "所在的資料夾") from None
    except sqlite3.DatabaseError as exc:
        raise _translate_open_error(path, exc) from None
    finally:
        conn.close()


def _marked_as_backup(path: Path) -> bool:
    """Whether a file in rollback-journal mode is one of our backups (marked so in ``meta`` when made)
    rather than a project kept on a network drive, or copied from one."""
    if any(side.exists() for side in _sidecars(path)):
        return False  # SQLite is using it: backups are never written once made
    try:
        conn = _connect(path, read_only=True, immutable=True)
    except StoreError:
        return True  # the reading below says what is wrong with it
    try:
        return conn.execute("SELECT 1 FROM meta WHERE key = 'is_backup'").fetchone() is not None
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()


def _journal_mode(path: Path) -> str:
    """How a new project file at ``path`` is kept: WAL, or a rollback journal on a network drive."""
    return "DELETE" if netdrive.is_network_path(path) else "WAL"


def _inspect_backup(backup: Path) -> tuple[str, int]:
    """(project id, schema version) of a backup, after checking it is a sound project file."""
    header = _read_header(backup)
    conn = _connect(backup, read_only=True, immutable=header.write_version != _WAL_VERSION)
    try:
        version = _checked_version(backup, conn)
        if version > SCHEMA_VERSION:
            raise StoreTooNew(backup, version)
        row = conn.execute("SELECT value FROM meta WHERE key = 'project_id'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _translate_open_error(backup, exc) from None
    finally:
        conn.close()
    if row is None:
        raise StoreDamaged(backup, "缺少專案代碼")
    return str(row[0]), version


def _checked_version(path: Path, conn: sqlite3.Connection) -> int:
    """Schema version after checking the file is ours and sound (quick_check: ≈ 20 ms for 50,000 rows)."""
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if application_id != APPLICATION_ID:
            raise StoreNotProject(path, "這是其他程式的 SQLite 資料庫")
        if version > SCHEMA_VERSION:
            raise StoreTooNew(path, version)
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        raise _translate_open_error(path, exc) from None
    if problems != ["ok"]:
        raise StoreDamaged(path, f"完整性檢查發現 {len(problems)} 處問題", "\n".join(problems))
    if version < 1:
        raise StoreDamaged(path, "檔案沒有建立完成")
    return version


# ---------------------------------------------------------------- the store


@dataclass
class _Order:
    """Row ids of one table of one year in display order, with their position values."""

    ids: list[int] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)


class Store:
    """An open project file. Make one with ``Store.create`` or ``Store.open``; close it (or use ``with``)."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        read_only: bool,
        is_backup: bool,
        backup_dir: Path | None,
        policy: BackupPolicy,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.is_backup = is_backup
        self.backup_dir = backup_dir if backup_dir is not None else path.parent / BACKUP_FOLDER
        self.policy = policy
        self.lock_holder: LockHolder | None = None  # who holds the file (us, when writable)
        # On a network drive: a rollback journal and an exclusive lock instead of WAL (see netdrive).
        self.network = False
        self.key_problem: privacy.PrivacyError | None = None
        self.project_id = ""
        self._conn: sqlite3.Connection | None = conn
        self._cipher: privacy.Cipher | None = None
        self._key: bytes | None = None
        self._token = ""
        self._lock_lost = False
        self._depth = 0
        self._dirty = False
        self._last_heartbeat = datetime.now(UTC)
        self._orders: dict[tuple[int, str], _Order] = {}
        self._years: set[int] | None = None

    # ---- opening and closing ----

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        backup_dir: str | Path | None = None,
        policy: BackupPolicy | None = None,
    ) -> Store:
        """A new empty project file with a new key in the credential store; StoreExists if the file is there."""
        path = Path(path)
        if path.exists():
            raise StoreExists(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreCannotCreate(path, os_reason(exc), str(exc)) from None
        project_id = uuid.uuid4().hex
        key = privacy.new_key()
        privacy.save_key(project_id, key)  # fails first when there is no credential store
        building = path.with_name(path.name + ".creating")
        try:
            cls._build(building, project_id, privacy.Cipher(key, project_id), _journal_mode(path))
            if path.exists():
                raise StoreExists(path)
            os.replace(building, path)  # nobody ever sees a half-built project
        except BaseException as exc:
            for leftover in (building, *_sidecars(building)):
                with contextlib.suppress(OSError):  # on a read-only disk even removing a missing file fails
                    leftover.unlink(missing_ok=True)
            privacy.delete_key(project_id)
            if isinstance(exc, OSError):
                raise StoreCannotCreate(path, os_reason(exc), str(exc)) from None
            if isinstance(exc, StoreWriteFailed):
                raise StoreCannotCreate(path, exc.reason, exc.details) from None
            raise
        return cls.open(path, backup_dir=backup_dir, policy=policy)

    @staticmethod
    def _build(building: Path, project_id: str, cipher: privacy.Cipher, journal_mode: str) -> None:
        building.unlink(missing_ok=True)
        try:
            conn = sqlite3.connect(building, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreWriteFailed(building, sqlite_reason(exc), str(exc)) from None
        try:
            conn.execute(f"PRAGMA journal_mode = {journal_mode}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for migrate in MIGRATIONS[:SCHEMA_VERSION]:
                migrate(conn)
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("project_id", project_id),
                    ("key_check", cipher.check_value()),
                    ("change_seq", 0),
                    ("created_at", datetime.now(UTC).isoformat()),
                    (NORMALISED_KEY, normalise.RULES_VERSION),
                ],
            )
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreWriteFailed(building, sqlite_reason(exc), str(exc)) from None
        finally:
            conn.close()

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        read_only: bool = False,
        break_lock: bool = False,
        backup_dir: str | Path | None = None,
        policy: BackupPolicy | None = None,
        now: datetime | None = None,
    ) -> Store:
        """Open a project file.

        Writable: takes the lock (``StoreLocked`` when someone holds it; a stale
        lock is broken only with ``break_lock=True``), migrates an older schema
        and needs the key (``privacy.KeyMissing`` / ``KeyringUnavailable``).
        ``read_only=True`` takes no lock, writes nothing, and opens even without
        the key (personal values then read as ``privacy.LOCKED_TEXT``); only an edit a
        killed copy left half-written in a rollback-journal file (on a network drive) is
        first rolled back, as SQLite does for any reader, changing no committed value. A backup
        file is always opened read-only and immutable.
        """
        return cls._open(
            Path(path),
            read_only=read_only,
            break_lock=break_lock,
            backup_dir=Path(backup_dir) if backup_dir is not None else None,
            policy=policy or BackupPolicy(),
            now=now,
            need_key=not read_only,
        )

    @classmethod
    def _open(
        cls,
        path: Path,
        *,
        read_only: bool,
        break_lock: bool,
        backup_dir: Path | None,
        policy: BackupPolicy,
        now: datetime | None,
        need_key: bool,
    ) -> Store:
        header = _read_header(path)
        is_backup = header.write_version != _WAL_VERSION and _marked_as_backup(path)
        read_only = read_only or is_backup
        if not read_only:
            _check_writable(path)
        network = not is_backup and netdrive.is_network_path(path)
        try:
            return cls._open_connected(
                path, read_only=read_only, is_backup=is_backup, network=network, break_lock=break_lock,
                backup_dir=backup_dir, policy=policy, now=now, need_key=need_key,
            )  # fmt: skip
        except StoreBusy:
            if not network:
                raise
            # Another PC holds the file's exclusive lock: even its lock row cannot be read to name it.
            raise StoreBusy(path, network=True) from None

    @classmethod
    def _open_connected(
        cls,
        path: Path,
        *,
        read_only: bool,
        is_backup: bool,
        network: bool,
        break_lock: bool,
        backup_dir: Path | None,
        policy: BackupPolicy,
        now: datetime | None,
        need_key: bool,
    ) -> Store:
        conn = cls._connect_checked(path, read_only=read_only, immutable=is_backup)
        store = cls(path, conn, read_only=read_only, is_backup=is_backup, backup_dir=backup_dir, policy=policy)
        store.network = network
        try:
            version = _checked_version(path, conn)
            if read_only and version < SCHEMA_VERSION:
                raise StoreNeedsUpgrade(path, version)
            store.project_id = str(store._meta("project_id") or "")
            if not store.project_id:
                raise StoreDamaged(path, "缺少專案代碼")
            if read_only:
                store.lock_holder = store._read_lock()
            else:
                store._configure()
                store._acquire_lock(break_lock, now)
                store._migrate(version, now)
            store._load_key(required=need_key)
        except BaseException:
            store.close()
            raise
        return store

    @staticmethod
    def _connect_checked(
        path: Path, *, read_only: bool, immutable: bool, recovered: bool = False
    ) -> sqlite3.Connection:
        conn = _connect(path, read_only=read_only, immutable=immutable)
        if not read_only or immutable:
            return conn
        try:
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.OperationalError as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            conn.close()
            if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                # Held by another copy (on a network drive, with an exclusive lock): not readable now.
                raise _translate_open_error(path, exc) from None
            if code == sqlite3.SQLITE_READONLY_ROLLBACK and not recovered:
                # A copy was killed mid-edit in rollback-journal mode (a project on a network drive): the file
                # holds part of an unfinished edit until the journal puts it back, which a read-only
                # connection may not do. Read around it (immutable) and a later open would lose what it saw.
                _roll_back_unfinished_edit(path)
                return Store._connect_checked(path, read_only=True, immutable=False, recovered=True)
            # A WAL file on read-only media: SQLite cannot create the -shm index. With no
            # pending WAL or journal the file alone is the whole truth, so read it immutable.
            if any(path.with_name(path.name + side).exists() for side in ("-wal", "-journal")):
                raise StoreFileReadOnly(path, "所在的資料夾") from None
            return _connect(path, read_only=True, immutable=True)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _translate_open_error(path, exc) from None
        return conn

    def _configure(self) -> None:
        conn = self._db()
        wanted = "delete" if self.network else "wal"
        try:
            if self.network:
                # WAL's shared-memory index is not safe over SMB/NFS: a rollback journal, and the file locked
                # for this connection until it closes (taken now, before the mode switch needs it).
                conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            mode = conn.execute(f"PRAGMA journal_mode = {wanted}").fetchone()[0]
            conn.execute("PRAGMA synchronous = FULL")  # fsync the journal at every commit: money is kept
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise _translate_open_error(self.path, exc) from None
        if str(mode).lower() != wanted:
            raise StoreError(f"{self.path}：無法設定資料庫日誌模式（{mode}），檔案所在的磁碟可能不支援")

    @property
    def storage_note(self) -> str:
        """What to tell the user once about how the file is kept ("" when nothing needs saying)."""
        return NETWORK_MODE_NOTE if self.network and not self.read_only else ""

    def close(self) -> None:
        """Release the lock and close. Safe to call twice."""
        conn = self._conn
        if conn is None:
            return
        try:
            if not self.read_only and self._token and not self._lock_lost:
                with contextlib.suppress(sqlite3.Error):
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    conn.execute("DELETE FROM lock WHERE token = ?", (self._token,))
        finally:
            self._conn = None
            conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._conn is None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.path}：專案檔已關閉")
        return self._conn

    # ---- lock ----

    def _read_lock(self) -> LockHolder | None:
        row = self._db().execute("SELECT host, pid, user, since, heartbeat, token FROM lock WHERE id = 1").fetchone()
        if row is None:
            return None
        host, pid, user, since, heartbeat, token = row
        return LockHolder(str(host), int(pid), str(user), _parse_utc(since), _parse_utc(heartbeat), str(token))

    def _acquire_lock(self, break_lock: bool, now: datetime | None) -> None:
        moment = _utc(now)
        me = LockHolder(_host(), os.getpid(), _user(), moment, moment, uuid.uuid4().hex)
        conn = self._db()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                holder = self._read_lock()
                if holder is not None:
                    stale = lock_is_stale(holder, moment)
                    if not (break_lock and stale):
                        raise StoreLocked(self.path, holder, stale)
                self._token = me.token
                self._write_lock_row(moment)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
            if busy:
                raise _translate_open_error(self.path, exc) from None
            error = self._write_error(exc)
            if isinstance(error, StoreWriteFailed):  # nothing was edited yet: say what stops the opening
                error = StoreError(f"{self.path}：無法開啟專案檔（{error.reason}）；排除後再開啟，或以唯讀方式開啟")
                error.details = str(exc)
            raise error from None
        self.lock_holder = me
        self._last_heartbeat = moment

    def _write_lock_row(self, moment: datetime) -> None:
        self._db().execute(
            "INSERT OR REPLACE INTO lock (id, token, host, pid, user, since, heartbeat) VALUES (1, ?, ?, ?, ?, ?, ?)",
            (self._token, _host(), os.getpid(), _user(), moment.isoformat(), moment.isoformat()),
        )

    def heartbeat(self, now: datetime | None = None) -> None:
        """Tell other copies this one is alive; the UI calls it every minute or so while idle."""
        if self.read_only:
            return
        moment = _utc(now)
        with self._write():
            self._db().execute("UPDATE lock SET heartbeat = ? WHERE token = ?", (moment.isoformat(), self._token))
        self._last_heartbeat = moment

    # ---- transactions ----

    def _refuse_writes(self) -> None:
        if self._conn is None:
            raise StoreError(f"{self.path}：專案檔已關閉")
        if self._lock_lost:
            raise StoreLockLost(self.path)
        if self.read_only:
            if self.is_backup:
                reason = "這是備份檔，不能直接修改；要回到這份備份請用「還原」"
            elif self.key_problem is not None:
                reason = "以唯讀方式開啟（尚未匯入加密金鑰），不能修改；請先匯入金鑰再重新開啟"
            else:
                reason = "以唯讀方式開啟，不能修改"
            raise StoreReadOnly(f"{self.path}：{reason}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group edits: all of them are kept, or none. Nested groups roll back on their own when they fail."""
        with self._write():
            self._dirty = True
            yield

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        self._refuse_writes()
        conn = self._db()
        if self._depth:
            savepoint = f"s{self._depth}"
            conn.execute(f"SAVEPOINT {savepoint}")
            self._depth += 1
            try:
                yield
            except BaseException:
                # SQLite may already have rolled back the whole transaction (disk full): then there is no savepoint.
                with contextlib.suppress(sqlite3.Error):
                    conn.execute(f"ROLLBACK TO {savepoint}")
                    conn.execute(f"RELEASE {savepoint}")
                self._forget_caches()
                raise
            finally:
                self._depth -= 1
            conn.execute(f"RELEASE {savepoint}")
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._write_error(exc) from None
        self._depth = 1
        self._dirty = False
        try:
            self._check_lock_still_ours()
            yield
            if self._dirty:
                conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'change_seq'")
                self._refresh_heartbeat_if_due()
            conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            self._forget_caches()
            if isinstance(exc, sqlite3.Error):
                raise self._write_error(exc) from None
            raise
        finally:
            self._depth = 0
            self._dirty = False

    def _check_lock_still_ours(self) -> None:
        row = self._db().execute("SELECT token FROM lock WHERE id = 1").fetchone()
        if row is None or row[0] != self._token:
            self._lock_lost = True
            raise StoreLockLost(self.path)

    def _refresh_heartbeat_if_due(self) -> None:
        moment = datetime.now(UTC)
        if moment - self._last_heartbeat >= HEARTBEAT_INTERVAL:
            self._db().execute("UPDATE lock SET heartbeat = ? WHERE token = ?", (moment.isoformat(), self._token))
            self._last_heartbeat = moment

    def _write_error(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text:
            return StoreFileReadOnly(self.path)
        if "malformed" in text or "corrupt" in text:
            return StoreDamaged(self.path, "資料庫結構損壞")
        return StoreWriteFailed(self.path, sqlite_reason(exc), str(exc))

    def _forget_caches(self) -> None:
        self._orders.clear()
        self._years = None

    # ---- meta ----

    def _meta(self, key: str) -> object:
        row = self._db().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def _set_meta(self, key: str, value: object) -> None:
        self._db().execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def change_seq(self) -> int:
        """How many edit transactions the file has committed; unchanged by backups and heartbeats."""
        return int(self._meta("change_seq") or 0)

    @property
    def schema_version(self) -> int:
        return int(self._db().execute("PRAGMA user_version").fetchone()[0])

    # ---- migrations ----

    def _migrate(self, version: int, now: datetime | None) -> None:
        while version < SCHEMA_VERSION:
            self.backup_now(now, kind=f"before-migration-v{version}")
            with self._write():
                MIGRATIONS[version](self._db())
                self._db().execute(f"PRAGMA user_version = {version + 1}")
            version += 1

    # ---- key ----

    def _load_key(self, *, required: bool) -> None:
        try:
            key = privacy.load_key(self.project_id)
            if key is None:
                raise privacy.KeyMissing(str(self.path), self.project_id)
            cipher = privacy.Cipher(key, self.project_id)
            if not cipher.fits(str(self._meta("key_check") or "")):
                raise privacy.KeyMissing(str(self.path), self.project_id, wrong=True)
        except privacy.PrivacyError as problem:
            if required:
                raise
            self.key_problem = problem
            return
        self._key, self._cipher, self.key_problem = key, cipher, None

    @property
    def personal_available(self) -> bool:
        """False while the key is missing: personal values read as ``privacy.LOCKED_TEXT``."""
        return self._cipher is not None

    def export_key(self, passphrase: str, *, n: int = privacy.SCRYPT_N) -> str:
        """The project's key wrapped under a recovery passphrase (``privacy.export_key``)."""
        if self._key is None:
            raise self.key_problem or privacy.KeyMissing(str(self.path), self.project_id)
        return privacy.export_key(self._key, self.project_id, passphrase, n=n)

    def import_key(self, text: str, passphrase: str) -> None:
        """Put an exported key into the credential store after checking it opens this project.

        A store opened read-only for want of the key stays read-only; reopen it to edit.
        """
        project_id, key = privacy.import_key(text, passphrase)
        if project_id != self.project_id:
            raise privacy.KeyFileMismatch(project_id, self.project_id)
        cipher = privacy.Cipher(key, project_id)
        if not cipher.fits(str(self._meta("key_check") or "")):
            raise privacy.KeyMissing(str(self.path), self.project_id, wrong=True)
        privacy.save_key(project_id, key)
        self._key, self._cipher, self.key_problem = key, cipher, None

    # ---- validation helpers ----

    @staticmethod
    def _table(table: str) -> str:
        table = _TABLE_ALIASES.get(table, table)
        if table not in TABLE_COLUMNS:
            raise ValueError(f"unknown table {table!r}")
        return table

    @staticmethod
    def _record(table: str, record: Mapping[str, str]) -> dict[str, str]:
        columns = _COLUMN_SETS[table]
        for key, value in record.items():
            if key not in columns:
                raise ValueError(f"{table} has no column {key!r}")
            if not isinstance(value, str):
                raise TypeError(f"{table}.{key} must be text, got {type(value).__name__}")
        return dict(record)

    def _known_years(self) -> set[int]:
        if self._years is None:
            self._years = {row[0] for row in self._db().execute("SELECT year FROM years")}
        return self._years

    def _require_year(self, year: int) -> None:
        if year not in self._known_years():
            raise ValueError(f"{year} 年度不存在")

    def years(self) -> list[int]:
        return sorted(self._known_years())

    # ---- sealing rows ----

    def _encode(self, table: str, row_id: int, record: Mapping[str, str]) -> tuple[str, str]:
        personal = privacy.PERSONAL_FIELDS.get(table, frozenset())
        plain = {key: value for key, value in record.items() if key not in personal}
        sealed: dict[str, str] = {}
        if any(key in personal for key in record):
            cipher = self._require_cipher()
            sealed = {key: cipher.seal(value, table, row_id, key) for key, value in record.items() if key in personal}
        return json.dumps(plain, ensure_ascii=False), json.dumps(sealed)

    def _stored_text(self, value: object, key: str) -> str:
        """A value as the model holds it: text. The app writes nothing else; a number (the file edited by
        another tool) is read as its digits, anything else means the file is damaged."""
        if isinstance(value, str):
            return value
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise StoreDamaged(self.path, f"資料內容不符（「{key}」不是文字）")

    def _decode(self, table: str, row_id: int, plain: str, sealed: str) -> dict[str, str]:
        values = json.loads(plain)
        secrets = json.loads(sealed) if sealed != "{}" else {}
        if not isinstance(values, dict) or not isinstance(secrets, dict):
            raise StoreDamaged(self.path, f"資料內容不符（{TABLE_NAMES[table]} 第 {row_id} 筆不是欄位與值）")
        cipher = self._cipher
        for key, value in secrets.items():
            if cipher is None:
                values[key] = privacy.LOCKED_TEXT
                continue
            try:
                values[key] = cipher.open(value, table, row_id, key)
            except privacy.DecryptionFailed:
                raise StoreDamaged(self.path, f"{TABLE_NAMES[table]} 第 {row_id} 筆的「{key}」無法解密") from None
        return {key: self._stored_text(values[key], key) for key in TABLE_COLUMNS[table] if key in values}

    def _require_cipher(self) -> privacy.Cipher:
        if self._cipher is None:
            raise self.key_problem or privacy.KeyMissing(str(self.path), self.project_id)
        return self._cipher

    # ---- years ----

    def add_year(self, year: int) -> None:
        if year in self._known_years():
            raise ValueError(f"{year} 年度已存在")
        with self.transaction():
            self._db().execute("INSERT INTO years (year) VALUES (?)", (year,))
            self._known_years().add(year)

    def delete_year(self, year: int) -> None:
        with self.transaction():
            self._require_year(year)
            self._db().execute("DELETE FROM years WHERE year = ?", (year,))
            self._known_years().discard(year)
            for table in TABLE_COLUMNS:
                self._orders.pop((year, table), None)

    def put_year(self, book: YearBook) -> None:
        """Write a whole year, replacing what the file holds for it (after Project.roll_over, say)."""
        with self.transaction():
            if book.year in self._known_years():
                self.delete_year(book.year)
            self._write_year(book)

    def _write_year(self, book: YearBook) -> None:
        conn = self._db()
        conn.execute("INSERT INTO years (year, has_ledger) VALUES (?, ?)", (book.year, book.ledger is not None))
        self._known_years().add(book.year)
        values = []
        for form_id, record in book.forms.items():
            for key, text in record.items():
                self._check_form_key(form_id, key, text)
                values.append((book.year, form_id, key, text))
        conn.executemany("INSERT INTO form_values (year, form_id, key, value) VALUES (?, ?, ?, ?)", values)
        tables: list[tuple[str, list[dict[str, str]]]] = [
            ("roster", book.roster), ("sessions", book.sessions), *book.line_rows.items()]
        if book.ledger is not None:
            header = [(book.year, key, text) for key, text in self._ledger_header(book.ledger.header).items()]
            conn.executemany("INSERT INTO ledger_header (year, key, value) VALUES (?, ?, ?)", header)
            tables.append(("ledger", book.ledger.entries))
        next_id = self._next_row_id()
        for table, records in tables:
            order = _Order()
            batch = []
            for index, record in enumerate(records):
                row_id, position = next_id, (index + 1) * POSITION_GAP
                next_id += 1
                plain, sealed = self._encode(table, row_id, self._record(table, record))
                batch.append((row_id, book.year, table, position, plain, sealed))
                order.ids.append(row_id)
                order.positions.append(position)
            conn.executemany(
                "INSERT INTO rows (id, year, tbl, position, plain, sealed) VALUES (?, ?, ?, ?, ?, ?)", batch
            )
            self._orders[(book.year, table)] = order
        for kind, path in book.attachments.items():
            self._check_attachment_kind(kind)
            conn.execute("INSERT INTO attachments (year, kind, path) VALUES (?, ?, ?)", (book.year, kind, path))
        conn.executemany(
            "INSERT INTO acknowledged (year, finding) VALUES (?, ?)", [(book.year, key) for key in book.acknowledged]
        )

    # ---- scalar forms and the ledger header ----

    @staticmethod
    def _check_form_key(form_id: str, key: str, text: str) -> None:
        keys = _FORM_KEYS.get(form_id)
        if keys is None:
            raise ValueError(f"unknown form {form_id!r}")
        if key not in keys:
            raise ValueError(f"form {form_id!r} has no field {key!r}")
        if not isinstance(text, str):
            raise TypeError(f"{form_id}.{key} must be text, got {type(text).__name__}")

    def set_value(self, year: int, form_id: str, key: str, text: str) -> None:
        """One field of a scalar form (application, final accounts, budget, …)."""
        self._check_form_key(form_id, key, text)
        with self.transaction():
            self._require_year(year)
            self._db().execute(
                "INSERT INTO form_values (year, form_id, key, value) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (year, form_id, key) DO UPDATE SET value = excluded.value",
                (year, form_id, key, text),
            )

    @staticmethod
    def _ledger_header(record: Mapping[str, str]) -> dict[str, str]:
        for key, value in record.items():
            if key not in HEADER_KEYS:
                raise ValueError(f"ledger header has no field {key!r}")
            if not isinstance(value, str):
                raise TypeError(f"ledger header {key} must be text")
        return dict(record)

    def _ensure_ledger(self, year: int) -> None:
        self._db().execute("UPDATE years SET has_ledger = 1 WHERE year = ? AND has_ledger = 0", (year,))

    def set_ledger_header(self, year: int, record: Mapping[str, str]) -> None:
        """Replace the ledger header of ``year`` (creating the year's ledger if it had none)."""
        header = self._ledger_header(record)
        with self.transaction():
            self._require_year(year)
            self._ensure_ledger(year)
            conn = self._db()
            conn.execute("DELETE FROM ledger_header WHERE year = ?", (year,))
            conn.executemany(
                "INSERT INTO ledger_header (year, key, value) VALUES (?, ?, ?)",
                [(year, key, text) for key, text in header.items()],
            )

    def set_ledger_value(self, year: int, key: str, text: str) -> None:
        """One field of the ledger header."""
        self._ledger_header({key: text})
        with self.transaction():
            self._require_year(year)
            self._ensure_ledger(year)
            self._db().execute(
                "INSERT INTO ledger_header (year, key, value) VALUES (?, ?, ?)"
                " ON CONFLICT (year, key) DO UPDATE SET value = excluded.value",
                (year, key, text),
            )

    def remove_ledger(self, year: int) -> None:
        """The year has no ledger any more (``YearBook.ledger`` is None): header and entries go."""
        with self.transaction():
            self._require_year(year)
            conn = self._db()
            conn.execute("UPDATE years SET has_ledger = 0 WHERE year = ?", (year,))
            conn.execute("DELETE FROM ledger_header WHERE year = ?", (year,))
            conn.execute("DELETE FROM rows WHERE year = ? AND tbl = 'ledger'", (year,))
            self._orders.pop((year, "ledger"), None)

    # ---- attachments and acknowledged warnings ----

    @staticmethod
    def _check_attachment_kind(kind: str) -> None:
        if kind not in ATTACHMENT_KINDS:
            raise ValueError(f"unknown attachment kind {kind!r}")

    def set_attachment(self, year: int, kind: str, path: str) -> None:
        """The user's PDF for ``kind``; an empty path removes it."""
        self._check_attachment_kind(kind)
        with self.transaction():
            self._require_year(year)
            if path:
                self._db().execute(
                    "INSERT OR REPLACE INTO attachments (year, kind, path) VALUES (?, ?, ?)", (year, kind, path)
                )
            else:
                self._db().execute("DELETE FROM attachments WHERE year = ? AND kind = ?", (year, kind))

    def set_acknowledged(self, year: int, finding_key: str, acknowledged: bool = True) -> None:
        with self.transaction():
            self._require_year(year)
            if acknowledged:
                self._db().execute(
                    "INSERT OR IGNORE INTO acknowledged (year, finding) VALUES (?, ?)", (year, finding_key)
                )
            else:
                self._db().execute("DELETE FROM acknowledged WHERE year = ? AND finding = ?", (year, finding_key))

    # ---- rows: roster, training sessions, ledger entries ----

    def _order(self, year: int, table: str) -> _Order:
        cached = self._orders.get((year, table))
        if cached is None:
            cached = _Order()
            for row_id, position in self._db().execute(
                "SELECT id, position FROM rows WHERE year = ? AND tbl = ? ORDER BY position", (year, table)
            ):
                cached.ids.append(row_id)
                cached.positions.append(position)
            self._orders[(year, table)] = cached
        return cached

    def _next_row_id(self) -> int:
        row = self._db().execute("SELECT seq FROM sqlite_sequence WHERE name = 'rows'").fetchone()
        return (int(row[0]) if row else 0) + 1

    def row_count(self, year: int, table: str) -> int:
        return len(self._order(year, self._table(table)).ids)

    def row_ids(self, year: int, table: str) -> list[int]:
        """The stable ids of the rows in display order."""
        return list(self._order(year, self._table(table)).ids)

    @staticmethod
    def _index(order: _Order, index: int, *, inserting: bool = False) -> int:
        size = len(order.ids) + (1 if inserting else 0)
        if not 0 <= index < size:
            raise IndexError(f"row {index} out of range 0..{size - 1}")
        return index

    def insert_row(self, year: int, table: str, index: int | None, record: Mapping[str, str]) -> int:
        """Insert a row before ``index`` (None: append). Returns its stable id."""
        table = self._table(table)
        values = self._record(table, record)
        with self.transaction():
            self._require_year(year)
            if table == "ledger":
                self._ensure_ledger(year)
            order = self._order(year, table)
            index = len(order.ids) if index is None else self._index(order, index, inserting=True)
            position = self._room_at(year, table, order, index)
            row_id = self._next_row_id()
            plain, sealed = self._encode(table, row_id, values)
            self._db().execute(
                "INSERT INTO rows (id, year, tbl, position, plain, sealed) VALUES (?, ?, ?, ?, ?, ?)",
                (row_id, year, table, position, plain, sealed),
            )
            order.ids.insert(index, row_id)
            order.positions.insert(index, position)
        return row_id

    def append_row(self, year: int, table: str, record: Mapping[str, str]) -> int:
        return self.insert_row(year, table, None, record)

    def set_row(self, year: int, table: str, index: int, record: Mapping[str, str]) -> None:
        """Replace the values of the row at ``index``; it keeps its id and place."""
        table = self._table(table)
        values = self._record(table, record)
        with self.transaction():
            self._require_year(year)
            order = self._order(year, table)
            row_id = order.ids[self._index(order, index)]
            plain, sealed = self._encode(table, row_id, values)
            self._db().execute("UPDATE rows SET plain = ?, sealed = ? WHERE id = ?", (plain, sealed, row_id))

    def set_cell(self, year: int, table: str, index: int, key: str, text: str) -> None:
        """One value of one row: what a keystroke in a table cell changes."""
        table = self._table(table)
        self._record(table, {key: text})
        with self.transaction():
            self._require_year(year)
            order = self._order(year, table)
            row_id = order.ids[self._index(order, index)]
            conn = self._db()
            plain, sealed = conn.execute("SELECT plain, sealed FROM rows WHERE id = ?", (row_id,)).fetchone()
            if privacy.is_personal(table, key):
                secrets = json.loads(sealed)
                secrets[key] = self._require_cipher().seal(text, table, row_id, key)
                conn.execute("UPDATE rows SET sealed = ? WHERE id = ?", (json.dumps(secrets), row_id))
            else:
                values = json.loads(plain)
                values[key] = text
                conn.execute("UPDATE rows SET plain = ? WHERE id = ?", (json.dumps(values, ensure_ascii=False), row_id))

    def delete_row(self, year: int, table: str, index: int) -> None:
        table = self._table(table)
        with self.transaction():
            self._require_year(year)
            order = self._order(year, table)
            index = self._index(order, index)
            self._db().execute("DELETE FROM rows WHERE id = ?", (order.ids[index],))
            del order.ids[index]
            del order.positions[index]

    def move_row(self, year: int, table: str, source: int, target: int) -> None:
        """Move the row at ``source`` so that it ends up at index ``target``."""
        table = self._table(table)
        with self.transaction():
            self._require_year(year)
            order = self._order(year, table)
            source = self._index(order, source)
            target = self._index(order, target)
            if source == target:
                return
            conn = self._db()
            row_id = order.ids.pop(source)
            order.positions.pop(source)
            # Out of the way first, so re-spreading neighbours can never collide with it.
            conn.execute("UPDATE rows SET position = -id WHERE id = ?", (row_id,))
            position = self._room_at(year, table, order, target)
            conn.execute("UPDATE rows SET position = ? WHERE id = ?", (position, row_id))
            order.ids.insert(target, row_id)
            order.positions.insert(target, position)

    def _room_at(self, year: int, table: str, order: _Order, index: int) -> int:
        """A free position between the rows now at ``index - 1`` and ``index``."""
        positions = order.positions
        before = positions[index - 1] if index > 0 else 0
        if index == len(positions):
            return before + POSITION_GAP
        if positions[index] - before >= 2:
            return (before + positions[index]) // 2
        self._respread(order, index)
        before = positions[index - 1] if index > 0 else 0
        return (before + positions[index]) // 2

    def _respread(self, order: _Order, index: int) -> None:
        """Spread out the smallest window of rows around ``index`` that has room (amortised O(log² n))."""
        size = len(order.ids)
        reach = 1
        while True:
            low_index, high_index = max(0, index - reach), min(size, index + reach)
            low = order.positions[low_index - 1] if low_index > 0 else 0
            count = high_index - low_index
            if high_index == size:
                step = POSITION_GAP
                break
            step = (order.positions[high_index] - low) // (count + 1)
            if step >= 4:
                break
            reach *= 2
        window = order.ids[low_index:high_index]
        conn = self._db()
        # Negative ids are unique and below every real position: the unique index never trips.
        conn.executemany("UPDATE rows SET position = -id WHERE id = ?", [(row_id,) for row_id in window])
        spread = [low + step * (offset + 1) for offset in range(count)]
        conn.executemany("UPDATE rows SET position = ? WHERE id = ?", list(zip(spread, window, strict=True)))
        order.positions[low_index:high_index] = spread

    # ---- the whole project ----

    def load(self) -> Project:
        """The project as the file holds it now."""
        conn = self._db()
        project = Project()
        try:
            for year, has_ledger in conn.execute("SELECT year, has_ledger FROM years ORDER BY year"):
                book = YearBook(year)
                if has_ledger:
                    book.ledger = LedgerBook()
                project.years[year] = book
            for year, form_id, key, value in conn.execute("SELECT year, form_id, key, value FROM form_values"):
                project.years[year].forms.setdefault(form_id, {})[key] = self._stored_text(value, key)
            for year, key, value in conn.execute("SELECT year, key, value FROM ledger_header ORDER BY year"):
                ledger = project.years[year].ledger
                if ledger is not None:
                    ledger.header[key] = self._stored_text(value, key)
            orders: dict[tuple[int, str], _Order] = {}
            group: tuple[int, str] | None = None
            target: list[dict[str, str]] = []
            order = _Order()
            for row_id, year, table, position, plain, sealed in conn.execute(
                "SELECT id, year, tbl, position, plain, sealed FROM rows ORDER BY year, tbl, position"
            ):
                if group != (year, table):  # rows come grouped by year and table
                    group = (year, table)
                    target = self._rows_of(project.years[year], table)
                    order = orders[group] = _Order()
                target.append(self._decode(table, row_id, plain, sealed))
                order.ids.append(row_id)
                order.positions.append(position)
            for year, kind, path in conn.execute("SELECT year, kind, path FROM attachments"):
                project.years[year].attachments[kind] = self._stored_text(path, kind)
            for year, finding in conn.execute("SELECT year, finding FROM acknowledged"):
                project.years[year].acknowledged.add(self._stored_text(finding, "acknowledged"))
        except sqlite3.DatabaseError as exc:
            raise _translate_open_error(self.path, exc) from None
        except (json.JSONDecodeError, KeyError) as exc:
            raise StoreDamaged(self.path, "資料內容不符", str(exc)) from None
        if self._depth == 0:
            self._orders = orders
            self._years = set(project.years)
            self._normalise(project)
        return project

    def _normalise(self, project: Project) -> None:
        """Values an older version or another program wrote, as the editor writes them (「１２３４５６７５」
        is 12345675): in the project returned, and once in the file when it is open for writing.

        The app's own edits arrive normalised (the editor and the file readers normalise), so a file
        marked with the current rules is not read twice."""
        if int(self._meta(NORMALISED_KEY) or 0) >= normalise.RULES_VERSION:
            return
        normaliser = normalise.Normaliser(untouched=(privacy.LOCKED_TEXT,))
        values: list[tuple[str, int, str, str]] = []
        header: list[tuple[str, int, str]] = []
        rows: list[tuple[str, int, dict[str, str]]] = []
        for year, book in project.years.items():
            for form_id, record in book.forms.items():
                fields = normalise.FORM_FIELDS.get(form_id, {})
                values.extend((record[key], year, form_id, key) for key in normaliser.record(fields, record))
            tables: list[tuple[str, list[dict[str, str]]]] = [
                ("roster", book.roster), ("sessions", book.sessions), *book.line_rows.items()]
            if book.ledger is not None:
                header.extend(
                    (book.ledger.header[key], year, key) for key in normaliser.record(HEADER_FIELD, book.ledger.header)
                )
                tables.append(("ledger", book.ledger.entries))
            for table, records in tables:
                ids = self._orders[(year, table)].ids if records else []
                rows.extend(
                    (table, row_id, record)
                    for row_id, record in zip(ids, records, strict=True)
                    if normaliser.record(_TABLE_FIELDS[table], record)
                )
        if self.read_only or self._cipher is None:
            return  # rewritten when the file is next opened for writing with its key
        # The project returned is normalised either way: a file that cannot be written now is rewritten next time.
        changed = values or header or rows  # an edit (a later backup) only when a value changed
        with contextlib.suppress(StoreError), self.transaction() if changed else self._write():
            conn = self._db()
            conn.executemany("UPDATE form_values SET value = ? WHERE year = ? AND form_id = ? AND key = ?", values)
            conn.executemany("UPDATE ledger_header SET value = ? WHERE year = ? AND key = ?", header)
            conn.executemany(
                "UPDATE rows SET plain = ?, sealed = ? WHERE id = ?",
                [(*self._encode(table, row_id, record), row_id) for table, row_id, record in rows],
            )
            self._set_meta(NORMALISED_KEY, normalise.RULES_VERSION)

    @staticmethod
    def _rows_of(book: YearBook, table: str) -> list[dict[str, str]]:
        if table == "roster":
            return book.roster
        if table == "sessions":
            return book.sessions
        if table in LINE_TABLES:
            return book.line_rows.setdefault(table, [])
        if book.ledger is None:
            book.ledger = LedgerBook()  # entries without the flag: keep them rather than drop them
        return book.ledger.entries

    def replace_project(self, project: Project, now: datetime | None = None) -> Path | None:
        """Replace everything with ``project`` (an import) in one transaction.

        When the file held any year, a backup tagged ``before-import`` is made
        first and its path returned.
        """
        self._refuse_writes()
        self._require_cipher()
        safety = self.backup_now(now, kind="before-import") if self._known_years() else None
        with self.transaction():
            self._db().execute("DELETE FROM years")
            self._orders.clear()
            self._years = set()
            for book in project.years.values():
                self._write_year(book)
        return safety

    # ---- backups ----

    def backup_now(self, now: datetime | None = None, kind: str = "") -> Path:
        """A backup of the file as committed, into ``backup_dir``, named with the time (and ``kind``)."""
        if self._depth:
            raise StoreError(f"{self.path}：修改尚未完成，不能在交易進行中備份")
        moment = _local(now)
        folder = self.backup_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
            serial = 1
            while (target := folder / backup_name(self.path, moment, kind, serial)).exists():
                serial += 1
            _backup_connection(self._db(), target)
        except OSError as exc:
            raise StoreBackupFailed(folder, os_reason(exc), str(exc)) from None
        except sqlite3.Error as exc:
            raise StoreBackupFailed(folder, sqlite_reason(exc), str(exc)) from None
        return target

    def maybe_backup(self, now: datetime | None = None) -> Path | None:
        """A backup if something changed since the last one and ``min_interval_minutes`` passed; then thin."""
        if self.read_only:
            return None
        moment = _local(now)
        seq = self.change_seq
        last_seq = self._meta("last_backup_seq")
        if last_seq is not None and int(last_seq) == seq:
            return None
        last_text = self._meta("last_backup_at")
        if last_text:
            last = datetime.fromisoformat(str(last_text))
            interval = timedelta(minutes=self.policy.min_interval_minutes)
            if last <= moment < last + interval:  # a clock set back does not stop backups for ever
                return None
        target = self.backup_now(moment)
        try:
            with self._write():
                self._set_meta("last_backup_seq", seq)
                self._set_meta("last_backup_at", moment.isoformat())
        except StoreWriteFailed as failed:  # the backup is written; only its note in the file is not
            raise StoreBackupFailed(self.path, failed.reason) from None
        self.thin_backups(moment)
        return target

    def list_backups(self) -> list[BackupInfo]:
        return list_backups(self.path, self.backup_dir)

    def thin_backups(self, now: datetime | None = None) -> list[Path]:
        """Delete the regular backups ``policy`` no longer keeps; returns what was deleted."""
        removed: list[Path] = []
        moment = _local(now)
        self._remove_abandoned_partials(moment)
        for backup in backups_to_remove(self.list_backups(), moment, self.policy):
            with contextlib.suppress(OSError):  # a backup held open elsewhere stays until next time
                backup.path.unlink()
                removed.append(backup.path)
        return removed

    def _remove_abandoned_partials(self, now: datetime) -> None:
        """Half-written backups left by a crash, with SQLite's files beside them (``.partial-wal``,
        ``-shm``, ``-journal``); an hour old means nobody is still writing them."""
        if not self.backup_dir.is_dir():
            return
        for leftover in self.backup_dir.glob(f"{glob.escape(self.path.stem)}.backup-*.partial*"):
            if not leftover.name.endswith((".partial", *(f".partial{s}" for s in ("-wal", "-shm", "-journal")))):
                continue
            with contextlib.suppress(OSError):
                if now - datetime.fromtimestamp(leftover.stat().st_mtime) > timedelta(hours=1):
                    leftover.unlink()

    def restore(self, backup: str | Path, now: datetime | None = None) -> Path:
        """Make the file what ``backup`` holds. A ``before-restore`` backup of the current state is made first."""
        self._refuse_writes()
        backup = Path(backup)
        project_id, version = _inspect_backup(backup)
        if project_id != self.project_id:
            raise BackupMismatch(backup, self.path)
        safety = self.backup_now(now, kind="before-restore")
        source = _connect(backup, read_only=True, immutable=True)
        try:
            source.backup(self._db())
        except sqlite3.Error as exc:
            raise self._write_error(exc) from None
        finally:
            source.close()
        self._forget_caches()
        conn = self._db()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM meta WHERE key = 'is_backup'")
            conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'change_seq'")
            self._write_lock_row(datetime.now(UTC))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise self._write_error(exc) from None
        self._migrate(version, now)
        return safety


# ---------------------------------------------------------------- module-level helpers


def open_backup(path: str | Path) -> Store:
    """A backup opened read-only and immutable: reading it never changes a byte."""
    return Store.open(path, read_only=True)


def restore_backup(
    backup: str | Path,
    target: str | Path,
    *,
    now: datetime | None = None,
    break_lock: bool = False,
    backup_dir: str | Path | None = None,
) -> Path | None:
    """Put ``backup`` in place of the project ``target``.

    An existing project is restored in place after a ``before-restore`` backup
    (returned). A missing target is created from the backup. A target that is
    damaged or not a project is kept, renamed ``….damaged-TIME``, and replaced.
    """
    backup, target = Path(backup), Path(target)
    _, version = _inspect_backup(backup)
    folder = Path(backup_dir) if backup_dir is not None else None
    if target.exists():
        try:
            store = Store._open(
                target,
                read_only=False,
                break_lock=break_lock,
                backup_dir=folder,
                policy=BackupPolicy(),
                now=now,
                need_key=False,  # restoring needs no key; the user may be restoring to fix key trouble
            )
        except (StoreDamaged, StoreNotProject):
            _set_aside(target, _local(now))
        else:
            with store:
                return store.restore(backup, now)
    _copy_backup_to(backup, target)
    if version < SCHEMA_VERSION:
        Store._open(
            target, read_only=False, break_lock=False, backup_dir=folder, policy=BackupPolicy(), now=now, need_key=False
        ).close()
    return None


def _set_aside(target: Path, moment: datetime) -> None:
    stamp = moment.strftime(_STAMP)
    for suffix in ("", "-wal", "-shm"):
        part = target.with_name(target.name + suffix)
        if part.exists():
            os.replace(part, target.with_name(f"{target.name}.damaged-{stamp}{suffix}"))


def _copy_backup_to(backup: Path, target: Path) -> None:
    source = _connect(backup, read_only=True, immutable=True)
    building = target.with_name(target.name + ".restoring")
    building.unlink(missing_ok=True)
    try:
        dest = sqlite3.connect(building, isolation_level=None)
        try:
            source.backup(dest)
            dest.execute(f"PRAGMA journal_mode = {_journal_mode(target)}")
            dest.execute("PRAGMA synchronous = FULL")
            dest.execute("BEGIN IMMEDIATE")
            dest.execute("DELETE FROM meta WHERE key = 'is_backup'")
            dest.execute("DELETE FROM lock")
            dest.execute("COMMIT")
        finally:
            dest.close()
        os.replace(building, target)
    except sqlite3.Error as exc:
        raise StoreWriteFailed(target, sqlite_reason(exc), str(exc)) from None
    except OSError as exc:
        raise StoreWriteFailed(target, os_reason(exc), str(exc)) from None
    finally:
        source.close()
        building.unlink(missing_ok=True)


def peek_lock(path: str | Path) -> LockHolder | None:
    """Who holds a project file, without opening it for writing."""
    with Store.open(path, read_only=True) as store:
        return store.lock_holder
