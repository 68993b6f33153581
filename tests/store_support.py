"""Helpers for the store tests: the kill-at-random-points crash harness.

The crash harness is shared by ``tests/unit/test_store_crash.py`` (≥ 200 kills)
and ``benchmarks/soak_store_kill.py`` (1,000). Children are forked from a
forkserver that has already imported the store, so a child costs a fork, not a
Python start-up; each reports ``committed N`` on a pipe after edit N commits
and is killed with SIGKILL at a random moment.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import keyring

from tests.memory_keyring import MemoryKeyring
from treasurer_app import interchange
from treasurer_app.editing.changes import Change
from treasurer_app.interchange import project_to_dict
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook
from treasurer_app.store import Store, StoreLocked

# ---------------------------------------------------------------- the edits a child makes

CRASH_YEAR = 114


def _entry(n: int) -> dict[str, str]:
    return {
        "month": str(n % 12 + 1),
        "day": str(n % 28 + 1),
        "kind": "支",
        "code": "5-2",
        "voucher": f"V{n:06d}",
        "memo": f"林會員{n}",
        "amount": str(1000 + n),
        "category": "分配款",
        "account": "專戶存款1",
    }


def _member(n: int) -> dict[str, str]:
    return {
        "name": f"陳會員{n}",
        "sex": "男",
        "national_id": f"A1{n % 100000000:08d}",
        "birth_date": "0650315",
        "joined": "1000101",
        "unit": f"單位{n}",
    }


def apply_edit(target: object, n: int) -> None:
    """Edit number ``n``: one transaction touching the header pair, a ledger row and a roster row.

    ``target`` is a ``Store`` or a ``ProjectModel``; both see the same calls, so
    the parent can replay exactly what a child committed.
    """
    rng = random.Random(n)
    with target.transaction():  # type: ignore[attr-defined]
        # The pair that must agree: a half-applied edit would show n in one and not the other.
        target.set_ledger_header(CRASH_YEAR, {"opening_acct1": str(n), "opening_acct2": str(7 * n)})  # type: ignore[attr-defined]
        count = target.row_count(CRASH_YEAR, "ledger")  # type: ignore[attr-defined]
        op = rng.randrange(6)
        if op <= 1 or count < 4:
            target.insert_row(CRASH_YEAR, "ledger", rng.randrange(count + 1), _entry(n))  # type: ignore[attr-defined]
        elif op == 2:
            target.set_row(CRASH_YEAR, "ledger", rng.randrange(count), _entry(n))  # type: ignore[attr-defined]
        elif op == 3:
            target.move_row(CRASH_YEAR, "ledger", rng.randrange(count), rng.randrange(count))  # type: ignore[attr-defined]
        elif op == 4:
            target.delete_row(CRASH_YEAR, "ledger", rng.randrange(count))  # type: ignore[attr-defined]
        else:
            target.set_cell(CRASH_YEAR, "ledger", rng.randrange(count), "memo", f"改{n}")  # type: ignore[attr-defined]
        members = target.row_count(CRASH_YEAR, "roster")  # type: ignore[attr-defined]
        if members < 12:
            target.insert_row(CRASH_YEAR, "roster", rng.randrange(members + 1), _member(n))  # type: ignore[attr-defined]
        else:
            target.set_cell(CRASH_YEAR, "roster", rng.randrange(members), "name", f"黃會員{n}")  # type: ignore[attr-defined]


@dataclass
class ProjectModel:
    """The store's edit calls applied to a Project in memory: what the file must hold."""

    project: Project = field(default_factory=Project)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def _rows(self, year: int, table: str) -> list[dict[str, str]]:
        book = self.project.years[year]
        if table == "ledger":
            if book.ledger is None:
                book.ledger = LedgerBook()
            return book.ledger.entries
        return book.roster if table == "roster" else book.training_report

    def set_ledger_header(self, year: int, record: Mapping[str, str]) -> None:
        book = self.project.years[year]
        if book.ledger is None:
            book.ledger = LedgerBook()
        book.ledger.header = dict(record)

    def row_count(self, year: int, table: str) -> int:
        return len(self._rows(year, table))

    def insert_row(self, year: int, table: str, index: int, record: Mapping[str, str]) -> None:
        self._rows(year, table).insert(index, dict(record))

    def set_row(self, year: int, table: str, index: int, record: Mapping[str, str]) -> None:
        self._rows(year, table)[index] = dict(record)

    def set_cell(self, year: int, table: str, index: int, key: str, text: str) -> None:
        self._rows(year, table)[index][key] = text

    def move_row(self, year: int, table: str, source: int, target: int) -> None:
        rows = self._rows(year, table)
        rows.insert(target, rows.pop(source))

    def delete_row(self, year: int, table: str, index: int) -> None:
        del self._rows(year, table)[index]


