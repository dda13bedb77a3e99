"""Comparing a returned value with the expected one, numpy and pandas results included.

The child turns arrays, series and dataframes into tagged plain data
(drill/judge/_mlchild.py); here, in drill's process, they are checked against what the
question's `returns` and `compare` say (docs/pack-format.md). `mismatch` returns None when
the answer is right, else the message of its `wrong_answer`: a wrong shape, wrong columns,
wrong column order, wrong index, wrong length or wrong dtype kind says exactly that; wrong
values say where they first differ (never the expected value: hidden cases stay hidden).

Inside arrays, series and dataframes a missing value (NaN, NaT, pandas NA, null) equals
only a missing value; datetimes are ISO 8601 strings, compared as instants.
"""

from __future__ import annotations

import math

from drill.judge.compare import multiset, same

TYPE_CHECKING = False  # typing only for type checkers: `drill check` has no time to import it
if TYPE_CHECKING:
    from typing import Any

WRONG = "wrong answer"
TAGS = {"ndarray": ("shape", "dtype", "data"), "series": ("name", "dtype", "index", "data"),
        "dataframe": ("columns", "dtypes", "index", "data")}
NAMES = {"ndarray": "a numpy array", "series": "a pandas Series", "dataframe": "a pandas DataFrame"}
MISSING = None  # what NaN, NaT, NA and null all become before values are compared


def expected_problem(kind: str, expected: Any) -> str | None:
    """Why `expected` is not written as a `returns.type` of `kind` wants, or None.

    `drill packs validate` reports it at the case; the judge refuses to compare with it."""
    if kind in ("value",):
        return None
    if kind == "scalar":
        if type(expected) in (list, tuple, dict):
            return "a scalar result is written as a number, bool, string or null"
        return None
    if kind == "array":
        if type(expected) is dict:
            shape, data = expected.get("shape"), expected.get("data")
            if set(expected) != {"shape", "data"} or type(shape) is not list or type(data) is not list \
                    or not all(type(n) is int and n >= 0 for n in shape):
                return "an array result is a nested list, or {shape: [...], data: [...]}"
            if len(_flat(data)) != math.prod(shape):
                return f"shape {shape} holds {math.prod(shape)} values; 'data' has {len(_flat(data))}"
            return None
        if shape_of(expected) is None:
            return "an array result must be a rectangular nested list (these lists are ragged)"
        return None
    if kind == "series":
        if type(expected) is list:
            return None
        if type(expected) is not dict or not set(expected) <= {"data", "index", "name"} \
                or type(expected.get("data")) is not list:
            return "a series result is a list of values, or {data: [...], index: [...], name: ...}"
        index = expected.get("index")
        if index is not None and (type(index) is not list or len(index) != len(expected["data"])):
            return "a series result's 'index' must be a list as long as its 'data'"
        return None
    if kind == "dataframe":
        if type(expected) is not dict or not {"columns", "data"} <= set(expected) \
                or not set(expected) <= {"columns", "data", "index", "dtypes"}:
            return "a dataframe result is {columns: [...], data: [[row], ...]} (and optionally index, dtypes)"
        cols, rows = expected["columns"], expected["data"]
        if type(cols) is not list or type(rows) is not list:
            return "a dataframe result's 'columns' and 'data' are lists"
        if len({repr(c) for c in cols}) != len(cols):
            return "a dataframe result's columns must be unique"
        for i, row in enumerate(rows):
            if type(row) is not list or len(row) != len(cols):
                return f"row {i} of the dataframe result must be a list of {len(cols)} values, one per column"
        index = expected.get("index")
        if index is not None and (type(index) is not list or len(index) != len(rows)):
            return "a dataframe result's 'index' must be a list with one label per row"
        dtypes = expected.get("dtypes")
        if dtypes is not None and (type(dtypes) is not list or len(dtypes) != len(cols)
                                   or not all(type(d) is str for d in dtypes)):
            return "a dataframe result's 'dtypes' must list one dtype name per column"
        return None
    return f"unknown result type {kind!r}"


