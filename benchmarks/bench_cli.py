"""``treasurer-app check`` on the guide's worked example, as a fresh process, against ``python -c pass``.

Prints ``name<TAB>value<TAB>unit<TAB>target`` lines (benchmarks/run.py reads them).
Run: ``python benchmarks/bench_cli.py [--runs N]``.

The two commands take turns (paired runs: a busy moment of the shared machine weighs on both alike)
and the target is the ratio of their medians: check ≤ 3× an empty interpreter. Compiled modules are
kept in a folder of the benchmark's own, as an installed copy has them; the very first run, which
compiles them, is reported as the cold figure. The warm figure is check_project alone, in-process.
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

RUNS = 11
TARGET_RATIO = 3.0
EXAMPLE = ROOT / "tests" / "fixtures" / "guide_example.json"
# What the ``treasurer-app`` console script runs.
CHECK = [
    sys.executable,
    "-c",
    "import sys; from treasurer_app.cli import main; sys.exit(main())",
    "check",
    str(EXAMPLE),
]
PASS = [sys.executable, "-c", "pass"]


def run_ms(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode not in (0, 1):  # 1: the example has findings, as it should
        raise SystemExit(f"{command[-2:]} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def warm_check_ms(runs: int) -> float:
    from treasurer_app.cli import load_project
    from treasurer_app.rules import check_project

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        project = load_project(str(EXAMPLE))
        check_project(project, max(project.years))
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[1:])


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPYCACHEPREFIX": cache, "PYTHONPATH": str(ROOT)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cold = run_ms(CHECK, env)  # compiles every module, as the first run after installing
        run_ms(PASS, env)
        check, bare = [], []
        for _ in range(args.runs):
            bare.append(run_ms(PASS, env))
            check.append(run_ms(CHECK, env))
    check_ms, bare_ms = statistics.median(check), statistics.median(bare)
    print(f"cli_check_guide_example\t{check_ms:.0f}\tms\t-")
    print(f"cli_python_c_pass\t{bare_ms:.0f}\tms\t-")
    print(f"cli_check_vs_python_c_pass\t{check_ms / bare_ms:.2f}\tx\t{TARGET_RATIO}")
    print(f"cli_check_guide_example_first_run\t{cold:.0f}\tms\t-")
    print(f"cli_check_in_process_warm\t{warm_check_ms(args.runs):.1f}\tms\t-")


if __name__ == "__main__":
    main(sys.argv[1:])
