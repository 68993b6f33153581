"""The file's shape: its tables, the schema version, the migrations between versions, and the checks that a
file is a sound project file of a version this program reads.

To change the shape: write ``_something_v3(conn)`` that takes a version 2 file to version 3 (inside the
transaction the store opens for it, after a backup copy of the file), append it to ``MIGRATIONS`` and raise
``SCHEMA_VERSION``. A new file is built by running every migration in order.
"""

from __future__ import annotations

import sqlite3
import stat
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from treasurer_app.line_subsidy.forms import LINE_TABLES
from treasurer_app.store.errors import (
    StoreDamaged,
    StoreError,
    StoreNotFound,
    StoreNotProject,
    StoreTooNew,
    translate_open_error,
)

APPLICATION_ID = 0x54524541  # "TREA" in the SQLite header marks our project files
# 2: the LINE subsidy's tables (line_subsidy/forms.py) among the rows
# 3: sheet 4's rows are the table 'training_report' (the form's id, as everywhere else), not 'sessions'
SCHEMA_VERSION = 3
SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_VERSION = 2  # header bytes 18/19: 2 = WAL (a project), 1 = rollback journal (backups, projects on a share)


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


def _rebuild_rows(conn: sqlite3.Connection, tables: tuple[str, ...], version: int, table_of: str = "tbl") -> None:
    """The rows table rebuilt so that its CHECK lists ``tables`` (``table_of``: the SQL giving a row's new table
    from its old ``tbl``), ids, positions and the AUTOINCREMENT counter kept: sealed values are bound to their
    row id. ``version`` names the table built on the way (``rows_v2``…), as each migration always has."""
    names = ", ".join(f"'{table}'" for table in tables)
    building = f"rows_v{version}"
    sequence = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'rows'").fetchone()
    for statement in (
        f"""CREATE TABLE {building} (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            year INTEGER NOT NULL REFERENCES years (year) ON DELETE CASCADE,
            tbl TEXT NOT NULL CHECK (tbl IN ({names})),
            position INTEGER NOT NULL,
            plain TEXT NOT NULL, sealed TEXT NOT NULL)""",
        f"INSERT INTO {building} (id, year, tbl, position, plain, sealed) "
        f"SELECT id, year, {table_of}, position, plain, sealed FROM rows",
        "DROP TABLE rows",
        f"ALTER TABLE {building} RENAME TO rows",
        "CREATE UNIQUE INDEX rows_order ON rows (year, tbl, position)",
    ):
        conn.execute(statement)
    if sequence is not None:  # DROP TABLE forgot the counter; the new table counted only up to the highest id kept
        conn.execute("DELETE FROM sqlite_sequence WHERE name = 'rows'")
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('rows', ?)", (sequence[0],))


def _line_tables_v2(conn: sqlite3.Connection) -> None:
    """The rows table also holds the LINE subsidy's tables: its CHECK lists them, so it is rebuilt."""
    _rebuild_rows(conn, ("roster", "sessions", "ledger", *LINE_TABLES), 2)


def _training_report_v3(conn: sqlite3.Connection) -> None:
    """Sheet 4's rows are the table ``training_report``, the name the form has in the program, the
    interchange file and the findings (they were ``sessions`` here only). The rows table's CHECK names the
    tables, so it is rebuilt as in version 2. A sealed value is bound to its table's name, but sheet 4 has
    no personal column: its rows never held one."""
    _rebuild_rows(
        conn,
        ("roster", "training_report", "ledger", *LINE_TABLES),
        3,
        table_of="CASE tbl WHEN 'sessions' THEN 'training_report' ELSE tbl END",
    )


# MIGRATIONS[v] takes a file from schema version v to v + 1; each runs in its own
# transaction after a backup copy of the file. Entry 0 builds a new file.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_create_v1, _line_tables_v2, _training_report_v3]


# ---------------------------------------------------------------- is it a sound project file?


@dataclass(frozen=True)
class Header:
    write_version: int
    application_id: int


def read_header(path: Path) -> Header:
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
    if not head.startswith(SQLITE_MAGIC):
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
    return Header(write_version=head[18], application_id=application_id)


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


def checked_version(path: Path, conn: sqlite3.Connection, newest: int, *, verify: bool = True) -> int:
    """Schema version after checking the file is ours, not newer than ``newest`` (the version this program
    writes) and, with ``verify``, sound (``check_integrity``; without it the caller checks later)."""
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise translate_open_error(path, exc) from None
    if application_id != APPLICATION_ID:
        raise StoreNotProject(path, "這是其他程式的 SQLite 資料庫")
    if version > newest:
        raise StoreTooNew(path, version, newest)
    if verify:
        check_integrity(path, conn)
    if version < 1:
        raise StoreDamaged(path, "檔案沒有建立完成")
    return version


def check_integrity(path: Path, conn: sqlite3.Connection) -> None:
    """StoreDamaged unless ``PRAGMA quick_check`` finds the file sound. It reads every page: ≈ 20 ms for
    50,000 rows, ≈ 0.15 s for a 20-year project (30 MB); see ``store.integrity`` for the window's opening."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        raise translate_open_error(path, exc) from None
    if problems != ["ok"]:
        raise StoreDamaged(path, f"完整性檢查發現 {len(problems)} 處問題", "\n".join(problems))
