"""`drill export`: every attempt, as JSON (lossless) or CSV (for spreadsheets).

JSON: `{"format": "drill-attempts", "version": 1, "exported_at": ..., "attempts": [...]}`,
each attempt `Attempt.to_dict()`, so `Attempt.from_dict` restores it exactly.
CSV: one row per attempt, the same columns; tags joined with ';' (slugs never
contain it), cases and rubric as JSON text, booleans as 0/1.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from drill.errors import InputError
from drill.strictjson import dumps

FORMATS = ("json", "csv")
EXPORT_FORMAT = "drill-attempts"
EXPORT_VERSION = 1


BATCH = 500  # attempts per write: few enough to keep memory flat, enough to keep writes few


def _json_chunks(attempts: Iterator[dict[str, Any]]) -> Iterator[str]:
    from drill.progress.store import ts
    from drill.ui import json_safe

    head = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": ts(datetime.now(UTC))}
    yield dumps(head, ensure_ascii=False)[:-1] + ', "attempts": ['
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False).encode  # strictjson.dumps, made once
    batch: list[str] = []
    for i, d in enumerate(attempts):
        try:
            text = encode(d)
        except ValueError:  # a non-finite float from an older drill: strictjson writes it as null
            text = dumps(d, ensure_ascii=False)
        batch.append("\n  " if i == 0 else ",\n  ")
        batch.append(text)
        if len(batch) >= 2 * BATCH:
            # json_safe: control characters an answer holds travel as \u escapes (the same value).
            yield json_safe("".join(batch))
            batch.clear()
    yield json_safe("".join(batch)) + "\n]}\n"


class _Parts(list):
    """A csv writer's target that keeps what it writes: joined once per batch, which is
    cheaper than a StringIO emptied and refilled."""

    write = list.append


def _csv_chunks(attempts: Iterator[dict[str, Any]]) -> Iterator[str]:
    from drill.progress.store import _DICT_COLS

    parts = _Parts()
    w = csv.writer(parts, lineterminator="\n")
    w.writerow(_DICT_COLS)
    for n, d in enumerate(attempts, 1):  # cases and rubric come as JSON text (parse=False)
        d["tags"] = ";".join(d["tags"])
        d["skipped"], d["cram"] = int(d["skipped"]), int(d["cram"])
        w.writerow(["" if v is None else v for v in d.values()])
        if n % BATCH == 0:
            yield "".join(parts)
            parts.clear()
    yield "".join(parts)


def export(fmt: str, out: Path | None, stdout: IO[str] | None = None) -> int:
    """Write all attempts (oldest first) to `out`, or stdout; returns how many."""
    if fmt not in FORMATS:
        raise InputError(f"--format must be json or csv, not '{fmt}'")
    if out is not None and not out.parent.is_dir():
        raise InputError(f"cannot write {out}: folder {out.parent} does not exist")
    if out is not None and out.is_dir():
        raise InputError(f"cannot write {out}: it is a folder")
    from drill.progress.store import open_store

    count = 0

    def counted(store: Any) -> Iterator[dict[str, Any]]:
        nonlocal count
        for d in store.iter_attempt_dicts(parse=fmt == "json"):
            count += 1
            yield d

    chunks = _json_chunks if fmt == "json" else _csv_chunks
    with open_store(create=False) as store:
        if out is None:
            target = stdout or sys.stdout
            # CSV cannot escape: on a terminal, answers' control characters are shown escaped;
            # into a pipe or a file they go as they were recorded.
            shown = _terminal_safe if fmt == "csv" and _isatty(target) else _as_is
            for c in chunks(counted(store)):
                target.write(shown(c))
            return count
        # Written beside the target and renamed: an interrupted export never leaves half a file.
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("w", encoding="utf-8", newline="") as f:
                for c in chunks(counted(store)):
                    f.write(c)
            os.replace(tmp, out)
        except OSError as e:
            raise InputError(f"cannot write {out}: {e.strerror or e}") from None
        finally:
            tmp.unlink(missing_ok=True)
    return count


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _terminal_safe(chunk: str) -> str:
    from drill.ui import term_safe

    return term_safe(chunk)


def _as_is(chunk: str) -> str:
    return chunk


def load_json(text: str) -> list:
    """The attempts of a JSON export (the inverse of `export(..., 'json')`)."""
    from drill.progress.store import Attempt

    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InputError("not a drill JSON export")
    if data.get("version") != EXPORT_VERSION:
        raise InputError(f"drill export version {data.get('version')} is not supported")
    return [Attempt.from_dict(d) for d in data["attempts"]]
