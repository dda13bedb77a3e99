"""Comparing an answer's return value with the expected one, as the pack's `compare` says.

Rules: bool is never int; floats match within rel_tol/abs_tol (int and float compare as
numbers); NaN equals only NaN; tuples compare as lists; dicts need the same keys;
`unordered` compares top-level lists as multisets.
"""

from __future__ import annotations

import math

TYPE_CHECKING = False  # typing is not imported at run time: the SQL child loads this module
if TYPE_CHECKING:
    from typing import Any

GREEDY_CAP = 2000  # beyond this, unordered lists only match when sorting lines them up


def same(expected: Any, actual: Any, *, rel_tol: float = 1e-6, abs_tol: float = 1e-9,
         unordered: bool = False) -> bool:
    def eq(e: Any, a: Any) -> bool:
        te, ta = type(e), type(a)
        if te is bool or ta is bool:
            return te is ta and e == a
        if te in (int, float) and ta in (int, float):
            if te is int and ta is int:
                return e == a
            try:
                fe, fa = float(e), float(a)
            except OverflowError:  # an int beyond float range never matches a float
                return False
            if math.isnan(fe) or math.isnan(fa):
                return math.isnan(fe) and math.isnan(fa)
            if math.isinf(fe) or math.isinf(fa):
                return fe == fa
            return math.isclose(fe, fa, rel_tol=rel_tol, abs_tol=abs_tol)
        if e is None or a is None:
            return e is None and a is None
        if te is str or ta is str:
            return te is ta and e == a
        if te in (list, tuple) and ta in (list, tuple):
            return len(e) == len(a) and all(eq(x, y) for x, y in zip(e, a, strict=True))
        if te is dict and ta is dict:
            return e.keys() == a.keys() and all(eq(e[k], a[k]) for k in e)
        return False

    if unordered and type(expected) in (list, tuple) and type(actual) in (list, tuple):
        return _multiset(list(expected), list(actual), eq)
    return eq(expected, actual)


def multiset(expected: list, actual: list, eq) -> bool:
    """Whether two lists hold the same items in any order, by `eq` (which may be tolerant)."""
    return _multiset(expected, actual, eq)


def _multiset(expected: list, actual: list, eq) -> bool:
    if len(expected) != len(actual):
        return False
    try:
        if all(eq(x, y) for x, y in zip(sorted(expected, key=_key), sorted(actual, key=_key), strict=True)):
            return True
    except TypeError:
        pass  # keys that do not order (odd expected values): try matching one by one
    if len(expected) > GREEDY_CAP:
        return False
    # Tolerances can reorder near-equal floats, so fall back to matching item by item.
    missing, _ = pair_greedily(expected, actual, eq)
    return not missing


def pair_greedily(expected: list, actual: list, eq) -> tuple[list, list]:
    """Match each expected item with the first equal actual one: (unmatched expected, leftover actual).

    Used when tolerant equality makes sorting unreliable (code and SQL multisets alike)."""
    left = list(actual)
    missing = []
    for x in expected:
        for i, y in enumerate(left):
            if eq(x, y):
                del left[i]
                break
        else:
            missing.append(x)
    return missing, left


def _key(v: Any) -> tuple:
    t = type(v)
    if v is None:
        return (0,)
    if t is bool:
        return (1, v)
    if t in (int, float):
        try:
            f = float(v)
        except OverflowError:
            f = math.inf if v > 0 else -math.inf
        return (2, 1) if math.isnan(f) else (2, 0, f)
    if t is str:
        return (3, v)
    if t in (list, tuple):
        return (4, tuple(_key(x) for x in v))
    if t is dict:
        return (5, tuple(sorted((str(k), _key(x)) for k, x in v.items())))
    return (6, repr(v))
