"""Which questions require packages, as the catalogue cache last saw them: a small index
beside it, so that `drill check` can start its runner right (with site-packages bound, or
not) before it has loaded the catalogue, whatever that catalogue's size.

Only questions that require something (and ids two packs give different requires) are
in it: a question it does not name requires nothing. A hint, never a contract: a stale
index only costs the early start (drill.judge.prelaunch). Read before the judge starts,
so with nothing heavier than json.
"""

from __future__ import annotations

import json
import os

from drill import __version__
from drill.paths import cache_file

NAME = "requires.json"


def write(entries: object) -> None:
    """Write the index for the catalogue cache's `files` entries."""
    seen: dict[str, tuple[str, ...]] = {}
    clash: set[str] = set()
    for entry in entries.values() if isinstance(entries, dict) else ():
        for q in (entry.get("questions") or []) if isinstance(entry, dict) else []:
            if not isinstance(q, dict):
                continue
            needs = tuple(q.get("requires") or ())
            for key in (q.get("uid"), q.get("id")):
                if isinstance(key, str):
                    if key in seen and seen[key] != needs:
                        clash.add(key)
                    seen.setdefault(key, needs)
    index: dict[str, list[str] | None] = {k: list(v) for k, v in seen.items() if v and k not in clash}
    index.update(dict.fromkeys(clash))
    file = cache_file(NAME)
    try:
        tmp = os.path.join(os.path.dirname(file), f".{NAME}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(json.dumps({"version": __version__, "requires": index}))
        os.replace(tmp, file)
    except OSError:
        pass  # a read-only data folder only costs the early start


def lookup(ref: str) -> tuple[str, ...] | None:
    """What question REF (uid, or id) requires: () for one the index does not name;
    None when there is no index, or two packs disagree on REF."""
    try:
        with open(cache_file(NAME), encoding="utf-8") as f:
            data = json.loads(f.read())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != __version__ or not isinstance(data.get("requires"), dict):
        return None
    needs = data["requires"].get(ref, [])
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        return None
    return tuple(needs)
