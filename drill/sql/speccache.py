"""A cache of SQL judging specs, so that checking a query again skips pydantic.

As drill.judge.speccache does for code questions: what judging an sql question needs
(schema, limits, datasets) is kept per question in the data folder's cache, keyed by
drill's version and the size and mtime of its pack file, through the judge's exact-type
wire codec. A question whose datasets hold values the codec cannot carry exactly (a
YAML date, binary) is never cached: it is loaded fresh each time.
"""

from __future__ import annotations

from typing import Any

from drill import __version__
from drill.judge._runner import TooLarge, Unsendable, from_wire, to_wire
from drill.judge.speccache import current, entry_file, write
from drill.sql.judge import SqlCase, SqlSpec

FOLDER = "sql-specs"


def load(uid: str, pack_path: str) -> SqlSpec | None:
    try:
        data: Any = from_wire(entry_file(uid, pack_path, FOLDER).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    try:
        if not current(data, uid):
            return None
        cases = [SqlCase(name, hidden, rows, expected) for name, hidden, rows, expected in data["cases"]]
        spec = SqlSpec(uid=uid, schema=data["schema"], seconds=data["seconds"], memory_mb=data["memory_mb"],
                       ordered=data["ordered"], width=data["width"], cases=cases)
    except (KeyError, TypeError, ValueError):
        return None  # an entry from an older layout, or damaged: rebuild it
    return spec if _sane(spec) else None


def _sane(spec: SqlSpec) -> bool:
    """Types and limits as the pack format allows them (a damaged entry is rebuilt, not used)."""
    def rows(v: Any) -> bool:
        return type(v) is list and all(type(r) is list for r in v)

    return (type(spec.schema) is str and type(spec.seconds) in (int, float) and 1e-9 <= spec.seconds <= 60
            and type(spec.memory_mb) is int and 32 <= spec.memory_mb <= 8192 and type(spec.ordered) is bool
            and (spec.width is None or type(spec.width) is int)
            and all(type(c.name) is str and type(c.hidden) is bool and rows(c.expected) and type(c.data) is dict
                    and all(type(t) is str and rows(r) for t, r in c.data.items()) for c in spec.cases))


def save(spec: SqlSpec, pack_path: str, stamps: list[list]) -> None:
    entry = {"version": __version__, "uid": spec.uid, "deps": stamps, "schema": spec.schema,
             "seconds": spec.seconds, "memory_mb": spec.memory_mb, "ordered": spec.ordered, "width": spec.width,
             "cases": [[c.name, c.hidden, c.data, c.expected] for c in spec.cases]}
    try:
        data = to_wire(entry)
    except (Unsendable, TooLarge):
        return  # values the wire cannot carry exactly (e.g. a YAML date): always load fresh
    write(entry_file(spec.uid, pack_path, FOLDER), data)
