"""Project files: where they live (``default_data_dir``), and connecting to one — the URI SQLite wants,
read-only and immutable connections, a file on read-only media, the half-written edit a killed copy left in
a rollback-journal file, a backup told from a project kept on a network drive (both in rollback-journal
mode), and a backup checked before it is restored."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from urllib.parse import quote

import platformdirs

from treasurer_app import netdrive
from treasurer_app.store.backups import sidecars
from treasurer_app.store.errors import StoreDamaged, StoreError, StoreFileReadOnly, translate_open_error
from treasurer_app.store.schema import WAL_VERSION, checked_version, read_header

PROJECT_SUFFIX = ".tap"
DATA_DIR_ENV = "TREASURER_APP_DATA_DIR"  # overrides the platformdirs folder (tests, portable installs)


def default_data_dir() -> Path:
    """Where projects live unless the user picks another place."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("treasurer_app", appauthor=False))


def default_project_path(stem: str) -> Path:
    return default_data_dir() / f"{stem}{PROJECT_SUFFIX}"


# ---------------------------------------------------------------- connecting to a file


def _uri(path: Path, *, read_only: bool, immutable: bool = False) -> str:
    posix = path.absolute().as_posix()
    # "file:///C:/x", "file:////server/share/x" (UNC) and "file:///home/x" are what SQLite expects.
    prefix = "file://" if posix.startswith("/") else "file:///"
    mode = "ro" if read_only else "rw"
    suffix = "&immutable=1" if immutable else ""
    return f"{prefix}{quote(posix, safe='/:')}?mode={mode}{suffix}"


def connect(path: Path, *, read_only: bool, busy_timeout_ms: int, immutable: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (the store opens its own transactions) waiting ``busy_timeout_ms``
    for another writer."""
    try:
        conn = sqlite3.connect(
            _uri(path, read_only=read_only, immutable=immutable),
            uri=True,
            isolation_level=None,
            timeout=busy_timeout_ms / 1000,
        )
    except sqlite3.Error as exc:
        raise translate_open_error(path, exc) from None
    conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
    return conn


def connect_checked(
    path: Path, *, read_only: bool, immutable: bool, busy_timeout_ms: int, recovered: bool = False
) -> sqlite3.Connection:
    """A connection to a project file that can be read now: a read-only one is tried at once, reading
    around read-only media and rolling back a killed copy's half-written edit."""
    conn = connect(path, read_only=read_only, immutable=immutable, busy_timeout_ms=busy_timeout_ms)
    if not read_only or immutable:
        return conn
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        conn.close()
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            # Held by another copy (on a network drive, with an exclusive lock): not readable now.
            raise translate_open_error(path, exc) from None
        if code == sqlite3.SQLITE_READONLY_ROLLBACK and not recovered:
            # A copy was killed mid-edit in rollback-journal mode (a project on a network drive): the file
            # holds part of an unfinished edit until the journal puts it back, which a read-only
            # connection may not do. Read around it (immutable) and a later open would lose what it saw.
            _roll_back_unfinished_edit(path, busy_timeout_ms)
            return connect_checked(
                path, read_only=True, immutable=False, busy_timeout_ms=busy_timeout_ms, recovered=True
            )
        # A WAL file on read-only media: SQLite cannot create the -shm index. With no
        # pending WAL or journal the file alone is the whole truth, so read it immutable.
        if any(path.with_name(path.name + side).exists() for side in ("-wal", "-journal")):
            raise StoreFileReadOnly(path, "所在的資料夾") from None
        return connect(path, read_only=True, immutable=True, busy_timeout_ms=busy_timeout_ms)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise translate_open_error(path, exc) from None
    return conn


def _roll_back_unfinished_edit(path: Path, busy_timeout_ms: int) -> None:
    """What SQLite does for any reader allowed to write: undo the part of an edit a killed copy left in the
    file (a hot rollback journal). No committed value changes; StoreFileReadOnly where that is not allowed."""
    try:
        conn = connect(path, read_only=False, busy_timeout_ms=busy_timeout_ms)
    except StoreError:
        raise StoreFileReadOnly(path, "所在的資料夾") from None
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise translate_open_error(path, exc) from None
        raise StoreFileReadOnly(path, "所在的資料夾") from None
    except sqlite3.DatabaseError as exc:
        raise translate_open_error(path, exc) from None
    finally:
        conn.close()


def check_writable(path: Path) -> None:
    info = path.stat()
    # The mode bit is checked too: as administrator os.access says yes even to a file marked read-only.
    if not os.access(path, os.W_OK) or not info.st_mode & stat.S_IWUSR:
        raise StoreFileReadOnly(path)
    if not os.access(path.parent, os.W_OK):
        raise StoreFileReadOnly(path, "所在的資料夾")


def marked_as_backup(path: Path, busy_timeout_ms: int) -> bool:
    """Whether a file in rollback-journal mode is one of our backups (marked so in ``meta`` when made)
    rather than a project kept on a network drive, or copied from one."""
    if any(side.exists() for side in sidecars(path)):
        return False  # SQLite is using it: backups are never written once made
    try:
        conn = connect(path, read_only=True, immutable=True, busy_timeout_ms=busy_timeout_ms)
    except StoreError:
        return True  # the reading below says what is wrong with it
    try:
        return conn.execute("SELECT 1 FROM meta WHERE key = 'is_backup'").fetchone() is not None
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()


def journal_mode_for(path: Path) -> str:
    """How a new project file at ``path`` is kept: WAL, or a rollback journal on a network drive."""
    return "DELETE" if netdrive.is_network_path(path) else "WAL"


def inspect_backup(backup: Path, *, newest: int, busy_timeout_ms: int) -> tuple[str, int]:
    """(project id, schema version) of a backup, after checking it is a sound project file no newer than
    ``newest``."""
    header = read_header(backup)
    conn = connect(
        backup, read_only=True, immutable=header.write_version != WAL_VERSION, busy_timeout_ms=busy_timeout_ms
    )
    try:
        version = checked_version(backup, conn, newest)
        row = conn.execute("SELECT value FROM meta WHERE key = 'project_id'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise translate_open_error(backup, exc) from None
    finally:
        conn.close()
    if row is None:
        raise StoreDamaged(backup, "缺少專案代碼")
    return str(row[0]), version
