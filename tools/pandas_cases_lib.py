"""Helpers for writing pandas pack cases in Python: frames, timestamps, YAML rendering."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml


def T(s: str, year: int = 2024) -> str:
    """'03-01 10:00' -> '2024-03-01T10:00:00'; a leading 'YYYY-' overrides the year."""
    if s is None:
        return None
    if re.match(r"^\d{4}-", s):
        date, clock = s.split(" ")
    else:
        md, clock = s.split(" ")
        date = f"{year}-{md}"
    if len(clock) == 5:
        clock += ":00"
    return f"{date}T{clock}"


def rows(names: tuple[str, ...], *values: tuple) -> list[dict]:
    return [dict(zip(names, v, strict=True)) for v in values]


def case(name: str, *args: Any) -> dict:
    return {"name": name, "args": list(args)}


# ------------------------------------------------------------------ YAML rendering

PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "nan", "inf"}


def scalar(v: Any) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return ".nan"
        if math.isinf(v):
            return ".inf" if v > 0 else "-.inf"
        text = repr(v)
        # YAML 1.1 (PyYAML) reads a float only with a dot, and an exponent only with a sign.
        if "e" in text and "." not in text.split("e")[0]:
            mant, exp = text.split("e")
            text = f"{mant}.0e{exp}"
        return text
    if isinstance(v, str):
        if PLAIN.match(v) and v.lower() not in RESERVED:
            return v
        return json.dumps(v)
    raise TypeError(type(v))


def flow(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return scalar(v)


def render_arg(v: Any, indent: str) -> list[str]:
    """An argument under `args:`; a list of row dicts is written one row per line."""
    if isinstance(v, list) and v and all(isinstance(r, dict) for r in v) and len(v) <= 12:
        out = [f"{indent}- - {flow(v[0])}"]
        out += [f"{indent}  - {flow(r)}" for r in v[1:]]
        return out
    return [f"{indent}- {flow(v)}"]


def render_expected(v: Any, indent: str) -> list[str]:
    if isinstance(v, dict) and set(v) == {"columns", "data"}:
        out = [f"{indent}expected:", f"{indent}  columns: {flow(v['columns'])}"]
        if not v["data"]:
            return [*out, f"{indent}  data: []"]
        return out + [f"{indent}  data:"] + [f"{indent}    - {flow(r)}" for r in v["data"]]
    return [f"{indent}expected: {flow(v)}"]


def render_cases(key: str, cases: list[dict]) -> list[str]:
    out = [f"    {key}:"]
    for c in cases:
        out.append(f"      - name: {c['name']}")
        out.append("        args:")
        for a in c["args"]:
            out += render_arg(a, "          ")
        out += render_expected(c["expected"], "        ")
    return out


def check_roundtrip(lines: list[str], cases: list[dict]) -> None:
    """The rendered YAML must load back to exactly the cases (NaN equal to NaN)."""
    loaded = yaml.safe_load("\n".join(line[4:] for line in lines))
    key = next(iter(loaded))
    got = [{"name": c["name"], "args": c["args"], "expected": c["expected"]} for c in loaded[key]]
    want = [{"name": c["name"], "args": c["args"], "expected": c["expected"]} for c in cases]
    if not _same(got, want):
        raise AssertionError(f"YAML round trip changed a case under {key}")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def splice(text: str, qid: str, blocks: list[str]) -> str:
    """Replace question `qid`'s examples/tests blocks (from `examples:` up to its next other key)."""
    lines = text.split("\n")
    start = lines.index(f"  - id: {qid}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id: ")), len(lines))
    ex = next(i for i in range(start, end) if lines[i] == "    examples:" or lines[i].startswith("    examples: "))
    stop = next((i for i in range(ex + 1, end)
                 if re.match(r"^    [a-z_]+:", lines[i]) and not re.match(r"^    (examples|tests):", lines[i])), end)
    return "\n".join(lines[:ex] + blocks + lines[stop:])
