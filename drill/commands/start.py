"""`drill start`: a timed mock round in the terminal."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from drill import ui
from drill.errors import EXIT_INTERRUPTED, DrillError, InputError
from drill.session.flow import QuitSession, Runner, SessionResult, StartOptions, check_options, plan


def require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError("drill start needs an interactive terminal; to judge a file from a script, "
                         "use `drill check UID FILE`")


def start(opts: StartOptions, *, resume: bool | int = False, term=None) -> SessionResult:
    """Plan (or resume) a session and run it to its end or until the candidate quits.

    `resume`: False for a new round, True for the paused session (a picker when there
    are several), or a session id.
    """
    from drill.packs.catalog import load_catalog
    from drill.session import workspace

    paused = workspace.paused()
    chosen = None
    if resume is not False and resume is not True:
        chosen = workspace.load(int(resume))
    elif resume is True:
        if not paused:
            raise InputError("there is no paused session to resume; start one with `drill start`")
        if len(paused) == 1:
            chosen = paused[0]
    else:
        if paused:
            if len(paused) == 1:
                ui.warn(f"a paused session is kept ({workspace.describe(paused[0])}); "
                        f"continue it with `drill start --resume {paused[0].session_id}`")
            else:
                ui.warn(f"{len(paused)} paused sessions are kept; `drill start --resume` lists them")
        cat = load_catalog(opts.packs)
        ui.warn_problems(cat.problems)
        check_options(opts, cat)  # bad options are errors before the screen opens
    if term is None:
        require_terminal()
        from drill.session.tui import TerminalUI

        term = TerminalUI()

    def work() -> SessionResult:
        from drill.progress.store import open_store

        with open_store() as store:
            if resume is not False:
                state = chosen if chosen is not None else pick_paused(term, store)
                if state is None:
                    return SessionResult(None, "cancelled", [])
                rcat = load_catalog([Path(p) for p in state.packs])
                summaries = [rcat.find(uid) for uid in state.uids]
                try:
                    term.intro(state, summaries, resumed=True, then=lambda: prepare(term, rcat, state))
                except QuitSession:
                    return SessionResult(state, "paused", [])
                return Runner(term, rcat, store, state).run()
            if not opts.rounds and not opts.questions:
                try:
                    opts.rounds = [pick_round(cat, store, term)]
                except QuitSession:
                    return SessionResult(None, "cancelled", [])
            state, summaries = plan(opts, cat, store)
            try:
                term.intro(state, summaries, then=lambda: prepare(term, cat, state))
            except QuitSession:
                # Left before the first question: nothing to keep or resume.
                store.end_session(state.session_id, "abandoned")
                state.finish()
                return SessionResult(state, "cancelled", [])
            return Runner(term, cat, store, state).run()

    return term.run(work)


def prepare(term, cat, state) -> None:
    """While the intro is read: the first question loaded and its screen warmed up. Work
    done ahead only: it is done again, and any error shown, when the question is asked."""
    with contextlib.suppress(Exception):
        term.prepare(cat.load_for_round(state.uids[state.index]))


def pick_paused(term, store):
    """Several paused sessions: choose one (d discards one, after a confirmation)."""
    from drill.session import workspace

    while True:
        paused = workspace.paused()
        if not paused:
            return None
        options = [(s.session_id, f"#{s.session_id}  {workspace.describe(s)}") for s in paused]
        action, sid = term.pick("Which paused session? (d discards one)", options, [("d", "discard")])
        state = next(s for s in paused if s.session_id == sid)
        if action == "choose":
            return state
        if term.confirm(f"Discard paused session #{sid} ({workspace.describe(state)})? "
                        "Its answers stay in the workspace folder."):
            workspace.discard(state)
            store.end_session(sid, "abandoned")


def discard(session_id: int, confirm) -> str:
    """`drill start --discard ID`: throw a paused session away after `confirm(question)`."""
    from drill.progress.store import open_store
    from drill.session import workspace

    state = workspace.load(session_id)
    what = workspace.describe(state)
    if not confirm(f"Discard paused session #{session_id} ({what})? Its answers stay in {state.folder}"):
        return "Nothing changed."
    workspace.discard(state)
    with open_store() as store:
        store.end_session(session_id, "abandoned")
    return f"Discarded paused session #{session_id} ({what})."


def pick_round(cat, store, term) -> str:
    """No --round: a short picker of rounds with their due counts."""
    from datetime import UTC, datetime

    from drill.constants import BUILTIN_ROUNDS
    from drill.progress.schedule import due_uids

    # Due as the scheduler sees it: with an interview date, capped to it (docs/scheduling.md).
    due = due_uids(store, datetime.now(UTC))
    counts = cat.rounds()
    order = [r for r in BUILTIN_ROUNDS if r in counts] + sorted(r for r in counts if r not in BUILTIN_ROUNDS)
    options = []
    for r in order:
        n_due = sum(1 for s in cat.questions if s.round == r and s.uid in due)
        options.append((r, f"{r:<16} {counts[r]:>3} questions" + (f" · {n_due} due" if n_due else "")))
    options.append(("mixed", f"{'mixed':<16} one question from each of several rounds"))
    _action, value = term.pick("Which round?", options)
    return value


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
    if result.status in ("interrupted", "paused") and result.state is not None:
        st = result.state
        con.print(f"[yellow]Session paused at question {st.index + 1} of {len(st.uids)}.[/] "
                  f"Your answer so far is saved; continue with [bold]drill start --resume {st.session_id}[/].")
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
    return EXIT_INTERRUPTED if result.status in ("interrupted", "cancelled", "paused") else 0
