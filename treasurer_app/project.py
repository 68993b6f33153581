"""A union's project: its years, each with the seven sheets and the year's cash ledger.

Year Y holds the application filed for year Y (its plans for Y and its report
on Y−1) and the ledger kept during calendar year Y. The application for Y draws
its final accounts and training expenses from the ledger of Y−1 when there is one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from treasurer_app.forms import FORMS, SCALAR_FORMS
from treasurer_app.forms import budget as budget_form
from treasurer_app.forms import final_accounts as fa
from treasurer_app.forms.base import Record, compute_derived, int_getter

ATTACHMENT_KINDS = ("meeting", "method")


@dataclass
class LedgerBook:
    """The cash ledger of one calendar year: header values and entries, all as text records."""

    header: Record = field(default_factory=dict)
    entries: list[Record] = field(default_factory=list)


@dataclass
class YearBook:
    year: int
    forms: dict[str, Record] = field(default_factory=dict)
    roster: list[Record] = field(default_factory=list)
    sessions: list[Record] = field(default_factory=list)  # sheet 4 rows
    ledger: LedgerBook | None = None
    attachments: dict[str, str] = field(default_factory=dict)  # kind → path of the user's PDF
    acknowledged: set[str] = field(default_factory=set)  # warnings the user acknowledged (finding keys)

    def __post_init__(self) -> None:
        for form_id in SCALAR_FORMS:
            self.forms.setdefault(form_id, {})
        self.forms["application"].setdefault("year", str(self.year))

    def form(self, form_id: str) -> Record:
        return self.forms[form_id]

    def table(self, form_id: str) -> list[Record]:
        return {"roster": self.roster, "training_report": self.sessions}[form_id]


@dataclass
class Effective:
    """A form as it stands: typed texts, the figures supplied from elsewhere, and where each came from."""

    form_id: str
    year: int
    values: Record
    supplied: dict[str, int] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # key → Chinese explanation of the origin
    drilldown: dict[str, list[int]] = field(default_factory=dict)  # key → ledger entry indexes behind it
    _getter: Callable[[str], int] | None = field(default=None, repr=False, compare=False)

    def number(self, key: str) -> int:
        if self._getter is None:
            self._getter = int_getter(FORMS[self.form_id], self.values, self.supplied)
        return self._getter(key)

    def derived(self) -> dict[str, int]:
        return compute_derived(FORMS[self.form_id], self.values, self.supplied)

    def display(self, key: str) -> str:
        """The text to show or print for a field: supplied figures win over typed text."""
        if key in self.supplied:
            return str(self.supplied[key])
        return self.values.get(key, "")


@dataclass
class Project:
    years: dict[int, YearBook] = field(default_factory=dict)
    _memo: dict[tuple[int, str], Effective] | None = field(default=None, repr=False, compare=False)

    @contextmanager
    def memoized(self) -> Iterator[None]:
        """Within the block, each form's effective values are worked out once (the data must not change)."""
        outer = self._memo
        if outer is None:
            self._memo = {}
        try:
            yield
        finally:
            if outer is None:
                self._memo = None

    # ---- years ----
    def year(self, year: int) -> YearBook:
        return self.years[year]

    def latest_year(self) -> int | None:
        return max(self.years) if self.years else None

    def add_year(self, year: int) -> YearBook:
        if year in self.years:
            raise ValueError(f"{year} 年度已存在")
        book = YearBook(year)
        self.years[year] = book
        return book

    def roll_over(self, year: int) -> YearBook:
        """Start year+1 from year: union data, roster, closing balances, carried-over figures."""
        from treasurer_app.forms import ledger as ledger_engine

        source = self.years[year]
        new = self.add_year(year + 1)
        application = copy.deepcopy(source.forms["application"])
        application["year"] = str(year + 1)
        new.forms["application"] = application
        new.roster = copy.deepcopy(source.roster)
        if source.ledger is not None:
            new.ledger = LedgerBook(header=ledger_engine.next_year_header(source.ledger))
        else:
            new.ledger = LedgerBook()
        # The accumulated balance left at the end of `year` is what the new final accounts start from.
        budget = self.effective(year, "budget")
        remaining = budget.values.get("surplus_remaining", "")
        if remaining:
            new.forms["final_accounts"]["prev_surplus_remaining"] = remaining
        drawn = budget.values.get("rev_4", "")
        if drawn:
            new.forms["final_accounts"]["rev_surplus_drawn"] = drawn
        interest_use = source.forms["final_accounts"].get("interest_use", "")
        if interest_use:
            new.forms["final_accounts"]["interest_use"] = interest_use
        return new

    # ---- derivations ----
    def union_name(self, year: int) -> str:
        return self.years[year].forms["application"].get("union_name", "")

    def tax_id(self, year: int) -> str:
        return self.years[year].forms["application"].get("tax_id", "")

    def union_type(self, year: int) -> str:
        """職業工會 or 企業工會 as the field reads what was typed; 職業工會 when empty or not one of them."""
        typed = FORMS["application"].field("union_type").type.parse(self.years[year].forms["application"].get(
            "union_type", "")).value
        return typed if isinstance(typed, str) else "職業工會"

    def ledger_for_report(self, year: int) -> LedgerBook | None:
        """The ledger the application of `year` reports on (calendar year − 1), if it has entries."""
        previous = self.years.get(year - 1)
        if previous is None or previous.ledger is None or not previous.ledger.entries:
            return None
        return previous.ledger

    def interest_carried_in(self, ledger_year: int) -> int:
        """Unspent interest carried into `ledger_year`: budget line 2 of that year's application."""
        from treasurer_app.forms import ledger as ledger_engine

        book = self.years.get(ledger_year)
        if book is None:
            return 0
        header = book.ledger.header if book.ledger else {}
        # Read as the ledger's header declares it ("²" is a digit to str.isdigit, not to int()).
        typed = ledger_engine.HEADER_FIELD[ledger_engine.INTEREST_CARRIED_IN].type.parse(
            header.get(ledger_engine.INTEREST_CARRIED_IN, "")
        ).value
        if isinstance(typed, int):
            return typed
        return self.effective(ledger_year, "budget").number("rev_2")

    def effective(self, year: int, form_id: str) -> Effective:
        if self._memo is not None:
            cached = self._memo.get((year, form_id))
            if cached is None:
                cached = self._memo[(year, form_id)] = self._effective(year, form_id)
            return cached
        return self._effective(year, form_id)

    def _effective(self, year: int, form_id: str) -> Effective:
        book = self.years[year]
        values = book.forms.get(form_id, {})
        result = Effective(form_id, year, values)
        if form_id == "final_accounts":
            self._supply_final_accounts(year, result)
        elif form_id == "training_expenses":
            self._supply_training_expenses(year, result)
        elif form_id == "budget":
            final = self.effective(year, "final_accounts")
            result.supplied["rev_2"] = final.number("rev_interest") - final.number(fa.subtotal_key(fa.INTEREST))
            result.sources["rev_2"] = budget_form.REV_2_SOURCE.format(Y1=year - 1)
        return result

    def _supply_final_accounts(self, year: int, result: Effective) -> None:
        ledger = self.ledger_for_report(year)
        if ledger is not None:
            from treasurer_app.forms import ledger as ledger_engine

            derivation = ledger_engine.derive_final_accounts(ledger, year - 1, self.interest_carried_in(year - 1))
            for key, amount in derivation.values.items():
                result.supplied[key] = amount
                result.sources[key] = f"由 {year - 1} 年度現金收支登記簿計算"
                result.drilldown[key] = derivation.entries.get(key, [])
        totals = session_totals(self.years[year].sessions)
        if self.years[year].sessions:
            for unit, amount in totals.items():
                key = fa.ben_key("1", unit)
                if not result.values.get(key, "").strip():
                    result.supplied[key] = amount
                    result.sources[key] = "由教育訓練成果報告合計帶入"

    def _supply_training_expenses(self, year: int, result: Effective) -> None:
        ledger = self.ledger_for_report(year)
        if ledger is None:
            return
        from treasurer_app.forms import ledger as ledger_engine

        derivation = ledger_engine.derive_training_expenses(ledger, year - 1)
        for key, amount in derivation.values.items():
            result.supplied[key] = amount
            result.sources[key] = f"由 {year - 1} 年度現金收支登記簿計算"
            result.drilldown[key] = derivation.entries.get(key, [])


def session_totals(sessions: list[Record]) -> dict[str, int]:
    """Sessions, hours, men and women over the training report: the education row of §5."""
    from treasurer_app.forms import training_report as tr

    spec = FORMS["training_report"]
    totals = {"sessions": 0, "hours": 0, "male": 0, "female": 0}
    for session in sessions:
        if not any(v.strip() for v in session.values()):
            continue
        get = int_getter(spec, session)
        totals["sessions"] += 1
        totals["hours"] += sum(get(tr.hours_key(i)) for i in range(1, len(tr.CATEGORIES) + 1))
        totals["male"] += get("male")
        totals["female"] += get("female")
    return totals
