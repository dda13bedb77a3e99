"""numpy and pandas in the judge's child: required packages, arguments, results.

Four jobs, for questions with `requires:` (docs/pack-format.md says what a pack writes):
- `preimport` imports the required packages once, before the runner forks per case, so a
  case costs what it costs without them;
- `build_case` turns a case's JSON inputs into real arrays, series and dataframes, as the
  question's `arguments` declare;
- `read_frame` reads a `model` question's training and test files into DataFrames;
- `convert` turns numpy and pandas results into plain, tagged data for the wire codec
  (`{"ndarray": ...}`, `{"series": ...}`, `{"dataframe": ...}`), which the parent compares
  (drill/judge/mlcompare.py).

How it is loaded: drill/judge/_runner.py execs this file from beside itself (under
bubblewrap it is bound read-only at /judge/_mlchild.py, next to /judge/runner.py), with the
runner's TooLarge, Unsendable and MAX_ITEMS already in its namespace; it is loaded only for
questions with `requires:`. `drill packs validate` imports it as drill.judge._mlchild to
build every case's arguments. Standard library at the top: numpy and pandas are imported
inside the functions, so importing this costs drill nothing.

Nothing here is trusted by the parent: the answer runs in this process and can change any
of it. It exists so that honest answers get honest verdicts; the parent checks every value.
"""

from __future__ import annotations

import math
import os
import re
import sys
from typing import Any

if "TooLarge" not in globals():  # imported by drill itself, not exec'd by the runner
    from drill.judge._runner import MAX_ITEMS, TooLarge, Unsendable

ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$")
INT_RANGES = {"int64": (-(1 << 63), (1 << 63) - 1), "int32": (-(1 << 31), (1 << 31) - 1),
              "Int64": (-(1 << 63), (1 << 63) - 1)}
# One thread per BLAS/OpenMP pool: threads count against RLIMIT_NPROC and each reserves
# address space (about 40 MB under RLIMIT_AS), and results stay reproducible.
NUMPY_DTYPES = ("float64", "float32", "int64", "int32", "bool", "datetime64[ns]")
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS")


class BuildError(Exception):
    """A case value that cannot become the declared argument; `where` is the path inside the case."""

    def __init__(self, message: str, where: tuple = ()) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


# ------------------------------------------------------------------ preimport


def preimport(requires: list[str]) -> None:
    """Import the question's packages now (in the runner, before any fork)."""
    for var in THREAD_VARS:
        os.environ[var] = "1"
    for name in requires:
        __import__(name)


def warm(arguments: dict[str, dict]) -> list:
    """Small values like the declared arguments (and a few results), for the runner to build
    and convert once before it forks: numpy's and pandas' first-use work (lazy imports,
    caches) then happens once, not again in every case's fork (measured: a 6-row frame
    took about 4 ms to build in a fork of a cold runner, 1 ms after this)."""
    sample = {"float64": 1.5, "float32": 1.5, "int64": 1, "int32": 1, "Int64": 1, "bool": True, "str": "a",
              "datetime64[ns]": "2024-01-01T00:00:00", "category": "a", None: 1}
    out: list = []
    for spec in arguments.values():
        kind, dtype = spec.get("type"), spec.get("dtype")
        try:
            if kind == "array":
                out.append(build(spec, [[sample[dtype]] * 2] * 2))
            elif kind == "series" and spec.get("index"):
                out.append(build(spec, {spec["index"]: ["2024-01-01", "2024-01-02"], spec.get("name"): [sample[dtype]] * 2}))
            elif kind == "series":
                out.append(build(spec, [sample[dtype]] * 2))
            elif kind == "dataframe":
                row = {c: sample[d] for c, d in (spec.get("columns") or {}).items()}
                out.append(build(spec, [row, dict(row)]))
        except (BuildError, KeyError, TypeError, ValueError):
            continue
    np, pd = sys.modules.get("numpy"), sys.modules.get("pandas")
    if np is not None:
        out += [np.zeros((2, 2)), np.float64(1.5), np.int64(1)]
    if pd is not None and np is not None:
        frame = pd.DataFrame({"a": [1, 2], "b": [1.5, None], "c": ["x", None],
                              "t": np.array(["2024-01-01", None], dtype="datetime64[ns]")})
        out += [frame, frame["b"], frame[["a", "b"]].groupby("a", as_index=False).sum()]
    return out


