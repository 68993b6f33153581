"""What an edit touched: the area of a year it landed in and the kind of change, as typed values.

``Change`` is what the store writes granularly, what the window's views redraw from and what the
list of unsaved edits keeps. Its ``kind`` and ``area`` are ``StrEnum`` members, so a plain string
(``Change("cell", 115, "ledger", "memo", 3)``) is read as the member it names, and an unknown one is a
``ValueError`` at once rather than an edit written nowhere.
"""

from __future__ import annotations

from enum import StrEnum

from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final


class Area(StrEnum):
    """Where in a year an edit lands: a single-valued form, a table, the ledger, or the year itself."""

    # The port fund's single-valued sheets (forms/), by form id.
    APPLICATION = "application"
    FINAL_ACCOUNTS = "final_accounts"
    TRAINING_EXPENSES = "training_expenses"
    WORK_PLAN = "work_plan"
    BUDGET = "budget"
    # The port fund's tables.
    ROSTER = "roster"
    TRAINING_REPORT = "training_report"
    # The cash ledger of the year: its header values and its entries.
    LEDGER_HEADER = "ledger_header"
    LEDGER = "ledger"
    # The LINE official-account subsidy (line_subsidy/forms.py): two single-valued forms, four tables.
    LINE_APPLICATION = "line_application"
    LINE_APPROVAL = "line_approval"
    LINE_FEES = "line_fees"
    LINE_MESSAGES = "line_messages"
    LINE_TRAINING = "line_training"
    LINE_OTHER_SUBSIDIES = "line_other_subsidies"
    # The export's two PDF attachments (by kind), the warnings acknowledged, and the whole year.
    ATTACHMENTS = "attachments"
    ACKNOWLEDGED = "acknowledged"
    YEAR = "year"

    @property
    def has_rows(self) -> bool:
        """A table or the ledger's entries: edited by cell, inserted and deleted by row."""
        return self in ROW_AREAS

    @property
    def touches_ledger(self) -> bool:
        """An edit here may change what is parsed and derived from the year's cash ledger."""
        return self in (Area.LEDGER, Area.LEDGER_HEADER, Area.YEAR)


ROW_AREAS = frozenset(
    {
        Area.ROSTER,
        Area.TRAINING_REPORT,
        Area.LEDGER,
        Area.LINE_FEES,
        Area.LINE_MESSAGES,
        Area.LINE_TRAINING,
        Area.LINE_OTHER_SUBSIDIES,
    }
)


class ChangeKind(StrEnum):
    VALUE = "value"  # one value of a single-valued area (``key``), or the whole area (acknowledged)
    CELL = "cell"  # one cell (``key``) or, with no key, the whole record of row ``row``
    INSERT = "insert"  # a row inserted at ``row``
    DELETE = "delete"  # the row at ``row`` deleted
    MOVE = "move"  # the row at ``source`` moved to ``row``
    YEAR = "year"  # the whole year written (added, replaced) or removed


class Change(Value):
    """What one step of an edit touched: for the store's granular writes and the views' redraws."""

    __slots__ = ("area", "key", "kind", "row", "source", "year")

    def __init__(
        self,
        kind: ChangeKind,
        year: int,
        area: Area,
        key: str | None = None,
        row: int | None = None,
        source: int | None = None,
    ) -> None:
        self.kind: Final = ChangeKind(kind)  # (a plain string is read as the kind and area it names)
        self.year: Final = year
        self.area: Final = Area(area)
        self.key: Final = key
        self.row: Final = row
        self.source: Final = source  # a move's row before it moved
