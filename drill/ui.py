"""Consoles and small rendering helpers shared by the commands."""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import Any


@cache
def out():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@cache
def err():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


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