def read_frame(raw: bytes, gz: bool) -> Any:
    """A `model` question's file as a DataFrame, as `pandas.read_csv(path, low_memory=False)`
    reads the file in the candidate's workspace."""
    import io

    import pandas as pd

    return pd.read_csv(io.BytesIO(raw), compression="gzip" if gz else None, low_memory=False)


# ------------------------------------------------------------------ arguments


def build_case(arguments: dict[str, dict], inputs: dict, is_class: bool) -> dict:
    """The case's inputs with every declared argument built; BuildError says where one fails.

    For a function, the i-th declared argument is positional argument i (when the case has
    that many) and the keyword argument of its name. For a class, the declared arguments
    are those of `__init__` (the first call): method calls get plain values.
    """
    specs = list(arguments.items())
    if is_class:
        calls = [list(c) for c in inputs["calls"]]
        if not calls:
            return inputs
        args = list(calls[0][1])
        for i, (name, spec) in enumerate(specs[: len(args)]):
            args[i] = _built(name, spec, args[i], ("calls", 0, 1, i))
        calls[0] = [calls[0][0], args]
        return {"calls": calls}
    args = list(inputs.get("args") or [])
    kwargs = dict(inputs.get("kwargs") or {})
    for i, (name, spec) in enumerate(specs):
        if i < len(args):
            args[i] = _built(name, spec, args[i], ("args", i))
        if name in kwargs:
            kwargs[name] = _built(name, spec, kwargs[name], ("kwargs", name))
    return {"args": args, "kwargs": kwargs}


def _built(name: str, spec: dict, value: Any, where: tuple) -> Any:
    try:
        return build(spec, value)
    except BuildError as e:
        raise BuildError(f"argument '{name}': {e.message}", where + e.where) from None


def build(spec: dict, value: Any) -> Any:
    """One argument from its JSON value, as `spec` (an `arguments` entry) declares."""
    kind = spec.get("type") or "value"
    if kind == "value":
        return value
    if kind == "array":
        return _array(spec.get("dtype"), value)
    if kind == "series":
        return _series(spec, value)
    if kind == "dataframe":
        return _frame(spec, value)
    raise BuildError(f"unknown argument type {kind!r}")


def _array(dtype: str | None, value: Any) -> Any:
    import numpy as np

    shape: tuple | None = None
    data = value
    if type(value) is dict:
        if set(value) != {"shape", "data"}:
            raise BuildError("an array is a nested list, or a mapping with exactly 'shape' and 'data'")
        shape, data = value["shape"], value["data"]
        if type(shape) is not list or not all(type(n) is int and n >= 0 for n in shape):
            raise BuildError("'shape' must be a list of non-negative integers", ("shape",))
        if type(data) is not list:
            raise BuildError("'data' must be a list", ("data",))
        shape = tuple(shape)
    elif type(value) is not list:
        raise BuildError(f"an array is written as a nested list, not {_what(value)}")
    inner = ("data",) if shape is not None else ()
    nested = _nested_shape(data, inner)
    _check_leaves(dtype, data, inner, "array")
    try:
        if dtype == "str":
            arr = np.empty(nested, dtype=object)
            if arr.size:
                arr[...] = _fill_object(data, nested)
        else:
            arr = np.array(data, dtype=dtype)
        if shape is not None:
            if math.prod(shape) != arr.size:
                raise BuildError(f"shape {list(shape)} holds {math.prod(shape)} values; 'data' has {arr.size}")
            arr = arr.reshape(shape)
    except BuildError:
        raise
    except (ValueError, TypeError, OverflowError) as e:
        raise BuildError(f"cannot build a {dtype or 'numpy'} array: {e}") from None
    return arr


