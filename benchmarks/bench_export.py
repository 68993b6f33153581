"""``treasurer-app export-ledger --pdf`` of a quarter of 25,000 entries, and a quarter too large for .xls.

Prints ``name<TAB>value<TAB>unit<TAB>target`` lines (benchmarks/run.py reads them).
Run: ``python benchmarks/bench_export.py [--runs N] [--phases]``.

The quarter is generated (benchmarks/projects.py) into an interchange file; each run is a fresh
process running the command as the console script does, timed from launch to exit, its peak memory
(maximum resident set) read from the process itself. Targets: ≤ 4 s and ≤ 250 MiB (medians). The
refusal of a 70,000-entry quarter as .xls is timed in-process from the call to the refusal: it must
come before any checking or layout (the project's loading is not counted).

``--phases``: one more export, in a child that times each phase of the command as it runs (imports, loading
the file, slicing and checking the quarter, laying out the sheets, the .xls writer, the PDF), each with the
process's peak memory when it ends; printed as ``phase_…`` lines (no target).
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

# The same command, its phases timed where package.export_ledger calls them (each phase's end: its seconds and
# the peak rss so far). The writers are looked up when called, so wrapping them in their modules times them.
PHASES_CHILD = """
import resource, sys, time
started = time.perf_counter()
from treasurer_app import interchange
from treasurer_app.cli import main
from treasurer_app.export import package, pdf_package
from treasurer_app.export import xls
def peak():
    # This process's own high-water mark (ru_maxrss may start at the parent's, carried over the exec).
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def timed(module, name, phase):
    work = getattr(module, name)
    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return work(*args, **kwargs)
        finally:
            print(f"phase_{phase}\t{time.perf_counter() - start:.3f}\t{peak():.0f}", file=sys.stderr)
    setattr(module, name, run)
print(f"phase_imports\t{time.perf_counter() - started:.3f}\t{peak():.0f}", file=sys.stderr)
timed(interchange, "load", "load")
timed(package, "quarter_slice", "quarter_slice")
timed(package, "check_ledger", "check_ledger")
timed(package, "check_caps", "check_caps")
timed(package, "ledger_grids", "ledger_grids")
timed(package, "_refuse_what_does_not_fit", "sheet_size")
timed(xls, "write_xls", "xls")
timed(pdf_package, "write_ledger_pdf", "pdf")
status = main(sys.argv[1:])
print(f"phase_total\t{time.perf_counter() - started:.3f}\t{peak():.0f}", file=sys.stderr)
sys.exit(status)
"""


def one_export(project: Path, out: Path, env: dict[str, str], child: str = CHILD) -> tuple[float, float]:
    """Seconds and peak MiB of one fresh ``export-ledger --pdf``."""
    command = [
        sys.executable,
        "-c",
        child,
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
    if child is PHASES_CHILD:
        for line in done.stderr.splitlines():
            if line.startswith("phase_"):
                name, phase_seconds, mib = line.split("\t")
                print(f"{name}\t{phase_seconds}\ts\t-\t(peak {mib} MiB)")
        return seconds, 0.0
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
    parser.add_argument("--phases", action="store_true", help="one more export, each phase timed")
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
        if args.phases:
            one_export(project, folder / "phases", env, PHASES_CHILD)
        refused = refusal_ms(folder)
    seconds = statistics.median(r[0] for r in runs)
    mib = statistics.median(r[1] for r in runs)
    print(f"export_ledger_pdf_25k_quarter\t{seconds:.2f}\ts\t{TARGET_SECONDS}")
    print(f"export_ledger_pdf_25k_quarter_peak\t{mib:.0f}\tMiB\t{TARGET_MIB}")
    print(f"export_ledger_pdf_25k_quarter_first_run\t{first[0]:.2f}\ts\t-")
    print(f"export_ledger_xls_70k_quarter_refused_after\t{refused:.0f}\tms\t-")


if __name__ == "__main__":
    main(sys.argv[1:])
