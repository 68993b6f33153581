"""Whether the file is sound, asked without holding up the window's opening.

``PRAGMA quick_check`` reads every page of the file: ≈ 0.15 s for a 20-year project (30 MB), as long as the
rest of the opening. The window opens its project with ``Store.open(..., check_in_background=True)``: the
check then runs on a thread of its own (``IntegrityCheck``, with its own read-only connection) while the
window shows the project (at the lowest priority: it takes a processor only when the window leaves one free),
and nothing is written into the file before it has answered. Every write and
every backup first waits for the answer (``Integrity.check_integrity``); a damaged file refuses them with
``StoreDamaged`` (the file named, the remedy said: restore a backup), so an edit is never written into a
damaged file and a damaged copy never takes a sound backup's place. Pages the opening itself reads
(meta, the lock, the years, the forms) report damage at once, as SQLite's SQLITE_CORRUPT in Chinese.

Everything else (the command line, restoring, a file about to be migrated, a file on a network drive,
where another connection cannot read beside the store's exclusive lock) checks while opening, as before.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from treasurer_app.store.errors import StoreDamaged, StoreError
from treasurer_app.store.files import connect_checked
from treasurer_app.store.schema import check_integrity

STOP_POLL_SECONDS = 0.01  # how often closing interrupts a check until its thread has ended
WINDOWS_THREAD_PRIORITY_LOWEST = -2


def yield_to_the_window() -> None:
    """The calling thread runs at the lowest priority: a check made in the background takes a processor only
    when the window (and whatever else the user runs) leaves one free."""
    with contextlib.suppress(OSError, AttributeError):
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), WINDOWS_THREAD_PRIORITY_LOWEST)
        elif sys.platform.startswith("linux"):  # there a thread has a niceness of its own
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class IntegrityCheck:
    """One ``quick_check`` of ``path`` on a thread of its own, reading through the connection ``connect`` makes
    there (a read-only one: the check writes nothing)."""

    def __init__(self, path: Path, connect: Callable[[], sqlite3.Connection]) -> None:
        self.path = path
        self._connect = connect
        self._outcome: StoreError | None = None
        self._conn: sqlite3.Connection | None = None
        self._stopping = False
        self._guard = threading.Lock()  # between the thread taking its connection and ``stop`` interrupting it
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="treasurer-app-integrity", daemon=True)

    @classmethod
    def of_file(cls, path: Path, *, immutable: bool, busy_timeout_ms: int) -> IntegrityCheck:
        """The check of the project file ``path``, started, reading as the store's other threads do."""

        def reader() -> sqlite3.Connection:
            return connect_checked(path, read_only=True, immutable=immutable, busy_timeout_ms=busy_timeout_ms)

        check = cls(path, reader)
        check._thread.start()
        return check

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def outcome(self) -> StoreError | None:
        """Waits for the check: None when the file is sound, ``StoreDamaged`` when it is not, another
        ``StoreError`` when the thread could not read the file (the caller checks it itself then)."""
        self._done.wait()
        return self._outcome

    def stop(self) -> None:
        """End the check now (the store closes): interrupted if it runs, waited for until its thread is gone."""
        with self._guard:
            self._stopping = True
        while self._thread.is_alive():
            with self._guard:
                conn = self._conn
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.interrupt()
            self._thread.join(STOP_POLL_SECONDS)

    def _run(self) -> None:
        outcome: StoreError | None = StoreError(f"{self.path}：完整性檢查已中止")  # unless the check answers
        conn: sqlite3.Connection | None = None
        try:
            yield_to_the_window()
            conn = self._connect()
            with self._guard:
                if self._stopping:
                    return
                self._conn = conn
            check_integrity(self.path, conn)
            outcome = None
        except StoreError as exc:
            if not self._stopping:  # interrupted by ``stop``, it found nothing: no answer, not damage
                outcome = exc
        finally:
            with self._guard:
                self._conn = None
            if conn is not None:
                conn.close()
            self._outcome = outcome
            self._done.set()


class Integrity:
    """The half of ``Store`` that holds the answer of the file's integrity check: given while opening (the
    default), or by an ``IntegrityCheck`` started by the opening and still running."""

    path: Path
    _integrity: IntegrityCheck | None  # the check still to answer; None once answered, or when made while opening
    _damage: StoreDamaged | None  # what it found

    if TYPE_CHECKING:  # supplied by Store (treasurer_app/store/__init__.py)

        def _db(self) -> sqlite3.Connection: ...

    @property
    def integrity_checked(self) -> bool:
        """Whether the integrity check has answered (``check_integrity`` then returns or raises at once)."""
        check = self._integrity
        return check is None or check.done

    def check_integrity(self) -> None:
        """The file's integrity check's answer, waited for if it still runs: returns when the file is sound,
        raises ``StoreDamaged`` when it is not (each time it is asked: nothing may be written into it)."""
        check = self._integrity
        if check is not None:
            outcome = check.outcome()
            if outcome is not None and not isinstance(outcome, StoreDamaged):
                # The thread could not read the file (busy…): checked here, as when opening. Any other error
                # leaves the question open, asked again before the next write.
                try:
                    check_integrity(self.path, self._db())
                    outcome = None
                except StoreDamaged as damage:
                    outcome = damage
            self._integrity = None
            self._damage = outcome
        if self._damage is not None:
            raise self._damage.with_traceback(None)

    def _stop_integrity_check(self) -> None:
        if self._integrity is not None:
            self._integrity.stop()
            self._integrity = None

    def _known_sound(self) -> None:
        """The file's content was just replaced by a backup checked before (a restore): nothing is left to ask."""
        self._stop_integrity_check()
        self._damage = None
