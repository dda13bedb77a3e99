"""drill.packs.mutate: each operator makes the mutant it should, ids are stable and point at the edit."""

from __future__ import annotations

import ast
import textwrap

import pytest

from drill.packs.mutate import mutants


def by_id(source: str) -> dict[str, str]:
    """Mutant id -> the mutated function's body, as ast.unparse prints it."""
    return {m.id: m.source for m in mutants(textwrap.dedent(source))}


def only(source: str, op: str) -> list[str]:
    return [m.source.splitlines()[-1].strip() for m in mutants(textwrap.dedent(source)) if m.op == op]


@pytest.mark.parametrize(("source", "op", "expected"), [
    ("def f(a, b):\n    return a < b\n", "lt-le", "return a <= b"),
    ("def f(a, b):\n    return a <= b\n", "le-lt", "return a < b"),
    ("def f(a, b):\n    return a > b\n", "gt-ge", "return a >= b"),
    ("def f(a, b):\n    return a >= b\n", "ge-gt", "return a > b"),
    ("def f(a, b):\n    return a == b\n", "eq-ne", "return a != b"),
    ("def f(a, b):\n    return a != b\n", "ne-eq", "return a == b"),
    ("def f(a):\n    return a is None\n", "is-isnot", "return a is not None"),
    ("def f(a, b):\n    return a not in b\n", "notin-in", "return a in b"),
    ("def f(a, b):\n    return a + b\n", "add-sub", "return a - b"),
    ("def f(a, b):\n    return a - b\n", "sub-add", "return a + b"),
    ("def f(a, b):\n    return a * b\n", "mul-div", "return a / b"),
    ("def f(a, b):\n    return a / b\n", "div-mul", "return a * b"),
    ("def f(a, b):\n    return a / b\n", "div-floordiv", "return a // b"),
    ("def f(a, b):\n    return a // b\n", "floordiv-div", "return a / b"),
    ("def f(a, b):\n    return a and b\n", "and-or", "return a or b"),
    ("def f(a, b):\n    return a or b\n", "or-and", "return a and b"),
    ("def f(a, b):\n    return min(a, b)\n", "min-max", "return max(a, b)"),
    ("def f(a, b):\n    return max(a, b)\n", "max-min", "return min(a, b)"),
    ("def f():\n    return True\n", "true-false", "return False"),
    ("def f(a):\n    return not a\n", "not-drop", "return a"),
    ("def f(a):\n    return -a\n", "neg-drop", "return a"),
    ("def f(a):\n    return a + 3\n", "int-inc", "return a + 4"),
    ("def f(a):\n    return a + 3\n", "int-dec", "return a + 2"),
    ("def f(a):\n    return a[-1]\n", "int-dec", "return a[-2]"),
    ("def f(a):\n    return a[-1]\n", "int-inc", "return a[0]"),
    ("def f(a, i):\n    return a[i:]\n", "bound-inc", "return a[i + 1:]"),
    ("def f(a, j):\n    return a[:j]\n", "bound-dec", "return a[:j - 1]"),
    ("def f(a):\n    return a.total\n", "return-none", "return None"),
])
def test_each_operator_makes_its_mutant(source, op, expected):
    assert expected in only(source, op)


def test_augmented_assignment_and_loop_statements():
    source = """\
    def f(xs):
        total = 0
        for x in xs:
            if x < 0:
                continue
            if x > 100:
                break
            total += x
        return total
    """
    ids = by_id(source)
    assert "pass" in ids["drop-stmt@8:9"] and "total += x" not in ids["drop-stmt@8:9"]
    assert "total -= x" in ids["add-sub@8:15"]
    assert "break\n        if x > 100" in ids["continue-break@5:13"]
    assert "if x > 100:\n            continue" in ids["break-continue@7:13"]
    # The loop's own if statements can be dropped too, but a function-level statement cannot.
    assert "drop-stmt@4:9" in ids and not any(i.startswith("drop-stmt@2:") for i in ids)


def test_guard_clause_return_is_dropped():
    ids = by_id("""\
    def f(xs):
        if not xs:
            return 0
        return sum(xs) / len(xs)
    """)
    body = ids["drop-return@3:9"]
    assert "return 0" not in body and "pass" in body


