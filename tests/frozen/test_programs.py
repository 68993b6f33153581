"""tests/frozen/programs.py: what a program under test starts dies with it, and no wait is without end.

Plain Python programs stand in for the bundle's (this runs wherever the frozen tests run: Linux, and the
Windows CPython under Wine, where the process group is a job object).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from tests.frozen.programs import Program, output_files, run

# A program that starts a helper holding its stdout and stderr (as Wine's desktop keeps the stderr of the
# program that started it), waits until the helper is up, then writes and exits (or, with "stay", sleeps).
PARENT = """
import subprocess, sys, time
from pathlib import Path
marker = Path(sys.argv[1])
subprocess.Popen([sys.executable, "-c", HELPER, str(marker)], stdout=sys.stdout, stderr=sys.stderr)
while not marker.exists():
    time.sleep(0.05)
print("parent done", flush=True)
if sys.argv[2] == "stay":
    time.sleep(600)
"""
HELPER = "import sys, time; from pathlib import Path; Path(sys.argv[1]).touch(); time.sleep(600)"
LIMIT = 120  # seconds for a Python to start and start another (a few here, longer under Wine on a busy machine)


def parent_command(marker: Path, mode: str) -> list[str]:
    return [sys.executable, "-c", f"HELPER = {HELPER!r}\n{PARENT}", str(marker), mode]


def test_what_a_program_started_dies_with_it_so_its_pipes_end(tmp_path: Path) -> None:
    """The parent exits by itself; the helper it left holding the pipes is killed with its group, so the
    output is read to its end (without the group kill the readers would give up, and say so)."""
    finished = run(parent_command(tmp_path / "helper-up", "exit"), tmp_path, dict(os.environ), LIMIT, files=None)
    assert not finished.timed_out and finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "parent done"
    assert "stayed open" not in finished.stderr


def test_a_running_program_is_stopped_and_its_output_read(tmp_path: Path) -> None:
    marker = tmp_path / "helper-up"
    program = Program(parent_command(marker, "stay"), tmp_path, dict(os.environ), output_files(tmp_path / "output"))
    deadline = time.monotonic() + LIMIT
    while not marker.exists() and time.monotonic() < deadline and program.running():
        time.sleep(0.1)
    assert marker.exists(), program.output()
    assert program.wait(0.5) is None  # still running: the stop below is what ends it
    program.stop()
    assert not program.running()
    assert program.output()[0].decode().strip() == "parent done"


def test_a_program_that_outlives_its_limit_is_reported_not_waited_for(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "import time; time.sleep(600)"]
    finished = run(command, tmp_path, dict(os.environ), 2, output_files(tmp_path))
    assert finished.timed_out and finished.returncode == -1
    assert "did not finish in time and was killed" in finished.stderr
