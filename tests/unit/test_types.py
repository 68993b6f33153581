"""treasurer_app/ type-checks with mypy at the levels pyproject.toml's [tool.mypy] sets (the domain strict,
the UI strict less the checks PySide6's stubs defeat), so CI fails on a type error. About 10 s from cold,
under a second when .mypy_cache/ is warm."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed (pip install -e '.[test]')")
def test_mypy_finds_no_type_errors() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-color-output", "--no-error-summary"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (
        "mypy found type errors (levels: pyproject.toml [tool.mypy]; run `.venv/bin/mypy` to see them again). "
        "Fix the annotation or the code; a `# type: ignore[code]` needs a reason comment after it.\n"
        + done.stdout
        + done.stderr
    )


IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<after>.*)$")


def test_every_type_ignore_names_its_code_and_says_why() -> None:
    """A `# type: ignore[code]` is followed by `  # why` on its line, or has a comment line just above it."""
    bare = []
    for path in sorted((REPO / "treasurer_app").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            found = IGNORE.search(line)
            if found is None:
                continue
            reason = found["after"].strip().startswith("#") or lines[number - 2].strip().startswith("#")
            if not found["codes"] or not reason:
                bare.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not bare, "type: ignore without [code] or without a reason comment:\n" + "\n".join(bare)
