"""Mutants of a Python reference solution: small AST edits a weak test suite would miss.

Each mutant changes one thing (an operator, a constant, a statement) and is named
`<op>@<line>:<col>`, the position of what changed in the original file, so that the id
stays the same from run to run and a pack can mark it in `equivalent_mutants`.
Mutants that do not compile, or that `ast.unparse` renders exactly as the original or as
an earlier mutant, are dropped: they cannot tell tests apart.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

from drill.packs import mutate_arrays

CMP_SWAPS: dict[type, tuple[type, str]] = {
    ast.Lt: (ast.LtE, "lt-le"), ast.LtE: (ast.Lt, "le-lt"),
    ast.Gt: (ast.GtE, "gt-ge"), ast.GtE: (ast.Gt, "ge-gt"),
    ast.Eq: (ast.NotEq, "eq-ne"), ast.NotEq: (ast.Eq, "ne-eq"),
    ast.Is: (ast.IsNot, "is-isnot"), ast.IsNot: (ast.Is, "isnot-is"),
    ast.In: (ast.NotIn, "in-notin"), ast.NotIn: (ast.In, "notin-in"),
}
# Several targets per operator: `/` against both `*` and `//` is the classic Python slip.
BIN_SWAPS: dict[type, list[tuple[type, str]]] = {
    ast.Add: [(ast.Sub, "add-sub")], ast.Sub: [(ast.Add, "sub-add")],
    ast.Mult: [(ast.Div, "mul-div")],
    ast.Div: [(ast.Mult, "div-mul"), (ast.FloorDiv, "div-floordiv")],
    ast.FloorDiv: [(ast.Div, "floordiv-div"), (ast.Mult, "floordiv-mul")],
    ast.Pow: [(ast.Mult, "pow-mul")],
    ast.Mod: [(ast.FloorDiv, "mod-floordiv")],
    ast.MatMult: [(ast.Mult, "matmul-mul")],  # numpy: a matrix product written as elementwise
}
BIN_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
               ast.Pow: "**", ast.Mod: "%", ast.MatMult: "@"}
CALL_SWAPS = {"min": ("max", "min-max"), "max": ("min", "max-min")}
# Keywords that only check their input (zip's strict raises on unequal lengths): on the valid
# inputs a question promises, flipping them never changes a result, so they are not mutated.
CHECK_KEYWORDS = {"zip": ("strict",), "map": ("strict",)}
# Fields that hold type annotations: mutating them changes nothing at run time.
ANNOTATION_FIELDS = {"annotation", "returns", "type_comment"}
DIFF_WIDTH = 72


@dataclass(frozen=True)
class Mutant:
    id: str
    op: str
    line: int
    col: int
    source: str
    before: str
    after: str

    @property
    def diff(self) -> str:
        """One line: where, and the changed statement before and after."""
        before, after = _clip(self.before, self.after)
        return f"{self.line}: {before} → {after}"


@dataclass
class _Site:
    path: tuple[tuple[str, int | None], ...]  # how to reach the replaced node from the module
    op: str
    line: int
    col: int  # 1-based, in characters
    make: Callable[[ast.AST], ast.AST]
    stmt_path: tuple[tuple[str, int | None], ...]  # the enclosing statement, for the diff


def mutants(source: str) -> list[Mutant]:
    """Every distinct, compilable mutant of `source` (which must parse), in source order."""
    tree = ast.parse(source)
    original = ast.unparse(tree)
    lines = source.splitlines(keepends=True)
    seen = {original}
    taken: dict[str, int] = {}
    out: list[Mutant] = []
    for site in sorted(_sites(tree, lines), key=lambda s: (s.line, s.col, s.op)):
        mutated = copy.deepcopy(tree)
        _replace(mutated, site.path, site.make)
        ast.fix_missing_locations(mutated)
        try:
            text = ast.unparse(mutated)
            compile(text, "answer.py", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError):
            continue
        if text in seen:
            continue
        seen.add(text)
        base = f"{site.op}@{site.line}:{site.col}"
        taken[base] = taken.get(base, 0) + 1
        mid = base if taken[base] == 1 else f"{base}~{taken[base]}"
        out.append(Mutant(mid, site.op, site.line, site.col, text,
                          _head(_get(tree, site.stmt_path)), _head(_get(mutated, site.stmt_path))))
    return out


# ------------------------------------------------------------------ sites


def _sites(tree: ast.Module, lines: list[str]) -> Iterator[_Site]:
    Path = tuple[tuple[str, int | None], ...]

    def walk(node: ast.AST, path: Path, stmt_path: Path) -> Iterator[_Site]:
        if isinstance(node, ast.stmt):
            stmt_path = path
        if _negative_int(node):
            # `-1` is one number to a reader: shift it to -2 and 0, not to `-0` or `1`.
            for op, delta in (("int-inc", 1), ("int-dec", -1)):
                yield _Site(path, op, *_start(lines, node), _constant(-node.operand.value + delta), stmt_path)  # type: ignore[attr-defined]
            return
        yield from _node_sites(node, path, stmt_path, lines)
        # numpy and pandas: axis, ddof, mean/sum, shift direction, rolling windows' closed=...
        for rel, op, (line, col), make in mutate_arrays.sites(node, lambda ln, c: (ln, _char_col(lines, ln, c))):
            yield _Site((*path, *rel), op, line, col, make, stmt_path)
        loop_body = isinstance(node, (ast.For, ast.While, ast.AsyncFor))
        checks = _check_keywords(node)
        for field, value in ast.iter_fields(node):
            if field in ANNOTATION_FIELDS:
                continue
            if isinstance(value, list):
                for i, child in enumerate(value):
                    if not isinstance(child, ast.AST) or child in checks:
                        continue
                    child_path = (*path, (field, i))
                    if isinstance(child, ast.stmt):
                        yield from _stmt_drops(node, field, child, child_path, loop_body)
                    yield from walk(child, child_path, stmt_path)
            elif isinstance(value, ast.AST):
                yield from walk(value, (*path, (field, None)), stmt_path)

    yield from walk(tree, (), ())


def _check_keywords(node: ast.AST) -> list[ast.keyword]:
    """Keyword arguments that only assert something about valid input, like zip(strict=True)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return []
    names = CHECK_KEYWORDS.get(node.func.id, ())
    return [k for k in node.keywords if k.arg in names]


