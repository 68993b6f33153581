"""Findings of the open year: the edited field is checked at once by its editor; the whole
project's rules run here, debounced, off the keystroke path and off the UI thread.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from treasurer_app.fields import Field
from treasurer_app.findings import FIELD_RULES, Finding, error
from treasurer_app.forms.base import year_labels
from treasurer_app.ui.document import ProjectDocument

if TYPE_CHECKING:
    from treasurer_app.project import Project
    from treasurer_app.rules.education import EducationYear

RECHECK_DELAY_MS = 250
WORKER_SWITCH_INTERVAL = 0.0002  # seconds; Python's default is 0.005
STOP_WAIT_SECONDS = 10.0  # at closing, a check still running (a huge ledger) is waited for this long at most
FieldKey = tuple[str, str | None, int | None]  # (form, field, row)


def field_finding(
    form: str, field: Field, text: str, year: int, row: int | None = None, row_prefix: str = ""
) -> Finding | None:
    """The field's own rule (type, limit, required) for the text as typed: the instant check."""
    problem = field.problem(text, field.label_for(year_labels(year)))
    if problem is None:
        return None
    return error(form, problem.rule, f"{row_prefix}{problem.message}", field.key, row)


def field_message(field: Field, text: str, year: int, row_prefix: str = "") -> str | None:
    """The instant check's message alone (while a cell is being typed)."""
    problem = field.problem(text, field.label_for(year_labels(year)))
    return None if problem is None else f"{row_prefix}{problem.message}"


def own_rule(finding: Finding) -> bool:
    """A finding about the field's own type, limit or blank (which the instant check also gives)."""
    return finding.rule in FIELD_RULES