def new_crash_model() -> ProjectModel:
    model = ProjectModel()
    model.project.years[CRASH_YEAR] = YearBook(CRASH_YEAR, ledger=LedgerBook())
    return model


# ---------------------------------------------------------------- the child processes


def crash_child(path: str, report: int, first: int) -> None:
    """Open the store as the window does (its integrity checked on a thread of its own, the first edit waiting for
    the answer) and edit until killed, reporting each edit after it committed."""

    store = Store.open(path, break_lock=True, check_in_background=True)
    n = first
    while True:
        apply_edit(store, n)
        os.write(report, f"committed {n}\n".encode())
        if n % 40 == 39:
            store.backup_now()  # a kill may land inside a backup too
        n += 1


def sensitive_child(path: str, report: int, members: list[dict[str, str]]) -> None:
    """Write roster rows and ledger memos, report, then wait to be killed: no checkpoint, no close."""

    store = Store.open(path)
    with store.transaction():
        for member in members:
            store.append_row(CRASH_YEAR, "roster", member)
            store.append_row(CRASH_YEAR, "ledger", {"voucher": "CANARY-PLAIN", "memo": member["name"], "amount": "500"})
    os.write(report, b"committed 0\n")
    time.sleep(60)


# ---------------------------------------------------------------- the disk-full phase

FULL_STRETCH = 10  # edits n with (n // FULL_STRETCH) odd are made on a full disk
BALLAST = "ballast.bin"  # the file that fills a small real disk (mode "ballast")


def window_edit(project: Project, n: int) -> Change:
    """Edit number ``n`` as the window makes it: the project changed first, then one ``Change`` for the store."""
    rng = random.Random(n)
    book = project.years[CRASH_YEAR]
    entries = book.ledger.entries  # type: ignore[union-attr]
    op = rng.randrange(6)
    if op <= 2 or len(entries) < 4:  # the ledger grows: inserts on a full disk need new pages
        row = rng.randrange(len(entries) + 1)
        entries.insert(row, {**_entry(n), "memo": f"林會員{n}" + "補助" * 150})  # rows big enough to need pages
        return Change("insert", CRASH_YEAR, "ledger", row=row)
    if op == 3:
        row = rng.randrange(len(entries))
        entries[row]["memo"] = f"改{n}"
        return Change("cell", CRASH_YEAR, "ledger", "memo", row)
    if op == 4:
        row = rng.randrange(len(entries))
        del entries[row]
        return Change("delete", CRASH_YEAR, "ledger", row=row)
    book.forms.setdefault("application", {})["contact"] = f"聯絡人{n}"
    return Change("value", CRASH_YEAR, "application", "contact")


class DiskFiller:
    """Makes the disk full and frees it again. "pages": SQLite's max_page_count at the file's size (SQLITE_FULL
    from SQLite itself, any machine); "ballast": a file filling the small real disk the project is on (ENOSPC)."""

    def __init__(self, mode: str, persistence: object) -> None:
        self.mode, self.persistence, self.full = mode, persistence, False

    def set_full(self, full: bool) -> None:
        if full == self.full:
            return
        self.full = full
        conn = self.persistence._store._db()  # type: ignore[attr-defined]
        if self.mode == "pages":
            pages = conn.execute("PRAGMA page_count").fetchone()[0] if full else 1 << 30
            conn.execute(f"PRAGMA max_page_count = {pages}")
        elif full:
            fill_disk_with_ballast(self.persistence.location.parent)  # type: ignore[attr-defined]
        else:
            (self.persistence.location.parent / BALLAST).unlink(missing_ok=True)  # type: ignore[attr-defined]


