"""A local stand-in for the numpy/pandas judge (issue #14), for checking pandas packs now.

It follows /work/specs/format-ml.md as written: `arguments` build DataFrames, Series and
arrays from a case's JSON (ISO datetimes parsed, null -> NaN/NaT/NA by dtype); results are
turned into plain data ({columns, dtypes, index, data} for frames, ISO strings for
datetimes); `expected` is compared with the question's `compare` options, cell by cell
with drill's own `drill.judge.compare.same`.

It runs in this process (no sandbox): only for trusted code, i.e. our references,
independent implementations and their mutants. It is not part of drill.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drill.judge.compare import same  # noqa: E402

DATETIME = "datetime64[ns]"


# ------------------------------------------------------------------ pack loading


def load_pack(path: Path) -> dict:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for q in data["questions"]:
        q["_hidden"] = list(q.get("tests") or [])
        q["_large"] = []
        if q.get("tests_file"):
            large = json.loads((path.parent / q["tests_file"]).read_text(encoding="utf-8"))
            q["_large"] = large
            q["_hidden"] += large
    return data


# ------------------------------------------------------------------ building arguments


def _column(values: list, dtype: str, str_mode: str) -> pd.Series:
    if dtype == "float64" or dtype == "float32":
        return pd.Series([math.nan if v is None else v for v in values], dtype=dtype)
    if dtype in ("int64", "int32"):
        if any(v is None for v in values):
            raise ValueError(f"null in a {dtype} column")
        return pd.Series(values, dtype=dtype)
    if dtype == "bool":
        if any(type(v) is not bool for v in values):
            raise ValueError("non-bool in a bool column")
        return pd.Series(values, dtype=bool)
    if dtype == "Int64":
        return pd.Series(pd.array(values, dtype="Int64"))
    if dtype == "str":
        if any(v is not None and type(v) is not str for v in values):
            raise ValueError("non-string in a str column")
        # The spec says "object of str"; pandas 3 also has its own str dtype. References
        # must work with both, so the harness can build either.
        return pd.Series(values, dtype=object if str_mode == "object" else "str")
    if dtype == DATETIME:
        if not values:
            return pd.Series([], dtype=DATETIME)
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")).astype(DATETIME)
    if dtype == "category":
        return pd.Series(values, dtype="category")
    raise ValueError(f"unknown dtype {dtype}")


def build_frame(value: Any, columns: dict[str, str], str_mode: str = "object",
                index: str | None = None) -> pd.DataFrame:
    names = list(columns)
    if isinstance(value, list):
        for row in value:
            if set(row) != set(names):
                raise ValueError(f"row keys {sorted(row)} != columns {sorted(names)}")
        data = {c: [row[c] for row in value] for c in names}
    elif isinstance(value, dict):
        if set(value) != set(names):
            raise ValueError(f"keys {sorted(value)} != columns {sorted(names)}")
        lengths = {len(v) for v in value.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of unequal length {lengths}")
        data = value
    else:
        raise ValueError("a dataframe is a list of rows or a mapping of columns")
    frame = pd.DataFrame({c: _column(list(data[c]), columns[c], str_mode) for c in names}, columns=names)
    if index is not None:
        frame = frame.set_index(index)
    return frame


def build_arg(spec: dict | None, value: Any, str_mode: str) -> Any:
    kind = (spec or {}).get("type", "value")
    if kind == "value":
        return value
    if kind == "dataframe":
        return build_frame(value, spec["columns"], str_mode, spec.get("index"))
    if kind == "series":
        return pd.Series(_column(list(value), spec.get("dtype", "float64"), str_mode).array,
                         name=spec.get("name"))
    if kind == "array":
        if isinstance(value, dict):
            return np.array(value["data"], dtype=spec.get("dtype")).reshape(value["shape"])
        return np.array([math.nan if v is None else v for v in value] if value and not isinstance(value[0], list)
                        else value, dtype=spec.get("dtype"))
    raise ValueError(f"unknown argument type {kind}")


def build_call(question: dict, case: dict, str_mode: str = "object") -> tuple[list, dict]:
    specs = list((question.get("arguments") or {}).items())
    args = [build_arg(specs[i][1] if i < len(specs) else None, v, str_mode)
            for i, v in enumerate(case.get("args") or [])]
    named = dict(specs)
    kwargs = {k: build_arg(named.get(k), v, str_mode) for k, v in (case.get("kwargs") or {}).items()}
    return args, kwargs


# ------------------------------------------------------------------ plain results


def plain_cell(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else pd.Timestamp(v).isoformat()
    if isinstance(v, pd.Timedelta):
        return v.total_seconds()
    if isinstance(v, np.generic):
        return v.item()
    return v


def to_plain(result: Any) -> Any:
    if isinstance(result, pd.DataFrame):
        rows = [[plain_cell(v) for v in row] for row in result.itertuples(index=False, name=None)]
        return {"dataframe": {"columns": [str(c) for c in result.columns],
                              "dtypes": [str(d) for d in result.dtypes],
                              "index": [plain_cell(v) for v in result.index],
                              "data": rows}}
    if isinstance(result, pd.Series):
        return {"series": {"name": result.name, "dtype": str(result.dtype),
                           "index": [plain_cell(v) for v in result.index],
                           "data": [plain_cell(v) for v in result.tolist()]}}
    if isinstance(result, np.ndarray):
        return {"ndarray": {"shape": list(result.shape), "dtype": str(result.dtype),
                            "data": [plain_cell(v) for v in result.tolist()] if result.ndim == 1 else result.tolist()}}
    return plain_cell(result)


# ------------------------------------------------------------------ comparing


def compare(question: dict, expected: Any, got: Any) -> str | None:
    """None when `got` (plain data) matches `expected`, else a one-line reason."""
    opts = question.get("compare") or {}
    tol = {"rel_tol": float(opts.get("rel_tol", 1e-6)), "abs_tol": float(opts.get("abs_tol", 1e-9))}
    kind = (question.get("returns") or {}).get("type", "value")
    if kind != "dataframe":
        return None if same(expected, got, unordered=bool(opts.get("unordered")), **tol) else "value differs"
    if not isinstance(got, dict) or "dataframe" not in got:
        return f"expected a DataFrame, got {type(got).__name__}"
    frame = got["dataframe"]
    cols, want = frame["columns"], expected["columns"]
    rows = frame["data"]
    if opts.get("ignore_column_order", False):
        if sorted(cols) != sorted(want):
            return f"columns {cols}, expected {want}"
        pos = [cols.index(c) for c in want]
        rows = [[r[i] for i in pos] for r in rows]
    elif cols != want:
        return f"columns {cols}, expected {want}"
    if len(rows) != len(expected["data"]):
        return f"{len(rows)} rows, expected {len(expected['data'])}"
    if (not opts.get("ignore_index", True) and "index" in expected
            and not same(expected["index"], frame["index"], **tol)):
        return "index differs"
    if not same(expected["data"], rows, unordered=bool(opts.get("ignore_row_order", False)), **tol):
        for i, (e, a) in enumerate(zip(expected["data"], rows, strict=True)):
            if not same(e, a, **tol):
                return f"row {i}: {a}, expected {e}"
        return "rows differ as a multiset"
    return None


def check_dtypes(question: dict, got: Any, declared: dict[str, str] | None) -> str | None:
    """The prompt's promised output dtypes (kind only): a self-check on our own answers."""
    if not declared or not isinstance(got, dict) or "dataframe" not in got:
        return None
    kinds = {"int64": "i", "float64": "f", "bool": "b", "str": "O", "datetime64[ns]": "M"}
    for col, dt in zip(got["dataframe"]["columns"], got["dataframe"]["dtypes"], strict=True):
        want = declared.get(col)
        if want is None:
            continue
        k = np.dtype(object).kind if dt in ("object", "str", "string") else (
            "M" if dt.startswith("datetime64") else np.dtype(dt).kind)
        if k != kinds[want]:
            return f"column {col}: dtype {dt}, prompt says {want}"
    return None


# ------------------------------------------------------------------ running


def load_function(path: Path, name: str, source: str | None = None):
    if source is None:
        spec = importlib.util.spec_from_file_location(f"answer_{path.stem.replace('-', '_')}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return getattr(module, name)
    namespace: dict = {"__name__": "answer"}
    exec(compile(source, str(path), "exec"), namespace)
    return namespace[name]


def run_case(question: dict, fn, case: dict, str_mode: str = "object") -> str | None:
    args, kwargs = build_call(question, case, str_mode)
    try:
        result = fn(*args, **kwargs)
    except Exception as e:  # a mutant may raise anything
        return f"raised {type(e).__name__}: {str(e)[:120]}"
    return compare(question, case["expected"], to_plain(result))
