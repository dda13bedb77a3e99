"""Shell completion: what a word of `drill`'s command line can be.

typer calls these (`autocompletion=` in drill.cli) with the word typed so far, `incomplete`,
and the context, whose `--pack` options are taken into account. Values come from the
catalogue cache, as `drill list` reads it: completing costs what listing does. They never
print: a broken pack or data folder completes nothing, not an error. Only plain words are
offered (slugs, uids), and titles are shown terminal-safe: both come from pack files.
"""

from __future__ import annotations

import re
from typing import Any

from drill.constants import DIFFICULTIES

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*\Z")
FOCUSES = ("due", "weak", "new", "random")  # as drill.progress.schedule.FOCUSES (not imported: fsrs)
FORMATS = ("json", "csv")
SANDBOXES = ("auto", "bwrap", "none")  # as drill.judge.sandbox.MODES


def _catalog(ctx: Any):
    from pathlib import Path

    from drill.packs.catalog import load_catalog

    try:
        packs = ctx.params.get("pack") if ctx is not None else None  # as typed: str, unconverted
        return load_catalog([Path(p) for p in packs or ()] or None)
    except Exception:  # a missing --pack path, an unreadable data folder: nothing to offer
        return None


def _words(values, incomplete: str) -> list[str]:
    return sorted({v for v in values if isinstance(v, str) and WORD.match(v) and v.startswith(incomplete)})


def rounds(ctx: Any, incomplete: str) -> list[str]:
    cat = _catalog(ctx)
    return _words(cat.rounds() if cat else (), incomplete)


def start_rounds(ctx: Any, incomplete: str) -> list[str]:
    """`drill start --round`: a round, or `mixed` for a loop."""
    return _words([*rounds(ctx, incomplete), "mixed"], incomplete)


def plan_rounds(ctx: Any, incomplete: str) -> list[str]:
    """`drill plan --rounds`: a round, or `all`."""
    return _words([*rounds(ctx, incomplete), "all"], incomplete)


def tags(ctx: Any, incomplete: str) -> list[str]:
    cat = _catalog(ctx)
    return _words((t for s in cat.questions for t in s.tags) if cat else (), incomplete)


def uids(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Question uids (pack/id), with their titles (typer keeps those that start with `incomplete`)."""
    from drill.ui import term_safe

    cat = _catalog(ctx)
    if cat is None:
        return []
    out = {}
    for s in cat.questions:
        if s.uid.startswith(incomplete) and WORD.match(s.uid):
            out[s.uid] = term_safe(s.title, keep_newlines=False)[:80]
    return sorted(out.items())


def packs(ctx: Any, incomplete: str) -> list[str]:
    """Pack ids (`drill packs audit` takes them, or paths)."""
    cat = _catalog(ctx)
    return _words((p.id for p in cat.packs) if cat else (), incomplete)


def paths(incomplete: str) -> list[str]:
    """Nothing: the shell then completes file names itself (bash `-o default`, zsh `_files`)."""
    return []


def difficulties(incomplete: str) -> list[str]:
    return _words(DIFFICULTIES, incomplete)


def focuses(incomplete: str) -> list[str]:
    return _words(FOCUSES, incomplete)


def formats(incomplete: str) -> list[str]:
    return _words(FORMATS, incomplete)


def sandboxes(incomplete: str) -> list[str]:
    return _words(SANDBOXES, incomplete)
