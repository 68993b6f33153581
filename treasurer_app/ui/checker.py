"""Findings of the open year: the edited field is checked at once by its editor; the whole
project's rules run here, debounced, off the keystroke path.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QObject, QTimer, Signal

from treasurer_app.fields import Field
from treasurer_app.findings import Finding
from treasurer_app.forms.base import year_labels
from treasurer_app.ui.document import ProjectDocument

RECHECK_DELAY_MS = 250
LEDGER_AREAS = ("ledger", "ledger_header")
FieldKey = tuple[str, str | None, int | None]  # (form, field, row)


def field_message(field: Field, text: str, year: int, row_prefix: str = "") -> str | None:
    """The field's own rule (type, limit, required) for the text as typed: the instant check."""
    _, message = field.check(text, field.label_for(year_labels(year)))
    return f"{row_prefix}{message}" if message else None


def own_rule(finding: Finding) -> bool:
    """A finding about the field's own type or limit (which the instant check also gives)."""
    return finding.rule.startswith("field.")


class Checker(QObject):
    findings_changed = Signal()

    def __init__(self, document: ProjectDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.year: int | None = None
        self.findings: list[Finding] = []
        self._by_field: dict[FieldKey, list[Finding]] = {}
        self._by_form: dict[str, list[Finding]] = {}
        self._ledger_findings: tuple[int, list[Finding]] | None = None  # the year's, until the ledger changes
        self._timer = QTimer(self, singleShot=True, interval=RECHECK_DELAY_MS)
        self._timer.timeout.connect(self.run_now)
        document.changed.connect(self._changed)
        document.reset.connect(self._reset)

    def _changed(self, change: object) -> None:
        if getattr(change, "area", None) in LEDGER_AREAS or getattr(change, "kind", None) == "year":
            self._ledger_findings = None
        self.schedule()

    def _reset(self) -> None:
        self._ledger_findings = None
        self.run_now()

    def set_year(self, year: int | None) -> None:
        self.year = year
        self._ledger_findings = None
        self.run_now()

    def schedule(self, *_: object) -> None:
        self._timer.start()

    def pending(self) -> bool:
        return self._timer.isActive()

    def run_now(self) -> None:
        self._timer.stop()
        year = self.year
        if year is None or year not in self.document.project.years:
            self.findings = []
        else:
            from treasurer_app.ui.services import attachment_findings

            project = self.document.project
            self.findings = self._check(year) + attachment_findings(project, year)
        by_field: dict[FieldKey, list[Finding]] = defaultdict(list)
        by_form: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            by_field[(finding.form, finding.field, finding.row)].append(finding)
            by_form[finding.form].append(finding)
        self._by_field, self._by_form = dict(by_field), dict(by_form)
        self.findings_changed.emit()

    def _check(self, year: int) -> list[Finding]:
        """check_project, with the year's ledger rules (the slow part on a long ledger) re-run only
        after the ledger itself changed."""
        from treasurer_app import rules

        project = self.document.project
        findings: list[Finding] = []
        with project.memoized():  # as check_project does: effective forms computed once per check
            for check in rules.CHECKS:
                if check is not rules.LEDGER_CHECK:
                    findings.extend(check(project, year))
                    continue
                if self._ledger_findings is None or self._ledger_findings[0] != year:
                    self._ledger_findings = (year, check(project, year))
                findings.extend(self._ledger_findings[1])
        return findings

    def for_form(self, form: str) -> list[Finding]:
        return self._by_form.get(form, [])

    def for_field(self, form: str, field: str | None, row: int | None = None) -> list[Finding]:
        return self._by_field.get((form, field, row), [])

