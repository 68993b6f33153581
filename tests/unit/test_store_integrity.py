"""The file's integrity check left to a thread of its own (``Store.open(..., check_in_background=True)``, the
window's opening; treasurer_app/store/integrity.py): damage in a page the opening does not read is still found
and said in Chinese before anything is written into the file, and a sound file takes every edit."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import struct
import sys
import threading
from pathlib import Path

import pytest

from tests.store_support import raw_connection
from treasurer_app import netdrive, store
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook
from treasurer_app.store import Store, StoreDamaged, StoreError, integrity

MEMBER = {"name": "王小明", "sex": "男", "national_id": "A123456789", "birth_date": "0650315"}
ENTRIES = 3000
DAMAGED_VOUCHER = b"V02500"  # a ledger entry far into the rows table: the opening reads no page near it
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def make_project(path: Path) -> Path:
    entries = [{"voucher": f"V{i:05d}", "memo": "某人" * 5, "amount": "100"} for i in range(ENTRIES)]
    book = YearBook(114, ledger=LedgerBook(entries=entries))
    book.forms["application"]["contact"] = "林先生"
    book.roster = [dict(MEMBER)]  # a sealed value first: the key is looked up on opening, the rows left unread
    with Store.create(path) as created:
        created.replace_project(Project({114: book}))
    assert not path.with_name(path.name + "-wal").exists()  # all of it in the file itself
    return path


def damage_page_holding(path: Path, text: bytes) -> int:
    """Overwrite the page holding ``text`` with noise, as a failing disk or a broken copy would; its number."""
    raw = bytearray(path.read_bytes())
    page_size = struct.unpack(">H", raw[16:18])[0]
    page = raw.index(text) // page_size
    raw[page * page_size : (page + 1) * page_size] = random.Random(page).randbytes(page_size)
    path.write_bytes(bytes(raw))
    return page + 1


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = make_project(tmp_path / "union.tap")
    damage_page_holding(path, DAMAGED_VOUCHER)
    return path


def contact_in_file(path: Path) -> str:
    conn = raw_connection(path)
    try:
        row = conn.execute(
            "SELECT value FROM form_values WHERE year = 114 AND form_id = 'application' AND key = 'contact'"
        ).fetchone()
    finally:
        conn.close()
    return str(row[0])


def test_opening_as_before_still_refuses_the_damaged_file(damaged: Path) -> None:
    with pytest.raises(StoreDamaged, match="專案檔已損毀"):
        Store.open(damaged)


def test_damage_the_opening_does_not_read_is_found_before_any_write(damaged: Path) -> None:
    backups = damaged.parent / "backups"
    with Store.open(damaged, check_in_background=True, backup_dir=backups) as opened:  # nothing read is damaged
        with pytest.raises(StoreDamaged, match="請從備份還原") as refused:
            opened.set_value(114, "application", "contact", "洪小姐")
        assert opened.integrity_checked
        message = str(refused.value).split("：", 1)[1]
        assert "專案檔已損毀" in message and not ENGLISH_WORD.search(message), message
        assert refused.value.details  # SQLite's own words, for a 詳細資料 section
        with pytest.raises(StoreDamaged):
            opened.set_value(114, "application", "contact", "洪小姐")  # asked again: still refused
        with pytest.raises(StoreDamaged):
            opened.backup_now()  # a damaged copy never takes a sound backup's place
        with pytest.raises(StoreDamaged):
            opened.maybe_backup()
        with pytest.raises(StoreDamaged):
            opened.heartbeat()
    assert contact_in_file(damaged) == "林先生"
    assert not backups.exists() or not any(backups.iterdir())


def test_reading_the_damaged_page_says_so_in_chinese(damaged: Path) -> None:
    with Store.open(damaged, check_in_background=True) as opened:
        project = opened.load(lazy=True)  # the opening's reading: no row
        assert project.years[114].forms["application"]["contact"] == "林先生"
        with pytest.raises(StoreDamaged, match="資料庫結構損壞"):
            opened.load()


def test_a_sound_file_takes_an_edit_made_at_once(tmp_path: Path) -> None:
    path = make_project(tmp_path / "union.tap")
    with Store.open(path, check_in_background=True) as opened:
        opened.set_value(114, "application", "contact", "洪小姐")
        assert opened.integrity_checked
        opened.check_integrity()  # sound: returns
        assert opened.backup_now().exists()
    assert contact_in_file(path) == "洪小姐"
    assert not [t for t in threading.enumerate() if t.name == "treasurer-app-integrity"]


def test_a_write_waits_for_the_checks_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_project(tmp_path / "union.tap")
    release = threading.Event()
    connect = integrity.connect_checked

    def held_connect(*args: object, **options: object) -> sqlite3.Connection:
        release.wait()  # the check starts only when the test lets it
        return connect(*args, **options)  # type: ignore[arg-type]  # the same arguments, passed on

    monkeypatch.setattr(integrity, "connect_checked", held_connect)
    with Store.open(path, check_in_background=True) as opened:
        assert not opened.integrity_checked
        threading.Timer(0.05, release.set).start()  # from elsewhere, as the disk answers the check's reads
        opened.set_value(114, "application", "contact", "洪小姐")
        assert release.is_set() and opened.integrity_checked  # the write waited for the answer
    assert contact_in_file(path) == "洪小姐"


def test_closing_stops_a_check_still_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_project(tmp_path / "union.tap")
    running = threading.Event()

    def endless_check(path: Path, conn: sqlite3.Connection) -> None:
        running.set()
        try:
            conn.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n")
        except sqlite3.OperationalError as exc:  # interrupted: as translate_open_error says it
            raise store.translate_open_error(path, exc) from None

    monkeypatch.setattr(integrity, "check_integrity", endless_check)
    opened = Store.open(path, check_in_background=True)
    assert running.wait(10)
    check = opened._integrity
    assert check is not None
    opened.close()
    assert check.done
    outcome = check.outcome()
    assert isinstance(outcome, StoreError) and not isinstance(outcome, StoreDamaged)  # no answer, not damage
    assert not [t for t in threading.enumerate() if t.name == "treasurer-app-integrity"]


def test_a_check_that_could_not_read_is_made_by_the_store_itself(
    damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy_connect(path: Path, **options: object) -> sqlite3.Connection:
        raise store.StoreBusy(path)

    monkeypatch.setattr(integrity, "connect_checked", busy_connect)
    with Store.open(damaged, check_in_background=True) as opened, pytest.raises(StoreDamaged, match="專案檔已損毀"):
        opened.set_value(114, "application", "contact", "洪小姐")
    assert contact_in_file(damaged) == "林先生"


def test_a_file_to_be_migrated_is_checked_before_its_backup_and_migration(
    damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "SCHEMA_VERSION", store.SCHEMA_VERSION + 1)
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, lambda conn: None])
    backups = damaged.parent / "backups"
    with pytest.raises(StoreDamaged, match="專案檔已損毀"):
        Store.open(damaged, check_in_background=True, backup_dir=backups)
    assert not backups.exists() or not any(backups.iterdir())


def test_on_a_network_drive_the_opening_checks(damaged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store holds an exclusive lock there: no other connection could read beside it."""
    monkeypatch.setattr(netdrive, "is_network_path", lambda path: True)
    with pytest.raises(StoreDamaged, match="專案檔已損毀"):
        Store.open(damaged, check_in_background=True)


def test_restoring_a_backup_over_the_damaged_file_ends_the_refusal(tmp_path: Path) -> None:
    path = make_project(tmp_path / "union.tap")
    with Store.open(path) as opened:
        backup = opened.backup_now()
    damage_page_holding(path, DAMAGED_VOUCHER)
    with Store.open(path, check_in_background=True) as opened:
        with pytest.raises(StoreDamaged):
            opened.check_integrity()
        kept = opened.restore(backup)  # the damaged state is kept aside first, as every restore does
        assert kept.exists()
        opened.set_value(114, "application", "contact", "洪小姐")
        assert len(opened.load().years[114].ledger.entries) == ENTRIES
    conn = raw_connection(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert contact_in_file(path) == "洪小姐"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own niceness is Linux's")
def test_the_check_yields_the_processor_to_the_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_project(tmp_path / "union.tap")
    niceness: list[int] = []
    check = integrity.check_integrity
    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def noting_check(path: Path, conn: sqlite3.Connection) -> None:
        niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        check(path, conn)

    monkeypatch.setattr(integrity, "check_integrity", noting_check)
    with Store.open(path, check_in_background=True) as opened:
        opened.check_integrity()
    assert niceness == [19]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own  # the window's thread: unchanged
