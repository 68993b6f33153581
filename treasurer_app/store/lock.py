"""Who holds a project file: the lock row (host, process, user; GnuCash's idea) and whether its holder is gone.

One row in the ``lock`` table names the copy of the program that has the file open for writing. A second
copy reads it and is refused (``StoreLocked``), or, when the holder is gone (``lock_is_stale``), may break it.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from treasurer_app.store.errors import StoreError, StoreLocked, StoreWriteFailed, translate_open_error, write_error

LOCK_TIMEOUT = timedelta(minutes=10)  # a lock not refreshed for this long may be broken
HEARTBEAT_INTERVAL = timedelta(minutes=1)  # edits refresh the lock at most this often; call heartbeat() when idle


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


def this_host() -> str:
    if hasattr(os, "uname"):  # what gethostname answers there, without loading socket (~15 ms) at every opening
        return os.uname().nodename or "unknown"
    import socket

    return socket.gethostname() or "unknown"


def this_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getuser raises whatever the platform lookup raises
        return ""


def pid_alive(pid: int) -> bool:
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

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # typeshed: windll on win32 only
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
    if holder.host == this_host():
        return not pid_alive(holder.pid)
    return utc(now) - holder.heartbeat > timeout


def utc(now: datetime | None) -> datetime:
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


def read_lock(conn: sqlite3.Connection) -> LockHolder | None:
    """The lock row, or None when nobody holds the file."""
    row = conn.execute("SELECT host, pid, user, since, heartbeat, token FROM lock WHERE id = 1").fetchone()
    if row is None:
        return None
    host, pid, user, since, heartbeat, token = row
    return LockHolder(str(host), int(pid), str(user), _parse_utc(since), _parse_utc(heartbeat), str(token))


def write_lock_row(conn: sqlite3.Connection, token: str, moment: datetime) -> None:
    """This process holds the file from ``moment``, under ``token``."""
    conn.execute(
        "INSERT OR REPLACE INTO lock (id, token, host, pid, user, since, heartbeat) VALUES (1, ?, ?, ?, ?, ?, ?)",
        (token, this_host(), os.getpid(), this_user(), moment.isoformat(), moment.isoformat()),
    )


def refresh_heartbeat(conn: sqlite3.Connection, token: str, moment: datetime) -> None:
    conn.execute("UPDATE lock SET heartbeat = ? WHERE token = ?", (moment.isoformat(), token))


def take_lock(conn: sqlite3.Connection, path: Path, break_lock: bool, moment: datetime) -> LockHolder:
    """The lock row written for this copy of the program, in a transaction of its own: ``StoreLocked`` when
    another copy holds it (a stale lock is broken only with ``break_lock``)."""
    # A random token, as uuid4().hex is (uuid itself takes ~15 ms to load at every opening).
    me = LockHolder(this_host(), os.getpid(), this_user(), moment, moment, os.urandom(16).hex())
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            holder = read_lock(conn)
            if holder is not None:
                stale = lock_is_stale(holder, moment)
                if not (break_lock and stale):
                    raise StoreLocked(path, holder, stale)
            write_lock_row(conn, me.token, moment)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
        if busy:
            raise translate_open_error(path, exc) from None
        error = write_error(path, exc)
        if isinstance(error, StoreWriteFailed):  # nothing was edited yet: say what stops the opening
            error = StoreError(f"{path}：無法開啟專案檔（{error.reason}）；排除後再開啟，或以唯讀方式開啟")
            error.details = str(exc)
        raise error from None
    return me
