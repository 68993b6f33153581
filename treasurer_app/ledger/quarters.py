"""The quarterly submission (DOMAIN.md §10): at the end of March, June, September and December the
union submits its ledger of the year so far. A quarter is named as the guide writes it (115Q1);
``quarter_slice`` is the year-to-date book a quarter's export prints.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from treasurer_app.fields import ROC_OFFSET
from treasurer_app.forms.base import Record
from treasurer_app.ledger.codes import squeeze
from treasurer_app.ledger.entries import LedgerBook, cell_text, is_blank, read_month

QUARTER_MONTHS: dict[int, tuple[int, ...]] = {1: (1, 2, 3), 2: (4, 5, 6), 3: (7, 8, 9), 4: (10, 11, 12)}
QUARTER_END_MONTH: dict[int, int] = {quarter: months[-1] for quarter, months in QUARTER_MONTHS.items()}
_QUARTER = re.compile(r"([0-9]{3})Q([1-4])")


def parse_quarter(text: str) -> tuple[int, int]:
    """'115Q1' → (115, 1); raises ValueError with a Chinese message for anything else."""
    folded = squeeze(unicodedata.normalize("NFKC", text or "")).upper()
    match = _QUARTER.fullmatch(folded)
    if match is None or int(match.group(1)) < 100:
        raise ValueError(f"季別：格式為民國年加 Q 及季數 1–4，例如 115Q1（填了「{text}」）")
    return int(match.group(1)), int(match.group(2))


def _check_quarter(quarter: int) -> int:
    if quarter not in QUARTER_END_MONTH:
        raise ValueError(f"季別：須為 1 至 4（填了 {quarter}）")
    return QUARTER_END_MONTH[quarter]


def quarter_month(year: int, quarter: int) -> str:
    """The 上傳年月 of a quarter: its last month, e.g. (115, 1) → '11503'."""
    return f"{year:03d}{_check_quarter(quarter):02d}"


def period_end(year: int, quarter: int | None) -> date:
    """The last day a quarter's submission (or, for None, the whole year's) covers: 115Q1 → 2026-03-31."""
    month = 12 if quarter is None else QUARTER_END_MONTH[quarter]
    gregorian = year + ROC_OFFSET
    return date(gregorian, month, calendar.monthrange(gregorian, month)[1])


def quarter_slice(book: LedgerBook, year: int, quarter: int) -> LedgerBook:
    """The year-to-date ledger submitted after ``quarter``: the header and every entry up to the
    end of March, June, September or December (a new book; its entries are new indexes).

    Blank lines are dropped. A line whose month cannot be read is kept, so the export's
    checks still see — and report — it instead of it vanishing from the submission.
    """
    last = _check_quarter(quarter)
    kept: list[Record] = []
    months: dict[str, int | None] = {}  # each month's text read once
    for record in book.entries:
        text = cell_text(record, "month")
        if not text:
            if not is_blank(record):
                kept.append(dict(record))  # no month to read: kept for the checks to report
            continue
        if text in months:
            month = months[text]
        else:
            month = months[text] = read_month(text)
        if month is None or month <= last:
            kept.append(dict(record))
    return LedgerBook(header=dict(book.header), entries=kept)
