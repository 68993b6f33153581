"""Imported first by ui/app.py: takes PySide6's ``__feature__`` import hook out of the way of this program's imports.

PySide6 puts a hook in front of Python's ``import`` to support its optional ``from __feature__ import snake_case``
switches (unused here): after each import it reads the source of every newly imported module to see whether it
mentions PySide6. That is ≈ 0.4 ms a module, ≈ 40 ms for the modules that open a project (benchmarks/bench_ui.py).
Importing this module puts back the import PySide6 keeps behind that hook (its own, which loads Qt's classes on
first use); the frozen bundle, which ships no sources, only skips the lookups.
"""

from __future__ import annotations

import builtins

import PySide6  # noqa: F401  (installs the hook taken out below)


def drop_feature_hook() -> None:
    """PySide6's import behind its ``__feature__`` hook back in place; nothing done if PySide6 changed its ways."""
    inner = getattr(builtins, "__orig_import__", None)
    if getattr(builtins.__import__, "__name__", "") == "__feature_import__" and callable(inner):
        builtins.__import__ = inner


drop_feature_hook()