def mismatch(spec: Any, expected: Any, actual: Any) -> str | None:
    """None when `actual` matches `expected` under `spec` (a drill.judge.spec.Spec), else why not.

    ValueError when `expected` itself is malformed (a tests file that was never validated)."""
    kind = (spec.returns or {}).get("type") or "value"
    if not spec.is_class:
        problem = expected_problem(kind, expected)
        if problem:
            raise ValueError(problem)
    if spec.is_class:
        # Each call's return value compares as a value; `unordered` applies to each, not to the list.
        if not (type(expected) is list and type(actual) in (list, tuple) and len(expected) == len(actual)):
            return WRONG
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            why = _value(spec, e, a)
            if why is not None:
                return why if why == WRONG else f"call {i + 1}: {why}"
        return None
    return {"value": _value, "scalar": _scalar, "array": _array, "series": _series,
            "dataframe": _frame}[kind](spec, expected, actual)


def tagged(v: Any) -> tuple[str, dict] | None:
    """(kind, fields) when `v` is the child's tagged form of an array, series or dataframe."""
    if type(v) is dict and len(v) == 1:
        (kind, inner), = v.items()
        if kind in TAGS and type(inner) is dict and set(inner) == set(TAGS[kind]):
            return kind, inner
    return None


def plain(v: Any) -> Any:
    """Arrays and series as their nested lists of values (for questions that want plain data)."""
    tag = tagged(v)
    if tag is not None and tag[0] in ("ndarray", "series"):
        return plain(tag[1]["data"])
    if type(v) in (list, tuple):
        return [plain(x) for x in v]
    if type(v) is dict and tag is None:
        return {k: plain(x) for k, x in v.items()}
    return v


def _kw(spec: Any) -> dict:
    return {"rel_tol": spec.rel_tol, "abs_tol": spec.abs_tol}


def _value(spec: Any, expected: Any, actual: Any) -> str | None:
    if not spec.strict_types:
        actual = plain(actual)
    elif _has_tag(actual):
        return f"returned {describe(actual)}; this question wants plain data"
    if same(expected, actual, unordered=spec.unordered, **_kw(spec)):
        return None
    return f"returned {describe(actual)}, expected {describe(expected)}" if tagged(actual) else WRONG


def _has_tag(v: Any) -> bool:
    if tagged(v) is not None:
        return True
    if type(v) in (list, tuple):
        return any(_has_tag(x) for x in v)
    if type(v) is dict:
        return any(_has_tag(x) for x in v.values())
    return False


def describe(v: Any) -> str:
    tag = tagged(v)
    if tag is not None:
        kind, inner = tag
        if kind == "ndarray":
            return f"a numpy array of shape {shape_text(inner['shape'])}"
        return NAMES[kind]
    if v is None:
        return "None"
    return {bool: "a bool", int: "an int", float: "a float", str: "a str", list: "a list",
            tuple: "a tuple", dict: "a dict"}.get(type(v), f"a {type(v).__name__}")


def shape_text(shape: Any) -> str:
    dims = [str(n) for n in shape] if type(shape) in (list, tuple) else ["?"]
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"


# ------------------------------------------------------------------ dtypes


def dtype_kind(name: Any) -> str:
    """float, int, bool, datetime, str or category, for a numpy/pandas dtype name."""
    text = str(name)
    low = text.lower()
    if low.startswith("float"):
        return "float"
    if low.startswith(("int", "uint")):
        return "int"
    if low in ("bool", "boolean"):
        return "bool"
    if low.startswith("datetime64"):
        return "datetime"
    if low == "category":
        return "category"
    if low in ("str", "string", "object") or low.startswith(("<u", "|s", "<s", "|u", "string[")):
        return "str"
    return low


def _dtype_problem(spec: Any, got: Any, want: Any, what: str = "dtype") -> str | None:
    if want is None or got is None:
        return None
    if dtype_kind(got) != dtype_kind(want):
        return f"{what} {got}, expected {want}"
    if not spec.ignore_dtype_width and str(got) != str(want) and not (
        dtype_kind(want) == "str" and dtype_kind(got) == "str"
    ):
        return f"{what} {got}, expected {want}"
    return None