def _fill_object(data: list, shape: tuple) -> Any:
    """A nested list of str as an object array of exactly `shape` (numpy would otherwise
    try to see lists inside the strings' sequence)."""
    import numpy as np

    out = np.empty(shape, dtype=object)
    flat: list = []

    def walk(v: Any) -> None:
        if type(v) is list:
            for x in v:
                walk(x)
        else:
            flat.append(v)

    walk(data)
    out.reshape(-1)[:] = flat
    return out


def _nested_shape(data: Any, where: tuple) -> tuple:
    """The shape of a rectangular nested list; BuildError at the first ragged place."""
    if type(data) is not list:
        return ()
    if not data:
        return (0,)
    first = _nested_shape(data[0], (*where, 0))
    for i, item in enumerate(data[1:], 1):
        if _nested_shape(item, (*where, i)) != first:
            raise BuildError(f"ragged nested lists: item {i} does not have the shape of item 0", (*where, i))
    return (len(data), *first)


def _leaves(data: Any, where: tuple):
    if type(data) is list:
        for i, item in enumerate(data):
            yield from _leaves(item, (*where, i))
    else:
        yield data, where


def _check_leaves(dtype: str | None, data: Any, where: tuple, what: str) -> None:
    for leaf, at in _leaves(data, where):
        problem = _leaf_problem(dtype, leaf, what)
        if problem:
            raise BuildError(problem, at)


def _leaf_problem(dtype: str | None, v: Any, what: str) -> str | None:
    t = type(v)
    if t is dict:
        return f"a mapping inside a{'n' if what[0] in 'aeiou' else ''} {what}"
    if dtype is None:
        return None
    if v is None:
        if dtype in ("int64", "int32"):
            return f"null in an {dtype} {what}: use float64{' or Int64' if what != 'array' else ''} for missing values"
        if dtype == "bool":
            return f"null in a bool {what}"
        return None
    if dtype in ("float64", "float32"):
        ok = t in (int, float)
    elif dtype in ("int64", "int32", "Int64"):
        if t is not int:
            return f"{_what(v)} in an {dtype} {what}"
        lo, hi = INT_RANGES[dtype]
        return None if lo <= v <= hi else f"{v} is out of range for {dtype}"
    elif dtype == "bool":
        ok = t is bool
    elif dtype == "str":
        ok = t is str
    elif dtype == "datetime64[ns]":
        if t is not str or not ISO_RE.match(v):
            return (f"{_what(v)} in a datetime64[ns] {what}: write naive ISO 8601 strings "
                    "such as \"2024-03-01T12:30:00\"")
        return _bad_date(v)
    else:  # category: any scalar
        ok = t in (int, float, str, bool)
    return None if ok else f"{_what(v)} in a{'n' if dtype[0] in 'aeiouI' else ''} {dtype} {what}"


def _bad_date(text: str) -> str | None:
    """Why an ISO-shaped string is no real date or time (a 30 February), or None."""
    import datetime

    head, _, frac = text.replace(" ", "T").partition(".")
    try:
        datetime.datetime.fromisoformat(head + ("." + frac[:6].ljust(6, "0") if frac else ""))
    except ValueError as e:
        return f"{text!r} is not a valid date and time ({e})"
    return None


def _what(v: Any) -> str:
    if v is None:
        return "null"
    t = type(v)
    if t is bool:
        return f"the boolean {str(v).lower()}"
    if t in (int, float):
        return f"the number {v!r}"
    if t is str:
        return f"the string {v[:40]!r}"
    if t is list:
        return "a list"
    if t is dict:
        return "a mapping"
    return f"a {t.__name__}"


def _column(dtype: str | None, values: Any, at: Any = None, name: Any = None) -> Any:
    """A pandas Series of `values` with `dtype` (None: let pandas infer); `at(i)` is where
    value i was written, for errors (None: a plain list, so the position itself)."""
    import pandas as pd

    col = _column_values(dtype, values, at)
    if isinstance(col, pd.Series):
        col.name = name
        return col
    return pd.Series(col, name=name)


