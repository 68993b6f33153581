"""A long session does not abort.

PySide6-Essentials 6.12.0 hands None/True/False back to Python 3.11 without a reference, and after some
thousand Qt calls the interpreter aborts ("deallocating None"). pyproject.toml pins 6.11.3, which does not;
this guards the pin. Run in a child process, since the failure is an abort, not an exception.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALLS = 300_000  # far more than None's own count in a fresh interpreter (a few thousand)

SESSION = f"""
import treasurer_app.ui
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

class Source(QObject):
    changed = Signal(str)

app = QApplication([])
label, source = QLabel(), Source()
source.changed.connect(label.setText)
for _ in range({CALLS}):
    label.setText("1,234")  # a void call: None comes back unowned
    source.changed.emit("5")  # emit: True comes back unowned
    label.parent()  # no parent: None again
print("still running")
"""


def test_many_void_calls_and_emits_do_not_abort_the_interpreter() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SESSION], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "still running"
