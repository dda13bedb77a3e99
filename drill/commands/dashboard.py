"""`drill` with no command: one screen of what matters now, or a welcome the first time.

With an interview date set (`drill plan`), it also shows the date and today's part of
the plan with the commands to run.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from drill import ui


def run(console: Any = None, **build_kw: Any) -> None:
    render(build(**build_kw), console)


def build(extra: Any = None, *, now: datetime | None = None, tz: tzinfo | None = None,
          store: Any = None) -> dict[str, Any]:
    """The report's data plus `plan_today` (commands.plan.today_part, or None)."""
    from drill.packs.catalog import load_catalog
    from drill.progress.store import open_store

    now = now or datetime.now(UTC)
    cat = load_catalog(extra)
    ui.warn_problems(cat.problems)
    if store is None:
        with open_store(create=False) as st:
            return _build(cat, st, now, tz)
    return _build(cat, store, now, tz)


def _build(cat: Any, store: Any, now: datetime, tz: tzinfo | None) -> dict[str, Any]:
    from drill.commands import plan, report

    data = report.build(now=now, tz=tz, store=store, catalog=cat)
    data["plan_today"] = plan.today_part(store, cat, now=now, tz=tz) if data.get("interview") else None
    return data


def render(data: dict[str, Any], console: Any = None) -> None:
    escape = ui.markup_safe  # tags and suggestions come from packs and the database
    con = console or ui.out()
    total = data["questions_total"]
    rounds = sum(1 for r in data["rounds"] if r["total"])
    if not data["attempts"]:
        con.print("[bold]Welcome to drill.[/] Timed mock rounds for ML-engineer interviews, offline.")
        con.print(f"{total} questions in {rounds} rounds are ready.")
        con.print()
        if not data.get("plan_today"):
            con.print(f"  Start here:       [bold]{escape(data['suggestion'])}[/]")
            con.print("  Plan to a date:   [bold]drill plan --interview YYYY-MM-DD[/]")
            con.print("  Browse questions: [bold]drill list[/]   ·   rounds: [bold]drill rounds[/]")
            con.print("  Every command:    [bold]drill --help[/]")
            return
        _render_plan(con, data["plan_today"])
        return
    streak = data["streak_days"]
    con.print(
        f"[bold]drill[/] · {data['due_today']} due today · streak {streak} day{'s' if streak != 1 else ''}"
        f" · {data['questions_seen']}/{total} questions seen"
    )
    weakest = data["weak_tags"][:3]
    if weakest:
        areas = ", ".join(f"{escape(ui.term_safe(w['tag']))} {w['score']:.2f}" for w in weakest)
        con.print(f"Weakest: {areas}")
    if data.get("plan_today"):
        _render_plan(con, data["plan_today"])
        con.print("Readiness and the days ahead: [bold]drill plan[/]   ·   details: [bold]drill report[/]")
        return
    con.print(f"Next: [bold]{escape(data['suggestion'])}[/]   ·   details: [bold]drill report[/]")


def _render_plan(con: Any, part: dict[str, Any]) -> None:
    from drill.commands.plan import minutes, render_tasks, when
    from drill.progress.plan import WAVE_NAMES

    if part["past"]:
        con.print(f"Interview {when(part)}: set a new date with [bold]drill plan --interview DATE[/] "
                  "or [bold]drill plan --clear[/].")
        return
    today = part["today"]
    if today is None:
        con.print(f"Interview {when(part)}.")
        return
    con.print(f"[bold]Interview[/] {when(part)} · today ({WAVE_NAMES[today['wave']]}, "
              f"{minutes(today['budget_minutes'])} left):")
    render_tasks(con, today)
