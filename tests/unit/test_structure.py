"""The shape of treasurer_app/ (issue 14): files a reader can hold in mind, no import circle, no Qt in the domain.

- No module is over MAX_LINES lines unless OVERSIZE names it with the reason.
- Every module imports alone, as the first import of a fresh program (tests/import_alone.py), and no two
  modules import each other at their top level, however long the way round.
- The domain (treasurer_app/ outside ui/) imports no Qt: not in its source (read as syntax, so an import
  inside a function counts too) and not through another module (imported with PySide6 refused).
"""

from __future__ import annotations

import ast
import functools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "treasurer_app"
IMPORT_ALONE = REPO / "tests" / "import_alone.py"
QT_PACKAGES = ("PySide6", "shiboken6")
UI_PACKAGE = "treasurer_app.ui"

MAX_LINES = 700

# Files allowed over MAX_LINES, each with its reason. An entry whose file has come down to size (or gone)
# fails test_oversize_list_is_current, so the list only shrinks.
OVERSIZE: dict[str, str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def all_modules() -> list[str]:
    return [module_name(path) for path in source_files()]


def is_ui(module: str) -> bool:
    return module == UI_PACKAGE or module.startswith(UI_PACKAGE + ".")


def domain_modules() -> list[str]:
    return [m for m in all_modules() if not is_ui(m)]


@functools.cache
def syntax(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


# ---------------------------------------------------------------- size


def test_no_module_is_over_the_line_limit_unless_listed_with_a_reason() -> None:
    over = {
        path.relative_to(REPO).as_posix(): line_count(path) for path in source_files() if line_count(path) > MAX_LINES
    }
    unlisted = {path: lines for path, lines in over.items() if path not in OVERSIZE}
    assert not unlisted, (
        f"over {MAX_LINES} lines: {unlisted}. Split the module into rooms (see docs/ARCHITECTURE.md), "
        "or add it to OVERSIZE in tests/unit/test_structure.py with the reason it must stay whole."
    )


def test_oversize_list_is_current() -> None:
    stale = {
        path: reason
        for path, reason in OVERSIZE.items()
        if not (REPO / path).is_file() or line_count(REPO / path) <= MAX_LINES
    }
    assert not stale, f"no longer over {MAX_LINES} lines (or gone): remove from OVERSIZE: {sorted(stale)}"
    assert all(reason.strip() for reason in OVERSIZE.values()), "every OVERSIZE entry says why"


# ---------------------------------------------------------------- import circles


def import_alone(modules: list[str], *refused: str, path: Path = REPO) -> dict[str, str]:
    """{module: traceback} of those that fail to import as a fresh program's first import."""
    command = [sys.executable, str(IMPORT_ALONE)]
    for prefix in refused:
        command += ["--refuse", prefix]
    done = subprocess.run(command + modules, cwd=path, capture_output=True, text=True, timeout=600, env=child_env(path))
    assert done.returncode == 0, done.stdout + done.stderr
    failures: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return failures


def child_env(path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(path), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def test_every_module_imports_alone_in_a_fresh_program() -> None:
    failures = import_alone(all_modules())
    assert not failures, "modules that fail when imported first (an import circle?):\n" + "\n".join(
        f"--- {module}\n{trace}" for module, trace in failures.items()
    )


def test_import_alone_catches_a_circle(tmp_path: Path) -> None:
    """The check above can fail: a package whose two modules import each other's names is caught."""
    package = tmp_path / "circle"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from circle.b import B\n\nA = 1\n", encoding="utf-8")
    (package / "b.py").write_text("from circle.a import A\n\nB = A + 1\n", encoding="utf-8")
    (package / "c.py").write_text("C = 3\n", encoding="utf-8")
    failures = import_alone(["circle.a", "circle.b", "circle.c"], path=tmp_path)
    assert set(failures) == {"circle.a", "circle.b"}
    assert "partially initialized module" in failures["circle.a"]


def top_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run when the module is imported: not those inside functions or `if TYPE_CHECKING:`."""

    def walk(statements: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
        for node in statements:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node
            elif isinstance(node, ast.If):
                test = node.test
                checking = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
                    isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
                )
                if not checking:
                    yield from walk(node.body)
                yield from walk(node.orelse)
            elif isinstance(node, ast.Try):
                yield from walk(node.body + node.orelse + node.finalbody)
                for handler in node.handlers:
                    yield from walk(handler.body)
            elif isinstance(node, ast.With):
                yield from walk(node.body)

    return walk(tree.body)


def imported_modules(path: Path, known: set[str], everywhere: bool = False) -> set[str]:
    """The modules of ``known`` that ``path`` imports (at its top level, or ``everywhere``)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = syntax(path)
    nodes = (
        [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
        if everywhere
        else top_level_imports(tree)
    )
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
            continue
        base = node.module or ""
        if node.level:
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        found.add(base)
        found |= {f"{base}.{alias.name}" for alias in node.names}
    return {m for m in found if m in known} - {name}


def import_graph() -> dict[str, set[str]]:
    known = set(all_modules())
    return {module_name(path): imported_modules(path, known) for path in source_files()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other (strongly connected components of more than one)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph.get(module, ())):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group: list[str] = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_circle_at_the_top_level_of_modules() -> None:
    """An import inside a function breaks a circle only until someone moves it up; none is left to move."""
    found = circles(import_graph())
    assert not found, f"modules that import each other at their top level (through others too): {found}"


def test_circles_are_found_however_long_the_way_round() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


# ---------------------------------------------------------------- the way imports run

# treasurer_app's rooms from the top down, as docs/ARCHITECTURE.md draws them: a module imports only from its
# own line and the lines below (anywhere in the module, in a function too). A room is a top-level module or
# package of treasurer_app; line_subsidy's modules are placed one by one.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli", "store_cli"),
    ("ui",),
    ("workbook_import",),
    ("editing",),
    ("export", "line_subsidy.documents"),
    ("store",),
    ("rules", "line_subsidy.rules"),
    ("interchange", "normalise", "privacy"),
    ("project",),
    ("specs",),
    ("line_subsidy", "line_subsidy.forms", "line_subsidy.numerals"),
    ("ledger",),
    ("forms",),
    ("fields", "identifiers", "value", "typed_text", "findings", "fonts", "resources", "netdrive", "about", ""),
)
UPWARD_ALLOWED = {
    # The command line starts the window (only when asked to show it, inside a function).
    ("treasurer_app.cli", "treasurer_app.ui.app")
}


def room(module: str) -> str:
    parts = module.split(".")[1:]
    if parts[:1] == ["line_subsidy"] and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0] if parts else ""


def upward_imports(layers: tuple[tuple[str, ...], ...]) -> list[str]:
    depth = {name: n for n, line in enumerate(layers) for name in line}
    known = set(all_modules())
    found = []
    for path in source_files():
        module = module_name(path)
        for other in sorted(imported_modules(path, known, everywhere=True)):
            if other == "treasurer_app" or (module, other) in UPWARD_ALLOWED:
                continue
            here, there = room(module), room(other)
            assert here in depth and there in depth, f"{here or there!r} is in no line of LAYERS: place it there"
            if depth[there] < depth[here]:
                found.append(f"{module} imports {other}")
    return found


def test_imports_run_down_the_layers() -> None:
    found = upward_imports(LAYERS)
    assert not found, (
        "imports against the direction of tests/unit/test_structure.py LAYERS (docs/ARCHITECTURE.md): "
        + "; ".join(found)
    )


def test_an_upward_import_is_found() -> None:
    """The check above can fail: with the store drawn above the editing layer, the persistence's import of the
    store goes upward."""
    order = {("store",): ("editing",), ("editing",): ("store",)}
    swapped = tuple(order.get(line, line) for line in LAYERS)
    assert "treasurer_app.editing.persistence imports treasurer_app.store" in upward_imports(swapped)


# ---------------------------------------------------------------- the domain without Qt


def test_domain_source_imports_no_qt() -> None:
    """Read as syntax: an import of Qt (or of the UI package) anywhere in a domain module, even in a function.
    The one door from the domain to the window is the CLI starting it (treasurer_app/cli.py: run_app), after
    installing the window's failure handler (ui/crash.py, which imports Qt only to show a failure)."""
    known = set(all_modules())
    offenders: dict[str, list[str]] = {}
    for path in source_files():
        module = module_name(path)
        if is_ui(module):
            continue
        tree = syntax(path)
        names: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.append(node.module)
        qt = [n for n in names if n.partition(".")[0] in QT_PACKAGES]
        ui_top = [m for m in imported_modules(path, known) if is_ui(m)]
        ui_anywhere = [m for m in imported_modules(path, known, everywhere=True) if is_ui(m)]
        if module == "treasurer_app.cli":
            ui_anywhere = [m for m in ui_anywhere if m not in ("treasurer_app.ui.app", "treasurer_app.ui.crash")]
        if qt or ui_top or ui_anywhere:
            offenders[path.relative_to(REPO).as_posix()] = sorted({*qt, *ui_top, *ui_anywhere})
    assert not offenders, f"the domain imports Qt or the UI: {offenders}"


def test_domain_imports_with_qt_refused() -> None:
    """Imported with PySide6 and shiboken6 refused (a meta-path hook), each domain module loads alone."""
    failures = import_alone(domain_modules(), *QT_PACKAGES)
    assert not failures, "domain modules that need Qt to import:\n" + "\n".join(
        f"--- {module}\n{trace}" for module, trace in failures.items()
    )


def test_qt_refusal_is_real() -> None:
    """The hook above can fail a module: a UI module, which needs Qt, does not import under it."""
    failures = import_alone(["treasurer_app.ui.theme", "treasurer_app.findings"], *QT_PACKAGES)
    assert set(failures) == {"treasurer_app.ui.theme"}
    assert "refused" in failures["treasurer_app.ui.theme"]
