"""Consoles and small rendering helpers shared by the commands."""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from typing import Any

# C0 and C1 control characters (but newline and tab), DEL, and the bidirectional
# overrides that can make text read differently from what it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def term_safe(text: str, *, keep_newlines: bool = True) -> str:
    """Text from an answer, a pack or a dataset, made harmless for a terminal: control
    characters (ESC sequences, OSC 52 clipboard writes, title changes, ...) are shown
    escaped as `\\x1b` and the like, never sent raw."""
    if not keep_newlines:
        text = text.replace("\r\n", "\n").replace("\n", " ⏎ ")
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@cache
def out():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@cache
def err():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    # Indented for a person at a terminal; compact for scripts, where indenting a
    # 10,000-row list costs a tenth of a second.
    indent = 2 if sys.stdout.isatty() else None
    from drill.strictjson import dumps

    sys.stdout.write(dumps(data, indent=indent, ensure_ascii=False, default=str) + "\n")


def warn(message: str) -> None:
    from rich.markup import escape

    err().print(f"[yellow]warning:[/] {escape(message)}", soft_wrap=True)


def error(message: str, detail: str | None = None) -> None:
    from rich.markup import escape

    err().print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    if detail:
        err().print(escape(detail), soft_wrap=True)


def warn_problems(problems) -> None:
    """Broken or clashing user packs: say so, once each, and go on with the rest."""
    for p in problems:
        warn(str(p))


def color_enabled(stream=None) -> bool:
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def plain_table(headers: list[str], rows: list[list[str]], right: set[int] | frozenset = frozenset()) -> str:
    """Aligned columns without importing rich: `drill list` is on the start-up budget.

    The last column is cut to the terminal width rather than wrapped.
    """
    import shutil

    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    width = shutil.get_terminal_size((120, 24)).columns
    bold = color_enabled()

    def fmt(cells: list[str]) -> str:
        parts = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)]
        line = "  ".join(parts).rstrip()
        return line if len(line) <= width else line[: width - 1] + "…"

    head = fmt(headers)
    out = [f"\033[1m{head}\033[0m" if bold else head]
    out += [fmt(r) for r in rows]
    return "\n".join(out) + "\n"
