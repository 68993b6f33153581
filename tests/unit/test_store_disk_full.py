"""When the disk says no: edits kept and retried, backups that say what failed, leftovers cleaned,
messages in Chinese (SQLite's English only as details).

The full disk here is SQLite's own: ``PRAGMA max_page_count`` at the file's size makes every write that needs
a new page fail with SQLITE_FULL, exactly the error a full disk gives.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from treasurer_app.editing.changes import Change
from treasurer_app.editing.persistence import StorePersistence, UnsavedEdits
from treasurer_app.interchange import project_to_dict
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook
from treasurer_app.store import BackupPolicy, Store, StoreBackupFailed, StoreCannotCreate, StoreDamaged

YEAR = 115
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def entry(n: int) -> dict[str, str]:
    return {
        "month": "1",
        "day": "5",
        "kind": "支",
        "code": "1-1",
        "voucher": f"V{n:05d}",
        "memo": "講師費" * 20,
        "amount": str(1000 + n),
        "category": "分配款",
        "account": "專戶存款1",
    }


def fill_disk(persistence: StorePersistence) -> None:
    conn = persistence._store._db()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def free_disk(persistence: StorePersistence) -> None:
    persistence._store._db().execute("PRAGMA max_page_count = 1073741823")


def in_file(path: Path) -> dict:
    with Store.open(path, read_only=True) as copy:
        return project_to_dict(copy.load())


@pytest.fixture
def opened(tmp_path: Path) -> tuple[StorePersistence, Project]:
    persistence = StorePersistence(tmp_path / "union.tap")
    persistence.replace(Project({YEAR: YearBook(YEAR, ledger=LedgerBook())}))
    return persistence, persistence.load()


def test_edits_refused_by_a_full_disk_wait_and_are_all_written_when_space_returns(opened):
    persistence, project = opened
    unsaved = UnsavedEdits()
    fill_disk(persistence)
    results = []
    for n in range(200):
        project.years[YEAR].ledger.entries.append(entry(n))
        results.append(unsaved.record(persistence, project, Change("insert", YEAR, "ledger", row=n)))
    first_refused = results.index(False)  # SQLite said the disk is full at some point
    assert not any(results[first_refused:])  # and every later edit waited with the first one
    assert len(unsaved) == 200 - first_refused
    assert unsaved.reason == "磁碟空間不足"
    assert unsaved.summary() == f"有 {200 - first_refused} 項修改尚未儲存"
    assert len(in_file(persistence.location)["years"][str(YEAR)]["ledger"]["entries"]) == first_refused

    assert not unsaved.retry(persistence, project)  # still full: nothing dropped
    assert len(unsaved) == 200 - first_refused

    free_disk(persistence)
    assert unsaved.retry(persistence, project)
    assert not unsaved and unsaved.summary() == ""
    assert in_file(persistence.location) == project_to_dict(project)
    # Granular writes go on from the rewritten year: the store's row order matches the window's again.
    project.years[YEAR].ledger.entries.insert(3, entry(999))
    assert unsaved.record(persistence, project, Change("insert", YEAR, "ledger", row=3))
    assert in_file(persistence.location) == project_to_dict(project)
    persistence.close()


def test_a_year_removed_while_edits_wait_is_removed_from_the_file_on_retry(opened):
    persistence, project = opened
    unsaved = UnsavedEdits()
    project.years[YEAR].forms.setdefault("application", {})["contact"] = "洪小姐"
    fill_disk(persistence)
    for n in range(200):  # enough to need a new page
        project.years[YEAR].ledger.entries.append(entry(n))
        unsaved.record(persistence, project, Change("insert", YEAR, "ledger", row=n))
    assert unsaved
    project.add_year(YEAR + 1)
    assert not unsaved.record(persistence, project, Change("year", YEAR + 1, "year"))
    del project.years[YEAR + 1]
    assert not unsaved.record(persistence, project, Change("year", YEAR + 1, "year"))
    free_disk(persistence)
    assert unsaved.retry(persistence, project)
    assert in_file(persistence.location) == project_to_dict(project)
    persistence.close()


def test_touches_names_the_fields_and_cells_waiting():
    unsaved = UnsavedEdits()

    class Refusing:
        def record(self, project: object, change: Change) -> None:
            raise OSError("no space")

    for change in (
        Change("value", YEAR, "application", "contact"),
        Change("cell", YEAR, "roster", "name", 2),
        Change("cell", YEAR, "ledger", None, 4),
    ):
        assert not unsaved.record(Refusing(), Project(), change)  # type: ignore[arg-type]
    assert unsaved.touches(YEAR, "application", key="contact")
    assert not unsaved.touches(YEAR, "application", key="phone")
    assert unsaved.touches(YEAR, "roster", 2, "name") and not unsaved.touches(YEAR, "roster", 2, "sex")
    assert unsaved.touches(YEAR, "ledger", 4, "memo")  # a whole record changed: every cell of the row
    assert not unsaved.touches(YEAR - 1, "application", key="contact")


def test_a_backup_that_cannot_be_written_says_so_and_speaks_of_no_edit(tmp_path):
    blocked = tmp_path / "backups"
    blocked.write_text("a file where the backup folder should be")
    with Store.create(tmp_path / "union.tap", backup_dir=blocked) as store:
        store.add_year(YEAR)
        with pytest.raises(StoreBackupFailed) as raised:
            store.backup_now()
        with pytest.raises(StoreBackupFailed):
            store.maybe_backup()
    message = str(raised.value)
    assert "無法寫入備份" in message
    assert "修改" not in message  # no edit was involved
    assert not ENGLISH_WORD.search(message.split("：", 1)[1])


def test_leftovers_of_killed_backups_are_removed_once_abandoned(tmp_path):
    backups = tmp_path / "backups"
    with Store.create(tmp_path / "union.tap", backup_dir=backups, policy=BackupPolicy()) as store:
        store.add_year(YEAR)
        backups.mkdir(exist_ok=True)
        stem = "union.backup-20250101-090000.tap.partial"
        old = [backups / f"{stem}{suffix}" for suffix in ("", "-wal", "-shm", "-journal")]
        fresh = [backups / f"union.backup-20250102-090000.tap.partial{suffix}" for suffix in ("", "-wal")]
        unrelated = backups / "union.backup-notes.partial.txt"
        for file in (*old, *fresh, unrelated):
            file.write_bytes(b"x")
        hours_ago = (datetime.now() - timedelta(hours=2)).timestamp()
        for file in (*old, unrelated):
            os.utime(file, (hours_ago, hours_ago))
        store.thin_backups()
    assert not any(file.exists() for file in old)
    assert all(file.exists() for file in fresh)  # maybe still being written by another copy
    assert unrelated.exists()


def test_a_damaged_file_is_described_in_chinese_with_sqlites_words_as_details(tmp_path):
    path = tmp_path / "big.tap"
    entries = [{"voucher": f"V{i}", "memo": "某人" * 5} for i in range(2000)]
    with Store.create(path) as created:
        created.replace_project(Project({114: YearBook(114, ledger=LedgerBook(entries=entries))}))
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2 - len(raw) // 2 % 4096
    raw[middle : middle + 8192] = os.urandom(8192)
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreDamaged) as raised:
        Store.open(path)
    message = str(raised.value).split("：", 1)[1]
    assert not ENGLISH_WORD.search(message), message
    assert raised.value.details  # SQLite's own words, for a 詳細資料 section


def test_no_project_file_can_be_made_in_a_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(StoreCannotCreate) as raised:
        StorePersistence(blocker / "union.tap")
    assert "無法在這裡建立新的專案檔" in str(raised.value)
    with pytest.raises(Exception) as read_only:
        StorePersistence(blocker / "union.tap", read_only=True)  # read-only never makes a file
    assert not isinstance(read_only.value, StoreCannotCreate)


def test_automatic_retries_are_spaced_by_how_long_a_failed_one_took(monkeypatch):
    from treasurer_app.editing import persistence

    clock = [1000.0]
    monkeypatch.setattr(persistence.time, "monotonic", lambda: clock[0])
    calls: list[str] = []

    class SlowFullDisk:
        def record(self, project: object, change: Change) -> None:
            raise OSError("disk full")

        def resync(self, project: object, years: set[int]) -> None:
            calls.append("resync")
            clock[0] += 2.0  # rewriting a big year takes two seconds, then fails
            raise OSError("disk full")

    unsaved = UnsavedEdits()
    disk = SlowFullDisk()
    unsaved.record(disk, Project(), Change("value", YEAR, "application", "contact"))  # type: ignore[arg-type]
    assert not unsaved.retry(disk, Project(), automatic=True)  # type: ignore[arg-type]
    assert calls == ["resync"]
    clock[0] += 19.0
    assert not unsaved.retry(disk, Project(), automatic=True)  # type: ignore[arg-type]
    assert calls == ["resync"]  # within 10 × 2 s: not tried, the window stays responsive
    assert not unsaved.retry(disk, Project())  # type: ignore[arg-type]
    assert calls == ["resync", "resync"]  # 重試儲存 always tries
    clock[0] += 21.0
    assert not unsaved.retry(disk, Project(), automatic=True)  # type: ignore[arg-type]
    assert calls == ["resync", "resync", "resync"]
    assert len(unsaved) == 1  # still waiting, never dropped


REAL_DISK_SCRIPT = """
import sys
from pathlib import Path
from tests.store_support import BALLAST, fill_disk_with_ballast
from treasurer_app.interchange import project_to_dict
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook
from treasurer_app.store import Store
from treasurer_app.editing.changes import Change
from treasurer_app.editing.persistence import StorePersistence, UnsavedEdits

