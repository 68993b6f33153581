"""A project on a network drive (issue 16): detected, and kept with a rollback journal and an exclusive lock.

SQLite's WAL needs every process on one computer (its index lives in shared memory). These tests
force the detection with TREASURER_APP_NETWORK_DRIVE (no CIFS/NFS mount is possible in the test
sandbox); the detection itself is tested on /proc/mounts texts and a stand-in GetDriveTypeW.
"""

from __future__ import annotations

import ctypes
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.store_support import (
    CRASH_YEAR,
    build_crash_project,
    keys_for_child,
    raw_connection,
    run_kill_soak,
    sqlite_sidecars,
)
from treasurer_app import netdrive, store
from treasurer_app.netdrive import NETWORK_DRIVE_ENV, is_network_path, mount_file_system, windows_drive_root
from treasurer_app.project import YearBook
from treasurer_app.store import NETWORK_MODE_NOTE, Store, StoreBusy

YEAR = 115


@pytest.fixture
def on_a_share(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NETWORK_DRIVE_ENV, "1")


def header_mode(path: Path) -> int:
    """Header byte 18: 2 = WAL, 1 = rollback journal."""
    return path.read_bytes()[18]


def new_project(path: Path) -> None:
    with Store.create(path) as created:
        created.put_year(YearBook(YEAR))
        created.set_value(YEAR, "application", "union_name", "00職業工會")


# ---------------------------------------------------------------- detection

