"""Generated projects for the benchmarks (made on the fly, never committed).

* ``many_years(years, entries, members)`` — the guide's worked example grown to ``years`` consecutive
  years, each with a roster of ``members`` and a cash ledger of ``entries`` (the 20-year project of
  issue 16 is ``many_years(20, 5_000, 500)``);
* ``big_year(entries)`` — the worked example whose last year's ledger holds ``entries`` entries
  (the 100,000-entry year);
* ``write_store(project, folder)`` — the project as the window's working project in ``folder``.

Run ``python benchmarks/projects.py FOLDER [--years N] [--entries N] [--members N]`` to leave a
project file there to open by hand (``treasurer-app FOLDER/union.tap``).
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_check import ledger_entries, roster  # noqa: E402

if TYPE_CHECKING:
    from treasurer_app.project import Project

LAST_YEAR = 115
EXAMPLE = ROOT / "tests" / "fixtures" / "guide_example_corrected.json"


def _example() -> Project:
    from treasurer_app.interchange import load

    return load(EXAMPLE)


def many_years(years: int = 20, entries: int = 5_000, members: int = 500) -> Project:
    """``years`` years ending in 115, each a copy of the example's forms with its own roster and ledger."""
    from treasurer_app.ledger.entries import LedgerBook
    from treasurer_app.project import YearBook

    example = _example()
    template = example.years[LAST_YEAR]
    people = roster(members)
    names = [m["name"] for m in people]
    project = type(example)()
    for offset in range(years):
        year = LAST_YEAR - years + 1 + offset
        book = YearBook(year)
        book.forms = copy.deepcopy(template.forms)
        book.forms["application"]["year"] = str(year)
        book.forms["application"]["member_count"] = str(members)
        book.roster = [dict(m) for m in people]
        book.training_report = copy.deepcopy(template.training_report)
        book.ledger = LedgerBook({"opening_acct1": "0"}, ledger_entries(entries, names, seed=year))
        project.years[year] = book
    return project


def big_year(entries: int = 100_000) -> Project:
    """The example with a ledger of ``entries`` entries in its year 115."""
    from treasurer_app.ledger.entries import LedgerBook

    project = _example()
    book = project.years[LAST_YEAR]
    names = [f"會員{i:06d}" for i in range(2 * entries)]  # enough members to stay under the per-person caps
    book.ledger = LedgerBook({"opening_acct1": "0"}, ledger_entries(entries, names, seed=LAST_YEAR))
    return project


def quarter_entries(entries: int, quarter: int = 1) -> Project:
    """The example whose ledger holds ``entries`` entries, all dated in ``quarter`` of 115."""
    from treasurer_app.ledger.entries import LedgerBook

    project = _example()
    book = project.years[LAST_YEAR]
    names = [f"會員{i:06d}" for i in range(2 * entries)]  # enough members to stay under the per-person caps
    records = ledger_entries(entries, names, seed=LAST_YEAR)
    rng = random.Random(quarter)
    months = [3 * (quarter - 1) + 1 + i * 3 // len(records) for i in range(len(records))]
    for record, month in zip(records, months, strict=True):
        record["month"] = str(month)
        record["day"] = str(rng.randint(1, 28))
    records[0].update(month="1", day="1")  # the allocation received comes first (the sort keeps it there)
    records.sort(key=lambda r: (int(r["month"]), int(r["day"])))
    book.ledger = LedgerBook({"opening_acct1": "0"}, records)
    return project


def write_store(project: Project, folder: Path) -> Path:
    """``project`` as the working project (``union.tap``) in ``folder``; the key goes where
    ``TREASURER_APP_KEY_DIR`` / the keyring backend in force says."""
    from treasurer_app.ui.services import open_persistence

    folder.mkdir(parents=True, exist_ok=True)
    persistence = open_persistence(folder)
    try:
        persistence.replace(project)
    finally:
        persistence.close()
    return folder / "union.tap"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--entries", type=int, default=5_000)
    parser.add_argument("--members", type=int, default=500)
    args = parser.parse_args()
    print(write_store(many_years(args.years, args.entries, args.members), args.folder))


if __name__ == "__main__":
    main()
