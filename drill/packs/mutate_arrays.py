"""numpy and pandas mutants for drill.packs.mutate: the slips array code is prone to.

Each site is (path from the node, op, (line, col), make), as drill.packs.mutate's own;
`pos(lineno, byte_col)` turns an AST position into the 1-based character column used in
mutant ids. Names are matched syntactically (`x.mean()` is a mean whatever `x` is), so
a mutant of a method of another library is at worst an easy kill.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import cast

Make = Callable[[ast.AST], ast.AST]
Site = tuple[tuple[tuple[str, int | None], ...], str, tuple[int, int], Make]
Pos = Callable[[int, int], tuple[int, int]]

NUMPY = {"np", "numpy"}
# Method or function names, each to the one a slip would put in its place.
NAME_SWAPS = {
    "mean": "sum", "sum": "mean", "nanmean": "nansum", "nansum": "nanmean",
    "min": "max", "max": "min", "amin": "amax", "amax": "amin", "nanmin": "nanmax", "nanmax": "nanmin",
    "argmin": "argmax", "argmax": "argmin", "minimum": "maximum", "maximum": "minimum",
    "idxmin": "idxmax", "idxmax": "idxmin", "cummin": "cummax", "cummax": "cummin",
    "first": "last", "last": "first", "ffill": "bfill", "bfill": "ffill",
}
# Aggregations named by a string, inside these calls: .agg("sum"), .agg(total=("x", "sum")).
AGG_CALLS = {"agg", "aggregate", "transform", "pivot_table"}
AGG_NAMES = {"mean": "sum", "sum": "mean", "min": "max", "max": "min", "first": "last", "last": "first",
             "nunique": "count", "count": "nunique"}
CLOSED = {"left": ("right", "both"), "right": ("left", "both"), "both": ("left", "right"),
          "neither": ("left", "both")}
STABLE_KINDS = {"stable", "mergesort"}
SORTS_WITH_ASCENDING = {"sort_values", "sort_index", "rank"}
KEEP_CALLS = {"drop_duplicates", "duplicated", "nlargest", "nsmallest"}
DIRECTIONS = {"backward": ("forward",), "forward": ("backward",), "nearest": ("backward", "forward")}
SHIFTS = {"shift", "diff", "pct_change"}


def sites(node: ast.AST, pos: Pos) -> Iterator[Site]:
    if isinstance(node, ast.Attribute) and node.attr == "T" and isinstance(node.ctx, ast.Load):
        yield (), "transpose-drop", _name_pos(node, pos), lambda n: cast(ast.Attribute, n).value
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return
    name = node.func.attr
    at = _name_pos(node.func, pos)
    if name in NAME_SWAPS:
        new = NAME_SWAPS[name]
        yield (("func", None),), f"{name}-{new}", at, _rename(new)
    keywords = {k.arg: (i, k) for i, k in enumerate(node.keywords) if k.arg}
    yield from _axis_sites(keywords, pos)
    yield from _ddof_sites(node, name, keywords, at, pos)
    if name in SHIFTS:
        yield from _shift_sites(node, name, keywords, at, pos)
    if name == "rolling":
        yield from _choice_sites(keywords, "closed", CLOSED, ("left", "both"), at, pos)
    if name == "merge_asof":
        yield from _choice_sites(keywords, "direction", DIRECTIONS, ("forward",), at, pos)
    if name in KEEP_CALLS:
        # Added only to pandas' de-duplication: heapq has nlargest/nsmallest too, without keep=.
        absent = ("last",) if name in ("drop_duplicates", "duplicated") else ()
        yield from _choice_sites(keywords, "keep", {"first": ("last",), "last": ("first",)}, absent, at, pos)
    if "kind" in keywords:
        i, k = keywords["kind"]
        if isinstance(k.value, ast.Constant) and k.value.value in STABLE_KINDS:
            yield ((("keywords", i), ("value", None)), "kind-quicksort", _start(k.value, pos),
                   lambda n: ast.Constant(value="quicksort"))
    if name in SORTS_WITH_ASCENDING and "ascending" not in keywords:
        yield (), "ascending-add", at, _add_keyword("ascending", False)
    if name in AGG_CALLS:
        yield from _agg_sites(node, pos)


def _name_pos(node: ast.Attribute, pos: Pos) -> tuple[int, int]:
    """Where the attribute's name (after the dot) starts."""
    line = cast(int, node.end_lineno)
    return pos(line, cast(int, node.end_col_offset) - len(node.attr.encode("utf-8")))


def _start(node: ast.AST, pos: Pos) -> tuple[int, int]:
    return pos(node.lineno, node.col_offset)  # type: ignore[attr-defined]


