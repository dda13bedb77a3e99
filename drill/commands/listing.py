"""`drill list` and `drill rounds`."""

from __future__ import annotations

from pathlib import Path

from drill import ui
from drill.constants import BUILTIN_ROUNDS, DIFFICULTIES
from drill.errors import InputError
from drill.packs.catalog import Summary, load_catalog


def list_questions(extra: list[Path] | None, round: str | None, tag: str | None,
                   difficulty: str | None) -> list[Summary]:
    if difficulty and difficulty not in DIFFICULTIES:
        raise InputError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, not '{difficulty}'")
    cat = load_catalog(extra)
    ui.warn_problems(cat.problems)
    if round and round not in cat.rounds() and round not in BUILTIN_ROUNDS:
        known = ", ".join(sorted(cat.rounds()))
        raise InputError(f"no round '{round}'; rounds: {known}")
    return cat.select(round, tag, difficulty)


def render_list(rows: list[Summary], json_out: bool) -> None:
    if json_out:
        ui.print_json([s.to_json() for s in rows])
        return
    if not rows:
        ui.err().print("No questions match.")
        return
    import sys

    table = [[s.uid, s.round, s.kind, s.difficulty, f"{s.minutes:g}",
              s.title if s.available else f"{s.title} (unavailable: needs {', '.join(s.missing)})",
              ", ".join(s.tags)]
             for s in rows]
    sys.stdout.write(ui.plain_table(["uid", "round", "kind", "level", "min", "title", "tags"], table, right={4}))
    sys.stdout.write(f"{len(rows)} questions\n")
    missing = [m for s in rows for m in s.missing]
    if missing:
        from drill.packs.catalog import install_command

        unavailable = sum(not s.available for s in rows)
        sys.stdout.write(f"{unavailable} unavailable (this Python lacks what they require); "
                         f"install with: {install_command(missing)}\n")


def rounds(extra: list[Path] | None) -> list[dict]:
    cat = load_catalog(extra)
    ui.warn_problems(cat.problems)
    counts = cat.rounds()
    order = [r for r in BUILTIN_ROUNDS if r in counts] + sorted(r for r in counts if r not in BUILTIN_ROUNDS)
    return [{"round": r, "questions": counts[r], "builtin": r in BUILTIN_ROUNDS} for r in order]


def render_rounds(rows: list[dict], json_out: bool) -> None:
    if json_out:
        ui.print_json(rows)
        return
    from rich.table import Table

    t = Table(box=None, header_style="bold", pad_edge=False)
    t.add_column("round")
    t.add_column("questions", justify="right")
    for r in rows:
        t.add_row(ui.markup_safe(r["round"]) + ("" if r["builtin"] else " [dim](custom)[/]"), str(r["questions"]))
    ui.out().print(t)
