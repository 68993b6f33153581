"""Smoke test of the frozen one-folder bundle dist/treasurer-app/ (built by installer/build.py).

Runs the bundled executables the way a user's PC would, from a folder outside
the repository, so every resource (font, sample union, Qt plugins) must come
from the bundle itself. Runs when TREASURER_APP_FROZEN_TEST=1 (then a missing
bundle is a failure) or when a bundle exists; skipped otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.frozen.programs import Finished, Program, output_files
from tests.frozen.programs import run as run_program

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("TREASURER_APP_BUNDLE", ROOT / "dist" / "treasurer-app"))
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
GUI_EXE = BUNDLE / f"treasurer-app{EXE_SUFFIX}"
CLI_EXE = BUNDLE / f"treasurer-app-cli{EXE_SUFFIX}"
INTERNAL = BUNDLE / "_internal"
BUNDLED_SAMPLE = INTERNAL / "resources" / "sample" / "sample_union.json"
REQUESTED = os.environ.get("TREASURER_APP_FROZEN_TEST") == "1"
QUIT_AFTER_SHOW_ENV = "TREASURER_APP_QUIT_AFTER_SHOW"
PDF_FONT = "NotoSansTCTT"  # PostScript name of the bundled font: NotoSansTCTT-Regular (-Bold)
COMMAND_TIMEOUT = 120  # seconds; a cold start of the bundle takes 1–3 s here
GUI_TIMEOUT = 60  # seconds for the window to open the user's project (≈ 2 s here)
# Seconds any one test may take (pytest-timeout): more than its programs' own limits add up to, so that a
# test stuck anywhere else (in the harness itself) fails by name instead of holding CI until its limit.
TEST_TIMEOUT = 360

pytestmark = [
    pytest.mark.skipif(
        not REQUESTED and not CLI_EXE.is_file(),
        reason="no frozen bundle: run installer/smoke_test.sh (or set TREASURER_APP_FROZEN_TEST=1)",
    ),
    pytest.mark.timeout(TEST_TIMEOUT),
]


@pytest.fixture(scope="module", autouse=True)
def bundle_exists() -> None:
    assert GUI_EXE.is_file() and CLI_EXE.is_file(), f"no bundle at {BUNDLE}: run python installer/build.py first"


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A working folder outside the repository."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def bundle_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test environment (conftest already points data folders and keyring away from the user's),
    plus a private HOME, and nothing that could let the bundle find the source tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_", "VIRTUAL_ENV"))}
    env["HOME"] = str(tmp_path / "home")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.update(extra)
    return env


def run(exe: Path, args: Sequence[str], cwd: Path, env: dict[str, str], pipes: bool = False) -> Finished:
    """Run one of the bundle's programs to its end (killed after COMMAND_TIMEOUT s), its output in files
    beside `cwd` (or, with `pipes`, read from pipes); the bundle writes UTF-8 on every OS."""
    files = None if pipes else output_files(cwd.parent / "output")
    return run_program([str(exe), *args], cwd, env, COMMAND_TIMEOUT, files)


def project_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


# ---------------------------------------------------------------- command line


def test_version_is_the_one_in_pyproject(outside: Path, tmp_path: Path) -> None:
    result = run(CLI_EXE, ["--version"], outside, bundle_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == project_version()


def test_baked_version_module_matches_pyproject() -> None:
    """The About box reads treasurer_app._version first; the build bakes it into the exe's archive."""
    readers = pytest.importorskip("PyInstaller.archive.readers")
    package = readers.CArchiveReader(str(GUI_EXE))
    pyz_name = next(name for name, entry in package.toc.items() if entry[-1] == "z")
    pyz = package.open_embedded_archive(pyz_name)
    assert "treasurer_app._version" in pyz.toc
    namespace: dict[str, object] = {}
    exec(pyz.extract("treasurer_app._version"), namespace)
    assert namespace["VERSION"] == project_version()
    assert namespace["COMPONENT_VERSIONS"]["pyside6"]  # type: ignore[index]


