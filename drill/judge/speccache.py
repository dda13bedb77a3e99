"""A cache of judging specs, so that checking an answer again skips pydantic.

Loading a full question means importing pydantic and validating the whole pack, which
costs more than judging a small answer. `drill check` is run over and over on the same
question, so the spec it needs (entry point, limits, cases) is kept per question in
the data folder's cache, keyed by drill's version and the size and mtime of every file
it came from (the pack and its tests file). Values go through the judge's exact-type
wire codec, so a cached spec compares exactly like a fresh one, or is not cached at all.

An entry is one line of wire data (the spec's fields, and each case's name and the
lengths of its two values), then each case's inputs and expected value as wire bytes,
back to back: a case's inputs go to the runner as they were stored, never encoded again.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from drill import __version__
from drill.judge._runner import MAX_BYTES, TooLarge, Unsendable, from_wire, to_wire
from drill.judge.spec import Case, Spec
from drill.paths import cache_dir

TYPE_CHECKING = False  # typing only for type checkers: `drill check` has no time to import it
if TYPE_CHECKING:
    from typing import Any

FIELDS = ("uid", "entry", "is_class", "rel_tol", "abs_tol", "unordered", "seconds", "memory_mb",
          "output_bytes", "requires", "arguments", "returns", "ignore_row_order", "ignore_index",
          "ignore_column_order", "ignore_dtype_width", "strict_types")


def entry_file(uid: str, pack_path: str, folder: str = "specs") -> Path:
    # zlib, not hashlib: importing OpenSSL would cost more than reading the entry.
    return cache_dir() / folder / f"{uid.replace('/', '__')}-{zlib.crc32(pack_path.encode()):08x}.json"


def write(target: Path, data: bytes) -> None:
    """Put an entry in place whole (written beside it, then renamed)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only data folder only costs speed


def stamp(path: str) -> list:
    """What a cached spec is keyed on for one file; take it before reading the file."""
    try:
        st = os.stat(path)
    except OSError:
        return [path, None, None]
    return [path, st.st_size, st.st_mtime_ns]


def current(entry: Any, uid: str) -> bool:
    """Whether a cache entry's header is this drill's, for `uid`, and its files unchanged
    (raises KeyError/TypeError on a damaged header: the caller rebuilds the entry)."""
    return (entry["version"] == __version__ and entry["uid"] == uid
            and all(stamp(dep[0]) == list(dep) for dep in entry["deps"]))


def load(uid: str, pack_path: str) -> Spec | None:
    try:
        head, _, body = entry_file(uid, pack_path).read_bytes().partition(b"\n")
        data: Any = from_wire(head)  # checked below, by use
    except (OSError, ValueError, RecursionError):
        return None
    try:
        if not current(data, uid):
            return None
        cases, at = [], 0
        for name, hidden, n_in, n_out in data["cases"]:
            if not (type(name) is str and type(hidden) is bool and type(n_in) is int and type(n_out) is int
                    and 0 < n_in <= MAX_BYTES and 0 < n_out <= MAX_BYTES):
                return None
            wire, expected = body[at:at + n_in], body[at + n_in:at + n_in + n_out]
            at += n_in + n_out
            inputs = from_wire(wire)
            if type(inputs) is not dict:
                return None
            cases.append(Case(name, hidden, inputs, from_wire(expected), wire=wire))
        if at != len(body):
            return None
        spec = Spec(cases=cases, **{k: data[k] for k in FIELDS})
    except (KeyError, TypeError, ValueError, RecursionError):
        return None  # an entry from an older layout, or damaged: rebuild it
    return spec if _sane(spec) else None


def _sane(spec: Spec) -> bool:
    """Limits within what the pack format allows (a damaged entry is rebuilt, not used)."""
    def number(v: Any, low: float, high: float) -> bool:
        return type(v) in (int, float) and low <= v <= high  # NaN fails both comparisons

    return (number(spec.seconds, 1e-9, 60) and type(spec.memory_mb) is int and 32 <= spec.memory_mb <= 8192
            and number(spec.rel_tol, 0, 1e9) and number(spec.abs_tol, 0, 1e9)
            and type(spec.output_bytes) is int and 0 < spec.output_bytes <= 1 << 30)


def save(spec: Spec, pack_path: str, stamps: list[list]) -> None:
    entry = {k: getattr(spec, k) for k in FIELDS}
    try:
        blobs = [(to_wire(c.inputs), to_wire(c.expected)) for c in spec.cases]
        entry.update(version=__version__, deps=stamps,
                     cases=[[c.name, c.hidden, len(i), len(o)] for c, (i, o) in zip(spec.cases, blobs, strict=True)])
        data = b"".join([to_wire(entry), b"\n", *(b for pair in blobs for b in pair)])
    except (Unsendable, TooLarge):
        return  # values the wire cannot carry exactly (e.g. a YAML date): always load fresh
    for case, (wire, _) in zip(spec.cases, blobs, strict=True):
        case.wire = wire  # this check sends them as they are, too
    write(entry_file(spec.uid, pack_path), data)
