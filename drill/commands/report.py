"""`drill report`: progress at a glance, aggregated in SQL.

`build(...)` returns the JSON contract (`attempts`, `questions_seen`, `questions_total`,
`rounds`, `weak_tags`, `due_today`, `due_week`, plus extra keys); `render` draws it.
Nothing here imports fsrs: due counts come from the cards' `due` column.
Days (streak, calendar, "due today") are local days at the time of `now`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from drill import ui
from drill.errors import InputError

WEAK_TAGS = 10
TREND_WEEKS = 4
CALENDAR_WEEKS = 12
SPARKS = "▁▂▃▄▅▆▇█"
BAR_WIDTH = 20
# Weakest round below this mean: practise it before exploring new questions.
WEAK_ROUND_BELOW = 0.7


@dataclass(frozen=True)
class Clock:
    """`now` and the local day boundaries the report counts in."""

    now: datetime
    tz: tzinfo

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    def day_start(self, d: date) -> datetime:
        return datetime(d.year, d.month, d.day, tzinfo=self.tz).astimezone(UTC)


def parse_since(text: str | None, clock: Clock) -> datetime | None:
    """YYYY-MM-DD (local midnight), or Nd / Nw for the last N days or weeks."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*([dw])\s*", text)
    if m:
        days = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        return clock.day_start(clock.today - timedelta(days=days - 1 if days else 0))
    try:
        return clock.day_start(date.fromisoformat(text.strip()))
    except ValueError:
        raise InputError(f"--since wants a date like 2026-10-01 or a span like 14d or 4w, not '{text}'") from None


def build(extra: list[Path] | None = None, *, round: str | None = None, since: str | None = None,
          now: datetime | None = None, tz: tzinfo | None = None, store: Any = None,
          catalog: Any = None) -> dict[str, Any]:
    from drill.packs.catalog import load_catalog
    from drill.progress.store import open_store

    now = now or datetime.now(UTC)
    clock = Clock(now, tz or now.astimezone().tzinfo or UTC)
    since_dt = parse_since(since, clock)
    cat = catalog if catalog is not None else load_catalog(extra)
    if catalog is None:
        ui.warn_problems(cat.problems)
    if store is None:
        with open_store(create=False) as st:
            return _build(cat, st, clock, round, since_dt)
    return _build(cat, store, clock, round, since_dt)