class Checker(QObject):
    """The findings of the open year, kept in step with the project.

    After an edit (debounced), a new year or a new project, the whole-project check runs on a worker
    thread, on a snapshot of the project (``Project.snapshot``: unchanged while the window goes on
    editing), so the window stays responsive on a long ledger. Its findings are applied only if nothing
    changed meanwhile; otherwise the check starts again on the newer state. What it derives per year
    (parsed ledger, final accounts, the ledger's findings) is kept by the project until that year
    changes, so a recheck after an edit redoes only what the edit touched.

    ``run_now`` checks at once on the calling (UI) thread, for the moments that need the findings
    before going on (the export's 檢查並匯出).
    """

    findings_changed = Signal()
    _checked = Signal(int, object)  # (generation, findings) from the worker thread, delivered on the UI thread

    def __init__(self, document: ProjectDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.year: int | None = None
        self.today: date | None = None  # the LINE subsidy's months are judged at this day (None: today)
        self.findings: list[Finding] = []
        self.history: list[EducationYear] = []  # §11 education spending per reported year, with the findings
        self._by_field: dict[FieldKey, list[Finding]] = {}
        self._changed_findings: set[Finding] = set()  # the findings the last check added or removed
        self._by_form: dict[str, list[Finding]] = {}
        self._generation = 0  # counts edits, years and projects: a check's findings apply to its own only
        self._worker: threading.Thread | None = None
        self._again = False  # a check was asked for while the worker was busy with an older state
        self._stopped = False
        self._switch_interval: float | None = None  # Python's own, while a worker runs with a shorter one
        self.checked_off_thread = 0  # checks whose findings came from the worker: for the tests
        self._timer = QTimer(self, singleShot=True, interval=RECHECK_DELAY_MS)
        self._timer.timeout.connect(self.start)
        self._checked.connect(self._finished)
        document.changed.connect(self._changed)
        document.reset.connect(self._reset)

    def _changed(self, _change: object) -> None:
        self._generation += 1
        self.schedule()

    def _reset(self) -> None:
        self._generation += 1
        self.start()

    def set_year(self, year: int | None) -> None:
        self.year = year
        self._generation += 1
        self.start()

    def schedule(self, *_: object) -> None:
        self._timer.start()

    def pending(self) -> bool:
        """A check is due or running: the findings shown may not be the project's yet."""
        return self._timer.isActive() or self._worker is not None

    def start(self) -> None:
        """Check the project as it is now on the worker thread (after the one running, if any)."""
        self._timer.stop()
        if self._stopped:
            return
        if self._worker is not None:
            self._again = True
            return
        year = self.year
        if year is None:
            self._apply(([], []))
            return
        generation, snapshot = self._generation, self.document.project.snapshot()
        # The worker and this thread share Python's lock: every call from Qt into Python (painting a cell,
        # a key press) waits for the worker to let go of it, by default after up to 5 ms each — hundreds
        # of such calls make a visible freeze. While a check runs the worker lets go far sooner.
        if self._switch_interval is None:
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(WORKER_SWITCH_INTERVAL)
        # Nor may the worker stop everything for the garbage collector: with 100,000 entries parsed, one
        # full collection walks millions of objects while holding that lock (0.3–0.5 s without a frame).
        # Collection waits until the check is done; what is alive then is set aside from later collections.
        gc.disable()
        self._worker = threading.Thread(
            target=self._work, args=(generation, snapshot, year), name="treasurer-app-checker", daemon=True
        )
        self._worker.start()

    def _work(self, generation: int, project: Project, year: int) -> None:
        try:
            result: object = check_with_history(project, year, self.today)
        except Exception as exc:  # a snapshot does not change under a check; a bug must not kill the thread
            result = exc
        with contextlib.suppress(RuntimeError):  # the window (and this checker) already gone
            self._checked.emit(generation, result)

    def _finished(self, generation: int, result: object) -> None:
        self._worker = None
        self._restore_switch_interval()
        current = generation == self._generation
        if isinstance(result, Exception):
            from treasurer_app.store import StoreError  # not at the top: the store loads after the first paint

            if current and not isinstance(result, StoreError):
                raise result
            if current:  # a year's rows could not be read from the file (damaged): said where the saving is said
                self.document.save_state.emit(str(result))
        elif current:
            self.checked_off_thread += 1
            assert isinstance(result, tuple)  # what _work emits when no exception: check_with_history's pair
            self._apply(result)
        if self._again or not current:
            self._again = False
            if not self._timer.isActive():
                self.start()

    def _restore_switch_interval(self) -> None:
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None
        # The project, its kept derivations and the page's rows live on: moved out of the collector's
        # way (gc.freeze), so the next collections walk only what was made since. A check must leave no
        # cyclic garbage (reference cycles, e.g. a closure calling itself): frozen, it would never be
        # reclaimed (test_rechecks_leave_no_garbage_frozen); collecting it here instead walked everything
        # the check made, 30–55 ms on the UI thread at 100,000 entries.
        gc.freeze()
        gc.enable()

    def stop(self) -> None:
        """No more checks (the window closes): the one running is waited for, its findings dropped."""
        self._timer.stop()
        self._stopped = True
        self._generation += 1
        self._again = False
        worker = self._worker
        if worker is not None:
            worker.join(STOP_WAIT_SECONDS)
        self._restore_switch_interval()

    def run_now(self) -> None:
        """Check at once, on this thread; a check running on the worker is overtaken."""
        self._timer.stop()
        self._generation += 1
        year = self.year
        if year is None:
            self._apply(([], []))
        else:
            self._apply(check_with_history(self.document.project, year, self.today))

    def _apply(self, result: tuple[list[Finding], list[EducationYear]]) -> None:
        before = self.findings
        self.findings, self.history = result
        self._changed_findings = set(before).symmetric_difference(self.findings)
        by_field: dict[FieldKey, list[Finding]] = defaultdict(list)
        by_form: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            by_field[(finding.form, finding.field, finding.row)].append(finding)
            by_form[finding.form].append(finding)
        self._by_field, self._by_form = dict(by_field), dict(by_form)
        self.findings_changed.emit()

    def for_form(self, form: str) -> list[Finding]:
        return self._by_form.get(form, [])

    def changed_rows(self, form: str) -> set[int]:
        """The rows of table ``form`` whose findings the last check changed (gone or new): what a page must
        redraw, where redrawing every row on screen held the window after each check of a long ledger."""
        return {f.row for f in self._changed_findings if f.form == form and f.row is not None}

    def for_field(self, form: str, field: str | None, row: int | None = None) -> list[Finding]:
        return self._by_field.get((form, field, row), [])


def check_with_history(
    project: Project, year: int, today: date | None = None
) -> tuple[list[Finding], list[EducationYear]]:
    """The window's findings — ``check_project`` with the attachment PDFs and the LINE subsidy — and the
    education history the home page shows (Qt-free: runs on the worker thread)."""
    from treasurer_app.rules import check_project
    from treasurer_app.rules.education import education_history

    findings = check_project(project, year, attachments=True, line=True, today=today)
    return findings, education_history(project) if year in project.years else []
