"""The build's helpers (installer/bundle_support.py, installer/qt_trim.py): no bundle needed, runs everywhere."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"installer_{name}", ROOT / "installer" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_support = load("bundle_support")
qt_trim = load("qt_trim")


# ---------------------------------------------------------------- version


@pytest.mark.parametrize(
    ("version", "expected"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("1.2.3rc1", (1, 2, 3, 0)), ("2.0.1+local.5", (2, 0, 1, 0))],
)
def test_windows_version_numbers(version: str, expected: tuple[int, int, int, int]) -> None:
    assert bundle_support.windows_version(version) == expected


def test_windows_version_refuses_numbers_a_version_resource_cannot_hold() -> None:
    with pytest.raises(ValueError, match="65535"):
        bundle_support.windows_version("1.70000.0")


def test_version_info_is_what_pyinstaller_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compat = pytest.importorskip("PyInstaller.compat")
    # PyInstaller's version-resource module imports pefile and win32api, which only writing into an exe needs.
    monkeypatch.setitem(sys.modules, "pefile", sys.modules.get("pefile") or types.ModuleType("pefile"))
    monkeypatch.setattr(compat, "win32api", getattr(compat, "win32api", None), raising=False)
    from PyInstaller.utils.win32.versioninfo import load_version_info_from_text_file

    written = bundle_support.write_version_infos(tmp_path, "1.4.2")
    assert set(written) == {"treasurer-app", "treasurer-app-cli"}
    info = load_version_info_from_text_file(str(written["treasurer-app"]))
    assert info.ffi.fileVersionMS == (1 << 16) | 4
    assert info.ffi.fileVersionLS == 2 << 16
    strings = {s.name: s.val for s in info.kids[0].kids[0].kids}
    assert strings["FileVersion"] == "1.4.2"
    assert strings["ProductName"] == "工會福利專款助手"
    assert strings["OriginalFilename"] == "treasurer-app.exe"
    cli = load_version_info_from_text_file(str(written["treasurer-app-cli"]))
    assert {s.name: s.val for s in cli.kids[0].kids[0].kids}["OriginalFilename"] == "treasurer-app-cli.exe"


def test_version_module_holds_the_version_and_component_versions(tmp_path: Path) -> None:
    path = bundle_support.write_version_module(tmp_path, "3.2.1")
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    assert namespace["VERSION"] == "3.2.1"
    versions = namespace["COMPONENT_VERSIONS"]
    assert isinstance(versions, dict)
    assert versions["pyside6"] == importlib.metadata.version("PySide6-Essentials")


def test_project_version_is_read_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "treasurer-app"\nversion = "9.8.7"\n', encoding="utf-8")
    assert bundle_support.project_version(tmp_path) == "9.8.7"


# ---------------------------------------------------------------- licences


def test_every_runtime_dependency_is_listed_in_about() -> None:
    """Adding a dependency without its licence entry breaks this test (and the build)."""
    assert bundle_support.unlisted_distributions() == []


def test_runtime_dependencies_follow_requirements_but_not_extras() -> None:
    found = bundle_support.runtime_distributions()
    assert {"pyside6-essentials", "shiboken6", "openpyxl", "et-xmlfile", "reportlab", "xlwt", "cryptography"} <= found
    assert not found & {"pytest", "hypothesis", "pyinstaller", "ruff"}


def test_licence_datas_put_each_components_texts_in_its_own_folder() -> None:
    datas = bundle_support.licence_datas()
    assert all(Path(source).is_file() for source, _ in datas)
    folders = {dest for _, dest in datas}
    assert {"licenses/noto-sans-tc", "licenses/pyside6", "licenses/xlwt", "licenses/python"} <= folders
    assert all(dest.startswith("licenses/") for dest in folders)


# ---------------------------------------------------------------- Qt trimming


@pytest.mark.parametrize(
    "path",
    [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        r"C:\venv\Lib\site-packages\PySide6\plugins\platforms\qwindows.dll",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/translations/qtbase_zh_TW.qm",
        "PySide6/Qt6Gui.dll",
        "resources/fonts/NotoSansTC-Regular.ttf",
    ],
)
def test_what_the_window_needs_is_kept(path: str) -> None:
    assert qt_trim.keep(path)


@pytest.mark.parametrize(
    "path",
    [
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        r"C:\venv\Lib\site-packages\PySide6\plugins\platforms\qdirect2d.dll",
        "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
        "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
        "PySide6/Qt/translations/qtbase_de.qm",
        r"C:\venv\Lib\site-packages\PySide6\opengl32sw.dll",
    ],
)
def test_what_the_window_cannot_use_is_dropped(path: str) -> None:
    assert not qt_trim.keep(path)


def test_toc_entries_and_hook_tuples_are_both_judged() -> None:
    assert not qt_trim.keep_entry(("PySide6/Qt/plugins/platforms/libqvnc.so", "/venv/x/libqvnc.so", "BINARY"))
    assert not qt_trim.keep_entry(("/venv/PySide6/Qt/plugins/platforms/libqvnc.so", "PySide6/Qt/plugins/platforms"))
    assert qt_trim.keep_entry(("/venv/PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms"))


def test_install_filters_what_the_qt_hooks_collect(monkeypatch: pytest.MonkeyPatch) -> None:
    qt = pytest.importorskip("PyInstaller.utils.hooks.qt")
    collected = (
        ["PySide6.QtCore"],
        [("/v/PySide6/Qt/plugins/platforms/libqxcb.so", "p"), ("/v/PySide6/Qt/plugins/platforms/libqvnc.so", "p")],
        [("/v/PySide6/Qt/translations/qtbase_zh_TW.qm", "t"), ("/v/PySide6/Qt/translations/qtbase_fr.qm", "t")],
    )
    monkeypatch.setattr(qt.QtLibraryInfo, "collect_module", lambda self, name: collected)
    qt_trim.install()
    qt_trim.install()  # a second call (two specs in one process) must not wrap twice
    hiddenimports, binaries, datas = qt.QtLibraryInfo.collect_module(object(), "PySide6.QtGui")
    assert hiddenimports == ["PySide6.QtCore"]
    assert binaries == [("/v/PySide6/Qt/plugins/platforms/libqxcb.so", "p")]
    assert datas == [("/v/PySide6/Qt/translations/qtbase_zh_TW.qm", "t")]


# ---------------------------------------------------------------- installer/build.py


build = load("build")


def test_installer_gets_the_version_and_the_stores_project_suffix() -> None:
    from treasurer_app.store import PROJECT_SUFFIX

    defines = build.iscc_defines("1.2.3rc1")
    assert defines["AppVersion"] == "1.2.3rc1"
    assert defines["AppVersionNumeric"] == "1.2.3.0"  # VersionInfoVersion takes numbers only
    assert defines["ProjectExt"] == PROJECT_SUFFIX
    assert Path(defines["BundleDir"]) == ROOT / "dist" / "treasurer-app"


def test_newest_inno_setup_is_found_when_iscc_is_not_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for major in ("5", "6"):
        (tmp_path / f"Inno Setup {major}").mkdir()
        (tmp_path / f"Inno Setup {major}" / "ISCC.exe").write_bytes(b"MZ")
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    monkeypatch.setattr(build, "ISCC_FOLDERS", (tmp_path / "missing", tmp_path))
    assert build.find_iscc() == tmp_path / "Inno Setup 6" / "ISCC.exe"
    monkeypatch.setattr(build, "ISCC_FOLDERS", (tmp_path / "missing",))
    with pytest.raises(build.BuildError, match="ISCC"):
        build.find_iscc()


def test_a_stale_installed_version_stops_the_build() -> None:
    build.check_installed_metadata(bundle_support.project_version())
    with pytest.raises(build.BuildError, match="pip install -e"):
        build.check_installed_metadata("0.0.0.dev0")


def test_installer_of_a_bundle_elsewhere_takes_it_and_writes_next_to_it(tmp_path: Path) -> None:
    defines = build.iscc_defines("1.2.3", tmp_path)
    assert Path(defines["BundleDir"]) == tmp_path / "treasurer-app"
    assert Path(defines["OutputDir"]) == tmp_path


# ---------------------------------------------------------------- installer/wine/requirements-windows.txt


def windows_requirements() -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) of the hashed requirements the Windows CPython under Wine installs."""
    from packaging.utils import canonicalize_name

    text = (ROOT / "installer" / "wine" / "requirements-windows.txt").read_text(encoding="utf-8")
    pins: dict[str, tuple[str, list[str]]] = {}
    for line in text.replace("\\\n", " ").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split()
        name, version = requirement.split("==")
        pins[canonicalize_name(name)] = (version, [o.removeprefix("--hash=") for o in options])
    return pins


def test_windows_requirements_pin_what_pyproject_pins() -> None:
    """The Wine build installs the same versions the project declares, so a dependency bump that forgets
    the Windows list fails here instead of building an installer with the old version."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = [
        *pyproject["project"]["dependencies"],
        *pyproject["project"]["optional-dependencies"]["build"],
        *pyproject["build-system"]["requires"],
        *(
            r
            for r in pyproject["project"]["optional-dependencies"]["test"]
            if r.startswith(("pytest==", "pytest-timeout=="))
        ),
    ]
    pins = windows_requirements()
    for line in declared:
        requirement = Requirement(line)
        version = str(requirement.specifier).removeprefix("==")
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is missing from requirements-windows.txt"
        assert pins[name][0] == version, f"{name}: pyproject.toml pins {version}, the Windows list {pins[name][0]}"


def test_every_windows_requirement_is_pinned_by_hash() -> None:
    pins = windows_requirements()
    assert len(pins) > 20  # the whole closure, not only the top level
    for name, (version, hashes) in pins.items():
        assert version and hashes, name
        assert all(h.startswith("sha256:") and len(h) == len("sha256:") + 64 for h in hashes), name
