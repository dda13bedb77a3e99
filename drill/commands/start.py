"""`drill start`: a timed mock round in the terminal."""

from __future__ import annotations

import sys
from pathlib import Path

from drill import ui
from drill.errors import EXIT_INTERRUPTED, DrillError, InputError
from drill.session.flow import QuitSession, Runner, SessionResult, StartOptions


def require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError("drill start needs an interactive terminal; to judge a file from a script, "
                         "use `drill check UID FILE`")


def start(opts: StartOptions, *, resume: bool = False, term=None) -> SessionResult:
    """Plan (or resume) a session and run it to its end or until the candidate quits."""
    from drill.packs.catalog import load_catalog
    from drill.progress.store import open_store
    from drill.session import workspace
    from drill.session.flow import plan
    from drill.session.tui import TerminalUI

    if term is None:
        require_terminal()
        term = TerminalUI()
    with open_store() as store:
        if resume:
            state = workspace.load_current()
            cat = load_catalog([Path(p) for p in state.packs])
            summaries = [cat.find(uid) for uid in state.uids]
            term.print(f"[bold]Resuming[/] the {state.label} session at question {state.index + 1} of {len(state.uids)}.")
        else:
            if workspace.has_current():
                old = workspace.load_current()
                ui.warn(f"an interrupted {old.label} session was left at question {old.index + 1}; "
                        "it is set aside (its answers stay in the workspace). Use `drill start --resume` to continue one.")
            cat = load_catalog(opts.packs)
            ui.warn_problems(cat.problems)
            if not opts.rounds and not opts.questions:
                opts.rounds = [pick_round(cat, store, term)]
            state, summaries = plan(opts, cat, store)
            try:
                term.intro(state, summaries)
            except QuitSession:
                # Left before the first question: nothing to keep or resume.
                store.end_session(state.session_id, "abandoned")
                state.finish()
                return SessionResult(state, "cancelled", [])
        return Runner(term, cat, store, state).run()


def pick_round(cat, store, term) -> str:
    """No --round: a short picker of rounds with their due counts."""
    from datetime import UTC, datetime

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.shortcuts import choice

    due = {c.uid for c in store.due(datetime.now(UTC))}
    from drill.constants import BUILTIN_ROUNDS

    counts = cat.rounds()
    order = [r for r in BUILTIN_ROUNDS if r in counts] + sorted(r for r in counts if r not in BUILTIN_ROUNDS)
    options = []
    for r in order:
        n_due = sum(1 for s in cat.questions if s.round == r and s.uid in due)
        options.append((r, f"{r:<16} {counts[r]:>3} questions" + (f" · {n_due} due" if n_due else "")))
    options.append(("mixed", f"{'mixed':<16} one question from each of several rounds"))
    try:
        with create_app_session(input=term.input, output=term.output):
            return choice(message="Which round? (↑/↓, enter)", options=options)
    except EOFError:
        raise InputError("no round chosen") from None


def render(result: SessionResult, console=None) -> None:
    from rich.table import Table

    from drill.session.clock import due_phrase, fmt_seconds

    con = console or ui.out()
    rows = result.results
    if rows:
        t = Table(title="Session summary", title_justify="left", header_style="bold")
        for col in ("#", "question", "result", "time / budget", "hints", "back"):
            t.add_column(col)
        for i, r in enumerate(rows, 1):
            res = "skipped" if r["verdict"] == "skipped" else f"{r['verdict']} {r['score']:.0%}"
            over = r["seconds"] > r["budget"]
            time_s = f"{fmt_seconds(r['seconds'])} / {fmt_seconds(r['budget'])}"
            from datetime import datetime

            back = due_phrase(datetime.fromisoformat(r["due"])) if r["due"] else "(cram)"
            t.add_row(str(i), r["title"], res, f"[red]{time_s}[/]" if over else time_s, str(r["hints"]), back)
        con.print(t)
        touched = _tags_touched(rows)
        if touched:
            con.print("Tags touched, weakest first: " + ", ".join(f"{tag} {score:.0%}" for tag, score in touched))
    if result.status == "cancelled":
        con.print("Session cancelled before it started; nothing was recorded.")
        return
    if result.status == "interrupted":
        st = result.state
        con.print(f"[yellow]Session paused at question {st.index + 1} of {len(st.uids)}.[/] "
                  "Your answer so far is saved; continue with [bold]drill start --resume[/].")
    else:
        con.print(f"Next: [bold]{_suggestion()}[/]")


def _tags_touched(rows: list[dict]) -> list[tuple[str, float]]:
    from datetime import UTC, datetime

    from drill.progress import weakness
    from drill.progress.store import open_store

    touched = {t for r in rows for t in r["tags"]}
    with open_store(create=False) as store:
        strengths = weakness.tag_strengths(store, datetime.now(UTC))
    return [(s.key, s.score) for s in strengths if s.key in touched][:5]


def _suggestion() -> str:
    from drill.commands import report

    try:
        return report.build()["suggestion"]
    except (DrillError, OSError):  # a nicety: never fail a finished session over it
        return "drill report"


def exit_code(result: SessionResult) -> int:
    return EXIT_INTERRUPTED if result.status in ("interrupted", "cancelled") else 0
