"""``treasurer-app export-ledger --pdf`` of a quarter of 25,000 entries, and a quarter too large for .xls.

Prints ``name<TAB>value<TAB>unit<TAB>target`` lines (benchmarks/run.py reads them).
Run: ``python benchmarks/bench_export.py [--runs N]``.

The quarter is generated (benchmarks/projects.py) into an interchange file; each run is a fresh
process running the command as the console script does, timed from launch to exit, its peak memory
(maximum resident set) read from the process itself. Targets: ≤ 4 s and ≤ 250 MiB (medians). The
refusal of a 70,000-entry quarter as .xls is timed in-process from the call to the refusal: it must
come before any checking or layout (the project's loading is not counted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 5
ENTRIES = 25_000
TOO_LARGE = 70_000
TARGET_SECONDS, TARGET_MIB = 4.0, 250
CHILD = """
import resource, sys
from treasurer_app.cli import main
status = main(sys.argv[1:])
print(f"peak_kib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(status)
"""


def one_export(project: Path, out: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak MiB of one fresh ``export-ledger --pdf``."""
    command = [
        sys.executable,
        "-c",
        CHILD,
        "export-ledger",
        str(project),
        "--quarter",
        "115Q1",
        "--out",
        str(out),
        "--pdf",
    ]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"export-ledger exited {done.returncode}: {(done.stdout + done.stderr)[-800:]}")
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("peak_kib"))
    return seconds, peak / 1024


def refusal_ms(folder: Path) -> float:
    from benchmarks.projects import quarter_entries
    from treasurer_app.export.package import ExportRefused, export_ledger

    project = quarter_entries(TOO_LARGE)
    start = time.perf_counter()
    try:
        export_ledger(project, "115Q1", folder / "refused", fmt="xls", pdf=True)
    except ExportRefused:
        return (time.perf_counter() - start) * 1000
    raise SystemExit(f"a quarter of {TOO_LARGE:,} entries was exported as .xls")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    from benchmarks.projects import quarter_entries
    from treasurer_app.interchange import save

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        project = folder / "quarter.json"
        save(quarter_entries(ENTRIES), project)
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(folder / "pycache"), "PYTHONPATH": str(ROOT)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        first = one_export(project, folder / "first", env)
        runs = [one_export(project, folder / f"out{i}", env) for i in range(args.runs)]
        refused = refusal_ms(folder)
    seconds = statistics.median(r[0] for r in runs)
    mib = statistics.median(r[1] for r in runs)
    print(f"export_ledger_pdf_25k_quarter\t{seconds:.2f}\ts\t{TARGET_SECONDS}")
    print(f"export_ledger_pdf_25k_quarter_peak\t{mib:.0f}\tMiB\t{TARGET_MIB}")
    print(f"export_ledger_pdf_25k_quarter_first_run\t{first[0]:.2f}\ts\t-")
    print(f"export_ledger_xls_70k_quarter_refused_after\t{refused:.0f}\tms\t-")


if __name__ == "__main__":
    main(sys.argv[1:])
