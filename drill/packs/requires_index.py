"""Which questions require packages, as the catalogue cache last saw them: a small index
beside it, so that `drill check` can start its runner right (with site-packages bound, or
not) before it has loaded the catalogue, whatever that catalogue's size.

Only questions that require something (and ids two packs give different requires) are
in it: a question it does not name requires nothing. A hint, never a contract: a stale
index only costs the early start (drill.judge.prelaunch). Read before the judge starts,
so plain text, without json: a first line `drill-requires VERSION`, then one line per
uid or id, `KEY<TAB>PACKAGE,PACKAGE`, or `KEY<TAB>?` where packs disagree.
"""

from __future__ import annotations

import os

from drill import __version__
from drill.paths import cache_file

NAME = "requires.txt"
HEAD = f"drill-requires {__version__}"


def write(entries: object) -> None:
    """Write the index for the catalogue cache's `files` entries."""
    seen: dict[str, tuple[str, ...]] = {}
    clash: set[str] = set()
    for entry in entries.values() if isinstance(entries, dict) else ():
        for q in (entry.get("questions") or []) if isinstance(entry, dict) else []:
            if not isinstance(q, dict):
                continue
            needs = tuple(str(n) for n in q.get("requires") or ())
            for key in (q.get("uid"), q.get("id")):
                if isinstance(key, str):
                    if key in seen and seen[key] != needs:
                        clash.add(key)
                    seen.setdefault(key, needs)
    lines = [HEAD]
    for key in sorted(seen):
        plain = "\t" not in key and "\n" not in key and all("," not in n and "\n" not in n for n in seen[key])
        if key in clash or (seen[key] and not plain):
            lines.append(f"{key}\t?" if "\t" not in key and "\n" not in key else "")
        elif seen[key]:
            lines.append(f"{key}\t{','.join(seen[key])}")
    file = cache_file(NAME)
    try:
        os.makedirs(os.path.dirname(file), exist_ok=True)
        tmp = os.path.join(os.path.dirname(file), f".{NAME}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("\n".join(line for line in lines if line) + "\n")
        os.replace(tmp, file)
    except OSError:
        pass  # a read-only data folder only costs the early start


def lookup(ref: str) -> tuple[str, ...] | None:
    """What question REF (uid, or id) requires: () for one the index does not name;
    None when there is no index, or two packs disagree on REF."""
    try:
        with open(cache_file(NAME), encoding="utf-8") as f:
            text = f.read()
    except (OSError, ValueError):
        return None
    head, _, rest = text.partition("\n")
    if head != HEAD:
        return None
    at = rest.find(ref + "\t")
    while at > 0 and rest[at - 1] != "\n":  # a key that only ends with REF
        at = rest.find(ref + "\t", at + 1)
    if at < 0:
        return ()
    needs = rest[at + len(ref) + 1:].partition("\n")[0]
    return None if needs == "?" else tuple(needs.split(","))
