"""Cash-ledger engine on a 50,000-entry year, and importing a workbook of very long texts.

Prints `name<TAB>median<TAB>unit<TAB>target` lines for benchmarks/run.py.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.unit.test_ledger_properties import YEAR, big_year  # noqa: E402
from treasurer_app.ledger.balances import balances  # noqa: E402
from treasurer_app.rules.ledger import check_caps, check_ledger  # noqa: E402

RUNS = 5


def median_ms(job) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        job()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def long_text_import_ms() -> float:
    import openpyxl

    from treasurer_app import interchange
    from treasurer_app.export import layouts, xlsx
    from treasurer_app.export.importer import import_workbook

    project = interchange.load(ROOT / "tests" / "fixtures" / "guide_example_corrected.json")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.xlsx"
        xlsx.write_xlsx(layouts.application_grids(project, 115), path)
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    text = cell.value
                    if isinstance(text, str) and not cell.protection.locked and not text.isdigit() and len(text) > 4:
                        cell.value = "長" * 32_000
        book.save(path)
        return median_ms(lambda: import_workbook(path))


def main() -> None:
    book, _ = big_year(50_000, seed=20250101)
    # Targets: a year is a few thousand entries; 50,000 must stay interactive-fast (linear work).
    print(f"ledger_balances_50k\t{median_ms(lambda: balances(book, YEAR)):.0f}\tms\t1000")
    print(f"ledger_check_50k\t{median_ms(lambda: check_ledger(book, YEAR)):.0f}\tms\t2000")
    print(f"ledger_caps_50k\t{median_ms(lambda: check_caps(book, YEAR)):.0f}\tms\t1000")
    print(f"import_workbook_long_texts\t{long_text_import_ms():.0f}\tms\t3000")


if __name__ == "__main__":
    main()