def test_ids_point_at_the_operator_and_are_stable():
    source = textwrap.dedent("""\
    def f(a, b, c):
        x = (a  +  b) + c  # two additions on one line
        return x < (c
                    <= b)
    """)
    first = [m.id for m in mutants(source)]
    assert first == [m.id for m in mutants(source)]
    assert len(first) == len(set(first))
    # Columns are 1-based and land on the operator itself, across brackets and lines.
    assert {"add-sub@2:13", "add-sub@2:19", "lt-le@3:14", "le-lt@4:17"} <= set(first)


def test_non_ascii_source_positions_count_characters():
    ids = by_id('def f(a):\n    s = "é€"; return a < 1\n')
    assert "lt-le@2:24" in ids  # 27 if counted in UTF-8 bytes


def test_annotations_docstrings_and_identical_mutants_are_skipped():
    source = '''\
    def f(a: int = 1, b: "list[int] | None" = None) -> int:
        """Docs with 2 < 3 inside."""
        return not not a
    '''
    ms = mutants(textwrap.dedent(source))
    assert all(m.line != 2 for m in ms)
    # `not not a` loses either `not` to the same program: one mutant, not two.
    assert [m.op for m in ms].count("not-drop") == 1
    # The default 1 is behaviour; the annotation is not.
    assert {m.id for m in ms if m.op.startswith("int-")} == {"int-inc@1:16", "int-dec@1:16"}


def test_every_mutant_compiles_and_differs_from_the_original():
    source = textwrap.dedent("""\
    def median(xs):
        ys = sorted(xs)
        n = len(ys)
        if n == 0:
            return None
        mid = n // 2
        if n % 2:
            return ys[mid]
        return (ys[mid - 1] + ys[mid]) / 2
    """)
    original = ast.unparse(ast.parse(source))
    ms = mutants(source)
    assert len(ms) >= 12
    sources = [m.source for m in ms]
    assert original not in sources and len(set(sources)) == len(sources)
    for m in ms:
        compile(m.source, "m.py", "exec")


def test_diff_is_one_short_line():
    source = "def f(a, b):\n    if a < b and " + " and ".join(f"v{i}" for i in range(40)) + ":\n        return 1\n    return 2\n"
    m = next(m for m in mutants(source) if m.op == "lt-le")
    assert "\n" not in m.diff and len(m.diff) < 200
    assert m.diff.startswith("2: if a < b and") and "→ if a <= b and" in m.diff


def test_zip_strict_is_not_mutated():
    ms = mutants("def f(a, b):\n    return [x for x, y in zip(a, b, strict=True) if y]\n")
    assert not [m for m in ms if m.op == "true-false"]
    assert "return-none" in {m.op for m in ms}  # the rest of the statement is still mutated
    assert [m for m in mutants("def g(a):\n    return sorted(a, reverse=True)\n") if m.op == "true-false"]


# ------------------------------------------------------------------ numpy and pandas


