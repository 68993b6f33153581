"""benchmarks/run.py: reading the benchmarks' lines and the one table (no timing is asserted)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

RUNNER = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_runner", RUNNER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_runner"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_measure_lines_are_read_and_the_rest_ignored(runner: ModuleType) -> None:
    stdout = "warming up\ncheck_a\t12.5\tms\t500\nsize\t3.1\tMB\nratio\t1.7\tx\t1.5\nbroken\tfast\tms\t1\n\n"
    measures = runner.parse_measures("bench_x", stdout)
    assert [(m.name, m.median, m.unit, m.target, m.of_target, m.verdict) for m in measures] == [
        ("check_a", "12.5", "ms", "500", "0.03", "✓"),
        ("size", "3.1", "MB", "-", "", ""),
        ("ratio", "1.7", "x", "1.5", "1.13", "✗"),
    ]


def test_every_benchmark_runs_and_lands_in_one_table(runner: ModuleType, tmp_path: Path) -> None:
    good = tmp_path / "bench_good.py"
    good.write_text("print('fast\\t2\\tms\\t10')\nprint('slow\\t20\\tms\\t10')\n", encoding="utf-8")
    bad = tmp_path / "bench_bad.py"
    bad.write_text("import sys\nprint('half\\t1\\tms\\t5')\nsys.exit('資料錯誤')\n", encoding="utf-8")
    silent = tmp_path / "bench_silent.py"
    silent.write_text("print('nothing to measure')\n", encoding="utf-8")
    outcomes = [runner.run_bench(path) for path in (good, bad, silent)]
    assert [o.failure for o in outcomes] == [None, "exit 1: 資料錯誤", "printed no measures"]
    lines = runner.render(outcomes).splitlines()
    assert lines[0].split() == ["benchmark", "measure", "median", "unit", "target", "÷target", "verdict"]
    assert [line.split() for line in lines[2:]] == [
        ["bench_good", "fast", "2", "ms", "10", "0.20", "✓"],
        ["bench_good", "slow", "20", "ms", "10", "2.00", "✗"],
        ["bench_bad", "half", "1", "ms", "5", "0.20", "✓"],
        ["bench_bad", "FAILED", "exit", "1:", "資料錯誤"],
        ["bench_silent", "FAILED", "printed", "no", "measures"],
    ]


def test_a_benchmark_that_hangs_is_reported(runner: ModuleType, tmp_path: Path) -> None:
    hang = tmp_path / "bench_hang.py"
    hang.write_text("import time\ntime.sleep(30)\n", encoding="utf-8")
    assert runner.run_bench(hang, timeout=0.5).failure == "timed out after 0.5 s"


def test_the_runner_finds_every_bench_file(runner: ModuleType) -> None:
    found = [p.name for p in runner.discover([])]
    assert "bench_check.py" in found
    assert found == sorted(found)
    assert all(name.startswith("bench_") and name.endswith(".py") for name in found)
    assert [p.name for p in runner.discover(["check"])] == ["bench_check.py"]
    with pytest.raises(SystemExit, match="no benchmark nope"):
        runner.discover(["nope"])
