"""The comparison rules and the wire format, without starting any process."""

from __future__ import annotations

import json
import math

import pytest

from drill.judge._runner import MAX_DEPTH, MAX_ITEMS, TooLarge, Unsendable, from_wire, to_wire
from drill.judge.compare import same


@pytest.mark.parametrize(("expected", "actual", "ok"), [
    (1, 1, True),
    (1, True, False),  # bool is not int
    (True, 1, False),
    (False, 0, False),
    (True, True, True),
    (0.3, 0.1 + 0.2, True),
    (0.3, 0.31, False),
    (3, 3.0, True),  # numbers compare as numbers within tolerance
    (3, 4, False),
    (10**30, 10**30 + 1, False),  # ints are exact
    (math.nan, math.nan, True),
    (math.nan, 1.0, False),
    (1.0, math.nan, False),
    (math.inf, math.inf, True),
    (math.inf, -math.inf, False),
    (math.inf, 1e308, False),
    (None, None, True),
    (None, 0, False),
    ([], None, False),
    ("a", "a", True),
    ("1", 1, False),
    ([1, 2], (1, 2), True),  # tuples compare as lists
    ([1, [2, 3]], [1, (2, 3)], True),
    ([1, 2], [2, 1], False),
    ({"a": 1}, {"a": 1.0}, True),
    ({"a": 1}, {"a": 1, "b": 2}, False),
    ({"a": 1}, [["a", 1]], False),
    ([0.1], [0.1 + 1e-12], True),
])
def test_same(expected, actual, ok):
    assert same(expected, actual) is ok


def test_tolerances_come_from_the_question():
    assert not same(1.0, 1.001)
    assert same(1.0, 1.001, rel_tol=0.01)
    assert same(0.0, 1e-4, abs_tol=1e-3)
    assert not same(0.0, 1e-4)


def test_unordered_compares_top_level_lists_as_multisets():
    assert same([1, 2, 2, 3], [3, 2, 1, 2], unordered=True)
    assert not same([1, 2, 2, 3], [3, 2, 1, 1], unordered=True)
    assert not same([1, 2], [1, 2, 2], unordered=True)
    assert same([[1, 2], [3]], [[3], [1, 2]], unordered=True)
    assert not same([[1, 2], [3]], [[3], [2, 1]], unordered=True)  # only the top level
    assert same([0.1 + 0.2, 1.0], [1.0, 0.3], unordered=True)
    assert same([True, 1], [1, True], unordered=True)
    assert not same([True, 1], [1, 1], unordered=True)
    assert same([math.nan, 1.0], [1.0, math.nan], unordered=True)
    assert not same([1, 2], [2, 1])


def test_unordered_matches_near_equal_floats_that_sort_apart():
    # Sorted, 1.0000001 and 1.0 change places against the expected order; item matching saves it.
    assert same([1.0, 1.0000001, 5], [1.00000015, 0.9999999, 5], unordered=True, rel_tol=1e-6)


@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 10**40, 1.5, -0.0, math.inf, -math.inf, "", "héllo\x00\udcff",
    [], [1, [2, [3]]], (1, "a"), ((),), {"k": (1, 2), "n": None}, {"": [{"x": 1.25}]},
    # Dicts that look like tags, in every place the encoder treats differently.
    {"t": [1]}, {"d": [1, 2]}, {"d": ["k", 1]}, {"t": (1,)}, {"t": []}, {"d": {}}, {"t": {"t": [2]}},
    {"f": "nan"}, {"f": "x"}, {"f": 1.5}, [{"f": "inf"}] * 9, {"f": math.inf}, [math.inf] * 9, {"a": [-math.inf] * 9},
    [{"t": [1]}, {"x": 1}], [{"t": 1}, {"d": None}], ({"d": ["a", 1]},), {"a": {"t": [1]}},
    # Containers of plain containers (encoded in bulk) and of mixed ones.
    [(1, 2), [3], (), ("a", None, True)], [[1.5, -2], [], [10**40]], {"a": (1, 2), "b": [3], "c": ()},
    [{"a": 1, "b": "x"}, {}], ({"a": 1.0},), [(1, [2]), {"k": ((3,),)}], [-0.0, (math.inf,)],
    [True, 1, 1.0, False, 0],
])
def test_wire_round_trip(value):
    def exact(v):  # the value with every type spelled out: True == 1 and 1 == 1.0 must not pass
        if type(v) in (list, tuple):
            return (type(v).__name__, [exact(x) for x in v])
        if type(v) is dict:
            return ("dict", [(k, exact(x)) for k, x in v.items()])
        return (type(v).__name__, repr(v))

    back = from_wire(to_wire(value))
    assert exact(back) == exact(value)


