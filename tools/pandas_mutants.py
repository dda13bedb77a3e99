"""pandas-flavoured mutants of a reference solution, on top of drill's own (drill.packs.mutate).

drill's audit will mutate numpy/pandas code too (issue #14: shift direction, closed= of a
window, axis, keepdims, ddof, mean/sum); until it does, this module approximates those
operators so that the hidden tests can be measured against them now:

- `str-swap`: a string constant that names a pandas option swapped for its siblings
  (closed 'left'/'right'/'both'/'neither', direction, keep, how, na_position, kind, ...);
- `method-swap`: `.sum()` <-> `.mean()`, `.min()` <-> `.max()`, `.first()` <-> `.last()`,
  `.isna()` <-> `.notna()`, `.nunique()` -> `.count()`, `.size()` <-> `.count()`, ...;
- `shift-neg`: `shift(k)` -> `shift(-k)`;
- `call-drop`: a chained call that returns a modified copy dropped
  (`x.sort_values(...)` -> `x`, also fillna, dropna, drop_duplicates, astype, ...);
- `stmt-drop`: any simple statement of a function body becomes `pass` (drill's own
  operator only drops statements directly in loop bodies).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from dataclasses import dataclass

STR_SWAPS: dict[str, list[str]] = {
    "left": ["right", "both", "neither", "inner", "outer"],
    "right": ["left", "both", "neither"],
    "both": ["left", "right", "neither"],
    "neither": ["left", "right", "both"],
    "backward": ["forward", "nearest"],
    "forward": ["backward", "nearest"],
    "first": ["last"],
    "last": ["first"],
    "inner": ["left", "outer"],
    "outer": ["inner", "left", "right"],
    "stable": ["quicksort"],
    "min": ["max", "first", "last"],
    "max": ["min", "first", "last"],
    "sum": ["mean", "count", "max"],
    "mean": ["sum", "median"],
    "size": ["count", "nunique"],
    "count": ["size", "sum"],
    "D": ["h"],
}
METHOD_SWAPS: dict[str, list[str]] = {
    "sum": ["mean", "count", "max"], "mean": ["sum", "median"], "median": ["mean"],
    "min": ["max"], "max": ["min"], "first": ["last"], "last": ["first"],
    "idxmin": ["idxmax"], "idxmax": ["idxmin"], "isna": ["notna"], "notna": ["isna"],
    "nunique": ["count", "size"], "count": ["size", "nunique"], "size": ["count"],
    "cumsum": ["cumcount"], "cummax": ["cummin"], "cummin": ["cummax"],
    "ffill": ["bfill"], "bfill": ["ffill"], "std": ["var"], "var": ["std"],
    "diff": ["pct_change"], "any": ["all"], "all": ["any"],
}
DROPPABLE_CALLS = {"sort_values", "sort_index", "fillna", "dropna", "drop_duplicates", "astype",
                   "reset_index", "shift", "abs", "where", "mask", "normalize", "reindex", "unstack",
                   "droplevel", "asfreq", "copy", "replace", "rename"}


@dataclass(frozen=True)
class PMutant:
    id: str
    source: str
    before: str
    after: str


def pandas_mutants(source: str) -> list[PMutant]:
    tree = ast.parse(source)
    seen = {ast.unparse(tree)}
    out: list[PMutant] = []
    for op, path, make in _sites(tree):
        mutated = copy.deepcopy(tree)
        parent, field, index = _locate(mutated, path)
        node = getattr(parent, field) if index is None else getattr(parent, field)[index]
        line, col = getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1
        before = ast.unparse(node)
        new = make(node)
        if index is None:
            setattr(parent, field, new)
        else:
            getattr(parent, field)[index] = new
        ast.fix_missing_locations(mutated)
        try:
            text = ast.unparse(mutated)
            compile(text, "answer.py", "exec")
        except (SyntaxError, ValueError):
            continue
        if text in seen:
            continue
        seen.add(text)
        after = ast.unparse(new)
        mid = f"{op}@{line}:{col}"
        n = sum(1 for m in out if m.id.split("~")[0] == mid)
        out.append(PMutant(mid if n == 0 else f"{mid}~{n + 1}", text, before, after))
    return out


def _locate(tree: ast.AST, path):
    node = tree
    for field, index in path[:-1]:
        node = getattr(node, field) if index is None else getattr(node, field)[index]
    field, index = path[-1]
    return node, field, index


def _sites(tree: ast.AST) -> Iterator:
    def walk(node: ast.AST, path, in_func: bool):
        for field, value in ast.iter_fields(node):
            if field in ("annotation", "returns"):
                continue
            items = [(i, v) for i, v in enumerate(value)] if isinstance(value, list) else [(None, value)]
            for i, child in items:
                if not isinstance(child, ast.AST):
                    continue
                cpath = (*path, (field, i))
                yield from node_sites(child, cpath, in_func and field == "body" and i is not None)
                yield from walk(child, cpath, in_func or isinstance(child, ast.FunctionDef))

    def node_sites(node: ast.AST, path, body_stmt: bool):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in STR_SWAPS:
            for alt in STR_SWAPS[node.value]:
                yield "str-swap", path, (lambda n, a=alt: ast.Constant(value=a))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            for alt in METHOD_SWAPS.get(name, []):
                def swap(n, a=alt):
                    m = copy.deepcopy(n)
                    m.func.attr = a
                    return m
                yield "method-swap", path, swap
            if name == "shift" and node.args:
                def neg(n):
                    m = copy.deepcopy(n)
                    m.args[0] = ast.UnaryOp(op=ast.USub(), operand=m.args[0])
                    return m
                yield "shift-neg", path, neg
            if name in DROPPABLE_CALLS:
                yield "call-drop", path, (lambda n: copy.deepcopy(n.func.value))
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if body_stmt and isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr, ast.AnnAssign)) and not docstring:
            yield "stmt-drop", path, (lambda n: ast.copy_location(ast.Pass(), n))

    yield from walk(tree, (), False)