# ------------------------------------------------------------------ cells


def _iso(text: str) -> list | None:
    """An ISO 8601 date-time as a comparable [UTC wall time, nanoseconds, aware], or None."""
    import datetime

    head, dot, rest = text.replace(" ", "T").partition(".")
    frac, tz = rest, ""
    for sign in ("+", "-", "Z"):
        if dot and sign in rest:
            frac, tz = rest[: rest.index(sign)], rest[rest.index(sign):]
            break
    if frac and not frac.isdigit():
        return None
    try:
        moment = datetime.datetime.fromisoformat(head + tz)
    except ValueError:
        return None
    offset = moment.utcoffset()
    if offset is not None:
        moment = moment - offset
    return [moment.replace(tzinfo=None).isoformat(), int(frac.ljust(9, "0")[:9]) if frac else 0,
            offset is not None]


def _cell(v: Any, kind: str) -> Any:
    """A value made comparable: missing values alike, datetimes as instants."""
    if v is None or (type(v) is float and math.isnan(v)):
        return MISSING
    if kind == "datetime" and type(v) is str:
        moment = _iso(v)
        return ["datetime", *moment] if moment is not None else v
    return v


def _cells(v: Any, kind: str) -> Any:
    if type(v) in (list, tuple):
        return [_cells(x, kind) for x in v]
    return _cell(v, kind)


def _first_difference(expected: Any, actual: Any, spec: Any, at: tuple = ()) -> tuple | None:
    """The index path of the first element where two equally shaped nested lists differ."""
    if type(expected) is list and type(actual) is list and len(expected) == len(actual):
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = _first_difference(e, a, spec, (*at, i))
            if found is not None:
                return found
        return None
    return None if same(expected, actual, **_kw(spec)) else at


def _where(path: tuple) -> str:
    return f"[{', '.join(str(i) for i in path)}]"


# ------------------------------------------------------------------ kinds


def _scalar(spec: Any, expected: Any, actual: Any) -> str | None:
    tag = tagged(actual)
    if tag is not None and tag[0] == "ndarray" and tag[1]["shape"] == [] and not spec.strict_types:
        actual = tag[1]["data"]
    elif tag is not None or type(actual) in (list, tuple, dict):
        return f"returned {describe(actual)}, expected a scalar"
    want = (spec.returns or {}).get("dtype")
    if want is not None:
        got = {bool: "bool", int: "int", float: "float", str: "str"}.get(type(actual))
        kind = dtype_kind(want)
        if kind == "datetime":
            kind = "str"
        # An int is an exact float: a float question accepts one.
        if got is not None and got != kind and not (kind == "float" and got == "int"):
            return f"returned {describe(actual)}, expected a {want} scalar"
    kind = dtype_kind(want) if want else ""
    return None if same(_cell(expected, kind), _cell(actual, kind), **_kw(spec)) else WRONG


def shape_of(v: Any) -> tuple | None:
    """The shape of a rectangular nested list (() for a scalar), or None when ragged."""
    if type(v) not in (list, tuple):
        return ()
    if not v:
        return (0,)
    inner = [shape_of(x) for x in v]
    if any(s is None or s != inner[0] for s in inner):
        return None
    return (len(v), *inner[0])  # type: ignore[misc]


def expected_array(expected: Any) -> tuple[tuple, Any]:
    """(shape, nested data) of an `array` question's expected value: a nested list, or
    `{shape, data}` (for empty arrays of several dimensions)."""
    if type(expected) is dict and set(expected) == {"shape", "data"}:
        shape = tuple(expected["shape"])
        return shape, _reshape(_flat(expected["data"]), shape)
    return shape_of(expected) or (), expected


def _flat(v: Any) -> list:
    if type(v) in (list, tuple):
        return [y for x in v for y in _flat(x)]
    return [v]


