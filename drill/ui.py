"""Consoles and small rendering helpers shared by the commands."""

from __future__ import annotations

import os
import re
import sys
from functools import cache

TYPE_CHECKING = False  # typing only for type checkers: `drill check` has no time to import it
if TYPE_CHECKING:
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


def markup_safe(text: str, *, keep_newlines: bool = True) -> str:
    """`term_safe`, then escaped for rich markup: a pack's `[/bold]` is shown, not obeyed."""
    from rich.markup import escape

    return escape(term_safe(text, keep_newlines=keep_newlines))


@cache
def out():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@cache
def err():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


# What json.dumps(ensure_ascii=False) leaves raw but a terminal would obey (C1 controls,
# DEL, bidi overrides) or an old JSON reader would split lines on (U+2028, U+2029).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_safe(text: str) -> str:
    """JSON text with every character a terminal could act on written as a \\uXXXX escape:
    the same JSON value, never a raw control character (json.dumps already escapes C0)."""
    if not _JSON_UNSAFE.search(text):
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def print_json(data: Any) -> None:
    # Indented for a person at a terminal; compact for scripts, where indenting a
    # 10,000-row list costs a tenth of a second.
    indent = 2 if sys.stdout.isatty() else None
    from drill.strictjson import dumps

    sys.stdout.write(json_safe(dumps(data, indent=indent, ensure_ascii=False, default=str)) + "\n")


def warn(message: str) -> None:
    err().print(f"[yellow]warning:[/] {markup_safe(message)}", soft_wrap=True)


def error(message: str, detail: str | None = None) -> None:
    err().print(f"[bold red]error:[/] {markup_safe(message)}", soft_wrap=True)
    if detail:
        err().print(markup_safe(detail), soft_wrap=True)


PROBLEMS_PER_FILE = 20  # as drill.packs.packfile.MAX_PROBLEMS; also caps older cached lists


def warn_problems(problems) -> None:
    """Broken or clashing user packs: say so, once each (at most 20 a file), and go on."""
    shown: dict[str, int] = {}
    for p in problems:
        path = getattr(p, "path", "")
        shown[path] = shown.get(path, 0) + 1
        if shown[path] <= PROBLEMS_PER_FILE + 1:  # the packfile's own "… and N more" line fits
            warn(str(p))
    for path, n in shown.items():
        if n > PROBLEMS_PER_FILE + 1:
            warn(f"{path}: … and {n - PROBLEMS_PER_FILE - 1:,} more problem(s) not shown")


def color_enabled(stream=None) -> bool:
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def plain_table(headers: list[str], rows: list[list[str]], right: set[int] | frozenset = frozenset()) -> str:
    """Aligned columns without importing rich: `drill list` is on the start-up budget.

    The last column is cut to the terminal width rather than wrapped. Cells are made
    terminal-safe here, on one line each, whatever their source.
    """
    import shutil

    headers = [term_safe(h, keep_newlines=False) for h in headers]
    rows = [[term_safe(c, keep_newlines=False) for c in r] for r in rows]
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
