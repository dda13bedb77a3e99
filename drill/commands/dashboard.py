"""`drill` with no command: one screen of what matters now, or a welcome the first time."""

from __future__ import annotations

from typing import Any

from drill import ui


def run(console: Any = None, **build_kw: Any) -> None:
    from drill.commands import report

    render(report.build(**build_kw), console)


def render(data: dict[str, Any], console: Any = None) -> None:
    escape = ui.markup_safe  # tags and suggestions come from packs and the database
    con = console or ui.out()
    total = data["questions_total"]
    rounds = sum(1 for r in data["rounds"] if r["total"])
    if not data["attempts"]:
        con.print("[bold]Welcome to drill.[/] Timed mock rounds for ML-engineer interviews, offline.")
        con.print(f"{total} questions in {rounds} rounds are ready.")
        con.print()
        con.print(f"  Start here:       [bold]{escape(data['suggestion'])}[/]")
        con.print("  Browse questions: [bold]drill list[/]   ·   rounds: [bold]drill rounds[/]")
        con.print("  Every command:    [bold]drill --help[/]")
        return
    streak = data["streak_days"]
    con.print(
        f"[bold]drill[/] · {data['due_today']} due today · streak {streak} day{'s' if streak != 1 else ''}"
        f" · {data['questions_seen']}/{total} questions seen"
    )
    weakest = data["weak_tags"][:3]
    if weakest:
        areas = ", ".join(f"{escape(w['tag'])} {w['score']:.2f}" for w in weakest)
        con.print(f"Weakest: {areas}")
    con.print(f"Next: [bold]{escape(data['suggestion'])}[/]   ·   details: [bold]drill report[/]")
