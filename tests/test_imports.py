"""The package's imports run one way (issue 10: "no import cycles"), read statically from the source.

A module's top-level imports (class bodies and module-level `if`/`try` included; `if TYPE_CHECKING:` blocks
and function bodies left out) are the edges of a graph over sco_decl's modules; any strongly connected
part of more than one module is a cycle. A function-local import may only defer a heavy library: a
`from sco_decl... import` inside a function must name a module that loads spaCy, trafilatura, httpx,
matplotlib, numpy, pypdf or python-docx (or jinja2, which a compare to JSON or text never needs) when
imported (directly or through the modules it imports).
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sco_decl"
HEAVY = {"spacy", "trafilatura", "httpx", "matplotlib", "numpy", "pypdf", "docx",
         "jinja2"}  # a compare to JSON or text loads no Jinja (tests/test_workspace.py)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(node: ast.Import | ast.ImportFrom, modules: set[str]) -> list[str]:
    """The modules an import statement loads: `from a.b import c` is a.b.c when that is a module, else a.b."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]


def _top_level_imports(tree: ast.Module, modules: set[str]) -> set[str]:
    found: set[str] = set()

    def walk(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.update(_targets(node, modules))
            elif isinstance(node, ast.If):
                if not _is_type_checking(node):
                    walk(node.body)
                walk(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                    walk(block)
            elif isinstance(node, (ast.With, ast.ClassDef)):
                walk(node.body)

    walk(tree.body)
    return found


def _local_imports(tree: ast.Module, modules: set[str]) -> list[tuple[int, str]]:
    """(line, module) of every sco_decl import inside a function body."""
    out: list[tuple[int, str]] = []
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    out += [(node.lineno, t) for t in _targets(node, modules) if t.split(".")[0] == "sco_decl"]
    return sorted(set(out))


def import_graph(root: Path) -> tuple[dict[str, set[str]], dict[str, ast.Module]]:
    """Module -> the modules (of the package, or third-party top-level names) it imports at top level."""
    trees = {_module_name(p, root): ast.parse(p.read_text("utf-8")) for p in sorted(root.rglob("*.py"))}
    modules = set(trees)
    return {name: _top_level_imports(tree, modules) for name, tree in trees.items()}, trees


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts of more than one module, and modules importing themselves (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in graph:
                continue
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == node:
                    break
            if len(part) > 1 or node in graph[node]:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def heavy_modules(graph: dict[str, set[str]]) -> set[str]:
    """The package's modules whose import loads a heavy library, directly or through other modules."""
    heavy: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, imports in graph.items():
            if name not in heavy and any(i.split(".")[0] in HEAVY or i in heavy for i in imports):
                heavy.add(name)
                changed = True
    return heavy


def test_the_package_has_no_import_cycle():
    graph, _ = import_graph(PACKAGE)
    assert len(graph) > 80 and "sco_decl.store.corpus" in graph["sco_decl.store.chronology"]
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle(tmp_path):
    """The check above can fail: a package whose modules import each other (one only through a class body,
    one only in a TYPE_CHECKING block that does not count) is reported."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.b import thing\n")
    (package / "b.py").write_text("class K:\n    from pkg import c\nthing = 1\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.d import x\n"
                                  "import pkg.a\n")
    (package / "d.py").write_text("from pkg import c\nx = 1\n")
    graph, _ = import_graph(package)
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_function_local_imports_only_defer_heavy_libraries():
    """Outside the CLI, an import inside a function hides a dependency unless it keeps a heavy library out
    of a light command's start-up (the CLI imports command modules lazily by design)."""
    graph, trees = import_graph(PACKAGE)
    heavy = heavy_modules(graph)
    assert {"sco_decl.ingest.fetch", "sco_decl.ingest.download"} <= heavy      # httpx, trafilatura at the top
    assert not {"sco_decl.store.corpus", "sco_decl.analysis.pipeline"} & heavy  # pipeline imports spaCy lazily
    light_local = [f"{name}:{line}: {target}" for name, tree in trees.items() if not name.startswith("sco_decl.cli")
                   for line, target in _local_imports(tree, set(trees)) if target not in heavy]
    assert light_local == []
