"""No import cycles anywhere.

Between modules (apps), every import counts, even one inside a function: a function-level
import is how a cycle hides (children and missing once imported each other that way). The
graph of apps must be acyclic and core must import no domain module. Within the project,
the files' module-level imports must be acyclic too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # safeguarding/


def _sources():
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        yield path


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names}
    return {f for f in found if f.startswith("safeguarding.")}


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle in the graph, as a path, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def app_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in _sources():
        app = _app(_module_name(path))
        if app in ("", "settings", "urls", "cli", "wsgi"):
            continue
        targets = {_app(t) for t in _imports(path, top_level_only=False)}
        graph.setdefault(app, set()).update(
            t for t in targets if t and t != app and t not in ("settings", "urls", "cli")
        )
    return graph


def test_modules_do_not_import_each_other_in_a_circle():
    graph = app_graph()
    assert {"core", "lado", "children", "missing"} <= set(graph)
    assert _cycle(graph) is None, "import cycle between modules: " + " -> ".join(_cycle(graph))


def test_core_imports_no_domain_module():
    assert app_graph()["core"] == set()


def test_files_do_not_import_each_other_in_a_circle():
    known = {_module_name(p) for p in _sources()}
    graph = {}
    for path in _sources():
        targets = set()
        for target in _imports(path, top_level_only=True):
            while target and target not in known:  # "from .x import name" names a module x
                target = target.rpartition(".")[0]
            if target and target != _module_name(path):
                targets.add(target)
        graph[_module_name(path)] = targets
    cycle = _cycle(graph)
    assert cycle is None, "import cycle between files: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
