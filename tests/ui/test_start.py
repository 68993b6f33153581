"""Starting the app: the window comes first, the project right after; a file held by another copy is said so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from treasurer_app import store
from treasurer_app.ui.app import create_window_then_open


def test_window_first_then_the_project(themed_app, qtbot, tmp_path: Path) -> None:
    window = create_window_then_open(tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    assert not window.opened
    assert window.statusBar().currentMessage() == "正在開啟工會資料…"
    qtbot.waitUntil(lambda: window.opened, timeout=5000)
    assert window.statusBar().currentMessage() == "已開啟工會資料"
    assert (tmp_path / "data" / "union.tap").exists()
    assert "歡迎使用工會福利專款助手" in window.dashboard.texts()


@pytest.mark.parametrize("choice", ["read_only", None])
def test_a_file_in_use_elsewhere_opens_read_only_or_not_at_all(
    themed_app, qtbot, tmp_path: Path, monkeypatch, choice
) -> None:
    held = store.Store.create(tmp_path / "data" / "union.tap")  # another copy of the app has it open
    try:
        asked: list[str] = []
        failures: list[str] = []
        window = create_window_then_open(tmp_path / "data")
        qtbot.addWidget(window)
        monkeypatch.setattr(window.files, "ask_how_to_open", lambda error: asked.append(str(error)) or choice)
        monkeypatch.setattr(window.files, "show_open_failure", lambda message, details="": failures.append(message))
        window.show()
        qtbot.waitUntil(lambda: bool(asked), timeout=5000)
        assert "使用中" in asked[0]
        if choice == "read_only":
            qtbot.waitUntil(lambda: window.opened, timeout=5000)
            assert window.read_only
            assert window.windowTitle().endswith("唯讀")
            window.create_union(115)  # nothing is changed in a file opened read-only, and it says so
            assert window.document.project.years == {}
            assert window.save_label.text().startswith("唯讀")
        else:
            qtbot.waitUntil(lambda: bool(failures), timeout=5000)
            assert not window.opened
            assert "使用中" in failures[0] and str(tmp_path) not in failures[0]  # plain words, no path
    finally:
        held.close()


FIRST_PAINT = """
import sys
from treasurer_app.ui.app import start
app, window = start([])
app.processEvents()
import PySide6.QtCore
assert window._painted and not window.opened
loaded = [name for name in sys.modules if name.split(".")[0] in {roots!r} or name in {modules!r}]
print(",".join(sorted(loaded)) + "|" + str("Qt" in PySide6.QtCore.__dict__), flush=True)
import os
os._exit(0)
"""
# Not needed to paint the window: each is loaded after the first frame is on screen.
DEFERRED_ROOTS = ("keyring", "cryptography", "sqlite3", "openpyxl", "xlrd", "xlwt", "reportlab", "platformdirs")
DEFERRED_MODULES = (
    "treasurer_app.store",
    "treasurer_app.privacy",
    "treasurer_app.rules",
    "treasurer_app.forms",
    "treasurer_app.fields",
    "treasurer_app.project",
    "treasurer_app.interchange",
    "dataclasses",
)


def test_nothing_but_the_shell_is_loaded_before_the_first_paint(tmp_path: Path) -> None:
    code = FIRST_PAINT.format(roots=DEFERRED_ROOTS, modules=DEFERRED_MODULES)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded, qt_namespace = result.stdout.strip().split("|")
    assert loaded == ""
    assert qt_namespace == "False"  # PySide builds every enum of the Qt namespace on first use (≈ 25 ms)


OPENED = """
import builtins, sys, time
from treasurer_app.ui.app import start
app, window = start([])
while not window.opened:
    app.processEvents()
import PySide6.QtCore
from treasurer_app.ui.panels import ROLE_TARGET
opened = ("Qt" in PySide6.QtCore.__dict__, window._findings_dock is not None)
deadline = time.monotonic() + 20
while window._findings_dock is None and time.monotonic() < deadline:  # the next frames, never asked for
    app.processEvents()
from PySide6.QtCore import Qt
headings = [window.navigator.item(i) for i in range(window.navigator.count())]
headings = [item for item in headings if item.data(ROLE_TARGET) is None]
inert = [item.flags() == Qt.ItemFlag.NoItemFlags for item in headings]
hooked = builtins.__import__.__name__ == "__feature_import__"
print(opened, window.findings_dock.isVisible(), len(headings), inert, hooked, flush=True)
import os
os._exit(0)
"""


def test_the_project_opens_without_the_qt_namespace_and_the_findings_dock_follows(tmp_path: Path) -> None:
    """The open project's first frame does without PySide's Qt namespace (≈ 20 ms of enums): the findings dock
    and the inert programme headings, which need it, come right after that frame on their own. And PySide's
    __feature__ import hook, which read the source of every module imported after it, is out of the way."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TREASURER_APP_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", OPENED], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False, False) True 2 [True, True] False"


def test_the_shell_names_the_steps_as_the_forms_do() -> None:
    from treasurer_app.forms import LEDGER_FORM
    from treasurer_app.ui import step_names, steps

    assert step_names.LEDGER_STEP == LEDGER_FORM
    assert steps.STEPS is step_names.STEPS


def run_quitting_app(tmp_path: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """`treasurer-app` with no argument, as the frozen smoke test runs it, told to quit once shown."""
    from treasurer_app.ui.app import QUIT_AFTER_SHOW_ENV

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TREASURER_APP_DATA_DIR": str(data_dir),
        QUIT_AFTER_SHOW_ENV: "1",
    }
    code = "import sys\nfrom treasurer_app.cli import main\nsys.exit(main([]))"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path
    )


def test_quit_after_show_exits_0_once_the_project_is_open(tmp_path: Path) -> None:
    result = run_quitting_app(tmp_path, tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "union.tap").is_file()
    assert "Traceback" not in result.stderr


def test_quit_after_show_reports_an_opening_failure_on_stderr_with_exit_1(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    result = run_quitting_app(tmp_path, tmp_path / "not-a-folder" / "data")
    assert result.returncode == 1
    assert "無法開啟工會資料：" in result.stderr
    assert "Traceback" not in result.stderr