def _column_values(dtype: str | None, values: Any, at: Any = None) -> Any:
    """`values` checked and built as the array a frame's column is made of: numpy arrays
    where numpy has the dtype (several times faster to build, and to build a frame from),
    pandas arrays for Int64 and category, a Series where pandas would otherwise infer
    (str stays object; pandas 3 would make it its own string dtype)."""
    import pandas as pd

    at = at or (lambda i: (i,))
    if type(values) is not list:
        raise BuildError(f"a series is written as a list of values, not {_what(values)}")
    for i, v in enumerate(values):
        if type(v) is list:
            raise BuildError("a list inside a series: a series holds one value per row", at(i))
        problem = _leaf_problem(dtype, v, "series")
        if problem:
            raise BuildError(problem, at(i))
    try:
        if dtype in NUMPY_DTYPES:
            import numpy as np

            # numpy parses ISO 8601 (null: NaT) and makes null NaN in a float array.
            return np.array(values, dtype=dtype)
        if dtype == "Int64":
            return pd.array(values, dtype="Int64")
        if dtype == "category":
            return pd.Categorical(values)
        return pd.Series(values, dtype=object if dtype == "str" else None)
    except (ValueError, TypeError, OverflowError) as e:
        raise BuildError(f"cannot build a {dtype or 'pandas'} series: {e}") from None


def _series(spec: dict, value: Any) -> Any:
    import pandas as pd

    dtype, name, index = spec.get("dtype"), spec.get("name"), spec.get("index")
    if index is None:
        return _column(dtype, value, None, name)
    if name is None:
        raise BuildError("a series with an 'index' needs a 'name': the case gives both as columns")
    cols = _columns_of(value, [index, name])
    s = _column(dtype, *cols[name], name)
    values, at = cols[index]
    present = [v for v in values if v is not None]
    # The index has no declared dtype: ISO 8601 strings (the format's datetimes) make a DatetimeIndex.
    as_time = bool(present) and all(type(v) is str and ISO_RE.match(v) for v in present)
    s.index = pd.Index(_column("datetime64[ns]" if as_time else None, values, at), name=index)
    return s


def _columns_of(value: Any, names: list[str]) -> dict[str, tuple[list, Any]]:
    """Column name -> (values, where value i was written) from rows (a list of mappings)
    or a mapping of column -> list of values. Every declared column, and no other."""
    if type(value) is list:
        cols: dict[str, list] = {n: [] for n in names}
        for i, row in enumerate(value):
            if type(row) is not dict:
                raise BuildError(f"row {i} is {_what(row)}, not a mapping of column -> value", (i,))
            for key in row:
                if key not in cols:
                    raise BuildError(f"row {i} has a column {key!r} that is not declared", (i, key))
            for n in names:
                if n not in row:
                    raise BuildError(f"row {i} has no column {n!r}", (i,))
                cols[n].append(row[n])
        return {n: (vals, lambda i, n=n: (i, n)) for n, vals in cols.items()}
    if type(value) is dict:
        for key in value:
            if key not in names:
                raise BuildError(f"column {key!r} is not declared", (key,))
        out: dict[str, tuple[list, Any]] = {}
        length = None
        for n in names:
            if n not in value:
                raise BuildError(f"no column {n!r}")
            vals = value[n]
            if type(vals) is not list:
                raise BuildError(f"column {n!r} is {_what(vals)}, not a list of values", (n,))
            if length is not None and len(vals) != length:
                raise BuildError(f"column {n!r} has {len(vals)} values; the columns before it have {length}", (n,))
            length = len(vals)
            out[n] = (vals, lambda i, n=n: (n, i))
        return out
    raise BuildError(f"a frame is a list of rows or a mapping of columns, not {_what(value)}")


def _frame(spec: dict, value: Any) -> Any:
    import pandas as pd

    columns: dict[str, str] = spec.get("columns") or {}
    cols = _columns_of(value, list(columns))
    built = {name: _column_values(dtype, *cols[name]) for name, dtype in columns.items()}
    frame = pd.DataFrame(built, columns=list(columns))
    index = spec.get("index")
    if index is not None:
        frame = frame.set_index(index)
    return frame


# ------------------------------------------------------------------ results


