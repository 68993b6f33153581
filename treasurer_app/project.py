"""A union's project: its years, each with the seven sheets and the year's cash ledger.

Year Y holds the application filed for year Y (its plans for Y and its report
on Y−1) and the ledger kept during calendar year Y. The application for Y draws
its final accounts and training expenses from the ledger of Y−1 when there is one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from treasurer_app.forms import FORMS, SCALAR_FORMS, final_accounts
from treasurer_app.forms import budget as budget_form
from treasurer_app.forms.base import FormSpec, Record, compute_derived, int_getter
from treasurer_app.ledger.derivation import derive_final_accounts, derive_training_expenses, next_year_header
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.sheet import HEADER_FIELD, INTEREST_CARRIED_IN
from treasurer_app.line_subsidy.forms import LINE_FORMS, LINE_SCALAR_FORMS, LINE_TABLES, next_application
from treasurer_app.value import Value

LINE_APPLICATION, LINE_APPROVAL = LINE_SCALAR_FORMS

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Any, Final, TypeVar

    Result = TypeVar("Result")  # what a derivation computes (a name for the type checker only)

ATTACHMENT_KINDS = ("meeting", "method")
_DEFERRED = ("roster", "training_report", "ledger", "line_rows")  # what a year read lazily has only once asked for
_REVISIONS = itertools.count(1)  # every YearBook state gets a number no other state of any year has had


class YearRows(Value):
    """A year's rows as a file holds them (``YearBook.defer_rows``); each book reading them gets its own lists."""

    __slots__ = ("ledger", "line_rows", "roster", "training_report")

    def __init__(
        self,
        roster: list[Record],
        training_report: list[Record],
        ledger: LedgerBook | None,
        line_rows: dict[str, list[Record]],
    ) -> None:
        self.roster: Final = roster
        self.training_report: Final = training_report
        self.ledger: Final = ledger
        self.line_rows: Final = line_rows


