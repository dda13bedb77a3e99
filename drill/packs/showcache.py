"""A cache of what a round shows of a question, so that `drill start` draws it without
pydantic, the pack's YAML or the question's hidden tests.

Loading a question in full means importing the pack models (pydantic), validating the
whole pack and, for many code questions, reading a tests file of up to a megabyte: more
than drawing the screen costs. Showing a question needs none of the hidden tests, and a
question validated once does not change until its pack file does. So the fields of every
question of a pack but its hidden `tests` are kept in one file per pack in the data
folder's cache, written when the pack is catalogued or first shown, keyed by drill's
version and the size and mtime of the pack file and of the pack format's module, and read
back as plain attribute objects (`CachedQuestion`). What is not kept (the hidden tests,
`part()`, pydantic's own methods) comes from the full model, loaded on first use
(`drill.packs.catalog.LazyLoaded`).

Only values that JSON carries exactly are cached (NaN and infinities are tagged; a
question with a YAML date or a mapping with number keys is left out: it is loaded in full
each time).
"""

from __future__ import annotations

import json
import math
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from drill import __version__
from drill.paths import cache_dir

MAX_BYTES = 64 << 20  # a larger file is ignored (its questions are loaded in full)
EXCLUDED = ("tests",)  # the question's own hidden cases: loaded when it is judged
MODEL_FILE = Path(__file__).resolve().parent / "model.py"


def _file(pack_path: str) -> Path:
    # zlib, not hashlib: importing OpenSSL would cost more than reading the entry.
    return cache_dir() / "shown" / f"{Path(pack_path).stem}-{zlib.crc32(pack_path.encode()):08x}.json"


def _stamp(path: str | Path) -> list | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


ENTRY_FORMAT = 2  # 2: nested models name their class ({"m": ..., "c": NAME})


def key(pack_path: str) -> list:
    """What an entry is valid for: this drill, this pack file, this pack format module,
    this cache's own format."""
    return [__version__, _stamp(pack_path), _stamp(MODEL_FILE), ENTRY_FORMAT]


class Record(SimpleNamespace):
    """A nested model (a case, a rubric point, limits...) as cached: its fields.

    Its model class's properties and methods (e.g. `Metric.higher_is_better`) work on it
    too: the class is named in the entry and looked up in drill.packs.model on first use
    of such a name (which imports pydantic then, and only then)."""

    def model_dump(self, *, exclude_none: bool = False) -> dict[str, Any]:
        """The fields as plain data, as pydantic's `model_dump()` gives them."""
        return {k: _dump(v) for k, v in vars(self).items()
                if k != "_model" and not (exclude_none and v is None)}

    def __getattr__(self, name: str) -> Any:
        model = self.__dict__.get("_model")
        if model is None or name.startswith("__"):
            raise AttributeError(name)
        from drill.packs import model as models

        attr = getattr(getattr(models, model, None), name, None)
        if isinstance(attr, property) and attr.fget is not None:
            return attr.fget(self)
        if callable(attr) and hasattr(attr, "__get__"):
            return attr.__get__(self)
        raise AttributeError(name)


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.model_dump()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


