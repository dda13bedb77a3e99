"""The runner's JSON, built on json's C half without importing json (drill/judge/_runner.py):
it must write and read exactly what json does, and refuse what json refuses, also in a
fresh runner process where json has never been loaded."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from drill.judge import _runner
from drill.judge._runner import dumps, from_wire, parse, to_wire

JUDGE = Path(_runner.__file__).parent

VALUES = [
    None, True, 0, -7, 2**200, 1.5, -0.0, 1e308, 5e-324, "", "é✓\x00\n\"\\", [], {}, [1, [2, [3]]],
    {"a": [1, 2.5, None], "b": {"c": "d"}}, (1, 2), [(1,), {"t": [1]}], {"t": [1, 2]}, {"d": ["x", 1]},
    {"f": "nan"}, math.inf, -math.inf, [math.nan], {"k": (1.5, "x")}, list(range(20)), {str(i): i for i in range(12)},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_values_survive_the_wire_and_the_wire_is_json(value):
    data = to_wire(value)
    back = from_wire(data)
    if (isinstance(value, float) and math.isnan(value)) or value == [math.nan]:
        assert repr(back) == repr(value)
    else:
        assert back == value and type(back) is type(value)
    json.loads(data)  # strict JSON: no NaN or Infinity literals
    assert b" " not in data.replace(b'" "', b"")  # compact, as json.dumps(separators=(",", ":"))


@pytest.mark.parametrize("message", [
    {"hello": 12, "cgroup": True}, {"pid": 3, "wall": 0.0012, "status": None, "out_tail": "é\x1b[2J"},
    {"x": [1, {"y": float("nan")}], "z": -0.0}, {}, {"big": 10**30},
])
def test_messages_are_json_dumps(message):
    assert dumps(message) == json.dumps(message).encode()
    assert repr(parse(dumps(message))) == repr(json.loads(json.dumps(message)))


@pytest.mark.parametrize("text", [b" [1] \n", b"\t{\"a\": 1}", b"1", b"\"s\""])
def test_whitespace_around_a_value_is_json_s(text):
    assert parse(text) == json.loads(text)
    assert from_wire(text) == json.loads(text)


MALFORMED = [b"", b" ", b"[1,", b"[1,]", b"{\"a\" 1}", b"\"\\x\"", b"[1] x", b"NaN", b"[Infinity]", b"\xff",
             b"{\"t\": 1, ", b"01", b"[1]]"]


@pytest.mark.parametrize("text", MALFORMED, ids=range(len(MALFORMED)))
def test_what_json_refuses_is_a_value_error(text):
    with pytest.raises(ValueError):
        from_wire(text)
    if text not in (b"NaN", b"[Infinity]"):  # plain messages, as json.loads, read those
        with pytest.raises(ValueError):
            parse(text)


def test_a_fresh_runner_imports_no_json_and_refuses_malformed_text_as_json_does():
    # As inside the sandbox: `python -I -S`, the runner's module alone; json is loaded only
    # to word the error of a text its C scanner refused (where it would say SystemError).
    code = f"""
import sys
sys.path.insert(0, {str(JUDGE)!r})
import _runner
loaded = sorted({{"json", "re", "enum", "contextlib", "signal"}} & set(sys.modules))
out = []
for bad in {MALFORMED!r}:
    try:
        _runner.from_wire(bad)
        out.append("accepted")
    except ValueError:
        out.append("ValueError")
    except BaseException as e:
        out.append(type(e).__name__)
print(loaded, _runner.from_wire(b'[1, {{"t": [2]}}]'), sorted(set(out)))
"""
    out = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] [1, (2,)] ['ValueError']"