def _stmt_drops(parent: ast.AST, field: str, stmt: ast.stmt, path, loop_body: bool) -> Iterator[_Site]:
    def to_pass(old: ast.AST) -> ast.AST:
        return ast.copy_location(ast.Pass(), old)

    line, col = stmt.lineno, stmt.col_offset + 1
    if loop_body and field == "body" and not isinstance(stmt, ast.Pass):
        yield _Site(path, "drop-stmt", line, col, to_pass, path)
    elif isinstance(parent, ast.If) and field == "body" and isinstance(stmt, ast.Return):
        # A guard clause (`if not xs: return 0`) that falls through instead.
        yield _Site(path, "drop-return", line, col, to_pass, path)


def _node_sites(node: ast.AST, path, stmt_path, lines: list[str]) -> Iterator[_Site]:
    def site(op: str, at: tuple[int, int], make: Callable[[ast.AST], ast.AST]) -> _Site:
        return _Site(path, op, at[0], at[1], make, stmt_path)

    if isinstance(node, ast.Compare):
        for i, cmp_op in enumerate(node.ops):
            swap = CMP_SWAPS.get(type(cmp_op))
            if swap is None:
                continue
            left = node.left if i == 0 else node.comparators[i - 1]
            yield site(swap[1], _between(lines, left, node.comparators[i]), _swap_cmp(i, swap[0]))
    elif isinstance(node, ast.BinOp):
        for new, op in BIN_SWAPS.get(type(node.op), []):
            yield site(op, _between(lines, node.left, node.right), _swap_binop(new))
    elif isinstance(node, ast.AugAssign):
        for new, op in BIN_SWAPS.get(type(node.op), []):
            yield site(op, _between(lines, node.target, node.value), _swap_binop(new))
    elif isinstance(node, ast.BoolOp):
        new_bool, op = (ast.Or, "and-or") if isinstance(node.op, ast.And) else (ast.And, "or-and")
        yield site(op, _between(lines, node.values[0], node.values[1]),
                   lambda n: ast.BoolOp(op=new_bool(), values=cast(ast.BoolOp, n).values))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        op = "not-drop" if isinstance(node.op, ast.Not) else "neg-drop"
        yield site(op, _start(lines, node), lambda n: cast(ast.UnaryOp, n).operand)
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        op = "true-false" if node.value else "false-true"
        yield site(op, _start(lines, node), lambda n: ast.Constant(value=not cast(ast.Constant, n).value))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        yield site("int-inc", _start(lines, node), _constant(node.value + 1))
        yield site("int-dec", _start(lines, node), _constant(node.value - 1))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALL_SWAPS:
        name, op = CALL_SWAPS[node.func.id]
        yield _Site((*path, ("func", None)), op, *_start(lines, node.func),
                    lambda n: ast.Name(id=name, ctx=ast.Load()), stmt_path)
    elif isinstance(node, ast.Slice):
        for field in ("lower", "upper"):
            bound = getattr(node, field)
            # Integer bounds are already covered by int-inc/int-dec.
            if bound is None or (isinstance(bound, ast.Constant) and type(bound.value) is int):
                continue
            for op, delta in (("bound-inc", ast.Add), ("bound-dec", ast.Sub)):
                yield _Site((*path, (field, None)), op, *_start(lines, bound),
                            _shift(delta), stmt_path)
    elif isinstance(node, ast.Break):
        yield site("break-continue", _start(lines, node), lambda n: ast.Continue())
    elif isinstance(node, ast.Continue):
        yield site("continue-break", _start(lines, node), lambda n: ast.Break())
    elif isinstance(node, ast.Return) and node.value is not None and not (
        # None is what this mutant returns; bool and int constants have their own mutants.
        isinstance(node.value, ast.Constant) and type(node.value.value) in (type(None), bool, int)
    ):
        yield site("return-none", _start(lines, node), lambda n: ast.Return(value=ast.Constant(value=None)))


