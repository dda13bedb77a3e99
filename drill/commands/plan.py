"""`drill plan`: the interview date, readiness per round, and a plan to the day.

`run(...)` sets or clears the stored date when asked, then returns `view(...)`: the JSON
contract (docs/scheduling.md, "drill plan --json"):

    {"interview": {"date", "hours_per_day", "rounds", "set_at", "days_left", "past"} | null,
     "today", "now",
     "readiness": {"at", "verdict", "ready_rounds", "total_rounds", "thresholds",
                   "rounds": [{"round", "questions", "seen", "coverage", "cards", "recall",
                               "score": {"mean", "sd", "low", "high", "attempts"} | null,
                               "status", "reason", "short_of"}]},
     "plan": {"rounds", "unreached_rounds", "assumes",
              "days": [{"date", "wave", "final_window", "budget_minutes", "planned_minutes",
                        "reviews_left", "tasks": [{"kind", "round", "count", "minutes",
                                                   "command"}]}]} | null,
     "changed": "set" | "cleared" | null, "warning": str | null}

`today_part(...)` is the dashboard's slice: today's tasks only.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from drill import ui
from drill.errors import InputError


def run(*, interview: str | None = None, hours: float | None = None, rounds: list[str] | None = None,
        clear: bool = False, extra: list[Path] | None = None, now: datetime | None = None,
        tz: tzinfo | None = None, store: Any = None) -> dict[str, Any]:
    from drill.packs.catalog import load_catalog

    now = now or datetime.now(UTC)
    wants_set = interview is not None or hours is not None or bool(rounds)
    if clear and wants_set:
        raise InputError("--clear removes the interview date; give it alone")
    cat = load_catalog(extra)
    ui.warn_problems(cat.problems)
    if store is None:
        from drill.paths import db_path
        from drill.progress.store import open_store

        # Only setting a date creates the database; showing and clearing never do.
        with open_store(create=wants_set or (clear and db_path().exists())) as st:
            return _run(cat, st, interview, hours, rounds, clear, now, tz)
    return _run(cat, store, interview, hours, rounds, clear, now, tz)


def _run(cat: Any, store: Any, interview: str | None, hours: float | None, rounds: list[str] | None,
         clear: bool, now: datetime, tz: tzinfo | None) -> dict[str, Any]:
    from drill.progress import interview as iv_mod

    changed = None
    if clear:
        changed = "cleared" if iv_mod.clear(store) else None
    elif interview is not None or hours is not None or rounds:
        today = iv_mod.local_day(now, tz)
        old = iv_mod.load(store, tz)
        if interview is None and old is None:
            raise InputError("no interview date is set; give one with --interview YYYY-MM-DD")
        day = iv_mod.parse_day(interview, today) if interview is not None else old.day  # type: ignore[union-attr]
        h = iv_mod.check_hours(hours) if hours is not None else (old.hours_per_day if old else iv_mod.DEFAULT_HOURS)
        chosen = _check_rounds(rounds, cat) if rounds else (old.rounds if old else ())
        iv_mod.save(store, iv_mod.Interview(day, h, chosen, tz=tz), now=now)
        changed = "set"
    data = view(cat, store, now=now, tz=tz)
    data["changed"] = changed
    return data


def _check_rounds(given: list[str], cat: Any) -> tuple[str, ...]:
    """--rounds coding --rounds sql, or --rounds coding,sql; each must be a round.
    `--rounds all` goes back to every round."""
    names = [p.strip() for g in given for p in g.split(",") if p.strip()]
    if names == ["all"]:
        return ()
    known = cat.rounds()
    for r in names:
        if r not in known:
            shown = ui.term_safe(r, keep_newlines=False)[:60]
            raise InputError(f"no round '{shown}'; rounds: {', '.join(sorted(known)) or 'none'}")
    return tuple(dict.fromkeys(names))


def loop_order() -> tuple[tuple[str, ...], int]:
    """The mock loop's rounds and its default length, as `drill start --round mixed` runs it."""
    from drill.session.flow import DEFAULT_COUNT, MIXED_LOOP

    return tuple(MIXED_LOOP), DEFAULT_COUNT.get("mixed", 4)