def _rename(new: str) -> Make:
    def make(n: ast.AST) -> ast.AST:
        assert isinstance(n, ast.Attribute)
        return ast.Attribute(value=n.value, attr=new, ctx=n.ctx)

    return make


def _add_keyword(name: str, value: str | int | bool | None) -> Make:
    def make(n: ast.AST) -> ast.AST:
        assert isinstance(n, ast.Call)
        return ast.Call(func=n.func, args=n.args,
                        keywords=[*n.keywords, ast.keyword(arg=name, value=ast.Constant(value=value))])

    return make


def _constant(value: str | int | bool | None) -> Make:
    return lambda n: ast.Constant(value=value)


def _axis_sites(keywords: dict, pos: Pos) -> Iterator[Site]:
    if "axis" not in keywords:
        return
    i, k = keywords["axis"]
    path = (("keywords", i), ("value", None))
    v = k.value
    at = _start(v, pos)
    if isinstance(v, ast.Constant) and v.value is None:
        yield path, "none-axis", at, _constant(0)
        return
    if isinstance(v, ast.Constant) and type(v.value) is int and v.value in (0, 1):
        yield path, "axis-swap", at, _constant(1 - v.value)
    yield path, "axis-none", at, _constant(None)


def _ddof_sites(node: ast.Call, name: str, keywords: dict, at: tuple[int, int], pos: Pos) -> Iterator[Site]:
    if "ddof" in keywords:
        i, k = keywords["ddof"]
        if isinstance(k.value, ast.Constant) and k.value.value in (0, 1) and type(k.value.value) is int:
            yield ((("keywords", i), ("value", None)), "ddof-swap", _start(k.value, pos),
                   _constant(1 - k.value.value))
    elif name in ("std", "var", "nanstd", "nanvar") and _is_numpy(node.func):
        # np.std's default is ddof=0 (pandas' .std() is 1: its method form is left alone).
        yield (), "ddof-add", at, _add_keyword("ddof", 1)


def _is_numpy(func: ast.expr) -> bool:
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in NUMPY


def _shift_sites(node: ast.Call, name: str, keywords: dict, at: tuple[int, int], pos: Pos) -> Iterator[Site]:
    op = f"{name.replace('_', '')}-neg"
    if node.args:
        yield (("args", 0),), op, _start(node.args[0], pos), _negate
    elif "periods" in keywords:
        i, k = keywords["periods"]
        yield (("keywords", i), ("value", None)), op, _start(k.value, pos), _negate
    else:  # the default of one period back
        yield (), op, at, lambda n: ast.Call(func=cast(ast.Call, n).func, args=[ast.Constant(value=-1)],
                                              keywords=cast(ast.Call, n).keywords)


def _negate(n: ast.AST) -> ast.AST:
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
        return n.operand
    if isinstance(n, ast.Constant) and type(n.value) in (int, float):
        return ast.Constant(value=-n.value)  # type: ignore[operator]
    return ast.UnaryOp(op=ast.USub(), operand=cast(ast.expr, n))


def _choice_sites(keywords: dict, kw: str, swaps: dict, when_absent: tuple[str, ...],
                  at: tuple[int, int], pos: Pos) -> Iterator[Site]:
    """A string option (closed=, direction=, keep=) to each of its alternatives, or added
    with those that differ from its default when the call leaves it out."""
    if kw in keywords:
        i, k = keywords[kw]
        if isinstance(k.value, ast.Constant) and k.value.value in swaps:
            for new in swaps[k.value.value]:
                yield ((("keywords", i), ("value", None)), f"{kw}-{new}", _start(k.value, pos), _constant(new))
        return
    for new in when_absent:
        yield (), f"{kw}-{new}", at, _add_keyword(kw, new)


def _agg_sites(node: ast.Call, pos: Pos) -> Iterator[Site]:
    """Aggregation names written as strings anywhere in the call's arguments."""
    def walk(n: ast.AST, path: tuple) -> Iterator[Site]:
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in AGG_NAMES:
            new = AGG_NAMES[n.value]
            yield path, f"{n.value}-{new}", _start(n, pos), _constant(new)
            return
        for field, value in ast.iter_fields(n):
            if isinstance(value, list):
                for i, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        yield from walk(child, (*path, (field, i)))
            elif isinstance(value, ast.AST) and not isinstance(value, ast.expr_context):
                yield from walk(value, (*path, (field, None)))

    for i, arg in enumerate(node.args):
        yield from walk(arg, (("args", i),))
    for i, k in enumerate(node.keywords):
        yield from walk(k.value, (("keywords", i), ("value", None)))
