"""The layout stays layered: no import circles between the package's modules (lazy imports included)."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "detector"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Modules of the package that ``path`` imports, anywhere in the file (not under TYPE_CHECKING)."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node)
               for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in modules else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in modules and m != name}


def _graph() -> nx.DiGraph:
    files = [p for p in PACKAGE.rglob("*.py")]
    modules = {_module(p) for p in files}
    g = nx.DiGraph()
    for p in files:
        for target in _imports(p, modules):
            if target != "detector":  # `from .. import __version__` reads the package, no stage
                g.add_edge(_module(p), target)
    return g


def test_the_graph_sees_imports():
    g = _graph()
    assert g.has_edge("detector.profiles", "detector.members")
    assert g.has_edge("detector.web.pages", "detector.web.templating")


def test_no_import_circles():
    cycles = list(nx.simple_cycles(_graph()))
    assert cycles == [], "import circles: " + "; ".join(" → ".join(c) for c in cycles)