class YearBook:
    """One year of a union: the sheets' values, its tables and cash ledger, attachments, acknowledged warnings.

    Equal to another book of the same year holding the same (``revision`` and ``ledger_revision`` say
    which state of the year this is, not what it holds). Not a ``Value``: its rows may be read later
    (``defer_rows``), kept in its ``__dict__`` until then. Changed in place, so it has no hash."""

    def __init__(
        self,
        year: int,
        forms: dict[str, Record] | None = None,
        roster: list[Record] | None = None,
        training_report: list[Record] | None = None,
        ledger: LedgerBook | None = None,
        attachments: dict[str, str] | None = None,
        acknowledged: set[str] | None = None,
        line_rows: dict[str, list[Record]] | None = None,
        revision: int | None = None,
        ledger_revision: int | None = None,
    ) -> None:
        self.year = year
        self.forms = {} if forms is None else forms
        self.roster = [] if roster is None else roster
        self.training_report = [] if training_report is None else training_report  # sheet 4: one row per session
        self.ledger = ledger
        self.attachments = {} if attachments is None else attachments  # kind → path of the user's PDF
        self.acknowledged = set() if acknowledged is None else acknowledged  # warnings acknowledged (finding keys)
        # The LINE official-account subsidy's tables (line_subsidy/forms.py), by form id; its two
        # single-valued forms live in ``forms`` beside the port fund's.
        self.line_rows = {} if line_rows is None else line_rows
        # Which state of the year this is: ``Project.touch`` gives it a new number after an edit, so that
        # what was derived from the year (parsed ledger, final accounts…) is known to be out of date.
        self.revision = next(_REVISIONS) if revision is None else revision
        self.ledger_revision = next(_REVISIONS) if ledger_revision is None else ledger_revision
        for form_id in SCALAR_FORMS:
            self.forms.setdefault(form_id, {})
        for form_id in LINE_TABLES:
            self.line_rows.setdefault(form_id, [])
        self.forms["application"].setdefault("year", str(self.year))

    def _contents(self) -> tuple[object, ...]:
        """What the year holds, as equality compares it (reading deferred rows)."""
        return (
            self.year,
            self.forms,
            self.roster,
            self.training_report,
            self.ledger,
            self.attachments,
            self.acknowledged,
            self.line_rows,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, YearBook) or type(other) is not type(self):
            return NotImplemented
        return self._contents() == other._contents()

    def __repr__(self) -> str:
        return f"YearBook(year={self.year!r}, forms={self.forms!r}, ...)"

    def form(self, form_id: str) -> Record:
        if form_id in LINE_SCALAR_FORMS:  # the second programme's forms exist once something is typed
            return self.forms.setdefault(form_id, {})
        return self.forms[form_id]

    def table(self, form_id: str) -> list[Record]:
        if form_id in self.line_rows:
            return self.line_rows[form_id]
        if form_id == "roster":
            return self.roster
        if form_id == "training_report":
            return self.training_report
        raise KeyError(form_id)

    def touch(self, ledger: bool = True) -> None:
        """The year changed; ``ledger``: its cash ledger may have (what is parsed and derived from it is redone)."""
        self.revision = next(_REVISIONS)
        if ledger:
            self.ledger_revision = next(_REVISIONS)

    def defer_rows(self, source: Callable[[], YearRows]) -> None:
        """Read the rows (roster, training report, ledger, LINE tables) from ``source`` only when first asked for: a
        20-year project opens with the years the window shows. ``source`` is shared by the book's snapshots
        and is called on whichever thread asks first, so it must be safe there and give the same rows."""
        for name in _DEFERRED:
            self.__dict__.pop(name, None)
        self.__dict__["_rows_source"] = source

    def ledger_entry_count(self) -> int:
        """How many cash ledger entries the year holds, without reading deferred rows when their source can
        count them (the home page names last year's count; reading 5,000 entries for it slowed opening)."""
        source = self.__dict__.get("_rows_source")
        counter = getattr(source, "count_ledger_entries", None)
        if source is not None and "ledger" not in self.__dict__ and counter is not None:
            return int(counter())
        return 0 if self.ledger is None else len(self.ledger.entries)

    def has_filled_row(self, form_id: str) -> bool:
        """Whether a row of table ``form_id`` holds a typed value; answered by the file without reading the rows
        when it can (the home page asks this of every table of the year, the LINE check of its four tables)."""
        source = self.__dict__.get("_rows_source")
        probe = getattr(source, "has_filled_row", None)
        attribute = form_id if form_id in ("roster", "training_report") else "line_rows"
        if source is not None and attribute not in self.__dict__ and probe is not None:
            answer = probe(form_id)
            if answer is not None:
                return bool(answer)
        return any(any(value.strip() for value in row.values()) for row in self.table(form_id))

    @property
    def rows_deferred(self) -> bool:
        """The rows have not been asked for yet (``defer_rows``)."""
        return "_rows_source" in self.__dict__

    def read_rows(self) -> None:
        """Read deferred rows now (before the file's copy of them is replaced, say)."""
        source = self.__dict__.get("_rows_source")
        if source is not None:
            self._read_rows(source())

    if not TYPE_CHECKING:  # (hidden from the type checker, which would take any misspelt name for a row)

        def __getattr__(self, name: str) -> Any:
            """Called only for a missing attribute: the deferred rows, read now."""
            source = self.__dict__.get("_rows_source")
            if source is None or name not in _DEFERRED:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            self._read_rows(source())
            return self.__dict__[name]

    def _read_rows(self, rows: YearRows) -> None:
        copies = {
            "roster": list(rows.roster),
            "training_report": list(rows.training_report),
            "ledger": None if rows.ledger is None else LedgerBook(dict(rows.ledger.header), list(rows.ledger.entries)),
            "line_rows": {form_id: list(table) for form_id, table in rows.line_rows.items()},
        }
        for name, value in copies.items():  # a row attribute set before the rows were read is kept
            self.__dict__.setdefault(name, value)
        del self.__dict__["_rows_source"]

    def __deepcopy__(self, memo: dict[int, Any]) -> YearBook:
        self.read_rows()  # a copy of its own, with nothing left to read from the file
        import copy  # (already imported by whoever deep-copies a year: not one of the modules every start loads)

        twin = object.__new__(YearBook)
        memo[id(self)] = twin
        twin.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return twin

    def snapshot(self) -> YearBook:
        """A copy whose dicts and lists are its own and whose records are shared: records are replaced,
        never changed in place, by the window's edits (ui/document.py), so the copy stays as it is.
        Rows not read yet stay unread in the copy, which reads the same rows when asked."""
        source = self.__dict__.get("_rows_source")
        if source is None:
            ledger = None if self.ledger is None else LedgerBook(dict(self.ledger.header), list(self.ledger.entries))
            return YearBook(
                self.year,
                {k: dict(v) for k, v in self.forms.items()},
                list(self.roster),
                list(self.training_report),
                ledger,
                dict(self.attachments),
                set(self.acknowledged),
                {form_id: list(rows) for form_id, rows in self.line_rows.items()},
                self.revision,
                self.ledger_revision,
            )
        twin = YearBook(
            self.year,
            {k: dict(v) for k, v in self.forms.items()},
            attachments=dict(self.attachments),
            acknowledged=set(self.acknowledged),
            revision=self.revision,
            ledger_revision=self.ledger_revision,
        )
        twin.defer_rows(source)
        for name in _DEFERRED:  # set (replaced) before the rows were read: the copy's own, as above
            if name in self.__dict__:
                twin.__dict__[name] = copy_rows(self.__dict__[name])
        return twin


