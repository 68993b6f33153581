"""Every rule of the domain, behind one door: ``check_project(project, year)`` returns the findings
for the application of ``year`` and the ledger kept in ``year``; it never raises on any data.

The rooms: ``common`` (§11 thresholds, money and percent text), ``union`` (sheets 1–2), ``accounts``
(sheets 3, 6, 7), ``training`` (sheets 4–5), ``education`` (§11's two-year history), ``ledger_year``
(the year's cash ledger against its application), ``attachments`` (the two PDFs the application
needs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from treasurer_app.findings import Finding, error
from treasurer_app.forms import PROJECT_FORM
from treasurer_app.project import Project
from treasurer_app.rules.accounts import check_budget, check_final_accounts, check_work_plan
from treasurer_app.rules.education import check_education_history
from treasurer_app.rules.ledger_year import check_interest_carried_in, check_year_ledger
from treasurer_app.rules.training import check_training_expenses, check_training_report
from treasurer_app.rules.union import check_application, check_roster


def finding_key(finding: Finding) -> str:
    """A stable key for acknowledging a warning."""
    return f"{finding.form}|{finding.rule}|{finding.field or ''}|{'' if finding.row is None else finding.row}"


def check_project(
    project: Project, year: int, *, attachments: bool = False, line: bool = False, today: date | None = None
) -> list[Finding]:
    """Every finding for the application of ``year`` and the ledger kept in ``year``: the one driver of the
    rules, for the window, the CLI and the export alike. Never raises on any data.

    ``attachments``: also the two attachment PDFs (reads the files: the window and the export ask for it).
    ``line``: also the LINE subsidy's findings (forms ``line_*``), its months judged at ``today`` (None: today).
    A project that kept its derivations (``Project.snapshot``, the window's) has them reused here.
    """
    if year not in project.years:
        return [error(PROJECT_FORM, "project.year_missing", f"專案沒有 {year} 年度的資料")]
    reading = project.reading()
    findings = _check_all(reading, year)
    if attachments:
        from treasurer_app.rules.attachments import check_attachments

        findings += check_attachments(project.years[year].attachments)
    if line:
        from treasurer_app.line_subsidy.rules import check_line

        findings += check_line(reading, year, today)
    return findings


def _check_all(project: Project, year: int) -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(project, year))
    return findings


def errors_only(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


# Every check check_project runs, in order; each takes (project, year) and returns findings.
# LEDGER_CHECK is the slow one on a long ledger: with the project's derivations kept (the window's), its
# findings are reused until the ledger changes.
LEDGER_CHECK = check_year_ledger
CHECKS: tuple[Callable[[Project, int], list[Finding]], ...] = (
    check_application,
    check_roster,
    check_final_accounts,
    check_training_report,
    check_training_expenses,
    check_work_plan,
    check_budget,
    check_education_history,
    check_interest_carried_in,
    LEDGER_CHECK,
)

__all__ = ["CHECKS", "LEDGER_CHECK", "check_project", "errors_only", "finding_key"]
