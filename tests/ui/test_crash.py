"""An exception nothing caught, in the windowed program (which has no console): while starting, and once the
window runs. Each is written to a log file in the user's data folder and said in a Chinese message box with
the details under 詳細資料 — before, a failed start ended with nothing on screen and nothing kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from treasurer_app.ui import crash

AS_WINDOWED = """
import sys
from PySide6.QtWidgets import QMessageBox

def shown(box):
    details = box.detailedText()
    print("BOX", box.windowTitle(), "|", box.text().replace("\\n", " / "), "|", details.splitlines()[-1], flush=True)
    return 0

QMessageBox.exec = shown  # the box is shown (and closed at once)
sys.stderr = None  # the windowed program has no console
{setup}
from treasurer_app.cli import main
sys.exit(main([]))
"""


def said(text: str) -> str:
    return text.replace("\n", " / ")  # as the script above prints the box's text


def run_windowed(tmp_path: Path, setup: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TREASURER_APP_DATA_DIR": str(tmp_path / "data")}
    code = AS_WINDOWED.format(setup=setup)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    return result, tmp_path / "data" / "logs"


def test_a_failure_while_starting_is_shown_and_logged(tmp_path: Path) -> None:
    # The window's modules cannot be imported (a damaged installation, say): the earliest failure there is.
    result, logs = run_windowed(tmp_path, 'sys.modules["treasurer_app.ui.main_window"] = None')
    assert result.returncode == 1
    assert result.stderr == ""  # nowhere to print it
    [log] = logs.glob("error-*.log")
    assert result.stdout.startswith(
        f"BOX 工會福利專款助手 | {said(crash.STARTING_TEXT)} /  / 錯誤紀錄已存到： / {log} / "
    )
    assert result.stdout.strip().endswith(
        "| ModuleNotFoundError: import of treasurer_app.ui.main_window halted; None in sys.modules"
    )
    assert "ModuleNotFoundError" in log.read_text(encoding="utf-8")


def test_a_failure_once_the_window_runs_is_shown_and_the_program_goes_on(tmp_path: Path) -> None:
    setup = """
from PySide6.QtCore import QTimer
from treasurer_app.ui import app as ui_app
real_start = ui_app.start

def boom():
    raise RuntimeError("a handler failed")

def start(*args, **kwargs):
    app, window = real_start(*args, **kwargs)
    QTimer.singleShot(0, boom)
    QTimer.singleShot(300, lambda: print("STILL RUNNING", flush=True) or app.quit())
    return app, window

ui_app.start = start
"""
    result, logs = run_windowed(tmp_path, setup)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"BOX 工會福利專款助手 | {said(crash.RUNNING_TEXT)} /  / 錯誤紀錄已存到：")
    assert lines[0].endswith("| RuntimeError: a handler failed")
    assert lines[-1] == "STILL RUNNING"
    [log] = logs.glob("error-*.log")
    assert "RuntimeError: a handler failed" in log.read_text(encoding="utf-8")


def test_the_log_goes_to_the_temporary_folder_when_the_data_folder_cannot_take_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(crash.DATA_DIR_ENV, str(blocked))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    log = crash.write_log("Traceback: something\n")
    assert log is not None and log.parent == tmp_path / "temp" / "treasurer_app" / "logs"
    assert "Traceback: something" in log.read_text(encoding="utf-8")


def test_the_data_folder_is_the_stores() -> None:
    from treasurer_app.store import files

    assert crash.DATA_DIR_ENV == files.DATA_DIR_ENV


def test_a_failure_that_recurs_is_shown_once_and_logged_in_full_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handler failing in every repaint must not bring its box back for ever, nor grow the log by its
    traceback each time: it is written once, then counted at its 2nd, 4th, 8th… time."""
    monkeypatch.setenv(crash.DATA_DIR_ENV, str(tmp_path / "data"))
    shown: list[str] = []
    monkeypatch.setattr(crash, "show", lambda text, details: shown.append(text))
    monkeypatch.setattr(crash, "_shown", set())
    monkeypatch.setattr(crash, "_seen", {})
    monkeypatch.setattr(sys, "stderr", None)
    for _ in range(100):
        try:
            raise ValueError("a repaint failed")
        except ValueError as failure:
            crash.handle(ValueError, failure, failure.__traceback__)
    assert len(shown) == 1
    [log] = (tmp_path / "data" / "logs").glob("error-*.log")
    text = log.read_text(encoding="utf-8")
    assert text.count("Traceback (most recent call last)") == 1
    counted = [line for line in text.splitlines() if line.startswith("同一個錯誤第")]
    assert counted == [f"同一個錯誤第 {n} 次：ValueError: a repaint failed" for n in (2, 4, 8, 16, 32, 64)]


def test_the_log_folder_is_in_the_stores_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """log_folder copies platformdirs' place by hand (to start without importing it): the same folder."""
    from treasurer_app.store import files

    monkeypatch.delenv(crash.DATA_DIR_ENV, raising=False)
    assert crash.log_folder().parent == files.default_data_dir()
