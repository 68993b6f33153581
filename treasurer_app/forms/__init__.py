"""The seven sheets of the yearly application, each declared once, in the guide's order."""

from __future__ import annotations

from treasurer_app.forms import (
    application,
    budget,
    final_accounts,
    roster,
    training_expenses,
    training_report,
    work_plan,
)
from treasurer_app.forms.base import FormSpec

FORMS: dict[str, FormSpec] = {
    spec.id: spec
    for spec in (
        application.SPEC,
        roster.SPEC,
        final_accounts.SPEC,
        training_report.SPEC,
        training_expenses.SPEC,
        work_plan.SPEC,
        budget.SPEC,
    )
}
FORM_IDS: tuple[str, ...] = tuple(FORMS)
TABLE_FORMS = ("roster", "training_report")
SCALAR_FORMS: tuple[str, ...] = tuple(f for f in FORM_IDS if f not in TABLE_FORMS)
LEDGER_FORM = "ledger"  # the form id findings about the cash ledger carry
PROJECT_FORM = "project"  # findings about the project as a whole (compliance history)

FORM_NAMES: dict[str, str] = {
    **{form_id: spec.sheet_name for form_id, spec in FORMS.items()},
    LEDGER_FORM: "現金收支登記簿",
    PROJECT_FORM: "專案",
}