def _build(cat: Any, store: Any, clock: Clock, only: str | None, since: datetime | None) -> dict[str, Any]:
    from drill.progress import weakness
    from drill.progress.store import _scope, ts

    questions = cat.select(only)
    q_round = {s.uid: s.round for s in cat.questions}
    if only and not questions and not store.read("SELECT 1 FROM attempts WHERE round = ? LIMIT 1", (only,)):
        known = ", ".join(cat.rounds()) or "none"
        raise InputError(f"no round '{only}'; rounds: {known}")
    where, params = _scope(clock.now, only, since)

    per = store.question_sums(clock.now, round=only, since=since)
    attempts = sum(r[2] for r in per)
    seen = {r[1] for r in per if r[1] in q_round and (only is None or q_round[r[1]] == only)}
    by_round: dict[str, dict[str, Any]] = {}
    for r_name, n in _ordered(cat.rounds()).items():
        if only is None or r_name == only:
            by_round[r_name] = {"round": r_name, "attempts": 0, "seen": 0, "total": n, "mean_score": None}
    sums: dict[str, list[float]] = {}
    for r_name, _uid, n, s, _t, sw, sws in per:
        by_round.setdefault(r_name, {"round": r_name, "attempts": 0, "seen": 0, "total": 0,
                                     "mean_score": None})["attempts"] += n
        acc = sums.setdefault(r_name, [0.0, 0.0, 0.0])
        acc[0] += s
        acc[1] += sw
        acc[2] += sws
    for uid in seen:
        by_round[q_round[uid]]["seen"] += 1
    for r_name, row in by_round.items():
        if row["attempts"]:
            row["mean_score"] = round_(sums[r_name][0] / row["attempts"])

    trend = _trend(store, clock, where, params)
    for row in by_round.values():
        row["weekly_means"] = trend.get(row["round"], [None] * TREND_WEEKS)

    if only is None:
        mu0 = weakness.prior_mean(sum(a[1] for a in sums.values()), sum(a[2] for a in sums.values()))
    else:  # the prior is the candidate's overall mean, not this round's
        mu0 = weakness.overall_mean(store, clock.now, since=since)
    n_by_round = {k: v["attempts"] for k, v in by_round.items()}
    strengths = weakness.rank([(k, n_by_round[k], a[1], a[2]) for k, a in sums.items()], mu0)
    round_strength = {st.key: st for st in strengths}
    for row in by_round.values():
        st = round_strength.get(row["round"])
        row["strength"] = st.to_json() if st else None

    weak = weakness.tag_strengths(store, clock.now, round=only, since=since, mu0=mu0)[:WEAK_TAGS]

    from drill.progress import interview as iv_mod

    iv = iv_mod.load(store, clock.tz)
    tomorrow = clock.day_start(clock.today + timedelta(days=1))
    week_end = clock.day_start(clock.today + timedelta(days=8))
    wanted = {s.uid for s in questions}
    if iv is not None and iv.active(clock.now):
        due_today, due_week = _due_counts_with_interview(store, iv, clock.now, wanted, tomorrow, week_end)
    else:
        due_rows = store.read("SELECT uid, due FROM cards WHERE due < ?", (ts(week_end),))
        due_today = sum(1 for u, d in due_rows if u in wanted and d < ts(tomorrow))
        due_week = sum(1 for u, _d in due_rows if u in wanted)

    data: dict[str, Any] = {
        "attempts": attempts,
        "questions_seen": len(seen),
        "questions_total": len(questions),
        "rounds": list(by_round.values()),
        "weak_tags": [{"tag": s.key, "score": round_(s.score), "attempts": s.attempts,
                       "sd": round_(s.sd)} for s in weak],
        "due_today": due_today,
        "due_week": due_week,
        "time_seconds": round(sum(r[4] for r in per), 1),
        "streak_days": _streak(store, clock),
        "calendar": _calendar(store, clock, where, params),
        "now": ts(clock.now),
        "today": clock.today.isoformat(),
        "since": ts(since) if since else None,
        "round": only,
        "interview": None if iv is None else {**iv.to_json(), "days_left": iv.days_left(clock.today),
                                              "past": not iv.active(clock.now)},
    }
    data["suggestion"] = suggest(data, only)
    return data


def _due_counts_with_interview(store: Any, iv: Any, now: datetime, wanted: set[str],
                               tomorrow: datetime, week_end: datetime) -> tuple[int, int]:
    """Due today and within the week when the interview moves due dates (schedule.effective_due).
    A review capped at the interview itself is not counted: the interview is that review."""
    from drill.progress.schedule import effective_due
    from drill.progress.store import parse_ts

    tomorrow, week_end = min(tomorrow, iv.starts()), min(week_end, iv.starts())
    today = week = 0
    for uid, due, last in store.read("SELECT uid, due, last_review FROM cards"):
        if uid not in wanted:
            continue
        d = effective_due(parse_ts(due), parse_ts(last) if last else None, iv, now)
        today += d < tomorrow
        week += d < week_end
    return today, week


def _ordered(counts: dict[str, int]) -> dict[str, int]:
    from drill.constants import BUILTIN_ROUNDS

    names = [r for r in BUILTIN_ROUNDS if r in counts] + sorted(r for r in counts if r not in BUILTIN_ROUNDS)
    return {r: counts[r] for r in names}


def round_(x: float) -> float:
    return round(x, 4)


def _trend(store: Any, clock: Clock, where: str, params: dict) -> dict[str, list[float | None]]:
    """Weekly mean scores per round, oldest first; the last week ends now."""
    bounds = {f"w{k}": _ts(clock.now - timedelta(days=7 * k)) for k in range(1, TREND_WEEKS + 1)}
    week = "CASE " + " ".join(f"WHEN a.ended_at >= :w{k} THEN {TREND_WEEKS - k}"
                              for k in range(1, TREND_WEEKS)) + " ELSE 0 END"
    cond = (where + " AND" if where else "WHERE") + f" a.ended_at >= :w{TREND_WEEKS}"
    rows = store.read(f"SELECT a.round, {week} AS wk, avg(a.score) FROM attempts a {cond} "
                      f"GROUP BY a.round, wk", {**params, **bounds})
    out: dict[str, list[float | None]] = {}
    for r_name, wk, mean in rows:
        out.setdefault(r_name, [None] * TREND_WEEKS)[wk] = round_(mean)
    return out


