"""What the About box shows: the app's version and the bundled components with their licences.

No Qt here. The version comes, in this order, from the module the build bakes
into a frozen bundle (``treasurer_app._version``), the installed package's
metadata, or the ``pyproject.toml`` of a source tree.

Licence texts live in two places:

* in a frozen bundle, the build copies every component's texts into
  ``<bundle>/_internal/licenses/<component key>/`` (see ``installer/bundle_support.py``);
* in a source tree, they are read where they already are: the packages'
  ``.dist-info`` folders, ``resources/fonts/OFL.txt``, and ``installer/licenses/``
  for the texts a package does not ship itself (the LGPL/GPL for PySide6, xlwt's).
"""

from __future__ import annotations

import re
import sys
import sysconfig
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import ModuleType

from treasurer_app import APP_NAME

DISTRIBUTION = "treasurer-app"
UNKNOWN_VERSION = "0+unknown"
LICENCES_FOLDER = "licenses"
SOURCE_ROOT = Path(__file__).resolve().parents[1]

_LICENCE_FILE_NAME = re.compile(r"^(licen[cs]e|copying|notice|authors)", re.IGNORECASE)
_LGPL3 = ("installer/licenses/LGPL-3.0.txt", "installer/licenses/GPL-3.0.txt")


@dataclass(frozen=True)
class Component:
    """One third-party part shipped inside the bundle."""

    key: str  # folder name under licenses/ in the bundle; ASCII
    name: str  # shown to the user
    licence: str  # SPDX expression
    role: str  # what the app uses it for, Chinese
    distribution: str | None = None  # the pip distribution, when there is one
    extra_files: tuple[str, ...] = ()  # licence texts kept in this repository, relative to its root
    notice: str = ""  # an acknowledgement the licence requires us to display


COMPONENTS: tuple[Component, ...] = (
    Component(
        "noto-sans-tc",
        "Noto Sans TC（思源黑體）",
        "OFL-1.1",
        "畫面與 PDF 的中文字型",
        extra_files=("resources/fonts/OFL.txt",),
    ),
    Component("python", "Python", "PSF-2.0", "程式執行環境"),
    Component("pyside6", "PySide6 / Qt", "LGPL-3.0-only", "視窗介面", "PySide6-Essentials", _LGPL3),
    Component("shiboken6", "Shiboken6", "LGPL-3.0-only", "視窗介面（PySide6 的繫結層）", "shiboken6", _LGPL3),
    Component("xlsxwriter", "XlsxWriter", "BSD-2-Clause", "寫入 .xlsx 活頁簿", "XlsxWriter"),
    Component("openpyxl", "openpyxl", "MIT", "讀取 .xlsx 活頁簿", "openpyxl"),
    Component("et-xmlfile", "et-xmlfile", "MIT", "openpyxl 的 XML 寫入", "et-xmlfile"),
    Component("reportlab", "ReportLab", "BSD-3-Clause", "產生 PDF", "reportlab"),
    Component("pillow", "Pillow", "MIT-CMU", "ReportLab 的圖片處理", "pillow"),
    Component("charset-normalizer", "charset-normalizer", "MIT", "ReportLab 的文字編碼偵測", "charset-normalizer"),
    Component(
        "xlwt",
        "xlwt",
        "BSD-3-Clause AND BSD-4-Clause AND LGPL-2.1-or-later",
        "寫入 .xls 活頁簿",
        "xlwt",
        ("installer/licenses/xlwt-LICENSE.txt", "installer/licenses/LGPL-2.1.txt"),
        notice="This product includes software developed by Roman V. Kiseliov <roman@kiseliov.ru>.",
    ),
    Component("xlrd", "xlrd", "BSD-3-Clause", "讀取 .xls 活頁簿", "xlrd"),
    Component("keyring", "keyring", "MIT", "把個資加密金鑰存入作業系統的鑰匙圈", "keyring"),
    Component("jaraco-classes", "jaraco.classes", "MIT", "keyring 的輔助模組", "jaraco.classes"),
    Component("jaraco-functools", "jaraco.functools", "MIT", "keyring 的輔助模組", "jaraco.functools"),
    Component("jaraco-context", "jaraco.context", "MIT", "keyring 的輔助模組", "jaraco.context"),
    Component("backports-tarfile", "backports.tarfile", "MIT", "keyring 的輔助模組", "backports.tarfile"),
    Component("more-itertools", "more-itertools", "MIT", "keyring 的輔助模組", "more-itertools"),
    Component("importlib-metadata", "importlib_metadata", "Apache-2.0", "keyring 的輔助模組", "importlib-metadata"),
    Component("zipp", "zipp", "MIT", "keyring 的輔助模組", "zipp"),
    Component("lazy-importer", "lazy-importer", "Apache-2.0", "keyring 的輔助模組", "lazy-importer"),
    Component("pywin32-ctypes", "pywin32-ctypes", "BSD-3-Clause", "keyring 的 Windows 認證介面", "pywin32-ctypes"),
    Component("secretstorage", "SecretStorage", "BSD-3-Clause", "keyring 的 Linux 鑰匙圈介面", "SecretStorage"),
    Component("jeepney", "jeepney", "MIT", "keyring 的 Linux D-Bus 介面", "jeepney"),
    Component("cryptography", "cryptography", "Apache-2.0 OR BSD-3-Clause", "個資加密", "cryptography"),
    Component("cffi", "cffi", "MIT-0", "cryptography 的 C 介面", "cffi"),
    Component("pycparser", "pycparser", "BSD-3-Clause", "cffi 的 C 語法剖析", "pycparser"),
    Component("platformdirs", "platformdirs", "MIT", "找出使用者資料夾", "platformdirs"),
    Component("pypdf", "pypdf", "BSD-3-Clause", "檢查附件是可開啟的 PDF", "pypdf"),
)