def fill_disk_with_ballast(folder: Path) -> None:
    with contextlib.suppress(OSError), (folder / BALLAST).open("ab") as ballast:
        block = b"\0" * 65536
        while True:
            ballast.write(block)
            ballast.flush()
    with contextlib.suppress(OSError), (folder / BALLAST).open("ab") as ballast:
        while True:  # the last few KiB too
            ballast.write(b"\0" * 512)
            ballast.flush()


def disk_full_child(path: str, report: int, first: int, mode: str) -> None:
    """Edit as the window does, the disk full for stretches of edits; after each edit report ``saved N`` (the
    file holds every edit up to N) or ``unsaved N M`` (edits M+1..N are shown unsaved, the file holds up to M)."""
    from treasurer_app.editing.persistence import StorePersistence, UnsavedEdits

    persistence = StorePersistence(Path(path), break_lock=True, create=False, check_in_background=True)
    project = persistence.load()
    unsaved = UnsavedEdits()
    filler = DiskFiller(mode, persistence)
    saved_through = first - 1
    n = first
    while True:
        filler.set_full((n // FULL_STRETCH) % 2 == 1)
        change = window_edit(project, n)
        if unsaved.record(persistence, project, change) or unsaved.retry(persistence, project):  # the next save
            saved_through = n
            os.write(report, f"saved {n}\n".encode())
        else:
            os.write(report, f"unsaved {n} {saved_through}\n".encode())
        n += 1


def _run_job(job: dict[str, object]) -> None:
    """In a forked child: install the job's keyring, run it; never returns."""
    code = 0
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)  # stdout is the server's answer channel
        report = os.open(str(job["fifo"]), os.O_WRONLY)
        keyring.set_keyring(MemoryKeyring({(s, u): p for s, u, p in job["keys"]}))  # type: ignore[union-attr]
        if job["kind"] == "crash":
            crash_child(str(job["path"]), report, int(job["first"]))  # type: ignore[arg-type]
        elif job["kind"] == "disk_full":
            disk_full_child(str(job["path"]), report, int(job["first"]), str(job["mode"]))  # type: ignore[arg-type]
        else:
            sensitive_child(str(job["path"]), report, job["members"])  # type: ignore[arg-type]
    except BaseException:
        traceback.print_exc()
        code = 1
    os._exit(code)


def serve() -> None:
    """Fork server: ``spawn JSON`` forks a child running the job and answers ``pid N``;
    ``reap N`` waits for it and answers ``status S`` (minus the signal number when killed)."""
    # The store is imported with this module, once: a child costs only a fork.
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "spawn":
            pid = os.fork()
            if pid == 0:
                _run_job(json.loads(argument))
            print(f"pid {pid}", flush=True)
        elif command == "reap":
            _, status = os.waitpid(int(argument), 0)
            code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            print(f"status {code}", flush=True)


class ForkServer:
    """The parent's handle on ``serve()`` running in its own clean process."""

    def __init__(self) -> None:
        root = Path(__file__).resolve().parent.parent
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.store_support"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=root,
            env=env,
        )

    def _ask(self, line: str, answer: str) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline().split()
        assert len(reply) == 2 and reply[0] == answer, f"fork server said {reply!r}"
        return int(reply[1])

    def spawn(self, job: dict[str, object]) -> int:
        return self._ask("spawn " + json.dumps(job, ensure_ascii=False), "pid")

    def reap(self, pid: int) -> int:
        return self._ask(f"reap {pid}", "status")

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Reports:
    """The read end of a child's report pipe (a FIFO, so a forked child can open it by name)."""

    def __init__(self, fifo: Path) -> None:
        os.mkfifo(fifo)
        self.fifo = fifo
        self.fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.buffer = b""
        self.last = -1
        self.states: list[tuple[str, int, int]] = []  # ("saved", n, n) / ("unsaved", n, m), disk-full children

    def read(self) -> int:
        """Take in whatever is there; returns the highest edit reported so far."""
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            word, _, number = line.decode().partition(" ")
            if word == "committed":
                self.last = max(self.last, int(number))
            elif word in ("saved", "unsaved"):
                edit, _, through = number.partition(" ")
                self.states.append((word, int(edit), int(through or edit)))
                self.last = max(self.last, int(edit))
        return self.last

    def wait_for(self, edit: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.read() < edit and time.monotonic() < deadline:
            select.select([self.fd], [], [], 0.05)
            time.sleep(0.0005)  # without a writer the FIFO reads as end-of-file: do not spin
        return self.last

    def close(self) -> None:
        os.close(self.fd)
        self.fifo.unlink()


def keys_for_child(backend: MemoryKeyring) -> list[list[str]]:
    return [[service, user, password] for (service, user), password in backend.entries.items()]


def kill_and_reap(server: ForkServer, pid: int) -> int:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    return server.reap(pid)


# ---------------------------------------------------------------- the parent's loop


@dataclass
class SoakResult:
    kills: int = 0
    edits: int = 0  # edits committed, as found in the file
    early_kills: int = 0  # killed before the first acknowledgement
    stale_locks_broken: int = 0
    backups_checked: int = 0
    seconds: float = 0.0


def build_crash_project(path: Path) -> None:

    project = interchange.project_from_dict(
        {
            "format": interchange.FORMAT_NAME,
            "version": interchange.FORMAT_VERSION,
            "years": {str(CRASH_YEAR): {"ledger": {}}},
        }
    )
    with Store.create(path) as store:
        store.replace_project(project)


def run_kill_soak(path: Path, kills: int, seed: int, keys: list[list[str]]) -> SoakResult:
    """Kill ``kills`` children at random points; after each, check the file against the replayed model.

    Raises AssertionError on the first edit lost, half-applied or out of order.
    """

    rng = random.Random(seed)
    model = new_crash_model()
    applied = -1  # highest edit the model holds
    result = SoakResult()
    started = time.perf_counter()
    with ForkServer() as server:
        for round_number in range(kills):
            reports = Reports(path.with_name(f"report-{round_number}.fifo"))
            pid = server.spawn(
                {"kind": "crash", "path": str(path), "keys": keys, "first": applied + 1, "fifo": str(reports.fifo)}
            )
            wait_for = rng.choice((0, 0, 1, 2, 3, 5, 8, 13))
            if wait_for == 0:
                time.sleep(rng.uniform(0, 0.02))  # anywhere, also inside open(), lock and recovery
            else:
                reports.wait_for(applied + wait_for, timeout=10)
                time.sleep(rng.uniform(0, 0.002))
            status = kill_and_reap(server, pid)
            acknowledged = max(applied, reports.read())
            reports.close()
            assert status == -signal.SIGKILL, f"child ended by itself (status {status})"
            if acknowledged == applied:
                result.early_kills += 1
            applied = _check_after_kill(path, round_number, acknowledged, applied, model, result)
            result.kills += 1
    result.edits = applied + 1
    result.seconds = time.perf_counter() - started
    return result


@dataclass
class DiskFullResult:
    kills: int = 0
    edits: int = 0  # edits made by the children
    refused: int = 0  # edits the full disk refused, each shown unsaved
    saved_on_retry: int = 0  # of those, written later by a save after space was freed
    unsaved_at_kill: int = 0  # shown unsaved when the process was killed (the user saw they were not saved)
    lost_silently: int = 0  # neither in the file nor shown unsaved: must stay 0
    seconds: float = 0.0


def run_disk_full_soak(path: Path, kills: int, seed: int, keys: list[list[str]], mode: str = "pages") -> DiskFullResult:
    """Children edit as the window does, the disk full for stretches, and are killed at random points.

    After each kill the file must be exactly the state after some edit j, where every edit after j the child
    made was shown unsaved (never reported ``saved``): no edit lost silently. Raises AssertionError otherwise.
    """
    rng = random.Random(seed)
    with Store.open(path, read_only=True) as opened:
        model = opened.load()
    applied = -1  # the last edit the file holds
    result = DiskFullResult()
    started = time.perf_counter()
    with ForkServer() as server:
        for round_number in range(kills):
            reports = Reports(path.with_name(f"report-{round_number}.fifo"))
            job = {
                "kind": "disk_full",
                "path": str(path),
                "keys": keys,
                "first": applied + 1,
                "fifo": str(reports.fifo),
                "mode": mode,
            }
            pid = server.spawn(job)
            wait_for = rng.choice((0, 1, 3, 8, 20, 30, 45, 60))
            if wait_for == 0:
                time.sleep(rng.uniform(0, 0.02))
            else:
                reports.wait_for(applied + wait_for, timeout=20)
                time.sleep(rng.uniform(0, 0.002))
            status = kill_and_reap(server, pid)
            reports.read()
            reports.close()
            (path.parent / BALLAST).unlink(missing_ok=True)  # the user frees space before starting again
            assert status == -signal.SIGKILL, f"child ended by itself (status {status})"
            states = reports.states
            refused: set[int] = set()  # edit numbers start again after the file's last edit each round
            for word, edit, through in states:
                if word == "unsaved":
                    refused.update(range(through + 1, edit + 1))
            last = states[-1] if states else ("saved", applied, applied)
            word, edit, through = last
            # The file may hold: what the last report promised, or the next edit (killed before reporting it).
            allowed = {edit if word == "saved" else through, edit + 1}
            snapshots = _replay(model, applied, allowed)
            with Store.open(path, read_only=True) as store:
                loaded = project_to_dict(store.load())
                integrity = [row[0] for row in store._db().execute("PRAGMA integrity_check")]
            assert integrity == ["ok"], integrity
            found = next((j for j in sorted(allowed) if snapshots[j][0] == loaded), None)
            if found is None:
                result.lost_silently += 1
                raise AssertionError(f"round {round_number}: file matches none of edits {sorted(allowed)} ({last})")
            result.edits += max(0, edit - applied)
            if word == "unsaved" and found == through:
                result.unsaved_at_kill += edit - through
            result.refused += len(refused)
            result.saved_on_retry += len([n for n in refused if n <= found])
            model, applied = snapshots[found][1], found
            result.kills += 1
    result.seconds = time.perf_counter() - started
    return result


def _replay(model: Project, applied: int, wanted: set[int]) -> dict[int, tuple[dict, Project]]:
    """The project after each edit in ``wanted`` (replayed from ``applied``): (its interchange dict, a copy)."""
    import copy

    project = copy.deepcopy(model)
    snapshots = {}
    for n in range(applied, max(wanted) + 1):
        if n > applied:
            window_edit(project, n)
        if n in wanted:
            snapshots[n] = (project_to_dict(project), copy.deepcopy(project))
    return snapshots


def _check_after_kill(
    path: Path, round_number: int, acknowledged: int, applied: int, model: ProjectModel, result: SoakResult
) -> int:

    # Alternate: a writable reopen (recovery, checkpoint, lock released) or a read-only look.
    if round_number % 3 == 0:
        try:
            store = Store.open(path)
        except StoreLocked as locked:
            assert locked.stale, "a killed child's lock must be stale"
            result.stale_locks_broken += 1
            store = Store.open(path, break_lock=True)
    else:
        store = Store.open(path, read_only=True)
    with store:
        loaded = store.load()
        header = loaded.years[CRASH_YEAR].ledger.header  # type: ignore[union-attr]
        found = int(header.get("opening_acct1", "-1"))
        assert header.get("opening_acct2", "-7") == str(7 * found), f"half-applied edit: {header}"
        assert acknowledged <= found <= acknowledged + 1, f"acknowledged {acknowledged}, file holds {found}"
        for n in range(applied + 1, found + 1):
            apply_edit(model, n)
        assert project_to_dict(loaded) == project_to_dict(model.project), f"file differs after edit {found}"
        integrity = [row[0] for row in store._db().execute("PRAGMA integrity_check")]
        assert integrity == ["ok"], integrity
        if round_number % 25 == 0:
            result.backups_checked += check_backups(store)
    return found


def check_backups(store: object) -> int:
    """Every completed backup opens and passes the integrity check."""

    count = 0
    for backup in store.list_backups():  # type: ignore[attr-defined]
        with Store.open(backup.path, read_only=True) as copy:
            assert copy.is_backup
            rows = [row[0] for row in copy._db().execute("PRAGMA integrity_check")]
            assert rows == ["ok"], (backup.path, rows)
            copy.load()
        count += 1
    return count


def file_bytes(path: Path) -> bytes:
    with contextlib.suppress(FileNotFoundError):
        return path.read_bytes()
    return b""


def sqlite_sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def raw_connection(path: Path) -> sqlite3.Connection:
    """A plain SQLite connection for tests that tamper with a file behind the store's back."""
    return sqlite3.connect(path, isolation_level=None)


if __name__ == "__main__":
    serve()
