"""Where the app's read-only resources (fonts, icons, sample union) live."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources` folder: next to the package in a source tree, inside a PyInstaller bundle when frozen."""
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root is not None:
        return Path(bundle_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