MOUNTS = r"""sysfs /sys sysfs rw,nosuid 0 0
/dev/sda1 / ext4 rw,relatime 0 0
//nas/union /mnt/union cifs rw,vers=3.0 0 0
nas:/export /mnt/nfs nfs4 rw,relatime 0 0
me@nas:/home /mnt/ssh fuse.sshfs rw,nosuid 0 0
//nas/office\040share /mnt/office\040share smb3 rw 0 0
/dev/sdb1 /mnt/union/local ext4 rw 0 0
drvfs /mnt/c 9p rw 0 0
tmpfs /mnt/unionx tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "fs_type", "network"),
    [
        ("/home/treasurer/union.tap", "ext4", False),
        ("/mnt/union/115.tap", "cifs", True),
        ("/mnt/union", "cifs", True),
        ("/mnt/nfs/a/b.tap", "nfs4", True),
        ("/mnt/ssh/x.tap", "fuse.sshfs", True),
        ("/mnt/office share/x.tap", "smb3", True),  # a space in the mount point, written \040
        ("/mnt/union/local/x.tap", "ext4", False),  # a local disk mounted inside the share
        ("/mnt/c/Users/x.tap", "9p", True),
        ("/mnt/unionx/x.tap", "tmpfs", False),  # not inside /mnt/union for sharing a prefix
    ],
)
def test_the_file_system_of_a_path_is_its_longest_mount_point(path: str, fs_type: str, network: bool) -> None:
    assert mount_file_system(path, MOUNTS) == fs_type
    assert (fs_type in netdrive.NETWORK_FILE_SYSTEMS) is network


@pytest.mark.parametrize(
    ("path", "root"),
    [
        (r"C:\Users\會計\union.tap", "C:\\"),
        ("Z:/union.tap", "Z:\\"),
        (r"\\nas\union\union.tap", None),  # UNC: remote in itself
        (r"\\?\UNC\nas\union\union.tap", None),
        (r"\\?\D:\union.tap", "D:\\"),
    ],
)
def test_windows_paths_are_asked_about_their_drive_or_are_unc(path: str, root: str | None) -> None:
    assert windows_drive_root(path) == root


@pytest.mark.parametrize(("drive_type", "network"), [(4, True), (3, False), (2, False)])
def test_a_mapped_windows_drive_is_remote_when_get_drive_type_says_so(
    monkeypatch: pytest.MonkeyPatch, drive_type: int, network: bool
) -> None:
    asked: list[str] = []

    def get_drive_type(root: str) -> int:
        asked.append(root)
        return drive_type

    kernel32 = type("Kernel32", (), {"GetDriveTypeW": staticmethod(get_drive_type)})
    monkeypatch.setattr(ctypes, "windll", type("WinDLL", (), {"kernel32": kernel32})(), raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv(NETWORK_DRIVE_ENV, raising=False)
    assert is_network_path(r"Z:\union\union.tap") is network
    assert asked == ["Z:\\"]
    assert is_network_path(r"\\nas\union\union.tap") is True
    assert asked == ["Z:\\"]  # a UNC path needs no question


def test_a_local_folder_is_not_a_network_drive(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(NETWORK_DRIVE_ENV, raising=False)
    if sys.platform.startswith("linux"):
        assert mount_file_system(str(tmp_path.resolve()), Path("/proc/self/mounts").read_text()) not in (
            netdrive.NETWORK_FILE_SYSTEMS
        )
    assert is_network_path(tmp_path / "new-folder" / "union.tap") is False


@pytest.mark.parametrize(("value", "network"), [("1", True), ("0", False)])
def test_the_detection_can_be_forced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str, network: bool
) -> None:
    monkeypatch.setenv(NETWORK_DRIVE_ENV, value)
    monkeypatch.setattr(netdrive, "_linux_file_system", lambda path: "cifs")
    assert is_network_path(tmp_path / "union.tap") is network


# ---------------------------------------------------------------- the store on a share


def test_a_project_made_on_a_share_uses_a_rollback_journal_and_an_exclusive_lock(
    on_a_share: None, tmp_path: Path
) -> None:
    path = tmp_path / "union.tap"
    with Store.create(path) as created:
        assert created.network and created.storage_note == NETWORK_MODE_NOTE
        conn = created._db()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA locking_mode").fetchone()[0] == "exclusive"
        created.put_year(YearBook(YEAR))
        created.set_value(YEAR, "application", "union_name", "00職業工會")
        assert not path.with_name(path.name + "-wal").exists()
        assert not path.with_name(path.name + "-shm").exists()  # no shared memory over the network
    assert header_mode(path) == 1
    with Store.open(path) as again:  # a rollback-journal file without the backup mark is a project
        assert not again.read_only and not again.is_backup
        assert again.load().years[YEAR].forms["application"]["union_name"] == "00職業工會"


def test_a_second_computer_is_told_the_file_is_open_elsewhere(
    on_a_share: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "union.tap"
    new_project(path)
    with Store.open(path):
        for read_only in (False, True):
            with pytest.raises(StoreBusy) as refused:
                Store.open(path, read_only=read_only)
            assert "另一台電腦" in str(refused.value) and "同一時間只能一台電腦開啟" in str(refused.value)
    with Store.open(path, read_only=True) as reading:  # closed: anyone may open it again
        assert reading.load().years[YEAR].forms["application"]["union_name"] == "00職業工會"
        assert reading.storage_note == ""  # nothing kept by a read-only copy


def test_a_local_project_moved_to_a_share_and_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "union.tap"
    monkeypatch.setenv(NETWORK_DRIVE_ENV, "0")
    new_project(path)
    assert header_mode(path) == 2
    monkeypatch.setenv(NETWORK_DRIVE_ENV, "1")
    with Store.open(path) as shared:
        assert shared._db().execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        shared.set_value(YEAR, "application", "tax_id", "12345675")
    assert header_mode(path) == 1
    assert not any(side.exists() for side in sqlite_sidecars(path))
    monkeypatch.setenv(NETWORK_DRIVE_ENV, "0")
    with Store.open(path) as local:  # copied back to a local disk: WAL again, nothing lost, not a backup
        assert not local.is_backup and local.storage_note == ""
        assert local._db().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        values = local.load().years[YEAR].forms["application"]
        assert (values["union_name"], values["tax_id"]) == ("00職業工會", "12345675")


def test_backups_on_a_share_are_still_backups(on_a_share: None, tmp_path: Path) -> None:
    path = tmp_path / "union.tap"
    new_project(path)
    with Store.open(path) as shared:
        backup = shared.backup_now()
    with Store.open(backup) as opened:
        assert opened.is_backup and opened.read_only
    with raw_connection(backup) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'is_backup'").fetchone() == (1,)
    conn.close()
    with Store.open(path) as shared:  # and a restore keeps the project a project
        shared.set_value(YEAR, "application", "union_name", "改過")
        shared.restore(backup)
        assert shared.load().years[YEAR].forms["application"]["union_name"] == "00職業工會"
    with Store.open(path) as again:
        assert not again.is_backup


def test_a_damaged_rollback_journal_file_is_still_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "union.tap"
    new_project(path)
    with Store.open(path) as opened:
        backup = opened.backup_now()
    data = bytearray(backup.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    backup.write_bytes(bytes(data))
    with pytest.raises(store.StoreError):
        Store.open(backup).load()


def test_no_edit_is_lost_across_kills_in_the_network_mode(
    on_a_share: None, tmp_path: Path, memory_keyring: object
) -> None:
    """The kill test of test_store_crash, with the children and the checker in the network mode."""
    if sys.platform == "win32":
        pytest.skip("SIGKILL and forkserver are POSIX")
    path = tmp_path / "crash.tap"
    build_crash_project(path)
    assert header_mode(path) == 1
    result = run_kill_soak(path, kills=40, seed=16, keys=keys_for_child(memory_keyring))  # type: ignore[arg-type]
    assert result.kills == 40 and result.edits > 40 and result.stale_locks_broken > 0
    with Store.open(path) as survived:
        assert survived._db().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert survived.load().years[CRASH_YEAR].ledger is not None
    assert header_mode(path) == 1


def test_sqlite_itself_keeps_the_lock_until_close(on_a_share: None, tmp_path: Path) -> None:
    """What the exclusive lock means: no other connection can even read while the window has the file."""
    path = tmp_path / "union.tap"
    new_project(path)
    with Store.open(path):
        other = sqlite3.connect(path, timeout=0.05)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("SELECT count(*) FROM meta").fetchone()
        other.close()


KILLED_MID_EDIT = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("PRAGMA cache_size = 1")  # spill: the unfinished edit's pages reach the file before any commit
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE form_values SET value = '未完成的修改' WHERE key = 'union_name'")
conn.executemany("INSERT INTO meta (key, value) VALUES (?, randomblob(2000))", [(f"x{i}",) for i in range(300)])
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_read_only_look_after_a_kill_mid_edit_sees_the_last_committed_state(on_a_share: None, tmp_path: Path) -> None:
    """A read-only connection may not roll a hot journal back; reading around it (immutable) showed the
    half-written edit, and the next writable open then rolled back what the look had reported (the kill
    soak found it: an acknowledged edit lost)."""
    import subprocess

    path = tmp_path / "union.tap"
    new_project(path)
    subprocess.run([sys.executable, "-c", KILLED_MID_EDIT, str(path)], check=False)
    assert path.with_name(path.name + "-journal").stat().st_size > 0
    with Store.open(path, read_only=True) as look:
        assert look.load().years[YEAR].forms["application"]["union_name"] == "00職業工會"
    with Store.open(path) as writable:
        assert writable.load().years[YEAR].forms["application"]["union_name"] == "00職業工會"
        assert writable._db().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
