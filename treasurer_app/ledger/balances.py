"""Running balances: what each of the four accounts holds, and what each source of the fund can
still give, after every entry of a year (DOMAIN.md §5, §10).

``RunningBalances`` is the one place the entries' money is run through: computed once over the
book, then kept in step with the edits — after an entry is changed, inserted or deleted only the
figures from that entry on are run again. The register shows it, the rules read overdrafts from it,
the export prints it, and ``balance_at`` / ``closing_balances`` answer from it.

The sources (分配款, 利息收入, 其他收入, an entry's 動支類別) run as accounts do: the opening (what
the application says is available, ``rules.ledger_opening_sources``), plus the receipts of that
category, minus the payments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from treasurer_app.ledger.codes import ACCOUNTS, CAT_ALLOCATION, CAT_INTEREST, CAT_OTHER, PAYMENT, RECEIPT, TRANSFER
from treasurer_app.ledger.entries import (
    ACCOUNT_INDEX,
    MONEY,
    Entry,
    LedgerBook,
    cell_text,
    parse_entries,
    parse_entry,
    read_number,
)
from treasurer_app.ledger.sheet import OPENING_KEYS
from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final


class Balances(Value):
    """Balances of the four accounts at one point of the year; ``total`` is 結存."""

    __slots__ = ("acct1", "acct2", "fixed", "petty")

    def __init__(self, acct1: int = 0, acct2: int = 0, fixed: int = 0, petty: int = 0) -> None:
        self.acct1: Final = acct1
        self.acct2: Final = acct2
        self.fixed: Final = fixed
        self.petty: Final = petty

    @property
    def total(self) -> int:
        return self.acct1 + self.acct2 + self.fixed + self.petty

    def amounts(self) -> tuple[int, int, int, int]:
        """In the order of ``ACCOUNTS``."""
        return (self.acct1, self.acct2, self.fixed, self.petty)

    def of(self, account: str) -> int:
        return self.amounts()[ACCOUNT_INDEX[account]]


SOURCES: tuple[str, ...] = (CAT_ALLOCATION, CAT_INTEREST, CAT_OTHER)
_SOURCE_INDEX: dict[str | None, int] = {source: i for i, source in enumerate(SOURCES)}
# What each source's opening is, for tooltips and the ledger page.
SOURCE_OPENING_NOTES: dict[str, str] = {
    CAT_ALLOCATION: "本年度收到的分配款（收 1）扣除已動支的分配款",
    CAT_INTEREST: "上年度未動支利息加本年度利息收入（收 2、收 3），扣除已動支的利息",
    CAT_OTHER: "預算書動支的歷年累積結餘款加其他收入（收 4），扣除已動支的其他收入",
}


class Sources(Value):
    """What is still available of each source of the fund at one point of the year."""

    __slots__ = ("allocation", "interest", "other")

    def __init__(self, allocation: int = 0, interest: int = 0, other: int = 0) -> None:
        self.allocation: Final = allocation
        self.interest: Final = interest
        self.other: Final = other

    def amounts(self) -> tuple[int, int, int]:
        """In the order of ``SOURCES``."""
        return (self.allocation, self.interest, self.other)

    def of(self, source: str) -> int:
        return self.amounts()[_SOURCE_INDEX[source]]


def source_move(entry: Entry) -> tuple[int, int] | None:
    """(source index, signed amount) an entry moves, or None: a transfer, 誤植或扣抵, or no category."""
    index = _SOURCE_INDEX.get(entry.category or "")
    if index is None:
        return None
    if entry.kind == RECEIPT:
        return index, entry.amount
    if entry.kind == PAYMENT:
        return index, -entry.amount
    return None


def header_money(header: Mapping[str, object], key: str) -> int:
    """A money figure of the header; an empty or invalid one counts as 0 (the rules report it)."""
    value = read_number(MONEY, cell_text(header, key))
    return value or 0


def opening_balances(book: LedgerBook) -> Balances:
    """上年度結存 from the header; an empty or invalid figure counts as 0 (check_ledger reports it)."""
    return Balances(*(header_money(book.header, OPENING_KEYS[account]) for account in ACCOUNTS))


class RunningBalances:
    """The accounts and the sources after each entry of ``book``, aligned with ``book.entries``.

    An entry that cannot be parsed leaves them unchanged (``check_ledger`` reports it). After an edit
    of ``book.entries``, say which (``edited``, ``inserted``, ``deleted``, ``header_changed``): the
    entries from there on are run again, those before are kept. ``parsed`` holds every entry typed
    (``Entry`` or None), aligned with ``book.entries`` too. ``recomputed`` counts the entries run
    through since the start, for the tests that hold the work to what an edit touches.
    """

    def __init__(
        self,
        book: LedgerBook,
        year: int,
        opening_sources: Sources | None = None,
        parsed: Sequence[Entry | None] | None = None,
    ) -> None:
        self.book, self.year = book, year
        self.opening_sources = opening_sources or Sources()
        self.opening = opening_balances(book)
        self.parsed: list[Entry | None] = parse_entries(book, year) if parsed is None else list(parsed)
        # Plain tuples: an edit runs every entry after it again, and a frozen Balances costs 3× a tuple to make.
        self._accounts: list[tuple[int, int, int, int]] = []
        self._sources: list[tuple[int, int, int]] = []
        self.recomputed = 0
        self._run_from(0)

    # ---------------------------------------------------------------- keeping in step with edits

    def rebuild(self) -> None:
        """Everything read again: the header and every entry."""
        self.opening = opening_balances(self.book)
        self.parsed = parse_entries(self.book, self.year)
        self._run_from(0)

    def header_changed(self) -> None:
        """The header's opening balances may have changed: every figure moves, no entry is read again."""
        self.opening = opening_balances(self.book)
        self._run_from(0)

    def set_opening_sources(self, opening: Sources) -> bool:
        """The sources' opening (from the application) changed: True when the figures had to be run again."""
        if opening == self.opening_sources:
            return False
        self.opening_sources = opening
        self._run_from(0)
        return True

    def edited(self, row: int, count: int = 1) -> None:
        """Entries ``row`` … ``row + count − 1`` were changed in place."""
        entries = self.book.entries
        for index in range(row, row + count):
            self.parsed[index] = parse_entry(entries[index], self.year, index)
        self._run_from(row)

    def inserted(self, row: int, count: int = 1) -> None:
        """``count`` entries were inserted at ``row``; the later ones moved down."""
        entries = self.book.entries
        self.parsed[row:row] = [parse_entry(entries[i], self.year, i) for i in range(row, row + count)]
        self._renumber(row + count)
        self._run_from(row)

    def deleted(self, row: int, count: int = 1) -> None:
        """Entries ``row`` … ``row + count − 1`` were deleted; the later ones moved up."""
        del self.parsed[row : row + count]
        self._renumber(row)
        self._run_from(row)

    def _renumber(self, start: int) -> None:
        """An entry's ``index`` is its place in the book: the entries after an insert or delete move."""
        parsed = self.parsed
        for index in range(start, len(parsed)):
            entry = parsed[index]
            if entry is not None and entry.index != index:
                parsed[index] = _moved(entry, index)

    def _run_from(self, start: int) -> None:
        del self._accounts[start:]
        del self._sources[start:]
        accounts = self._accounts[start - 1] if start else self.opening.amounts()
        sources = self._sources[start - 1] if start else self.opening_sources.amounts()
        current, available = list(accounts), list(sources)
        position, source_position = ACCOUNT_INDEX, _SOURCE_INDEX
        append_accounts, append_sources = self._accounts.append, self._sources.append
        for entry in self.parsed[start:]:
            if entry is not None:
                amount = entry.amount
                if entry.source is not None:
                    current[position[entry.source]] -= amount
                if entry.target is not None:
                    current[position[entry.target]] += amount
                accounts = (current[0], current[1], current[2], current[3])
                # What source_move says, inline: this loop runs over every entry of the year.
                source = source_position.get(entry.category) if entry.kind != TRANSFER else None
                if source is not None:
                    available[source] += amount if entry.kind == RECEIPT else -amount
                    sources = (available[0], available[1], available[2])
            append_accounts(accounts)
            append_sources(sources)
        self.recomputed += len(self.parsed) - start

    # ---------------------------------------------------------------- reading

    def __len__(self) -> int:
        return len(self._accounts)

    def amounts_after(self, row: int) -> tuple[int, int, int, int]:
        """The four accounts after entry ``row``, in the order of ``ACCOUNTS`` (no object made: the register
        reads it for every cell it paints)."""
        return self._accounts[row]

    def sources_amounts_after(self, row: int) -> tuple[int, int, int]:
        """What each source holds after entry ``row``, in the order of ``SOURCES``."""
        return self._sources[row]

    def after(self, row: int) -> Balances:
        return Balances(*self._accounts[row])

    def sources_after(self, row: int) -> Sources:
        return Sources(*self._sources[row])

    def amounts_after_each(self) -> list[tuple[int, int, int, int]]:
        """The four accounts after each entry, in the order of ``ACCOUNTS``: the running figures themselves (no
        object made for each; the export's sheet reads 25,000 of them), to be read, not changed."""
        return self._accounts

    def balances(self) -> list[Balances]:
        """The balances after each entry; entries that leave them unchanged share one object."""
        result: list[Balances] = []
        last: tuple[int, int, int, int] | None = None
        snapshot = self.opening
        for amounts in self._accounts:
            if amounts is not last:
                snapshot, last = Balances(*amounts), amounts
            result.append(snapshot)
        return result

    def closing(self) -> Balances:
        return self.after(len(self._accounts) - 1) if self._accounts else self.opening

    def closing_sources(self) -> Sources:
        return self.sources_after(len(self._sources) - 1) if self._sources else self.opening_sources

    def balance_at(self, when: date) -> Balances:
        """The balances at the end of day ``when``: the opening plus what every entry dated on or before it
        moved (each entry's move is read from the running figures, so an entry out of order counts by
        its date, not by its place)."""
        current = list(self.opening.amounts())
        before = self.opening.amounts()
        for entry, after in zip(self.parsed, self._accounts, strict=True):
            if entry is not None and entry.date <= when:
                for account in range(len(current)):
                    current[account] += after[account] - before[account]
            before = after
        return Balances(*current)


def _moved(entry: Entry, index: int) -> Entry:
    return Entry(
        index,
        entry.date,
        entry.kind,
        entry.code,
        entry.voucher,
        entry.memo,
        entry.amount,
        entry.category,
        entry.account,
        entry.source,
        entry.target,
    )


def balances(book: LedgerBook, year: int) -> list[Balances]:
    """The balances after each entry, aligned with ``book.entries``, in the order entered.
    An entry that cannot be parsed leaves them unchanged (``check_ledger`` reports it)."""
    return RunningBalances(book, year).balances()


def closing_balances(book: LedgerBook, year: int) -> Balances:
    return RunningBalances(book, year).closing()


def balance_at(book: LedgerBook, year: int, when: date) -> Balances:
    """The balances at the end of day ``when``: the opening plus every entry dated on or before it."""
    return RunningBalances(book, year).balance_at(when)
