"""`drill history`: the latest attempts, newest first."""

from __future__ import annotations

from typing import Any

from drill import ui
from drill.errors import InputError
from drill.ui import markup_safe as _m

DEFAULT_LIMIT = 20


def history(limit: int = DEFAULT_LIMIT) -> list:
    from drill.progress.store import open_store

    if limit < 1:
        raise InputError(f"--limit must be at least 1, not {limit}")
    with open_store(create=False) as store:
        return store.attempts(limit=limit)


def _flags(a: Any) -> str:
    out = []
    if a.skipped:
        out.append("skipped")
    if a.cram:
        out.append("cram")
    if a.hints_used:
        out.append(f"{a.hints_used} hint{'s' if a.hints_used > 1 else ''}")
    if a.budget_seconds and a.seconds > a.budget_seconds:
        out.append("over time")
    return ", ".join(out)


def _mmss(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 60}:{s % 60:02d}"


def render(rows: list, json_out: bool, console: Any = None) -> None:
    if json_out:
        ui.print_json([a.to_dict() for a in rows])
        return
    con = console or ui.out()
    if not rows:
        con.print("No attempts yet. Start with [bold]drill start[/] or [bold]drill list[/].")
        return
    from rich.table import Table

    t = Table(box=None, header_style="bold", pad_edge=False)
    for col, just in (("when", "left"), ("question", "left"), ("round", "left"), ("score", "right"),
                      ("verdict", "left"), ("time", "right"), ("notes", "left")):
        t.add_column(col, justify=just, no_wrap=col in ("when", "question"))  # type: ignore[arg-type]
    for a in rows:
        used = _mmss(a.seconds) + (f"/{_mmss(a.budget_seconds)}" if a.budget_seconds else "")
        t.add_row(a.ended_at.astimezone().strftime("%Y-%m-%d %H:%M"), _m(a.uid), _m(a.round),
                  f"{a.score:.2f}", _m(a.verdict), used, _flags(a))
    con.print(t)
