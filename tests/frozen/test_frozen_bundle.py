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
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest

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
GUI_GRACE = 8  # seconds the window must stay up when it has no way to quit by itself
TEXT = {"encoding": "utf-8", "errors": "replace"}  # the bundle runs in Python's UTF-8 mode on every OS

pytestmark = pytest.mark.skipif(
    not REQUESTED and not CLI_EXE.is_file(),
    reason="no frozen bundle: run installer/smoke_test.sh (or set TREASURER_APP_FROZEN_TEST=1)",
)


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


def run(exe: Path, args: Sequence[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args], cwd=cwd, env=env, capture_output=True, timeout=COMMAND_TIMEOUT, check=False, **TEXT
    )


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
        listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True).stdout
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


def start_gui(tmp_path: Path, outside: Path, **extra: str) -> subprocess.Popen[str]:
    env = bundle_env(tmp_path, **extra)
    return subprocess.Popen(
        [str(GUI_EXE)], cwd=outside, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **TEXT
    )


def stays_up(process: subprocess.Popen[str], seconds: float, group: bool = False) -> tuple[bool, str]:
    """Whether the process is still running after `seconds`; its stderr either way (it is stopped).

    `group`: the process leads a session (xvfb-run and its X server): stop them all.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    alive = process.poll() is None
    if alive and group:
        os.killpg(process.pid, signal.SIGTERM)
    elif alive:
        process.terminate()
    try:
        _, stderr = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
    return alive, stderr


def test_window_starts_offscreen(tmp_path: Path, outside: Path) -> None:
    process = start_gui(tmp_path, outside, QT_QPA_PLATFORM="offscreen")
    alive, stderr = stays_up(process, GUI_GRACE)
    assert alive, f"the window exited with {process.returncode}:\n{stderr}"
    assert "Traceback" not in stderr, stderr
    assert "Could not load the Qt platform plugin" not in stderr, stderr


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
def test_window_starts_on_a_real_x_display(tmp_path: Path, outside: Path) -> None:
    """The xcb platform plugin and the X libraries it needs survived the trimming."""
    env = bundle_env(tmp_path, QT_QPA_PLATFORM="xcb")
    process = subprocess.Popen(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", str(GUI_EXE)],
        cwd=outside,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # so the X server and the app stop together
        **TEXT,
    )
    alive, stderr = stays_up(process, GUI_GRACE + 4, group=True)
    assert alive, f"the window exited with {process.returncode}:\n{stderr}"
    assert "Traceback" not in stderr, stderr
    assert "Could not load the Qt platform plugin" not in stderr, stderr


def test_window_quits_by_itself_after_showing(tmp_path: Path, outside: Path) -> None:
    """With TREASURER_APP_QUIT_AFTER_SHOW=1 the window quits right after it is first shown, exit 0."""
    from treasurer_app.ui import app as ui_app

    if getattr(ui_app, "QUIT_AFTER_SHOW_ENV", None) != QUIT_AFTER_SHOW_ENV:
        pytest.skip(f"treasurer_app/ui/app.py does not honour {QUIT_AFTER_SHOW_ENV} yet")
    process = start_gui(tmp_path, outside, QT_QPA_PLATFORM="offscreen", **{QUIT_AFTER_SHOW_ENV: "1"})
    try:
        _, stderr = process.communicate(timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        pytest.fail(f"the window did not quit by itself within {COMMAND_TIMEOUT} s (an error dialog?):\n{stderr}")
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