def _swap_cmp(i: int, new: type) -> Callable[[ast.AST], ast.AST]:
    def make(n: ast.AST) -> ast.AST:
        assert isinstance(n, ast.Compare)
        ops = list(n.ops)
        ops[i] = new()
        return ast.Compare(left=n.left, ops=ops, comparators=n.comparators)

    return make


def _swap_binop(new: type) -> Callable[[ast.AST], ast.AST]:
    def make(n: ast.AST) -> ast.AST:
        if isinstance(n, ast.AugAssign):
            return ast.AugAssign(target=n.target, op=new(), value=n.value)
        assert isinstance(n, ast.BinOp)
        return ast.BinOp(left=n.left, op=new(), right=n.right)

    return make


def _negative_int(node: ast.AST) -> bool:
    return (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and type(node.operand.value) is int)


def _constant(value: int) -> Callable[[ast.AST], ast.AST]:
    return lambda n: ast.Constant(value=value)


def _shift(op: type) -> Callable[[ast.AST], ast.AST]:
    return lambda n: ast.BinOp(left=cast(ast.expr, n), op=op(), right=ast.Constant(value=1))


# ------------------------------------------------------------------ tree paths


def _get(tree: ast.AST, path) -> ast.AST:
    node = tree
    for field, index in path:
        node = getattr(node, field) if index is None else getattr(node, field)[index]
    return node


def _replace(tree: ast.AST, path, make: Callable[[ast.AST], ast.AST]) -> None:
    parent = _get(tree, path[:-1])
    field, index = path[-1]
    if index is None:
        setattr(parent, field, make(getattr(parent, field)))
    else:
        getattr(parent, field)[index] = make(getattr(parent, field)[index])


# ------------------------------------------------------------------ positions


def _char_col(lines: list[str], lineno: int, byte_col: int) -> int:
    """1-based character column for an AST byte offset."""
    if not 1 <= lineno <= len(lines):
        return byte_col + 1
    return len(lines[lineno - 1].encode("utf-8")[:byte_col].decode("utf-8", "replace")) + 1


def _start(lines: list[str], node: ast.AST) -> tuple[int, int]:
    return node.lineno, _char_col(lines, node.lineno, node.col_offset)  # type: ignore[attr-defined]


def _between(lines: list[str], left: ast.AST, right: ast.AST) -> tuple[int, int]:
    """Where the operator between two operands starts: past spaces, brackets and comments."""
    line, col = left.end_lineno, left.end_col_offset  # type: ignore[attr-defined]
    end = (right.lineno, right.col_offset)  # type: ignore[attr-defined]
    in_comment = False
    while line is not None and (line, col) < end and line <= len(lines):
        raw = lines[line - 1].encode("utf-8")
        if col >= len(raw):
            line, col, in_comment = line + 1, 0, False
            continue
        ch = raw[col:col + 1]
        if ch == b"#":
            in_comment = True
        if not in_comment and ch not in (b" ", b"\t", b"(", b")", b"\\", b"\n", b"\r"):
            return line, _char_col(lines, line, col)
        col += 1
    return _start(lines, right)


# ------------------------------------------------------------------ display


def _head(node: ast.AST) -> str:
    """A statement as one line: compound statements show only their header."""
    if isinstance(node, ast.stmt) and any(
        isinstance(getattr(node, f, None), list) and getattr(node, f) for f in ("body", "orelse", "handlers", "finalbody")
    ):
        shallow = copy.copy(node)
        for f in ("body", "orelse", "handlers", "finalbody"):
            if isinstance(getattr(shallow, f, None), list):
                setattr(shallow, f, [])
        if isinstance(shallow, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            shallow.decorator_list = []
        text = ast.unparse(shallow).splitlines()[0] if ast.unparse(shallow) else ""
    else:
        text = ast.unparse(node)
    return " ".join(text.split())


def _clip(before: str, after: str, width: int = DIFF_WIDTH) -> tuple[str, str]:
    """Cut both sides to the same window around where they first differ."""
    if max(len(before), len(after)) <= width:
        return before, after
    same = 0
    while same < min(len(before), len(after)) and before[same] == after[same]:
        same += 1
    start = max(0, same - width // 3)

    def cut(s: str) -> str:
        piece = s[start:start + width]
        return ("…" if start else "") + piece + ("…" if start + width < len(s) else "")

    return cut(before), cut(after)
