"""`drill` with no command: a one-screen overview."""

from __future__ import annotations

from drill import ui
from drill.catalog import load_catalog


def run() -> None:
    cat = load_catalog()
    ui.warn_problems(cat.problems)
    con = ui.out()
    con.print(f"[bold]drill[/] — {len(cat.questions)} questions in {len(cat.rounds())} rounds.")
    con.print("Start a timed round: [bold]drill start --round coding[/]   ·   all commands: [bold]drill --help[/]")
