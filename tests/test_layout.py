"""The package's layers, checked from the source: one folder per concern, no import cycles.

Every import counts, including those inside functions (drill imports heavy modules
lazily for start-up time, but a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "drill"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The drill modules that `path` imports (resolving `from drill.x import y` to the
    module drill.x.y when y is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("drill"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("drill"):
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return {m for m in found if m in known}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py") if "questions" not in p.parts}
    known = set(files)
    # A package's (empty) __init__ is imported on the way to its modules: not an edge.
    return {m: {d for d in imports_of(p, known) if d != m and files[d].name != "__init__.py"}
            for m, p in files.items()}


def test_the_graph_is_read(graph):
    assert "drill.judge.code" in graph["drill.commands.check"] or "drill.judge.code" in {
        d for deps in graph.values() for d in deps}
    assert "drill.progress.store" in graph["drill.progress.record"]
    assert len(graph) > 40


def test_no_import_cycles(graph):
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                cycles.append(" -> ".join([*stack[stack.index(d):], d]))
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert cycles == []


def test_nothing_below_the_commands_imports_them_or_the_cli(graph):
    top = ("drill.commands", "drill.cli", "drill.__main__")
    bad = [(m, d) for m, deps in graph.items() if not m.startswith(top)
           for d in deps if d.startswith(top)]
    assert bad == []


def test_progress_does_not_import_session_or_judge(graph):
    bad = [(m, d) for m, deps in graph.items() if m.startswith("drill.progress")
           for d in deps if d.startswith(("drill.session", "drill.judge"))]
    assert bad == []


def test_the_store_only_reads_and_writes_rows(graph):
    store = PACKAGE / "progress" / "store.py"
    assert not graph["drill.progress.store"] & {
        "drill.progress.schedule", "drill.progress.weakness", "drill.progress.record"}
    tree = ast.parse(store.read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert "fsrs" not in imported  # scheduling is computed above the store


def test_the_judge_and_sql_do_not_reach_up(graph):
    """The judges are a trust boundary: they may not depend on packs, sessions or progress."""
    bad = [(m, d) for m, deps in graph.items() if m.startswith(("drill.judge", "drill.sql"))
           for d in deps if d.startswith(("drill.packs", "drill.session", "drill.progress", "drill.render"))]
    assert bad == []


def test_subpackage_inits_are_empty():
    for init in PACKAGE.glob("*/__init__.py"):
        assert init.read_text(encoding="utf-8").strip() == "", init
