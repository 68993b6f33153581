"""The ledger's rooms (treasurer_app/ledger/) import alone and lean on nothing above them: each one,
imported first in a fresh program, loads neither the project, the rules, the export nor Qt (the
project imports the ledger, so a ledger room importing the project would close a circle)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ROOMS = sorted(f"treasurer_app.ledger.{path.stem}" for path in (REPO / "treasurer_app" / "ledger").glob("[!_]*.py"))
ABOVE = ("treasurer_app.project", "treasurer_app.rules", "treasurer_app.export", "treasurer_app.ui", "PySide6")


def test_the_rooms_are_found() -> None:
    assert {"codes", "sheet", "entries", "balances", "derivation", "quarters"} <= {m.rsplit(".", 1)[1] for m in ROOMS}


@pytest.mark.parametrize("module", ROOMS)
def test_a_room_imports_alone_and_nothing_above_it(module: str) -> None:
    program = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    above = [name for name in loaded if name.startswith(ABOVE)]
    assert not above, f"{module} loads {above}"