def convert(v: Any) -> Any:
    """Plain data for a numpy or pandas value (one level: the codec converts what is inside),
    or NotImplemented for anything else. Only exact types: a subclass could lie."""
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    t = type(v)
    if np is not None:
        if t is np.ndarray:
            return _ndarray(np, v)
        if isinstance(v, np.generic) and t.__module__ == "numpy":
            return _numpy_scalar(np, v)
    if pd is not None:
        if t is pd.DataFrame:
            return _dataframe(pd, v)
        if t is pd.Series:
            return _series_out(pd, v)
        if t is pd.Timestamp:
            return v.isoformat()
        if v is pd.NaT or v is pd.NA:
            return None
        if t in (pd.Index, pd.RangeIndex, pd.DatetimeIndex, pd.MultiIndex):
            _cap(len(v))
            return _values(pd, v.to_series())
    return NotImplemented


def _cap(n: int) -> None:
    if n > MAX_ITEMS:
        raise TooLarge(f"more than {MAX_ITEMS:,} elements")


def _ndarray(np: Any, arr: Any) -> dict:
    _cap(arr.size)
    kind = arr.dtype.kind
    if kind in "biufUO":
        data = np.ndarray.tolist(arr)
    elif kind == "M":
        data = _nested(arr, lambda x: _iso64(np, x))
    else:
        raise Unsendable(f"a numpy array of dtype {arr.dtype}")
    return {"ndarray": {"shape": list(arr.shape), "dtype": str(arr.dtype), "data": data}}


def _nested(arr: Any, leaf) -> Any:
    if arr.ndim == 0:
        return leaf(arr[()])
    return [_nested(x, leaf) for x in arr] if arr.ndim > 1 else [leaf(x) for x in arr]


def _iso64(np: Any, x: Any) -> str | None:
    if np.isnat(x):
        return None
    text = str(np.datetime_as_string(x.astype("datetime64[ns]"), unit="ns"))
    return _trim_fraction(text)


def _trim_fraction(text: str) -> str:
    """2024-03-01T12:30:00.000000000 -> 2024-03-01T12:30:00 (and .500000000 -> .5)."""
    head, dot, frac = text.partition(".")
    frac = frac.rstrip("0")
    return f"{head}.{frac}" if dot and frac else head


def _numpy_scalar(np: Any, v: Any) -> Any:
    kind = v.dtype.kind
    if kind in "biufU":
        return v.item()
    if kind == "M":
        return _iso64(np, v)
    raise Unsendable(f"a numpy {type(v).__name__}")


def _values(pd: Any, s: Any) -> list:
    """A series' values as plain Python values; missing values become NaN in float columns
    and None elsewhere; datetimes ISO strings."""
    dtype = s.dtype
    kind = getattr(dtype, "kind", "O")
    if kind == "M":
        return [None if x is pd.NaT else x.isoformat() for x in s.tolist()]
    if kind == "f" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return s.tolist()
    if kind in "iub" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return s.tolist()
    # Nullable, categorical, string and object columns: element by element.
    out: list = []
    for x in s.astype(object).tolist():
        if x is None or x is pd.NA or x is pd.NaT or (type(x) is float and math.isnan(x)):
            out.append(None)
        else:
            out.append(x)
    return out


def _index_values(pd: Any, index: Any) -> list:
    if type(index) is pd.RangeIndex:
        return list(range(index.start, index.stop, index.step))
    return _values(pd, index.to_series())


def _series_out(pd: Any, s: Any) -> dict:
    _cap(2 * len(s))
    return {"series": {"name": s.name, "dtype": str(s.dtype), "index": _index_values(pd, s.index),
                       "data": _values(pd, s)}}


def _dataframe(pd: Any, df: Any) -> dict:
    rows, ncols = df.shape
    _cap(rows * (ncols + 1) + ncols)
    columns, dtypes, data = [], [], []
    for name, col in df.items():
        columns.append(name)
        dtypes.append(str(col.dtype))
        data.append(_values(pd, col))
    return {"dataframe": {"columns": columns, "dtypes": dtypes, "index": _index_values(pd, df.index),
                          "data": [list(r) for r in zip(*data, strict=True)] if ncols else [[] for _ in range(rows)]}}
