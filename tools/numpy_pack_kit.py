"""A stand-in for the numpy judge, written from /work/specs/format-ml.md, for checking the
coding-numpy pack before the real judge lands.

- `build_args` turns a case's JSON/YAML values into real arrays as the format says
  (`arguments`: ordered parameter name -> {type, dtype}; `{shape, data}` form; null -> NaN
  for float dtypes).
- `to_plain` turns an answer's result into plain data as the judge's child would
  (numpy scalars -> Python values, ndarray -> {"ndarray": {shape, dtype, data}}).
- `same` compares plain data with `expected` under the question's `compare` and `returns`:
  an ndarray must have exactly the shape of the expected nested list (also when it is
  nested in a tuple or dict), floats within rel_tol/abs_tol, NaN equal only to NaN, bool
  never int.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "questions" / "coding-numpy.yaml"
FLOAT_DTYPES = {"float64", "float32"}


def load_pack(path: Path = PACK) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def questions(pack: dict) -> dict[str, dict]:
    return {q["id"]: q for q in pack["questions"]}


def hidden_cases(q: dict, pack_path: Path = PACK) -> list[dict]:
    """The YAML tests plus the tests_file cases."""
    import json

    cases = list(q.get("tests", []))
    if q.get("tests_file"):
        with open(pack_path.parent / q["tests_file"], encoding="utf-8") as f:
            cases += json.load(f)
    return cases


# ------------------------------------------------------------------ inputs


def _array(value: Any, dtype: str | None) -> np.ndarray:
    shape = None
    if isinstance(value, dict):
        if set(value) != {"shape", "data"}:
            raise ValueError(f"array dict needs exactly shape and data, got {sorted(value)}")
        shape, value = value["shape"], value["data"]
    if dtype in FLOAT_DTYPES:
        value = _nulls_to_nan(value)
    elif _has_null(value):
        raise ValueError(f"null in an array of dtype {dtype}")
    arr = np.asarray(value, dtype=dtype)
    if shape is not None:
        arr = arr.reshape(shape)
    return arr


def _nulls_to_nan(v: Any) -> Any:
    if v is None:
        return math.nan
    if isinstance(v, list):
        return [_nulls_to_nan(x) for x in v]
    return v


def _has_null(v: Any) -> bool:
    return v is None or (isinstance(v, list) and any(_has_null(x) for x in v))


def build_one(spec: dict | None, value: Any) -> Any:
    kind = (spec or {}).get("type", "value")
    if kind == "value":
        return value
    if kind == "array":
        return _array(value, spec.get("dtype"))
    raise ValueError(f"argument type {kind} is not used by this pack")


def build_args(q: dict, case: dict) -> tuple[list, dict]:
    specs = list((q.get("arguments") or {}).items())
    args = []
    for i, value in enumerate(case.get("args") or []):
        args.append(build_one(specs[i][1] if i < len(specs) else None, value))
    named = dict(specs)
    kwargs = {k: build_one(named.get(k), v) for k, v in (case.get("kwargs") or {}).items()}
    return args, kwargs


# ------------------------------------------------------------------ outputs


def to_plain(v: Any) -> Any:
    """What the judge's child sends back for a result."""
    if isinstance(v, np.ndarray):
        return {"ndarray": {"shape": list(v.shape), "dtype": str(v.dtype), "data": v.tolist()}}
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, (list, tuple)):
        return [to_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: to_plain(x) for k, x in v.items()}
    return v


def nested_shape(v: Any) -> tuple[int, ...]:
    """Shape of a nested list (as numpy would see it; ragged lists raise)."""
    if not isinstance(v, list):
        return ()
    if not v:
        return (0,)
    inner = {nested_shape(x) for x in v}
    if len(inner) != 1:
        raise ValueError("ragged expected list")
    return (len(v), *inner.pop())


KIND = {"f": "float", "i": "int", "u": "int", "b": "bool", "M": "datetime", "U": "str", "O": "object"}


def same(expected: Any, actual: Any, q: dict) -> tuple[bool, str]:
    """(matches, why not)."""
    cmp = q.get("compare") or {}
    rel, abs_ = float(cmp.get("rel_tol", 1e-6)), float(cmp.get("abs_tol", 1e-9))
    ret = q.get("returns") or {"type": "value"}
    if ret.get("type") == "array":
        is_array = isinstance(actual, dict) and set(actual) == {"ndarray"}
        if not is_array and (cmp.get("strict_types") or not isinstance(actual, list)):
            return False, f"expected an ndarray, got {type(actual).__name__}"
        if ret.get("dtype") and isinstance(actual, dict):
            want = KIND[np.dtype(ret["dtype"]).kind]
            got = KIND[np.dtype(actual["ndarray"]["dtype"]).kind]
            if want != got:
                return False, f"dtype kind {got}, expected {want}"
    if ret.get("type") == "scalar" and not isinstance(actual, (int, float, bool)):
        return False, f"expected a scalar, got {type(actual).__name__}"
    why: list[str] = []

    def eq(e: Any, a: Any, where: str) -> bool:
        if isinstance(a, dict) and set(a) == {"ndarray"}:
            nd = a["ndarray"]
            want = nested_shape(e)
            if tuple(nd["shape"]) != want:
                why.append(f"{where}: shape {tuple(nd['shape'])}, expected {want}")
                return False
            return eq(e, nd["data"], where)
        te, ta = type(e), type(a)
        if te is bool or ta is bool:
            ok = te is ta and e == a
        elif te in (int, float) and ta in (int, float):
            fe, fa = float(e), float(a)
            if math.isnan(fe) or math.isnan(fa):
                ok = math.isnan(fe) and math.isnan(fa)
            elif math.isinf(fe) or math.isinf(fa):
                ok = fe == fa
            else:
                ok = math.isclose(fe, fa, rel_tol=rel, abs_tol=abs_)
        elif e is None or a is None:
            ok = e is None and a is None
        elif te is str or ta is str:
            ok = te is ta and e == a
        elif te in (list, tuple) and ta in (list, tuple):
            if len(e) != len(a):
                why.append(f"{where}: length {len(a)}, expected {len(e)}")
                return False
            return all(eq(x, y, f"{where}[{i}]") for i, (x, y) in enumerate(zip(e, a, strict=True)))
        elif te is dict and ta is dict:
            if e.keys() != a.keys():
                why.append(f"{where}: keys {sorted(a)}, expected {sorted(e)}")
                return False
            return all(eq(e[k], a[k], f"{where}.{k}") for k in e)
        else:
            ok = False
        if not ok:
            why.append(f"{where}: {a!r}, expected {e!r}")
        return ok

    ok = eq(expected, actual, "result")
    return ok, "; ".join(why[:1])


# ------------------------------------------------------------------ running


def load_function(path: Path, name: str):
    """Exec a solution file in a fresh namespace (as the judge runs an answer)."""
    ns: dict[str, Any] = {"__name__": "answer"}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), ns)
    return ns[name]


def run_case(fn, q: dict, case: dict) -> tuple[bool, str]:
    args, kwargs = build_args(q, case)
    try:
        with np.errstate(all="ignore"):
            got = to_plain(fn(*args, **kwargs))
    except Exception as exc:  # an exception on a case is a failed case
        return False, f"{type(exc).__name__}: {exc}"
    return same(case["expected"], got, q)
