"""Findings: what a rule says about the data. Rules return findings, they never raise."""

from __future__ import annotations

from enum import StrEnum

from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final

# The rules a field's own type breaks (Field.check): left blank though required, or refused by its type or
# limits. The field is named by Finding.field, never by the rule id.
FIELD_REQUIRED = "field.required"
FIELD_INVALID = "field.invalid"
FIELD_RULES = frozenset({FIELD_REQUIRED, FIELD_INVALID})
# Every rule that says "a value is missing here": the findings panel gathers them in one line.
MISSING_VALUE_RULES = frozenset({FIELD_REQUIRED, "ledger.required"})


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "錯誤" if self is Severity.ERROR else "警告"


class Finding(Value):
    """One thing a rule found.

    ``form`` is a form id (see ``treasurer_app.forms.FORM_IDS``) or ``"ledger"``;
    ``field`` the field key inside that form (or the column key of a table row);
    ``row`` the 0-based row index for table forms (roster, training sessions, ledger).
    ``rule`` is a stable identifier of the rule (used by tests and the UI, never shown).
    ``message`` is the Traditional Chinese text the user reads; it names the field and the rule.
    """

    __slots__ = ("field", "form", "message", "row", "rule", "severity")

    def __init__(
        self, severity: Severity, form: str, message: str, rule: str, field: str | None = None, row: int | None = None
    ) -> None:
        self.severity: Final = severity
        self.form: Final = form
        self.message: Final = message
        self.rule: Final = rule
        self.field: Final = field
        self.row: Final = row

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(form: str, rule: str, message: str, field: str | None = None, row: int | None = None) -> Finding:
    return Finding(Severity.ERROR, form, message, rule, field, row)


def warning(form: str, rule: str, message: str, field: str | None = None, row: int | None = None) -> Finding:
    return Finding(Severity.WARNING, form, message, rule, field, row)
