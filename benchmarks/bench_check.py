"""How long ``check_project`` takes on a large union: 10,000 members, and a 10,000-entry ledger.

Prints one line per measure: ``name<TAB>median<TAB>unit<TAB>target``.
Run: ``python benchmarks/bench_check.py``.

The project is the guide's corrected worked example grown to ledger size:

* ``check_roster_10k`` — year 115 with a roster of 10,000 members (the largest port unions
  have a few thousand), no ledger;
* ``check_roster_and_ledger_10k`` — the same plus the year's cash ledger of 10,000 entries;
* ``check_ledger_derived_10k`` — as above, and year 114's ledger of 10,000 entries, from which
  year 115's final accounts and training expenses are derived.

Target: 500 ms for a whole-project check. ``treasurer-app check`` and the pre-export check run
it once (500 ms is lost next to opening the file and writing the workbook); the window runs it
after an edit that invalidates everything (opening a project, a ledger edit), where 500 ms is
the longest pause that still reads as "the app thought about it" rather than "the app hung".
Form edits re-check far less (``bench_ui.py``: 100 ms), and typing itself never waits for it.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 7
RECORDS = 10_000
YEAR = 115
TARGET_MS = 500
LETTER_CODES = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def national_id(letter: str, sex_digit: int, serial: int) -> str:
    body = f"{sex_digit}{serial:07d}"
    code = LETTER_CODES[letter]
    weights = (8, 7, 6, 5, 4, 3, 2, 1)
    total = code // 10 + (code % 10) * 9 + sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return f"{letter}{body}{(10 - total % 10) % 10}"


def roster(count: int) -> list[dict[str, str]]:
    rng = random.Random(115)
    members = []
    for i in range(count):
        sex_digit = 1 + (i % 7 == 0)
        birth_year = rng.randint(45, 85)
        members.append(
            {
                "name": f"會員{i:05d}",
                "sex": "男" if sex_digit == 1 else "女",
                "national_id": national_id("ABCDEFGHJK"[i % 10], sex_digit, 1_000_000 + i),
                "birth_date": f"{birth_year:03d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
                "joined": f"{birth_year + 20:03d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
                "unit": "中樞公司",
            }
        )
    return members


def ledger_entries(count: int, names: list[str], seed: int) -> list[dict[str, str]]:
    """One allocation received, interest now and then, a few transfers, and payments of every kind."""
    rng = random.Random(seed)
    payments = [("1-1", "分配款"), ("1-6", "分配款"), ("2-2", "分配款"), ("3-1", "利息收入"), ("4-1", "分配款"),
                ("5-2", "分配款"), ("5-4", "分配款"), ("6-1", "分配款")]  # fmt: skip
    entries = [
        {"month": "1", "day": "1", "kind": "收", "code": "1", "voucher": "R0", "memo": "",
         "amount": "900000000", "category": "分配款", "account": "專戶存款1"},
    ]  # fmt: skip
    for i in range(1, count):
        month, day = 1 + i * 12 // count, str(rng.randint(1, 28))
        if i % 250 == 0:
            entry = {"kind": "收", "code": "3", "amount": str(rng.randint(100, 900)), "category": "利息收入",
                     "account": "專戶存款1", "memo": ""}  # fmt: skip
        elif i % 500 == 1:
            entry = {"kind": "轉", "code": "2", "amount": "20000", "category": "", "account": "專戶存款1", "memo": ""}
        else:
            code, category = rng.choice(payments)
            entry = {"kind": "支", "code": code, "amount": str(rng.randint(1, 40) * 100), "category": category,
                     "account": "專戶存款1", "memo": rng.choice(names)}  # fmt: skip
        entries.append({"month": str(month), "day": day, "voucher": f"V{i:05d}", **entry})
    entries.sort(key=lambda e: (int(e["month"]), int(e["day"])))
    return entries


def median_ms(run: Callable[[], object]) -> float:
    run()  # warm the parse caches, as a running app has them
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    from treasurer_app.interchange import load
    from treasurer_app.ledger.entries import LedgerBook
    from treasurer_app.rules import check_project

    project = load(ROOT / "tests" / "fixtures" / "guide_example_corrected.json")
    book = project.years[YEAR]
    book.roster = roster(RECORDS)
    book.forms["application"]["member_count"] = str(RECORDS)
    findings = check_project(project, YEAR)
    if findings:  # measure the real path, not an early exit on broken data
        raise SystemExit(f"the benchmark project should be clean, found: {findings[:3]}")
    results = [("check_roster_10k", median_ms(lambda: check_project(project, YEAR)))]

    try:
        import treasurer_app.rules.ledger  # noqa: F401 — the ledger measures need the ledger's rules
    except ImportError:
        print("check_roster_and_ledger_10k\tskipped (no treasurer_app.rules.ledger)", file=sys.stderr)
    else:
        names = [m["name"] for m in book.roster]
        book.ledger = LedgerBook({"opening_acct1": "0"}, ledger_entries(RECORDS, names, seed=115))
        results.append(("check_roster_and_ledger_10k", median_ms(lambda: check_project(project, YEAR))))
        project.add_year(YEAR - 1).ledger = LedgerBook({"opening_acct1": "0"}, ledger_entries(RECORDS, names, 114))
        results.append(("check_ledger_derived_10k", median_ms(lambda: check_project(project, YEAR))))

    for name, ms in results:
        print(f"{name}\t{ms:.1f}\tms\t{TARGET_MS}")


if __name__ == "__main__":
    main()
