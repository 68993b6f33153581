"""PDF benchmarks: the whole application package of the guide's worked example, and a year's ledger.

Prints one line per measure: ``name<TAB>median<TAB>unit<TAB>target``.
Run: ``python benchmarks/bench_pdf.py``. The first run pays for registering the
bundled font (once per process); the steady state is the median of later runs,
each with the layout's text cache emptied so no run profits from the one before.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 7
YEAR = 115
ISSUED = date(2026, 1, 20)


def main() -> None:
    from treasurer_app.export import pdf_text
    from treasurer_app.export.layouts import application_grids, ledger_grids
    from treasurer_app.export.pdf_package import write_ledger_pdf, write_pdf_package
    from treasurer_app.interchange import load
    from treasurer_app.ledger.entries import LedgerBook

    project = load(ROOT / "tests" / "fixtures" / "guide_example_corrected.json")
    raw = json.loads((ROOT / "tests" / "fixtures" / "ledger_114.json").read_text(encoding="utf-8"))
    project.years[YEAR].ledger = LedgerBook(header=raw["header"], entries=raw["entries"])

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)

        def package() -> float:
            pdf_text.fit_text.cache_clear()
            start = time.perf_counter()
            write_pdf_package(project, YEAR, out, application_grids(project, YEAR), issued=ISSUED)
            return time.perf_counter() - start

        def ledger() -> float:
            pdf_text.fit_text.cache_clear()
            start = time.perf_counter()
            write_ledger_pdf(project, YEAR, None, out, ledger_grids(project, YEAR), issued=ISSUED)
            return time.perf_counter() - start

        start = time.perf_counter()
        pdf_text.default_font()
        font_ms = (time.perf_counter() - start) * 1000
        first_ms = package() * 1000 + font_ms
        steady_ms = statistics.median(package() for _ in range(RUNS)) * 1000
        ledger_ms = statistics.median(ledger() for _ in range(RUNS)) * 1000

    print(f"pdf_package_guide_example\t{steady_ms:.0f}\tms\t1000")
    print(f"pdf_package_guide_example_first_run\t{first_ms:.0f}\tms\t-")
    print(f"pdf_font_registration\t{font_ms:.0f}\tms\t-")
    print(f"pdf_ledger_year_206_entries\t{ledger_ms:.0f}\tms\t-")


if __name__ == "__main__":
    main()
