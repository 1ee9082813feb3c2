"""The package's shape holds: no import cycle, imports at the top, deferred ones only through `core.lazy` and down the layers.

`lint-imports` (import-linter, run by .ci/run) checks the layer and forbidden
contracts of pyproject.toml over the static import graph. What it cannot see,
the imports `core.lazy` makes by name, is checked here against the same layer
order, read from pyproject.toml.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

from postmortem_lint.core import lazy

PACKAGE = Path(__file__).resolve().parents[1] / "postmortem_lint"
PYPROJECT = PACKAGE.parent / "pyproject.toml"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_import_graph_has_no_cycle() -> None:
    """Function-level and type-checking imports included (grimp counts both)."""
    graph = grimp.build_graph("postmortem_lint", include_external_packages=False)
    assert len(graph.modules) >= len(MODULES)
    assert _cycles(graph) == []


def _function_imports(tree: ast.AST) -> Iterator[ast.stmt]:
    def visit(node: ast.AST, inside: bool) -> Iterator[ast.stmt]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)) and inside:
                yield child
            yield from visit(child, inside or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    yield from visit(tree, False)


def _calls(tree: ast.AST, module: str, function: str) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == function
        if call and isinstance(node.func.value, ast.Name) and node.func.value.id == module:
            yield node


def test_imports_sit_at_the_top_and_only_core_lazy_defers_one() -> None:
    deferred = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deferred += [f"{name}:{stmt.lineno}" for stmt in _function_imports(tree)]
        if name != "postmortem_lint.core.lazy":
            deferred += [f"{name}:{call.lineno} importlib" for call in _calls(tree, "importlib", "import_module")]
    assert deferred == []


def _layer_of() -> dict[str, int]:
    """Each top-level module of the package -> its layer, 0 the lowest, from pyproject.toml's layers contract."""
    contracts = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    return {part.strip(): rank for rank, layer in enumerate(reversed(layers)) for part in layer.split("|")}


LAYERS = _layer_of()


def _rank(module: str) -> int:
    top = module.removeprefix("postmortem_lint.").split(".", 1)[0]
    return LAYERS[top]


def _loads() -> list[tuple[str, int, str]]:
    """(calling module, line, module loaded) for every `lazy.load` of a literal name or of an f-string's fixed start."""
    found = []
    for name, path in MODULES.items():
        for call in _calls(ast.parse(path.read_text(encoding="utf-8")), "lazy", "load"):
            arg = call.args[0]
            if isinstance(arg, ast.Constant):
                target = str(arg.value)
            else:
                assert isinstance(arg, ast.JoinedStr), f"{name}:{call.lineno}: lazy.load of a name that is neither text nor an f-string"
                first = arg.values[0]
                target = str(first.value) if isinstance(first, ast.Constant) else ""
                target = "postmortem_lint." + target.removeprefix("postmortem_lint.") if target else f"{name.rsplit('.', 1)[0]}."
            found.append((name, call.lineno, target))
    return found


LOADS = _loads()


@pytest.mark.parametrize(("caller", "line", "target"), LOADS, ids=[f"{c}:{n}" for c, n, _t in LOADS])
def test_every_deferred_import_is_declared_and_goes_down_or_sideways(caller: str, line: int, target: str) -> None:
    assert target.endswith(".") or lazy.deferred(target), f"{caller}:{line}: {target} is not in core.lazy.DEFERRED"
    assert target.rstrip(".") and _rank(target) <= _rank(caller), f"{caller}:{line} loads {target}, a layer above it"


def test_every_declared_deferral_is_used() -> None:
    targets = {target for _caller, _line, target in LOADS}
    used = {key for key in lazy.DEFERRED if key in targets or any(t.startswith(key) for t in targets if key.endswith("."))}
    assert set(lazy.DEFERRED) - used == set()


def test_an_undeclared_deferral_is_refused() -> None:
    with pytest.raises(LookupError, match="not a deferred import"):
        lazy.load("postmortem_lint.core.text")