# ---------------------------------------------------------------- where we run from


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_dir() -> Path | None:
    """The folder a frozen bundle unpacks its data into (``_internal`` of a one-folder build)."""
    if not is_frozen():
        return None
    return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))


def licences_dir() -> Path | None:
    """``<bundle>/_internal/licenses`` in a frozen bundle; None in a source tree."""
    found = bundle_dir()
    return found / LICENCES_FOLDER if found else None


# ---------------------------------------------------------------- version


def app_version() -> str:
    """The app's version: baked into the bundle, else package metadata, else the source tree's pyproject."""
    return _baked_version() or _metadata_version(DISTRIBUTION) or _pyproject_version() or UNKNOWN_VERSION


def _baked_version() -> str | None:
    baked = _baked()
    return None if baked is None else str(baked.VERSION)


def _baked() -> ModuleType | None:
    """treasurer_app._version: the version and component versions, written into the bundle by its build."""
    try:
        import treasurer_app._version as baked  # type: ignore[import-not-found]  # only in the bundle
    except ImportError:
        return None
    module: ModuleType = baked
    return module


def _metadata_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _pyproject_version(root: Path | None = None) -> str | None:
    pyproject = (root or SOURCE_ROOT) / "pyproject.toml"
    if not pyproject.is_file():
        return None
    project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    if project.get("name") != DISTRIBUTION:
        return None
    version = project.get("version")
    return str(version) if version else None


def component_version(component: Component) -> str | None:
    """The bundled version: baked by the build when frozen, else the installed package's."""
    module = _baked()
    baked: dict[str, str] = {} if module is None else dict(module.COMPONENT_VERSIONS)
    if component.key in baked:
        return baked[component.key]
    if component.key == "python":
        return f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    return _metadata_version(component.distribution) if component.distribution else None


# ---------------------------------------------------------------- components and their licence texts


def components() -> list[Component]:
    """The components present in this build (platform-only ones, e.g. pywin32-ctypes, only where shipped)."""
    return [c for c in COMPONENTS if _is_present(c)]


def _is_present(component: Component) -> bool:
    folder = licences_dir()
    if folder is not None:
        return (folder / component.key).is_dir()
    if component.distribution is None:
        return True
    return _metadata_version(component.distribution) is not None


def licence_files(component: Component) -> list[Path]:
    """The licence texts of one component, as files that exist on this computer."""
    folder = licences_dir()
    if folder is not None:
        own = folder / component.key
        return sorted(p for p in own.iterdir() if p.is_file()) if own.is_dir() else []
    return source_licence_files(component)


def source_licence_files(component: Component, root: Path = SOURCE_ROOT) -> list[Path]:
    """Where a component's licence texts are in a source tree or virtualenv (what the build copies)."""
    found: list[Path] = []
    if component.distribution:
        found.extend(_distribution_licence_files(component.distribution))
    if component.key == "python":
        found.extend(_python_licence_files())
    found.extend(p for p in (root / name for name in component.extra_files) if p.is_file())
    return found


def _distribution_licence_files(distribution: str) -> list[Path]:
    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return []
    found = []
    for entry in dist.files or []:
        in_dist_info = any(part.endswith(".dist-info") for part in entry.parts[:-1])
        if in_dist_info and _LICENCE_FILE_NAME.match(entry.name):
            path = Path(str(dist.locate_file(entry)))
            if path.is_file():
                found.append(path)
    return sorted(found)


def _python_licence_files() -> list[Path]:
    candidates = (
        Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt",  # POSIX builds
        Path(sys.base_prefix) / "LICENSE.txt",  # python.org Windows installs
    )
    return [p for p in dict.fromkeys(candidates) if p.is_file()][:1]


# ---------------------------------------------------------------- the text of the About box


def about_text() -> str:
    """Plain text for an About box: name, version, components with licences, where the texts are."""
    lines = [f"{APP_NAME}　版本 {app_version()}", "", "本程式內含下列第三方元件："]
    for component in components():
        version = component_version(component)
        shown = f"{component.name} {version}" if version else component.name
        lines.append(f"・{shown}（{component.licence}）：{component.role}")
    notices = [c.notice for c in components() if c.notice]
    if notices:
        lines.append("")
        lines.extend(notices)
    lines.append("")
    folder = licences_dir()
    if folder is not None:
        lines.append(f"授權條款全文：{folder}")
    else:
        lines.append("授權條款全文：各套件的 .dist-info 資料夾、resources/fonts/OFL.txt 與 installer/licenses/")
    return "\n".join(lines)
