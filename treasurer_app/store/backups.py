"""Backup files: their names, when to make them and which to keep (Anki's rule), how one is written, and the
leftovers of one a crash interrupted.

A backup is a self-contained copy made with SQLite's online backup API, in rollback-journal mode and marked
``meta.is_backup``, renamed into place only when complete. ``Store.backup_now`` / ``maybe_backup`` /
``thin_backups`` / ``restore`` use what is here.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

BACKUP_FOLDER = "backups"
_STAMP = "%Y%m%d-%H%M%S"
_PARTIAL = ".partial"


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


def local_time(now: datetime | None) -> datetime:
    """Backups are named and thinned in local wall-clock time."""
    if now is None:
        return datetime.now()
    return now.astimezone().replace(tzinfo=None) if now.tzinfo else now


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


def backup_due(
    last_seq: str | float | None, seq: int, last_at: str | float | None, moment: datetime, policy: BackupPolicy
) -> bool:
    """Something changed since the last backup (edit ``last_seq``, made at ``last_at``) and the policy's
    minimum interval has passed (a clock set back does not stop backups for ever)."""
    if last_seq is not None and int(last_seq) == seq:
        return False
    if last_at:
        last = datetime.fromisoformat(str(last_at))
        if last <= moment < last + timedelta(minutes=policy.min_interval_minutes):
            return False
    return True


def thin(folder: Path, project_path: Path, now: datetime, policy: BackupPolicy) -> list[Path]:
    """Delete the regular backups ``policy`` no longer keeps, and a crashed backup's leftovers; returns what
    was deleted."""
    removed: list[Path] = []
    remove_abandoned_partials(folder, project_path, now)
    for backup in backups_to_remove(list_backups(project_path, folder), now, policy):
        with contextlib.suppress(OSError):  # a backup held open elsewhere stays until next time
            backup.path.unlink()
            removed.append(backup.path)
    return removed


def next_backup_path(folder: Path, project_path: Path, moment: datetime, kind: str) -> Path:
    """A name in ``folder`` no backup has yet (two in one second get ``_2``, ``_3``…)."""
    serial = 1
    while (target := folder / backup_name(project_path, moment, kind, serial)).exists():
        serial += 1
    return target


# ---------------------------------------------------------------- writing one


def sidecars(path: Path) -> tuple[Path, ...]:
    """The files SQLite may keep beside ``path`` while it is open, left behind when the process is killed."""
    return tuple(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))


def fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return  # directories cannot be opened for fsync there; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_backup(conn: sqlite3.Connection, target: Path) -> None:
    """Copy ``conn`` into a new self-contained file with the online backup API, atomically named ``target``."""
    partial = target.with_name(target.name + _PARTIAL)
    for leftover in (partial, *sidecars(partial)):
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
    fsync_dir(target.parent)


def remove_abandoned_partials(folder: Path, project_path: Path, now: datetime) -> None:
    """Half-written backups left by a crash, with SQLite's files beside them (``.partial-wal``,
    ``-shm``, ``-journal``); an hour old means nobody is still writing them."""
    if not folder.is_dir():
        return
    endings = (_PARTIAL, *(f"{_PARTIAL}{side}" for side in ("-wal", "-shm", "-journal")))
    for leftover in folder.glob(f"{glob.escape(project_path.stem)}.backup-*{_PARTIAL}*"):
        if not leftover.name.endswith(endings):
            continue
        with contextlib.suppress(OSError):
            if now - datetime.fromtimestamp(leftover.stat().st_mtime) > timedelta(hours=1):
                leftover.unlink()


# ---------------------------------------------------------------- restoring onto a missing or damaged file


def set_aside(target: Path, moment: datetime) -> None:
    """Keep a damaged project (and its WAL) beside it as ``….damaged-TIME``."""
    stamp = moment.strftime(_STAMP)
    for suffix in ("", "-wal", "-shm"):
        part = target.with_name(target.name + suffix)
        if part.exists():
            os.replace(part, target.with_name(f"{target.name}.damaged-{stamp}{suffix}"))


def copy_backup_to(source: sqlite3.Connection, target: Path, journal_mode: str) -> None:
    """A project file at ``target`` made from the open backup ``source`` (no lock, no backup mark),
    kept with ``journal_mode``; renamed into place when complete. Raises sqlite3.Error or OSError."""
    building = target.with_name(target.name + ".restoring")
    building.unlink(missing_ok=True)
    try:
        dest = sqlite3.connect(building, isolation_level=None)
        try:
            source.backup(dest)
            dest.execute(f"PRAGMA journal_mode = {journal_mode}")
            dest.execute("PRAGMA synchronous = FULL")
            dest.execute("BEGIN IMMEDIATE")
            dest.execute("DELETE FROM meta WHERE key = 'is_backup'")
            dest.execute("DELETE FROM lock")
            dest.execute("COMMIT")
        finally:
            dest.close()
        os.replace(building, target)
    finally:
        building.unlink(missing_ok=True)
