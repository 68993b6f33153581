"""Which Qt files the bundle leaves out, and the hook-time filter that applies it.

PyInstaller's PySide6 hooks collect, for every Qt module the app imports, all
of that module's plugins and translations; binary dependency analysis then
follows each plugin's libraries. QtGui alone brings Wayland, EGLFS, VNC, the
GTK theme (with cairo, pango, atk…), the virtual keyboard (QtQuick/Qml) and the
PDF image format (QtPdf). Dropping those *after* Analysis would leave their
libraries behind, so `install()` filters what the Qt hooks return, before the
dependency analysis runs. The spec also applies `keep()` to the final lists as a
safety net, for files collected by other hooks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

# Platforms: Windows; offscreen (tests, headless export) and minimal everywhere;
# xcb on Linux, where the bundle is built for the smoke test. The others serve
# embedded devices (eglfs, linuxfb, vnc, vkkhrdisplay) or Wayland-only sessions.
KEEP_PLATFORMS = frozenset({"qwindows", "qoffscreen", "qminimal", "qxcb"})
DROP_PLUGIN_FOLDERS = frozenset(
    {
        "designer",
        "egldeviceintegrations",
        "generic",
        "networkinformation",
        "qmltooling",
        "sqldrivers",
        "tls",
        "vectorimageformats",
        "wayland-decoration-client",
        "wayland-graphics-integration-client",
        "wayland-graphics-integration-server",
        "wayland-shell-integration",
    }
)
# qpdf links QtPdf, the virtual keyboard QtQuick/Qml, qgtk3 the whole GTK stack;
# qdirect2d is an experimental Windows platform nobody selects.
DROP_PLUGINS = frozenset({"qpdf", "qtvirtualkeyboardplugin", "qgtk3", "qdirect2d"})
# Libraries only the dropped plugins use, and Windows' 20 MB software OpenGL
# renderer (Qt Quick and QOpenGLWidget need it; a widgets app does not).
DROP_LIBRARY_PREFIXES = (
    "libQt6Wayland",
    "libQt6EglFS",
    "libQt6EglFs",
    "libQt6Pdf",
    "libQt6VirtualKeyboard",
    "libQt6Qml",
    "libQt6Quick",
    "Qt6Pdf",
    "Qt6Qml",
    "Qt6Quick",
    "Qt6VirtualKeyboard",
    "opengl32sw",
)
# Qt's own dialog texts (OK/Cancel, the file dialog) in Traditional Chinese only.
KEEP_TRANSLATIONS = frozenset({"qt_zh_TW.qm", "qtbase_zh_TW.qm"})


def plugin_of(path: str) -> tuple[str, str] | None:
    """(folder, stem) when `path` is a Qt plugin: '…/plugins/platforms/libqxcb.so' → ('platforms', 'qxcb')."""
    parts = PurePath(path.replace("\\", "/")).parts
    if "plugins" not in parts[:-2]:
        return None
    folder = parts[parts.index("plugins") + 1]
    stem = parts[-1].split(".")[0]
    return folder, stem.removeprefix("lib")


def keep(path: str) -> bool:
    """Whether a collected file (source or destination path) belongs in the bundle."""
    normalised = path.replace("\\", "/")
    name = PurePath(normalised).name
    plugin = plugin_of(normalised)
    if plugin is not None:
        folder, stem = plugin
        if folder in DROP_PLUGIN_FOLDERS or stem in DROP_PLUGINS:
            return False
        if folder == "platforms" and stem not in KEEP_PLATFORMS:
            return False
    if "/translations/" in normalised and name.endswith(".qm"):
        return name in KEEP_TRANSLATIONS
    return not name.startswith(DROP_LIBRARY_PREFIXES)


def keep_entry(entry: tuple[Any, ...]) -> bool:
    """For TOC entries (dest name, source, typecode) and hook tuples (source, dest folder): judge by source."""
    source = entry[1] if len(entry) == 3 else entry[0]
    return keep(str(entry[0])) and keep(str(source))


def install() -> None:
    """Filter what every Qt hook collects, before PyInstaller follows the files' library dependencies."""
    try:
        from PyInstaller.utils.hooks import qt
    except ImportError as exc:  # pragma: no cover - only without PyInstaller
        raise SystemExit(f"打包：找不到 PyInstaller（{exc}）") from None
    library_info = getattr(qt, "QtLibraryInfo", None)
    original: Callable[..., tuple[list[Any], list[Any], list[Any]]] | None = getattr(
        library_info, "collect_module", None
    )
    if library_info is None or original is None:
        # A PyInstaller upgrade renamed the hook helper: fail rather than ship 100 MB of unused Qt.
        raise SystemExit("打包：PyInstaller 的 QtLibraryInfo.collect_module 已不存在，請更新 installer/qt_trim.py")
    if getattr(original, "trimmed", False):
        return

    def collect_module(self: object, module_name: str) -> tuple[list[Any], list[Any], list[Any]]:
        hiddenimports, binaries, datas = original(self, module_name)
        return hiddenimports, [b for b in binaries if keep_entry(b)], [d for d in datas if keep_entry(d)]

    collect_module.trimmed = True  # type: ignore[attr-defined]
    library_info.collect_module = collect_module  # type: ignore[union-attr]