@pytest.mark.parametrize(("source", "op", "expected"), [
    ("def f(x):\n    return np.sum(x, axis=0)\n", "axis-swap", "return np.sum(x, axis=1)"),
    ("def f(x):\n    return x.mean(axis=1)\n", "axis-swap", "return x.mean(axis=0)"),
    ("def f(x):\n    return np.sum(x, axis=0)\n", "axis-none", "return np.sum(x, axis=None)"),
    ("def f(x):\n    return np.max(x, axis=None)\n", "none-axis", "return np.max(x, axis=0)"),
    ("def f(x):\n    return np.mean(x, axis=1, keepdims=True)\n", "true-false",
     "return np.mean(x, axis=1, keepdims=False)"),
    ("def f(x):\n    return np.var(x, ddof=1)\n", "ddof-swap", "return np.var(x, ddof=0)"),
    ("def f(x):\n    return np.std(x)\n", "ddof-add", "return np.std(x, ddof=1)"),
    ("def f(x):\n    return np.mean(x)\n", "mean-sum", "return np.sum(x)"),
    ("def f(x):\n    return np.sum(x)\n", "sum-mean", "return np.mean(x)"),
    ("def f(s):\n    return s.mean()\n", "mean-sum", "return s.sum()"),
    ("def f(s):\n    return s.sum()\n", "sum-mean", "return s.mean()"),
    ("def f(x):\n    return x.argmax(axis=1)\n", "argmax-argmin", "return x.argmin(axis=1)"),
    ("def f(x):\n    return np.maximum(x, 0)\n", "maximum-minimum", "return np.minimum(x, 0)"),
    ("def f(s):\n    return s.shift(1)\n", "shift-neg", "return s.shift(-1)"),
    ("def f(s):\n    return s.shift(-2)\n", "shift-neg", "return s.shift(2)"),
    ("def f(s):\n    return s.shift()\n", "shift-neg", "return s.shift(-1)"),
    ("def f(s, n):\n    return s.shift(periods=n)\n", "shift-neg", "return s.shift(periods=-n)"),
    ("def f(s):\n    return s.diff()\n", "diff-neg", "return s.diff(-1)"),
    ("def f(s):\n    return s.rolling('3D', closed='left').sum()\n", "closed-right",
     "return s.rolling('3D', closed='right').sum()"),
    ("def f(s):\n    return s.rolling('3D', closed='left').sum()\n", "closed-both",
     "return s.rolling('3D', closed='both').sum()"),
    ("def f(s):\n    return s.rolling('3D', closed='right').sum()\n", "closed-left",
     "return s.rolling('3D', closed='left').sum()"),
    ("def f(s):\n    return s.rolling(3).sum()\n", "closed-left", "return s.rolling(3, closed='left').sum()"),
    ("def f(x):\n    return np.argsort(x, kind='stable')\n", "kind-quicksort",
     "return np.argsort(x, kind='quicksort')"),
    ("def f(df):\n    return df.sort_values('ts')\n", "ascending-add", "return df.sort_values('ts', ascending=False)"),
    ("def f(df):\n    return df.sort_values('ts', ascending=True)\n", "true-false",
     "return df.sort_values('ts', ascending=False)"),
    ("def f(df):\n    return df.groupby('a').agg(total=('v', 'sum'))\n", "sum-mean",
     "return df.groupby('a').agg(total=('v', 'mean'))"),
    ("def f(df):\n    return df.groupby('a')['v'].transform('max')\n", "max-min",
     "return df.groupby('a')['v'].transform('min')"),
    ("def f(df):\n    return df.drop_duplicates('id', keep='first')\n", "keep-last",
     "return df.drop_duplicates('id', keep='last')"),
    ("def f(df):\n    return df.drop_duplicates('id')\n", "keep-last", "return df.drop_duplicates('id', keep='last')"),
    ("def f(a, b):\n    return pd.merge_asof(a, b, on='ts')\n", "direction-forward",
     "return pd.merge_asof(a, b, on='ts', direction='forward')"),
    ("def f(a, b):\n    return pd.merge_asof(a, b, on='ts', direction='forward')\n", "direction-backward",
     "return pd.merge_asof(a, b, on='ts', direction='backward')"),
    ("def f(a, b):\n    return a @ b\n", "matmul-mul", "return a * b"),
    ("def f(a, b):\n    return a @ b.T\n", "transpose-drop", "return a @ b"),
])
def test_each_array_operator_makes_its_mutant(source, op, expected):
    assert expected in only(source, op)


def test_array_mutant_ids_point_at_what_changes():
    ids = by_id("""\
    def f(x, s):
        m = np.mean(x, axis=0)
        return m, s.shift(1)
    """)
    # The function's name for mean/sum, the keyword's value for axis, the argument for shift.
    assert {"mean-sum@2:12", "axis-swap@2:25", "axis-none@2:25", "shift-neg@3:23"} <= set(ids)
    # axis=0 -> 1 is axis-swap, not also int-inc: one mutant per distinct program.
    assert "int-inc@2:25" not in ids


def test_library_names_elsewhere_are_left_alone():
    # heapq.nsmallest has no keep=; a string 'sum' outside an aggregation is a plain string.
    ms = mutants(textwrap.dedent("""\
    import heapq
    def f(xs, k):
        label = 'sum'
        return heapq.nsmallest(k, xs), label
    """))
    assert not [m for m in ms if m.op.startswith(("keep-", "sum-"))]
