"""The project store: round trips, per-edit persistence, row identity, migrations, locks, backups, bad files."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import platformdirs
import pytest
import xlwt

from tests.store_support import raw_connection, sqlite_sidecars
from treasurer_app import interchange, store
from treasurer_app.interchange import project_from_dict, project_to_dict
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook
from treasurer_app.store import (
    BackupInfo,
    BackupMismatch,
    BackupPolicy,
    LockHolder,
    Store,
    StoreDamaged,
    StoreError,
    StoreExists,
    StoreFileReadOnly,
    StoreLocked,
    StoreLockLost,
    StoreNotFound,
    StoreNotProject,
    StoreReadOnly,
    StoreTooNew,
    backups_to_remove,
    default_data_dir,
    list_backups,
    lock_is_stale,
    restore_backup,
)

MEMBER = {
    "name": "王小明",
    "sex": "男",
    "national_id": "A123456789",
    "birth_date": "0650315",
    "joined": "1000101",
    "unit": "基隆港",
}


def sample_document() -> dict:
    return {
        "format": interchange.FORMAT_NAME,
        "version": interchange.FORMAT_VERSION,
        "years": {
            "114": {
                "forms": {
                    "application": {"union_name": "基隆港務工會", "tax_id": "12345675", "union_type": "職業工會"},
                    "budget": {"rev_1": "500000", "rev_1_note": "分配款"},
                    "work_plan": {"plan_1_description": "勞動教育"},
                },
                "roster": [MEMBER, {**MEMBER, "name": "林美麗", "sex": "女", "national_id": "B234567890"}],
                "training_report": [{"day1": "1130721", "name": "港區安全講習", "hours_1": "3", "male": "10"}],
                "ledger": {
                    "header": {"opening_acct1": "1000", "interest_carried_in": "12"},
                    "entries": [
                        {"month": "1", "day": "5", "kind": "收", "code": "1", "voucher": "A001", "amount": "90000"},
                        {"month": "2", "day": "1", "kind": "支", "code": "5-2", "voucher": "A002", "memo": "王小明"},
                    ],
                },
                "attachments": {"meeting": "C:/文件/會議紀錄.pdf"},
                "acknowledged": ["budget:rev_1:warning", "roster:duplicate"],
            },
            "115": {"forms": {"application": {"union_name": "基隆港務工會"}}, "ledger": None},
        },
    }


def sample_project() -> Project:
    return project_from_dict(sample_document())


def as_dict(project: Project) -> dict:
    return project_to_dict(project)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "union.tap"
    with Store.create(path) as created:
        created.replace_project(sample_project())
    return path


def reopened(path: Path) -> dict:
    with Store.open(path) as again:
        return as_dict(again.load())


# ---------------------------------------------------------------- round trip and settings


def test_whole_project_round_trips_through_the_file(project_path):
    assert reopened(project_path) == as_dict(sample_project())


def test_year_without_ledger_stays_without_ledger(project_path):
    with Store.open(project_path) as opened:
        project = opened.load()
    assert project.years[115].ledger is None
    assert project.years[114].ledger is not None


def test_file_is_wal_with_full_sync_and_marked_as_ours(project_path):
    with Store.open(project_path) as opened:
        conn = opened._db()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION


def test_default_folder_comes_from_platformdirs_or_the_override(monkeypatch, tmp_path):
    monkeypatch.setenv(store.DATA_DIR_ENV, str(tmp_path / "mine"))
    assert default_data_dir() == tmp_path / "mine"
    assert store.default_project_path("基隆") == tmp_path / "mine" / f"基隆{store.PROJECT_SUFFIX}"
    monkeypatch.delenv(store.DATA_DIR_ENV)
    assert default_data_dir() == Path(platformdirs.user_data_dir("treasurer_app", appauthor=False))


def test_create_refuses_an_existing_file(project_path):
    with pytest.raises(StoreExists, match="已存在"):
        Store.create(project_path)


# ---------------------------------------------------------------- edits persist one by one


def test_every_kind_of_edit_persists_across_reopen(project_path):
    expected = sample_project()
    book = expected.years[114]
    with Store.open(project_path) as opened:
        opened.set_value(114, "application", "union_name", "高雄港務工會")
        book.forms["application"]["union_name"] = "高雄港務工會"
        opened.set_ledger_value(114, "opening_petty", "300")
        book.ledger.header["opening_petty"] = "300"
        opened.insert_row(114, "roster", 1, {**MEMBER, "name": "張大同", "national_id": "C198765432"})
        book.roster.insert(1, {**MEMBER, "name": "張大同", "national_id": "C198765432"})
        opened.set_cell(114, "roster", 0, "national_id", "A223456788")
        book.roster[0]["national_id"] = "A223456788"
        opened.set_row(114, "training_report", 0, {"name": "急救訓練"})  # the form id works as table name
        book.training_report[0] = {"name": "急救訓練"}
        opened.append_row(114, "training_report", {"name": "消防演練"})
        book.training_report.append({"name": "消防演練"})
        opened.move_row(114, "ledger", 1, 0)
        book.ledger.entries.insert(0, book.ledger.entries.pop(1))
        opened.delete_row(114, "roster", 2)
        del book.roster[2]
        opened.set_attachment(114, "method", "D:/辦法.pdf")
        book.attachments["method"] = "D:/辦法.pdf"
        opened.set_attachment(114, "meeting", "")
        del book.attachments["meeting"]
        opened.set_acknowledged(114, "roster:duplicate", False)
        book.acknowledged.discard("roster:duplicate")
        opened.set_acknowledged(114, "ledger:late", True)
        book.acknowledged.add("ledger:late")
        opened.add_year(116)
        expected.years[116] = YearBook(116)
        opened.set_ledger_header(116, {"opening_acct1": "55"})
        expected.years[116].ledger = LedgerBook(header={"opening_acct1": "55"})
        opened.remove_ledger(114)
        book.ledger = None
        opened.delete_year(115)
        del expected.years[115]
    assert reopened(project_path) == as_dict(expected)


def test_an_edit_is_committed_when_the_call_returns(project_path):
    with Store.open(project_path) as writer:
        writer.set_cell(114, "ledger", 0, "amount", "777")
        # Another connection sees it at once: nothing waits for close() or a save.
        with Store.open(project_path, read_only=True) as reader:
            assert reader.load().years[114].ledger.entries[0]["amount"] == "777"


def test_change_counter_counts_edits_not_backups(project_path):
    with Store.open(project_path) as opened:
        before = opened.change_seq
        opened.set_value(114, "budget", "rev_3", "5")
        opened.backup_now()
        opened.heartbeat()
        assert opened.change_seq == before + 1


def test_a_transaction_is_all_or_nothing(project_path):
    with Store.open(project_path) as opened:
        with pytest.raises(RuntimeError), opened.transaction():
            opened.set_value(114, "application", "union_name", "半途")
            opened.append_row(114, "ledger", {"voucher": "X1"})
            raise RuntimeError("power cut in the middle")
        assert opened.row_count(114, "ledger") == 2
    assert reopened(project_path) == as_dict(sample_project())


def test_a_failed_inner_group_rolls_back_alone(project_path):
    with Store.open(project_path) as opened, opened.transaction():
        opened.set_value(114, "budget", "rev_3", "1")
        with pytest.raises(IndexError), opened.transaction():
            opened.set_value(114, "budget", "rev_3", "2")
            opened.delete_row(114, "ledger", 99)
    assert reopened(project_path)["years"]["114"]["forms"]["budget"]["rev_3"] == "1"


def test_misuse_is_refused_before_anything_is_written(project_path):
    with Store.open(project_path) as opened:
        seq = opened.change_seq
        with pytest.raises(ValueError):
            opened.set_value(114, "application", "no_such_field", "x")
        with pytest.raises(ValueError):
            opened.append_row(114, "ledger", {"bogus": "1"})
        with pytest.raises(ValueError):
            opened.append_row(114, "payroll", {})
        with pytest.raises(TypeError):
            opened.set_cell(114, "ledger", 0, "amount", 5)  # type: ignore[arg-type]
        with pytest.raises(IndexError):
            opened.set_row(114, "ledger", 2, {})
        with pytest.raises(ValueError, match="年度不存在"):
            opened.set_value(120, "budget", "rev_1", "1")
        with pytest.raises(ValueError, match="已存在"):
            opened.add_year(114)
        assert opened.change_seq == seq


# ---------------------------------------------------------------- row identity and cost


def test_editing_one_row_of_a_big_ledger_touches_that_row_only(tmp_path):
    path = tmp_path / "big.tap"
    entries = [{"voucher": f"V{i}", "amount": str(i + 1), "memo": f"會員{i}"} for i in range(3000)]
    project = Project({114: YearBook(114, ledger=LedgerBook(entries=[dict(e) for e in entries]))})

    def amount(rows):
        rows[1500]["amount"] = "9"

    def memo(rows):
        rows[1500]["memo"] = "改名"

    def replace(rows):
        rows[10] = {"voucher": "W"}

    def move(rows):
        rows.insert(3, rows.pop(2999))

    def delete(rows):
        del rows[7]

    def insert(rows):
        rows.insert(1000, {"voucher": "new"})

    with Store.create(path) as opened:
        opened.replace_project(project)
        ids = opened.row_ids(114, "ledger")
        conn = opened._db()
        for edit, mirror in (
            (lambda: opened.set_cell(114, "ledger", 1500, "amount", "9"), amount),
            (lambda: opened.set_cell(114, "ledger", 1500, "memo", "改名"), memo),
            (lambda: opened.set_row(114, "ledger", 10, {"voucher": "W"}), replace),
            (lambda: opened.move_row(114, "ledger", 2999, 3), move),
            (lambda: opened.delete_row(114, "ledger", 7), delete),
            (lambda: opened.insert_row(114, "ledger", 1000, {"voucher": "new"}), insert),
        ):
            before = conn.total_changes
            edit()
            mirror(entries)
            assert conn.total_changes - before <= 3  # the row (twice for a move) and the change counter
        now_ids = opened.row_ids(114, "ledger")
        assert now_ids[3] == ids[2999]  # a moved row keeps its id
        assert set(now_ids) - set(ids) == {now_ids[1000]}
        assert set(ids) - set(now_ids) == {ids[6]}  # index 7 after the move to 3
    assert reopened(path)["years"]["114"]["ledger"]["entries"] == entries


def test_many_inserts_at_one_place_keep_the_order(tmp_path):
    path = tmp_path / "inserts.tap"
    expected: list[dict[str, str]] = []
    with Store.create(path) as opened:
        opened.add_year(114)
        for i in range(10):
            opened.append_row(114, "ledger", {"voucher": f"base{i}"})
            expected.append({"voucher": f"base{i}"})
        for i in range(200):  # always between the same two neighbours: the gap must be re-made
            opened.insert_row(114, "ledger", 5, {"voucher": f"n{i}"})
            expected.insert(5, {"voucher": f"n{i}"})
        for _ in range(50):
            opened.move_row(114, "ledger", 0, 6)
            expected.insert(6, expected.pop(0))
        assert opened.load().years[114].ledger.entries == expected
    assert reopened(path)["years"]["114"]["ledger"]["entries"] == expected


# ---------------------------------------------------------------- migrations


def _add_notes_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")


CURRENT = store.SCHEMA_VERSION
NEXT = CURRENT + 1  # a made-up next version, for the migration machinery


def test_migration_runs_after_a_backup_copy_of_the_old_file(project_path, monkeypatch):
    monkeypatch.setattr(store, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, _add_notes_table])
    with Store.open(project_path) as opened:
        assert opened.schema_version == NEXT
        assert opened._db().execute("SELECT count(*) FROM notes").fetchone() == (0,)
        copies = [b for b in opened.list_backups() if b.kind == f"before-migration-v{CURRENT}"]
        assert len(copies) == 1
        assert as_dict(opened.load()) == as_dict(sample_project())
    copy = sqlite3.connect(f"file:{copies[0].path}?mode=ro&immutable=1", uri=True)
    try:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == CURRENT
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "notes" not in tables and "rows" in tables
    finally:
        copy.close()


def test_a_failing_migration_leaves_the_file_at_its_old_version(project_path, monkeypatch):
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half (x)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, broken])
    with pytest.raises(StoreError, match="無法存檔"):
        Store.open(project_path)
    monkeypatch.undo()
    with Store.open(project_path) as opened:
        assert opened.schema_version == CURRENT
        tables = {row[0] for row in opened._db().execute("SELECT name FROM sqlite_master")}
        assert "half" not in tables
        assert as_dict(opened.load()) == as_dict(sample_project())


def test_a_version_1_file_gets_the_line_subsidy_tables_after_a_backup(tmp_path, monkeypatch):
    """Schema 2: the rows table also holds the LINE subsidy's tables; a version 1 file is rebuilt, its rows,
    their ids and the id counter kept (sealed values are bound to their row id). (The file is made by this
    program told to stop at version 1, which writes sheet 4's rows under their version 3 name: so the
    project here has none; tests/fixtures/schema2-union.tap has them, see the version 3 test below.)"""
    from tests.unit.test_line_subsidy import YEAR, repeat_project

    path = tmp_path / "old.tap"
    monkeypatch.setattr(store, "SCHEMA_VERSION", 1)
    without_sheet_4 = sample_project()
    without_sheet_4.years[114].training_report = []
    with Store.create(path) as created:
        created.replace_project(without_sheet_4)
        created.delete_row(114, "roster", 1)  # the highest id is gone: the counter must not go back
        ids_before = {table: created.row_ids(114, table) for table in ("roster", "ledger")}
        counter = created._db().execute("SELECT seq FROM sqlite_sequence WHERE name = 'rows'").fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError):  # version 1 refuses the new tables
            created._db().execute(
                "INSERT INTO rows (year, tbl, position, plain, sealed) VALUES (114, 'line_fees', 1, '{}', '{}')"
            )
    monkeypatch.undo()
    expected = as_dict(without_sheet_4)
    del expected["years"]["114"]["roster"][1]
    with Store.open(path) as opened:
        assert opened.schema_version == store.SCHEMA_VERSION
        assert sorted(b.kind for b in opened.list_backups()) == ["before-migration-v1", "before-migration-v2"]
        assert as_dict(opened.load()) == expected
        assert {table: opened.row_ids(114, table) for table in ids_before} == ids_before
        assert opened._db().execute("SELECT seq FROM sqlite_sequence WHERE name = 'rows'").fetchone()[0] == counter
        opened.put_year(repeat_project().years[YEAR])
        assert min(opened.row_ids(YEAR, "line_fees")) > counter
        opened.set_cell(YEAR, "line_messages", 0, "title", "勞動部提醒：颱風天出勤")
    project = repeat_project()
    project.years[YEAR].line_rows["line_messages"][0]["title"] = "勞動部提醒：颱風天出勤"
    assert reopened(path)["years"][str(YEAR)] == as_dict(project)["years"][str(YEAR)]


SCHEMA_2_FILE = Path(__file__).parent.parent / "fixtures" / "schema2-union.tap"


def test_a_version_2_file_written_by_the_old_program_opens_with_sheet_4_as_training_report(tmp_path):
    """Schema 3: sheet 4's rows are the table ``training_report`` (they were ``sessions``). The fixture was
    written by the program at schema 2 (main 38e7b12): year 114 with a member and a ledger entry (both with
    sealed personal values), two training sessions and a LINE fee; its key is schema2-union.key."""
    from treasurer_app import privacy

    path = tmp_path / "union.tap"
    path.write_bytes(SCHEMA_2_FILE.read_bytes())
    conn = raw_connection(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    old_rows = conn.execute("SELECT id, tbl, position, plain, sealed FROM rows ORDER BY id").fetchall()
    project_id = conn.execute("SELECT value FROM meta WHERE key = 'project_id'").fetchone()[0]
    conn.close()
    assert {row[1] for row in old_rows} == {"roster", "sessions", "ledger", "line_fees"}
    with pytest.raises(StoreError, match="需先升級"):  # a read-only look cannot migrate it
        Store.open(path, read_only=True)
    privacy.save_key(project_id, base64.b64decode(SCHEMA_2_FILE.with_suffix(".key").read_text()))
    with Store.open(path, backup_dir=tmp_path / "backups") as opened:
        assert opened.schema_version == store.SCHEMA_VERSION == 3
        assert [b.kind for b in opened.list_backups()] == ["before-migration-v2"]
        book = opened.load().years[114]
        assert [s["name"] for s in book.training_report] == ["港區安全講習", "急救訓練"]
        assert book.roster[0]["national_id"] == "A123456789" and book.ledger is not None
        assert book.ledger.entries[0]["memo"] == "王小明"  # sealed values still open
        assert book.line_rows["line_fees"][0]["amount"] == "4200"
        new_rows = opened._db().execute("SELECT id, tbl, position, plain, sealed FROM rows ORDER BY id").fetchall()
        assert new_rows == [
            (i, "training_report" if t == "sessions" else t, p, plain, sealed) for i, t, p, plain, sealed in old_rows
        ]  # ids, order and sealed values kept
        opened.set_cell(114, "training_report", 1, "name", "急救與CPR訓練")
        opened.append_row(114, "training_report", {"name": "消防演練"})
        assert min(opened.row_ids(114, "training_report")[2:]) > max(row[0] for row in old_rows)
    with Store.open(path, read_only=True) as again:
        names = [s["name"] for s in again.load().years[114].training_report]
    assert names == ["港區安全講習", "急救與CPR訓練", "消防演練"]


# ---------------------------------------------------------------- the lock


def test_a_second_copy_gets_a_clear_lock_message(project_path):
    with Store.open(project_path) as first:
        with pytest.raises(StoreLocked) as caught:
            Store.open(project_path)
        message = str(caught.value)
        assert "使用中" in message and "唯讀" in message
        assert socket.gethostname() in message and str(os.getpid()) in message
        assert not caught.value.stale
        assert caught.value.holder.token == first.lock_holder.token
        with pytest.raises(StoreLocked):
            Store.open(project_path, break_lock=True)  # a live lock is never broken


def test_read_only_open_beside_the_writer(project_path):
    with Store.open(project_path) as writer, Store.open(project_path, read_only=True) as reader:
        assert reader.read_only
        assert reader.lock_holder == writer.lock_holder
        assert as_dict(reader.load()) == as_dict(sample_project())
        with pytest.raises(StoreReadOnly, match="唯讀"):
            reader.set_value(114, "budget", "rev_1", "1")
        with pytest.raises(StoreReadOnly):
            reader.append_row(114, "roster", MEMBER)
        assert reader.maybe_backup() is None
        writer.set_value(114, "budget", "rev_1", "42")
        assert reader.load().years[114].forms["budget"]["rev_1"] == "42"


def test_lock_is_released_on_close(project_path):
    Store.open(project_path).close()
    with Store.open(project_path) as again:
        assert again.lock_holder.pid == os.getpid()
    with Store.open(project_path, read_only=True) as look:
        assert look.lock_holder is None


def _plant_lock(path: Path, host: str, pid: int, heartbeat: datetime) -> None:
    conn = raw_connection(path)
    try:
        conn.execute(
            "INSERT OR REPLACE INTO lock (id, token, host, pid, user, since, heartbeat) VALUES (1, 'x', ?, ?, ?, ?, ?)",
            (host, pid, "會計", heartbeat.isoformat(), heartbeat.isoformat()),
        )
    finally:
        conn.close()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_lock_of_a_dead_process_on_this_host_is_stale_and_can_be_broken(project_path):
    _plant_lock(project_path, socket.gethostname(), _dead_pid(), datetime.now(UTC))
    with pytest.raises(StoreLocked) as caught:
        Store.open(project_path)
    assert caught.value.stale
    assert "已不在執行" in str(caught.value)
    with Store.open(project_path, break_lock=True) as opened:
        assert opened.lock_holder.pid == os.getpid()
        opened.set_value(114, "budget", "rev_1", "1")


def test_lock_from_another_host_goes_stale_by_heartbeat(project_path):
    now = datetime.now(UTC)
    _plant_lock(project_path, "另一台電腦", 4242, now - timedelta(minutes=2))
    with pytest.raises(StoreLocked) as caught:
        Store.open(project_path, break_lock=True)
    assert not caught.value.stale
    holder = caught.value.holder
    assert holder.host == "另一台電腦" and holder.user == "會計"
    assert not lock_is_stale(holder, now)
    assert lock_is_stale(holder, now + store.LOCK_TIMEOUT)
    _plant_lock(project_path, "另一台電腦", 4242, now - store.LOCK_TIMEOUT - timedelta(minutes=1))
    with Store.open(project_path, break_lock=True) as opened:
        assert opened.lock_holder.host == socket.gethostname()


def test_live_process_on_this_host_is_not_stale_however_idle():
    long_ago = datetime.now(UTC) - timedelta(days=3)
    holder = LockHolder(socket.gethostname(), os.getpid(), "", long_ago, long_ago, "t")
    assert not lock_is_stale(holder)
    assert lock_is_stale(LockHolder(socket.gethostname(), _dead_pid(), "", long_ago, datetime.now(UTC), "t"))


def test_heartbeat_refreshes_the_lock(project_path):
    later = datetime.now(UTC) + timedelta(minutes=30)
    with Store.open(project_path) as opened:
        opened.heartbeat(later)
        with Store.open(project_path, read_only=True) as look:
            assert abs(look.lock_holder.heartbeat - later) < timedelta(seconds=1)


def test_a_broken_lock_stops_the_old_holder_writing(project_path):
    with Store.open(project_path) as opened:
        _plant_lock(project_path, "另一台電腦", 1, datetime.now(UTC))  # someone broke our lock and took it
        with pytest.raises(StoreLockLost, match="鎖定已被其他程式解除"):
            opened.set_value(114, "budget", "rev_1", "mine")
        with pytest.raises(StoreLockLost):
            opened.set_value(114, "budget", "rev_1", "mine again")
    with Store.open(project_path, read_only=True) as look:
        assert look.load().years[114].forms["budget"]["rev_1"] == "500000"
        assert look.lock_holder.host == "另一台電腦"  # closing did not remove the new holder's lock


# ---------------------------------------------------------------- backups


T0 = datetime(2025, 3, 3, 9, 0, 0)


def test_backup_only_when_changed_and_interval_passed(project_path):
    with Store.open(project_path, policy=BackupPolicy(min_interval_minutes=30)) as opened:
        first = opened.maybe_backup(T0)
        assert first is not None and first.exists()
        assert opened.maybe_backup(T0 + timedelta(hours=2)) is None  # nothing changed
        opened.set_value(114, "budget", "rev_1", "1")
        assert opened.maybe_backup(T0 + timedelta(minutes=10)) is None  # too soon
        second = opened.maybe_backup(T0 + timedelta(minutes=31))
        assert second is not None and second != first
        assert [b.path for b in opened.list_backups()] == [second, first]
        assert opened.maybe_backup(T0 + timedelta(minutes=31) - timedelta(days=3)) is None  # nothing changed
        opened.set_value(114, "budget", "rev_1", "2")
        # A clock set back must not stop backups for ever.
        assert opened.maybe_backup(T0 - timedelta(days=3)) is not None


def test_a_backup_is_a_complete_read_only_copy(project_path):
    with Store.open(project_path) as opened:
        backup = opened.backup_now(T0)
    assert backup.parent == project_path.parent / "backups"
    assert backup.name == "union.backup-20250303-090000.tap"
    assert backup.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: one self-contained file
    with Store.open(backup) as copy:
        assert copy.is_backup and copy.read_only
        assert copy.lock_holder is None
        assert as_dict(copy.load()) == as_dict(sample_project())


def test_backups_go_to_a_chosen_folder(project_path, tmp_path):
    folder = tmp_path / "elsewhere"
    with Store.open(project_path, backup_dir=folder) as opened:
        made = opened.backup_now(T0)
    assert made.parent == folder
    assert list_backups(project_path, folder)[0].path == made
    assert list_backups(project_path) == []


def test_opening_a_backup_never_changes_it(project_path):
    with Store.open(project_path) as opened:
        backup = opened.backup_now(T0)
    digest = file_hash(backup)
    listing = sorted(p.name for p in backup.parent.iterdir())
    with Store.open(backup) as copy:  # asked for writing, but a backup is opened immutable
        copy.load()
        with pytest.raises(StoreReadOnly, match="備份檔"):
            copy.set_value(114, "budget", "rev_1", "1")
        with pytest.raises(StoreReadOnly):
            copy.restore(backup)
    with Store.open(project_path) as opened:
        opened.set_value(114, "budget", "rev_1", "changed")
        opened.restore(backup, T0 + timedelta(hours=1))
    restore_backup(backup, project_path.parent / "copy.tap")
    assert file_hash(backup) == digest
    assert all(not side.exists() for side in sqlite_sidecars(backup))
    assert sorted(p.name for p in backup.parent.iterdir()) == [
        *listing,
        "union.backup-20250303-100000-before-restore.tap",
    ]


def test_restore_brings_back_the_backup_after_saving_the_present(project_path):
    with Store.open(project_path) as opened:
        backup = opened.backup_now(T0)
        opened.set_value(114, "application", "union_name", "改過的名字")
        opened.append_row(114, "roster", {**MEMBER, "name": "新會員"})
        present = as_dict(opened.load())
        safety = opened.restore(backup, T0 + timedelta(hours=1))
        assert safety.name.endswith("-before-restore.tap")
        assert as_dict(opened.load()) == as_dict(sample_project())
        opened.append_row(114, "roster", MEMBER)  # still writable and still holding the lock
        with pytest.raises(StoreLocked):
            Store.open(project_path)
    with Store.open(safety) as saved:
        assert as_dict(saved.load()) == present
    assert len(reopened(project_path)["years"]["114"]["roster"]) == 3


def test_restore_refuses_another_projects_backup(project_path, tmp_path):
    other = tmp_path / "other.tap"
    with Store.create(other) as foreign:
        foreign.add_year(114)
        foreign_backup = foreign.backup_now(T0)
    with Store.open(project_path) as opened, pytest.raises(BackupMismatch, match="另一個專案"):
        opened.restore(foreign_backup)


def test_restore_command_path_creates_or_replaces_the_target(project_path, tmp_path):
    with Store.open(project_path) as opened:
        backup = opened.backup_now(T0)
    fresh = tmp_path / "fresh.tap"
    assert restore_backup(backup, fresh) is None
    assert reopened(fresh) == as_dict(sample_project())
    damaged = tmp_path / "damaged.tap"
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    restore_backup(backup, damaged, now=T0)
    assert reopened(damaged) == as_dict(sample_project())
    kept = tmp_path / "damaged.tap.damaged-20250303-090000"
    assert kept.exists()  # the damaged file is set aside, never deleted


def _fake(taken_at: datetime, kind: str = "") -> BackupInfo:
    return BackupInfo(Path(f"{taken_at:%Y%m%d%H%M}-{kind}.tap"), taken_at, kind)


def test_thinning_keeps_a_day_then_daily_weekly_monthly():
    now = datetime(2025, 6, 30, 20, 0)
    backups = [_fake(now - timedelta(hours=h)) for h in range(0, 400 * 24, 5)]
    backups.append(_fake(now - timedelta(days=300), kind="before-restore"))
    policy = BackupPolicy(daily=7, weekly=4, monthly=12)
    removed = {b.path for b in backups_to_remove(backups, now, policy)}
    kept = sorted((b for b in backups if b.path not in removed), key=lambda b: b.taken_at, reverse=True)

    recent = [b for b in kept if now - b.taken_at < timedelta(hours=24)]
    assert len(recent) == len([b for b in backups if now - b.taken_at < timedelta(hours=24) and not b.kind])
    older = [b for b in kept if now - b.taken_at >= timedelta(hours=24) and not b.kind]
    assert len(older) == 7 + 4 + 12
    days = [b.taken_at.date() for b in older]
    assert len(set(days)) == len(days)  # never two of the same day
    assert days[:7] == [(now - timedelta(days=d)).date() for d in range(1, 8)]
    # each daily one is the newest of its day
    for daily in older[:7]:
        assert daily.taken_at == max(b.taken_at for b in backups if b.taken_at.date() == daily.taken_at.date())
    weeks = [b.taken_at.isocalendar()[:2] for b in older[7:11]]
    assert len(set(weeks)) == 4
    months = [(b.taken_at.year, b.taken_at.month) for b in older[11:]]
    assert len(set(months)) == 12
    assert any(b.kind == "before-restore" for b in kept)  # tagged backups are never thinned
    assert older[-1].taken_at > now - timedelta(days=400)


def test_thinning_counts_days_with_backups_for_a_rarely_used_project():
    now = datetime(2025, 6, 30, 20, 0)
    monthly_use = [_fake(now - timedelta(days=30 * k)) for k in range(1, 6)]
    assert backups_to_remove(monthly_use, now, BackupPolicy()) == []


def test_maybe_backup_thins_real_files_with_an_injected_clock(project_path):
    policy = BackupPolicy(min_interval_minutes=60, daily=3, weekly=2, monthly=2)
    with Store.open(project_path, policy=policy) as opened:
        moment = datetime(2025, 1, 1, 9, 0)
        for day in range(100):
            for hour in (9, 18):
                opened.set_value(114, "budget", "rev_1", f"{day}-{hour}")
                assert opened.maybe_backup(moment + timedelta(days=day, hours=hour - 9)) is not None
        last = moment + timedelta(days=99, hours=9)
        names = [b.taken_at for b in opened.list_backups()]
    # the last 24 hours in full, then the newest of each of 3 days, 2 weeks, 2 months
    assert names[:3] == [last, last - timedelta(hours=9), last - timedelta(hours=24)]
    assert names[3:6] == [last - timedelta(days=d) for d in (2, 3, 4)]
    assert len(names) == 3 + 3 + 2 + 2
    assert len({(n.year, n.month) for n in names[-2:]}) == 2
    files = sorted(p.name for p in (project_path.parent / "backups").iterdir())
    assert len(files) == len(names)  # thinning deleted the files, and left no partial copies


# ---------------------------------------------------------------- bad files


def _xls(path: Path) -> None:
    book = xlwt.Workbook()
    book.add_sheet("名冊").write(0, 0, "王小明")
    book.save(str(path))


def _xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "王小明"
    book.save(path)


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


BAD_FILES = {
    "random bytes": (lambda p: p.write_bytes(os.urandom(4096)), StoreNotProject, "檔案內容無法辨識"),
    "text file": (lambda p: p.write_text("會員名單\n王小明\n", encoding="utf-8"), StoreNotProject, "文字檔"),
    "xls workbook": (_xls, StoreNotProject, ".xls"),
    "xlsx workbook": (_xlsx, StoreNotProject, ".xlsx"),
    "interchange json": (lambda p: interchange.save(sample_project(), p), StoreNotProject, "匯入"),
    "empty file": (lambda p: p.write_bytes(b""), StoreNotProject, "空白檔案"),
    "another program's sqlite": (_other_sqlite, StoreNotProject, "其他程式"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_file_that_is_not_a_project_gets_a_clear_message(tmp_path, case):
    make, error, phrase = BAD_FILES[case]
    path = tmp_path / "不是專案.tap"
    make(path)
    digest = file_hash(path)
    for read_only in (False, True):
        with pytest.raises(error) as caught:
            Store.open(path, read_only=read_only)
        assert phrase in str(caught.value)
        assert str(path) in str(caught.value)
        assert "不是本程式的專案檔" in str(caught.value)
    assert file_hash(path) == digest
    assert all(not side.exists() for side in sqlite_sidecars(path))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(StoreNotFound, match="找不到專案檔"):
        Store.open(tmp_path / "沒有這個.tap")
    with pytest.raises(StoreNotProject, match="資料夾"):
        Store.open(tmp_path)


@pytest.mark.parametrize("at_page_boundary", [False, True])
def test_a_truncated_file_is_reported_as_damaged(project_path, at_page_boundary):
    raw = project_path.read_bytes()
    cut = len(raw) // 2
    if at_page_boundary:
        cut -= cut % 4096
    project_path.write_bytes(raw[:cut])
    with pytest.raises(StoreDamaged, match="截斷"):
        Store.open(project_path)
    with pytest.raises(StoreDamaged, match="請從備份還原"):
        Store.open(project_path, read_only=True)


def test_a_file_with_garbage_pages_is_reported_as_damaged(tmp_path):
    path = tmp_path / "big.tap"
    entries = [{"voucher": f"V{i}", "memo": "某人" * 5} for i in range(2000)]
    with Store.create(path) as created:
        created.replace_project(Project({114: YearBook(114, ledger=LedgerBook(entries=entries))}))
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2 - len(raw) // 2 % 4096
    raw[middle : middle + 8192] = os.urandom(8192)
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreDamaged, match="損毀"):
        Store.open(path)


def test_values_another_tool_wrote_are_read_as_text_or_reported(project_path):
    """The app writes only text; a number put in by hand reads as its digits, so every rule can read it."""
    conn = raw_connection(project_path)
    conn.execute("UPDATE form_values SET value = 123 WHERE key = 'union_name'")
    conn.execute("UPDATE rows SET plain = json_set(plain, '$.sex', 1) WHERE tbl = 'roster'")
    conn.close()
    with Store.open(project_path) as opened:
        project = opened.load()
    assert project.years[114].forms["application"]["union_name"] == "123"
    assert {member["sex"] for member in project.years[114].roster} == {"1"}
    from treasurer_app.rules import check_project

    assert "roster.sex_matches_id" not in {f.rule for f in check_project(project, 114)}  # read, not crashed on


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("UPDATE form_values SET value = x'00ff' WHERE key = 'union_name'", "「union_name」不是文字"),
        ("UPDATE rows SET plain = '[1, 2]' WHERE tbl = 'roster'", "會員名冊 第 "),
        ("UPDATE rows SET plain = json_set(plain, '$.sex', json('[1]')) WHERE tbl = 'roster'", "「sex」不是文字"),
    ],
)
def test_values_that_are_not_text_are_reported_as_damage(project_path, damage, reason):
    conn = raw_connection(project_path)
    conn.execute(damage)
    conn.close()
    with Store.open(project_path) as opened, pytest.raises(StoreDamaged, match="資料內容不符") as raised:
        opened.load()
    assert reason in str(raised.value)


def test_a_file_from_a_newer_version_is_refused(project_path):
    conn = raw_connection(project_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    for read_only in (False, True):
        with pytest.raises(StoreTooNew, match=r"較新版本的程式.*版本 99.*請更新程式"):
            Store.open(project_path, read_only=read_only)


def test_a_read_only_file_opens_read_only_only(project_path):
    project_path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(StoreFileReadOnly, match="唯讀"):
            Store.open(project_path)
        with Store.open(project_path, read_only=True) as look:
            assert as_dict(look.load()) == as_dict(sample_project())
    finally:
        project_path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_bad_file_errors_are_store_errors_with_chinese_text(tmp_path):
    path = tmp_path / "x.tap"
    path.write_bytes(os.urandom(100))
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert not isinstance(caught.value, sqlite3.Error)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(caught.value))


# ---------------------------------------------------------------- whole years, imports, older files


def test_a_rolled_over_year_is_written_whole(project_path):
    with Store.open(project_path) as opened:
        project = opened.load()
        project.years.pop(115)
        opened.delete_year(115)
        new_book = project.roll_over(114)
        opened.put_year(new_book)
        assert opened.row_count(115, "roster") == 2
        new_book.roster[0]["unit"] = "高雄港"
        opened.put_year(new_book)  # writing a year again replaces it
    assert reopened(project_path) == as_dict(project)


def test_an_import_replaces_everything_after_a_backup(project_path):
    imported = Project({120: YearBook(120)})
    with Store.open(project_path) as opened:
        safety = opened.replace_project(imported, T0)
        assert safety is not None and safety.name.endswith("-before-import.tap")
        assert opened.years() == [120]
    assert reopened(project_path) == as_dict(imported)
    with store.open_backup(safety) as saved:
        assert as_dict(saved.load()) == as_dict(sample_project())


def test_peek_lock_names_the_holder_without_taking_it(project_path):
    assert store.peek_lock(project_path) is None
    with Store.open(project_path) as opened:
        assert store.peek_lock(project_path) == opened.lock_holder


def test_an_older_file_must_be_upgraded_before_read_only_use(project_path, monkeypatch):
    monkeypatch.setattr(store, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, _add_notes_table])
    with pytest.raises(store.StoreNeedsUpgrade, match="需先升級"):
        Store.open(project_path, read_only=True)
    Store.open(project_path).close()
    with Store.open(project_path, read_only=True) as look:
        assert look.schema_version == NEXT


def test_restoring_an_older_backup_upgrades_it_again(project_path, monkeypatch):
    with Store.open(project_path) as opened:
        old_backup = opened.backup_now(T0)
    monkeypatch.setattr(store, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, _add_notes_table])
    with Store.open(project_path) as opened:
        opened.restore(old_backup, T0 + timedelta(hours=1))
        assert opened.schema_version == NEXT
        assert opened._db().execute("SELECT count(*) FROM notes").fetchone() == (0,)
        assert as_dict(opened.load()) == as_dict(sample_project())
