"""The generator's modules only point down: no import cycle anywhere in ``generator/``, and
every import follows the layer list of ``docs/architecture.md`` (no unit imports one listed
after it, every module belongs to a listed unit, no two subpackages import each other).

Every import counts, also those inside functions and under ``TYPE_CHECKING`` (a delayed
import hides a cycle, it does not remove it). The graph is read from the source (AST), so
nothing is imported to build it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"
LAYERS_MARK = "<!-- layers: tests/test_layers.py reads the block below -->"

ALLOWED_EDGES: set[tuple[str, str]] = set()
"""Edges allowed to close a cycle while a change is in flight (empty: there is none)."""


def _modules(package: Path) -> dict[str, Path]:
    found = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the package's modules it imports (``from pkg import mod`` counts as
    importing ``pkg.mod``; relative imports are resolved)."""
    modules = _modules(package)
    top = package.name

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    origin = ".".join(base + ([node.module] if node.module else []))
                else:
                    origin = node.module or ""
                targets = [f"{origin}.{alias.name}" for alias in node.names]
            for target in targets:
                if target == top or target.startswith(f"{top}."):
                    found = resolve(target)
                    if found and found != name:
                        deps.add(found)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
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


def test_no_import_cycle_in_generator() -> None:
    graph = import_graph()
    for source, target in ALLOWED_EDGES:
        graph.get(source, set()).discard(target)
    assert cycles(graph) == []


def test_allow_list_is_still_needed() -> None:
    """An allowed edge that no longer exists must leave the list (it only shrinks)."""
    graph = import_graph()
    assert [edge for edge in sorted(ALLOWED_EDGES) if edge[1] not in graph.get(edge[0], set())] == []


def test_cycle_finder_sees_delayed_relative_and_type_checking_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg.sub import b\n")  # delayed
    (package / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import X\n"
    )  # relative, TYPE_CHECKING
    (package / "sub" / "c.py").write_text("from .. import a\n")  # relative, two levels
    (package / "d.py").write_text("import pkg.a\n")
    graph = import_graph(package)
    assert graph["pkg.a"] == {"pkg.sub.b"} and graph["pkg.sub.b"] == {"pkg.sub.c"}
    assert graph["pkg.sub.c"] == {"pkg.a"} and graph["pkg.d"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.sub.b", "pkg.sub.c"]]


# --- the documented layers ---------------------------------------------------------------------


def documented_layers(text: str) -> list[tuple[str, list[str]]]:
    """(layer name, its units in order) from the fenced block after :data:`LAYERS_MARK`."""
    block = text.split(LAYERS_MARK, 1)[1].split("```", 2)[1]
    layers = []
    for line in block.splitlines()[1:]:  # the first line is the fence's language
        match = re.match(r"\s*\d+\s+(\w+):\s*(.*)$", line)
        if match:
            layers.append((match.group(1), match.group(2).split()))
    return layers


def unit_of(module: str) -> str:
    """``generator.letters.site`` → ``letters``; ``generator`` (the package itself) → ``generator``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layer_problems(graph: dict[str, set[str]], layers: list[tuple[str, list[str]]]) -> list[str]:
    """Modules in no listed unit, and imports of a unit listed after the importer's own."""
    rank: dict[str, tuple[int, str]] = {}
    for name, units in layers:
        for unit in units:
            rank[unit] = (len(rank), name)
    problems = []
    for module in sorted(graph):
        if unit_of(module) not in rank:
            problems.append(f"{module}: in no layer (add {unit_of(module)!r} to docs/architecture.md)")
    for module, targets in sorted(graph.items()):
        here = rank.get(unit_of(module))
        for target in sorted(targets):
            there = rank.get(unit_of(target))
            if here is None or there is None or unit_of(target) == unit_of(module):
                continue
            if there[0] > here[0]:
                problems.append(
                    f"{module} imports {target}: points up ({unit_of(module)!r} in {here[1]} is listed "
                    f"before {unit_of(target)!r} in {there[1]})"
                )
    return problems


def unit_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The import graph between units (subpackages and top-level modules)."""
    units: dict[str, set[str]] = {}
    for module, targets in graph.items():
        units.setdefault(unit_of(module), set()).update(unit_of(t) for t in targets if unit_of(t) != unit_of(module))
    return units


def test_imports_follow_the_documented_layers() -> None:
    layers = documented_layers(ARCHITECTURE.read_text(encoding="utf-8"))
    assert [name for name, _units in layers] == [
        "Basics",
        "Schema",
        "Data",
        "Loading",
        "Outputs",
        "Assembly",
        "Commands",
    ]
    assert layer_problems(import_graph(), layers) == []


def test_no_cycle_between_subpackages() -> None:
    assert cycles(unit_graph(import_graph())) == []


def test_every_listed_unit_exists() -> None:
    """A unit that went from the code must leave the list (the list describes the code)."""
    units = {unit_of(m) for m in import_graph()}
    listed = [u for _name, found in documented_layers(ARCHITECTURE.read_text(encoding="utf-8")) for u in found]
    assert sorted(set(listed) - units) == [] and len(listed) == len(set(listed))


def test_the_layer_check_sees_an_upward_import_without_a_cycle_and_an_unplaced_module(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "low").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "low" / "__init__.py").write_text("")
    (package / "low" / "a.py").write_text("def f():\n    from pkg import high\n")  # up, no cycle
    (package / "high.py").write_text("")
    (package / "stray.py").write_text("from pkg.low import a\n")
    text = f"{LAYERS_MARK}\n```text\n1 Bottom: pkg low\n2 Top:    high\n```\n"
    graph = import_graph(package)
    assert cycles(graph) == []
    assert layer_problems(graph, documented_layers(text)) == [
        "pkg.stray: in no layer (add 'stray' to docs/architecture.md)",
        "pkg.low.a imports pkg.high: points up ('low' in Bottom is listed before 'high' in Top)",
    ]
    assert cycles(unit_graph({"pkg.low.a": {"pkg.high"}, "pkg.high": {"pkg.low.b"}, "pkg.low.b": set()})) == [
        ["high", "low"]
    ]