def done_today_minutes(store: Any, now: datetime, tz: tzinfo | None) -> float:
    from drill.progress.interview import local_day, local_midnight
    from drill.progress.store import ts

    start = local_midnight(local_day(now, tz), tz)
    return float(store.read("SELECT total(seconds) FROM attempts WHERE ended_at >= ?", (ts(start),))[0][0]) / 60


def view(cat: Any, store: Any, *, now: datetime, tz: tzinfo | None = None,
         limit: int | None = None) -> dict[str, Any]:
    """Readiness and the plan for the stored interview (readiness now without one)."""
    from drill.progress import interview as iv_mod
    from drill.progress import plan as plan_mod
    from drill.progress import readiness
    from drill.progress.store import ts

    iv, problem = iv_mod.read(store, tz)
    today = iv_mod.local_day(now, tz)
    loop, mock_count = loop_order()
    questions = [s for s in cat.questions if s.available]
    rounds = plan_mod.rounds_in_order(questions, loop, iv.rounds if iv else ())
    active = iv is not None and iv.active(now)
    days_left = iv.days_left(today) if iv is not None and active else None
    ready = readiness.assess(questions, store, now=now, at=iv.starts() if iv and active else now,
                             rounds=rounds, days_left=days_left)
    plan = None
    if iv is not None and active:
        plan = plan_mod.build(questions, store, iv, now=now, loop=loop, mock_count=mock_count,
                              done_today_minutes=done_today_minutes(store, now, tz), limit=limit)
    return {
        "interview": None if iv is None else {**iv.to_json(), "days_left": iv.days_left(today),
                                              "past": not active},
        "today": today.isoformat(),
        "now": ts(now),
        "readiness": ready.to_json(),
        "plan": plan.to_json() if plan else None,
        "warning": problem,
    }


def today_part(store: Any, cat: Any, *, now: datetime, tz: tzinfo | None = None) -> dict[str, Any] | None:
    """The dashboard's line: the interview and today's tasks, or None with no date set."""
    from drill.progress import interview as iv_mod
    from drill.progress import plan as plan_mod

    iv = iv_mod.load(store, tz)
    if iv is None:
        return None
    today = iv_mod.local_day(now, tz)
    out: dict[str, Any] = {**iv.to_json(), "days_left": iv.days_left(today), "past": not iv.active(now),
                           "today": None}
    if iv.active(now):
        loop, mock_count = loop_order()
        questions = [s for s in cat.questions if s.available]
        p = plan_mod.build(questions, store, iv, now=now, loop=loop, mock_count=mock_count,
                           done_today_minutes=done_today_minutes(store, now, tz), limit=1)
        out["today"] = p.days[0].to_json() if p.days else None
    return out


# ---------------------------------------------------------------- rendering


def when(iv: dict[str, Any]) -> str:
    """'Tue 15 Dec 2026 · 24 days left' (or that it is today / has passed)."""
    from datetime import date

    d = date.fromisoformat(iv["date"])
    label = d.strftime("%a %d %b %Y")
    left = iv["days_left"]
    if left > 0:
        return f"{label} · {left} day{'s' if left != 1 else ''} left"
    return f"{label} · today" if left == 0 else f"{label} · passed"


def minutes(m: float) -> str:
    whole = round(m)
    return f"{whole // 60}h {whole % 60:02d}m" if whole >= 60 else f"{whole}m"


def task_label(t: dict[str, Any]) -> str:
    if t["kind"] == "mock":
        return f"mock loop, {t['count']} questions · {minutes(t['minutes'])}"
    return f"{t['kind']} {t['count']} · {minutes(t['minutes'])}"


def render(data: dict[str, Any], json_out: bool, console: Any = None) -> None:
    if json_out:
        ui.print_json(data)
        return
    from rich.markup import escape

    con = console or ui.out()
    if data.get("warning"):
        ui.warn(data["warning"])
    iv = data["interview"]
    if data.get("changed") == "cleared":
        con.print("Interview date cleared: scheduling is plain FSRS again.")
    if iv is None:
        if data.get("changed") != "cleared":
            con.print("No interview date set: [bold]drill plan --interview YYYY-MM-DD[/] "
                      "[--hours-per-day 2] plans the days until it.")
        con.print()
        _render_readiness(con, data["readiness"], None)
        return
    rounds = ", ".join(escape(ui.term_safe(r)) for r in iv["rounds"]) if iv["rounds"] else "every round"
    con.print(f"[bold]Interview[/] {when(iv)} · {iv['hours_per_day']:g} h a day · {rounds}")
    if iv["past"]:
        con.print("The interview date has passed: scheduling is plain FSRS again. "
                  "Set a new one with [bold]drill plan --interview DATE[/], or [bold]drill plan --clear[/].")
    con.print()
    _render_readiness(con, data["readiness"], iv)
    if data["plan"]:
        con.print()
        _render_plan(con, data["plan"])


