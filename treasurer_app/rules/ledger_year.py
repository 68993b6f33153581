"""The cash ledger kept in a year, checked against that year's application: the sources it opens
with, the interest carried in, and the ledger's own rules (run here, their findings kept by the
project until the ledger changes)."""

from __future__ import annotations

import operator

from treasurer_app.findings import Finding, error
from treasurer_app.forms import FORMS, LEDGER_FORM
from treasurer_app.forms.base import Record, parse
from treasurer_app.ledger.balances import RunningBalances, Sources
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.sheet import HEADER_FIELD, INTEREST_CARRIED_IN
from treasurer_app.project import Project
from treasurer_app.rules.common import money
from treasurer_app.rules.ledger import check_audit, check_caps, check_ledger


def ledger_opening_sources(project: Project, year: int) -> Sources:
    """What the fund's sources hold when the ledger of ``year`` starts: no allocation yet (it arrives
    as 收 1), the unspent interest carried in (budget line 2, or the ledger header's figure), and
    the accumulated surplus the year's budget draws (line 4), which payments spend as 其他收入."""
    budget = project.effective(year, "budget")
    return Sources(0, max(0, project.interest_carried_in(year)), max(0, budget.number("rev_4")))


def _ledger_in_use(book: LedgerBook | None) -> bool:
    return book is not None and (bool(book.entries) or any(v.strip() for v in book.header.values()))


def check_year_ledger(project: Project, year: int) -> list[Finding]:
    book = project.years[year].ledger
    if book is None or not _ledger_in_use(book):
        return []
    opening = ledger_opening_sources(project, year)  # from the application: part of what the result depends on

    def check() -> list[Finding]:
        running = _kept_running_balances(project, year, book, opening)  # the entries parsed once for every rule
        audit = check_audit(book, year, opening, running)
        findings = [*check_ledger(book, year, running), *audit, *check_caps(book, year, running)]
        if project.derivations is not None:  # with the entries and header as they were (lists are edited in place)
            project.derivations.put(("running_balances", year), (running, list(book.entries), dict(book.header)))
        return findings

    return project.ledger_result("findings", year, opening, check)


def _kept_running_balances(project: Project, year: int, book: LedgerBook, opening: Sources) -> RunningBalances:
    """The ledger's running balances, from the last check of the year brought up to date with the entries
    that changed since (records are replaced, never changed in place, so the ones still the same objects
    are the same entries): an edit re-reads one entry and runs the balances from it on, where reading
    100,000 entries afresh took seconds, and letting go of the old ones held the window as long again."""
    kept = None if project.derivations is None else project.derivations.take(("running_balances", year))
    if not isinstance(kept, tuple) or not isinstance(kept[0], RunningBalances):
        return RunningBalances(book, year, opening)
    running: RunningBalances = kept[0]
    old: list[Record] = kept[1]
    old_header: dict[str, str] = kept[2]
    new = book.entries
    running.book = book
    start = _same_prefix(old, new)
    end = min(_same_prefix(old[::-1], new[::-1]), min(len(old), len(new)) - start)
    removed, added = len(old) - start - end, len(new) - start - end
    common = min(removed, added)
    if common:
        running.edited(start, common)
    if removed > common:
        running.deleted(start + common, removed - common)
    if added > common:
        running.inserted(start + common, added - common)
    if old_header != book.header:
        running.header_changed()
    running.set_opening_sources(opening)
    return running


def _same_prefix(old: list[Record], new: list[Record]) -> int:
    """How many records at the start of both lists are the same objects (compared at C speed)."""
    same = list(map(operator.is_, old, new))
    return same.index(False) if False in same else len(same)


def check_interest_carried_in(project: Project, year: int) -> list[Finding]:
    """The unspent interest carried into ``year`` is one figure: the ledger header may state it, and
    then it must be budget line 2's (which sheet 3 works out), or the two years' reports disagree."""
    book = project.years[year].ledger
    if book is None or not _ledger_in_use(book):
        return []
    key = INTEREST_CARRIED_IN
    typed = parse(HEADER_FIELD[key], book.header.get(key, "")).value
    line_2 = project.effective(year, "budget").number("rev_2")
    if not isinstance(typed, int) or typed == line_2:
        return []
    return [
        error(
            LEDGER_FORM,
            "ledger.interest_carried_in_matches",
            f"{HEADER_FIELD[key].label}：填了 {money(typed)} 元，與預算書"
            f"「{FORMS['budget'].label('rev_2', year)}」{money(line_2)} 元不符；兩者是同一個數字"
            f"（{year - 1} 年度利息收入扣除已動支利息）",
            key,
        )
    ]


# Every check check_project runs, in order; each takes (project, year) and returns findings.
