"""The project store: one SQLite file per union, every edit committed as it is made.

* WAL journal with ``synchronous=FULL``: an edit acknowledged by a method's
  return survives a killed process and a power cut.
* On a network drive (``treasurer_app.netdrive``), where WAL's shared memory is not
  safe, a rollback journal with ``locking_mode=EXCLUSIVE`` instead: one computer
  at a time (``Store.storage_note`` says so). The file header then reads like a
  backup's; backups are told apart by their ``meta.is_backup`` mark.
* Every edit method is its own transaction; ``transaction()`` groups several
  into one (all kept or none).
* Every failure a user can meet is a ``StoreError`` (or a ``privacy.PrivacyError``
  for key problems) whose ``str`` is a Chinese message; no traceback reaches them.

The rooms, each with one job (touch the one the change is about):

* ``errors``  — the ``StoreError`` family; SQLite's and the system's errors in Chinese
  (``OS_REASONS``, the program's one table of system errors, read by the exporters too).
* ``files``   — where projects live; connecting to a file (read-only media, a killed copy's half edit).
* ``lock``    — the lock row naming host, process and user (GnuCash); whether its holder is gone.
* ``schema``  — the tables, ``SCHEMA_VERSION`` and ``MIGRATIONS`` (add a migration there),
  and the checks that a file is a sound project file.
* ``integrity`` — the file's integrity check, made while opening or on a thread of its own after it; every
  write waits for its answer.
* ``backups`` — backup names, Anki's keep/thin rule, writing one, cleaning a crashed one's leftovers.
* ``order``   — the sparse ``position`` of rows, so one edit of a 50,000-entry ledger touches one row.
* ``records`` — the project's records: years, forms, rows, ``load``; personal values sealed with the
  project's key (``privacy``).
* here       — ``Store`` (records included): opening and creating a file, the lock taken, transactions,
  migrations run, backups made and restored.

``SCHEMA_VERSION``, ``MIGRATIONS`` and ``BUSY_TIMEOUT_MS`` are read from this module when used, so a test
(or a tool) may replace them here.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from treasurer_app import netdrive, normalise, privacy
from treasurer_app.store.backups import (
    BACKUP_FOLDER,
    BackupInfo,
    BackupPolicy,
    backup_due,
    backup_name,
    backups_to_remove,
    copy_backup_to,
    list_backups,
    local_time,
    next_backup_path,
    set_aside,
    sidecars,
    thin,
    write_backup,
)
from treasurer_app.store.errors import (
    BackupMismatch,
    StoreBackupFailed,
    StoreBusy,
    StoreCannotCreate,
    StoreDamaged,
    StoreError,
    StoreExists,
    StoreFileReadOnly,
    StoreLocked,
    StoreLockLost,
    StoreNeedsUpgrade,
    StoreNotFound,
    StoreNotProject,
    StoreReadOnly,
    StoreTooNew,
    StoreWriteFailed,
    os_reason,
    sqlite_reason,
    translate_open_error,
    write_error,
)
from treasurer_app.store.files import (
    DATA_DIR_ENV,
    PROJECT_SUFFIX,
    check_writable,
    connect,
    connect_checked,
    default_data_dir,
    default_project_path,
    inspect_backup,
    journal_mode_for,
    marked_as_backup,
)
from treasurer_app.store.integrity import Integrity, IntegrityCheck
from treasurer_app.store.lock import (
    HEARTBEAT_INTERVAL,
    LOCK_TIMEOUT,
    LockHolder,
    lock_is_stale,
    read_lock,
    refresh_heartbeat,
    take_lock,
    utc,
    write_lock_row,
)
from treasurer_app.store.order import RowOrder
from treasurer_app.store.records import NORMALISED_KEY, TABLE_COLUMNS, TABLE_NAMES, MetaValue, Records
from treasurer_app.store.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    WAL_VERSION,
    check_integrity,
    checked_version,
    read_header,
)

__all__ = [
    "APPLICATION_ID", "BACKUP_FOLDER", "BUSY_TIMEOUT_MS", "DATA_DIR_ENV", "HEARTBEAT_INTERVAL", "LOCK_TIMEOUT",
    "MIGRATIONS", "NETWORK_MODE_NOTE", "NORMALISED_KEY", "PROJECT_SUFFIX", "SCHEMA_VERSION", "TABLE_COLUMNS",
    "TABLE_NAMES", "BackupInfo", "BackupMismatch", "BackupPolicy", "LockHolder", "Store", "StoreBackupFailed",
    "StoreBusy", "StoreCannotCreate", "StoreDamaged", "StoreError", "StoreExists", "StoreFileReadOnly",
    "StoreLockLost", "StoreLocked", "StoreNeedsUpgrade", "StoreNotFound", "StoreNotProject", "StoreReadOnly",
    "StoreTooNew", "StoreWriteFailed", "backup_name", "backups_to_remove", "default_data_dir",
    "default_project_path", "list_backups", "lock_is_stale", "open_backup", "os_reason", "peek_lock",
    "restore_backup", "sqlite_reason",
]  # fmt: skip

BUSY_TIMEOUT_MS = 5000
NETWORK_MODE_NOTE = "專案檔在網路磁碟上：改用相容模式儲存，同一時間只能一台電腦開啟。"


def _connect(path: Path, *, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    return connect(path, read_only=read_only, immutable=immutable, busy_timeout_ms=BUSY_TIMEOUT_MS)


# ---------------------------------------------------------------- the store


class Store(Records, Integrity):
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
        self._key_problem: privacy.PrivacyError | None = None
        self._key_pending = False
        self._key_check = ""
        self.project_id = ""
        self._conn: sqlite3.Connection | None = conn
        self._cipher: privacy.Cipher | None = None
        self._key: bytes | None = None
        self._token = ""
        self._lock_lost = False
        self._depth = 0
        self._dirty = False
        self._last_heartbeat = datetime.now(UTC)
        self._orders: dict[tuple[int, str], RowOrder] = {}
        self._years: set[int] | None = None
        self._thread = threading.get_ident()  # the thread that uses ``conn``; others read with their own
        self._integrity: IntegrityCheck | None = None
        self._damage: StoreDamaged | None = None
        self.rows_read = 0

    # ---- opening and closing ----

    @classmethod
    def create(
        cls, path: str | Path, *, backup_dir: str | Path | None = None, policy: BackupPolicy | None = None
    ) -> Store:
        """A new empty project file with a new key in the credential store; StoreExists if the file is there."""
        path = Path(path)
        if path.exists():
            raise StoreExists(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreCannotCreate(path, os_reason(exc), str(exc)) from None
        import uuid  # here, not at the top: only a new project needs it

        project_id = uuid.uuid4().hex
        key = privacy.new_key()
        privacy.save_key(project_id, key)  # fails first when there is no credential store
        building = path.with_name(path.name + ".creating")
        try:
            cls._build(building, project_id, privacy.Cipher(key, project_id), journal_mode_for(path))
            if path.exists():
                raise StoreExists(path)
            os.replace(building, path)  # nobody ever sees a half-built project
        except BaseException as exc:
            for leftover in (building, *sidecars(building)):
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
        check_in_background: bool = False,
    ) -> Store:
        """Open a project file.

        Writable: takes the lock (``StoreLocked`` when someone holds it; a stale
        lock is broken only with ``break_lock=True``), migrates an older schema
        and needs the key (``privacy.KeyMissing`` / ``KeyringUnavailable``).
        ``read_only=True`` takes no lock, writes nothing, and opens even without
        the key (personal values then read as ``privacy.LOCKED_TEXT``); only an edit a
        killed copy left half-written in a rollback-journal file (on a network drive) is
        first rolled back, as SQLite does for any reader, changing no committed value. A backup
        file is always opened read-only and immutable. ``check_in_background`` (the window): the file's
        integrity check runs on a thread of its own once the file is open, and every write waits for its
        answer (``store.integrity``); else the opening makes it.
        """
        return cls._open(
            Path(path),
            read_only=read_only,
            break_lock=break_lock,
            backup_dir=Path(backup_dir) if backup_dir is not None else None,
            policy=policy or BackupPolicy(),
            now=now,
            need_key=not read_only,
            check_in_background=check_in_background,
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
        check_in_background: bool = False,
    ) -> Store:
        header = read_header(path)
        is_backup = header.write_version != WAL_VERSION and marked_as_backup(path, BUSY_TIMEOUT_MS)
        read_only = read_only or is_backup
        if not read_only:
            check_writable(path)
        network = not is_backup and netdrive.is_network_path(path)
        try:
            return cls._open_connected(
                path, read_only=read_only, is_backup=is_backup, network=network, break_lock=break_lock,
                backup_dir=backup_dir, policy=policy, now=now, need_key=need_key,
                later=check_in_background and not network,  # beside an exclusive lock no other connection reads
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
        later: bool,
    ) -> Store:
        conn = connect_checked(path, read_only=read_only, immutable=is_backup, busy_timeout_ms=BUSY_TIMEOUT_MS)
        store = cls(path, conn, read_only=read_only, is_backup=is_backup, backup_dir=backup_dir, policy=policy)
        store.network = network
        try:
            version = checked_version(path, conn, SCHEMA_VERSION, verify=not later)
            if later and version < SCHEMA_VERSION:
                check_integrity(path, conn)  # before a backup and a migration rewrite the file
            if read_only and version < SCHEMA_VERSION:
                raise StoreNeedsUpgrade(path, version, SCHEMA_VERSION)
            store.project_id = str(store._meta("project_id") or "")
            if not store.project_id:
                raise StoreDamaged(path, "缺少專案代碼")
            if read_only:
                store.lock_holder = store._read_lock()
            else:
                store._configure()
                store._acquire_lock(break_lock, now)
                store._migrate(version, now)
            store._open_key(required=need_key)
            if later and version == SCHEMA_VERSION:
                store._integrity = IntegrityCheck.of_file(path, immutable=is_backup, busy_timeout_ms=BUSY_TIMEOUT_MS)
        except BaseException:
            store.close()
            raise
        return store

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
            raise translate_open_error(self.path, exc) from None
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
        self._stop_integrity_check()
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

    def _reader(self) -> tuple[sqlite3.Connection, bool]:
        """A connection to read with on this thread, and whether it is the store's own: on another thread
        (the checker's, reading a year ``load(lazy=True)`` left unread) a read-only one the caller closes."""
        conn = self._db()
        if threading.get_ident() == self._thread:
            return conn, True
        return connect_checked(
            self.path, read_only=True, immutable=self.is_backup, busy_timeout_ms=BUSY_TIMEOUT_MS
        ), False

    # ---- lock ----

    def _read_lock(self) -> LockHolder | None:
        return read_lock(self._db())

    def _acquire_lock(self, break_lock: bool, now: datetime | None) -> None:
        self.lock_holder = take_lock(self._db(), self.path, break_lock, utc(now))
        self._token = self.lock_holder.token
        self._last_heartbeat = self.lock_holder.since

    def heartbeat(self, now: datetime | None = None) -> None:
        """Tell other copies this one is alive; the UI calls it every minute or so while idle."""
        if self.read_only:
            return
        moment = utc(now)
        with self._write():
            refresh_heartbeat(self._db(), self._token, moment)
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
        self.check_integrity()  # never a write into a damaged file
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise write_error(self.path, exc) from None
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
                raise write_error(self.path, exc) from None
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
            refresh_heartbeat(self._db(), self._token, moment)
            self._last_heartbeat = moment

    def _forget_caches(self) -> None:
        self._orders.clear()
        self._years = None

    # ---- meta ----

    def _meta(self, key: str) -> MetaValue:
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

    # ---- migrations (schema.MIGRATIONS) ----

    def _migrate(self, version: int, now: datetime | None) -> None:
        while version < SCHEMA_VERSION:
            self.backup_now(now, kind=f"before-migration-v{version}")
            with self._write():
                MIGRATIONS[version](self._db())
                self._db().execute(f"PRAGMA user_version = {version + 1}")
            version += 1

    # ---- backups (the backups room) ----

    def backup_now(self, now: datetime | None = None, kind: str = "") -> Path:
        """A backup of the file as committed, into ``backup_dir``, named with the time (and ``kind``); refused
        for a damaged file, whose copy would only take a sound backup's place."""
        self.check_integrity()
        return self._backup(now, kind)

    def _backup(self, now: datetime | None, kind: str) -> Path:
        if self._depth:
            raise StoreError(f"{self.path}：修改尚未完成，不能在交易進行中備份")
        moment = local_time(now)
        folder = self.backup_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = next_backup_path(folder, self.path, moment, kind)
            write_backup(self._db(), target)
        except OSError as exc:
            raise StoreBackupFailed(folder, os_reason(exc), str(exc)) from None
        except sqlite3.Error as exc:
            raise StoreBackupFailed(folder, sqlite_reason(exc), str(exc)) from None
        return target

    def maybe_backup(self, now: datetime | None = None) -> Path | None:
        """A backup if something changed since the last one and ``min_interval_minutes`` passed; then thin."""
        if self.read_only:
            return None
        moment = local_time(now)
        seq = self.change_seq
        if not backup_due(self._meta("last_backup_seq"), seq, self._meta("last_backup_at"), moment, self.policy):
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
        return thin(self.backup_dir, self.path, local_time(now), self.policy)

    def restore(self, backup: str | Path, now: datetime | None = None) -> Path:
        """Make the file what ``backup`` holds. A ``before-restore`` backup of the current state is made first."""
        self._refuse_writes()
        backup = Path(backup)
        project_id, version = inspect_backup(backup, newest=SCHEMA_VERSION, busy_timeout_ms=BUSY_TIMEOUT_MS)
        if project_id != self.project_id:
            raise BackupMismatch(backup, self.path)
        safety = self._backup(now, "before-restore")  # even of a damaged file: the restore is its remedy
        source = _connect(backup, read_only=True, immutable=True)
        try:
            source.backup(self._db())
        except sqlite3.Error as exc:
            raise write_error(self.path, exc) from None
        finally:
            source.close()
        self._known_sound()  # the backup's content, checked by inspect_backup
        self._forget_caches()
        conn = self._db()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM meta WHERE key = 'is_backup'")
            conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'change_seq'")
            write_lock_row(conn, self._token, datetime.now(UTC))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise write_error(self.path, exc) from None
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
    _, version = inspect_backup(backup, newest=SCHEMA_VERSION, busy_timeout_ms=BUSY_TIMEOUT_MS)
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
            set_aside(target, local_time(now))
        else:
            with store:
                return store.restore(backup, now)
    source = _connect(backup, read_only=True, immutable=True)
    try:
        copy_backup_to(source, target, journal_mode_for(target))
    except sqlite3.Error as exc:
        raise StoreWriteFailed(target, sqlite_reason(exc), str(exc)) from None
    except OSError as exc:
        raise StoreWriteFailed(target, os_reason(exc), str(exc)) from None
    finally:
        source.close()
    if version < SCHEMA_VERSION:
        Store._open(
            target, read_only=False, break_lock=False, backup_dir=folder, policy=BackupPolicy(), now=now, need_key=False
        ).close()
    return None


def peek_lock(path: str | Path) -> LockHolder | None:
    """Who holds a project file, without opening it for writing."""
    with Store.open(path, read_only=True) as store:
        return store.lock_holder