def _ts(dt: datetime) -> str:
    from drill.progress.store import ts

    return ts(dt)


def _calendar(store: Any, clock: Clock, where: str, params: dict,
              weeks: int = CALENDAR_WEEKS) -> dict[str, int]:
    """Attempts per local day over the last `weeks` weeks (Monday-aligned), as {YYYY-MM-DD: n}.

    One indexed range count per day: cheaper than parsing every timestamp with date()."""
    first = clock.today - timedelta(days=clock.today.weekday() + 7 * (weeks - 1))
    cond = (where + " AND" if where else "WHERE") + " a.ended_at >= :d0 AND a.ended_at < :d1"
    out = {}
    day = first
    while day <= clock.today:
        n = store.read(f"SELECT count(*) FROM attempts a {cond}",
                       {**params, "d0": _ts(clock.day_start(day)),
                        "d1": _ts(clock.day_start(day + timedelta(days=1)))})[0][0]
        if n:
            out[day.isoformat()] = n
        day += timedelta(days=1)
    return out


def _streak(store: Any, clock: Clock) -> int:
    """Consecutive local days with an attempt, ending today (or yesterday, if today is still open)."""

    def active(d: date) -> bool:
        return bool(store.read("SELECT 1 FROM attempts WHERE ended_at >= ? AND ended_at < ? LIMIT 1",
                               (_ts(clock.day_start(d)), _ts(clock.day_start(d + timedelta(days=1))))))

    day = clock.today if active(clock.today) else clock.today - timedelta(days=1)
    n = 0
    while active(day):
        n += 1
        day -= timedelta(days=1)
    return n


def suggest(data: dict[str, Any], round: str | None) -> str:
    """The one command most worth running next."""
    scope = f" --round {round}" if round else ""
    rounds = [r for r in data["rounds"] if r["total"]]
    if not data["attempts"]:
        first = rounds[0]["round"] if rounds else None
        return f"drill start --round {first}" if first else "drill packs new my-pack.yaml"
    if data["due_today"]:
        return f"drill start{scope} --focus due"
    practised = sorted((r for r in rounds if r.get("strength")), key=lambda r: r["strength"]["score"])
    if practised and practised[0]["strength"]["score"] < WEAK_ROUND_BELOW:
        return f"drill start --round {practised[0]['round']} --focus weak"
    fresh = max(rounds, key=lambda r: r["total"] - r["seen"], default=None)
    if fresh and fresh["total"] > fresh["seen"]:
        return f"drill start --round {fresh['round']} --focus new"
    if practised:
        return f"drill start --round {practised[0]['round']} --focus weak"
    return f"drill start{scope} --focus random"


# ---------------------------------------------------------------- rendering


def sparkline(values: list[float | None]) -> str:
    """One character per week: the mean score on an absolute 0..1 scale; · for no attempts."""
    return "".join("·" if v is None else SPARKS[min(int(v * len(SPARKS)), len(SPARKS) - 1)] for v in values)


def bar(score: float, width: int = BAR_WIDTH) -> str:
    filled = round(score * width)
    return "█" * filled + "░" * (width - filled)


def duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def calendar_lines(cal: dict[str, int], today: date) -> list[str]:
    """A contribution graph: rows Monday..Sunday, one column per week, today's week last."""
    first = today - timedelta(days=today.weekday() + 7 * (CALENDAR_WEEKS - 1))
    lines = []
    for wd, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        cells = []
        for w in range(CALENDAR_WEEKS):
            d = first + timedelta(days=7 * w + wd)
            cells.append(" " if d > today else _cell(cal.get(d.isoformat(), 0)))
        lines.append(f"{name} " + " ".join(cells))
    lines.append("    less · ░ ▒ ▓ █ more")
    return lines


def _cell(n: int) -> str:
    if n == 0:
        return "·"
    return "░" if n == 1 else "▒" if n <= 3 else "▓" if n <= 6 else "█"


