"""Opening a decade of data: the window on a 20-year project (5,000 entries and 500 members a year)
against the window on an empty project, cold (each run a fresh process, as the user starts the app).

Prints ``name<TAB>value<TAB>unit<TAB>target`` lines (benchmarks/run.py reads them).
Run: ``python benchmarks/bench_open.py [--runs N]`` (offscreen Qt; a temporary data folder and keyring).

Four moments per run, from launching Python: ``ready`` (the window painted), ``opened`` (the project
attached: home page, navigator and year shown, the window taking input), ``verified`` (the file's integrity
check, which runs on a thread of its own from the opening on, has answered: every write waits for it; see
treasurer_app/store/integrity.py) and ``checked`` (the first whole-project check done and its findings
shown). The targets are ratios of medians of paired runs — the empty project's and the 20-year project's
starts take turns, so a busy moment of the shared machine weighs on both alike: opened ≤ 1.5× the empty
project's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ui import KEYRING_MODULE, start_times  # noqa: E402

RUNS = 5
YEARS, ENTRIES, MEMBERS = 20, 5_000, 500
TARGET_RATIO = 1.5

OPEN = """
import sys
sys.path.insert(0, {root!r})
from treasurer_app.ui.app import start
app, window = start([])
app.processEvents()
print("ready", flush=True)
while not window.opened:
    app.processEvents()
app.processEvents()  # the home page laid out and painted
print("opened", flush=True)
while not window.document.persistence.integrity_checked:
    app.processEvents()
print("verified", flush=True)
while window.checker.pending():
    app.processEvents()
app.processEvents()
print("checked", flush=True)
window.close()
"""


def make_folder(folder: Path, years: int) -> None:
    """The working project in ``folder`` (empty when ``years`` is 0), its key in a file keyring there."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench_keyring.py").write_text(KEYRING_MODULE, encoding="utf-8")
    os.environ["TREASURER_APP_DATA_DIR"] = str(folder)
    os.environ["TREASURER_APP_KEY_DIR"] = str(folder / "keys")
    os.environ["PYTHON_KEYRING_BACKEND"] = "bench_keyring.FileKeyring"
    sys.path.insert(0, str(folder))
    if years:
        from benchmarks.projects import many_years, write_store

        write_store(many_years(years, ENTRIES, MEMBERS), folder)
    sys.path.remove(str(folder))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--years", type=int, default=YEARS)
    args = parser.parse_args(argv)
    code = OPEN.format(root=str(ROOT))
    with tempfile.TemporaryDirectory() as temporary:
        empty, full = Path(temporary) / "empty", Path(temporary) / "full"
        make_folder(empty, 0)
        make_folder(full, args.years)
        first = {"empty": start_times(code, empty), "full": start_times(code, full)}  # cold: nothing compiled yet
        runs: dict[str, list[dict[str, float]]] = {"empty": [], "full": []}
        for _ in range(args.runs):
            runs["empty"].append(start_times(code, empty))
            runs["full"].append(start_times(code, full))
    moments = ("ready", "opened", "verified", "checked")
    median = {kind: {m: statistics.median(r[m] for r in runs[kind]) for m in moments} for kind in runs}
    label = f"{args.years}y"
    for moment in ("opened", "verified", "checked"):
        print(f"open_empty_project_{moment}\t{median['empty'][moment]:.0f}\tms\t-")
        print(f"open_{label}_project_{moment}\t{median['full'][moment]:.0f}\tms\t-")
        print(f"open_{label}_project_{moment}_first_run\t{first['full'][moment]:.0f}\tms\t-")
    print(
        f"open_{label}_vs_empty_project_opened\t{median['full']['opened'] / median['empty']['opened']:.2f}\tx"
        f"\t{TARGET_RATIO}"
    )
    print(f"open_{label}_vs_empty_project_checked\t{median['full']['checked'] / median['empty']['checked']:.2f}\tx\t-")


if __name__ == "__main__":
    main(sys.argv[1:])