def copy_rows(value: Any) -> Any:
    """A row attribute's own lists and dicts, its records shared (see ``YearBook.snapshot``)."""
    if isinstance(value, LedgerBook):
        return LedgerBook(dict(value.header), list(value.entries))
    if isinstance(value, dict):
        return {key: list(rows) for key, rows in value.items()}
    return None if value is None else list(value)


def _spec(form_id: str) -> FormSpec:
    return FORMS[form_id] if form_id in FORMS else LINE_FORMS[form_id]


class Effective(Value):
    """A form as it stands: typed texts, the figures supplied from elsewhere, and where each came from."""

    __slots__ = ("_getter", "drilldown", "form_id", "sources", "supplied", "values", "year")
    __hash__ = None  # type: ignore[assignment]  # changed in place: no hash (as a dataclass that is not frozen)

    def __init__(
        self,
        form_id: str,
        year: int,
        values: Record,
        supplied: dict[str, int] | None = None,
        sources: dict[str, str] | None = None,
        drilldown: dict[str, list[int]] | None = None,
    ) -> None:
        self.form_id = form_id
        self.year = year
        self.values = values
        self.supplied = {} if supplied is None else supplied
        self.sources = {} if sources is None else sources  # key → Chinese explanation of the origin
        self.drilldown = {} if drilldown is None else drilldown  # key → ledger entry indexes behind it
        self._getter: Callable[[str], int] | None = None

    def number(self, key: str) -> int:
        if self._getter is None:
            self._getter = int_getter(_spec(self.form_id), self.values, self.supplied)
        return self._getter(key)

    def derived(self) -> dict[str, int]:
        return compute_derived(_spec(self.form_id), self.values, self.supplied)

    def display(self, key: str) -> str:
        """The text to show or print for a field: supplied figures win over typed text."""
        if key in self.supplied:
            return str(self.supplied[key])
        return self.values.get(key, "")


class Derivations:
    """What was worked out from each year, kept until that year changes (``YearBook.revision``).

    Each slot holds one result with the stamp it was computed for; a lookup with another stamp
    recomputes. Shared by a project and its snapshots: every value is computed from the data the
    stamp names and never changed after it is stored, so a checker thread may read and fill it too.
    """

    def __init__(self) -> None:
        # Each slot is filled by one computation only: its value is of the type that computation returns.
        self._slots: dict[tuple[object, ...], tuple[object, Any]] = {}
        self.computed = 0  # how many results were computed rather than found: for the tests

    def get(self, slot: tuple[object, ...], stamp: object, compute: Callable[[], Result]) -> Result:
        held = self._slots.get(slot)
        if held is not None and held[0] == stamp:
            kept: Result = held[1]
            return kept
        value = compute()
        self.computed += 1
        self._slots[slot] = (stamp, value)
        return value

    def take(self, slot: tuple[object, ...]) -> object:
        """What ``put`` left in ``slot`` (None if nothing), taken out: a worker that brings it up to date
        holds it alone, and another thread finding the slot empty starts afresh."""
        held = self._slots.pop(slot, None)
        return None if held is None else held[1]

    def put(self, slot: tuple[object, ...], value: object) -> None:
        """Keep ``value`` for the next ``take`` (state kept up to date by its user, not a stamped result)."""
        self._slots[slot] = (None, value)


