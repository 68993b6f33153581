"""treasurer_app.about: the version shown to the user and the bundled components with their licences."""

from __future__ import annotations

import sys
import tomllib
import types
from importlib import metadata
from pathlib import Path

import pytest

from treasurer_app import about

ROOT = Path(__file__).resolve().parents[2]


def pyproject_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def bake(monkeypatch: pytest.MonkeyPatch, version: str, components: dict[str, str] | None = None) -> None:
    """Pretend to be a frozen build: the module installer/build.py bakes into the bundle."""
    baked = types.ModuleType("treasurer_app._version")
    baked.VERSION = version  # type: ignore[attr-defined]
    baked.COMPONENT_VERSIONS = components or {}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "treasurer_app._version", baked)


def pretend_frozen(monkeypatch: pytest.MonkeyPatch, bundle: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)


# ---------------------------------------------------------------- version


def test_source_tree_version_is_pyprojects() -> None:
    assert about.app_version() == pyproject_version()


def test_baked_version_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    bake(monkeypatch, "7.8.9")
    assert about.app_version() == "7.8.9"


def test_without_metadata_the_source_trees_pyproject_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(about.metadata, "version", missing)
    assert about.app_version() == pyproject_version()


def test_without_anything_the_version_says_unknown(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(about.metadata, "version", missing)
    monkeypatch.setattr(about, "SOURCE_ROOT", tmp_path)
    assert about.app_version() == about.UNKNOWN_VERSION


def test_pyproject_of_another_project_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "other"\nversion = "5.0"\n', encoding="utf-8")
    assert about._pyproject_version(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "treasurer-app"\nversion = "5.0"\n', encoding="utf-8")
    assert about._pyproject_version(tmp_path) == "5.0"


# ---------------------------------------------------------------- components in a source tree


def test_component_keys_are_unique_ascii_folder_names() -> None:
    keys = [c.key for c in about.COMPONENTS]
    assert len(keys) == len(set(keys))
    assert all(k.isascii() and k == k.lower() and " " not in k for k in keys)


def test_the_components_the_brief_names_are_listed_with_their_licences() -> None:
    licences = {c.key: c.licence for c in about.COMPONENTS}
    assert licences["noto-sans-tc"] == "OFL-1.1"
    assert licences["pyside6"] == "LGPL-3.0-only"
    assert licences["openpyxl"] == "MIT"
    assert licences["reportlab"].startswith("BSD")
    assert "BSD" in licences["xlwt"]
    assert licences["xlrd"].startswith("BSD")
    assert licences["keyring"] == "MIT"
    assert licences["cryptography"] == "Apache-2.0 OR BSD-3-Clause"
    assert licences["platformdirs"] == "MIT"


def test_every_present_component_has_a_licence_text_on_disk() -> None:
    present = about.components()
    assert {"noto-sans-tc", "python", "pyside6", "xlwt"} <= {c.key for c in present}
    for component in present:
        files = about.licence_files(component)
        assert files, f"{component.name}: no licence text"
        assert all(f.is_file() and f.stat().st_size > 0 for f in files)


def test_components_not_installed_here_are_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    real_version = about._metadata_version
    monkeypatch.setattr(about, "_metadata_version", lambda name: None if name == "xlwt" else real_version(name))
    assert "xlwt" not in {c.key for c in about.components()}


def test_lgpl_components_ship_the_gpl_it_builds_on() -> None:
    pyside = next(c for c in about.COMPONENTS if c.key == "pyside6")
    names = {p.name for p in about.licence_files(pyside)}
    assert {"LGPL-3.0.txt", "GPL-3.0.txt"} <= names


def test_about_text_names_version_components_licences_and_the_required_notice() -> None:
    text = about.about_text()
    assert f"版本 {pyproject_version()}" in text
    for component in about.components():
        assert component.name in text
        assert f"（{component.licence}）" in text
    # pyExcelerator's licence (inside xlwt) requires this acknowledgement in every redistribution.
    assert "This product includes software developed by Roman V. Kiseliov" in text


# ---------------------------------------------------------------- components in a frozen bundle


def test_frozen_bundle_reads_licences_from_its_own_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "licenses" / "xlwt").mkdir(parents=True)
    (tmp_path / "licenses" / "xlwt" / "xlwt-LICENSE.txt").write_text("BSD", encoding="utf-8")
    (tmp_path / "licenses" / "noto-sans-tc").mkdir()
    (tmp_path / "licenses" / "noto-sans-tc" / "OFL.txt").write_text("OFL", encoding="utf-8")
    pretend_frozen(monkeypatch, tmp_path)
    bake(monkeypatch, "1.2.3", {"xlwt": "1.3.0"})

    assert about.licences_dir() == tmp_path / "licenses"
    assert [c.key for c in about.components()] == ["noto-sans-tc", "xlwt"]
    xlwt = next(c for c in about.COMPONENTS if c.key == "xlwt")
    assert about.licence_files(xlwt) == [tmp_path / "licenses" / "xlwt" / "xlwt-LICENSE.txt"]
    assert about.component_version(xlwt) == "1.3.0"
    text = about.about_text()
    assert "版本 1.2.3" in text
    assert "xlwt 1.3.0" in text
    assert str(tmp_path / "licenses") in text


def test_source_tree_is_not_frozen() -> None:
    assert about.bundle_dir() is None
    assert about.licences_dir() is None