def _reshape(flat: list, shape: tuple) -> Any:
    if len(shape) <= 1:
        return list(flat) if shape else (flat[0] if flat else None)
    if shape[0] == 0:
        return []
    step = len(flat) // shape[0] if shape[0] else 0
    return [_reshape(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def _array(spec: Any, expected: Any, actual: Any) -> str | None:
    want_shape, want = expected_array(expected)
    tag = tagged(actual)
    got_dtype = None
    got_shape: tuple | None
    if tag is not None and tag[0] == "ndarray":
        got_shape, data, got_dtype = tuple(tag[1]["shape"]), tag[1]["data"], tag[1]["dtype"]
    elif spec.strict_types:
        return f"returned {describe(actual)}, expected a numpy array"
    elif tag is not None and tag[0] == "series":
        data = tag[1]["data"]
        got_shape = (len(data),)
    elif tag is None and type(actual) in (list, tuple, int, float, bool):
        data = plain(actual)
        got_shape = shape_of(data)
        if got_shape is None:
            return f"returned ragged nested lists, expected an array of shape {shape_text(want_shape)}"
    else:
        return f"returned {describe(actual)}, expected an array of shape {shape_text(want_shape)}"
    if got_shape != want_shape:
        return f"shape {shape_text(got_shape)}, expected {shape_text(want_shape)}"
    problem = _dtype_problem(spec, got_dtype, (spec.returns or {}).get("dtype"))
    if problem:
        return problem
    kind = dtype_kind(got_dtype or (spec.returns or {}).get("dtype") or "")
    e, a = _cells(want, kind), _cells(data, kind)
    if (spec.ignore_row_order or spec.unordered) and want_shape and type(e) is list:
        return None if multiset(e, a, lambda x, y: same(x, y, **_kw(spec))) else \
            "wrong values (rows compared in any order)"
    at = _first_difference(e, a, spec)
    return None if at is None else f"wrong values (first difference at {_where(at)})"


def expected_series(expected: Any) -> tuple[list, Any, Any, bool]:
    """(data, index or None, name, whether the name matters) of a `series` question's expected value."""
    if type(expected) is dict:
        return (list(expected.get("data") or []), expected.get("index"), expected.get("name"),
                "name" in expected)
    return list(expected), None, None, False


def _series(spec: Any, expected: Any, actual: Any) -> str | None:
    data_e, index_e, name_e, name_matters = expected_series(expected)
    tag = tagged(actual)
    index_a = name_a = dtype_a = None
    if tag is not None and tag[0] == "series":
        inner = tag[1]
        data_a, index_a, name_a, dtype_a = inner["data"], inner["index"], inner["name"], inner["dtype"]
    elif spec.strict_types:
        return f"returned {describe(actual)}, expected a pandas Series"
    elif tag is not None and tag[0] == "ndarray" and len(tag[1]["shape"]) == 1:
        data_a, dtype_a = tag[1]["data"], tag[1]["dtype"]
    elif tag is None and type(actual) in (list, tuple):
        data_a = plain(actual)
    else:
        return f"returned {describe(actual)}, expected a pandas Series"
    if type(data_a) is not list:
        return f"returned {describe(actual)}, expected a pandas Series"
    if len(data_a) != len(data_e):
        return f"length {len(data_a)}, expected {len(data_e)}"
    problem = _dtype_problem(spec, dtype_a, (spec.returns or {}).get("dtype"))
    if problem:
        return problem
    if name_matters and name_a != name_e and tag is not None:
        return f"name {name_a!r}, expected {name_e!r}"
    kind = dtype_kind(dtype_a or (spec.returns or {}).get("dtype") or "")
    e, a = _cells(data_e, kind), _cells(data_a, kind)
    use_index = not spec.ignore_index and index_e is not None
    if use_index and index_a is None:
        return f"returned {describe(actual)}, expected a pandas Series with an index"
    if use_index:
        e = [[_index_cell(i), x] for i, x in zip(index_e, e, strict=True)]
        a = [[_index_cell(i), x] for i, x in zip(index_a, a, strict=True)]  # type: ignore[arg-type]
    if spec.ignore_row_order or spec.unordered:
        return None if multiset(e, a, lambda x, y: same(x, y, **_kw(spec))) else \
            "wrong values (rows compared in any order)"
    for i, (x, y) in enumerate(zip(e, a, strict=True)):
        if not same(x, y, **_kw(spec)):
            if use_index and not same(x[0], y[0], **_kw(spec)):
                return f"index differs at row {i}"
            return f"wrong values (first difference at row {i})"
    return None


def _index_cell(v: Any) -> Any:
    """Index labels: ISO strings compare as instants (a DatetimeIndex), tuples as lists."""
    if type(v) is str and _iso(v) is not None:
        return _cell(v, "datetime")
    if type(v) in (list, tuple):
        return [_index_cell(x) for x in v]
    return _cell(v, "")


def _frame(spec: Any, expected: Any, actual: Any) -> str | None:
    tag = tagged(actual)
    if tag is None or tag[0] != "dataframe":
        return f"returned {describe(actual)}, expected a pandas DataFrame"
    inner = tag[1]
    cols_a, dtypes_a, index_a, rows_a = inner["columns"], inner["dtypes"], inner["index"], inner["data"]
    cols_e, rows_e = list(expected["columns"]), list(expected["data"])
    if type(cols_a) is not list or type(rows_a) is not list or type(dtypes_a) is not list:
        return f"returned {describe(actual)}, expected a pandas DataFrame"
    if cols_a != cols_e:
        if spec.ignore_column_order and sorted(map(repr, cols_a)) == sorted(map(repr, cols_e)) \
                and len(set(map(repr, cols_a))) == len(cols_a):
            order = [cols_a.index(c) for c in cols_e]
            rows_a = [[r[j] for j in order] if type(r) is list and len(r) == len(cols_a) else r for r in rows_a]
            dtypes_a = [dtypes_a[j] for j in order] if len(dtypes_a) == len(cols_a) else dtypes_a
        elif sorted(map(repr, cols_a)) == sorted(map(repr, cols_e)):
            return f"columns in the order {cols_a!r}, expected {cols_e!r}"
        else:
            return f"columns {cols_a!r}, expected {cols_e!r}"
    if len(rows_a) != len(rows_e):
        return f"{len(rows_a)} rows, expected {len(rows_e)}"
    if any(type(r) is not list or len(r) != len(cols_e) for r in rows_a):
        return f"returned {describe(actual)}, expected a pandas DataFrame"
    kinds = [dtype_kind(d) for d in dtypes_a] if len(dtypes_a) == len(cols_e) else [""] * len(cols_e)
    for col, got, want in zip(cols_e, dtypes_a, expected.get("dtypes") or [], strict=False):
        problem = _dtype_problem(spec, got, want, f"column {col!r} has dtype")
        if problem:
            return problem
    e = [[_cell(x, k) for x, k in zip(r, kinds, strict=True)] for r in rows_e]
    a = [[_cell(x, k) for x, k in zip(r, kinds, strict=True)] for r in rows_a]
    use_index = not spec.ignore_index and expected.get("index") is not None
    if use_index:
        if type(index_a) is not list or len(index_a) != len(rows_a):
            return f"returned {describe(actual)}, expected a pandas DataFrame"
        e = [[_index_cell(i), *r] for i, r in zip(expected["index"], e, strict=True)]
        a = [[_index_cell(i), *r] for i, r in zip(index_a, a, strict=True)]
    if spec.ignore_row_order or spec.unordered:
        return None if multiset(e, a, lambda x, y: same(x, y, **_kw(spec))) else \
            "wrong values (rows compared in any order)"
    for i, (x, y) in enumerate(zip(e, a, strict=True)):
        if same(x, y, **_kw(spec)):
            continue
        if use_index and not same(x[0], y[0], **_kw(spec)):
            return f"index differs at row {i}"
        offset = 1 if use_index else 0
        for j, col in enumerate(cols_e):
            if not same(x[j + offset], y[j + offset], **_kw(spec)):
                return f"wrong values (first difference at row {i}, column {col!r})"
    return None
