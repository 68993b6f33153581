"""The guided path: the steps of a year, their state, and the deadlines (no Qt here).

Its records are ``Value``s, not dataclasses: this module is loaded to open a project (see treasurer_app/value.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

from treasurer_app.fields import ROC_OFFSET
from treasurer_app.findings import Finding
from treasurer_app.forms import FORMS, LEDGER_FORM, PROJECT_FORM
from treasurer_app.line_subsidy.forms import LINE_TABLES
from treasurer_app.project import Project
from treasurer_app.ui.step_names import EXPORT, HOME, LINE_EXPORT, LINE_STEP_IDS, PORT_STEPS, STEP_NAMES, STEPS, Step
from treasurer_app.value import Value

NOT_STARTED, HAS_ERRORS, HAS_WARNINGS, DONE = "未開始", "有錯誤", "有警告", "完成"
_PREFILLED = {"year", "union_type"}  # filled by the app, not by the user


def step_of(form: str) -> str:
    """The step that shows findings of ``form`` (project-wide ones belong to the export step)."""
    return EXPORT if form == PROJECT_FORM else form


def started(project: Project, year: int, step_id: str) -> bool:
    book = project.years[year]
    if step_id in ("roster", "training_report") or step_id in LINE_TABLES:  # (book.line_rows would read the rows)
        return book.has_filled_row(step_id)
    if step_id == LEDGER_FORM:
        if book.ledger_entry_count():  # counted, the entries not read
            return True
        return book.ledger is not None and bool(book.ledger.entries or any(book.ledger.header.values()))
    if step_id in FORMS or (step_id in LINE_STEP_IDS and step_id != LINE_EXPORT):
        return any(v.strip() for k, v in book.forms.get(step_id, {}).items() if k not in _PREFILLED)
    if step_id == EXPORT:
        return any(started(project, year, s.id) for s in PORT_STEPS if s.id not in (HOME, EXPORT))
    if step_id == LINE_EXPORT:
        return any(started(project, year, s) for s in LINE_STEP_IDS if s != LINE_EXPORT)
    return True


class StepState(Value):
    __slots__ = ("errors", "label", "warnings")

    def __init__(self, label: str, errors: int, warnings: int) -> None:
        self.label: Final = label  # 未開始 / 有錯誤 / 有警告 / 完成
        self.errors: Final = errors
        self.warnings: Final = warnings

    @property
    def count(self) -> int:
        return self.errors + self.warnings


def step_state(project: Project, year: int, step_id: str, findings: Sequence[Finding]) -> StepState:
    if step_id == EXPORT:  # the port fund's export speaks for the port fund's sheets
        mine = [f for f in findings if step_of(f.form) not in LINE_STEP_IDS]
    elif step_id == LINE_EXPORT:
        mine = [f for f in findings if step_of(f.form) in LINE_STEP_IDS]
    else:
        mine = [f for f in findings if step_of(f.form) == step_id]
    errors = sum(1 for f in mine if f.is_error)
    warnings = len(mine) - errors
    if not started(project, year, step_id):
        return StepState(NOT_STARTED, errors, warnings)
    if errors:
        return StepState(HAS_ERRORS, errors, warnings)
    if warnings:
        return StepState(HAS_WARNINGS, errors, warnings)
    return StepState(DONE, 0, 0)


# ---------------------------------------------------------------- dates


def roc_year(day: date) -> int:
    return day.year - ROC_OFFSET


def roc_text(day: date) -> str:
    return f"{roc_year(day)}年{day.month}月{day.day}日"


def default_year(today: date) -> int:
    """The year a new union starts in: this calendar year (its ledger is being kept now)."""
    return roc_year(today)


class Deadline(Value):
    __slots__ = ("due", "what")

    def __init__(self, due: date, what: str) -> None:
        self.due: Final = due
        self.what: Final = what

    def days_left(self, today: date) -> int:
        return (self.due - today).days


def _quarter_ends(year: int) -> list[date]:
    return [date(year, 3, 31), date(year, 6, 30), date(year, 9, 30), date(year, 12, 31)]


def next_deadlines(today: date, count: int = 3) -> list[Deadline]:
    """The application (31 January) and the quarterly ledger submissions still ahead, soonest first."""
    found: list[Deadline] = []
    for year in (today.year, today.year + 1):
        application = date(year, 1, 31)
        if application >= today:
            found.append(
                Deadline(application, f"{roc_year(application)} 年度福利專款申請（申請書 7 表、會議紀錄、運用辦法）")
            )
        for end in _quarter_ends(year):
            if end >= today:
                month = f"{roc_year(end):03d}{end.month:02d}"
                found.append(Deadline(end, f"現金收支登記簿（截至 {roc_year(end)} 年 {end.month} 月，檔名 {month}_…）"))
    found.sort(key=lambda d: d.due)
    return found[:count]


def in_days(days: int) -> str:
    if days == 0:
        return "今天到期"
    if days == 1:
        return "明天到期"
    return f"還有 {days} 天"


__all__ = ["EXPORT", "HOME", "STEPS", "STEP_NAMES", "Deadline", "Step", "next_deadlines", "step_state"]