def render(data: dict[str, Any], json_out: bool, console: Any = None) -> None:
    if json_out:
        ui.print_json(data)
        return
    from rich.table import Table

    escape = ui.markup_safe  # rounds, tags and suggestions come from packs and the database
    con = console or ui.out()
    today = date.fromisoformat(data["today"])
    scope = f" · round {data['round']}" if data.get("round") else ""
    con.print(f"[bold]Progress[/]{escape(scope)}")
    con.print(
        f"{data['attempts']} attempts · {data['questions_seen']}/{data['questions_total']} questions seen"
        f" · {duration(data['time_seconds'])} practised · streak {data['streak_days']} "
        f"day{'s' if data['streak_days'] != 1 else ''}"
    )
    if data.get("interview"):
        from drill.commands.plan import when

        con.print(f"Interview {when(data['interview'])} · readiness and today's plan: [bold]drill plan[/]")
    con.print()
    t = Table(box=None, header_style="bold", pad_edge=False)
    for col, just in (("round", "left"), ("seen", "right"), ("attempts", "right"),
                      ("mean", "right"), ("last 4 weeks", "left")):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for r in data["rounds"]:
        mean = "-" if r["mean_score"] is None else f"{r['mean_score']:.2f}"
        t.add_row(escape(r["round"]), f"{r['seen']}/{r['total']}", str(r["attempts"]), mean,
                  sparkline(r["weekly_means"]))
    con.print(t)
    con.print()
    if data["weak_tags"]:
        con.print("[bold]Weakest tags[/]")
        w = max(len(x["tag"]) for x in data["weak_tags"])
        for x in data["weak_tags"]:
            con.print(f"  {escape(x['tag']):<{w}}  {bar(x['score'])}  {x['score']:.2f} ±{x['sd']:.2f}"
                      f"  ({x['attempts']} attempt{'s' if x['attempts'] != 1 else ''})")
        con.print()
    con.print(f"[bold]Due[/] {data['due_today']} today · {data['due_week']} within 7 days")
    con.print()
    con.print(f"[bold]Activity[/] (last {CALENDAR_WEEKS} weeks)")
    for line in calendar_lines(data["calendar"], today):
        con.print(line)
    con.print()
    con.print(f"Next: [bold]{escape(data['suggestion'])}[/]")


# ---------------------------------------------------------------- the HTML report

HTML_CALENDAR_WEEKS = 26
HTML_TREND_WEEKS = 12
RECALL_POINTS = 60
RECALL_DAYS_WITHOUT_DATE = 30
CHARTS_EXTRA = "matplotlib>=3.8"


def charts_missing() -> str | None:
    """The command that installs the chart library, when it is missing."""
    import importlib.util
    import sys

    try:
        found = importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):
        found = False
    return None if found else f"{sys.executable} -m pip install '{CHARTS_EXTRA}'"


def html_data(extra: list[Path] | None = None, *, round: str | None = None, since: str | None = None,
              now: datetime | None = None, tz: tzinfo | None = None, store: Any = None) -> dict[str, Any]:
    """Everything the HTML report draws: the report's data plus a longer calendar, weekly
    attempts and means per round, time against budget per kind, readiness, and
    predicted recall until the interview (or the next 30 days)."""
    from drill.packs.catalog import load_catalog
    from drill.progress.store import open_store

    now = now or datetime.now(UTC)
    cat = load_catalog(extra)
    ui.warn_problems(cat.problems)
    if store is None:
        with open_store(create=False) as st:
            return _html_data(cat, st, round, since, now, tz)
    return _html_data(cat, store, round, since, now, tz)


def _html_data(cat: Any, store: Any, only: str | None, since: str | None, now: datetime,
               tz: tzinfo | None) -> dict[str, Any]:
    from drill.commands import plan as plan_cmd
    from drill.progress import readiness
    from drill.progress.store import _scope

    clock = Clock(now, tz or now.astimezone().tzinfo or UTC)
    data = build(round=only, since=since, now=now, tz=clock.tz, store=store, catalog=cat)
    since_dt = parse_since(since, clock)
    where, params = _scope(now, only, since_dt)
    data["calendar"] = _calendar(store, clock, where, params, weeks=HTML_CALENDAR_WEEKS)
    data["calendar_weeks"] = HTML_CALENDAR_WEEKS
    data["weekly"] = _weekly(store, clock, where, params)
    data["kinds"] = _kinds(store, where, params)
    view = plan_cmd.view(cat, store, now=now, tz=tz, limit=1)
    data["readiness"] = view["readiness"]
    data["today_plan"] = view["plan"]["days"][0] if view["plan"] and view["plan"]["days"] else None
    iv = view["interview"]
    end = (datetime.fromisoformat(view["readiness"]["at"]) if iv and not iv["past"]
           else now + timedelta(days=RECALL_DAYS_WITHOUT_DATE))
    steps = max(1, min(RECALL_POINTS, (end - now).days or 1))
    times = [now + (end - now) * k / steps for k in range(steps + 1)]
    rounds = {r["round"]: [s.uid for s in cat.questions if s.round == r["round"]]
              for r in view["readiness"]["rounds"]}
    curve = readiness.recall_curve(store, rounds, times)
    data["recall_curve"] = {"times": [_ts(t) for t in times], "until_interview": bool(iv and not iv["past"]),
                            **curve}
    return data


