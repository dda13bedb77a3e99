"""numpy/pandas values: arguments built from a case's JSON, results turned into plain data
(drill/judge/_mlchild.py, run here in-process), and the comparison of those results
(drill/judge/mlcompare.py), with the messages a wrong answer gets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from drill.judge import _mlchild as ml
from drill.judge._runner import TooLarge, Unsendable, from_wire, to_wire
from drill.judge.mlcompare import dtype_kind, expected_problem, mismatch
from drill.judge.spec import Spec


def wire(value):
    """What the parent receives for a value the answer returned."""
    return from_wire(to_wire(value, ml.convert))


def spec(returns="value", dtype=None, **compare) -> Spec:
    return Spec(uid="t/q", entry="f", is_class=False, cases=[], requires=["pandas", "numpy"],
                returns={"type": returns, "dtype": dtype}, **compare)


# ---------------------------------------------------------------- building arguments


def test_arrays_get_their_dtype_shape_and_nan():
    a = ml.build({"type": "array", "dtype": "float64"}, [[1, None], [3, 4.5]])
    assert type(a) is np.ndarray and a.dtype == np.float64 and a.shape == (2, 2)
    assert math.isnan(a[0, 1]) and a[1, 1] == 4.5
    i = ml.build({"type": "array", "dtype": "int32"}, [1, 2])
    assert i.dtype == np.int32
    empty = ml.build({"type": "array", "dtype": "int64"}, {"shape": [0, 3], "data": []})
    assert empty.shape == (0, 3) and empty.dtype == np.int64
    flat = ml.build({"type": "array"}, {"shape": [2, 2], "data": [1, 2, 3, 4]})
    assert flat.tolist() == [[1, 2], [3, 4]]
    s = ml.build({"type": "array", "dtype": "str"}, [["a", "b"], ["c", "d"]])
    assert s.dtype == object and s.shape == (2, 2) and s[1, 0] == "c"
    t = ml.build({"type": "array", "dtype": "datetime64[ns]"}, ["2024-03-01T12:30:00", None])
    assert t.dtype == np.dtype("datetime64[ns]") and np.isnat(t[1])


@pytest.mark.parametrize(("spec_", "value", "where", "needle"), [
    ({"type": "array", "dtype": "int64"}, [1, None], (1,), "null in an int64 array"),
    ({"type": "array", "dtype": "int64"}, [1, 2.5], (1,), "the number 2.5 in an int64 array"),
    ({"type": "array", "dtype": "bool"}, [True, 1], (1,), "the number 1 in a bool array"),
    ({"type": "array"}, [[1, 2], [3]], (1,), "ragged"),
    ({"type": "array", "dtype": "int32"}, [1 << 40], (0,), "out of range for int32"),
    ({"type": "array"}, {"shape": [2, 2], "data": [1, 2, 3]}, (), "shape [2, 2] holds 4 values"),
    ({"type": "array", "dtype": "datetime64[ns]"}, ["2024-02-30"], (0,), "not a valid date"),
    ({"type": "array", "dtype": "datetime64[ns]"}, ["2024-01-01T00:00:00+00:00"], (0,), "naive ISO 8601"),
    ({"type": "series", "dtype": "float64"}, [1.0, [2.0]], (1,), "a list inside a series"),
    ({"type": "dataframe", "columns": {"a": "int64", "b": "float64"}}, [{"a": 1, "b": 1.0}, {"a": 2}], (1,),
     "row 1 has no column 'b'"),
    ({"type": "dataframe", "columns": {"a": "int64"}}, [{"a": 1, "z": 2}], (0, "z"), "not declared"),
    ({"type": "dataframe", "columns": {"a": "int64"}}, [{"a": 1}, {"a": 1.5}], (1, "a"), "in an int64 series"),
    ({"type": "dataframe", "columns": {"a": "int64", "b": "int64"}}, {"a": [1], "b": [1, 2]}, ("b",),
     "has 2 values"),
    ({"type": "dataframe", "columns": {"a": "int64"}}, {"a": [1, None]}, ("a", 1), "null in an int64 series"),
    ({"type": "dataframe", "columns": {"a": "int64"}}, {}, (), "no column 'a'"),
])
def test_a_value_that_cannot_be_built_says_what_and_where(spec_, value, where, needle):
    with pytest.raises(ml.BuildError) as e:
        ml.build(spec_, value)
    assert needle in e.value.message
    assert e.value.where == where


def test_series_with_dtypes_names_and_a_time_index():
    s = ml.build({"type": "series", "dtype": "Int64", "name": "n"}, [1, None, 3])
    assert type(s) is pd.Series and str(s.dtype) == "Int64" and s.name == "n" and s.isna().tolist() == [False, True, False]
    c = ml.build({"type": "series", "dtype": "category"}, ["a", "b", "a"])
    assert str(c.dtype) == "category"
    f = ml.build({"type": "series", "dtype": "float64"}, [1, None])
    assert f.dtype == np.float64 and math.isnan(f[1])
    ts = ml.build({"type": "series", "dtype": "float64", "name": "amount", "index": "ts"},
                  {"ts": ["2024-01-01T00:00:00", "2024-01-03T00:00:00"], "amount": [1.0, 2.0]})
    assert isinstance(ts.index, pd.DatetimeIndex) and ts.index.name == "ts"
    assert ts.rolling("2D").sum().tolist() == [1.0, 2.0]


def test_frames_from_rows_or_columns_keep_declared_columns_and_dtypes():
    cols = {"account_id": "int64", "ts": "datetime64[ns]", "amount": "float64", "tier": "category",
            "n": "Int64", "note": "str", "ok": "bool"}
    rows = [{"account_id": 1, "ts": "2024-01-01T00:00:00", "amount": None, "tier": "a", "n": None,
             "note": "x", "ok": True},
            {"account_id": 2, "ts": None, "amount": 2.5, "tier": "b", "n": 3, "note": None, "ok": False}]
    by_rows = ml.build({"type": "dataframe", "columns": cols}, rows)
    by_cols = ml.build({"type": "dataframe", "columns": cols}, {c: [r[c] for r in rows] for c in cols})
    for df in (by_rows, by_cols):
        assert type(df) is pd.DataFrame and list(df.columns) == list(cols)
        assert [str(d) for d in df.dtypes] == ["int64", "datetime64[ns]", "float64", "category", "Int64",
                                                "object", "bool"]
        assert pd.isna(df.loc[1, "ts"]) and math.isnan(df.loc[0, "amount"]) and df.loc[0, "n"] is pd.NA
    pd.testing.assert_frame_equal(by_rows, by_cols)


def test_an_empty_frame_has_its_columns_dtypes_and_index():
    spec_ = {"type": "dataframe", "columns": {"ts": "datetime64[ns]", "amount": "float64"}, "index": "ts"}
    for empty in ([], {"ts": [], "amount": []}):
        df = ml.build(spec_, empty)
        assert len(df) == 0 and list(df.columns) == ["amount"] and df["amount"].dtype == np.float64
        assert isinstance(df.index, pd.DatetimeIndex) and df.index.name == "ts"


def test_build_case_positional_keyword_and_class_constructor_arguments():
    arguments = {"x": {"type": "array", "dtype": "float64"}, "k": {"type": "value"},
                 "w": {"type": "array", "dtype": "int64"}}
    out = ml.build_case(arguments, {"args": [[1, 2], 3], "kwargs": {"w": [4]}}, False)
    assert out["args"][0].dtype == np.float64 and out["args"][1] == 3 and out["kwargs"]["w"].dtype == np.int64
    calls = ml.build_case({"x": {"type": "array"}}, {"calls": [["__init__", [[1, 2]]], ["get", [[5]]]]}, True)
    assert type(calls["calls"][0][1][0]) is np.ndarray and calls["calls"][1][1] == [[5]]
    with pytest.raises(ml.BuildError) as e:
        ml.build_case(arguments, {"args": [[1], 2], "kwargs": {"w": [None]}}, False)
    assert e.value.where == ("kwargs", "w", 0) and e.value.message.startswith("argument 'w': ")


# ---------------------------------------------------------------- results to plain data


def test_numpy_results_become_tagged_plain_data():
    assert wire(np.float32(1.5)) == 1.5 and type(wire(np.float32(1.5))) is float
    assert wire(np.int64(3)) == 3 and type(wire(np.int64(3))) is int
    assert wire(np.bool_(True)) is True
    assert wire(np.datetime64("2024-03-01T12:30:00")) == "2024-03-01T12:30:00"
    assert wire(np.arange(6).reshape(2, 3)) == {"ndarray": {"shape": [2, 3], "dtype": "int64",
                                                            "data": [[0, 1, 2], [3, 4, 5]]}}
    nan = wire(np.array([1.0, np.nan]))["ndarray"]["data"]
    assert nan[0] == 1.0 and math.isnan(nan[1])
    assert wire(np.array(2.5)) == {"ndarray": {"shape": [], "dtype": "float64", "data": 2.5}}
    times = wire(np.array(["2024-01-01T00:00:00.5", "NaT"], dtype="datetime64[ns]"))
    assert times["ndarray"]["data"] == ["2024-01-01T00:00:00.5", None]
    # Values inside containers and object arrays are converted too.
    assert wire([np.int64(1), (np.float64(2.0),)]) == [1, (2.0,)]
    assert wire(np.array([np.int64(1), "a"], dtype=object))["ndarray"]["data"] == [1, "a"]


def test_pandas_results_become_tagged_plain_data():
    df = pd.DataFrame({"a": [1, 2], "t": pd.to_datetime(["2024-01-01", None]).astype("datetime64[ns]"),
                       "x": [1.5, np.nan],
                       "n": pd.array([1, None], dtype="Int64"), "s": ["u", None]})
    got = wire(df)["dataframe"]
    assert got["columns"] == ["a", "t", "x", "n", "s"]
    assert got["dtypes"][:4] == ["int64", "datetime64[ns]", "float64", "Int64"]
    assert got["index"] == [0, 1]
    assert got["data"][0] == [1, "2024-01-01T00:00:00", 1.5, 1, "u"]
    assert got["data"][1][:2] == [2, None] and math.isnan(got["data"][1][2]) and got["data"][1][3:] == [None, None]
    s = pd.Series([1.0, 2.0], index=pd.to_datetime(["2024-01-01", "2024-01-02"]), name="v")
    assert wire(s) == {"series": {"name": "v", "dtype": "float64",
                                  "index": ["2024-01-01T00:00:00", "2024-01-02T00:00:00"], "data": [1.0, 2.0]}}
    assert wire(pd.Timestamp("2024-01-01", tz="UTC")) == "2024-01-01T00:00:00+00:00"
    assert wire([pd.NaT, pd.NA]) == [None, None]
    assert wire(pd.DataFrame(columns=["a", "b"]))["dataframe"]["data"] == []


def test_subclasses_odd_dtypes_and_huge_results_are_refused():
    class Liar(np.ndarray):
        def tolist(self):
            return [42]

    class Frame(pd.DataFrame):
        pass

    for value, needle in ((np.zeros(3).view(Liar), "Liar"), (Frame({"a": [1]}), "Frame"),
                          (np.array([1 + 2j]), "complex"), (pd.Timedelta(1), "Timedelta")):
        with pytest.raises(Unsendable, match=needle):
            to_wire(value, ml.convert)
    with pytest.raises(TooLarge):
        to_wire(np.broadcast_to(np.float64(0.0), (100_000_000,)), ml.convert)
    with pytest.raises(TooLarge):
        to_wire(pd.DataFrame(np.zeros((400_000, 3))), ml.convert)


# ---------------------------------------------------------------- comparing


def test_arrays_compare_shape_first_then_dtype_kind_then_values():
    s = spec("array", "float64")
    exp = [[1.0], [2.0]]
    assert mismatch(s, exp, wire(np.array([[1.0], [2.0]]))) is None
    assert mismatch(s, exp, wire(np.array([1.0, 2.0]))) == "shape (2,), expected (2, 1)"
    assert mismatch(s, [1.0, 2.0], wire(np.array([[1.0], [2.0]]))) == "shape (2, 1), expected (2,)"
    assert mismatch(s, exp, wire(np.array([[1], [2]]))) == "dtype int64, expected float64"
    assert mismatch(s, exp, wire(np.array([[1.0], [2.5]]))) == "wrong values (first difference at [1, 0])"
    # Width is ignored by default, not when the question says so.
    assert mismatch(s, exp, wire(np.array([[1.0], [2.0]], dtype=np.float32))) is None
    narrow = spec("array", "float64", ignore_dtype_width=False)
    assert mismatch(narrow, exp, wire(np.array([[1.0], [2.0]], dtype=np.float32))) == "dtype float32, expected float64"
    # A plain list of the same shape passes, unless the question is strict about types.
    assert mismatch(s, exp, [[1.0], [2.0]]) is None
    assert mismatch(spec("array", strict_types=True), exp, [[1.0], [2.0]]) == \
        "returned a list, expected a numpy array"
    assert mismatch(s, exp, [[1.0], [2.0, 3.0]]).startswith("returned ragged nested lists")
    assert mismatch(s, {"shape": [0, 3], "data": []}, wire(np.zeros((0, 3)))) is None
    assert mismatch(s, {"shape": [0, 3], "data": []}, wire(np.zeros((0, 2)))) == "shape (0, 2), expected (0, 3)"


def test_nan_equals_only_nan_and_tolerances_apply():
    s = spec("array", rel_tol=1e-3)
    assert mismatch(s, [1.0, math.nan], wire(np.array([1.0001, np.nan]))) is None
    assert mismatch(s, [1.0, None], wire(np.array([1.0, np.nan]))) is None  # null written for a missing value
    assert mismatch(s, [1.0, math.nan], wire(np.array([1.0, 0.0]))) == "wrong values (first difference at [1])"
    assert mismatch(s, [1.0, 2.0], wire(np.array([1.0, np.nan]))) == "wrong values (first difference at [1])"
    assert mismatch(spec("array"), [1.0], wire(np.array([1.01]))) is not None


def test_rows_compare_in_any_order_when_the_question_says_so():
    exp = [[1, 2], [3, 4]]
    got = wire(np.array([[3, 4], [1, 2]]))
    assert mismatch(spec("array"), exp, got) == "wrong values (first difference at [0, 0])"
    assert mismatch(spec("array", ignore_row_order=True), exp, got) is None


def test_frames_say_which_columns_rows_or_values_are_wrong():
    exp = {"columns": ["a", "b", "c"], "data": [[1, 2.0, "x"], [2, 3.0, "y"]]}
    good = pd.DataFrame({"a": [1, 2], "b": [2.0, 3.0], "c": ["x", "y"]})
    s = spec("dataframe")
    assert mismatch(s, exp, wire(good)) is None
    assert mismatch(s, exp, wire(good[["a", "b"]])) == "columns ['a', 'b'], expected ['a', 'b', 'c']"
    assert mismatch(s, exp, wire(good[["b", "a", "c"]])) == \
        "columns in the order ['b', 'a', 'c'], expected ['a', 'b', 'c']"
    assert mismatch(spec("dataframe", ignore_column_order=True), exp, wire(good[["c", "a", "b"]])) is None
    assert mismatch(s, exp, wire(good.iloc[:1])) == "1 rows, expected 2"
    assert mismatch(s, exp, wire(good.assign(b=[2.0, 3.5]))) == \
        "wrong values (first difference at row 1, column 'b')"
    assert mismatch(s, exp, wire(good.iloc[::-1])) == "wrong values (first difference at row 0, column 'a')"
    assert mismatch(spec("dataframe", ignore_row_order=True), exp, wire(good.iloc[::-1])) is None
    assert mismatch(s, exp, [[1, 2.0, "x"]]) == "returned a list, expected a pandas DataFrame"


def test_frame_index_is_ignored_unless_the_question_compares_it():
    exp = {"columns": ["v"], "data": [[1.0], [2.0]], "index": ["2024-01-01T00:00:00", "2024-01-02T00:00:00"]}
    df = pd.DataFrame({"v": [1.0, 2.0]}, index=pd.to_datetime(["2024-01-01", "2024-01-02"]))
    assert mismatch(spec("dataframe"), exp, wire(df.reset_index(drop=True))) is None
    strict = spec("dataframe", ignore_index=False)
    assert mismatch(strict, exp, wire(df)) is None
    assert mismatch(strict, exp, wire(df.reset_index(drop=True))) == "index differs at row 0"


def test_frame_dtypes_and_datetimes():
    exp = {"columns": ["t", "n"], "data": [["2024-03-01T12:30:00", 1]], "dtypes": ["datetime64[ns]", "int64"]}
    df = pd.DataFrame({"t": pd.to_datetime(["2024-03-01 12:30"]), "n": [1]})
    assert mismatch(spec("dataframe"), exp, wire(df)) is None
    # An instant written with fractional zeros or a space is the same instant.
    exp2 = {"columns": ["t"], "data": [["2024-03-01 12:30:00.000"]]}
    assert mismatch(spec("dataframe"), exp2, wire(df[["t"]])) is None
    assert mismatch(spec("dataframe"), exp, wire(df.assign(n=[1.0]))) == "column 'n' has dtype float64, expected int64"
    # Strings that spell the right instant are still the wrong kind (the name of the str dtype varies by pandas).
    why = mismatch(spec("dataframe"), exp, wire(df.assign(t=["2024-03-01T12:30:00"])))
    assert why.startswith("column 't' has dtype ") and why.endswith(", expected datetime64[ns]")
    later = df.assign(t=pd.to_datetime(["2024-03-01 12:30:00.000001"]))
    assert mismatch(spec("dataframe"), exp, wire(later)) == "wrong values (first difference at row 0, column 't')"


def test_series_length_name_index_and_values():
    s = spec("series")
    assert mismatch(s, [1.0, 2.0], wire(pd.Series([1.0, 2.0]))) is None
    assert mismatch(s, [1.0, 2.0], wire(pd.Series([1.0]))) == "length 1, expected 2"
    assert mismatch(s, {"data": [1.0], "name": "v"}, wire(pd.Series([1.0], name="w"))) == "name 'w', expected 'v'"
    assert mismatch(s, [1.0, 2.0], [1.0, 2.0]) is None
    assert mismatch(spec("series", strict_types=True), [1.0, 2.0], [1.0, 2.0]) == \
        "returned a list, expected a pandas Series"
    keyed = spec("series", ignore_index=False)
    assert mismatch(keyed, {"data": [1.0], "index": ["a"]}, wire(pd.Series([1.0], index=["b"]))) == \
        "index differs at row 0"
    assert mismatch(spec("series", "float64"), [1.0], wire(pd.Series([1]))) == "dtype int64, expected float64"


def test_scalars_and_plain_values():
    assert mismatch(spec("scalar"), 0.5, wire(np.float64(0.5))) is None
    assert mismatch(spec("scalar"), 0.5, wire(np.array([0.5]))) == \
        "returned a numpy array of shape (1,), expected a scalar"
    assert mismatch(spec("scalar", "int64"), 3, 3.0) == "returned a float, expected a int64 scalar"
    assert mismatch(spec("scalar", "float64"), 3.0, 3) is None
    # A plain-data question accepts arrays of the right values unless it is strict.
    assert mismatch(spec(), [1, 2], wire(np.array([1, 2]))) is None
    assert mismatch(spec(strict_types=True), [1, 2], wire(np.array([1, 2]))) == \
        "returned a numpy array of shape (2,); this question wants plain data"
    assert mismatch(spec(), [1, 2], [1, 3]) == "wrong answer"
    assert mismatch(spec(), [[1, 2]], wire(pd.DataFrame({"a": [1], "b": [2]}))) == \
        "returned a pandas DataFrame, expected a list"


def test_expected_values_are_checked_against_returns():
    assert expected_problem("array", [[1], [2, 3]]).startswith("an array result must be a rectangular")
    assert expected_problem("array", {"shape": [2], "data": [1]}) == "shape [2] holds 2 values; 'data' has 1"
    assert expected_problem("dataframe", {"columns": ["a"], "data": [[1, 2]]}).startswith("row 0")
    assert expected_problem("dataframe", [[1]]).startswith("a dataframe result is")
    assert expected_problem("series", {"data": [1], "index": [1, 2]}).startswith("a series result's 'index'")
    assert expected_problem("scalar", [1]) is not None
    assert expected_problem("dataframe", {"columns": ["a"], "data": [[1]], "dtypes": ["int64"]}) is None
    with pytest.raises(ValueError):
        mismatch(spec("dataframe"), [[1]], wire(pd.DataFrame({"a": [1]})))


def test_dtype_kinds():
    assert [dtype_kind(d) for d in ("float32", "Float64", "int32", "uint8", "Int64", "bool", "boolean",
                                    "datetime64[ns]", "datetime64[us, UTC]", "object", "str", "<U3", "category")] == \
        ["float", "float", "int", "int", "int", "bool", "bool", "datetime", "datetime", "str", "str", "str", "category"]
