"""Imports each named module as if it were the first thing a program imports, and reports those that fail.

    python tests/import_alone.py [--refuse PREFIX]... MODULE...

Before each module, every module of its top-level package is dropped from ``sys.modules``, so the
package's own modules run again from the top with that module as the entry point (third-party
libraries stay loaded: they cannot close a circle through the package). An import circle shows
up as the ImportError of a partially initialised module when one of its members is imported
first. With ``--refuse PySide6`` a meta-path hook makes any import of that package fail, so a
module that reaches Qt, directly or through another module, fails too.

Prints one JSON object: {module: traceback text} for the modules that failed (empty when all imported).
Used by tests/unit/test_structure.py, which runs it in a fresh interpreter.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import json
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType


class Refuse(importlib.abc.MetaPathFinder):
    """Fails every import of the given top-level packages."""

    def __init__(self, prefixes: Sequence[str]) -> None:
        self.prefixes = tuple(prefixes)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] in self.prefixes:
            raise ImportError(f"{fullname} is refused here (tests/import_alone.py --refuse)")
        return None


def import_each(modules: Sequence[str]) -> dict[str, str]:
    failures: dict[str, str] = {}
    for module in modules:
        package = module.partition(".")[0]
        for loaded in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[loaded]
        try:
            importlib.import_module(module)
        except BaseException:  # a module that exits or raises anything at all at import is reported
            failures[module] = traceback.format_exc()
    return failures


def main(argv: Sequence[str]) -> int:
    refused: list[str] = []
    modules: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--refuse":
            refused.append(next(args))
        else:
            modules.append(arg)
    if refused:
        sys.meta_path.insert(0, Refuse(refused))
    print(json.dumps(import_each(modules), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