class CachedQuestion:
    """A question's cached fields as attributes; the names in `from_model` (the hidden
    tests, methods and properties of the model class) come from the full model."""

    def __init__(self, fields: dict[str, Any], from_model: frozenset[str], full: Callable[[], Any]) -> None:
        self._fields = fields
        self._from_model = from_model
        self._full = full

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_fields"][name]
        except KeyError:
            pass
        if name in self.__dict__.get("_from_model", ()):
            return getattr(self._full(), name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"CachedQuestion({self._fields.get('kind')!r}, {self._fields.get('id')!r})"


# ---------------------------------------------------------------- encoding


def _encode(value: Any) -> Any:
    """A model as {"m": fields}, a list or mapping holding models or non-finite floats as
    {"l": [...]} or {"d": {...}}, such a float as {"n": "nan"}, anything else (the pack's
    plain data) as {"v": value}."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return {"m": {name: _encode(getattr(value, name)) for name in type(value).model_fields},
                "c": type(value).__name__}
    if _plain(value):
        return {"v": value}
    if isinstance(value, float):
        return {"n": repr(value)}
    if isinstance(value, list):
        return {"l": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"d": {k: _encode(v) for k, v in value.items()}}
    return {"v": value}  # not JSON: refused when the entry is written


def _plain(value: Any) -> bool:
    """No model and no NaN or infinity inside (JSON carries it as it is)."""
    from pydantic import BaseModel

    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    return not isinstance(value, BaseModel)


def _decode(node: Any) -> Any:
    if "c" in node and "m" in node and len(node) == 2:
        return Record(**{str(k): _decode(v) for k, v in node["m"].items()}, _model=str(node["c"]))
    (tag, value), = node.items()
    if tag == "v":
        return value
    if tag == "n" and value in ("nan", "inf", "-inf"):
        return float(value)
    if tag == "m":
        return Record(**{str(k): _decode(v) for k, v in value.items()})
    if tag == "l":
        return [_decode(v) for v in value]
    if tag == "d":
        return {k: _decode(v) for k, v in value.items()}
    raise ValueError(f"unknown tag {tag!r}")


def _same(a: Any, b: Any) -> bool:
    """Equal with the same types all the way down (JSON turns number keys into strings)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(type(k) is str and _same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


# ---------------------------------------------------------------- the cache


def question_fields(question: Any) -> dict[str, Any]:
    """A question model's cache entry: its fields but the hidden tests, encoded."""
    fields = {name: _encode(getattr(question, name)) for name in type(question).model_fields
              if name not in EXCLUDED}
    for name in ("is_class", "entry"):  # properties the round reads
        if hasattr(question, name):
            fields[name] = {"v": getattr(question, name)}
    return fields


def save(pack_path: str, pack: Any, stamp_before: list) -> None:
    """Keep every question of `pack` (a validated pack model read from `pack_path`);
    `stamp_before` is `key(pack_path)` taken before the file was read (a file changed
    since is not cached)."""
    questions: list[str] = []
    from_model: dict[str, list[str]] = {}
    for q in pack.questions:
        fields = question_fields(q)
        try:
            text = json.dumps(fields, allow_nan=False)
            if not _same(json.loads(text), fields):
                continue  # a value JSON cannot carry exactly: this one is never cached
        except (TypeError, ValueError, RecursionError):
            continue
        questions.append(f"{json.dumps(q.id)}: {text}")
        if q.kind not in from_model:
            from_model[q.kind] = sorted({n for n in dir(type(q)) if not n.startswith("_")} - set(fields))
    if stamp_before != key(pack_path):
        return
    head = json.dumps({"key": stamp_before, "pack": pack.pack, "from_model": from_model})
    target = _file(pack_path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(f'{head[:-1]}, "questions": {{{", ".join(questions)}}}}}', encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only data folder only costs speed


def load(pack_path: str, qid: str, full: Callable[[], Any]) -> tuple[str, CachedQuestion] | None:
    """(pack id, the cached question) from the pack file `pack_path`, or None when there is
    no entry valid for that file as it is now. `full()` returns the question's full model,
    for what the cache does not hold."""
    try:
        with open(_file(pack_path), encoding="utf-8") as f:
            text = f.read(MAX_BYTES + 1)
        if len(text) > MAX_BYTES:
            return None
        entry = json.loads(text)
        if entry["key"] != key(pack_path):
            return None
        fields = {str(k): _decode(v) for k, v in entry["questions"][qid].items()}
        if not isinstance(fields.get("kind"), str) or fields.get("id") != qid:
            return None
        from_model = frozenset(str(n) for n in entry["from_model"][fields["kind"]])
        pack = entry["pack"]
        if not isinstance(pack, str):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # no entry, or a damaged one: loaded in full, and cached again
    return pack, CachedQuestion(fields, from_model | set(EXCLUDED), full)
