"""§11's history rule: education spending under 40 % of the allocation two reported years running."""

from __future__ import annotations

from treasurer_app.findings import Finding, warning
from treasurer_app.forms import PROJECT_FORM, final_accounts
from treasurer_app.project import Project
from treasurer_app.rules.common import EDUCATION_MIN_PERCENT, at_least_percent, percent
from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final


class EducationYear(Value):
    """One reported year's education spending against its allocation."""

    __slots__ = ("allocation", "education", "year")

    def __init__(self, year: int, education: int, allocation: int) -> None:
        self.year: Final = year  # the year reported on (Y−1 of the application)
        self.education: Final = education
        self.allocation: Final = allocation

    @property
    def met(self) -> bool:
        return self.allocation == 0 or at_least_percent(self.education, self.allocation, EDUCATION_MIN_PERCENT)

    @property
    def percent_text(self) -> str:
        return percent(self.education, self.allocation)


def education_history(project: Project) -> list[EducationYear]:
    return _education_history(project.reading())  # each year's final accounts draw on the one before


def _education_history(project: Project) -> list[EducationYear]:
    history = []
    for year in sorted(project.years):
        final = project.effective(year, "final_accounts")
        allocation = final.number("rev_allocation")
        if not allocation:
            continue
        education = final.number(final_accounts.exp_key("1", final_accounts.ALLOCATION)) + final.number(
            final_accounts.exp_key("1", final_accounts.INTEREST)
        )
        history.append(EducationYear(year - 1, education, allocation))
    return history


def check_education_history(project: Project, year: int) -> list[Finding]:
    history = {h.year: h for h in education_history(project)}
    last, before = history.get(year - 1), history.get(year - 2)
    if last is None or before is None or last.met or before.met:
        return []
    lines = "；".join(f"{h.year} 年度 {h.percent_text}" for h in (before, last))
    return [
        warning(
            PROJECT_FORM,
            "compliance.education_two_years",
            f"教育訓練支出比率：連續 2 年未達分配款 {EDUCATION_MIN_PERCENT}%（{lines}），依規定次 1 年度不予分配",
        )
    ]