def _render_readiness(con: Any, r: dict[str, Any], iv: dict[str, Any] | None) -> None:
    from rich.markup import escape
    from rich.table import Table

    title = "predicted for the interview day" if iv and not iv["past"] else "as of now"
    con.print(f"[bold]Readiness[/] ({title})")
    t = Table(box=None, header_style="bold", pad_edge=False)
    for col, just in (("round", "left"), ("seen", "right"), ("recall", "right"),
                      ("score", "right"), ("interval", "left"), ("status", "left")):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for row in r["rounds"]:
        sc = row["score"]
        short = row["short_of"] if row["status"] not in ("ready", "not started") else []
        status = row["status"] + (f" ({', '.join(short)})" if short else "")
        t.add_row(escape(ui.term_safe(row["round"])), f"{row['seen']}/{row['questions']}",
                  "-" if row["recall"] is None else f"{row['recall']:.2f}",
                  "-" if sc is None else f"{sc['mean']:.2f}",
                  "" if sc is None else f"{sc['low']:.2f}-{sc['high']:.2f}", escape(ui.term_safe(status)))
    con.print(t)
    con.print(escape(ui.term_safe(r["verdict"])))


def _render_plan(con: Any, plan: dict[str, Any]) -> None:
    from datetime import date

    from rich.markup import escape

    from drill.progress.plan import WAVE_NAMES

    days = plan["days"]
    if not days:
        return
    first = days[0]
    d0 = date.fromisoformat(first["date"])
    con.print(f"[bold]Today[/] ({d0.strftime('%a %d %b')}, wave: {WAVE_NAMES[first['wave']]}, "
              f"{minutes(first['budget_minutes'])} left):")
    render_tasks(con, first)
    if len(days) > 1:
        con.print()
        con.print("[bold]Next days[/]")
        for d in days[1:]:
            day = date.fromisoformat(d["date"])
            over = " (over your hours: a long question)" if d["planned_minutes"] > d["budget_minutes"] + 0.5 else ""
            con.print(f"  {day.strftime('%a %d %b')}{'*' if d['final_window'] else ' '} "
                      f"{minutes(d['planned_minutes']):>7}  {escape(ui.term_safe(day_summary(d)))}{over}")
        con.print("  (* the final window: lowest predicted recall on the day first)")
    if plan["unreached_rounds"]:
        con.print(f"Not reached in time: {escape(ui.term_safe(', '.join(plan['unreached_rounds'])))} "
                  "(more hours a day, or fewer --rounds)")


def day_summary(d: dict[str, Any]) -> str:
    """'mock loop 4 · review 3 · new coding 2, sql 1' for one day of the plan."""
    parts = []
    mocks = [t for t in d["tasks"] if t["kind"] == "mock"]
    if mocks:
        parts.append(f"mock loop {mocks[0]['count']}")
    reviews = sum(t["count"] for t in d["tasks"] if t["kind"] == "review")
    if reviews:
        parts.append(f"review {reviews}")
    new = [f"{t['round']} {t['count']}" for t in d["tasks"] if t["kind"] == "new"]
    if new:
        parts.append("new " + ", ".join(new))
    return " · ".join(parts) or "free"


def render_tasks(con: Any, day: dict[str, Any], indent: str = "  ") -> None:
    from rich.markup import escape

    if not day["tasks"]:
        con.print(f"{indent}nothing planned: today's time is used" if day["budget_minutes"] <= 0
                  else f"{indent}nothing left to plan today")
        return
    width = max(len(t["command"]) for t in day["tasks"])
    for t in day["tasks"]:
        con.print(f"{indent}[bold]{escape(ui.term_safe(t['command'])):<{width}}[/]   {task_label(t)}")
    if day["reviews_left"]:
        con.print(f"{indent}({day['reviews_left']} more due: they wait for a later day)")

