"""Runs every ``benchmarks/bench_*.py`` in its own process and prints one table of all their measures.

Each benchmark prints lines ``name<TAB>median<TAB>unit<TAB>target`` on stdout (the target may be
``-`` or missing when there is none). Run: ``python benchmarks/run.py [bench_check.py …]``.

Every measure with a target is printed with its ratio to the target (``median ÷ target``; for
the targets that are themselves ratios — unit ``x``, e.g. 20 years against an empty project — the
median is that ratio) and ✓ when it is within the target, ✗ when over. Timings on a shared machine
are noisy: the ratio targets come from paired runs (both sides measured in turn), the others are
absolute and move with the machine's load.

Exit status: 0 when every benchmark ran, 1 when one failed. A measure over its target does not
fail the run: the table informs, and the test suite never asserts on time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TIMEOUT_SECONDS = 1800


@dataclass(frozen=True)
class Measure:
    bench: str
    name: str
    median: str
    unit: str
    target: str

    @property
    def verdict(self) -> str:
        try:
            over = float(self.median) > float(self.target)
        except ValueError:
            return ""
        return "✗" if over else "✓"

    @property
    def of_target(self) -> str:
        """median ÷ target, e.g. 0.62 (within) or 1.40 (over); empty without a target."""
        try:
            target = float(self.target)
            return f"{float(self.median) / target:.2f}" if target else ""
        except ValueError:
            return ""


@dataclass(frozen=True)
class Outcome:
    bench: str
    measures: list[Measure]
    seconds: float
    failure: str | None  # why the benchmark produced no trustworthy numbers


def parse_measures(bench: str, stdout: str) -> list[Measure]:
    """The ``name<TAB>median<TAB>unit[<TAB>target]`` lines; anything else a benchmark prints is not a measure."""
    measures = []
    for line in stdout.splitlines():
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 3 or not fields[0].strip():
            continue
        name, median, unit = (f.strip() for f in fields[:3])
        target = fields[3].strip() if len(fields) > 3 and fields[3].strip() else "-"
        try:
            float(median)
        except ValueError:
            continue
        measures.append(Measure(bench, name, median, unit, target))
    return measures


def run_bench(path: Path, timeout: float = TIMEOUT_SECONDS) -> Outcome:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(path)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return Outcome(path.stem, [], time.perf_counter() - start, f"timed out after {timeout:g} s")
    seconds = time.perf_counter() - start
    measures = parse_measures(path.stem, done.stdout)
    failure = None
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        failure = f"exit {done.returncode}: {tail}" if tail else f"exit {done.returncode}"
    elif not measures:
        failure = "printed no measures"
    return Outcome(path.stem, measures, seconds, failure)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    space = " " * (size - width(text))
    return space + text if right else text + space


def render(outcomes: Sequence[Outcome]) -> str:
    headers = ("benchmark", "measure", "median", "unit", "target", "÷target", "verdict")
    rows: list[tuple[str, ...]] = []
    for outcome in outcomes:
        rows += [(m.bench, m.name, m.median, m.unit, m.target, m.of_target, m.verdict) for m in outcome.measures]
        if outcome.failure:
            rows.append((outcome.bench, "FAILED", "", "", "", "", outcome.failure))
    sizes = [max(width(r[i]) for r in (headers, *rows)) for i in range(len(headers))]
    numeric = {2, 4, 5}

    def line(row: Sequence[str]) -> str:
        return "  ".join(pad(c, sizes[i], right=i in numeric) for i, c in enumerate(row)).rstrip()

    return "\n".join([line(headers), line(["-" * s for s in sizes]), *(line(r) for r in rows)])


def discover(names: Sequence[str]) -> list[Path]:
    if not names:
        return sorted(HERE.glob("bench_*.py"))
    paths = []
    for name in names:
        path = HERE / Path(name).name
        if not path.exists():
            path = HERE / f"bench_{name}.py"
        if not path.exists():
            raise SystemExit(f"no benchmark {name} in {HERE}")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmarks", nargs="*", help="bench_x.py files (or x) to run; all when none")
    args = parser.parse_args(argv)
    outcomes = []
    for path in discover(args.benchmarks):
        print(f"running {path.name} …", file=sys.stderr, flush=True)
        outcome = run_bench(path)
        print(f"  {outcome.seconds:.1f} s{'  ' + outcome.failure if outcome.failure else ''}", file=sys.stderr)
        outcomes.append(outcome)
    print(render(outcomes))
    measures = [m for o in outcomes for m in o.measures if m.verdict]
    over = [m.name for m in measures if m.verdict == "✗"]
    summary = f"{len(measures) - len(over)} of {len(measures)} targets met"
    print(f"\n{summary}; over: {', '.join(over)}" if over else f"\n{summary}")
    return 1 if any(o.failure for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
