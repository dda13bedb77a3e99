"""Comparing a query's result rows with the expected ones.

Numbers compare with a tolerance (int 3 equals float 3.0), text and blobs exactly, NULL
only with NULL. Unordered results compare as multisets.
"""

from __future__ import annotations

import datetime as dt
import math

from drill.judge.compare import pair_greedily

TYPE_CHECKING = False  # typing is not imported at run time: the SQL child loads this module
if TYPE_CHECKING:
    from typing import Any

REL_TOL = 1e-6
ABS_TOL = 1e-9
SHOWN_ROWS = 3  # rows quoted in a mismatch message: enough to see the pattern


def normalise(value: Any) -> Any:
    """A YAML value as SQLite would hold it (bool -> int, dates -> ISO-8601 text)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def values_equal(expected: Any, actual: Any) -> bool:
    expected, actual = normalise(expected), normalise(actual)
    if expected is None or actual is None:
        return expected is None and actual is None
    e_num = isinstance(expected, (int, float))
    a_num = isinstance(actual, (int, float))
    if e_num and a_num:
        if isinstance(expected, int) and isinstance(actual, int):
            return expected == actual
        return math.isclose(float(expected), float(actual), rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if e_num or a_num:
        return False
    return type(expected) is type(actual) and expected == actual


def rows_equal(expected: list, actual: tuple | list) -> bool:
    return len(expected) == len(actual) and all(
        values_equal(e, a) for e, a in zip(expected, actual, strict=True))


def _sort_key(row) -> tuple:
    # SQLite's own order of storage classes: NULL, numbers, text, blob.
    key: list[tuple[int, float | str | bytes]] = []
    for v in row:
        v = normalise(v)
        if v is None:
            key.append((0, 0))
        elif isinstance(v, (int, float)):
            key.append((1, float(v)))
        elif isinstance(v, str):
            key.append((2, v))
        else:
            key.append((3, bytes(v)))
    return tuple(key)


def unmatched(expected: list, actual: list) -> tuple[list, list]:
    """Rows of each side left without a partner: (missing, unexpected)."""
    exp = sorted(expected, key=_sort_key)
    act = sorted(actual, key=_sort_key)
    if len(exp) == len(act) and all(rows_equal(e, a) for e, a in zip(exp, act, strict=True)):
        return [], []
    # Tolerance can reorder near-equal numbers across the sort, so pair greedily.
    return pair_greedily(exp, act, rows_equal)


def _show(rows: list) -> str:
    shown = ", ".join(str(list(r)) for r in rows[:SHOWN_ROWS])
    more = f" and {len(rows) - SHOWN_ROWS} more" if len(rows) > SHOWN_ROWS else ""
    return shown + more


def mismatch(expected: list, actual: list, *, ordered: bool, reveal: bool) -> str | None:
    """None when the rows match; else a one-line reason, quoting rows only when `reveal`."""
    if not ordered:
        missing, extra = unmatched(expected, actual)
        if not missing and not extra:
            return None
        counts = f"expected {len(expected)} row(s), got {len(actual)}"
        if not reveal:
            return f"wrong rows: {counts}"
        parts = [counts]
        if missing:
            parts.append(f"missing {_show(missing)}")
        if extra:
            parts.append(f"unexpected {_show(extra)}")
        return "; ".join(parts)
    for i, (e, a) in enumerate(zip(expected, actual, strict=False), start=1):
        if not rows_equal(e, a):
            if unmatched(expected, actual) == ([], []):
                return f"the rows are right but out of order: first difference at row {i}"
            if not reveal:
                return f"wrong rows: first difference at row {i}"
            return f"row {i}: expected {list(e)}, got {list(a)}"
    if len(expected) != len(actual):
        return f"expected {len(expected)} row(s), got {len(actual)}"
    return None