def _weekly(store: Any, clock: Clock, where: str, params: dict) -> dict[str, Any]:
    """Attempts and mean score per round per week, oldest week first; the last week ends now."""
    start = _ts(clock.now - timedelta(days=7 * HTML_TREND_WEEKS))
    cond = (where + " AND" if where else "WHERE") + " a.ended_at >= :wstart"
    rows = store.read(
        "SELECT a.round, CAST((julianday(:now) - julianday(a.ended_at)) / 7 AS INTEGER) AS wk, "
        f"count(*), avg(a.score) FROM attempts a {cond} GROUP BY a.round, wk",
        {**params, "wstart": start})
    out: dict[str, dict[str, list]] = {}
    for r_name, wk, n, mean in rows:
        if not 0 <= wk < HTML_TREND_WEEKS:
            continue
        row = out.setdefault(r_name, {"attempts": [0] * HTML_TREND_WEEKS, "mean": [None] * HTML_TREND_WEEKS})
        row["attempts"][HTML_TREND_WEEKS - 1 - wk] = n
        row["mean"][HTML_TREND_WEEKS - 1 - wk] = round_(mean)
    week_starts = [(clock.now - timedelta(days=7 * (HTML_TREND_WEEKS - k))).astimezone(clock.tz).date().isoformat()
                   for k in range(HTML_TREND_WEEKS)]
    return {"week_starts": week_starts, "rounds": out}


def _kinds(store: Any, where: str, params: dict) -> list[dict[str, Any]]:
    """Time used against the budget per kind of question (timed attempts only)."""
    cond = (where + " AND" if where else "WHERE") + " a.budget_seconds IS NOT NULL AND NOT a.skipped"
    rows = store.read("SELECT a.kind, count(*), total(a.seconds), total(a.budget_seconds), "
                      f"total(a.seconds > a.budget_seconds) FROM attempts a {cond} GROUP BY a.kind "
                      "ORDER BY a.kind", params)
    return [{"kind": k, "attempts": n, "seconds": round(used, 1), "budget_seconds": round(budget, 1),
             "over_budget": int(over)} for k, n, used, budget, over in rows]


def write_html(path: Path, extra: list[Path] | None = None, *, round: str | None = None,
               since: str | None = None, open_browser: bool = False, now: datetime | None = None,
               tz: tzinfo | None = None, store: Any = None) -> dict[str, Any]:
    """Write the HTML report to `path` (whole or not at all); open it if asked."""
    import os
    import tempfile

    install = charts_missing()
    if install:
        raise InputError("drill report --html draws its charts with matplotlib, which is not installed",
                         f"Install it with: {install}")
    target = _html_target(path)
    from drill.render import html_report

    data = html_data(extra, round=round, since=since, now=now, tz=tz, store=store)
    page = html_report.render(data)
    fd, tmp = tempfile.mkstemp(prefix=".drill-report-", suffix=".html", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is an ordinary file
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write {target}: {e.strerror or e}") from None
    opened = None
    if open_browser:
        import webbrowser

        opened = bool(webbrowser.open(target.resolve().as_uri()))
        if not opened:
            ui.warn(f"no browser could be opened; the report is at {target}")
    return {"path": str(target), "bytes": len(page.encode("utf-8")), "charts": page.count("<svg"),
            "opened": opened}


def _html_target(path: Path) -> Path:
    import os

    path = path.expanduser()
    if path.is_dir():
        raise InputError(f"--html wants a file name; {path} is a folder")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise InputError(f"cannot write {path}: the folder {path.parent} is read-only")
    return path


def render_html_done(written: dict[str, Any], json_out: bool) -> None:
    if json_out:
        ui.print_json(written)
        return
    ui.out().print(f"Wrote {written['path']} ({written['bytes'] // 1024} KB, {written['charts']} charts)",
                   soft_wrap=True, markup=False)