folder = Path(sys.argv[1])
persistence = StorePersistence(folder / "union.tap")
persistence.replace(Project({115: YearBook(115, ledger=LedgerBook())}))
project = persistence.load()
unsaved = UnsavedEdits()
fill_disk_with_ballast(folder)
refused = 0
for n in range(400):
    project.years[115].ledger.entries.append({"voucher": f"V{n}", "memo": "補助" * 150})
    refused += not unsaved.record(persistence, project, Change("insert", 115, "ledger", row=n))
assert refused and unsaved.reason == "磁碟空間不足", (refused, unsaved.problem)
assert not unsaved.retry(persistence, project)
(folder / BALLAST).unlink()
assert unsaved.retry(persistence, project), unsaved.problem
persistence.close()
with Store.open(folder / "union.tap", read_only=True) as copy:
    assert project_to_dict(copy.load()) == project_to_dict(project)
print("refused", refused)
"""


def test_on_a_really_full_small_disk(tmp_path):
    """ENOSPC from a real 8 MiB tmpfs, where this machine lets a test mount one in a mount namespace of its
    own (root on Linux); elsewhere the SQLITE_FULL tests above stand for it."""
    import shutil
    import subprocess
    import sys

    if sys.platform != "linux" or shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root and unshare")
    disk = tmp_path / "disk"
    disk.mkdir()
    root = Path(__file__).resolve().parents[2]
    command = f'mount -t tmpfs -o size=8m tmpfs "{disk}" && exec "{sys.executable}" -c "$0" "{disk}"'
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "TREASURER_APP_KEY_DIR": str(tmp_path / "keys"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f'mount -t tmpfs -o size=1m tmpfs "{disk}"'], capture_output=True, text=True
    )
    if probe.returncode != 0:
        pytest.skip(f"no mount here: {probe.stderr.strip()}")
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", command, REAL_DISK_SCRIPT],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused ")