def test_wire_keeps_nan_and_tuples_apart_from_lists():
    assert math.isnan(from_wire(to_wire(math.nan)))
    assert type(from_wire(to_wire((1, 2)))) is tuple
    assert type(from_wire(to_wire([1, 2]))) is list
    # A dict whose only key is a tag's name is still a dict.
    assert from_wire(to_wire({"t": [1]})) == {"t": [1]}


@pytest.mark.parametrize("value", [
    type("MyFloat", (float,), {})(1.0),
    type("MyList", (list,), {})([1]),
    type("MyStr", (str,), {})("x"),
    {1: "int key"},
    {1, 2},
    b"bytes",
    object(),
])
def test_wire_refuses_anything_but_exact_plain_types(value):
    with pytest.raises(Unsendable):
        to_wire(value)


def test_wire_refuses_cycles_and_huge_values():
    loop: list = []
    loop.append(loop)
    with pytest.raises(Unsendable):
        to_wire(loop)
    with pytest.raises(TooLarge):
        to_wire(list(range(MAX_ITEMS + 1)))
    with pytest.raises(TooLarge):
        to_wire(["x" * (1 << 20)] * 20)  # few elements, but over 16 MB


@pytest.mark.parametrize("data", [
    b"{", b'{"d": [1]}', b'{"d": [1, 2]}', b'{"d": ["a", 1, "b", 2]}', b'{"d": []}', b"[1] [2]",
    b"[" * 100_000, b"\xff", b"nan", b'{"t": [1], "d": {"d": [2]}}', b"NaN", b"[Infinity]", b'{"f": "1.5"}',
    b'{"f": "NaN"}',
])
def test_decoding_refuses_malformed_input(data):
    with pytest.raises(ValueError):
        from_wire(data)


def test_decoding_refuses_nesting_deeper_than_the_encoder_allows():
    deep: list = []
    for _ in range(MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(Unsendable):
        to_wire(deep)
    text = b"[" * (MAX_DEPTH + 5) + b"]" * (MAX_DEPTH + 5)
    with pytest.raises(ValueError):
        from_wire(text)
    ok = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert from_wire(ok) is not None


def test_plain_json_objects_are_dicts_and_tags_are_exact():
    assert from_wire(b'{"x": 1, "t": [2]}') == {"x": 1, "t": [2]}
    assert from_wire(b'{"t": 1}') == {"t": 1}
    assert from_wire(b'{"t": [1, {"t": []}]}') == (1, ())
    assert from_wire(b'[{"f": "inf"}, {"f": "-inf"}]') == [math.inf, -math.inf]
    assert math.isnan(from_wire(b'{"f": "nan"}'))
    # Strict JSON, as drill writes everywhere (the spec cache is a file in the data folder).
    assert b"NaN" not in to_wire([math.nan] * 20) and b"Infinity" not in to_wire({"x": (math.inf,)})


def test_huge_ints_are_refused_wherever_they_sit():
    big = 10**4000
    for value in (big, [big], [1, big], [1.5, big], [(1, big)], {"a": big}, [{"a": -big}], ((big,),)):
        with pytest.raises(Unsendable):
            to_wire(value)


def test_wire_round_trips_random_values_exactly():
    """Every mix the encoder treats differently (bulk levels, escapes, tags, non-finite
    floats), at random: decoded values equal the originals, type for type."""
    import random

    rng = random.Random(18)
    scalars = [None, True, False, 0, 1, -3, 10**30, 0.5, -0.0, math.inf, -math.inf, "", "t", "d", "f", "nan", "x\n"]

    def value(depth: int):
        r = rng.random()
        if depth > 4 or r < 0.35:
            return rng.choice(scalars)
        n = rng.choice([0, 1, 2, 3, 8, 12])
        if r < 0.6:
            return [value(depth + 1) for _ in range(n)]
        if r < 0.8:
            return tuple(value(depth + 1) for _ in range(n))
        if r < 0.9:  # one-key dicts: the ones that may need escaping
            return {rng.choice(["t", "d", "f", "k"]): value(depth + 1)}
        return {rng.choice(["t", "d", "f", "a", "b", "c"]) + str(i): value(depth + 1) for i in range(n)}

    def exact(v):
        if type(v) in (list, tuple):
            return (type(v).__name__, [exact(x) for x in v])
        if type(v) is dict:
            return ("dict", [(k, exact(x)) for k, x in v.items()])
        return (type(v).__name__, repr(v))

    for _ in range(3000):
        v = value(0)
        data = to_wire(v)
        assert exact(from_wire(data)) == exact(v), v
        json.loads(data, parse_constant=_not_json)  # strict JSON


def _not_json(name: str):
    raise AssertionError(f"{name} is not JSON")