class Project:
    """A union's years. Equal to another project holding equal years (what is kept to answer faster is not
    compared). Changed in place, so it has no hash."""

    def __init__(
        self,
        years: dict[int, YearBook] | None = None,
        _memo: dict[tuple[int, str], Effective] | None = None,
        derivations: Derivations | None = None,
        _keeps_effective: bool = False,
    ) -> None:
        self.years = {} if years is None else years
        # Set only by ``reading``, on a copy no one edits: each form's effective values, worked out once.
        self._memo = _memo
        # Kept across checks once ``keep_derivations`` is on: the window's project, whose every edit says
        # which year it touched. Off by default, for code that changes a project's dicts without saying so.
        self.derivations = derivations
        self._keeps_effective = _keeps_effective

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Project) or type(other) is not type(self):
            return NotImplemented
        return self.years == other.years

    def __repr__(self) -> str:
        return f"Project(years={self.years!r})"

    def keep_derivations(self) -> Derivations:
        """From now on per-year results are computed once and reused until ``touch`` says the year changed."""
        if self.derivations is None:
            self.derivations = Derivations()
        self._keeps_effective = True
        return self.derivations

    def touch(self, year: int, ledger: bool = True) -> None:
        """Year ``year`` changed (``ledger``: maybe its cash ledger too): what was derived from it, and from
        the later years that carry it over, is redone when next asked for."""
        book = self.years.get(year)
        if book is not None:
            book.touch(ledger)

    def stamp(self, year: int) -> tuple[tuple[int, int], ...]:
        """The state of ``year`` and every year before it: what a year's application is derived from
        (its final accounts draw on the ledger of the year before, whose interest carried in is
        budget line 2 of the year before that, and so on)."""
        return tuple((y, self.years[y].revision) for y in sorted(self.years) if y <= year)

    def snapshot(self) -> Project:
        """An unchanging copy to check on another thread while the window goes on editing this one
        (cheap: records are shared, see ``YearBook.snapshot``); it shares the kept derivations."""
        return Project({year: book.snapshot() for year, book in self.years.items()}, derivations=self.derivations)

    def reading(self) -> Project:
        """The project to read while nothing changes it (a check, an export): each form's effective values
        are worked out once. A project that keeps its derivations already does that and is its own reading;
        any other gives a copy sharing its records (as ``snapshot``) that remembers them, so the project
        itself never changes mode."""
        if self._keeps_effective or self._memo is not None:
            return self
        return Project(
            {year: book.snapshot() for year, book in self.years.items()}, _memo={}, derivations=self.derivations
        )

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
        source = self.years[year]
        new = self.add_year(year + 1)
        application = dict(source.forms["application"])  # records hold texts: a copy of each is a deep copy
        application["year"] = str(year + 1)
        new.forms["application"] = application
        line = next_application(source.forms.get(LINE_APPLICATION, {}), source.forms.get(LINE_APPROVAL, {}))
        if line:  # the LINE subsidy of the year after: a repeat application when this year's was approved
            new.forms[LINE_APPLICATION] = line
        new.roster = [dict(member) for member in source.roster]
        if source.ledger is not None:
            new.ledger = LedgerBook(header=next_year_header(source.ledger))
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
        # The unspent interest carried in is one figure: budget line 2 of the new year, as its sheet 3
        # works it out from this year's ledger (with the interest this year started with). A blank
        # header reads as that figure too: 0 is left blank.
        unspent = self.effective(year + 1, "budget").number("rev_2")
        if unspent or new.ledger.header.get(INTEREST_CARRIED_IN, "").strip():
            new.ledger.header[INTEREST_CARRIED_IN] = str(unspent)
        return new

    # ---- derivations ----
    def union_name(self, year: int) -> str:
        return self.years[year].forms["application"].get("union_name", "")

    def tax_id(self, year: int) -> str:
        return self.years[year].forms["application"].get("tax_id", "")

    def union_type(self, year: int) -> str:
        """職業工會 or 企業工會 as the field reads what was typed; 職業工會 when empty or not one of them."""
        typed = (
            FORMS["application"]
            .field("union_type")
            .type.parse(self.years[year].forms["application"].get("union_type", ""))
            .value
        )
        return typed if isinstance(typed, str) else "職業工會"

    def ledger_for_report(self, year: int) -> LedgerBook | None:
        """The ledger the application of `year` reports on (calendar year − 1), if it has entries."""
        previous = self.years.get(year - 1)
        if previous is None or previous.ledger is None or not previous.ledger.entries:
            return None
        return previous.ledger

    def interest_carried_in(self, ledger_year: int) -> int:
        """Unspent interest carried into `ledger_year`: budget line 2 of that year's application."""
        book = self.years.get(ledger_year)
        if book is None:
            return 0
        header = book.ledger.header if book.ledger else {}
        # Read as the ledger's header declares it ("²" is a digit to str.isdigit, not to int()).
        typed = HEADER_FIELD[INTEREST_CARRIED_IN].type.parse(header.get(INTEREST_CARRIED_IN, "")).value
        if isinstance(typed, int):
            return typed
        return self.effective(ledger_year, "budget").number("rev_2")

    def effective(self, year: int, form_id: str) -> Effective:
        if self._memo is not None:
            cached = self._memo.get((year, form_id))
            if cached is None:
                cached = self._memo[(year, form_id)] = self._kept_effective(year, form_id)
            return cached
        return self._kept_effective(year, form_id)

    def _kept_effective(self, year: int, form_id: str) -> Effective:
        if self.derivations is None or not self._keeps_effective:
            return self._effective(year, form_id)
        # Its values are this project's own dicts: kept for the project itself, not for its snapshots.
        return self.derivations.get(
            ("effective", year, form_id), self.stamp(year), lambda: self._effective(year, form_id)
        )

    def ledger_result(self, name: str, ledger_year: int, extra: object, compute: Callable[[], Result]) -> Result:
        """``compute()`` (a pure function of the ledger of ``ledger_year`` and ``extra``), kept while the
        year is unchanged when derivations are kept."""
        if self.derivations is None:
            return compute()
        book = self.years[ledger_year]
        return self.derivations.get((name, ledger_year), (book.ledger_revision, extra), compute)

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
            # Unspent interest is never negative: interest overspent is an error on sheet 3 and in the
            # ledger where it happened, not a debt carried into the new year.
            unspent = final.number("rev_interest") - final.number(final_accounts.subtotal_key(final_accounts.INTEREST))
            result.supplied["rev_2"] = max(0, unspent)
            result.sources["rev_2"] = budget_form.REV_2_SOURCE.format(Y1=year - 1)
        return result

    def _supply_final_accounts(self, year: int, result: Effective) -> None:
        ledger = self.ledger_for_report(year)
        if ledger is not None:
            carried = self.interest_carried_in(year - 1)
            derivation = self.ledger_result(
                "final_accounts", year - 1, carried, lambda: derive_final_accounts(ledger, year - 1, carried)
            )
            for key, amount in derivation.values.items():
                result.supplied[key] = amount
                result.sources[key] = f"由 {year - 1} 年度現金收支登記簿計算"
                result.drilldown[key] = derivation.entries.get(key, [])
        totals = session_totals(self.years[year].training_report)
        if self.years[year].training_report:
            for unit, amount in totals.items():
                key = final_accounts.ben_key("1", unit)
                if not result.values.get(key, "").strip():
                    result.supplied[key] = amount
                    result.sources[key] = "由教育訓練成果報告合計帶入"

    def _supply_training_expenses(self, year: int, result: Effective) -> None:
        ledger = self.ledger_for_report(year)
        if ledger is None:
            return
        derivation = self.ledger_result(
            "training_expenses", year - 1, None, lambda: derive_training_expenses(ledger, year - 1)
        )
        for key, amount in derivation.values.items():
            result.supplied[key] = amount
            result.sources[key] = f"由 {year - 1} 年度現金收支登記簿計算"
            result.drilldown[key] = derivation.entries.get(key, [])


def session_totals(sessions: list[Record]) -> dict[str, int]:
    """Sessions, hours, men and women over the training report: the education row of §5."""
    from treasurer_app.forms import training_report

    spec = FORMS["training_report"]
    totals = {"sessions": 0, "hours": 0, "male": 0, "female": 0}
    for session in sessions:
        if not any(v.strip() for v in session.values()):
            continue
        get = int_getter(spec, session)
        totals["sessions"] += 1
        totals["hours"] += sum(get(training_report.hours_key(i)) for i in range(1, len(training_report.CATEGORIES) + 1))
        totals["male"] += get("male")
        totals["female"] += get("female")
    return totals