def test_check_of_the_bundled_sample_union_is_clean(outside: Path, tmp_path: Path) -> None:
    assert BUNDLED_SAMPLE.is_file()
    result = run(CLI_EXE, ["check", str(BUNDLED_SAMPLE)], outside, bundle_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 個錯誤" in result.stdout


def test_check_reports_unusable_input_with_exit_2(outside: Path, tmp_path: Path) -> None:
    broken = outside / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = run(CLI_EXE, ["check", str(broken)], outside, bundle_env(tmp_path))
    assert result.returncode == 2
    assert "無法使用" in result.stderr


def test_both_executables_run_in_utf8_mode() -> None:
    """The bootloader turns on Python's UTF-8 mode only for `X utf8` / `X utf8=1` (an unknown `X …` option
    such as `X utf8_mode=1` is silently ignored): without it, Windows writes redirected output in the ANSI
    code page. On Linux the C locale switches UTF-8 mode on anyway, so this is the check that bites there."""
    readers = pytest.importorskip("PyInstaller.archive.readers")
    for exe in (GUI_EXE, CLI_EXE):
        options = readers.CArchiveReader(str(exe)).options
        assert {"X utf8", "X utf8=1"} & set(options), f"{exe.name}: no UTF-8 mode option in {options}"


def legacy_locale_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose locale encoding cannot write Chinese: ASCII on Linux (LC_ALL=C; the PYTHON…
    variables that could switch UTF-8 mode on are already gone), the ANSI code page on Windows (cp1252 on
    an English Windows and under Wine)."""
    env = bundle_env(tmp_path)
    if sys.platform != "win32":
        env.update(LC_ALL="C", LANG="C", LC_CTYPE="C")
    return env


CHINESE_VERSION_LINE = "工會福利專款助手 "  # treasurer_app.APP_NAME, as `--version` prints it


def test_cli_output_through_a_pipe_is_utf8_chinese(outside: Path, tmp_path: Path) -> None:
    """`treasurer-app-cli check … | findstr 錯誤`: the bundle runs in Python's UTF-8 mode (the spec's
    `X utf8` option), so piped output is UTF-8 on every code page. Without it, Windows writes cp1252:
    `--version` dies with UnicodeEncodeError and `check` prints backslash escapes."""
    env = legacy_locale_env(tmp_path)
    version = run(CLI_EXE, ["--version"], outside, env, pipes=True)
    assert version.returncode == 0, version.stderr
    assert version.stdout_bytes.decode("utf-8").startswith(CHINESE_VERSION_LINE), version.stdout_bytes
    check = run(CLI_EXE, ["check", str(BUNDLED_SAMPLE)], outside, env, pipes=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 個錯誤" in check.stdout_bytes.decode("utf-8"), check.stdout_bytes


def test_cli_output_redirected_to_a_file_is_utf8_chinese(outside: Path, tmp_path: Path) -> None:
    """`treasurer-app-cli check … > 結果.txt`, errors included (`2> 錯誤.txt`): both files are UTF-8."""
    broken = outside / "broken.json"
    broken.write_text("{", encoding="utf-8")
    env = legacy_locale_env(tmp_path)
    out_file, err_file = outside / "結果.txt", outside / "錯誤.txt"
    for args, expected_exit in ((["check", str(BUNDLED_SAMPLE)], 0), (["check", str(broken)], 2)):
        result = run_program([str(CLI_EXE), *args], outside, env, COMMAND_TIMEOUT, (out_file, err_file))
        written, errors = result.stdout_bytes, result.stderr_bytes
        assert result.returncode == expected_exit, (written + errors).decode("utf-8", "replace")
        if expected_exit == 0:
            assert "0 個錯誤" in written.decode("utf-8"), written
        else:
            assert "無法使用" in errors.decode("utf-8"), errors


def sample_with_attachments(folder: Path) -> tuple[Path, set[bytes]]:
    """The bundled sample union with its two required attachment PDFs filled in (the sample ships none).

    Returns the interchange file and the attachments' bytes, to tell their copies from the PDFs the app prints.
    """
    from reportlab.pdfgen.canvas import Canvas

    union = json.loads(BUNDLED_SAMPLE.read_text(encoding="utf-8"))
    attachments: dict[str, str] = {}
    contents = set()
    for kind in ("meeting", "method"):  # treasurer_app.project.ATTACHMENT_KINDS
        pdf = folder / f"{kind}.pdf"
        canvas = Canvas(str(pdf))
        canvas.drawString(72, 720, f"attachment {kind}")
        canvas.save()
        attachments[kind] = str(pdf)
        contents.add(pdf.read_bytes())
    for year in union["years"].values():
        year["attachments"] = attachments
    path = folder / "union.json"
    path.write_text(json.dumps(union, ensure_ascii=False), encoding="utf-8")
    return path, contents


def test_export_writes_the_workbook(outside: Path, tmp_path: Path) -> None:
    union, _ = sample_with_attachments(outside)
    out = outside / "export"
    result = run(CLI_EXE, ["export", str(union), "--out", str(out)], outside, bundle_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    workbooks = list(out.rglob("*.xls"))
    assert workbooks, f"no .xls in {sorted(p.name for p in out.rglob('*'))}"
    assert all(w.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1") for w in workbooks)  # BIFF8 in OLE2


def test_export_pdf_embeds_the_bundled_font(outside: Path, tmp_path: Path) -> None:
    union, attachments = sample_with_attachments(outside)
    out = outside / "export"
    result = run(CLI_EXE, ["export", str(union), "--out", str(out), "--pdf"], outside, bundle_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(out.rglob("*.xls"))
    printed = sorted(p for p in out.rglob("*.pdf") if p.read_bytes() not in attachments)
    assert printed, f"no printed PDF in {sorted(p.name for p in out.rglob('*'))}"
    for pdf in printed:
        fonts = embedded_fonts(pdf)
        assert any(name.startswith(PDF_FONT) for name in fonts), f"{pdf.name}: bundled font not embedded ({fonts})"


def embedded_fonts(pdf: Path) -> set[str]:
    """Names of the fonts embedded in a PDF (subset prefixes removed): pdffonts when there, else the raw objects."""
    pdffonts = shutil.which("pdffonts")
    if pdffonts:
        listing = subprocess.run(
            [pdffonts, str(pdf)], capture_output=True, text=True, check=True, timeout=COMMAND_TIMEOUT
        ).stdout
        names = set()
        for line in listing.splitlines()[2:]:
            columns = line.split()
            # name type [encoding…] emb sub uni object ID: "emb" is the fifth column from the end.
            if len(columns) >= 7 and columns[-5] == "yes":
                names.add(columns[0].split("+", 1)[-1])
        return names
    data = pdf.read_bytes()
    if b"/FontFile2" not in data:
        return set()
    return {m.decode() for m in re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9-]+)", data)}


# ---------------------------------------------------------------- contents


def test_licence_texts_are_bundled() -> None:
    licences = INTERNAL / "licenses"
    for key, expected in (("noto-sans-tc", "OFL.txt"), ("pyside6", "LGPL-3.0.txt"), ("xlwt", "xlwt-LICENSE.txt")):
        assert (licences / key / expected).is_file(), f"{key}: {expected} missing"
    assert all(any(folder.iterdir()) for folder in licences.iterdir())


def test_unused_qt_modules_and_plugins_are_left_out() -> None:
    names = {p.name for p in INTERNAL.rglob("*")}
    for unused in ("QtQml", "QtQuick", "QtNetwork", "QtWebEngine", "Qt3D", "QtMultimedia", "QtCharts", "QtPdf"):
        found = sorted(n for n in names if unused in n)
        assert not found, f"{unused} should not be bundled: {found}"
    platforms = {p.name.split(".")[0].removeprefix("lib") for p in INTERNAL.rglob("platforms/*") if p.is_file()}
    assert platforms <= {"qwindows", "qoffscreen", "qminimal", "qxcb"}
    assert "qoffscreen" in platforms
    translations = {p.name for p in INTERNAL.rglob("translations/*.qm")}
    assert translations <= {"qt_zh_TW.qm", "qtbase_zh_TW.qm"}


# ---------------------------------------------------------------- the window


# Loaded by the frozen app through keyring's own config file (keyring-path, default-keyring): keys live
# in the process only, and every call is logged so the test can see the store ask for the project's key.
LOGGING_KEYRING = """
import json
import os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class Keyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.entries = {}

    def _log(self, call, service, username, found):
        with open(os.environ["SMOKE_KEYRING_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps({"call": call, "service": service, "found": found}) + "\\n")

    def get_password(self, service, username):
        password = self.entries.get((service, username))
        self._log("get", service, username, password is not None)
        return password

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password
        self._log("set", service, username, True)

    def delete_password(self, service, username):
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)
"""


def gui_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The window's environment: a fresh data folder, and an in-process keyring configured through
    keyring's config file (XDG_CONFIG_HOME on Linux, LOCALAPPDATA on Windows): never the OS keyring."""
    backend = tmp_path / "keyring_backend"
    backend.mkdir()
    (backend / "smoke_keyring.py").write_text(LOGGING_KEYRING, encoding="utf-8")
    config = f"[backend]\ndefault-keyring = smoke_keyring.Keyring\nkeyring-path = {backend}\n"
    for folder in (tmp_path / "config" / "python_keyring", tmp_path / "localappdata" / "Python Keyring"):
        folder.mkdir(parents=True)
        (folder / "keyringrc.cfg").write_text(config, encoding="utf-8")
    env = bundle_env(
        tmp_path,
        TREASURER_APP_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        LOCALAPPDATA=str(tmp_path / "localappdata"),
        SMOKE_KEYRING_LOG=str(tmp_path / "keyring.log"),
        **extra,
    )
    del env["PYTHON_KEYRING_BACKEND"]  # it would win over the config file
    return env


def keyring_calls(tmp_path: Path) -> list[dict[str, object]]:
    log = tmp_path / "keyring.log"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def start_gui(command: Sequence[str], cwd: Path, env: dict[str, str]) -> Program:
    """The window, in its own process group (xvfb-run's X server stops with it), its output in files."""
    return Program(command, cwd, env, output_files(cwd.parent / "output"))


def project_files(tmp_path: Path) -> list[Path]:
    from treasurer_app.store import PROJECT_SUFFIX

    return sorted((tmp_path / "data").glob(f"*{PROJECT_SUFFIX}"))


def wait_for_project(program: Program, tmp_path: Path, timeout: float) -> bool:
    """Whether the window opened (created) the user's project store while still running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and program.running():
        if project_files(tmp_path):
            time.sleep(1)  # and it stays up a moment longer: no crash right after opening
            return program.running()
        time.sleep(0.2)
    return False


def stop(program: Program) -> str:
    """Stop the program and everything it started; return what it wrote to stderr."""
    program.stop()
    return program.output()[1].decode("utf-8", "replace")


def assert_window_opened_the_project(program: Program, tmp_path: Path) -> None:
    opened = wait_for_project(program, tmp_path, GUI_TIMEOUT)
    stderr = stop(program)
    assert opened, f"no project store in the data folder (exit {program.process.returncode}):\n{stderr}"
    assert project_files(tmp_path)[0].read_bytes()[:16] == b"SQLite format 3\x00"
    # The new project's key went into the keyring through the bundle's keyring; a lookup after that found it.
    # (An empty project looks its key up only when a personal value is first read or written, so the window
    # opening it may ask none: the lookup itself is tested in tests/unit/test_privacy.py.)
    calls = keyring_calls(tmp_path)
    stored = [i for i, c in enumerate(calls) if c["call"] == "set" and c["service"] == "treasurer_app"]
    assert stored, f"the new project's key was never stored: {calls}"
    lookups = [c["found"] for c in calls[stored[0] :] if c["call"] == "get"]
    assert all(lookups), f"the store did not find its key again: {calls}"
    assert "Traceback" not in stderr, stderr
    assert "Could not load the Qt platform plugin" not in stderr, stderr


def test_window_starts_offscreen_and_opens_the_project(tmp_path: Path, outside: Path) -> None:
    """Window, deferred project opening, store, encryption and keyring all work from the bundle."""
    program = start_gui([str(GUI_EXE)], outside, gui_env(tmp_path, QT_QPA_PLATFORM="offscreen"))
    assert_window_opened_the_project(program, tmp_path)


@pytest.mark.skipif(sys.platform == "win32", reason="X11 is Linux's (Windows: installer/wine_smoke.sh's window stage)")
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
def test_window_starts_on_a_real_x_display(tmp_path: Path, outside: Path) -> None:
    """The xcb platform plugin and the X libraries it needs survived the trimming."""
    command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", str(GUI_EXE)]
    program = start_gui(command, outside, gui_env(tmp_path, QT_QPA_PLATFORM="xcb"))
    assert_window_opened_the_project(program, tmp_path)


def test_window_quits_by_itself_after_showing(tmp_path: Path, outside: Path) -> None:
    """With TREASURER_APP_QUIT_AFTER_SHOW=1 the window quits by itself, exit 0, once it is shown and has
    opened the user's project (an opening error goes to stderr with exit 1 instead of a modal box)."""
    from treasurer_app.ui import app as ui_app

    if getattr(ui_app, "QUIT_AFTER_SHOW_ENV", None) != QUIT_AFTER_SHOW_ENV:
        pytest.skip(f"treasurer_app/ui/app.py does not honour {QUIT_AFTER_SHOW_ENV} yet")
    env = gui_env(tmp_path, QT_QPA_PLATFORM="offscreen", **{QUIT_AFTER_SHOW_ENV: "1"})
    result = run_program([str(GUI_EXE)], outside, env, COMMAND_TIMEOUT, output_files(tmp_path / "output"))
    stderr = result.stderr
    if result.timed_out:
        pytest.fail(f"the window did not quit by itself within {COMMAND_TIMEOUT} s (an error dialog?):\n{stderr}")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert project_files(tmp_path), "the window quit before opening the user's project"
