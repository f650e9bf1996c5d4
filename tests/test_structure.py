"""The package's shape: every module imports the package's own modules at its top, and
those imports form no cycle, so data flows one way (layers → inputs → engine → simulation
→ result → analysis and classification → plot and command line).

Both checks read the source with :mod:`ast`, without importing anything. Imports inside
``if TYPE_CHECKING:`` serve annotations only (they never run) and are left out.
"""

from __future__ import annotations

import ast
import fnmatch
import sys
from pathlib import Path

import musclesim

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PACKAGE = "musclesim"
PKG_DIR = Path(__file__).resolve().parent.parent / PACKAGE


def _module_name(path: Path) -> str:
    parts = (PACKAGE, *path.relative_to(PKG_DIR).with_suffix("").parts)
    return ".".join(parts[:-1]) if parts[-1] == "__init__" else ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PKG_DIR.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def _own_targets(node: ast.Import | ast.ImportFrom, module: str, is_pkg: bool,
                 modules: dict[str, Path]) -> list[str]:  # fmt: skip
    """The package modules an import statement in ``module`` loads (none if it names only
    third-party or standard-library modules)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = module.split(".") if is_pkg else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            stem = ".".join([*base, node.module] if node.module else base)
        else:
            stem = node.module or ""
        # ``from .x import y`` loads x, and also x.y when y is a submodule.
        names = [stem, *(f"{stem}.{a.name}" for a in node.names)]
    own = []
    for name in names:
        while name and name not in modules:  # ``import a.b.c`` of a function's module
            name = name.rpartition(".")[0]
        if name.split(".")[0] == PACKAGE and name in modules and name != PACKAGE:
            own.append(name)
    return own


class _Imports(ast.NodeVisitor):
    """Own-package imports of one module: at module level, and inside functions."""

    def __init__(self, module: str, is_pkg: bool, modules: dict[str, Path]) -> None:
        self.module, self.is_pkg, self.modules = module, is_pkg, modules
        self.depth = 0  # how many function bodies enclose the node being visited
        self.top: set[str] = set()
        self.in_functions: list[tuple[int, str]] = []

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node):  # annotations only: never executed
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        targets = _own_targets(node, self.module, self.is_pkg, self.modules)
        if not targets:
            return
        if self.depth:
            self.in_functions.append((node.lineno, ast.unparse(node)))
        else:
            self.top.update(t for t in targets if t != self.module)

    visit_Import = visit_ImportFrom = _import


def _scan() -> dict[str, _Imports]:
    modules = _modules()
    out = {}
    for name, path in modules.items():
        v = _Imports(name, path.name == "__init__.py", modules)
        v.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        out[name] = v
    return out


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as ``[a, b, ..., a]``, or None if the graph has none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_no_module_imports_the_package_inside_a_function():
    found = [
        f"{name}:{line}: {text}" for name, v in _scan().items() for line, text in v.in_functions
    ]
    assert not found, (
        "import the package's own modules at module level (an `if TYPE_CHECKING:` block "
        "for annotations), not inside functions:\n" + "\n".join(found)
    )


def test_module_imports_form_no_cycle():
    graph = {name: v.top for name, v in _scan().items()}
    assert sum(len(t) for t in graph.values()) > 50  # the scan does see the imports
    cycle = _find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_cycle_finder_names_a_cycle():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_public_name_shadows_a_module():
    import musclesim as ms

    submodules = {_module_name(p).rpartition(".")[2] for p in PKG_DIR.glob("*.py")}
    submodules |= {p.parent.name for p in PKG_DIR.glob("*/__init__.py")}
    clash = [
        n for n in ms.__all__ if n in submodules and getattr(ms, n).__name__ != f"musclesim.{n}"
    ]
    assert not clash, f"these public names hide the module of the same name: {clash}"


def test_parameter_classes_a_scenario_needs_are_public():
    import dataclasses

    import musclesim as ms

    sc = ms.Scenario()
    for f in dataclasses.fields(sc):
        value = getattr(sc, f.name)
        if dataclasses.is_dataclass(value):
            name = type(value).__name__
            assert name in ms.__all__ and getattr(ms, name) is type(value), f.name


def test_the_installed_package_includes_every_subpackage():
    # A plain (non-editable) install ships only the packages pyproject names: every folder
    # of the package must be matched by its find pattern, or `pip install .` breaks
    # while the editable install of the tests still works.
    root = Path(musclesim.__file__).resolve().parent
    config = tomllib.loads((root.parent / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    for init in root.rglob("__init__.py"):
        name = ".".join(init.parent.relative_to(root.parent).parts)
        assert any(fnmatch.fnmatch(name, pattern) for pattern in include), name
