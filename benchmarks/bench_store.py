"""Project store timings: one edit commit, a 50,000-entry ledger written, loaded, backed up, edited.

Prints one line per measure: ``name<TAB>median<TAB>unit``. Run:
``python benchmarks/bench_store.py [--dir FOLDER]`` (put FOLDER on the disk you
care about: a commit waits for fsync). Keys live in an in-memory keyring.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ENTRIES = 50_000
EDITS = 200


def _ledger(count: int) -> list[dict[str, str]]:
    return [
        {
            "month": str(i % 12 + 1),
            "day": str(i % 28 + 1),
            "kind": "支",
            "code": "5-2",
            "voucher": f"V{i:06d}",
            "memo": f"會員{i}",
            "amount": str(1000 + i % 5000),
            "category": "分配款",
            "account": "專戶存款1",
        }
        for i in range(count)
    ]


def _report(name: str, seconds: list[float], unit: str = "ms") -> None:
    factor = 1000 if unit == "ms" else 1
    print(f"{name}\t{statistics.median(seconds) * factor:.2f}\t{unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()

    import keyring

    from tests.memory_keyring import MemoryKeyring
    from treasurer_app.ledger.entries import LedgerBook
    from treasurer_app.project import Project, YearBook
    from treasurer_app.store import Store

    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        path = Path(scratch) / "bench.tap"
        project = Project({114: YearBook(114, ledger=LedgerBook(entries=_ledger(ENTRIES)))})
        with Store.create(path) as store:
            start = time.perf_counter()
            store.replace_project(project)
            _report(f"write {ENTRIES} entries (one transaction)", [time.perf_counter() - start], "s")

            timings = []
            for i in range(EDITS):
                start = time.perf_counter()
                store.set_cell(114, "ledger", (i * 7919) % ENTRIES, "amount", str(i))
                timings.append(time.perf_counter() - start)
            _report("edit one cell, committed (fsync)", timings)

            timings = []
            for i in range(EDITS):
                start = time.perf_counter()
                store.set_cell(114, "ledger", (i * 7919) % ENTRIES, "memo", f"改{i}")
                timings.append(time.perf_counter() - start)
            _report("edit one personal cell (sealed), committed", timings)

            timings = []
            for i in range(EDITS):
                start = time.perf_counter()
                store.insert_row(114, "ledger", ENTRIES // 2, {"voucher": f"N{i}", "memo": "新增"})
                timings.append(time.perf_counter() - start)
            _report("insert a row mid-ledger, committed", timings)

            timings = []
            for i in range(EDITS):
                start = time.perf_counter()
                store.move_row(114, "ledger", (i * 104729) % ENTRIES, (i * 7) % ENTRIES)
                timings.append(time.perf_counter() - start)
            _report("move a row, committed", timings)

            start = time.perf_counter()
            store.backup_now()
            _report("backup (online backup API)", [time.perf_counter() - start])
        print(f"file size\t{path.stat().st_size / 1e6:.1f}\tMB")

        timings, opens = [], []
        for _ in range(5):
            start = time.perf_counter()
            with Store.open(path) as store:
                opens.append(time.perf_counter() - start)
                loaded = store.load()
            timings.append(time.perf_counter() - start)
            assert len(loaded.years[114].ledger.entries) == ENTRIES + EDITS
        _report(f"open + load {ENTRIES + EDITS} entries", timings, "s")
        _report("  of which open (header, quick_check, lock, key)", opens, "s")


if __name__ == "__main__":
    main()
